/* SPDX-License-Identifier: MIT */
#ifndef PAT_GROW_H
#define PAT_GROW_H

#include <stddef.h>

/*
 * The one growable-array mechanism. An array is a pointer, an element size and a
 * capacity in elements; it grows by doubling (from @first when empty), so that n
 * appends cost O(n) copying. The check is inline; the growing is out of line
 * (schema/grow.c), so that a hot loop that may append keeps its registers.
 */

/*
 * pa_reserve_slow, pa_grow_slow - pa_reserve and pa_grow once it is known that the
 * array must grow: the doubling and the realloc.
 */
int pa_reserve_slow(void **p, size_t *cap, size_t need, size_t size, size_t first);

/*
 * pa_reserve - make *@p, of *@cap elements of @size bytes, hold at least @need. Returns
 * 0, or -PA_ENOMEM (also when @need elements cannot be counted in bytes) with *@p and
 * *@cap unchanged (the caller still owns *@p).
 */
static inline int pa_reserve(void **p, size_t *cap, size_t need, size_t size, size_t first)
{
	if (need <= *cap)
		return 0;
	return pa_reserve_slow(p, cap, need, size, first);
}

/*
 * pa_grow - room for one more element in array @p, holding @n elements: pa_reserve of
 * @n + 1. Returns the array, moved or not, or NULL when out of memory, in which case
 * @p and *@cap are unchanged and the caller still owns @p.
 */
void *pa_grow_slow(void *p, size_t *cap, size_t n, size_t size, size_t first);

static inline void *pa_grow(void *p, size_t *cap, size_t n, size_t size, size_t first)
{
	return n < *cap ? p : pa_grow_slow(p, cap, n, size, first);
}

#endif

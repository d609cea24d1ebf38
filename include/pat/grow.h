/* SPDX-License-Identifier: MIT */
#ifndef PAT_GROW_H
#define PAT_GROW_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "pat/error.h"

/*
 * The one growable-array mechanism. An array is a pointer, an element size and a
 * capacity in elements; it grows by doubling (from @first when empty), so that n
 * appends cost O(n) copying.
 */

/*
 * pa_reserve - make *@p, of *@cap elements of @size bytes, hold at least @need. Returns
 * 0, or -PA_ENOMEM (also when @need elements cannot be counted in bytes) with *@p and
 * *@cap unchanged (the caller still owns *@p).
 */
static inline int pa_reserve(void **p, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t c = *cap ? *cap : first;
	void *q;

	if (need <= *cap)
		return 0;
	if (need > SIZE_MAX / size)
		return -PA_ENOMEM;
	while (c < need)
		c = c > SIZE_MAX / 2 / size ? need : 2 * c;
	q = realloc(*p, c * size);
	if (!q)
		return -PA_ENOMEM;
	*p = q;
	*cap = c;
	return 0;
}

/*
 * pa_grow - room for one more element in array @p, holding @n elements: pa_reserve of
 * @n + 1. Returns the array, moved or not, or NULL when out of memory, in which case
 * @p and *@cap are unchanged and the caller still owns @p.
 */
static inline void *pa_grow(void *p, size_t *cap, size_t n, size_t size, size_t first)
{
	return pa_reserve(&p, cap, n + 1, size, first) ? NULL : p;
}

#endif

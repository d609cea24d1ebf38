/* SPDX-License-Identifier: MIT */
#ifndef PAT_GROW_H
#define PAT_GROW_H

#include <stddef.h>
#include <stdlib.h>

/*
 * pa_grow - room for one more element in array @p, holding @n elements of @size bytes
 * in *@cap allocated ones: doubles the allocation (to @first when empty) when it is
 * full. Returns the array, moved or not, or NULL when out of memory, in which case @p
 * and *@cap are unchanged and the caller still owns @p.
 */
static inline void *pa_grow(void *p, size_t *cap, size_t n, size_t size, size_t first)
{
	size_t c;
	void *q;

	if (n < *cap)
		return p;
	c = *cap ? 2 * *cap : first;
	q = realloc(p, c * size);
	if (q)
		*cap = c;
	return q;
}

#endif

// SPDX-License-Identifier: MIT
#include <stdint.h>
#include <stdlib.h>

#include "pat/error.h"
#include "pat/grow.h"

int pa_reserve_slow(void **p, size_t *cap, size_t need, size_t size, size_t first)
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

void *pa_grow_slow(void *p, size_t *cap, size_t n, size_t size, size_t first)
{
	return pa_reserve_slow(&p, cap, n + 1, size, first) ? NULL : p;
}

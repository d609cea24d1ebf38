// SPDX-License-Identifier: MIT
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "pat/error.h"
#include "pat/event.h"

int pa_batch_init(struct pa_batch *b, size_t cap)
{
	memset(b, 0, sizeof(*b));
	return pa_batch_reserve(b, cap);
}

/* Where each column of a batch is, and its element size. */
static const struct {
	size_t off, size;
} columns[] = {
#define COLUMN(name, type, codec) { offsetof(struct pa_batch, name), sizeof(type) },
	PA_BATCH_COLUMNS(COLUMN)
#undef COLUMN
};

static int grow(void **p, size_t cap, size_t size)
{
	void *q = realloc(*p, cap * size);

	if (!q)
		return -PA_ENOMEM;
	*p = q;
	return 0;
}

int pa_batch_reserve(struct pa_batch *b, size_t cap)
{
	if (cap <= b->cap)
		return 0;
	if (cap < 16)
		cap = 16;
	for (size_t k = 0; k < sizeof(columns) / sizeof(columns[0]); k++)
		if (grow((void **)((char *)b + columns[k].off), cap, columns[k].size))
			return -PA_ENOMEM;
	b->cap = cap;
	return 0;
}

void pa_batch_free(struct pa_batch *b)
{
	for (size_t k = 0; k < sizeof(columns) / sizeof(columns[0]); k++)
		free(*(void **)((char *)b + columns[k].off));
	memset(b, 0, sizeof(*b));
}

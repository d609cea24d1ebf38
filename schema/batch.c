// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "pat/error.h"
#include "pat/event.h"

int pa_batch_init(struct pa_batch *b, size_t cap)
{
	memset(b, 0, sizeof(*b));
	return pa_batch_reserve(b, cap);
}

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
	if (grow((void **)&b->time_ns, cap, sizeof(*b->time_ns)) ||
	    grow((void **)&b->ip, cap, sizeof(*b->ip)) ||
	    grow((void **)&b->addr, cap, sizeof(*b->addr)) ||
	    grow((void **)&b->aux, cap, sizeof(*b->aux)) ||
	    grow((void **)&b->tid, cap, sizeof(*b->tid)) ||
	    grow((void **)&b->tgid, cap, sizeof(*b->tgid)) ||
	    grow((void **)&b->flags, cap, sizeof(*b->flags)))
		return -PA_ENOMEM;
	b->cap = cap;
	return 0;
}

void pa_batch_free(struct pa_batch *b)
{
	free(b->time_ns);
	free(b->ip);
	free(b->addr);
	free(b->aux);
	free(b->tid);
	free(b->tgid);
	free(b->flags);
	memset(b, 0, sizeof(*b));
}

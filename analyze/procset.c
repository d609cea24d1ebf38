// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "pat/grow.h"
#include "procset.h"

int pa_procset_init(struct pa_procset *ps)
{
	memset(ps, 0, sizeof(*ps));
	return pa_u64map_init(&ps->procs, 16);
}

static struct pa_u64map *set_of(struct pa_procset *ps, uint32_t tgid)
{
	uint32_t *idx;
	int added;

	if (ps->last && ps->last_tgid == tgid)
		return ps->last;
	added = pa_u64map_get(&ps->procs, tgid, (uint32_t)ps->nsets, &idx);
	if (added < 0)
		return NULL;
	if (added) {
		struct pa_u64map *n = pa_grow(ps->sets, &ps->cap, ps->nsets, sizeof(*n), 8);

		if (!n)
			return NULL;
		ps->sets = n;
		if (pa_u64map_init(&ps->sets[ps->nsets], 1024))
			return NULL;
		ps->nsets++;
	}
	ps->last_tgid = tgid;
	ps->last = &ps->sets[*idx];
	return ps->last;
}

int pa_procset_add(struct pa_procset *ps, uint32_t tgid, uint64_t v)
{
	struct pa_u64map *m = set_of(ps, tgid);
	uint32_t *val;
	int added;

	if (!m)
		return -1;
	added = pa_u64map_get(m, v, 0, &val);
	if (added > 0)
		ps->count++;
	return added;
}

void pa_procset_free(struct pa_procset *ps)
{
	for (size_t i = 0; i < ps->nsets; i++)
		pa_u64map_free(&ps->sets[i]);
	free(ps->sets);
	pa_u64map_free(&ps->procs);
	memset(ps, 0, sizeof(*ps));
}

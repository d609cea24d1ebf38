/* SPDX-License-Identifier: MIT */
#ifndef PAT_ANALYZE_PROCSET_H
#define PAT_ANALYZE_PROCSET_H

#include <stdint.h>

#include "pat/u64map.h"

/*
 * A set of (process, value) pairs, e.g. distinct pages or ips: pages of different
 * processes are different pages (docs/design.md §6), so each tgid gets its own hash set.
 * Memory grows with the distinct pairs only.
 */
struct pa_procset {
	struct pa_u64map procs;		/* tgid -> index into sets */
	struct pa_u64map *sets;
	size_t nsets;
	size_t cap;
	uint64_t count;			/* distinct pairs */
	uint32_t last_tgid;		/* one-entry cache: events come in runs of a tgid */
	struct pa_u64map *last;
};

/* pa_procset_init - an empty set. Returns 0 or -1 when out of memory. */
int pa_procset_init(struct pa_procset *ps);

/* pa_procset_add - add (@tgid, @v). Returns 1 if new, 0 if present, -1 out of memory. */
int pa_procset_add(struct pa_procset *ps, uint32_t tgid, uint64_t v);

/* pa_procset_free - release everything @ps holds. */
void pa_procset_free(struct pa_procset *ps);

#endif

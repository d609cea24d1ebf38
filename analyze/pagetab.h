/* SPDX-License-Identifier: MIT */
#ifndef PAT_ANALYZE_PAGETAB_H
#define PAT_ANALYZE_PAGETAB_H

#include <stddef.h>
#include <stdint.h>

#include "pairmap.h"

/*
 * The "which page is this" step of wss, reuse and info: a 32-bit value per page, where
 * a page is (group, page number) and group is a tgid (docs/design.md §6).
 *
 * A two-level table, like the page tables it mirrors, rather than one hash table of
 * all pages: pages are grouped in leaves of PA_PAGETAB_LEAF consecutive page numbers,
 * a leaf holds the values of its pages, and a small hash table (the directory) maps
 * (group, page / PA_PAGETAB_LEAF) to a leaf. Programs touch pages in runs, so most
 * lookups hit the leaf of the previous one and cost no hashing; on uniform random
 * pages the directory is small enough to stay in the cache and the leaves take 4
 * bytes per page, where a hash table of pages takes 16-byte slots at half load, so a
 * lookup misses the cache once, in a table 8 times smaller. In front of the directory
 * a direct-mapped cache of leaves takes most of the lookups that leave a run (see
 * pa_pagetab_slots). Memory is at most PA_PAGETAB_LEAF * 4 bytes per distinct page
 * (every page alone in its leaf), and just over 4 bytes per page when pages come in
 * runs (per 256 pages, a 16-byte directory slot in a table at most half full and a
 * 24-byte cache entry in one at least half full).
 */
#define PA_PAGETAB_LEAF_SHIFT 8
#define PA_PAGETAB_LEAF (1u << PA_PAGETAB_LEAF_SHIFT)

/* An entry of the leaf cache: leaf is that of (group, hi). */
struct pa_leafref {
	uint64_t hi;			/* UINT64_MAX: empty (no page >> LEAF_SHIFT is) */
	uint32_t *leaf;
	uint32_t group;
};

struct pa_pagetab {
	struct pa_pairmap dir;		/* (group, page >> LEAF_SHIFT) -> leaf index */
	/* direct-mapped, at least one entry per leaf: see pa_pagetab_slots */
	struct pa_leafref *cache;
	size_t cache_mask;
	uint32_t **blocks;		/* the leaves, in blocks of 2 MiB */
	size_t nblocks, blocks_cap;
	/* the leaf of the previous lookup */
	uint32_t last_group;
	uint64_t last_hi;
	uint32_t *last_leaf;
};

/* pa_pagetab_init - an empty table. Returns 0, or -1 when out of memory. */
int pa_pagetab_init(struct pa_pagetab *t);

/* pa_pagetab_free - releases what @t holds; @t may then be initialised again. */
void pa_pagetab_free(struct pa_pagetab *t);

/*
 * pa_pagetab_slots - @slot[i] = where the value of page (@group[i], @addr[i] >> @shift)
 * lives, for i < @n, each prefetched for writing: 0 until the caller stores something
 * else. A slot stays where it is until pa_pagetab_free. Returns 0, or -1 when out of
 * memory (the slots are then not all set).
 */
int pa_pagetab_slots(struct pa_pagetab *t, const uint32_t *group, const uint64_t *addr,
		     unsigned int shift, size_t n, uint32_t **slot);

/*
 * pa_pagetab_leaves - how many leaves @t has; pa_pagetab_leaf - the PA_PAGETAB_LEAF
 * values of leaf @i < that, in page order (which pages they are is not kept): for a
 * pass over every value, in which a page never looked up reads 0.
 */
size_t pa_pagetab_leaves(const struct pa_pagetab *t);
const uint32_t *pa_pagetab_leaf(const struct pa_pagetab *t, size_t i);

/*
 * Dense page ids 0, 1, 2, ... in order of first sight, for analyses that keep more per
 * page than 32 bits: a page table whose values are id + 1.
 */
#define PA_PAGEIDS_MAX (UINT32_MAX - 1)	/* distinct pages */

struct pa_pageids {
	struct pa_pagetab t;
	uint32_t count;			/* distinct pages = the next id */
};

static inline int pa_pageids_init(struct pa_pageids *m)
{
	m->count = 0;
	return pa_pagetab_init(&m->t);
}

static inline void pa_pageids_free(struct pa_pageids *m)
{
	pa_pagetab_free(&m->t);
	m->count = 0;
}

/*
 * pa_pageids_map - the ids of the pages (@group[i], @addr[i] >> @shift), i < @n, into
 * @ids[i], giving new pages the next ids in order of first sight. New pages are those
 * whose id is at least m->count as it was before the call. Returns 0, or -1 when out
 * of memory or past PA_PAGEIDS_MAX pages (the ids then are not all set).
 */
int pa_pageids_map(struct pa_pageids *m, const uint32_t *group, const uint64_t *addr,
		   unsigned int shift, size_t n, uint32_t *ids);

#endif

/* SPDX-License-Identifier: MIT */
#ifndef PAT_ANALYZE_PAGETAB_H
#define PAT_ANALYZE_PAGETAB_H

#include <stddef.h>
#include <stdint.h>

#include "pat/hashmap.h"

/*
 * The "which page is this" step of wss, reuse and info: 1 << cell_shift 32-bit cells per
 * page, where a page is (group, page number) and group is a tgid (docs/design.md §6).
 *
 * A two-level table, like the page tables it mirrors, for pages that come in regions:
 * pages are grouped in regions of PA_PAGETAB_LEAF consecutive page numbers, a region
 * with a leaf holds the cells of all its pages, and a small hash table (the directory)
 * maps (group, page / PA_PAGETAB_LEAF) to a leaf. Programs touch pages in runs, so most
 * lookups hit the leaf of the previous one and cost no hashing; on uniform random
 * pages the directory is small enough to stay in the cache and the leaves take 4 bytes
 * a cell, where a hash table of pages takes 16-byte slots at half load, so a lookup
 * misses the cache once, in a table 8 times smaller. In front of the directory a
 * direct-mapped cache of leaves takes most of the lookups that leave a run.
 *
 * A leaf costs its whole region, which pages scattered over the address space (one
 * in a region) would pay per page. So once PA_PAGETAB_EAGER leaves are made (4-8 MiB,
 * the regions of 4 GiB of dense memory), a page of a region without a leaf starts
 * loose, in a hash table of single pages (entries of its key and cells that never
 * move, an index of 32-bit entry numbers), and its region moves to a leaf of its own
 * once PA_PAGETAB_DENSE << cell_shift of its pages are loose, which a byte-sized
 * counter per hash of the region tells as they come. Beyond the eager leaves, memory
 * is then at most 32 bytes a page in leaves (plus a directory slot and a cache entry a
 * leaf), and 4 * (3 + cells) bytes a loose page plus 10-15 of index and counters
 * (20-30 while the index is rebuilt): 26-31 bytes a page with one cell, whatever the
 * spread of the addresses.
 */
#define PA_PAGETAB_LEAF_SHIFT 8
#define PA_PAGETAB_LEAF (1u << PA_PAGETAB_LEAF_SHIFT)
#define PA_PAGETAB_DENSE 32	/* loose pages of a region that earn it a leaf */
#define PA_PAGETAB_EAGER 4096	/* leaves made for regions at their first page */

/* An entry of the leaf cache: leaf is that of (group, hi). */
struct pa_leafref {
	uint64_t hi;			/* UINT64_MAX: empty (no page >> LEAF_SHIFT is) */
	uint32_t *leaf;
	uint32_t group;
};

/*
 * The loose pages: entries of (page low and high 32 bits, group, cells) in blocks that
 * stay where they are, found through an index of entry number + 1 (0: free), at most
 * half full. A dead entry (moved to a leaf) has the key of all ones and is on the free
 * list through its first cell; index slots that still name it are harmless (no page
 * has that key) and go at the next rebuild.
 */
struct pa_loose {
	uint32_t **blocks;		/* LOOSE_BLOCK entries each */
	size_t nblocks, blocks_cap;
	size_t used;			/* entries handed out, dead ones included */
	size_t live;			/* entries not dead */
	uint32_t free_head;		/* a dead entry's number + 1; 0: none */
	uint32_t *index;
	size_t mask;			/* index slots - 1 */
	size_t taken;			/* index slots not 0 */
	/* loose pages per hash of their region, at least one counter a page */
	uint8_t *counts;
	size_t counts_mask;
	/* regions whose counter reached the mark, for the next pa_pagetab_slots */
	struct pa_region *pending;
	size_t npending, pending_cap;
};

struct pa_region {
	uint64_t hi;
	uint32_t group;
};

struct pa_pagetab {
	struct pa_hashmap dir;		/* (group, page >> LEAF_SHIFT) -> leaf index */
	/* direct-mapped, at least one entry per leaf: see pa_pagetab_slots */
	struct pa_leafref *cache;
	size_t cache_mask;
	uint32_t **blocks;		/* the leaves, in blocks of 2 MiB */
	size_t nblocks, blocks_cap;
	unsigned int cell_shift;	/* 1 << cell_shift cells a page */
	struct pa_loose loose;
	/* told of every cell that moves (see pa_pagetab_on_move) */
	void (*moved)(void *ctx, uint32_t *cells);
	void *moved_ctx;
	/* the leaf of the previous lookup */
	uint32_t last_group;
	uint64_t last_hi;
	uint32_t *last_leaf;
};

/*
 * pa_pagetab_init - an empty table of 1 << @cell_shift cells a page (@cell_shift 0 or
 * 1). Returns 0, or -1 when out of memory.
 */
int pa_pagetab_init(struct pa_pagetab *t, unsigned int cell_shift);

/* pa_pagetab_free - releases what @t holds; @t may then be initialised again. */
void pa_pagetab_free(struct pa_pagetab *t);

/*
 * pa_pagetab_slots - @slot[i] = where the cells of page (@group[i], @addr[i] >> @shift)
 * live, for i < @n, each prefetched for writing: 0 until the caller stores something
 * else. The slots stay where they are until the next call, which may move the cells of
 * loose pages to a leaf: a caller that keeps slots for longer names a function that
 * hears of each move with pa_pagetab_on_move. Returns 0, or -1 when out of memory (the
 * slots are then not all set).
 */
int pa_pagetab_slots(struct pa_pagetab *t, const uint32_t *group, const uint64_t *addr,
		     unsigned int shift, size_t n, uint32_t **slot);

/*
 * pa_pagetab_on_move - @fn(@ctx, cells) is called with the new place of the cells of
 * each page that pa_pagetab_slots moves, after they were copied there.
 */
void pa_pagetab_on_move(struct pa_pagetab *t, void (*fn)(void *ctx, uint32_t *cells),
			void *ctx);

/*
 * pa_pagetab_each - calls @fn(@ctx, cells, pages) over every cell of @t, in runs of
 * @pages pages of 1 << cell_shift cells each, in no particular order; the cells of a
 * page never looked up read 0. Which pages they are is not kept.
 */
void pa_pagetab_each(const struct pa_pagetab *t,
		     void (*fn)(void *ctx, const uint32_t *cells, size_t pages), void *ctx);

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
	return pa_pagetab_init(&m->t, 0);
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

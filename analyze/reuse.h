/* SPDX-License-Identifier: MIT */
#ifndef PAT_ANALYZE_REUSE_H
#define PAT_ANALYZE_REUSE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Exact reuse distances (docs/design.md §6): the distance of an access is the number of
 * distinct other pages accessed since the previous access to the same page; a first
 * access is cold. The tracker keeps each page's last-access time in a 32-bit cell of
 * the caller's (its slot in pagetab.h's page table): 0 for a page not yet seen.
 *
 * The algorithm (Bennett & Kruskal; Almasi, Cascaval & Padua): every access gets the
 * next time on a time axis, and a set bit marks the last-access time of every page
 * seen, so the distance of a re-access is the number of set bits after the page's
 * previous time. The bits are counted with a bitmap in blocks of 512 times (one cache
 * line) plus a Fenwick tree over the per-block counts: O(log(T/512)) per access in a
 * tree that stays in the L1/L2 cache. When the axis is full it is compacted: the live
 * last-access times are renumbered 0..M-1 in order and the structures rebuilt in O(T),
 * with T kept at least 4M so that this is O(1) per access amortized. Memory is O(M),
 * never O(accesses). Counts are 64-bit; M is limited to 2^30 pages.
 */
#define PA_REUSE_COLD UINT64_MAX
#define PA_REUSE_NBUCKETS 65	/* [0,0], [1,1], [2,3], ..., [2^63, 2^64-1] */

struct pa_reuse {
	uint64_t *words;	/* bitmap over the time axis, cap / 64 words */
	uint32_t *fen;		/* Fenwick tree over per-block counts, 1-based */
	uint32_t **owner;	/* per time: the cell of the page accessed then */
	size_t cap;		/* length of the time axis, a power of two >= 512 */
	size_t nblocks;		/* cap / 512 */
	size_t now;		/* the next time */
	int64_t pending;	/* change of the block of now not yet in fen */
	uint64_t live;		/* distinct pages seen */
	uint64_t compactions;
};

/*
 * pa_reuse_init - an empty tracker whose time axis starts with room for @time_cap
 * accesses (rounded up to a power of two, at least 512; it grows as needed). Returns 0
 * or -1 when out of memory.
 */
int pa_reuse_init(struct pa_reuse *r, size_t time_cap);

void pa_reuse_free(struct pa_reuse *r);

/*
 * pa_reuse_access - record an access to the page whose cell is @last and return its
 * reuse distance, or PA_REUSE_COLD when *@last is 0 (first access). The tracker writes
 * the page's last-access time + 1 into *@last, now and when it renumbers its time
 * axis, so the cell must be left alone while @r lives, and stay where it is unless
 * @r is told with pa_reuse_moved. *@err is
 * set to -1 when out of memory (the access is then not recorded), else left alone.
 */
uint64_t pa_reuse_access(struct pa_reuse *r, uint32_t *last, int *err);

/*
 * pa_reuse_moved - a page's cell, which @r (a struct pa_reuse) knows, now lives at
 * @cell: the place its owner moved it to, with its value.
 */
void pa_reuse_moved(void *r, uint32_t *cell);

/*
 * pa_reuse_access_batch - pa_reuse_access for the cells @last[0..@n-1] in order,
 * distances into @dist, with memory prefetched ahead: the fast path. Returns 0 or -1
 * when out of memory.
 */
int pa_reuse_access_batch(struct pa_reuse *r, uint32_t *const *last, size_t n,
			  uint64_t *dist);

/* A histogram of distances in power-of-two buckets, with the cold accesses apart. */
struct pa_reuse_hist {
	uint64_t accesses;	/* all, cold included */
	uint64_t cold;
	uint64_t max;		/* the largest finite distance added */
	uint64_t bucket[PA_REUSE_NBUCKETS];
};

/* pa_reuse_bucket - the bucket of distance @d: 0 for 0, else floor(log2 d) + 1. */
static inline unsigned int pa_reuse_bucket(uint64_t d)
{
	return d ? 64u - (unsigned int)__builtin_clzll(d) : 0u;
}

/* pa_reuse_bucket_min, _max - the range [min, max] of bucket @b. */
static inline uint64_t pa_reuse_bucket_min(unsigned int b)
{
	return b ? 1ull << (b - 1) : 0;
}

static inline uint64_t pa_reuse_bucket_max(unsigned int b)
{
	return b == 0 ? 0 : b == 64 ? UINT64_MAX : (1ull << b) - 1;
}

/* pa_reuse_hist_add - count @n accesses of distance @d (PA_REUSE_COLD: cold). */
static inline void pa_reuse_hist_add(struct pa_reuse_hist *h, uint64_t d, uint64_t n)
{
	h->accesses += n;
	if (d == PA_REUSE_COLD) {
		h->cold += n;
		return;
	}
	h->bucket[pa_reuse_bucket(d)] += n;
	if (d > h->max)
		h->max = d;
}

/*
 * pa_reuse_misses - the misses of an LRU memory of @c pages (@c >= 1): cold accesses
 * plus accesses of distance >= @c. Exact when @c is a power of two or larger than
 * every distance; otherwise the bucket holding @c is split by linear interpolation.
 */
uint64_t pa_reuse_misses(const struct pa_reuse_hist *h, uint64_t c);

#endif

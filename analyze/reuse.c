// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "reuse.h"

#define BLOCK_SHIFT 9		/* 512 times per block: 8 bitmap words, one cache line */
#define WORDS_PER_BLOCK (1u << (BLOCK_SHIFT - 6))
#define MAX_LIVE (1u << 30)

static size_t axis_for(size_t want)
{
	size_t c = (size_t)1 << BLOCK_SHIFT;

	while (c < want)
		c <<= 1;
	return c;
}

/* (Re)allocates the time-axis arrays for @cap times; contents are rebuilt by callers. */
static int alloc_axis(struct pa_reuse *r, size_t cap)
{
	size_t nblocks = cap >> BLOCK_SHIFT;
	uint64_t *words = realloc(r->words, (cap / 64) * sizeof(*words));
	uint32_t *fen, **owner;

	if (!words)
		return -1;
	r->words = words;
	fen = realloc(r->fen, (nblocks + 1) * sizeof(*fen));
	if (!fen)
		return -1;
	r->fen = fen;
	owner = realloc(r->owner, cap * sizeof(*owner));
	if (!owner)
		return -1;
	r->owner = owner;
	r->cap = cap;
	r->nblocks = nblocks;
	return 0;
}

/* Sets the bitmap to ones at times 0..@j-1 and builds the block tree to match. */
static void rebuild(struct pa_reuse *r, size_t j)
{
	size_t full = j / 64;

	memset(r->words, 0xff, full * sizeof(*r->words));
	memset(r->words + full, 0, (r->cap / 64 - full) * sizeof(*r->words));
	if (j % 64)
		r->words[full] = (1ull << (j % 64)) - 1;
	r->fen[0] = 0;
	for (size_t i = 1; i <= r->nblocks; i++) {
		/* fen[i] sums blocks (i - lowbit(i), i], 1-based; block k holds times < j */
		size_t lo = (i - (i & -i)) << BLOCK_SHIFT, hi = i << BLOCK_SHIFT;

		if (hi > j)
			hi = j;
		r->fen[i] = hi > lo ? (uint32_t)(hi - lo) : 0;
	}
	r->now = j;
	r->pending = 0;
}

int pa_reuse_init(struct pa_reuse *r, size_t time_cap)
{
	memset(r, 0, sizeof(*r));
	if (alloc_axis(r, axis_for(time_cap))) {
		pa_reuse_free(r);
		return -1;
	}
	rebuild(r, 0);
	return 0;
}

void pa_reuse_free(struct pa_reuse *r)
{
	free(r->words);
	free(r->fen);
	free(r->owner);
	memset(r, 0, sizeof(*r));
}

/*
 * Renumbers the live last-access times 0..live-1 in time order, after growing the axis
 * so that it is at least 2 * live (so at least half of it is free afterwards: memory of
 * 16 bytes a page, and a renumbering every cap / 2 accesses or more).
 */
static int compact(struct pa_reuse *r)
{
	size_t cap = r->cap, j = 0, nwords = r->now / 64;

	if (r->live >= MAX_LIVE)
		return -1;
	while (cap < 2 * r->live)
		cap *= 2;
	if (cap != r->cap && alloc_axis(r, cap))
		return -1;
	/* a set bit at t is the live last-access time of owner[t]; j <= t throughout */
	for (size_t w = 0; w < nwords; w++) {
		uint64_t bits = r->words[w];

		while (bits) {
			size_t t = w * 64 + (size_t)__builtin_ctzll(bits);
			uint32_t *last = r->owner[t];

			bits &= bits - 1;
			r->owner[j] = last;
			*last = (uint32_t)(j + 1);
			j++;
		}
	}
	rebuild(r, j);
	r->compactions++;
	return 0;
}

/*
 * The core: r->now < r->cap. The block of now changes at every
 * access: its count is kept in r->pending and added to the tree when now leaves it,
 * which is sound because the tree is never asked about that block meanwhile (nothing
 * lies after it).
 */
static inline __attribute__((always_inline)) uint64_t access_one(struct pa_reuse *r,
								  uint32_t *last)
{
	uint32_t *fen = r->fen;
	uint64_t *words = r->words;
	size_t nb = r->nblocks, now = r->now, nowb = now >> BLOCK_SHIFT, p = *last;
	uint64_t d = PA_REUSE_COLD;

	if ((now & ((1u << BLOCK_SHIFT) - 1)) == 0 && now && r->pending) {
		/* now enters a new block: the previous one goes into the tree */
		uint32_t add = (uint32_t)r->pending;

		for (size_t i = nowb; i <= nb; i += i & -i)
			fen[i] += add;
		r->pending = 0;
	}
	if (p) {
		size_t t = p - 1, w = t >> 6, b = t >> BLOCK_SHIFT;
		size_t wend = (b + 1) * WORDS_PER_BLOCK;
		uint64_t above = (uint64_t)__builtin_popcountll(words[w] & (~1ull << (t & 63)));

		for (size_t k = w + 1; k < wend; k++)
			above += (uint64_t)__builtin_popcountll(words[k]);
		words[w] &= ~(1ull << (t & 63));
		if (b == nowb) {
			d = above;
			r->pending--;
		} else {
			/* set bits in blocks after b: all of them but those in blocks 0..b */
			uint64_t upto = 0;

			for (size_t i = b + 1; i; i &= i - 1)
				upto += fen[i];
			d = above + (r->live - upto);
			for (size_t i = b + 1; i <= nb; i += i & -i)
				fen[i]--;
		}
	} else {
		r->live++;
	}
	r->pending++;
	words[now >> 6] |= 1ull << (now & 63);
	r->owner[now] = last;
	*last = (uint32_t)(now + 1);
	r->now = now + 1;
	return d;
}

void pa_reuse_moved(void *r, uint32_t *cell)
{
	struct pa_reuse *re = r;

	/* a cell holds its page's last-access time + 1, 0 before the first access */
	if (*cell)
		re->owner[*cell - 1] = cell;
}

uint64_t pa_reuse_access(struct pa_reuse *r, uint32_t *last, int *err)
{
	if (r->now == r->cap && compact(r)) {
		*err = -1;
		return PA_REUSE_COLD;
	}
	return access_one(r, last);
}

#define AHEAD 8

/*
 * Built twice, chosen when the program loads: with the POPCNT instruction where the
 * CPU has it (every x86-64 since about 2008; counting set bits is most of an access),
 * and for the x86-64 baseline, where the compiler counts bits without it. Not with
 * clang (`make fuzz`): clang 14 names the resolver pa_reuse_access_batch.ifunc, and
 * callers in other files do not link.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("popcnt", "default")))
#endif
int pa_reuse_access_batch(struct pa_reuse *r, uint32_t *const *last, size_t n, uint64_t *dist)
{
	for (size_t i = 0; i < n; i++) {
		if (i + AHEAD < n) {
			uint32_t p = *last[i + AHEAD];

			if (p)
				__builtin_prefetch(&r->words[(p - 1) >> 6], 1);
		}
		if (r->now == r->cap && compact(r))
			return -1;
		dist[i] = access_one(r, last[i]);
	}
	return 0;
}

uint64_t pa_reuse_misses(const struct pa_reuse_hist *h, uint64_t c)
{
	uint64_t m = h->cold;
	unsigned int b;

	if (c == 0)
		return h->accesses;
	if (c > h->max)
		return m;
	b = pa_reuse_bucket(c);
	for (unsigned int k = b + 1; k < PA_REUSE_NBUCKETS; k++)
		m += h->bucket[k];
	if (c == pa_reuse_bucket_min(b)) {
		m += h->bucket[b];
	} else {
		/* the part of bucket b = [lo, hi] at or above c, spread evenly */
		uint64_t lo = pa_reuse_bucket_min(b), hi = pa_reuse_bucket_max(b);
		long double frac = (long double)(hi - c + 1) / ((long double)(hi - lo) + 1);

		m += (uint64_t)(frac * (long double)h->bucket[b] + 0.5L);
	}
	return m;
}

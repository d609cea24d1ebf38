// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <sys/mman.h>

#include "pagetab.h"
#include "pat/grow.h"

#define BLOCK_BYTES ((size_t)2 << 20)
#define BLOCK_LEAVES (BLOCK_BYTES / (PA_PAGETAB_LEAF * sizeof(uint32_t)))
#define ROUND 256	/* pa_pageids_map: slots first, then the ids */
#define CACHE_MIN 256	/* leaf cache entries */

/*
 * A block of leaves straight from mmap: zero without a memset (the kernel hands out
 * zero pages as they are first touched), 2 MiB aligned and advised to use a huge page,
 * since leaves are probed at random. NULL when out of memory.
 */
static uint32_t *block_alloc(void)
{
	char *p = mmap(NULL, 2 * BLOCK_BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t head;

	if (p == MAP_FAILED)
		return NULL;
	head = (BLOCK_BYTES - ((uintptr_t)p & (BLOCK_BYTES - 1))) & (BLOCK_BYTES - 1);
	if (head)
		munmap(p, head);
	munmap(p + head + BLOCK_BYTES, BLOCK_BYTES - head);
	p += head;
#ifdef MADV_HUGEPAGE
	madvise(p, BLOCK_BYTES, MADV_HUGEPAGE);
#endif
	return (uint32_t *)(void *)p;
}

static void cache_clear(struct pa_leafref *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		c[i].hi = UINT64_MAX;
}

int pa_pagetab_init(struct pa_pagetab *t)
{
	t->blocks = NULL;
	t->nblocks = 0;
	t->blocks_cap = 0;
	t->last_leaf = NULL;
	t->cache_mask = CACHE_MIN - 1;
	t->cache = malloc(CACHE_MIN * sizeof(*t->cache));
	if (!t->cache)
		return -1;
	cache_clear(t->cache, CACHE_MIN);
	if (pa_pairmap_init(&t->dir, 256)) {
		free(t->cache);
		t->cache = NULL;
		return -1;
	}
	return 0;
}

void pa_pagetab_free(struct pa_pagetab *t)
{
	for (size_t i = 0; i < t->nblocks; i++)
		munmap(t->blocks[i], BLOCK_BYTES);
	free(t->blocks);
	t->blocks = NULL;
	t->nblocks = 0;
	t->blocks_cap = 0;
	t->last_leaf = NULL;
	free(t->cache);
	t->cache = NULL;
	pa_pairmap_free(&t->dir);
}

/*
 * The cache entry of (@group, @hi): consecutive hi of a group in consecutive entries,
 * so that the leaves of one region of addresses do not collide while they fit.
 */
static inline struct pa_leafref *cache_of(const struct pa_pagetab *t, uint32_t group,
					  uint64_t hi)
{
	return &t->cache[(hi ^ (uint64_t)group * 0x9e3779b97f4a7c15ull) & t->cache_mask];
}

/* The leaf of directory index @idx. */
static inline uint32_t *leaf_at(const struct pa_pagetab *t, uint32_t idx)
{
	return t->blocks[idx / BLOCK_LEAVES] + (idx % BLOCK_LEAVES) * PA_PAGETAB_LEAF;
}

size_t pa_pagetab_leaves(const struct pa_pagetab *t)
{
	size_t made = t->nblocks * BLOCK_LEAVES;

	/* a leaf whose block could not be made is in the directory only */
	return t->dir.count < made ? t->dir.count : made;
}

const uint32_t *pa_pagetab_leaf(const struct pa_pagetab *t, size_t i)
{
	return leaf_at(t, (uint32_t)i);
}

/*
 * The leaf of (@group, @hi) from the directory, made if new, and put in the cache. NULL
 * when out of memory.
 */
static uint32_t *leaf_of(struct pa_pagetab *t, uint32_t group, uint64_t hi)
{
	struct pa_leafref *c;
	uint32_t idx;
	int added = pa_pairmap_get(&t->dir, group, hi, &idx);
	size_t b = idx / BLOCK_LEAVES;

	if (added < 0)
		return NULL;
	if (b == t->nblocks) {
		uint32_t *block, **blocks = pa_grow(t->blocks, &t->blocks_cap, t->nblocks,
						    sizeof(*t->blocks), 16);

		if (!blocks)
			return NULL;
		t->blocks = blocks;
		block = block_alloc();
		if (!block)
			return NULL;
		t->blocks[t->nblocks++] = block;
	}
	/* a leaf whose block could not be made stays in the directory without one: every
	 * later lookup of it fails the same way */
	if (b >= t->nblocks)
		return NULL;
	if (t->dir.count > t->cache_mask + 1) {
		/* an entry per leaf; when this fails the smaller cache still serves */
		size_t n = 2 * (t->cache_mask + 1);
		struct pa_leafref *cache = realloc(t->cache, n * sizeof(*cache));

		if (cache) {
			cache_clear(cache, n);
			t->cache = cache;
			t->cache_mask = n - 1;
		}
	}
	c = cache_of(t, group, hi);
	c->hi = hi;
	c->group = group;
	c->leaf = leaf_at(t, idx);
	return c->leaf;
}

/*
 * Three steps to a page's leaf: the leaf of the previous page (runs), the cache entry
 * of the page, then the directory. The cache has an entry per leaf at least, so pages
 * spread over one region of addresses (uniform random ones) always find their leaf
 * there: one load, where the directory costs a hash, a probe loop whose branches
 * mispredict, and an index to turn into a leaf (on 10^7 random accesses to 10^6 pages,
 * 24 ns per event of wss against 12). Pages that miss it pay one load more.
 */
int pa_pagetab_slots(struct pa_pagetab *t, const uint32_t *group, const uint64_t *addr,
		     unsigned int shift, size_t n, uint32_t **slot)
{
	uint32_t *leaf = t->last_leaf;
	uint64_t last_hi = t->last_hi;
	uint32_t last_group = t->last_group;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t page = addr[i] >> shift;
		uint64_t hi = page >> PA_PAGETAB_LEAF_SHIFT;
		uint32_t g = group[i];

		if (hi != last_hi || g != last_group || !leaf) {
			const struct pa_leafref *c = cache_of(t, g, hi);

			if (c->hi == hi && c->group == g)
				leaf = c->leaf;
			else
				leaf = leaf_of(t, g, hi);
			if (!leaf) {
				rc = -1;
				break;
			}
			last_hi = hi;
			last_group = g;
		}
		slot[i] = leaf + (page & (PA_PAGETAB_LEAF - 1));
		__builtin_prefetch(slot[i], 1);
	}
	t->last_leaf = leaf;
	t->last_hi = last_hi;
	t->last_group = last_group;
	return rc;
}

int pa_pageids_map(struct pa_pageids *m, const uint32_t *group, const uint64_t *addr,
		   unsigned int shift, size_t n, uint32_t *ids)
{
	uint32_t *slot[ROUND];

	for (size_t i0 = 0; i0 < n; i0 += ROUND) {
		size_t r = n - i0 < ROUND ? n - i0 : ROUND;

		if (pa_pagetab_slots(&m->t, group + i0, addr + i0, shift, r, slot))
			return -1;
		/* new pages get ids in order of first sight */
		for (size_t j = 0; j < r; j++) {
			uint32_t v = *slot[j];

			if (!v) {
				if (m->count >= PA_PAGEIDS_MAX)
					return -1;
				v = ++m->count;
				*slot[j] = v;
			}
			ids[i0 + j] = v - 1;
		}
	}
	return 0;
}

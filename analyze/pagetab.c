// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "pagetab.h"
#include "pat/grow.h"

#define BLOCK_BYTES ((size_t)2 << 20)
#define ROUND 256	/* pa_pageids_map: slots first, then the ids */
#define CACHE_MIN 256	/* leaf cache entries */
#define LOOSE_KEY 3	/* words of a loose entry's key: page low, page high, group */
#define LOOSE_BLOCK_SHIFT 16	/* entries in a block of loose entries */
#define LOOSE_MIN 1024	/* index slots and counters to start with */
#define DEAD UINT32_MAX	/* every key word of a dead loose entry */
#define NONE UINT32_MAX	/* no loose entry */

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

/* Cells of a leaf, and leaves in a block of 2 MiB. */
static inline size_t leaf_cells(const struct pa_pagetab *t)
{
	return (size_t)PA_PAGETAB_LEAF << t->cell_shift;
}

static inline size_t block_leaves(const struct pa_pagetab *t)
{
	return BLOCK_BYTES / sizeof(uint32_t) / leaf_cells(t);
}

/* Words of a loose entry: its key, then its cells. */
static inline size_t loose_words(const struct pa_pagetab *t)
{
	return LOOSE_KEY + ((size_t)1 << t->cell_shift);
}

int pa_pagetab_init(struct pa_pagetab *t, unsigned int cell_shift)
{
	memset(t, 0, sizeof(*t));
	t->cell_shift = cell_shift;
	t->cache_mask = CACHE_MIN - 1;
	t->cache = malloc(CACHE_MIN * sizeof(*t->cache));
	if (!t->cache)
		return -1;
	cache_clear(t->cache, CACHE_MIN);
	if (pa_hashmap_init(&t->dir, 256)) {
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
	for (size_t i = 0; i < t->loose.nblocks; i++)
		free(t->loose.blocks[i]);
	free(t->loose.blocks);
	free(t->loose.index);
	free(t->loose.counts);
	free(t->loose.pending);
	free(t->cache);
	pa_hashmap_free(&t->dir);
	memset(t, 0, sizeof(*t));
}

void pa_pagetab_on_move(struct pa_pagetab *t, void (*fn)(void *ctx, uint32_t *cells),
			void *ctx)
{
	t->moved = fn;
	t->moved_ctx = ctx;
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
	size_t per = block_leaves(t);

	return t->blocks[idx / per] + (idx % per) * leaf_cells(t);
}

/* The leaf count: a leaf whose block could not be made is in the directory only. */
static size_t leaves(const struct pa_pagetab *t)
{
	size_t made = t->nblocks * block_leaves(t);

	return t->dir.count < made ? t->dir.count : made;
}

static void cache_put(struct pa_pagetab *t, uint32_t group, uint64_t hi, uint32_t *leaf)
{
	struct pa_leafref *c = cache_of(t, group, hi);

	c->hi = hi;
	c->group = group;
	c->leaf = leaf;
}

/* The leaf of (@group, @hi) if it has one, put in the cache; else NULL. */
static uint32_t *leaf_find(struct pa_pagetab *t, uint32_t group, uint64_t hi)
{
	uint32_t idx;

	if (!pa_hashmap_find(&t->dir, group, hi, &idx) || idx >= leaves(t))
		return NULL;
	cache_put(t, group, hi, leaf_at(t, idx));
	return leaf_at(t, idx);
}

/*
 * The leaf of (@group, @hi) from the directory, made if new, and put in the cache. NULL
 * when out of memory.
 */
static uint32_t *leaf_of(struct pa_pagetab *t, uint32_t group, uint64_t hi)
{
	uint32_t idx;
	int added = pa_hashmap_get(&t->dir, group, hi, &idx);
	size_t b = idx / block_leaves(t);

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
	cache_put(t, group, hi, leaf_at(t, idx));
	return leaf_at(t, idx);
}

/* Loose entry @e (a number below loose.used). */
static inline uint32_t *loose_entry(const struct pa_pagetab *t, uint32_t e)
{
	return t->loose.blocks[e >> LOOSE_BLOCK_SHIFT] +
	       (e & ((1u << LOOSE_BLOCK_SHIFT) - 1)) * loose_words(t);
}

static inline int loose_is(const uint32_t *k, uint32_t group, uint64_t page)
{
	return k[0] == (uint32_t)page && k[1] == (uint32_t)(page >> 32) && k[2] == group;
}

static inline int loose_dead(const uint32_t *k)
{
	return k[0] == DEAD && k[1] == DEAD && k[2] == DEAD;
}

static inline uint64_t loose_page(const uint32_t *k)
{
	return (uint64_t)k[1] << 32 | k[0];
}

/*
 * An array of @n bytes, zeroed by writing: fresh memory that is first read and then
 * written faults twice, the second time with a TLB flush on every CPU running one of
 * our threads.
 */
static void *zalloc(size_t n)
{
	void *p = pa_big_alloc(n);

	if (p)
		memset(p, 0, n);
	return p;
}

/* The counter of the region of page (@group, @page). */
static inline uint8_t *region_count(const struct pa_loose *l, uint32_t group, uint64_t page)
{
	return &l->counts[pa_hashmap_hash(group, page >> PA_PAGETAB_LEAF_SHIFT) & l->counts_mask];
}

/*
 * A new index and new counters for @live loose pages, holding every live entry: the
 * index at most a third full, so that at least a sixth of it fills before it is half
 * full and rebuilt again, and a counter for every two of its slots. Returns 0 or -1
 * when out of memory (the old ones stay).
 */
static int loose_rebuild(struct pa_pagetab *t, size_t live)
{
	struct pa_loose *l = &t->loose;
	size_t slots = LOOSE_MIN, h;
	uint32_t *index;
	uint8_t *counts;

	while (slots < 3 * live)
		slots <<= 1;
	index = zalloc(slots * sizeof(*index));
	counts = zalloc(slots / 2);
	if (!index || !counts) {
		free(index);
		free(counts);
		return -1;
	}
	free(l->index);
	free(l->counts);
	l->index = index;
	l->counts = counts;
	l->mask = slots - 1;
	l->counts_mask = slots / 2 - 1;
	l->taken = 0;
	for (size_t e = 0; e < l->used; e++) {
		const uint32_t *k = loose_entry(t, (uint32_t)e);

		if (loose_dead(k))
			continue;
		for (h = pa_hashmap_hash(k[2], loose_page(k)) & l->mask; index[h]; h = (h + 1) & l->mask)
			;
		index[h] = (uint32_t)e + 1;
		l->taken++;
		(*region_count(l, k[2], loose_page(k)))++;
	}
	return 0;
}

/* A free loose entry's number, its key unset; NONE when out of memory. */
static uint32_t loose_new(struct pa_pagetab *t)
{
	struct pa_loose *l = &t->loose;
	uint32_t e;

	if (l->free_head) {
		e = l->free_head - 1;
		l->free_head = loose_entry(t, e)[LOOSE_KEY];
		return e;
	}
	if (l->used >= NONE - 1)
		return NONE;
	if ((l->used >> LOOSE_BLOCK_SHIFT) == l->nblocks) {
		uint32_t **blocks = pa_grow(l->blocks, &l->blocks_cap, l->nblocks,
					    sizeof(*l->blocks), 16);
		uint32_t *block;

		if (!blocks)
			return NONE;
		l->blocks = blocks;
		block = malloc((sizeof(uint32_t) << LOOSE_BLOCK_SHIFT) * loose_words(t));
		if (!block)
			return NONE;
		l->blocks[l->nblocks++] = block;
	}
	return (uint32_t)l->used++;
}

/*
 * A new loose page of the region of (@group, @page): counted, and the region made
 * pending when the counter reaches the mark, and every 8 pages after while it stays
 * there (a counter shared with other regions may pass the mark before this region's
 * own pages do). Returns 0 or -1 when out of memory.
 */
static int region_add(struct pa_pagetab *t, uint32_t group, uint64_t page)
{
	struct pa_loose *l = &t->loose;
	uint8_t *c = region_count(l, group, page);
	unsigned int mark = PA_PAGETAB_DENSE << t->cell_shift;
	struct pa_region *p;

	if (*c == UINT8_MAX || ++*c < mark || (*c - mark) % 8)
		return 0;
	p = pa_grow(l->pending, &l->pending_cap, l->npending, sizeof(*p), 16);
	if (!p)
		return -1;
	l->pending = p;
	p[l->npending++] = (struct pa_region){ page >> PA_PAGETAB_LEAF_SHIFT, group };
	return 0;
}

/* The number of the loose entry of (@group, @page), NONE if it has none. */
static uint32_t loose_find(const struct pa_pagetab *t, uint32_t group, uint64_t page)
{
	const struct pa_loose *l = &t->loose;

	if (!l->index)
		return NONE;
	for (size_t h = pa_hashmap_hash(group, page) & l->mask; l->index[h]; h = (h + 1) & l->mask)
		if (loose_is(loose_entry(t, l->index[h] - 1), group, page))
			return l->index[h] - 1;
	return NONE;
}

/*
 * The cells of loose page (@group, @page), a new entry of zero cells if it has none.
 * NULL when out of memory. The key of all ones marks dead entries: that one page gets
 * a leaf instead.
 */
static uint32_t *loose_get(struct pa_pagetab *t, uint32_t group, uint64_t page)
{
	struct pa_loose *l = &t->loose;
	size_t h;
	uint32_t e, *k;

	if (page == UINT64_MAX && group == DEAD) {
		uint32_t *leaf = leaf_of(t, group, page >> PA_PAGETAB_LEAF_SHIFT);

		return leaf ? leaf + ((page & (PA_PAGETAB_LEAF - 1)) << t->cell_shift) : NULL;
	}
	e = loose_find(t, group, page);
	if (e != NONE)
		return loose_entry(t, e) + LOOSE_KEY;
	if ((!l->index || 2 * (l->taken + 1) > l->mask + 1) && loose_rebuild(t, l->live + 1))
		return NULL;
	e = loose_new(t);
	if (e == NONE || region_add(t, group, page))
		return NULL;
	k = loose_entry(t, e);
	k[0] = (uint32_t)page;
	k[1] = (uint32_t)(page >> 32);
	k[2] = group;
	memset(k + LOOSE_KEY, 0, sizeof(uint32_t) << t->cell_shift);
	for (h = pa_hashmap_hash(group, page) & l->mask; l->index[h]; h = (h + 1) & l->mask)
		;
	l->index[h] = e + 1;
	l->taken++;
	l->live++;
	return k + LOOSE_KEY;
}

/*
 * Moves the loose pages of every pending region that holds PA_PAGETAB_DENSE <<
 * cell_shift of them or more (its counter may have counted other regions too) to a leaf
 * of its own, telling t->moved of each. Returns 0 or -1 when out of memory (the pages
 * not moved yet stay loose).
 */
static int loose_settle(struct pa_pagetab *t)
{
	struct pa_loose *l = &t->loose;
	size_t cells = (size_t)1 << t->cell_shift;
	size_t dense = (size_t)PA_PAGETAB_DENSE << t->cell_shift;

	while (l->npending) {
		struct pa_region r = l->pending[--l->npending];
		uint64_t first = r.hi << PA_PAGETAB_LEAF_SHIFT;
		uint32_t e[PA_PAGETAB_LEAF], *leaf;
		uint8_t *c;
		size_t n = 0;

		for (unsigned int i = 0; i < PA_PAGETAB_LEAF; i++) {
			e[i] = loose_find(t, r.group, first + i);
			n += e[i] != NONE;
		}
		if (n < dense)
			continue;
		leaf = leaf_of(t, r.group, r.hi);
		if (!leaf)
			return -1;
		/* what is left on the counter is other regions' */
		c = region_count(l, r.group, first);
		*c = *c > n ? (uint8_t)(*c - n) : 0;
		for (unsigned int i = 0; i < PA_PAGETAB_LEAF; i++) {
			uint32_t *to = leaf + ((size_t)i << t->cell_shift), *k;

			if (e[i] == NONE)
				continue;
			k = loose_entry(t, e[i]);
			memcpy(to, k + LOOSE_KEY, cells * sizeof(*to));
			if (t->moved)
				t->moved(t->moved_ctx, to);
			k[0] = k[1] = k[2] = DEAD;
			k[LOOSE_KEY] = l->free_head;
			l->free_head = e[i] + 1;
		}
		l->live -= n;
	}
	return 0;
}

/*
 * Three steps to a page's leaf: the leaf of the previous page (runs), the cache entry
 * of the page, then the directory. The cache has an entry per leaf at least, so pages
 * spread over one region of addresses (uniform random ones) always find their leaf
 * there: one load, where the directory costs a hash, a probe loop whose branches
 * mispredict, and an index to turn into a leaf (on 10^7 random accesses to 10^6 pages,
 * 24 ns per event of wss against 12). Pages that miss it pay one load more. The first
 * PA_PAGETAB_EAGER regions get a leaf at once; the pages of later regions without one
 * are looked up among the loose ones.
 */
int pa_pagetab_slots(struct pa_pagetab *t, const uint32_t *group, const uint64_t *addr,
		     unsigned int shift, size_t n, uint32_t **slot)
{
	uint32_t *leaf = t->last_leaf;
	uint64_t last_hi = t->last_hi;
	uint32_t last_group = t->last_group;
	unsigned int cs = t->cell_shift;
	int rc = 0;

	if (t->loose.npending && loose_settle(t))
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint64_t page = addr[i] >> shift;
		uint64_t hi = page >> PA_PAGETAB_LEAF_SHIFT;
		uint32_t g = group[i];

		if (hi != last_hi || g != last_group || !leaf) {
			const struct pa_leafref *c = cache_of(t, g, hi);

			if (c->hi == hi && c->group == g)
				leaf = c->leaf;
			else if (t->dir.count < PA_PAGETAB_EAGER)
				leaf = leaf_of(t, g, hi);
			else
				leaf = leaf_find(t, g, hi);
			if (!leaf && t->dir.count >= PA_PAGETAB_EAGER) {
				slot[i] = loose_get(t, g, page);
				if (!slot[i]) {
					rc = -1;
					break;
				}
				__builtin_prefetch(slot[i], 1);
				continue;
			}
			if (!leaf) {
				rc = -1;
				break;
			}
			last_hi = hi;
			last_group = g;
		}
		slot[i] = leaf + ((page & (PA_PAGETAB_LEAF - 1)) << cs);
		__builtin_prefetch(slot[i], 1);
	}
	t->last_leaf = leaf;
	t->last_hi = last_hi;
	t->last_group = last_group;
	return rc;
}

void pa_pagetab_each(const struct pa_pagetab *t,
		     void (*fn)(void *ctx, const uint32_t *cells, size_t pages), void *ctx)
{
	for (size_t i = 0; i < leaves(t); i++)
		fn(ctx, leaf_at(t, (uint32_t)i), PA_PAGETAB_LEAF);
	for (size_t e = 0; e < t->loose.used; e++) {
		const uint32_t *k = loose_entry(t, (uint32_t)e);

		if (!loose_dead(k))
			fn(ctx, k + LOOSE_KEY, 1);
	}
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

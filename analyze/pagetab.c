// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <sys/mman.h>

#include "pagetab.h"
#include "pat/grow.h"

#define BLOCK_BYTES ((size_t)2 << 20)
#define BLOCK_LEAVES (BLOCK_BYTES / (PA_PAGETAB_LEAF * sizeof(uint32_t)))
#define ROUND 256	/* pa_pageids_map: slots first, then the ids */

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

int pa_pagetab_init(struct pa_pagetab *t)
{
	t->blocks = NULL;
	t->nblocks = 0;
	t->blocks_cap = 0;
	t->last_leaf = NULL;
	return pa_pairmap_init(&t->dir, 256);
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
	pa_pairmap_free(&t->dir);
}

/* The leaf of (@group, @hi), made if new. NULL when out of memory. */
static uint32_t *leaf_of(struct pa_pagetab *t, uint32_t group, uint64_t hi)
{
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
	return t->blocks[b] + (idx % BLOCK_LEAVES) * PA_PAGETAB_LEAF;
}

int pa_pagetab_slots(struct pa_pagetab *t, const uint32_t *group, const uint64_t *addr,
		     unsigned int shift, size_t n, uint32_t **slot)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t page = addr[i] >> shift;
		uint64_t hi = page >> PA_PAGETAB_LEAF_SHIFT;

		if (hi != t->last_hi || group[i] != t->last_group || !t->last_leaf) {
			t->last_leaf = leaf_of(t, group[i], hi);
			if (!t->last_leaf)
				return -1;
			t->last_hi = hi;
			t->last_group = group[i];
		}
		slot[i] = t->last_leaf + (page & (PA_PAGETAB_LEAF - 1));
		__builtin_prefetch(slot[i], 1);
	}
	return 0;
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

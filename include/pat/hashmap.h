/* SPDX-License-Identifier: MIT */
#ifndef PAT_HASHMAP_H
#define PAT_HASHMAP_H

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

/*
 * pat's one hash map: from a key (group, value) to a 32-bit number. group is a 32-bit
 * id that keeps apart what would otherwise be equal values (a page is (tgid, address
 * >> shift), docs/design.md §6; a group may also be a tid or a mapping index); maps of
 * plain numbers (tids, tgids) use group 0. Two ways to fill it:
 *
 *   pa_hashmap_get   numbers the keys 0, 1, 2, ... in order of first sight (dense ids,
 *                indices into an array the caller keeps beside the map);
 *   pa_hashmap_put   stores a number of the caller's choosing (a state, an index kept
 *                elsewhere), anything but PA_HASHMAP_EMPTY.
 *
 * One open-addressing table of 16-byte slots (value, group, number), so a lookup costs
 * one cache miss; linear probing; grows at 50% load; nothing is allocated per insert.
 * Memory is proportional to the distinct keys. The slots may be walked in place (the
 * free ones hold PA_HASHMAP_EMPTY); the order is the table's, and pointers into it are
 * valid until the next insert.
 */
struct pa_hashmap_slot {
	uint64_t value;
	uint32_t group;
	uint32_t num;		/* PA_HASHMAP_EMPTY: a free slot */
};

#define PA_HASHMAP_EMPTY UINT32_MAX

struct pa_hashmap {
	struct pa_hashmap_slot *slots;
	size_t mask;		/* capacity - 1, capacity a power of two */
	uint32_t count;		/* distinct keys = the next dense id */
};

/* pa_hashmap_hash - the slot hash of (@group, @value), also used by analyze/pagetab.c. */
static inline size_t pa_hashmap_hash(uint32_t group, uint64_t value)
{
	uint64_t k = value ^ ((uint64_t)group * 0x9e3779b97f4a7c15ull);

	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return (size_t)k;
}

/*
 * pa_big_alloc - @size bytes for a large table probed at random: 2 MiB aligned and
 * advised to use transparent huge pages, so that the probes do not also miss the TLB.
 * Released with free().
 */
static inline void *pa_big_alloc(size_t size)
{
	const size_t huge = (size_t)2 << 20;
	void *p;

	if (size < huge)
		return malloc(size);
	size = (size + huge - 1) & ~(huge - 1);
	p = aligned_alloc(huge, size);
#ifdef MADV_HUGEPAGE
	if (p)
		madvise(p, size, MADV_HUGEPAGE);
#endif
	return p;
}

/* An empty table of at least @cap slots (16 or more, a power of two): 0 or -1. */
static inline int pa_hashmap_alloc(struct pa_hashmap *m, size_t cap)
{
	size_t c = 16;

	while (c < cap)
		c <<= 1;
	m->slots = pa_big_alloc(c * sizeof(*m->slots));
	if (!m->slots)
		return -1;
	for (size_t i = 0; i < c; i++)
		m->slots[i].num = PA_HASHMAP_EMPTY;
	m->mask = c - 1;
	return 0;
}

/*
 * pa_hashmap_init - an empty map with room for about @expect keys before it grows.
 * Returns 0, or -1 when out of memory. Free it with pa_hashmap_free.
 */
static inline int pa_hashmap_init(struct pa_hashmap *m, size_t expect)
{
	m->count = 0;
	return pa_hashmap_alloc(m, 2 * expect);
}

/* pa_hashmap_free - release what @m holds; @m is then empty and may be freed again. */
static inline void pa_hashmap_free(struct pa_hashmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->mask = 0;
	m->count = 0;
}

/* The slot of (@group, @value) in @m, or the free slot where it would go. */
static inline __attribute__((always_inline)) struct pa_hashmap_slot *
pa_hashmap_slot(const struct pa_hashmap *m, uint32_t group, uint64_t value)
{
	size_t h = pa_hashmap_hash(group, value) & m->mask;

	for (;; h = (h + 1) & m->mask) {
		struct pa_hashmap_slot *s = &m->slots[h];

		if (s->num == PA_HASHMAP_EMPTY || (s->value == value && s->group == group))
			return s;
	}
}

static inline int pa_hashmap_grow(struct pa_hashmap *m)
{
	struct pa_hashmap n;

	if (pa_hashmap_alloc(&n, (m->mask + 1) * 2))
		return -1;
	for (size_t i = 0; i <= m->mask; i++) {
		const struct pa_hashmap_slot *s = &m->slots[i];

		if (s->num != PA_HASHMAP_EMPTY)
			*pa_hashmap_slot(&n, s->group, s->value) = *s;
	}
	free(m->slots);
	m->slots = n.slots;
	m->mask = n.mask;
	return 0;
}

/*
 * pa_hashmap_find - the number of (@group, @value) in *@num if the map holds it. Returns 1
 * if it does, else 0.
 */
static inline int pa_hashmap_find(const struct pa_hashmap *m, uint32_t group, uint64_t value,
			      uint32_t *num)
{
	const struct pa_hashmap_slot *s = pa_hashmap_slot(m, group, value);

	if (s->num == PA_HASHMAP_EMPTY)
		return 0;
	*num = s->num;
	return 1;
}

/*
 * pa_hashmap_put - point *@num at the number of (@group, @value), inserting the key with
 * number @init (not PA_HASHMAP_EMPTY) if it is new. The pointer is valid until the next
 * insert. Returns 1 if inserted, 0 if present, -1 (*@num NULL) when out of memory (or
 * past 2^32-2 keys).
 */
static inline __attribute__((always_inline)) int
pa_hashmap_put(struct pa_hashmap *m, uint32_t group, uint64_t value, uint32_t init, uint32_t **num)
{
	struct pa_hashmap_slot *s = pa_hashmap_slot(m, group, value);

	if (s->num != PA_HASHMAP_EMPTY) {
		*num = &s->num;
		return 0;
	}
	*num = NULL;
	if (m->count >= PA_HASHMAP_EMPTY - 1)
		return -1;
	if (2 * ((size_t)m->count + 1) > m->mask + 1) {
		if (pa_hashmap_grow(m))
			return -1;
		s = pa_hashmap_slot(m, group, value);
	}
	s->value = value;
	s->group = group;
	s->num = init;
	m->count++;
	*num = &s->num;
	return 1;
}

/*
 * pa_hashmap_get - the dense id of (@group, @value) in *@id, giving it the next id
 * (m->count) if new. Returns 1 if new, 0 if seen before, -1 when out of memory.
 */
static inline int pa_hashmap_get(struct pa_hashmap *m, uint32_t group, uint64_t value, uint32_t *id)
{
	const struct pa_hashmap_slot *s = pa_hashmap_slot(m, group, value);
	uint32_t *num;
	int added;

	if (s->num != PA_HASHMAP_EMPTY) {	/* the common case first, without a store */
		*id = s->num;
		return 0;
	}
	added = pa_hashmap_put(m, group, value, m->count, &num);
	if (added >= 0)
		*id = *num;
	return added;
}

#endif

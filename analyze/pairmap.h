/* SPDX-License-Identifier: MIT */
#ifndef PAT_ANALYZE_PAIRMAP_H
#define PAT_ANALYZE_PAIRMAP_H

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

/*
 * A map from (group, value) pairs to dense ids 0, 1, 2, ... in order of first sight:
 * the "which page is this" step of the analyses, where a page is (tgid, address >>
 * shift) (docs/design.md §6) and group may also be a tid or a mapping index. One open-
 * addressing table of 16-byte slots (value, group, id), so a lookup costs one cache
 * miss; linear probing; grows at 50% load; nothing is allocated per insert. Memory is
 * proportional to the distinct pairs.
 */
struct pa_pair_slot {
	uint64_t value;
	uint32_t group;
	uint32_t id;		/* PA_PAIR_EMPTY: a free slot */
};

#define PA_PAIR_EMPTY UINT32_MAX

struct pa_pairmap {
	struct pa_pair_slot *slots;
	size_t mask;		/* capacity - 1, capacity a power of two */
	uint32_t count;		/* distinct pairs = the next id */
};

static inline size_t pa_pair_hash(uint32_t group, uint64_t value)
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

static inline int pa_pairmap_alloc(struct pa_pairmap *m, size_t cap)
{
	size_t c = 16;

	while (c < cap)
		c <<= 1;
	m->slots = pa_big_alloc(c * sizeof(*m->slots));
	if (!m->slots)
		return -1;
	for (size_t i = 0; i < c; i++)
		m->slots[i].id = PA_PAIR_EMPTY;
	m->mask = c - 1;
	return 0;
}

/*
 * pa_pairmap_init - an empty map with room for about @expect pairs before it grows.
 * Returns 0, or -1 when out of memory.
 */
static inline int pa_pairmap_init(struct pa_pairmap *m, size_t expect)
{
	m->count = 0;
	return pa_pairmap_alloc(m, 2 * expect);
}

static inline void pa_pairmap_free(struct pa_pairmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->mask = 0;
	m->count = 0;
}

static inline int pa_pairmap_grow(struct pa_pairmap *m)
{
	struct pa_pairmap n;

	if (pa_pairmap_alloc(&n, (m->mask + 1) * 2))
		return -1;
	for (size_t i = 0; i <= m->mask; i++) {
		const struct pa_pair_slot *s = &m->slots[i];
		size_t h;

		if (s->id == PA_PAIR_EMPTY)
			continue;
		h = pa_pair_hash(s->group, s->value) & n.mask;
		while (n.slots[h].id != PA_PAIR_EMPTY)
			h = (h + 1) & n.mask;
		n.slots[h] = *s;
	}
	free(m->slots);
	m->slots = n.slots;
	m->mask = n.mask;
	return 0;
}

/*
 * pa_pairmap_find - the id of (@group, @value) in *@id if the map holds it. Returns 1
 * if it does, else 0.
 */
static inline int pa_pairmap_find(const struct pa_pairmap *m, uint32_t group, uint64_t value,
				  uint32_t *id)
{
	for (size_t h = pa_pair_hash(group, value) & m->mask;; h = (h + 1) & m->mask) {
		const struct pa_pair_slot *s = &m->slots[h];

		if (s->id == PA_PAIR_EMPTY)
			return 0;
		if (s->value == value && s->group == group) {
			*id = s->id;
			return 1;
		}
	}
}

/*
 * pa_pairmap_get - the id of (@group, @value) in *@id, giving it the next id if new.
 * Returns 1 if new, 0 if seen before, -1 when out of memory (or past 2^32-2 pairs).
 */
static inline int pa_pairmap_get(struct pa_pairmap *m, uint32_t group, uint64_t value,
				 uint32_t *id)
{
	size_t h = pa_pair_hash(group, value) & m->mask;

	for (;;) {
		struct pa_pair_slot *s = &m->slots[h];

		if (s->id == PA_PAIR_EMPTY)
			break;
		if (s->value == value && s->group == group) {
			*id = s->id;
			return 0;
		}
		h = (h + 1) & m->mask;
	}
	if (m->count >= PA_PAIR_EMPTY - 1)
		return -1;
	if (2 * ((size_t)m->count + 1) > m->mask + 1) {
		if (pa_pairmap_grow(m))
			return -1;
		h = pa_pair_hash(group, value) & m->mask;
		while (m->slots[h].id != PA_PAIR_EMPTY)
			h = (h + 1) & m->mask;
	}
	m->slots[h].value = value;
	m->slots[h].group = group;
	m->slots[h].id = m->count;
	*id = m->count++;
	return 1;
}

#endif

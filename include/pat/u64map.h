/* SPDX-License-Identifier: MIT */
#ifndef PAT_U64MAP_H
#define PAT_U64MAP_H

#include <stdint.h>
#include <stdlib.h>

/*
 * An open-addressing hash map from uint64_t keys (any value, 0 included) to uint32_t
 * values, for the hot loops that count distinct pages and ips: no allocation per
 * insert, linear probing, grows at 50% load. Values are typically indices into an array
 * the caller owns.
 */
struct pa_u64map {
	uint64_t *keys;
	uint32_t *vals;
	uint8_t *used;
	size_t mask;		/* capacity - 1, capacity a power of two */
	size_t count;
};

static inline size_t pa_u64_hash(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return (size_t)k;
}

static inline void pa_u64map_free(struct pa_u64map *m)
{
	free(m->keys);
	free(m->vals);
	free(m->used);
	m->keys = NULL;
	m->vals = NULL;
	m->used = NULL;
}

/* pa_u64map_init - an empty map. Returns 0, or -1 when out of memory. */
static inline int pa_u64map_init(struct pa_u64map *m, size_t cap)
{
	size_t c = 16;

	while (c < cap)
		c <<= 1;
	m->keys = malloc(c * sizeof(*m->keys));
	m->vals = malloc(c * sizeof(*m->vals));
	m->used = calloc(c, 1);
	m->mask = c - 1;
	m->count = 0;
	if (!m->keys || !m->vals || !m->used) {
		pa_u64map_free(m);
		return -1;
	}
	return 0;
}

/* pa_u64map_find - the slot of @k, or of the empty slot where it would go. */
static inline size_t pa_u64map_slot(const struct pa_u64map *m, uint64_t k)
{
	size_t h = pa_u64_hash(k) & m->mask;

	while (m->used[h] && m->keys[h] != k)
		h = (h + 1) & m->mask;
	return h;
}

static inline int pa_u64map_grow(struct pa_u64map *m)
{
	struct pa_u64map n;

	if (pa_u64map_init(&n, (m->mask + 1) * 2))
		return -1;
	for (size_t i = 0; i <= m->mask; i++) {
		if (m->used[i]) {
			size_t h = pa_u64map_slot(&n, m->keys[i]);

			n.used[h] = 1;
			n.keys[h] = m->keys[i];
			n.vals[h] = m->vals[i];
		}
	}
	n.count = m->count;
	pa_u64map_free(m);
	*m = n;
	return 0;
}

/*
 * pa_u64map_get - point *@val at the value of @k, inserting @k with value @init if it
 * is new. Returns 1 if inserted, 0 if present, -1 when out of memory.
 */
static inline int pa_u64map_get(struct pa_u64map *m, uint64_t k, uint32_t init, uint32_t **val)
{
	size_t h = pa_u64map_slot(m, k);

	if (m->used[h]) {
		*val = &m->vals[h];
		return 0;
	}
	if (2 * (m->count + 1) > m->mask + 1) {
		if (pa_u64map_grow(m))
			return -1;
		h = pa_u64map_slot(m, k);
	}
	m->used[h] = 1;
	m->keys[h] = k;
	m->vals[h] = init;
	m->count++;
	*val = &m->vals[h];
	return 1;
}

/* pa_u64map_lookup - the value of @k in *@val; returns 1 if found, else 0. */
static inline int pa_u64map_lookup(const struct pa_u64map *m, uint64_t k, uint32_t *val)
{
	size_t h = pa_u64map_slot(m, k);

	if (!m->used[h])
		return 0;
	*val = m->vals[h];
	return 1;
}

#endif

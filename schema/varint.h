/* SPDX-License-Identifier: MIT */
#ifndef PAT_SCHEMA_VARINT_H
#define PAT_SCHEMA_VARINT_H

#include <stddef.h>
#include <stdint.h>

/* LEB128 varints and zigzag mapping, as used inside chunk payloads (at most 10 bytes). */

static inline uint64_t pa_zigzag(uint64_t delta)
{
	return (delta << 1) ^ (0 - (delta >> 63));
}

static inline uint64_t pa_unzigzag(uint64_t z)
{
	return (z >> 1) ^ (0 - (z & 1));
}

/* Appends @v at @p, which must have room for 10 bytes; returns the new end. */
static inline uint8_t *pa_put_varint(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

/*
 * Reads a varint from [*@pp, @end) into *@v and advances *@pp. Returns 0, or -1 when
 * the input ends inside the varint or the varint is longer than 64 bits.
 */
static inline int pa_get_varint(const uint8_t **pp, const uint8_t *end, uint64_t *v)
{
	const uint8_t *p = *pp;
	uint64_t x = 0;
	unsigned int shift = 0;

	while (p < end) {
		uint8_t byte = *p++;

		if (shift == 63 && byte > 1)
			return -1;
		x |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80)) {
			*v = x;
			*pp = p;
			return 0;
		}
		shift += 7;
		if (shift > 63)
			return -1;
	}
	return -1;
}

#endif

/* SPDX-License-Identifier: MIT */
#ifndef PAT_COLLECTOR_FASTNUM_H
#define PAT_COLLECTOR_FASTNUM_H

/*
 * The number and byte readers of the parser's fast path (collector/trace_parse.c),
 * private to collector/: eight or sixteen bytes at a time instead of a byte loop, each
 * reading only inside [p, end) unless its comment says what it may read past. Every one
 * gives what the general parser's byte-at-a-time readers give on the same bytes, which
 * tests/unit/test_fastnum.c checks against strtoull.
 */
#include <endian.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Inlined even where GCC would not: the calls cost more than the numbers. */
#define HOT static inline __attribute__((always_inline))
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

static inline uint64_t load64(const char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t load32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

#define WORD4(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | \
			   (uint32_t)(d) << 24)

static inline int is_sep(const char *p, const char *end)
{
	return p == end || *p == ' ' || *p == '\t';
}

static inline const char *skip_sep(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/*
 * The number of leading hex digits among the 8 bytes in @x (little endian: the first
 * byte lowest), and their value in *@v. Eight bytes at a time instead of a byte loop.
 */
static inline unsigned int hex8(uint64_t x, uint64_t *v)
{
	uint64_t y = x & ~HIGHS, z = y | 0x2020202020202020ull;
	uint64_t digit = (y + 0x50 * ONES) & ~(y + 0x46 * ONES);	/* 0x30..0x39 */
	uint64_t letter = (z + 0x1f * ONES) & ~(z + 0x19 * ONES);	/* 0x61..0x66 */
	uint64_t bad = (~(digit | letter) | x) & HIGHS;		/* high-bit bytes are bad */
	unsigned int n = bad ? (unsigned int)__builtin_ctzll(bad) / 8 : 8;
	uint64_t d;

	if (n == 0)
		return 0;
	d = (x & 0x0f * ONES) + 9 * ((x >> 6) & ONES);	/* letters have bit 6 set */
	if (n < 8)
		d &= (1ull << (8 * n)) - 1;
	d = ((d << 4) | (d >> 8)) & 0x00ff00ff00ff00ffull;
	d = ((d << 8) | (d >> 16)) & 0x0000ffff0000ffffull;
	d = ((d << 16) | (d >> 32)) & 0xffffffffull;
	*v = d >> (4 * (8 - n));
	return n;
}

/*
 * The number of leading decimal digits among the 8 bytes in @x (little endian), and,
 * when there are 1..7 of them, their value in *@v (SWAR: three multiplies).
 */
static inline unsigned int dec8(uint64_t x, uint64_t *v)
{
	uint64_t y = x & ~HIGHS;
	uint64_t digit = (y + 0x50 * ONES) & ~(y + 0x46 * ONES) & ~x & HIGHS;
	uint64_t bad = ~digit & HIGHS;
	unsigned int n = bad ? (unsigned int)__builtin_ctzll(bad) / 8 : 8;
	uint64_t d;

	if (n == 0 || n == 8)
		return n;
	d = (x & 0x0f * ONES) << (8 * (8 - n));	/* digits to the top, zeros before */
	d = (d * 10 + (d >> 8)) & 0x00ff00ff00ff00ffull;
	d = (d * 100 + (d >> 16)) & 0x0000ffff0000ffffull;
	d = (d * 10000 + (d >> 32)) & 0xffffffffull;
	*v = d;
	return n;
}

/* Decimal of 1..19 digits (no overflow possible) ending at a separator. */
HOT const char *fast_dec(const char *p, const char *end, uint64_t *v)
{
	const char *s = p;
	uint64_t x = 0;
	unsigned int d;

	if (end - p >= 8) {
		d = dec8(le64toh(load64(p)), &x);
		if (d == 0)
			return NULL;
		if (d < 8) {
			p += d;
			if (!is_sep(p, end))
				return NULL;
			*v = x;
			return p;
		}
	}
	while (p < end && (d = (unsigned int)(unsigned char)*p - '0') <= 9) {
		x = x * 10 + d;
		p++;
	}
	if (p == s || p - s > 19 || !is_sep(p, end))
		return NULL;
	*v = x;
	return p;
}

/* Hex of 1..16 digits, "0x" optional, ending at a separator. */
HOT const char *fast_hex(const char *p, const char *end, uint64_t *v)
{
	const char *s;
	uint64_t x = 0, part;
	unsigned int n;

	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	s = p;
	while (end - p >= 8) {
		n = hex8(le64toh(load64(p)), &part);
		if (n == 0)
			break;
		x = (x << (4 * n - 1) << 1) | part;
		p += n;
		if (n < 8 || p - s > 16)
			break;
	}
	if (end - p < 8) {
		unsigned int d;

		while (p < end && p - s <= 16) {
			d = (unsigned int)(unsigned char)*p - '0';
			if (d > 9) {
				d = ((unsigned int)(unsigned char)*p | 0x20) - 'a';
				if (d > 5)
					break;
				d += 10;
			}
			x = (x << 4) | d;
			p++;
		}
	}
	if (p == s || p - s > 16 || !is_sep(p, end))
		return NULL;
	*v = x;
	return p;
}

/*
 * @n bytes at @a equal @n bytes at @b: eight at a time, the last eight overlapping the
 * ones before, so that nothing past either is read. Parts are short, and inline this is
 * a third of what the calls to memcmp cost.
 */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8)
			if (load64(a + i) != load64(b + i))
				return 0;
		return load64(a + n - 8) == load64(b + n - 8);
	}
	if (n >= 4)
		return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* Nanoseconds per unit of a time's fraction of 1..7 digits (dec8 reads at most 7). */
static const uint64_t frac_scale[8] = {
	0, 100000000, 10000000, 1000000, 100000, 10000, 1000, 100
};

/* 16 bytes, as one value of GCC's vector extension: SSE2 on x86-64, words elsewhere */
typedef uint8_t bytes16 __attribute__((vector_size(16)));

static inline bytes16 load16(const void *p)
{
	bytes16 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The bytes of @a and @b that differ where @m is 0xff: nonzero bytes where they do. */
static inline bytes16 diff16(const char *a, const char *b, const uint8_t *m)
{
	return (load16(a) ^ load16(b)) & load16(m);
}

static inline int any16(bytes16 v)
{
	uint64_t w[2];

	memcpy(w, &v, sizeof(w));
	return (w[0] | w[1]) != 0;
}

/*
 * Hex of exactly @n (1..16) digits at @p: 1 with *@v, else 0. Reads 16 bytes at @p,
 * which tpl_fits sees stay inside the line; the byte after the digits is the
 * template's separator, which the scalar path relies on to count exactly @n.
 */
HOT int hex_exact(const char *p, unsigned int n, uint64_t *v)
{
#ifdef __SSE2__
	const __m128i x = _mm_loadu_si128((const __m128i *)p);
	/* range tests as signed compares: c + (128 - lo) < -128 + span */
	const __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(128 - '0')),
					     _mm_set1_epi8(-128 + 10));
	const __m128i letter = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(x, _mm_set1_epi8(0x20)),
							   _mm_set1_epi8(128 - 'a')),
					      _mm_set1_epi8(-128 + 6));
	const unsigned int want = (1u << n) - 1;
	__m128i nib, pairs;
	uint64_t w;

	if (((unsigned int)_mm_movemask_epi8(_mm_or_si128(digit, letter)) & want) != want)
		return 0;
	nib = _mm_add_epi8(_mm_and_si128(x, _mm_set1_epi8(0x0f)),
			   _mm_and_si128(letter, _mm_set1_epi8(9)));
	/* digit pairs: the first digit of a pair is the low byte of its 16-bit lane */
	pairs = _mm_and_si128(_mm_or_si128(_mm_slli_epi16(nib, 4), _mm_srli_epi16(nib, 8)),
			      _mm_set1_epi16(0xff));
	w = (uint64_t)_mm_cvtsi128_si64(_mm_packus_epi16(pairs, pairs));
	*v = __builtin_bswap64(w) >> (4 * (16 - n));	/* the bytes after the digits drop */
	return 1;
#else
	uint64_t hi, lo;

	if (n <= 8)
		return hex8(le64toh(load64(p)), v) == n;
	if (hex8(le64toh(load64(p)), &hi) != 8 || hex8(le64toh(load64(p + 8)), &lo) != n - 8)
		return 0;
	*v = hi << (4 * (n - 8)) | lo;
	return 1;
#endif
}

#endif

// SPDX-License-Identifier: MIT
/*
 * Fuzz target: any bytes as a chunk blob must decode or be refused, never crash; and a
 * blob that decodes must re-encode to events that decode to the same events. The bytes
 * are tried three times: as a blob, as a V1 raw payload inside a valid zstd frame, and
 * cut into V2 frames (below), so that mutations reach the column decoders instead of
 * dying in zstd.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "pat/chunk.h"
#include "pat/error.h"
#include "pat/event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const uint8_t *data, size_t size);

/*
 * V2 from raw pieces: data[0] % 64 = k plane frames, then k 2-byte little-endian
 * lengths, then the header payload, then the k column payloads (lengths clamped to
 * what is there). Each piece becomes "varint length, zstd frame".
 */
static void v2(const uint8_t *data, size_t size)
{
	size_t k = size ? data[0] % 64 : 0, len[64], rest, cap, at = 3;
	const uint8_t *p = data + (size ? 1 : 0);
	uint8_t *blob;

	if (size < 1 + 2 * k)
		return;
	rest = size - 1 - 2 * k;
	for (size_t i = 0; i < k; i++) {
		len[i + 1] = (size_t)p[2 * i] | (size_t)p[2 * i + 1] << 8;
		if (len[i + 1] > rest)
			len[i + 1] = rest;
		rest -= len[i + 1];
	}
	len[0] = rest;
	p += 2 * k;
	cap = 3 + (k + 1) * (10 + 64) + ZSTD_compressBound(size);
	blob = malloc(cap);
	if (!blob)
		abort();
	blob[0] = 'P';
	blob[1] = 'C';
	blob[2] = 2;
	for (size_t i = 0; i <= k; i++) {
		size_t z = ZSTD_compress(blob + at + 10, cap - at - 10, p, len[i], 1), hl = 0;
		uint8_t tmp[10];

		if (ZSTD_isError(z))
			abort();
		for (size_t v = z; ; v >>= 7) {
			tmp[hl++] = (uint8_t)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
			if (v < 0x80)
				break;
		}
		memmove(blob + at + hl, blob + at + 10, z);
		memcpy(blob + at, tmp, hl);
		at += hl + z;
		p += len[i];
	}
	one(blob, at);
	free(blob);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cap = 3 + ZSTD_compressBound(size), len;
	uint8_t *blob = malloc(cap);

	one(data, size);
	if (!blob)
		abort();
	blob[0] = 'P';
	blob[1] = 'C';
	blob[2] = 1;
	len = ZSTD_compress(blob + 3, cap - 3, data, size, 1);
	if (!ZSTD_isError(len))
		one(blob, 3 + len);
	free(blob);
	v2(data, size);
	return 0;
}

static void one(const uint8_t *data, size_t size)
{
	struct pa_codec *c = pa_codec_new(1);
	struct pa_batch a, b;
	const void *blob;
	size_t len;
	int rc;

	if (!c || pa_batch_init(&a, 0) || pa_batch_init(&b, 0))
		abort();
	rc = pa_chunk_decode(c, data, size, &a);
	if (rc != 0 && rc != -PA_ECORRUPT)
		__builtin_trap();
	if (rc == 0) {
		if (pa_chunk_encode(c, &a, 0, a.n, &blob, &len) != 0 ||
		    pa_chunk_decode(c, blob, len, &b) != 0 || b.n != a.n)
			__builtin_trap();
		if (memcmp(a.addr, b.addr, a.n * sizeof(*a.addr)) ||
		    memcmp(a.time_ns, b.time_ns, a.n * sizeof(*a.time_ns)) ||
		    memcmp(a.ip, b.ip, a.n * sizeof(*a.ip)) ||
		    memcmp(a.aux, b.aux, a.n * sizeof(*a.aux)) ||
		    memcmp(a.tid, b.tid, a.n * sizeof(*a.tid)) ||
		    memcmp(a.tgid, b.tgid, a.n * sizeof(*a.tgid)) ||
		    memcmp(a.flags, b.flags, a.n * sizeof(*a.flags)))
			__builtin_trap();
		/* a subset of the columns decodes to the same values */
		if (pa_chunk_decode_cols(c, data, size, PA_COL_ADDR | PA_COL_TIME, &b) != 0 ||
		    memcmp(a.addr, b.addr, a.n * sizeof(*a.addr)) ||
		    memcmp(a.time_ns, b.time_ns, a.n * sizeof(*a.time_ns)))
			__builtin_trap();
		/* pieces of 3 give the same events as the whole */
		if (pa_chunk_open(c, data, size, PA_COL_ALL) != (int64_t)a.n)
			__builtin_trap();
		for (size_t at = 0; (rc = pa_chunk_read(c, &b, 3)) > 0; at += b.n)
			if (b.n > 3 || at + b.n > a.n || a.time_ns[at] != b.time_ns[0] ||
			    a.addr[at + b.n - 1] != b.addr[b.n - 1])
				__builtin_trap();
		if (rc != 0)
			__builtin_trap();
	} else {
		/* read in pieces, it is refused too, at open or by a piece */
		int64_t n = pa_chunk_open(c, data, size, PA_COL_ALL);

		rc = 0;
		while (n > 0 && (rc = pa_chunk_read(c, &b, 3)) > 0)
			;
		if (n > 0 ? rc != -PA_ECORRUPT : n != -PA_ECORRUPT)
			__builtin_trap();
		/* and a subset of a damaged blob is refused or decodes, never crashes */
		rc = pa_chunk_decode_cols(c, data, size, PA_COL_TGID | PA_COL_FLAGS, &b);
		if (rc != 0 && rc != -PA_ECORRUPT)
			__builtin_trap();
	}
	pa_batch_free(&a);
	pa_batch_free(&b);
	pa_codec_free(c);
}

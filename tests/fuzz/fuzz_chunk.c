// SPDX-License-Identifier: MIT
/*
 * Fuzz target: any bytes as a chunk blob must decode or be refused, never crash; and a
 * blob that decodes must re-encode to events that decode to the same events. The bytes
 * are tried twice: as a blob, and as the raw column payload inside a valid zstd frame,
 * so that mutations reach the column decoder instead of dying in zstd.
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
		    memcmp(a.ip, b.ip, a.n * sizeof(*a.ip)))
			__builtin_trap();
	}
	pa_batch_free(&a);
	pa_batch_free(&b);
	pa_codec_free(c);
}

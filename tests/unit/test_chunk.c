// SPDX-License-Identifier: MIT
/* The chunk codec: exact round trips, extreme values, and damaged blobs refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zstd.h>

#include "pat/chunk.h"
#include "pat/error.h"
#include "pat/event.h"
#include "pat/format.h"

static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void fill(struct pa_batch *b, size_t n, uint64_t seed, int extreme)
{
	uint64_t s = seed, t = 1000000000ull * 98;

	assert_int_equal(pa_batch_reserve(b, n), 0);
	for (size_t i = 0; i < n; i++) {
		uint64_t r = rnd(&s);

		if (extreme) {
			/* every column at its limits, in no order at all */
			b->time_ns[i] = rnd(&s);
			b->ip[i] = (r & 1) ? UINT64_MAX - (r & 3) : r & 7;
			b->addr[i] = rnd(&s);
			b->aux[i] = (r & 2) ? UINT64_MAX : 0;
			b->tid[i] = (r & 4) ? UINT32_MAX : 0;
			b->tgid[i] = (uint32_t)rnd(&s);
		} else {
			t += (r % 5) * 1000;	/* whole microseconds: the tick path */
			b->time_ns[i] = t;
			b->ip[i] = 0x401000 + (r % 16) * 4;
			b->addr[i] = 0x7f0000000000ull + ((r >> 8) % 4096) * 4096 + (r >> 40) % 4096;
			b->aux[i] = i / 100;
			b->tid[i] = 100 + (uint32_t)(r % 3);
			b->tgid[i] = 100;
		}
		b->flags[i] = (uint8_t)((r >> 20) & (PA_EV_WRITE | PA_EV_DEMAND));
	}
	b->n = n;
}

static void assert_same(const struct pa_batch *a, size_t first, const struct pa_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
#define SAME(name, type, codec) assert_int_equal(a->name[first + i], b->name[i]);
		PA_BATCH_COLUMNS(SAME)
#undef SAME
	}
}

/* Encodes all of @in with @c, decodes it into @out: the same events, written as V3. */
static void same_after_codec(struct pa_codec *c, const struct pa_batch *in, struct pa_batch *out)
{
	const void *blob;
	size_t len;

	assert_int_equal(pa_chunk_encode(c, in, 0, in->n, &blob, &len), 0);
	assert_int_equal(((const uint8_t *)blob)[2], PA_CHUNK_CODEC_V3);
	assert_int_equal(pa_chunk_decode(c, blob, len, out), 0);
	assert_int_equal(out->n, in->n);
	assert_same(in, 0, out);
}

static void round_trip(size_t n, uint64_t seed, int extreme, size_t first)
{
	struct pa_codec *c = pa_codec_new(3);
	struct pa_batch in, out;
	const void *blob;
	size_t len;

	assert_non_null(c);
	assert_int_equal(pa_batch_init(&in, 0), 0);
	assert_int_equal(pa_batch_init(&out, 0), 0);
	fill(&in, first + n, seed, extreme);
	assert_int_equal(pa_chunk_encode(c, &in, first, n, &blob, &len), 0);
	assert_int_equal(pa_chunk_decode(c, blob, len, &out), 0);
	assert_int_equal(out.n, n);
	assert_same(&in, first, &out);
	pa_batch_free(&in);
	pa_batch_free(&out);
	pa_codec_free(c);
}

static void test_round_trip(void **state)
{
	(void)state;
	round_trip(1, 1, 0, 0);
	round_trip(1, 2, 1, 0);
	round_trip(1000, 3, 0, 0);
	round_trip(1000, 4, 1, 0);
	round_trip(PA_CHUNK_EVENTS, 5, 0, 7);	/* from the middle of a batch */
	round_trip(PA_CHUNK_MAX_EVENTS, 6, 1, 0);
}

static void test_codec_reuse(void **state)
{
	/* One codec over many chunks of different sizes: scratch state must not leak. */
	struct pa_codec *c = pa_codec_new(1);
	struct pa_batch in, out;

	(void)state;
	assert_int_equal(pa_batch_init(&in, 0), 0);
	assert_int_equal(pa_batch_init(&out, 0), 0);
	for (uint64_t k = 0; k < 40; k++) {
		size_t n = 1 + (size_t)(k * 7919 % 5000);

		fill(&in, n, k, (int)(k & 1));
		same_after_codec(c, &in, &out);
	}
	pa_batch_free(&in);
	pa_batch_free(&out);
	pa_codec_free(c);
}

static void test_bad_arguments(void **state)
{
	struct pa_codec *c = pa_codec_new(1);
	struct pa_batch in;
	const void *blob;
	size_t len;

	(void)state;
	assert_int_equal(pa_batch_init(&in, 0), 0);
	fill(&in, 10, 1, 0);
	assert_int_equal(pa_chunk_encode(c, &in, 0, 0, &blob, &len), -PA_EINVAL);
	assert_int_equal(pa_chunk_encode(c, &in, 5, 6, &blob, &len), -PA_EINVAL);
	pa_batch_free(&in);
	pa_codec_free(c);
}

static void test_damaged_blobs(void **state)
{
	struct pa_codec *c = pa_codec_new(3);
	struct pa_batch in, out;
	const void *blob;
	uint8_t *copy;
	size_t len;
	uint64_t s = 99;

	(void)state;
	assert_int_equal(pa_batch_init(&in, 0), 0);
	assert_int_equal(pa_batch_init(&out, 0), 0);
	fill(&in, 3000, 9, 0);
	assert_int_equal(pa_chunk_encode(c, &in, 0, 3000, &blob, &len), 0);
	copy = malloc(len);
	assert_non_null(copy);
	memcpy(copy, blob, len);

	/* every truncation is refused */
	for (size_t cut = 0; cut < len; cut += 1 + cut / 8)
		assert_int_equal(pa_chunk_decode(c, copy, cut, &out), -PA_ECORRUPT);
	/* wrong magic or codec version */
	copy[0] ^= 1;
	assert_int_equal(pa_chunk_decode(c, copy, len, &out), -PA_ECORRUPT);
	copy[0] ^= 1;
	assert_int_equal(copy[2], PA_CHUNK_CODEC_V3);
	copy[2] = 0;
	assert_int_equal(pa_chunk_decode(c, copy, len, &out), -PA_ECORRUPT);
	copy[2] = 4;
	assert_int_equal(pa_chunk_decode(c, copy, len, &out), -PA_ECORRUPT);
	copy[2] = PA_CHUNK_CODEC_V2;	/* the V3 header read as V2's: no dictionary */
	assert_int_equal(pa_chunk_decode(c, copy, len, &out), -PA_ECORRUPT);
	copy[2] = PA_CHUNK_CODEC_V3;
	/*
	 * random damage: never a crash (ASan watches), and never other events: a blob
	 * either decodes to the events it was made of (a bit that zstd does not read) or
	 * is refused
	 */
	for (int k = 0; k < 2000; k++) {
		size_t at = 3 + rnd(&s) % (len - 3);
		uint8_t old = copy[at];
		int rc;

		copy[at] ^= (uint8_t)(1 + rnd(&s) % 255);
		rc = pa_chunk_decode(c, copy, len, &out);
		assert_true(rc == 0 || rc == -PA_ECORRUPT);
		if (rc == 0)
			assert_same(&in, 0, &out);
		copy[at] = old;
	}
	assert_int_equal(pa_chunk_decode(c, copy, len, &out), 0);
	assert_same(&in, 0, &out);
	free(copy);
	pa_batch_free(&in);
	pa_batch_free(&out);
	pa_codec_free(c);
}

/*
 * Every single-bit flip of a V3 blob, through the reader of every column and of time
 * alone: refused, or (a bit zstd does not read, or a column not asked for) the same
 * events. The last byte is the last frame's checksum: its flip is a checksum mismatch.
 */
static void test_checksums(void **state)
{
	struct pa_codec *c = pa_codec_new(3);
	struct pa_batch in, out;
	const void *blob;
	uint8_t *copy;
	size_t len, refused = 0, flips = 0;

	(void)state;
	assert_int_equal(pa_batch_init(&in, 0), 0);
	assert_int_equal(pa_batch_init(&out, 0), 0);
	fill(&in, 3000, 5, 0);
	assert_int_equal(pa_chunk_encode(c, &in, 0, 3000, &blob, &len), 0);
	copy = malloc(len);
	assert_non_null(copy);
	memcpy(copy, blob, len);
	for (size_t bit = 0; bit < len * 8; bit++) {
		copy[bit / 8] ^= (uint8_t)(1u << bit % 8);
		for (int all = 0; all < 2; all++) {
			unsigned int cols = all ? PA_COL_ALL : PA_COL_TIME;
			int rc = pa_chunk_decode_cols(c, copy, len, cols, &out);

			flips += all;
			assert_true(rc == 0 || rc == -PA_ECORRUPT);
			if (rc != 0) {
				refused += all;
				continue;
			}
			for (size_t i = 0; i < 3000; i++) {
				assert_int_equal(out.time_ns[i], in.time_ns[i]);
				if (all)
					assert_int_equal(out.addr[i], in.addr[i]);
			}
		}
		copy[bit / 8] ^= (uint8_t)(1u << bit % 8);
	}
	/* of every column: all but the bits zstd does not read (the window size...) */
	assert_true(refused > flips * 9 / 10);
	copy[len - 1] ^= 1;
	assert_int_equal(pa_chunk_decode(c, copy, len, &out), -PA_ECORRUPT);
	assert_string_equal(pa_chunk_errmsg(c), "checksum mismatch");
	free(copy);
	pa_batch_free(&in);
	pa_batch_free(&out);
	pa_codec_free(c);
}

static void test_compresses_regular_traces(void **state)
{
	/* A sequential scan with one ip costs well under a byte per event. */
	struct pa_codec *c = pa_codec_new(3);
	struct pa_batch in;
	const void *blob;
	size_t len, n = PA_CHUNK_EVENTS;

	(void)state;
	assert_int_equal(pa_batch_init(&in, n), 0);
	for (size_t i = 0; i < n; i++) {
		in.time_ns[i] = 5000000000ull + i * 1000;
		in.ip[i] = 0x401234;
		in.addr[i] = 0x7f0000000000ull + i * 4096;
		in.aux[i] = 0;
		in.tid[i] = in.tgid[i] = 42;
		in.flags[i] = 0;
	}
	in.n = n;
	assert_int_equal(pa_chunk_encode(c, &in, 0, n, &blob, &len), 0);
	assert_true(len < n / 10);
	pa_batch_free(&in);
	pa_codec_free(c);
}

/*
 * A V1 blob as pacollect wrote it before V2 (tests/fuzz/corpus/chunk/seq: gentrace
 * --pattern seq --pages 16 --passes 2): still decoded, event for event.
 */
static const uint8_t v1_seq[] = {
	0x50, 0x43, 0x01, 0x28, 0xb5, 0x2f, 0xfd, 0x60, 0x1e, 0x00, 0x35, 0x02,
	0x00, 0x74, 0x02, 0x20, 0xe8, 0x07, 0x80, 0xd0, 0xdb, 0xc3, 0xf4, 0x02,
	0x02, 0xa0, 0xc0, 0x80, 0x04, 0x1f, 0x20, 0x00, 0x02, 0x21, 0xa4, 0x42,
	0x00, 0x20, 0x03, 0x20, 0x01, 0x46, 0x80, 0x80, 0x80, 0xc0, 0xc6, 0xc4,
	0x3f, 0x80, 0x41, 0xff, 0xce, 0x07, 0x0c, 0x00, 0x80, 0xc0, 0x1a, 0x06,
	0x00, 0x0b, 0x80, 0xb2, 0x47, 0x8e, 0x41, 0x5c, 0x77, 0x34, 0x11, 0x06,
	0x88, 0xc5, 0x75, 0x58, 0x94, 0x13, 0x80, 0x48, 0x88, 0x20, 0x0c
};

static void test_v1_blob(void **state)
{
	struct pa_codec *c = pa_codec_new(3);
	struct pa_batch out;

	(void)state;
	assert_int_equal(pa_batch_init(&out, 0), 0);
	assert_int_equal(pa_chunk_decode(c, v1_seq, sizeof(v1_seq), &out), 0);
	assert_int_equal(out.n, 32);
	for (size_t i = 0; i < 32; i++) {
		size_t page = i % 16;

		assert_int_equal(out.time_ns[i], 100000000000ull + i * 1000);
		assert_int_equal(out.addr[i], 0x7f1234000000ull + page * 4096 + page * 64);
		assert_int_equal(out.ip[i], i < 16 ? 0x401010 : 0x401000);
		assert_int_equal(out.flags[i], i < 16 ? PA_EV_WRITE | PA_EV_DEMAND : 0);
		assert_int_equal(out.tid[i], 4242);
		assert_int_equal(out.tgid[i], 4242);
		assert_int_equal(out.aux[i], 0);
	}
	/* the V1 payload is not a V2 one */
	{
		uint8_t copy[sizeof(v1_seq)];

		memcpy(copy, v1_seq, sizeof(copy));
		copy[2] = PA_CHUNK_CODEC_V2;
		assert_int_equal(pa_chunk_decode(c, copy, sizeof(copy), &out), -PA_ECORRUPT);
	}
	pa_batch_free(&out);
	pa_codec_free(c);
}

/*
 * pa_chunk_check: the row's count, time range and need of checksums against the
 * chunk's header and decoded times.
 */
static void test_check_meta(void **state)
{
	struct pa_codec *c = pa_codec_new(3);
	struct pa_batch in, out;
	struct pa_chunk_meta m = { 2000, 0, 0, 1 };
	const void *blob;
	size_t len;

	(void)state;
	assert_int_equal(pa_batch_init(&in, 0), 0);
	assert_int_equal(pa_batch_init(&out, 0), 0);
	fill(&in, 2000, 8, 0);
	in.time_ns[7] = in.time_ns[0] - 5;	/* the earliest is not the first */
	m.first_ns = in.time_ns[7];
	m.last_ns = in.time_ns[1999];
	assert_int_equal(pa_chunk_encode(c, &in, 0, 2000, &blob, &len), 0);

	assert_int_equal(pa_chunk_open(c, blob, len, PA_COL_ALL), 2000);
	assert_int_equal(pa_chunk_codec(c), PA_CHUNK_CODEC_V3);
	assert_int_equal(pa_chunk_check(c, &m), 0);
	assert_int_equal(pa_chunk_read(c, &out, 5000), 2000);
	assert_same(&in, 0, &out);

	m.events = 1999;
	assert_int_equal(pa_chunk_open(c, blob, len, PA_COL_ALL), 2000);
	assert_int_equal(pa_chunk_check(c, &m), -PA_ECORRUPT);
	assert_non_null(strstr(pa_chunk_errmsg(c), "number of events"));
	assert_int_equal(pa_chunk_read(c, &out, 5000), 0);	/* closed */
	m.events = 2000;
	m.first_ns++;
	assert_int_equal(pa_chunk_open(c, blob, len, PA_COL_IP), 2000);
	assert_int_equal(pa_chunk_check(c, &m), -PA_ECORRUPT);
	assert_non_null(strstr(pa_chunk_errmsg(c), "time range"));
	m.first_ns--;
	m.last_ns--;
	assert_int_equal(pa_chunk_open(c, blob, len, PA_COL_IP), 2000);
	assert_int_equal(pa_chunk_check(c, &m), -PA_ECORRUPT);
	m.last_ns++;

	/* a V1 blob (decoded whole): its times against the row's range at once */
	{
		struct pa_chunk_meta v1 = { 32, 100000000000ull, 100000031000ull, 0 };

		assert_int_equal(pa_chunk_open(c, v1_seq, sizeof(v1_seq), PA_COL_ALL), 32);
		assert_int_equal(pa_chunk_codec(c), PA_CHUNK_CODEC_V1);
		assert_int_equal(pa_chunk_check(c, &v1), 0);
		v1.last_ns++;
		assert_int_equal(pa_chunk_open(c, v1_seq, sizeof(v1_seq), PA_COL_TID), 32);
		assert_int_equal(pa_chunk_check(c, &v1), -PA_ECORRUPT);
		assert_non_null(strstr(pa_chunk_errmsg(c), "time range"));
		v1.last_ns--;
		v1.checksums = 1;	/* in a database whose format requires them */
		assert_int_equal(pa_chunk_open(c, v1_seq, sizeof(v1_seq), PA_COL_ALL), 32);
		assert_int_equal(pa_chunk_check(c, &v1), -PA_ECORRUPT);
		assert_non_null(strstr(pa_chunk_errmsg(c), "no checksums"));
	}
	pa_batch_free(&in);
	pa_batch_free(&out);
	pa_codec_free(c);
}

/*
 * A V2 blob of 3 events, 2 ips (0x10, 0x30), tick 1000, base 5000: the header with
 * column descriptors @cols, then one frame per piece of @frames (@nf of them, each
 * frame_len bytes), with codec byte blob_codec. Returns what pa_chunk_decode says of
 * it, or with blob_meta, what pa_chunk_check and then pa_chunk_read of the columns
 * blob_cols say.
 */
static size_t frame_len = 3;
static uint8_t blob_codec = PA_CHUNK_CODEC_V2;
static const struct pa_chunk_meta *blob_meta;
static unsigned int blob_cols = PA_COL_ALL;

static int decode_v2(const char *cols, size_t clen, const uint8_t frames[][3], int nf,
		     struct pa_batch *out)
{
	static const uint8_t prefix[] = { 3, 0xe8, 0x07, 0x88, 0x27, 2, 0x20, 0x40 };
	uint8_t raw[64], blob[512], z[128];
	size_t at = 3, len;
	struct pa_codec *c = pa_codec_new(3);
	int rc;

	assert_true(sizeof(prefix) + clen <= sizeof(raw));
	memcpy(raw, prefix, sizeof(prefix));
	memcpy(raw + sizeof(prefix), cols, clen);
	blob[0] = PA_CHUNK_MAGIC0;
	blob[1] = PA_CHUNK_MAGIC1;
	blob[2] = blob_codec;
	for (int k = -1; k < nf; k++) {
		len = ZSTD_compress(z, sizeof(z), k < 0 ? raw : frames[k],
				    k < 0 ? sizeof(prefix) + clen : frame_len, 1);
		assert_false(ZSTD_isError(len));
		assert_true(len < 128);
		blob[at++] = (uint8_t)len;
		memcpy(blob + at, z, len);
		at += len;
	}
	if (!blob_meta) {
		rc = pa_chunk_decode(c, blob, at, out);
	} else {
		int64_t n = pa_chunk_open(c, blob, at, blob_cols);

		rc = n < 0 ? (int)n : pa_chunk_check(c, blob_meta);
		if (!rc)
			rc = pa_chunk_read(c, out, 100);
		if (rc == 3)
			rc = 0;
	}
	pa_codec_free(c);
	return rc;
}

/* Hand-made V2 payloads: every column mode, and the checks on values and frames. */
static void test_v2_modes_and_checks(void **state)
{
	/* time +1 tick from base (constant); tid 7, 14, 21 (constant +7); tgid inline 7, 7, 7 */
#define COLS_TO_SYM "\x00\x02" "\x00\x0e" "\x02\x03\x0e\x00\x00"
	/* page inline +1, +1, -1; offset constant +8; aux constant 0 */
#define COLS_AFTER_SYM "\x02\x03\x02\x02\x01" "\x00\x08" "\x00\x00"
	static const char good[] = COLS_TO_SYM "\x01\x01" COLS_AFTER_SYM;	/* sym: 1 plane */
	static const uint8_t sym[][3] = { { 0 << 2 | 1, 1 << 2 | 2, 0 << 2 | 3 },
					  { 0, 0, 0 } };
	static const uint8_t bad_sym[][3] = { { 0, 2 << 2, 0 } };	/* index 2 of 2 ips */
	static const uint8_t skip_sym[][3] = { { 1 << 2, 0, 0 } };	/* ip 1 before ip 0 */
	/* each ip new in its turn, the third one past the 2 of the dictionary */
	static const uint8_t past_sym[][3] = { { 0, 1 << 2, 2 << 2 } };
	static const uint8_t short_plane[][3] = { { 1, 6, 0 } };	/* 2 bytes of it */
	struct pa_batch out;

	(void)state;
	assert_int_equal(pa_batch_init(&out, 0), 0);
	assert_int_equal(decode_v2(good, sizeof(good) - 1, sym, 1, &out), 0);
	assert_int_equal(out.n, 3);
	assert_int_equal(out.time_ns[0], 6000);	/* the first delta is from base */
	assert_int_equal(out.time_ns[2], 8000);
	assert_int_equal(out.tid[0], 7);
	assert_int_equal(out.tid[2], 21);
	assert_int_equal(out.tgid[1], 7);
	assert_int_equal(out.ip[0], 0x10);
	assert_int_equal(out.ip[1], 0x30);
	assert_int_equal(out.ip[2], 0x10);
	assert_int_equal(out.flags[0], PA_EV_WRITE);
	assert_int_equal(out.flags[1], PA_EV_DEMAND);
	assert_int_equal(out.flags[2], PA_EV_WRITE | PA_EV_DEMAND);
	/* ip 0x10 from 0: page 1, offset 8; ip 0x30 from the previous address: page 2,
	 * offset 16; ip 0x10 again from its own last address: page 0, offset 16 */
	assert_int_equal(out.addr[0], 1 * 4096 + 8);
	assert_int_equal(out.addr[1], 2 * 4096 + 16);
	assert_int_equal(out.addr[2], 0 * 4096 + 16);
	assert_int_equal(out.aux[2], 0);

	/* the row's time range against the times decoded (V2 holds none of its own) */
	{
		struct pa_chunk_meta m = { 3, 6000, 8000, 0 };

		blob_meta = &m;
		assert_int_equal(decode_v2(good, sizeof(good) - 1, sym, 1, &out), 0);
		m.last_ns = 8001;
		assert_int_equal(decode_v2(good, sizeof(good) - 1, sym, 1, &out), -PA_ECORRUPT);
		blob_cols = PA_COL_IP;	/* times not decoded: not compared */
		assert_int_equal(decode_v2(good, sizeof(good) - 1, sym, 1, &out), 0);
		blob_cols = PA_COL_ALL;
		m.last_ns = 8000;
		m.checksums = 1;
		assert_int_equal(decode_v2(good, sizeof(good) - 1, sym, 1, &out), -PA_ECORRUPT);
		blob_meta = NULL;
	}
	/* codec 3 requires every frame to carry its checksum */
	blob_codec = PA_CHUNK_CODEC_V3;
	assert_int_equal(decode_v2(good, sizeof(good) - 1, sym, 1, &out), -PA_ECORRUPT);
	blob_codec = PA_CHUNK_CODEC_V2;

	/* a frame too many, a frame too few */
	assert_int_equal(decode_v2(good, sizeof(good) - 1, sym, 2, &out), -PA_ECORRUPT);
	assert_int_equal(decode_v2(good, sizeof(good) - 1, sym, 0, &out), -PA_ECORRUPT);
	/* header bytes left over */
	{
		static const char extra[] = COLS_TO_SYM "\x01\x01" COLS_AFTER_SYM "\x00";

		assert_int_equal(decode_v2(extra, sizeof(extra) - 1, sym, 1, &out), -PA_ECORRUPT);
	}
	/* planes: 0 or 9 of them, 2 planes with one frame, a plane of the wrong length */
	{
		static const char w0[] = COLS_TO_SYM "\x01\x00" COLS_AFTER_SYM;
		static const char w9[] = COLS_TO_SYM "\x01\x09" COLS_AFTER_SYM;
		static const char w2[] = COLS_TO_SYM "\x01\x02" COLS_AFTER_SYM;
		static const uint8_t two[][3] = { { 0 << 2 | 1, 1 << 2 | 2, 0 << 2 | 3 },
						  { 0, 0, 0 } };

		assert_int_equal(decode_v2(w0, sizeof(w0) - 1, sym, 1, &out), -PA_ECORRUPT);
		assert_int_equal(decode_v2(w9, sizeof(w9) - 1, sym, 1, &out), -PA_ECORRUPT);
		assert_int_equal(decode_v2(w2, sizeof(w2) - 1, sym, 1, &out), -PA_ECORRUPT);
		assert_int_equal(decode_v2(w2, sizeof(w2) - 1, two, 2, &out), 0);
		assert_int_equal(out.ip[1], 0x30);
		frame_len = 2;
		assert_int_equal(decode_v2(good, sizeof(good) - 1, short_plane, 1, &out),
				 -PA_ECORRUPT);
		frame_len = 3;
	}
	/* an unknown mode */
	{
		static const char mode3[] = COLS_TO_SYM "\x03" COLS_AFTER_SYM;

		assert_int_equal(decode_v2(mode3, sizeof(mode3) - 1, sym, 1, &out), -PA_ECORRUPT);
	}
	/* an offset of 4096 */
	{
		static const char off[] = COLS_TO_SYM "\x01\x01" "\x02\x03\x02\x02\x01" "\x00\x80\x20"
			"\x00\x00";

		assert_int_equal(decode_v2(off, sizeof(off) - 1, sym, 1, &out), -PA_ECORRUPT);
	}
	/* a page past 52 bits: zigzag(-2) from page 0 */
	{
		static const char page[] = COLS_TO_SYM "\x01\x01" "\x00\x03" "\x00\x08" "\x00\x00";

		assert_int_equal(decode_v2(page, sizeof(page) - 1, sym, 1, &out), -PA_ECORRUPT);
	}
	/* a tid past 32 bits */
	{
		static const char tid[] = "\x00\x02" "\x00\x80\x80\x80\x80\x20" "\x02\x03\x0e\x00\x00"
			"\x01\x01" COLS_AFTER_SYM;

		assert_int_equal(decode_v2(tid, sizeof(tid) - 1, sym, 1, &out), -PA_ECORRUPT);
	}
	/* ip indices past the dictionary or out of first-use order */
	assert_int_equal(decode_v2(good, sizeof(good) - 1, bad_sym, 1, &out), -PA_ECORRUPT);
	assert_int_equal(decode_v2(good, sizeof(good) - 1, skip_sym, 1, &out),
			 -PA_ECORRUPT);
	assert_int_equal(decode_v2(good, sizeof(good) - 1, past_sym, 1, &out),
			 -PA_ECORRUPT);
	/* an inline column that holds fewer varints than events */
	{
		static const char short_col[] = COLS_TO_SYM "\x01\x01" "\x02\x02\x02\x02" "\x00\x08"
			"\x00\x00";

		assert_int_equal(decode_v2(short_col, sizeof(short_col) - 1, sym, 1, &out),
				 -PA_ECORRUPT);
	}
#undef COLS_TO_SYM
#undef COLS_AFTER_SYM
	pa_batch_free(&out);
}

/* Round trips through each encoder choice: constant, inline and framed columns. */
static void test_v2_encoder_choices(void **state)
{
	struct pa_codec *c = pa_codec_new(3);
	struct pa_batch in, out;

	(void)state;
	assert_int_equal(pa_batch_init(&in, 0), 0);
	assert_int_equal(pa_batch_init(&out, 0), 0);
	for (size_t n = 1; n <= 20000; n = n * 3 + 1) {
		assert_int_equal(pa_batch_reserve(&in, n), 0);
		for (size_t i = 0; i < n; i++) {
			in.time_ns[i] = 7 + i * 3;		/* constant, tick 1 */
			in.tid[i] = (uint32_t)(i % 2);		/* alternating */
			in.tgid[i] = 1;
			in.ip[i] = 0x400000 + (i * 2654435761u % 50) * 8;	/* 50 ips: 2-byte syms */
			in.addr[i] = (UINT64_MAX - 4096 * 9) + (i % 7) * 4097;	/* top pages */
			in.aux[i] = i < n / 2 ? 0 : UINT64_MAX;
			in.flags[i] = (uint8_t)(i % 4);
		}
		in.n = n;
		same_after_codec(c, &in, &out);
	}
	pa_batch_free(&in);
	pa_batch_free(&out);
	pa_codec_free(c);
}

/*
 * Column subsets decode to the same values as a whole decode, and only those are set;
 * PA_COL_PAGE alone gives each address without its offset in the page.
 */
static void test_decode_columns(void **state)
{
	static const unsigned int sets[] = {
		PA_COL_TIME, PA_COL_TID, PA_COL_TGID, PA_COL_FLAGS, PA_COL_IP, PA_COL_ADDR,
		PA_COL_AUX, PA_COL_TIME | PA_COL_ADDR | PA_COL_TGID, PA_COL_IP | PA_COL_FLAGS,
		PA_COL_ALL & ~PA_COL_ADDR, PA_COL_ALL, PA_COL_PAGE, PA_COL_PAGE | PA_COL_TIME,
		PA_COL_PAGE | PA_COL_ADDR,
	};
	struct pa_codec *c = pa_codec_new(3);
	struct pa_batch in, out;
	const void *blob;
	size_t len, n = 5000;

	(void)state;
	assert_int_equal(pa_batch_init(&in, 0), 0);
	assert_int_equal(pa_batch_init(&out, n), 0);
	for (int extreme = 0; extreme < 2; extreme++) {
		fill(&in, n, 77, extreme);
		assert_int_equal(pa_chunk_encode(c, &in, 0, n, &blob, &len), 0);
		for (size_t k = 0; k < sizeof(sets) / sizeof(sets[0]); k++) {
			unsigned int m = sets[k];

			memset(out.time_ns, 0xa5, n * sizeof(*out.time_ns));
			memset(out.addr, 0xa5, n * sizeof(*out.addr));
			assert_int_equal(pa_chunk_decode_cols(c, blob, len, m, &out), 0);
			assert_int_equal(out.n, n);
			for (size_t i = 0; i < n; i++) {
				if (m & PA_COL_TIME)
					assert_int_equal(out.time_ns[i], in.time_ns[i]);
				else
					assert_int_equal(out.time_ns[i], 0xa5a5a5a5a5a5a5a5ull);
				if (m & PA_COL_ADDR)
					assert_int_equal(out.addr[i], in.addr[i]);
				else if (m & PA_COL_PAGE)
					assert_int_equal(out.addr[i], in.addr[i] & ~4095ull);
				else
					assert_int_equal(out.addr[i], 0xa5a5a5a5a5a5a5a5ull);
				if (m & PA_COL_TID)
					assert_int_equal(out.tid[i], in.tid[i]);
				if (m & PA_COL_TGID)
					assert_int_equal(out.tgid[i], in.tgid[i]);
				if (m & PA_COL_FLAGS)
					assert_int_equal(out.flags[i], in.flags[i]);
				if (m & PA_COL_IP)
					assert_int_equal(out.ip[i], in.ip[i]);
				if (m & PA_COL_AUX)
					assert_int_equal(out.aux[i], in.aux[i]);
			}
		}
	}
	/* a V1 blob is decoded whole whatever is asked */
	assert_int_equal(pa_chunk_decode_cols(c, v1_seq, sizeof(v1_seq), PA_COL_TIME, &out), 0);
	assert_int_equal(out.addr[31], 0x7f123400f3c0ull);
	pa_batch_free(&in);
	pa_batch_free(&out);
	pa_codec_free(c);
}

/*
 * Reads the chunk of @blob in pieces of @max with columns @cols: each piece as long as
 * asked while events remain, 0 at the end and after. Returns the events read, or the
 * first error (after which reads return 0), with every piece compared to @whole.
 */
static int64_t read_pieces(struct pa_codec *c, const void *blob, size_t len,
			   unsigned int cols, size_t max, const struct pa_batch *whole)
{
	struct pa_batch piece;
	int64_t n = pa_chunk_open(c, blob, len, cols), done = 0;
	int rc;

	assert_int_equal(pa_batch_init(&piece, 0), 0);
	if (n < 0) {
		assert_int_equal(pa_chunk_read(c, &piece, max), 0);
		pa_batch_free(&piece);
		return n;
	}
	while ((rc = pa_chunk_read(c, &piece, max)) > 0) {
		size_t want = (size_t)(n - done) < max ? (size_t)(n - done) : max;

		assert_int_equal(rc, want);
		assert_int_equal(piece.n, want);
		for (size_t i = 0; i < piece.n; i++) {
			size_t at = (size_t)done + i;

			if (cols & PA_COL_TIME)
				assert_int_equal(piece.time_ns[i], whole->time_ns[at]);
			if (cols & PA_COL_ADDR)
				assert_int_equal(piece.addr[i], whole->addr[at]);
			else if (cols & PA_COL_PAGE)
				assert_int_equal(piece.addr[i], whole->addr[at] & ~4095ull);
			if (cols & PA_COL_TID)
				assert_int_equal(piece.tid[i], whole->tid[at]);
			if (cols & PA_COL_TGID)
				assert_int_equal(piece.tgid[i], whole->tgid[at]);
			if (cols & PA_COL_FLAGS)
				assert_int_equal(piece.flags[i], whole->flags[at]);
			if (cols & PA_COL_IP)
				assert_int_equal(piece.ip[i], whole->ip[at]);
			if (cols & PA_COL_AUX)
				assert_int_equal(piece.aux[i], whole->aux[at]);
		}
		done += rc;
	}
	assert_int_equal(pa_chunk_read(c, &piece, max), 0);
	pa_batch_free(&piece);
	if (rc < 0)
		return rc;
	assert_int_equal(done, n);
	return done;
}

/* A chunk read in pieces of any size is the chunk decoded whole, V2 and V1. */
static void test_read_in_pieces(void **state)
{
	static const size_t maxes[] = { 1, 7, 1000, 1024, 1025, 4096, 5000, 6000 };
	static const unsigned int sets[] = {
		PA_COL_ALL, PA_COL_PAGE | PA_COL_TIME | PA_COL_TGID | PA_COL_FLAGS,
		PA_COL_TID | PA_COL_AUX, PA_COL_IP,
	};
	static const size_t sizes[] = { 5000, 40 };	/* 40: the columns go inline */
	struct pa_codec *c = pa_codec_new(3), *d = pa_codec_new(0);
	struct pa_batch in, piece;
	const void *blob;
	size_t len;

	(void)state;
	assert_int_equal(pa_batch_init(&in, 0), 0);
	assert_int_equal(pa_batch_init(&piece, 0), 0);
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		for (int extreme = 0; extreme < 2; extreme++) {
			fill(&in, sizes[z], 5 + z, extreme);
			assert_int_equal(pa_chunk_encode(c, &in, 0, in.n, &blob, &len), 0);
			for (size_t k = 0; k < sizeof(sets) / sizeof(sets[0]); k++)
				for (size_t m = 0; m < sizeof(maxes) / sizeof(maxes[0]); m++)
					assert_int_equal(read_pieces(d, blob, len, sets[k],
								     maxes[m], &in),
							 (int64_t)in.n);
		}
	}
	/* V1: decoded whole at open, handed out in the same pieces */
	assert_int_equal(pa_chunk_decode(c, v1_seq, sizeof(v1_seq), &in), 0);
	for (size_t m = 0; m < sizeof(maxes) / sizeof(maxes[0]); m++) {
		assert_int_equal(read_pieces(d, v1_seq, sizeof(v1_seq), PA_COL_ALL, maxes[m],
					     &in), 32);
		assert_int_equal(read_pieces(d, v1_seq, sizeof(v1_seq), PA_COL_PAGE, maxes[m],
					     &in), 32);
	}
	/* nothing open, or a piece of nothing */
	assert_int_equal(pa_chunk_read(d, &piece, 10), 0);
	assert_int_equal(pa_chunk_open(d, v1_seq, sizeof(v1_seq), PA_COL_ALL), 32);
	assert_int_equal(pa_chunk_read(d, &piece, 0), -PA_EINVAL);
	pa_batch_free(&in);
	pa_batch_free(&piece);
	pa_codec_free(c);
	pa_codec_free(d);
}

/*
 * Damaged blobs in pieces: one that decodes whole reads the same in pieces; one refused
 * whole is refused at open or by a piece (the inline columns' trailing bytes only by
 * the last), and ASan checks that nothing before the refusal reads out of bounds.
 */
static void test_pieces_of_damaged_blobs(void **state)
{
	static const size_t sizes[] = { 3000, 40 };
	struct pa_codec *c = pa_codec_new(3);
	struct pa_batch in, whole, piece;
	uint64_t s = 1234;

	(void)state;
	assert_int_equal(pa_batch_init(&in, 0), 0);
	assert_int_equal(pa_batch_init(&whole, 0), 0);
	assert_int_equal(pa_batch_init(&piece, 0), 0);
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		const void *blob;
		uint8_t *copy;
		size_t len;
		int failed = 0;

		fill(&in, sizes[z], 9, 0);
		assert_int_equal(pa_chunk_encode(c, &in, 0, in.n, &blob, &len), 0);
		copy = malloc(len);
		assert_non_null(copy);
		memcpy(copy, blob, len);
		for (int k = 0; k < 2000; k++) {
			size_t at = 3 + rnd(&s) % (len - 3);
			uint8_t old = copy[at];
			int64_t n;
			int r = 0;

			copy[at] ^= (uint8_t)(1 + rnd(&s) % 255);
			if (pa_chunk_decode(c, copy, len, &whole) == 0) {
				assert_int_equal(read_pieces(c, copy, len, PA_COL_ALL, 16, &whole),
						 (int64_t)whole.n);
			} else {
				n = pa_chunk_open(c, copy, len, PA_COL_ALL);
				if (n > 0)
					while ((r = pa_chunk_read(c, &piece, 16)) > 0)
						;
				assert_true(n == -PA_ECORRUPT || r == -PA_ECORRUPT);
				assert_int_equal(pa_chunk_read(c, &piece, 16), 0);
				failed++;
			}
			copy[at] = old;
		}
		assert_true(failed > 100);
		free(copy);
	}
	pa_batch_free(&in);
	pa_batch_free(&whole);
	pa_batch_free(&piece);
	pa_codec_free(c);
}

/*
 * pa_chunk_stored: the parts add up to the blob; the header part is the prefix and the
 * first frame with its length (read here from the blob); a column of one process id
 * (one delta, then zeros) a few bytes, random pages and offsets at least a byte an event.
 */
static void test_chunk_stored(void **state)
{
	struct pa_codec *c = pa_codec_new(3);
	uint64_t part[PA_CHUNK_PARTS], sum = 0, hdr = 0;
	struct pa_batch in;
	const uint8_t *blob;
	size_t len, n = 20000, k = 3;
	unsigned int shift = 0;

	(void)state;
	assert_int_equal(pa_batch_init(&in, 0), 0);
	fill(&in, n, 11, 0);
	assert_int_equal(pa_chunk_encode(c, &in, 0, n, (const void **)&blob, &len), 0);
	assert_int_equal(pa_chunk_stored(c, part), -PA_EINVAL);	/* nothing open */
	assert_int_equal(pa_chunk_open(c, blob, len, 0), (int64_t)n);
	assert_int_equal(pa_chunk_stored(c, part), 0);
	for (int i = 0; i < PA_CHUNK_PARTS; i++)
		sum += part[i];
	assert_int_equal(sum, len);
	do {	/* the header frame's length, a varint after the prefix */
		hdr |= (uint64_t)(blob[k] & 0x7f) << shift;
		shift += 7;
	} while (blob[k++] & 0x80);
	assert_int_equal(part[0], k + hdr);
	assert_string_equal(pa_chunk_part_names[3], "tgid");
	assert_true(part[3] < 64);
	assert_true(part[5] >= n && part[6] >= n);	/* page, offset */
	assert_int_equal(pa_chunk_decode(c, v1_seq, sizeof(v1_seq), &in), 0);
	assert_int_equal(pa_chunk_stored(c, part), -PA_EINVAL);	/* codec 1 */
	pa_batch_free(&in);
	pa_codec_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_codec_reuse),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_damaged_blobs),
		cmocka_unit_test(test_checksums),
		cmocka_unit_test(test_check_meta),
		cmocka_unit_test(test_compresses_regular_traces),
		cmocka_unit_test(test_v1_blob),
		cmocka_unit_test(test_v2_modes_and_checks),
		cmocka_unit_test(test_v2_encoder_choices),
		cmocka_unit_test(test_decode_columns),
		cmocka_unit_test(test_read_in_pieces),
		cmocka_unit_test(test_pieces_of_damaged_blobs),
		cmocka_unit_test(test_chunk_stored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

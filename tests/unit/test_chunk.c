// SPDX-License-Identifier: MIT
/* The chunk codec: exact round trips, extreme values, and damaged blobs refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

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
		assert_int_equal(a->time_ns[first + i], b->time_ns[i]);
		assert_int_equal(a->ip[first + i], b->ip[i]);
		assert_int_equal(a->addr[first + i], b->addr[i]);
		assert_int_equal(a->aux[first + i], b->aux[i]);
		assert_int_equal(a->tid[first + i], b->tid[i]);
		assert_int_equal(a->tgid[first + i], b->tgid[i]);
		assert_int_equal(a->flags[first + i], b->flags[i]);
	}
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
		const void *blob;
		size_t len;

		fill(&in, n, k, (int)(k & 1));
		assert_int_equal(pa_chunk_encode(c, &in, 0, n, &blob, &len), 0);
		assert_int_equal(pa_chunk_decode(c, blob, len, &out), 0);
		assert_int_equal(out.n, n);
		assert_same(&in, 0, &out);
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
	copy[2] = 2;
	assert_int_equal(pa_chunk_decode(c, copy, len, &out), -PA_ECORRUPT);
	copy[2] = PA_CHUNK_CODEC_V1;
	/* random damage: never a crash (ASan watches), and what decodes is in bounds */
	for (int k = 0; k < 2000; k++) {
		size_t at = 3 + rnd(&s) % (len - 3);
		uint8_t old = copy[at];
		int rc;

		copy[at] ^= (uint8_t)(1 + rnd(&s) % 255);
		rc = pa_chunk_decode(c, copy, len, &out);
		assert_true(rc == 0 || rc == -PA_ECORRUPT);
		copy[at] = old;
	}
	assert_int_equal(pa_chunk_decode(c, copy, len, &out), 0);
	assert_same(&in, 0, &out);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_codec_reuse),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_damaged_blobs),
		cmocka_unit_test(test_compresses_regular_traces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * Unit tests of analyze/reuse.c: the bitmap + Fenwick reuse distances against an
 * O(N*M) LRU stack written here, on random sequences with several seeds and small
 * initial axes (so that compaction and growth run many times), and known answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reuse.h"

/* The obviously-correct version: an LRU stack; the distance is the depth of the page. */
struct stack {
	uint32_t *ids;
	size_t n;
};

static uint64_t stack_access(struct stack *s, uint32_t id)
{
	size_t pos;

	for (pos = 0; pos < s->n; pos++)
		if (s->ids[pos] == id)
			break;
	if (pos == s->n)
		s->n++;
	memmove(s->ids + 1, s->ids, pos * sizeof(*s->ids));
	s->ids[0] = id;
	return pos;
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Runs @n accesses over @m pages (mixing uniform and a hot set) through both. */
static void compare_random(uint64_t seed, size_t n, uint32_t m, size_t time_cap, int batch)
{
	struct pa_reuse r;
	struct stack s = { calloc(m, sizeof(uint32_t)), 0 };
	uint8_t *seen = calloc(m, 1);
	uint32_t *ids = malloc(n * sizeof(*ids));
	uint64_t *dist = malloc(n * sizeof(*dist));
	uint32_t *cell = calloc(m, sizeof(*cell));	/* per page, the tracker's */
	uint32_t **cells = malloc(n * sizeof(*cells));
	uint64_t x = seed * 2654435761u + 1;
	int err = 0;

	assert_non_null(s.ids);
	assert_non_null(seen);
	assert_non_null(ids);
	assert_non_null(dist);
	assert_non_null(cell);
	assert_non_null(cells);
	assert_int_equal(pa_reuse_init(&r, time_cap), 0);
	for (size_t i = 0; i < n; i++) {
		uint64_t v = xorshift(&x);

		ids[i] = (v >> 40) % 4 == 0 ? (uint32_t)(v % (m / 8 + 1)) : (uint32_t)(v % m);
		cells[i] = &cell[ids[i]];
	}
	if (batch) {
		assert_int_equal(pa_reuse_access_batch(&r, cells, n, dist), 0);
	} else {
		for (size_t i = 0; i < n; i++)
			dist[i] = pa_reuse_access(&r, cells[i], &err);
		assert_int_equal(err, 0);
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t want = stack_access(&s, ids[i]);

		if (!seen[ids[i]]) {
			seen[ids[i]] = 1;
			want = PA_REUSE_COLD;
		}
		if (dist[i] != want)
			fail_msg("seed %llu access %zu (page %u): got %llu, want %llu",
				 (unsigned long long)seed, i, ids[i], (unsigned long long)dist[i],
				 (unsigned long long)want);
	}
	assert_int_equal(r.live, s.n);
	/* a small axis must have been compacted many times for this test to mean much */
	if (time_cap <= 512 && n > 4096)
		assert_true(r.compactions > 2);
	pa_reuse_free(&r);
	free(s.ids);
	free(seen);
	free(ids);
	free(dist);
	free(cell);
	free(cells);
}

static void test_random_small(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 6; seed++)
		compare_random(seed, 3000, 20, 1, seed % 2);
}

static void test_random_compaction(void **state)
{
	(void)state;
	/* M up to 3000 > the first axis of 512: growth and compaction both happen */
	compare_random(7, 40000, 300, 1, 0);
	compare_random(8, 40000, 3000, 1, 1);
	compare_random(9, 30000, 1500, 1 << 16, 1);
}

static void test_random_seeds(void **state)
{
	(void)state;
	for (uint64_t seed = 10; seed < 16; seed++)
		compare_random(seed, 20000, 700 + 97 * (uint32_t)seed, 512, (int)(seed & 1));
}

/* A sequential scan over N pages repeated k times: every re-access is at N - 1. */
static void test_sequential_scan(void **state)
{
	const uint32_t npages[] = { 1, 2, 5, 64, 513, 1000 };

	(void)state;
	for (size_t t = 0; t < sizeof(npages) / sizeof(npages[0]); t++) {
		uint32_t n = npages[t];
		const uint64_t k = 5;
		struct pa_reuse r;
		struct pa_reuse_hist h;
		uint32_t *cell = calloc(n, sizeof(*cell));
		int err = 0;

		assert_non_null(cell);
		memset(&h, 0, sizeof(h));
		assert_int_equal(pa_reuse_init(&r, 1), 0);
		for (uint64_t pass = 0; pass < k; pass++) {
			for (uint32_t p = 0; p < n; p++) {
				uint64_t d = pa_reuse_access(&r, &cell[p], &err);

				assert_int_equal(err, 0);
				if (pass == 0)
					assert_true(d == PA_REUSE_COLD);
				else
					assert_int_equal(d, n - 1);
				pa_reuse_hist_add(&h, d, 1);
			}
		}
		assert_int_equal(h.accesses, k * n);
		assert_int_equal(h.cold, n);
		assert_int_equal(h.bucket[pa_reuse_bucket(n - 1)], (k - 1) * n);
		/* LRU of C < N pages misses everything; C >= N only the cold misses (1/k) */
		for (uint64_t c = 1; c < n; c *= 2)
			assert_int_equal(pa_reuse_misses(&h, c), k * n);
		assert_int_equal(pa_reuse_misses(&h, n), n);
		assert_int_equal(pa_reuse_misses(&h, 2 * n), n);
		pa_reuse_free(&r);
		free(cell);
	}
}

static void test_buckets(void **state)
{
	struct pa_reuse_hist h;

	(void)state;
	assert_int_equal(pa_reuse_bucket(0), 0);
	assert_int_equal(pa_reuse_bucket(1), 1);
	assert_int_equal(pa_reuse_bucket(2), 2);
	assert_int_equal(pa_reuse_bucket(3), 2);
	assert_int_equal(pa_reuse_bucket(4), 3);
	assert_int_equal(pa_reuse_bucket(7), 3);
	assert_int_equal(pa_reuse_bucket(8), 4);
	assert_int_equal(pa_reuse_bucket(UINT64_MAX - 1), 64);
	for (unsigned int b = 0; b < PA_REUSE_NBUCKETS; b++) {
		assert_int_equal(pa_reuse_bucket(pa_reuse_bucket_min(b)), b);
		assert_int_equal(pa_reuse_bucket(pa_reuse_bucket_max(b)), b);
	}
	memset(&h, 0, sizeof(h));
	pa_reuse_hist_add(&h, 0, 3);
	pa_reuse_hist_add(&h, 5, 2);	/* bucket [4, 7] */
	pa_reuse_hist_add(&h, PA_REUSE_COLD, 1);
	assert_int_equal(h.accesses, 6);
	assert_int_equal(pa_reuse_misses(&h, 1), 3);
	assert_int_equal(pa_reuse_misses(&h, 4), 3);
	assert_int_equal(pa_reuse_misses(&h, 8), 1);
	assert_int_equal(pa_reuse_misses(&h, 6), 1);	/* above every distance: exact */
	pa_reuse_hist_add(&h, 7, 2);	/* bucket [4, 7] now holds 4 */
	assert_int_equal(pa_reuse_misses(&h, 4), 5);
	assert_int_equal(pa_reuse_misses(&h, 6), 3);	/* interpolated: 6, 7 of 4..7 */
	assert_int_equal(pa_reuse_misses(&h, 8), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_small),
		cmocka_unit_test(test_random_compaction),
		cmocka_unit_test(test_random_seeds),
		cmocka_unit_test(test_sequential_scan),
		cmocka_unit_test(test_buckets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

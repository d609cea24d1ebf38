// SPDX-License-Identifier: MIT
/*
 * pa_hashmap, the one hash map: dense ids in order of first sight, numbers of the
 * caller's choosing, groups that keep equal values apart, growth that keeps every key,
 * and a walk over the slots that finds each key once. Checked against a plain list of
 * the keys inserted, searched linearly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "pat/hashmap.h"

struct key {
	uint32_t group;
	uint64_t value;
};

/* The index of (@group, @value) in @keys[0..n), or -1: the reference. */
static long ref_find(const struct key *keys, size_t n, uint32_t group, uint64_t value)
{
	for (size_t i = 0; i < n; i++)
		if (keys[i].group == group && keys[i].value == value)
			return (long)i;
	return -1;
}

/* xorshift64: reproducible keys; many repeat, some differ only in the group. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void test_dense_ids(void **state)
{
	enum { N = 5000 };
	struct key *keys = malloc(N * sizeof(*keys));
	struct pa_hashmap m;
	uint64_t s = 88172645463325252ull;
	size_t n = 0;

	(void)state;
	assert_non_null(keys);
	assert_int_equal(pa_hashmap_init(&m, 4), 0);
	for (int i = 0; i < 4 * N && n < N; i++) {
		uint64_t r = next(&s);
		/* values 0 and all-ones included, few groups, values shared between groups */
		uint32_t group = (uint32_t)(r >> 62);
		uint64_t value = (r & 1) ? (r >> 8) % 1500 : (r % 3 == 0 ? UINT64_MAX : 0);
		long want = ref_find(keys, n, group, value);
		uint32_t id = 12345, found;
		int added = pa_hashmap_get(&m, group, value, &id);

		if (want < 0) {
			assert_int_equal(added, 1);
			assert_int_equal(id, n);
			keys[n].group = group;
			keys[n].value = value;
			n++;
		} else {
			assert_int_equal(added, 0);
			assert_int_equal(id, (uint32_t)want);
		}
		assert_int_equal(m.count, n);
		assert_int_equal(pa_hashmap_find(&m, group, value, &found), 1);
		assert_int_equal(found, id);
	}
	assert_true(n > 1000);	/* it grew many times */
	/* every key is still there after the growth, with its id; others are not */
	for (size_t i = 0; i < n; i++) {
		uint32_t found;

		assert_int_equal(pa_hashmap_find(&m, keys[i].group, keys[i].value, &found), 1);
		assert_int_equal(found, i);
	}
	for (uint64_t v = 1500; v < 1600; v++) {
		uint32_t found;

		assert_int_equal(pa_hashmap_find(&m, 0, v, &found), 0);
	}
	pa_hashmap_free(&m);
	free(keys);
}

static void test_put_and_walk(void **state)
{
	struct pa_hashmap m;
	uint32_t *num, got;
	size_t seen = 0;

	(void)state;
	assert_int_equal(pa_hashmap_init(&m, 8), 0);
	/* numbers of the caller's choosing, changed in place */
	for (uint64_t v = 0; v < 100; v++) {
		assert_int_equal(pa_hashmap_put(&m, 0, v * 4096, (uint32_t)(v % 3), &num), 1);
		assert_int_equal(*num, v % 3);
		if (v % 2)
			*num = 7;
	}
	assert_int_equal(pa_hashmap_put(&m, 0, 4096, 99, &num), 0);
	assert_int_equal(*num, 7);	/* present: @init is not used */
	assert_int_equal(pa_hashmap_find(&m, 0, 2 * 4096, &got), 1);
	assert_int_equal(got, 2);
	/* the same value in another group is another key */
	assert_int_equal(pa_hashmap_find(&m, 1, 4096, &got), 0);
	assert_int_equal(pa_hashmap_put(&m, 1, 4096, 5, &num), 1);
	assert_int_equal(m.count, 101);
	/* the walk finds each key once, with its number */
	for (size_t i = 0; i <= m.mask; i++) {
		const struct pa_hashmap_slot *sl = &m.slots[i];

		if (sl->num == PA_HASHMAP_EMPTY)
			continue;
		seen++;
		if (sl->group == 1) {
			assert_int_equal(sl->value, 4096);
			assert_int_equal(sl->num, 5);
		} else {
			uint64_t v = sl->value / 4096;

			assert_int_equal(sl->value % 4096, 0);
			assert_true(v < 100);
			assert_int_equal(sl->num, v % 2 ? 7 : v % 3);
		}
	}
	assert_int_equal(seen, 101);
	pa_hashmap_free(&m);
	pa_hashmap_free(&m);	/* a freed map may be freed again */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dense_ids),
		cmocka_unit_test(test_put_and_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * pa_reserve and pa_grow, the one growable-array helper: capacities double from the
 * first size, requests within the capacity leave the array alone, and what was stored
 * survives every move.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "pat/error.h"
#include "pat/grow.h"

static void test_reserve_doubles(void **state)
{
	uint32_t *a = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(pa_reserve((void **)&a, &cap, 0, sizeof(*a), 16), 0);
	assert_null(a);
	assert_int_equal(cap, 0);
	assert_int_equal(pa_reserve((void **)&a, &cap, 1, sizeof(*a), 16), 0);
	assert_int_equal(cap, 16);
	for (uint32_t i = 0; i < 16; i++)
		a[i] = i;
	/* within the capacity: neither moved nor grown */
	uint32_t *same = a;
	assert_int_equal(pa_reserve((void **)&a, &cap, 16, sizeof(*a), 16), 0);
	assert_ptr_equal(a, same);
	assert_int_equal(cap, 16);
	/* 16 -> 32 -> 64 -> 128 for 100: the smallest doubling that holds it */
	assert_int_equal(pa_reserve((void **)&a, &cap, 100, sizeof(*a), 16), 0);
	assert_int_equal(cap, 128);
	for (uint32_t i = 0; i < 16; i++)
		assert_int_equal(a[i], i);
	free(a);
}

static void test_grow_appends(void **state)
{
	uint64_t *a = NULL;
	size_t n = 0, cap = 0;

	(void)state;
	for (uint64_t i = 0; i < 10000; i++) {
		uint64_t *b = pa_grow(a, &cap, n, sizeof(*a), 8);

		assert_non_null(b);
		a = b;
		assert_true(cap > n);
		/* a power of two times the first size, never more than twice what is held */
		assert_int_equal(cap & (cap - 1), 0);
		assert_true(cap == 8 || cap <= 2 * (n + 1));
		a[n++] = i * 3;
	}
	for (uint64_t i = 0; i < n; i++)
		assert_int_equal(a[i], i * 3);
	free(a);
}

static void test_reserve_refuses_overflow(void **state)
{
	uint32_t *a = NULL;
	size_t cap = 0;

	(void)state;
	/* more bytes than size_t counts: -PA_ENOMEM, the array and its capacity as they were */
	assert_int_equal(pa_reserve((void **)&a, &cap, 8, 4, 8), 0);
	uint32_t *before = a;
	assert_int_equal(pa_reserve((void **)&a, &cap, SIZE_MAX / 4 + 1, 4, 8), -PA_ENOMEM);
	assert_ptr_equal(a, before);
	assert_int_equal(cap, 8);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reserve_doubles),
		cmocka_unit_test(test_grow_appends),
		cmocka_unit_test(test_reserve_refuses_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * Unit tests of analyze/pagetab.c: page slots and dense page ids against a plain sorted
 * list of (group, page) pairs built here, on pages in runs, scattered one per leaf
 * (so that many blocks of leaves are made), at the ends of the 64-bit address space,
 * and with groups that share page numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pagetab.h"

#define SHIFT 12

struct pair {
	uint32_t group;
	uint64_t page;
	uint32_t first;		/* index of its first access */
};

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->page != y->page)
		return x->page < y->page ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * The expected id of every access: pairs sorted, the first access of each distinct
 * pair found, and distinct pairs numbered by their first access.
 */
static void expected_ids(const uint32_t *group, const uint64_t *addr, size_t n, uint32_t *want,
			 uint32_t *distinct)
{
	struct pair *p = malloc(n * sizeof(*p));
	uint32_t *first = malloc(n * sizeof(*first));	/* per access: its pair's first */
	uint32_t *id_of_first = malloc(n * sizeof(*id_of_first));
	uint32_t next = 0;

	assert_non_null(p);
	assert_non_null(first);
	assert_non_null(id_of_first);
	for (size_t i = 0; i < n; i++)
		p[i] = (struct pair){ group[i], addr[i] >> SHIFT, (uint32_t)i };
	qsort(p, n, sizeof(*p), cmp_pair);
	for (size_t i = 0; i < n; i++) {
		int same = i && p[i].group == p[i - 1].group && p[i].page == p[i - 1].page;

		first[p[i].first] = same ? first[p[i - 1].first] : p[i].first;
	}
	for (size_t i = 0; i < n; i++) {
		if (first[i] == i)
			id_of_first[i] = next++;
		want[i] = id_of_first[first[i]];
	}
	*distinct = next;
	free(p);
	free(first);
	free(id_of_first);
}

/* Maps @n accesses in pieces of varying size and compares with expected_ids. */
static void check_ids(const uint32_t *group, const uint64_t *addr, size_t n)
{
	struct pa_pageids m;
	uint32_t *got = malloc(n * sizeof(*got)), *want = malloc(n * sizeof(*want));
	uint32_t distinct;
	size_t i = 0, piece = 1;

	assert_non_null(got);
	assert_non_null(want);
	expected_ids(group, addr, n, want, &distinct);
	assert_int_equal(pa_pageids_init(&m), 0);
	while (i < n) {
		size_t k = n - i < piece ? n - i : piece;

		assert_int_equal(pa_pageids_map(&m, group + i, addr + i, SHIFT, k, got + i), 0);
		i += k;
		piece = piece * 3 % 1000 + 1;
	}
	for (i = 0; i < n; i++)
		if (got[i] != want[i])
			fail_msg("access %zu (group %u, addr %#llx): id %u, want %u", i, group[i],
				 (unsigned long long)addr[i], got[i], want[i]);
	assert_int_equal(m.count, distinct);
	pa_pageids_free(&m);
	free(got);
	free(want);
}

static void test_runs_and_random(void **state)
{
	const size_t n = 200000;
	uint32_t *group = malloc(n * sizeof(*group));
	uint64_t *addr = malloc(n * sizeof(*addr));
	uint64_t x = 12345;

	(void)state;
	assert_non_null(group);
	assert_non_null(addr);
	for (size_t i = 0; i < n; i++) {
		uint64_t v = xorshift(&x);

		group[i] = 1000 + (uint32_t)(v % 3);
		if (i % 4 == 0)		/* uniform over 2^20 pages of 3 processes */
			addr[i] = ((v >> 8) % (1u << 20)) << SHIFT | (v & 4095);
		else			/* runs: a scan of 4096 pages, with offsets */
			addr[i] = 0x7f0000000000ull + ((i / 7) % 4096) * 4096 + (v & 4095);
	}
	check_ids(group, addr, n);
	free(group);
	free(addr);
}

static void test_scattered_and_extreme(void **state)
{
	const size_t n = 30000;
	uint32_t *group = malloc(n * sizeof(*group));
	uint64_t *addr = malloc(n * sizeof(*addr));

	(void)state;
	assert_non_null(group);
	assert_non_null(addr);
	for (size_t i = 0; i < n; i++) {
		/* one page per 2^20 pages: every distinct page needs its own leaf, so
		 * blocks of leaves are made again and again; twice each, and in group 0
		 * and group UINT32_MAX with the same page numbers */
		uint64_t k = (i / 2) % 5000;

		group[i] = (i / 10000) % 2 ? UINT32_MAX : 0;
		addr[i] = (k << 32) | (i % 3) << 12;
	}
	addr[0] = UINT64_MAX;		/* the last page of the address space */
	addr[1] = 0;
	addr[2] = UINT64_MAX - 4096;
	addr[3] = UINT64_MAX;
	check_ids(group, addr, n);
	free(group);
	free(addr);
}

/* Slots: zero at first, keep what is stored, and stay where they are as the table grows. */
static void test_slots(void **state)
{
	enum { N = 5000 };
	struct pa_pagetab t;
	uint32_t group[N], *slot[N], *again[N];
	uint64_t addr[N];

	(void)state;
	for (size_t i = 0; i < N; i++) {
		group[i] = (uint32_t)(i % 2);
		addr[i] = (uint64_t)i << 30;	/* 2^18 pages apart: a leaf each */
	}
	assert_int_equal(pa_pagetab_init(&t), 0);
	assert_int_equal(pa_pagetab_slots(&t, group, addr, SHIFT, N, slot), 0);
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(*slot[i], 0);
		*slot[i] = (uint32_t)i + 7;
	}
	for (size_t i = 0; i < N; i++)
		addr[i] += 4095;	/* same pages, other offsets */
	assert_int_equal(pa_pagetab_slots(&t, group, addr, SHIFT, N, again), 0);
	for (size_t i = 0; i < N; i++) {
		assert_ptr_equal(again[i], slot[i]);
		assert_int_equal(*again[i], (uint32_t)i + 7);
	}
	/* the neighbour page in the same leaf is a different slot, still zero */
	for (size_t i = 0; i < N; i++)
		addr[i] += 1;
	assert_int_equal(pa_pagetab_slots(&t, group, addr, SHIFT, N, again), 0);
	for (size_t i = 0; i < N; i++) {
		assert_ptr_equal(again[i], slot[i] + 1);
		assert_int_equal(*again[i], 0);
	}
	/* a pass over the leaves sees each value stored once, and zeros elsewhere */
	{
		uint64_t sum = 0, want = 0;
		size_t nonzero = 0;

		assert_int_equal(pa_pagetab_leaves(&t), N);
		for (size_t i = 0; i < pa_pagetab_leaves(&t); i++) {
			const uint32_t *leaf = pa_pagetab_leaf(&t, i);

			for (size_t k = 0; k < PA_PAGETAB_LEAF; k++) {
				sum += leaf[k];
				nonzero += leaf[k] != 0;
			}
		}
		for (size_t i = 0; i < N; i++)
			want += i + 7;
		assert_int_equal(nonzero, N);
		assert_int_equal(sum, want);
	}
	pa_pagetab_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs_and_random),
		cmocka_unit_test(test_scattered_and_extreme),
		cmocka_unit_test(test_slots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

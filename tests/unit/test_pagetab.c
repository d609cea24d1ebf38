// SPDX-License-Identifier: MIT
/*
 * Unit tests of analyze/pagetab.c: page slots and dense page ids against a plain sorted
 * list of (group, page) pairs built here, on pages in runs, scattered one per region
 * (loose pages), at the ends of the 64-bit address space, and with groups that share
 * page numbers; loose pages moving to leaves, with one cell a page and two.
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
		/* one page per 2^20 pages: every distinct page is loose, alone in its
		 * region; twice each, and in group 0 and group UINT32_MAX with the same
		 * page numbers (the key of all ones, which marks dead entries, among
		 * them) */
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

/* The sum and count of the nonzero cells of a table, from pa_pagetab_each. */
struct tally {
	uint64_t sum;
	size_t nonzero, cells_per_page;
};

static void tally_cells(void *ctx, const uint32_t *cells, size_t pages)
{
	struct tally *ty = ctx;

	for (size_t k = 0; k < pages * ty->cells_per_page; k++) {
		ty->sum += cells[k];
		ty->nonzero += cells[k] != 0;
	}
}

/* Slots: zero at first, keep what is stored, and are distinct for distinct pages. */
static void test_slots(void **state)
{
	enum { N = 5000 };
	struct pa_pagetab t;
	uint32_t group[N], *slot[N], *again[N];
	uint64_t addr[N], want = 0;
	struct tally ty = { .cells_per_page = 1 };

	(void)state;
	for (size_t i = 0; i < N; i++) {
		group[i] = (uint32_t)(i % 2);
		addr[i] = (uint64_t)i << 30;	/* 2^18 pages apart: a region each */
	}
	assert_int_equal(pa_pagetab_init(&t, 0), 0);
	assert_int_equal(pa_pagetab_slots(&t, group, addr, SHIFT, N, slot), 0);
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(*slot[i], 0);
		*slot[i] = (uint32_t)i + 7;
	}
	for (size_t i = 0; i < N; i++)
		addr[i] += 4095;	/* same pages, other offsets */
	assert_int_equal(pa_pagetab_slots(&t, group, addr, SHIFT, N, again), 0);
	for (size_t i = 0; i < N; i++)
		assert_int_equal(*again[i], (uint32_t)i + 7);
	/* the neighbour pages are other slots, still zero */
	for (size_t i = 0; i < N; i++)
		addr[i] += 1;
	assert_int_equal(pa_pagetab_slots(&t, group, addr, SHIFT, N, again), 0);
	for (size_t i = 0; i < N; i++)
		assert_int_equal(*again[i], 0);
	/* a pass over the table sees each value stored once, and zeros elsewhere */
	pa_pagetab_each(&t, tally_cells, &ty);
	for (size_t i = 0; i < N; i++)
		want += i + 7;
	assert_int_equal(ty.nonzero, N);
	assert_int_equal(ty.sum, want);
	pa_pagetab_free(&t);
}

/*
 * With a shift of 0, page UINT64_MAX of group UINT32_MAX has the key that marks dead
 * loose entries: it gets a leaf, and its neighbours, loose or not, keep their own slots.
 */
static void test_all_ones_key(void **state)
{
	uint32_t group[4] = { UINT32_MAX, UINT32_MAX, 0, UINT32_MAX }, *slot[4], *again[4];
	uint64_t addr[4] = { UINT64_MAX, UINT64_MAX - 1, UINT64_MAX, 1ull << 40 };
	struct pa_pagetab t;

	(void)state;
	assert_int_equal(pa_pagetab_init(&t, 0), 0);
	assert_int_equal(pa_pagetab_slots(&t, group, addr, 0, 4, slot), 0);
	for (uint32_t i = 0; i < 4; i++) {
		assert_int_equal(*slot[i], 0);
		*slot[i] = i + 1;
	}
	assert_int_equal(pa_pagetab_slots(&t, group, addr, 0, 4, again), 0);
	for (uint32_t i = 0; i < 4; i++)
		assert_int_equal(*again[i], i + 1);
	pa_pagetab_free(&t);
}

/* What the move hook heard: every moved page, its cells checked at their new place. */
struct moves {
	size_t count, cells, dense;	/* cells a page, pages of the dense regions */
	int bad;
};

static void on_move(void *ctx, uint32_t *cells)
{
	struct moves *mv = ctx;
	uint32_t v = cells[0];

	mv->count++;
	/* cell c of page j holds j * cells + c + 1; only dense regions' pages move */
	if (!v || (v - 1) % mv->cells || (v - 1) / mv->cells >= mv->dense)
		mv->bad = 1;
	for (size_t c = 1; c < mv->cells; c++)
		mv->bad |= cells[c] != v + c;
}

/*
 * Once the eager leaves are made, pages start loose and earn their region a leaf:
 * values survive the move, the hook
 * hears of each moved page at its new place, later pages of the region go to the leaf,
 * and lone pages never move. Two cells a page (--curve's 64-bit times) and one.
 */
static void check_settle(unsigned int cell_shift)
{
	/* 40 regions of 64 << cell_shift pages (dense enough), then 8000 lone pages */
	const size_t cells = (size_t)1 << cell_shift, per = (size_t)64 << cell_shift;
	const size_t dense = 40 * per, n = dense + 8000;
	struct pa_pagetab t;
	struct moves mv = { 0, cells, dense, 0 };
	struct tally ty = { .cells_per_page = cells };
	uint32_t *group = malloc(n * sizeof(*group)), **slot = malloc(n * sizeof(*slot));
	uint64_t *addr = malloc(n * sizeof(*addr)), all_sum = 0;
	size_t moved;

	assert_non_null(group);
	assert_non_null(slot);
	assert_non_null(addr);
	for (size_t i = 0; i < n; i++) {
		group[i] = 42;
		/* the dense regions' pages interleaved, so that each fills up slowly */
		addr[i] = i < dense ? ((uint64_t)(i % 40) << 36 | (i / 40) << SHIFT) :
				      (uint64_t)(i - dense + 1000) << 40;
	}
	assert_int_equal(pa_pagetab_init(&t, cell_shift), 0);
	pa_pagetab_on_move(&t, on_move, &mv);
	/* the eager leaves go to a page each of other regions */
	for (size_t i = 0; i < PA_PAGETAB_EAGER; i++) {
		uint32_t g = 7, *sl;
		uint64_t a = (uint64_t)i << 30;

		assert_int_equal(pa_pagetab_slots(&t, &g, &a, SHIFT, 1, &sl), 0);
	}
	for (size_t i = 0; i < n; i += 100) {
		size_t k = n - i < 100 ? n - i : 100;

		assert_int_equal(pa_pagetab_slots(&t, group + i, addr + i, SHIFT, k, slot + i),
				 0);
		for (size_t j = i; j < i + k; j++)
			for (size_t c = 0; c < cells; c++) {
				slot[j][c] = (uint32_t)(j * cells + c + 1);
				all_sum += j * cells + c + 1;
			}
	}
	/* each dense region moved once it had 32 << cell_shift loose pages, before its
	 * last pages came */
	assert_false(mv.bad);
	assert_true(mv.count >= 40 * ((size_t)32 << cell_shift));
	assert_true(mv.count < dense);
	assert_int_equal(pa_pagetab_slots(&t, group, addr, SHIFT, n, slot), 0);
	for (size_t j = 0; j < n; j++)
		for (size_t c = 0; c < cells; c++)
			if (slot[j][c] != (uint32_t)(j * cells + c + 1))
				fail_msg("page %zu cell %zu: %u after the move", j, c, slot[j][c]);
	/* the dense regions' pages lie in leaves: neighbours a page apart */
	for (size_t j = 40; j < dense; j++)
		assert_ptr_equal(slot[j], slot[j - 40] + cells);
	pa_pagetab_each(&t, tally_cells, &ty);
	assert_int_equal(ty.nonzero, n * cells);
	assert_int_equal(ty.sum, all_sum);
	/* nothing moves twice, lone pages never */
	moved = mv.count;
	assert_int_equal(pa_pagetab_slots(&t, group, addr, SHIFT, n, slot), 0);
	assert_int_equal(mv.count, moved);
	pa_pagetab_free(&t);
	free(group);
	free(slot);
	free(addr);
}

static void test_settle_one_cell(void **state)
{
	(void)state;
	check_settle(0);
}

static void test_settle_two_cells(void **state)
{
	(void)state;
	check_settle(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs_and_random),
		cmocka_unit_test(test_scattered_and_extreme),
		cmocka_unit_test(test_slots),
		cmocka_unit_test(test_all_ones_key),
		cmocka_unit_test(test_settle_one_cell),
		cmocka_unit_test(test_settle_two_cells),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

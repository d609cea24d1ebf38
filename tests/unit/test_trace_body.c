// SPDX-License-Identifier: MIT
/*
 * The body layer of the parser's fast path (collector/trace_body.h) alone: without a
 * cache it gives the general parser's fields or refuses the line; with the body cache
 * each part (pre, mid, ip, tail) that equals the last line's is taken from the cache
 * (seen by planting other values there) and each part that differs is parsed; the
 * spans it reports are where the varying digits are.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sameparse.h"
#include "trace_body.h"

/* The body of @line: what follows its "[cpu]" field. */
static const char *body_of(const char *line)
{
	return strchr(line, ']') + 1;
}

/* The general parser's answer, fast path off. */
static void general(const char *line, struct pa_trace_line *out)
{
	pa_trace_parse_line_any(line, strlen(line), out, 0);
}

/* The fast path on @line's body into *@out, which holds the header's fields already. */
static int fast(const char *line, struct pa_trace_line *out, struct pa_trace_body_cache *bc,
		struct spans *sp)
{
	general(line, out);
	out->tid = out->tgid = 0;
	out->ip = out->addr = out->aux = out->time_ns = 0;
	out->flags = 0;
	return fast_access(body_of(line), line + strlen(line), out, bc, sp);
}

static const char *const good[] = {
	"  app-1716  [013] ....    98.467282: handle_mm_fault: 1716 W 40f395 7fffffffe5b8",
	"  app-1716  [013] d..1.  98.4: handle_mm_fault: 1716 R 0x40f395 0x10 tgid=1715",
	"  app-1716  [013] ....  98.123456789: handle_mm_fault: 1716 R 1 2 aux=0x1f fault=demand",
	"  app-1716  [013] ....  98.000001: handle_mm_fault: 1 W ffffffffffffffff 0 tgid=4294967295 "
	"aux=1844674407370955161 fault=reset",
	"  app-1716  [013] ....  98.5: handle_mm_fault: 7 R a b fault=reset tgid=3",
};

/* Lines the fast path leaves to the general parser (which may take or refuse them). */
static const char *const refused[] = {
	"  app-1716  [013] 98.467282: handle_mm_fault: 1716 W 1 2",	/* no flags */
	"  app-1716  [013] ....  98.4: handle_mm_fault:  1716 W 1 2",	/* two spaces */
	"  app-1716  [013] ....  98.4: handle_mm_fault: 1716 W 1 2 aux=5 aux=6",
	"  app-1716  [013] ....  98.4: handle_mm_fault: 1716 W 1 2 tgid=4294967296",
	"  app-1716  [013] ....  98.4: handle_mm_fault: 1716 X 1 2",
	"  app-1716  [013] ....  98.4: handle_mm_fault: 1716 W 1 2 7",	/* bare aux */
	"  app-1716  [013] ....  98.4: page_access_mmap: pid=1 start=0 end=1",
	"  app-1716  [013] ....  98.1234567890: handle_mm_fault: 1716 W 1 2",
	"  app-1716  [013] ....  98.4: handle_mm_fault: 1716 W 1 2 fault=demandx",
};

static void test_uncached_as_general(void **state)
{
	struct pa_trace_line f, g;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(fast(good[i], &f, NULL, NULL), 0);
		general(good[i], &g);
		assert_same_parse(&f, &g);
	}
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		memset(&f, 0x5a, sizeof(f));
		memset(&g, 0x5a, sizeof(g));
		assert_int_equal(fast_access(body_of(refused[i]), refused[i] + strlen(refused[i]),
					     &f, NULL, NULL), -1);
		assert_memory_equal(&f, &g, sizeof(f));	/* untouched */
	}
}

static void test_parts_cached(void **state)
{
	const char *a = "  app-1716  [013] ....    98.467282: handle_mm_fault: 1716 W 40f395 "
			"7fffffffe5b8 tgid=1715 aux=9";
	/* the same pre, mid, ip and tail; another fraction and address */
	const char *b = "  app-1716  [013] ....    98.467290: handle_mm_fault: 1716 R 40f395 "
			"7fffffffe000 tgid=1715 aux=9";
	/* every part but the pre differs */
	const char *c = "  app-1716  [013] ....    98.500000: handle_mm_fault: 1717 W 40f396 "
			"10 tgid=1 aux=8";
	struct pa_trace_body_cache bc = { 0 };
	struct pa_trace_line f, g;

	(void)state;
	assert_int_equal(fast(a, &f, &bc, NULL), 0);
	general(a, &g);
	assert_same_parse(&f, &g);
	/* what it kept: the parts' bytes and values */
	assert_int_equal(bc.pre_len, strlen(" ....    98."));
	assert_memory_equal(bc.pre, " ....    98.", bc.pre_len);
	assert_int_equal(bc.sec, 98);
	assert_int_equal(bc.mid_len, strlen(": handle_mm_fault: 1716 "));
	assert_int_equal(bc.tid, 1716);
	assert_int_equal(bc.ip_len, 6);
	assert_int_equal(bc.ip_value, 0x40f395);
	assert_int_equal(bc.tail_len, strlen(" tgid=1715 aux=9"));
	assert_int_equal(bc.tgid, 1715);
	assert_int_equal(bc.aux, 9);

	/* a line with the same parts takes their values from the cache: plant others */
	bc.sec = 7;
	bc.tid = 42;
	bc.ip_value = 0x1234;
	bc.tgid = 43;
	bc.aux = 44;
	assert_int_equal(fast(b, &f, &bc, NULL), 0);
	assert_int_equal(f.time_ns, 7 * 1000000000ull + 467290000ull);
	assert_int_equal(f.tid, 42);
	assert_int_equal(f.ip, 0x1234);
	assert_int_equal(f.tgid, 43);
	assert_int_equal(f.aux, 44);
	assert_int_equal(f.addr, 0x7fffffffe000ull);	/* never cached */
	assert_int_equal(f.flags, 0);

	/* parts that differ are parsed, and replace the cached ones */
	assert_int_equal(fast(c, &f, &bc, NULL), 0);
	general(c, &g);
	g.time_ns = 7 * 1000000000ull + 500000000ull;	/* the pre still came from the cache */
	assert_same_parse(&f, &g);
	assert_int_equal(bc.tid, 1717);
	assert_int_equal(bc.ip_value, 0x40f396);
	assert_int_equal(bc.tgid, 1);
	assert_int_equal(bc.aux, 8);
}

static void test_spans(void **state)
{
	const char *a = "  app-1716  [013] ....    98.467282: handle_mm_fault: 1716 W 0x40f395 "
			"7fffffffe5b8 tgid=1715";
	struct pa_trace_line f;
	struct spans sp = { 0 };

	(void)state;
	assert_int_equal(fast(a, &f, NULL, &sp), 0);
	assert_ptr_equal(sp.frac, strstr(a, "467282"));
	assert_int_equal(sp.frac_digits, 6);
	assert_ptr_equal(sp.rw, strstr(a, "W 0x"));
	assert_ptr_equal(sp.ip, strstr(a, "40f395"));	/* after the 0x */
	assert_int_equal(sp.ip_digits, 6);
	assert_ptr_equal(sp.addr, strstr(a, "7fffffffe5b8"));
	assert_int_equal(sp.addr_digits, 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uncached_as_general),
		cmocka_unit_test(test_parts_cached),
		cmocka_unit_test(test_spans),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * The line template layer of the parser's cache (collector/trace_tpl.h) alone: a
 * template made from one line matches the lines that differ from it only in the
 * fraction's, R/W's, the ip's and the address's digits, giving what the general parser
 * gives; any other difference, or another length, is no match; lines that cannot be
 * templates leave the template as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sameparse.h"
#include "trace_body.h"
#include "trace_tpl.h"

static const char base[] = "  app-1716  [013] ....    98.467282: handle_mm_fault: 1716 W "
			   "40f395 7fffffffe5b8 tgid=1715 fault=reset";

/* Makes @t from @line as the cache does: the general header, the fast path's spans. */
static void make(struct pa_trace_tpl *t, const char *line)
{
	struct pa_trace_line out;
	struct spans sp = { 0 };
	const char *body = strchr(line, ']') + 1;

	pa_trace_parse_line_any(line, strlen(line), &out, 0);	/* the header's fields */
	assert_int_equal(fast_access(body, line + strlen(line), &out, NULL, &sp), 0);
	tpl_make(t, line, strlen(line), &out, &sp);
}

static void test_matches_varying_fields(void **state)
{
	/* same length, other digits where the template lets them vary */
	static const char *const same[] = {
		"  app-1716  [013] ....    98.999999: handle_mm_fault: 1716 R "
		"ABCDEF 000000000000 tgid=1715 fault=reset",
		"  app-1716  [013] ....    98.000000: handle_mm_fault: 1716 W "
		"40f395 7fffffffe5b8 tgid=1715 fault=reset",
		"  app-1716  [013] ....    98.123456: handle_mm_fault: 1716 R "
		"123456 abcdefabcdef tgid=1715 fault=reset",
	};
	struct pa_trace_tpl t = { 0 };
	struct pa_trace_line m, g;

	(void)state;
	make(&t, base);
	assert_int_equal(t.len, strlen(base));
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		const char *l = same[i];

		assert_int_equal(strlen(l), strlen(base));
		memset(&m, 0, sizeof(m));
		assert_int_equal(tpl_match(&t, l, strlen(l), &m), 1);
		pa_trace_parse_line_any(l, strlen(l), &g, 0);
		assert_same_parse(&m, &g);
	}
}

static void test_refuses_other_lines(void **state)
{
	struct pa_trace_tpl t = { 0 };
	struct pa_trace_line m;
	char l[sizeof(base)];

	(void)state;
	make(&t, base);
	/* every byte outside the varying fields, changed alone, breaks the match */
	for (size_t i = 0; i < strlen(base); i++) {
		const char *frac = strstr(base, "467282"), *ip = strstr(base, "40f395");
		const char *addr = strstr(base, "7fffffffe5b8");
		size_t rw = (size_t)(strstr(base, "W 40f") - base);

		if ((i >= (size_t)(frac - base) && i < (size_t)(frac - base) + 6) || i == rw ||
		    (i >= (size_t)(ip - base) && i < (size_t)(ip - base) + 6) ||
		    (i >= (size_t)(addr - base) && i < (size_t)(addr - base) + 12))
			continue;
		memcpy(l, base, sizeof(base));
		l[i] = l[i] == '1' ? '2' : '1';
		assert_int_equal(tpl_match(&t, l, strlen(l), &m), 0);
	}
	/* the varying fields must still hold digits (and R or W) */
	memcpy(l, base, sizeof(base));
	*strstr(l, "W 40f") = 'X';
	assert_int_equal(tpl_match(&t, l, strlen(l), &m), 0);
	memcpy(l, base, sizeof(base));
	strstr(l, "40f395")[2] = 'g';
	assert_int_equal(tpl_match(&t, l, strlen(l), &m), 0);
	memcpy(l, base, sizeof(base));
	strstr(l, "467282")[3] = ' ';
	assert_int_equal(tpl_match(&t, l, strlen(l), &m), 0);
	/* another length */
	assert_int_equal(tpl_match(&t, base, strlen(base) - 1, &m), 0);
}

static void test_no_template(void **state)
{
	/* an address too near the end to be read 16 bytes at once: no template */
	const char *shortl = "a-1 [0] . 1.5: handle_mm_fault: 1 W 1 2";
	struct pa_trace_tpl t = { 0 };

	(void)state;
	make(&t, shortl);
	assert_true(strlen(shortl) >= 32);	/* not for its length */
	assert_int_equal(t.len, 0);
	make(&t, base);
	assert_int_equal(t.len, strlen(base));
	make(&t, shortl);		/* a line that cannot be one leaves the old template */
	assert_int_equal(t.len, strlen(base));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_varying_fields),
		cmocka_unit_test(test_refuses_other_lines),
		cmocka_unit_test(test_no_template),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

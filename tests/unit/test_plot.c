// SPDX-License-Identifier: MIT
/*
 * analyze/plot/: axis ticks land on round values in the unit the axis is written in
 * (time, bytes, log2 sizes, counts never below one event), text is escaped for XML
 * whatever bytes a trace held, and bad figures are refused with a message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pat/error.h"
#include "plot/axis.h"
#include "plot/plot.h"

static void test_time_ticks(void **state)
{
	struct pa_plot_axis a = { "t", PA_UNIT_TIME_NS, 0, 2970000, 1395394000 };
	struct pa_ticks t;
	char buf[64];

	(void)state;
	pa_axis_ticks(&a, &t);
	assert_string_equal(t.unit, "ms");
	assert_int_equal(t.n, 6);	/* 200, 400, ... 1200 ms */
	assert_true(t.v[0] == 200e6 && t.v[5] == 1200e6);
	assert_string_equal(pa_axis_tick_label(&a, &t, t.v[1], buf, sizeof(buf)), "400");
	a.hi = 9e9;
	pa_axis_ticks(&a, &t);
	assert_string_equal(t.unit, "s");
	a.lo = 0;
	a.hi = 1500;
	pa_axis_ticks(&a, &t);
	assert_string_equal(t.unit, "ns");
	assert_true(t.v[0] == 0);
}

static void test_log2_bytes(void **state)
{
	struct pa_plot_axis a = { "size", PA_UNIT_BYTES, 1, 4096, 4171.0 * 4096 };
	struct pa_ticks t;
	char buf[64];

	(void)state;
	pa_axis_ticks(&a, &t);
	assert_true(t.n >= 5 && t.n <= 10);
	assert_true(t.v[0] == 4096);
	for (size_t i = 1; i < t.n; i++)
		assert_true(t.v[i] == t.v[i - 1] * (t.v[1] / t.v[0]));
	assert_string_equal(pa_axis_tick_label(&a, &t, 16384, buf, sizeof(buf)), "16 KiB");
	assert_string_equal(pa_plot_format_bytes(1.5 * 1048576, buf, sizeof(buf)), "1.5 MiB");
	assert_true(pa_axis_pos(&a, 4096) == 0);
	assert_true(pa_axis_pos(&a, 4171.0 * 4096) == 1);
}

static void test_count_ticks_are_whole(void **state)
{
	struct pa_plot_axis a = { "pages", PA_UNIT_COUNT, 0, 0, 1 };
	struct pa_ticks t;

	(void)state;
	pa_axis_ticks(&a, &t);
	assert_int_equal(t.n, 2);
	assert_true(t.v[0] == 0 && t.v[1] == 1);
	a.hi = 568;
	pa_axis_ticks(&a, &t);
	assert_true(t.v[1] == 100 && t.n == 6);
}

static void test_escape(void **state)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	/* markup, a control character, a stray byte, and valid UTF-8 (µ) */
	pa_plot_escape(f, "<a&b>\"\x01\xff\xc2\xb5s");
	fclose(f);
	assert_string_equal(out, "&lt;a&amp;b&gt;&quot;??\xc2\xb5s");
	free(out);
}

static void test_refuses_bad_figures(void **state)
{
	struct pa_plot *p;
	struct pa_plot_axis x = { "x", PA_UNIT_COUNT, 0, 5, 5 }, y = { "y", PA_UNIT_RATIO, 0, 0, 1 };
	double v[1] = { 1 };
	struct pa_plot_grid g = { .rows = 1, .cols = 4001, .v = v,
				  .x = { "t", PA_UNIT_TIME_NS, 0, 0, 1 } };

	(void)state;
	assert_int_equal(pa_plot_open("t", NULL, &p), 0);
	assert_int_equal(pa_plot_axes(p, &x, &y), -PA_EINVAL);
	assert_non_null(strstr(pa_plot_errmsg(p), "lo < hi"));
	assert_int_equal(pa_plot_write(p, PA_PLOT_SVG, stdout, 0), -PA_EINVAL);
	assert_int_equal(pa_plot_grid(p, &g), -PA_EINVAL);
	assert_non_null(strstr(pa_plot_errmsg(p), "4000 columns"));
	x.hi = 6;
	assert_int_equal(pa_plot_axes(p, &x, &y), 0);
	assert_int_equal(pa_plot_axes(p, &x, &y), -PA_EINVAL);
	pa_plot_close(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_ticks),
		cmocka_unit_test(test_log2_bytes),
		cmocka_unit_test(test_count_ticks_are_whole),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_refuses_bad_figures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

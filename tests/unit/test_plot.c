// SPDX-License-Identifier: MIT
/*
 * analyze/plot/: axis ticks land on round values in the unit the axis is written in
 * (time, bytes, log2 sizes and windows, counts never below one event), text is escaped
 * for XML whatever bytes a trace held, bad figures are refused with a message, the
 * font's descenders go below the baseline, and a large grid's SVG stays small.
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
#include "plot/font.h"
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

static void test_log2_time_ticks(void **state)
{
	/* windows of 1 us to 2^20 us: ticks at powers of two of a microsecond */
	struct pa_plot_axis a = { "T", PA_UNIT_TIME_NS, 1, 1e3, 1e3 * 1048576 };
	struct pa_ticks t;
	char buf[64];

	(void)state;
	pa_axis_ticks(&a, &t);
	assert_true(t.n >= 5 && t.n <= 10);
	assert_true(t.v[0] == 1e3);
	for (size_t i = 1; i < t.n; i++)
		assert_true(t.v[i] == t.v[i - 1] * (t.v[1] / t.v[0]));
	assert_string_equal(pa_axis_tick_label(&a, &t, 1e3, buf, sizeof(buf)), "1 us");
	assert_string_equal(pa_axis_tick_label(&a, &t, 1e3 * 4096, buf, sizeof(buf)),
			    "4.096 ms");
	assert_string_equal(pa_axis_tick_label(&a, &t, 1e3 * 1048576, buf, sizeof(buf)),
			    "1.049 s");
}

/* Whether any pixel of @c's glyph lies in rows [@from, @to). */
static int inked(unsigned char c, int from, int to)
{
	const unsigned char *g = pa_font_glyph(c);

	for (int r = from; r < to; r++)
		if (g[r])
			return 1;
	return 0;
}

static void test_font_descenders(void **state)
{
	(void)state;
	for (int c = 0x20; c < 0x7f; c++) {
		int descends = strchr("gjpqy,;", c) != NULL;

		/* exactly these reach below the baseline; every glyph but space has ink above */
		assert_int_equal(inked((unsigned char)c, PA_FONT_ASCENT, PA_FONT_H), descends);
		if (c != ' ')
			assert_true(inked((unsigned char)c, 0, PA_FONT_ASCENT));
	}
	/* their bowls stand on the baseline row like those of a, o and u */
	for (const char *c = "gpqy"; *c; c++)
		assert_true(pa_font_glyph((unsigned char)*c)[PA_FONT_ASCENT - 1] != 0);
}

static int cell_tip(void *ctx, size_t r, size_t k, char *buf, size_t size)
{
	(void)ctx;
	snprintf(buf, size, "cell %zu %zu", r, k);
	return 0;
}

static int row_tip(void *ctx, size_t r, char *buf, size_t size)
{
	(void)ctx;
	snprintf(buf, size, "row %zu", r);
	return 0;
}

/* Counts the non-overlapping occurrences of @needle in @s. */
static size_t count(const char *s, const char *needle)
{
	size_t n = 0, len = strlen(needle);

	for (size_t i = 0; s[i]; i++)
		n += strncmp(s + i, needle, len) == 0;
	return n;
}

/* The SVG of a @rows x @cols grid whose row r holds the value r + 1 in every cell. */
static char *grid_svg(size_t rows, size_t cols)
{
	double *v = malloc(rows * cols * sizeof(*v));
	const char **labels = malloc(rows * sizeof(*labels));
	struct pa_plot_grid g = { .rows = rows, .cols = cols, .v = v, .row_labels = labels,
				  .tip = cell_tip, .row_tip = row_tip,
				  .x = { "t", PA_UNIT_TIME_NS, 0, 0, 1e6 } };
	struct pa_plot *p;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(v);
	assert_non_null(labels);
	for (size_t r = 0; r < rows; r++) {
		labels[r] = "row";
		for (size_t k = 0; k < cols; k++)
			v[r * cols + k] = (double)(r + 1);
	}
	assert_int_equal(pa_plot_open("t", NULL, &p), 0);
	assert_int_equal(pa_plot_grid(p, &g), 0);
	assert_int_equal(pa_plot_write(p, PA_PLOT_SVG, f, 0), 0);
	fclose(f);
	pa_plot_close(p);
	free(v);
	free(labels);
	return out;
}

static void test_large_grid_svg(void **state)
{
	/* up to PA_PLOT_CELL_TIPS cells: a rect with its tooltip each */
	char *small = grid_svg(50, PA_PLOT_CELL_TIPS / 50);
	/* above: a tooltip per row, a row of equal cells is one rect, drawn in a path */
	char *large = grid_svg(50, PA_PLOT_CELL_TIPS / 50 + 1);

	(void)state;
	assert_int_equal(count(small, "class=\"cell\""), PA_PLOT_CELL_TIPS);
	assert_int_equal(count(small, "<title>cell "), PA_PLOT_CELL_TIPS);
	assert_int_equal(count(small, "<title>row "), 0);
	assert_int_equal(count(large, "class=\"cell\""), 0);
	assert_int_equal(count(large, "<title>cell "), 0);
	assert_int_equal(count(large, "<title>row "), 50);
	/* one path per colour; each row one rectangle across the whole grid */
	assert_int_equal(count(large, "<path class=\"cells\""), 50);
	assert_int_equal(count(large, "zM") + count(large, "z\"/>"), 50);
	assert_true(strlen(large) < strlen(small) / 10);
	free(small);
	free(large);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_ticks),
		cmocka_unit_test(test_log2_bytes),
		cmocka_unit_test(test_count_ticks_are_whole),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_refuses_bad_figures),
		cmocka_unit_test(test_log2_time_ticks),
		cmocka_unit_test(test_font_descenders),
		cmocka_unit_test(test_large_grid_svg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
#ifndef PAT_PLOT_H
#define PAT_PLOT_H

#include <stddef.h>
#include <stdio.h>

/*
 * Pictures: line charts and heatmap grids, written as PNG (libpng, with a 5x7 bitmap
 * font) or SVG (with a <title> tooltip on every cell and point). The module knows
 * nothing of runs or databases: callers hand it the numbers and the words.
 *
 * A figure is either a chart (pa_plot_axes, then series, reference lines and hover
 * bands) or a grid (pa_plot_grid). Every function returns 0 or a negated pa_err with
 * the reason in pa_plot_errmsg().
 */
struct pa_plot;

enum pa_plot_format { PA_PLOT_PNG, PA_PLOT_SVG };

/* What an axis measures; its tick labels and the unit after its label follow. */
enum pa_plot_unit {
	PA_UNIT_COUNT,		/* plain numbers: 0, 500, 1000; 1.5M */
	PA_UNIT_TIME_NS,	/* nanoseconds, shown in ns, us, ms or s by the span */
	PA_UNIT_BYTES,		/* bytes, shown as B, KiB, MiB, GiB, TiB */
	PA_UNIT_RATIO,		/* 0 to 1 */
};

struct pa_plot_axis {
	const char *label;	/* e.g. "time since run start"; " (ms)" is appended */
	enum pa_plot_unit unit;
	int log2;		/* logarithmic, ticks at powers of two; lo must be > 0 */
	double lo, hi;		/* the range shown, lo < hi */
};

/* A line of (x[i], y[i]) points, drawn in the order given. */
struct pa_plot_series {
	const char *name;	/* in the legend */
	const double *x, *y;
	size_t n;
	int steps;		/* hold y[i] from x[i] to x[i + 1] (per-window values) */
	int markers;		/* a dot at every point, with its tooltip */
	int wide;		/* a wide, light line, for a total that others lie on */
	/*
	 * the tooltip of point @i into @buf; NULL: "name: x, y". Return 0, or -1 for
	 * no tooltip.
	 */
	int (*tip)(void *ctx, size_t i, char *buf, size_t size);
	void *ctx;
};

/* A group of grid rows named on the y axis, e.g. the pages of one mapping. */
struct pa_plot_band {
	size_t row, rows;	/* the first row (from the top) and how many */
	const char *label;	/* e.g. "[heap]" */
	const char *start;	/* e.g. "0x55d4c000": shown at the band's top edge, may be NULL */
};

/*
 * A heatmap: @rows x @cols cells over the x axis, row 0 at the top, colour by value
 * (white: 0; else viridis on a log scale from 1 to the largest value).
 */
struct pa_plot_grid {
	size_t rows, cols;
	const double *v;		/* rows * cols values >= 0, row after row */
	const char *const *row_labels;	/* one per row, or NULL to use @bands */
	const struct pa_plot_band *bands;
	size_t nbands;
	const char *y_label;		/* what the rows are */
	const char *value_label;	/* what the colour counts, e.g. "events per bin" */
	struct pa_plot_axis x;
	/* the tooltip of a cell (called for cells with a value > 0); NULL: none */
	int (*tip)(void *ctx, size_t row, size_t col, char *buf, size_t size);
	/*
	 * the tooltip of a whole row, used instead of the cells' when more than
	 * PA_PLOT_CELL_TIPS cells have a value (then equal neighbours in a row are drawn
	 * as one rectangle, and the SVG stays small); NULL: none
	 */
	int (*row_tip)(void *ctx, size_t row, char *buf, size_t size);
	void *ctx;
};

/* Above this many cells with a value, a grid's tooltips are per row, not per cell. */
#define PA_PLOT_CELL_TIPS 5000

/*
 * pa_plot_open - an empty figure titled @title (e.g. the command and the run) with a
 * smaller second line @subtitle (may be NULL). Returns 0 or -PA_ENOMEM; the caller
 * closes *@out with pa_plot_close.
 */
int pa_plot_open(const char *title, const char *subtitle, struct pa_plot **out);

/* pa_plot_close - free @p (NULL allowed). */
void pa_plot_close(struct pa_plot *p);

/* pa_plot_errmsg - why the last call on @p failed (owned by @p). */
const char *pa_plot_errmsg(const struct pa_plot *p);

/* pa_plot_axes - make @p a chart over axes @x and @y (before any series). */
int pa_plot_axes(struct pa_plot *p, const struct pa_plot_axis *x, const struct pa_plot_axis *y);

/* pa_plot_series - draw series @s on the chart; the arrays are not kept. */
int pa_plot_series(struct pa_plot *p, const struct pa_plot_series *s);

/* pa_plot_hline - a dashed horizontal line at @y labelled @label (e.g. "p90 = 461"). */
int pa_plot_hline(struct pa_plot *p, double y, const char *label);

/*
 * pa_plot_hover - an invisible band over x in [@x0, @x1) and the whole height of the
 * chart, carrying tooltip @tip in SVG (nothing in PNG).
 */
int pa_plot_hover(struct pa_plot *p, double x0, double x1, const char *tip);

/* pa_plot_grid - make @p a heatmap of @g; the arrays are not kept. */
int pa_plot_grid(struct pa_plot *p, const struct pa_plot_grid *g);

/*
 * pa_plot_write - the figure in @fmt on @f; with @inline_svg, SVG fit to stand inside
 * HTML (no XML declaration). Returns 0, -PA_ENOMEM, -PA_EINVAL (no axes or grid yet) or
 * -PA_EIO (a write failed; errno says why, and the caller names the file).
 */
int pa_plot_write(struct pa_plot *p, enum pa_plot_format fmt, FILE *f, int inline_svg);

/*
 * Tick labels, for callers that want to print values as the axes do: @v in @unit
 * into @buf; the functions return @buf.
 */
const char *pa_plot_format_bytes(double v, char *buf, size_t size);

/*
 * pa_plot_escape - @s on @f as XML or HTML text or attribute value: markup characters
 * escaped, and what XML cannot hold (control characters, bytes that are not UTF-8) as
 * '?', so that a file name from a trace cannot break the document.
 */
void pa_plot_escape(FILE *f, const char *s);

#endif

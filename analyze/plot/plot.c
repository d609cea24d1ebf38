// SPDX-License-Identifier: MIT
/*
 * Figures: the layout of charts and heatmap grids (title, legend, axes, ticks, cells,
 * lines) as canvas items, then PNG or SVG (canvas.h).
 *
 *   +--------------------------------------------------------------+
 *   | title (2x), subtitle                                          |
 *   | legend: line swatches, or the colour scale of a grid          |
 *   |   y   +------------------------------------------------+      |
 *   | label | plot area: cells or lines                      |      |
 *   |  and  +------------------------------------------------+      |
 *   | ticks   x ticks, x label                                      |
 *   +--------------------------------------------------------------+
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "axis.h"
#include "canvas.h"
#include "plot.h"
#include "pat/error.h"

#define CHART_W 960
#define CHART_H 540
#define TOP 84			/* below the title, subtitle and legend */
#define BOTTOM 50		/* x ticks and label */
#define RIGHT 30
#define LEGEND_Y 50
#define MAX_LEGEND 8
#define MAX_LABEL 56		/* characters of a row label before it is cut */
#define MAX_GRID_COLS 4000
#define MAX_GRID_PX 30000	/* height of the rows of a grid */
#define TIP 1024

#define INK 0x222222u
#define FRAME 0x888888u
#define GRIDLINE 0xe4e4e4u
#define REFLINE 0x555555u

enum kind { FIG_NONE, FIG_CHART, FIG_GRID };

struct legend {
	char *name;
	uint32_t rgb;
	int stroke;
};

struct pa_plot {
	struct pa_canvas c;
	char *title, *subtitle;
	enum kind kind;
	struct pa_plot_axis x, y;	/* label pointers are not kept */
	int left, top, pw, ph;		/* the plot area */
	struct legend legend[MAX_LEGEND];
	size_t nlegend;
	double vmax;			/* grid: the largest value */
	char *value_label;		/* grid: what the colour counts */
	int header_done;
	int last_tag_y;			/* of the last hline's tag, so that the next clears it */
	char err[256];
};

static int fail(struct pa_plot *p, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct pa_plot *p, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return err;
}

static int nomem(struct pa_plot *p)
{
	return fail(p, -PA_ENOMEM, "out of memory");
}

int pa_plot_open(const char *title, const char *subtitle, struct pa_plot **out)
{
	struct pa_plot *p = calloc(1, sizeof(*p));

	*out = p;
	if (!p)
		return -PA_ENOMEM;
	p->title = strdup(title);
	p->subtitle = strdup(subtitle ? subtitle : "");
	if (!p->title || !p->subtitle) {
		pa_plot_close(p);
		*out = NULL;
		return -PA_ENOMEM;
	}
	return 0;
}

void pa_plot_close(struct pa_plot *p)
{
	if (!p)
		return;
	pa_canvas_free(&p->c);
	for (size_t i = 0; i < p->nlegend; i++)
		free(p->legend[i].name);
	free(p->title);
	free(p->subtitle);
	free(p->value_label);
	free(p);
}

const char *pa_plot_errmsg(const struct pa_plot *p)
{
	return p ? p->err : "out of memory";
}

/* ---- small drawing helpers -------------------------------------------------------- */

static int px_x(const struct pa_plot *p, double v)
{
	double f = pa_axis_pos(&p->x, v);

	f = isfinite(f) ? fmin(fmax(f, -1), 2) : 0;
	return p->left + (int)lround(f * p->pw);
}

static int px_y(const struct pa_plot *p, double v)
{
	double f = pa_axis_pos(&p->y, v);

	f = isfinite(f) ? fmin(fmax(f, -1), 2) : 0;
	return p->top + p->ph - (int)lround(f * p->ph);
}

/* Text @s, cut to @max characters with "..." at the end. */
static struct pa_item *text_cut(struct pa_canvas *c, int x, int y, const char *s, size_t max,
				uint32_t rgb, int scale, enum pa_anchor anchor)
{
	char buf[512];
	size_t len = strlen(s);

	if (max >= sizeof(buf))
		max = sizeof(buf) - 1;
	if (len <= max)
		return pa_canvas_text(c, x, y, s, rgb, scale, anchor);
	memcpy(buf, s, max - 3);
	memcpy(buf + max - 3, "...", 4);
	return pa_canvas_text(c, x, y, buf, rgb, scale, anchor);
}

static int add_legend(struct pa_plot *p, const char *name, uint32_t rgb, int stroke)
{
	if (p->nlegend == MAX_LEGEND || !name)
		return 0;
	p->legend[p->nlegend].name = strdup(name);
	if (!p->legend[p->nlegend].name)
		return nomem(p);
	p->legend[p->nlegend].stroke = stroke;
	p->legend[p->nlegend++].rgb = rgb;
	return 0;
}

/* The label of axis @a with its unit: "time since run start (ms)". */
static void axis_title(const struct pa_plot_axis *a, const struct pa_ticks *t, char *buf,
		       size_t size)
{
	if (a->log2)
		snprintf(buf, size, "%s (log scale)", a->label);
	else if (t->unit[0])
		snprintf(buf, size, "%s (%s)", a->label, t->unit);
	else
		snprintf(buf, size, "%s", a->label);
}

/* The x axis under the plot area: ticks, their labels, grid lines when @gridlines. */
static int draw_x_axis(struct pa_plot *p, int gridlines)
{
	struct pa_ticks t;
	char label[64], title[256];
	int bottom = p->top + p->ph, err = 0;

	pa_axis_ticks(&p->x, &t);
	for (size_t i = 0; i < t.n && !err; i++) {
		int x = px_x(p, t.v[i]);

		if (gridlines)
			err = pa_canvas_line(&p->c, x, p->top, x, bottom - 1, GRIDLINE, 1, 0);
		if (!err)
			err = pa_canvas_line(&p->c, x, bottom, x, bottom + 4, FRAME, 1, 0);
		if (!err && !pa_canvas_text(&p->c, x, bottom + 8,
					    pa_axis_tick_label(&p->x, &t, t.v[i], label, sizeof(label)),
					    INK, 1, PA_ANCHOR_MIDDLE))
			err = -PA_ENOMEM;
	}
	axis_title(&p->x, &t, title, sizeof(title));
	if (!err && !pa_canvas_text(&p->c, p->left + p->pw / 2, bottom + 26, title, INK, 1,
				    PA_ANCHOR_MIDDLE))
		err = -PA_ENOMEM;
	return err ? nomem(p) : 0;
}

/* The y axis title, read upwards at the left edge, cut to the height of the plot. */
static int y_title(struct pa_plot *p, const char *title)
{
	struct pa_item *it = text_cut(&p->c, 8, p->top + p->ph / 2, title,
				      (size_t)(p->ph + 1) / 6 > 3 ? (size_t)(p->ph + 1) / 6 : 3,
				      INK, 1, PA_ANCHOR_MIDDLE);

	if (!it)
		return nomem(p);
	it->vertical = 1;
	return 0;
}

static int frame(struct pa_plot *p)
{
	int r = p->left + p->pw, b = p->top + p->ph;

	if (pa_canvas_line(&p->c, p->left - 1, p->top - 1, r, p->top - 1, FRAME, 1, 0) ||
	    pa_canvas_line(&p->c, p->left - 1, b, r, b, FRAME, 1, 0) ||
	    pa_canvas_line(&p->c, p->left - 1, p->top - 1, p->left - 1, b, FRAME, 1, 0) ||
	    pa_canvas_line(&p->c, r, p->top - 1, r, b, FRAME, 1, 0))
		return nomem(p);
	return 0;
}

static int check_axis(struct pa_plot *p, const struct pa_plot_axis *a, const char *name)
{
	if (!(a->lo < a->hi) || !isfinite(a->lo) || !isfinite(a->hi) || (a->log2 && !(a->lo > 0)))
		return fail(p, -PA_EINVAL, "the %s axis needs lo < hi (and lo > 0 when "
			    "logarithmic), not %g to %g", name, a->lo, a->hi);
	return 0;
}

/* ---- charts ----------------------------------------------------------------------- */

int pa_plot_axes(struct pa_plot *p, const struct pa_plot_axis *x, const struct pa_plot_axis *y)
{
	struct pa_ticks t;
	char label[64], title[256];
	int err;

	if (p->kind != FIG_NONE)
		return fail(p, -PA_EINVAL, "the figure already has its axes or grid");
	err = check_axis(p, x, "x");
	if (!err)
		err = check_axis(p, y, "y");
	if (err)
		return err;
	p->kind = FIG_CHART;
	p->last_tag_y = INT32_MAX;
	p->x = *x;
	p->y = *y;
	pa_canvas_init(&p->c, CHART_W, CHART_H);
	p->left = 84;
	p->top = TOP;
	p->pw = CHART_W - p->left - RIGHT;
	p->ph = CHART_H - TOP - BOTTOM;
	pa_axis_ticks(y, &t);
	for (size_t i = 0; i < t.n; i++) {
		int py = px_y(p, t.v[i]);

		if (pa_canvas_line(&p->c, p->left, py, p->left + p->pw - 1, py, GRIDLINE, 1, 0) ||
		    pa_canvas_line(&p->c, p->left - 5, py, p->left - 1, py, FRAME, 1, 0) ||
		    !pa_canvas_text(&p->c, p->left - 8, py - 3,
				    pa_axis_tick_label(y, &t, t.v[i], label, sizeof(label)), INK, 1,
				    PA_ANCHOR_END))
			return nomem(p);
	}
	axis_title(y, &t, title, sizeof(title));
	err = y_title(p, title);
	if (!err)
		err = draw_x_axis(p, 1);
	return err ? err : frame(p);
}

static const uint32_t palette[] = { 0x1f4e9c, 0x2a9d3a, 0xd62728, 0xe08a00, 0x8e44ad,
				    0x17a2b8 };
#define WIDE_RGB 0x9ec3f0	/* the light blue of a wide series */

static void default_tip(const struct pa_plot *p, const struct pa_plot_series *s, size_t i,
			char *buf, size_t size)
{
	struct pa_ticks tx, ty;
	char a[64], b[64];

	pa_axis_ticks(&p->x, &tx);
	pa_axis_ticks(&p->y, &ty);
	tx.decimals += 3;
	ty.decimals += 3;
	snprintf(buf, size, "%s: %s %s, %s %s", s->name ? s->name : "",
		 pa_axis_tick_label(&p->x, &tx, s->x[i], a, sizeof(a)), tx.unit,
		 pa_axis_tick_label(&p->y, &ty, s->y[i], b, sizeof(b)), ty.unit);
}

/* Appends (x, y) to the polyline unless it repeats the last point or extends a
 * horizontal or vertical run, whose middle points add nothing. */
static void poly_add(struct pa_item *it, int x, int y)
{
	int *q = it->pts;
	size_t n = it->npts;

	if (n && q[2 * n - 2] == x && q[2 * n - 1] == y)
		return;
	if (n >= 2 && ((q[2 * n - 1] == y && q[2 * n - 3] == y) ||
		       (q[2 * n - 2] == x && q[2 * n - 4] == x))) {
		q[2 * n - 2] = x;
		q[2 * n - 1] = y;
		return;
	}
	q[2 * n] = x;
	q[2 * n + 1] = y;
	it->npts++;
}

int pa_plot_series(struct pa_plot *p, const struct pa_plot_series *s)
{
	uint32_t rgb = s->wide ? WIDE_RGB :
		palette[p->nlegend % (sizeof(palette) / sizeof(palette[0]))];
	int stroke = s->wide ? 6 : 2;
	struct pa_item *it;
	char tip[TIP];
	int err;

	if (p->kind != FIG_CHART)
		return fail(p, -PA_EINVAL, "a series needs the axes of a chart first");
	if (s->n) {
		it = pa_canvas_add(&p->c, PA_ITEM_POLY, rgb, NULL);
		if (!it || !(it->pts = malloc(s->n * 4 * sizeof(int))))
			return nomem(p);
		it->stroke = stroke;
		for (size_t i = 0; i < s->n; i++) {
			int y = px_y(p, s->y[i]);

			poly_add(it, px_x(p, s->x[i]), y);
			if (s->steps)
				poly_add(it, px_x(p, i + 1 < s->n ? s->x[i + 1] : p->x.hi), y);
		}
	}
	for (size_t i = 0; s->markers && i < s->n; i++) {
		if (s->tip ? s->tip(s->ctx, i, tip, sizeof(tip)) : (default_tip(p, s, i, tip,
										   sizeof(tip)), 0))
			tip[0] = '\0';
		it = pa_canvas_add(&p->c, PA_ITEM_MARK, rgb, tip[0] ? tip : NULL);
		if (!it)
			return nomem(p);
		it->x = px_x(p, s->x[i]);
		it->y = px_y(p, s->y[i]);
		it->w = 3;
		it->cls = "point";
	}
	err = add_legend(p, s->name, rgb, stroke);
	return err;
}

int pa_plot_hline(struct pa_plot *p, double y, const char *label)
{
	char tag[16];
	int py, ty;

	if (p->kind != FIG_CHART)
		return fail(p, -PA_EINVAL, "a line needs the axes of a chart first");
	py = px_y(p, y);
	if (pa_canvas_line(&p->c, p->left, py, p->left + p->pw - 1, py, REFLINE, 1, 4))
		return nomem(p);
	p->c.items[p->c.n - 1].tip = strdup(label);
	if (!p->c.items[p->c.n - 1].tip)
		return nomem(p);
	/* the label's first word right of the plot, where it hides no data; all in the legend */
	snprintf(tag, sizeof(tag), "%.*s", (int)strcspn(label, " "), label);
	ty = py - 3 > p->last_tag_y - 9 ? p->last_tag_y - 9 : py - 3;
	p->last_tag_y = ty;
	if (!pa_canvas_text(&p->c, p->left + p->pw + 4, ty, tag, REFLINE, 1, PA_ANCHOR_START))
		return nomem(p);
	return add_legend(p, label, REFLINE, -1);
}

int pa_plot_hover(struct pa_plot *p, double x0, double x1, const char *tip)
{
	int a, b;
	struct pa_item *it;

	if (p->kind != FIG_CHART)
		return fail(p, -PA_EINVAL, "a hover band needs the axes of a chart first");
	a = px_x(p, x0);
	b = px_x(p, x1);
	it = pa_canvas_rect(&p->c, a, p->top, b > a ? b - a : 1, p->ph, 0, tip);
	if (!it)
		return nomem(p);
	it->hidden = 1;
	it->cls = "hover";
	return 0;
}

/* ---- grids ------------------------------------------------------------------------ */

/* viridis (matplotlib's colour map, CC0) at nine even stops, interpolated */
static uint32_t viridis(double t)
{
	static const uint32_t stop[9] = { 0x440154, 0x472c7a, 0x3b518b, 0x2c718e, 0x21908d,
					  0x27ad81, 0x5cc863, 0xaadc32, 0xfde725 };
	double f = fmin(fmax(t, 0), 1) * 8;
	int i = (int)f;
	uint32_t a, b, rgb = 0;

	if (i >= 8)
		return stop[8];
	f -= i;
	a = stop[i];
	b = stop[i + 1];
	for (int sh = 16; sh >= 0; sh -= 8) {
		double ca = (a >> sh) & 0xff, cb = (b >> sh) & 0xff;

		rgb |= (uint32_t)lround(ca + (cb - ca) * f) << sh;
	}
	return rgb;
}

/* The colour of value @v on a scale up to @vmax: log, so that 1 and vmax both show. */
static uint32_t heat_colour(double v, double vmax)
{
	if (!(v > 0))
		return 0xffffff;
	if (vmax <= 1 || v >= vmax)
		return viridis(1);
	return viridis(v <= 1 ? 0 : log(v) / log(vmax));
}

/* Band labels at the left of the rows, and lines between the bands. */
static int draw_bands(struct pa_plot *p, const struct pa_plot_grid *g, int rh, size_t maxc)
{
	for (size_t b = 0; b < g->nbands; b++) {
		const struct pa_plot_band *bd = &g->bands[b];
		int y = p->top + (int)bd->row * rh, h = (int)bd->rows * rh;
		char tip[TIP];
		struct pa_item *it;

		if (b && pa_canvas_line(&p->c, p->left - (int)maxc * 6 - 8, y - 1,
					p->left + p->pw - 1, y - 1, 0x444444, 1, 0))
			return nomem(p);
		snprintf(tip, sizeof(tip), "%s%s%s", bd->label, bd->start ? " from " : "",
			 bd->start ? bd->start : "");
		it = pa_canvas_rect(&p->c, 20, y, p->left - 22, h > 1 ? h : 1, 0, tip);
		if (!it)
			return nomem(p);
		it->hidden = 1;
		it->cls = "band";
		if (h >= 9 && !text_cut(&p->c, p->left - 6, y + 1, bd->label, maxc, INK, 1,
					PA_ANCHOR_END))
			return nomem(p);
		if (h >= 19 && bd->start && !pa_canvas_text(&p->c, p->left - 6, y + 10, bd->start,
							    0x666666, 1, PA_ANCHOR_END))
			return nomem(p);
	}
	return 0;
}

static int draw_row_labels(struct pa_plot *p, const struct pa_plot_grid *g, int rh, size_t maxc)
{
	for (size_t r = 0; r < g->rows; r++) {
		struct pa_item *it = text_cut(&p->c, p->left - 6, p->top + (int)r * rh + (rh - 7) / 2,
					      g->row_labels[r], maxc, INK, 1, PA_ANCHOR_END);

		if (!it)
			return nomem(p);
		if (strlen(g->row_labels[r]) > maxc && !(it->tip = strdup(g->row_labels[r])))
			return nomem(p);
	}
	return 0;
}

/*
 * The cells of @g with a value, @cw x @rh pixels each: with their tooltips when
 * @cell_tips, else without, a run of equal colours in a row as one rectangle.
 */
static int draw_cells(struct pa_plot *p, const struct pa_plot_grid *g, int cell_tips, int cw,
		      int rh)
{
	char tip[TIP];

	for (size_t r = 0; r < g->rows; r++) {
		const double *v = &g->v[r * g->cols];

		for (size_t k = 0, end; k < g->cols; k = end) {
			uint32_t rgb = heat_colour(v[k], p->vmax);
			struct pa_item *it;

			end = k + 1;
			if (!(v[k] > 0))
				continue;
			while (!cell_tips && end < g->cols && v[end] > 0 &&
			       heat_colour(v[end], p->vmax) == rgb)
				end++;
			if (!cell_tips || !g->tip || g->tip(g->ctx, r, k, tip, sizeof(tip)))
				tip[0] = '\0';
			it = pa_canvas_rect(&p->c, p->left + (int)k * cw, p->top + (int)r * rh,
					    cw * (int)(end - k), rh, rgb, tip[0] ? tip : NULL);
			if (!it)
				return nomem(p);
			it->cls = "cell";
		}
	}
	return 0;
}

/* An invisible band over each row of @g with a value, carrying the row's tooltip. */
static int draw_row_tips(struct pa_plot *p, const struct pa_plot_grid *g, int rh)
{
	char tip[TIP];

	for (size_t r = 0; r < g->rows; r++) {
		struct pa_item *it;
		size_t k = 0;

		while (k < g->cols && !(g->v[r * g->cols + k] > 0))
			k++;
		if (k == g->cols || g->row_tip(g->ctx, r, tip, sizeof(tip)))
			continue;
		it = pa_canvas_rect(&p->c, p->left, p->top + (int)r * rh, p->pw, rh, 0, tip);
		if (!it)
			return nomem(p);
		it->hidden = 1;
		it->cls = "row";
	}
	return 0;
}

int pa_plot_grid(struct pa_plot *p, const struct pa_plot_grid *g)
{
	size_t maxc = 0, cells = g->rows * g->cols, filled = 0;
	int rh, cw, err;

	if (p->kind != FIG_NONE)
		return fail(p, -PA_EINVAL, "the figure already has its axes or grid");
	if (!g->rows || !g->cols || g->cols > MAX_GRID_COLS)
		return fail(p, -PA_EINVAL, "a picture holds 1 to at most %d columns (bins) and "
			    "at least one row, not %zu", MAX_GRID_COLS, g->cols);
	err = check_axis(p, &g->x, "x");
	if (err)
		return err;
	for (size_t r = 0; g->row_labels && r < g->rows; r++)
		maxc = strlen(g->row_labels[r]) > maxc ? strlen(g->row_labels[r]) : maxc;
	for (size_t b = 0; b < g->nbands; b++) {
		maxc = strlen(g->bands[b].label) > maxc ? strlen(g->bands[b].label) : maxc;
		if (g->bands[b].start && strlen(g->bands[b].start) > maxc)
			maxc = strlen(g->bands[b].start);
	}
	maxc = maxc > MAX_LABEL ? MAX_LABEL : maxc < 8 ? 8 : maxc;
	/* labelled rows 12 px, taller when few so that the y title fits beside them */
	rh = g->row_labels ? (g->rows >= 18 ? 12 : g->rows >= 9 ? (int)(216 / g->rows) : 24) :
		g->rows >= 480 ? 1 : (int)(480 / g->rows);
	if ((double)g->rows * rh > MAX_GRID_PX)
		return fail(p, -PA_EINVAL, "%zu rows are too many for a picture (at most %d)",
			    g->rows, MAX_GRID_PX / rh);
	cw = g->cols >= 720 ? 1 : (int)(720 / g->cols);
	p->kind = FIG_GRID;
	p->x = g->x;
	p->left = 22 + (int)maxc * 6 + 8;
	p->top = TOP;
	p->pw = (int)g->cols * cw;
	p->ph = (int)g->rows * rh;
	pa_canvas_init(&p->c, p->left + p->pw + RIGHT, TOP + p->ph + BOTTOM);
	if (p->c.width < 640)
		p->c.width = 640;
	p->value_label = strdup(g->value_label ? g->value_label : "value");
	if (!p->value_label)
		return nomem(p);
	p->vmax = 0;
	for (size_t i = 0; i < cells; i++) {
		p->vmax = g->v[i] > p->vmax ? g->v[i] : p->vmax;
		filled += g->v[i] > 0;
	}
	err = draw_cells(p, g, filled <= PA_PLOT_CELL_TIPS, cw, rh);
	if (!err && filled > PA_PLOT_CELL_TIPS && g->row_tip)
		err = draw_row_tips(p, g, rh);
	if (!err)
		err = g->row_labels ? draw_row_labels(p, g, rh, maxc) : draw_bands(p, g, rh, maxc);
	if (!err)
		err = y_title(p, g->y_label ? g->y_label : "");
	if (!err)
		err = draw_x_axis(p, 0);
	return err ? err : frame(p);
}

/* The colour scale of a grid in the legend row: white for 0, then 1 .. vmax. */
static int colour_scale(struct pa_plot *p, int x)
{
	const int w = 200, y = LEGEND_Y;
	double top = p->vmax > 1 ? p->vmax : 1;
	char label[64];
	struct pa_item *it;

	it = pa_canvas_text(&p->c, x, y + 1, p->value_label, INK, 1, PA_ANCHOR_START);
	if (!it)
		return nomem(p);
	x += pa_canvas_text_width(strlen(p->value_label), 1) + 10;
	if (!pa_canvas_rect(&p->c, x, y, 10, 9, 0xffffff, "0: none") ||
	    pa_canvas_line(&p->c, x, y, x + 9, y, FRAME, 1, 0) ||
	    pa_canvas_line(&p->c, x, y + 8, x + 9, y + 8, FRAME, 1, 0) ||
	    pa_canvas_line(&p->c, x, y, x, y + 8, FRAME, 1, 0) ||
	    pa_canvas_line(&p->c, x + 9, y, x + 9, y + 8, FRAME, 1, 0) ||
	    !pa_canvas_text(&p->c, x + 5, y + 13, "0", INK, 1, PA_ANCHOR_MIDDLE))
		return nomem(p);
	x += 18;
	for (int i = 0; i < w; i++)
		if (!pa_canvas_rect(&p->c, x + i, y, 1, 9, viridis((double)i / (w - 1)), NULL))
			return nomem(p);
	/* ticks at 1, 10, 100, ... and the largest value */
	for (double v = 1; v < top * 0.999; v *= 10) {
		int at = x + (top > 1 ? (int)lround(log(v) / log(top) * (w - 1)) : 0);

		if (at > x + w - 40 && v > 1)
			break;
		snprintf(label, sizeof(label), "%.0f", v);
		if (!pa_canvas_text(&p->c, at, y + 13, label, INK, 1, PA_ANCHOR_MIDDLE))
			return nomem(p);
	}
	snprintf(label, sizeof(label), "%.0f", top);
	if (!pa_canvas_text(&p->c, x + w - 1, y + 13, label, INK, 1, PA_ANCHOR_MIDDLE))
		return nomem(p);
	return 0;
}

static int header(struct pa_plot *p)
{
	int x = p->left;
	size_t cols = (size_t)(p->c.width - 20) / 6;

	if (!text_cut(&p->c, 10, 10, p->title, cols / 2, INK, 2, PA_ANCHOR_START) ||
	    !text_cut(&p->c, 10, 32, p->subtitle, cols, 0x555555, 1, PA_ANCHOR_START))
		return nomem(p);
	if (p->kind == FIG_GRID)
		return colour_scale(p, x);
	for (size_t i = 0; i < p->nlegend; i++) {
		int stroke = p->legend[i].stroke;

		/* a negative stroke: a dashed reference line */
		if (pa_canvas_line(&p->c, x, LEGEND_Y + 3, x + 16, LEGEND_Y + 3, p->legend[i].rgb,
				   stroke < 0 ? 1 : stroke, stroke < 0 ? 4 : 0) ||
		    !pa_canvas_text(&p->c, x + 22, LEGEND_Y, p->legend[i].name, INK, 1,
				    PA_ANCHOR_START))
			return nomem(p);
		x += 22 + pa_canvas_text_width(strlen(p->legend[i].name), 1) + 18;
	}
	return 0;
}

int pa_plot_write(struct pa_plot *p, enum pa_plot_format fmt, FILE *f, int inline_svg)
{
	int err;

	if (p->kind == FIG_NONE)
		return fail(p, -PA_EINVAL, "the figure has no axes or grid");
	if (!p->header_done) {
		err = header(p);
		if (err)
			return err;
		p->header_done = 1;
	}
	if (fmt == PA_PLOT_SVG)
		err = pa_canvas_svg(&p->c, f, p->title, inline_svg);
	else
		err = pa_canvas_png(&p->c, f, p->err, sizeof(p->err));
	if (err == -PA_ENOMEM)
		return nomem(p);
	if (err) {
		int write_errno = errno;	/* the reason of a failed write, for the caller */

		err = fail(p, err, "%s", fmt == PA_PLOT_PNG && p->err[0] ? p->err :
			   "write error");
		errno = write_errno;
	}
	return err;
}

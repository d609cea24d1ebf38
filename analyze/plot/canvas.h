/* SPDX-License-Identifier: MIT */
#ifndef PAT_PLOT_CANVAS_H
#define PAT_PLOT_CANVAS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * A picture as a list of drawing items in whole pixels, which the PNG and the SVG
 * writers both render, so that the two formats show the same thing in the same place.
 * Internal to analyze/plot/.
 */

enum pa_item_kind {
	PA_ITEM_RECT,		/* filled box x, y, w, h */
	PA_ITEM_LINE,		/* from (x, y) to (x + w, y + h) */
	PA_ITEM_POLY,		/* a polyline through pts[0..2*npts) */
	PA_ITEM_MARK,		/* a disc of radius w around (x, y) */
	PA_ITEM_TEXT,		/* text at (x, y): the top of the glyphs, or their left edge
				 * when vertical (read bottom to top) */
};

enum pa_anchor { PA_ANCHOR_START, PA_ANCHOR_MIDDLE, PA_ANCHOR_END };

struct pa_item {
	enum pa_item_kind kind;
	uint32_t rgb;		/* 0xRRGGBB */
	int x, y, w, h;
	int stroke;		/* lines: width in pixels */
	int dash;		/* lines: dash length, 0 for solid */
	int scale;		/* text: 1 (5x7 glyphs) or 2 */
	enum pa_anchor anchor;	/* text */
	int vertical;		/* text */
	int hidden;		/* rect: not drawn, only there to carry its tip in SVG */
	int *pts;		/* poly: x0, y0, x1, y1, ... (owned) */
	size_t npts;
	char *text;		/* owned */
	char *tip;		/* the SVG <title> tooltip, NULL for none (owned) */
	const char *cls;	/* SVG class attribute, NULL for none (static) */
};

struct pa_canvas {
	int width, height;
	struct pa_item *items;
	size_t n, cap;
};

/* pa_canvas_init - an empty @width x @height canvas; pa_canvas_free frees its items. */
void pa_canvas_init(struct pa_canvas *c, int width, int height);
void pa_canvas_free(struct pa_canvas *c);

/*
 * pa_canvas_add - a new item of @kind and colour @rgb, zeroed otherwise (scale 1),
 * with a copy of @tip when not NULL. Returns the item (valid until the next add), or
 * NULL when out of memory.
 */
struct pa_item *pa_canvas_add(struct pa_canvas *c, enum pa_item_kind kind, uint32_t rgb,
			      const char *tip);

/* pa_canvas_rect - a filled box. Returns the item or NULL (out of memory). */
struct pa_item *pa_canvas_rect(struct pa_canvas *c, int x, int y, int w, int h,
			       uint32_t rgb, const char *tip);

/* pa_canvas_line - a straight line; @dash 0 is solid. Returns 0 or -PA_ENOMEM. */
int pa_canvas_line(struct pa_canvas *c, int x0, int y0, int x1, int y1, uint32_t rgb,
		   int stroke, int dash);

/*
 * pa_canvas_text - a copy of @text (printable ASCII is drawn; other bytes as '?' in
 * PNG). Returns the item or NULL (out of memory).
 */
struct pa_item *pa_canvas_text(struct pa_canvas *c, int x, int y, const char *text,
			       uint32_t rgb, int scale, enum pa_anchor anchor);

/* pa_canvas_text_width - the width in pixels of @len characters at @scale. */
static inline int pa_canvas_text_width(size_t len, int scale)
{
	return len ? (int)len * 6 * scale - scale : 0;
}

/* pa_canvas_png - render @c into a PNG image on @f. Returns 0, -PA_ENOMEM or -PA_EIO
 * with the reason (libpng's) in @err (@errsize bytes). */
int pa_canvas_png(const struct pa_canvas *c, FILE *f, char *err, size_t errsize);

/*
 * pa_canvas_svg - write @c as an SVG document on @f, titled @title; with @inline_svg
 * no XML declaration, so that it can stand inside HTML. Returns 0 or -PA_EIO.
 */
int pa_canvas_svg(const struct pa_canvas *c, FILE *f, const char *title, int inline_svg);

#endif

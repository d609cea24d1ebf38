// SPDX-License-Identifier: MIT
/*
 * SVG rendering of a canvas: one element per item, in the same pixel coordinates as the
 * PNG. Items with a tip carry a <title> child, which browsers show on hover. Text uses
 * a monospace font of 10 px per unit of scale, whose 6 px advance matches the PNG font.
 */
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "font.h"
#include "plot.h"
#include "pat/error.h"

/* Length of the valid UTF-8 sequence at @s (1 to 4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	unsigned int min, cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, min = 0x80, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, min = 0x800, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, min = 0x10000, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void pa_plot_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = utf8_len(p);

		if (n == 0 || (*p < 0x20 && *p != '\n' && *p != '\t')) {
			fputc('?', f);
			p++;
			continue;
		}
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fwrite(p, 1, n, f);
		}
		p += n;
	}
}

static void put_attrs(FILE *f, const struct pa_item *it)
{
	if (it->cls)
		fprintf(f, " class=\"%s\"", it->cls);
}

/* Closes an element: with its <title> child when it has a tip. */
static void put_end(FILE *f, const struct pa_item *it, const char *name)
{
	if (!it->tip) {
		fputs("/>\n", f);
		return;
	}
	fputs("><title>", f);
	pa_plot_escape(f, it->tip);
	fprintf(f, "</title></%s>\n", name);
}

static void put_item(FILE *f, const struct pa_item *it)
{
	static const char *const anchors[] = { "start", "middle", "end" };
	unsigned int rgb = it->rgb;

	switch (it->kind) {
	case PA_ITEM_RECT:
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#%06x\"",
			it->x, it->y, it->w, it->h, rgb);
		if (it->hidden)
			fputs(" fill-opacity=\"0\"", f);
		put_attrs(f, it);
		put_end(f, it, "rect");
		break;
	case PA_ITEM_LINE:
		/* on the pixel centres, as the PNG brush covers them */
		fprintf(f, "<line x1=\"%d.5\" y1=\"%d.5\" x2=\"%d.5\" y2=\"%d.5\" stroke=\"#%06x\" "
			"stroke-width=\"%d\"", it->x, it->y, it->x + it->w, it->y + it->h, rgb,
			it->stroke);
		if (it->dash)
			fprintf(f, " stroke-dasharray=\"%d\"", it->dash);
		put_attrs(f, it);
		put_end(f, it, "line");
		break;
	case PA_ITEM_POLY:
		fputs("<polyline fill=\"none\" points=\"", f);
		for (size_t i = 0; i < it->npts; i++)
			fprintf(f, "%s%d.5,%d.5", i ? " " : "", it->pts[2 * i], it->pts[2 * i + 1]);
		fprintf(f, "\" stroke=\"#%06x\" stroke-width=\"%d\" stroke-linejoin=\"round\"",
			rgb, it->stroke);
		put_attrs(f, it);
		put_end(f, it, "polyline");
		break;
	case PA_ITEM_MARK:
		fprintf(f, "<circle cx=\"%d.5\" cy=\"%d.5\" r=\"%d\" fill=\"#%06x\"", it->x, it->y,
			it->w, rgb);
		put_attrs(f, it);
		put_end(f, it, "circle");
		break;
	case PA_ITEM_TEXT:
		/* the PNG glyphs stand PA_FONT_ASCENT px above the baseline per unit of scale */
		if (it->vertical)
			fprintf(f, "<text transform=\"translate(%d,%d) rotate(-90)\" x=\"0\" y=\"%d\"",
				it->x, it->y, PA_FONT_ASCENT * it->scale);
		else
			fprintf(f, "<text x=\"%d\" y=\"%d\"", it->x, it->y + PA_FONT_ASCENT * it->scale);
		fprintf(f, " fill=\"#%06x\" text-anchor=\"%s\"", rgb, anchors[it->anchor]);
		if (it->scale != 1)
			fprintf(f, " font-size=\"%d\"", 10 * it->scale);
		put_attrs(f, it);
		fputc('>', f);
		pa_plot_escape(f, it->text);
		if (it->tip) {
			fputs("<title>", f);
			pa_plot_escape(f, it->tip);
			fputs("</title>", f);
		}
		fputs("</text>\n", f);
		break;
	}
}

/* A grid cell without a tooltip: what cell_paths may draw as part of a path. */
static int plain_cell(const struct pa_item *it)
{
	return it->kind == PA_ITEM_RECT && !it->tip && !it->hidden && it->cls &&
	       strcmp(it->cls, "cell") == 0;
}

static int by_colour(const void *x, const void *y)
{
	const struct pa_item *a = *(const struct pa_item *const *)x;
	const struct pa_item *b = *(const struct pa_item *const *)y;

	return (a->rgb > b->rgb) - (a->rgb < b->rgb);
}

/*
 * The plain cells in @items[0..@n) as one <path> per colour, about 18 bytes a cell
 * instead of 75 for a <rect>: cells never overlap, so their order does not matter.
 * Returns 0 or -PA_ENOMEM.
 */
static int cell_paths(FILE *f, const struct pa_item *items, size_t n)
{
	const struct pa_item **v = malloc(n * sizeof(*v));

	if (!v)
		return -PA_ENOMEM;
	for (size_t i = 0; i < n; i++)
		v[i] = &items[i];
	qsort(v, n, sizeof(*v), by_colour);
	for (size_t i = 0; i < n; i++) {
		const struct pa_item *it = v[i];

		if (!i || it->rgb != v[i - 1]->rgb)
			fprintf(f, "%s<path class=\"cells\" fill=\"#%06x\" d=\"", i ? "\"/>\n" : "",
				(unsigned int)it->rgb);
		fprintf(f, "M%d %dh%dv%dh-%dz", it->x, it->y, it->w, it->h, it->w);
	}
	if (n)
		fputs("\"/>\n", f);
	free(v);
	return 0;
}

int pa_canvas_svg(const struct pa_canvas *c, FILE *f, const char *title, int inline_svg)
{
	if (!inline_svg)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans Mono, monospace\" "
		"font-size=\"10\">\n", c->width, c->height, c->width, c->height);
	fputs("<style>.cell:hover{stroke:#000;stroke-width:1}</style>\n<title>", f);
	pa_plot_escape(f, title);
	fprintf(f, "</title>\n<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", c->width,
		c->height);
	for (size_t i = 0, j; i < c->n; i = j) {
		for (j = i; j < c->n && plain_cell(&c->items[j]); j++)
			;
		if (j - i > 1 && cell_paths(f, &c->items[i], j - i))
			return -PA_ENOMEM;
		if (j - i == 1)
			put_item(f, &c->items[i]);
		if (j == i)
			put_item(f, &c->items[j++]);
	}
	fputs("</svg>\n", f);
	return ferror(f) ? -PA_EIO : 0;
}

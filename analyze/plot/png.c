// SPDX-License-Identifier: MIT
/*
 * PNG rendering of a canvas: the items are rasterized into an RGB buffer (no
 * anti-aliasing: rectangles, Bresenham lines with a square brush, discs and the 5x7
 * bitmap font) and written by libpng's simplified API.
 */
#include <png.h>
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "font.h"
#include "pat/error.h"

struct raster {
	unsigned char *px;	/* width * height * 3 */
	int width, height;
};

static void put(struct raster *r, int x, int y, uint32_t rgb)
{
	unsigned char *p;

	if (x < 0 || y < 0 || x >= r->width || y >= r->height)
		return;
	p = r->px + ((size_t)y * (size_t)r->width + (size_t)x) * 3;
	p[0] = (unsigned char)(rgb >> 16);
	p[1] = (unsigned char)(rgb >> 8);
	p[2] = (unsigned char)rgb;
}

static void fill(struct raster *r, int x, int y, int w, int h, uint32_t rgb)
{
	int x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
	int x1 = x + w > r->width ? r->width : x + w;
	int y1 = y + h > r->height ? r->height : y + h;

	for (int j = y0; j < y1; j++)
		for (int i = x0; i < x1; i++)
			put(r, i, j, rgb);
}

/* A line with a @stroke-wide square brush; dashes count the steps along it. */
static void line(struct raster *r, int x0, int y0, int x1, int y1, uint32_t rgb, int stroke,
		 int dash)
{
	int dx = abs(x1 - x0), dy = -abs(y1 - y0);
	int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, e = dx + dy;
	int lo = -(stroke - 1) / 2;

	for (long step = 0;; step++) {
		int e2 = 2 * e;

		if (!dash || (step / dash) % 2 == 0)
			fill(r, x0 + lo, y0 + lo, stroke, stroke, rgb);
		if (x0 == x1 && y0 == y1)
			break;
		if (e2 >= dy) {
			e += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			e += dx;
			y0 += sy;
		}
	}
}

static void disc(struct raster *r, int cx, int cy, int rad, uint32_t rgb)
{
	for (int j = -rad; j <= rad; j++)
		for (int i = -rad; i <= rad; i++)
			if (i * i + j * j <= rad * rad + rad)
				put(r, cx + i, cy + j, rgb);
}

static void text(struct raster *r, const struct pa_item *it)
{
	size_t len = strlen(it->text);
	int s = it->scale, tw = pa_canvas_text_width(len, s);
	int off = it->anchor == PA_ANCHOR_MIDDLE ? tw / 2 : it->anchor == PA_ANCHOR_END ? tw : 0;

	for (size_t k = 0; k < len; k++) {
		const unsigned char *g = pa_font_glyph((unsigned char)it->text[k]);

		for (int gy = 0; gy < PA_FONT_H; gy++) {
			for (int gx = 0; gx < PA_FONT_W; gx++) {
				/* u runs along the text, v down the glyphs */
				int u = (int)k * PA_FONT_ADV * s + gx * s - off, v = gy * s;

				if (!(g[gy] & (0x10 >> gx)))
					continue;
				if (it->vertical)	/* turned a quarter left: read upwards */
					fill(r, it->x + v, it->y - u - s + 1, s, s, it->rgb);
				else
					fill(r, it->x + u, it->y + v, s, s, it->rgb);
			}
		}
	}
}

static void draw(struct raster *r, const struct pa_item *it)
{
	switch (it->kind) {
	case PA_ITEM_RECT:
		if (!it->hidden)
			fill(r, it->x, it->y, it->w, it->h, it->rgb);
		break;
	case PA_ITEM_LINE:
		line(r, it->x, it->y, it->x + it->w, it->y + it->h, it->rgb, it->stroke, it->dash);
		break;
	case PA_ITEM_POLY:
		for (size_t i = 1; i < it->npts; i++)
			line(r, it->pts[2 * i - 2], it->pts[2 * i - 1], it->pts[2 * i],
			     it->pts[2 * i + 1], it->rgb, it->stroke, 0);
		break;
	case PA_ITEM_MARK:
		disc(r, it->x, it->y, it->w, it->rgb);
		break;
	case PA_ITEM_TEXT:
		text(r, it);
		break;
	}
}

int pa_canvas_png(const struct pa_canvas *c, FILE *f, char *err, size_t errsize)
{
	struct raster r = { .width = c->width, .height = c->height };
	png_image img;
	png_alloc_size_t size = 0;
	void *out = NULL;
	int ok, rc = 0;

	r.px = malloc((size_t)c->width * (size_t)c->height * 3);
	if (!r.px)
		return -PA_ENOMEM;
	memset(r.px, 0xff, (size_t)c->width * (size_t)c->height * 3);
	for (size_t i = 0; i < c->n; i++)
		draw(&r, &c->items[i]);
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)c->width;
	img.height = (png_uint_32)c->height;
	img.format = PNG_FORMAT_RGB;
	/*
	 * Encoded in memory, then written with stdio: a failed write then leaves the
	 * stream's error for the caller to name (libpng's own writes keep only "Write
	 * Error"), and an encoding failure writes nothing at all.
	 */
	ok = png_image_write_get_memory_size(img, size, 0, r.px, c->width * 3, NULL);
	if (ok && !(out = malloc(size)))
		rc = -PA_ENOMEM;
	else if (ok)
		ok = png_image_write_to_memory(&img, out, &size, 0, r.px, c->width * 3, NULL);
	if (!ok)
		snprintf(err, errsize, "libpng: %s", img.message);
	else if (!rc && fwrite(out, 1, size, f) != size)
		rc = -PA_EIO;
	png_image_free(&img);
	free(out);
	free(r.px);
	return ok ? rc : -PA_EINVAL;
}

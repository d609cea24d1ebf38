// SPDX-License-Identifier: MIT
/*
 * The drawing items of a picture (canvas.h).
 */
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "pat/error.h"
#include "pat/grow.h"

void pa_canvas_init(struct pa_canvas *c, int width, int height)
{
	memset(c, 0, sizeof(*c));
	c->width = width;
	c->height = height;
}

void pa_canvas_free(struct pa_canvas *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->items[i].pts);
		free(c->items[i].text);
		free(c->items[i].tip);
	}
	free(c->items);
	c->items = NULL;
	c->n = c->cap = 0;
}

struct pa_item *pa_canvas_add(struct pa_canvas *c, enum pa_item_kind kind, uint32_t rgb,
			      const char *tip)
{
	struct pa_item *it;
	char *copy = NULL;

	if (tip && !(copy = strdup(tip)))
		return NULL;
	if (pa_reserve((void **)&c->items, &c->cap, c->n + 1, sizeof(*c->items), 256)) {
		free(copy);
		return NULL;
	}
	it = &c->items[c->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->rgb = rgb;
	it->scale = 1;
	it->tip = copy;
	return it;
}

struct pa_item *pa_canvas_rect(struct pa_canvas *c, int x, int y, int w, int h,
			       uint32_t rgb, const char *tip)
{
	struct pa_item *it = pa_canvas_add(c, PA_ITEM_RECT, rgb, tip);

	if (it) {
		it->x = x;
		it->y = y;
		it->w = w;
		it->h = h;
	}
	return it;
}

int pa_canvas_line(struct pa_canvas *c, int x0, int y0, int x1, int y1, uint32_t rgb,
		   int stroke, int dash)
{
	struct pa_item *it = pa_canvas_add(c, PA_ITEM_LINE, rgb, NULL);

	if (!it)
		return -PA_ENOMEM;
	it->x = x0;
	it->y = y0;
	it->w = x1 - x0;
	it->h = y1 - y0;
	it->stroke = stroke;
	it->dash = dash;
	return 0;
}

struct pa_item *pa_canvas_text(struct pa_canvas *c, int x, int y, const char *text,
			       uint32_t rgb, int scale, enum pa_anchor anchor)
{
	struct pa_item *it = pa_canvas_add(c, PA_ITEM_TEXT, rgb, NULL);

	if (!it)
		return NULL;
	it->text = strdup(text);
	if (!it->text) {
		c->n--;
		return NULL;
	}
	it->x = x;
	it->y = y;
	it->scale = scale;
	it->anchor = anchor;
	return it;
}

/* SPDX-License-Identifier: MIT */
#ifndef PAT_PLOT_AXIS_H
#define PAT_PLOT_AXIS_H

#include <stddef.h>

#include "plot.h"

/* The ticks of an axis and how to write them. Internal to analyze/plot/. */
#define PA_MAX_TICKS 24

struct pa_ticks {
	double v[PA_MAX_TICKS];	/* in the axis's own values (ns, bytes, ...) */
	size_t n;
	double div;		/* a tick label is v / div ... */
	int decimals;		/* ... with this many decimals ... */
	const char *unit;	/* ... and the axis label ends in " (unit)"; "" for none */
};

/*
 * pa_axis_ticks - about five to ten round values within [a->lo, a->hi] (powers of two on
 * a log2 axis) and the unit they are written in.
 */
void pa_axis_ticks(const struct pa_plot_axis *a, struct pa_ticks *t);

/* pa_axis_tick_label - tick value @v of @t on axis @a as text into @buf. Returns @buf. */
const char *pa_axis_tick_label(const struct pa_plot_axis *a, const struct pa_ticks *t,
			       double v, char *buf, size_t size);

/* pa_axis_pos - where @v lies on axis @a: 0 at lo, 1 at hi (log2 axes by exponent). */
double pa_axis_pos(const struct pa_plot_axis *a, double v);

#endif

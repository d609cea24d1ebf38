// SPDX-License-Identifier: MIT
/*
 * Axis ticks and their labels in the unit of what the axis measures.
 */
#include <math.h>
#include <stdio.h>

#include "axis.h"

/* A step of 1, 2 or 5 times a power of ten giving about @n ticks over @span. */
static double nice_step(double span, double n)
{
	double raw = span / n, mag = pow(10, floor(log10(raw))), norm = raw / mag;

	return (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
}

static const char *const byte_units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };

const char *pa_plot_format_bytes(double v, char *buf, size_t size)
{
	unsigned int u = 0;

	while (u < 5 && fabs(v) >= 1024) {
		v /= 1024;
		u++;
	}
	snprintf(buf, size, "%.4g %s", v, byte_units[u]);
	return buf;
}

/* The divisor and name of the unit to write values up to @hi (span @span) in. */
static void pick_unit(const struct pa_plot_axis *a, double span, struct pa_ticks *t)
{
	t->div = 1;
	t->unit = "";
	switch (a->unit) {
	case PA_UNIT_TIME_NS:
		t->unit = "ns";
		if (span >= 2e9)
			t->div = 1e9, t->unit = "s";
		else if (span >= 2e6)
			t->div = 1e6, t->unit = "ms";
		else if (span >= 2e3)
			t->div = 1e3, t->unit = "us";
		break;
	case PA_UNIT_BYTES:
		t->unit = "B";
		for (unsigned int u = 1; u < 6 && fmax(fabs(a->hi), fabs(a->lo)) >= 2 * pow(1024, u); u++)
			t->div = pow(1024, u), t->unit = byte_units[u];
		break;
	case PA_UNIT_COUNT:
		if (fabs(a->hi) >= 1e7)
			t->div = 1e6, t->unit = "millions";
		break;
	case PA_UNIT_RATIO:
		break;
	}
}

void pa_axis_ticks(const struct pa_plot_axis *a, struct pa_ticks *t)
{
	double span = a->hi - a->lo, step, first;

	t->n = 0;
	pick_unit(a, span, t);
	t->decimals = 0;
	if (a->log2) {
		/* times: at powers of two of a microsecond, as pat's windows double from 1 us */
		double base = a->unit == PA_UNIT_TIME_NS && a->lo >= 1e3 ? 1e3 : 1;
		double l0 = ceil(log2(a->lo / base) - 1e-9), l1 = floor(log2(a->hi / base) + 1e-9);
		double k = 1;

		while ((l1 - l0) / k >= 10)
			k *= 2;
		for (double e = l0; e <= l1 && t->n < PA_MAX_TICKS; e += k)
			t->v[t->n++] = base * exp2(e);
		return;
	}
	if (!(span > 0))
		return;
	/* in the written unit, so that 0.5 ms steps stay round */
	step = nice_step(span / t->div, 6) * t->div;
	if (a->unit == PA_UNIT_COUNT && step < 1)
		step = 1;	/* no tick at half an event */
	first = ceil(a->lo / step - 1e-9) * step;
	for (double v = first; v <= a->hi + step * 1e-9 && t->n < PA_MAX_TICKS; v += step)
		t->v[t->n++] = fabs(v) < step * 1e-9 ? 0 : v;
	if (step / t->div < 1)
		t->decimals = (int)ceil(-log10(step / t->div) - 1e-9);
}

const char *pa_axis_tick_label(const struct pa_plot_axis *a, const struct pa_ticks *t,
			       double v, char *buf, size_t size)
{
	if (a->log2 && a->unit == PA_UNIT_BYTES)
		return pa_plot_format_bytes(v, buf, size);
	if (a->log2 && a->unit == PA_UNIT_TIME_NS)
		snprintf(buf, size, "%.4g %s", v >= 1e9 ? v / 1e9 : v >= 1e6 ? v / 1e6 :
			 v >= 1e3 ? v / 1e3 : v, v >= 1e9 ? "s" : v >= 1e6 ? "ms" : v >= 1e3 ?
			 "us" : "ns");
	else if (a->log2)
		snprintf(buf, size, "%.6g", v);
	else
		snprintf(buf, size, "%.*f", t->decimals, v / t->div);
	return buf;
}

double pa_axis_pos(const struct pa_plot_axis *a, double v)
{
	if (a->log2)
		return (log2(v) - log2(a->lo)) / (log2(a->hi) - log2(a->lo));
	return (v - a->lo) / (a->hi - a->lo);
}

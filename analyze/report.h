/* SPDX-License-Identifier: MIT */
#ifndef PAT_ANALYZE_REPORT_H
#define PAT_ANALYZE_REPORT_H

#include <stdio.h>

#include "events.h"
#include "plot/plot.h"
#include "pat/store.h"

/*
 * `paanalyze report`: one HTML page. Each analysis that has a picture writes its own
 * section (its heading, the figure as inline SVG, its table) through these.
 */
struct pa_report {
	FILE *f;			/* the HTML being written */
	struct pa_store *st;
	const char *db;
	const struct pa_filter *filter;
};

/*
 * pa_report_figure - @p as an inline SVG figure of the page. Returns PA_EXIT_OK, or
 * PA_EXIT_FAIL after reporting why.
 */
int pa_report_figure(struct pa_report *r, struct pa_plot *p);

/*
 * The sections, in cmd_heatmap.c, cmd_wss.c and cmd_reuse.c, with each command's
 * defaults. Each returns PA_EXIT_OK, or PA_EXIT_FAIL after reporting why.
 */
int pa_report_heatmap(struct pa_report *r);
int pa_report_wss(struct pa_report *r);
int pa_report_reuse(struct pa_report *r);

#endif

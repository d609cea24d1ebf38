/* SPDX-License-Identifier: MIT */
#ifndef PAT_ANALYZE_ADDRHEAT_H
#define PAT_ANALYZE_ADDRHEAT_H

#include <stdint.h>

#include "events.h"
#include "plot/plot.h"

/* The most columns of time of the page heatmap picture (720 pixels, two each). */
#define PA_ADDRHEAT_MAX_COLS 360

/*
 * pa_addrheat_draw - the page heatmap of the run in @st into picture @p: time across
 * (equal columns over [@t_start, @t_end), trace-clock ns, from the run start @t0: one
 * per tracing interval, at most PA_ADDRHEAT_MAX_COLS), the pages touched by the events passing @f with addresses in [@addr_lo,
 * @addr_hi) down, about @rows rows. The address axis leaves out what lies between the
 * pages touched: it is cut into bands at the ends of the mappings of the run (each
 * named by the mapping of its first page) and at gaps of more than 16 MiB (fewer when
 * there would be more bands than rows/2), and each band gets rows by the pages it
 * spans, at least one. Memory grows with the distinct pages, not the events. Returns 0
 * or a negated pa_err (message in pa_store_errmsg or, for -PA_EINVAL and
 * -PA_ENOMEM, pa_plot_errmsg).
 */
int pa_addrheat_draw(struct pa_store *st, const struct pa_filter *f, uint64_t addr_lo,
		     uint64_t addr_hi, unsigned int shift, uint64_t t0, uint64_t t_start,
		     uint64_t t_end, unsigned int rows, struct pa_plot *p);

#endif

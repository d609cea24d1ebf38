/* SPDX-License-Identifier: MIT */
#ifndef PAT_COLLECTOR_RUNMETA_H
#define PAT_COLLECTOR_RUNMETA_H

#include <stdint.h>

#include "import.h"
#include "pat/store.h"

/*
 * What pacollect's two modes, importing trace text (pacollect.c) and tracing live
 * (live.c), share: the clock they time themselves with, the metadata every run
 * database of theirs carries, and the first line of the summary they print.
 */

/* pa_clock_s - CLOCK_MONOTONIC in seconds, for intervals and rates. */
double pa_clock_s(void);

/* pa_clock_ns - CLOCK_MONOTONIC in nanoseconds: the clock of the trace (trace_clock mono). */
uint64_t pa_clock_ns(void);

/*
 * pa_run_meta - write the meta keys every database pacollect writes has (schema/schema.sql):
 * tool_version, source (@source: "import" or "live"), created (UTC, ISO 8601) and
 * page_size (@page_size bytes). Returns 0 or a negated pa_err (message in @st).
 */
int pa_run_meta(struct pa_store *st, const char *source, int64_t page_size);

/*
 * pa_run_summary_head - print "pacollect: wrote OUTPUT: N events (R R, W W)" on stderr,
 * without a newline: each mode adds what it counts.
 */
void pa_run_summary_head(const char *output, const struct pa_import_stats *s);

#endif

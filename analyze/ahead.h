/* SPDX-License-Identifier: MIT */
#ifndef PAT_ANALYZE_AHEAD_H
#define PAT_ANALYZE_AHEAD_H

#include "events.h"

/*
 * The filtered events of pa_events_open/pa_events_next, read ahead by a thread: while
 * an analysis works on one piece, the next are already being read from SQLite and
 * decoded into a small ring. Same order, same pieces. When no thread can be started
 * it reads in the caller's thread instead.
 */
struct pa_ahead;

/*
 * pa_ahead_open - like pa_events_open, decoding only the columns @cols (PA_COL_* of
 * pat/chunk.h; the others hold anything). @st is used by the reader until
 * pa_ahead_close.
 */
int pa_ahead_open(struct pa_store *st, const struct pa_filter *f, unsigned int cols,
		  struct pa_ahead **out);

/*
 * pa_ahead_next - the next piece, valid until the next call: 1 with *@b set, 0 at the
 * end, or a negated pa_err (message in pa_store_errmsg of the store).
 */
int pa_ahead_next(struct pa_ahead *a, const struct pa_batch **b);

/* pa_ahead_t0 - the run start, as pa_events_t0. */
uint64_t pa_ahead_t0(const struct pa_ahead *a);

/* pa_ahead_close - stop the reader and release everything (NULL allowed). */
void pa_ahead_close(struct pa_ahead *a);

#endif

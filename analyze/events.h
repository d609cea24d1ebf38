/* SPDX-License-Identifier: MIT */
#ifndef PAT_ANALYZE_EVENTS_H
#define PAT_ANALYZE_EVENTS_H

#include <stdint.h>

#include "pat/duration.h"
#include "pat/event.h"
#include "pat/store.h"

/*
 * The common filters (--pid, --tid, --from, --to, --rw) and a reader that yields the
 * run's events in stored order, chunk by chunk, with the filters applied: every
 * analysis loops over pa_events_next() and never sees a filtered-out event.
 */
struct pa_filter {
	uint32_t pid;		/* tgid; 0: any */
	uint32_t tid;		/* 0: any */
	int has_from, has_to;
	uint64_t from_ns;	/* relative to the run start t0 */
	uint64_t to_ns;
	int rw;			/* 0: both, 'r' or 'w' */
};

struct pa_events;

/*
 * pa_events_open - a reader of @st's events passing @f (NULL: all). The run start t0
 * (docs/design.md §6) is computed here. Returns 0 or a negated pa_err (message in
 * pa_store_errmsg(st)). Caller frees with pa_events_close.
 */
int pa_events_open(struct pa_store *st, const struct pa_filter *f, struct pa_events **out);

/*
 * pa_events_next - the next non-empty batch of events (a few thousand at most), owned
 * by the reader and valid until the next call. Returns 1 with *@b set, 0 at the end,
 * or a negated pa_err.
 */
int pa_events_next(struct pa_events *ev, const struct pa_batch **b);

/*
 * pa_events_fill - the chunk read loop behind pa_events_next, for a reader thread that
 * reads and decodes ahead of its caller (analyze/ahead.c) with a codec of its own: the
 * next filtered events (a few thousand at most) into @b (made with pa_batch_init,
 * grown as needed), decoded on @c, reading the next chunk when none is open (*@open 0;
 * *@id names the open one). Returns 1, 0 at the end, or a negated pa_err (message in
 * pa_store_errmsg).
 */
struct pa_codec;
int pa_events_fill(struct pa_events *ev, struct pa_codec *c, int64_t *id, int *open,
		   struct pa_batch *b);

/*
 * pa_events_columns - the columns the caller reads (PA_COL_* of pat/chunk.h; all by
 * default): the others are not decoded and hold anything. The filters' own columns
 * are added. Call before the first pa_events_next.
 */
void pa_events_columns(struct pa_events *ev, unsigned int cols);

/* pa_events_t0 - the run start in trace-clock nanoseconds. */
uint64_t pa_events_t0(const struct pa_events *ev);

void pa_events_close(struct pa_events *ev);


#endif

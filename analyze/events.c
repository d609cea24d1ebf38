// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "pat/chunk.h"
#include "pat/error.h"
#include "rundb.h"

/*
 * Events are handed out in pieces of at most PIECE: a piece of the columns an analysis
 * reads (21 bytes an event for wss) stays in the cache from its decoding to its use,
 * and its memory is touched once, where whole chunks of 64Ki events went out to memory
 * and cost a page fault per 4 KiB of every buffer. 2048 and 4096 were as fast; 8192
 * and 16384 slower (wss, 10^6 random events).
 */
#define PIECE 4096

struct pa_events {
	struct pa_store *st;
	struct pa_chunk_iter *it;
	struct pa_codec *codec;	/* pa_events_next's, made on its first call */
	int64_t id;		/* the chunk open on codec, if open */
	int open;
	struct pa_batch batch;
	struct pa_filter f;
	int filtering;
	uint64_t t0;
	uint64_t lo, hi;	/* absolute [lo, hi) of --from/--to */
};

int pa_events_open(struct pa_store *st, const struct pa_filter *f, struct pa_events **out)
{
	struct pa_events *ev = calloc(1, sizeof(*ev));
	int err;

	*out = NULL;
	if (!ev)
		return -PA_ENOMEM;
	if (f)
		ev->f = *f;
	ev->st = st;
	err = pa_store_run_start(st, &ev->t0);
	if (err)
		goto out_free;
	ev->lo = 0;
	ev->hi = UINT64_MAX;
	if (ev->f.has_from)
		ev->lo = ev->t0 + ev->f.from_ns;
	if (ev->f.has_to)
		ev->hi = ev->t0 + ev->f.to_ns;
	ev->filtering = ev->f.pid || ev->f.tid || ev->f.rw || ev->f.has_from || ev->f.has_to;
	err = pa_batch_init(&ev->batch, 0);
	if (err)
		goto out_free;
	err = pa_store_chunks_range(st, ev->lo, ev->hi, &ev->it);
	if (err)
		goto out_batch;
	*out = ev;
	return 0;

out_batch:
	pa_batch_free(&ev->batch);
out_free:
	free(ev);
	return err;
}

/* Keeps the events of @b that pass the filter, in order. */
static void apply(const struct pa_events *ev, struct pa_batch *b)
{
	const struct pa_filter *f = &ev->f;
	size_t k = 0;

	for (size_t i = 0; i < b->n; i++) {
		if (f->pid && b->tgid[i] != f->pid)
			continue;
		if (f->tid && b->tid[i] != f->tid)
			continue;
		if (f->rw == 'r' && (b->flags[i] & PA_EV_WRITE))
			continue;
		if (f->rw == 'w' && !(b->flags[i] & PA_EV_WRITE))
			continue;
		if (b->time_ns[i] < ev->lo || b->time_ns[i] >= ev->hi)
			continue;
		if (k != i) {
#define MOVE(name, type, codec) b->name[k] = b->name[i];
			PA_BATCH_COLUMNS(MOVE)
#undef MOVE
		}
		k++;
	}
	b->n = k;
}

/* The next filtered events of the chunk open on @c: 1, 0 when it is done, or an error. */
static int piece(struct pa_events *ev, struct pa_codec *c, struct pa_batch *b)
{
	int rc;

	while ((rc = pa_chunk_read(c, b, PIECE)) > 0) {
		if (ev->filtering)
			apply(ev, b);
		if (b->n)
			return 1;
	}
	return rc;
}

int pa_events_fill(struct pa_events *ev, struct pa_codec *c, int64_t *id, int *open,
		   struct pa_batch *b)
{
	for (;;) {
		int64_t rc;

		if (!*open) {
			rc = pa_store_chunks_open(ev->it, c, id, NULL);
			if (rc <= 0)
				return (int)rc;
			*open = 1;
		}
		rc = piece(ev, c, b);
		if (rc > 0)
			return 1;
		if (rc < 0)
			return pa_store_chunk_failed(ev->st, c, *id, (int)rc);
		*open = 0;
	}
}

int pa_events_next(struct pa_events *ev, const struct pa_batch **b)
{
	int rc;

	if (!ev->codec && !(ev->codec = pa_codec_new(0)))
		return -PA_ENOMEM;
	rc = pa_events_fill(ev, ev->codec, &ev->id, &ev->open, &ev->batch);
	if (rc > 0)
		*b = &ev->batch;
	return rc;
}

void pa_events_columns(struct pa_events *ev, unsigned int cols)
{
	/* the filters read their own columns */
	if (ev->f.pid)
		cols |= PA_COL_TGID;
	if (ev->f.tid)
		cols |= PA_COL_TID;
	if (ev->f.rw)
		cols |= PA_COL_FLAGS;
	if (ev->f.has_from || ev->f.has_to)
		cols |= PA_COL_TIME;
	pa_store_chunks_columns(ev->it, cols);
}

uint64_t pa_events_t0(const struct pa_events *ev)
{
	return ev->t0;
}

void pa_events_close(struct pa_events *ev)
{
	if (!ev)
		return;
	pa_store_chunks_end(ev->it);
	pa_codec_free(ev->codec);
	pa_batch_free(&ev->batch);
	free(ev);
}

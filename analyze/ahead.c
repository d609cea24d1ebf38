// SPDX-License-Identifier: MIT
#include <pthread.h>
#include <stdlib.h>

#include "ahead.h"
#include "pat/chunk.h"
#include "pat/error.h"

/*
 * A ring of SLOTS pieces: the reader thread reads chunks from SQLite and decodes them
 * piece by piece into the FREE slots, in ring order; the caller takes the FULL ones in
 * the same order, and a slot it holds (HELD) is freed by its next call.
 *
 * Pieces rather than whole chunks, so that the ring is small: its memory is touched
 * once and stays in the cache, where slots of a whole chunk each (64Ki events) go out
 * to memory and cost a page fault per 4 KiB (wss on 10^6 random events: 870 faults in
 * pieces, 1350 in whole chunks). A full ring puts the reader to sleep until half of it
 * is free again, so that it is woken once per SLOTS / 2 pieces and not for every one.
 */
#define SLOTS 8

enum { FREE, FULL, HELD };

struct pa_ahead {
	struct pa_events *ev;
	struct pa_codec *codec;	/* the reader's */
	pthread_t thread;
	int threaded;
	pthread_mutex_t lock;
	pthread_cond_t filled;	/* a slot became FULL, or the reader stopped */
	pthread_cond_t freed;	/* half the ring is FREE, or the caller is closing */
	struct pa_batch slot[SLOTS];
	int state[SLOTS];
	int nfree;
	int next_fill, next_take;	/* slot indices, in ring order */
	int held;		/* the caller's slot, or -1 */
	int reader_waits, caller_waits;
	int done;		/* the reader has stopped: end holds why */
	int end;		/* 0 at the end of the events, or a negated pa_err */
	int stop;		/* the caller is closing */
};

static void *reader(void *arg)
{
	struct pa_ahead *a = arg;
	int64_t id = 0;
	int open = 0, rc;

	for (;;) {
		int i;

		pthread_mutex_lock(&a->lock);
		if (!a->nfree) {
			a->reader_waits = 1;
			while (!a->stop && a->nfree < SLOTS / 2)
				pthread_cond_wait(&a->freed, &a->lock);
			a->reader_waits = 0;
		}
		i = a->next_fill;
		rc = a->stop;
		pthread_mutex_unlock(&a->lock);
		if (rc) {
			rc = 0;
			break;
		}
		/* the slot is FREE: only this thread touches it until it is marked FULL */
		rc = pa_events_fill(a->ev, a->codec, &id, &open, &a->slot[i]);
		if (rc <= 0)
			break;
		pthread_mutex_lock(&a->lock);
		a->state[i] = FULL;
		a->nfree--;
		a->next_fill = (i + 1) % SLOTS;
		if (a->caller_waits)
			pthread_cond_signal(&a->filled);
		pthread_mutex_unlock(&a->lock);
	}
	pthread_mutex_lock(&a->lock);
	a->done = 1;
	a->end = rc;
	pthread_cond_signal(&a->filled);
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

int pa_ahead_open(struct pa_store *st, const struct pa_filter *f, unsigned int cols,
		  struct pa_ahead **out)
{
	struct pa_ahead *a = calloc(1, sizeof(*a));
	int err;

	*out = NULL;
	if (!a)
		return -PA_ENOMEM;
	a->held = -1;
	a->nfree = SLOTS;
	err = pa_events_open(st, f, &a->ev);
	if (err) {
		free(a);
		return err;
	}
	pa_events_columns(a->ev, cols);
	a->codec = pa_codec_new(0);
	err = a->codec ? 0 : -PA_ENOMEM;
	for (int i = 0; !err && i < SLOTS; i++)
		err = pa_batch_init(&a->slot[i], 0);
	if (err) {
		pa_ahead_close(a);
		return err;
	}
	if (pthread_mutex_init(&a->lock, NULL) == 0) {
		if (pthread_cond_init(&a->filled, NULL) == 0) {
			if (pthread_cond_init(&a->freed, NULL) == 0) {
				a->threaded = pthread_create(&a->thread, NULL, reader, a) == 0;
				if (!a->threaded)
					pthread_cond_destroy(&a->freed);
			}
			if (!a->threaded)
				pthread_cond_destroy(&a->filled);
		}
		if (!a->threaded)
			pthread_mutex_destroy(&a->lock);
	}
	*out = a;
	return 0;
}

int pa_ahead_next(struct pa_ahead *a, const struct pa_batch **b)
{
	int i, rc;

	if (!a->threaded)
		return pa_events_next(a->ev, b);
	pthread_mutex_lock(&a->lock);
	/* the slot handed out last time goes back to the reader */
	if (a->held >= 0) {
		a->state[a->held] = FREE;
		a->nfree++;
		a->held = -1;
		if (a->reader_waits && a->nfree >= SLOTS / 2)
			pthread_cond_signal(&a->freed);
	}
	i = a->next_take;
	a->caller_waits = 1;
	while (a->state[i] != FULL && !a->done)
		pthread_cond_wait(&a->filled, &a->lock);
	a->caller_waits = 0;
	if (a->state[i] == FULL) {
		a->state[i] = HELD;
		a->held = i;
		a->next_take = (i + 1) % SLOTS;
		*b = &a->slot[i];
		rc = 1;
	} else {
		rc = a->end;
	}
	pthread_mutex_unlock(&a->lock);
	return rc;
}

uint64_t pa_ahead_t0(const struct pa_ahead *a)
{
	return pa_events_t0(a->ev);
}

void pa_ahead_close(struct pa_ahead *a)
{
	if (!a)
		return;
	if (a->threaded) {
		pthread_mutex_lock(&a->lock);
		a->stop = 1;
		pthread_cond_signal(&a->freed);
		pthread_mutex_unlock(&a->lock);
		pthread_join(a->thread, NULL);
		pthread_cond_destroy(&a->freed);
		pthread_cond_destroy(&a->filled);
		pthread_mutex_destroy(&a->lock);
	}
	pa_events_close(a->ev);
	pa_codec_free(a->codec);
	for (int i = 0; i < SLOTS; i++)
		pa_batch_free(&a->slot[i]);
	free(a);
}

// SPDX-License-Identifier: MIT
#include <pthread.h>
#include <stdlib.h>

#include "ahead.h"
#include "pat/chunk.h"
#include "pat/error.h"

/*
 * Two slots: the reader decodes into one while the caller holds the other. A slot is
 * FREE (the reader may fill it), FULL (waiting for the caller) or HELD (the caller's).
 */
enum { FREE, FULL, HELD };

struct pa_ahead {
	struct pa_events *ev;
	pthread_t thread;
	int threaded;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct pa_batch slot[2];
	int state[2];
	int next_fill, next_take;	/* slot indices, alternating */
	int done;			/* the reader has stopped: end holds why */
	int end;			/* 0 at the end of the events, or a negated pa_err */
	int stop;			/* the caller is closing */
};

static void *reader(void *arg)
{
	struct pa_ahead *a = arg;
	int rc;

	for (;;) {
		int i;

		pthread_mutex_lock(&a->lock);
		while (!a->stop && a->state[a->next_fill] != FREE)
			pthread_cond_wait(&a->cond, &a->lock);
		i = a->next_fill;
		rc = a->stop;
		pthread_mutex_unlock(&a->lock);
		if (rc) {
			rc = 0;
			break;
		}
		/* the slot is FREE: only this thread touches it until it is marked FULL */
		rc = pa_events_read(a->ev, &a->slot[i]);
		if (rc <= 0)
			break;
		pthread_mutex_lock(&a->lock);
		a->state[i] = FULL;
		a->next_fill = !i;
		pthread_cond_broadcast(&a->cond);
		pthread_mutex_unlock(&a->lock);
	}
	pthread_mutex_lock(&a->lock);
	a->done = 1;
	a->end = rc;
	pthread_cond_broadcast(&a->cond);
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
	err = pa_events_open(st, f, &a->ev);
	if (err) {
		free(a);
		return err;
	}
	pa_events_columns(a->ev, cols);
	if (pa_batch_init(&a->slot[0], 0) || pa_batch_init(&a->slot[1], 0)) {
		pa_ahead_close(a);
		return -PA_ENOMEM;
	}
	if (pthread_mutex_init(&a->lock, NULL) == 0) {
		if (pthread_cond_init(&a->cond, NULL) == 0) {
			a->threaded = pthread_create(&a->thread, NULL, reader, a) == 0;
			if (!a->threaded)
				pthread_cond_destroy(&a->cond);
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
	for (i = 0; i < 2; i++)
		if (a->state[i] == HELD)
			a->state[i] = FREE;
	pthread_cond_broadcast(&a->cond);
	i = a->next_take;
	while (a->state[i] != FULL && !a->done)
		pthread_cond_wait(&a->cond, &a->lock);
	if (a->state[i] == FULL) {
		a->state[i] = HELD;
		a->next_take = !i;
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
		pthread_cond_broadcast(&a->cond);
		pthread_mutex_unlock(&a->lock);
		pthread_join(a->thread, NULL);
		pthread_cond_destroy(&a->cond);
		pthread_mutex_destroy(&a->lock);
	}
	pa_events_close(a->ev);
	pa_batch_free(&a->slot[0]);
	pa_batch_free(&a->slot[1]);
	free(a);
}

// SPDX-License-Identifier: MIT
/*
 * benchtool - the baselines of `make bench` (tests/bench/bench.sh) that no pat command
 * gives:
 *
 *   benchtool decode CMD DB   decode the events of DB as `paanalyze CMD` reads them
 *                             (wss, reuse, heatmap: the same reader and columns as
 *                             analyze/cmd_CMD.c), doing nothing with them: what the
 *                             analysis costs beyond decoding is its time over this one
 *   benchtool columns DB      the chunks' bytes per part on disk (pa_chunk_stored):
 *                             "events N header B time B tid B ..." on one line
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ahead.h"
#include "cli.h"
#include "events.h"
#include "pat/chunk.h"
#include "pat/error.h"
#include "pat/store.h"
#include "rundb.h"

/*
 * cli.c, linked for rundb.c's messages, finds commands in paanalyze.c's table, which
 * is not linked here: there are none.
 */
const struct pa_command *pa_find_command(const char *name)
{
	(void)name;
	return NULL;
}

/* The reader and the columns of each analysis (analyze/cmd_*.c). */
static const struct {
	const char *cmd;
	int ahead;		/* read ahead by a thread (pa_ahead) */
	unsigned int cols;
} readers[] = {
	{ "wss", 1, PA_COL_TIME | PA_COL_TGID | PA_COL_FLAGS },
	{ "reuse", 1, PA_COL_TGID },
	{ "heatmap", 0, PA_COL_TIME | PA_COL_TGID | PA_COL_IP | PA_COL_FLAGS },
};

/* A value of every event (of columns every reader decodes), so that no decoding is left out. */
static uint64_t fold(const struct pa_batch *b)
{
	uint64_t x = 0;

	for (size_t i = 0; i < b->n; i++)
		x += b->addr[i] ^ b->tgid[i];
	return x;
}

static int decode(struct pa_store *st, const char *cmd)
{
	const struct pa_batch *b;
	unsigned int shift, cols;
	uint64_t x = 0, n = 0;
	size_t k;
	int rc;

	for (k = 0; k < sizeof(readers) / sizeof(readers[0]); k++)
		if (strcmp(readers[k].cmd, cmd) == 0)
			break;
	if (k == sizeof(readers) / sizeof(readers[0])) {
		fprintf(stderr, "benchtool: decode: no analysis '%s'\n", cmd);
		return 2;
	}
	rc = pa_run_page_shift(st, &shift);
	if (rc < 0)
		return rc;
	cols = readers[k].cols | pa_run_page_cols(shift);
	if (readers[k].ahead) {
		struct pa_ahead *a;

		rc = pa_ahead_open(st, NULL, cols, &a);
		while (rc >= 0 && (rc = pa_ahead_next(a, &b)) > 0) {
			x += fold(b);
			n += b->n;
		}
		pa_ahead_close(a);
	} else {
		struct pa_events *ev;

		rc = pa_events_open(st, NULL, &ev);
		if (rc == 0)
			pa_events_columns(ev, cols);
		while (rc >= 0 && (rc = pa_events_next(ev, &b)) > 0) {
			x += fold(b);
			n += b->n;
		}
		pa_events_close(ev);
	}
	if (rc < 0)
		return rc;
	printf("%" PRIu64 " events (%016" PRIx64 ")\n", n, x);
	return 0;
}

static int columns(struct pa_store *st)
{
	uint64_t sum[PA_CHUNK_PARTS] = { 0 }, part[PA_CHUNK_PARTS], events = 0;
	struct pa_codec *c = pa_codec_new(0);
	struct pa_chunk_iter *it;
	int64_t n, id;
	int rc;

	if (!c)
		return -PA_ENOMEM;
	rc = pa_store_chunks_begin(st, &it);
	if (rc == 0)
		pa_store_chunks_columns(it, 0);
	while (rc == 0 && (n = pa_store_chunks_open(it, c, &id, NULL)) > 0) {
		events += (uint64_t)n;
		if (pa_chunk_stored(c, part) == 0)
			for (int k = 0; k < PA_CHUNK_PARTS; k++)
				sum[k] += part[k];
	}
	if (rc == 0 && n < 0)
		rc = (int)n;
	pa_store_chunks_end(it);
	pa_codec_free(c);
	if (rc < 0)
		return rc;
	printf("events %" PRIu64, events);
	for (int k = 0; k < PA_CHUNK_PARTS; k++)
		printf(" %s %" PRIu64, pa_chunk_part_names[k], sum[k]);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct pa_store *st;
	const char *db;
	int rc;

	if (argc == 4 && strcmp(argv[1], "decode") == 0) {
		db = argv[3];
	} else if (argc == 3 && strcmp(argv[1], "columns") == 0) {
		db = argv[2];
	} else {
		fprintf(stderr, "usage: benchtool decode wss|reuse|heatmap DB\n"
			"       benchtool columns DB\n");
		return 2;
	}
	rc = pa_store_open(db, &st);
	if (rc == 0)
		rc = argc == 4 ? decode(st, argv[2]) : columns(st);
	if (rc < 0)
		fprintf(stderr, "benchtool: %s\n", pa_store_errmsg(st));
	pa_store_close(st);
	return rc < 0 ? 1 : rc;
}

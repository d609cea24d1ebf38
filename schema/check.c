// SPDX-License-Identifier: MIT
/*
 * pa_store_check: a whole database verified, and what can be read of it salvaged.
 * The chunks are read through the same iterator, and so the same checks, as every
 * analysis (docs/format.md); the metadata is compared with what they hold.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pat/chunk.h"
#include "pat/error.h"
#include "pat/format.h"
#include "pat/grow.h"
#include "pat/store.h"
#include "pat/hashmap.h"
#include "store_int.h"

/* The zstd level of re-encoded chunks: pacollect's. */
#define SALVAGE_LEVEL 3

struct checker {
	struct pa_store *st;
	struct pa_store *out;
	pa_problem_fn problem;
	void *ctx;
	struct pa_check *res;
	struct pa_hashmap tid_index;	/* tid -> index into counts */
	uint64_t *counts;		/* events per tid in the chunks read whole */
	size_t ntids, cap;
};

static void report(struct checker *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void report(struct checker *k, const char *fmt, ...)
{
	char msg[768];
	int n = snprintf(msg, sizeof(msg), "%s: ", k->st->path);
	va_list ap;

	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof(msg))
		vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	k->res->problems++;
	k->problem(k->ctx, msg);
}

/* SQLite's own check of the file: b-trees, free pages, indexes. */
static void check_sqlite(struct checker *k)
{
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(k->st->db, "PRAGMA integrity_check", -1, &q, NULL) != SQLITE_OK) {
		report(k, "SQLite's integrity check cannot run: %s", sqlite3_errmsg(k->st->db));
		return;
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *row = (const char *)sqlite3_column_text(q, 0);

		/* a row may hold several lines, under a heading of the schema's name */
		for (const char *p = row, *e; p && *p && strcmp(row, "ok") != 0; p = e) {
			e = strchrnul(p, '\n');
			if (strncmp(p, "*** ", 4) != 0)
				report(k, "SQLite's integrity check: %.*s", (int)(e - p), p);
			e += *e == '\n';
		}
	}
	if (rc != SQLITE_DONE)
		report(k, "SQLite's integrity check failed: %s", sqlite3_errmsg(k->st->db));
	sqlite3_finalize(q);
}

/* One more event of @tid in the counts. Returns 0 or -PA_ENOMEM. */
static int count_tid(struct checker *k, uint32_t tid, uint64_t n)
{
	uint32_t *idx;
	int added = pa_hashmap_put(&k->tid_index, 0, tid, (uint32_t)k->ntids, &idx);

	if (added < 0)
		return -PA_ENOMEM;
	if (added) {
		uint64_t *p = pa_grow(k->counts, &k->cap, k->ntids, sizeof(*p), 64);

		if (!p)
			return -PA_ENOMEM;
		k->counts = p;
		k->counts[k->ntids++] = 0;
	}
	k->counts[*idx] += n;
	return 0;
}

/* Events per thread of a batch into the counts; runs of one thread counted at once. */
static int count_batch(struct checker *k, const struct pa_batch *b)
{
	for (size_t i = 0, j; i < b->n; i = j) {
		int err;

		for (j = i + 1; j < b->n && b->tid[j] == b->tid[i]; j++)
			;
		err = count_tid(k, b->tid[i], j - i);
		if (err)
			return err;
	}
	return 0;
}

/* Re-encodes the chunk in @b into the salvage database. */
static int copy_chunk(struct checker *k, struct pa_codec *c, const struct pa_batch *b)
{
	uint64_t lo = b->time_ns[0], hi = b->time_ns[0];
	const void *blob;
	size_t len;
	int err;

	for (size_t i = 1; i < b->n; i++) {
		lo = b->time_ns[i] < lo ? b->time_ns[i] : lo;
		hi = b->time_ns[i] > hi ? b->time_ns[i] : hi;
	}
	err = pa_chunk_encode(c, b, 0, b->n, &blob, &len);
	if (err)
		return pa_store_fail(k->out, -err, "%s: %s", k->out->path, pa_strerror(err));
	err = pa_store_put_chunk(k->out, lo, hi, b->n, blob, len);
	if (!err)
		k->res->copied++;
	return err;
}

/*
 * Every chunk decoded whole, damaged ones reported; the iteration stops only when the
 * chunks table itself cannot be read on.
 */
static int check_chunks(struct checker *k)
{
	struct pa_codec *c = k->out ? pa_codec_new(SALVAGE_LEVEL) : NULL;
	struct pa_chunk_iter *it = NULL;
	struct pa_batch b;
	int rc, err = 0;

	if ((k->out && !c) || pa_batch_init(&b, 0)) {
		pa_codec_free(c);
		return -PA_ENOMEM;
	}
	if (pa_store_chunks_begin(k->st, &it)) {
		report(k, "the chunks cannot be read: %s", sqlite3_errmsg(k->st->db));
		goto out;
	}
	while ((rc = pa_store_chunks_next(it, &b, NULL)) != 0) {
		if (rc == -PA_ENOMEM) {
			err = rc;
			break;
		}
		if (rc < 0) {
			/* "PATH: chunk ..." already: without the path again */
			const char *msg = pa_store_errmsg(k->st);
			size_t plen = strlen(k->st->path);

			if (strncmp(msg, k->st->path, plen) == 0 && msg[plen] == ':')
				msg += plen + 2;
			report(k, "%s", msg);
			if (it->step_failed)
				break;
			k->res->chunks++;
			k->res->bad_chunks++;
			continue;
		}
		k->res->chunks++;
		k->res->events += b.n;
		err = count_batch(k, &b);
		if (!err && k->out)
			err = copy_chunk(k, c, &b);
		if (err)
			break;
	}
out:
	pa_store_chunks_end(it);
	pa_batch_free(&b);
	pa_codec_free(c);
	return err;
}

/*
 * The metadata against the chunks: the version in meta, the page size, the number of
 * events in meta and per thread in tasks (when every chunk was read).
 */
static void check_meta(struct checker *k)
{
	struct pa_store *st = k->st;
	int64_t v;
	sqlite3_stmt *q;
	int rc;

	if (pa_store_get_meta_int(st, "format_version", &v) == 0 && v != st->version)
		report(k, "meta says format version %lld, the file %d", (long long)v, st->version);
	if (pa_store_get_meta_int(st, "sample_shift", &v) == 0 &&
	    (v < 0 || v > PA_DISK_SAMPLE_SHIFT_MAX))
		report(k, "meta sample_shift %lld is not in 0..%d", (long long)v,
		       PA_DISK_SAMPLE_SHIFT_MAX);
	if (pa_store_get_meta_int(st, "page_size", &v) == 0 && (v <= 0 || (v & (v - 1))))
		report(k, "meta page_size %lld is not a power of two", (long long)v);
	if (k->res->bad_chunks)
		return;
	if (pa_store_get_meta_int(st, "events", &v) == 0 && (uint64_t)v != k->res->events)
		report(k, "meta says %lld events, the chunks hold %llu", (long long)v,
		       (unsigned long long)k->res->events);
	if (sqlite3_prepare_v2(st->db, "SELECT tid, events FROM tasks", -1, &q, NULL) !=
	    SQLITE_OK) {
		report(k, "the tasks cannot be read: %s", sqlite3_errmsg(st->db));
		return;
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t tid = sqlite3_column_int64(q, 0), events = sqlite3_column_int64(q, 1);
		uint32_t idx;
		uint64_t have = tid >= 0 && tid <= UINT32_MAX &&
				pa_hashmap_find(&k->tid_index, 0, (uint64_t)tid, &idx) ?
				k->counts[idx] : 0;

		if ((uint64_t)events != have)
			report(k, "thread %lld: tasks says %lld events, the chunks hold %llu",
			       (long long)tid, (long long)events, (unsigned long long)have);
	}
	if (rc != SQLITE_DONE)
		report(k, "the tasks cannot be read: %s", sqlite3_errmsg(st->db));
	sqlite3_finalize(q);
}

/* Copies the rows of @table from the source into the salvage database, as they are. */
static int copy_table(struct checker *k, const char *table)
{
	sqlite3 *in = k->st->db, *out = k->out->db;
	sqlite3_stmt *q = NULL, *ins = NULL;
	char sql[256];
	int rc, ncols, err = 0;

	snprintf(sql, sizeof(sql), "SELECT * FROM %s", table);
	if (sqlite3_prepare_v2(in, sql, -1, &q, NULL) != SQLITE_OK) {
		report(k, "table %s cannot be read, not copied: %s", table, sqlite3_errmsg(in));
		return 0;
	}
	ncols = sqlite3_column_count(q);
	snprintf(sql, sizeof(sql), "INSERT OR REPLACE INTO %s VALUES (?", table);
	for (int i = 1; i < ncols && strlen(sql) + 4 < sizeof(sql); i++)
		strcat(sql, ", ?");
	strcat(sql, ")");
	if (sqlite3_prepare_v2(out, sql, -1, &ins, NULL) != SQLITE_OK) {
		report(k, "table %s is not as this version has it, not copied: %s", table,
		       sqlite3_errmsg(out));
		sqlite3_finalize(q);
		return 0;
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		for (int i = 0; i < ncols; i++)
			sqlite3_bind_value(ins, i + 1, sqlite3_column_value(q, i));
		rc = sqlite3_step(ins);
		sqlite3_reset(ins);
		if (rc == SQLITE_CONSTRAINT)
			continue;	/* a damaged row the schema refuses: left out */
		if (rc != SQLITE_DONE) {
			err = pa_store_fail_sql(k->out, "cannot write");
			break;
		}
	}
	if (!err && rc != SQLITE_DONE)
		report(k, "table %s could be read only in part: %s", table, sqlite3_errmsg(in));
	sqlite3_finalize(q);
	sqlite3_finalize(ins);
	return err;
}

/*
 * The tables of the source beside the chunks, then the counts made true of what was
 * copied: each thread's events (0 for a thread none of whose events are left), the
 * events in meta, and where it came from.
 */
static int salvage_tables(struct checker *k)
{
	static const char *const tables[] = {
		"meta", "tasks", "markers", "lost", "maps", "malformed",
	};
	sqlite3_stmt *up;
	int err = 0;

	for (size_t i = 0; !err && i < sizeof(tables) / sizeof(tables[0]); i++)
		err = copy_table(k, tables[i]);
	if (!err && sqlite3_exec(k->out->db, "UPDATE tasks SET events = 0", NULL, NULL, NULL) !=
	    SQLITE_OK)
		err = pa_store_fail_sql(k->out, "cannot write");
	if (err)
		return err;
	if (sqlite3_prepare_v2(k->out->db, "UPDATE tasks SET events = ? WHERE tid = ?", -1,
			       &up, NULL) != SQLITE_OK)
		return pa_store_fail_sql(k->out, "cannot write");
	for (size_t i = 0; !err && i <= k->tid_index.mask; i++) {
		const struct pa_hashmap_slot *s = &k->tid_index.slots[i];

		if (s->num == PA_HASHMAP_EMPTY)
			continue;
		sqlite3_bind_int64(up, 1, (int64_t)k->counts[s->num]);
		sqlite3_bind_int64(up, 2, (int64_t)s->value);
		if (sqlite3_step(up) != SQLITE_DONE)
			err = pa_store_fail_sql(k->out, "cannot write");
		sqlite3_reset(up);
	}
	sqlite3_finalize(up);
	if (!err)
		err = pa_store_set_meta_int(k->out, "format_version", PA_FORMAT_VERSION);
	if (!err)
		err = pa_store_set_meta_int(k->out, "events", (int64_t)k->res->events);
	if (!err)
		err = pa_store_set_meta_text(k->out, "salvaged_from", k->st->path);
	if (!err)
		err = pa_store_set_meta_int(k->out, "salvage_lost_chunks", k->res->bad_chunks);
	return err;
}

int pa_store_check(struct pa_store *st, struct pa_store *out, pa_problem_fn problem,
		   void *ctx, struct pa_check *res)
{
	struct checker k = { .st = st, .out = out, .problem = problem, .ctx = ctx, .res = res };
	int err;

	memset(res, 0, sizeof(*res));
	res->version = st->version;
	res->checksums = st->version >= PA_FORMAT_VERSION_CHECKSUMS;
	if (pa_hashmap_init(&k.tid_index, 32))
		return -PA_ENOMEM;
	check_sqlite(&k);
	err = out ? pa_store_begin(out) : 0;
	if (!err)
		err = check_chunks(&k);
	if (!err)
		check_meta(&k);
	if (!err && out)
		err = salvage_tables(&k);
	if (!err && out)
		err = pa_store_commit(out);
	pa_hashmap_free(&k.tid_index);
	free(k.counts);
	return err;
}

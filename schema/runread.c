// SPDX-License-Identifier: MIT
/*
 * Reading a run's small tables (tasks, markers, lost, maps, the chunks' time ranges) for
 * the analyses, so that no SQL lives outside schema/.
 */
#include <stddef.h>
#include <stdio.h>

#include "pat/error.h"
#include "pat/store.h"
#include "store_int.h"

int pa_store_run_totals(struct pa_store *st, struct pa_run_totals *t)
{
	static const struct {
		const char *sql;
		size_t off;
	} q[] = {
		{ "SELECT max(time_ns) FROM markers", offsetof(struct pa_run_totals, last_marker_ns) },
		{ "SELECT count(*) FROM tasks", offsetof(struct pa_run_totals, tasks) },
		{ "SELECT count(DISTINCT tgid) FROM tasks", offsetof(struct pa_run_totals, processes) },
		{ "SELECT coalesce(sum(count), 0) FROM lost",
		  offsetof(struct pa_run_totals, lost_events) },
		{ "SELECT count(*) FROM lost", offsetof(struct pa_run_totals, lost_reports) },
		{ "SELECT count(*) FROM chunks", offsetof(struct pa_run_totals, chunks) },
		{ "SELECT coalesce(sum(length(data)), 0) FROM chunks",
		  offsetof(struct pa_run_totals, stored_bytes) },
		{ "SELECT coalesce(sum(events), 0) FROM chunks",
		  offsetof(struct pa_run_totals, events) },
	};

	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		int err = pa_store_query_int(st, q[i].sql, (int64_t *)((char *)t + q[i].off));

		if (err)
			return err;
	}
	return 0;
}

int pa_store_run_start(struct pa_store *st, uint64_t *t0)
{
	int64_t v = 0;
	int err = pa_store_query_int(st,
		"SELECT coalesce((SELECT min(time_ns) FROM markers WHERE kind = 'START'), "
		"(SELECT min(first_ns) FROM chunks), 0)", &v);

	if (!err)
		*t0 = (uint64_t)v;
	return err;
}

static int64_t clamp_i64(uint64_t v)
{
	return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* Prepares @sql on @st, setting the message on failure. Returns 0 or -PA_ESQL. */
static int prepare(struct pa_store *st, const char *sql, sqlite3_stmt **q)
{
	if (sqlite3_prepare_v2(pa_store_sqlite(st), sql, -1, q, NULL) != SQLITE_OK)
		return pa_store_fail_sql(st, "cannot read the run");
	return 0;
}

/* Steps @q: 1 with a row, 0 at the end, or -PA_ESQL with the message set. */
static int step(struct pa_store *st, sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return pa_store_fail_sql(st, "cannot read the run");
}

/*
 * The min, max and count of @sql's one row, with parameters ?1 = @p1 and ?2 = @p2 (when
 * it has a ?2): 1 with *@first and *@last set to the min and max when the count is not
 * 0, 0 when it is, or -PA_ESQL (@what names the failure).
 */
static int query_span(struct pa_store *st, const char *sql, int64_t p1, int64_t p2,
		      const char *what, uint64_t *first, uint64_t *last)
{
	sqlite3_stmt *q;
	int rc = prepare(st, sql, &q);

	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, p1);
	sqlite3_bind_int64(q, 2, p2);
	rc = step(st, q);
	if (rc == 0)
		rc = pa_store_fail_sql(st, what);
	if (rc > 0) {
		rc = sqlite3_column_int64(q, 2) > 0;
		*first = (uint64_t)sqlite3_column_int64(q, 0);
		*last = (uint64_t)sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	return rc;
}

int pa_store_chunk_span(struct pa_store *st, uint64_t from_ns, uint64_t to_ns,
			uint64_t *first_ns, uint64_t *last_ns)
{
	return query_span(st, "SELECT min(first_ns), max(last_ns), count(*) FROM chunks "
			  "WHERE last_ns >= ?1 AND first_ns < ?2", (int64_t)from_ns,
			  clamp_i64(to_ns), "cannot read the chunks' times", first_ns, last_ns);
}

int pa_store_task_span(struct pa_store *st, uint32_t tid, uint64_t *first_ns,
		       uint64_t *last_ns)
{
	return query_span(st, "SELECT min(first_ns), max(last_ns), count(*) FROM tasks "
			  "WHERE tid = ?1", tid, 0, "cannot read the tasks",
			  first_ns, last_ns);
}

int pa_store_process_span(struct pa_store *st, uint32_t tgid, uint64_t *first_ns,
			  uint64_t *last_ns)
{
	int64_t changes = -1;
	int err = pa_store_get_meta_int(st, "tgid_changes", &changes);

	if (err < 0)
		return err;
	if (changes != 0) {
		*first_ns = 0;
		*last_ns = UINT64_MAX;
		return 2;
	}
	return query_span(st, "SELECT min(first_ns), max(last_ns), count(*) FROM tasks "
			  "WHERE tgid = ?1", tgid, 0, "cannot read the tasks", first_ns, last_ns);
}

int pa_store_tasks_each(struct pa_store *st, int (*fn)(void *arg, const struct pa_task *t),
			void *arg)
{
	sqlite3_stmt *q;
	int rc = prepare(st, "SELECT tid, tgid, comm, first_ns, last_ns, events FROM tasks", &q);

	if (rc)
		return rc;
	while ((rc = step(st, q)) > 0) {
		struct pa_task t = {
			.tid = (uint32_t)sqlite3_column_int64(q, 0),
			.tgid = (uint32_t)sqlite3_column_int64(q, 1),
			.comm = (const char *)sqlite3_column_text(q, 2),
			.first_ns = (uint64_t)sqlite3_column_int64(q, 3),
			.last_ns = (uint64_t)sqlite3_column_int64(q, 4),
			.events = (uint64_t)sqlite3_column_int64(q, 5),
		};

		rc = fn(arg, &t);
		if (rc)
			break;
	}
	sqlite3_finalize(q);
	return rc;
}

/* The maps row of @q in the column order of MAP_COLS. */
#define MAP_COLS "time_ns, tgid, op, start_addr, end_addr, prot, pgoff, path, reason"
static void map_row(sqlite3_stmt *q, struct pa_map *m)
{
	*m = (struct pa_map){
		.time_ns = (uint64_t)sqlite3_column_int64(q, 0),
		.tgid = (uint32_t)sqlite3_column_int64(q, 1),
		.op = (const char *)sqlite3_column_text(q, 2),
		.start = (uint64_t)sqlite3_column_int64(q, 3),
		.end = (uint64_t)sqlite3_column_int64(q, 4),
		.prot = (const char *)sqlite3_column_text(q, 5),
		.pgoff = (uint64_t)sqlite3_column_int64(q, 6),
		.path = (const char *)sqlite3_column_text(q, 7),
		.reason = (const char *)sqlite3_column_text(q, 8),
	};
}

int pa_store_maps_each(struct pa_store *st, int (*fn)(void *arg, const struct pa_map *m),
		       void *arg)
{
	sqlite3_stmt *q;
	int rc = prepare(st, "SELECT " MAP_COLS " FROM maps ORDER BY time_ns, id", &q);

	if (rc)
		return rc;
	while ((rc = step(st, q)) > 0) {
		struct pa_map m;

		map_row(q, &m);
		rc = fn(arg, &m);
		if (rc)
			break;
	}
	sqlite3_finalize(q);
	return rc;
}

/* Any row of @sql (params tgid, addr, lo time, lo id, hi time)? 1, 0 or -PA_ESQL. */
static int exists(struct pa_store *st, const char *sql, uint32_t tgid, uint64_t addr,
		  int64_t lo_t, int64_t lo_id, int64_t hi_t)
{
	sqlite3_stmt *q;
	int rc = prepare(st, sql, &q);

	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, tgid);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)addr);
	sqlite3_bind_int64(q, 3, lo_t);
	sqlite3_bind_int64(q, 4, lo_id);
	sqlite3_bind_int64(q, 5, hi_t);
	rc = step(st, q);
	sqlite3_finalize(q);
	return rc;
}

int pa_store_map_at(struct pa_store *st, uint32_t tgid, uint64_t addr, uint64_t time_ns,
		    struct pa_map *m, char *path, size_t pathsize)
{
	/* The latest covering map/snapshot row at or before the time... */
	static const char before[] =
		"SELECT id, time_ns, start_addr, end_addr, pgoff, path FROM maps "
		"WHERE tgid = ?1 AND op IN ('map', 'snapshot') AND start_addr <= ?2 "
		"AND end_addr > ?2 AND time_ns <= ?3 ORDER BY time_ns DESC, id DESC LIMIT 1";
	/* ...unless it was unmapped, or a later snapshot (listing everything) missed it. */
	static const char gone[] =
		"SELECT 1 FROM maps WHERE tgid = ?1 AND time_ns <= ?5 AND "
		"((op = 'snapshot' AND time_ns > ?3) OR (op = 'unmap' AND start_addr <= ?2 "
		"AND end_addr > ?2 AND (time_ns > ?3 OR (time_ns = ?3 AND id > ?4)))) LIMIT 1";
	/* Else the first snapshot after it, if no mapping event touched the address between. */
	static const char after[] =
		"SELECT id, time_ns, start_addr, end_addr, pgoff, path FROM maps "
		"WHERE tgid = ?1 AND op = 'snapshot' AND start_addr <= ?2 AND end_addr > ?2 "
		"AND time_ns > ?3 ORDER BY time_ns, id LIMIT 1";
	static const char touched[] =
		"SELECT 1 FROM maps WHERE tgid = ?1 AND op IN ('map', 'unmap') "
		"AND start_addr <= ?2 AND end_addr > ?2 AND time_ns >= ?3 "
		"AND (time_ns < ?5 OR (time_ns = ?5 AND id < ?4)) LIMIT 1";

	for (int pass = 0; pass < 2; pass++) {
		sqlite3_stmt *q;
		const unsigned char *p;
		int64_t id;
		int rc = prepare(st, pass ? after : before, &q);

		if (rc)
			return rc;
		sqlite3_bind_int64(q, 1, tgid);
		sqlite3_bind_int64(q, 2, (sqlite3_int64)addr);
		sqlite3_bind_int64(q, 3, (sqlite3_int64)time_ns);
		rc = step(st, q);
		if (rc <= 0) {
			sqlite3_finalize(q);
			if (rc < 0)
				return rc;
			continue;
		}
		id = sqlite3_column_int64(q, 0);
		*m = (struct pa_map){
			.time_ns = (uint64_t)sqlite3_column_int64(q, 1),
			.tgid = tgid,
			.start = (uint64_t)sqlite3_column_int64(q, 2),
			.end = (uint64_t)sqlite3_column_int64(q, 3),
			.pgoff = (uint64_t)sqlite3_column_int64(q, 4),
		};
		p = sqlite3_column_text(q, 5);
		snprintf(path, pathsize, "%s", p ? (const char *)p : "");
		m->path = path;
		sqlite3_finalize(q);
		if (pass == 0)
			rc = exists(st, gone, tgid, addr, (int64_t)m->time_ns, id,
				    (int64_t)time_ns);
		else
			rc = exists(st, touched, tgid, addr, (int64_t)time_ns, id,
				    (int64_t)m->time_ns);
		if (rc < 0)
			return rc;
		return !rc;
	}
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * The SQLite extension pat.so (schema/sqlext.c), loaded as sqlite3 loads it into a
 * connection of this program (so that `make SANITIZE=1` checks the sanitized .so
 * here): pa_events yields the events the run was written with, the pushed-down
 * constraints choose the same rows as SQLite's own filtering and read only the chunks
 * they need (a query over 1% of the time reads about 1% of the chunks), and what is
 * not a pat database, a format it does not know and a damaged chunk are errors.
 *
 * The run is written by the importer (collector/import.c), flushed into small chunks
 * as a live run is, so that it has many chunks and the writer's own tasks table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "import.h"
#include "pat/store.h"
#include "rundir.h"

#define T0_US 100000000ull	/* the run start, in microseconds of the trace clock */
#define CHUNKS 200
#define PER_CHUNK 500
#define EVENTS (CHUNKS * PER_CHUNK)
/* Process 9000 (thread 7003) lives in [LATE_FROM, LATE_TO) only: events by index. */
#define LATE_FROM (EVENTS / 2)
#define LATE_TO (LATE_FROM + EVENTS / 10)

struct event {
	uint64_t t_us;		/* from the run start */
	uint32_t pid, tid;
	int write;
	uint64_t addr;
};

struct fixture {
	struct rundir run;
	struct event ev[EVENTS];
	sqlite3 *db;
};

/* Event @i: one every microsecond, threads taking turns, pages by a fixed hash. */
static void make_event(size_t i, struct event *e)
{
	static const uint32_t tids[] = { 7000, 7001, 7002, 8000 };
	uint64_t h = (i + 1) * 0x9E3779B97F4A7C15ull;

	e->t_us = i;
	e->tid = i >= LATE_FROM && i < LATE_TO && i % 5 == 0 ? 7003 : tids[i % 4];
	e->pid = e->tid >= 8000 ? 8000 : e->tid == 7003 ? 9000 : 7000;
	e->write = (h >> 60) & 1;
	e->addr = 0x7f0000000000ull + ((h >> 20) % 3000) * 4096 + (h >> 50) % 4096;
}

/* Writes the run: trace text through the importer, a chunk every PER_CHUNK events. */
static void write_run(struct fixture *f)
{
	struct pa_store *st;
	struct pa_import *im;
	char line[256];

	assert_int_equal(pa_store_create(f->run.path, &st), 0);
	im = pa_import_new(st, NULL, NULL);
	assert_non_null(im);
	snprintf(line, sizeof(line), "prog-7000 [000] ..... %llu.%06llu: "
		 "init_page_access_trace: START prog pid=7000\n",
		 T0_US / 1000000, T0_US % 1000000);
	assert_int_equal(pa_import_feed(im, line, strlen(line)), 0);
	for (size_t i = 0; i < EVENTS; i++) {
		struct event *e = &f->ev[i];
		uint64_t t = T0_US + (make_event(i, e), e->t_us);
		int n = snprintf(line, sizeof(line), "prog-%u [001] ..... %llu.%06llu: "
				 "handle_mm_fault: %u %c 401000 %llx tgid=%u aux=0 fault=reset\n",
				 e->tid, (unsigned long long)(t / 1000000),
				 (unsigned long long)(t % 1000000), e->tid, e->write ? 'W' : 'R',
				 (unsigned long long)e->addr, e->pid);

		assert_int_equal(pa_import_feed(im, line, (size_t)n), 0);
		if ((i + 1) % PER_CHUNK == 0)
			assert_int_equal(pa_import_flush(im), 0);
	}
	assert_int_equal(pa_import_finish(im), 0);
	pa_import_free(im);
	assert_int_equal(pa_store_finish(st), 0);
	assert_int_equal(pa_store_close(st), 0);
}

/* Opens @path read-only and loads the extension. */
static sqlite3 *open_with_ext(const char *path)
{
	sqlite3 *db;
	char *err = NULL;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_enable_load_extension(db, 1), SQLITE_OK);
	if (sqlite3_load_extension(db, PAT_SO, NULL, &err) != SQLITE_OK)
		fail_msg("loading %s: %s", PAT_SO, err);
	return db;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(rundir_make(&f->run, "sqlext"), 0);
	write_run(f);
	f->db = open_with_ext(f->run.path);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	sqlite3_close(f->db);
	rundir_remove(&f->run);
	free(f);
	return 0;
}

/* The one integer @sql yields on @db. */
static int64_t query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *q;
	int64_t v;

	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(q) != SQLITE_ROW)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

/* Runs count(*) over pa_events WHERE @where: the rows and, in *@chunks, chunks read. */
static int64_t count_where(sqlite3 *db, const char *where, int64_t *chunks)
{
	char sql[512];
	int64_t before = query_int(db, "SELECT pa_chunks_read()"), n;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM pa_events WHERE %s", where);
	n = query_int(db, sql);
	*chunks = query_int(db, "SELECT pa_chunks_read()") - before;
	return n;
}

/* Every event comes out once, in order, with the values it was written with. */
static void test_rows(void **state)
{
	struct fixture *f = *state;
	sqlite3_stmt *q;
	size_t i = 0;

	assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT time_us, pid, tid, rw, ip, addr, "
					    "page, aux, fault, time_ns FROM pa_events", -1, &q,
					    NULL), SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const struct event *e = &f->ev[i];

		assert_true(i < EVENTS);
		assert_true(sqlite3_column_double(q, 0) == (double)e->t_us);
		assert_int_equal(sqlite3_column_int64(q, 1), e->pid);
		assert_int_equal(sqlite3_column_int64(q, 2), e->tid);
		assert_string_equal(sqlite3_column_text(q, 3), e->write ? "W" : "R");
		assert_int_equal(sqlite3_column_int64(q, 4), 0x401000);
		assert_int_equal(sqlite3_column_int64(q, 5), e->addr);
		assert_int_equal(sqlite3_column_int64(q, 6), e->addr >> 12);
		assert_int_equal(sqlite3_column_int64(q, 7), 0);
		assert_string_equal(sqlite3_column_text(q, 8), "reset");
		assert_int_equal(sqlite3_column_int64(q, 9), (T0_US + e->t_us) * 1000);
		i++;
	}
	assert_int_equal(sqlite3_finalize(q), SQLITE_OK);
	assert_int_equal(i, EVENTS);
}

/* How many events of the run satisfy @pred(@e, @a, @b): the expected counts. */
static int64_t expect(const struct fixture *f, int (*pred)(const struct event *, uint64_t,
							    uint64_t), uint64_t a, uint64_t b)
{
	int64_t n = 0;

	for (size_t i = 0; i < EVENTS; i++)
		n += pred(&f->ev[i], a, b);
	return n;
}

static int in_time(const struct event *e, uint64_t from, uint64_t to)
{
	return e->t_us >= from && e->t_us < to;
}

static int of_tid(const struct event *e, uint64_t tid, uint64_t unused)
{
	(void)unused;
	return e->tid == tid;
}

static int of_pid_writes(const struct event *e, uint64_t pid, uint64_t unused)
{
	(void)unused;
	return e->pid == pid && e->write;
}

/*
 * A query over 1% of the run's time reads about 1% of the chunks: the chunks the range
 * overlaps, 2 or 3 of 200, where the same query that SQLite filters alone (unary +
 * hides the column from xBestIndex) reads all 200. Both count the same rows.
 */
static void test_time_pushdown(void **state)
{
	struct fixture *f = *state;
	const uint64_t from = EVENTS * 37 / 100, to = from + EVENTS / 100;
	int64_t chunks, all_chunks, n;
	char where[256];

	snprintf(where, sizeof(where), "time_us >= %llu AND time_us < %llu",
		 (unsigned long long)from, (unsigned long long)to);
	n = count_where(f->db, where, &chunks);
	assert_int_equal(n, expect(f, in_time, from, to));
	printf("1%% of the time (%s): %lld rows, %lld of %d chunks read\n", where,
	       (long long)n, (long long)chunks, CHUNKS);
	assert_int_equal(chunks, CHUNKS / 100);	/* the range is two whole chunks */

	snprintf(where, sizeof(where), "+time_us >= %llu AND +time_us < %llu",
		 (unsigned long long)from, (unsigned long long)to);
	assert_int_equal(count_where(f->db, where, &all_chunks), n);
	assert_int_equal(all_chunks, CHUNKS);

	/* the same range in trace-clock nanoseconds, exact integers */
	snprintf(where, sizeof(where), "time_ns >= %llu AND time_ns <= %llu",
		 (unsigned long long)(T0_US + from) * 1000,
		 (unsigned long long)(T0_US + to) * 1000 - 1);
	assert_int_equal(count_where(f->db, where, &chunks), n);
	assert_int_equal(chunks, CHUNKS / 100);

	/* a range across chunk boundaries: the chunks it overlaps */
	assert_int_equal(count_where(f->db, "time_us >= 37250 AND time_us < 38250.0005",
				     &chunks), 1001);
	assert_int_equal(chunks, 3);

	/* one microsecond: one chunk; an open range: the chunks from there on */
	assert_int_equal(count_where(f->db, "time_us = 1234", &chunks), 1);
	assert_int_equal(chunks, 1);
	assert_int_equal(count_where(f->db, "time_us > 89999.5", &chunks), EVENTS - 90000);
	assert_int_equal(chunks, CHUNKS - 90000 / PER_CHUNK);
	/* nothing before the run or after it; no chunk read */
	assert_int_equal(count_where(f->db, "time_us < -1", &chunks), 0);
	assert_int_equal(chunks, 0);
	assert_int_equal(count_where(f->db, "time_ns < 0", &chunks), 0);
	assert_int_equal(chunks, 0);
	assert_int_equal(count_where(f->db, "time_us >= 1e300", &chunks), 0);
	/* values SQLite converts itself: the same rows, no pruning needed */
	assert_int_equal(count_where(f->db, "time_us < '10'", &chunks), 10);
	assert_int_equal(count_where(f->db, "time_us BETWEEN 10 AND 12 AND time_us != 11",
				     &chunks), 2);
}

/*
 * A thread or a process chooses the chunks of its span in the tasks table: thread 7003
 * (process 9000) lives in 10% of the run, so about 10% of the chunks are read.
 */
static void test_thread_pushdown(void **state)
{
	struct fixture *f = *state;
	int64_t chunks;

	assert_int_equal(count_where(f->db, "tid = 7003", &chunks), expect(f, of_tid, 7003, 0));
	assert_true(chunks >= CHUNKS / 10 && chunks <= CHUNKS / 10 + 1);
	assert_int_equal(count_where(f->db, "tid = 7001", &chunks), expect(f, of_tid, 7001, 0));
	assert_int_equal(count_where(f->db, "tid = 7003 AND time_us < 1000", &chunks), 0);
	assert_int_equal(chunks, 0);
	assert_int_equal(count_where(f->db, "tid = 12345", &chunks), 0);
	assert_int_equal(chunks, 0);
	assert_int_equal(count_where(f->db, "tid = -1 OR tid = 4294967296", &chunks), 0);
	assert_int_equal(count_where(f->db, "pid = 9000", &chunks), expect(f, of_tid, 7003, 0));
	assert_true(chunks >= CHUNKS / 10 && chunks <= CHUNKS / 10 + 1);
	assert_int_equal(count_where(f->db, "pid = 9001", &chunks), 0);
	assert_int_equal(chunks, 0);
	assert_int_equal(count_where(f->db, "pid = 8000 AND rw = 'W'", &chunks),
			 expect(f, of_pid_writes, 8000, 0));
	assert_int_equal(count_where(f->db, "pid = 7000.0 AND tid = 7001", &chunks),
			 expect(f, of_tid, 7001, 0));
	assert_int_equal(count_where(f->db, "pid = 7000.5", &chunks), 0);
	assert_int_equal(count_where(f->db, "pid = 7000 AND pid = 8000", &chunks), 0);
	assert_int_equal(count_where(f->db, "pid = '8000' AND rw = 'W'", &chunks),
			 expect(f, of_pid_writes, 8000, 0));
	assert_int_equal(count_where(f->db, "pid IN (7000, 8000, 9000)", &chunks), EVENTS);
	assert_int_equal(count_where(f->db, "tid = NULL", &chunks), 0);
}

/*
 * A thread id reused by another process: tasks keeps its first process, so the
 * process's span cannot be told from it; the run says so (meta tgid_changes) and pid
 * prunes nothing, where it would have lost the event.
 */
static void test_tid_reused(void **state)
{
	struct fixture *f = *state;
	static const char text[] =
		"p-5 [000] ..... 1.000000: handle_mm_fault: 5 W 401000 1000 tgid=5 aux=0 fault=demand\n"
		"p-6 [000] ..... 2.000000: handle_mm_fault: 6 W 401000 2000 tgid=5 aux=0 fault=demand\n"
		"p-6 [000] ..... 3.000000: handle_mm_fault: 6 R 401000 3000 tgid=6 aux=0 fault=demand\n";
	char path[160];
	struct pa_store *st;
	struct pa_import *im;
	int64_t chunks;
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/reused.db", f->run.dir);
	assert_int_equal(pa_store_create(path, &st), 0);
	im = pa_import_new(st, NULL, NULL);
	assert_non_null(im);
	assert_int_equal(pa_import_feed(im, text, sizeof(text) - 1), 0);
	assert_int_equal(pa_import_finish(im), 0);
	pa_import_free(im);
	assert_int_equal(pa_store_finish(st), 0);
	assert_int_equal(pa_store_close(st), 0);
	db = open_with_ext(path);
	assert_int_equal(query_int(db, "SELECT value FROM meta WHERE key = 'tgid_changes'"), 1);
	assert_int_equal(count_where(db, "pid = 6", &chunks), 1);
	assert_int_equal(count_where(db, "pid = 5", &chunks), 2);
	assert_int_equal(count_where(db, "tid = 6", &chunks), 2);
	sqlite3_close(db);
	assert_int_equal(query_int(f->db, "SELECT value FROM meta WHERE key = 'tgid_changes'"), 0);
}

/* Another run in the same connection, and errors that name the file and the problem. */
/* Whether SQLite sorts the rows of @sql itself (a temporary b-tree in its plan). */
static int plan_sorts(sqlite3 *db, const char *sql)
{
	char *explain = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *q;
	int sorts = 0;

	assert_int_equal(sqlite3_prepare_v2(db, explain, -1, &q, NULL), SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW)
		sorts |= strstr((const char *)sqlite3_column_text(q, 3), "TEMP B-TREE") != NULL;
	sqlite3_finalize(q);
	sqlite3_free(explain);
	return sorts;
}

static void test_order(void **state)
{
	struct fixture *f = *state;
	sqlite3_int64 prev = -1;
	sqlite3_stmt *q;
	int64_t n = 0;

	/* rowid order is the scan order: no sort, and the rows do come in it */
	assert_false(plan_sorts(f->db, "SELECT rowid FROM pa_events ORDER BY rowid"));
	assert_false(plan_sorts(f->db, "SELECT addr FROM pa_events WHERE time_us > 5 "
				"ORDER BY rowid ASC"));
	assert_true(plan_sorts(f->db, "SELECT rowid FROM pa_events ORDER BY rowid DESC"));
	assert_true(plan_sorts(f->db, "SELECT rowid FROM pa_events ORDER BY time_ns"));
	assert_true(plan_sorts(f->db, "SELECT rowid FROM pa_events ORDER BY rowid, pid"));
	assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT rowid FROM pa_events WHERE "
					    "tid = 7003 OR time_us >= 0 ORDER BY rowid", -1, &q,
					    NULL), SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		assert_true(sqlite3_column_int64(q, 0) > prev);
		prev = sqlite3_column_int64(q, 0);
		n++;
	}
	sqlite3_finalize(q);
	assert_int_equal(n, query_int(f->db, "SELECT count(*) FROM pa_events WHERE "
				      "tid = 7003 OR time_us >= 0"));
	assert_true(n > 0);
}

static void test_errors(void **state)
{
	struct fixture *f = *state;
	char sql[256], path[160];
	sqlite3 *db;

	snprintf(sql, sizeof(sql), "CREATE VIRTUAL TABLE temp.other USING pa_events('%s')",
		 f->run.path);
	assert_int_equal(sqlite3_exec(f->db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(query_int(f->db, "SELECT count(*) FROM other WHERE tid = 8000"),
			 expect(f, of_tid, 8000, 0));
	assert_int_equal(sqlite3_exec(f->db, "DROP TABLE temp.other", NULL, NULL, NULL),
			 SQLITE_OK);

	/* not a pat database */
	snprintf(path, sizeof(path), "%s/plain.db", f->run.dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	db = open_with_ext(path);
	assert_int_not_equal(sqlite3_exec(db, "SELECT * FROM pa_events", NULL, NULL, NULL),
			     SQLITE_OK);
	assert_non_null(strstr(sqlite3_errmsg(db), "not a pat run database"));
	assert_non_null(strstr(sqlite3_errmsg(db), "plain.db"));
	sqlite3_close(db);

	/* in memory: no file to read */
	db = open_with_ext(":memory:");
	assert_int_not_equal(sqlite3_exec(db, "SELECT * FROM pa_events", NULL, NULL, NULL),
			     SQLITE_OK);
	assert_non_null(strstr(sqlite3_errmsg(db), "is not a file"));
	sqlite3_close(db);
}

/*
 * A copy of the run, @name in its directory, changed by @sql on a writable connection,
 * opened with the extension.
 */
static sqlite3 *changed_copy(const struct fixture *f, const char *name, const char *sql)
{
	char path[160], cmd[400];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/%s", f->run.dir, name);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", f->run.path, path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	return open_with_ext(path);
}

/* A format version from the future is refused, naming it. */
static void test_version(void **state)
{
	sqlite3 *db = changed_copy(*state, "newer.db", "PRAGMA user_version = 99");

	assert_int_not_equal(sqlite3_exec(db, "SELECT count(*) FROM pa_events", NULL, NULL,
					  NULL), SQLITE_OK);
	assert_non_null(strstr(sqlite3_errmsg(db), "format version 99"));
	sqlite3_close(db);
}

/* A damaged chunk is an error naming it, never rows: a query that skips it still runs. */
static void test_damaged(void **state)
{
	/* chunk 100 holds [49500, 50000) us; a byte in the middle of its data changes */
	sqlite3 *db = changed_copy(*state, "damaged.db", "UPDATE chunks SET data = CAST("
				   "substr(data, 1, length(data) / 2) || x'5a' || substr(data, "
				   "length(data) / 2 + 2) AS BLOB) WHERE id = 100");
	int64_t chunks;

	assert_int_equal(sqlite3_exec(db, "SELECT * FROM pa_events", NULL, NULL, NULL),
			 SQLITE_CORRUPT);
	assert_non_null(strstr(sqlite3_errmsg(db), "chunk 100"));
	assert_non_null(strstr(sqlite3_errmsg(db), "damaged.db"));
	assert_int_equal(count_where(db, "time_us < 1000", &chunks), 1000);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_time_pushdown),
		cmocka_unit_test(test_thread_pushdown),
		cmocka_unit_test(test_tid_reused),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_damaged),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

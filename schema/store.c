// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pat/chunk.h"
#include "pat/error.h"
#include "pat/format.h"
#include "pat/store.h"
#include "store_int.h"

/* schema/schema.sql, compiled in by the build. */
extern const char pa_schema_sql[];

static const char *const stmt_sql[ST_COUNT] = {
	[ST_CHUNK] = "INSERT INTO chunks (first_ns, last_ns, events, data) VALUES (?, ?, ?, ?)",
	[ST_TASK] = "INSERT OR REPLACE INTO tasks (tid, tgid, comm, first_ns, last_ns, events) "
		    "VALUES (?, ?, ?, ?, ?, ?)",
	[ST_MARKER] = "INSERT INTO markers (time_ns, kind, pid, ppid, comm, line) "
		      "VALUES (?, ?, ?, ?, ?, ?)",
	[ST_LOST] = "INSERT INTO lost (time_ns, cpu, count, line) VALUES (?, ?, ?, ?)",
	[ST_MAP] = "INSERT INTO maps (time_ns, tgid, op, start_addr, end_addr, prot, pgoff, "
		   "path, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[ST_MALFORMED] = "INSERT OR IGNORE INTO malformed (line, reason, text) VALUES (?, ?, ?)",
	[ST_META] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
};

int pa_store_fail(struct pa_store *st, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->errmsg, sizeof(st->errmsg), fmt, ap);
	va_end(ap);
	return -err;
}

int pa_store_fail_sql(struct pa_store *st, const char *what)
{
	int code = sqlite3_errcode(st->db), sys = sqlite3_system_errno(st->db);

	/* "disk I/O error" alone does not say that the disk is full or the file too large */
	if (sys && (code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN))
		return pa_store_fail(st, PA_ESQL, "%s: %s: %s (%s)", st->path, what,
				     sqlite3_errmsg(st->db), strerror(sys));
	return pa_store_fail(st, PA_ESQL, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
}

static struct pa_store *store_new(const char *path)
{
	struct pa_store *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->path = strdup(path);
	if (!st->path) {
		free(st);
		return NULL;
	}
	return st;
}

void pa_store_remove(const char *path)
{
	static const char *const sides[] = { "-wal", "-shm", "-journal" };
	char side[PATH_MAX + 16];

	unlink(path);
	for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		snprintf(side, sizeof(side), "%s%s", path, sides[i]);
		unlink(side);
	}
}

const char *pa_store_errmsg(const struct pa_store *st)
{
	return st ? st->errmsg : "out of memory";
}

int pa_store_close(struct pa_store *st)
{
	int err = 0;

	if (!st)
		return 0;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->db && sqlite3_close(st->db) != SQLITE_OK)
		err = -PA_ESQL;
	free(st->path);
	free(st);
	return err;
}

/* The page size of a database while it is written, in bytes. */
#define STORE_PAGE_SIZE 4096
/* Below this many bytes, pa_store_finish() rewrites the database in 512-byte pages. */
#define STORE_SMALL_BYTES (1 << 20)

static int exec(struct pa_store *st, const char *sql, const char *what)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return pa_store_fail_sql(st, what);
	return 0;
}

static int create(const char *path, int scratch, struct pa_store **out)
{
	struct pa_store *st = store_new(path);
	char sql[128];
	int fd, err;

	*out = st;
	if (!st)
		return -PA_ENOMEM;
	st->version = PA_FORMAT_VERSION;
	/* O_EXCL: never clobber a file that appeared since the caller looked. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST) {
		struct stat sb;

		return pa_store_fail(st, PA_EEXIST, "%s: %s", path,
				     stat(path, &sb) == 0 && S_ISDIR(sb.st_mode) ?
				     strerror(EISDIR) : strerror(EEXIST));
	}
	if (fd < 0)
		return pa_store_fail(st, PA_EIO, "%s: %s", path, strerror(errno));
	close(fd);
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		return pa_store_fail_sql(st, "cannot open");
	/*
	 * 4 KiB pages while writing: a page of slack per table and half a page per chunk
	 * stay small next to the chunks (16 KiB pages left a floor of 144 KiB and 8 KiB a
	 * chunk), for reads of big runs 10% slower than 16 KiB pages (wss, heatmap on
	 * 10^7 random events) and 40-70% faster than 1 KiB pages. pa_store_finish() shrinks
	 * the pages of a small database further.
	 */
	snprintf(sql, sizeof(sql), "PRAGMA page_size=%d; PRAGMA application_id=%d; "
		 "PRAGMA user_version=%d;", STORE_PAGE_SIZE, PA_APPLICATION_ID,
		 PA_FORMAT_VERSION);
	err = exec(st, sql, "cannot set up");
	st->scratch = scratch;
	if (!err && scratch)
		err = exec(st, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF", "cannot set up");
	if (!err)
		err = exec(st, "BEGIN", "cannot create schema");
	if (!err)
		err = exec(st, pa_schema_sql, "cannot create schema");
	if (!err)
		err = exec(st, "COMMIT", "cannot create schema");
	/* WAL: a crash or kill leaves every committed chunk readable. */
	if (!err && !scratch)
		err = exec(st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
			   "cannot enable WAL");
	if (!err)
		err = pa_store_set_meta_int(st, "format_version", PA_FORMAT_VERSION);
	return err;
}

int pa_store_create(const char *path, struct pa_store **out)
{
	return create(path, 0, out);
}

int pa_store_create_scratch(const char *path, struct pa_store **out)
{
	return create(path, 1, out);
}

/* How long a reader waits for a database another process holds locked. */
#define BUSY_MS 5000

/*
 * The first bytes of @path must be SQLite's header; *@wal is set when the file is in
 * WAL mode (its read and write versions, bytes 18 and 19, are 2). Returns 0 or
 * -PA_ENOTDB / -PA_EIO with the message set.
 */
static int read_header(struct pa_store *st, const char *path, int *wal)
{
	uint8_t h[100];
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return pa_store_fail(st, PA_EIO, "%s: %s", path, strerror(errno));
	n = read(fd, h, sizeof(h));
	close(fd);
	if (n < 0)
		return pa_store_fail(st, PA_EIO, "%s: %s", path, strerror(errno));
	if (n < (ssize_t)sizeof(h) || memcmp(h, "SQLite format 3", 16) != 0)
		return pa_store_fail(st, PA_ENOTDB, "%s: not a pat database (not even SQLite)",
				     path);
	*wal = h[18] == 2 && h[19] == 2;
	return 0;
}

int pa_store_open(const char *path, struct pa_store **out)
{
	struct pa_store *st = store_new(path);
	struct stat sb;
	int64_t appid = 0, version = 0;
	int err, wal = 0;

	*out = st;
	if (!st)
		return -PA_ENOMEM;
	if (stat(path, &sb) != 0)
		return pa_store_fail(st, errno == ENOENT ? PA_ENOENT : PA_EIO, "%s: %s", path,
			    strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return pa_store_fail(st, PA_ENOTDB, "%s: not a regular file", path);
	if (sb.st_size == 0)
		return pa_store_fail(st, PA_ENOTDB, "%s: an empty file, not a pat database", path);
	err = read_header(st, path, &wal);
	if (err)
		return err;
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return pa_store_fail_sql(st, "cannot open");
	sqlite3_busy_timeout(st->db, BUSY_MS);
	err = pa_store_query_int(st, "PRAGMA application_id", &appid);
	if (err) {
		int code = sqlite3_errcode(st->db);

		if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
			return pa_store_fail(st, PA_ENOTDB, "%s: not a pat database (damaged beyond "
				    "reading)", path);
		if (code == SQLITE_BUSY)
			return pa_store_fail(st, PA_ESQL, "%s: locked by another process for more "
				    "than %d s (a pacollect still writing it?); try again later",
				    path, BUSY_MS / 1000);
		if (wal && (code == SQLITE_CANTOPEN || code == SQLITE_READONLY))
			return pa_store_fail(st, PA_EIO, "%s: in WAL mode (its writer did not "
				    "finish) on a medium this process cannot write, where SQLite "
				    "cannot read it: copy it (with its -wal file) to writable "
				    "storage, or where it can be written run: sqlite3 %s "
				    "'PRAGMA journal_mode=DELETE'", path, path);
		return err;
	}
	if (appid != PA_APPLICATION_ID)
		return pa_store_fail(st, PA_EFOREIGN, "%s: an SQLite database, but not a pat run "
			    "database (application_id %lld)", path, (long long)appid);
	err = pa_store_query_int(st, "PRAGMA user_version", &version);
	if (err)
		return err;
	if (version < PA_FORMAT_VERSION_MIN || version > PA_FORMAT_VERSION)
		return pa_store_fail(st, PA_EVERSION, "%s: pat database format version %lld; this "
			    "build reads versions %d to %d%s", path, (long long)version,
			    PA_FORMAT_VERSION_MIN, PA_FORMAT_VERSION, version > PA_FORMAT_VERSION ?
			    " (a newer pat wrote it: read it with that one)" : "");
	st->version = (int)version;
	/*
	 * Readers go through the chunks once, so cached pages are seldom read again: 16
	 * pages (256 KiB) instead of SQLite's 2 MB, whose filling cost a fresh page of
	 * memory, and a page fault, per 4 KiB read.
	 */
	return exec(st, "PRAGMA cache_size=16", "cannot set up");
}

int pa_store_begin(struct pa_store *st)
{
	return exec(st, "BEGIN", "cannot begin transaction");
}

int pa_store_commit(struct pa_store *st)
{
	return exec(st, "COMMIT", "cannot commit");
}

/* fsync of the database file: what SQLite did not sync while it was scratch. */
static int sync_file(struct pa_store *st)
{
	int fd = open(st->path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fsync(fd) != 0) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		return pa_store_fail(st, PA_EIO, "%s: %s", st->path, strerror(e));
	}
	close(fd);
	return 0;
}

int pa_store_finish(struct pa_store *st)
{
	int64_t pages = 0;
	int err = exec(st, "PRAGMA journal_mode=DELETE", "cannot leave WAL mode");

	if (!err)
		err = pa_store_query_int(st, "PRAGMA page_count", &pages);
	/*
	 * A small run is copied once more into pages of 512 bytes, SQLite's smallest: its
	 * file is then its content plus 512 bytes a table, a few KiB for a run of a few
	 * events instead of 36 KiB, at a cost of about a millisecond. Rows and blobs are
	 * unchanged; readers of every version read any page size.
	 */
	if (!err && pages * STORE_PAGE_SIZE < STORE_SMALL_BYTES)
		err = exec(st, "PRAGMA temp_store=MEMORY; PRAGMA page_size=512; VACUUM",
			   "cannot compact");
	if (!err && st->scratch)
		err = sync_file(st);
	return err;
}

static sqlite3_stmt *prepared(struct pa_store *st, enum stmt_id id)
{
	sqlite3_stmt *s = st->stmt[id];

	if (s) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return s;
	}
	if (sqlite3_prepare_v3(st->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
			       &st->stmt[id], NULL) != SQLITE_OK)
		return NULL;
	return st->stmt[id];
}

static int step_done(struct pa_store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return pa_store_fail_sql(st, what);
	return 0;
}

static void bind_text_or_null(sqlite3_stmt *s, int i, const char *text)
{
	if (text)
		sqlite3_bind_text(s, i, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

int pa_store_set_meta_text(struct pa_store *st, const char *key, const char *value)
{
	sqlite3_stmt *s = prepared(st, ST_META);

	if (!s)
		return pa_store_fail_sql(st, "cannot prepare meta insert");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	bind_text_or_null(s, 2, value);
	return step_done(st, s, "cannot write meta");
}

int pa_store_set_meta_int(struct pa_store *st, const char *key, int64_t value)
{
	sqlite3_stmt *s = prepared(st, ST_META);

	if (!s)
		return pa_store_fail_sql(st, "cannot prepare meta insert");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, value);
	return step_done(st, s, "cannot write meta");
}

static int get_meta(struct pa_store *st, const char *key, sqlite3_stmt **out)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = ?", -1, &s,
			       NULL) != SQLITE_OK)
		return pa_store_fail_sql(st, "cannot read meta");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = s;
		return 0;
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		return 1;
	return pa_store_fail_sql(st, "cannot read meta");
}

int pa_store_get_meta_text(struct pa_store *st, const char *key, char *buf, size_t size)
{
	sqlite3_stmt *s = NULL;
	int err = get_meta(st, key, &s);

	if (size)
		buf[0] = '\0';
	if (err)
		return err;
	if (size && sqlite3_column_type(s, 0) != SQLITE_NULL)
		snprintf(buf, size, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return 0;
}

int pa_store_get_meta_int(struct pa_store *st, const char *key, int64_t *value)
{
	sqlite3_stmt *s = NULL;
	int err = get_meta(st, key, &s);

	if (err)
		return err;
	*value = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return 0;
}

int pa_store_page_size(struct pa_store *st, int64_t *size)
{
	int err;

	*size = 4096;
	err = pa_store_get_meta_int(st, "page_size", size);
	if (err < 0)
		return err;
	if (*size <= 0 || (*size & (*size - 1)))
		return pa_store_fail(st, PA_ECORRUPT, "%s: meta page_size %lld is not a power "
				     "of two", st->path, (long long)*size);
	return 0;
}

int pa_store_sample_shift(struct pa_store *st, unsigned int *shift)
{
	int64_t k = 0;
	int err = pa_store_get_meta_int(st, "sample_shift", &k);

	*shift = 0;
	if (err < 0)
		return err;
	if (k < 0 || k > PA_DISK_SAMPLE_SHIFT_MAX)
		return pa_store_fail(st, PA_ECORRUPT, "%s: meta sample_shift %lld is not in 0..%d",
				     st->path, (long long)k, PA_DISK_SAMPLE_SHIFT_MAX);
	*shift = (unsigned int)k;
	return 0;
}

int pa_store_put_chunk(struct pa_store *st, uint64_t first_ns, uint64_t last_ns,
		       uint64_t events, const void *blob, size_t len)
{
	sqlite3_stmt *s = prepared(st, ST_CHUNK);

	if (!s)
		return pa_store_fail_sql(st, "cannot prepare chunk insert");
	sqlite3_bind_int64(s, 1, (int64_t)first_ns);
	sqlite3_bind_int64(s, 2, (int64_t)last_ns);
	sqlite3_bind_int64(s, 3, (int64_t)events);
	sqlite3_bind_blob64(s, 4, blob, len, SQLITE_STATIC);
	return step_done(st, s, "cannot write chunk");
}

int pa_store_put_task(struct pa_store *st, const struct pa_task *t)
{
	sqlite3_stmt *s = prepared(st, ST_TASK);

	if (!s)
		return pa_store_fail_sql(st, "cannot prepare task insert");
	sqlite3_bind_int64(s, 1, t->tid);
	sqlite3_bind_int64(s, 2, t->tgid);
	sqlite3_bind_text(s, 3, t->comm, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, (int64_t)t->first_ns);
	sqlite3_bind_int64(s, 5, (int64_t)t->last_ns);
	sqlite3_bind_int64(s, 6, (int64_t)t->events);
	return step_done(st, s, "cannot write task");
}

int pa_store_put_marker(struct pa_store *st, const struct pa_marker *m)
{
	sqlite3_stmt *s = prepared(st, ST_MARKER);

	if (!s)
		return pa_store_fail_sql(st, "cannot prepare marker insert");
	sqlite3_bind_int64(s, 1, (int64_t)m->time_ns);
	sqlite3_bind_text(s, 2, m->is_end ? "END" : "START", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, m->pid);
	if (m->ppid)
		sqlite3_bind_int64(s, 4, m->ppid);
	sqlite3_bind_text(s, 5, m->comm, -1, SQLITE_STATIC);
	if (m->line)
		sqlite3_bind_int64(s, 6, (int64_t)m->line);
	return step_done(st, s, "cannot write marker");
}

int pa_store_put_lost(struct pa_store *st, const struct pa_lost *l)
{
	sqlite3_stmt *s = prepared(st, ST_LOST);

	if (!s)
		return pa_store_fail_sql(st, "cannot prepare lost-events insert");
	if (l->has_time)
		sqlite3_bind_int64(s, 1, (int64_t)l->time_ns);
	sqlite3_bind_int64(s, 2, l->cpu);
	sqlite3_bind_int64(s, 3, (int64_t)l->count);
	if (l->line)
		sqlite3_bind_int64(s, 4, (int64_t)l->line);
	return step_done(st, s, "cannot write lost events");
}

int pa_store_put_map(struct pa_store *st, const struct pa_map *m)
{
	sqlite3_stmt *s = prepared(st, ST_MAP);

	if (!s)
		return pa_store_fail_sql(st, "cannot prepare map insert");
	sqlite3_bind_int64(s, 1, (int64_t)m->time_ns);
	sqlite3_bind_int64(s, 2, m->tgid);
	sqlite3_bind_text(s, 3, m->op, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, (int64_t)m->start);
	sqlite3_bind_int64(s, 5, (int64_t)m->end);
	bind_text_or_null(s, 6, m->prot);
	sqlite3_bind_int64(s, 7, (int64_t)m->pgoff);
	bind_text_or_null(s, 8, m->path);
	bind_text_or_null(s, 9, m->reason);
	return step_done(st, s, "cannot write map");
}

int pa_store_put_malformed(struct pa_store *st, uint64_t line, const char *reason,
			   const char *text, size_t text_len)
{
	sqlite3_stmt *s = prepared(st, ST_MALFORMED);

	if (!s)
		return pa_store_fail_sql(st, "cannot prepare malformed-line insert");
	sqlite3_bind_int64(s, 1, (int64_t)line);
	sqlite3_bind_text(s, 2, reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, text, (int)text_len, SQLITE_TRANSIENT);
	return step_done(st, s, "cannot write malformed line");
}

int pa_store_query_int(struct pa_store *st, const char *sql, int64_t *value)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return pa_store_fail_sql(st, "query failed");
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(s);
		return pa_store_fail_sql(st, "query failed");
	}
	*value = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return 0;
}

sqlite3 *pa_store_sqlite(struct pa_store *st)
{
	return st->db;
}

int pa_store_chunks_begin(struct pa_store *st, struct pa_chunk_iter **out)
{
	return pa_store_chunks_range(st, 0, UINT64_MAX, out);
}

int pa_store_chunks_range(struct pa_store *st, uint64_t from_ns, uint64_t to_ns,
			  struct pa_chunk_iter **out)
{
	struct pa_chunk_iter *it = calloc(1, sizeof(*it));

	*out = NULL;
	if (!it)
		return -PA_ENOMEM;
	it->st = st;
	it->cols = PA_COL_ALL;
	/* Times are stored as signed 64-bit; the trace clock stays far below 2^63 ns. */
	if (from_ns > INT64_MAX)
		from_ns = INT64_MAX;
	if (to_ns > INT64_MAX)
		to_ns = INT64_MAX;
	/*
	 * The data is read through a blob handle into it->buf rather than selected: a
	 * selected blob of overflow pages is copied into fresh memory for every chunk, a
	 * page fault per 4 KiB: selecting costs wss on 10^6 random events 700 page faults
	 * more.
	 */
	if (sqlite3_prepare_v2(st->db, "SELECT id, events, first_ns, last_ns FROM chunks "
			       "WHERE last_ns >= ? AND first_ns < ? ORDER BY id", -1,
			       &it->q, NULL) != SQLITE_OK) {
		pa_store_chunks_end(it);
		return pa_store_fail_sql(st, "cannot read chunks");
	}
	sqlite3_bind_int64(it->q, 1, (int64_t)from_ns);
	sqlite3_bind_int64(it->q, 2, (int64_t)to_ns);
	*out = it;
	return 0;
}

/*
 * "chunk ID (times FIRST-LAST s)" into @buf, the times from the row of the chunk last
 * opened when that is chunk @id: how every message names a chunk.
 */
static const char *chunk_name(const struct pa_store *st, int64_t id, char *buf, size_t size)
{
	int n = snprintf(buf, size, "chunk %lld", (long long)id);

	if (id == st->cur_id && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " (times %llu.%09llu-%llu.%09llu s)",
			 (unsigned long long)(st->cur_first / 1000000000u),
			 (unsigned long long)(st->cur_first % 1000000000u),
			 (unsigned long long)(st->cur_last / 1000000000u),
			 (unsigned long long)(st->cur_last % 1000000000u));
	return buf;
}

/*
 * Points it->blob at the data of chunk @id and reads it into it->buf. Returns its
 * length, or a negated pa_err (message set).
 */
static int64_t chunk_data(struct pa_chunk_iter *it, int64_t id)
{
	struct pa_store *st = it->st;
	char name[96];
	int rc, len;

	if (it->blob)
		rc = sqlite3_blob_reopen(it->blob, id);
	else
		rc = sqlite3_blob_open(st->db, "main", "chunks", "data", id, 0, &it->blob);
	if (rc == SQLITE_NOMEM)
		return pa_store_fail(st, PA_ENOMEM, "%s: %s: %s", st->path,
			    chunk_name(st, id, name, sizeof(name)), pa_strerror(-PA_ENOMEM));
	if (rc != SQLITE_OK)	/* not a blob, or the row is gone: not what pacollect wrote */
		return pa_store_fail(st, PA_ECORRUPT, "%s: %s is damaged: %s", st->path,
			    chunk_name(st, id, name, sizeof(name)), sqlite3_errmsg(st->db));
	len = sqlite3_blob_bytes(it->blob);
	if ((size_t)len > it->cap) {
		uint8_t *p = realloc(it->buf, (size_t)len);

		if (!p)
			return pa_store_fail(st, PA_ENOMEM, "%s: %s: %s", st->path,
				    chunk_name(st, id, name, sizeof(name)),
				    pa_strerror(-PA_ENOMEM));
		it->buf = p;
		it->cap = (size_t)len;
	}
	rc = sqlite3_blob_read(it->blob, it->buf, len, 0);
	if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB)
		return pa_store_fail(st, PA_ECORRUPT, "%s: database is damaged at %s: %s", st->path,
			    chunk_name(st, id, name, sizeof(name)), sqlite3_errmsg(st->db));
	if (rc != SQLITE_OK)
		return pa_store_fail_sql(st, "cannot read chunk");
	return len;
}

int64_t pa_store_chunks_open(struct pa_chunk_iter *it, struct pa_codec *c, int64_t *id,
			     uint64_t *stored_bytes)
{
	struct pa_store *st = it->st;
	int rc = sqlite3_step(it->q);
	struct pa_chunk_meta m;
	int64_t len, n;

	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		it->step_failed = 1;
		if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB)
			return pa_store_fail(st, PA_ECORRUPT, "%s: database is damaged: %s", st->path,
				    sqlite3_errmsg(st->db));
		return pa_store_fail_sql(st, "cannot read chunk");
	}
	*id = sqlite3_column_int64(it->q, 0);
	m.events = (uint64_t)sqlite3_column_int64(it->q, 1);
	m.first_ns = (uint64_t)sqlite3_column_int64(it->q, 2);
	m.last_ns = (uint64_t)sqlite3_column_int64(it->q, 3);
	m.checksums = st->version >= PA_FORMAT_VERSION_CHECKSUMS;
	st->cur_id = *id;
	st->cur_first = m.first_ns;
	st->cur_last = m.last_ns;
	len = chunk_data(it, *id);
	if (len < 0)
		return len;
	n = pa_chunk_open(c, it->buf, (size_t)len, it->cols);
	if (n > 0) {
		int err = pa_chunk_check(c, &m);

		n = err ? err : n;
	}
	if (n < 0)
		return pa_store_chunk_failed(st, c, *id, (int)n);
	if (stored_bytes)
		*stored_bytes += (uint64_t)len;
	return n;
}

int pa_store_chunk_failed(struct pa_store *st, const struct pa_codec *c, int64_t id, int err)
{
	char name[96];

	chunk_name(st, id, name, sizeof(name));
	if (err == -PA_ECORRUPT)
		return pa_store_fail(st, PA_ECORRUPT, "%s: %s is damaged: %s", st->path, name,
			    c ? pa_chunk_errmsg(c) : "it does not decode");
	return pa_store_fail(st, -err, "%s: %s: %s", st->path, name, pa_strerror(err));
}

int pa_store_chunks_next(struct pa_chunk_iter *it, struct pa_batch *b, uint64_t *stored_bytes)
{
	int64_t id, n;
	int rc;

	if (!it->codec && !(it->codec = pa_codec_new(0)))
		return pa_store_fail(it->st, PA_ENOMEM, "%s: %s", it->st->path, pa_strerror(-PA_ENOMEM));
	n = pa_store_chunks_open(it, it->codec, &id, stored_bytes);

	if (n <= 0)
		return (int)n;
	rc = pa_chunk_read(it->codec, b, (size_t)n);
	if (rc < 0)
		return pa_store_chunk_failed(it->st, it->codec, id, rc);
	return 1;
}

void pa_store_chunks_columns(struct pa_chunk_iter *it, unsigned int cols)
{
	it->cols = cols;
}

void pa_store_chunks_end(struct pa_chunk_iter *it)
{
	if (!it)
		return;
	sqlite3_blob_close(it->blob);
	sqlite3_finalize(it->q);
	pa_codec_free(it->codec);
	free(it->buf);
	free(it);
}

/* SPDX-License-Identifier: MIT */
#ifndef PAT_STORE_H
#define PAT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "pat/event.h"

/*
 * A run database (schema/schema.sql). Writers create it, add rows in transactions of
 * whole chunks and finish it; readers open it read-only, which checks that it is a pat
 * database of a known format version, and iterate over its chunks.
 *
 * Every function returns 0 or a negated pa_err code. Functions that open a store set
 * *out even when they fail (unless out of memory), so that the caller can read the
 * reason with pa_store_errmsg() before pa_store_close(), as with sqlite3_open().
 */
struct pa_store;

struct pa_task {
	uint32_t tid;
	uint32_t tgid;
	const char *comm;
	uint64_t first_ns;
	uint64_t last_ns;
	uint64_t events;
};

struct pa_marker {
	uint64_t time_ns;
	int is_end;		/* 0: START, 1: END */
	uint32_t pid;
	uint32_t ppid;		/* 0 when unknown */
	const char *comm;
	uint64_t line;		/* input line, 0 when none */
};

struct pa_lost {
	uint64_t time_ns;
	int has_time;
	uint32_t cpu;
	uint64_t count;
	uint64_t line;
};

struct pa_map {
	uint64_t time_ns;
	uint32_t tgid;
	const char *op;		/* "map", "unmap" or "snapshot" */
	uint64_t start;
	uint64_t end;
	const char *prot;	/* may be NULL */
	uint64_t pgoff;
	const char *path;	/* may be NULL */
	const char *reason;	/* may be NULL */
};

/*
 * pa_store_create - create a new, empty run database at @path (which must not exist) in
 * WAL mode with the schema and format version set. Returns 0 or -PA_EEXIST, -PA_ESQL,
 * -PA_ENOMEM. Caller closes *@out.
 */
int pa_store_create(const char *path, struct pa_store **out);

/*
 * pa_store_open - open an existing run database read-only and check it: -PA_ENOENT when
 * missing, -PA_ENOTDB when not SQLite, -PA_EFOREIGN when not pat's, -PA_EVERSION when
 * its format version is unknown. Caller closes *@out.
 */
int pa_store_open(const char *path, struct pa_store **out);

/*
 * pa_store_remove - delete the database file @path and the side files SQLite keeps
 * beside it (-wal, -shm, -journal), e.g. after a failed write. Missing files are fine.
 */
void pa_store_remove(const char *path);

/* pa_store_errmsg - what the last failed call on @st went wrong with (owned by @st). */
const char *pa_store_errmsg(const struct pa_store *st);

/* pa_store_close - close @st (NULL allowed). Returns 0 or -PA_ESQL if closing failed. */
int pa_store_close(struct pa_store *st);

/* Transactions: writers group a chunk and its task/marker rows into one. */
int pa_store_begin(struct pa_store *st);
int pa_store_commit(struct pa_store *st);

/*
 * pa_store_finish - make a written database self-contained: leave WAL mode (so that the
 * result is one file) after committing. Call once after the last commit.
 */
int pa_store_finish(struct pa_store *st);

int pa_store_set_meta_text(struct pa_store *st, const char *key, const char *value);
int pa_store_set_meta_int(struct pa_store *st, const char *key, int64_t value);

/*
 * pa_store_get_meta_text - copy meta @key into @buf (NUL-terminated, truncated to @size).
 * Returns 0, 1 when the key is absent (buf = ""), or a negated error.
 */
int pa_store_get_meta_text(struct pa_store *st, const char *key, char *buf, size_t size);

/* pa_store_get_meta_int - meta @key as an integer; 1 when absent (*value untouched). */
int pa_store_get_meta_int(struct pa_store *st, const char *key, int64_t *value);

/* pa_store_put_chunk - store an encoded chunk blob with its time range and count. */
int pa_store_put_chunk(struct pa_store *st, uint64_t first_ns, uint64_t last_ns,
		       uint64_t events, const void *blob, size_t len);

/* pa_store_put_task - insert or replace the row of task->tid. */
int pa_store_put_task(struct pa_store *st, const struct pa_task *task);
int pa_store_put_marker(struct pa_store *st, const struct pa_marker *m);
int pa_store_put_lost(struct pa_store *st, const struct pa_lost *l);
int pa_store_put_map(struct pa_store *st, const struct pa_map *m);
int pa_store_put_malformed(struct pa_store *st, uint64_t line, const char *reason,
			   const char *text, size_t text_len);

/*
 * pa_store_query_int - run a read-only SQL query that yields one integer (e.g. a count
 * or sum) into *@value; NULL yields 0. For summaries such as `paanalyze info`.
 */
int pa_store_query_int(struct pa_store *st, const char *sql, int64_t *value);

/*
 * pa_store_sqlite - the underlying sqlite3 handle, for readers that walk small tables
 * (tasks, markers, maps) themselves. Owned by @st.
 */
struct sqlite3 *pa_store_sqlite(struct pa_store *st);

/*
 * Chunk iteration in time order. pa_store_chunks_next decodes the next chunk into @b
 * (replacing its contents) and returns 1, returns 0 at the end, or a negated error
 * (-PA_ECORRUPT names the chunk id in pa_store_errmsg). The stored byte size of the
 * chunk just read is added to *@stored_bytes when that is not NULL.
 */
struct pa_chunk_iter;
struct pa_codec;
int pa_store_chunks_begin(struct pa_store *st, struct pa_chunk_iter **out);

/*
 * pa_store_chunks_range - like pa_store_chunks_begin, but only the chunks that may hold
 * events with @from_ns <= time < @to_ns (events outside the range may still come).
 */
int pa_store_chunks_range(struct pa_store *st, uint64_t from_ns, uint64_t to_ns,
			  struct pa_chunk_iter **out);
int pa_store_chunks_next(struct pa_chunk_iter *it, struct pa_batch *b, uint64_t *stored_bytes);

/*
 * pa_store_chunks_columns - from the next chunk on, decode only the columns @cols
 * (PA_COL_* of pat/chunk.h; all by default); the other columns of the batch hold
 * anything. Readers of a few columns skip the decompression of the rest.
 */
void pa_store_chunks_columns(struct pa_chunk_iter *it, unsigned int cols);

/*
 * pa_store_chunks_open - read the next chunk and open it on the caller's codec @c for
 * pa_chunk_read (pat/chunk.h), with the columns of pa_store_chunks_columns: the reading
 * and the decoding may then happen in different threads, each with its own codec.
 * Returns the chunk's events (> 0), 0 at the end, or a negated pa_err (message set).
 * *@id is set to the chunk's id, for pa_store_chunk_failed.
 */
int64_t pa_store_chunks_open(struct pa_chunk_iter *it, struct pa_codec *c, int64_t *id,
			     uint64_t *stored_bytes);

/*
 * pa_store_chunk_failed - the message for pa_chunk_read's error @err (negated) on chunk
 * @id of @st, named like the errors of pa_store_chunks_next. Returns @err.
 */
int pa_store_chunk_failed(struct pa_store *st, int64_t id, int err);
void pa_store_chunks_end(struct pa_chunk_iter *it);

#endif

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
 * pa_store_create_scratch - the same, for a file that is thrown away unless it is
 * finished (an import's temporary file): written without a journal and without syncs,
 * so that each page is written once (WAL writes it twice, and syncs each commit). A
 * failure or a crash while writing leaves a damaged file, which the caller removes;
 * pa_store_finish syncs the file once.
 */
int pa_store_create_scratch(const char *path, struct pa_store **out);

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

/*
 * pa_store_page_size - the run's page size (meta page_size, 4096 when absent). Returns
 * 0, or -PA_ECORRUPT (message set) when it is not a power of two.
 */
int pa_store_page_size(struct pa_store *st, int64_t *size);

/*
 * pa_store_sample_shift - k when the run traced 1 page in 2^k (meta sample_shift; 0
 * when absent: every page). Returns 0, or -PA_ECORRUPT (message set) when k is not in
 * 0..PA_DISK_SAMPLE_SHIFT_MAX.
 */
int pa_store_sample_shift(struct pa_store *st, unsigned int *shift);

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
 * Reading the small tables (schema/runread.c). Every function returns 0 (or the count
 * it says) or a negated pa_err with the message in pa_store_errmsg().
 */

/* Totals of a run for summaries; each is 0 when its table is empty. */
struct pa_run_totals {
	int64_t last_marker_ns;	/* time of the latest START or END marker */
	int64_t tasks;		/* threads */
	int64_t processes;	/* distinct tgids of the threads */
	int64_t lost_events;	/* sum of lost.count */
	int64_t lost_reports;	/* rows of lost */
	int64_t chunks;
	int64_t stored_bytes;	/* chunk blob bytes */
	int64_t events;		/* sum of chunks.events */
};
int pa_store_run_totals(struct pa_store *st, struct pa_run_totals *t);

/*
 * pa_store_run_start - the run start t0 (docs/design.md §6): the first START marker's
 * time, else the first chunk's first event time; 0 for an empty run.
 */
int pa_store_run_start(struct pa_store *st, uint64_t *t0);

/*
 * pa_store_chunk_span - the earliest first and latest last event time of the chunks that
 * may hold events with @from_ns <= time < @to_ns. Returns 1 with *@first_ns and
 * *@last_ns set, 0 when no chunk overlaps, or a negated pa_err.
 */
int pa_store_chunk_span(struct pa_store *st, uint64_t from_ns, uint64_t to_ns,
			uint64_t *first_ns, uint64_t *last_ns);

/*
 * pa_store_task_span - the earliest first and latest last time of the tasks row of
 * thread @tid, which spans every event of that thread (the writer updates a thread's
 * row in the transaction of each chunk holding its events). Returns 1 with
 * *@first_ns and *@last_ns set, 0 when the run has no such thread, or a negated pa_err.
 */
int pa_store_task_span(struct pa_store *st, uint32_t tid, uint64_t *first_ns,
		       uint64_t *last_ns);

/*
 * pa_store_process_span - the same over the tasks rows of process @tgid: 1, 0 or an
 * error as pa_store_task_span. The rows give each thread its first process, so this
 * spans every event of the process only when meta tgid_changes is 0: returns 2 (and
 * the whole run: 0 to UINT64_MAX) when it is not, or is absent (an older pat, a run
 * cut short).
 */
int pa_store_process_span(struct pa_store *st, uint32_t tgid, uint64_t *first_ns,
			  uint64_t *last_ns);

/*
 * pa_store_tasks_each - call @fn for every row of the tasks table (strings valid during
 * the call; comm may be NULL in a damaged file). A non-zero return of @fn stops the walk
 * and is returned.
 */
int pa_store_tasks_each(struct pa_store *st, int (*fn)(void *arg, const struct pa_task *t),
			void *arg);

/*
 * pa_store_maps_each - call @fn for every row of the maps table in time order (ties in
 * insertion order), as pa_store_tasks_each; op may be NULL in a damaged file.
 */
int pa_store_maps_each(struct pa_store *st, int (*fn)(void *arg, const struct pa_map *m),
		       void *arg);

/*
 * pa_store_map_at - the mapping of process @tgid that held @addr at @time_ns: the latest
 * map or snapshot row covering it at or before that time, unless an unmap of it or a
 * later snapshot without it came in between; else the first snapshot after that time,
 * unless a mapping event touched @addr in between. Returns 1 with *@m set (m->path
 * points into @path, of @pathsize bytes, "" when none), 0 when no mapping is known, or
 * a negated pa_err.
 */
int pa_store_map_at(struct pa_store *st, uint32_t tgid, uint64_t addr, uint64_t time_ns,
		    struct pa_map *m, char *path, size_t pathsize);

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
 * @id of @st, decoded on @c (NULL: unknown), named like the errors of
 * pa_store_chunks_next: the file, the chunk, its time range and what is wrong.
 * Returns @err.
 */
int pa_store_chunk_failed(struct pa_store *st, const struct pa_codec *c, int64_t id, int err);
void pa_store_chunks_end(struct pa_chunk_iter *it);

/* What pa_store_check found. */
struct pa_check {
	int version;		/* the format version */
	int checksums;		/* its chunks carry checksums (docs/format.md) */
	int64_t chunks;		/* chunk rows reached */
	int64_t bad_chunks;	/* of them, damaged */
	uint64_t events;	/* events in the chunks read whole */
	int64_t problems;	/* problems reported, damaged chunks included */
	int64_t copied;		/* chunks copied into the salvage database */
};

/* A problem found by pa_store_check: a message naming the file and what is wrong. */
typedef void (*pa_problem_fn)(void *ctx, const char *msg);

/*
 * pa_store_check - verify all of @st: SQLite's integrity check, every chunk read whole
 * through the checks of every reader (checksums, its row), and the metadata against
 * the chunks (format version and page size in meta; the events in meta and per thread
 * in tasks, when every chunk could be read). Each problem goes to @problem(@ctx, msg);
 * the figures to *@res. With @out (made by pa_store_create), every chunk read whole is
 * copied into it, re-encoded as this version writes, with the other tables and the
 * counts made true of what was copied; the caller finishes and closes @out. Returns 0
 * when the check ran to its end, whatever it found; -PA_ENOMEM; or a negated pa_err
 * when writing @out failed (pa_store_errmsg(@out)).
 */
int pa_store_check(struct pa_store *st, struct pa_store *out, pa_problem_fn problem,
		   void *ctx, struct pa_check *res);

#endif

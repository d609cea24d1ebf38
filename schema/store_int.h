/* SPDX-License-Identifier: MIT */
#ifndef PAT_SCHEMA_STORE_INT_H
#define PAT_SCHEMA_STORE_INT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "pat/store.h"

/*
 * What the files of schema/ share about a store and nobody else sees: the SQLite
 * handle and the error setter, and for schema/check.c the store and chunk iterator
 * themselves. SQL stays inside schema/ (docs/design.md §5).
 */

enum stmt_id {
	ST_CHUNK,
	ST_TASK,
	ST_MARKER,
	ST_LOST,
	ST_MAP,
	ST_MALFORMED,
	ST_META,
	ST_COUNT
};

struct pa_store {
	sqlite3 *db;
	char *path;
	int version;		/* format version, PA_FORMAT_VERSION when created */
	int scratch;		/* written without journal or syncs: pa_store_scratch */
	sqlite3_stmt *stmt[ST_COUNT];
	/* the chunk last opened by an iterator, for the message when it fails */
	int64_t cur_id;
	uint64_t cur_first, cur_last;
	char errmsg[512];
};

struct pa_chunk_iter {
	struct pa_store *st;
	sqlite3_stmt *q;
	struct pa_codec *codec;	/* pa_store_chunks_next's, made on its first call */
	unsigned int cols;	/* PA_COL_* to decode */
	sqlite3_blob *blob;	/* the data of the current row, opened on the first */
	uint8_t *buf;		/* its bytes: one buffer for every chunk */
	size_t cap;
	int step_failed;	/* the query itself failed: no more rows can come */
};

/* pa_store_sqlite - the underlying sqlite3 handle. Owned by @st. */
sqlite3 *pa_store_sqlite(struct pa_store *st);

/* pa_store_fail - set the message of @st from @fmt. Returns -@err. */
int pa_store_fail(struct pa_store *st, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * pa_store_fail_sql - set the message of @st to "PATH: @what: SQLite's message".
 * Returns -PA_ESQL.
 */
int pa_store_fail_sql(struct pa_store *st, const char *what);

/*
 * pa_store_query_int - run a read-only SQL query that yields one integer (e.g. a count
 * or sum) into *@value; NULL yields 0. Returns 0 or -PA_ESQL (message set).
 */
int pa_store_query_int(struct pa_store *st, const char *sql, int64_t *value);

#endif

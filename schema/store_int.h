/* SPDX-License-Identifier: MIT */
#ifndef PAT_SCHEMA_STORE_INT_H
#define PAT_SCHEMA_STORE_INT_H

#include <sqlite3.h>
#include <stdint.h>

#include "pat/store.h"

/*
 * What the files of schema/ share about a store and nobody else sees: the SQLite
 * handle and the error setter. SQL stays inside schema/ (docs/design.md §5).
 */

/* pa_store_sqlite - the underlying sqlite3 handle. Owned by @st. */
sqlite3 *pa_store_sqlite(struct pa_store *st);

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

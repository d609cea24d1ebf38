/* SPDX-License-Identifier: MIT */
#ifndef PAT_COLLECTOR_IMPORT_H
#define PAT_COLLECTOR_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "pat/store.h"

/*
 * Trace text -> run database. Text is fed in pieces of any size; complete lines are
 * parsed and stored, events go into chunks, and each chunk is committed together with
 * the markers, lost-event records and mappings read before it, so that a crash loses at
 * most the rows since the last commit.
 */
struct pa_import;

struct pa_import_stats {
	uint64_t lines;
	uint64_t events;
	uint64_t reads;
	uint64_t writes;
	uint64_t malformed;
	uint64_t other;		/* lines of other trace events */
	uint64_t comments;	/* '#' headers and blank lines */
	uint64_t lost_events;	/* sum of [LOST M EVENTS] */
	uint64_t lost_reports;
	uint64_t markers;
	uint64_t maps;
	uint64_t chunks;
	uint64_t stored_bytes;	/* chunk blob bytes */
	uint64_t foreign;	/* lines of processes not followed (pa_import_follow) */
	uint64_t tgid_changes;	/* events of a thread id first seen in another process */
};

/* Called for every malformed line, with its 1-based number, before the import goes on. */
typedef void (*pa_malformed_fn)(void *ctx, uint64_t lineno, const char *reason,
				const char *text, size_t len);

/*
 * pa_import_new - an importer writing into @st (opened by pa_store_create), which it
 * does not own. @on_malformed may be NULL. Returns NULL when out of memory.
 */
struct pa_import *pa_import_new(struct pa_store *st, pa_malformed_fn on_malformed, void *ctx);

/*
 * pa_import_feed - parse the complete lines in @data (keeping an incomplete last line
 * for the next call) and store what they hold. Returns 0 or a negated pa_err; on a
 * store error pa_store_errmsg() of the store says what failed.
 */
int pa_import_feed(struct pa_import *im, const char *data, size_t len);

/*
 * pa_import_flush - write the events collected so far as a chunk and commit, e.g. on a
 * timer during live collection. Returns 0 or a negated pa_err.
 */
int pa_import_flush(struct pa_import *im);

/*
 * pa_import_finish - parse a final line without newline, write the last chunk, the
 * tasks and the summary meta keys, and commit. Returns 0 or a negated pa_err.
 */
int pa_import_finish(struct pa_import *im);

/*
 * pa_import_follow - from now on keep only the events, markers and mappings of process
 * @pid and of the processes it forks (a START whose ppid= is followed), so that another
 * process that happens to share the traced name is left out. Returns 0 or -PA_ENOMEM.
 */
int pa_import_follow(struct pa_import *im, uint32_t pid);

/*
 * pa_import_followed - copy up to @max followed processes that have a START and no END
 * yet into @pids. Returns how many there are in all.
 */
size_t pa_import_followed(const struct pa_import *im, uint32_t *pids, size_t max);

/* pa_import_add_map - store a mapping row (e.g. a /proc/PID/maps snapshot) in order. */
int pa_import_add_map(struct pa_import *im, const struct pa_map *m);

/*
 * pa_import_why - what to tell the user about @err, returned by a call of @im writing
 * into @st: the input refused (e.g. processes traced at different sample shifts), out
 * of memory, or pa_store_errmsg(@st). Owned by @im or @st.
 */
const char *pa_import_why(const struct pa_import *im, struct pa_store *st, int err);

/* pa_import_stats - the counts so far (owned by @im). */
const struct pa_import_stats *pa_import_stats(const struct pa_import *im);

/* pa_import_free - release @im (NULL allowed); the store stays open. */
void pa_import_free(struct pa_import *im);

#endif

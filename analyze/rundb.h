/* SPDX-License-Identifier: MIT */
#ifndef PAT_ANALYZE_RUNDB_H
#define PAT_ANALYZE_RUNDB_H

#include <stdint.h>

#include "pat/chunk.h"
#include "pat/store.h"

/*
 * pa_run_open - open run database @path for reading; on failure print why (naming the
 * file) and return NULL. The caller closes the store.
 */
struct pa_store *pa_run_open(const char *path);

/*
 * pa_run_error - report the failure @err (negated pa_err) of a command on run database
 * @db: the store's message, else what @err means. Returns PA_EXIT_FAIL.
 */
int pa_run_error(struct pa_store *st, const char *db, int err);

/*
 * pa_run_map_label - what a mapping of file @path (NULL or "" for none), made for
 * @reason (e.g. "brk"), is called, as /proc/PID/maps names it: the file, "[heap]",
 * or "[anon]" (the kernel's own names such as "[stack]" come as @path). Static.
 */
const char *pa_run_map_label(const char *path, const char *reason);

/* pa_run_page_shift - log2 of the run's page size (meta page_size, default 4096). */
int pa_run_page_shift(struct pa_store *st, unsigned int *shift);

/*
 * pa_run_page_cols - the address column (PA_COL_* of pat/chunk.h) to decode for pages
 * of 1 << @shift bytes: the pages alone, without the offsets, unless pages are smaller
 * than the codec's 4096.
 */
static inline unsigned int pa_run_page_cols(unsigned int shift)
{
	return shift >= 12 ? PA_COL_PAGE : PA_COL_ADDR;
}

#endif

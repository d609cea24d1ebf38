/* SPDX-License-Identifier: MIT */
#ifndef PAT_COLLECTOR_TRACEFS_H
#define PAT_COLLECTOR_TRACEFS_H

#include <stddef.h>

#include "pat/error.h"

/*
 * A private ftrace instance (tracefs instances/NAME): its own ring buffer, event
 * enables and clock, so that pacollect neither reads nor changes the global tracing
 * state, and removing the instance restores everything it set. Functions return 0 or a
 * negated pa_err and never print: pa_tracefs.err holds the code, the message ("FILE:
 * cause") and the errno, and pa_tracefs.path the file or step that failed.
 */
struct pa_tracefs {
	char root[64];		/* /sys/kernel/tracing or /sys/kernel/debug/tracing */
	char dir[192];		/* root/instances/NAME */
	char path[320];		/* the file or step of the last failure */
	struct pa_error err;	/* the last failure */
	int mounted;		/* we mounted tracefs at root */
};

/*
 * pa_tracefs_open - find tracefs (mounting it at /sys/kernel/tracing when absent, which
 * needs root) and create instance @name in it. Returns 0 or a negated pa_err.
 */
int pa_tracefs_open(struct pa_tracefs *t, const char *name);

/* pa_tracefs_write - write @value into the instance's file @rel. Returns 0 or -pa_err. */
int pa_tracefs_write(struct pa_tracefs *t, const char *rel, const char *value);

/* pa_tracefs_open_pipe - open the instance's trace_pipe, non-blocking: an fd or -pa_err. */
int pa_tracefs_open_pipe(struct pa_tracefs *t);

/*
 * pa_tracefs_close - remove the instance (and unmount tracefs if we mounted it).
 * Returns 0 or a negated pa_err.
 */
int pa_tracefs_close(struct pa_tracefs *t);

/*
 * File helpers for small control files such as /proc/trace_page_access and sysctls:
 * pa_write_file writes @value with one write(); pa_read_file reads at most @size-1
 * bytes into @buf, NUL-terminated. Both return 0 or a negated pa_err, and fill @e
 * (NULL: not wanted) with it and "PATH: cause".
 */
int pa_write_file(const char *path, const char *value, struct pa_error *e);
int pa_read_file(const char *path, char *buf, size_t size, struct pa_error *e);

#endif

/* SPDX-License-Identifier: MIT */
#ifndef PAT_COLLECTOR_CHECK_H
#define PAT_COLLECTOR_CHECK_H

#include <stddef.h>
#include <stdint.h>

/*
 * Is this machine ready to trace? `pacollect --check` prints every item; `pacollect
 * CMD` runs the same checks first and stops at the first that fails. The checks only
 * read: files under /proc and /sys, the mount table, the output's directory.
 */
enum pa_check_status {
	PA_CHECK_OK,		/* ready */
	PA_CHECK_FAIL,		/* tracing cannot work until the fix is applied */
	PA_CHECK_NOTE,		/* a setting or a figure worth knowing; tracing works */
};

struct pa_check_item {
	const char *name;	/* kernel, privilege, tracefs, events, interval, ... */
	enum pa_check_status status;
	char detail[320];	/* what was found */
	char fix[320];		/* for PA_CHECK_FAIL: what to do; else empty */
};

/* What the checks look at: the machine, and what the run would ask of it. */
struct pa_check_env {
	const char *root;	/* prefix of every absolute path: "" normally, a test's tree */
	const char *output;	/* the database pacollect would write */
	int force;		/* -f: an existing output may be replaced */
	unsigned int buffer_kb;	/* ring buffer per CPU the run would ask for */
	unsigned int cpus;	/* CPUs with a ring buffer each */
	uint64_t interval_us;	/* --interval; 0: the kernel's */
	unsigned int sample_n;	/* --sample 1/N; 0: the kernel's */
};

#define PA_CHECK_MAX 10

/*
 * pa_check_run - runs every check of @env into @items (room for PA_CHECK_MAX) and
 * returns how many it filled; every item is set, whatever the others found.
 */
size_t pa_check_run(const struct pa_check_env *env, struct pa_check_item *items);

/* pa_check_ready - 1 when no item of @items[0..@n) failed, else 0. */
int pa_check_ready(const struct pa_check_item *items, size_t n);

#endif

/* SPDX-License-Identifier: MIT */
#ifndef PAT_COLLECTOR_LIVE_H
#define PAT_COLLECTOR_LIVE_H

#include <stdint.h>

/* What `pacollect [options] CMD ARGS...` was asked to do. */
struct pa_live_opts {
	char **argv;		/* the command and its arguments, NULL-terminated */
	const char *output;
	int force;
	int quiet;
	uint64_t interval_us;	/* 0: leave the kernel's setting */
	unsigned int sample_n;	/* --sample 1/N: trace 1 page in N; 0: the kernel's setting */
	unsigned int buffer_kb;	/* ring buffer per CPU; 0: the default */
};

#define PA_LIVE_BUFFER_KB 16384	/* ring buffer per CPU unless asked otherwise */

/*
 * pa_live_check - runs the readiness checks (check.h) for a run of @o and prints them:
 * with @all every item and a verdict on stdout (pacollect --check), else only the
 * items that failed, on stderr. Returns 0 when tracing can work, else 1.
 */
int pa_live_check(const struct pa_live_opts *o, int all);

/*
 * pa_live_run - trace the command on the patched kernel into o->output and return the
 * exit code pacollect should exit with: the command's own exit status (128 + signal
 * when it was killed), or 1 / 127 when tracing or starting it failed. Reports on stderr.
 */
int pa_live_run(const struct pa_live_opts *o);

#endif

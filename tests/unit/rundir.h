/* SPDX-License-Identifier: MIT */
#ifndef PAT_TEST_RUNDIR_H
#define PAT_TEST_RUNDIR_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A fresh directory under /tmp for a test's run database (path, not created yet). */
struct rundir {
	char dir[64];
	char path[128];
};

/* rundir_make - creates the directory of test @name. 0, or -1 when it cannot. */
static inline int rundir_make(struct rundir *r, const char *name)
{
	snprintf(r->dir, sizeof(r->dir), "/tmp/pat-test-%s-XXXXXX", name);
	if (!mkdtemp(r->dir))
		return -1;
	snprintf(r->path, sizeof(r->path), "%s/run.db", r->dir);
	return 0;
}

/* rundir_remove - removes the directory and all in it. 0, or -1 when it cannot. */
static inline int rundir_remove(const struct rundir *r)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", r->dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif

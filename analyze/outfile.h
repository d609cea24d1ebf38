/* SPDX-License-Identifier: MIT */
#ifndef PAT_ANALYZE_OUTFILE_H
#define PAT_ANALYZE_OUTFILE_H

#include <limits.h>
#include <stdio.h>

/*
 * A file a command writes (a picture, the report): complete or not at all. A regular
 * file (or a new one) is written beside its target and renamed over it once every
 * byte is out; a device, FIFO or socket (/dev/stdout, a pipe) is written in place,
 * since renaming over it would replace the node itself.
 */
struct pa_outfile {
	FILE *f;			/* where to write, between open and commit */
	const char *path;		/* as the user named it, for messages */
	char tmp[PATH_MAX + 32];	/* the temporary file, "" when written in place */
	char target[PATH_MAX];		/* what the temporary file is renamed to */
	int write_errno;		/* why a write failed, when the writer knew */
};

/*
 * pa_outfile_open - start writing @path. On failure prints "cannot write PATH: WHY"
 * (a directory, a missing parent, no permission, a read-only file system, an SQLite
 * database: a run is never replaced by output) and returns PA_EXIT_FAIL; else 0, and
 * the caller ends with pa_outfile_commit or _abort.
 */
int pa_outfile_open(struct pa_outfile *o, const char *path);

/*
 * pa_outfile_commit - finish the file: flush, sync and rename it into place. On any
 * failure (a write failed before, a full disk, a file too large) prints
 * "cannot write PATH: WHY", removes the temporary file and returns PA_EXIT_FAIL;
 * else 0.
 */
int pa_outfile_commit(struct pa_outfile *o);

/*
 * pa_outfile_write_failed - note errno as the reason a write to @o failed, for
 * pa_outfile_commit to fail with and name: stdio's error flag keeps no reason, and a
 * writer that goes around stdio (write(2) on fileno(o->f)) sets no flag at all.
 */
static inline void pa_outfile_write_failed(struct pa_outfile *o, int errnum)
{
	if (!o->write_errno)
		o->write_errno = errnum;
}

/* pa_outfile_abort - give up: close and remove the temporary file, print nothing. */
void pa_outfile_abort(struct pa_outfile *o);

#endif

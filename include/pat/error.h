/* SPDX-License-Identifier: MIT */
#ifndef PAT_ERROR_H
#define PAT_ERROR_H

/*
 * Error codes returned (negated) by every pat library function. Libraries never print:
 * they return one of these and, where an object exists, keep a message in it for the
 * program's main() to report.
 */
enum pa_err {
	PA_OK = 0,
	PA_ENOMEM = 1,	/* out of memory */
	PA_EIO = 2,	/* read or write failed (errno has more) */
	PA_EINVAL = 3,	/* bad argument */
	PA_ENOTDB = 4,	/* the file is not an SQLite database */
	PA_EFOREIGN = 5,	/* SQLite, but not a pat database */
	PA_EVERSION = 6,	/* a pat database of a format version we do not know */
	PA_ECORRUPT = 7,	/* damaged data (chunk fails to decode, bad values) */
	PA_ESQL = 8,	/* SQLite reported an error */
	PA_EEXIST = 9,	/* the output exists and overwriting was not asked for */
	PA_ENOENT = 10,	/* no such file */
	PA_ENOLIB = 11,	/* a shared library could not be loaded */
	PA_EPERM = 12,	/* not allowed (privilege) */
	PA_ENOSPC = 13,	/* no room left (a disk, a kernel list) */
};

/* pa_strerror - a static description of a pa_err code (positive or negated). */
const char *pa_strerror(int err);

/*
 * A pa_err code with its message, for functions that have no object of their own to
 * keep the message in (collector/'s file and tracefs helpers). The message names the
 * file or step and the cause, ready for main() to print; sys is the errno behind it
 * (0: none), for a caller that acts on one cause (a full list, a missing file).
 */
struct pa_error {
	int code;		/* negated pa_err */
	int sys;
	char msg[384];
};

/*
 * pa_error_errno - fill @e (NULL: nothing) for the failure @sys (an errno) of @what:
 * the pa_err code closest to @sys and the message "WHAT: strerror(sys)". Returns the
 * code (negated pa_err).
 */
int pa_error_errno(struct pa_error *e, int sys, const char *what);

#endif

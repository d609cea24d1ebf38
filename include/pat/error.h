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
};

/* pa_strerror - a static description of a pa_err code (positive or negated). */
const char *pa_strerror(int err);

#endif

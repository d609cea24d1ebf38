// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pat/error.h"

const char *pa_strerror(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case PA_OK:
		return "success";
	case PA_ENOMEM:
		return "out of memory";
	case PA_EIO:
		return "input/output error";
	case PA_EINVAL:
		return "invalid argument";
	case PA_ENOTDB:
		return "not an SQLite database";
	case PA_EFOREIGN:
		return "not a pat run database";
	case PA_EVERSION:
		return "unsupported pat database format version";
	case PA_ECORRUPT:
		return "database content is damaged";
	case PA_ESQL:
		return "SQLite error";
	case PA_EEXIST:
		return "file exists";
	case PA_ENOENT:
		return "no such file";
	case PA_ENOLIB:
		return "a shared library could not be loaded";
	case PA_EPERM:
		return "not allowed";
	case PA_ENOSPC:
		return "no room left";
	}
	return "unknown error";
}

/* The pa_err code closest to errno @sys. */
static int from_errno(int sys)
{
	switch (sys) {
	case ENOMEM:
		return PA_ENOMEM;
	case EINVAL:
		return PA_EINVAL;
	case EEXIST:
		return PA_EEXIST;
	case ENOENT:
		return PA_ENOENT;
	case EACCES:
	case EPERM:
		return PA_EPERM;
	case ENOSPC:
		return PA_ENOSPC;
	default:
		return PA_EIO;
	}
}

int pa_error_errno(struct pa_error *e, int sys, const char *what)
{
	int code = -from_errno(sys);

	if (e) {
		e->code = code;
		e->sys = sys;
		snprintf(e->msg, sizeof(e->msg), "%s: %s", what, strerror(sys));
	}
	return code;
}

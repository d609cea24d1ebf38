// SPDX-License-Identifier: MIT
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
	}
	return "unknown error";
}

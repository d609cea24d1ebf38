// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pat/error.h"
#include "rundb.h"

struct pa_store *pa_run_open(const char *path)
{
	struct pa_store *st;

	if (pa_store_open(path, &st) == 0)
		return st;
	pa_cli_error("%s", pa_store_errmsg(st));
	pa_store_close(st);
	return NULL;
}

int pa_run_error(struct pa_store *st, const char *db, int err)
{
	const char *msg = pa_store_errmsg(st);

	if (err == -PA_ENOMEM)
		return pa_cli_error("out of memory");
	if (msg[0])
		return pa_cli_error("%s", msg);
	return pa_cli_error("%s: %s", db, pa_strerror(err));
}

int pa_run_page_shift(struct pa_store *st, unsigned int *shift)
{
	int64_t size;
	int err = pa_store_page_size(st, &size);

	if (err)
		return err;
	*shift = 0;
	while ((1ll << *shift) < size)
		(*shift)++;
	return 0;
}

const char *pa_run_map_label(const char *path, const char *reason)
{
	if (path && *path)
		return path;
	if (reason && strcmp(reason, "brk") == 0)
		return "[heap]";
	return "[anon]";
}

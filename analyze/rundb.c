// SPDX-License-Identifier: MIT
#include <stdio.h>

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

int pa_run_t0(struct pa_store *st, uint64_t *t0)
{
	int64_t v = 0;
	int err = pa_store_query_int(st,
		"SELECT coalesce((SELECT min(time_ns) FROM markers WHERE kind = 'START'), "
		"(SELECT min(first_ns) FROM chunks), 0)", &v);

	if (!err)
		*t0 = (uint64_t)v;
	return err;
}

int pa_run_page_shift(struct pa_store *st, unsigned int *shift)
{
	int64_t size = 4096;
	int err = pa_store_get_meta_int(st, "page_size", &size);

	if (err < 0)
		return err;
	if (size <= 0 || (size & (size - 1)))
		return -PA_ECORRUPT;
	*shift = 0;
	while ((1ll << *shift) < size)
		(*shift)++;
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * Fuzz target: any bytes as trace text, imported end to end into a new database (in
 * pieces of varying size, as pacollect reads them), which must then open and read back
 * exactly the events the importer counted, and check clean.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "import.h"
#include "pat/event.h"
#include "pat/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore_line(void *ctx, uint64_t lineno, const char *reason, const char *text,
			size_t len)
{
	(void)ctx;
	(void)lineno;
	(void)reason;
	(void)text;
	(void)len;
}

static void ignore(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	struct pa_store *st;
	struct pa_import *im;
	struct pa_check res;
	uint64_t events;
	size_t at = 0, step = 1 + (size ? data[0] % 61 : 0);
	int err;

	snprintf(path, sizeof(path), "/dev/shm/pat-fuzz-import-%ld.db", (long)getpid());
	pa_store_remove(path);
	if (pa_store_create(path, &st))
		abort();
	im = pa_import_new(st, ignore_line, NULL);
	if (!im)
		abort();
	for (err = 0; !err && at < size; at += step)
		err = pa_import_feed(im, (const char *)data + at, size - at < step ? size - at : step);
	if (!err)
		err = pa_import_finish(im);
	if (!err)
		err = pa_store_finish(st);
	events = pa_import_stats(im)->events;
	pa_import_free(im);
	if (pa_store_close(st) || err)
		abort();	/* any text imports: malformed lines are skipped, not fatal */
	if (pa_store_open(path, &st))
		abort();
	if (pa_store_check(st, NULL, ignore, NULL, &res) || res.problems || res.events != events)
		abort();
	pa_store_close(st);
	pa_store_remove(path);
	return 0;
}

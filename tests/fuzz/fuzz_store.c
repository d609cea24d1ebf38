// SPDX-License-Identifier: MIT
/*
 * Fuzz target: any bytes as a run database file (the corpus: small real databases, so
 * that mutations land in the schema, the meta, tasks and chunk rows, and the pages).
 * Opening, reading every chunk and pa_store_check must refuse or read, never crash,
 * hang or leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pat/error.h"
#include "pat/format.h"
#include "pat/event.h"
#include "pat/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	struct pa_store *st;
	struct pa_chunk_iter *it;
	struct pa_check res;
	struct pa_batch b;
	FILE *f;

	snprintf(path, sizeof(path), "/dev/shm/pat-fuzz-store-%ld.db", (long)getpid());
	f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	if (pa_store_open(path, &st) == 0 && pa_batch_init(&b, 0) == 0) {
		if (pa_store_chunks_begin(st, &it) == 0) {
			int rc;

			while ((rc = pa_store_chunks_next(it, &b, NULL)) > 0)
				if (b.n == 0 || b.n > PA_CHUNK_MAX_EVENTS)
					abort();
			pa_store_chunks_end(it);
		}
		pa_store_check(st, NULL, ignore, NULL, &res);
		pa_batch_free(&b);
	}
	pa_store_close(st);
	unlink(path);
	return 0;
}

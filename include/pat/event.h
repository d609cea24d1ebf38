/* SPDX-License-Identifier: MIT */
#ifndef PAT_EVENT_H
#define PAT_EVENT_H

#include <stddef.h>
#include <stdint.h>

/* Bits of pa_batch.flags[i]. */
#define PA_EV_WRITE 0x01	/* the access was a write (else a read) */
#define PA_EV_DEMAND 0x02	/* a demand fault (first touch, swap-in), not a reset fault */

/*
 * A batch of page-access events in columns: the unit the importer fills, the chunk
 * codec encodes and decodes, and the analyses loop over. Times are nanoseconds of the
 * trace clock; tid is the faulting thread, tgid its process.
 */
struct pa_batch {
	size_t n;
	size_t cap;
	uint64_t *time_ns;
	uint64_t *ip;
	uint64_t *addr;
	uint64_t *aux;
	uint32_t *tid;
	uint32_t *tgid;
	uint8_t *flags;
};

/* pa_batch_init - make an empty batch with room for @cap events. Returns 0 or -PA_ENOMEM. */
int pa_batch_init(struct pa_batch *b, size_t cap);

/* pa_batch_reserve - grow @b so it holds at least @cap events. Returns 0 or -PA_ENOMEM. */
int pa_batch_reserve(struct pa_batch *b, size_t cap);

/* pa_batch_free - release the columns of @b (not @b itself). */
void pa_batch_free(struct pa_batch *b);

#endif

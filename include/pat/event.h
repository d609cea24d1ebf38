/* SPDX-License-Identifier: MIT */
#ifndef PAT_EVENT_H
#define PAT_EVENT_H

#include <stddef.h>
#include <stdint.h>

/* Bits of pa_batch.flags[i]. */
#define PA_EV_WRITE 0x01	/* the access was a write (else a read) */
#define PA_EV_DEMAND 0x02	/* a demand fault (first touch, swap-in), not a reset fault */

/*
 * The event columns, described once. Each X-macro row is expanded where a list of the
 * columns is needed (the batch below, its allocation, the filter's copy, the export
 * writers and their tests), so that a column is added in one place.
 *
 * PA_BATCH_COLUMNS(X): X(name, type, codec) for each column of struct pa_batch, in
 * memory order: name is the member, type its element type, codec the PA_COL_* bit
 * (pat/chunk.h) under which the chunk codec decodes it.
 */
#define PA_BATCH_COLUMNS(X)			\
	X(time_ns, uint64_t, PA_COL_TIME)	\
	X(ip, uint64_t, PA_COL_IP)		\
	X(addr, uint64_t, PA_COL_ADDR)		\
	X(aux, uint64_t, PA_COL_AUX)		\
	X(tid, uint32_t, PA_COL_TID)		\
	X(tgid, uint32_t, PA_COL_TGID)		\
	X(flags, uint8_t, PA_COL_FLAGS)

/*
 * PA_EVENT_FIELDS(X): X(key, kind, column) for each field of an event as users see it,
 * in output order: key is the export's CSV header and JSON key, and the column name a
 * SQL view of the events will use; column the batch column it is computed from; kind
 * how it is computed and written:
 *   TIME   time from the run start, microseconds with 3 decimals
 *   U64    the column's value, decimal
 *   HEX    the column's value, "0x..." (a string in JSON)
 *   PAGE   the column's value / page size, decimal
 *   RW     "R" or "W" from PA_EV_WRITE
 *   FAULT  "reset" or "demand" from PA_EV_DEMAND
 */
#define PA_EVENT_FIELDS(X)		\
	X(time_us, TIME, time_ns)	\
	X(pid, U64, tgid)		\
	X(tid, U64, tid)		\
	X(rw, RW, flags)		\
	X(ip, HEX, ip)			\
	X(addr, HEX, addr)		\
	X(page, PAGE, addr)		\
	X(aux, U64, aux)		\
	X(fault, FAULT, flags)

/*
 * A batch of page-access events in columns: the unit the importer fills, the chunk
 * codec encodes and decodes, and the analyses loop over. Times are nanoseconds of the
 * trace clock; tid is the faulting thread, tgid its process.
 */
struct pa_batch {
	size_t n;
	size_t cap;
#define PA_BATCH_MEMBER(name, type, codec) type *name;
	PA_BATCH_COLUMNS(PA_BATCH_MEMBER)
#undef PA_BATCH_MEMBER
};

/* pa_batch_init - make an empty batch with room for @cap events. Returns 0 or -PA_ENOMEM. */
int pa_batch_init(struct pa_batch *b, size_t cap);

/* pa_batch_reserve - grow @b so it holds at least @cap events. Returns 0 or -PA_ENOMEM. */
int pa_batch_reserve(struct pa_batch *b, size_t cap);

/* pa_batch_free - release the columns of @b (not @b itself). */
void pa_batch_free(struct pa_batch *b);

#endif

/* SPDX-License-Identifier: MIT */
#ifndef PAT_CHUNK_H
#define PAT_CHUNK_H

#include <stddef.h>
#include <stdint.h>

#include "pat/event.h"

/*
 * The event-chunk codec: a run of events <-> one compressed, column-encoded blob.
 * A codec object holds the reusable scratch state (hash table, column buffers, zstd
 * contexts) so that encoding and decoding allocate nothing per chunk once warm.
 * The blob layout is described in schema/chunk.c and versioned by PA_FORMAT_VERSION.
 */
struct pa_codec;

/* pa_codec_new - a codec compressing at zstd @level. Returns NULL when out of memory. */
struct pa_codec *pa_codec_new(int level);

/* pa_codec_free - release @c and everything it owns; NULL is allowed. */
void pa_codec_free(struct pa_codec *c);

/*
 * pa_chunk_encode - encode events [@first, @first + @n) of @b (1 <= @n <=
 * PA_CHUNK_MAX_EVENTS). On success returns 0 and points *@blob at *@len bytes owned by
 * @c, valid until the next call on @c. Returns -PA_EINVAL or -PA_ENOMEM on failure.
 */
int pa_chunk_encode(struct pa_codec *c, const struct pa_batch *b, size_t first, size_t n,
		    const void **blob, size_t *len);

/*
 * pa_chunk_decode - decode a blob into @out, replacing its contents (out->n is set to
 * the number of events). @blob is untrusted: returns -PA_ECORRUPT for any blob not
 * produced by pa_chunk_encode, -PA_ENOMEM when out of memory, else 0.
 */
int pa_chunk_decode(struct pa_codec *c, const void *blob, size_t len, struct pa_batch *out);

/* Columns for pa_chunk_decode_cols. */
#define PA_COL_TIME 0x01u
#define PA_COL_TID 0x02u
#define PA_COL_TGID 0x04u
#define PA_COL_FLAGS 0x08u
#define PA_COL_IP 0x10u
#define PA_COL_ADDR 0x20u
#define PA_COL_AUX 0x40u
#define PA_COL_ALL 0x7fu
/*
 * Only the page of each address, addr with its low 12 bits zero: for readers of pages
 * of 4096 bytes or more, which then skip the offsets' column. PA_COL_ADDR gives more.
 */
#define PA_COL_PAGE 0x80u

/*
 * pa_chunk_decode_cols - the same, but only the columns in @cols (PA_COL_*) are filled
 * and checked; the others hold anything. Columns not asked for are not decompressed
 * (codec V2; a V1 blob is decoded whole), which is what makes a reader of a few
 * columns fast.
 */
int pa_chunk_decode_cols(struct pa_codec *c, const void *blob, size_t len, unsigned int cols,
			 struct pa_batch *out);

/*
 * pa_chunk_open - start decoding a blob in pieces: its frames and header are checked
 * (a codec 3 blob's frames against their checksums) and the columns in @cols (PA_COL_*) decompressed into @c, so that the blob may be
 * reused at once. Returns the number of events (> 0), -PA_ECORRUPT or -PA_ENOMEM.
 * pa_chunk_read then hands out the events, until the next open, decode or encode on
 * @c (they reuse its buffers).
 */
int64_t pa_chunk_open(struct pa_codec *c, const void *blob, size_t len, unsigned int cols);

/*
 * pa_chunk_read - the next at most @max (>= 1) events of the chunk open on @c into
 * @out, from index 0 (out->n set; the columns not asked for hold anything). Pieces of
 * a few thousand events stay in the cache while they are used, where a whole chunk
 * would not. Returns how many (> 0); 0 when the chunk is done or none is open;
 * -PA_ECORRUPT when the blob turns out damaged, which ends the chunk; -PA_ENOMEM.
 * Every value handed out is in range; trailing bytes are found with the last piece.
 */
int pa_chunk_read(struct pa_codec *c, struct pa_batch *out, size_t max);

/* What a chunk's row in the database says of it, for pa_chunk_check. */
struct pa_chunk_meta {
	uint64_t events;
	uint64_t first_ns;	/* the earliest time of its events */
	uint64_t last_ns;	/* the latest */
	int checksums;		/* the chunk must carry checksums (codec 3) */
};

/*
 * pa_chunk_check - compare the chunk just opened on @c (pa_chunk_open) with what its
 * row says, @m: the number of events, the codec, and the time range, which a codec 3
 * header holds; the times decoded must then span exactly that range, checked when the
 * last piece with times is read (for a codec 1 blob, decoded whole at open, at once).
 * Returns 0 or -PA_ECORRUPT (pa_chunk_errmsg says why), which closes the chunk.
 */
int pa_chunk_check(struct pa_codec *c, const struct pa_chunk_meta *m);

/* pa_chunk_codec - the codec byte (PA_CHUNK_CODEC_*) of the chunk last opened on @c. */
int pa_chunk_codec(const struct pa_codec *c);

/*
 * Where the bytes of a chunk go, for pa_chunk_stored: the header frame with the prefix
 * (counts, times, the ip dictionary, and the columns small enough to be kept inline or
 * constant), then the frames of each column on disk (time, tid, tgid, sym, page,
 * offset, aux: schema/chunk.c). pa_chunk_part_names[] names them.
 */
#define PA_CHUNK_PARTS 8
extern const char *const pa_chunk_part_names[PA_CHUNK_PARTS];

/*
 * pa_chunk_stored - the bytes of each part (above) of the chunk open on @c (codec 2 or
 * 3, opened with any columns) into @bytes; they add up to the blob's length. Returns 0,
 * or -PA_EINVAL when no such chunk is open.
 */
int pa_chunk_stored(const struct pa_codec *c, uint64_t bytes[PA_CHUNK_PARTS]);

/*
 * pa_chunk_errmsg - why the last pa_chunk_open, pa_chunk_check or pa_chunk_read on @c
 * returned -PA_ECORRUPT: a static string such as "checksum mismatch".
 */
const char *pa_chunk_errmsg(const struct pa_codec *c);

#endif

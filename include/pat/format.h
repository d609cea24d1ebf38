/* SPDX-License-Identifier: MIT */
#ifndef PAT_FORMAT_H
#define PAT_FORMAT_H

/*
 * On-disk constants of the run database. These are fixed values of the file format,
 * named and versioned apart from the in-memory types (struct pa_batch): changing the
 * meaning of any of them means a new PA_FORMAT_VERSION, and readers refuse versions
 * they do not know.
 */

/* PRAGMA application_id of every pat database: 'PAT1' */
#define PA_APPLICATION_ID 0x50415431

/*
 * PRAGMA user_version: the version of schema/schema.sql and of the chunk blob layout.
 * It says which chunk codecs a database may hold (the codec byte of each blob):
 *   1  codecs 1 and 2, without checksums (read only)
 *   2  codec 3 only: every zstd frame of a chunk carries its content checksum, and the
 *      header holds the chunk's first and last time
 *   3  as 2, and meta sample_shift: the trace holds 1 page in 2^sample_shift
 *      (kernel sampling); analyses scale their estimates by it (written since)
 * Readers take every version from PA_FORMAT_VERSION_MIN up and refuse newer ones.
 */
#define PA_FORMAT_VERSION 3
#define PA_FORMAT_VERSION_MIN 1
/* Largest meta sample_shift a reader takes (as trace_parse.h's PA_SAMPLE_SHIFT_MAX). */
#define PA_DISK_SAMPLE_SHIFT_MAX 31
/* The first format version whose chunks all carry checksums. */
#define PA_FORMAT_VERSION_CHECKSUMS 2

/* Chunk blob: 2 magic bytes, codec byte, then zstd frames of the column payload. */
#define PA_CHUNK_MAGIC0 'P'
#define PA_CHUNK_MAGIC1 'C'
#define PA_CHUNK_CODEC_V1 1	/* read only */
#define PA_CHUNK_CODEC_V2 2	/* read only */
#define PA_CHUNK_CODEC_V3 3	/* V2 with checksums and a time range; schema/chunk.c */

/* Limits a decoder enforces on untrusted blobs. */
#define PA_CHUNK_MAX_EVENTS (1u << 20)
#define PA_CHUNK_MAX_RAW ((size_t)PA_CHUNK_MAX_EVENTS * 64)

/* Events per chunk written by pacollect: large enough for zstd, small enough to stream. */
#define PA_CHUNK_EVENTS 65536

/* Bits of the on-disk flags column (same values as PA_EV_* in event.h by design). */
#define PA_DISK_WRITE 0x01
#define PA_DISK_DEMAND 0x02

#endif

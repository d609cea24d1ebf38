// SPDX-License-Identifier: MIT
/*
 * Event-chunk codec.
 *
 * Blob = 'P' 'C' codec byte, then zstd frames (each with its content size). The encoder
 * writes PA_CHUNK_CODEC_V3; the decoder reads V1, V2 and V3.
 *
 * V3 is V2 with two changes. Every zstd frame carries its content checksum (the low 32
 * bits of XXH64, zstd's ZSTD_c_checksumFlag), which the decoder requires and zstd
 * checks as it decompresses: every byte that decides a value is in a frame (the header
 * with the inline columns, the planes), and what is outside (the prefix, the frames'
 * lengths) decides only where the frames are, which a damage turns into frames that
 * do not parse or do not end where the blob does. And the header holds the chunk's
 * time range after base_ns (below), which the reader compares with the chunk's row and
 * with the times it decodes.
 *
 * V2: after the prefix, one or more "varint length, zstd frame": first the header, then
 * the byte planes of the columns of mode 1 below, in column order, and nothing else.
 * Each plane compressing alone gets its own entropy tables: that is most of what V2
 * gains. The header frame holds:
 *
 *   varint n            events in the chunk, 1..PA_CHUNK_MAX_EVENTS
 *   varint tick_ns      1, or 1000 when every time is a whole microsecond after base
 *   varint base_ns      time of the first event
 *   V3 only:
 *   varint base_ns - first_ns   the earliest time of the chunk
 *   varint last_ns - base_ns    the latest
 *   varint nips         distinct instruction pointers, in order of first use
 *   nips x varint       zigzag(ip - previous ip in the dictionary), from 0
 *   7 columns, each a mode byte then
 *     mode 0 (constant) one varint: the value of all n events
 *     mode 1 (planes)   one byte w, 1..8: the next w frames hold n bytes each, frame j
 *                       byte j (little endian) of every value
 *     mode 2 (inline)   varint length, then that many bytes holding the n values as
 *                       varints (the encoder inlines columns under INLINE_MAX bytes)
 *   holding per event:
 *     time   zigzag((t[i] - t[i-1]) / tick), t[-1] = base
 *     tid    zigzag(tid - previous tid), from 0
 *     tgid   zigzag(tgid - previous tgid), from 0
 *     sym    dictionary index * 4 + flags (PA_DISK_WRITE | PA_DISK_DEMAND)
 *     page   zigzag(addr / 4096 - predicted page)
 *     offset (addr % 4096 - predicted offset) mod 4096
 *     aux    zigzag(aux - previous aux), from 0
 *   The prediction of page and offset is the last address this ip touched, or for an
 *   ip's first event the previous event's address (0 before the first event).
 *
 * V1 (read only): after the prefix, one zstd frame of the same header fields up to the
 * dictionary, then 7 sections "varint length, bytes" of n values each: time, tid, tgid
 * as in V2; flags, one byte each; ip, the varint index; addr, zigzag(addr - the same
 * prediction as V2's); aux as in V2.
 *
 * Columns apart compress far better than rows; predicting an address from its ip turns
 * strided loops into runs of equal deltas that zstd all but removes; page and offset
 * apart, and the ip index with the flags in one symbol, give the entropy stage bytes of
 * one kind each; constant columns cost one varint and decode without reading n varints.
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "pat/chunk.h"
#include "pat/error.h"
#include "pat/format.h"
#include "varint.h"

#define NSECTIONS 7
#define NCOLUMNS 7
#define PREFIX 3
#define PAGE_SHIFT 12
#define OFFSET_MASK 4095u

enum { COL_CONST = 0, COL_PLANES = 1, COL_INLINE = 2 };
/* Frames of column planes a blob may have: 8 bytes per value, every column. */
#define MAX_PLANES (8 * NCOLUMNS)
/* Columns of fewer varint bytes are kept in the header frame. */
#define INLINE_MAX 1024
enum { C_TIME, C_TID, C_TGID, C_SYM, C_PAGE, C_OFFSET, C_AUX };
/* The PA_COL_* for which each V2 column is decoded. */
#define SYM_COLS (PA_COL_IP | PA_COL_FLAGS | PA_COL_ADDR | PA_COL_PAGE)
static const unsigned int column_for[NCOLUMNS] = {
	[C_TIME] = PA_COL_TIME, [C_TID] = PA_COL_TID, [C_TGID] = PA_COL_TGID,
	[C_SYM] = SYM_COLS, [C_PAGE] = PA_COL_ADDR | PA_COL_PAGE, [C_OFFSET] = PA_COL_ADDR,
	[C_AUX] = PA_COL_AUX,
};

struct ipslot {
	uint64_t ip;
	uint32_t idx;
	uint32_t gen;
};

struct reader {
	const uint8_t *p;
	const uint8_t *end;
};

/* One V2 column, opened: where its values come from. */
struct column {
	int mode;
	uint64_t k;		/* COL_CONST: the value of every event */
	const uint8_t *pl[8];	/* COL_PLANES: the planes, pl[j][i] byte j of value i */
	unsigned int w;
	struct reader s;	/* COL_INLINE: the varints not yet read */
	size_t stored;		/* COL_PLANES: bytes of its frames in the blob */
};

/* What the V2 decoder carries from one block to the next. */
struct v2state {
	uint64_t time, tid, tgid, aux;	/* the previous values */
	uint64_t seen;			/* ip indices used so far */
	uint64_t page, off;		/* the previous event's page and offset */
	uint64_t lo, hi;		/* the earliest and latest time decoded */
};

enum { CHUNK_NONE, CHUNK_V1, CHUNK_V2 };

/* The chunk opened by pa_chunk_open, read by pa_chunk_read. */
struct opened {
	int kind;		/* CHUNK_*: NONE when there is nothing (more) to read */
	int codec;		/* PA_CHUNK_CODEC_* */
	unsigned int cols;
	uint64_t n;		/* events */
	uint64_t i;		/* events read */
	uint64_t tick, nips;
	int has_range;		/* the decoded times must span [first, last] */
	uint64_t first, last;
	size_t len;		/* bytes of the blob */
	struct column col[NCOLUMNS];	/* V2: in c->raw */
	struct v2state st;
	struct pa_batch v1;	/* V1: the chunk decoded whole at open */
};

struct pa_codec {
	int level;
	ZSTD_CCtx *cctx;
	ZSTD_DCtx *dctx;
	/* ip -> dictionary index, cleared by bumping gen instead of memset */
	struct ipslot *slots;
	size_t nslots;
	uint32_t gen;
	uint64_t *dict;		/* ips by index */
	uint64_t *last_addr;	/* by ip index: the prediction of its address, or page */
	uint64_t *last_off;	/* by ip index: the prediction of its offset (decoder) */
	uint32_t *ipidx;	/* per event */
	uint64_t *vals;		/* per event: one column's values */
	size_t dict_cap;
	size_t ev_cap;
	uint8_t *raw;
	size_t raw_cap;
	uint8_t *out;
	size_t out_cap;
	struct opened cur;
	const char *why;	/* of the last -PA_ECORRUPT, NULL: "does not decode" */
};

struct pa_codec *pa_codec_new(int level)
{
	struct pa_codec *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->level = level;
	c->cctx = ZSTD_createCCtx();
	c->dctx = ZSTD_createDCtx();
	if (!c->cctx || !c->dctx ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(c->cctx, ZSTD_c_compressionLevel, level)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(c->cctx, ZSTD_c_checksumFlag, 1))) {
		pa_codec_free(c);
		return NULL;
	}
	return c;
}

void pa_codec_free(struct pa_codec *c)
{
	if (!c)
		return;
	ZSTD_freeCCtx(c->cctx);
	ZSTD_freeDCtx(c->dctx);
	free(c->slots);
	free(c->dict);
	free(c->last_addr);
	free(c->last_off);
	free(c->ipidx);
	free(c->vals);
	free(c->raw);
	free(c->out);
	pa_batch_free(&c->cur.v1);
	free(c);
}

static int ensure(void **p, size_t *cap, size_t need, size_t size)
{
	void *q;

	if (need <= *cap)
		return 0;
	q = realloc(*p, need * size);
	if (!q)
		return -PA_ENOMEM;
	*p = q;
	*cap = need;
	return 0;
}

/* Room for per-ip and per-event scratch arrays of @n entries. */
static int ensure_scratch(struct pa_codec *c, size_t n)
{
	size_t dcap = c->dict_cap, ecap = c->ev_cap;

	if (ensure((void **)&c->dict, &dcap, n, sizeof(*c->dict)))
		return -PA_ENOMEM;
	dcap = c->dict_cap;
	if (ensure((void **)&c->last_addr, &dcap, n, sizeof(*c->last_addr)))
		return -PA_ENOMEM;
	dcap = c->dict_cap;
	if (ensure((void **)&c->last_off, &dcap, n, sizeof(*c->last_off)))
		return -PA_ENOMEM;
	c->dict_cap = dcap;
	if (ensure((void **)&c->ipidx, &ecap, n, sizeof(*c->ipidx)))
		return -PA_ENOMEM;
	ecap = c->ev_cap;
	if (ensure((void **)&c->vals, &ecap, n, sizeof(*c->vals)))
		return -PA_ENOMEM;
	c->ev_cap = ecap;
	return 0;
}

static inline size_t ip_hash(uint64_t ip, size_t mask)
{
	return (size_t)((ip * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

/* Fills c->ipidx and c->dict for @n events from @ips; returns the dictionary size. */
static size_t build_dict(struct pa_codec *c, const uint64_t *ips, size_t n)
{
	size_t mask = c->nslots - 1, nips = 0;

	if (++c->gen == 0) {
		memset(c->slots, 0, c->nslots * sizeof(*c->slots));
		c->gen = 1;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t ip = ips[i];
		size_t h = ip_hash(ip, mask);

		while (c->slots[h].gen == c->gen && c->slots[h].ip != ip)
			h = (h + 1) & mask;
		if (c->slots[h].gen != c->gen) {
			c->slots[h].gen = c->gen;
			c->slots[h].ip = ip;
			c->slots[h].idx = (uint32_t)nips;
			c->dict[nips++] = ip;
		}
		c->ipidx[i] = c->slots[h].idx;
	}
	return nips;
}

static int ensure_slots(struct pa_codec *c, size_t n)
{
	size_t want = 16;

	while (want < 2 * n)
		want <<= 1;
	if (want <= c->nslots)
		return 0;
	free(c->slots);
	c->slots = calloc(want, sizeof(*c->slots));
	if (!c->slots) {
		c->nslots = 0;
		return -PA_ENOMEM;
	}
	c->nslots = want;
	c->gen = 0;
	return 0;
}

/*
 * The address prediction of the codec, replayed by the encoder on addresses, by the V2
 * decoder on pages and on offsets apart, by the V1 decoder on addresses: an event is
 * predicted by the last event of its ip, or, at its ip's first event, by the event
 * before it (0 before the first). Dictionary indices appear in order of first use, so
 * an ip's first event is the one whose index is the number of ips seen so far.
 */
struct ip_replay {
	uint64_t *last;		/* by ip index: the value of its last event */
	uint64_t seen;		/* ip indices used so far */
	uint64_t prev;		/* the value of the event before */
};

/* The prediction for the next event, of ip index @k (<= r->seen: the caller checks). */
static inline __attribute__((always_inline)) uint64_t replay_predict(struct ip_replay *r,
								      uint32_t k)
{
	if (k == r->seen) {
		r->last[k] = r->prev;
		r->seen++;
	}
	return r->last[k];
}

/* The event of ip index @k had value @v, which predicts the events after it. */
static inline __attribute__((always_inline)) void replay_update(struct ip_replay *r,
								 uint32_t k, uint64_t v)
{
	r->last[k] = v;
	r->prev = v;
}

/*
 * The encoder's state for one chunk: the header is written at raw[0..), the columns
 * one after another from raw + cols; a constant column only sets its mode in the header.
 */
struct colbuf {
	uint8_t *hdr;		/* end of the header so far */
	uint8_t *col;		/* end of the column bytes so far */
	uint8_t *start[MAX_PLANES];
	size_t len[MAX_PLANES];
	int nplanes;
};

/*
 * Byte j of v[i] to dst[j * n + i], for j < @w, a constant: one pass over v. The
 * planes are named apart and restrict, so that the compiler vectorizes the loop.
 */
static inline __attribute__((always_inline)) void split_w(uint8_t *dst,
							   const uint64_t *restrict v,
							   unsigned int w, size_t n)
{
	uint8_t *restrict p0 = dst, *restrict p1 = dst + (w > 1 ? 1 : 0) * n;
	uint8_t *restrict p2 = dst + (w > 2 ? 2 : 0) * n, *restrict p3 = dst + (w > 3 ? 3 : 0) * n;
	uint8_t *restrict p4 = dst + (w > 4 ? 4 : 0) * n, *restrict p5 = dst + (w > 5 ? 5 : 0) * n;
	uint8_t *restrict p6 = dst + (w > 6 ? 6 : 0) * n, *restrict p7 = dst + (w > 7 ? 7 : 0) * n;

	for (size_t i = 0; i < n; i++) {
		uint64_t x = v[i];

		p0[i] = (uint8_t)x;
		if (w > 1)
			p1[i] = (uint8_t)(x >> 8);
		if (w > 2)
			p2[i] = (uint8_t)(x >> 16);
		if (w > 3)
			p3[i] = (uint8_t)(x >> 24);
		if (w > 4)
			p4[i] = (uint8_t)(x >> 32);
		if (w > 5)
			p5[i] = (uint8_t)(x >> 40);
		if (w > 6)
			p6[i] = (uint8_t)(x >> 48);
		if (w > 7)
			p7[i] = (uint8_t)(x >> 56);
	}
}

/* split_w with @w (1..8) known to the compiler in each case. */
static void split_planes(uint8_t *dst, const uint64_t *v, unsigned int w, size_t n)
{
	switch (w) {
	case 1: split_w(dst, v, 1, n); break;
	case 2: split_w(dst, v, 2, n); break;
	case 3: split_w(dst, v, 3, n); break;
	case 4: split_w(dst, v, 4, n); break;
	case 5: split_w(dst, v, 5, n); break;
	case 6: split_w(dst, v, 6, n); break;
	case 7: split_w(dst, v, 7, n); break;
	default: split_w(dst, v, 8, n); break;
	}
}

/*
 * Adds column @v[0..n): constant when all values are equal; inline varints when they
 * are few bytes; else byte planes, plane j holding byte j of every value, as many
 * planes as the largest value needs, each compressed alone (a plane's bytes are of one
 * kind: what zstd's entropy stage needs; and decoding them has no serial dependency).
 */
static void put_column(struct colbuf *cb, const uint64_t *v, size_t n)
{
	uint64_t max = v[0];
	size_t i, vlen = 0;
	unsigned int w = 1;

	for (i = 1; i < n && v[i] == v[0]; i++)
		;
	if (i == n) {
		*cb->hdr++ = COL_CONST;
		cb->hdr = pa_put_varint(cb->hdr, v[0]);
		return;
	}
	for (i = 0; i < n; i++)
		max |= v[i];
	for (i = 0; n < INLINE_MAX && i < n; i++)	/* a value takes at least a byte */
		vlen += v[i] < 0x80 ? 1 : (size_t)(pa_put_varint(cb->col, v[i]) - cb->col);
	if (n < INLINE_MAX && vlen < INLINE_MAX) {
		/* too small to pay for frames of its own */
		*cb->hdr++ = COL_INLINE;
		cb->hdr = pa_put_varint(cb->hdr, vlen);
		for (i = 0; i < n; i++)
			cb->hdr = pa_put_varint(cb->hdr, v[i]);
		return;
	}
	while (w < 8 && (max >> (8 * w)))
		w++;
	*cb->hdr++ = COL_PLANES;
	*cb->hdr++ = (uint8_t)w;
	for (unsigned int j = 0; j < w; j++) {
		cb->start[cb->nplanes] = cb->col + j * n;
		cb->len[cb->nplanes++] = n;
	}
	split_planes(cb->col, v, w, n);
	cb->col += w * n;
}

/* Appends "varint length, zstd frame of @src" at @dst; NULL when zstd fails. */
static uint8_t *put_frame(struct pa_codec *c, uint8_t *dst, size_t room, const uint8_t *src,
			  size_t len)
{
	uint8_t tmp[10];
	size_t z = ZSTD_compress2(c->cctx, dst + 10, room - 10, src, len);
	size_t hl;

	if (ZSTD_isError(z))
		return NULL;
	hl = (size_t)(pa_put_varint(tmp, z) - tmp);
	memmove(dst + hl, dst + 10, z);
	memcpy(dst, tmp, hl);
	return dst + hl + z;
}

/*
 * The header of a chunk of @n events at @t with the @nips ips of c->dict: count, tick,
 * base and (V3) the time range, then the dictionary. Returns the tick.
 */
static uint64_t put_header(struct pa_codec *c, struct colbuf *cb, const uint64_t *t, size_t n,
			   size_t nips)
{
	uint64_t tick = 1000, prev = 0, lo = t[0], hi = t[0];

	for (size_t i = 1; i < n; i++) {
		if ((int64_t)(t[i] - t[0]) % 1000 != 0)
			tick = 1;
		lo = t[i] < lo ? t[i] : lo;
		hi = t[i] > hi ? t[i] : hi;
	}
	cb->hdr = pa_put_varint(cb->hdr, n);
	cb->hdr = pa_put_varint(cb->hdr, tick);
	cb->hdr = pa_put_varint(cb->hdr, t[0]);
	cb->hdr = pa_put_varint(cb->hdr, t[0] - lo);
	cb->hdr = pa_put_varint(cb->hdr, hi - t[0]);
	cb->hdr = pa_put_varint(cb->hdr, nips);
	for (size_t i = 0; i < nips; i++) {
		cb->hdr = pa_put_varint(cb->hdr, pa_zigzag(c->dict[i] - prev));
		prev = c->dict[i];
	}
	return tick;
}

/* A column of zigzag deltas of 32-bit @x[0..n), from 0, through @v. */
static void put_deltas32(struct colbuf *cb, uint64_t *v, const uint32_t *x, size_t n)
{
	uint64_t prev = 0;

	for (size_t i = 0; i < n; i++) {
		v[i] = pa_zigzag((uint64_t)x[i] - prev);
		prev = x[i];
	}
	put_column(cb, v, n);
}

/*
 * The page and offset columns of addresses @addr[0..n) of the ips c->ipidx, each
 * predicted by the address prediction (struct ip_replay). Uses c->ipidx for the offsets.
 */
static void put_addrs(struct pa_codec *c, struct colbuf *cb, const uint64_t *addr, size_t n)
{
	struct ip_replay rp = { c->last_addr, 0, 0 };
	uint64_t *v = c->vals;

	/* pages go to v, offsets to ipidx (each index is used before it is overwritten) */
	for (size_t i = 0; i < n; i++) {
		uint32_t k = c->ipidx[i];
		uint64_t pred = replay_predict(&rp, k);

		v[i] = pa_zigzag((addr[i] >> PAGE_SHIFT) - (pred >> PAGE_SHIFT));
		c->ipidx[i] = (uint32_t)((addr[i] - pred) & OFFSET_MASK);
		replay_update(&rp, k, addr[i]);
	}
	put_column(cb, v, n);
	for (size_t i = 0; i < n; i++)
		v[i] = c->ipidx[i];
	put_column(cb, v, n);
}

/* The 7 columns of events [@first, @first + @n) of @b, in the order of the header comment. */
static void put_columns(struct pa_codec *c, struct colbuf *cb, const struct pa_batch *b,
			size_t first, size_t n, uint64_t tick)
{
	const uint64_t *t = b->time_ns + first, *aux = b->aux + first;
	const uint8_t *flags = b->flags + first;
	uint64_t *v = c->vals, prev = t[0];

	for (size_t i = 0; i < n; i++) {
		int64_t d = (int64_t)(t[i] - prev);

		/* a division by a constant is a multiply; by a variable, tens of cycles */
		v[i] = pa_zigzag((uint64_t)(tick == 1000 ? d / 1000 : d));
		prev = t[i];
	}
	put_column(cb, v, n);
	put_deltas32(cb, v, b->tid + first, n);
	put_deltas32(cb, v, b->tgid + first, n);
	for (size_t i = 0; i < n; i++)
		v[i] = (uint64_t)c->ipidx[i] << 2 | (flags[i] & (PA_DISK_WRITE | PA_DISK_DEMAND));
	put_column(cb, v, n);
	put_addrs(c, cb, b->addr + first, n);
	prev = 0;
	for (size_t i = 0; i < n; i++) {
		v[i] = pa_zigzag(aux[i] - prev);
		prev = aux[i];
	}
	put_column(cb, v, n);
}

/* The blob of the header and planes in @cb: the prefix, then one zstd frame each. */
static int put_blob(struct pa_codec *c, const struct colbuf *cb, const void **blob,
		    size_t *len)
{
	size_t bound = PREFIX + 10 + ZSTD_compressBound((size_t)(cb->hdr - c->raw));
	uint8_t *o, *end;

	for (int k = 0; k < cb->nplanes; k++)
		bound += 10 + ZSTD_compressBound(cb->len[k]);
	if (ensure((void **)&c->out, &c->out_cap, bound, 1))
		return -PA_ENOMEM;
	o = c->out;
	end = c->out + bound;
	*o++ = PA_CHUNK_MAGIC0;
	*o++ = PA_CHUNK_MAGIC1;
	*o++ = PA_CHUNK_CODEC_V3;
	o = put_frame(c, o, (size_t)(end - o), c->raw, (size_t)(cb->hdr - c->raw));
	for (int k = 0; o && k < cb->nplanes; k++)
		o = put_frame(c, o, (size_t)(end - o), cb->start[k], cb->len[k]);
	if (!o)
		return -PA_ENOMEM;
	*blob = c->out;
	*len = (size_t)(o - c->out);
	return 0;
}

int pa_chunk_encode(struct pa_codec *c, const struct pa_batch *b, size_t first, size_t n,
		    const void **blob, size_t *len)
{
	size_t hdr_room = 64 + 10 * n + NCOLUMNS * (12 + INLINE_MAX);
	struct colbuf cb = { 0 };
	uint64_t tick;
	size_t nips;
	int err;

	if (n == 0 || n > PA_CHUNK_MAX_EVENTS || first + n > b->n)
		return -PA_EINVAL;
	err = ensure_scratch(c, n);
	if (!err)
		err = ensure_slots(c, n);
	if (!err)
		err = ensure((void **)&c->raw, &c->raw_cap, hdr_room + NCOLUMNS * 8 * n + 8, 1);
	if (err)
		return err;
	nips = build_dict(c, b->ip + first, n);
	/* the header at raw[0..), the columns one after another from raw + hdr_room */
	cb.hdr = c->raw;
	cb.col = c->raw + hdr_room;
	tick = put_header(c, &cb, b->time_ns + first, n, nips);
	put_columns(c, &cb, b, first, n, tick);
	return put_blob(c, &cb, blob, len);
}

static int get(struct reader *r, uint64_t *v)
{
	return pa_get_varint(&r->p, r->end, v);
}

/* Splits off the next section as its own reader. */
static int section(struct reader *r, struct reader *s)
{
	uint64_t len;

	if (get(r, &len) || len > (uint64_t)(r->end - r->p))
		return -1;
	s->p = r->p;
	s->end = r->p + len;
	r->p += len;
	return 0;
}

/*
 * A varint of at most 8 bytes from the 8 bytes at @p, without branching on its length:
 * the first byte with a clear top bit ends it, and the 7-bit groups are packed with
 * shifts. Returns its length, or 0 when it is longer than 8 bytes.
 */
static inline unsigned int varint8(const uint8_t *p, uint64_t *v)
{
	uint64_t x, stop;
	unsigned int len;

	memcpy(&x, p, sizeof(x));
	x = le64toh(x);
	stop = ~x & 0x8080808080808080ull;
	if (!stop)
		return 0;
	len = (unsigned int)__builtin_ctzll(stop) / 8 + 1;
	if (len < 8)
		x &= (1ull << (8 * len)) - 1;
	x &= 0x7f7f7f7f7f7f7f7full;
	x = (x & 0x007f007f007f007full) | ((x & 0x7f007f007f007f00ull) >> 1);
	x = (x & 0x00003fff00003fffull) | ((x & 0x3fff00003fff0000ull) >> 2);
	x = (x & 0x000000000fffffffull) | ((x & 0x0fffffff00000000ull) >> 4);
	*v = x;
	return len;
}

/*
 * Reads the next @n varints of a section into @v: one byte inline, up to 8 bytes with
 * varint8 while 8 bytes remain, the rest by pa_get_varint. Returns 0, or -1 when the
 * section ends first or holds a bad varint.
 */
static int get_varints(struct reader *s, uint64_t *v, uint64_t n)
{
	const uint8_t *p = s->p, *end = s->end;

	for (uint64_t i = 0; i < n; i++) {
		unsigned int len;

		if (p < end && *p < 0x80) {
			v[i] = *p++;
			continue;
		}
		if (end - p >= 8 && (len = varint8(p, &v[i])) != 0) {
			p += len;
			continue;
		}
		if (pa_get_varint(&p, end, &v[i]))
			return -1;
	}
	s->p = p;
	return 0;
}

/*
 * The frames of a blob: the header's decompressed at once, a column's only when the
 * column is asked for, one after the other in c->raw (sized for all of them): the
 * columns not asked for leave no gaps, whose pages a later chunk would touch.
 */
struct frames {
	struct pa_codec *c;
	struct reader hdr;
	const uint8_t *src[MAX_PLANES];
	size_t srclen[MAX_PLANES];
	size_t size[MAX_PLANES];	/* content size */
	size_t stored[MAX_PLANES];	/* bytes in the blob, with the length */
	size_t used;		/* bytes of c->raw decompressed into so far */
	int ncols;		/* plane frames */
	int next;
};

/*
 * Decompresses a frame of content size @size into @dst, checking its checksum when it
 * has one. Returns 0 or -1 (corrupt; c->why set when the checksum did not match).
 */
static int unframe(struct pa_codec *c, uint8_t *dst, size_t size, const uint8_t *src,
		   size_t srclen)
{
	size_t got = ZSTD_decompressDCtx(c->dctx, dst, size + 1, src, srclen);

	if (ZSTD_isError(got) && ZSTD_getErrorCode(got) == ZSTD_error_checksum_wrong)
		c->why = "checksum mismatch";
	return ZSTD_isError(got) || got != size ? -1 : 0;
}

/* Decompresses column frame @k into @s. */
static int take_frame(struct frames *f, int k, struct reader *s)
{
	uint8_t *dst = f->c->raw + f->used;
	size_t got = f->size[k];

	if (unframe(f->c, dst, got, f->src[k], f->srclen[k]))
		return -1;
	f->used += got;
	s->p = dst;
	s->end = dst + got;
	return 0;
}

/*
 * v[i] = the little-endian number of bytes pl[0][i] .. pl[w-1][i], for a constant @w.
 * The planes are named apart and restrict, so that the compiler knows the stores to
 * @v do not change them and vectorizes the loop.
 */
static inline __attribute__((always_inline)) void merge_w(uint64_t *restrict v,
							   const uint8_t *const *pl,
							   unsigned int w, uint64_t n)
{
	const uint8_t *restrict p0 = pl[0], *restrict p1 = pl[w > 1 ? 1 : 0];
	const uint8_t *restrict p2 = pl[w > 2 ? 2 : 0], *restrict p3 = pl[w > 3 ? 3 : 0];
	const uint8_t *restrict p4 = pl[w > 4 ? 4 : 0], *restrict p5 = pl[w > 5 ? 5 : 0];
	const uint8_t *restrict p6 = pl[w > 6 ? 6 : 0], *restrict p7 = pl[w > 7 ? 7 : 0];

	for (uint64_t i = 0; i < n; i++) {
		uint64_t x = p0[i];

		if (w > 1)
			x |= (uint64_t)p1[i] << 8;
		if (w > 2)
			x |= (uint64_t)p2[i] << 16;
		if (w > 3)
			x |= (uint64_t)p3[i] << 24;
		if (w > 4)
			x |= (uint64_t)p4[i] << 32;
		if (w > 5)
			x |= (uint64_t)p5[i] << 40;
		if (w > 6)
			x |= (uint64_t)p6[i] << 48;
		if (w > 7)
			x |= (uint64_t)p7[i] << 56;
		v[i] = x;
	}
}

/* merge_w with @w (1..8) known to the compiler in each case, so each loop is unrolled. */
static void merge_planes(uint64_t *v, const uint8_t *const *pl, unsigned int w, uint64_t n)
{
	switch (w) {
	case 1: merge_w(v, pl, 1, n); break;
	case 2: merge_w(v, pl, 2, n); break;
	case 3: merge_w(v, pl, 3, n); break;
	case 4: merge_w(v, pl, 4, n); break;
	case 5: merge_w(v, pl, 5, n); break;
	case 6: merge_w(v, pl, 6, n); break;
	case 7: merge_w(v, pl, 7, n); break;
	default: merge_w(v, pl, 8, n); break;
	}
}

/*
 * Opens the next V2 column: its mode from the header, its planes decompressed when
 * @want, else only stepped over (nothing decompressed). Returns 0 or -1 (corrupt).
 */
static int open_column(struct frames *f, struct column *col, uint64_t n, int want)
{
	struct reader *r = &f->hdr, s;

	if (r->p == r->end)
		return -1;
	col->mode = *r->p++;
	switch (col->mode) {
	case COL_CONST:
		return get(r, &col->k);
	case COL_PLANES:
		if (r->p == r->end || *r->p < 1 || *r->p > 8 || f->ncols - f->next < *r->p)
			return -1;
		col->w = *r->p++;
		col->stored = 0;
		for (unsigned int j = 0; j < col->w; j++)
			col->stored += f->stored[f->next + (int)j];
		for (unsigned int j = 0; want && j < col->w; j++) {
			if (take_frame(f, f->next + (int)j, &s) || (uint64_t)(s.end - s.p) != n)
				return -1;
			col->pl[j] = s.p;
		}
		f->next += (int)col->w;
		return 0;
	case COL_INLINE:
		return section(r, &col->s);
	default:
		return -1;
	}
}

/* Values @i..@i+@m-1 of an opened column into @v. Returns 0 or -1 (corrupt). */
static int column_fill(struct column *col, uint64_t *v, uint64_t i, uint64_t m)
{
	const uint8_t *pl[8];

	switch (col->mode) {
	case COL_CONST:
		for (uint64_t j = 0; j < m; j++)
			v[j] = col->k;
		return 0;
	case COL_PLANES:
		for (unsigned int j = 0; j < col->w; j++)
			pl[j] = col->pl[j] + i;
		merge_planes(v, pl, col->w, m);
		return 0;
	default:
		return get_varints(&col->s, v, m);
	}
}

/* Prefix sums of zigzag deltas into a 32-bit column; -1 when a value leaves 32 bits. */
static int sum_u32(const uint64_t *v, uint64_t n, uint64_t *prev, uint32_t *dst)
{
	uint64_t p = *prev, any = 0;

	/* a tgid or tid column is mostly one process or thread: all deltas 0, and an OR
	 * and a fill (both vectorized) cost less than the serial sum */
	for (uint64_t i = 0; i < n; i++)
		any |= v[i];
	if (!any) {
		for (uint64_t i = 0; i < n; i++)
			dst[i] = (uint32_t)p;
		return 0;
	}
	for (uint64_t i = 0; i < n; i++) {
		p += pa_unzigzag(v[i]);
		if (p > UINT32_MAX)
			return -1;
		dst[i] = (uint32_t)p;
	}
	*prev = p;
	return 0;
}

/*
 * Events go through the columns BLOCK at a time, so that the values of a column, once
 * merged from their planes, are used while they are still in the L1 cache.
 */
#define BLOCK 1024

/*
 * Time, tid and tgid of events [@i, @i + @m) of the chunk, from their opened columns,
 * into @out from index @o.
 */
static int block_ids(struct column *col, unsigned int cols, uint64_t tick, uint64_t i,
		     uint64_t m, uint64_t *v, struct v2state *st, struct pa_batch *out,
		     uint64_t o)
{
	if (cols & PA_COL_TIME) {
		uint64_t prev = st->time, lo = st->lo, hi = st->hi;

		if (column_fill(&col[C_TIME], v, i, m))
			return -1;
		for (uint64_t j = 0; j < m; j++) {
			prev += pa_unzigzag(v[j]) * tick;
			out->time_ns[o + j] = prev;
			lo = prev < lo ? prev : lo;
			hi = prev > hi ? prev : hi;
		}
		st->time = prev;
		st->lo = lo;
		st->hi = hi;
	}
	if ((cols & PA_COL_TID) && (column_fill(&col[C_TID], v, i, m) ||
				    sum_u32(v, m, &st->tid, out->tid + o)))
		return -1;
	if ((cols & PA_COL_TGID) && (column_fill(&col[C_TGID], v, i, m) ||
				     sum_u32(v, m, &st->tgid, out->tgid + o)))
		return -1;
	return 0;
}

/*
 * Pages of events [@i, @i + @m) with their predictions replayed (the page an ip touched
 * last), into @dst as pages, or as addresses with zero offsets when @shifted.
 * Returns 0 or -1 (corrupt).
 */
static inline __attribute__((always_inline)) int block_pages(struct pa_codec *c,
							      const uint64_t *v,
							      const uint32_t *ipidx,
							      uint64_t m,
							      struct v2state *st,
							      uint64_t *dst, int shifted)
{
	struct ip_replay rp = { c->last_addr, st->seen, st->page };

	for (uint64_t j = 0; j < m; j++) {
		uint32_t k = ipidx[j];
		uint64_t page = replay_predict(&rp, k) + pa_unzigzag(v[j]);

		if (page >> (64 - PAGE_SHIFT))
			return -1;
		dst[j] = shifted ? page << PAGE_SHIFT : page;
		replay_update(&rp, k, page);
	}
	st->page = rp.prev;
	return 0;
}

/*
 * Offsets of events [0, @m) of the block (their deltas in @v) with their predictions
 * replayed, added to the pages at @dst (shifted there). Returns 0 or -1 (corrupt).
 */
static int block_offsets(struct pa_codec *c, const uint64_t *v, const uint32_t *ipidx,
			 uint64_t m, struct v2state *st, uint64_t *dst)
{
	struct ip_replay rp = { c->last_off, st->seen, st->off };

	for (uint64_t j = 0; j < m; j++) {
		uint32_t k = ipidx[j];
		uint64_t off;

		if (v[j] > OFFSET_MASK)
			return -1;
		off = (replay_predict(&rp, k) + v[j]) & OFFSET_MASK;
		replay_update(&rp, k, off);
		dst[j] = dst[j] << PAGE_SHIFT | off;
	}
	st->off = rp.prev;
	return 0;
}

/*
 * Symbols (ip index and flags), then pages and offsets with their predictions replayed,
 * of events [@i, @i + @m), into @out from index @o. @ipidx holds the block's ip indices.
 */
static int block_addrs(struct pa_codec *c, struct column *col, unsigned int cols,
		       uint64_t nips, uint64_t i, uint64_t m, uint64_t *v, uint32_t *ipidx,
		       struct v2state *st, struct pa_batch *out, uint64_t o)
{
	uint64_t seen = st->seen, bad = 0;

	if (column_fill(&col[C_SYM], v, i, m))
		return -1;
	/*
	 * Each index at most the number seen before it, checked without a branch per
	 * event; then an index of nips or more would have taken seen past nips.
	 */
	for (uint64_t j = 0; j < m; j++) {
		uint64_t k = v[j] >> 2;

		bad |= k > seen;
		seen += k == seen;
		ipidx[j] = (uint32_t)k;
	}
	if (bad || seen > nips)
		return -1;
	/* each column its own loop, so that one not asked for costs nothing */
	if (cols & PA_COL_IP) {
		const uint64_t *dict = c->dict;
		uint64_t *ip = out->ip + o;

		for (uint64_t j = 0; j < m; j++)
			ip[j] = dict[ipidx[j]];
	}
	if (cols & PA_COL_FLAGS) {
		/* restrict: a byte store may alias anything, v included, which would keep
		 * the loop from being vectorized */
		uint8_t *restrict fl = out->flags + o;

		for (uint64_t j = 0; j < m; j++)
			fl[j] = (uint8_t)(v[j] & 3);
	}
	if (!(cols & (PA_COL_ADDR | PA_COL_PAGE))) {
		st->seen = seen;
		return 0;
	}
	if (column_fill(&col[C_PAGE], v, i, m))
		return -1;
	if (!(cols & PA_COL_ADDR)) {
		if (block_pages(c, v, ipidx, m, st, out->addr + o, 1))
			return -1;
		st->seen = seen;
		return 0;
	}
	if (block_pages(c, v, ipidx, m, st, out->addr + o, 0) ||
	    column_fill(&col[C_OFFSET], v, i, m) || block_offsets(c, v, ipidx, m, st, out->addr + o))
		return -1;
	st->seen = seen;
	return 0;
}

/* Opens the V2 columns of the chunk in c->cur, decompressing those asked for. */
static int open_v2(struct pa_codec *c, struct frames *r, uint64_t base)
{
	struct opened *o = &c->cur;

	for (int k = 0; k < NCOLUMNS; k++)
		if (open_column(r, &o->col[k], o->n, !!(o->cols & column_for[k])))
			return -PA_ECORRUPT;
	if (r->hdr.p != r->hdr.end || r->next != r->ncols)
		return -PA_ECORRUPT;
	memset(&o->st, 0, sizeof(o->st));
	o->st.time = base;
	o->st.lo = UINT64_MAX;
	return 0;
}

/*
 * Whether the times decoded (the whole chunk's: V1 at open, V2 with PA_COL_TIME at the
 * last piece) span the range the chunk's header or row gives. Returns 0 or -PA_ECORRUPT (c->why set).
 */
static int check_range(struct pa_codec *c)
{
	const struct opened *o = &c->cur;

	if (!o->has_range || (o->kind == CHUNK_V2 && !(o->cols & PA_COL_TIME)) ||
	    (o->st.lo == o->first && o->st.hi == o->last))
		return 0;
	c->why = "its times are not the time range it is stored with";
	return -PA_ECORRUPT;
}

/* Events [o->i, o->i + @m) of an opened V2 chunk into @out from index 0. */
static int read_v2(struct pa_codec *c, uint64_t m, struct pa_batch *out)
{
	struct opened *o = &c->cur;
	struct column *col = o->col;
	unsigned int cols = o->cols;
	uint64_t v[BLOCK];
	uint32_t ipidx[BLOCK];

	for (uint64_t done = 0; done < m; done += BLOCK) {
		uint64_t b = m - done < BLOCK ? m - done : BLOCK, i = o->i + done;

		if (block_ids(col, cols, o->tick, i, b, v, &o->st, out, done) ||
		    ((cols & SYM_COLS) &&
		     block_addrs(c, col, cols, o->nips, i, b, v, ipidx, &o->st, out, done)))
			return -PA_ECORRUPT;
		if (cols & PA_COL_AUX) {
			if (column_fill(&col[C_AUX], v, i, b))
				return -PA_ECORRUPT;
			for (uint64_t j = 0; j < b; j++) {
				o->st.aux += pa_unzigzag(v[j]);
				out->aux[done + j] = o->st.aux;
			}
		}
	}
	if (o->i + m < o->n)
		return 0;
	/* every varint of the inline columns read, and none more */
	for (int k = 0; k < NCOLUMNS; k++)
		if ((cols & column_for[k]) && col[k].mode == COL_INLINE &&
		    col[k].s.p != col[k].s.end)
			return -PA_ECORRUPT;
	return check_range(c);
}

static int decode_v1(struct pa_codec *c, struct reader *r, uint64_t n, uint64_t tick,
		     uint64_t base, uint64_t nips, struct pa_batch *out)
{
	struct reader s[NSECTIONS];
	uint64_t v, prev, tid = 0, tgid = 0, lo = UINT64_MAX, hi = 0;
	struct ip_replay rp = { c->last_addr, 0, 0 };

	for (int k = 0; k < NSECTIONS; k++)
		if (section(r, &s[k]))
			return -PA_ECORRUPT;
	if (r->p != r->end)
		return -PA_ECORRUPT;

	prev = base;
	for (uint64_t i = 0; i < n; i++) {
		if (get(&s[0], &v))
			return -PA_ECORRUPT;
		prev += pa_unzigzag(v) * tick;
		out->time_ns[i] = prev;
		lo = prev < lo ? prev : lo;
		hi = prev > hi ? prev : hi;
	}
	c->cur.st.lo = lo;
	c->cur.st.hi = hi;
	if (get_varints(&s[1], c->vals, n) || sum_u32(c->vals, n, &tid, out->tid) ||
	    get_varints(&s[2], c->vals, n) || sum_u32(c->vals, n, &tgid, out->tgid))
		return -PA_ECORRUPT;
	if ((uint64_t)(s[3].end - s[3].p) != n)
		return -PA_ECORRUPT;
	for (uint64_t i = 0; i < n; i++) {
		if (s[3].p[i] & ~(PA_DISK_WRITE | PA_DISK_DEMAND))
			return -PA_ECORRUPT;
		out->flags[i] = s[3].p[i];
	}
	s[3].p = s[3].end;
	for (uint64_t i = 0, seen = 0; i < n; i++) {
		if (get(&s[4], &v) || v >= nips || v > seen)
			return -PA_ECORRUPT;
		if (v == seen)
			seen++;
		c->ipidx[i] = (uint32_t)v;
		out->ip[i] = c->dict[v];
	}
	for (uint64_t i = 0; i < n; i++) {
		uint32_t k = c->ipidx[i];

		if (get(&s[5], &v))
			return -PA_ECORRUPT;
		out->addr[i] = replay_predict(&rp, k) + pa_unzigzag(v);
		replay_update(&rp, k, out->addr[i]);
	}
	prev = 0;
	for (uint64_t i = 0; i < n; i++) {
		if (get(&s[6], &v))
			return -PA_ECORRUPT;
		prev += pa_unzigzag(v);
		out->aux[i] = prev;
	}
	for (int k = 0; k < NSECTIONS; k++)
		if (s[k].p != s[k].end)
			return -PA_ECORRUPT;
	return 0;
}

/*
 * Finds the frames of a blob after its prefix (V1: one frame, the whole payload; V2:
 * "varint length, frame" for the header and each column), sizes c->raw for all of
 * them and decompresses the first into f->hdr. Returns 0 or a negated pa_err.
 */
static int frames(struct pa_codec *c, const uint8_t *in, size_t len, int v2, int sums,
		  struct frames *f)
{
	const uint8_t *src[1 + MAX_PLANES], *p = in, *end = in + len, *start;
	size_t srclen[1 + MAX_PLANES], size[1 + MAX_PLANES], stored[1 + MAX_PLANES];
	size_t total = 0, got;
	int nf = 0;

	while (p < end) {
		unsigned long long cs;
		uint64_t flen = (uint64_t)(end - p);

		if (nf == 1 + MAX_PLANES)
			return -PA_ECORRUPT;
		start = p;
		if (v2) {
			struct reader r = { p, end };

			if (get(&r, &flen) || flen > (uint64_t)(end - r.p))
				return -PA_ECORRUPT;
			p = r.p;
		}
		cs = ZSTD_getFrameContentSize(p, (size_t)flen);
		if (cs == ZSTD_CONTENTSIZE_ERROR || cs == ZSTD_CONTENTSIZE_UNKNOWN ||
		    cs > PA_CHUNK_MAX_RAW - total)
			return -PA_ECORRUPT;
		/* a frame (magic, then the descriptor) whose checksum flag, bit 2, is set */
		if (sums && (flen < 5 || !(p[4] & 4))) {
			c->why = "a frame without its checksum";
			return -PA_ECORRUPT;
		}
		src[nf] = p;
		srclen[nf] = (size_t)flen;
		size[nf] = (size_t)cs;
		total += (size_t)cs;
		p += flen;
		stored[nf] = (size_t)(p - start);
		nf++;
	}
	if (nf == 0)
		return -PA_ECORRUPT;
	if (ensure((void **)&c->raw, &c->raw_cap, total + 1, 1))
		return -PA_ENOMEM;
	got = size[0];
	if (unframe(c, c->raw, got, src[0], srclen[0]))
		return -PA_ECORRUPT;
	f->c = c;
	f->hdr.p = c->raw;
	f->hdr.end = c->raw + got;
	f->ncols = nf - 1;
	f->next = 0;
	f->used = got;
	for (int k = 1; k < nf; k++) {
		f->src[k - 1] = src[k];
		f->srclen[k - 1] = srclen[k];
		f->size[k - 1] = size[k];
		f->stored[k - 1] = stored[k];
	}
	return 0;
}

int64_t pa_chunk_open(struct pa_codec *c, const void *blob, size_t len, unsigned int cols)
{
	const uint8_t *in = blob;
	struct opened *o = &c->cur;
	struct frames f;
	struct reader *r = &f.hdr;
	uint64_t n, tick, base, nips, v, prev, before = 0, after = 0;
	int v2, v3, err;

	o->kind = CHUNK_NONE;
	o->codec = len >= PREFIX ? in[2] : 0;
	c->why = NULL;
	if (len < PREFIX || in[0] != PA_CHUNK_MAGIC0 || in[1] != PA_CHUNK_MAGIC1 ||
	    in[2] < PA_CHUNK_CODEC_V1 || in[2] > PA_CHUNK_CODEC_V3)
		return -PA_ECORRUPT;
	v3 = in[2] == PA_CHUNK_CODEC_V3;
	v2 = in[2] == PA_CHUNK_CODEC_V2 || v3;
	err = frames(c, in + PREFIX, len - PREFIX, v2, v3, &f);
	if (err)
		return err;
	if (!v2 && f.ncols != 0)
		return -PA_ECORRUPT;
	if (get(r, &n) || n == 0 || n > PA_CHUNK_MAX_EVENTS || get(r, &tick) ||
	    (tick != 1 && tick != 1000) || get(r, &base) ||
	    (v3 && (get(r, &before) || get(r, &after) || before > base ||
		    after > UINT64_MAX - base)) ||
	    get(r, &nips) || nips == 0 || nips > n)
		return -PA_ECORRUPT;
	o->has_range = v3;
	o->first = base - before;
	o->last = base + after;
	err = ensure_scratch(c, n);
	if (err)
		return err;
	prev = 0;
	for (uint64_t i = 0; i < nips; i++) {
		if (get(r, &v))
			return -PA_ECORRUPT;
		prev += pa_unzigzag(v);
		c->dict[i] = prev;
	}
	o->cols = cols;
	o->len = len;
	o->n = n;
	o->i = 0;
	o->tick = tick;
	o->nips = nips;
	if (v2) {
		err = open_v2(c, &f, base);
	} else {
		/* the old layout is read whole: a section at a time, every column */
		err = pa_batch_reserve(&o->v1, n);
		if (!err)
			err = decode_v1(c, r, n, tick, base, nips, &o->v1);
	}
	if (err)
		return err;
	o->kind = v2 ? CHUNK_V2 : CHUNK_V1;
	return (int64_t)n;
}

int pa_chunk_check(struct pa_codec *c, const struct pa_chunk_meta *m)
{
	struct opened *o = &c->cur;

	if (o->kind == CHUNK_NONE)
		return 0;
	if (o->n != m->events)
		c->why = "it holds another number of events than it is stored with";
	else if (m->checksums && o->codec != PA_CHUNK_CODEC_V3)
		c->why = "it has no checksums, which this database's format version requires";
	else if (o->has_range && (o->first != m->first_ns || o->last != m->last_ns))
		c->why = "its header and its row give different time ranges";
	if (c->why) {
		o->kind = CHUNK_NONE;
		return -PA_ECORRUPT;
	}
	o->has_range = 1;
	o->first = m->first_ns;
	o->last = m->last_ns;
	if (o->kind == CHUNK_V1 && check_range(c)) {
		o->kind = CHUNK_NONE;
		return -PA_ECORRUPT;
	}
	return 0;
}

int pa_chunk_codec(const struct pa_codec *c)
{
	return c->cur.codec;
}

const char *const pa_chunk_part_names[PA_CHUNK_PARTS] = {
	"header", "time", "tid", "tgid", "sym", "page", "offset", "aux",
};

int pa_chunk_stored(const struct pa_codec *c, uint64_t bytes[PA_CHUNK_PARTS])
{
	const struct opened *o = &c->cur;
	uint64_t rest = o->len;

	if (o->kind != CHUNK_V2)
		return -PA_EINVAL;
	for (int k = 0; k < NCOLUMNS; k++) {
		bytes[1 + k] = o->col[k].mode == COL_PLANES ? o->col[k].stored : 0;
		rest -= bytes[1 + k];
	}
	bytes[0] = rest;
	return 0;
}

const char *pa_chunk_errmsg(const struct pa_codec *c)
{
	return c->why ? c->why : "it does not decode";
}

/* Events [@i, @i + @m) of a V1 chunk decoded whole, into @out from index 0. */
static void read_v1(const struct pa_batch *v1, uint64_t i, uint64_t m, struct pa_batch *out)
{
#define COPY_COLUMN(name, type, codec) memcpy(out->name, v1->name + i, m * sizeof(type));
	PA_BATCH_COLUMNS(COPY_COLUMN)
#undef COPY_COLUMN
}

int pa_chunk_read(struct pa_codec *c, struct pa_batch *out, size_t max)
{
	struct opened *o = &c->cur;
	uint64_t m = o->n - o->i;
	int err;

	if (o->kind == CHUNK_NONE)
		return 0;
	if (max == 0)
		return -PA_EINVAL;
	if (m > max)
		m = max;
	err = pa_batch_reserve(out, (size_t)m);
	if (err)
		return err;
	if (o->kind == CHUNK_V1) {
		read_v1(&o->v1, o->i, m, out);
		if ((o->cols & PA_COL_PAGE) && !(o->cols & PA_COL_ADDR))
			for (uint64_t j = 0; j < m; j++)
				out->addr[j] &= ~(uint64_t)OFFSET_MASK;
	} else {
		err = read_v2(c, m, out);
		if (err) {
			o->kind = CHUNK_NONE;
			return err;
		}
	}
	o->i += m;
	if (o->i == o->n)
		o->kind = CHUNK_NONE;
	out->n = (size_t)m;
	return (int)m;
}

int pa_chunk_decode(struct pa_codec *c, const void *blob, size_t len, struct pa_batch *out)
{
	return pa_chunk_decode_cols(c, blob, len, PA_COL_ALL, out);
}

int pa_chunk_decode_cols(struct pa_codec *c, const void *blob, size_t len, unsigned int cols,
			 struct pa_batch *out)
{
	int64_t n = pa_chunk_open(c, blob, len, cols);
	int rc;

	if (n < 0)
		return (int)n;
	rc = pa_chunk_read(c, out, (size_t)n);
	return rc < 0 ? rc : 0;
}

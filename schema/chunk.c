// SPDX-License-Identifier: MIT
/*
 * Event-chunk codec.
 *
 * Blob = 'P' 'C' PA_CHUNK_CODEC_V1, then one zstd frame (with content size) of the raw
 * payload:
 *
 *   varint n            events in the chunk, 1..PA_CHUNK_MAX_EVENTS
 *   varint tick_ns      1, or 1000 when every time is a whole microsecond after base
 *   varint base_ns      time of the first event
 *   varint nips         distinct instruction pointers, in order of first use
 *   nips x varint       zigzag(ip - previous ip in the dictionary), from 0
 *   7 sections, each "varint length, bytes", holding n values each:
 *     time   zigzag((t[i] - t[i-1]) / tick), t[-1] = base
 *     tid    zigzag(tid - previous tid), from 0
 *     tgid   zigzag(tgid - previous tgid), from 0
 *     flags  one byte, PA_DISK_WRITE | PA_DISK_DEMAND
 *     ip     varint index into the dictionary
 *     addr   zigzag(addr - prediction); the prediction is the last address this ip
 *            touched, or for an ip's first event the previous event's address
 *     aux    zigzag(aux - previous aux), from 0
 *
 * Columns apart compress far better than rows, and predicting an address from its ip
 * turns strided loops into runs of equal deltas that zstd all but removes.
 */
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "pat/chunk.h"
#include "pat/error.h"
#include "pat/format.h"
#include "varint.h"

#define NSECTIONS 7
#define PREFIX 3

struct ipslot {
	uint64_t ip;
	uint32_t idx;
	uint32_t gen;
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
	uint64_t *last_addr;	/* by ip index */
	uint32_t *ipidx;	/* per event */
	size_t dict_cap;
	size_t ev_cap;
	uint8_t *raw;
	size_t raw_cap;
	uint8_t *out;
	size_t out_cap;
};

struct pa_codec *pa_codec_new(int level)
{
	struct pa_codec *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->level = level;
	c->cctx = ZSTD_createCCtx();
	c->dctx = ZSTD_createDCtx();
	if (!c->cctx || !c->dctx) {
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
	free(c->ipidx);
	free(c->raw);
	free(c->out);
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
	c->dict_cap = dcap;
	if (ensure((void **)&c->ipidx, &ecap, n, sizeof(*c->ipidx)))
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

/* Writes a section: a varint length, then the bytes produced in [@body, @end). */
static uint8_t *close_section(uint8_t *lenpos, uint8_t *body, uint8_t *end)
{
	size_t len = (size_t)(end - body);
	uint8_t tmp[10];
	size_t hl = (size_t)(pa_put_varint(tmp, len) - tmp);

	memmove(lenpos + hl, body, len);
	memcpy(lenpos, tmp, hl);
	return lenpos + hl + len;
}

int pa_chunk_encode(struct pa_codec *c, const struct pa_batch *b, size_t first, size_t n,
		    const void **blob, size_t *len)
{
	const uint64_t *t = b->time_ns + first, *ip = b->ip + first;
	const uint64_t *addr = b->addr + first, *aux = b->aux + first;
	const uint32_t *tid = b->tid + first, *tgid = b->tgid + first;
	const uint8_t *flags = b->flags + first;
	uint8_t *p, *sec;
	uint64_t tick = 1000, prev, pred;
	size_t nips, need, bound, zlen;
	int err;

	if (n == 0 || n > PA_CHUNK_MAX_EVENTS || first + n > b->n)
		return -PA_EINVAL;
	err = ensure_scratch(c, n);
	if (!err)
		err = ensure_slots(c, n);
	need = 64 + 10 * n + NSECTIONS * (10 + 10 * n);
	if (!err)
		err = ensure((void **)&c->raw, &c->raw_cap, need, 1);
	if (err)
		return err;
	nips = build_dict(c, ip, n);

	for (size_t i = 1; i < n; i++) {
		if ((int64_t)(t[i] - t[0]) % 1000 != 0) {
			tick = 1;
			break;
		}
	}

	p = c->raw;
	p = pa_put_varint(p, n);
	p = pa_put_varint(p, tick);
	p = pa_put_varint(p, t[0]);
	p = pa_put_varint(p, nips);
	prev = 0;
	for (size_t i = 0; i < nips; i++) {
		p = pa_put_varint(p, pa_zigzag(c->dict[i] - prev));
		prev = c->dict[i];
	}

	/* Each section is written 10 bytes further on, then slid back behind its length. */
	sec = p + 10;
	prev = t[0];
	for (size_t i = 0; i < n; i++) {
		int64_t d = (int64_t)(t[i] - prev);

		sec = pa_put_varint(sec, pa_zigzag((uint64_t)(d / (int64_t)tick)));
		prev = t[i];
	}
	p = close_section(p, p + 10, sec);

	sec = p + 10;
	prev = 0;
	for (size_t i = 0; i < n; i++) {
		sec = pa_put_varint(sec, pa_zigzag((uint64_t)tid[i] - prev));
		prev = tid[i];
	}
	p = close_section(p, p + 10, sec);

	sec = p + 10;
	prev = 0;
	for (size_t i = 0; i < n; i++) {
		sec = pa_put_varint(sec, pa_zigzag((uint64_t)tgid[i] - prev));
		prev = tgid[i];
	}
	p = close_section(p, p + 10, sec);

	sec = p + 10;
	for (size_t i = 0; i < n; i++)
		*sec++ = flags[i] & (PA_DISK_WRITE | PA_DISK_DEMAND);
	p = close_section(p, p + 10, sec);

	sec = p + 10;
	for (size_t i = 0; i < n; i++)
		sec = pa_put_varint(sec, c->ipidx[i]);
	p = close_section(p, p + 10, sec);

	sec = p + 10;
	pred = 0;
	for (size_t i = 0, seen = 0; i < n; i++) {
		uint32_t k = c->ipidx[i];

		if (k == seen) {	/* first event of this ip: indices appear in order */
			c->last_addr[k] = pred;
			seen++;
		}
		sec = pa_put_varint(sec, pa_zigzag(addr[i] - c->last_addr[k]));
		c->last_addr[k] = addr[i];
		pred = addr[i];
	}
	p = close_section(p, p + 10, sec);

	sec = p + 10;
	prev = 0;
	for (size_t i = 0; i < n; i++) {
		sec = pa_put_varint(sec, pa_zigzag(aux[i] - prev));
		prev = aux[i];
	}
	p = close_section(p, p + 10, sec);

	bound = PREFIX + ZSTD_compressBound((size_t)(p - c->raw));
	if (ensure((void **)&c->out, &c->out_cap, bound, 1))
		return -PA_ENOMEM;
	c->out[0] = PA_CHUNK_MAGIC0;
	c->out[1] = PA_CHUNK_MAGIC1;
	c->out[2] = PA_CHUNK_CODEC_V1;
	zlen = ZSTD_compressCCtx(c->cctx, c->out + PREFIX, bound - PREFIX, c->raw,
				 (size_t)(p - c->raw), c->level);
	if (ZSTD_isError(zlen))
		return -PA_ENOMEM;
	*blob = c->out;
	*len = PREFIX + zlen;
	return 0;
}

struct reader {
	const uint8_t *p;
	const uint8_t *end;
};

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

int pa_chunk_decode(struct pa_codec *c, const void *blob, size_t len, struct pa_batch *out)
{
	const uint8_t *in = blob;
	unsigned long long rawlen;
	struct reader r, s[NSECTIONS];
	uint64_t n, tick, base, nips, v, prev;
	size_t got;
	int err;

	if (len < PREFIX || in[0] != PA_CHUNK_MAGIC0 || in[1] != PA_CHUNK_MAGIC1 ||
	    in[2] != PA_CHUNK_CODEC_V1)
		return -PA_ECORRUPT;
	rawlen = ZSTD_getFrameContentSize(in + PREFIX, len - PREFIX);
	if (rawlen == ZSTD_CONTENTSIZE_ERROR || rawlen == ZSTD_CONTENTSIZE_UNKNOWN ||
	    rawlen > PA_CHUNK_MAX_RAW)
		return -PA_ECORRUPT;
	if (ensure((void **)&c->raw, &c->raw_cap, (size_t)rawlen + 1, 1))
		return -PA_ENOMEM;
	got = ZSTD_decompressDCtx(c->dctx, c->raw, (size_t)rawlen + 1, in + PREFIX, len - PREFIX);
	if (ZSTD_isError(got) || got != rawlen)
		return -PA_ECORRUPT;

	r.p = c->raw;
	r.end = c->raw + got;
	if (get(&r, &n) || n == 0 || n > PA_CHUNK_MAX_EVENTS || get(&r, &tick) ||
	    (tick != 1 && tick != 1000) || get(&r, &base) || get(&r, &nips) || nips == 0 ||
	    nips > n)
		return -PA_ECORRUPT;
	err = ensure_scratch(c, n);
	if (!err)
		err = pa_batch_reserve(out, n);
	if (err)
		return err;
	prev = 0;
	for (uint64_t i = 0; i < nips; i++) {
		if (get(&r, &v))
			return -PA_ECORRUPT;
		prev += pa_unzigzag(v);
		c->dict[i] = prev;
	}
	for (int k = 0; k < NSECTIONS; k++)
		if (section(&r, &s[k]))
			return -PA_ECORRUPT;
	if (r.p != r.end)
		return -PA_ECORRUPT;

	prev = base;
	for (uint64_t i = 0; i < n; i++) {
		if (get(&s[0], &v))
			return -PA_ECORRUPT;
		prev += pa_unzigzag(v) * tick;
		out->time_ns[i] = prev;
	}
	prev = 0;
	for (uint64_t i = 0; i < n; i++) {
		if (get(&s[1], &v))
			return -PA_ECORRUPT;
		prev += pa_unzigzag(v);
		if (prev > UINT32_MAX)
			return -PA_ECORRUPT;
		out->tid[i] = (uint32_t)prev;
	}
	prev = 0;
	for (uint64_t i = 0; i < n; i++) {
		if (get(&s[2], &v))
			return -PA_ECORRUPT;
		prev += pa_unzigzag(v);
		if (prev > UINT32_MAX)
			return -PA_ECORRUPT;
		out->tgid[i] = (uint32_t)prev;
	}
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
	prev = 0;
	for (uint64_t i = 0, seen = 0; i < n; i++) {
		uint32_t k = c->ipidx[i];

		if (get(&s[5], &v))
			return -PA_ECORRUPT;
		if (k == seen) {
			c->last_addr[k] = prev;
			seen++;
		}
		prev = c->last_addr[k] + pa_unzigzag(v);
		c->last_addr[k] = prev;
		out->addr[i] = prev;
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
	out->n = (size_t)n;
	return 0;
}

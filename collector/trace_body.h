/* SPDX-License-Identifier: MIT */
#ifndef PAT_COLLECTOR_TRACE_BODY_H
#define PAT_COLLECTOR_TRACE_BODY_H

/*
 * The fast path for the one line shape that makes up nearly all of a trace:
 *
 *   <flags> <sec>.<frac>: handle_mm_fault: <tid> R|W <ip> <addr> [tgid=N] [aux=N] [fault=F]
 *
 * read from just after the "[cpu]" field, parsing numbers while scanning instead of
 * tokenizing first, with the fields after the event name separated by single spaces as
 * the kernel prints them. It accepts only lines on which the general parser of
 * collector/trace_parse.c gives the same result, and returns -1 (leaving the line's
 * struct untouched) for anything else: other separators, repeated or unknown keys, bare
 * aux numbers, numbers that would need overflow checks. tests/fuzz/fuzz_parse_fast.c
 * checks the two against each other.
 *
 * With the body cache (struct pa_trace_body_cache in trace_cache.h), each of the four
 * parts of the body -- pre (flags, seconds, '.'), mid (':' to the tid), the ip, and
 * the tail after the address -- that equals the same part of an earlier line takes
 * that line's values instead of being parsed: a part's values are a function of its
 * bytes alone. One function a part, each with the cache's hit and miss side; private to
 * collector/, checked alone by tests/unit/test_trace_body.c.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fastnum.h"
#include "pat/event.h"
#include "trace_cache.h"
#include "trace_tpl.h"

/* A body as the fast path reads it: its values and where its parts start and end. */
struct body {
	const char *start, *pre_end, *mid, *event, *ip_at, *ip_end, *addr_at, *tail;
	uint64_t sec, frac, tid, ip, addr, tgid, aux;
	unsigned int frac_digits;	/* 0: no fraction */
	uint8_t flags, tail_flags;
	uint8_t pre_hit, mid_hit, ip_hit, tail_hit;	/* the part came from the cache */
};

/* The @n bytes at @p are the @n bytes of @part, and more of the line follows them. */
static inline int starts(const char *p, const char *end, const char *part, size_t n)
{
	return n && (size_t)(end - p) > n && same_bytes(p, part, n);
}

/* Remembers @n bytes at @p as a part of the body cache: 1, or 0 when they do not fit. */
static inline int keep(char *part, size_t size, uint8_t *len, const char *p, size_t n)
{
	if (n > size)
		return 0;
	memcpy(part, p, n);
	*len = (uint8_t)n;
	return 1;
}

/* After a field: the end of the line, or one space before the next field (NULL: not). */
HOT const char *next_field(const char *p, const char *end)
{
	if (p == end)
		return p;
	return *p == ' ' ? p + 1 : NULL;
}

/*
 * The flags and the seconds: a token not ending in ':' (else it is the timestamp: the
 * general path), then 1..10 digits as timestamp() reads them. Returns where the
 * seconds end, or NULL.
 */
HOT const char *body_seconds(const char *p, const char *end, uint64_t *sec)
{
	const char *s;
	unsigned int d;

	p = skip_sep(p, end);
	s = p;
	while (p < end && (unsigned char)*p > ' ')
		p++;
	if (p == s || p - s > 8 || p[-1] == ':' || !is_sep(p, end))
		return NULL;
	p = skip_sep(p, end);
	s = p;
	while (p < end && (d = (unsigned int)(unsigned char)*p - '0') <= 9) {
		*sec = *sec * 10 + d;
		p++;
	}
	if (p == s || p - s > 10 || p == end)	/* as timestamp(): no wrap */
		return NULL;
	return p;
}

/*
 * The fraction of 1..9 digits at @p, in nanoseconds into b->frac. Returns where it
 * ends, or NULL.
 */
HOT const char *body_fraction(const char *p, const char *end, struct body *b)
{
	const char *s;
	unsigned int d, digits;
	uint64_t frac = 0;

	/* microseconds (6 digits) as trace_pipe prints them: 8 bytes at once */
	if (end - p >= 8 && (digits = dec8(le64toh(load64(p)), &frac)) >= 1 && digits < 8) {
		b->frac = frac * frac_scale[digits];
		b->frac_digits = digits;
		return p + digits;
	}
	s = p;
	while (p < end && (d = (unsigned int)(unsigned char)*p - '0') <= 9) {
		frac = frac * 10 + d;
		p++;
	}
	digits = (unsigned int)(p - s);
	if (digits == 0 || digits > 9)
		return NULL;
	b->frac_digits = digits;
	for (; digits < 9; digits++)
		frac *= 10;
	b->frac = frac;
	return p;
}

/* The pre part and the fraction: the time. Returns where the ':' after it is, or NULL. */
HOT const char *body_time(const char *p, const char *end, const struct pa_trace_body_cache *bc,
			  struct body *b)
{
	b->pre_hit = bc && starts(p, end, bc->pre, bc->pre_len);
	if (b->pre_hit) {
		b->sec = bc->sec;
		p += bc->pre_len;
		b->pre_end = p;
	} else {
		if (!(p = body_seconds(p, end, &b->sec)))
			return NULL;
		if (*p == '.')
			b->pre_end = ++p;
	}
	if (b->pre_end && !(p = body_fraction(p, end, b)))
		return NULL;
	return p != end && *p == ':' ? p : NULL;
}

/*
 * The mid part from the ':' at @p: the event name, which must be handle_mm_fault, and
 * the tid. Returns where the R or W after it is, or NULL.
 */
HOT const char *body_event_tid(const char *p, const char *end,
			       const struct pa_trace_body_cache *bc, struct body *b)
{
	static const char ev[] = "handle_mm_fault: ";

	b->mid = p;
	b->mid_hit = bc && starts(p, end, bc->mid, bc->mid_len);
	if (b->mid_hit) {
		b->event = p + bc->ev_off;
		b->tid = bc->tid;
		return p + bc->mid_len;
	}
	if (!is_sep(++p, end))
		return NULL;
	p = skip_sep(p, end);
	if ((size_t)(end - p) < sizeof(ev) - 1 || memcmp(p, ev, sizeof(ev) - 1) != 0)
		return NULL;
	b->event = p;
	p += sizeof(ev) - 1;
	if (!(p = fast_dec(p, end, &b->tid)) || b->tid > UINT32_MAX)
		return NULL;
	return next_field(p, end);
}

/* R or W, the ip and the address from @p. Returns where the tail starts, or NULL. */
HOT const char *body_rw_ip_addr(const char *p, const char *end,
				const struct pa_trace_body_cache *bc, struct body *b)
{
	if (end - p < 2)
		return NULL;
	/* R and W come in no order: one test of both (a bitwise or), not a branch on R */
	if (!((*p == 'R') | (*p == 'W')) || p[1] != ' ')
		return NULL;
	b->flags = *p == 'W' ? PA_EV_WRITE : 0;
	p += 2;
	b->ip_at = p;
	b->ip_hit = bc && starts(p, end, bc->ip, bc->ip_len) && p[bc->ip_len] == ' ';
	if (b->ip_hit) {
		b->ip = bc->ip_value;
		p += bc->ip_len;
	} else if (!(p = fast_hex(p, end, &b->ip))) {
		return NULL;
	}
	b->ip_end = p;
	if (!(p = next_field(p, end)))
		return NULL;
	b->addr_at = p;
	return fast_hex(p, end, &b->addr);
}

/* One "key=value" of the tail at @p (after its space): where it ends, or NULL. */
HOT const char *body_key(const char *p, const char *end, struct body *b, unsigned int *have)
{
	uint32_t w = load32(p);

	if (w == WORD4('t', 'g', 'i', 'd') && p[4] == '=' && !(*have & 1)) {
		*have |= 1;
		if (!(p = fast_dec(p + 5, end, &b->tgid)) || b->tgid > UINT32_MAX)
			return NULL;
		return p;
	}
	if (w == WORD4('a', 'u', 'x', '=') && !(*have & 2)) {
		*have |= 2;
		p += 4;
		if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
			return fast_hex(p, end, &b->aux);
		return fast_dec(p, end, &b->aux);
	}
	if (w != WORD4('f', 'a', 'u', 'l') || end - p < 11 || p[4] != 't' || p[5] != '=' ||
	    (*have & 4))
		return NULL;
	*have |= 4;
	p += 6;
	if (load32(p) == WORD4('r', 'e', 's', 'e') && p[4] == 't' && is_sep(p + 5, end))
		return p + 5;
	if (end - p >= 6 && load32(p) == WORD4('d', 'e', 'm', 'a') && p[4] == 'n' &&
	    p[5] == 'd' && is_sep(p + 6, end)) {
		b->tail_flags = PA_EV_DEMAND;
		return p + 6;
	}
	return NULL;
}

/* The tail from @p to @end: each key at most once. Returns 0, or -1 when it is not. */
HOT int body_tail(const char *p, const char *end, const struct pa_trace_body_cache *bc,
		  struct body *b)
{
	unsigned int have = 0;

	b->tail = p;
	b->tail_hit = bc && bc->has_tail && (size_t)(end - p) == bc->tail_len &&
		      same_bytes(p, bc->tail, bc->tail_len);
	if (b->tail_hit) {
		b->tgid = bc->tgid;
		b->aux = bc->aux;
		b->tail_flags = bc->tail_flags;
		return 0;
	}
	while (p != end) {
		if (*p++ != ' ' || end - p < 5 || !(p = body_key(p, end, b, &have)))
			return -1;
	}
	return 0;
}

/* Keeps the parts of @b that were parsed, not taken from @bc, for the lines after. */
static inline void body_remember(struct pa_trace_body_cache *bc, const struct body *b,
				 const char *end)
{
	if (!b->pre_hit && b->pre_end &&
	    keep(bc->pre, sizeof(bc->pre), &bc->pre_len, b->start, (size_t)(b->pre_end - b->start)))
		bc->sec = b->sec;
	if (!b->mid_hit &&
	    keep(bc->mid, sizeof(bc->mid), &bc->mid_len, b->mid, (size_t)(b->ip_at - 2 - b->mid))) {
		bc->ev_off = (uint8_t)(b->event - b->mid);
		bc->tid = (uint32_t)b->tid;
	}
	if (!b->ip_hit &&
	    keep(bc->ip, sizeof(bc->ip), &bc->ip_len, b->ip_at, (size_t)(b->ip_end - b->ip_at)))
		bc->ip_value = b->ip;
	if (!b->tail_hit &&
	    keep(bc->tail, sizeof(bc->tail), &bc->tail_len, b->tail, (size_t)(end - b->tail))) {
		bc->has_tail = 1;
		bc->tgid = (uint32_t)b->tgid;
		bc->aux = b->aux;
		bc->tail_flags = b->tail_flags;
	}
}

/* Where the fields a template lets vary lie in @b (struct spans). */
static inline void body_spans(const struct body *b, struct spans *sp)
{
	sp->frac = b->pre_end;
	sp->frac_digits = b->frac_digits;
	sp->rw = b->ip_at - 2;
	sp->ip = hex_digits(b->ip_at, b->ip_end);
	sp->ip_digits = (size_t)(b->ip_end - sp->ip);
	sp->addr = hex_digits(b->addr_at, b->tail);
	sp->addr_digits = (size_t)(b->tail - sp->addr);
}

/*
 * fast_access - the body from @p to @end of a handle_mm_fault line into *@out, through
 * the body cache @bc (NULL: none), and with @sp (NULL: not wanted) where the fields a
 * template lets vary lie. Returns 0, or -1 with *@out untouched when the line is not
 * one the fast path takes.
 */
HOT int fast_access(const char *p, const char *end, struct pa_trace_line *out,
		    struct pa_trace_body_cache *bc, struct spans *sp)
{
	struct body b = { .start = p };

	if (!(p = body_time(p, end, bc, &b)) || !(p = body_event_tid(p, end, bc, &b)) ||
	    !(p = body_rw_ip_addr(p, end, bc, &b)) || body_tail(p, end, bc, &b))
		return -1;
	if (bc)
		body_remember(bc, &b, end);
	if (sp)
		body_spans(&b, sp);
	out->time_ns = b.sec * 1000000000ull + b.frac;
	out->event.s = b.event;
	out->event.len = sizeof("handle_mm_fault") - 1;
	out->tid = (uint32_t)b.tid;
	out->tgid = (uint32_t)b.tgid;
	out->ip = b.ip;
	out->addr = b.addr;
	out->aux = b.aux;
	out->flags = b.flags | b.tail_flags;
	out->kind = PA_LINE_ACCESS;
	return 0;
}

#endif

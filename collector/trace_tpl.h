/* SPDX-License-Identifier: MIT */
#ifndef PAT_COLLECTOR_TRACE_TPL_H
#define PAT_COLLECTOR_TRACE_TPL_H

/*
 * The line template layer of the parser's cache (struct pa_trace_tpl in trace_cache.h):
 * tpl_make keeps a handle_mm_fault line that the fast path parsed, with where its
 * varying fields lie (struct spans); tpl_match parses a later line through it when
 * the two differ only in those fields' digits. Private to collector/; included by
 * trace_parse.c, and by tests/unit/test_trace_tpl.c, which checks it alone.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fastnum.h"
#include "pat/event.h"
#include "trace_cache.h"

/*
 * Where the fields that a line template lets vary lie in a line parsed on the fast path
 * (struct pa_trace_tpl): the digits of each, without a "0x".
 */
struct spans {
	const char *frac, *rw, *ip, *addr;	/* frac NULL: the time has no fraction */
	size_t frac_digits, ip_digits, addr_digits;
};

/* The digits of a hex field from @s to @e as fast_hex read them: after any "0x". */
static inline const char *hex_digits(const char *s, const char *e)
{
	return e - s > 2 && s[0] == '0' && (s[1] | 0x20) == 'x' ? s + 2 : s;
}

/* Bytes from @off to @off + @n may vary: their bytes in the masks of @t cleared. */
static inline void tpl_vary(struct pa_trace_tpl *t, size_t off, size_t n)
{
	memset(t->fixed + off, 0, n);
}

/* Can the field of @n digits at @off be read 16 bytes at once inside @len bytes? */
static inline int tpl_fits(size_t off, size_t n, size_t len)
{
	return n >= 1 && n <= 16 && off + 16 <= len;
}

/*
 * Makes @t the template of @line (@len bytes), which the fast path parsed to @out with
 * the fields @sp. Leaves @t as it was when the line cannot be one: too long, shorter
 * than 32 bytes (tpl_match compares those first), holding a newline (so that a line
 * that matches has none, which pa_trace_parse_predicted relies on), or with a field
 * that cannot be read 16 bytes at once inside it.
 */
static inline void tpl_make(struct pa_trace_tpl *t, const char *line, size_t len,
		     const struct pa_trace_line *out, const struct spans *sp)
{
	size_t frac_off = sp->frac ? (size_t)(sp->frac - line) : 0;
	size_t ip_off = (size_t)(sp->ip - line), addr_off = (size_t)(sp->addr - line);
	/* a fraction of 8 or 9 digits stays fixed: dec8 reads at most 7 */
	int frac_varies = sp->frac && sp->frac_digits <= 7 && frac_off + 8 <= len;

	if (len < 32 || len > sizeof(t->bytes) || !tpl_fits(ip_off, sp->ip_digits, len) ||
	    !tpl_fits(addr_off, sp->addr_digits, len) || memchr(line, '\n', len))
		return;
	memset(t->fixed, 0xff, sizeof(t->fixed));
	t->frac_digits = 0;
	if (frac_varies) {
		uint64_t frac = 0;

		dec8(le64toh(load64(sp->frac)), &frac);
		tpl_vary(t, frac_off, sp->frac_digits);
		t->frac_off = (uint8_t)frac_off;
		t->frac_digits = (uint8_t)sp->frac_digits;
		t->frac_scale = frac_scale[sp->frac_digits];
		t->sec_ns = out->time_ns - frac * t->frac_scale;
	}
	t->rw_off = (uint8_t)(sp->rw - line);
	tpl_vary(t, t->rw_off, 1);
	t->ip_off = (uint8_t)ip_off;
	t->ip_digits = (uint8_t)sp->ip_digits;
	tpl_vary(t, ip_off, sp->ip_digits);
	t->addr_off = (uint8_t)addr_off;
	t->addr_digits = (uint8_t)sp->addr_digits;
	tpl_vary(t, addr_off, sp->addr_digits);
	memcpy(t->fixed_last, t->fixed + len - 16, 16);
	memcpy(t->bytes, line, len);
	t->line = *out;
	t->task_off = (uint8_t)(out->task.s - line);
	t->event_off = (uint8_t)(out->event.s - line);
	t->len = (uint16_t)len;
}

/*
 * Parses @line through the template @t: 1 with *@out filled when the line has the
 * template's length and bytes but in its variable fields, which hold digits for digits
 * (and R or W); else 0. Such a line parses as the template's did, with those fields'
 * values: every other byte, and so every decision of the parser, is the same.
 */
HOT int tpl_match(const struct pa_trace_tpl *t, const char *line, size_t len,
		  struct pa_trace_line *out)
{
	uint64_t frac = 0, ip = 0, addr = 0;
	bytes16 diff;
	char rw;

	if (!t->len || len != t->len)
		return 0;
	/* the header first: a line of another task fails there */
	diff = diff16(line, t->bytes, t->fixed) | diff16(line + 16, t->bytes + 16, t->fixed + 16);
	if (any16(diff))
		return 0;
	diff = diff16(line + len - 16, t->bytes + len - 16, t->fixed_last);
	for (size_t i = 32; i + 16 <= len; i += 16)
		diff |= diff16(line + i, t->bytes + i, t->fixed + i);
	rw = line[t->rw_off];
	if (any16(diff) | !((rw == 'R') | (rw == 'W')))	/* R and W come in no order */
		return 0;
	if (t->frac_digits &&
	    dec8(le64toh(load64(line + t->frac_off)), &frac) != t->frac_digits)
		return 0;
	/* read even when unchanged: a test of that mispredicts where ips vary */
	if (!hex_exact(line + t->ip_off, t->ip_digits, &ip))
		return 0;
	if (!hex_exact(line + t->addr_off, t->addr_digits, &addr))
		return 0;
	memcpy(out, &t->line, sizeof(*out));
	out->task.s = line + t->task_off;
	out->event.s = line + t->event_off;
	if (t->frac_digits)
		out->time_ns = t->sec_ns + frac * t->frac_scale;
	out->ip = ip;
	out->addr = addr;
	out->flags = (uint8_t)((t->line.flags & ~PA_EV_WRITE) | (rw == 'W' ? PA_EV_WRITE : 0));
	return 1;
}

#endif

// SPDX-License-Identifier: MIT
/*
 * ftrace text line parser. The header is "<task>-<pid> [(<tgid>)] [<cpu>] <flags>
 * <sec>.<frac>: <event>: <fields>"; a task name may itself hold dashes, spaces and
 * slashes, so the header is anchored on the "[cpu]" field and read backwards from it.
 */
#include <endian.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "pat/event.h"
#include "pat/trace_parse.h"
#include "trace_cache.h"

struct cursor {
	const char *p;
	const char *end;
};

static inline int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline int hex_value(char c)
{
	unsigned int d = (unsigned int)(unsigned char)c - '0';

	if (d <= 9)
		return (int)d;
	d = ((unsigned int)(unsigned char)c | 0x20) - 'a';	/* folds 'A'..'F' onto 'a'..'f' */
	return d <= 5 ? (int)d + 10 : -1;
}

/* Separators are space and tab; one unsigned compare tells a token byte (> ' '). */
static inline int is_token_byte(char c)
{
	return (unsigned char)c > ' ';
}

static void skip_spaces(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

/* The next space-separated token, or an empty one at the end. */
static struct pa_str token(struct cursor *c)
{
	struct pa_str t;

	skip_spaces(c);
	t.s = c->p;
	while (c->p < c->end && is_token_byte(*c->p))
		c->p++;
	t.len = (size_t)(c->p - t.s);
	return t;
}

/* Whole-token decimal number without overflow. Returns 0 on success. */
static int dec_u64(struct pa_str t, uint64_t *v)
{
	uint64_t x = 0;

	if (t.len == 0 || t.len > 20)
		return -1;
	if (t.len < 20) {	/* 19 digits cannot overflow */
		for (size_t i = 0; i < t.len; i++) {
			unsigned int d = (unsigned int)(unsigned char)t.s[i] - '0';

			if (d > 9)
				return -1;
			x = x * 10 + d;
		}
		*v = x;
		return 0;
	}
	for (size_t i = 0; i < t.len; i++) {
		unsigned int d = (unsigned int)(t.s[i] - '0');

		if (d > 9 || __builtin_mul_overflow(x, 10, &x) || __builtin_add_overflow(x, d, &x))
			return -1;
	}
	*v = x;
	return 0;
}

static int dec_u32(struct pa_str t, uint32_t *v)
{
	uint64_t x;

	if (dec_u64(t, &x) || x > UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* Whole-token hex number, "0x" optional, at most 64 bits. Returns 0 on success. */
static int hex_u64(struct pa_str t, uint64_t *v)
{
	uint64_t x = 0;
	size_t i = 0;

	if (t.len > 2 && t.s[0] == '0' && (t.s[1] == 'x' || t.s[1] == 'X'))
		i = 2;
	if (i == t.len || t.len - i > 16)
		return -1;
	for (; i < t.len; i++) {
		int d = hex_value(t.s[i]);

		if (d < 0)
			return -1;
		x = (x << 4) | (uint64_t)d;
	}
	*v = x;
	return 0;
}

/* Decimal, or hex with a 0x prefix, as aux values may be written either way. */
static int num_u64(struct pa_str t, uint64_t *v)
{
	if (t.len > 2 && t.s[0] == '0' && (t.s[1] == 'x' || t.s[1] == 'X'))
		return hex_u64(t, v);
	return dec_u64(t, v);
}

static int str_is(struct pa_str t, const char *lit)
{
	size_t n = strlen(lit);

	return t.len == n && memcmp(t.s, lit, n) == 0;
}

/* Splits "key=value"; returns 0 when @t has the form. */
static int key_value(struct pa_str t, struct pa_str *key, struct pa_str *val)
{
	const char *eq = memchr(t.s, '=', t.len);

	if (!eq || eq == t.s)
		return -1;
	key->s = t.s;
	key->len = (size_t)(eq - t.s);
	val->s = eq + 1;
	val->len = t.len - key->len - 1;
	return 0;
}

static enum pa_line_kind malformed(struct pa_trace_line *out, const char *reason)
{
	out->kind = PA_LINE_MALFORMED;
	out->reason = reason;
	return PA_LINE_MALFORMED;
}

/* "<sec>[.<frac>]:" into nanoseconds. */
static int timestamp(struct pa_str t, uint64_t *ns)
{
	uint64_t sec = 0, frac = 0;
	size_t i = 0, digits = 0;

	if (t.len < 2 || t.s[t.len - 1] != ':')
		return -1;
	t.len--;
	/* 10 digits at most: their nanoseconds fit in 64 bits (no wrap to a wrong time) */
	for (; i < t.len && is_digit(t.s[i]); i++) {
		if (i >= 10)
			return -1;
		sec = sec * 10 + (uint64_t)(t.s[i] - '0');
	}
	if (i == 0)
		return -1;
	if (i < t.len) {
		if (t.s[i++] != '.')
			return -1;
		for (; i < t.len; i++, digits++) {
			if (!is_digit(t.s[i]) || digits >= 9)
				return -1;
			frac = frac * 10 + (uint64_t)(t.s[i] - '0');
		}
		if (digits == 0)
			return -1;
		for (; digits < 9; digits++)
			frac *= 10;
	}
	*ns = sec * 1000000000ull + frac;
	return 0;
}

/*
 * Does "[digits] " start at @lb, preceded by "<task>-<pid>" and optionally "(<tgid>)"?
 * Fills the header fields and returns 0 if so.
 */
static int header_at(const char *line, const char *lb, const char *end,
		     struct pa_trace_line *out, const char **after)
{
	const char *p = lb + 1, *q;
	uint64_t cpu = 0, v;

	while (p < end && is_digit(*p)) {
		cpu = cpu * 10 + (uint64_t)(*p - '0');
		if (cpu > UINT32_MAX)
			return -1;
		p++;
	}
	if (p == lb + 1 || p >= end || *p != ']')
		return -1;
	*after = p + 1;

	q = lb;
	while (q > line && q[-1] == ' ')
		q--;
	if (q > line && q[-1] == ')') {
		const char *close = --q;

		/* "(-------)" is how ftrace prints a tgid it does not know */
		while (q > line && q[-1] == '-')
			q--;
		if (q == close) {
			while (q > line && is_digit(q[-1]))
				q--;
			if (q == close)
				return -1;
			if (dec_u64((struct pa_str){ q, (size_t)(close - q) }, &v) ||
			    v > UINT32_MAX)
				return -1;
			out->hdr_tgid = (uint32_t)v;
		}
		while (q > line && q[-1] == ' ')
			q--;
		if (q == line || q[-1] != '(')
			return -1;
		q--;
		while (q > line && q[-1] == ' ')
			q--;
	}
	/* q is one past the pid; the pid follows the last dash of the task name. */
	{
		const char *pid_end = q;

		while (q > line && is_digit(q[-1]))
			q--;
		if (q == pid_end || q == line || q[-1] != '-')
			return -1;
		if (dec_u64((struct pa_str){ q, (size_t)(pid_end - q) }, &v) || v > UINT32_MAX)
			return -1;
		out->hdr_pid = (uint32_t)v;
		q--;
	}
	out->task.s = line;
	out->task.len = (size_t)(q - line);
	if (out->task.len == 0)
		return -1;
	out->cpu = (uint32_t)cpu;
	return 0;
}

static enum pa_line_kind parse_lost(struct cursor *c, struct pa_trace_line *out)
{
	struct pa_str t;
	uint64_t cpu;

	/* "CPU:N [LOST M EVENTS]" */
	c->p += 4;
	t = token(c);
	if (dec_u64(t, &cpu) || cpu > UINT32_MAX)
		return malformed(out, "bad CPU number in lost-events line");
	t = token(c);
	if (!str_is(t, "[LOST"))
		return malformed(out, "unknown CPU: line (expected [LOST N EVENTS])");
	t = token(c);
	if (dec_u64(t, &out->lost))
		return malformed(out, "bad count in lost-events line");
	t = token(c);
	if (!str_is(t, "EVENTS]"))
		return malformed(out, "unknown CPU: line (expected [LOST N EVENTS])");
	skip_spaces(c);
	if (c->p != c->end)
		return malformed(out, "trailing text after lost-events line");
	out->cpu = (uint32_t)cpu;
	out->kind = PA_LINE_LOST;
	return PA_LINE_LOST;
}

static enum pa_line_kind parse_access(struct cursor *c, struct pa_trace_line *out)
{
	struct pa_str t, key, val;
	int bare = 0;

	if (dec_u32(token(c), &out->tid))
		return malformed(out, "handle_mm_fault: bad pid");
	t = token(c);
	if (t.len != 1 || (t.s[0] != 'R' && t.s[0] != 'W'))
		return malformed(out, "handle_mm_fault: access type is not R or W");
	out->flags = t.s[0] == 'W' ? PA_EV_WRITE : 0;
	if (hex_u64(token(c), &out->ip))
		return malformed(out, "handle_mm_fault: bad instruction pointer");
	if (hex_u64(token(c), &out->addr))
		return malformed(out, "handle_mm_fault: bad address");
	for (;;) {
		t = token(c);
		if (t.len == 0)
			break;
		if (key_value(t, &key, &val)) {
			/* The original 4.4 tracer's prctl appended aux as a bare number. */
			if (!bare && dec_u64(t, &out->aux) == 0)
				bare = 1;
			continue;
		}
		if (str_is(key, "tgid")) {
			if (dec_u32(val, &out->tgid))
				return malformed(out, "handle_mm_fault: bad tgid=");
		} else if (str_is(key, "aux")) {
			if (num_u64(val, &out->aux))
				return malformed(out, "handle_mm_fault: bad aux=");
		} else if (str_is(key, "fault")) {
			if (str_is(val, "demand"))
				out->flags |= PA_EV_DEMAND;
			else if (!str_is(val, "reset"))
				return malformed(out, "handle_mm_fault: fault= is not reset or demand");
		}
	}
	out->kind = PA_LINE_ACCESS;
	return PA_LINE_ACCESS;
}

/* "START <comm> [pid=N] [ppid=N]": trailing pid fields are peeled off the end. */
static enum pa_line_kind parse_marker(struct cursor *c, struct pa_trace_line *out,
				      const char *word, enum pa_line_kind kind)
{
	struct pa_str t = token(c), key, val;
	const char *end = c->end;

	if (!str_is(t, word))
		return malformed(out, kind == PA_LINE_START ? "START marker expected" :
				 "END marker expected");
	skip_spaces(c);
	for (;;) {
		const char *s = end;

		while (s > c->p && s[-1] != ' ')
			s--;
		t.s = s;
		t.len = (size_t)(end - s);
		if (s == c->p || key_value(t, &key, &val))
			break;
		if (str_is(key, "pid")) {
			if (dec_u32(val, &out->pid))
				return malformed(out, "bad pid= in marker");
		} else if (str_is(key, "ppid")) {
			if (dec_u32(val, &out->ppid))
				return malformed(out, "bad ppid= in marker");
		} else {
			break;
		}
		end = s;
		while (end > c->p && end[-1] == ' ')
			end--;
	}
	out->comm.s = c->p;
	out->comm.len = (size_t)(end - c->p);
	if (out->comm.len == 0)
		return malformed(out, "marker without a command name");
	out->kind = kind;
	return kind;
}

static enum pa_line_kind parse_map(struct cursor *c, struct pa_trace_line *out,
				   enum pa_line_kind kind)
{
	int have = 0;

	for (;;) {
		struct pa_str t = token(c), key, val;

		if (t.len == 0)
			break;
		if (key_value(t, &key, &val))
			return malformed(out, "mapping event: field is not key=value");
		if (str_is(key, "path")) {
			/* the path is the rest of the line, spaces included */
			out->path.s = val.s;
			out->path.len = (size_t)(c->end - val.s);
			break;
		}
		if (str_is(key, "pid")) {
			if (dec_u32(val, &out->pid))
				return malformed(out, "mapping event: bad pid=");
			have |= 1;
		} else if (str_is(key, "start")) {
			if (hex_u64(val, &out->start))
				return malformed(out, "mapping event: bad start=");
			have |= 2;
		} else if (str_is(key, "end")) {
			if (hex_u64(val, &out->end))
				return malformed(out, "mapping event: bad end=");
			have |= 4;
		} else if (str_is(key, "pgoff")) {
			if (hex_u64(val, &out->pgoff))
				return malformed(out, "mapping event: bad pgoff=");
		} else if (str_is(key, "prot")) {
			out->prot = val;
		} else if (str_is(key, "reason")) {
			out->why = val;
		}
	}
	if (have != 7)
		return malformed(out, "mapping event without pid=, start= and end=");
	if (out->end < out->start)
		return malformed(out, "mapping event: end= is below start=");
	out->kind = kind;
	return kind;
}

/*
 * The fast path for the one line shape that makes up nearly all of a trace:
 *
 *   <flags> <sec>.<frac>: handle_mm_fault: <tid> R|W <ip> <addr> [tgid=N] [aux=N] [fault=F]
 *
 * read from just after the "[cpu]" field, parsing numbers while scanning instead of
 * tokenizing first, with the fields after the event name separated by single spaces as
 * the kernel prints them. It accepts only lines on which the general parser below gives
 * the same result, and returns -1 (leaving @out untouched) for anything else: other
 * separators, repeated or unknown keys, bare aux numbers, numbers that would need
 * overflow checks. tests/fuzz/fuzz_parse_fast.c checks the two against each other.
 */
/* Inlined even where GCC would not: the calls cost more than the numbers. */
#define HOT static inline __attribute__((always_inline))
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

static inline uint64_t load64(const char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t load32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

#define WORD4(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | \
			   (uint32_t)(d) << 24)

static inline int is_sep(const char *p, const char *end)
{
	return p == end || *p == ' ' || *p == '\t';
}

static inline const char *skip_sep(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/*
 * The number of leading hex digits among the 8 bytes in @x (little endian: the first
 * byte lowest), and their value in *@v. Eight bytes at a time instead of a byte loop.
 */
static inline unsigned int hex8(uint64_t x, uint64_t *v)
{
	uint64_t y = x & ~HIGHS, z = y | 0x2020202020202020ull;
	uint64_t digit = (y + 0x50 * ONES) & ~(y + 0x46 * ONES);	/* 0x30..0x39 */
	uint64_t letter = (z + 0x1f * ONES) & ~(z + 0x19 * ONES);	/* 0x61..0x66 */
	uint64_t bad = (~(digit | letter) | x) & HIGHS;		/* high-bit bytes are bad */
	unsigned int n = bad ? (unsigned int)__builtin_ctzll(bad) / 8 : 8;
	uint64_t d;

	if (n == 0)
		return 0;
	d = (x & 0x0f * ONES) + 9 * ((x >> 6) & ONES);	/* letters have bit 6 set */
	if (n < 8)
		d &= (1ull << (8 * n)) - 1;
	d = ((d << 4) | (d >> 8)) & 0x00ff00ff00ff00ffull;
	d = ((d << 8) | (d >> 16)) & 0x0000ffff0000ffffull;
	d = ((d << 16) | (d >> 32)) & 0xffffffffull;
	*v = d >> (4 * (8 - n));
	return n;
}

/*
 * The number of leading decimal digits among the 8 bytes in @x (little endian), and,
 * when there are 1..7 of them, their value in *@v (SWAR: three multiplies).
 */
static inline unsigned int dec8(uint64_t x, uint64_t *v)
{
	uint64_t y = x & ~HIGHS;
	uint64_t digit = (y + 0x50 * ONES) & ~(y + 0x46 * ONES) & ~x & HIGHS;
	uint64_t bad = ~digit & HIGHS;
	unsigned int n = bad ? (unsigned int)__builtin_ctzll(bad) / 8 : 8;
	uint64_t d;

	if (n == 0 || n == 8)
		return n;
	d = (x & 0x0f * ONES) << (8 * (8 - n));	/* digits to the top, zeros before */
	d = (d * 10 + (d >> 8)) & 0x00ff00ff00ff00ffull;
	d = (d * 100 + (d >> 16)) & 0x0000ffff0000ffffull;
	d = (d * 10000 + (d >> 32)) & 0xffffffffull;
	*v = d;
	return n;
}

/* Decimal of 1..19 digits (no overflow possible) ending at a separator. */
HOT const char *fast_dec(const char *p, const char *end, uint64_t *v)
{
	const char *s = p;
	uint64_t x = 0;
	unsigned int d;

	if (end - p >= 8) {
		d = dec8(le64toh(load64(p)), &x);
		if (d == 0)
			return NULL;
		if (d < 8) {
			p += d;
			if (!is_sep(p, end))
				return NULL;
			*v = x;
			return p;
		}
	}
	while (p < end && (d = (unsigned int)(unsigned char)*p - '0') <= 9) {
		x = x * 10 + d;
		p++;
	}
	if (p == s || p - s > 19 || !is_sep(p, end))
		return NULL;
	*v = x;
	return p;
}

/* Hex of 1..16 digits, "0x" optional, ending at a separator. */
HOT const char *fast_hex(const char *p, const char *end, uint64_t *v)
{
	const char *s;
	uint64_t x = 0, part;
	unsigned int n;

	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	s = p;
	while (end - p >= 8) {
		n = hex8(le64toh(load64(p)), &part);
		if (n == 0)
			break;
		x = (x << (4 * n - 1) << 1) | part;
		p += n;
		if (n < 8 || p - s > 16)
			break;
	}
	if (end - p < 8) {
		unsigned int d;

		while (p < end && p - s <= 16) {
			d = (unsigned int)(unsigned char)*p - '0';
			if (d > 9) {
				d = ((unsigned int)(unsigned char)*p | 0x20) - 'a';
				if (d > 5)
					break;
				d += 10;
			}
			x = (x << 4) | d;
			p++;
		}
	}
	if (p == s || p - s > 16 || !is_sep(p, end))
		return NULL;
	*v = x;
	return p;
}

/* After a field: the end of the line, or exactly one space before the next field. */
#define NEXT_FIELD(p, end) do {			\
		if ((p) != (end) && *(p)++ != ' ')	\
			return -1;			\
	} while (0)

/*
 * @n bytes at @a equal @n bytes at @b: eight at a time, the last eight overlapping the
 * ones before, so that nothing past either is read. Parts are short, and inline this is
 * a third of what the calls to memcmp cost.
 */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8)
			if (load64(a + i) != load64(b + i))
				return 0;
		return load64(a + n - 8) == load64(b + n - 8);
	}
	if (n >= 4)
		return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

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

/* Nanoseconds per unit of a time's fraction of 1..7 digits (dec8 reads at most 7). */
static const uint64_t frac_scale[8] = {
	0, 100000000, 10000000, 1000000, 100000, 10000, 1000, 100
};

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

/*
 * The fast path of a handle_mm_fault body. With @bc, each part of the line that equals
 * the same part of an earlier line (struct pa_trace_body_cache) takes that line's
 * values instead of being parsed: a part's values are a function of its bytes alone.
 * With @sp, where the fields a template lets vary lie.
 */
static int fast_access(const char *p, const char *end, struct pa_trace_line *out,
		       struct pa_trace_body_cache *bc, struct spans *sp)
{
	static const char ev[] = "handle_mm_fault: ";
	const char *body = p, *pre_end = NULL, *mid, *s, *ip_at, *ip_end, *tail;
	const char *addr_at;
	uint64_t sec = 0, frac = 0, tid, ip, addr, tgid = 0, aux = 0;
	unsigned int d, digits, frac_digits = 0;
	uint8_t flags, tail_flags = 0;
	int have_tgid = 0, have_aux = 0, have_fault = 0, is_rw;
	int pre_hit = bc && starts(p, end, bc->pre, bc->pre_len);
	int mid_hit, ip_hit, tail_hit;

	if (pre_hit) {
		sec = bc->sec;
		p += bc->pre_len;
		pre_end = p;
	} else {
		/* flags: a token not ending in ':' (else it is the timestamp: general path) */
		p = skip_sep(p, end);
		s = p;
		while (p < end && (unsigned char)*p > ' ')
			p++;
		if (p == s || p - s > 8 || p[-1] == ':' || !is_sep(p, end))
			return -1;
		p = skip_sep(p, end);
		s = p;
		while (p < end && (d = (unsigned int)(unsigned char)*p - '0') <= 9) {
			sec = sec * 10 + d;
			p++;
		}
		if (p == s || p - s > 10 || p == end)	/* as timestamp(): no wrap */
			return -1;
		if (*p == '.')
			pre_end = ++p;
	}
	if (pre_end) {
		/* microseconds (6 digits) as trace_pipe prints them: 8 bytes at once */
		if (end - p >= 8 && (digits = dec8(le64toh(load64(p)), &frac)) >= 1 &&
		    digits < 8) {
			frac *= frac_scale[digits];
			p += digits;
			frac_digits = digits;
		} else {
			s = p;
			while (p < end && (d = (unsigned int)(unsigned char)*p - '0') <= 9) {
				frac = frac * 10 + d;
				p++;
			}
			digits = (unsigned int)(p - s);
			if (digits == 0 || digits > 9)
				return -1;
			frac_digits = digits;
			for (; digits < 9; digits++)
				frac *= 10;
		}
	}
	if (p == end || *p != ':')
		return -1;
	mid = p;
	mid_hit = bc && starts(p, end, bc->mid, bc->mid_len);
	if (mid_hit) {
		s = p + bc->ev_off;
		tid = bc->tid;
		p += bc->mid_len;
	} else {
		if (!is_sep(++p, end))
			return -1;
		p = skip_sep(p, end);
		if ((size_t)(end - p) < sizeof(ev) - 1 || memcmp(p, ev, sizeof(ev) - 1) != 0)
			return -1;
		s = p;
		p += sizeof(ev) - 1;
		if (!(p = fast_dec(p, end, &tid)) || tid > UINT32_MAX)
			return -1;
		NEXT_FIELD(p, end);
	}
	if (end - p < 2)
		return -1;
	/* R and W come in no order: one test of both (a bitwise or), not a branch on R */
	is_rw = (*p == 'R') | (*p == 'W');
	if (!is_rw || p[1] != ' ')
		return -1;
	flags = *p == 'W' ? PA_EV_WRITE : 0;
	p += 2;
	ip_at = p;
	ip_hit = bc && starts(p, end, bc->ip, bc->ip_len) && p[bc->ip_len] == ' ';
	if (ip_hit) {
		ip = bc->ip_value;
		p += bc->ip_len;
	} else if (!(p = fast_hex(p, end, &ip))) {
		return -1;
	}
	ip_end = p;
	NEXT_FIELD(p, end);
	addr_at = p;
	if (!(p = fast_hex(p, end, &addr)))
		return -1;
	tail = p;
	tail_hit = bc && bc->has_tail && (size_t)(end - p) == bc->tail_len &&
		   same_bytes(p, bc->tail, bc->tail_len);
	if (tail_hit) {
		tgid = bc->tgid;
		aux = bc->aux;
		tail_flags = bc->tail_flags;
		p = end;
	}
	while (p != end) {
		uint32_t w;

		if (*p++ != ' ' || end - p < 5)
			return -1;
		w = load32(p);
		if (w == WORD4('t', 'g', 'i', 'd') && p[4] == '=' && !have_tgid) {
			if (!(p = fast_dec(p + 5, end, &tgid)) || tgid > UINT32_MAX)
				return -1;
			have_tgid = 1;
		} else if (w == WORD4('a', 'u', 'x', '=') && !have_aux) {
			p += 4;
			if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
				p = fast_hex(p, end, &aux);
			else
				p = fast_dec(p, end, &aux);
			if (!p)
				return -1;
			have_aux = 1;
		} else if (w == WORD4('f', 'a', 'u', 'l') && end - p >= 11 && p[4] == 't' &&
			   p[5] == '=' && !have_fault) {
			p += 6;
			if (load32(p) == WORD4('r', 'e', 's', 'e') && p[4] == 't' &&
			    is_sep(p + 5, end)) {
				p += 5;
			} else if (end - p >= 6 && load32(p) == WORD4('d', 'e', 'm', 'a') &&
				   p[4] == 'n' && p[5] == 'd' && is_sep(p + 6, end)) {
				tail_flags = PA_EV_DEMAND;
				p += 6;
			} else {
				return -1;
			}
			have_fault = 1;
		} else {
			return -1;
		}
	}
	if (bc) {
		/* the parts parsed here, for the lines after */
		if (!pre_hit && pre_end &&
		    keep(bc->pre, sizeof(bc->pre), &bc->pre_len, body, (size_t)(pre_end - body)))
			bc->sec = sec;
		if (!mid_hit &&
		    keep(bc->mid, sizeof(bc->mid), &bc->mid_len, mid, (size_t)(ip_at - 2 - mid))) {
			bc->ev_off = (uint8_t)(s - mid);
			bc->tid = (uint32_t)tid;
		}
		if (!ip_hit &&
		    keep(bc->ip, sizeof(bc->ip), &bc->ip_len, ip_at, (size_t)(ip_end - ip_at)))
			bc->ip_value = ip;
		if (!tail_hit &&
		    keep(bc->tail, sizeof(bc->tail), &bc->tail_len, tail, (size_t)(end - tail))) {
			bc->has_tail = 1;
			bc->tgid = (uint32_t)tgid;
			bc->aux = aux;
			bc->tail_flags = tail_flags;
		}
	}
	if (sp) {
		sp->frac = pre_end;
		sp->frac_digits = frac_digits;
		sp->rw = ip_at - 2;
		sp->ip = hex_digits(ip_at, ip_end);
		sp->ip_digits = (size_t)(ip_end - sp->ip);
		sp->addr = hex_digits(addr_at, tail);
		sp->addr_digits = (size_t)(tail - sp->addr);
	}
	out->time_ns = sec * 1000000000ull + frac;
	out->event.s = s;
	out->event.len = sizeof(ev) - 3;
	out->tid = (uint32_t)tid;
	out->tgid = (uint32_t)tgid;
	out->ip = ip;
	out->addr = addr;
	out->aux = aux;
	out->flags = flags | tail_flags;
	out->kind = PA_LINE_ACCESS;
	return 0;
}

enum pa_line_kind pa_trace_parse_line(const char *line, size_t len, struct pa_trace_line *out)
{
	return pa_trace_parse_line_any(line, len, out, 1);
}

/*
 * Everything after the "task-pid [cpu]" header, which ends at @c.p; with @sp, where the
 * fields a template lets vary lie when the fast path parsed it (sp->rw set).
 */
static enum pa_line_kind parse_body(struct cursor c, struct pa_trace_line *out, int fast,
				    struct pa_trace_body_cache *bc, struct spans *sp);

/* The line without its trailing '\r', spaces and tabs; *@out zeroed. */
static inline struct cursor line_start(const char *line, size_t len, struct pa_trace_line *out)
{
	static const struct pa_trace_line zero = { .kind = PA_LINE_BLANK };
	struct cursor c = { line, line + len };

	/* a copy of a zero struct compiles to vector moves; memset was a slow rep stos */
	memcpy(out, &zero, sizeof(*out));
	while (c.end > c.p && (c.end[-1] == '\r' || c.end[-1] == ' ' || c.end[-1] == '\t'))
		c.end--;
	return c;
}

/*
 * Parses the line from its start, with the body cache @bc (NULL: none) and spans @sp
 * (NULL: none, see parse_body); *@hdr_end: the end of its header, NULL if none.
 */
static enum pa_line_kind parse_from_start(const char *line, size_t len,
					  struct pa_trace_line *out, int fast,
					  struct pa_trace_body_cache *bc, struct spans *sp,
					  const char **hdr_end)
{
	struct cursor c = line_start(line, len, out);
	const char *lb, *after = NULL;

	*hdr_end = NULL;
	while (c.end - c.p >= 8) {	/* right-aligned task names: spaces 8 at a time */
		uint64_t x = le64toh(load64(c.p)) ^ 0x2020202020202020ull;

		if (x) {
			c.p += __builtin_ctzll(x) / 8;
			break;
		}
		c.p += 8;
	}
	skip_spaces(&c);
	if (c.p == c.end) {
		out->kind = PA_LINE_BLANK;
		return PA_LINE_BLANK;
	}
	if (*c.p == '#') {
		out->kind = PA_LINE_COMMENT;
		return PA_LINE_COMMENT;
	}
	if (c.end - c.p >= 4 && memcmp(c.p, "CPU:", 4) == 0)
		return parse_lost(&c, out);

	for (lb = memchr(c.p, '[', (size_t)(c.end - c.p)); lb;
	     lb = memchr(lb + 1, '[', (size_t)(c.end - lb - 1))) {
		if (lb > c.p && header_at(c.p, lb, c.end, out, &after) == 0)
			break;
		out->hdr_tgid = 0;
	}
	if (!lb)
		return malformed(out, "no \"task-pid [cpu]\" header");
	c.p = after;
	*hdr_end = after;
	return parse_body(c, out, fast, bc, sp);
}

enum pa_line_kind pa_trace_parse_line_any(const char *line, size_t len,
					  struct pa_trace_line *out, int fast)
{
	const char *after;

	return parse_from_start(line, len, out, fast, NULL, NULL, &after);
}

/*
 * Parses @line with the header of @e when the line starts with it: 1 with *@k set, or
 * 0 when it does not.
 */
HOT int parse_with(struct pa_trace_hdr_entry *e, const char *line, size_t len,
	       struct pa_trace_line *out, struct spans *sp, enum pa_line_kind *k)
{
	struct cursor c;

	if (!e->len || e->len > len || memcmp(line, e->bytes, e->len) != 0)
		return 0;
	c = line_start(line, len, out);
	if (e->len > (size_t)(c.end - line))
		return 0;
	out->task.s = line + e->task_off;
	out->task.len = e->task_len;
	out->hdr_pid = e->hdr_pid;
	out->hdr_tgid = e->hdr_tgid;
	out->cpu = e->cpu;
	c.p = line + e->len;
	*k = parse_body(c, out, 1, &e->body, sp);
	return 1;
}

/*
 * The entry for a line: a hash of its bytes before the first ']' in its first 64, which
 * for a line with a header lie inside the header. Any other choice would be as correct
 * (entries are only used when their bytes match), only slower.
 */
static unsigned int entry_of(const char *line, size_t len)
{
	const char *rb = memchr(line, ']', len < 64 ? len : 64);
	size_t n = rb ? (size_t)(rb - line) : 0, i = 0;
	uint64_t h = n;

	for (; i + 8 <= n; i += 8)
		h = (h ^ load64(line + i)) * 0x9e3779b97f4a7c15ull;
	for (; i < n; i++)
		h = (h ^ (unsigned char)line[i]) * 0x9e3779b97f4a7c15ull;
	return (unsigned int)(h >> 32) % PA_TRACE_HDR_ENTRIES;
}

/* 16 bytes, as one value of GCC's vector extension: SSE2 on x86-64, words elsewhere */
typedef uint8_t bytes16 __attribute__((vector_size(16)));

static inline bytes16 load16(const void *p)
{
	bytes16 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The bytes of @a and @b that differ where @m is 0xff: nonzero bytes where they do. */
static inline bytes16 diff16(const char *a, const char *b, const uint8_t *m)
{
	return (load16(a) ^ load16(b)) & load16(m);
}

static inline int any16(bytes16 v)
{
	uint64_t w[2];

	memcpy(w, &v, sizeof(w));
	return (w[0] | w[1]) != 0;
}

/*
 * Hex of exactly @n (1..16) digits at @p: 1 with *@v, else 0. Reads 16 bytes at @p,
 * which tpl_fits sees stay inside the line; the byte after the digits is the
 * template's separator, which the scalar path relies on to count exactly @n.
 */
HOT int hex_exact(const char *p, unsigned int n, uint64_t *v)
{
#ifdef __SSE2__
	const __m128i x = _mm_loadu_si128((const __m128i *)p);
	/* range tests as signed compares: c + (128 - lo) < -128 + span */
	const __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(128 - '0')),
					     _mm_set1_epi8(-128 + 10));
	const __m128i letter = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(x, _mm_set1_epi8(0x20)),
							   _mm_set1_epi8(128 - 'a')),
					      _mm_set1_epi8(-128 + 6));
	const unsigned int want = (1u << n) - 1;
	__m128i nib, pairs;
	uint64_t w;

	if (((unsigned int)_mm_movemask_epi8(_mm_or_si128(digit, letter)) & want) != want)
		return 0;
	nib = _mm_add_epi8(_mm_and_si128(x, _mm_set1_epi8(0x0f)),
			   _mm_and_si128(letter, _mm_set1_epi8(9)));
	/* digit pairs: the first digit of a pair is the low byte of its 16-bit lane */
	pairs = _mm_and_si128(_mm_or_si128(_mm_slli_epi16(nib, 4), _mm_srli_epi16(nib, 8)),
			      _mm_set1_epi16(0xff));
	w = (uint64_t)_mm_cvtsi128_si64(_mm_packus_epi16(pairs, pairs));
	*v = __builtin_bswap64(w) >> (4 * (16 - n));	/* the bytes after the digits drop */
	return 1;
#else
	uint64_t hi, lo;

	if (n <= 8)
		return hex8(le64toh(load64(p)), v) == n;
	if (hex8(le64toh(load64(p)), &hi) != 8 || hex8(le64toh(load64(p + 8)), &lo) != n - 8)
		return 0;
	*v = hi << (4 * (n - 8)) | lo;
	return 1;
#endif
}

/* Bytes from @off to @off + @n may vary: their bytes in the masks of @t cleared. */
static void tpl_vary(struct pa_trace_tpl *t, size_t off, size_t n)
{
	memset(t->fixed + off, 0, n);
}

/* Can the field of @n digits at @off be read 16 bytes at once inside @len bytes? */
static int tpl_fits(size_t off, size_t n, size_t len)
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
static void tpl_make(struct pa_trace_tpl *t, const char *line, size_t len,
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

/*
 * pa_trace_parse_line_cached past the template of the entry @tried (hc->last), which
 * the line did not match; @prev: the entry used before. Out of line, so that the
 * template's path saves this one's registers and stack.
 *
 * The header is a function of the bytes up to its end alone: the leading spaces, the
 * '[' found (earlier '[' candidates fail on bytes before it), the walk back over the
 * task name; and a line that starts so is neither blank, a comment nor a LOST line. So
 * a line starting with the same bytes as an earlier header has the same header.
 */
static __attribute__((noinline)) enum pa_line_kind
parse_uncached(const char *line, size_t len, struct pa_trace_line *out,
	       struct pa_trace_hdr_cache *hc, unsigned int prev, unsigned int tried)
{
	struct pa_trace_hdr_entry *e = &hc->e[tried];
	struct spans sp = { 0 };
	const char *after;
	enum pa_line_kind k;

	if (!parse_with(e, line, len, out, &sp, &k)) {
		hc->last = entry_of(line, len);
		e = &hc->e[hc->last];
		if (hc->last != tried && tpl_match(&e->tpl[len % PA_TRACE_TPLS], line, len, out)) {
			e->last_len = (uint16_t)len;
			hc->e[prev].next = (uint8_t)hc->last;
			return PA_LINE_ACCESS;
		}
		if (hc->last == tried || !parse_with(e, line, len, out, &sp, &k)) {
			k = parse_from_start(line, len, out, 1, &e->body, &sp, &after);
			e->len = 0;
			if (after && (size_t)(after - line) <= sizeof(e->bytes)) {
				e->len = (size_t)(after - line);
				memcpy(e->bytes, line, e->len);
				e->task_off = (size_t)(out->task.s - line);
				e->task_len = out->task.len;
				e->hdr_pid = out->hdr_pid;
				e->hdr_tgid = out->hdr_tgid;
				e->cpu = out->cpu;
			}
		}
	}
	if (k == PA_LINE_ACCESS && sp.rw)
		tpl_make(&e->tpl[len % PA_TRACE_TPLS], line, len, out, &sp);
	if (e->tpl[len % PA_TRACE_TPLS].len == len)
		e->last_len = (uint16_t)len;
	hc->e[prev].next = (uint8_t)hc->last;
	return k;
}

enum pa_line_kind pa_trace_parse_line_cached(const char *line, size_t len,
					     struct pa_trace_line *out,
					     struct pa_trace_hdr_cache *hc)
{
	unsigned int prev = hc->last, tried = hc->e[prev].next;

	/* the entry that followed the last one before: threads taking turns find theirs */
	hc->last = tried;
	if (tpl_match(&hc->e[tried].tpl[len % PA_TRACE_TPLS], line, len, out)) {
		hc->e[tried].last_len = (uint16_t)len;
		return PA_LINE_ACCESS;
	}
	return parse_uncached(line, len, out, hc, prev, tried);
}

size_t pa_trace_parse_predicted(const char *text, size_t avail, struct pa_trace_line *out,
				struct pa_trace_hdr_cache *hc)
{
	unsigned int tried = hc->e[hc->last].next;
	struct pa_trace_hdr_entry *e = &hc->e[tried];
	unsigned int first = e->last_len % PA_TRACE_TPLS;

	/*
	 * A template's bytes hold no newline and its variable fields take none, so a
	 * line that matches it ends where it does, whatever bytes follow
	 */
	for (unsigned int i = 0; i < PA_TRACE_TPLS; i++) {
		const struct pa_trace_tpl *t = &e->tpl[(first + i) % PA_TRACE_TPLS];

		if (t->len && t->len < avail && text[t->len] == '\n' &&
		    tpl_match(t, text, t->len, out)) {
			e->last_len = t->len;
			hc->last = tried;
			return t->len;
		}
	}
	return 0;
}

static enum pa_line_kind parse_body(struct cursor c, struct pa_trace_line *out, int fast,
				    struct pa_trace_body_cache *bc, struct spans *sp)
{
	struct pa_str t;

	if (fast && fast_access(c.p, c.end, out, bc, sp) == 0)
		return PA_LINE_ACCESS;

	/* flags (4 or 5 characters on current kernels; absent with irq-info off) */
	t = token(&c);
	if (timestamp(t, &out->time_ns)) {
		if (t.len == 0 || t.len > 8)
			return malformed(out, "bad flags field");
		if (timestamp(token(&c), &out->time_ns))
			return malformed(out, "bad timestamp");
	}

	skip_spaces(&c);
	out->event.s = c.p;
	while (c.p < c.end && *c.p != ':' && *c.p != ' ')
		c.p++;
	out->event.len = (size_t)(c.p - out->event.s);
	if (out->event.len == 0 || c.p == c.end || *c.p != ':')
		return malformed(out, "no event name after the timestamp");
	c.p++;

	if (str_is(out->event, "handle_mm_fault"))
		return parse_access(&c, out);
	if (str_is(out->event, "init_page_access_trace"))
		return parse_marker(&c, out, "START", PA_LINE_START);
	if (str_is(out->event, "__reset_page_access_trace"))
		return parse_marker(&c, out, "END", PA_LINE_END);
	if (str_is(out->event, "page_access_mmap"))
		return parse_map(&c, out, PA_LINE_MMAP);
	if (str_is(out->event, "page_access_munmap"))
		return parse_map(&c, out, PA_LINE_MUNMAP);
	out->kind = PA_LINE_OTHER;
	return PA_LINE_OTHER;
}

static int is_odigit(char c)
{
	return c >= '0' && c <= '7';
}

/* The kernel's page_access_print_str() writes the escapes this decodes. */
char *pa_trace_unescape(struct pa_str s, char *buf, size_t size)
{
	size_t n = 0;

	for (size_t i = 0; i < s.len && n + 1 < size; i++) {
		unsigned int v = 0;

		if (s.s[i] == '\\' && i + 3 < s.len && is_odigit(s.s[i + 1]) &&
		    is_odigit(s.s[i + 2]) && is_odigit(s.s[i + 3]))
			v = (unsigned int)(s.s[i + 1] - '0') << 6 | (unsigned int)(s.s[i + 2] - '0') << 3 |
			    (unsigned int)(s.s[i + 3] - '0');
		if (v > 0 && v < 256) {
			buf[n++] = (char)v;
			i += 3;
		} else {
			buf[n++] = s.s[i];
		}
	}
	buf[n] = '\0';
	return buf;
}

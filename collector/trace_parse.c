// SPDX-License-Identifier: MIT
/*
 * ftrace text line parser. The header is "<task>-<pid> [(<tgid>)] [<cpu>] <flags>
 * <sec>.<frac>: <event>: <fields>"; a task name may itself hold dashes, spaces and
 * slashes, so the header is anchored on the "[cpu]" field and read backwards from it.
 */
#include <endian.h>
#include <string.h>

#include "pat/event.h"
#include "pat/trace_parse.h"
#include "trace_body.h"
#include "trace_cache.h"
#include "trace_tpl.h"

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

/* Whether @s is a word of lower-case letters, digits and '_', as the kernel's field names. */
static int lower_word(struct pa_str s)
{
	for (size_t i = 0; i < s.len; i++)
		if (!(s.s[i] >= 'a' && s.s[i] <= 'z') && !(s.s[i] >= '0' && s.s[i] <= '9') &&
		    s.s[i] != '_')
			return 0;
	return s.len > 0;
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

/*
 * "START <comm> [pid=N] [ppid=N] [sample_shift=K]": the trailing fields are peeled off
 * the end, the name may hold spaces. A key=value field after pid= that this reader does
 * not know (a newer kernel's) is skipped.
 */
static enum pa_line_kind parse_marker(struct cursor *c, struct pa_trace_line *out,
				      const char *word, enum pa_line_kind kind)
{
	struct pa_str t = token(c), key, val;
	const char *end = c->end, *unknown_end = NULL;
	int have_pid = 0;

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
			have_pid = 1;
		} else if (str_is(key, "ppid")) {
			if (dec_u32(val, &out->ppid))
				return malformed(out, "bad ppid= in marker");
		} else if (str_is(key, "sample_shift")) {
			uint32_t k;

			if (dec_u32(val, &k) || k > PA_SAMPLE_SHIFT_MAX)
				return malformed(out, "bad sample_shift= in marker");
			out->sample_shift = (uint8_t)k;
		} else if (have_pid || !lower_word(key)) {
			break;
		} else if (!unknown_end) {
			unknown_end = end;
		}
		end = s;
		while (end > c->p && end[-1] == ' ')
			end--;
	}
	/* Without pid= (traces of older kernels) an unknown field is part of the name. */
	if (unknown_end && !have_pid)
		end = unknown_end;
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

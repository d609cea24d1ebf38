/* SPDX-License-Identifier: MIT */
#ifndef PAT_COLLECTOR_TRACE_CACHE_H
#define PAT_COLLECTOR_TRACE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "pat/trace_parse.h"

/*
 * The parser's caches, private to collector/: the importer keeps one struct
 * pa_trace_hdr_cache and parses through it; pa_trace_parse_line (pat/trace_parse.h)
 * gives the same answers without. docs/design.md §3 says why they exist.
 */

/*
 * Parts of the last handle_mm_fault line parsed through a cache, with what they parsed
 * to: consecutive lines mostly differ only in the time's fraction, the address and
 * perhaps the ip, and comparing the other bytes with the line before costs less than
 * parsing them again. Each part is the bytes that alone decide its fields.
 */
struct pa_trace_body_cache {
	uint8_t pre_len;	/* flags, spaces, seconds and '.'; 0: none */
	uint8_t mid_len;	/* ':' after the fraction to the space after the tid */
	uint8_t ip_len;		/* the ip, without the space after it */
	uint8_t tail_len;	/* after the address to the end of the line */
	uint8_t ev_off;		/* the event name's offset in mid */
	uint8_t has_tail;	/* tail holds a parsed tail (it may be empty) */
	uint8_t tail_flags;	/* PA_EV_DEMAND from the tail */
	char pre[24];
	char mid[40];
	char ip[24];
	char tail[56];
	uint32_t tid, tgid;
	uint64_t sec, ip_value, aux;
};

/*
 * A whole handle_mm_fault line that the fast path parsed, kept with what it parsed to.
 * A later line of the same length whose bytes equal it everywhere but in the time's
 * fraction, R/W, the ip's and the address's digits, which hold digits for digits (and
 * R or W), parses to the same fields with only those four read again: every other
 * byte, and so every decision of the parser, is the same. Lines of a task mostly differ
 * from its line before only there, and comparing 16 bytes at a time costs a fraction
 * of parsing them.
 */
struct pa_trace_tpl {
	uint16_t len;		/* 0: none */
	uint8_t frac_off, frac_digits;	/* frac_digits 0: the fraction is fixed */
	uint8_t rw_off, ip_off, ip_digits, addr_off, addr_digits;
	uint8_t task_off, event_off;
	uint64_t sec_ns, frac_scale;	/* time = sec_ns + fraction * frac_scale */
	uint8_t fixed[192];	/* 0xff for each byte of the line that must match, else 0 */
	uint8_t fixed_last[16];	/* the same for the last 16 bytes of the line */
	char bytes[192];	/* longer lines get no template */
	struct pa_trace_line line;	/* task.s and event.s at task_off, event_off */
};

#define PA_TRACE_TPLS 4

/*
 * The header ("task-pid [cpu]" with what precedes it) of a line parsed through a cache,
 * and the parts of its body above: lines of one task on one CPU start with the same
 * bytes, and comparing them costs less than parsing them again.
 */
struct pa_trace_hdr_entry {
	char bytes[64];		/* the line up to the end of its header */
	size_t len;		/* 0: nothing cached */
	size_t task_off, task_len;
	uint32_t hdr_pid, hdr_tgid, cpu;
	uint8_t next;		/* the entry of the line after the last line of this one */
	uint16_t last_len;	/* the length of the last line with a template here */
	struct pa_trace_body_cache body;
	/*
	 * The last line of each length modulo PA_TRACE_TPLS: lines of one task alternate
	 * between lengths ("fault=demand" and "fault=reset", addresses of other lengths)
	 */
	struct pa_trace_tpl tpl[PA_TRACE_TPLS];
};

/*
 * The headers of the tasks seen last, so that the lines of threads interleaved in one
 * trace each find their own: an entry per hash of the bytes before the first ']'
 * (the end of "[cpu]"), the entry that followed the one used last tried first. Zero it
 * before the first line.
 */
#define PA_TRACE_HDR_ENTRIES 8

struct pa_trace_hdr_cache {
	struct pa_trace_hdr_entry e[PA_TRACE_HDR_ENTRIES];
	unsigned int last;
};

/*
 * pa_trace_parse_line_cached - pa_trace_parse_line, through the templates in @hc, else
 * skipping the header when the line starts with a header in @hc, and the parts of a
 * handle_mm_fault body that equal those of an earlier line with that header;
 * remembering this line's.
 */
enum pa_line_kind pa_trace_parse_line_cached(const char *line, size_t len,
					     struct pa_trace_line *out,
					     struct pa_trace_hdr_cache *hc);

/*
 * pa_trace_parse_predicted - the line at the start of the @avail bytes at @text, when
 * it ends where a template of the entry pa_trace_parse_line_cached would try first
 * predicts (a newline right after as many bytes as the template has) and matches it:
 * parsed into *@out (a handle_mm_fault line) as pa_trace_parse_line_cached would, and
 * its length without the newline returned. 0 when not, with @hc and *@out as they
 * were: then find the line's end and call pa_trace_parse_line_cached. Saves the search
 * for the end of most lines.
 */
size_t pa_trace_parse_predicted(const char *text, size_t avail, struct pa_trace_line *out,
				struct pa_trace_hdr_cache *hc);

#endif

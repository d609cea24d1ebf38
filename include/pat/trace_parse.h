/* SPDX-License-Identifier: MIT */
#ifndef PAT_TRACE_PARSE_H
#define PAT_TRACE_PARSE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parsing of ftrace text lines (trace_pipe or trace) as the patched kernel prints them;
 * see kernel/TRACE-FORMAT.md. Pure: a line in, a struct out, no I/O, no allocation.
 */

enum pa_line_kind {
	PA_LINE_BLANK,		/* empty or only white space */
	PA_LINE_COMMENT,	/* '#' header lines of the trace file */
	PA_LINE_ACCESS,		/* handle_mm_fault */
	PA_LINE_START,		/* init_page_access_trace: START */
	PA_LINE_END,		/* __reset_page_access_trace: END */
	PA_LINE_MMAP,		/* page_access_mmap */
	PA_LINE_MUNMAP,		/* page_access_munmap */
	PA_LINE_LOST,		/* CPU:N [LOST M EVENTS] */
	PA_LINE_OTHER,		/* a well-formed line of some other event */
	PA_LINE_MALFORMED,	/* see .reason */
};

/*
 * Largest sample_shift a START line may carry: the kernel takes 0..16
 * (/proc/sys/vm/page_access_trace_sample_shift, kernel/README.md); a reader accepts up to
 * 31 so that a kernel with a higher limit still parses.
 */
#define PA_SAMPLE_SHIFT_MAX 31

/* Strings are pointers into the parsed line (not NUL-terminated): valid while it is. */
struct pa_str {
	const char *s;
	size_t len;
};

struct pa_trace_line {
	enum pa_line_kind kind;
	const char *reason;	/* PA_LINE_MALFORMED: a static description */

	/* ftrace header, for every kind but BLANK, COMMENT, LOST and MALFORMED */
	struct pa_str task;	/* "target-app", "<...>", may hold spaces and dashes */
	uint32_t hdr_pid;
	uint32_t hdr_tgid;	/* 0 when the optional "(tgid)" column is absent */
	uint32_t cpu;
	uint64_t time_ns;
	struct pa_str event;	/* event name */

	/* PA_LINE_ACCESS */
	uint32_t tid;
	uint32_t tgid;		/* 0 when the line has no tgid= field */
	uint64_t ip;
	uint64_t addr;
	uint64_t aux;		/* 0 when absent */
	uint8_t flags;		/* PA_EV_WRITE, PA_EV_DEMAND */

	/* PA_LINE_START, PA_LINE_END: pid 0 when the line has no pid= field */
	struct pa_str comm;
	uint32_t pid;
	uint32_t ppid;
	/* PA_LINE_START: the process samples one page in 2^sample_shift (0 when absent) */
	uint8_t sample_shift;

	/* PA_LINE_MMAP, PA_LINE_MUNMAP (pid above) */
	uint64_t start;
	uint64_t end;
	uint64_t pgoff;
	struct pa_str prot;
	struct pa_str path;
	struct pa_str why;	/* reason= of an mmap event */

	/* PA_LINE_LOST (cpu above) */
	uint64_t lost;
};

/*
 * pa_trace_parse_line - parse one line of @len bytes (without its newline; a trailing
 * '\r' is ignored) into @out. Returns out->kind; never fails otherwise.
 */
enum pa_line_kind pa_trace_parse_line(const char *line, size_t len, struct pa_trace_line *out);

/*
 * pa_trace_unescape - @s with the kernel's escapes decoded, into @buf (@size > 0 bytes,
 * NUL-terminated, cut to fit). The kernel prints every control character, DEL and
 * backslash of a name or path as a backslash and three octal digits (kernel/
 * TRACE-FORMAT.md); any other backslash (traces of kernels that did not escape) and an
 * escape of NUL are kept as they are. Returns @buf.
 */
char *pa_trace_unescape(struct pa_str s, char *buf, size_t size);

/*
 * pa_trace_parse_line_any - the same, with @fast 0 skipping the fast path for
 * handle_mm_fault lines: for tests that check both paths give the same answers.
 */
enum pa_line_kind pa_trace_parse_line_any(const char *line, size_t len,
					  struct pa_trace_line *out, int fast);

#endif

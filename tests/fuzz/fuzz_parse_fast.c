// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the trace parser's fast path for handle_mm_fault lines must give exactly
 * what the general parser gives, for any bytes (the fast path either agrees or declines);
 * and each line parsed after others through the header and body caches and the line
 * templates (with its end predicted, where a template does) exactly what it gives alone.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pat/trace_parse.h"
#include "trace_cache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same_str(struct pa_str a, struct pa_str b)
{
	return a.s == b.s && a.len == b.len;
}

/* Traps unless @f and @g (kinds @kf, @kg) are the same parse of the same bytes. */
static void check_same(enum pa_line_kind kf, const struct pa_trace_line *fp,
		       enum pa_line_kind kg, const struct pa_trace_line *gp)
{
	struct pa_trace_line f = *fp, g = *gp;

	if (kf != kg || f.kind != g.kind)
		__builtin_trap();
	if (kf == PA_LINE_MALFORMED && strcmp(f.reason, g.reason) != 0)
		__builtin_trap();
	if (!same_str(f.task, g.task) || f.hdr_pid != g.hdr_pid || f.hdr_tgid != g.hdr_tgid ||
	    f.cpu != g.cpu || f.time_ns != g.time_ns || !same_str(f.event, g.event))
		__builtin_trap();
	if (f.tid != g.tid || f.tgid != g.tgid || f.ip != g.ip || f.addr != g.addr ||
	    f.aux != g.aux || f.flags != g.flags)
		__builtin_trap();
	if (!same_str(f.comm, g.comm) || f.pid != g.pid || f.ppid != g.ppid ||
	    f.start != g.start || f.end != g.end || f.pgoff != g.pgoff ||
	    !same_str(f.prot, g.prot) || !same_str(f.path, g.path) || !same_str(f.why, g.why) ||
	    f.lost != g.lost)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pa_trace_line f, g;
	struct pa_trace_hdr_cache hc;
	const char *text = (const char *)data, *nl = memchr(text, '\n', size);
	enum pa_line_kind kf = pa_trace_parse_line_any(text, size, &f, 1);
	enum pa_line_kind kg = pa_trace_parse_line_any(text, size, &g, 0);

	check_same(kf, &f, kg, &g);
	/*
	 * The caches of header and body: every line, parsed after the ones before it
	 * (whose parts it may reuse), must parse as it does alone.
	 */
	if (nl) {
		const char *p = text, *end = text + size;

		memset(&hc, 0, sizeof(hc));
		while (p <= end) {
			const char *e = memchr(p, '\n', (size_t)(end - p));
			size_t n = e ? (size_t)(e - p) : (size_t)(end - p);
			size_t predicted = pa_trace_parse_predicted(p, (size_t)(end - p), &f, &hc);

			/* a predicted line must end at its newline and parse as the cache would */
			if (predicted && predicted != n)
				__builtin_trap();
			kf = predicted ? PA_LINE_ACCESS : pa_trace_parse_line_cached(p, n, &f, &hc);
			kg = pa_trace_parse_line_any(p, n, &g, 1);
			check_same(kf, &f, kg, &g);
			if (!e)
				break;
			p = e + 1;
		}
	}
	return 0;
}

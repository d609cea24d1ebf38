// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the trace parser's fast path for handle_mm_fault lines must give exactly
 * what the general parser gives, for any bytes (the fast path either agrees or declines).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pat/trace_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same_str(struct pa_str a, struct pa_str b)
{
	return a.s == b.s && a.len == b.len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pa_trace_line f, g;
	enum pa_line_kind kf = pa_trace_parse_line_any((const char *)data, size, &f, 1);
	enum pa_line_kind kg = pa_trace_parse_line_any((const char *)data, size, &g, 0);

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
	return 0;
}

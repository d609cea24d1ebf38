// SPDX-License-Identifier: MIT
/* Fuzz target: any bytes as one trace line, and as a whole trace fed to the importer. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pat/trace_parse.h"
#include "procmaps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pa_trace_line l;
	struct pa_maps_entry e;
	enum pa_line_kind k = pa_trace_parse_line((const char *)data, size, &l);

	/* Whatever was recognised points into the line, never outside it. */
	if (k == PA_LINE_MALFORMED && !l.reason)
		__builtin_trap();
	if (l.task.s && (l.task.s < (const char *)data ||
			 l.task.s + l.task.len > (const char *)data + size))
		__builtin_trap();
	if (l.comm.s && (l.comm.s < (const char *)data ||
			 l.comm.s + l.comm.len > (const char *)data + size))
		__builtin_trap();
	if (l.path.s && (l.path.s < (const char *)data ||
			 l.path.s + l.path.len > (const char *)data + size))
		__builtin_trap();
	if (pa_parse_maps_line((const char *)data, size, &e) == 0 && e.end < e.start)
		__builtin_trap();
	return 0;
}

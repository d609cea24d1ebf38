/* SPDX-License-Identifier: MIT */
#ifndef PAT_COLLECTOR_PROCMAPS_H
#define PAT_COLLECTOR_PROCMAPS_H

#include <stddef.h>
#include <stdint.h>

#include "pat/trace_parse.h"

/* One line of /proc/PID/maps: "start-end perms offset dev inode [path]". */
struct pa_maps_entry {
	uint64_t start;
	uint64_t end;
	uint64_t pgoff;
	struct pa_str prot;	/* "r-xp" */
	struct pa_str path;	/* may be empty; "[heap]", "[stack]", a file */
};

/*
 * pa_parse_maps_line - parse one line of @len bytes (no newline). Pure. Returns 0, or
 * -1 when the line does not have the form.
 */
int pa_parse_maps_line(const char *line, size_t len, struct pa_maps_entry *out);

#endif

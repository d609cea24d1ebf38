/* SPDX-License-Identifier: MIT */
#ifndef PAT_ANALYZE_SYMBOLS_H
#define PAT_ANALYZE_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#include "pat/store.h"

/*
 * Symbolization of user instruction pointers: which mapping of a process held an ip
 * (from the run's maps table), and which function and source line of the mapped ELF
 * file that is (elfutils libdwfl: symbol tables, DWARF line tables, separate debuginfo
 * found by build-id). The answer is "unknown" rather than a guess whenever the file is
 * missing or does not match the mapping, or no mapping covered the ip.
 */

/* A file mapping: [start, end) maps the file @path from byte offset @offset. */
struct pa_sym_map {
	uint64_t start;
	uint64_t end;
	uint64_t offset;	/* bytes, as in /proc/PID/maps (the maps table's pgoff) */
	const char *path;
};

struct pa_symbols;

/*
 * pa_symbols_new - an empty symbolizer (a cache of opened files), with libdw loaded.
 * Returns 0, -PA_ENOMEM, or -PA_ENOLIB when libdw.so.1 cannot be loaded.
 */
int pa_symbols_new(struct pa_symbols **out);

/* pa_symbols_free - close every cached file. NULL allowed. */
void pa_symbols_free(struct pa_symbols *s);

/*
 * pa_symbols_resolve - symbolize @ip executed from mapping @m: the file offset of @ip is
 * m->offset + (ip - m->start), which must lie in an executable PT_LOAD segment of the
 * ELF file m->path; that segment gives the ELF address (so PIE executables, shared
 * libraries and non-PIE executables are handled alike, whatever the load address).
 * Writes "name+0xoff" into @sym and "file:line" into @src (NUL-terminated, truncated to
 * their sizes), or "" for each part that is unknown: @ip outside @m, a path that is not
 * a regular file ("[heap]", "", "... (deleted)"), a missing or unreadable file, no
 * matching segment, no symbol containing the address, or no line information.
 * Returns 1 when a symbol was found, 0 when not, -PA_ENOMEM when out of memory.
 */
int pa_symbols_resolve(struct pa_symbols *s, const struct pa_sym_map *m, uint64_t ip,
		       char *sym, size_t symsize, char *src, size_t srcsize);

/*
 * pa_symbols_find_map - the mapping of process @tgid that held @ip at @time_ns, as
 * pa_store_map_at (pat/store.h) finds it by the rules of `paanalyze help heatmap`. The
 * path is copied into @path (truncated to @pathsize) and m->path points at it. Returns 1
 * when found, 0 when not, or a negated pa_err (message in pa_store_errmsg).
 */
int pa_symbols_find_map(struct pa_store *st, uint32_t tgid, uint64_t ip, uint64_t time_ns,
			struct pa_sym_map *m, char *path, size_t pathsize);

#endif

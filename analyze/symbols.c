// SPDX-License-Identifier: MIT
/*
 * Symbolization with elfutils libdwfl. Each ELF file is reported once, in a Dwfl of its
 * own, at its link-time addresses; an ip is turned into a file offset through the
 * mapping that held it, and the file offset into a link-time address through the
 * file's PT_LOAD program headers. That makes the load address (PIE, shared library,
 * fixed ET_EXEC) irrelevant and checks that the mapping matches the file as a side
 * effect: an offset outside every executable segment gives no symbol, not a wrong one.
 */
#include <dlfcn.h>
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pat/error.h"
#include "pat/grow.h"
#include "symbols.h"

struct segment {
	uint64_t offset, filesz, vaddr;
};

struct elf_file {
	char *path;
	Dwfl *dwfl;		/* NULL when the file could not be used */
	Dwfl_Module *mod;
	Dwarf_Addr bias;	/* module address = ELF address + bias */
	struct segment *segs;	/* executable PT_LOAD segments */
	size_t nsegs;
};

/*
 * libdw, loaded by pa_symbols_new rather than linked: linked, it and the libraries
 * behind it (libelf, libz, liblzma, libbz2) cost every paanalyze command 0.57 ms of
 * loading (`perf stat` of an empty program with and without them), and only heatmap
 * symbolizes. Each pointer has the type of the function's declaration.
 */
struct libdw {
	void *handle;
	__typeof__(dwfl_begin) *begin;
	__typeof__(dwfl_end) *end;
	__typeof__(dwfl_report_begin) *report_begin;
	__typeof__(dwfl_report_elf) *report_elf;
	__typeof__(dwfl_report_end) *report_end;
	__typeof__(dwfl_module_getelf) *module_getelf;
	__typeof__(dwfl_module_addrinfo) *module_addrinfo;
	__typeof__(dwfl_module_getsrc) *module_getsrc;
	__typeof__(dwfl_lineinfo) *lineinfo;
	__typeof__(dwfl_build_id_find_elf) *build_id_find_elf;
	__typeof__(dwfl_standard_find_debuginfo) *standard_find_debuginfo;
	__typeof__(dwfl_offline_section_address) *offline_section_address;
	__typeof__(elf_version) *elf_version;
	__typeof__(elf_getphdrnum) *elf_getphdrnum;
	__typeof__(gelf_getphdr) *gelf_getphdr;
};

/* Where dlsym's answer for each name goes (libelf's are found behind libdw). */
static const struct {
	const char *name;
	size_t at;
} libdw_syms[] = {
	{ "dwfl_begin", offsetof(struct libdw, begin) },
	{ "dwfl_end", offsetof(struct libdw, end) },
	{ "dwfl_report_begin", offsetof(struct libdw, report_begin) },
	{ "dwfl_report_elf", offsetof(struct libdw, report_elf) },
	{ "dwfl_report_end", offsetof(struct libdw, report_end) },
	{ "dwfl_module_getelf", offsetof(struct libdw, module_getelf) },
	{ "dwfl_module_addrinfo", offsetof(struct libdw, module_addrinfo) },
	{ "dwfl_module_getsrc", offsetof(struct libdw, module_getsrc) },
	{ "dwfl_lineinfo", offsetof(struct libdw, lineinfo) },
	{ "dwfl_build_id_find_elf", offsetof(struct libdw, build_id_find_elf) },
	{ "dwfl_standard_find_debuginfo", offsetof(struct libdw, standard_find_debuginfo) },
	{ "dwfl_offline_section_address", offsetof(struct libdw, offline_section_address) },
	{ "elf_version", offsetof(struct libdw, elf_version) },
	{ "elf_getphdrnum", offsetof(struct libdw, elf_getphdrnum) },
	{ "gelf_getphdr", offsetof(struct libdw, gelf_getphdr) },
};

struct pa_symbols {
	struct libdw dw;
	Dwfl_Callbacks callbacks;
	char *debuginfo_path;	/* NULL: libdw's default places */
	struct elf_file *files;
	size_t n, cap;
};

/* Loads libdw into @s. Returns 0, or -PA_ENOLIB when it or a function is missing. */
static int libdw_load(struct pa_symbols *s)
{
	s->dw.handle = dlopen("libdw.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!s->dw.handle)
		return -PA_ENOLIB;
	for (size_t i = 0; i < sizeof(libdw_syms) / sizeof(libdw_syms[0]); i++) {
		void *f = dlsym(s->dw.handle, libdw_syms[i].name);

		if (!f)
			return -PA_ENOLIB;
		/* POSIX lets dlsym's object pointer be used as the function pointer */
		memcpy((char *)&s->dw + libdw_syms[i].at, &f, sizeof(f));
	}
	s->callbacks.find_elf = s->dw.build_id_find_elf;
	s->callbacks.find_debuginfo = s->dw.standard_find_debuginfo;
	s->callbacks.section_address = s->dw.offline_section_address;
	s->callbacks.debuginfo_path = &s->debuginfo_path;
	s->dw.elf_version(EV_CURRENT);
	return 0;
}

int pa_symbols_new(struct pa_symbols **out)
{
	int err;

	*out = calloc(1, sizeof(**out));
	if (!*out)
		return -PA_ENOMEM;
	err = libdw_load(*out);
	if (err) {
		pa_symbols_free(*out);
		*out = NULL;
	}
	return err;
}

void pa_symbols_free(struct pa_symbols *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		if (s->files[i].dwfl)
			s->dw.end(s->files[i].dwfl);
		free(s->files[i].segs);
		free(s->files[i].path);
	}
	free(s->files);
	if (s->dw.handle)
		dlclose(s->dw.handle);
	free(s);
}

/* Only absolute paths of files: not "[heap]", "[vdso]", "" or a deleted file. */
static int usable_path(const char *path)
{
	static const char deleted[] = " (deleted)";
	size_t len = strlen(path), dl = sizeof(deleted) - 1;

	if (path[0] != '/')
		return 0;
	return !(len >= dl && strcmp(path + len - dl, deleted) == 0);
}

/* Reports @f->path to a new Dwfl (@s's libdw) and reads its executable segments; leaves
 * f->dwfl NULL when the file cannot be used. Returns 0 or -PA_ENOMEM. */
static int load(const struct pa_symbols *s, struct elf_file *f)
{
	struct stat sb;
	size_t nph;
	Elf *elf;
	int fd;

	/* a FIFO, device or socket named in a mapping is never opened: stat first, then
	 * open without blocking (a FIFO put there meanwhile), and check what was opened */
	if (!usable_path(f->path) || stat(f->path, &sb) || !S_ISREG(sb.st_mode))
		return 0;
	fd = open(f->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		close(fd);
		return 0;
	}
	f->dwfl = s->dw.begin(&s->callbacks);
	if (!f->dwfl) {
		close(fd);
		return -PA_ENOMEM;
	}
	s->dw.report_begin(f->dwfl);
	/* ET_DYN with add_p_vaddr: base 0 puts the file at its own p_vaddr (bias 0);
	 * ET_EXEC ignores the base. The bias is read back below either way. */
	f->mod = s->dw.report_elf(f->dwfl, f->path, f->path, fd, 0, true);
	s->dw.report_end(f->dwfl, NULL, NULL);
	if (!f->mod) {
		close(fd);	/* not consumed on failure */
		goto unusable;
	}
	elf = s->dw.module_getelf(f->mod, &f->bias);
	if (!elf || s->dw.elf_getphdrnum(elf, &nph))
		goto unusable;
	f->segs = calloc(nph ? nph : 1, sizeof(*f->segs));
	if (!f->segs) {
		s->dw.end(f->dwfl);
		f->dwfl = NULL;
		return -PA_ENOMEM;
	}
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;

		if (!s->dw.gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD ||
		    !(ph.p_flags & PF_X) || ph.p_filesz == 0)
			continue;
		f->segs[f->nsegs++] = (struct segment){ ph.p_offset, ph.p_filesz, ph.p_vaddr };
	}
	if (f->nsegs)
		return 0;
unusable:
	free(f->segs);
	f->segs = NULL;
	f->nsegs = 0;
	s->dw.end(f->dwfl);
	f->dwfl = NULL;
	return 0;
}

/* The cache entry of @path, loading it the first time. NULL when out of memory. */
static struct elf_file *file_of(struct pa_symbols *s, const char *path)
{
	struct elf_file *f;

	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->files[i].path, path) == 0)
			return &s->files[i];
	f = pa_grow(s->files, &s->cap, s->n, sizeof(*f), 8);
	if (!f)
		return NULL;
	s->files = f;
	f = &s->files[s->n];
	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	if (!f->path)
		return NULL;
	if (load(s, f)) {
		free(f->path);
		return NULL;
	}
	s->n++;
	return f;
}

int pa_symbols_resolve(struct pa_symbols *s, const struct pa_sym_map *m, uint64_t ip,
		       char *sym, size_t symsize, char *src, size_t srcsize)
{
	const struct segment *seg = NULL;
	struct elf_file *f;
	uint64_t off, addr;
	GElf_Off symoff = 0;
	GElf_Sym es;
	const char *name;
	Dwfl_Line *line;

	if (symsize)
		sym[0] = '\0';
	if (srcsize)
		src[0] = '\0';
	if (!m->path || ip < m->start || ip >= m->end)
		return 0;
	f = file_of(s, m->path);
	if (!f)
		return -PA_ENOMEM;
	if (!f->dwfl)
		return 0;
	off = m->offset + (ip - m->start);
	for (size_t i = 0; i < f->nsegs; i++) {
		if (off >= f->segs[i].offset && off - f->segs[i].offset < f->segs[i].filesz) {
			seg = &f->segs[i];
			break;
		}
	}
	if (!seg)
		return 0;
	addr = seg->vaddr + (off - seg->offset) + f->bias;

	name = s->dw.module_addrinfo(f->mod, addr, &symoff, &es, NULL, NULL, NULL);
	/* A sized symbol must contain the address; a sizeless one only names its start. */
	if (!name || !name[0] || (es.st_size ? symoff >= es.st_size : symoff != 0))
		return 0;
	if (GELF_ST_TYPE(es.st_info) != STT_FUNC && GELF_ST_TYPE(es.st_info) != STT_GNU_IFUNC &&
	    GELF_ST_TYPE(es.st_info) != STT_NOTYPE)
		return 0;
	snprintf(sym, symsize, "%s+0x%" PRIx64, name, (uint64_t)symoff);

	line = s->dw.module_getsrc(f->mod, addr);
	if (line) {
		int lineno = 0;
		const char *file = s->dw.lineinfo(line, NULL, &lineno, NULL, NULL, NULL);

		if (file && file[0] && lineno > 0)
			snprintf(src, srcsize, "%s:%d", file, lineno);
	}
	return 1;
}

int pa_symbols_find_map(struct pa_store *st, uint32_t tgid, uint64_t ip, uint64_t time_ns,
			struct pa_sym_map *m, char *path, size_t pathsize)
{
	struct pa_map map;
	int rc = pa_store_map_at(st, tgid, ip, time_ns, &map, path, pathsize);

	if (rc > 0)
		*m = (struct pa_sym_map){ map.start, map.end, map.pgoff, map.path };
	return rc;
}

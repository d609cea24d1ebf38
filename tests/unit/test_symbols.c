// SPDX-License-Identifier: MIT
/*
 * Symbolization (analyze/symbols.c) on this very program and a shared library it uses:
 * the mappings come from /proc/self/maps, the answers from our own ELF and DWARF. Also
 * the cases that must give no answer rather than a wrong one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "pat/store.h"
#include "symbols.h"

static const int target_line = __LINE__ + 1;
__attribute__((noinline)) int pa_test_target(int x); int pa_test_target(int x) { return x * 3 + 1; }

/* The /proc/self/maps line covering @addr into @m (path into @path). */
static int self_map(uint64_t addr, struct pa_sym_map *m, char *path, size_t size)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096];
	int found = 0;

	assert_non_null(f);
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned long long s, e, off;
		char perms[8];
		int n = 0;

		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s%n", &s, &e, perms, &off, &n) < 4)
			continue;
		if (addr < s || addr >= e)
			continue;
		while (line[n] == ' ')
			n++;
		line[strcspn(line, "\n")] = '\0';
		snprintf(path, size, "%s", line + n);
		*m = (struct pa_sym_map){ s, e, off, path };
		found = 1;
	}
	fclose(f);
	return found;
}

static const char *basename_of(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static void own_function(void **state)
{
	struct pa_symbols *s;
	struct pa_sym_map m;
	char path[4096], sym[256], src[4096], want[64];
	uint64_t ip = (uint64_t)(uintptr_t)&pa_test_target;

	(void)state;
	assert_int_equal(pa_test_target(1), 4);
	assert_true(self_map(ip, &m, path, sizeof(path)));
	assert_int_equal(pa_symbols_new(&s), 0);
	assert_int_equal(pa_symbols_resolve(s, &m, ip, sym, sizeof(sym), src, sizeof(src)), 1);
	assert_string_equal(sym, "pa_test_target+0x0");
	snprintf(want, sizeof(want), "test_symbols.c:%d", target_line);
	assert_string_equal(basename_of(src), want);
	/* one byte in: same function, offset 1 (the cache answers the second time) */
	assert_int_equal(pa_symbols_resolve(s, &m, ip + 1, sym, sizeof(sym), src, sizeof(src)), 1);
	assert_string_equal(sym, "pa_test_target+0x1");
	pa_symbols_free(s);
}

static void shared_library(void **state)
{
	struct pa_symbols *s;
	struct pa_sym_map m;
	char path[4096], sym[256], src[4096];
	uint64_t ip = (uint64_t)(uintptr_t)&sqlite3_libversion;

	(void)state;
	assert_non_null(sqlite3_libversion());
	assert_true(self_map(ip, &m, path, sizeof(path)));
	assert_non_null(strstr(path, "libsqlite3"));
	assert_int_equal(pa_symbols_new(&s), 0);
	assert_int_equal(pa_symbols_resolve(s, &m, ip, sym, sizeof(sym), src, sizeof(src)), 1);
	assert_string_equal(sym, "sqlite3_libversion+0x0");
	pa_symbols_free(s);
}

static void no_answer(void **state)
{
	struct pa_symbols *s;
	struct pa_sym_map m, bad;
	char path[4096], gone[4200], sym[256], src[256], tmp[] = "/tmp/pa_symXXXXXX";
	uint64_t ip = (uint64_t)(uintptr_t)&pa_test_target;
	FILE *f;
	int fd;

	(void)state;
	assert_true(self_map(ip, &m, path, sizeof(path)));
	assert_int_equal(pa_symbols_new(&s), 0);

	/* ip outside the mapping */
	assert_int_equal(pa_symbols_resolve(s, &m, m.end, sym, sizeof(sym), src, sizeof(src)), 0);
	assert_string_equal(sym, "");
	assert_string_equal(src, "");
	/* the right file, but an offset in no executable segment */
	bad = m;
	bad.offset += 1ull << 40;
	assert_int_equal(pa_symbols_resolve(s, &bad, ip, sym, sizeof(sym), src, sizeof(src)), 0);
	/* no file: missing, pseudo paths, deleted, NULL */
	bad = m;
	bad.path = "/nonexistent/pat/binary";
	assert_int_equal(pa_symbols_resolve(s, &bad, ip, sym, sizeof(sym), src, sizeof(src)), 0);
	bad.path = "[heap]";
	assert_int_equal(pa_symbols_resolve(s, &bad, ip, sym, sizeof(sym), src, sizeof(src)), 0);
	bad.path = "";
	assert_int_equal(pa_symbols_resolve(s, &bad, ip, sym, sizeof(sym), src, sizeof(src)), 0);
	bad.path = NULL;
	assert_int_equal(pa_symbols_resolve(s, &bad, ip, sym, sizeof(sym), src, sizeof(src)), 0);
	snprintf(gone, sizeof(gone), "%s (deleted)", path);
	bad.path = gone;
	assert_int_equal(pa_symbols_resolve(s, &bad, ip, sym, sizeof(sym), src, sizeof(src)), 0);
	/* a file that is not ELF, and a directory */
	fd = mkstemp(tmp);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("not an ELF file\n", f);
	fclose(f);
	bad.path = tmp;
	assert_int_equal(pa_symbols_resolve(s, &bad, ip, sym, sizeof(sym), src, sizeof(src)), 0);
	bad.path = "/tmp";
	assert_int_equal(pa_symbols_resolve(s, &bad, ip, sym, sizeof(sym), src, sizeof(src)), 0);
	assert_string_equal(sym, "");
	unlink(tmp);
	/* tiny buffers are fine */
	assert_int_equal(pa_symbols_resolve(s, &m, ip, sym, 4, src, 0), 1);
	assert_string_equal(sym, "pa_");
	pa_symbols_free(s);
}

static void put(struct pa_store *st, uint64_t t, uint32_t tgid, const char *op,
		uint64_t start, uint64_t end, const char *path)
{
	struct pa_map m = { .time_ns = t, .tgid = tgid, .op = op, .start = start, .end = end,
			    .prot = "r-xp", .pgoff = 0x1000, .path = path };

	assert_int_equal(pa_store_put_map(st, &m), 0);
}

/* The path of the mapping of @tgid holding @ip at @t, "-" when none. */
static const char *at(struct pa_store *st, uint32_t tgid, uint64_t ip, uint64_t t)
{
	static char path[256];
	struct pa_sym_map m;
	int rc = pa_symbols_find_map(st, tgid, ip, t, &m, path, sizeof(path));

	assert_true(rc == 0 || rc == 1);
	if (rc == 1) {
		assert_ptr_equal(m.path, path);
		assert_true(m.start <= ip && ip < m.end);
		assert_int_equal(m.offset, 0x1000);
	}
	return rc ? path : "-";
}

/* The rules of pa_symbols_find_map, on a database written here. */
static void mapping_rules(void **state)
{
	char dir[] = "/tmp/pat-test-symbols-XXXXXX", path[64];
	struct pa_store *st;
	const uint64_t ip = 0x1500;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/run.db", dir);
	assert_int_equal(pa_store_create(path, &st), 0);
	assert_int_equal(pa_store_begin(st), 0);
	put(st, 100, 7, "map", 0x1000, 0x2000, "/a");
	put(st, 120, 8, "snapshot", 0x9000, 0xa000, "/other");	/* another process */
	put(st, 200, 7, "snapshot", 0x1000, 0x2000, "/a2");	/* one snapshot, two rows */
	put(st, 200, 7, "snapshot", 0x5000, 0x6000, "/x");
	put(st, 300, 7, "unmap", 0x1400, 0x1800, NULL);	/* part of it, with the ip */
	put(st, 400, 7, "map", 0x1000, 0x3000, "/b");
	put(st, 500, 7, "snapshot", 0x9000, 0xa000, "/y");	/* a snapshot without it */
	put(st, 950, 9, "map", 0x1000, 0x1800, "/d");		/* touched before the snapshot */
	put(st, 1000, 9, "snapshot", 0x1000, 0x2000, "/c");
	put(st, 1000, 10, "snapshot", 0x1000, 0x2000, "/c");
	put(st, 10, 11, "map", 0x1000, 0x2000, "/e");
	put(st, 20, 11, "unmap", 0x1000, 0x2000, NULL);	/* same time: unmap, then map */
	put(st, 20, 11, "map", 0x1000, 0x2000, "/f");
	put(st, 30, 11, "map", 0x1000, 0x2000, "/g");		/* same time: map, then unmap */
	put(st, 30, 11, "unmap", 0x1000, 0x2000, NULL);
	assert_int_equal(pa_store_commit(st), 0);

	assert_string_equal(at(st, 7, ip, 50), "-");		/* nothing yet */
	assert_string_equal(at(st, 7, ip, 100), "/a");		/* at the same time */
	assert_string_equal(at(st, 7, ip, 150), "/a");
	assert_string_equal(at(st, 7, 0x2000, 150), "-");	/* end is exclusive */
	assert_string_equal(at(st, 7, ip, 250), "/a2");	/* its snapshot's other row is no loss */
	assert_string_equal(at(st, 7, 0x5000, 250), "/x");
	assert_string_equal(at(st, 7, ip, 299), "/a2");
	assert_string_equal(at(st, 7, ip, 300), "-");		/* unmapped */
	assert_string_equal(at(st, 7, 0x1900, 350), "/a2");	/* the rest stays */
	assert_string_equal(at(st, 7, ip, 400), "/b");
	assert_string_equal(at(st, 7, ip, 499), "/b");
	assert_string_equal(at(st, 7, ip, 500), "-");		/* the snapshot lacks it */
	assert_string_equal(at(st, 7, ip, 1ull << 62), "-");
	assert_string_equal(at(st, 8, ip, 150), "-");		/* pages of processes differ */
	assert_string_equal(at(st, 10, ip, 900), "/c");	/* the first snapshot after */
	assert_string_equal(at(st, 9, ip, 900), "-");		/* ...unless a map came between */
	assert_string_equal(at(st, 9, ip, 960), "/d");
	assert_string_equal(at(st, 11, ip, 20), "/f");
	assert_string_equal(at(st, 11, ip, 25), "/f");
	assert_string_equal(at(st, 11, ip, 30), "-");

	assert_int_equal(pa_store_close(st), 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/run.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/run.db-shm", dir);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(own_function),
		cmocka_unit_test(shared_library),
		cmocka_unit_test(no_answer),
		cmocka_unit_test(mapping_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

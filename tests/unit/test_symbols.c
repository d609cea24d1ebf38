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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(own_function),
		cmocka_unit_test(shared_library),
		cmocka_unit_test(no_answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

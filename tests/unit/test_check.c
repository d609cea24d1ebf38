// SPDX-License-Identifier: MIT
/*
 * Unit tests of collector/check.c: the readiness checks on machines built as file
 * trees (a /proc and a tracefs of the test's making under a temporary root): a ready
 * machine, one without the tracer, without privilege, with tracefs unmounted or
 * without the events, with sampling, with a ring buffer too large for its memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "check.h"
#include "rundir.h"

/* Writes @text into @root/@path, making the directories on the way. */
static void put(const char *root, const char *path, const char *text)
{
	char full[512], *slash;
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", root, path);
	for (slash = strchr(full + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(full, 0755);
		*slash = '/';
	}
	f = fopen(full, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A machine ready to trace under @root: tracer, root, tracefs with the events. */
static void ready_machine(const char *root)
{
	static const char *const events[] = {
		"init_page_access_trace", "__reset_page_access_trace", "handle_mm_fault",
		"page_access_mmap", "page_access_munmap",
	};
	char p[256];

	put(root, "/proc/sys/kernel/osrelease", "6.12.41-pat\n");
	put(root, "/proc/trace_page_access", "");
	put(root, "/proc/self/status", "Name:\tpacollect\nUid:\t0\t0\t0\t0\n"
	    "CapEff:\t000001ffffffffff\n");
	put(root, "/proc/self/mounts", "proc /proc proc rw 0 0\n"
	    "tracefs /sys/kernel/tracing tracefs rw,nosuid 0 0\n");
	put(root, "/proc/filesystems", "nodev\tproc\nnodev\ttracefs\n");
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		snprintf(p, sizeof(p), "/sys/kernel/tracing/events/page_access/%s/enable",
			 events[i]);
		put(root, p, "0");
	}
	put(root, "/proc/sys/vm/page_access_trace_interval_us", "1000\n");
	put(root, "/proc/meminfo", "MemTotal: 8000000 kB\nMemAvailable: 4000000 kB\n");
}

struct run {
	struct pa_check_item items[PA_CHECK_MAX];
	size_t n;
};

static void run_checks(const char *root, const char *output, unsigned int buffer_kb,
		       struct run *r)
{
	struct pa_check_env env = {
		.root = root, .output = output, .buffer_kb = buffer_kb, .cpus = 4,
	};

	r->n = pa_check_run(&env, r->items);
	assert_int_equal(r->n, 8);
}

static const struct pa_check_item *find(const struct run *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->items[i].name, name) == 0)
			return &r->items[i];
	fail_msg("no item %s", name);
	return NULL;
}

static void expect(const struct run *r, const char *name, enum pa_check_status st,
		   const char *in_detail)
{
	const struct pa_check_item *it = find(r, name);

	if (it->status != st || !strstr(it->detail, in_detail))
		fail_msg("%s: status %d '%s', want %d with '%s'", name, it->status, it->detail,
			 st, in_detail);
	/* a fix exactly when the item fails */
	assert_int_equal(it->fix[0] != '\0', st == PA_CHECK_FAIL);
}

static void test_ready(void **state)
{
	struct rundir rd;
	const char *dir = rd.dir, *out = rd.path;
	struct run r;

	(void)state;
	assert_int_equal(rundir_make(&rd, "check"), 0);
	ready_machine(dir);
	run_checks(dir, out, 16384, &r);
	expect(&r, "kernel", PA_CHECK_OK, "6.12.41-pat");
	expect(&r, "privilege", PA_CHECK_OK, "uid 0");
	expect(&r, "tracefs", PA_CHECK_OK, "mounted at /sys/kernel/tracing");
	expect(&r, "events", PA_CHECK_OK, "page_access events present");
	expect(&r, "interval", PA_CHECK_OK, "every 1000 us");
	expect(&r, "sampling", PA_CHECK_NOTE, "every page");
	expect(&r, "buffer", PA_CHECK_OK, "64 MB of ring buffer, of 3906 MB");
	expect(&r, "output", PA_CHECK_OK, "MB free in");
	assert_true(pa_check_ready(r.items, r.n));

	/* sampling, and an existing output */
	put(dir, "/proc/sys/vm/page_access_trace_sample_shift", "6\n");
	put(dir, "/run.db", "");
	run_checks(dir, out, 16384, &r);
	expect(&r, "sampling", PA_CHECK_OK, "one page in 2^6 = 64");
	expect(&r, "output", PA_CHECK_FAIL, "run.db exists; use -f");
	assert_false(pa_check_ready(r.items, r.n));
	assert_int_equal(rundir_remove(&rd), 0);
}

static void test_not_ready(void **state)
{
	struct rundir rd;
	const char *dir = rd.dir, *out = rd.path;
	char p[512];
	struct run r;

	(void)state;
	assert_int_equal(rundir_make(&rd, "check"), 0);
	ready_machine(dir);

	/* the events missing from tracefs */
	snprintf(p, sizeof(p), "%s/sys/kernel/tracing/events/page_access/handle_mm_fault/enable",
		 dir);
	assert_int_equal(unlink(p), 0);
	*strrchr(p, '/') = '\0';
	assert_int_equal(rmdir(p), 0);
	run_checks(dir, out, 16384, &r);
	expect(&r, "events", PA_CHECK_FAIL, "no page_access:handle_mm_fault event");
	assert_false(pa_check_ready(r.items, r.n));

	/* tracefs not mounted: pacollect mounts it, events not looked at */
	put(dir, "/proc/self/mounts", "proc /proc proc rw 0 0\n");
	run_checks(dir, out, 16384, &r);
	expect(&r, "tracefs", PA_CHECK_OK, "not mounted; pacollect mounts it");
	expect(&r, "events", PA_CHECK_NOTE, "not looked at");
	assert_true(pa_check_ready(r.items, r.n));

	/* a ring buffer of more than half the memory available */
	run_checks(dir, out, 600000, &r);
	expect(&r, "buffer", PA_CHECK_FAIL, "more than half of the 3906 MB available");

	/* no privilege: tagging fails, and so would mounting tracefs */
	put(dir, "/proc/self/status", "Uid:\t1000\t1000\t1000\t1000\nCapEff:\t0000000000000000\n");
	run_checks(dir, out, 16384, &r);
	expect(&r, "privilege", PA_CHECK_FAIL, "uid 1000 without CAP_SYS_ADMIN");
	expect(&r, "tracefs", PA_CHECK_FAIL, "which needs privilege");

	/* no tracer and no tracefs at all: another kernel */
	snprintf(p, sizeof(p), "%s/proc/trace_page_access", dir);
	assert_int_equal(unlink(p), 0);
	put(dir, "/proc/filesystems", "nodev\tproc\n");
	put(dir, "/proc/sys/kernel/osrelease", "6.18.0\n");
	run_checks(dir, out, 16384, &r);
	expect(&r, "kernel", PA_CHECK_FAIL, "this kernel (6.18.0) has no page access tracer");
	assert_non_null(strstr(find(&r, "kernel")->fix, "kernel/README.md"));
	expect(&r, "tracefs", PA_CHECK_FAIL, "has no tracefs");
	assert_int_equal(rundir_remove(&rd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ready),
		cmocka_unit_test(test_not_ready),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * Import round trip: events generated here are printed as trace text in the shapes of
 * docs/design.md §4, fed to the importer in pieces of random size, and must come back from
 * the database unchanged and in order; the other lines must be counted as what they are.
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

#include "import.h"
#include "pat/error.h"
#include "pat/event.h"
#include "pat/format.h"
#include "pat/store.h"

#define NEVENTS 150000	/* more than two chunks */

struct expect {
	struct pa_batch ev;
	uint64_t malformed_lines[64];
	size_t nmalformed;
	uint64_t lost, other, comments, markers;
};

static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

struct text {
	char *buf;
	size_t len, cap;
	uint64_t lines;
};

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->cap - t->len < 512) {
		t->cap = t->cap ? t->cap * 2 : 1 << 20;
		t->buf = realloc(t->buf, t->cap);
		assert_non_null(t->buf);
	}
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
	t->lines++;
}

/* Builds a trace text and what importing it must give. */
static void make_trace(struct text *t, struct expect *x, uint64_t seed)
{
	uint64_t s = seed, time_us = 5000000;

	memset(x, 0, sizeof(*x));
	assert_int_equal(pa_batch_init(&x->ev, NEVENTS), 0);
	put(t, "# tracer: nop\n");
	put(t, "#\n");
	x->comments += 2;
	put(t, "  my-app 2-100  [001] ....     5.000000: init_page_access_trace: START my-app 2\n");
	x->markers++;
	for (size_t i = 0; i < NEVENTS; i++) {
		uint64_t r = rnd(&s);
		uint32_t tid = 100 + (uint32_t)(r % 3);
		uint64_t ip = 0x400000 + (r >> 8) % 64 * 8;
		uint64_t addr = 0x7f0000000000ull + (rnd(&s) % 100000) * 8;
		uint64_t aux = (r >> 20) % 4;
		int write = (r >> 30) & 1, demand = (r >> 31) & 1;
		size_t k = x->ev.n++;

		time_us += (r >> 32) % 3;
		x->ev.time_ns[k] = time_us * 1000;
		x->ev.tid[k] = tid;
		x->ev.tgid[k] = 100;
		x->ev.ip[k] = ip;
		x->ev.addr[k] = addr;
		x->ev.aux[k] = aux;
		x->ev.flags[k] = (uint8_t)((write ? PA_EV_WRITE : 0) | (demand ? PA_EV_DEMAND : 0));
		switch ((r >> 40) % 4) {
		case 0:	/* the full current format */
			put(t, "  my-app 2-%u  [%03u] d..1.  %llu.%06llu: handle_mm_fault: %u %c %llx %llx "
			    "tgid=100 aux=%llu fault=%s\n", tid, (unsigned)(r % 8),
			    (unsigned long long)(time_us / 1000000), (unsigned long long)(time_us % 1000000),
			    tid, write ? 'W' : 'R', (unsigned long long)ip, (unsigned long long)addr,
			    (unsigned long long)aux, demand ? "demand" : "reset");
			break;
		case 1:	/* tgid column, unknown task name */
			put(t, "  <...>-%u  (    100) [002] ....  %llu.%06llu: handle_mm_fault: %u %c %llx "
			    "%llx aux=%llu%s\n", tid, (unsigned long long)(time_us / 1000000),
			    (unsigned long long)(time_us % 1000000), tid, write ? 'W' : 'R',
			    (unsigned long long)ip, (unsigned long long)addr, (unsigned long long)aux,
			    demand ? " fault=demand" : "");
			break;
		default:	/* tgid= field, 0x-less aux as a bare number (Linux 4.4 tracer) */
			put(t, "my-app 2-%u [000] .... %llu.%06llu: handle_mm_fault: %u %c %llx %llx "
			    "%llu tgid=100%s\n", tid, (unsigned long long)(time_us / 1000000),
			    (unsigned long long)(time_us % 1000000), tid, write ? 'W' : 'R',
			    (unsigned long long)ip, (unsigned long long)addr, (unsigned long long)aux,
			    demand ? " fault=demand" : "");
			break;
		}
		if (r % 5000 == 0) {
			put(t, "CPU:%u [LOST %u EVENTS]\n", (unsigned)(r % 4), (unsigned)(r % 100) + 1);
			x->lost += r % 100 + 1;
		}
		if (r % 7000 == 1) {
			put(t, "  my-app 2-100  [001] ....  1.0: sched_switch: prev_comm=x\n");
			x->other++;
		}
		if (r % 9000 == 2 && x->nmalformed < 64) {
			put(t, "  my-app 2-100  [001] ....  1.0: handle_mm_fault: 100 Q 1 2\n");
			x->malformed_lines[x->nmalformed++] = t->lines;
		}
	}
	put(t, "  kworker/0:1-9  [000] .... 9999.000000: __reset_page_access_trace: END my-app 2\n");
	x->markers++;
	/* the last line has no newline: it must still count */
	put(t, "CPU:1 [LOST 7 EVENTS]");
	x->lost += 7;
}

struct seen {
	uint64_t lines[64];
	size_t n;
};

static void on_malformed(void *ctx, uint64_t lineno, const char *reason, const char *text,
			 size_t len)
{
	struct seen *s = ctx;

	assert_non_null(reason);
	assert_true(len > 0 && text[0] == ' ');
	if (s->n < 64)
		s->lines[s->n++] = lineno;
}

static int64_t count(const char *path, const char *q)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void test_round_trip(void **state)
{
	char dir[] = "/tmp/pat-test-import-XXXXXX", path[64], cmd[96];
	struct text t = { 0 };
	struct expect x;
	struct seen seen = { 0 };
	struct pa_store *st;
	struct pa_import *im;
	struct pa_chunk_iter *it;
	struct pa_batch b;
	uint64_t s = 7;
	size_t k = 0;
	int rc;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/run.db", dir);
	make_trace(&t, &x, 42);

	assert_int_equal(pa_store_create(path, &st), 0);
	im = pa_import_new(st, on_malformed, &seen);
	assert_non_null(im);
	for (size_t off = 0; off < t.len;) {
		size_t n = 1 + rnd(&s) % 300;

		if (n > t.len - off)
			n = t.len - off;
		assert_int_equal(pa_import_feed(im, t.buf + off, n), 0);
		off += n;
	}
	assert_int_equal(pa_import_finish(im), 0);
	assert_int_equal(pa_import_stats(im)->events, NEVENTS);
	assert_int_equal(pa_import_stats(im)->lines, t.lines);
	assert_int_equal(pa_import_stats(im)->malformed, x.nmalformed);
	assert_int_equal(pa_import_stats(im)->other, x.other);
	assert_int_equal(pa_import_stats(im)->comments, x.comments);
	assert_int_equal(pa_import_stats(im)->lost_events, x.lost);
	pa_import_free(im);
	assert_int_equal(pa_store_finish(st), 0);
	assert_int_equal(pa_store_close(st), 0);

	/* malformed lines were reported with their line numbers */
	assert_int_equal(seen.n, x.nmalformed);
	assert_true(x.nmalformed > 3);
	for (size_t i = 0; i < seen.n; i++)
		assert_int_equal(seen.lines[i], x.malformed_lines[i]);

	/* every event back, unchanged, in order */
	assert_int_equal(pa_store_open(path, &st), 0);
	assert_int_equal(pa_batch_init(&b, 0), 0);
	assert_int_equal(pa_store_chunks_begin(st, &it), 0);
	while ((rc = pa_store_chunks_next(it, &b, NULL)) > 0) {
		for (size_t i = 0; i < b.n; i++, k++) {
			assert_true(k < NEVENTS);
			assert_int_equal(b.time_ns[i], x.ev.time_ns[k]);
			assert_int_equal(b.tid[i], x.ev.tid[k]);
			assert_int_equal(b.tgid[i], x.ev.tgid[k]);
			assert_int_equal(b.ip[i], x.ev.ip[k]);
			assert_int_equal(b.addr[i], x.ev.addr[k]);
			assert_int_equal(b.aux[i], x.ev.aux[k]);
			assert_int_equal(b.flags[i], x.ev.flags[k]);
		}
	}
	assert_int_equal(rc, 0);
	assert_int_equal(k, NEVENTS);
	pa_store_chunks_end(it);
	pa_batch_free(&b);
	pa_store_close(st);

	assert_int_equal(count(path, "SELECT count(*) FROM chunks"), (NEVENTS + 65535) / 65536);
	assert_int_equal(count(path, "SELECT sum(count) FROM lost"), (int64_t)x.lost);
	assert_int_equal(count(path, "SELECT count(*) FROM markers"), 2);
	assert_int_equal(count(path, "SELECT pid FROM markers WHERE kind = 'END'"), 100);
	assert_int_equal(count(path, "SELECT count(*) FROM malformed"), (int64_t)x.nmalformed);
	assert_int_equal(count(path, "SELECT count(*) FROM tasks"), 3);
	assert_int_equal(count(path, "SELECT count(*) FROM tasks WHERE tgid = 100 AND "
				     "comm = 'my-app 2'"), 3);
	assert_int_equal(count(path, "SELECT sum(events) FROM tasks"), NEVENTS);

	pa_batch_free(&x.ev);
	free(t.buf);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

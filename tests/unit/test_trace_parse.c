// SPDX-License-Identifier: MIT
/* The trace line parser against every line shape of docs/design.md §4 and malformed lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "pat/event.h"
#include "pat/trace_parse.h"
#include "trace_cache.h"
#include "sameparse.h"

static enum pa_line_kind parse(const char *s, struct pa_trace_line *l)
{
	return pa_trace_parse_line(s, strlen(s), l);
}

static void assert_str(struct pa_str s, const char *want)
{
	assert_int_equal(s.len, strlen(want));
	assert_memory_equal(s.s, want, s.len);
}

static void test_original_line(void **state)
{
	struct pa_trace_line l;

	(void)state;
	assert_int_equal(parse("  target-app-1716  [013] ....    98.467282: handle_mm_fault: "
			       "1716 W 40f395 7fffffffe5b8", &l), PA_LINE_ACCESS);
	assert_str(l.task, "target-app");
	assert_int_equal(l.hdr_pid, 1716);
	assert_int_equal(l.hdr_tgid, 0);
	assert_int_equal(l.cpu, 13);
	assert_int_equal(l.time_ns, 98467282000ull);
	assert_int_equal(l.tid, 1716);
	assert_int_equal(l.tgid, 0);
	assert_int_equal(l.flags, PA_EV_WRITE);
	assert_int_equal(l.ip, 0x40f395);
	assert_int_equal(l.addr, 0x7fffffffe5b8ull);
	assert_int_equal(l.aux, 0);
}

static void test_full_fields(void **state)
{
	struct pa_trace_line l;

	(void)state;
	assert_int_equal(parse("app-77 [001] d..1. 5.000000001: handle_mm_fault: 78 R "
			       "ffffffffffffffff 0 tgid=77 aux=18446744073709551615 "
			       "fault=demand future=1", &l), PA_LINE_ACCESS);
	assert_int_equal(l.time_ns, 5000000001ull);
	assert_int_equal(l.tid, 78);
	assert_int_equal(l.tgid, 77);
	assert_int_equal(l.ip, UINT64_MAX);
	assert_int_equal(l.addr, 0);
	assert_int_equal(l.aux, UINT64_MAX);
	assert_int_equal(l.flags, PA_EV_DEMAND);
}

static void test_original_aux_bare_number(void **state)
{
	struct pa_trace_line l;

	(void)state;
	assert_int_equal(parse("a-1 [000] .... 1.5: handle_mm_fault: 1 R 10 20 42", &l),
			 PA_LINE_ACCESS);
	assert_int_equal(l.aux, 42);
	assert_int_equal(l.time_ns, 1500000000ull);
	assert_int_equal(parse("a-1 [000] .... 1.5: handle_mm_fault: 1 R 10 20 aux=0x10", &l),
			 PA_LINE_ACCESS);
	assert_int_equal(l.aux, 16);
}

static void test_task_names(void **state)
{
	struct pa_trace_line l;

	(void)state;
	assert_int_equal(parse("  my-app-v2-300 [002] .... 1.000001: handle_mm_fault: 300 R 1 2",
			       &l), PA_LINE_ACCESS);
	assert_str(l.task, "my-app-v2");
	assert_int_equal(l.hdr_pid, 300);
	assert_int_equal(parse(" my app 2-301 [002] .... 1.000001: handle_mm_fault: 301 R 1 2",
			       &l), PA_LINE_ACCESS);
	assert_str(l.task, "my app 2");
	assert_int_equal(l.hdr_pid, 301);
	assert_int_equal(parse("kworker/6:0-2039 [006] .... 1.000001: handle_mm_fault: 5 R 1 2",
			       &l), PA_LINE_ACCESS);
	assert_str(l.task, "kworker/6:0");
	assert_int_equal(parse("  <...>-1716  [013] .... 1.000001: handle_mm_fault: 1716 R 1 2",
			       &l), PA_LINE_ACCESS);
	assert_str(l.task, "<...>");
	/* a '[' inside the name is not taken for the cpu field */
	assert_int_equal(parse("x[1]-9 [003] .... 1.0: handle_mm_fault: 9 R 1 2", &l),
			 PA_LINE_ACCESS);
	assert_str(l.task, "x[1]");
	assert_int_equal(l.cpu, 3);
}

static void test_tgid_column_and_flags(void **state)
{
	struct pa_trace_line l;

	(void)state;
	assert_int_equal(parse("  target-app-1717  (   1716) [013] d..2.    98.467282: "
			       "handle_mm_fault: 1717 W 1 2", &l), PA_LINE_ACCESS);
	assert_int_equal(l.hdr_pid, 1717);
	assert_int_equal(l.hdr_tgid, 1716);
	assert_str(l.task, "target-app");
	/* ftrace prints an unknown tgid as dashes */
	assert_int_equal(parse("a-1 (-------) [000] .... 1.0: handle_mm_fault: 1 R 1 2", &l),
			 PA_LINE_ACCESS);
	assert_int_equal(l.hdr_tgid, 0);
	assert_int_equal(parse("a-1 (12x) [000] .... 1.0: handle_mm_fault: 1 R 1 2", &l),
			 PA_LINE_MALFORMED);
	/* four and five flag characters, and none (irq-info off) */
	assert_int_equal(parse("a-1 [000] dNh. 1.0: handle_mm_fault: 1 R 1 2", &l),
			 PA_LINE_ACCESS);
	assert_int_equal(parse("a-1 [000] dNh1. 1.0: handle_mm_fault: 1 R 1 2", &l),
			 PA_LINE_ACCESS);
	assert_int_equal(parse("a-1 [000] 1.25: handle_mm_fault: 1 R 1 2", &l), PA_LINE_ACCESS);
	assert_int_equal(l.time_ns, 1250000000ull);
}

static void test_markers(void **state)
{
	struct pa_trace_line l;

	(void)state;
	assert_int_equal(parse("  target-app-1716  [011] ....    98.463923: "
			       "init_page_access_trace: START target-app", &l), PA_LINE_START);
	assert_str(l.comm, "target-app");
	assert_int_equal(l.pid, 0);
	assert_int_equal(l.hdr_pid, 1716);
	assert_int_equal(parse("sh-5 [0] .... 1.0: init_page_access_trace: START my prog "
			       "pid=6 ppid=5", &l), PA_LINE_START);
	assert_str(l.comm, "my prog");
	assert_int_equal(l.pid, 6);
	assert_int_equal(l.ppid, 5);
	assert_int_equal(l.sample_shift, 0);
	/* the sample shift of the process (kernel/TRACE-FORMAT.md) */
	assert_int_equal(parse("sh-5 [0] .... 1.0: init_page_access_trace: START my prog "
			       "pid=6 ppid=5 sample_shift=4", &l), PA_LINE_START);
	assert_str(l.comm, "my prog");
	assert_int_equal(l.pid, 6);
	assert_int_equal(l.ppid, 5);
	assert_int_equal(l.sample_shift, 4);
	assert_int_equal(parse("s-5 [0] .... 1.0: init_page_access_trace: START p pid=6 ppid=5 "
			       "sample_shift=31", &l), PA_LINE_START);
	assert_int_equal(l.sample_shift, 31);
	assert_int_equal(parse("s-5 [0] .... 1.0: init_page_access_trace: START p pid=6 ppid=5 "
			       "sample_shift=32", &l), PA_LINE_MALFORMED);
	assert_string_equal(l.reason, "bad sample_shift= in marker");
	assert_int_equal(parse("s-5 [0] .... 1.0: init_page_access_trace: START p pid=6 ppid=5 "
			       "sample_shift=", &l), PA_LINE_MALFORMED);
	assert_int_equal(parse("s-5 [0] .... 1.0: init_page_access_trace: START p pid=6 ppid=5 "
			       "sample_shift=-1", &l), PA_LINE_MALFORMED);
	/* a field of a newer kernel after pid= is skipped; without pid= it is in the name */
	assert_int_equal(parse("s-5 [0] .... 1.0: init_page_access_trace: START a b=c pid=6 "
			       "ppid=5 sample_shift=2 newer_field=7", &l), PA_LINE_START);
	assert_str(l.comm, "a b=c");
	assert_int_equal(l.pid, 6);
	assert_int_equal(l.sample_shift, 2);
	assert_int_equal(parse("s-5 [0] .... 1.0: init_page_access_trace: START a b=c", &l),
			 PA_LINE_START);
	assert_str(l.comm, "a b=c");
	assert_int_equal(l.pid, 0);
	assert_int_equal(parse("  kworker/6:0-2039  [006] ....  1044.618466: "
			       "__reset_page_access_trace: END target-app", &l), PA_LINE_END);
	assert_str(l.comm, "target-app");
	assert_int_equal(l.hdr_pid, 2039);
	assert_int_equal(parse("k-1 [0] .... 1.0: __reset_page_access_trace: END x pid=9", &l),
			 PA_LINE_END);
	assert_int_equal(l.pid, 9);
	assert_int_equal(parse("k-1 [0] .... 1.0: __reset_page_access_trace: STOP x", &l),
			 PA_LINE_MALFORMED);
	assert_int_equal(parse("k-1 [0] .... 1.0: init_page_access_trace: START", &l),
			 PA_LINE_MALFORMED);
}

/*
 * A name holding a newline and a whole fake event, as the kernel prints it (control
 * characters and backslash as \ooo): one line, and the collector gets the name back.
 */
static void test_escaped_names(void **state)
{
	const char *fake = "x\nk-1 [0] .... 1.0: handle_mm_fault: 1 W 1 2 tgid=1\\y";
	const char *printed = "x\\012k-1 [0] .... 1.0: handle_mm_fault: 1 W 1 2 tgid=1\\134y";
	char line[512], buf[256];
	struct pa_trace_line l;

	(void)state;
	snprintf(line, sizeof(line), "a-1 [0] .... 1.0: page_access_mmap: pid=1 start=1000 "
		 "end=2000 prot=rw-s pgoff=0 reason=mmap path=/tmp/%s", printed);
	assert_int_equal(parse(line, &l), PA_LINE_MMAP);
	assert_string_equal(pa_trace_unescape(l.path, buf, sizeof(buf)) + 5, fake);
	snprintf(line, sizeof(line), "a-1 [0] .... 1.0: init_page_access_trace: START %s pid=7 "
		 "ppid=1", printed);
	assert_int_equal(parse(line, &l), PA_LINE_START);
	assert_int_equal(l.pid, 7);
	assert_string_equal(pa_trace_unescape(l.comm, buf, sizeof(buf)), fake);
	/* an unescaped backslash (older kernels), \000 and a cut escape stay as they are */
	assert_string_equal(pa_trace_unescape((struct pa_str){ "a\\b\\000\\01", 10 }, buf,
					      sizeof(buf)), "a\\b\\000\\01");
	/* cut to the buffer, always terminated */
	assert_string_equal(pa_trace_unescape((struct pa_str){ "abc\\101", 7 }, buf, 4), "abc");
	assert_string_equal(pa_trace_unescape((struct pa_str){ "abc\\101", 7 }, buf, 5), "abcA");
}

static void test_maps(void **state)
{
	struct pa_trace_line l;

	(void)state;
	assert_int_equal(parse("a-1 [0] .... 1.0: page_access_mmap: pid=1 start=400000 "
			       "end=401000 prot=r-xp pgoff=0 reason=exec path=/opt/my app/bin",
			       &l), PA_LINE_MMAP);
	assert_int_equal(l.pid, 1);
	assert_int_equal(l.start, 0x400000);
	assert_int_equal(l.end, 0x401000);
	assert_str(l.prot, "r-xp");
	assert_str(l.why, "exec");
	assert_str(l.path, "/opt/my app/bin");
	assert_int_equal(parse("a-1 [0] .... 1.0: page_access_munmap: pid=1 start=1000 end=2000",
			       &l), PA_LINE_MUNMAP);
	assert_int_equal(parse("a-1 [0] .... 1.0: page_access_munmap: pid=1 start=3000 end=2000",
			       &l), PA_LINE_MALFORMED);
	assert_int_equal(parse("a-1 [0] .... 1.0: page_access_mmap: pid=1 start=1000", &l),
			 PA_LINE_MALFORMED);
}

static void test_other_kinds(void **state)
{
	struct pa_trace_line l;

	(void)state;
	assert_int_equal(parse("", &l), PA_LINE_BLANK);
	assert_int_equal(parse("   \r", &l), PA_LINE_BLANK);
	assert_int_equal(parse("# tracer: nop", &l), PA_LINE_COMMENT);
	assert_int_equal(parse("#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION", &l),
			 PA_LINE_COMMENT);
	assert_int_equal(parse("CPU:3 [LOST 1234 EVENTS]", &l), PA_LINE_LOST);
	assert_int_equal(l.cpu, 3);
	assert_int_equal(l.lost, 1234);
	assert_int_equal(parse("CPU:3 [LOST many EVENTS]", &l), PA_LINE_MALFORMED);
	assert_int_equal(parse("bash-1 [001] .... 2.0: sched_switch: prev_comm=bash", &l),
			 PA_LINE_OTHER);
	assert_str(l.event, "sched_switch");
	/* a trailing CR (a trace saved on another system) is not part of the address */
	assert_int_equal(parse("a-1 [0] .... 1.0: handle_mm_fault: 1 R 1 2\r", &l),
			 PA_LINE_ACCESS);
	assert_int_equal(l.addr, 2);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"garbage",
		"a-1 [0] .... 1.0 handle_mm_fault: 1 R 1 2",		/* no colon after time */
		"a-1 [0] .... x.0: handle_mm_fault: 1 R 1 2",
		"a-1 [0] .... 1.0000000001: handle_mm_fault: 1 R 1 2",	/* 10 fraction digits */
		"a-1 [0] .... 123456789012.0: handle_mm_fault: 1 R 1 2",	/* overflows ns */
		"a-x [0] .... 1.0: handle_mm_fault: 1 R 1 2",
		"-1 [0] .... 1.0: handle_mm_fault: 1 R 1 2",		/* empty task name */
		"a-1 [0] .... 1.0: handle_mm_fault: x R 1 2",
		"a-1 [0] .... 1.0: handle_mm_fault: 1 X 1 2",
		"a-1 [0] .... 1.0: handle_mm_fault: 1 RW 1 2",
		"a-1 [0] .... 1.0: handle_mm_fault: 1 R zz 2",
		"a-1 [0] .... 1.0: handle_mm_fault: 1 R 1",
		"a-1 [0] .... 1.0: handle_mm_fault: 1 R 1 12345678901234567",	/* 17 digits */
		"a-1 [0] .... 1.0: handle_mm_fault: 4294967296 R 1 2",	/* pid > 32 bits */
		"a-1 [0] .... 1.0: handle_mm_fault: 1 R 1 2 tgid=x",
		"a-1 [0] .... 1.0: handle_mm_fault: 1 R 1 2 fault=maybe",
		"a-1 [0] .... 1.0: handle_mm_fault: 1 R 1 2 aux=99999999999999999999",
		"a-1 [0] .... 1.0:",
	};
	struct pa_trace_line l;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i], &l) != PA_LINE_MALFORMED)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(l.reason);
	}
}

static void test_not_nul_terminated(void **state)
{
	/* The parser must stop at len: the bytes after it are not part of the line. */
	const char buf[] = "a-1 [0] .... 1.0: handle_mm_fault: 1 R 1 2345";
	struct pa_trace_line l;

	(void)state;
	assert_int_equal(pa_trace_parse_line(buf, sizeof(buf) - 1 - 3, &l), PA_LINE_ACCESS);
	assert_int_equal(l.addr, 2);
}

/*
 * Lines parsed one after another through the cache, most of the same length as a line
 * before them and so compared with its template: each must parse as it does alone,
 * whatever byte differs, in a field a template lets vary (digits, R/W) or outside one.
 */
static void test_cached_templates(void **state)
{
#define HDR "       gentrace-4242  [002] .....  "
#define TAIL " tgid=4242 aux=0 fault=demand"
	static const char *const lines[] = {
		HDR "100.000000: handle_mm_fault: 4242 R 401118 7f12fccc1a28" TAIL,
		HDR "100.000001: handle_mm_fault: 4242 W 40111c 7f12fccc1b30" TAIL,
		HDR "100.000002: handle_mm_fault: 4243 W 40111c 7f12fccc1b30" TAIL,	/* tid */
		HDR "100.00000a: handle_mm_fault: 4243 W 40111c 7f12fccc1b30" TAIL,
		HDR "100.000003: handle_mm_fault: 4243 X 40111c 7f12fccc1b30" TAIL,
		HDR "100.000004: handle_mm_fault: 4243 R 40111g 7f12fccc1b30" TAIL,
		HDR "100.000005: handle_mm_fault: 4243 R 40111c 7f12fccc1b3z" TAIL,
		/* the ip a digit shorter, the address a digit longer: the same length */
		HDR "100.000006: handle_mm_fault: 4243 R 4011c 07f12fccc1b3" TAIL,
		HDR "100.000007: handle_mm_fault: 4243 R 4011c 7f12fccc1b3 " TAIL,
		HDR "100.000008: handle_mm_fault: 4243 R 4011c 7f12fccc1b31 tgid=4242 aux=0 "
		"fault=reset",
		HDR "100.000009: handle_mm_fault: 4243 R 4011c 7f12fccc1b31" TAIL,
		HDR "100.000010: handle_mm_fault: 4243 R 0x4011c 0x7f12fccc1b31" TAIL,
		HDR "100.000011: handle_mm_fault: 4243 R 0x4011d 0X7f12fccc1b32" TAIL,
		HDR "100.000012: handle_mm_fault: 4243 R 0xx011d 0x7f12fccc1b32" TAIL,
		/* 11 digits of seconds, whose nanoseconds would not fit in 64 bits: refused */
		HDR "99999999999.000013: handle_mm_fault: 4243 R 4011d 7f12fccc1b32" TAIL,
		HDR "99999999999.000014: handle_mm_fault: 4243 R 4011d 7f12fccc1b33" TAIL,
		/* 10 digits, the most there may be: 2^64 - 1 ns at most */
		HDR "9999999999.000015: handle_mm_fault: 4243 R 4011d 7f12fccc1b32" TAIL,
		HDR "9999999999.000016: handle_mm_fault: 4243 R 4011d 7f12fccc1b33" TAIL,
		HDR "100.00000001: handle_mm_fault: 4243 R 4011d 7f12fccc1b33" TAIL,
		HDR "100.00000002: handle_mm_fault: 4243 R 4011d 7f12fccc1b33" TAIL,
		HDR "100.000015: handle_mm_fault: 4243 R 4011d ffffffffffffffff" TAIL,
		HDR "100.000016: handle_mm_fault: 4243 R 4011d fffffffffffffff0" TAIL,
		HDR "100.000017: handle_mm_fault: 4243 R 4011d 1fffffffffffffff0" TAIL,
		HDR "100.000018: handle_mm_fault: 4243 R 4011d FFFFFFFFFFFFFFF1" TAIL,
		HDR "100.000019: handle_mm_fault: 4243 W 4011d 7f12fccc1b33" TAIL "\r",
		HDR "100.000020: handle_mm_fault: 4243 W 4011d 7f12fccc1b34" TAIL "\r",
		HDR "100.000021: handle_mm_fault: 4243 W 4011d 7f12fccc1b34" TAIL " ",
		"       gentrace-4244  [000] .....  100.000022: handle_mm_fault: 4244 R 401118 "
		"7f12fccc1a28" TAIL,
		HDR "100.000023: handle_mm_fault: 4243 W 4011d 7f12fccc1b35" TAIL,
		"       gentrace-4244  [000] .....  100.000024: handle_mm_fault: 4244 R 401119 "
		"7f12fccc1a29" TAIL,
		HDR "100.000025: handle_mm_fault: 4243 W 4011d 7f12fccc1b36" TAIL,
		HDR "100.000026: handle_mm_fault: 4243 W 4011d:7f12fccc1b36" TAIL,
		HDR "100.000027: handle_mm_fault: 4243 W 4011d 7f12fccc1b36 tgid=4242 aux=0 "
		"fault=demanx",
	};
#undef HDR
#undef TAIL
	struct pa_trace_hdr_cache hc;
	struct pa_trace_line cached, alone;
	int templates = 0;

	(void)state;
	memset(&hc, 0, sizeof(hc));
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		size_t len = strlen(lines[i]);

		pa_trace_parse_line_cached(lines[i], len, &cached, &hc);
		pa_trace_parse_line(lines[i], len, &alone);
		assert_same_parse(&cached, &alone);
	}
	/* the lines went through templates, or this test tests nothing new */
	for (size_t i = 0; i < PA_TRACE_HDR_ENTRIES; i++)
		for (size_t j = 0; j < PA_TRACE_TPLS; j++)
			templates += hc.e[i].tpl[j].len != 0;
	assert_true(templates >= 2);

	/* a few values checked by hand, through the template of the line before */
	pa_trace_parse_line_cached(lines[1], strlen(lines[1]), &cached, &hc);
	assert_int_equal(cached.kind, PA_LINE_ACCESS);
	assert_int_equal(cached.time_ns, 100000001000ull);
	assert_int_equal(cached.flags, PA_EV_WRITE | PA_EV_DEMAND);
	assert_int_equal(cached.ip, 0x40111c);
	assert_int_equal(cached.addr, 0x7f12fccc1b30ull);
	assert_int_equal(cached.tid, 4242);
	pa_trace_parse_line_cached(lines[23], strlen(lines[23]), &cached, &hc);
	assert_int_equal(cached.addr, 0xFFFFFFFFFFFFFFF1ull);
	assert_int_equal(cached.flags, PA_EV_DEMAND);
	assert_int_equal(pa_trace_parse_line_cached(lines[14], strlen(lines[14]), &cached, &hc),
			 PA_LINE_MALFORMED);
	pa_trace_parse_line_cached(lines[16], strlen(lines[16]), &cached, &hc);
	pa_trace_parse_line_cached(lines[17], strlen(lines[17]), &cached, &hc);
	assert_int_equal(cached.time_ns, 9999999999000016000ull);
}

/*
 * The header layer of the cache alone (templates cleared before each line, so that
 * none answers): a line's header is kept in an entry, a later line starting with the
 * same bytes takes its header fields from there (seen by planting another cpu), and
 * the lines of two tasks taking turns each keep their own entry.
 */
static void test_cached_headers(void **state)
{
	static const char a1[] = "   worker one-17  [003] ....  5.000001: handle_mm_fault: 17 R 1 2";
	static const char a2[] = "   worker one-17  [003] ....  5.000002: handle_mm_fault: 17 W 10 20";
	static const char b1[] = "  other-18  [001] ....  5.000003: handle_mm_fault: 18 R 3 4";
	struct pa_trace_hdr_cache hc;
	struct pa_trace_line cached, alone;
	struct pa_trace_hdr_entry *ea = NULL, *eb = NULL;

	(void)state;
	memset(&hc, 0, sizeof(hc));
	pa_trace_parse_line_cached(a1, strlen(a1), &cached, &hc);
	pa_trace_parse_line(a1, strlen(a1), &alone);
	assert_same_parse(&cached, &alone);
	for (size_t i = 0; i < PA_TRACE_HDR_ENTRIES; i++)
		if (hc.e[i].len)
			ea = &hc.e[i];
	assert_non_null(ea);
	/* the header up to the "[cpu]" field, with its fields */
	assert_true(ea->len > (size_t)(strchr(a1, ']') - a1));
	assert_memory_equal(ea->bytes, a1, ea->len);
	assert_int_equal(ea->cpu, 3);
	assert_int_equal(ea->hdr_pid, 17);
	assert_int_equal(ea->task_len, strlen("worker one"));

	ea->cpu = 77;
	memset(ea->tpl, 0, sizeof(ea->tpl));
	pa_trace_parse_line_cached(a2, strlen(a2), &cached, &hc);
	assert_int_equal(cached.kind, PA_LINE_ACCESS);
	assert_int_equal(cached.cpu, 77);	/* from the entry */
	assert_int_equal(cached.ip, 0x10);	/* the body parsed */
	assert_int_equal(cached.flags, PA_EV_WRITE);
	ea->cpu = 3;

	for (int round = 0; round < 4; round++) {
		const char *l = round % 2 ? a1 : b1;

		for (size_t i = 0; i < PA_TRACE_HDR_ENTRIES; i++)
			memset(hc.e[i].tpl, 0, sizeof(hc.e[i].tpl));
		pa_trace_parse_line_cached(l, strlen(l), &cached, &hc);
		pa_trace_parse_line(l, strlen(l), &alone);
		assert_same_parse(&cached, &alone);
	}
	for (size_t i = 0; i < PA_TRACE_HDR_ENTRIES; i++)
		if (hc.e[i].len && hc.e[i].hdr_pid == 18)
			eb = &hc.e[i];
	assert_non_null(eb);
	assert_ptr_not_equal(ea, eb);
	assert_int_equal(ea->hdr_pid, 17);	/* still there: each task its own entry */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_original_line),
		cmocka_unit_test(test_full_fields),
		cmocka_unit_test(test_original_aux_bare_number),
		cmocka_unit_test(test_task_names),
		cmocka_unit_test(test_tgid_column_and_flags),
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_maps),
		cmocka_unit_test(test_other_kinds),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_escaped_names),
		cmocka_unit_test(test_not_nul_terminated),
		cmocka_unit_test(test_cached_templates),
		cmocka_unit_test(test_cached_headers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

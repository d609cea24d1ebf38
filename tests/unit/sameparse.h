/* SPDX-License-Identifier: MIT */
#ifndef PAT_TEST_SAMEPARSE_H
#define PAT_TEST_SAMEPARSE_H

/* For the parser's tests: two parses of one line compared field by field (cmocka). */
#include "pat/trace_parse.h"

/* The fields a parse fills, of @a and @b alike (the strings by their place in the line). */
static inline void assert_same_parse(const struct pa_trace_line *a, const struct pa_trace_line *b)
{
	assert_int_equal(a->kind, b->kind);
	if (a->kind == PA_LINE_MALFORMED)
		assert_string_equal(a->reason, b->reason);
	assert_ptr_equal(a->task.s, b->task.s);
	assert_int_equal(a->task.len, b->task.len);
	assert_ptr_equal(a->event.s, b->event.s);
	assert_int_equal(a->event.len, b->event.len);
	assert_int_equal(a->hdr_pid, b->hdr_pid);
	assert_int_equal(a->hdr_tgid, b->hdr_tgid);
	assert_int_equal(a->cpu, b->cpu);
	assert_int_equal(a->time_ns, b->time_ns);
	assert_int_equal(a->tid, b->tid);
	assert_int_equal(a->tgid, b->tgid);
	assert_int_equal(a->ip, b->ip);
	assert_int_equal(a->addr, b->addr);
	assert_int_equal(a->aux, b->aux);
	assert_int_equal(a->flags, b->flags);
}

#endif

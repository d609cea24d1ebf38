// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "pat/chunk.h"
#include "pat/error.h"
#include "pat/format.h"
#include "pat/grow.h"
#include "pat/trace_parse.h"
#include "pat/hashmap.h"
#include "trace_cache.h"

/* Longer lines are reported as malformed instead of buffered without bound. */
#define MAX_LINE (1u << 20)
/* Malformed lines kept in the database for later inspection. */
#define MAX_MALFORMED_ROWS 1000
#define COMM_MAX 64
#define ZSTD_LEVEL 3
#define RECENT_TASKS 8

struct task {
	uint32_t tid;
	uint32_t tgid;
	int dirty;
	int ended;
	char comm[COMM_MAX];
	uint64_t first_ns;
	uint64_t last_ns;
	uint64_t events;
};

struct pa_import {
	struct pa_store *st;
	struct pa_codec *codec;
	struct pa_batch batch;
	pa_malformed_fn on_malformed;
	void *ctx;
	struct pa_import_stats stats;
	int in_tx;

	struct pa_hashmap task_index;	/* tid -> index into tasks */
	struct task *tasks;
	size_t ntasks;
	size_t tasks_cap;
	/*
	 * Tasks found last, by tid modulo RECENT_TASKS: runs of one thread's events, and
	 * threads taking turns, skip the map. An index is valid when below ntasks.
	 */
	uint32_t recent_tid[RECENT_TASKS];
	uint32_t recent_idx[RECENT_TASKS];

	uint64_t last_time;
	int have_time;

	int following;
	struct pa_hashmap followed;	/* tgid -> 1 running, 2 ended */

	/* The sample shift of the processes' START lines; -1 before the first. */
	int sample_shift;
	uint32_t shift_pid;		/* the process whose START set it */
	char errmsg[256];		/* why the import was refused (pa_import_errmsg) */

	char *carry;		/* an incomplete line from the previous feed */
	size_t carry_len;
	size_t carry_cap;
	int discarding;		/* inside an over-long line */
	struct pa_trace_hdr_cache hdr;	/* recent tasks' headers (calloc: none) */
};

struct pa_import *pa_import_new(struct pa_store *st, pa_malformed_fn on_malformed, void *ctx)
{
	struct pa_import *im = calloc(1, sizeof(*im));

	if (!im)
		return NULL;
	im->st = st;
	im->sample_shift = -1;
	im->on_malformed = on_malformed;
	im->ctx = ctx;
	im->codec = pa_codec_new(ZSTD_LEVEL);
	for (size_t i = 0; i < RECENT_TASKS; i++)
		im->recent_idx[i] = UINT32_MAX;
	if (!im->codec || pa_batch_init(&im->batch, PA_CHUNK_EVENTS) ||
	    pa_hashmap_init(&im->task_index, 32) || pa_hashmap_init(&im->followed, 8)) {
		pa_import_free(im);
		return NULL;
	}
	return im;
}

void pa_import_free(struct pa_import *im)
{
	if (!im)
		return;
	pa_codec_free(im->codec);
	pa_batch_free(&im->batch);
	pa_hashmap_free(&im->task_index);
	pa_hashmap_free(&im->followed);
	free(im->tasks);
	free(im->carry);
	free(im);
}

const struct pa_import_stats *pa_import_stats(const struct pa_import *im)
{
	return &im->stats;
}

static int begin(struct pa_import *im)
{
	int err;

	if (im->in_tx)
		return 0;
	err = pa_store_begin(im->st);
	if (!err)
		im->in_tx = 1;
	return err;
}

static void copy_comm(char *dst, struct pa_str s)
{
	size_t n = s.len < COMM_MAX - 1 ? s.len : COMM_MAX - 1;

	memcpy(dst, s.s, n);
	dst[n] = '\0';
}

static int is_unknown_comm(struct pa_str s)
{
	return s.len == 5 && memcmp(s.s, "<...>", 5) == 0;
}

static struct task *task_new(struct pa_import *im, uint32_t tid, uint32_t tgid,
			     struct pa_str comm, uint64_t t)
{
	struct task *tk = pa_grow(im->tasks, &im->tasks_cap, im->ntasks, sizeof(*tk), 16);

	if (!tk)
		return NULL;
	im->tasks = tk;
	tk = &im->tasks[im->ntasks++];
	memset(tk, 0, sizeof(*tk));
	tk->tid = tid;
	tk->tgid = tgid;
	tk->first_ns = t;
	tk->last_ns = t;
	tk->dirty = 1;
	copy_comm(tk->comm, comm);
	return tk;
}

/*
 * The task of @tid from the map, created with @tgid, @comm and time @t when new, and
 * remembered among the recent tasks; NULL when out of memory. Out of line: runs of one
 * thread's events, and threads taking turns, do not come here.
 */
static __attribute__((noinline)) struct task *task_find(struct pa_import *im, uint32_t tid,
							 uint32_t tgid, struct pa_str comm,
							 uint64_t t)
{
	struct task *tk;
	uint32_t *idx;
	int added = pa_hashmap_put(&im->task_index, 0, tid, (uint32_t)im->ntasks, &idx);

	if (added < 0)
		return NULL;
	tk = added ? task_new(im, tid, tgid, comm, t) : &im->tasks[*idx];
	if (tk) {
		im->recent_tid[tid % RECENT_TASKS] = tid;
		im->recent_idx[tid % RECENT_TASKS] = (uint32_t)(tk - im->tasks);
	}
	return tk;
}

/* The task of @tid if it is among the recent tasks, else NULL. */
static inline struct task *task_recent(struct pa_import *im, uint32_t tid)
{
	uint32_t idx = im->recent_idx[tid % RECENT_TASKS];

	return idx < im->ntasks && im->recent_tid[tid % RECENT_TASKS] == tid ?
	       &im->tasks[idx] : NULL;
}

/*
 * The task of @tid, created with @tgid and @comm when new, its time span stretched to
 * @t; NULL when out of memory.
 */
static inline struct task *task_get(struct pa_import *im, uint32_t tid, uint32_t tgid,
				    struct pa_str comm, uint64_t t)
{
	struct task *tk = task_recent(im, tid);

	if (!tk && !(tk = task_find(im, tid, tgid, comm, t)))
		return NULL;
	if (t < tk->first_ns)
		tk->first_ns = t;
	if (t > tk->last_ns)
		tk->last_ns = t;
	if (tk->comm[0] == '<' && comm.len && !is_unknown_comm(comm))
		copy_comm(tk->comm, comm);
	tk->dirty = 1;
	return tk;
}

/* The process of thread @tid when the line does not say: a known task's, else itself. */
static uint32_t tgid_of(struct pa_import *im, uint32_t tid)
{
	const struct task *tk = task_recent(im, tid);
	uint32_t idx;

	if (tk)
		return tk->tgid;
	if (pa_hashmap_find(&im->task_index, 0, tid, &idx))
		return im->tasks[idx].tgid;
	return tid;
}

static int put_tasks(struct pa_import *im)
{
	for (size_t i = 0; i < im->ntasks; i++) {
		struct task *tk = &im->tasks[i];
		struct pa_task row = {
			.tid = tk->tid, .tgid = tk->tgid, .comm = tk->comm,
			.first_ns = tk->first_ns, .last_ns = tk->last_ns, .events = tk->events,
		};
		int err;

		if (!tk->dirty)
			continue;
		err = pa_store_put_task(im->st, &row);
		if (err)
			return err;
		tk->dirty = 0;
	}
	return 0;
}

int pa_import_flush(struct pa_import *im)
{
	struct pa_batch *b = &im->batch;
	int err = begin(im);

	if (!err && b->n) {
		uint64_t lo = b->time_ns[0], hi = b->time_ns[0];
		const void *blob;
		size_t len;

		for (size_t i = 1; i < b->n; i++) {
			if (b->time_ns[i] < lo)
				lo = b->time_ns[i];
			if (b->time_ns[i] > hi)
				hi = b->time_ns[i];
		}
		err = pa_chunk_encode(im->codec, b, 0, b->n, &blob, &len);
		if (!err)
			err = pa_store_put_chunk(im->st, lo, hi, b->n, blob, len);
		if (!err) {
			im->stats.chunks++;
			im->stats.stored_bytes += len;
			b->n = 0;
		}
	}
	if (!err)
		err = put_tasks(im);
	if (!err)
		err = pa_store_commit(im->st);
	if (!err)
		im->in_tx = 0;
	return err;
}

enum { FOLLOW_RUNNING = 1, FOLLOW_ENDED = 2 };

int pa_import_follow(struct pa_import *im, uint32_t pid)
{
	uint32_t *state;

	im->following = 1;
	if (pa_hashmap_put(&im->followed, 0, pid, 0, &state) < 0)
		return -PA_ENOMEM;
	return 0;
}

size_t pa_import_followed(const struct pa_import *im, uint32_t *pids, size_t max)
{
	const struct pa_hashmap *m = &im->followed;
	size_t n = 0;

	for (size_t i = 0; i <= m->mask; i++) {
		if (m->slots[i].num == FOLLOW_RUNNING) {
			if (n < max)
				pids[n] = (uint32_t)m->slots[i].value;
			n++;
		}
	}
	return n;
}

/* Is process @tgid one we keep? Always, unless pa_import_follow was called. */
static int kept(const struct pa_import *im, uint32_t tgid)
{
	uint32_t state;

	return !im->following || pa_hashmap_find(&im->followed, 0, tgid, &state);
}

static int add_access(struct pa_import *im, const struct pa_trace_line *l)
{
	struct pa_batch *b = &im->batch;
	uint32_t tgid = l->tgid ? l->tgid : l->hdr_tgid ? l->hdr_tgid : tgid_of(im, l->tid);
	struct task *tk;
	size_t i = b->n;

	if (!kept(im, tgid)) {
		im->stats.foreign++;
		return 0;
	}
	tk = task_get(im, l->tid, tgid, l->task, l->time_ns);
	if (!tk)
		return -PA_ENOMEM;
	tk->events++;
	/* tasks keeps a thread's first process: count the events that differ (tid reuse) */
	im->stats.tgid_changes += tk->tgid != tgid;
	b->time_ns[i] = l->time_ns;
	b->ip[i] = l->ip;
	b->addr[i] = l->addr;
	b->aux[i] = l->aux;
	b->tid[i] = l->tid;
	b->tgid[i] = tgid;
	b->flags[i] = l->flags;
	b->n++;
	im->stats.events++;
	/* counted without a branch, which would mispredict where R and W come in no order */
	im->stats.writes += (l->flags & PA_EV_WRITE) != 0;
	im->stats.reads += (l->flags & PA_EV_WRITE) == 0;
	if (b->n == PA_CHUNK_EVENTS)
		return pa_import_flush(im);
	return 0;
}

/*
 * The original Linux 4.4 tracer printed END from a kworker, so the header pid is not the
 * process's: without pid=, END closes the last open START of its comm.
 */
static uint32_t end_pid(struct pa_import *im, const struct pa_trace_line *l, struct pa_str name)
{
	if (l->pid)
		return l->pid;
	for (size_t i = im->ntasks; i-- > 0;) {
		struct task *tk = &im->tasks[i];

		if (!tk->ended && tk->tid == tk->tgid && strlen(tk->comm) == name.len &&
		    memcmp(tk->comm, name.s, name.len) == 0)
			return tk->tid;
	}
	return l->hdr_pid;
}

/*
 * A run has one sampling rate: the analyses scale what they estimate by it, and a
 * process traced at another rate cannot be scaled alike. The START of process @pid
 * (line @l) must carry the shift of the first START. Returns 0 or -PA_EINVAL with
 * pa_import_why() saying which processes differ.
 */
static int same_shift(struct pa_import *im, const struct pa_trace_line *l, uint32_t pid)
{
	if (im->sample_shift < 0) {
		im->sample_shift = l->sample_shift;
		im->shift_pid = pid;
		return 0;
	}
	if (l->sample_shift == im->sample_shift)
		return 0;
	snprintf(im->errmsg, sizeof(im->errmsg),
		 "line %llu: process %u was traced at sample_shift=%u (1 page in %llu) but process "
		 "%u at sample_shift=%d: a run holds one sampling rate; import the processes "
		 "apart (e.g. grep their lines into two files)",
		 (unsigned long long)im->stats.lines, pid, l->sample_shift,
		 1ull << l->sample_shift, im->shift_pid, im->sample_shift);
	return -PA_EINVAL;
}

static int add_marker(struct pa_import *im, const struct pa_trace_line *l)
{
	int is_end = l->kind == PA_LINE_END;
	char raw[COMM_MAX * 4];
	struct pa_str name = { pa_trace_unescape(l->comm, raw, sizeof(raw)), 0 };
	uint32_t pid;
	char comm[COMM_MAX];
	struct pa_marker m = {
		.time_ns = l->time_ns, .is_end = is_end, .ppid = l->ppid,
		.comm = comm, .line = im->stats.lines,
	};
	struct task *tk;
	uint32_t *state;
	int err;

	name.len = strlen(raw);
	pid = is_end ? end_pid(im, l, name) : l->pid ? l->pid : l->hdr_pid;
	m.pid = pid;
	if (im->following) {
		/* a process we follow, or a child one of them forked */
		if (!kept(im, pid) && (is_end || !l->ppid || !kept(im, l->ppid))) {
			im->stats.foreign++;
			return 0;
		}
		if (pa_hashmap_put(&im->followed, 0, pid, 0, &state) < 0)
			return -PA_ENOMEM;
		*state = is_end ? FOLLOW_ENDED : FOLLOW_RUNNING;
	}
	tk = task_get(im, pid, pid, name, l->time_ns);
	if (!tk)
		return -PA_ENOMEM;
	if (is_end)
		tk->ended = 1;
	else if ((err = same_shift(im, l, pid)))
		return err;
	copy_comm(comm, name);
	im->stats.markers++;
	return pa_store_put_marker(im->st, &m);
}

/* Copies a parsed field into a NUL-terminated buffer for binding. */
static const char *cstr(char *buf, size_t size, struct pa_str s)
{
	size_t n = s.len < size - 1 ? s.len : size - 1;

	if (!s.s)
		return NULL;
	memcpy(buf, s.s, n);
	buf[n] = '\0';
	return buf;
}

static int add_map(struct pa_import *im, const struct pa_trace_line *l)
{
	char prot[16], path[4096], why[32];
	struct pa_map m = {
		.time_ns = l->time_ns, .tgid = l->pid,
		.op = l->kind == PA_LINE_MMAP ? "map" : "unmap",
		.start = l->start, .end = l->end, .pgoff = l->pgoff,
		.prot = cstr(prot, sizeof(prot), l->prot),
		.path = l->path.s ? pa_trace_unescape(l->path, path, sizeof(path)) : NULL,
		.reason = cstr(why, sizeof(why), l->why),
	};

	if (!kept(im, l->pid)) {
		im->stats.foreign++;
		return 0;
	}
	return pa_import_add_map(im, &m);
}

int pa_import_add_map(struct pa_import *im, const struct pa_map *m)
{
	int err = begin(im);

	if (err)
		return err;
	im->stats.maps++;
	return pa_store_put_map(im->st, m);
}

static int add_lost(struct pa_import *im, const struct pa_trace_line *l)
{
	struct pa_lost r = {
		.time_ns = im->last_time, .has_time = im->have_time, .cpu = l->cpu,
		.count = l->lost, .line = im->stats.lines,
	};

	im->stats.lost_events += l->lost;
	im->stats.lost_reports++;
	return pa_store_put_lost(im->st, &r);
}

static int add_malformed(struct pa_import *im, const struct pa_trace_line *l,
			 const char *text, size_t len)
{
	im->stats.malformed++;
	if (im->on_malformed)
		im->on_malformed(im->ctx, im->stats.lines, l->reason, text, len);
	if (im->stats.malformed > MAX_MALFORMED_ROWS)
		return 0;
	return pa_store_put_malformed(im->st, im->stats.lines, l->reason, text, len);
}

/* Line @text of @len bytes, parsed to *@l of kind @k: into the database. */
static int add_line(struct pa_import *im, enum pa_line_kind k, const struct pa_trace_line *l,
		    const char *text, size_t len)
{
	int err = 0;

	im->stats.lines++;
	/*
	 * The database keeps times as signed 64-bit (readers select chunks by them), so a
	 * time past 2^63 ns (292 years) would be stored and never read: refused instead.
	 * Lines without a header time (blank, comment, LOST) hold 0; a malformed one keeps
	 * its own reason.
	 */
	if (l->time_ns > INT64_MAX && k != PA_LINE_MALFORMED) {
		struct pa_trace_line bad = *l;

		bad.kind = PA_LINE_MALFORMED;
		bad.reason = "time past 2^63 ns";
		return add_malformed(im, &bad, text, len);
	}
	switch (k) {
	case PA_LINE_BLANK:
	case PA_LINE_COMMENT:
		im->stats.comments++;
		return 0;
	case PA_LINE_OTHER:
		im->stats.other++;
		break;
	case PA_LINE_ACCESS:
		err = add_access(im, l);
		break;
	case PA_LINE_START:
	case PA_LINE_END:
		err = add_marker(im, l);
		break;
	case PA_LINE_MMAP:
	case PA_LINE_MUNMAP:
		err = add_map(im, l);
		break;
	case PA_LINE_LOST:
		return add_lost(im, l);
	case PA_LINE_MALFORMED:
		return add_malformed(im, l, text, len);
	}
	im->last_time = l->time_ns;
	im->have_time = 1;
	return err;
}

static int line(struct pa_import *im, const char *text, size_t len)
{
	struct pa_trace_line l;
	int err = begin(im);

	if (err)
		return err;
	return add_line(im, pa_trace_parse_line_cached(text, len, &l, &im->hdr), &l, text, len);
}

/*
 * The line at @p (@avail bytes on), when its task's template predicts where it ends
 * (pa_trace_parse_predicted): added with *@err set, and its length returned; else 0.
 */
static size_t predicted_line(struct pa_import *im, const char *p, size_t avail, int *err)
{
	struct pa_trace_line l;
	size_t n;

	if (im->discarding || im->carry_len || !im->in_tx)
		return 0;
	n = pa_trace_parse_predicted(p, avail, &l, &im->hdr);
	if (n)
		*err = add_line(im, PA_LINE_ACCESS, &l, p, n);
	return n;
}

/* Reports an over-long line with as much of its start as @avail bytes allow (<= 80). */
static int too_long(struct pa_import *im, const char *text, size_t avail)
{
	struct pa_trace_line l = { .kind = PA_LINE_MALFORMED, .reason = "line too long" };

	im->stats.lines++;
	return add_malformed(im, &l, text, avail < 80 ? avail : 80);
}

static int carry_append(struct pa_import *im, const char *data, size_t len)
{
	if (pa_reserve((void **)&im->carry, &im->carry_cap, im->carry_len + len, 1, 4096))
		return -PA_ENOMEM;
	memcpy(im->carry + im->carry_len, data, len);
	im->carry_len += len;
	return 0;
}

int pa_import_feed(struct pa_import *im, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	int err = 0;

	while (p < end && !err) {
		const char *nl;
		size_t n = predicted_line(im, p, (size_t)(end - p), &err);

		if (n) {
			p += n + 1;
			continue;
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl ? nl : end) - p);

		if (im->discarding) {
			if (nl)
				im->discarding = 0;
		} else if (!nl) {
			if (im->carry_len + n > MAX_LINE) {
				if (im->carry_len)
					err = too_long(im, im->carry, im->carry_len);
				else
					err = too_long(im, p, n);
				im->carry_len = 0;
				im->discarding = 1;
			} else {
				err = carry_append(im, p, n);
			}
		} else if (im->carry_len) {
			if (im->carry_len + n > MAX_LINE) {
				err = too_long(im, im->carry, im->carry_len);
			} else {
				err = carry_append(im, p, n);
				if (!err)
					err = line(im, im->carry, im->carry_len);
			}
			im->carry_len = 0;
		} else if (n > MAX_LINE) {
			err = too_long(im, p, n);
		} else {
			err = line(im, p, n);
		}
		p = nl ? nl + 1 : end;
	}
	return err;
}

const char *pa_import_why(const struct pa_import *im, struct pa_store *st, int err)
{
	if (err == -PA_ENOMEM)
		return "out of memory";
	if (err == -PA_EINVAL && im && im->errmsg[0])
		return im->errmsg;
	return pa_store_errmsg(st);
}

int pa_import_finish(struct pa_import *im)
{
	int err = 0;

	/* the last line may lack its newline: it counts before the totals are written */
	if (im->carry_len && !im->discarding)
		err = line(im, im->carry, im->carry_len);
	im->carry_len = 0;
	if (!err)
		err = begin(im);
	if (!err) {
		const struct {
			const char *key;
			uint64_t value;
		} meta[] = {
			{ "lines", im->stats.lines },
			{ "events", im->stats.events },
			{ "malformed_lines", im->stats.malformed },
			{ "other_lines", im->stats.other },
			{ "comment_lines", im->stats.comments },
			{ "lost_events", im->stats.lost_events },
			{ "tgid_changes", im->stats.tgid_changes },
			{ "sample_shift", im->sample_shift < 0 ? 0 : (uint64_t)im->sample_shift },
		};

		for (size_t i = 0; !err && i < sizeof(meta) / sizeof(meta[0]); i++)
			err = pa_store_set_meta_int(im->st, meta[i].key, (int64_t)meta[i].value);
	}
	if (!err)
		err = pa_import_flush(im);
	return err;
}

// SPDX-License-Identifier: MIT
/*
 * paanalyze info - what a run holds.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ahead.h"
#include "commands.h"
#include "jsonout.h"
#include "pagetab.h"
#include "pat/chunk.h"
#include "pat/error.h"
#include "pat/event.h"
#include "pat/grow.h"
#include "pat/hashmap.h"
#include "rundb.h"

const char cmd_info_usage[] =
	"usage: paanalyze info [OPTIONS] [DB]\n"
	"\n"
	"Summarise the run in DB (default run.db): events (reads, writes, demand faults),\n"
	"distinct pages and instruction pointers (per process: the same address in two\n"
	"processes counts twice), threads and processes, time span from the run start (the\n"
	"first START marker, else the first event), events lost in ring-buffer overruns,\n"
	"malformed and skipped input lines, and stored bytes per event.\n"
	"\n"
	"Then per thread: its process, name, events and distinct pages; and per mapping of\n"
	"each process (a file, [heap], [stack], [anon], ...): events and distinct pages. An\n"
	"event is attributed to the latest mapping covering its address at its time, from\n"
	"the run's mapping events (map, unmap) and maps snapshots; events outside every\n"
	"known mapping (all of them when the run has none) count as \"unknown\". The table\n"
	"shows the 20 largest of each; --json lists all.\n"
	"\n"
	"The filters narrow the event counts, pages, ips and breakdowns; the other lines\n"
	"describe the whole run.\n"
	"\n"
	PA_CLI_COMMON_HELP
	"\n"
	"JSON keys: events, reads, writes, demand_faults, pages, ips, tasks, processes,\n"
	"start_ns, duration_us, lost_events, lost_reports, sample_shift (the kernel traced\n"
	"1 page in 2^sample_shift; 0: every page), malformed_lines, other_lines,\n"
	"chunks, stored_bytes, bytes_per_event, page_size, format_version, source,\n"
	"tasks_detail [{tid, tgid, comm, events, pages}] (by events, descending) and\n"
	"mappings [{tgid, mapping, events, pages}] (by events, descending).\n";

/* ---- per-task and per-mapping breakdowns ------------------------------------------ */

#define TABLE_ROWS 20

struct task_row {
	uint32_t tid, tgid;
	uint64_t events, pages;
	char *comm;		/* from the tasks table; NULL when it has no row */
};

/* A mapping group: a process's file, [heap], [stack], [anon], ... or "unknown". */
struct group {
	uint32_t tgid;
	char *label;
	uint64_t events, pages;
};

/* A mapped range of a process's address space and its group. */
struct area {
	uint64_t start, end;
	uint32_t group;
};

struct space {
	struct area *a;		/* sorted by start, not overlapping */
	size_t n;
};

/* A row of the maps table, replayed in time order as the events go by. */
struct maprow {
	uint64_t time_ns;
	uint64_t start, end;
	uint32_t tgid;
	uint32_t group;		/* UINT32_MAX: unmap */
};

/*
 * Per page id: the thread and group that last counted it (UINT32_MAX: none yet), and
 * the first ones. The first (thread, page) and (group, page) pairs of a page are new by
 * definition and are kept here, not in task_pages / group_pages: those sets then hold
 * only the pages that a second thread or mapping touched, which on a single-threaded
 * trace is none, instead of two more entries per distinct page to insert at random.
 */
struct page_last {
	uint32_t tid, group;
	uint32_t first_tid, first_group;
};

#define INFO_STEP 2048		/* events per round: page ids first, then the rest */
#define INFO_AHEAD 16		/* prefetch distance */
#define NO_GROUP UINT32_MAX	/* space_set: unmap instead */

struct breakdown {
	struct task_row *tasks;
	size_t ntasks, tasks_cap;
	struct pa_hashmap task_index;	/* tid -> index into tasks */
	struct pa_hashmap task_pages;	/* (tid, page) */
	struct group *groups;
	size_t ngroups, groups_cap;
	struct pa_hashmap unknown_index;	/* tgid -> its "unknown" group */
	struct pa_hashmap group_pages;	/* (group, page) */
	struct maprow *rows;
	size_t nrows, rows_cap, next;	/* rows[next..] are not applied yet */
	struct space *spaces;
	size_t nspaces;
	struct pa_hashmap space_index;	/* tgid -> index into spaces */
	/* distinct pages: (tgid, page) -> page id, and per page id the thread and group
	 * that last counted it, so that the (tid, page) and (group, page) sets are only
	 * asked when another thread or mapping touches the page */
	struct pa_pageids pages;
	struct page_last *plast;
	size_t plast_cap;
	uint32_t ids[INFO_STEP];
	/* one-entry caches: the thread, and the area, of the previous event */
	uint32_t c_tid, c_task;
	uint32_t c_tgid, c_group;
	uint64_t c_start, c_end;	/* c_end == 0: no cached area */
};

static int bd_init(struct breakdown *bd)
{
	memset(bd, 0, sizeof(*bd));
	if (pa_hashmap_init(&bd->task_index, 32) || pa_hashmap_init(&bd->unknown_index, 8) ||
	    pa_hashmap_init(&bd->space_index, 8) || pa_hashmap_init(&bd->task_pages, 1024) ||
	    pa_hashmap_init(&bd->group_pages, 1024) || pa_pageids_init(&bd->pages))
		return -1;
	return 0;
}

static void bd_free(struct breakdown *bd)
{
	for (size_t i = 0; i < bd->ntasks; i++)
		free(bd->tasks[i].comm);
	for (size_t i = 0; i < bd->ngroups; i++)
		free(bd->groups[i].label);
	for (size_t i = 0; i < bd->nspaces; i++)
		free(bd->spaces[i].a);
	free(bd->tasks);
	free(bd->groups);
	free(bd->rows);
	free(bd->spaces);
	pa_hashmap_free(&bd->task_index);
	pa_hashmap_free(&bd->unknown_index);
	pa_hashmap_free(&bd->space_index);
	pa_hashmap_free(&bd->task_pages);
	pa_hashmap_free(&bd->group_pages);
	pa_pageids_free(&bd->pages);
	free(bd->plast);
}

/* The group (@tgid, @label), added if new. Returns its index or -1 out of memory. */
static long group_of(struct breakdown *bd, uint32_t tgid, const char *label)
{
	struct group *g;

	for (size_t i = 0; i < bd->ngroups; i++)
		if (bd->groups[i].tgid == tgid && strcmp(bd->groups[i].label, label) == 0)
			return (long)i;
	if (pa_reserve((void **)&bd->groups, &bd->groups_cap, bd->ngroups + 1, sizeof(*g), 16))
		return -1;
	g = &bd->groups[bd->ngroups];
	memset(g, 0, sizeof(*g));
	g->tgid = tgid;
	g->label = strdup(label);
	if (!g->label)
		return -1;
	return (long)bd->ngroups++;
}

/* Appends maps row @m to bd->rows (pa_store_maps_each). */
static int add_maprow(void *arg, const struct pa_map *m)
{
	struct breakdown *bd = arg;
	struct maprow *r;
	long g = NO_GROUP;

	if (pa_reserve((void **)&bd->rows, &bd->rows_cap, bd->nrows + 1, sizeof(*r), 16))
		return -PA_ENOMEM;
	r = &bd->rows[bd->nrows];
	r->time_ns = m->time_ns;
	r->tgid = m->tgid;
	r->start = m->start;
	r->end = m->end;
	if (!m->op || strcmp(m->op, "unmap") != 0) {
		g = group_of(bd, r->tgid, pa_run_map_label(m->path, m->reason));
		if (g < 0)
			return -PA_ENOMEM;
	}
	r->group = (uint32_t)g;
	bd->nrows++;
	return 0;
}

/* Names task @t, when it is one of the breakdown's (pa_store_tasks_each). */
static int name_task(void *arg, const struct pa_task *t)
{
	struct breakdown *bd = arg;
	uint32_t idx;

	if (!t->comm || !pa_hashmap_find(&bd->task_index, 0, t->tid, &idx))
		return 0;
	free(bd->tasks[idx].comm);
	bd->tasks[idx].comm = strdup(t->comm);
	return bd->tasks[idx].comm ? 0 : -PA_ENOMEM;
}

/* The address space of @tgid, NULL when it has none (or, with @create, out of memory). */
static struct space *space_of(struct breakdown *bd, uint32_t tgid, int create)
{
	uint32_t idx, *v;
	size_t cap = bd->nspaces;

	if (pa_hashmap_find(&bd->space_index, 0, tgid, &idx))
		return &bd->spaces[idx];
	if (!create)
		return NULL;
	if (pa_reserve((void **)&bd->spaces, &cap, bd->nspaces + 1, sizeof(*bd->spaces), 16) ||
	    pa_hashmap_put(&bd->space_index, 0, tgid, (uint32_t)bd->nspaces, &v) < 0)
		return NULL;
	memset(&bd->spaces[bd->nspaces], 0, sizeof(*bd->spaces));
	return &bd->spaces[bd->nspaces++];
}

/* Replaces what @sp maps in [@start, @end) by @group, or unmaps it (NO_GROUP). */
static int space_set(struct space *sp, uint64_t start, uint64_t end, uint32_t group)
{
	struct area *a = malloc((sp->n + 2) * sizeof(*a));
	size_t n = 0;

	if (!a)
		return -1;
	/* what lies below start (whole areas, or the lower part of an overlapping one) */
	for (size_t i = 0; i < sp->n && sp->a[i].start < start; i++) {
		a[n] = sp->a[i];
		if (a[n].end > start)
			a[n].end = start;
		n++;
	}
	if (group != NO_GROUP && end > start)
		a[n++] = (struct area){ start, end, group };
	/* what lies at or above end */
	for (size_t i = 0; i < sp->n; i++) {
		if (sp->a[i].end > end) {
			a[n] = sp->a[i];
			if (a[n].start < end)
				a[n].start = end;
			n++;
		}
	}
	free(sp->a);
	sp->a = a;
	sp->n = n;
	return 0;
}

/* The index of the area of @sp holding @addr, or -1. */
static long space_find(const struct space *sp, uint64_t addr)
{
	size_t lo = 0, hi = sp->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sp->a[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < sp->n && sp->a[lo].start <= addr && addr < sp->a[lo].end)
		return (long)lo;
	return -1;
}

/* Applies the maps rows up to time @t. */
static int replay_maps(struct breakdown *bd, uint64_t t)
{
	while (bd->next < bd->nrows && bd->rows[bd->next].time_ns <= t) {
		const struct maprow *r = &bd->rows[bd->next++];
		struct space *sp = space_of(bd, r->tgid, 1);

		if (!sp || space_set(sp, r->start, r->end, r->group))
			return -1;
		bd->c_end = 0;
	}
	return 0;
}

/* The mapping group of @addr in process @tgid: its area, else the process's "unknown". */
static long group_at(struct breakdown *bd, uint32_t tgid, uint64_t addr)
{
	struct space *sp;
	uint32_t id, *v;
	long g, k;

	if (bd->c_end && tgid == bd->c_tgid && addr >= bd->c_start && addr < bd->c_end)
		return bd->c_group;
	sp = space_of(bd, tgid, 0);
	if (sp && (k = space_find(sp, addr)) >= 0) {
		bd->c_tgid = tgid;
		bd->c_start = sp->a[k].start;
		bd->c_end = sp->a[k].end;
		bd->c_group = sp->a[k].group;
		return bd->c_group;
	}
	if (pa_hashmap_find(&bd->unknown_index, 0, tgid, &id))
		return id;
	g = group_of(bd, tgid, "unknown");
	if (g < 0 || pa_hashmap_put(&bd->unknown_index, 0, tgid, (uint32_t)g, &v) < 0)
		return -1;
	return g;
}

/*
 * Whether page @pid counts for the first time for @who (a thread, or a mapping group),
 * given the page's last counter *@last and first one *@first (see struct page_last),
 * which it updates; the pairs beyond the first are kept in @seen. Returns 1 or 0, or
 * -1 when out of memory.
 */
static int first_count(uint32_t *last, uint32_t *first, uint32_t who, struct pa_hashmap *seen,
		       uint32_t pid)
{
	uint32_t id;
	int added;

	if (*last == who)
		return 0;
	if (*last == UINT32_MAX) {
		added = 1;
		*first = who;
	} else if (who == *first) {
		added = 0;
	} else {
		added = pa_hashmap_get(seen, who, pid, &id);
		if (added < 0)
			return -1;
	}
	*last = who;
	return added;
}

/* Counts event @i of @b, of page id @pid, in its thread and its mapping. */
static int bd_event(struct breakdown *bd, const struct pa_batch *b, size_t i, uint32_t pid)
{
	uint32_t tid = b->tid[i], tgid = b->tgid[i], *v;
	struct page_last *pl = &bd->plast[pid];
	struct task_row *t;
	long g;
	int added;

	if (bd->ntasks && tid == bd->c_tid) {
		t = &bd->tasks[bd->c_task];
	} else {
		added = pa_hashmap_put(&bd->task_index, 0, tid, (uint32_t)bd->ntasks, &v);
		if (added < 0)
			return -1;
		if (added) {
			if (pa_reserve((void **)&bd->tasks, &bd->tasks_cap, bd->ntasks + 1,
				       sizeof(*t), 16))
				return -1;
			t = &bd->tasks[bd->ntasks++];
			memset(t, 0, sizeof(*t));
			t->tid = tid;
			t->tgid = tgid;
		}
		bd->c_tid = tid;
		bd->c_task = *v;
		t = &bd->tasks[*v];
	}
	t->events++;
	added = first_count(&pl->tid, &pl->first_tid, tid, &bd->task_pages, pid);
	if (added < 0)
		return -1;
	t->pages += (uint64_t)added;

	if (bd->next < bd->nrows && replay_maps(bd, b->time_ns[i]))
		return -1;
	g = group_at(bd, tgid, b->addr[i]);
	if (g < 0)
		return -1;
	bd->groups[g].events++;
	added = first_count(&pl->group, &pl->first_group, (uint32_t)g, &bd->group_pages, pid);
	if (added < 0)
		return -1;
	bd->groups[g].pages += (uint64_t)added;
	return 0;
}

/* Stage 1 of a round: the page ids of events [@i0, @i0 + @n) of @b, new pages' records. */
static int bd_ids(struct breakdown *bd, const struct pa_batch *b, size_t i0, size_t n,
		  unsigned int shift)
{
	uint32_t before = bd->pages.count;
	size_t cap = bd->plast_cap;

	if (pa_pageids_map(&bd->pages, b->tgid + i0, b->addr + i0, shift, n, bd->ids) ||
	    pa_reserve((void **)&bd->plast, &cap, bd->pages.count, sizeof(*bd->plast), 16))
		return -1;
	bd->plast_cap = cap;
	for (uint32_t id = before; id < bd->pages.count; id++) {
		bd->plast[id].tid = UINT32_MAX;
		bd->plast[id].group = UINT32_MAX;
	}
	return 0;
}

static int cmp_tasks(const void *a, const void *b)
{
	const struct task_row *x = a, *y = b;

	if (x->events != y->events)
		return x->events < y->events ? 1 : -1;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

static int cmp_groups(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	if (x->events != y->events)
		return x->events < y->events ? 1 : -1;
	if (x->tgid != y->tgid)
		return (x->tgid > y->tgid) - (x->tgid < y->tgid);
	return strcmp(x->label, y->label);
}

/* Sorts for output; the indices are no longer used after this. */
static void bd_sort(struct breakdown *bd)
{
	size_t n = 0;

	/* groups that only the maps table named, with no event, are left out */
	for (size_t i = 0; i < bd->ngroups; i++) {
		if (bd->groups[i].events)
			bd->groups[n++] = bd->groups[i];
		else
			free(bd->groups[i].label);
	}
	bd->ngroups = n;
	if (bd->ntasks)
		qsort(bd->tasks, bd->ntasks, sizeof(*bd->tasks), cmp_tasks);
	if (bd->ngroups)
		qsort(bd->groups, bd->ngroups, sizeof(*bd->groups), cmp_groups);
}

struct info {
	uint64_t events, reads, writes, demand;
	uint64_t pages, ips;
	uint64_t first_ns, last_ns;
	uint64_t stored;
	int64_t total_events;	/* unfiltered, for bytes per event */
	int64_t tasks, processes, lost, lost_reports, malformed, other, chunks;
	int64_t page_size, format_version;
	unsigned int sample_shift;
	uint64_t start_ns, duration_us;
	char source[64];
};

/* One pass over the events: counts and distinct pages and ips. */
static int scan(struct pa_store *st, const struct pa_filter *f, unsigned int shift,
		struct info *in, struct breakdown *bd)
{
	struct pa_hashmap ips;	/* (tgid, ip) */
	uint32_t ip_id;
	struct pa_ahead *ev;
	const struct pa_batch *b;
	int rc, err;

	if (pa_hashmap_init(&ips, 64))
		return -PA_ENOMEM;
	err = pa_ahead_open(st, f, PA_COL_ALL & ~PA_COL_AUX, &ev);
	if (err)
		goto out_ips;
	while ((rc = pa_ahead_next(ev, &b)) > 0) {
		for (size_t i0 = 0; i0 < b->n && rc > 0; i0 += INFO_STEP) {
			size_t n = b->n - i0 < INFO_STEP ? b->n - i0 : INFO_STEP;

			if (bd_ids(bd, b, i0, n, shift)) {
				rc = -PA_ENOMEM;
				break;
			}
			for (size_t j = 0; j < n; j++) {
				size_t i = i0 + j;

				if (j + INFO_AHEAD < n)
					__builtin_prefetch(&bd->plast[bd->ids[j + INFO_AHEAD]], 1);
				if (b->flags[i] & PA_EV_WRITE)
					in->writes++;
				if (b->flags[i] & PA_EV_DEMAND)
					in->demand++;
				if (pa_hashmap_get(&ips, b->tgid[i], b->ip[i], &ip_id) < 0 ||
				    bd_event(bd, b, i, bd->ids[j])) {
					rc = -PA_ENOMEM;
					break;
				}
				if (in->events == 0 || b->time_ns[i] < in->first_ns)
					in->first_ns = b->time_ns[i];
				if (in->events == 0 || b->time_ns[i] > in->last_ns)
					in->last_ns = b->time_ns[i];
				in->events++;
			}
		}
		if (rc < 0)
			break;
	}
	err = rc < 0 ? rc : 0;
	in->reads = in->events - in->writes;
	in->pages = bd->pages.count;
	in->ips = ips.count;
	pa_ahead_close(ev);
out_ips:
	pa_hashmap_free(&ips);
	return err;
}

static int gather(struct pa_store *st, const struct pa_filter *f, struct info *in,
		  struct breakdown *bd)
{
	unsigned int shift;
	struct pa_run_totals tot;
	int64_t end_ns, stored;
	int err = pa_run_page_shift(st, &shift);

	memset(in, 0, sizeof(*in));
	if (!err)
		err = pa_store_maps_each(st, add_maprow, bd);
	if (!err)
		err = scan(st, f, shift, in, bd);
	if (!err)
		err = pa_store_tasks_each(st, name_task, bd);
	if (!err)
		err = pa_store_run_start(st, &in->start_ns);
	if (!err)
		err = pa_store_run_totals(st, &tot);
	if (err)
		return err;
	end_ns = tot.last_marker_ns;
	in->tasks = tot.tasks;
	in->processes = tot.processes;
	in->lost = tot.lost_events;
	in->lost_reports = tot.lost_reports;
	in->chunks = tot.chunks;
	in->total_events = tot.events;
	stored = tot.stored_bytes;
	in->page_size = 1ll << shift;
	in->stored = (uint64_t)stored;
	if (pa_store_get_meta_int(st, "malformed_lines", &in->malformed) < 0 ||
	    pa_store_get_meta_int(st, "other_lines", &in->other) < 0 ||
	    pa_store_get_meta_int(st, "format_version", &in->format_version) < 0 ||
	    pa_store_get_meta_text(st, "source", in->source, sizeof(in->source)) < 0)
		return -PA_ESQL;
	err = pa_store_sample_shift(st, &in->sample_shift);
	if (err)
		return err;
	if ((uint64_t)end_ns < in->last_ns)
		end_ns = (int64_t)in->last_ns;
	if ((uint64_t)end_ns > in->start_ns)
		in->duration_us = ((uint64_t)end_ns - in->start_ns) / 1000;
	return 0;
}

static double per_event(const struct info *in)
{
	return in->total_events ? (double)in->stored / (double)in->total_events : 0.0;
}

/* The breakdown arrays of the JSON document. */
static int add_breakdowns(json_t *o, const struct breakdown *bd)
{
	json_t *tasks = json_array(), *maps = json_array();
	int bad = !tasks || !maps;

	for (size_t i = 0; i < bd->ntasks && !bad; i++) {
		const struct task_row *t = &bd->tasks[i];

		bad |= json_array_append_new(tasks, json_pack("{sIsIss?sIsI}",
			"tid", (json_int_t)t->tid, "tgid", (json_int_t)t->tgid, "comm", t->comm,
			"events", (json_int_t)t->events, "pages", (json_int_t)t->pages));
	}
	for (size_t i = 0; i < bd->ngroups && !bad; i++) {
		const struct group *g = &bd->groups[i];

		bad |= json_array_append_new(maps, json_pack("{sIsssIsI}",
			"tgid", (json_int_t)g->tgid, "mapping", g->label,
			"events", (json_int_t)g->events, "pages", (json_int_t)g->pages));
	}
	if (bad) {
		json_decref(tasks);
		json_decref(maps);
		return -1;
	}
	return json_object_set_new(o, "tasks_detail", tasks) |
	       json_object_set_new(o, "mappings", maps);
}

static int print_json(const struct info *in, const struct breakdown *bd)
{
	json_t *o = json_pack("{sIsIsIsIsIsIsIsIsIsIsIsIsIsIsIsIsfsIsIss}",
		"events", (json_int_t)in->events, "reads", (json_int_t)in->reads,
		"writes", (json_int_t)in->writes, "demand_faults", (json_int_t)in->demand,
		"pages", (json_int_t)in->pages, "ips", (json_int_t)in->ips,
		"tasks", (json_int_t)in->tasks, "processes", (json_int_t)in->processes,
		"start_ns", (json_int_t)in->start_ns, "duration_us", (json_int_t)in->duration_us,
		"lost_events", (json_int_t)in->lost, "lost_reports", (json_int_t)in->lost_reports,
		"malformed_lines", (json_int_t)in->malformed, "other_lines", (json_int_t)in->other,
		"chunks", (json_int_t)in->chunks, "stored_bytes", (json_int_t)in->stored,
		"bytes_per_event", per_event(in), "page_size", (json_int_t)in->page_size,
		"format_version", (json_int_t)in->format_version, "source", in->source);

	if (o && json_object_set_new(o, "sample_shift", json_integer(in->sample_shift))) {
		json_decref(o);
		o = NULL;
	}
	if (o && add_breakdowns(o, bd)) {
		json_decref(o);
		o = NULL;
	}
	return pa_json_print(o, 0);
}

static void print_breakdowns(const struct breakdown *bd)
{
	size_t n = bd->ntasks < TABLE_ROWS ? bd->ntasks : TABLE_ROWS;

	char esc[4 * 4096 + 1];

	printf("\n%10s %10s %-16s %14s %12s\n", "tid", "tgid", "comm", "events", "pages");
	for (size_t i = 0; i < n; i++) {
		const struct task_row *t = &bd->tasks[i];

		printf("%10u %10u %-16s %14llu %12llu\n", t->tid, t->tgid,
		       t->comm ? pa_cli_escape(t->comm, esc, sizeof(esc)) : "?",
		       (unsigned long long)t->events, (unsigned long long)t->pages);
	}
	if (bd->ntasks > n)
		printf("  ... %zu more threads (--json lists all)\n", bd->ntasks - n);
	n = bd->ngroups < TABLE_ROWS ? bd->ngroups : TABLE_ROWS;
	printf("\n%10s %14s %12s  %s\n", "tgid", "events", "pages", "mapping");
	for (size_t i = 0; i < n; i++) {
		const struct group *g = &bd->groups[i];

		printf("%10u %14llu %12llu  %s\n", g->tgid, (unsigned long long)g->events,
		       (unsigned long long)g->pages, pa_cli_escape(g->label, esc, sizeof(esc)));
	}
	if (bd->ngroups > n)
		printf("  ... %zu more mappings (--json lists all)\n", bd->ngroups - n);
}

static void print_table(const char *db, const struct info *in)
{
	printf("database        %s (format %lld, %s)\n", db, (long long)in->format_version,
	       in->source[0] ? in->source : "unknown source");
	printf("events          %llu (%llu reads, %llu writes, %llu demand faults)\n",
	       (unsigned long long)in->events, (unsigned long long)in->reads,
	       (unsigned long long)in->writes, (unsigned long long)in->demand);
	printf("pages           %llu distinct (%lld-byte pages)\n",
	       (unsigned long long)in->pages, (long long)in->page_size);
	printf("ips             %llu distinct\n", (unsigned long long)in->ips);
	if (in->sample_shift)
		printf("sampling        1 page in 2^%u = %llu traced (sample_shift %u): the counts "
		       "here are the trace's; wss, reuse and heatmap scale their estimates by %llu\n",
		       in->sample_shift, 1ull << in->sample_shift, in->sample_shift,
		       1ull << in->sample_shift);
	else
		printf("sampling        every page traced\n");
	printf("tasks           %lld threads in %lld processes\n", (long long)in->tasks,
	       (long long)in->processes);
	printf("time span       %.6f s from %llu.%09llu\n", (double)in->duration_us / 1e6,
	       (unsigned long long)(in->start_ns / 1000000000ull),
	       (unsigned long long)(in->start_ns % 1000000000ull));
	printf("lost events     %lld in %lld overruns%s\n", (long long)in->lost,
	       (long long)in->lost_reports, in->lost ? "  (the trace is incomplete)" : "");
	printf("input lines     %lld malformed, %lld of other events skipped\n",
	       (long long)in->malformed, (long long)in->other);
	printf("stored          %llu bytes in %lld chunks, %.3f bytes/event\n",
	       (unsigned long long)in->stored, (long long)in->chunks, per_event(in));
}

int cmd_info(int argc, char **argv)
{
	struct pa_cli cli;
	struct pa_store *st;
	struct info in;
	struct breakdown bd;
	int rc = pa_cli_start(argc, argv, NULL, &cli, &st);
	int err;

	if (rc)
		return rc < 0 ? PA_EXIT_OK : rc;
	err = bd_init(&bd) ? -PA_ENOMEM : gather(st, &cli.filter, &in, &bd);
	if (!err)
		bd_sort(&bd);
	if (err) {
		rc = pa_run_error(st, cli.db, err);
	} else if (cli.json) {
		rc = print_json(&in, &bd);
	} else {
		print_table(cli.db, &in);
		print_breakdowns(&bd);
		rc = PA_EXIT_OK;
	}
	bd_free(&bd);
	pa_store_close(st);
	return rc;
}

// SPDX-License-Identifier: MIT
/*
 * paanalyze info - what a run holds.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "pat/error.h"
#include "pat/event.h"
#include "procset.h"
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
	"The filters narrow the event counts, pages and ips; the other lines describe the\n"
	"whole run.\n"
	"\n"
	PA_CLI_COMMON_HELP
	"\n"
	"JSON keys: events, reads, writes, demand_faults, pages, ips, tasks, processes,\n"
	"start_ns, duration_us, lost_events, lost_reports, malformed_lines, other_lines,\n"
	"chunks, stored_bytes, bytes_per_event, page_size, format_version, source.\n";

struct info {
	uint64_t events, reads, writes, demand;
	uint64_t pages, ips;
	uint64_t first_ns, last_ns;
	uint64_t stored;
	int64_t total_events;	/* unfiltered, for bytes per event */
	int64_t tasks, processes, lost, lost_reports, malformed, other, chunks;
	int64_t page_size, format_version;
	uint64_t start_ns, duration_us;
	char source[64];
};

/* One pass over the events: counts and distinct pages and ips. */
static int scan(struct pa_store *st, const struct pa_filter *f, unsigned int shift,
		struct info *in)
{
	struct pa_procset pages, ips;
	struct pa_events *ev;
	const struct pa_batch *b;
	int rc, err = -PA_ENOMEM;

	if (pa_procset_init(&pages))
		return -PA_ENOMEM;
	if (pa_procset_init(&ips))
		goto out_pages;
	err = pa_events_open(st, f, &ev);
	if (err)
		goto out_ips;
	while ((rc = pa_events_next(ev, &b)) > 0) {
		for (size_t i = 0; i < b->n; i++) {
			if (b->flags[i] & PA_EV_WRITE)
				in->writes++;
			if (b->flags[i] & PA_EV_DEMAND)
				in->demand++;
			if (pa_procset_add(&pages, b->tgid[i], b->addr[i] >> shift) < 0 ||
			    pa_procset_add(&ips, b->tgid[i], b->ip[i]) < 0) {
				rc = -PA_ENOMEM;
				break;
			}
			if (in->events == 0 || b->time_ns[i] < in->first_ns)
				in->first_ns = b->time_ns[i];
			if (in->events == 0 || b->time_ns[i] > in->last_ns)
				in->last_ns = b->time_ns[i];
			in->events++;
		}
		if (rc < 0)
			break;
	}
	err = rc < 0 ? rc : 0;
	in->reads = in->events - in->writes;
	in->pages = pages.count;
	in->ips = ips.count;
	pa_events_close(ev);
out_ips:
	pa_procset_free(&ips);
out_pages:
	pa_procset_free(&pages);
	return err;
}

static int gather(struct pa_store *st, const struct pa_filter *f, struct info *in)
{
	unsigned int shift;
	int64_t end_ns = 0, stored = 0;
	int err = pa_run_page_shift(st, &shift);

	memset(in, 0, sizeof(*in));
	if (!err)
		err = scan(st, f, shift, in);
	if (!err)
		err = pa_run_t0(st, &in->start_ns);
	if (!err)
		err = pa_store_query_int(st, "SELECT max(time_ns) FROM markers", &end_ns);
	if (!err)
		err = pa_store_query_int(st, "SELECT count(*) FROM tasks", &in->tasks);
	if (!err)
		err = pa_store_query_int(st, "SELECT count(DISTINCT tgid) FROM tasks",
					 &in->processes);
	if (!err)
		err = pa_store_query_int(st, "SELECT coalesce(sum(count), 0) FROM lost", &in->lost);
	if (!err)
		err = pa_store_query_int(st, "SELECT count(*) FROM lost", &in->lost_reports);
	if (!err)
		err = pa_store_query_int(st, "SELECT count(*) FROM chunks", &in->chunks);
	if (!err)
		err = pa_store_query_int(st, "SELECT coalesce(sum(length(data)), 0) FROM chunks",
					 &stored);
	if (!err)
		err = pa_store_query_int(st, "SELECT coalesce(sum(events), 0) FROM chunks",
					 &in->total_events);
	if (err)
		return err;
	in->page_size = 1ll << shift;
	in->stored = (uint64_t)stored;
	if (pa_store_get_meta_int(st, "malformed_lines", &in->malformed) < 0 ||
	    pa_store_get_meta_int(st, "other_lines", &in->other) < 0 ||
	    pa_store_get_meta_int(st, "format_version", &in->format_version) < 0 ||
	    pa_store_get_meta_text(st, "source", in->source, sizeof(in->source)) < 0)
		return -PA_ESQL;
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

static int print_json(const struct info *in)
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
	int rc;

	if (!o)
		return pa_cli_error("out of memory");
	rc = json_dumpf(o, stdout, JSON_INDENT(2));
	json_decref(o);
	if (rc || putchar('\n') == EOF)
		return PA_EXIT_FAIL;
	return PA_EXIT_OK;
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
	const struct pa_command *cmd = pa_find_command("info");
	struct pa_cli cli;
	struct pa_store *st;
	struct info in;
	int rc = pa_cli_parse(argc, argv, cmd, NULL, NULL, NULL, &cli);
	int err;

	if (rc)
		return rc < 0 ? PA_EXIT_OK : rc;
	st = pa_run_open(cli.db);
	if (!st)
		return PA_EXIT_FAIL;
	err = gather(st, &cli.filter, &in);
	if (err) {
		rc = pa_cli_error("%s", err == -PA_ENOMEM ? "out of memory" :
				  pa_store_errmsg(st));
	} else if (cli.json) {
		rc = print_json(&in);
	} else {
		print_table(cli.db, &in);
		rc = PA_EXIT_OK;
	}
	pa_store_close(st);
	return rc;
}

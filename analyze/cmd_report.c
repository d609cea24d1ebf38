// SPDX-License-Identifier: MIT
/*
 * paanalyze report - one self-contained HTML page about a run: its summary, every
 * picture as inline SVG, and the top tables. Nothing is loaded from the network.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "figure.h"
#include "outfile.h"
#include "pat/error.h"
#include "report.h"
#include "rundb.h"

const char cmd_report_usage[] =
	"usage: paanalyze report -o FILE [OPTIONS] [DB]\n"
	"\n"
	"Write one HTML page about the run in DB (default run.db) into FILE: the run's\n"
	"summary (command, when, events, pages, threads, losses), the heatmap per\n"
	"instruction and its top 20 rows, the page heatmap (time x address), the working\n"
	"set per 10 ms window with its percentiles, and the LRU miss-ratio curve with its\n"
	"table; each picture is inline SVG with tooltips, as heatmap, wss and reuse draw it\n"
	"with --svg. The page is self-contained (no scripts, fonts or images from\n"
	"elsewhere) and readable in any browser. FILE is written whole or not at all.\n"
	"\n"
	"  -o, --output FILE  the HTML file to write\n"
	PA_CLI_COMMON_HELP
	"                The filters apply to every section.\n";

enum { OPT_OUTPUT = 'o' };

const struct option cmd_report_options[] = {
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ NULL, 0, NULL, 0 },
};

int cmd_report_option(int id, const char *arg, void *ctx)
{
	if (id != OPT_OUTPUT)
		return PA_EXIT_USAGE;
	*(const char **)ctx = arg;
	return 0;
}

static const char style[] =
	"<style>\n"
	"body{font-family:sans-serif;margin:2em auto;max-width:1100px;color:#222}\n"
	"h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}\n"
	"table{border-collapse:collapse;margin:1em 0;font-size:.9em}\n"
	"td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}\n"
	"td:last-child,th:last-child{text-align:left}\n"
	"figure{margin:1em 0;overflow-x:auto}\n"
	".note{color:#555;font-size:.9em}\n"
	"</style>\n";

int pa_report_figure(struct pa_report *r, struct pa_plot *p)
{
	int err;

	fputs("<figure>\n", r->f);
	err = pa_plot_write(p, PA_PLOT_SVG, r->f, 1);
	fputs("</figure>\n", r->f);
	/* a failed write is named by pa_outfile_commit, with the file and the reason */
	return err && err != -PA_EIO ? pa_fig_failed(p, err) : PA_EXIT_OK;
}

/* A row of the summary table: @key and the escaped @value. */
static void fact(FILE *f, const char *key, const char *value)
{
	fprintf(f, "<tr><th>%s</th><td>", key);
	pa_plot_escape(f, value);
	fputs("</td></tr>\n", f);
}

static int summary(struct pa_report *r)
{
	static const char *const keys[][2] = {
		{ "command", "command" }, { "created", "recorded or imported" },
		{ "source", "source" }, { "input", "input file" },
		{ "kernel_release", "kernel" }, { "interval_us", "tracing interval (us)" },
		{ "exit_status", "exit status" }, { "page_size", "page size (bytes)" },
	};
	char title[1024], sub[2048], buf[1024];
	struct pa_run_totals t;
	uint64_t t0;
	int err = pa_fig_titles(r->st, r->db, r->filter, "pat report", NULL, title,
				sizeof(title), sub, sizeof(sub));

	if (!err)
		err = pa_store_run_totals(r->st, &t);
	if (!err)
		err = pa_store_run_start(r->st, &t0);
	if (err)
		return pa_run_error(r->st, r->db, err);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
	      r->f);
	pa_plot_escape(r->f, title);
	fprintf(r->f, "</title>\n%s</head>\n<body>\n<h1>", style);
	pa_plot_escape(r->f, title);
	fputs("</h1>\n<p class=\"note\">", r->f);
	pa_plot_escape(r->f, sub);
	fputs("</p>\n<h2>Run</h2>\n<table id=\"summary\">\n", r->f);
	fact(r->f, "database", r->db);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		err = pa_store_get_meta_text(r->st, keys[i][0], buf, sizeof(buf));
		if (err < 0)
			return pa_run_error(r->st, r->db, err);
		if (!err)
			fact(r->f, keys[i][1], buf);
	}
	snprintf(buf, sizeof(buf), "%lld", (long long)t.events);
	fact(r->f, "events stored", buf);
	snprintf(buf, sizeof(buf), "%lld threads in %lld processes", (long long)t.tasks,
		 (long long)t.processes);
	fact(r->f, "tasks", buf);
	snprintf(buf, sizeof(buf), "%.6f s", t.last_marker_ns > (int64_t)t0 ?
		 (double)((uint64_t)t.last_marker_ns - t0) / 1e9 : 0.0);
	fact(r->f, "time to the last marker", buf);
	snprintf(buf, sizeof(buf), "%lld in %lld overruns%s", (long long)t.lost_events,
		 (long long)t.lost_reports, t.lost_events ? " (the trace is incomplete)" : "");
	fact(r->f, "lost events", buf);
	snprintf(buf, sizeof(buf), "%lld bytes in %lld chunks", (long long)t.stored_bytes,
		 (long long)t.chunks);
	fact(r->f, "stored", buf);
	fputs("</table>\n", r->f);
	return PA_EXIT_OK;
}

/* Writes the page of @r into @path, whole or not at all. */
static int write_report(struct pa_report *r, const char *path)
{
	struct pa_outfile o;
	int rc;

	if (pa_outfile_open(&o, path))
		return PA_EXIT_FAIL;
	r->f = o.f;
	rc = summary(r);
	if (!rc)
		rc = pa_report_heatmap(r);
	if (!rc)
		rc = pa_report_wss(r);
	if (!rc)
		rc = pa_report_reuse(r);
	if (!rc)
		fputs("<p class=\"note\">Made by paanalyze report. Hover over a cell or a point "
		      "for its numbers.</p>\n</body>\n</html>\n", r->f);
	r->f = NULL;
	if (rc) {
		pa_outfile_abort(&o);
		return rc;
	}
	return pa_outfile_commit(&o);
}

int cmd_report_check(const struct pa_command *cmd, const struct pa_cli *cli, void *ctx)
{
	if (!*(const char **)ctx)
		return pa_cli_usage_error(cmd, "-o FILE is needed: the HTML file to write");
	if (cli->json)
		return pa_cli_usage_error(cmd, "--json: the report is HTML");
	return 0;
}

int cmd_report(int argc, char **argv)
{
	const char *out = NULL;
	struct pa_report r = { 0 };
	struct pa_cli cli;
	int rc = pa_cli_start(argc, argv, &out, &cli, &r.st);

	if (rc)
		return rc < 0 ? PA_EXIT_OK : rc;
	r.db = cli.db;
	r.filter = &cli.filter;
	rc = write_report(&r, out);
	pa_store_close(r.st);
	return rc;
}

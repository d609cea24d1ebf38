// SPDX-License-Identifier: MIT
/*
 * paanalyze check - verify a whole run database, and salvage what can be read of it
 * (docs/format.md).
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "pat/error.h"
#include "pat/store.h"
#include "rundb.h"

const char cmd_check_usage[] =
	"usage: paanalyze check [--salvage OUT] [DB]\n"
	"\n"
	"Verify all of DB (default run.db): SQLite's integrity check, every chunk of events\n"
	"read whole with the checks of every reader (its checksums, its count and time range\n"
	"against its row), and the metadata against the chunks (the events in meta and per\n"
	"thread in tasks, the page size, the format version). Prints each problem on a line\n"
	"of its own, then a summary. Chunks of a format 1 database carry no checksums: damage\n"
	"inside one that still decodes cannot be found, which the summary says.\n"
	"\n"
	"  --salvage OUT  also copy every chunk that reads whole, and the other tables, into\n"
	"                the new database OUT (which must not exist), in the current format\n"
	"                with checksums; the event counts of OUT are those of what was\n"
	"                copied, and meta salvaged_from and salvage_lost_chunks say where it\n"
	"                came from and how many chunks were left behind.\n"
	"\n"
	"Exit status: 0 nothing is wrong; 1 a problem was found (the salvage is written all\n"
	"the same), or DB could not be read at all, or OUT could not be written; 2 usage\n"
	"error.\n";

enum { OPT_SALVAGE = PA_OPT_FIRST_EXTRA };

const struct option cmd_check_options[] = {
	{ "salvage", required_argument, NULL, OPT_SALVAGE },
	{ NULL, 0, NULL, 0 },
};

int cmd_check_option(int id, const char *arg, void *ctx)
{
	const char **out = ctx;

	if (id == OPT_SALVAGE)
		*out = arg;
	return 0;
}

static void print_problem(void *ctx, const char *msg)
{
	(void)ctx;
	printf("%s\n", msg);
}

/* The summary line of @res for @db. */
static void summary(const char *db, const struct pa_check *res)
{
	printf("%s: %s: format version %d, %lld chunks", db,
	       res->problems ? "damaged" : "ok", res->version, (long long)res->chunks);
	if (res->bad_chunks)
		printf(" (%lld damaged)", (long long)res->bad_chunks);
	printf(", %llu events read, %lld problem%s\n", (unsigned long long)res->events,
	       (long long)res->problems, res->problems == 1 ? "" : "s");
	if (!res->checksums)
		printf("%s: its chunks have no checksums (format version %d): damage inside a "
		       "chunk that still decodes cannot be found; --salvage copies them into "
		       "the current format\n", db, res->version);
}

int cmd_check_check(const struct pa_command *cmd, const struct pa_cli *cli, void *ctx)
{
	const char *salvage = *(const char **)ctx;

	if (cli->json || cli->filter.pid || cli->filter.tid || cli->filter.rw ||
	    cli->filter.has_from || cli->filter.has_to)
		return pa_cli_usage_error(cmd, "check takes no --json and no filters");
	if (salvage && strcmp(salvage, cli->db) == 0)
		return pa_cli_usage_error(cmd, "--salvage %s would overwrite the database", salvage);
	return 0;
}

int cmd_check(int argc, char **argv)
{
	const char *salvage = NULL;
	struct pa_store *st, *out = NULL;
	struct pa_check res;
	struct pa_cli cli;
	int rc = pa_cli_start(argc, argv, &salvage, &cli, &st);
	int err;

	if (rc)
		return rc < 0 ? PA_EXIT_OK : rc;
	if (salvage && (err = pa_store_create(salvage, &out)) != 0) {
		pa_cli_error("%s", pa_store_errmsg(out));
		pa_store_close(out);
		if (err != -PA_EEXIST)	/* made, then failed: not left half made */
			pa_store_remove(salvage);
		pa_store_close(st);
		return PA_EXIT_FAIL;
	}
	err = pa_store_check(st, out, print_problem, NULL, &res);
	if (!err && out)
		err = pa_store_finish(out);
	if (err) {
		rc = pa_cli_error("%s", err == -PA_ENOMEM ? "out of memory" :
				  pa_store_errmsg(out ? out : st));
	} else {
		summary(cli.db, &res);
		if (out)
			printf("%s: %lld of %lld chunks (%llu events) salvaged\n", salvage,
			       (long long)res.copied, (long long)res.chunks,
			       (unsigned long long)res.events);
		rc = res.problems ? PA_EXIT_FAIL : PA_EXIT_OK;
	}
	if (out && (pa_store_close(out) || err)) {
		if (!err)
			rc = pa_cli_error("%s: cannot close the database", salvage);
		pa_store_remove(salvage);
	}
	pa_store_close(st);
	return rc;
}

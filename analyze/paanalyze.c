// SPDX-License-Identifier: MIT
/*
 * paanalyze - answers from a run database. One table drives the subcommands.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "pat/version.h"

static const struct pa_command commands[] = {
	{ "info", cmd_info, "summary of a run: events, pages, ips, tasks, time span, losses",
	  cmd_info_usage, NULL, NULL, NULL },
	{ "heatmap", cmd_heatmap, "per-ip access counts over time or pages, symbolized",
	  cmd_heatmap_usage, cmd_heatmap_options, cmd_heatmap_option, NULL },
	{ "reuse", cmd_reuse, "reuse-distance histogram and LRU miss-ratio curve", cmd_reuse_usage,
	  cmd_reuse_options, cmd_reuse_option, NULL },
	{ "wss", cmd_wss, "working-set sizes per time window, or Denning's curve", cmd_wss_usage,
	  cmd_wss_options, cmd_wss_option, cmd_wss_check },
	{ "export", cmd_export, "every event as CSV or JSON lines, for other tools", cmd_export_usage,
	  cmd_export_options, cmd_export_option, cmd_export_check },
	{ "report", cmd_report, "one HTML page: the summary, every picture, the top tables",
	  cmd_report_usage, cmd_report_options, cmd_report_option, cmd_report_check },
	{ "check", cmd_check, "verify a whole database; --salvage copies what can be read",
	  cmd_check_usage, cmd_check_options, cmd_check_option, cmd_check_check },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const struct pa_command *pa_find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void usage(FILE *f)
{
	fputs("usage: paanalyze [--version] [--help] COMMAND [OPTIONS] [DB]\n"
	      "\n"
	      "Analyse a run database written by pacollect (DB defaults to run.db).\n"
	      "\n"
	      "Commands:\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("  help CMD   the options of CMD\n"
	      "\n"
	      "Every command but export and report prints a table for people, or with --json\n"
	      "one JSON document; heatmap, wss and reuse draw pictures with --png and --svg;\n"
	      "export streams CSV or JSON lines; report writes one HTML page.\n"
	      "Exit status: 0 success; 1 the database could not be read or the output not\n"
	      "written; 2 usage error.\n", f);
}

/* stdout is the product: a failed write (full disk, closed pipe) is a failure. */
static int finish_output(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "paanalyze: error writing output: %s\n", strerror(errno));
		return rc ? rc : PA_EXIT_FAIL;
	}
	return rc;
}

int main(int argc, char **argv)
{
	const struct pa_command *cmd;

	if (argc < 2) {
		usage(stderr);
		return PA_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return finish_output(PA_EXIT_OK);
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("paanalyze %s\n", PA_VERSION);
		return finish_output(PA_EXIT_OK);
	}
	if (strcmp(argv[1], "help") == 0) {
		if (argc == 2) {
			usage(stdout);
			return finish_output(PA_EXIT_OK);
		}
		cmd = pa_find_command(argv[2]);
		if (!cmd || argc > 3) {
			fprintf(stderr, "paanalyze: no such command '%s' (try 'paanalyze --help')\n",
				argv[2]);
			return PA_EXIT_USAGE;
		}
		fputs(cmd->usage, stdout);
		return finish_output(PA_EXIT_OK);
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "paanalyze: unknown option %s (try 'paanalyze --help')\n", argv[1]);
		return PA_EXIT_USAGE;
	}
	cmd = pa_find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr, "paanalyze: no such command '%s' (try 'paanalyze --help')\n",
			argv[1]);
		return PA_EXIT_USAGE;
	}
	return finish_output(cmd->run(argc - 1, argv + 1));
}

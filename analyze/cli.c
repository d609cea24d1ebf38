// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_OPTIONS 64

int pa_cli_usage_error(const struct pa_command *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "paanalyze %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try 'paanalyze help %s')\n", cmd->name);
	return PA_EXIT_USAGE;
}

int pa_cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("paanalyze: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return PA_EXIT_FAIL;
}

int pa_cli_parse(int argc, char **argv, const struct pa_command *cmd,
		 const struct option *extra, int (*on_extra)(int id, const char *arg, void *ctx),
		 void *ctx, struct pa_cli *cli)
{
	struct option opts[MAX_OPTIONS] = {
		{ "json", no_argument, NULL, PA_OPT_JSON },
		{ "help", no_argument, NULL, PA_OPT_HELP },
	};
	size_t n = 2;
	int c, rc;

	for (; extra && extra->name && n < MAX_OPTIONS - 1; extra++)
		opts[n++] = *extra;
	cli->db = "run.db";
	cli->json = 0;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case PA_OPT_JSON:
			cli->json = 1;
			break;
		case 'h':
		case PA_OPT_HELP:
			fputs(cmd->usage, stdout);
			return -1;
		case ':':
			return pa_cli_usage_error(cmd, "option %s needs a value", argv[optind - 1]);
		case '?':
			if (optopt && optopt < 256)
				return pa_cli_usage_error(cmd, "unknown option -%c", optopt);
			return pa_cli_usage_error(cmd, "unknown option %s", argv[optind - 1]);
		default:
			rc = on_extra ? on_extra(c, optarg, ctx) : PA_EXIT_USAGE;
			if (rc)
				return rc;
		}
	}
	if (optind < argc)
		cli->db = argv[optind++];
	if (optind < argc)
		return pa_cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	return 0;
}

// SPDX-License-Identifier: MIT
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rundb.h"

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

/* A decimal id in 1..2^32-1. */
static int parse_id(const char *s, uint32_t *id)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v == 0 || v > UINT32_MAX)
		return -1;
	*id = (uint32_t)v;
	return 0;
}

/* The options of every command. */
static const struct option common_options[] = {
	{ "json", no_argument, NULL, PA_OPT_JSON },
	{ "help", no_argument, NULL, PA_OPT_HELP },
	{ "pid", required_argument, NULL, PA_OPT_PID },
	{ "tid", required_argument, NULL, PA_OPT_TID },
	{ "from", required_argument, NULL, PA_OPT_FROM },
	{ "to", required_argument, NULL, PA_OPT_TO },
	{ "rw", required_argument, NULL, PA_OPT_RW },
};

#define NCOMMON (sizeof(common_options) / sizeof(common_options[0]))

/*
 * The getopt tables of a command: the common options and @extra into @opts
 * (MAX_OPTIONS, zero-terminated), and into @shorts "-h" and every extra option whose
 * id is a letter, as that short option.
 */
static void option_tables(const struct option *extra, struct option *opts, char *shorts)
{
	size_t n = NCOMMON, ns = 2;

	memcpy(opts, common_options, sizeof(common_options));
	memcpy(shorts, ":h", 2);
	for (; extra && extra->name && n < MAX_OPTIONS - 1; extra++) {
		opts[n++] = *extra;
		if (extra->val > 0 && extra->val < 128 && isalpha(extra->val)) {
			shorts[ns++] = (char)extra->val;
			if (extra->has_arg == required_argument)
				shorts[ns++] = ':';
		}
	}
	shorts[ns] = '\0';
}

/*
 * Takes common option @c (a PA_OPT_* id) with optarg into @cli. Returns 0, or
 * PA_EXIT_USAGE after printing why.
 */
static int common_option(const struct pa_command *cmd, int c, struct pa_cli *cli)
{
	switch (c) {
	case PA_OPT_JSON:
		cli->json = 1;
		return 0;
	case PA_OPT_PID:
	case PA_OPT_TID:
		if (parse_id(optarg, c == PA_OPT_PID ? &cli->filter.pid : &cli->filter.tid))
			return pa_cli_usage_error(cmd, "%s needs a process or thread id, not '%s'",
						  c == PA_OPT_PID ? "--pid" : "--tid", optarg);
		return 0;
	case PA_OPT_FROM:
	case PA_OPT_TO:
		if (pa_parse_duration(optarg, c == PA_OPT_FROM ? &cli->filter.from_ns :
				      &cli->filter.to_ns))
			return pa_cli_usage_error(cmd, "%s needs a time with a unit "
						  "(250ms, 1.5s, 300us), not '%s'",
						  c == PA_OPT_FROM ? "--from" : "--to", optarg);
		*(c == PA_OPT_FROM ? &cli->filter.has_from : &cli->filter.has_to) = 1;
		return 0;
	default:	/* PA_OPT_RW */
		if (strcmp(optarg, "r") != 0 && strcmp(optarg, "w") != 0)
			return pa_cli_usage_error(cmd, "--rw takes r or w, not '%s'", optarg);
		cli->filter.rw = optarg[0];
		return 0;
	}
}

int pa_cli_parse(int argc, char **argv, const struct pa_command *cmd,
		 const struct option *extra, int (*on_extra)(int id, const char *arg, void *ctx),
		 void *ctx, struct pa_cli *cli)
{
	struct option opts[MAX_OPTIONS] = { { NULL, 0, NULL, 0 } };
	char shorts[2 * MAX_OPTIONS + 3];
	int c, rc = 0;

	option_tables(extra, opts, shorts);
	memset(cli, 0, sizeof(*cli));
	cli->db = "run.db";
	optind = 0;	/* glibc: start afresh, also after a parse stopped mid-cluster */
	opterr = 0;
	while (!rc && (c = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		switch (c) {
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
		case PA_OPT_JSON:
		case PA_OPT_PID:
		case PA_OPT_TID:
		case PA_OPT_FROM:
		case PA_OPT_TO:
		case PA_OPT_RW:
			rc = common_option(cmd, c, cli);
			break;
		default:
			rc = on_extra ? on_extra(c, optarg, ctx) : PA_EXIT_USAGE;
		}
	}
	if (rc)
		return rc;
	if (optind < argc)
		cli->db = argv[optind++];
	if (optind < argc)
		return pa_cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (cli->filter.has_from && cli->filter.has_to &&
	    cli->filter.to_ns <= cli->filter.from_ns)
		return pa_cli_usage_error(cmd, "--to must be later than --from");
	return 0;
}

int pa_cli_start(int argc, char **argv, void *ctx, struct pa_cli *cli, struct pa_store **st)
{
	const struct pa_command *cmd = pa_find_command(argv[0]);
	int rc = pa_cli_parse(argc, argv, cmd, cmd->options, cmd->on_option, ctx, cli);

	*st = NULL;
	if (!rc && cmd->check)
		rc = cmd->check(cmd, cli, ctx);
	if (rc)
		return rc;
	*st = pa_run_open(cli->db);
	return *st ? 0 : PA_EXIT_FAIL;
}

const char *pa_cli_escape(const char *s, char *buf, size_t size)
{
	size_t o = 0;

	if (!s || !*s || !size)
		return s;
	for (const unsigned char *p = (const unsigned char *)s; *p >= 0x20 && *p != 0x7f; p++)
		if (!p[1])
			return s;
	for (const unsigned char *p = (const unsigned char *)s; *p && o + 5 <= size; p++) {
		if (*p < 0x20 || *p == 0x7f)
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", *p);
		else
			buf[o++] = (char)*p;
	}
	buf[o < size ? o : size - 1] = '\0';
	return buf;
}

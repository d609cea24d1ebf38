/* SPDX-License-Identifier: MIT */
#ifndef PAT_ANALYZE_CLI_H
#define PAT_ANALYZE_CLI_H

#include <getopt.h>

#include "events.h"
#include "pat/store.h"

/* Exit codes of paanalyze, documented in its --help. */
enum {
	PA_EXIT_OK = 0,
	PA_EXIT_FAIL = 1,	/* the database could not be read, or writing the output failed */
	PA_EXIT_USAGE = 2,
};

/* Options every subcommand takes. */
struct pa_cli {
	const char *db;		/* the positional DB, default "run.db" */
	int json;
	struct pa_filter filter;	/* --pid --tid --from --to --rw */
};

/* A subcommand: one row of the table in paanalyze.c. */
struct pa_command {
	const char *name;
	int (*run)(int argc, char **argv);	/* argv[0] is the command name */
	const char *summary;			/* one line for `paanalyze --help` */
	const char *usage;			/* full text for `paanalyze help NAME` */
	/* the command's own options (a NULL-terminated getopt table), NULL for none */
	const struct option *options;
	/*
	 * takes option @id of @options with @arg into the command's options @ctx:
	 * returns 0, or PA_EXIT_USAGE after printing why
	 */
	int (*on_option)(int id, const char *arg, void *ctx);
	/*
	 * checks the options together once parsed, before the database is opened:
	 * returns 0, or PA_EXIT_USAGE after printing why; NULL: nothing to check
	 */
	int (*check)(const struct pa_command *cmd, const struct pa_cli *cli, void *ctx);
};

/* The text of the common options, for each command's usage. */
#define PA_CLI_COMMON_HELP \
	"  --json        one JSON document on stdout instead of a table\n" \
	"  --pid PID     only the events of process PID (all its threads)\n" \
	"  --tid TID     only the events of thread TID\n" \
	"  --from T      only events at or after T from the run start (250ms, 1.5s, 300us)\n" \
	"  --to T        only events before T from the run start\n" \
	"  --rw r|w      only reads, or only writes\n"

/* Option ids of the common options, past the range of short option characters. */
enum {
	PA_OPT_JSON = 1000,
	PA_OPT_HELP,
	PA_OPT_PID,
	PA_OPT_TID,
	PA_OPT_FROM,
	PA_OPT_TO,
	PA_OPT_RW,
	PA_OPT_FIRST_EXTRA = 1100,	/* commands number their own options from here */
};

/*
 * pa_cli_parse - parse @argv of command @cmd: the common options, the command's own
 * @extra options (NULL-terminated getopt table, may be NULL; each is passed to
 * @on_extra with its id and argument, which returns 0 or prints why and returns
 * PA_EXIT_USAGE) and at most one positional DB. Returns 0 to go on, -1 when --help was
 * answered, or PA_EXIT_USAGE after printing a one-line error.
 */
int pa_cli_parse(int argc, char **argv, const struct pa_command *cmd,
		 const struct option *extra, int (*on_extra)(int id, const char *arg, void *ctx),
		 void *ctx, struct pa_cli *cli);

/*
 * pa_cli_start - the start of every command: parse @argv (argv[0] names the command in
 * the table, whose options, option handler and check are used, with the command's
 * options @ctx) into @cli, then open the database for reading into *@st. Returns 0 with
 * *@st open (the caller closes it); -1 when --help was answered; else the exit code,
 * after printing why.
 */
int pa_cli_start(int argc, char **argv, void *ctx, struct pa_cli *cli, struct pa_store **st);

/* pa_cli_usage_error - print "paanalyze CMD: MESSAGE (try ...)" and return PA_EXIT_USAGE. */
int pa_cli_usage_error(const struct pa_command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * pa_cli_escape - @s as a table may show it: every control character (below 0x20, and
 * 0x7f) as \xNN, so that a process name or path cannot move the cursor or change the
 * terminal's colours. Returns @s itself when it has none, else @buf (@size bytes,
 * truncated to fit).
 */
const char *pa_cli_escape(const char *s, char *buf, size_t size);

/* pa_cli_error - print "paanalyze: MESSAGE" on stderr and return PA_EXIT_FAIL. */
int pa_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The command table, for `paanalyze help` and the commands' own --help. */
const struct pa_command *pa_find_command(const char *name);

#endif

// SPDX-License-Identifier: MIT
/*
 * pacollect - turn page-access trace text into a run database.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import.h"
#include "live.h"
#include "pat/duration.h"
#include "pat/error.h"
#include "pat/format.h"
#include "pat/store.h"
#include "pat/version.h"
#include "runmeta.h"

/* Exit codes, documented in --help and README.md. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* nothing written: bad input file, I/O or database error */
	EXIT_USAGE = 2,
	EXIT_UNCLEAN = 3,	/* database written, but some input lines were malformed */
	EXIT_INTERRUPTED = 130,
};

/* Malformed lines printed in full; the rest are only counted. */
#define SHOW_MALFORMED 20
#define READ_SIZE (1u << 17)

static const char usage_text[] =
	"usage: pacollect [-o FILE] [-f] [-q] [--interval DUR] [--sample 1/N] [--buffer-size KB]\n"
	"                 CMD [ARGS...]\n"
	"       pacollect [-o FILE] [-f] [-q] --input FILE|-\n"
	"       pacollect --check [-o FILE] [-f] [--interval DUR] [--sample 1/N] [--buffer-size KB]\n"
	"\n"
	"Trace the page accesses of a command on the patched kernel (as root), or import\n"
	"saved trace text (the page_access events, from trace_pipe or trace), into a run\n"
	"database.\n"
	"\n"
	"  -o, --output FILE      database to write (default: run.db)\n"
	"  -f, --force            replace FILE if it exists\n"
	"  -q, --quiet            no live status line and no summary\n"
	"  -i, --input FILE       import trace text instead of tracing; '-' reads stdin\n"
	"      --check            tell, item by item, whether tracing can work here (the\n"
	"                         kernel's tracer, privilege, tracefs, the events, the\n"
	"                         interval and sampling, the ring buffer, the output's\n"
	"                         space), with the fix for each that fails; exit 0 when\n"
	"                         ready, 1 when not. Tracing runs the same checks first\n"
	"      --interval DUR     tracing interval for this run (1ms, 250us; default: the\n"
	"                         kernel's, /proc/sys/vm/page_access_trace_interval_us)\n"
	"      --sample 1/N       trace 1 page in N for this run (N a power of two up to\n"
	"                         65536; 1/1 every page; default: the kernel's,\n"
	"                         /proc/sys/vm/page_access_trace_sample_shift): the kernel\n"
	"                         picks the pages by a hash of their address, and the\n"
	"                         analyses scale their estimates by N. The old setting is\n"
	"                         restored afterwards\n"
	"      --buffer-size KB   ftrace ring buffer per CPU (default 16384)\n"
	"  -h, --help             show this help\n"
	"  -V, --version          show the version\n"
	"\n"
	"Tracing: the command runs with its arguments once tracing is ready; the events of\n"
	"it, its threads and the processes it forks are kept, with snapshots of their\n"
	"/proc/PID/maps. The database is written as events arrive, a chunk at a time, so a\n"
	"killed pacollect leaves every committed chunk readable. ^C reaches the command as\n"
	"in a shell; pacollect finishes writing when it exits. Exit status: the command's\n"
	"(128+N if killed by signal N); 1 tracing failed; 2 usage error; 127 the command\n"
	"could not be run.\n"
	"\n"
	"Import: written under a temporary name (FILE.tmp-PID) and renamed when complete, so\n"
	"a failed or interrupted import leaves nothing under FILE; what a killed import left\n"
	"is removed by the next import into the same directory. Exit status: 0 imported cleanly;\n"
	"1 failed, nothing written; 2 usage error; 3 imported, but some lines were\n"
	"malformed (reported as FILE:LINE: reason); 130 interrupted.\n";

struct options {
	const char *input;
	int check;
	struct pa_live_opts live;	/* output, force, quiet are shared with import */
};

struct report {
	const char *name;	/* input name for FILE:LINE messages */
	uint64_t shown;
};

static void on_malformed(void *ctx, uint64_t lineno, const char *reason, const char *text,
			 size_t len)
{
	struct report *r = ctx;

	(void)text;
	(void)len;
	if (r->shown++ < SHOW_MALFORMED)
		fprintf(stderr, "%s:%llu: %s\n", r->name, (unsigned long long)lineno, reason);
}

/* --interval DUR: at least 1 us. Returns 0, or EXIT_USAGE after printing why. */
static int parse_interval(const char *arg, struct options *o)
{
	uint64_t ns;

	if (pa_parse_duration(arg, &ns) || ns < 1000) {
		fprintf(stderr, "pacollect: --interval needs a duration of at least "
			"1us with a unit (1ms, 250us), not '%s'\n", arg);
		return EXIT_USAGE;
	}
	o->live.interval_us = ns / 1000;
	return 0;
}

/* --buffer-size KB: 4 to 4194304. Returns 0, or EXIT_USAGE after printing why. */
static int parse_buffer_size(const char *arg, struct options *o)
{
	unsigned long kb;
	char *end;

	errno = 0;
	kb = strtoul(arg, &end, 10);
	if (errno || *end || !*arg || *arg == '-' || kb < 4 || kb > 4194304) {
		fprintf(stderr, "pacollect: --buffer-size needs kilobytes per CPU "
			"(4..4194304), not '%s'\n", arg);
		return EXIT_USAGE;
	}
	o->live.buffer_kb = (unsigned int)kb;
	return 0;
}

/* The kernel's largest sample shift is 16 (kernel/README.md, Sampling). */
#define SAMPLE_MAX_N 65536u

/*
 * --sample 1/N: N a power of two in 1..SAMPLE_MAX_N. Returns 0, or EXIT_USAGE after
 * printing why.
 */
static int parse_sample(const char *arg, struct options *o)
{
	unsigned long v = 0;
	char *end = NULL;

	if (strncmp(arg, "1/", 2) == 0 && arg[2] >= '1' && arg[2] <= '9') {
		errno = 0;
		v = strtoul(arg + 2, &end, 10);
		if (errno || *end)
			v = 0;
	}
	if (!v || v > SAMPLE_MAX_N || (v & (v - 1))) {
		fprintf(stderr, "pacollect: --sample needs 1/N with N a power of two from 1 to "
			"%u (1/16, 1/64), not '%s'\n", SAMPLE_MAX_N, arg);
		return EXIT_USAGE;
	}
	o->live.sample_n = (unsigned int)v;
	return 0;
}

/* Reports what getopt refused (@c is ':' or '?'). Returns EXIT_USAGE. */
static int bad_option(int c, char **argv)
{
	if (c == ':')
		fprintf(stderr, "pacollect: option %s needs an argument (try --help)\n",
			argv[optind - 1]);
	else if (optopt)
		fprintf(stderr, "pacollect: unknown option -%c (try --help)\n", optopt);
	else
		fprintf(stderr, "pacollect: unknown option %s (try --help)\n", argv[optind - 1]);
	return EXIT_USAGE;
}

/*
 * Checks that the options of @o and the @ncommand words of a command go together: one
 * of --check, --input and a command. Returns 0, or EXIT_USAGE after printing why.
 */
static int check_mode(const struct options *o, int ncommand)
{
	const char *why = NULL;

	if (o->check && (ncommand || o->input))
		why = "--check takes no command and no --input";
	else if (ncommand && o->input)
		why = "give either --input or a command, not both";
	else if (!ncommand && !o->input && !o->check)
		why = "nothing to do: give a command to trace, or --input FILE";
	else if (o->input && (o->live.interval_us || o->live.buffer_kb || o->live.sample_n))
		why = "--interval, --sample and --buffer-size apply to tracing, not to --input";
	if (!why)
		return 0;
	fprintf(stderr, "pacollect: %s (try --help)\n", why);
	return EXIT_USAGE;
}

/*
 * Fills @o from the command line. Returns -1 when --help or --version was answered
 * (exit 0), 0 to go on, or an exit code after printing why.
 */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "interval", required_argument, NULL, 'I' },
		{ "buffer-size", required_argument, NULL, 'B' },
		{ "check", no_argument, NULL, 'C' },
		{ "sample", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 0;

	o->live.output = "run.db";
	opterr = 0;
	while (!rc && (c = getopt_long(argc, argv, "+i:o:fqhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			o->input = optarg;
			break;
		case 'o':
			o->live.output = optarg;
			break;
		case 'f':
			o->live.force = 1;
			break;
		case 'q':
			o->live.quiet = 1;
			break;
		case 'C':
			o->check = 1;
			break;
		case 'I':
			rc = parse_interval(optarg, o);
			break;
		case 'S':
			rc = parse_sample(optarg, o);
			break;
		case 'B':
			rc = parse_buffer_size(optarg, o);
			break;
		case 'h':
			fputs(usage_text, stdout);
			return -1;
		case 'V':
			printf("pacollect %s\n", PA_VERSION);
			return -1;
		default:
			return bad_option(c, argv);
		}
	}
	if (!rc)
		rc = check_mode(o, argc - optind);
	o->live.argv = argv + optind;
	return rc;
}

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void status_line(const struct pa_import_stats *s, uint64_t bytes, double elapsed)
{
	fprintf(stderr, "\r\033[Kpacollect: %.1f MB read, %llu lines, %llu events (%.2f M/s)",
		(double)bytes / 1e6, (unsigned long long)s->lines, (unsigned long long)s->events,
		elapsed > 0 ? (double)s->events / elapsed / 1e6 : 0.0);
}

static int write_meta(struct pa_store *st, const char *input)
{
	int err = pa_run_meta(st, "import", 4096);

	if (!err)
		err = pa_store_set_meta_text(st, "input", input);
	return err;
}

/* Shows the status line when it is time; returns the next time. */
static double status(struct pa_import *im, int show, uint64_t bytes, double start, double next)
{
	if (!show || pa_clock_s() < next)
		return next;
	status_line(pa_import_stats(im), bytes, pa_clock_s() - start);
	return pa_clock_s() + 0.25;
}

/*
 * Reads all of @fd into the importer. Read, never mapped: a mapped file that shrinks
 * or whose medium fails under the import kills the process with SIGBUS, where read()
 * returns an error the caller reports with the file's name. Returns 0, a negated
 * pa_err, or -PA_EIO (errno).
 */
static int import_fd(struct pa_import *im, int fd, int show_status)
{
	double start = pa_clock_s(), next = start + 0.25;
	uint64_t bytes = 0;
	char *buf;
	int err = 0;

	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	buf = malloc(READ_SIZE);
	if (!buf)
		return -PA_ENOMEM;
	while (!err && !interrupted) {
		ssize_t n = read(fd, buf, READ_SIZE);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -PA_EIO;
			break;
		}
		if (n == 0)
			break;
		bytes += (uint64_t)n;
		err = pa_import_feed(im, buf, (size_t)n);
		next = status(im, show_status, bytes, start, next);
	}
	if (show_status)
		fputs("\r\033[K", stderr);
	free(buf);
	return err;
}

static void summary(const char *output, const struct pa_import_stats *s)
{
	pa_run_summary_head(output, s);
	fprintf(stderr, ", %llu markers, %llu lines", (unsigned long long)s->markers,
		(unsigned long long)s->lines);
	if (s->events)
		fprintf(stderr, ", %.2f bytes/event", (double)s->stored_bytes / (double)s->events);
	fputc('\n', stderr);
	if (s->lost_events)
		fprintf(stderr, "pacollect: warning: the trace reports %llu lost events in %llu "
			"ring-buffer overruns\n", (unsigned long long)s->lost_events,
			(unsigned long long)s->lost_reports);
	if (s->other)
		fprintf(stderr, "pacollect: skipped %llu lines of other trace events\n",
			(unsigned long long)s->other);
}

/* Moves the finished temporary database to its name; without -f, never over a file. */
static int publish(const char *tmp, const char *output, int force)
{
	if (force)
		return rename(tmp, output);
	if (link(tmp, output) != 0)
		return -1;
	unlink(tmp);
	return 0;
}

/*
 * Whether @name in directory @dfd is a run database an import began: empty (made, not
 * yet written) or SQLite with pat's application_id, or none yet (the first
 * transaction not written).
 */
static int is_import_db(int dfd, const char *name)
{
	uint8_t h[72];
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat sb;
	ssize_t n;
	uint32_t id;

	if (fd < 0)
		return 0;
	n = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) ? read(fd, h, sizeof(h)) : -1;
	close(fd);
	if (n == 0)
		return 1;
	if (n != (ssize_t)sizeof(h) || memcmp(h, "SQLite format 3", 16) != 0)
		return 0;
	id = (uint32_t)h[68] << 24 | (uint32_t)h[69] << 16 | (uint32_t)h[70] << 8 | h[71];
	return id == PA_APPLICATION_ID || id == 0;
}

/*
 * Removes what killed imports left in the directory of @output: each NAME.tmp-PID
 * that is an import's database (is_import_db) of a PID that is no process any more,
 * with its -wal, -shm and -journal. A running import's files, or those of a PID taken
 * again, are left alone, and so is every other file.
 */
static void remove_stale(const char *output)
{
	static const char *const sides[] = { "-wal", "-shm", "-journal" };
	const char *slash = strrchr(output, '/');
	char dir[4096], side[NAME_MAX + 16];
	struct dirent *e;
	DIR *d;

	if (slash)
		snprintf(dir, sizeof(dir), "%.*s", slash == output ? 1 : (int)(slash - output),
			 output);
	else
		snprintf(dir, sizeof(dir), ".");
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		const char *tag = strstr(e->d_name, ".tmp-"), *p;
		char *end;
		long pid;

		while (tag && strstr(tag + 1, ".tmp-"))
			tag = strstr(tag + 1, ".tmp-");
		if (!tag || tag == e->d_name)
			continue;
		p = tag + 5;
		if (*p < '1' || *p > '9')
			continue;
		pid = strtol(p, &end, 10);
		if (*end || pid == getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH ||
		    !is_import_db(dirfd(d), e->d_name))
			continue;
		for (size_t k = 0; k < sizeof(sides) / sizeof(sides[0]); k++) {
			snprintf(side, sizeof(side), "%s%s", e->d_name, sides[k]);
			unlinkat(dirfd(d), side, 0);
		}
		unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

/*
 * Refuses an existing output (-f replaces only a regular file) and opens the input:
 * 0 with *@fd (0: standard input), or the exit status after saying why.
 */
static int open_input(const struct options *o, int *fd)
{
	struct stat sb;

	if (lstat(o->live.output, &sb) == 0 && (!o->live.force || !S_ISREG(sb.st_mode))) {
		fprintf(stderr, "pacollect: %s exists; %s\n", o->live.output, !o->live.force ?
			"use -f to replace it" : "not a regular file, -f replaces only a database");
		return EXIT_FAIL;
	}
	*fd = 0;
	if (strcmp(o->input, "-") != 0) {
		*fd = open(o->input, O_RDONLY | O_CLOEXEC);
		if (*fd < 0) {
			fprintf(stderr, "pacollect: %s: %s\n", o->input, strerror(errno));
			return EXIT_FAIL;
		}
	}
	return 0;
}

/*
 * Imports @fd (input @name) into the new database @tmp, finished and closed, with what
 * the import counted in *@stats. Returns 0, or the exit status after saying why; the
 * caller removes @tmp then.
 */
static int import_into(const struct options *o, const char *name, int fd, const char *tmp,
		       struct report *rep, struct pa_import_stats *stats)
{
	int show_status = !o->live.quiet && isatty(STDERR_FILENO);
	struct pa_store *st = NULL;
	struct pa_import *im = NULL;
	int err, rc = EXIT_FAIL;

	err = pa_store_create_scratch(tmp, &st);
	if (err) {
		fprintf(stderr, "pacollect: %s\n", pa_store_errmsg(st));
		goto out_close;
	}
	im = pa_import_new(st, on_malformed, rep);
	if (!im) {
		fprintf(stderr, "pacollect: out of memory\n");
		goto out_close;
	}
	err = write_meta(st, o->input);
	if (!err)
		err = import_fd(im, fd, show_status);
	if (err == -PA_EIO) {
		fprintf(stderr, "pacollect: %s: %s\n", name, strerror(errno));
		goto out_close;
	}
	if (!err && interrupted) {
		fprintf(stderr, "pacollect: interrupted; nothing written\n");
		rc = EXIT_INTERRUPTED;
		goto out_close;
	}
	if (!err)
		err = pa_import_finish(im);
	if (!err)
		err = pa_store_finish(st);
	if (err) {
		/* a refused input names its line: say which file it is in */
		fprintf(stderr, "pacollect: %s%s%s\n", err == -PA_EINVAL ? name : "",
			err == -PA_EINVAL ? ": " : "", pa_import_why(im, st, err));
		goto out_close;
	}
	*stats = *pa_import_stats(im);
	rc = 0;
out_close:
	pa_import_free(im);
	if (pa_store_close(st) && rc == 0) {
		fprintf(stderr, "pacollect: %s: cannot close the database\n", tmp);
		rc = EXIT_FAIL;
	}
	return rc;
}

static int import(const struct options *o)
{
	const char *name = strcmp(o->input, "-") == 0 ? "<stdin>" : o->input;
	struct report rep = { .name = name };
	struct pa_import_stats stats;
	char tmp[4096];
	int fd, rc = open_input(o, &fd);

	if (rc)
		return rc;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", o->live.output, (long)getpid()) >=
	    sizeof(tmp)) {
		fprintf(stderr, "pacollect: %s: name too long\n", o->live.output);
		rc = EXIT_FAIL;
		goto out_close_input;
	}
	remove_stale(o->live.output);
	rc = import_into(o, name, fd, tmp, &rep, &stats);
	if (!rc && publish(tmp, o->live.output, o->live.force) != 0) {
		fprintf(stderr, "pacollect: cannot create %s: %s\n", o->live.output,
			errno == EEXIST ? "it appeared meanwhile (use -f to replace it)" :
			strerror(errno));
		rc = EXIT_FAIL;
	}
	if (rc) {
		pa_store_remove(tmp);
		goto out_close_input;
	}
	if (rep.shown > SHOW_MALFORMED)
		fprintf(stderr, "%s: %llu more malformed lines not shown\n", name,
			(unsigned long long)(rep.shown - SHOW_MALFORMED));
	if (!o->live.quiet)
		summary(o->live.output, &stats);
	rc = stats.malformed ? EXIT_UNCLEAN : EXIT_OK;
	if (rc == EXIT_UNCLEAN)
		fprintf(stderr, "pacollect: %llu malformed lines in %s were skipped\n",
			(unsigned long long)stats.malformed, name);
out_close_input:
	if (fd > 0)
		close(fd);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	int rc = parse_options(argc, argv, &o);

	if (rc < 0) {
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "pacollect: write error: %s\n", strerror(errno));
			return EXIT_FAIL;
		}
		return EXIT_OK;
	}
	if (rc)
		return rc;
	if (o.check)
		return pa_live_check(&o.live, 1);
	if (!o.input)
		return pa_live_run(&o.live);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	return import(&o);
}

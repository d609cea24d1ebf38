// SPDX-License-Identifier: MIT
/*
 * Live collection: tag the command's name in /proc/trace_page_access, start it, read
 * the page_access events from a private ftrace instance while it runs, keep those of
 * the command and the processes it forks, snapshot their /proc/PID/maps when they
 * change, and write everything into the run database as it arrives.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "import.h"
#include "live.h"
#include "pat/error.h"
#include "pat/store.h"
#include "procmaps.h"
#include "runmeta.h"
#include "tracefs.h"

#define PROC_TAGS "/proc/trace_page_access"
#define INTERVAL_SYSCTL "/proc/sys/vm/page_access_trace_interval_us"
#define SAMPLE_SYSCTL "/proc/sys/vm/page_access_trace_sample_shift"

/* A sysctl this run sets, and its value before, to restore (empty: nothing to restore). */
struct setting {
	const char *path;
	const char *what;
	char old[32];
};
#define READ_SIZE (1u << 20)
#define MAX_FOLLOWED 1024
#define MAX_MAPS_BYTES (64u << 20)
/* After the command exits, how long to wait for the END of its processes. */
#define DRAIN_SECONDS 3.0

struct snapshot {
	uint32_t pid;
	uint64_t hash;
};

struct live {
	const struct pa_live_opts *o;
	struct pa_store *st;
	struct pa_import *im;
	struct pa_tracefs tfs;
	int pipe_fd;
	char *buf;
	char name[256];
	int tagged;		/* we added the name and must remove it */
	struct setting interval;
	struct setting sample;
	pid_t child;
	int status;
	int exited;
	struct snapshot snaps[MAX_FOLLOWED];
	size_t nsnaps;
	char *maps_buf;
};

/* A signal to pass on: set by the handler, acted on by the loop. */
static volatile sig_atomic_t forward_signal;

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	/*
	 * A terminal's ^C reaches the whole foreground group, the command included; a
	 * signal sent to pacollect alone (kill) is passed on, as a shell's child gets it.
	 */
	if (si->si_code == SI_USER || si->si_code == SI_QUEUE)
		forward_signal = sig;
}

/* Prints the failure @e ("pacollect: FILE: cause"). Returns the exit status, 1. */
static int report(const struct pa_error *e)
{
	fprintf(stderr, "pacollect: %s\n", e->msg);
	return 1;
}

/* Prints the failure @sys (an errno) of @what. Returns the exit status, 1. */
static int report_errno(int sys, const char *what)
{
	struct pa_error e;

	pa_error_errno(&e, sys, what);
	return report(&e);
}

/* One item as `pacollect --check` prints it, to @f. */
static void print_item(FILE *f, const struct pa_check_item *it)
{
	static const char *const word[] = {
		[PA_CHECK_OK] = "ok", [PA_CHECK_FAIL] = "FAIL", [PA_CHECK_NOTE] = "note",
	};

	fprintf(f, "%-5s %-10s %s\n", word[it->status], it->name, it->detail);
	if (it->fix[0])
		fprintf(f, "%-5s %-10s fix: %s\n", "", "", it->fix);
}

int pa_live_check(const struct pa_live_opts *o, int all)
{
	struct pa_check_env env = {
		.root = "", .output = o->output, .force = o->force,
		.buffer_kb = o->buffer_kb ? o->buffer_kb : PA_LIVE_BUFFER_KB,
		.interval_us = o->interval_us, .sample_n = o->sample_n,
	};
	struct pa_check_item items[PA_CHECK_MAX];
	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	size_t n;
	int ready;

	env.cpus = cpus > 0 ? (unsigned int)cpus : 1;
	n = pa_check_run(&env, items);
	ready = pa_check_ready(items, n);
	if (!all && ready)
		return 0;
	if (!all)
		fprintf(stderr, "pacollect: not ready to trace (pacollect --check tells every "
			"item):\n");
	for (size_t i = 0; i < n; i++)
		if (all || items[i].status == PA_CHECK_FAIL)
			print_item(all ? stdout : stderr, &items[i]);
	if (all)
		printf("%s\n", ready ? "ready to trace" : "not ready to trace");
	return ready ? 0 : 1;
}

/* Is @name a line of the tag list @list? */
static int listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len == n && memcmp(p, name, n) == 0)
			return 1;
		p += len + (nl ? 1 : 0);
	}
	return 0;
}

static int tag(struct live *lv)
{
	char list[4096], line[300];
	struct pa_error e;
	int err = pa_read_file(PROC_TAGS, list, sizeof(list), &e);

	if (err)
		return report(&e);
	if (listed(list, lv->name))
		return 0;	/* someone else's tag: leave it as we found it */
	snprintf(line, sizeof(line), "%s\n", lv->name);
	err = pa_write_file(PROC_TAGS, line, &e);
	if (e.sys == ENOSPC) {
		fprintf(stderr, "pacollect: %s is full; clear it with: echo > %s\n", PROC_TAGS,
			PROC_TAGS);
		return 1;
	}
	if (err)
		return report_errno(e.sys, "cannot tag the command's name in " PROC_TAGS);
	lv->tagged = 1;
	return 0;
}

/* The proc file can only be cleared as a whole: clear it and put the others back. */
static void untag(struct live *lv)
{
	char list[4096], line[300];

	if (!lv->tagged || pa_read_file(PROC_TAGS, list, sizeof(list), NULL) != 0)
		return;
	lv->tagged = 0;
	if (pa_write_file(PROC_TAGS, "\n", NULL) != 0)
		return;
	for (char *p = list, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p) - 1;
		*nl = '\0';
		if (*p && strcmp(p, lv->name) != 0) {
			snprintf(line, sizeof(line), "%s\n", p);
			pa_write_file(PROC_TAGS, line, NULL);
		}
	}
}

/*
 * Sets the sysctl of @s to @value for this run, keeping its old value for
 * restore_setting(). Returns 0, or the exit status after saying why.
 */
static int set_setting(struct setting *s, unsigned long long value)
{
	char v[32], what[128];
	struct pa_error e;

	if (pa_read_file(s->path, s->old, sizeof(s->old), &e))
		return report(&e);
	snprintf(v, sizeof(v), "%llu\n", value);
	if (pa_write_file(s->path, v, &e)) {
		s->old[0] = '\0';
		snprintf(what, sizeof(what), "cannot set the %s in %s", s->what, s->path);
		return report_errno(e.sys, what);
	}
	return 0;
}

/* Puts back what set_setting() changed, on every way out of a run. */
static void restore_setting(struct setting *s)
{
	if (s->old[0])
		pa_write_file(s->path, s->old, NULL);
	s->old[0] = '\0';
}

/* The interval and the sample rate of this run, when asked for. */
static int set_settings(struct live *lv)
{
	unsigned int k = 0;
	int rc = 0;

	lv->interval = (struct setting){ .path = INTERVAL_SYSCTL, .what = "interval" };
	lv->sample = (struct setting){ .path = SAMPLE_SYSCTL, .what = "sample rate" };
	if (lv->o->interval_us)
		rc = set_setting(&lv->interval, lv->o->interval_us);
	while (lv->o->sample_n >> (k + 1))
		k++;
	if (!rc && lv->o->sample_n)
		rc = set_setting(&lv->sample, k);
	return rc;
}

static void restore_settings(struct live *lv)
{
	restore_setting(&lv->interval);
	restore_setting(&lv->sample);
}

static int setup_tracing(struct live *lv)
{
	char inst[64], kb[32];
	int err;

	snprintf(inst, sizeof(inst), "pacollect-%ld", (long)getpid());
	err = pa_tracefs_open(&lv->tfs, inst);
	if (err)
		return report(&lv->tfs.err);
	/* CLOCK_MONOTONIC timestamps, comparable with the maps snapshots' clock */
	err = pa_tracefs_write(&lv->tfs, "trace_clock", "mono");
	if (!err) {
		snprintf(kb, sizeof(kb), "%u", lv->o->buffer_kb ? lv->o->buffer_kb :
			 PA_LIVE_BUFFER_KB);
		err = pa_tracefs_write(&lv->tfs, "buffer_size_kb", kb);
	}
	if (!err) {
		err = pa_tracefs_write(&lv->tfs, "events/page_access/enable", "1");
		if (err == -PA_ENOENT) {
			fprintf(stderr, "pacollect: the kernel has no page_access trace events "
				"(%s); boot the patched kernel (see kernel/README.md)\n",
				lv->tfs.path);
			return 1;
		}
	}
	if (err)
		return report(&lv->tfs.err);
	lv->pipe_fd = pa_tracefs_open_pipe(&lv->tfs);
	if (lv->pipe_fd < 0)
		return report(&lv->tfs.err);
	return 0;
}

/*
 * Fork the command, held until @go is written so that tracing is ready before it
 * execs; an exec failure comes back as an errno on @errp (closed by a good exec).
 */
static pid_t spawn(char **argv, int *go_w, int *err_r)
{
	int go[2], errp[2];
	pid_t pid;

	if (pipe2(go, O_CLOEXEC) != 0)
		return -1;
	if (pipe2(errp, O_CLOEXEC) != 0) {
		close(go[0]);
		close(go[1]);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		char c;
		int e;

		close(go[1]);
		close(errp[0]);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		execvp(argv[0], argv);
		e = errno;
		if (write(errp[1], &e, sizeof(e)) != (ssize_t)sizeof(e))
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(errp[1]);
	if (pid < 0) {
		close(go[1]);
		close(errp[0]);
		return -1;
	}
	*go_w = go[1];
	*err_r = errp[0];
	return pid;
}

static uint64_t fnv1a(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)p[i]) * 0x100000001b3ull;
	return h;
}

static struct snapshot *snapshot_of(struct live *lv, uint32_t pid)
{
	for (size_t i = 0; i < lv->nsnaps; i++)
		if (lv->snaps[i].pid == pid)
			return &lv->snaps[i];
	if (lv->nsnaps == MAX_FOLLOWED)
		return NULL;
	lv->snaps[lv->nsnaps].pid = pid;
	lv->snaps[lv->nsnaps].hash = 0;
	return &lv->snaps[lv->nsnaps++];
}

/* Reads /proc/@pid/maps and stores it if it changed. Returns 0 or a negated pa_err. */
static int snapshot_maps(struct live *lv, uint32_t pid)
{
	char path[64];
	struct snapshot *sn = snapshot_of(lv, pid);
	uint64_t t = pa_clock_ns(), h;
	size_t len;
	int err;

	if (!sn)
		return 0;
	snprintf(path, sizeof(path), "/proc/%u/maps", pid);
	if (pa_read_file(path, lv->maps_buf, MAX_MAPS_BYTES, NULL) != 0)
		return 0;	/* gone meanwhile: its END will come */
	len = strlen(lv->maps_buf);
	h = fnv1a(lv->maps_buf, len);
	if (h == sn->hash)
		return 0;
	sn->hash = h;
	for (char *p = lv->maps_buf, *nl; *p; p = nl + 1) {
		struct pa_maps_entry e;
		char prot[8], file[4096];

		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p) - 1;
		if (pa_parse_maps_line(p, (size_t)(nl - p + (*nl != '\n')), &e) != 0)
			continue;
		snprintf(prot, sizeof(prot), "%.*s", (int)e.prot.len, e.prot.s);
		snprintf(file, sizeof(file), "%.*s", (int)e.path.len, e.path.s);
		struct pa_map m = {
			.time_ns = t, .tgid = pid, .op = "snapshot", .start = e.start,
			.end = e.end, .prot = prot, .pgoff = e.pgoff, .path = file,
		};
		err = pa_import_add_map(lv->im, &m);
		if (err)
			return err;
	}
	return 0;
}

static int snapshot_all(struct live *lv)
{
	uint32_t pids[MAX_FOLLOWED];
	size_t n = pa_import_followed(lv->im, pids, MAX_FOLLOWED);
	int err = 0;

	if (n > MAX_FOLLOWED)
		n = MAX_FOLLOWED;
	for (size_t i = 0; i < n && !err; i++)
		err = snapshot_maps(lv, pids[i]);
	return err;
}

/* Reads what trace_pipe has now. Returns bytes read (0: nothing), or a negated pa_err. */
static long drain_pipe(struct live *lv)
{
	long total = 0;

	for (;;) {
		ssize_t n = read(lv->pipe_fd, lv->buf, READ_SIZE);
		int err;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return total;
		err = pa_import_feed(lv->im, lv->buf, (size_t)n);
		if (err)
			return err;
		total += n;
	}
}

static void status_line(struct live *lv, double elapsed)
{
	const struct pa_import_stats *s = pa_import_stats(lv->im);
	char wal[4096 + 8];
	struct stat a, b;
	double mb = 0;

	if (stat(lv->o->output, &a) == 0)
		mb += (double)a.st_size / 1e6;
	snprintf(wal, sizeof(wal), "%s-wal", lv->o->output);
	if (stat(wal, &b) == 0)
		mb += (double)b.st_size / 1e6;
	fprintf(stderr, "\r\033[Kpacollect: %.1f s, %llu events (%.0f/s), %llu lost, %.1f MB",
		elapsed, (unsigned long long)s->events,
		elapsed > 0 ? (double)s->events / elapsed : 0.0,
		(unsigned long long)s->lost_events, mb);
}

/* The collection loop: until the command has exited and its processes have ended. */
static int collect(struct live *lv)
{
	double start = pa_clock_s(), next_snap = 0, next_flush = start + 1, next_status = start + 0.5,
	       deadline = 0;
	int show = !lv->o->quiet && isatty(STDERR_FILENO);
	int err = 0;

	while (!err) {
		struct pollfd pfd = { .fd = lv->pipe_fd, .events = POLLIN };
		long got;
		double t;

		if (forward_signal) {
			kill(lv->child, forward_signal);
			forward_signal = 0;
		}
		if (!lv->exited) {
			pid_t w = waitpid(lv->child, &lv->status, WNOHANG);

			if (w == lv->child) {
				lv->exited = 1;
				deadline = pa_clock_s() + DRAIN_SECONDS;
			}
		}
		poll(&pfd, 1, 100);
		got = drain_pipe(lv);
		if (got < 0) {
			err = (int)got;
			break;
		}
		t = pa_clock_s();
		if (t >= next_snap) {
			err = snapshot_all(lv);
			next_snap = t + 0.1;
		}
		if (!err && t >= next_flush) {
			err = pa_import_flush(lv->im);
			next_flush = t + 1;
		}
		if (show && t >= next_status) {
			status_line(lv, t - start);
			next_status = t + 0.5;
		}
		if (lv->exited && got == 0 &&
		    (pa_import_followed(lv->im, NULL, 0) == 0 || t >= deadline))
			break;
	}
	if (show)
		fputs("\r\033[K", stderr);
	return err;
}

static void command_line(char **argv, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (char **a = argv; *a && off + 1 < size; a++)
		off += (size_t)snprintf(buf + off, size - off, "%s%s", a == argv ? "" : " ", *a);
}

static int write_meta(struct live *lv, double seconds)
{
	struct pa_store *st = lv->st;
	struct utsname u;
	char cmd[4096], iv[32];
	int err, code = WIFEXITED(lv->status) ? WEXITSTATUS(lv->status) :
		128 + WTERMSIG(lv->status);

	command_line(lv->o->argv, cmd, sizeof(cmd));
	err = pa_run_meta(st, "live", sysconf(_SC_PAGESIZE));
	if (!err)
		err = pa_store_set_meta_text(st, "command", cmd);
	if (!err && uname(&u) == 0)
		err = pa_store_set_meta_text(st, "kernel_release", u.release);
	if (!err && pa_read_file(INTERVAL_SYSCTL, iv, sizeof(iv), NULL) == 0)
		err = pa_store_set_meta_int(st, "interval_us", atoll(iv));
	if (!err)
		err = pa_store_set_meta_text(st, "trace_clock", "mono");
	if (!err)
		err = pa_store_set_meta_int(st, "exit_status", code);
	if (!err)
		err = pa_store_set_meta_int(st, "duration_us", (int64_t)(seconds * 1e6));
	return err;
}

static void summary(struct live *lv)
{
	const struct pa_import_stats *s = pa_import_stats(lv->im);

	pa_run_summary_head(lv->o->output, s);
	fprintf(stderr, ", %llu START/END markers, %llu mapping records\n",
		(unsigned long long)s->markers, (unsigned long long)s->maps);
	if (s->lost_events)
		fprintf(stderr, "pacollect: warning: %llu events were lost in %llu ring-buffer "
			"overruns; a larger --buffer-size (now %u KB per CPU) keeps them\n",
			(unsigned long long)s->lost_events, (unsigned long long)s->lost_reports,
			lv->o->buffer_kb ? lv->o->buffer_kb : PA_LIVE_BUFFER_KB);
	if (s->markers == 0)
		fprintf(stderr, "pacollect: warning: the kernel never started tracing '%s' "
			"(no START event)\n", lv->name);
}

static int start_command(struct live *lv)
{
	int go, errp, e = 0;
	ssize_t n;

	lv->child = spawn(lv->o->argv, &go, &errp);
	if (lv->child < 0)
		return report_errno(errno, "cannot start the command");
	if (pa_import_follow(lv->im, (uint32_t)lv->child) != 0 || write(go, "g", 1) != 1) {
		kill(lv->child, SIGKILL);
		close(go);
		close(errp);
		return report_errno(EIO, "cannot start the command");
	}
	close(go);
	n = read(errp, &e, sizeof(e));
	close(errp);
	if (n == (ssize_t)sizeof(e)) {
		waitpid(lv->child, NULL, 0);
		fprintf(stderr, "pacollect: cannot run %s: %s\n", lv->o->argv[0], strerror(e));
		return 127;
	}
	return 0;
}

static int open_output(struct live *lv)
{
	const char *out = lv->o->output;
	struct stat sb;
	int err;

	if (lstat(out, &sb) == 0) {
		if (!lv->o->force) {
			fprintf(stderr, "pacollect: %s exists; use -f to replace it\n", out);
			return 1;
		}
		pa_store_remove(out);
	}
	/* Written in place, in WAL mode: a kill leaves every committed chunk readable. */
	err = pa_store_create(out, &lv->st);
	if (err) {
		fprintf(stderr, "pacollect: %s\n", pa_store_errmsg(lv->st));
		return 1;
	}
	lv->im = pa_import_new(lv->st, NULL, NULL);
	if (!lv->im)
		return report_errno(ENOMEM, "cannot start the import");
	return 0;
}

/*
 * Everything before the first event: the signals, the tracing instance, the interval
 * and the sample rate, the tag, the command started. Returns 0, or the exit code after printing why (then
 * no database is left behind: nothing was traced).
 */
static int start_tracing(struct live *lv)
{
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO };
	int rc;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	rc = setup_tracing(lv);
	if (!rc)
		rc = set_settings(lv);
	if (!rc)
		rc = tag(lv);
	if (!rc)
		rc = start_command(lv);
	if (rc) {
		pa_import_free(lv->im);
		lv->im = NULL;
		pa_store_close(lv->st);
		lv->st = NULL;
		pa_store_remove(lv->o->output);
	}
	return rc;
}

/*
 * Collects until the command exits, then completes the database (the last chunk, the
 * metadata). Returns the command's exit status (128+N if killed by signal N), or 1
 * when the database could not be completed, after printing why.
 */
static int trace_to_end(struct live *lv)
{
	const struct pa_live_opts *o = lv->o;
	double start = pa_clock_s();
	int err = collect(lv);

	if (err) {
		fprintf(stderr, "pacollect: %s: %s\n", o->output, pa_import_why(lv->im, lv->st, err));
		fprintf(stderr, "pacollect: stopped tracing; waiting for %s to exit\n", o->argv[0]);
	}
	if (!lv->exited)
		waitpid(lv->child, &lv->status, 0);
	if (!err)
		err = pa_import_finish(lv->im);
	if (!err)
		err = write_meta(lv, pa_clock_s() - start);
	if (!err)
		err = pa_import_flush(lv->im);
	if (!err)
		err = pa_store_finish(lv->st);
	if (err) {
		fprintf(stderr, "pacollect: %s: %s\n", o->output, pa_import_why(lv->im, lv->st, err));
		return 1;
	}
	if (!o->quiet)
		summary(lv);
	return WIFEXITED(lv->status) ? WEXITSTATUS(lv->status) : 128 + WTERMSIG(lv->status);
}

/* Undoes start_tracing's changes to the system, done or not. */
static void stop_tracing(struct live *lv)
{
	untag(lv);
	restore_settings(lv);
	if (lv->pipe_fd >= 0)
		close(lv->pipe_fd);
	pa_tracefs_close(&lv->tfs);
}

int pa_live_run(const struct pa_live_opts *o)
{
	struct live lv = { .o = o, .pipe_fd = -1 };
	const char *base = strrchr(o->argv[0], '/');
	int rc;

	snprintf(lv.name, sizeof(lv.name), "%s", base ? base + 1 : o->argv[0]);
	rc = pa_live_check(o, 0);
	if (rc)
		return rc;
	lv.buf = malloc(READ_SIZE);
	lv.maps_buf = malloc(MAX_MAPS_BYTES);
	if (!lv.buf || !lv.maps_buf) {
		rc = report_errno(ENOMEM, "cannot allocate buffers");
		goto out_free;
	}
	rc = open_output(&lv);
	if (rc)
		goto out_close_store;
	rc = start_tracing(&lv);
	if (!rc)
		rc = trace_to_end(&lv);
	stop_tracing(&lv);
out_close_store:
	pa_import_free(lv.im);
	pa_store_close(lv.st);
out_free:
	free(lv.buf);
	free(lv.maps_buf);
	return rc;
}

// SPDX-License-Identifier: MIT
/*
 * The readiness checks of `pacollect --check`: each item reads what it needs under
 * env->root and says what it found and, when tracing cannot work, what to do.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "check.h"
#include "tracefs.h"

#define CAP_SYS_ADMIN_BIT 21
#define MIN_FREE_MB 64		/* output space below which a run would soon fail */
#define README "see kernel/README.md"

/* What the items found that later items need. */
struct state {
	const struct pa_check_env *env;
	int tracer;		/* /proc/trace_page_access exists */
	int privileged;		/* CAP_SYS_ADMIN in effect */
	char tracefs[256];	/* where tracefs is mounted (with env->root), or "" */
	char release[128];	/* the running kernel's release */
};

/* @path under env->root, into @buf of @size. */
static const char *at(const struct state *s, const char *path, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s", s->env->root, path);
	return buf;
}

/*
 * Reads @path (under the root) into @buf; "" when it cannot be read. Returns 0 or a
 * negated pa_err, with @e (NULL: not wanted) filled.
 */
static int slurp(const struct state *s, const char *path, char *buf, size_t size,
		 struct pa_error *e)
{
	char p[512];
	int err = pa_read_file(at(s, path, p, sizeof(p)), buf, size, e);

	if (err)
		buf[0] = '\0';
	return err;
}

static struct pa_check_item *item(struct pa_check_item *it, const char *name,
				  enum pa_check_status status)
{
	memset(it, 0, sizeof(*it));
	it->name = name;
	it->status = status;
	return it;
}

static void check_kernel(struct state *s, struct pa_check_item *it)
{
	char p[512];
	struct stat sb;

	slurp(s, "/proc/sys/kernel/osrelease", s->release, sizeof(s->release), NULL);
	s->release[strcspn(s->release, "\n")] = '\0';
	if (!s->release[0])
		snprintf(s->release, sizeof(s->release), "unknown");
	s->tracer = stat(at(s, "/proc/trace_page_access", p, sizeof(p)), &sb) == 0;
	if (s->tracer) {
		item(it, "kernel", PA_CHECK_OK);
		snprintf(it->detail, sizeof(it->detail), "this kernel (%s) has the page access "
			 "tracer (/proc/trace_page_access)", s->release);
		return;
	}
	item(it, "kernel", PA_CHECK_FAIL);
	snprintf(it->detail, sizeof(it->detail), "this kernel (%s) has no page access tracer "
		 "(no /proc/trace_page_access)", s->release);
	snprintf(it->fix, sizeof(it->fix), "install the patched kernel and boot it: " README);
}

/* The value of the line that starts with @key ("CapEff:") in @text, or NULL. */
static const char *field(const char *text, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = text; p; p = strchr(p, '\n')) {
		p += *p == '\n';
		if (strncmp(p, key, n) == 0)
			return p + n;
	}
	return NULL;
}

static void check_privilege(struct state *s, struct pa_check_item *it)
{
	char status[4096];
	const char *cap, *uid;
	unsigned long long eff = 0;
	long id = -1;

	slurp(s, "/proc/self/status", status, sizeof(status), NULL);
	cap = field(status, "CapEff:");
	uid = field(status, "Uid:");
	if (cap)
		eff = strtoull(cap, NULL, 16);
	if (uid)
		id = strtol(uid, NULL, 10);
	s->privileged = (eff >> CAP_SYS_ADMIN_BIT) & 1;
	if (s->privileged) {
		item(it, "privilege", PA_CHECK_OK);
		snprintf(it->detail, sizeof(it->detail), "CAP_SYS_ADMIN in effect (uid %ld)", id);
		return;
	}
	item(it, "privilege", PA_CHECK_FAIL);
	snprintf(it->detail, sizeof(it->detail), "uid %ld without CAP_SYS_ADMIN, which "
		 "tagging in /proc/trace_page_access and tracefs need", id);
	snprintf(it->fix, sizeof(it->fix), "run pacollect as root (sudo), or import saved "
		 "trace text with --input");
}

/* The mount point of the first tracefs in the mount table @mounts, into @mp; 0 if none. */
static int tracefs_mount(const char *mounts, char *mp, size_t size)
{
	for (const char *line = mounts; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char dev[64], dir[256], type[32];

		if (len < 400 && sscanf(line, "%63s %255s %31s", dev, dir, type) == 3 &&
		    strcmp(type, "tracefs") == 0) {
			snprintf(mp, size, "%s", dir);
			return 1;
		}
		line += len + (nl != NULL);
	}
	return 0;
}

static void check_tracefs(struct state *s, struct pa_check_item *it)
{
	const size_t size = 1 << 16;
	char fs[8192], mp[256], *mounts = malloc(size);
	int found = 0;

	if (mounts) {
		slurp(s, "/proc/self/mounts", mounts, size, NULL);
		found = tracefs_mount(mounts, mp, sizeof(mp));
		free(mounts);
	}
	if (found) {
		snprintf(s->tracefs, sizeof(s->tracefs), "%s%s", s->env->root, mp);
		item(it, "tracefs", PA_CHECK_OK);
		snprintf(it->detail, sizeof(it->detail), "mounted at %s", mp);
		return;
	}
	slurp(s, "/proc/filesystems", fs, sizeof(fs), NULL);
	if (strstr(fs, "\ttracefs\n")) {
		item(it, "tracefs", s->privileged ? PA_CHECK_OK : PA_CHECK_FAIL);
		snprintf(it->detail, sizeof(it->detail), "not mounted; pacollect mounts it at "
			 "/sys/kernel/tracing%s", s->privileged ? "" : ", which needs privilege");
		if (!s->privileged)
			snprintf(it->fix, sizeof(it->fix), "run pacollect as root (sudo)");
		return;
	}
	item(it, "tracefs", PA_CHECK_FAIL);
	snprintf(it->detail, sizeof(it->detail), "this kernel (%s) has no tracefs", s->release);
	snprintf(it->fix, sizeof(it->fix), "install the patched kernel, whose configuration "
		 "has tracing: " README);
}

static void check_events(struct state *s, struct pa_check_item *it)
{
	static const char *const events[] = {
		"init_page_access_trace", "__reset_page_access_trace", "handle_mm_fault",
		"page_access_mmap", "page_access_munmap",
	};
	char p[512];
	struct stat sb;

	if (!s->tracefs[0]) {
		item(it, "events", PA_CHECK_NOTE);
		snprintf(it->detail, sizeof(it->detail), "not looked at: tracefs is not "
			 "mounted yet");
		return;
	}
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		snprintf(p, sizeof(p), "%s/events/page_access/%s", s->tracefs, events[i]);
		if (stat(p, &sb) == 0)
			continue;
		if (errno == EACCES) {
			item(it, "events", s->privileged ? PA_CHECK_FAIL : PA_CHECK_NOTE);
			snprintf(it->detail, sizeof(it->detail), "not looked at: %s: permission "
				 "denied", p + strlen(s->env->root));
			return;
		}
		item(it, "events", PA_CHECK_FAIL);
		snprintf(it->detail, sizeof(it->detail), "no page_access:%s event in tracefs "
			 "(%s)", events[i], p + strlen(s->env->root));
		snprintf(it->fix, sizeof(it->fix), "boot the patched kernel: " README);
		return;
	}
	item(it, "events", PA_CHECK_OK);
	snprintf(it->detail, sizeof(it->detail), "page_access events present (START, END, "
		 "faults, mappings)");
}

/*
 * A sysctl of the tracer read as a number into *@v. Returns 0 or a negated pa_err,
 * with @e (NULL: not wanted) filled.
 */
static int sysctl(const struct state *s, const char *path, unsigned long long *v,
		  struct pa_error *e)
{
	char buf[64], *end;
	int err = slurp(s, path, buf, sizeof(buf), e);

	if (err)
		return err;
	*v = strtoull(buf, &end, 10);
	return end == buf ? pa_error_errno(e, EINVAL, path) : 0;
}

static void check_interval(struct state *s, struct pa_check_item *it)
{
	unsigned long long us;
	struct pa_error e;
	int err = sysctl(s, "/proc/sys/vm/page_access_trace_interval_us", &us, &e);
	char run[96] = "";

	if (s->env->interval_us)
		snprintf(run, sizeof(run), "; this run sets %llu us",
			 (unsigned long long)s->env->interval_us);
	if (!err) {
		item(it, "interval", PA_CHECK_OK);
		snprintf(it->detail, sizeof(it->detail), "pages are reset every %llu us "
			 "(vm.page_access_trace_interval_us)%s", us, run);
		return;
	}
	item(it, "interval", s->tracer ? PA_CHECK_FAIL : PA_CHECK_NOTE);
	snprintf(it->detail, sizeof(it->detail), "/proc/sys/vm/page_access_trace_interval_us: "
		 "%s", strerror(e.sys));
	if (s->tracer)
		snprintf(it->fix, sizeof(it->fix), "boot the kernel of this pat's series: "
			 README);
}

static void check_sampling(struct state *s, struct pa_check_item *it)
{
	unsigned long long k;
	char run[64] = "";

	if (s->env->sample_n)
		snprintf(run, sizeof(run), "; this run sets 1/%u", s->env->sample_n);
	if (sysctl(s, "/proc/sys/vm/page_access_trace_sample_shift", &k, NULL) == 0 && k < 64) {
		item(it, "sampling", PA_CHECK_OK);
		if (k)
			snprintf(it->detail, sizeof(it->detail), "one page in 2^%llu = %llu is "
				 "traced (vm.page_access_trace_sample_shift)%s", k, 1ull << k, run);
		else
			snprintf(it->detail, sizeof(it->detail), "every page is traced "
				 "(vm.page_access_trace_sample_shift 0)%s", run);
		return;
	}
	if (s->env->sample_n > 1) {
		item(it, "sampling", PA_CHECK_FAIL);
		snprintf(it->detail, sizeof(it->detail), "--sample 1/%u, but this kernel has no "
			 "page_access_trace_sample_shift", s->env->sample_n);
		snprintf(it->fix, sizeof(it->fix), "trace every page (no --sample), or boot the "
			 "kernel of this pat's series: " README);
		return;
	}
	item(it, "sampling", PA_CHECK_NOTE);
	snprintf(it->detail, sizeof(it->detail), "every page is traced (this kernel has no "
		 "page_access_trace_sample_shift)");
}

static void check_buffer(struct state *s, struct pa_check_item *it)
{
	char meminfo[8192];
	const char *avail;
	unsigned long long total_kb = (unsigned long long)s->env->buffer_kb * s->env->cpus;
	unsigned long long avail_kb = 0;

	slurp(s, "/proc/meminfo", meminfo, sizeof(meminfo), NULL);
	avail = field(meminfo, "MemAvailable:");
	if (avail)
		avail_kb = strtoull(avail, NULL, 10);
	if (avail && total_kb > avail_kb / 2) {
		item(it, "buffer", PA_CHECK_FAIL);
		snprintf(it->detail, sizeof(it->detail), "%u KB a CPU x %u CPUs = %llu MB, more "
			 "than half of the %llu MB available", s->env->buffer_kb, s->env->cpus,
			 total_kb / 1024, avail_kb / 1024);
		snprintf(it->fix, sizeof(it->fix), "choose a smaller --buffer-size");
		return;
	}
	item(it, "buffer", PA_CHECK_OK);
	if (avail)
		snprintf(it->detail, sizeof(it->detail), "%u KB a CPU x %u CPUs = %llu MB of "
			 "ring buffer, of %llu MB available", s->env->buffer_kb, s->env->cpus,
			 total_kb / 1024, avail_kb / 1024);
	else
		snprintf(it->detail, sizeof(it->detail), "%u KB a CPU x %u CPUs = %llu MB of "
			 "ring buffer", s->env->buffer_kb, s->env->cpus, total_kb / 1024);
}

static void check_output(struct state *s, struct pa_check_item *it)
{
	char copy[4096], *dir;
	struct statvfs vfs;
	struct stat sb;
	unsigned long long free_mb;

	snprintf(copy, sizeof(copy), "%s", s->env->output);
	dir = dirname(copy);
	if (!s->env->force && lstat(s->env->output, &sb) == 0) {
		item(it, "output", PA_CHECK_FAIL);
		snprintf(it->detail, sizeof(it->detail), "%s exists; use -f to replace it",
			 s->env->output);
		snprintf(it->fix, sizeof(it->fix), "pass -f, or choose another -o FILE");
		return;
	}
	if (statvfs(dir, &vfs) != 0 || access(dir, W_OK) != 0) {
		item(it, "output", PA_CHECK_FAIL);
		snprintf(it->detail, sizeof(it->detail), "cannot write in %s: %s", dir,
			 strerror(errno));
		snprintf(it->fix, sizeof(it->fix), "choose a writable place with -o FILE");
		return;
	}
	free_mb = (unsigned long long)vfs.f_bavail * vfs.f_frsize / (1024 * 1024);
	if (free_mb < MIN_FREE_MB) {
		item(it, "output", PA_CHECK_FAIL);
		snprintf(it->detail, sizeof(it->detail), "only %llu MB free in %s (at least %d "
			 "MB wanted)", free_mb, dir, MIN_FREE_MB);
		snprintf(it->fix, sizeof(it->fix), "free some space, or write elsewhere with "
			 "-o FILE");
		return;
	}
	item(it, "output", PA_CHECK_OK);
	snprintf(it->detail, sizeof(it->detail), "%s: %llu MB free in %s", s->env->output,
		 free_mb, dir);
}

/* In this order: later items use what earlier ones found (struct state). */
static void (*const checks[])(struct state *, struct pa_check_item *) = {
	check_kernel, check_privilege, check_tracefs, check_events,
	check_interval, check_sampling, check_buffer, check_output,
};

size_t pa_check_run(const struct pa_check_env *env, struct pa_check_item *items)
{
	struct state s = { .env = env };
	size_t n = sizeof(checks) / sizeof(checks[0]);

	_Static_assert(sizeof(checks) / sizeof(checks[0]) <= PA_CHECK_MAX, "PA_CHECK_MAX");
	for (size_t i = 0; i < n; i++)
		checks[i](&s, &items[i]);
	return n;
}

int pa_check_ready(const struct pa_check_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (items[i].status == PA_CHECK_FAIL)
			return 0;
	return 1;
}

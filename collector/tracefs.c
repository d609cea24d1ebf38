// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tracefs.h"

int pa_write_file(const char *path, const char *value, struct pa_error *e)
{
	size_t len = strlen(value);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return pa_error_errno(e, errno, path);
	n = write(fd, value, len);
	if (n < 0) {
		int sys = errno;

		close(fd);
		return pa_error_errno(e, sys, path);
	}
	if (close(fd) != 0)
		return pa_error_errno(e, errno, path);
	return (size_t)n == len ? 0 : pa_error_errno(e, EIO, path);
}

int pa_read_file(const char *path, char *buf, size_t size, struct pa_error *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return pa_error_errno(e, errno, path);
	while (got + 1 < size) {
		ssize_t n = read(fd, buf + got, size - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int sys = errno;

			close(fd);
			return pa_error_errno(e, sys, path);
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	close(fd);
	return 0;
}

/* Records the failure @sys of @path (a file or step) in @t. Returns the negated pa_err. */
static int fail(struct pa_tracefs *t, int sys, const char *path)
{
	snprintf(t->path, sizeof(t->path), "%s", path);
	return pa_error_errno(&t->err, sys, path);
}

static int is_tracefs(const char *root)
{
	char p[128];
	struct stat sb;

	snprintf(p, sizeof(p), "%s/instances", root);
	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int find_root(struct pa_tracefs *t)
{
	static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		if (is_tracefs(roots[i])) {
			snprintf(t->root, sizeof(t->root), "%s", roots[i]);
			return 0;
		}
	}
	/* Not mounted: mount it where current kernels expect it. */
	if (mount("nodev", roots[0], "tracefs", 0, NULL) != 0) {
		char what[96];

		snprintf(what, sizeof(what), "mounting tracefs at %s", roots[0]);
		return fail(t, errno, what);
	}
	t->mounted = 1;
	snprintf(t->root, sizeof(t->root), "%s", roots[0]);
	return 0;
}

int pa_tracefs_open(struct pa_tracefs *t, const char *name)
{
	int err;

	memset(t, 0, sizeof(*t));
	err = find_root(t);
	if (err)
		return err;
	snprintf(t->dir, sizeof(t->dir), "%s/instances/%s", t->root, name);
	if (mkdir(t->dir, 0700) != 0) {
		err = fail(t, errno, t->dir);
		t->dir[0] = '\0';
		return err;
	}
	return 0;
}

int pa_tracefs_write(struct pa_tracefs *t, const char *rel, const char *value)
{
	char path[320];
	int err;

	snprintf(path, sizeof(path), "%s/%s", t->dir, rel);
	err = pa_write_file(path, value, &t->err);
	if (err)
		snprintf(t->path, sizeof(t->path), "%s", path);
	return err;
}

int pa_tracefs_open_pipe(struct pa_tracefs *t)
{
	char path[320];
	int fd;

	snprintf(path, sizeof(path), "%s/trace_pipe", t->dir);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		fd = fail(t, errno, path);
	return fd;
}

int pa_tracefs_close(struct pa_tracefs *t)
{
	int err = 0;

	if (t->dir[0]) {
		/* Disable first: an instance with enabled events may refuse removal. */
		pa_tracefs_write(t, "events/enable", "0");
		if (rmdir(t->dir) != 0)
			err = fail(t, errno, t->dir);
		t->dir[0] = '\0';
	}
	if (t->mounted && umount(t->root) != 0 && !err)
		err = fail(t, errno, t->root);
	t->mounted = 0;
	return err;
}

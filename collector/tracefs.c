// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tracefs.h"

int pa_write_file(const char *path, const char *value)
{
	size_t len = strlen(value);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	if (close(fd) != 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int pa_read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return -errno;
	while (got + 1 < size) {
		ssize_t n = read(fd, buf + got, size - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;

			close(fd);
			return err;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	close(fd);
	return 0;
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
		int err = -errno;

		snprintf(t->err, sizeof(t->err), "mounting tracefs at %s", roots[0]);
		return err;
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
		err = -errno;
		snprintf(t->err, sizeof(t->err), "%s", t->dir);
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
	err = pa_write_file(path, value);
	if (err)
		snprintf(t->err, sizeof(t->err), "%s", path);
	return err;
}

int pa_tracefs_open_pipe(struct pa_tracefs *t)
{
	char path[320];
	int fd;

	snprintf(path, sizeof(path), "%s/trace_pipe", t->dir);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		fd = -errno;
		snprintf(t->err, sizeof(t->err), "%s", path);
	}
	return fd;
}

int pa_tracefs_close(struct pa_tracefs *t)
{
	int err = 0;

	if (t->dir[0]) {
		/* Disable first: an instance with enabled events may refuse removal. */
		pa_tracefs_write(t, "events/enable", "0");
		if (rmdir(t->dir) != 0) {
			err = -errno;
			snprintf(t->err, sizeof(t->err), "%s", t->dir);
		}
		t->dir[0] = '\0';
	}
	if (t->mounted && umount(t->root) != 0 && !err)
		err = -errno;
	t->mounted = 0;
	return err;
}

// SPDX-License-Identifier: MIT
/*
 * Writing an output file whole or not at all, with errors that name the file and the
 * problem (what stdio's error flag alone cannot say).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "outfile.h"

static int failed(struct pa_outfile *o, int err)
{
	pa_outfile_abort(o);
	return pa_cli_error("cannot write %s: %s", o->path, strerror(err ? err : EIO));
}

/*
 * The file the temporary one is renamed to: @path itself, or what it links to, so that
 * writing through a link to a regular file replaces the file and keeps the link.
 */
static int resolve_target(struct pa_outfile *o, int exists)
{
	char *real;

	if (!exists) {
		if ((size_t)snprintf(o->target, sizeof(o->target), "%s", o->path) >=
		    sizeof(o->target))
			return ENAMETOOLONG;
		return 0;
	}
	real = realpath(o->path, NULL);
	if (!real)
		return errno;
	if (strlen(real) >= sizeof(o->target)) {
		free(real);
		return ENAMETOOLONG;
	}
	strcpy(o->target, real);
	free(real);
	return 0;
}

/*
 * Whether @path is an SQLite database: a run (often the one being read, named where a
 * picture was meant) is the result of an experiment, never to be replaced by output.
 */
static int is_database(const char *path)
{
	static const char magic[16] = "SQLite format 3";	/* with its NUL */
	char head[sizeof(magic)];
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, head, sizeof(head));
	close(fd);
	return n == (ssize_t)sizeof(head) && memcmp(head, magic, sizeof(magic)) == 0;
}

int pa_outfile_open(struct pa_outfile *o, const char *path)
{
	struct stat sb;
	int exists, fd, err;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (!*path)
		return failed(o, ENOENT);
	exists = stat(path, &sb) == 0;
	if (exists && S_ISDIR(sb.st_mode))
		return failed(o, EISDIR);
	if (exists && S_ISREG(sb.st_mode) && is_database(path))
		return pa_cli_error("cannot write %s: it is an SQLite database (a run?); "
				    "output never replaces one", path);
	if (exists && !S_ISREG(sb.st_mode)) {
		/* a device or a pipe: in place, as a shell's > would */
		o->f = fopen(path, "w");
		return o->f ? 0 : failed(o, errno);
	}
	/* a read-only file is not to be replaced, as if written in place */
	if (exists && access(path, W_OK) != 0)
		return failed(o, errno);
	err = resolve_target(o, exists);
	if (err)
		return failed(o, err);
	if ((size_t)snprintf(o->tmp, sizeof(o->tmp), "%s.tmp-%ld", o->target,
			     (long)getpid()) >= sizeof(o->tmp)) {
		o->tmp[0] = '\0';
		return failed(o, ENAMETOOLONG);
	}
	fd = open(o->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		err = errno;
		o->tmp[0] = '\0';	/* nothing was made: nothing to remove */
		return failed(o, err);
	}
	o->f = fdopen(fd, "w");
	if (!o->f) {
		err = errno;
		close(fd);
		return failed(o, err);
	}
	return 0;
}

int pa_outfile_commit(struct pa_outfile *o)
{
	int err = 0;

	/*
	 * A failed write leaves the error flag, or was noted by a writer that went
	 * around stdio; flushing what is left may say why.
	 */
	errno = 0;
	if (fflush(o->f) != 0 || ferror(o->f) || o->write_errno)
		err = o->write_errno ? o->write_errno : errno;
	/* a full disk may show only now (delayed allocation, NFS); devices cannot sync */
	if (!err && o->tmp[0] && fsync(fileno(o->f)) != 0 && errno != EINVAL)
		err = errno;
	if (fclose(o->f) != 0 && !err)
		err = errno;
	o->f = NULL;
	if (err)
		return failed(o, err);
	if (o->tmp[0] && rename(o->tmp, o->target) != 0)
		return failed(o, errno);
	return 0;
}

void pa_outfile_abort(struct pa_outfile *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp[0])
		unlink(o->tmp);
	o->tmp[0] = '\0';
}

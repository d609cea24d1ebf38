/* pa_ctl — exercise /proc/trace_page_access with exact errno reporting.
 *
 *   pa_ctl [-u UID] write NAME...   one open+write("NAME\n")+close per NAME (like echo);
 *                                   prints "write UID NAME: ok" or "write UID NAME: EXXX"
 *                                   (NAME "" writes "\n", which clears the list)
 *   pa_ctl [-u UID] writeraw STR    writes STR without a newline
 *   pa_ctl read                     prints "list NAME" per line of the file, read with a
 *                                   7-byte buffer, and "read-consistent yes|no" comparing
 *                                   it to a single large read
 *   pa_ctl fill N PREFIX            writes PREFIX1..PREFIXN, prints the first failure
 *   pa_ctl now                      prints CLOCK_MONOTONIC in seconds ("%.6f")
 *   pa_ctl passfd NAME              opens the file for writing with CAP_SYS_ADMIN out of
 *                                   the effective set, raises it again and writes NAME
 *                                   (a descriptor handed to a privileged writer); prints
 *                                   "passfd NAME: open E, write E"
 * -u UID switches to uid/gid UID (no supplementary groups) first.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#define PROCF "/proc/trace_page_access"

static const char *ename(int e)
{
	const char *s = strerrorname_np(e);

	return s ? s : "E?";
}

static int wr(const char *buf, size_t len)
{
	int fd = open(PROCF, O_WRONLY);
	ssize_t r;

	if (fd < 0)
		return errno;
	r = write(fd, buf, len);
	if (r < 0) {
		int e = errno;

		close(fd);
		return e;
	}
	if (close(fd))
		return errno;
	return (size_t)r == len ? 0 : EIO;
}

static int write_name(const char *name, int nl)
{
	char buf[4096];
	int n = snprintf(buf, sizeof(buf), nl ? "%s\n" : "%s", name);

	return wr(buf, (size_t)n);
}

/* Puts CAP_SYS_ADMIN in (@on) or out of the effective set; returns 0 or an errno. */
static int admin_effective(int on)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	unsigned int bit = 1u << (CAP_SYS_ADMIN % 32);

	if (syscall(SYS_capget, &h, d))
		return errno;
	if (on)
		d[CAP_SYS_ADMIN / 32].effective |= bit;
	else
		d[CAP_SYS_ADMIN / 32].effective &= ~bit;
	return syscall(SYS_capset, &h, d) ? errno : 0;
}

static void passfd(const char *name)
{
	char buf[4096];
	int n = snprintf(buf, sizeof(buf), "%s\n", name);
	int fd, eo = 0, ew = 0, e;

	if ((e = admin_effective(0))) {
		printf("passfd %s: capset %s\n", name, ename(e));
		return;
	}
	fd = open(PROCF, O_WRONLY);
	if (fd < 0)
		eo = errno;
	if ((e = admin_effective(1))) {
		printf("passfd %s: capset %s\n", name, ename(e));
		return;
	}
	if (fd >= 0) {
		if (write(fd, buf, (size_t)n) < 0)
			ew = errno;
		close(fd);
	}
	printf("passfd %s: open %s, write %s\n", name, eo ? ename(eo) : "ok",
	       fd < 0 ? "-" : ew ? ename(ew) : "ok");
}

int main(int argc, char **argv)
{
	int uid = (int)getuid();
	int i = 1;

	if (argc > 2 && !strcmp(argv[1], "-u")) {
		uid = atoi(argv[2]);
		if (setgroups(0, NULL) || setgid(uid) || setuid(uid)) {
			perror("pa_ctl: switching uid");
			return 2;
		}
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: pa_ctl [-u UID] write|writeraw|read|fill|passfd|now ...\n");
		return 2;
	}
	if (!strcmp(argv[i], "write") || !strcmp(argv[i], "writeraw")) {
		int nl = !strcmp(argv[i], "write");

		for (int k = i + 1; k < argc; k++) {
			int e = write_name(argv[k], nl);

			printf("write %d %s: %s\n", uid, argv[k], e ? ename(e) : "ok");
		}
		return 0;
	}
	if (!strcmp(argv[i], "now")) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		printf("%.6f\n", ts.tv_sec + ts.tv_nsec / 1e9);
		return 0;
	}
	if (!strcmp(argv[i], "passfd")) {
		for (int k = i + 1; k < argc; k++)
			passfd(argv[k]);
		return 0;
	}
	if (!strcmp(argv[i], "fill")) {
		int n = atoi(argv[i + 1]);
		char name[64];

		for (int k = 1; k <= n; k++) {
			int e;

			snprintf(name, sizeof(name), "%s%d", argv[i + 2], k);
			e = write_name(name, 1);
			if (e) {
				printf("fill %s: %s\n", name, ename(e));
				return 0;
			}
		}
		printf("fill %d: ok\n", n);
		return 0;
	}
	if (!strcmp(argv[i], "read")) {
		static char small[65536], big[65536];
		size_t ns = 0, nb = 0;
		int consistent;
		ssize_t r;
		int fd = open(PROCF, O_RDONLY);

		if (fd < 0) {
			printf("read: open %s\n", ename(errno));
			return 0;
		}
		while (ns < sizeof(small) - 8 && (r = read(fd, small + ns, 7)) > 0)
			ns += r;
		close(fd);
		fd = open(PROCF, O_RDONLY);
		if (fd >= 0) {
			while (nb < sizeof(big) - 1 && (r = read(fd, big + nb, sizeof(big) - 1 - nb)) > 0)
				nb += r;
			close(fd);
		}
		small[ns] = big[nb] = 0;
		consistent = ns == nb && !memcmp(small, big, ns);
		for (char *s = small, *e; *s; s = e + 1) {
			e = strchr(s, '\n');
			if (!e) {
				printf("list %s (no newline)\n", s);
				break;
			}
			*e = 0;
			printf("list %s\n", s);
		}
		printf("read-consistent %s\n", consistent ? "yes" : "no");
		return 0;
	}
	fprintf(stderr, "pa_ctl: unknown command %s\n", argv[i]);
	return 2;
}

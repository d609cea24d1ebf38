/* fork NPAGES [spawn] — a traced process that forks a child.
 *
 * The parent writes region "parent", pauses (PTEs get reset), forks. The child prints
 * "child pid=C ppid=P", writes the first half of "parent" (copy on write), maps and writes
 * its own region "child", checks that the second half of "parent" still holds the
 * parent's values, and exits 0 (1 on a mismatch). The parent waits, checks the child's
 * exit status and that its own pages did not change. With "spawn", it then runs
 * /bin/busybox true with posix_spawn (a CLONE_VM|CLONE_VFORK child that execs) and prints
 * "spawn pid=S" (without it there are exactly two processes: tests/kernel/live-test.sh).
 */
#include "ktest.h"
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 16;
	char *p;
	pid_t c;
	int st;

	begin("fork");
	p = map_pages("parent", n);
	for (size_t i = 0; i < n; i++)
		wr(p + i * PAGE, 0x1000 + i);
	sleep_ms(30);
	c = fork();
	if (c < 0) {
		fail("fork: %s", strerror(errno));
		return 1;
	}
	if (c == 0) {
		char *q;
		int bad = 0;

		out("child pid=%d ppid=%d\n", (int)getpid(), (int)getppid());
		for (size_t i = 0; i < n / 2; i++)
			wr(p + i * PAGE, 0x2000 + i);
		q = map_pages("child", n);
		for (size_t i = 0; i < n; i++)
			wr(q + i * PAGE, 0x3000 + i);
		sleep_ms(30);
		for (size_t i = 0; i < n; i++) {
			unsigned long want = i < n / 2 ? 0x2000 + i : 0x1000 + i;

			if (rd(p + i * PAGE) != want || rd(q + i * PAGE) != 0x3000 + i)
				bad = 1;
		}
		out("child-result %s\n", bad ? "FAIL" : "ok");
		_exit(bad);
	}
	if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st))
		fail("child %d: status %#x", (int)c, st);
	/* posix_spawn: clone(CLONE_VM | CLONE_VFORK) + exec, while our PTEs are reset. */
	if (argc > 2 && !strcmp(argv[2], "spawn")) {
		char *args[] = { "true", NULL };
		pid_t s;

		sleep_ms(30);
		if (posix_spawn(&s, "/bin/busybox", NULL, NULL, args, environ)) {
			fail("posix_spawn: %s", strerror(errno));
		} else {
			out("spawn pid=%d\n", (int)s);
			if (waitpid(s, &st, 0) != s || !WIFEXITED(st) || WEXITSTATUS(st))
				fail("spawned child %d: status %#x", (int)s, st);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (rd(p + i * PAGE) != 0x1000 + i)
			fail("parent page %zu changed", i);
	return finish();
}

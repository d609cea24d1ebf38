/* spin NPAGES MS [SLEEPMS [FORK]] — a busy traced program for the walker tests (issue 13).
 *
 * Writes region "warm" (NPAGES pages). With SLEEPMS > 0 it rewrites the region for
 * WARM_MS more, so that scheduler ticks find it in user space and walks run before the
 * sleep (its first writes are page faults, in the kernel), prints "sleep0 <CLOCK_MONOTONIC
 * s>", sleeps SLEEPMS ms and prints "sleep1 <s>". Then it writes and checks every page of
 * region "spin" (NPAGES pages) in rounds until MS ms have passed and prints "rounds N" and
 * "end <s>". With FORK = 1 a child forked at the start does the same on its own region
 * "child" (printed with its pid) and the parent waits for it.
 */
#include "ktest.h"
#include <sys/wait.h>

#define WARM_MS 50

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void spin(const char *name, size_t n, long ms)
{
	char *p = map_pages(name, n);
	double end;
	unsigned long round = 0;

	for (size_t i = 0; i < n; i++)
		wr(p + i * PAGE, 0);
	end = now_s() + ms / 1e3;
	while (now_s() < end) {
		round++;
		for (size_t i = 0; i < n; i++)
			wr(p + i * PAGE, round + i);
		for (size_t i = 0; i < n; i++)
			if (rd(p + i * PAGE) != round + i)
				fail("%s page %zu reads %lu, not %lu", name, i, rd(p + i * PAGE),
				     round + i);
	}
	out("rounds %s %lu\n", name, round);
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	long ms = argc > 2 ? atol(argv[2]) : 500;
	long sleepms = argc > 3 ? atol(argv[3]) : 0;
	int forks = argc > 4 && atoi(argv[4]) == 1;
	pid_t child = -1;
	char *p;

	begin("spin");
	if (forks) {
		child = fork();
		if (child == 0) {
			spin("child", n, ms);
			_exit(ktest_failed);
		}
		out("child pid=%d\n", (int)child);
	}
	p = map_pages("warm", n);
	for (size_t i = 0; i < n; i++)
		wr(p + i * PAGE, i);
	if (sleepms > 0) {
		double warm_end = now_s() + WARM_MS / 1e3;

		while (now_s() < warm_end)
			for (size_t i = 0; i < n; i++)
				wr(p + i * PAGE, i);
		out("sleep0 %.6f\n", now_s());
		sleep_ms(sleepms);
		out("sleep1 %.6f\n", now_s());
	}
	spin("spin", n, ms);
	if (child > 0) {
		int st;

		if (waitpid(child, &st, 0) != child || !WIFEXITED(st) || WEXITSTATUS(st))
			fail("child %d failed (status %#x)", (int)child, st);
	}
	out("end %.6f\n", now_s());
	return finish();
}

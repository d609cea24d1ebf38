/* numascan NPAGES SECONDS — busy on its pages while NUMA balancing may scan them.
 *
 * Writes one word to each page of region "numa" and moves the pages to NUMA node 1
 * with move_pages(), away from the CPUs (all on node 0 with numa=fake), so that NUMA
 * balancing, if it scans the process, takes hinting faults on them and moves them
 * back. Then reads every page again and again for SECONDS, checking the values, and
 * ends by printing its own NUMA balancing counters from /proc/self/sched
 * (CONFIG_SCHED_DEBUG) and where its pages are:
 *   numa scan_seq=N total_faults=F node_faults=G migrated=M node1=P
 * scan_seq counts the passes task_numa_work() finished over the mm, total_faults
 * and node_faults are the task's hinting faults as the scheduler has accounted
 * them, node1 the pages still on node 1. Run untraced, NUMA balancing scans it;
 * traced, it must not (every counter 0, all pages on node 1), because a hinting PTE
 * could not be told from the tracer's.
 */
#include <sys/syscall.h>

#include "ktest.h"

/* The value of the "NAME   : VALUE" line of /proc/self/sched (names are unique), or -1. */
static long sched_value(const char *text, const char *name)
{
	const char *l = strstr(text, name);
	const char *c = l ? strchr(l, ':') : NULL;

	return c ? strtol(c + 1, NULL, 10) : -1;
}

/* The sum of task_private and task_shared over the "numa_faults node=" lines. */
static long node_faults(const char *text)
{
	long sum = 0;

	for (const char *l = strstr(text, "numa_faults node="); l;
	     l = strstr(l + 1, "numa_faults node=")) {
		const char *p = strstr(l, "task_private="), *s = strstr(l, "task_shared=");

		if (p)
			sum += strtol(p + strlen("task_private="), NULL, 10);
		if (s)
			sum += strtol(s + strlen("task_shared="), NULL, 10);
	}
	return sum;
}

/*
 * Moves the @n pages at @p to @node (-1: only asks where they are); returns how many
 * are on @node (node 1 for -1) afterwards, or -1 after fail().
 */
static long pages_on(char *p, size_t n, int node)
{
	enum { BATCH = 64 };
	void *pages[BATCH];
	int nodes[BATCH], status[BATCH];
	long on = 0;

	for (size_t i = 0; i < n; i += BATCH) {
		size_t k = n - i < BATCH ? n - i : BATCH;

		for (size_t j = 0; j < k; j++) {
			pages[j] = p + (i + j) * PAGE;
			nodes[j] = node;
		}
		if (syscall(SYS_move_pages, 0, k, pages, node < 0 ? NULL : nodes, status, 0) < 0) {
			fail("move_pages: %s", strerror(errno));
			return -1;
		}
		for (size_t j = 0; j < k; j++)
			on += status[j] == (node < 0 ? 1 : node);
	}
	return on;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 2048;
	int seconds = argc > 2 ? atoi(argv[2]) : 3;
	static char text[16384];
	unsigned long rounds = 0;
	long moved, node1;
	struct timespec t0, t;
	ssize_t len;
	char *p;
	int fd;

	begin("numascan");
	p = map_pages("numa", n);
	for (size_t i = 0; i < n; i++)
		wr(p + i * PAGE, i * 5 + 3);
	moved = pages_on(p, n, 1);
	if (moved < 0)
		return finish();
	out("moved %ld of %zu to node 1\n", moved, n);
	if (moved != (long)n)
		fail("%ld of %zu pages moved to node 1", moved, n);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		unsigned long sum = 0;

		for (size_t i = 0; i < n; i++)
			sum += rd(p + i * PAGE);
		if (sum != 5 * (n * (n - 1) / 2) + 3 * n)
			fail("round %lu: sum %lu", rounds, sum);
		rounds++;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (!ktest_failed && t.tv_sec - t0.tv_sec < seconds);

	node1 = pages_on(p, n, -1);
	fd = open("/proc/self/sched", O_RDONLY);
	len = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);
	if (len < 0) {
		fail("/proc/self/sched: %s", strerror(errno));
		return finish();
	}
	close(fd);
	text[len] = '\0';
	out("rounds %lu\n", rounds);
	out("numa scan_seq=%ld total_faults=%ld node_faults=%ld migrated=%ld node1=%ld\n",
	    sched_value(text, "mm->numa_scan_seq"), sched_value(text, "total_numa_faults"),
	    node_faults(text), sched_value(text, "numa_pages_migrated"), node1);
	return finish();
}

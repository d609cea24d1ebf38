/* faultbench ROUNDS NPAGES — a fault-heavy program to measure what the tracer costs a
 * process that is not traced (issue 13): ROUNDS times, map NPAGES anonymous pages,
 * write one word into each (NPAGES demand faults) and unmap them. Prints
 * "elapsed_us N" and "faults N".
 */
#include "ktest.h"

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 200;
	size_t n = argc > 2 ? strtoul(argv[2], NULL, 0) : 256;
	struct timespec a, b;

	begin("faultbench");
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long r = 0; r < rounds; r++) {
		char *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			fail("mmap: %s", strerror(errno));
			return 1;
		}
		for (size_t i = 0; i < n; i++)
			wr(p + i * PAGE, r);
		for (size_t i = 0; i < n; i++)
			if (rd(p + i * PAGE) != (unsigned long)r)
				fail("page %zu of round %ld is wrong", i, r);
		munmap(p, n * PAGE);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	out("elapsed_us %ld\n", (long)((b.tv_sec - a.tv_sec) * 1000000L +
				       (b.tv_nsec - a.tv_nsec) / 1000));
	out("faults %ld\n", rounds * (long)n);
	return finish();
}

/* bench NPAGES ITERATIONS — for the slowdown measurement: reads one word of each of
 * NPAGES pages, ITERATIONS times, without pauses, plus a little arithmetic per access.
 * Prints "elapsed_us N" (CLOCK_MONOTONIC, the loop only).
 */
#include "ktest.h"

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 1024;
	long iters = argc > 2 ? atol(argv[2]) : 200;
	struct timespec t0, t1;
	unsigned long sum = 0;
	char *p;

	begin("bench");
	p = map_pages("bench", n);
	for (size_t i = 0; i < n; i++)
		wr(p + i * PAGE, i);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long it = 0; it < iters; it++)
		for (size_t i = 0; i < n; i++)
			sum += rd(p + i * PAGE) * 3 + (unsigned long)it;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (sum != 3 * (n * (n - 1) / 2) * iters + n * (iters * (iters - 1) / 2))
		fail("sum %lu", sum);
	out("elapsed_us %ld\n", (long)((t1.tv_sec - t0.tv_sec) * 1000000L +
				      (t1.tv_nsec - t0.tv_nsec) / 1000));
	return finish();
}

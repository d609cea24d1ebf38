/* seqscan NPAGES ROUNDS — a sequential scan with known behaviour.
 *
 * Round 0 (aux 0): writes one word to each page of region "scan", in address order
 *                  (first touch: one W demand fault per page).
 * Round r >= 1 (aux r): reads exactly one word of each page, in address order, after a
 *                  pause of PAUSE_MS, far longer than the tracing interval, so the tracer
 *                  has reset every PTE: one R fault per page per round.
 * Prints "round R aux=R" before each round and checks the values it reads.
 */
#include "ktest.h"

#define PAUSE_MS 60

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 256;
	int rounds = argc > 2 ? atoi(argv[2]) : 4;
	char *p;

	begin("seqscan");
	p = map_pages("scan", n);
	out("round 0 aux=0\n");
	for (size_t i = 0; i < n; i++)
		wr(p + i * PAGE, i * 7 + 1);
	for (int r = 1; r <= rounds; r++) {
		unsigned long sum = 0;

		sleep_ms(PAUSE_MS);
		set_aux(r);
		out("round %d aux=%d\n", r, r);
		for (size_t i = 0; i < n; i++)
			sum += rd(p + i * PAGE);
		if (sum != 7 * (n * (n - 1) / 2) + n)
			fail("round %d: sum %lu", r, sum);
	}
	return finish();
}

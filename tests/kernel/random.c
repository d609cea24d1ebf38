/* random NPAGES NACCESS SEED — a random access pattern with a fixed seed.
 *
 * Each access picks a page and a word with xorshift64 and reads it or (1 in 4) writes it.
 * Every 256 accesses it pauses 5 ms so that reset faults occur as well as demand faults.
 * Prints per touched page: "touched ADDR first=R|W written=0|1 count=N" and checks that
 * every word holds what was last written (a shadow copy on the heap).
 */
#include "ktest.h"

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	long nacc = argc > 2 ? atol(argv[2]) : 3000;
	uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 0) : 12345;
	size_t words = PAGE / sizeof(unsigned long);
	unsigned long *shadow = calloc(n * words, sizeof(unsigned long));
	char *first = calloc(n, 1), *written = calloc(n, 1);
	long *count = calloc(n, sizeof(long));
	char *p;

	begin("random");
	p = map_pages("rand", n);
	for (long a = 0; a < nacc; a++) {
		uint64_t x = xorshift(&seed);
		size_t pg = x % n, w = (x >> 24) % words;
		int write = ((x >> 48) & 3) == 0;
		char *addr = p + pg * PAGE + w * sizeof(unsigned long);

		if (!first[pg])
			first[pg] = write ? 'W' : 'R';
		count[pg]++;
		if (write) {
			wr(addr, x);
			shadow[pg * words + w] = x;
			written[pg] = 1;
		} else if (rd(addr) != shadow[pg * words + w]) {
			fail("access %ld: page %zu word %zu differs", a, pg, w);
			break;
		}
		if (a % 256 == 255)
			sleep_ms(5);
	}
	for (size_t i = 0; i < n; i++)
		if (first[i])
			out("touched %lx first=%c written=%d count=%ld\n",
			    (unsigned long)(p + i * PAGE), first[i], written[i], count[i]);
	return finish();
}

/* swap CGROUP MIB PASSES — memory pressure with swap on a traced process.
 *
 * Joins the cgroup v2 directory CGROUP (the guest script has set its memory.max far below
 * MIB and enabled a swap device), maps MIB MiB of anonymous memory (region "mem") and,
 * PASSES times (pass p = 1 … PASSES):
 *
 *   write  (aux 10p+1): stores a pattern that depends on p, the page and the word into
 *                       every 8-byte word of every page, in address order;
 *   swapped:            reads /proc/self/pagemap: which pages are swapped out now (bit 62);
 *   verify (aux 10p+2): loads every word back, in address order, and compares.
 *
 * Prints per pass:
 *   pass P swapped=K present=N     pagemap after the write phase
 *   swapmap P HEX                  the pages swapped out just before the verify phase:
 *                                  page i is bit (i % 4) of hex digit i / 4
 *   verify P bad=B                 words that differed (the program fails if B > 0)
 * The exit status is 0 only if every word of every pass read back right.
 */
#include "ktest.h"
#include <fcntl.h>

static uint64_t pattern(int pass, size_t page, size_t word)
{
	uint64_t x = (uint64_t)pass * 0x9E3779B97F4A7C15ULL ^ (uint64_t)page * 0xBF58476D1CE4E5B9ULL
		     ^ (uint64_t)word * 0x94D049BB133111EBULL;

	x ^= x >> 29;
	return x * 0xD6E8FEB86659FD93ULL;
}

static void join_cgroup(const char *dir)
{
	char path[256], buf[32];
	int fd, n;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	fd = open(path, O_WRONLY);
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (fd < 0 || write(fd, buf, n) != n) {
		fail("joining %s: %s", path, strerror(errno));
		exit(1);
	}
	close(fd);
	out("cgroup %s\n", dir);
}

/* Fills swapped[] from pagemap; returns the number of swapped pages, *present the others. */
static size_t scan_pagemap(char *p, size_t n, unsigned char *swapped, size_t *present)
{
	static uint64_t e[512];
	size_t nsw = 0;

	*present = 0;
	for (size_t i = 0; i < n; i += 512) {
		size_t k = n - i < 512 ? n - i : 512;

		if (pagemap_read(p + i * PAGE, k, e))
			break;
		for (size_t j = 0; j < k; j++) {
			swapped[i + j] = (e[j] >> 62) & 1;
			nsw += swapped[i + j];
			*present += (e[j] >> 63) & 1;
		}
	}
	return nsw;
}

int main(int argc, char **argv)
{
	const char *cg = argc > 1 ? argv[1] : "/sys/fs/cgroup/pat";
	size_t mib = argc > 2 ? strtoul(argv[2], NULL, 0) : 24;
	int passes = argc > 3 ? atoi(argv[3]) : 3;
	size_t n = mib * 256, words = PAGE / 8, present, nsw;
	unsigned char *swapped = calloc(n, 1);
	char *hex = malloc(n / 4 + 2), *p;

	begin("swap");
	join_cgroup(cg);
	p = map_pages("mem", n);
	for (int pass = 1; pass <= passes; pass++) {
		size_t bad = 0;

		set_aux(10 * pass + 1);
		for (size_t i = 0; i < n; i++)
			for (size_t w = 0; w < words; w++)
				wr(p + i * PAGE + w * 8, pattern(pass, i, w));
		nsw = scan_pagemap(p, n, swapped, &present);
		out("pass %d swapped=%zu present=%zu\n", pass, nsw, present);
		for (size_t d = 0; d < (n + 3) / 4; d++) {
			int v = 0;

			for (int b = 0; b < 4 && 4 * d + b < n; b++)
				v |= swapped[4 * d + b] << b;
			hex[d] = "0123456789abcdef"[v];
		}
		hex[(n + 3) / 4] = 0;
		out("swapmap %d %s\n", pass, hex);
		set_aux(10 * pass + 2);
		for (size_t i = 0; i < n; i++)
			for (size_t w = 0; w < words; w++)
				if (rd(p + i * PAGE + w * 8) != pattern(pass, i, w))
					bad++;
		out("verify %d bad=%zu\n", pass, bad);
		if (bad)
			fail("pass %d: %zu words of %zu read back wrong", pass, bad, n * words);
	}
	return finish();
}

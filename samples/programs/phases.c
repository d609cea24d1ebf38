// SPDX-License-Identifier: MIT
/*
 * phases - a target program with three known access phases, for `make demo`:
 *   init:   writes every page of a 16 MiB array once, in order   (working set grows to 4096 pages)
 *   hot:    reads 256 random pages of its first MiB, 200 rounds   (working set ~256 pages)
 *   stride: reads every 8th page of the array, 20 passes          (working set 512 pages)
 * Each phase is its own function, so a heatmap names them. Prints a checksum so that the
 * work cannot be optimised away, and the phase boundaries on stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define PAGE 4096
#define PAGES 4096

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static __attribute__((noinline)) void phase_init(unsigned char *a)
{
	for (size_t p = 0; p < PAGES; p++)
		a[p * PAGE] = (unsigned char)p;
}

static __attribute__((noinline)) unsigned long phase_hot(const unsigned char *a)
{
	uint64_t x = 88172645463325252ull;
	unsigned long sum = 0;

	for (int round = 0; round < 200; round++) {
		for (int i = 0; i < 256; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			sum += a[(x % 256) * PAGE];
		}
		pause_ms(1);
	}
	return sum;
}

static __attribute__((noinline)) unsigned long phase_stride(const unsigned char *a)
{
	unsigned long sum = 0;

	for (int pass = 0; pass < 20; pass++) {
		for (size_t p = 0; p < PAGES; p += 8)
			sum += a[p * PAGE];
		pause_ms(2);
	}
	return sum;
}

int main(void)
{
	unsigned char *a = malloc((size_t)PAGES * PAGE);
	unsigned long sum;

	if (!a) {
		perror("phases: malloc");
		return 1;
	}
	fprintf(stderr, "phases: init\n");
	phase_init(a);
	pause_ms(20);
	fprintf(stderr, "phases: hot\n");
	sum = phase_hot(a);
	pause_ms(20);
	fprintf(stderr, "phases: stride\n");
	sum += phase_stride(a);
	printf("phases: checksum %lu\n", sum);
	free(a);
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * A libFuzzer-compatible driver for `make check`, where libFuzzer may be missing: runs
 * the target on every file given, then on a fixed number of deterministic mutations of
 * them (byte flips, truncations, splices), so the same inputs run on every machine.
 * "-runs=N" first sets the number of mutations (default 20000), as libFuzzer's option.
 * An input that runs longer than HANG_SECONDS ends the process with SIGALRM: a hang.
 * `make fuzz` links the targets with clang's real libFuzzer for open-ended runs.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MUTATIONS 20000
#define HANG_SECONDS 30
#define MAX_INPUT (1u << 20)

static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

int main(int argc, char **argv)
{
	uint8_t *inputs[256], *buf = malloc(MAX_INPUT);
	size_t sizes[256], n = 0;
	uint64_t s = 1;
	unsigned long mutations = MUTATIONS;
	int first = 1;

	if (!buf)
		return 1;
	if (argc > 1 && strncmp(argv[1], "-runs=", 6) == 0)
		mutations = strtoul(argv[first++] + 6, NULL, 10);
	for (int i = first; i < argc && n < 256; i++) {
		FILE *f = fopen(argv[i], "rb");

		if (!f) {
			perror(argv[i]);
			return 1;
		}
		inputs[n] = malloc(MAX_INPUT);
		sizes[n] = fread(inputs[n], 1, MAX_INPUT, f);
		fclose(f);
		alarm(HANG_SECONDS);
		LLVMFuzzerTestOneInput(inputs[n], sizes[n]);
		n++;
	}
	for (unsigned long k = 0; k < mutations && n; k++) {
		size_t i = next(&s) % n, len = sizes[i], flips = 1 + next(&s) % 8;

		memcpy(buf, inputs[i], len);
		for (size_t f = 0; f < flips && len; f++)
			buf[next(&s) % len] ^= (uint8_t)(1u << (next(&s) % 8));
		if (len && next(&s) % 4 == 0)
			len = next(&s) % len;
		if (next(&s) % 8 == 0) {	/* splice the tail of another input */
			size_t j = next(&s) % n, from = sizes[j] ? next(&s) % sizes[j] : 0;
			size_t add = sizes[j] - from;

			if (len + add > MAX_INPUT)
				add = MAX_INPUT - len;
			memcpy(buf + len, inputs[j] + from, add);
			len += add;
		}
		alarm(HANG_SECONDS);
		LLVMFuzzerTestOneInput(buf, len);
	}
	printf("%s: %zu inputs and %lu mutations ran\n", argv[0], n, mutations);
	for (size_t i = 0; i < n; i++)
		free(inputs[i]);
	free(buf);
	return 0;
}

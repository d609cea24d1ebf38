// SPDX-License-Identifier: MIT
/*
 * gentrace - write a synthetic page-access trace with known contents, in the text the
 * patched kernel prints (kernel/TRACE-FORMAT.md), for tests, samples and benchmarks.
 * The same arguments always give the same bytes (fixed seeds, fixed clock).
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: gentrace [OPTIONS] > trace.txt\n"
	"\n"
	"  --pattern P    seq | stride | random | chase | hotcold | threads (default seq)\n"
	"  --pages M      distinct pages of the pattern (default 64)\n"
	"  --passes K     seq, stride, chase, threads: passes over the pages (default 4)\n"
	"  --events N     random, hotcold: number of accesses (default 10000)\n"
	"  --stride S     stride: pages between accesses, coprime to M (default 7)\n"
	"  --threads T    threads: threads of one process, each on its own M pages (4)\n"
	"  --seed S       random seed (default 1)\n"
	"  --step-us U    clock step between events in microseconds (default 1)\n"
	"  --original-format  only the fields of the original Linux 4.4 tracer\n"
	"                 (no tgid=, aux=, fault=, pid=)\n"
	"  --lost-every N insert a 'CPU:0 [LOST 3 EVENTS]' line after every N events\n"
	"  --scatter      place the pages at random over the 47-bit address space\n"
	"                 instead of side by side\n"
	"\n"
	"seq: pass k touches pages 0..M-1 in order; pass 0 writes, the others read.\n"
	"stride: like seq, visiting page (i * S) mod M. chase: a random cyclic order.\n"
	"random: uniform over M pages, R/W at random. hotcold: 90% of accesses go to the\n"
	"first M/10 pages. threads: T threads each run seq over their own M pages,\n"
	"interleaved event by event. The first touch of a page is fault=demand.\n";

struct gen {
	const char *pattern;
	uint64_t pages, passes, events, stride, threads, seed, step_us, lost_every;
	int original_format, scatter;
	uint64_t t_us;		/* clock, microseconds */
	uint64_t emitted;
	uint8_t *touched;	/* per (thread, page): seen before */
};

#define PID 4242
#define BASE 0x7f1234000000ull
#define CODE 0x401000ull

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void line_header(struct gen *g, uint32_t tid)
{
	printf("       gentrace-%u  [%03u] .....  %llu.%06llu: ", tid, tid % 4,
	       (unsigned long long)(g->t_us / 1000000), (unsigned long long)(g->t_us % 1000000));
}

/*
 * --scatter: where page @n of the pattern lives, a page number below 2^35 (the 47-bit
 * user address space of 4 KiB pages). Every step is a bijection on 35 bits (an odd
 * multiplier, a constant or a right shift xor'ed in), so distinct pages stay distinct.
 */
#define SCATTER_BITS 35
static uint64_t scatter_page(uint64_t n)
{
	const uint64_t mask = (1ull << SCATTER_BITS) - 1;

	n = ((n ^ 0x2545F4914Full) * 0x9E3779B97F4A7C15ull) & mask;
	n ^= n >> 17;
	n = (n * 0xBF58476D1CE4E5B9ull) & mask;
	n ^= n >> 13;
	return n;
}

/* One access by thread @t (0-based) to page @page of its region, at offset @off. */
static void access(struct gen *g, uint32_t t, uint64_t page, uint64_t off, int write,
		   uint64_t ip)
{
	uint32_t tid = PID + t;
	uint64_t n = (uint64_t)t * g->pages + page;
	uint64_t addr = g->scatter ? (scatter_page(n) << 12) + off : BASE + (n << 12) + off;
	uint8_t *seen = &g->touched[(uint64_t)t * g->pages + page];

	line_header(g, tid);
	printf("handle_mm_fault: %u %c %llx %llx", tid, write ? 'W' : 'R',
	       (unsigned long long)ip, (unsigned long long)addr);
	if (!g->original_format)
		printf(" tgid=%u aux=%u fault=%s", PID, t, *seen ? "reset" : "demand");
	putchar('\n');
	*seen = 1;
	g->t_us += g->step_us;
	if (g->lost_every && ++g->emitted % g->lost_every == 0)
		printf("CPU:0 [LOST 3 EVENTS]\n");
}

static int run(struct gen *g)
{
	uint64_t rng = g->seed, *perm = NULL;

	if (strcmp(g->pattern, "seq") == 0) {
		for (uint64_t k = 0; k < g->passes; k++)
			for (uint64_t p = 0; p < g->pages; p++)
				access(g, 0, p, (p * 64) & 0xfff, k == 0, CODE + 0x10 * (k == 0));
	} else if (strcmp(g->pattern, "stride") == 0) {
		for (uint64_t k = 0; k < g->passes; k++)
			for (uint64_t i = 0; i < g->pages; i++)
				access(g, 0, (i * g->stride) % g->pages, 8, 0, CODE + 0x20);
	} else if (strcmp(g->pattern, "chase") == 0) {
		perm = malloc(g->pages * sizeof(*perm));
		if (!perm)
			return -1;
		for (uint64_t i = 0; i < g->pages; i++)
			perm[i] = i;
		for (uint64_t i = g->pages; i > 1; i--) {
			uint64_t j = splitmix(&rng) % i, tmp = perm[i - 1];

			perm[i - 1] = perm[j];
			perm[j] = tmp;
		}
		for (uint64_t k = 0; k < g->passes; k++)
			for (uint64_t i = 0; i < g->pages; i++)
				access(g, 0, perm[i], 16, 0, CODE + 0x30);
	} else if (strcmp(g->pattern, "random") == 0) {
		for (uint64_t i = 0; i < g->events; i++) {
			uint64_t r = splitmix(&rng);

			access(g, 0, r % g->pages, (r >> 40) & 0xff8, (r >> 32) & 1,
			       CODE + 0x100 + ((r >> 36) & 7) * 4);
		}
	} else if (strcmp(g->pattern, "hotcold") == 0) {
		uint64_t hot = g->pages / 10 ? g->pages / 10 : 1;

		for (uint64_t i = 0; i < g->events; i++) {
			uint64_t r = splitmix(&rng), page;

			if (r % 10 != 0)
				page = (r >> 8) % hot;
			else
				page = (r >> 8) % g->pages;
			access(g, 0, page, 0, (r >> 60) == 0, CODE + 0x200 + (page < hot) * 8);
		}
	} else if (strcmp(g->pattern, "threads") == 0) {
		for (uint64_t k = 0; k < g->passes; k++)
			for (uint64_t p = 0; p < g->pages; p++)
				for (uint32_t t = 0; t < g->threads; t++)
					access(g, t, p, 0, 1, CODE + 0x300 + t * 4);
	} else {
		fprintf(stderr, "gentrace: unknown pattern '%s'\n", g->pattern);
		return -1;
	}
	free(perm);
	return 0;
}

static int number(const char *s, uint64_t *v)
{
	char *end;

	*v = strtoull(s, &end, 10);
	return *s && !*end && *s != '-' ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pattern", required_argument, NULL, 'p' },
		{ "pages", required_argument, NULL, 'm' },
		{ "passes", required_argument, NULL, 'k' },
		{ "events", required_argument, NULL, 'n' },
		{ "stride", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ "seed", required_argument, NULL, 'r' },
		{ "step-us", required_argument, NULL, 'u' },
		{ "lost-every", required_argument, NULL, 'l' },
		{ "original-format", no_argument, NULL, 'F' },
		{ "scatter", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct gen g = {
		.pattern = "seq", .pages = 64, .passes = 4, .events = 10000, .stride = 7,
		.threads = 4, .seed = 1, .step_us = 1, .t_us = 100000000,
	};
	uint64_t *dst;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			g.pattern = optarg;
			continue;
		case 'F':
			g.original_format = 1;
			continue;
		case 'S':
			g.scatter = 1;
			continue;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'm': dst = &g.pages; break;
		case 'k': dst = &g.passes; break;
		case 'n': dst = &g.events; break;
		case 's': dst = &g.stride; break;
		case 't': dst = &g.threads; break;
		case 'r': dst = &g.seed; break;
		case 'u': dst = &g.step_us; break;
		case 'l': dst = &g.lost_every; break;
		default:
			return 2;
		}
		if (number(optarg, dst)) {
			fprintf(stderr, "gentrace: not a number: %s\n", optarg);
			return 2;
		}
	}
	if (optind < argc || g.pages == 0 || g.threads == 0 || g.threads > 1000 ||
	    (g.scatter && g.pages * g.threads > (1ull << SCATTER_BITS))) {
		fputs(usage_text, stderr);
		return 2;
	}
	g.touched = calloc(g.pages * g.threads, 1);
	if (!g.touched)
		return 1;
	printf("# tracer: nop\n#\n");
	line_header(&g, PID);
	printf("init_page_access_trace: START gentrace%s\n", g.original_format ? "" : " pid=4242");
	rc = run(&g);
	printf("    kworker/0:1-77  [000] .....  %llu.%06llu: __reset_page_access_trace: END "
	       "gentrace%s\n", (unsigned long long)(g.t_us / 1000000),
	       (unsigned long long)(g.t_us % 1000000), g.original_format ? "" : " pid=4242");
	free(g.touched);
	if (fflush(stdout) || ferror(stdout))
		return 1;
	return rc ? 2 : 0;
}

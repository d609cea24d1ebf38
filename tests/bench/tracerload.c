/* tracerload — the programs of `make bench-tracer` (tests/bench/tracer-guest.sh), built
 * static for the test VM. No pauses: every instruction is the program's own work, so
 * that a slowdown is the tracer's cost and not diluted by sleeping.
 *
 *   tracerload seq NPAGES ROUNDS          read one word of each page, in order
 *   tracerload rand NPAGES NACCESS        read (3 in 4) or write a random word
 *   tracerload mtwrite NTHREADS NPAGES ROUNDS
 *                                         each thread writes its own NPAGES pages
 *   tracerload time CMD [ARGS...]         run CMD, print "elapsed_us N" on stderr
 *
 * The first three check what they computed and exit 1 on a wrong result.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL

static long now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

static unsigned long *pages(size_t n)
{
	void *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED) {
		perror("tracerload: mmap");
		exit(1);
	}
	madvise(p, n * PAGE, MADV_NOHUGEPAGE);
	return p;
}

static int seq(size_t n, long rounds)
{
	volatile unsigned long *p = pages(n);
	unsigned long sum = 0;

	for (size_t i = 0; i < n; i++)
		p[i * PAGE / sizeof(long)] = i;
	for (long r = 0; r < rounds; r++)
		for (size_t i = 0; i < n; i++)
			sum += p[i * PAGE / sizeof(long)];
	return sum == rounds * (n * (n - 1) / 2) ? 0 : 1;
}

static int rnd(size_t n, long count)
{
	volatile unsigned long *p = pages(n);
	size_t words = n * PAGE / sizeof(long);
	uint64_t x = 88172645463325252ULL;
	unsigned long sum = 0, wrote = 0;

	for (long i = 0; i < count; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if ((x >> 60) == 0) {
			p[x % words] += 1;
			wrote++;
		} else {
			sum += p[x % words];
		}
	}
	sum = 0;
	for (size_t i = 0; i < words; i++)
		sum += p[i];
	return sum == wrote ? 0 : 1;
}

struct writer {
	pthread_t t;
	size_t n;
	long rounds;
	int ok;
};

static void *write_pages(void *arg)
{
	struct writer *w = arg;
	volatile unsigned long *p = pages(w->n);

	for (long r = 0; r < w->rounds; r++)
		for (size_t i = 0; i < w->n; i++)
			p[i * PAGE / sizeof(long) + r % 512] = r + i;
	w->ok = p[(w->n - 1) * PAGE / sizeof(long) + (w->rounds - 1) % 512] ==
		(unsigned long)(w->rounds - 1 + w->n - 1);
	return NULL;
}

static int mtwrite(int nt, size_t n, long rounds)
{
	struct writer w[64];
	int bad = 0;

	if (nt < 1 || nt > 64)
		return 2;
	for (int i = 0; i < nt; i++) {
		w[i] = (struct writer){ .n = n, .rounds = rounds };
		if (pthread_create(&w[i].t, NULL, write_pages, &w[i]) != 0)
			return 1;
	}
	for (int i = 0; i < nt; i++) {
		pthread_join(w[i].t, NULL);
		bad |= !w[i].ok;
	}
	return bad;
}

static int timed(char **argv)
{
	long t0 = now_us();
	pid_t pid = fork();
	int st;

	if (pid < 0) {
		perror("tracerload: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		return 1;
	fprintf(stderr, "elapsed_us %ld\n", now_us() - t0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "seq") == 0)
		return seq(strtoul(argv[2], NULL, 0), atol(argv[3]));
	if (argc >= 4 && strcmp(argv[1], "rand") == 0)
		return rnd(strtoul(argv[2], NULL, 0), atol(argv[3]));
	if (argc >= 5 && strcmp(argv[1], "mtwrite") == 0)
		return mtwrite(atoi(argv[2]), strtoul(argv[3], NULL, 0), atol(argv[4]));
	if (argc >= 3 && strcmp(argv[1], "time") == 0)
		return timed(argv + 2);
	fprintf(stderr, "usage: tracerload seq|rand|mtwrite|time ... (see tracerload.c)\n");
	return 2;
}

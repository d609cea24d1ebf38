/* churn NTHREADS SECONDS — bounded stress for the debug kernel (issue 13): every result
 * is checked.
 *
 * NTHREADS threads loop for SECONDS: mmap 1..64 pages, write a pattern, mprotect them
 * read-only and back, mremap (grow, maybe move; or shrink), check the pattern,
 * madvise(MADV_DONTNEED) a part and check it reads zero, munmap. One more thread forks
 * children in a storm (each checks the parent's memory it inherited, writes its own copy
 * and exits at once, while the walker may be in its pages) and one moves its own pages
 * between NUMA nodes 0 and 1 with move_pages() and checks them (when the kernel has two
 * nodes; "nodes 1" otherwise). Prints "ops N", "forks N", "moved N" and "result ok".
 */
#include "ktest.h"
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile int stop;
static long ops_done, forks_done, moved_done;
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;

static void add(long *c, long n)
{
	pthread_mutex_lock(&count_lock);
	*c += n;
	pthread_mutex_unlock(&count_lock);
}

static int check_pattern(const char *p, size_t n, unsigned long seed)
{
	for (size_t i = 0; i < n; i++)
		if (rd(p + i * PAGE) != seed + i)
			return -1;
	return 0;
}

static void *mapper(void *arg)
{
	uint64_t rnd = 0x9e3779b97f4a7c15ULL * ((long)arg + 1);
	long ops = 0;

	while (!stop) {
		size_t n = 1 + xorshift(&rnd) % 64, m;
		unsigned long seed = xorshift(&rnd) & 0xffffff;
		char *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q;

		if (p == MAP_FAILED) {
			fail("mmap: %s", strerror(errno));
			break;
		}
		for (size_t i = 0; i < n; i++)
			wr(p + i * PAGE, seed + i);
		if (mprotect(p, n * PAGE, PROT_READ) || check_pattern(p, n, seed) ||
		    mprotect(p, n * PAGE, PROT_READ | PROT_WRITE)) {
			fail("mprotect cycle of %zu pages", n);
			break;
		}
		m = xorshift(&rnd) & 1 ? n * 2 : (n + 1) / 2;
		q = mremap(p, n * PAGE, m * PAGE, MREMAP_MAYMOVE);
		if (q == MAP_FAILED) {
			fail("mremap %zu -> %zu pages: %s", n, m, strerror(errno));
			munmap(p, n * PAGE);
			break;
		}
		if (check_pattern(q, m < n ? m : n, seed)) {
			fail("pattern lost by mremap %zu -> %zu pages", n, m);
			break;
		}
		if (madvise(q, (m / 2) * PAGE, MADV_DONTNEED)) {
			fail("madvise: %s", strerror(errno));
			break;
		}
		for (size_t i = 0; i < m / 2; i++)
			if (rd(q + i * PAGE)) {
				fail("page %zu not zero after MADV_DONTNEED", i);
				stop = 1;
			}
		munmap(q, m * PAGE);
		ops++;
	}
	add(&ops_done, ops);
	return NULL;
}

static void *forker(void *arg)
{
	char *p = map_pages("forker", 16);
	long forks = 0;

	(void)arg;
	while (!stop) {
		pid_t c;
		int st;

		for (size_t i = 0; i < 16; i++)
			wr(p + i * PAGE, forks + i);
		c = fork();
		if (c == 0) {
			for (size_t i = 0; i < 16; i++) {
				if (rd(p + i * PAGE) != (unsigned long)forks + i)
					_exit(3);
				wr(p + i * PAGE, 0);
			}
			_exit(0);
		}
		if (c < 0 || waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st)) {
			fail("fork child %ld: status %#x", forks, c < 0 ? -1 : st);
			break;
		}
		if (check_pattern(p, 16, forks)) {
			fail("parent's pages changed by its child");
			break;
		}
		forks++;
	}
	add(&forks_done, forks);
	return NULL;
}

static void *mover(void *arg)
{
	char *p = map_pages("mover", 32);
	void *pages[32];
	int nodes[32], status[32];
	long moved = 0;

	(void)arg;
	for (int i = 0; i < 32; i++) {
		wr(p + i * PAGE, 1000 + i);
		pages[i] = p + i * PAGE;
	}
	for (int round = 0; !stop; round++) {
		for (int i = 0; i < 32; i++)
			nodes[i] = round & 1;
		/* > 0: pages not moved this time (busy, say), which is no error */
		if (syscall(SYS_move_pages, 0, 32, pages, nodes, status, 0) < 0) {
			if (errno == ENODEV || errno == EINVAL)
				break;	/* one node: nothing to move between */
			fail("move_pages: %s", strerror(errno));
			break;
		}
		for (int i = 0; i < 32; i++) {
			if (status[i] == (round & 1))
				moved++;
			if (rd(p + i * PAGE) != 1000UL + i) {
				fail("page %d wrong after move_pages", i);
				stop = 1;
			}
		}
	}
	add(&moved_done, moved);
	return NULL;
}

int main(int argc, char **argv)
{
	long nthreads = argc > 1 ? atol(argv[1]) : 4;
	long seconds = argc > 2 ? atol(argv[2]) : 10;
	pthread_t th[66];

	begin("churn");
	if (nthreads < 1 || nthreads > 64)
		nthreads = 4;
	for (long i = 0; i < nthreads; i++)
		pthread_create(&th[i], NULL, mapper, (void *)i);
	pthread_create(&th[nthreads], NULL, forker, NULL);
	pthread_create(&th[nthreads + 1], NULL, mover, NULL);
	sleep_ms(seconds * 1000);
	stop = 1;
	for (long i = 0; i < nthreads + 2; i++)
		pthread_join(th[i], NULL);
	out("ops %ld\nforks %ld\nmoved %ld\n", ops_done, forks_done, moved_done);
	if (!ops_done || !forks_done)
		fail("no work done: %ld ops, %ld forks", ops_done, forks_done);
	return finish();
}

/* stress NTHREADS ITERATIONS — mapping churn in several threads while traced, to race the
 * tracer's walker against mmap, mprotect, mremap, madvise, munmap and fork. Each thread
 * loops: mmap 16 pages, write, mprotect(PROT_READ), read, mprotect(RW), mremap to 24 pages
 * (may move), check, madvise(DONTNEED) the first half, check zeros, munmap. Thread 1 also
 * forks a child every 25 iterations that reads the thread's current mapping and exits.
 * Prints "result ok" when every check held.
 */
#include "ktest.h"
#include <pthread.h>
#include <sys/wait.h>

#define NP 16

static long iters;

static void *worker(void *arg)
{
	long id = (long)arg;

	set_aux(200 + id);
	for (long it = 0; it < iters; it++) {
		char *p = mmap(NULL, NP * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *q;

		if (p == MAP_FAILED) {
			fail("thread %ld: mmap: %s", id, strerror(errno));
			return NULL;
		}
		for (int i = 0; i < NP; i++)
			wr(p + i * PAGE, id * 1000000 + it * 100 + i);
		if (mprotect(p, NP * PAGE, PROT_READ))
			fail("mprotect RO: %s", strerror(errno));
		for (int i = 0; i < NP; i++)
			if (rd(p + i * PAGE) != (unsigned long)(id * 1000000 + it * 100 + i))
				fail("thread %ld it %ld page %d after mprotect", id, it, i);
		if (mprotect(p, NP * PAGE, PROT_READ | PROT_WRITE))
			fail("mprotect RW: %s", strerror(errno));
		if (id == 1 && it % 25 == 0) {
			pid_t c = fork();
			int st;

			if (c == 0) {
				int bad = 0;

				for (int i = 0; i < NP; i++)
					bad |= rd(p + i * PAGE) != (unsigned long)(id * 1000000 + it * 100 + i);
				_exit(bad);
			}
			if (c < 0 || waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st))
				fail("fork child at it %ld", it);
		}
		q = mremap(p, NP * PAGE, (NP + NP / 2) * PAGE, MREMAP_MAYMOVE);
		if (q == MAP_FAILED) {
			fail("mremap: %s", strerror(errno));
			munmap(p, NP * PAGE);
			continue;
		}
		for (int i = 0; i < NP; i++)
			if (rd(q + i * PAGE) != (unsigned long)(id * 1000000 + it * 100 + i))
				fail("thread %ld it %ld page %d after mremap", id, it, i);
		for (int i = NP; i < NP + NP / 2; i++)
			wr(q + i * PAGE, i);
		if (madvise(q, NP / 2 * PAGE, MADV_DONTNEED))
			fail("madvise: %s", strerror(errno));
		for (int i = 0; i < NP / 2; i++)
			if (rd(q + i * PAGE) != 0)
				fail("thread %ld it %ld page %d not zero after DONTNEED", id, it, i);
		munmap(q, (NP + NP / 2) * PAGE);
		if (ktest_failed)
			break;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long nt = argc > 1 ? atol(argv[1]) : 4;
	pthread_t th[16];

	iters = argc > 2 ? atol(argv[2]) : 200;
	if (nt < 1 || nt > 16)
		nt = 4;
	begin("stress");
	for (long i = 1; i <= nt; i++)
		pthread_create(&th[i - 1], NULL, worker, (void *)i);
	for (long i = 1; i <= nt; i++)
		pthread_join(th[i - 1], NULL);
	return finish();
}

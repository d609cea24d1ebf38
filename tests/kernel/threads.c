/* threads NTHREADS NPAGES — a multi-threaded writer.
 *
 * Thread i (1..NTHREADS) sets aux 100+i, prints "thread I tid=TID aux=A", and writes
 * then re-reads its own region "tI" of NPAGES pages in 3 rounds separated by pauses.
 * The main thread touches none of these pages.
 */
#include "ktest.h"
#include <pthread.h>
#include <sys/syscall.h>

static size_t npages;
static char *base;

static void *worker(void *arg)
{
	long i = (long)arg;
	char *r = base + (i - 1) * npages * PAGE;

	set_aux(100 + i);
	out("thread %ld tid=%ld aux=%ld\n", i, (long)syscall(SYS_gettid), 100 + i);
	for (int round = 0; round < 3; round++) {
		for (size_t k = 0; k < npages; k++)
			wr(r + k * PAGE + 8 * round, i * 1000 + k + round);
		sleep_ms(30);
		for (size_t k = 0; k < npages; k++)
			if (rd(r + k * PAGE + 8 * round) != i * 1000 + k + round)
				fail("thread %ld page %zu round %d", i, k, round);
		sleep_ms(30);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long nt = argc > 1 ? atol(argv[1]) : 4;
	pthread_t th[64];

	npages = argc > 2 ? strtoul(argv[2], NULL, 0) : 16;
	if (nt < 1 || nt > 64)
		nt = 4;
	begin("threads");
	base = mmap(NULL, nt * npages * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) {
		fail("mmap: %s", strerror(errno));
		return 1;
	}
	madvise(base, nt * npages * PAGE, MADV_NOHUGEPAGE);
	for (long i = 1; i <= nt; i++)
		out("region t%ld %lx %lx\n", i, (unsigned long)(base + (i - 1) * npages * PAGE),
		    (unsigned long)(base + i * npages * PAGE));
	for (long i = 1; i <= nt; i++)
		if (pthread_create(&th[i - 1], NULL, worker, (void *)i)) {
			fail("pthread_create");
			return 1;
		}
	for (long i = 1; i <= nt; i++)
		pthread_join(th[i - 1], NULL);
	return finish();
}

/* Helpers shared by the kernel test programs in tests/kernel/ (built static).
 *
 * Every program prints lines of space-separated words that tests/kernel/check.py reads:
 *   prog NAME pid=PID
 *   iprange LO HI          [LO, HI): the code of all HOT functions (section pat_hot)
 *   region NAME START END [pid=P]  [START, END): pages process P (default: the program)
 *                          touches (hex, page aligned)
 *   ...                    program-specific lines, documented in each program
 *   result ok | result FAIL <why>
 * All memory accesses to regions are made by HOT functions, so their ips lie in iprange.
 */
#ifndef PAT_KTEST_H
#define PAT_KTEST_H
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#ifndef PR_SET_PAGE_ACCESS_TRACE_AUX
#define PR_SET_PAGE_ACCESS_TRACE_AUX 48
#endif

#define PAGE 4096UL
#define HOT __attribute__((noinline, used, section("pat_hot")))

extern const char __start_pat_hot[], __stop_pat_hot[];

static int ktest_failed;

static inline void out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static inline void fail(const char *fmt, ...)
{
	va_list ap;

	printf("result FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	ktest_failed = 1;
}

static inline void begin(const char *name)
{
	out("prog %s pid=%d\n", name, (int)getpid());
	out("iprange %lx %lx\n", (unsigned long)__start_pat_hot, (unsigned long)__stop_pat_hot);
}

static inline int finish(void)
{
	if (!ktest_failed)
		out("result ok\n");
	return ktest_failed;
}

static inline void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Anonymous private pages, THP off so that the trace stays at 4 KiB granularity. */
static inline char *map_anon(const char *name, size_t npages)
{
	char *p = mmap(NULL, npages * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		fail("mmap %s: %s", name, strerror(errno));
		exit(1);
	}
	madvise(p, npages * PAGE, MADV_NOHUGEPAGE);
	return p;
}

/* map_anon() pages the program touches (through HOT accessors): a "region". */
static inline char *map_pages(const char *name, size_t npages)
{
	char *p = map_anon(name, npages);

	out("region %s %lx %lx pid=%d\n", name, (unsigned long)p, (unsigned long)p + npages * PAGE,
	    (int)getpid());
	return p;
}

/*
 * map_anon() pages that, after setup, only the kernel touches on the program's behalf
 * (system calls, GUP): a "kregion", whose events carry the system call's ip.
 */
static inline char *map_kpages(const char *name, size_t npages)
{
	char *p = map_anon(name, npages);

	out("kregion %s %lx %lx\n", name, (unsigned long)p, (unsigned long)p + npages * PAGE);
	return p;
}

static inline void set_aux(unsigned long v)
{
	/* Fails with EINVAL on a kernel without the tracer; that is reported by the checker. */
	if (prctl(PR_SET_PAGE_ACCESS_TRACE_AUX, v, 0, 0, 0))
		out("aux-error %lu %s\n", v, strerror(errno));
	else
		out("aux %lu\n", v);
}

/* The accessors: one load or store per call site, ip inside pat_hot. */
static HOT unsigned long rd(const volatile char *p)
{
	return *(const volatile unsigned long *)p;
}

static HOT void wr(volatile char *p, unsigned long v)
{
	*(volatile unsigned long *)p = v;
}

/*
 * The /proc/self/pagemap entries of the @n pages from @p into @e (bit 63: present,
 * bit 62: swapped, bits 0-54: the page frame). Returns 0, or -1 after fail().
 */
static inline int pagemap_read(const char *p, size_t n, uint64_t *e)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	ssize_t got;

	if (fd < 0) {
		fail("open pagemap: %s", strerror(errno));
		return -1;
	}
	got = pread(fd, e, n * sizeof(*e), (off_t)((unsigned long)p / PAGE * sizeof(*e)));
	close(fd);
	if (got != (ssize_t)(n * sizeof(*e))) {
		fail("pread pagemap: %s", got < 0 ? strerror(errno) : "short read");
		return -1;
	}
	return 0;
}

static inline uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}
#endif

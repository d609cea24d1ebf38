/* mmops NPAGES — mapping operations on a traced process, each done after a pause so that
 * the tracer has reset the PTEs involved:
 *
 *   region a:   write; /proc/self/pagemap must show every page present; smaps Rss must
 *               count them; mprotect(PROT_READ) and read back; mprotect(RW) and rewrite;
 *               fork a child that reads them all (copy_pte_range on reset PTEs).
 *   mremap:     grow a to 1.5*NPAGES and move it onto a reserved range (MREMAP_FIXED);
 *               the old contents must follow. Prints "mremap OLDSTART OLDEND NEWSTART NEWEND".
 *   madvise:    MADV_DONTNEED the first quarter of the moved region: it must read zero,
 *               the rest must keep its values.
 *   region f:   a MAP_SHARED file mapping on /tmp; written, paused, written again,
 *               munmapped; the file must hold the data (pread).
 *   region s:   mapped, written, unmapped at once (a short-lived mapping).
 *   brk:        sbrk growth by NPAGES pages, written. Prints "brk OLD NEW".
 *   munmap:     of the moved region. Every munmap prints "munmap START END".
 */
#include "ktest.h"
#include <fcntl.h>
#include <sys/wait.h>

#define PAUSE 30

static void check_pagemap(char *p, size_t n, const char *what)
{
	uint64_t *e = malloc(n * sizeof(*e));
	size_t present = 0;

	if (!e || pagemap_read(p, n, e)) {
		if (!e)
			fail("pagemap %s: out of memory", what);
		free(e);
		return;
	}
	for (size_t i = 0; i < n; i++)
		present += (e[i] >> 63) & 1;
	free(e);
	out("pagemap %s present=%zu of %zu\n", what, present, n);
	if (present != n)
		fail("pagemap %s: %zu of %zu pages present", what, present, n);
}

static void check_smaps(char *p, size_t n)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int in = 0;
	long rss = -1;

	if (!f) {
		fail("open smaps: %s", strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s ", &lo, &hi, perms) == 3)
			in = lo <= (unsigned long)p && (unsigned long)p < hi;
		else if (in && sscanf(line, "Rss: %ld kB", &rss) == 1)
			break;
	}
	fclose(f);
	out("smaps rss_kb=%ld want>=%zu\n", rss, n * 4);
	if (rss < (long)(n * 4))
		fail("smaps Rss %ld kB < %zu kB", rss, n * 4);
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 32, m = n + n / 2;
	char *a, *b, *f, *s, *brk0, *brk1;
	char path[] = "/tmp/mmops.dat";
	int fd, st;
	pid_t c;

	begin("mmops");
	a = map_pages("a", n);
	for (size_t i = 0; i < n; i++)
		wr(a + i * PAGE, 0xa000 + i);
	sleep_ms(PAUSE);
	check_pagemap(a, n, "a");
	check_smaps(a, n);

	/* mprotect read-only over reset PTEs, read, back to read-write, write. */
	if (mprotect(a, n * PAGE, PROT_READ))
		fail("mprotect RO: %s", strerror(errno));
	out("mprotect %lx %lx r\n", (unsigned long)a, (unsigned long)(a + n * PAGE));
	sleep_ms(PAUSE); /* the walker resets the read-only PTEs too */
	for (size_t i = 0; i < n; i++)
		if (rd(a + i * PAGE) != 0xa000 + i)
			fail("a page %zu after mprotect RO", i);
	sleep_ms(PAUSE);
	if (mprotect(a, n * PAGE, PROT_READ | PROT_WRITE))
		fail("mprotect RW: %s", strerror(errno));
	out("mprotect %lx %lx rw\n", (unsigned long)a, (unsigned long)(a + n * PAGE));
	for (size_t i = 0; i < n; i++)
		wr(a + i * PAGE, 0xb000 + i);
	sleep_ms(PAUSE);

	/* fork over reset PTEs */
	c = fork();
	if (c == 0) {
		int bad = 0;

		for (size_t i = 0; i < n; i++)
			bad |= rd(a + i * PAGE) != 0xb000 + i;
		_exit(bad);
	}
	if (c < 0 || waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st))
		fail("fork child %d: status %#x", (int)c, st);
	else
		out("child pid=%d ppid=%d\n", (int)c, (int)getpid());
	sleep_ms(PAUSE);

	/* mremap: grow and move onto a reserved range */
	b = mmap(NULL, m * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED || mremap(a, n * PAGE, m * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, b) != b) {
		fail("mremap: %s", strerror(errno));
		return finish();
	}
	out("mremap %lx %lx %lx %lx\n", (unsigned long)a, (unsigned long)(a + n * PAGE),
	    (unsigned long)b, (unsigned long)(b + m * PAGE));
	out("region moved %lx %lx\n", (unsigned long)b, (unsigned long)(b + m * PAGE));
	for (size_t i = 0; i < n; i++)
		if (rd(b + i * PAGE) != 0xb000 + i)
			fail("moved page %zu: %#lx", i, rd(b + i * PAGE));
	for (size_t i = n; i < m; i++)
		wr(b + i * PAGE, 0xc000 + i);
	sleep_ms(PAUSE);
	check_pagemap(b, m, "moved");

	/* madvise(DONTNEED) on reset PTEs */
	if (madvise(b, n / 4 * PAGE, MADV_DONTNEED))
		fail("madvise: %s", strerror(errno));
	out("madvise %lx %lx dontneed\n", (unsigned long)b, (unsigned long)(b + n / 4 * PAGE));
	for (size_t i = 0; i < m; i++) {
		unsigned long want = i < n / 4 ? 0 : i < n ? 0xb000 + i : 0xc000 + i;

		if (rd(b + i * PAGE) != want)
			fail("after madvise page %zu: %#lx want %#lx", i, rd(b + i * PAGE), want);
	}
	sleep_ms(PAUSE);

	/* shared file mapping */
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 8 * PAGE)) {
		fail("file %s: %s", path, strerror(errno));
		return finish();
	}
	f = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (f == MAP_FAILED) {
		fail("mmap file: %s", strerror(errno));
		return finish();
	}
	out("region f %lx %lx\n", (unsigned long)f, (unsigned long)(f + 8 * PAGE));
	for (size_t i = 0; i < 8; i++)
		wr(f + i * PAGE, 0xf000 + i);
	sleep_ms(PAUSE);
	for (size_t i = 0; i < 8; i++)
		wr(f + i * PAGE + 8, rd(f + i * PAGE) + 1);
	sleep_ms(PAUSE);
	munmap(f, 8 * PAGE);
	out("munmap %lx %lx\n", (unsigned long)f, (unsigned long)(f + 8 * PAGE));
	for (size_t i = 0; i < 8; i++) {
		unsigned long v[2];

		if (pread(fd, v, sizeof(v), i * PAGE) != sizeof(v) ||
		    v[0] != 0xf000 + i || v[1] != 0xf001 + i)
			fail("file page %zu: %#lx %#lx", i, v[0], v[1]);
	}
	close(fd);
	unlink(path);

	/* a short-lived mapping */
	s = map_pages("s", 4);
	for (size_t i = 0; i < 4; i++)
		wr(s + i * PAGE, i);
	munmap(s, 4 * PAGE);
	out("munmap %lx %lx\n", (unsigned long)s, (unsigned long)(s + 4 * PAGE));

	/* brk growth */
	brk0 = sbrk(0);
	brk1 = (char *)(((unsigned long)brk0 + PAGE - 1) & ~(PAGE - 1));
	if (sbrk(brk1 - brk0 + n * PAGE) == (void *)-1) {
		fail("sbrk: %s", strerror(errno));
	} else {
		out("brk %lx %lx\n", (unsigned long)brk0, (unsigned long)sbrk(0));
		out("region brk %lx %lx\n", (unsigned long)brk1, (unsigned long)(brk1 + n * PAGE));
		for (size_t i = 0; i < n; i++)
			wr(brk1 + i * PAGE, 0xd000 + i);
		sleep_ms(PAUSE);
		for (size_t i = 0; i < n; i++)
			if (rd(brk1 + i * PAGE) != 0xd000 + i)
				fail("brk page %zu", i);
	}

	/* munmap over reset PTEs */
	sleep_ms(PAUSE);
	munmap(b, m * PAGE);
	out("munmap %lx %lx\n", (unsigned long)b, (unsigned long)(b + m * PAGE));
	return finish();
}

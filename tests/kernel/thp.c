/* thp MODE [untag] — transparent huge pages and the program's own THP setting (issue 13).
 *
 * MODE "madvise": the regions get madvise(MADV_HUGEPAGE) (for THP enabled=madvise);
 * MODE "plain": they get no advice (for THP enabled=always).
 *
 * 1. prctl(PR_GET_THP_DISABLE) before and after the program's own PR_SET_THP_DISABLE 1
 *    and 0: "thpflag before=B set=S cleared=C" (0 1 0 when the tracer leaves it alone).
 *    The flag is cleared again before the regions are mapped.
 * 2. Region "thp", 8 MiB aligned to 2 MiB: round 0 writes every 4 KiB page, rounds 1
 *    and 2 read every page back (aux = round, 20 ms apart); "anonhuge first kb=K" is
 *    the AnonHugePages of its mapping in /proc/self/smaps after round 0.
 * 3. With "untag", the program removes its own name from /proc/trace_page_access
 *    (it runs as root; ENOENT when untraced), which stops its tracing, then maps
 *    region "after" (4 MiB, aligned), writes every page and prints
 *    "anonhuge after kb=K".
 */
#include "ktest.h"

#define HPAGE (2UL << 20)

/* An anonymous mapping of @size bytes aligned to 2 MiB, advised per @mode. */
static char *map_aligned(const char *name, size_t size, const char *mode)
{
	char *p = mmap(NULL, size + HPAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a;

	if (p == MAP_FAILED) {
		fail("mmap %s: %s", name, strerror(errno));
		exit(1);
	}
	a = (char *)(((unsigned long)p + HPAGE - 1) & ~(HPAGE - 1));
	if (a > p)
		munmap(p, a - p);
	munmap(a + size, p + HPAGE - a);
	if (!strcmp(mode, "madvise") && madvise(a, size, MADV_HUGEPAGE))
		fail("madvise(MADV_HUGEPAGE) %s: %s", name, strerror(errno));
	out("region %s %lx %lx pid=%d\n", name, (unsigned long)a, (unsigned long)a + size, (int)getpid());
	return a;
}

/* AnonHugePages (kB) of the mapping that starts at @p, from /proc/self/smaps; -1 if absent. */
static long anonhuge_kb(const char *p)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int in = 0;
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			in = lo == (unsigned long)p;
		else if (in && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

static void touch(char *p, size_t size, int write)
{
	for (size_t o = 0; o < size; o += PAGE) {
		if (write)
			wr(p + o, o);
		else if (rd(p + o) != o)
			fail("page at %lx reads %lu", (unsigned long)(p + o), rd(p + o));
	}
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "madvise";
	int untag = argc > 2 && !strcmp(argv[2], "untag");
	size_t size = 8 * HPAGE / 2;
	int before, set, cleared;
	char *p;

	begin("thp");
	if (strcmp(mode, "madvise") && strcmp(mode, "plain")) {
		fail("usage: thp madvise|plain [untag]");
		return finish();
	}
	before = prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0);
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	set = prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0);
	prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0);
	cleared = prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0);
	out("thpflag before=%d set=%d cleared=%d\n", before, set, cleared);
	if (before != 0 || set != 1 || cleared != 0)
		fail("PR_GET_THP_DISABLE answered %d, %d, %d around the program's own "
		     "PR_SET_THP_DISABLE 1 and 0; want 0, 1, 0", before, set, cleared);

	p = map_aligned("thp", size, mode);
	for (int round = 0; round < 3; round++) {
		set_aux(round);
		touch(p, size, round == 0);
		if (round == 0)
			out("anonhuge first kb=%ld\n", anonhuge_kb(p));
		sleep_ms(20);
	}
	if (untag) {
		int fd = open("/proc/trace_page_access", O_WRONLY);

		/* ENOENT: not listed, as when the program runs untraced. */
		if (fd < 0 || (write(fd, "-thp", 4) != 4 && errno != ENOENT))
			fail("untag -thp: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		sleep_ms(20);
		p = map_aligned("after", size / 2, mode);
		set_aux(9);
		touch(p, size / 2, 1);
		out("anonhuge after kb=%ld\n", anonhuge_kb(p));
	}
	return finish();
}

/* huge NHUGE ROUNDS — hugetlb pages in a traced process.
 *
 * Maps NHUGE 2 MiB pages twice: private anonymous MAP_HUGETLB (printed as "hregion hp") and a
 * shared mapping of a memfd_create(MFD_HUGETLB) file (hugetlbfs, "hregion hs"), plus an
 * ordinary region "small" of 16 pages. Round 0 (aux 0) writes one word of every 4 KiB of
 * all three; rounds r = 1 … ROUNDS (aux r), each after a pause far longer than the
 * tracing interval, read them back and compare. In round 0 the first access of the last
 * huge page of each hugetlb range is a read at PROBE bytes into it (made before the
 * writes), that of every other huge page the write of its first word. The guest script
 * has reserved the huge pages (vm.nr_hugepages).
 *
 * Prints
 *   hregion NAME START END                 a hugetlb range (not "region": see check.py)
 *   hpage NAME START END R|W ADDR          a huge page of range NAME, its first access
 *                                          (read or write) and the address it was made at
 *   hugepages total=T free_before=F free_touched=G   from /proc/meminfo; G = F - 2 * NHUGE
 *                                          when the mappings really use huge pages
 */
#include "ktest.h"
#include <sys/syscall.h>

#define HUGE (2UL << 20)
#define PAUSE_MS 30
#define PROBE (3 * PAGE + 16)

#ifndef MFD_HUGETLB
#define MFD_HUGETLB 0x0004U
#endif

static long meminfo(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	long v = -1;
	size_t k = strlen(key);

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, k) && line[k] == ':')
			v = atol(line + k + 1);
	if (f)
		fclose(f);
	return v;
}

/* Round 0: read the last huge page of the range first, and say what touches each first. */
static void first_touch(const char *name, char *p, size_t nh)
{
	for (size_t i = 0; i < nh; i++) {
		char *h = p + i * HUGE;
		int probe = i == nh - 1;

		out("hpage %s %lx %lx %c %lx\n", name, (unsigned long)h, (unsigned long)h + HUGE,
		    probe ? 'R' : 'W', (unsigned long)h + (probe ? PROBE : 0));
	}
	if (rd(p + (nh - 1) * HUGE + PROBE))
		fail("hugetlb page %s not zeroed", name);
}

static void touch(char *p, size_t pages, int round, size_t *bad)
{
	for (size_t i = 0; i < pages; i++) {
		unsigned long v = (unsigned long)(i * 0x9E3779B97F4A7C15ULL) ^ (unsigned long)p;

		if (!round)
			wr(p + i * PAGE, v);
		else if (rd(p + i * PAGE) != v)
			(*bad)++;
	}
}

int main(int argc, char **argv)
{
	size_t nh = argc > 1 ? strtoul(argv[1], NULL, 0) : 2, bad = 0;
	int rounds = argc > 2 ? atoi(argv[2]) : 3, fd;
	long free0 = meminfo("HugePages_Free"), free1 = -1;
	char *hp, *hs, *small;

	begin("huge");
	hp = mmap(NULL, nh * HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB,
		  -1, 0);
	if (hp == MAP_FAILED) {
		fail("mmap MAP_HUGETLB: %s", strerror(errno));
		return finish();
	}
	out("hregion hp %lx %lx\n", (unsigned long)hp, (unsigned long)hp + nh * HUGE);
	fd = syscall(SYS_memfd_create, "pat-huge", MFD_HUGETLB);
	if (fd < 0 || ftruncate(fd, nh * HUGE)) {
		fail("memfd_create(MFD_HUGETLB): %s", strerror(errno));
		return finish();
	}
	hs = mmap(NULL, nh * HUGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (hs == MAP_FAILED) {
		fail("mmap hugetlbfs file: %s", strerror(errno));
		return finish();
	}
	out("hregion hs %lx %lx\n", (unsigned long)hs, (unsigned long)hs + nh * HUGE);
	small = map_pages("small", 16);
	for (int r = 0; r <= rounds; r++) {
		if (r)
			sleep_ms(PAUSE_MS);
		set_aux(r);
		if (!r) {
			first_touch("hp", hp, nh);
			first_touch("hs", hs, nh);
		}
		touch(hp, nh * HUGE / PAGE, r, &bad);
		touch(hs, nh * HUGE / PAGE, r, &bad);
		touch(small, 16, r, &bad);
		if (!r)
			free1 = meminfo("HugePages_Free");
	}
	out("hugepages total=%ld free_before=%ld free_touched=%ld\n", meminfo("HugePages_Total"),
	    free0, free1);
	if (bad)
		fail("%zu words read back wrong", bad);
	if (free1 != free0 - 2 * (long)nh)
		fail("HugePages_Free %ld -> %ld, want %ld fewer", free0, free1, 2 * (long)nh);
	return finish();
}

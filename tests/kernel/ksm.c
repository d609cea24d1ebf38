/* ksm NPAGES TIMEOUT_S — KSM merging and COW break of traced memory.
 *
 * Regions "a" and "b" of NPAGES pages each get identical contents (page i of a equals page
 * i of b, pages differ from each other) (aux 1) and are madvise(MADV_MERGEABLE)d. The
 * program then waits (aux 2, no accesses) until ksmd has merged them: a pair is merged
 * when /proc/self/pagemap gives a[i] and b[i] the same page frame. The guest script has
 * set /sys/kernel/mm/ksm/run=1. Then it writes one word of every page of a (aux 3: COW
 * break of the merged pages) and verifies both regions (aux 4): a[i] holds the new word and
 * the old rest, b is unchanged.
 *
 * Prints
 *   merged M of N pages_shared=S pages_sharing=X waited_ms=T    before the writes
 *   cow merged=M                                                 after them (want 0)
 */
#include "ktest.h"

static uint64_t pattern(size_t page, size_t word)
{
	return (page + 1) * 0x9E3779B97F4A7C15ULL + word * 0x2545F4914F6CDD1DULL;
}

static long ksm_stat(const char *name)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/mm/ksm/%s", name);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* The page frame of pagemap entry @e, 0 when the page is not present. */
static uint64_t pfn(uint64_t e)
{
	return e >> 63 ? e & ((1ULL << 55) - 1) : 0;
}

static size_t merged_pairs(char *a, char *b, size_t n)
{
	uint64_t *ea = malloc(2 * n * sizeof(*ea)), *eb = ea + n;
	size_t m = 0;

	if (!ea) {
		fail("merged_pairs: out of memory");
		return 0;
	}
	if (pagemap_read(a, n, ea) == 0 && pagemap_read(b, n, eb) == 0)
		for (size_t i = 0; i < n; i++)
			m += pfn(ea[i]) && pfn(ea[i]) == pfn(eb[i]);
	free(ea);
	return m;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 32, words = PAGE / 8, m, bad = 0;
	long timeout_ms = (argc > 2 ? atol(argv[2]) : 60) * 1000, waited = 0;
	char *a, *b;

	begin("ksm");
	a = map_pages("a", n);
	b = map_pages("b", n);
	set_aux(1);
	for (size_t i = 0; i < n; i++)
		for (size_t w = 0; w < words; w++) {
			wr(a + i * PAGE + w * 8, pattern(i, w));
			wr(b + i * PAGE + w * 8, pattern(i, w));
		}
	if (madvise(a, n * PAGE, MADV_MERGEABLE) || madvise(b, n * PAGE, MADV_MERGEABLE)) {
		fail("madvise(MADV_MERGEABLE): %s", strerror(errno));
		return finish();
	}
	set_aux(2);
	while ((m = merged_pairs(a, b, n)) < n && waited < timeout_ms) {
		sleep_ms(100);
		waited += 100;
	}
	out("merged %zu of %zu pages_shared=%ld pages_sharing=%ld waited_ms=%ld\n", m, n,
	    ksm_stat("pages_shared"), ksm_stat("pages_sharing"), waited);
	if (!m)
		fail("no page merged by KSM within %ld ms", timeout_ms);
	set_aux(3);
	for (size_t i = 0; i < n; i++)
		wr(a + i * PAGE, ~pattern(i, 0));
	set_aux(4);
	for (size_t i = 0; i < n; i++)
		for (size_t w = 0; w < words; w++) {
			bad += rd(a + i * PAGE + w * 8) != (w ? pattern(i, w) : ~pattern(i, 0));
			bad += rd(b + i * PAGE + w * 8) != pattern(i, w);
		}
	m = merged_pairs(a, b, n);
	out("cow merged=%zu bad=%zu\n", m, bad);
	if (bad)
		fail("%zu words read back wrong after the COW writes", bad);
	if (m)
		fail("%zu pairs still share a page after writing to a", m);
	return finish();
}

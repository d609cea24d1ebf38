/* aux NPAGES — sets aux values with prctl(PR_SET_PAGE_ACCESS_TRACE_AUX).
 *
 * For phase p = 1..3: aux = p*1000+7, write region "pP", pause, read it again (reset
 * faults carry the same aux). Prints "phase P aux=A" before each phase.
 */
#include "ktest.h"

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 8;
	char *r[4];
	char name[8];

	begin("aux");
	for (int ph = 1; ph <= 3; ph++) {
		snprintf(name, sizeof(name), "p%d", ph);
		r[ph] = map_pages(name, n);
	}
	for (int ph = 1; ph <= 3; ph++) {
		set_aux(ph * 1000 + 7);
		out("phase %d aux=%d\n", ph, ph * 1000 + 7);
		for (size_t i = 0; i < n; i++)
			wr(r[ph] + i * PAGE, ph * 100 + i);
		sleep_ms(30);
		for (size_t i = 0; i < n; i++)
			if (rd(r[ph] + i * PAGE) != ph * 100 + i)
				fail("phase %d page %zu", ph, i);
	}
	return finish();
}

/* exec PROGRAM ARGS... — a traced process that execs another program: it writes region
 * "pre", prints "exec PROGRAM", and execs PROGRAM (e.g. /bin/seqscan 16 1), whose own
 * lines follow with the same pid. The process must stay traced across the exec.
 */
#include "ktest.h"

int main(int argc, char **argv)
{
	char *p;

	begin("exec");
	if (argc < 2) {
		fail("usage: exec PROGRAM ARGS...");
		return 2;
	}
	p = map_pages("pre", 4);
	for (size_t i = 0; i < 4; i++)
		wr(p + i * PAGE, i);
	sleep_ms(20);
	out("exec %s\n", argv[1]);
	execv(argv[1], argv + 1);
	fail("execv %s: %s", argv[1], strerror(errno));
	return 1;
}

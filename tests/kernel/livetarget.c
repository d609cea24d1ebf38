/* livetarget MODE [ARG] — a target for the pacollect live tests (tests/kernel/live-test.sh).
 *
 *   livetarget exit N     touch 32 pages, then exit with status N
 *   livetarget wait       touch 32 pages every 20 ms until SIGTERM or SIGINT; then print
 *                         "got signal S" and exit 40 + S
 *   livetarget kill       touch 32 pages, then kill itself with SIGUSR1
 * Prints the ktest.h lines (prog, iprange, region) so that the checker knows its pid.
 */
#include <signal.h>

#include "ktest.h"

static volatile sig_atomic_t got;

static void on_signal(int sig)
{
	got = sig;
}

static void touch(char *p, size_t n, unsigned long v)
{
	for (size_t i = 0; i < n; i++)
		wr(p + i * PAGE, v + i);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "exit";
	char *p;

	begin("livetarget");
	p = map_pages("live", 32);
	touch(p, 32, 1);
	if (strcmp(mode, "exit") == 0)
		return argc > 2 ? atoi(argv[2]) : 0;
	if (strcmp(mode, "kill") == 0) {
		signal(SIGUSR1, SIG_DFL);
		raise(SIGUSR1);
		return 99;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	out("waiting\n");
	while (!got) {
		sleep_ms(20);
		touch(p, 32, 2);
	}
	out("got signal %d\n", (int)got);
	return 40 + (int)got;
}

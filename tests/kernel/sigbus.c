/* sigbus NPAGES — a fault that fails is no access (issue 13).
 *
 * Maps a tmpfs file of one page MAP_SHARED over 1 + NPAGES pages. Region "ok" (the page
 * the file has) is written and read back; every page of region "beyond" (past the end of
 * the file) is read 3 times, and each read ends in SIGBUS, which is caught. Prints
 * "sigbus N", the number of SIGBUS caught (3 * NPAGES when right).
 */
#include "ktest.h"
#include <setjmp.h>
#include <signal.h>

static sigjmp_buf env;

static void on_bus(int sig)
{
	(void)sig;
	siglongjmp(env, 1);
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 8;
	const char *path = "/tmp/sigbus.dat";
	struct sigaction sa = { .sa_handler = on_bus };
	volatile size_t caught = 0;
	int fd;
	char *p;

	begin("sigbus");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, PAGE)) {
		fail("%s: %s", path, strerror(errno));
		return 1;
	}
	p = mmap(NULL, (n + 1) * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		fail("mmap %s: %s", path, strerror(errno));
		return 1;
	}
	out("region ok %lx %lx\n", (unsigned long)p, (unsigned long)p + PAGE);
	out("region beyond %lx %lx\n", (unsigned long)p + PAGE, (unsigned long)p + (n + 1) * PAGE);
	sigaction(SIGBUS, &sa, NULL);
	wr(p, 42);
	for (int round = 0; round < 3; round++) {
		for (size_t i = 1; i <= n; i++) {
			if (!sigsetjmp(env, 1)) {
				rd(p + i * PAGE);
				fail("no SIGBUS reading page %zu past the end of the file", i);
			} else {
				caught++;
			}
		}
		sleep_ms(5);
		if (rd(p) != 42)
			fail("the file's page reads %lu, not 42", rd(p));
	}
	out("sigbus %zu\n", (size_t)caught);
	if (caught != 3 * n)
		fail("%zu SIGBUS caught, expected %zu", (size_t)caught, 3 * n);
	munmap(p, (n + 1) * PAGE);
	close(fd);
	unlink(path);
	return finish();
}

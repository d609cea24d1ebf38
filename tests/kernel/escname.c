/* escname — names in the trace cannot fake lines or fields (issue 13).
 *
 * Creates a tmpfs file whose name holds a newline followed by a complete fake
 * handle_mm_fault line of this process (at address 0xdead000, which it never maps), a
 * backslash and a tab, maps it shared, writes its 4 pages and reads them back. Prints
 * "region f ..." and "escpath HEX" (the file's path, hex-encoded byte by byte).
 */
#include "ktest.h"

int main(void)
{
	char path[512];
	int fd, n;
	char *p;

	begin("escname");
	n = snprintf(path, sizeof(path),
		     "/tmp/esc\nfake-%d [000] ..... 1.000000: handle_mm_fault: %d W 401000 dead000 "
		     "tgid=%d aux=0 fault=demand\\tab\there", (int)getpid(), (int)getpid(),
		     (int)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 4 * PAGE)) {
		fail("creating the file: %s", strerror(errno));
		return 1;
	}
	out("escpath ");
	for (int i = 0; i < n; i++)
		out("%02x", (unsigned char)path[i]);
	out("\n");
	p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		fail("mmap: %s", strerror(errno));
		return 1;
	}
	out("region f %lx %lx\n", (unsigned long)p, (unsigned long)p + 4 * PAGE);
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < 4; i++)
			wr(p + i * PAGE, round * 10 + i);
		sleep_ms(10);
		for (size_t i = 0; i < 4; i++)
			if (rd(p + i * PAGE) != round * 10 + i)
				fail("page %zu reads %lu", i, rd(p + i * PAGE));
	}
	munmap(p, 4 * PAGE);
	close(fd);
	unlink(path);
	return finish();
}

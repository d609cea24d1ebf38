/* seen — accesses the tracer does not see (issue 13, kernel/README.md "What is traced").
 *
 * Region "g" (16 anonymous pages): written (aux 1). After a sleep (a walk at wake-up)
 * a forked child reads it with process_vm_readv() and through /proc/PPID/mem (aux 2,
 * the parent waits), then the program reads it through /proc/self/mem (aux 3): GUP,
 * which follows the tracer's PROT_NONE PTEs without faulting. Then the program reads
 * every page itself (aux 4): each must still fault (fault=reset), GUP having left the
 * PTEs as they were.
 * Region "fa" (64 pages of a tmpfs file already in the page cache, MAP_SHARED, read):
 * read page after page at once (aux 1); fault-around maps up to 16 pages per fault, so
 * fewer than 64 demand faults are seen; after a sleep every page is read again (aux 5)
 * and each must fault (fault=reset).
 * "kregion vvar START END": the vDSO data mapping (VM_PFNMAP), read by clock_gettime()
 * all along; the tracer never resets such a mapping, so the only events in it may be
 * the first touch of a page (a demand fault: vvar_fault() inserts the pfn).
 * Prints "gup remote=OK proc=OK self=OK" (1 when the data read were right).
 */
#include "ktest.h"
#include <sys/uio.h>
#include <sys/wait.h>

#define NG 16
#define NFA 64

static int check_data(const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned long v;

		memcpy(&v, buf + i * PAGE, sizeof(v));
		if (v != i + 1000)
			return 0;
	}
	return 1;
}

/* Reads @n pages at @addr of process @pid through its /proc/PID/mem into @buf. */
static int read_mem(pid_t pid, const char *addr, char *buf, size_t n)
{
	char path[64];
	int fd, ok;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	ok = pread(fd, buf, n * PAGE, (off_t)(unsigned long)addr) == (ssize_t)(n * PAGE);
	close(fd);
	return ok && check_data(buf, n);
}

static void vvar_range(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[256];

	while (f && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (strstr(line, "[vvar]") && sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			out("kregion vvar %lx %lx\n", lo, hi);
	}
	if (f)
		fclose(f);
}

int main(void)
{
	static char buf[NG * PAGE];
	char *g, *fa;
	int remote = 0, proc = 0, self, status, fd, fa_demand_pages = 0;
	struct timespec ts;
	pid_t parent = getpid(), child;

	begin("seen");
	vvar_range();
	g = map_pages("g", NG);
	fd = open("/tmp/seen.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);
	memset(buf, 'f', PAGE);
	for (int i = 0; fd >= 0 && i < NFA; i++)
		if (write(fd, buf, PAGE) != (ssize_t)PAGE)
			fail("write /tmp/seen.dat: %s", strerror(errno));
	fa = fd < 0 ? MAP_FAILED : mmap(NULL, NFA * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (fa == MAP_FAILED) {
		fail("map /tmp/seen.dat: %s", strerror(errno));
		return finish();
	}
	out("region fa %lx %lx pid=%d\n", (unsigned long)fa, (unsigned long)fa + NFA * PAGE, (int)parent);

	set_aux(1);
	for (size_t i = 0; i < NG; i++)
		wr(g + i * PAGE, i + 1000);
	for (size_t i = 0; i < NFA; i++)
		fa_demand_pages += rd(fa + i * PAGE) == 0x6666666666666666UL;
	if (fa_demand_pages != NFA)
		fail("file pages read wrong: %d of %d right", fa_demand_pages, NFA);
	sleep_ms(30);

	set_aux(2);
	child = fork();
	if (child == 0) {
		struct iovec l = { buf, NG * PAGE }, r = { g, NG * PAGE };

		remote = process_vm_readv(parent, &l, 1, &r, 1, 0) == (ssize_t)(NG * PAGE) &&
			 check_data(buf, NG);
		proc = read_mem(parent, g, buf, NG);
		_exit(remote | proc << 1);
	}
	if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status)) {
		fail("fork/wait: %s", strerror(errno));
		return finish();
	}
	remote = WEXITSTATUS(status) & 1;
	proc = WEXITSTATUS(status) >> 1 & 1;
	set_aux(3);
	self = read_mem(getpid(), g, buf, NG);
	out("gup remote=%d proc=%d self=%d\n", remote, proc, self);
	if (!remote || !proc || !self)
		fail("data read through process_vm_readv / /proc/PID/mem / /proc/self/mem wrong");

	set_aux(4);
	for (size_t i = 0; i < NG; i++)
		if (rd(g + i * PAGE) != i + 1000)
			fail("g page %zu changed", i);
	sleep_ms(30);
	set_aux(5);
	for (size_t i = 0; i < NFA; i++)
		rd(fa + i * PAGE);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return finish();
}

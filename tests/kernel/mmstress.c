/* mmstress DIR SECONDS — mm features racing the tracer's walker, every result checked
 * (issue 13, the debug kernel's stress). Each iteration, for SECONDS:
 *   file   a 64-page file in DIR (tmpfs, or ext4 on a loop device), MAP_SHARED: every page
 *          written through the mapping, msync(MS_SYNC) (cleans and write-protects the
 *          pages, so that the next round's writes go through page_mkwrite), then the file
 *          read back with pread() and compared
 *   dirty  soft-dirty: clear_refs 4, then every other page of a 32-page region written;
 *          /proc/self/pagemap bit 55 must be set on exactly the pages written
 *   uffdwp userfaultfd write-protect on 16 pages: protect all, write each; a handler
 *          thread must see one write-protect fault per page and unprotects it
 *   move   all pages of the process moved between NUMA nodes 0 and 1 with
 *          migrate_pages() (when there are 2 nodes), the regions checked afterwards
 *   gup    a child process reads a constant 16-page region of the program with
 *          process_vm_readv() and /proc/PID/mem all along and checks it
 * Prints "iterations N", "filebad N", "dirtybad N", "wpfaults N of M", "moved N",
 * "gupreads N gupbad N", and "result ok" when every check held.
 */
#include "ktest.h"
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define NF 64
#define ND 32
#define NW 16
#define NG 16

static int uffd;
static volatile long wpfaults;

static void *wp_handler(void *arg)
{
	struct uffd_msg msg;

	(void)arg;
	for (;;) {
		struct pollfd pfd = { uffd, POLLIN, 0 };

		if (poll(&pfd, 1, -1) < 0 || read(uffd, &msg, sizeof(msg)) != sizeof(msg))
			continue;
		if (msg.event != UFFD_EVENT_PAGEFAULT || !(msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP))
			continue;
		struct uffdio_writeprotect wp = {
			.range = { msg.arg.pagefault.address & ~(PAGE - 1), PAGE }, .mode = 0,
		};
		if (!ioctl(uffd, UFFDIO_WRITEPROTECT, &wp))
			wpfaults++;
	}
	return NULL;
}

static int gup_reader(pid_t parent, const char *g, int seconds)
{
	static char buf[NG * PAGE];
	time_t end = time(NULL) + seconds;
	long reads = 0, bad = 0;
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)parent);
	fd = open(path, O_RDONLY);
	while (time(NULL) < end) {
		struct iovec l = { buf, sizeof(buf) }, r = { (void *)g, sizeof(buf) };
		for (int how = 0; how < 2; how++) {
			ssize_t n = how ? pread(fd, buf, sizeof(buf), (off_t)(unsigned long)g)
					: process_vm_readv(parent, &l, 1, &r, 1, 0);
			reads++;
			if (n != (ssize_t)sizeof(buf)) {
				bad++;
				continue;
			}
			for (size_t i = 0; i < NG; i++)
				if (buf[i * PAGE] != (char)('g' + i))
					bad++;
		}
		sleep_ms(2);
	}
	printf("gupreads %ld gupbad %ld\n", reads, bad);
	fflush(stdout);
	return bad || !reads;
}

static long migrate(int to)
{
	unsigned long from_mask = 1UL << !to, to_mask = 1UL << to;

	return syscall(SYS_migrate_pages, 0, 8 * sizeof(long), &from_mask, &to_mask);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	int seconds = argc > 2 ? atoi(argv[2]) : 5;
	long iters = 0, filebad = 0, dirtybad = 0, wpwant = 0, moved = 0, nodes;
	char path[256], buf[PAGE], *fm, *d, *w, *g;
	uint64_t pm[ND];
	pthread_t th;
	pid_t child;
	int fd, status;
	time_t end;

	begin("mmstress");
	nodes = access("/sys/devices/system/node/node1", F_OK) ? 1 : 2;
	snprintf(path, sizeof(path), "%s/mmstress.dat", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, NF * PAGE)) {
		fail("%s: %s", path, strerror(errno));
		return finish();
	}
	fm = mmap(NULL, NF * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (fm == MAP_FAILED) {
		fail("mmap %s: %s", path, strerror(errno));
		return finish();
	}
	out("region file %lx %lx pid=%d\n", (unsigned long)fm, (unsigned long)fm + NF * PAGE, (int)getpid());
	d = map_pages("dirty", ND);
	w = map_pages("uffdwp", NW);
	g = map_pages("gup", NG);
	for (size_t i = 0; i < NG; i++)
		wr(g + i * PAGE, 'g' + i);

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .range = { (unsigned long)w, NW * PAGE },
				       .mode = UFFDIO_REGISTER_MODE_WP };
	for (size_t i = 0; i < NW; i++)
		wr(w + i * PAGE, 0);	/* WP needs present pages */
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) || ioctl(uffd, UFFDIO_REGISTER, &reg) ||
	    pthread_create(&th, NULL, wp_handler, NULL)) {
		fail("userfaultfd write-protect setup: %s", strerror(errno));
		return finish();
	}

	child = fork();
	if (child == 0)
		_exit(gup_reader(getppid(), g, seconds));

	end = time(NULL) + seconds;
	while (time(NULL) < end) {
		/* file */
		for (size_t i = 0; i < NF; i++)
			wr(fm + i * PAGE, iters * 1000 + i);
		if (msync(fm, NF * PAGE, MS_SYNC))
			filebad++;
		for (size_t i = 0; i < NF; i++) {
			unsigned long v;

			if (pread(fd, buf, sizeof(v), i * PAGE) != sizeof(v))
				filebad++;
			memcpy(&v, buf, sizeof(v));
			if (v != (unsigned long)(iters * 1000 + i))
				filebad++;
		}
		/* dirty */
		int cr = open("/proc/self/clear_refs", O_WRONLY);

		if (cr < 0 || write(cr, "4", 1) != 1)
			dirtybad++;
		if (cr >= 0)
			close(cr);
		for (size_t i = 0; i < ND; i += 2)
			wr(d + i * PAGE, iters);
		if (pagemap_read(d, ND, pm))
			dirtybad++;
		for (size_t i = 0; i < ND; i++)
			if (!!(pm[i] >> 55 & 1) != !(i & 1))
				dirtybad++;
		/* uffdwp */
		struct uffdio_writeprotect wp = { .range = { (unsigned long)w, NW * PAGE },
						  .mode = UFFDIO_WRITEPROTECT_MODE_WP };
		if (ioctl(uffd, UFFDIO_WRITEPROTECT, &wp)) {
			fail("UFFDIO_WRITEPROTECT: %s", strerror(errno));
			break;
		}
		for (size_t i = 0; i < NW; i++) {
			wr(w + i * PAGE, iters + i);
			wpwant++;
		}
		for (size_t i = 0; i < NW; i++)
			if (rd(w + i * PAGE) != (unsigned long)(iters + i))
				fail("uffdwp page %zu lost its write", i);
		/* move */
		if (nodes == 2 && migrate(iters & 1) >= 0)
			moved++;
		for (size_t i = 0; i < ND; i += 2)
			if (rd(d + i * PAGE) != (unsigned long)iters)
				dirtybad++;
		iters++;
	}
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status))
		fail("the GUP reader failed (status %#x)", status);
	out("iterations %ld\nfilebad %ld\ndirtybad %ld\nwpfaults %ld of %ld\nmoved %ld nodes %ld\n",
	    iters, filebad, dirtybad, (long)wpfaults, wpwant, moved, nodes);
	if (!iters || filebad || dirtybad || wpfaults != wpwant || (nodes == 2 && moved != iters))
		fail("iterations %ld: file %ld bad, soft-dirty %ld bad, %ld of %ld write-protect faults, "
		     "%ld of %ld migrations", iters, filebad, dirtybad, (long)wpfaults, wpwant, moved, iters);
	unlink(path);
	return finish();
}

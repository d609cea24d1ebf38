/* uffd NPAGES — userfaultfd missing-page faults resolved by a thread of a traced process.
 *
 * Region "u" of NPAGES pages is registered with UFFDIO_REGISTER_MODE_MISSING. A handler
 * thread answers every fault with UFFDIO_COPY of a page holding a known pattern. The
 * main thread reads every word of the first half (aux 1) and writes the first word of each
 * page of the second half, then reads the whole page back (aux 2); everything must match.
 * alarm() ends a hung run (the program then dies with SIGALRM).
 *
 * Prints
 *   main tid=T            the thread whose accesses take the userfaults
 *   handler tid=H
 *   uffd copies=C         UFFDIO_COPYs made (want NPAGES)
 */
#include "ktest.h"
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

static int uffd;
static char *u;
static size_t n;
static volatile int stop;
static size_t copies;
static char src[4096] __attribute__((aligned(4096)));

static uint64_t pattern(size_t page, size_t word)
{
	return (page + 1) * 0x9E3779B97F4A7C15ULL ^ (word + 1) * 0xC2B2AE3D27D4EB4FULL;
}

static void *handler(void *arg)
{
	(void)arg;
	out("handler tid=%d\n", (int)syscall(SYS_gettid));
	while (!stop) {
		struct pollfd pfd = { .fd = uffd, .events = POLLIN };
		struct uffd_msg msg;
		struct uffdio_copy cp;
		size_t page;

		if (poll(&pfd, 1, 200) <= 0)
			continue;
		if (read(uffd, &msg, sizeof(msg)) != sizeof(msg))
			continue;
		if (msg.event != UFFD_EVENT_PAGEFAULT) {
			fail("unexpected uffd event %u", msg.event);
			continue;
		}
		page = (msg.arg.pagefault.address - (unsigned long)u) / PAGE;
		for (size_t w = 0; w < PAGE / 8; w++)
			((uint64_t *)src)[w] = pattern(page, w);
		cp.dst = (unsigned long)u + page * PAGE;
		cp.src = (unsigned long)src;
		cp.len = PAGE;
		cp.mode = 0;
		cp.copy = 0;
		if (ioctl(uffd, UFFDIO_COPY, &cp) && errno != EEXIST)
			fail("UFFDIO_COPY page %zu: %s", page, strerror(errno));
		else
			copies++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;
	size_t bad = 0, words = PAGE / 8;
	pthread_t th;

	n = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	begin("uffd");
	alarm(60);
	out("main tid=%d\n", (int)syscall(SYS_gettid));
	u = map_pages("u", n);
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api)) {
		fail("userfaultfd: %s", strerror(errno));
		return finish();
	}
	reg.range.start = (unsigned long)u;
	reg.range.len = n * PAGE;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg)) {
		fail("UFFDIO_REGISTER: %s", strerror(errno));
		return finish();
	}
	if (pthread_create(&th, NULL, handler, NULL)) {
		fail("pthread_create");
		return finish();
	}
	set_aux(1);
	for (size_t i = 0; i < n / 2; i++)
		for (size_t w = 0; w < words; w++)
			bad += rd(u + i * PAGE + w * 8) != pattern(i, w);
	set_aux(2);
	for (size_t i = n / 2; i < n; i++) {
		wr(u + i * PAGE, ~pattern(i, 0));
		for (size_t w = 0; w < words; w++)
			bad += rd(u + i * PAGE + w * 8) != (w ? pattern(i, w) : ~pattern(i, 0));
	}
	stop = 1;
	pthread_join(th, NULL);
	out("uffd copies=%zu bad=%zu\n", copies, bad);
	if (bad)
		fail("%zu words read back wrong", bad);
	if (copies != n)
		fail("%zu UFFDIO_COPYs for %zu pages", copies, n);
	return finish();
}

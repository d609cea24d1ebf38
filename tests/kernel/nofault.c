/* nofault N — system calls that copy user memory with page faults disabled (issue 13).
 *
 * The kernel reads some user memory with page faults disabled and either fails
 * (write(2) to trace_marker: -EFAULT and "<faulted>" in the trace) or faults the page
 * in and retries (futex, write(2) to a file). A traced program must see no difference:
 * each of these calls is made on a page the program has not touched since the last
 * reset walk, so that the kernel's access is the first one after a reset.
 *
 * Region "hot" (1 page) is read by the program all the time: it spins on it for
 * SPIN_MS between calls, long enough for a scheduler tick in user space, and so a walk.
 * Pages only the kernel touches after setup are printed as "kregion NAME START END":
 *   msg   N messages "pat-nofault NNN\n" (16 bytes each), written once with wr(); the
 *         i-th is written to /sys/kernel/tracing/trace_marker after the i-th spin
 *   fut   a futex word; FUTEX_WAKE_OP adds 1 to it after each spin (atomic op with page
 *         faults disabled, fault-in and retry on failure), FUTEX_WAIT with a wrong
 *         expected value must answer EAGAIN (value read with page faults disabled)
 *   src   a page written to a tmpfs file after each spin (generic_perform_write():
 *         atomic copy, fault-in and retry); the file is read back and compared
 * Prints "marker ok=A efault=B other=C", "futex ok=A bad=B value=V",
 * "filewrite ok=A bad=B".
 */
#include "ktest.h"
#include <linux/futex.h>
#include <sys/syscall.h>

#define SPIN_MS 10
#define MSG 16

static void spin(const char *hot, long ms)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		rd(hot);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
}

/* Copy @n bytes (a multiple of 8) to @dst with the HOT accessor. */
static void wr_bytes(char *dst, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i += 8) {
		unsigned long v;

		memcpy(&v, src + i, 8);
		wr(dst + i, v);
	}
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200;
	int mok = 0, mfault = 0, mother = 0, fok = 0, fbad = 0, wok = 0, wbad = 0;
	size_t msgpages = ((size_t)n * MSG + PAGE - 1) / PAGE;
	char *hot, *msg, *fut, *src, buf[PAGE], line[MSG + 1];
	int marker, file;

	begin("nofault");
	if (n < 1 || n > 100000) {
		fail("usage: nofault N (1..100000)");
		return finish();
	}
	marker = open("/sys/kernel/tracing/trace_marker", O_WRONLY);
	file = open("/tmp/nofault.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (marker < 0 || file < 0) {
		fail("open trace_marker or /tmp/nofault.dat: %s", strerror(errno));
		return finish();
	}
	hot = map_pages("hot", 1);
	msg = map_kpages("msg", msgpages);
	fut = map_kpages("fut", 1);
	src = map_kpages("src", 1);
	for (int i = 0; i < n; i++) {
		snprintf(line, sizeof(line), "pat-nofault %03d", i % 1000);
		line[MSG - 1] = '\n';
		wr_bytes(msg + (size_t)i * MSG, line, MSG);
	}
	wr(fut, 0);
	memset(buf, 'x', sizeof(buf));
	wr_bytes(src, buf, PAGE);

	for (int i = 0; i < n; i++) {
		spin(hot, SPIN_MS);
		ssize_t r = write(marker, msg + (size_t)i * MSG, MSG);

		if (r == MSG)
			mok++;
		else if (r < 0 && errno == EFAULT)
			mfault++;
		else
			mother++;
	}
	out("marker ok=%d efault=%d other=%d\n", mok, mfault, mother);

	for (int i = 0; i < n / 4; i++) {
		long r;

		spin(hot, SPIN_MS);
		/* uaddr2 (fut) += 1; nobody waits on uaddr (hot), so 0 woken. */
		r = syscall(SYS_futex, hot, FUTEX_WAKE_OP_PRIVATE, 0, NULL, fut,
			    FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0));
		if (r != 0) {
			fbad++;
			continue;
		}
		spin(hot, SPIN_MS);
		/* The value is i + 1, never -1: EAGAIN at once. */
		r = syscall(SYS_futex, fut, FUTEX_WAIT_PRIVATE, -1, NULL, NULL, 0);
		if (r == -1 && errno == EAGAIN)
			fok++;
		else
			fbad++;
	}
	out("futex ok=%d bad=%d value=%lu\n", fok, fbad, rd(fut) & 0xffffffffUL);
	if (fbad || (rd(fut) & 0xffffffffUL) != (unsigned long)(n / 4))
		fail("futex: %d bad calls, value %lu, want %d", fbad, rd(fut) & 0xffffffffUL, n / 4);

	for (int i = 0; i < n / 4; i++) {
		spin(hot, SPIN_MS);
		if (pwrite(file, src, PAGE, 0) != (ssize_t)PAGE) {
			wbad++;
			continue;
		}
		if (pread(file, buf, PAGE, 0) != (ssize_t)PAGE || buf[0] != 'x' || buf[PAGE - 1] != 'x')
			wbad++;
		else
			wok++;
	}
	out("filewrite ok=%d bad=%d\n", wok, wbad);
	if (wbad)
		fail("write from a reset page: %d of %d bad", wbad, n / 4);
	if (mok != n)
		fail("trace_marker: %d of %d writes failed (%d EFAULT)", n - mok, n, mfault);
	return finish();
}

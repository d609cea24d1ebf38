/* odirect DIR — O_DIRECT I/O between a traced program's buffers and a file in DIR.
 *
 * DIR must be on a block device (ext4 over a loop device in the debug run): there direct
 * I/O pins the user pages with GUP, where tmpfs would copy them like read(2) and write(2).
 * Region "src" and kregion "dst" (16 anonymous pages each; only the kernel touches "dst"
 * after setup) are written (aux 1), and the file
 * DIR/odirect.dat is made and synced, so that the direct writes below overwrite blocks
 * already allocated (no fallback to buffered I/O). After a sleep, in which the walk
 * resets both regions:
 *   aux 2: "src" is written to the file with O_DIRECT. GUP reads the pages: it follows
 *          the tracer's PROT_NONE PTEs without a fault, so no event.
 *   aux 3: the file is read back with O_DIRECT into "dst". GUP must write the pages; a
 *          PROT_NONE PTE is not writable, so each page is faulted in: one W reset event
 *          per page, in the system call. The data must be what "src" held.
 *   aux 4: the program reads "src" itself: each page must still fault (R reset), GUP
 *          having left its PTEs as they were.
 * Prints "odirect written=BYTES read=BYTES" and "result ok" when the data were right.
 */
#include "ktest.h"

#define NP 16

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	char path[512];
	ssize_t wrote, got;
	char *src, *dst;
	int fd;

	begin("odirect");
	src = map_pages("src", NP);
	dst = map_kpages("dst", NP);
	set_aux(1);
	for (size_t i = 0; i < NP; i++) {
		wr(src + i * PAGE, i + 7000);
		wr(dst + i * PAGE, 1);
	}
	snprintf(path, sizeof(path), "%s/odirect.dat", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || pwrite(fd, dst, NP * PAGE, 0) != (ssize_t)(NP * PAGE) || fsync(fd)) {
		fail("make %s: %s", path, strerror(errno));
		return finish();
	}
	close(fd);
	fd = open(path, O_RDWR | O_DIRECT);
	if (fd < 0) {
		fail("open %s with O_DIRECT: %s", path, strerror(errno));
		return finish();
	}
	sleep_ms(30);

	set_aux(2);
	wrote = pwrite(fd, src, NP * PAGE, 0);
	sleep_ms(30);
	set_aux(3);
	got = pread(fd, dst, NP * PAGE, 0);
	set_aux(4);
	out("odirect written=%zd read=%zd\n", wrote, got);
	if (wrote != (ssize_t)(NP * PAGE) || got != (ssize_t)(NP * PAGE))
		fail("O_DIRECT write %zd, read %zd of %lu bytes: %s", wrote, got, NP * PAGE,
		     strerror(errno));
	for (size_t i = 0; i < NP; i++) {
		unsigned long v;

		if (rd(src + i * PAGE) != i + 7000)
			fail("src page %zu changed", i);
		memcpy(&v, dst + i * PAGE, sizeof(v));	/* the check's own read, at aux 4 */
		if (v != i + 7000)
			fail("dst page %zu: read back %lu", i, v);
	}
	close(fd);
	unlink(path);
	return finish();
}

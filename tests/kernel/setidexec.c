/* setidexec UID PROGRAM — a traced process that changes its own uid and gid to UID
 * (setresuid/setresgid: no exec, it stays traced) and then execs PROGRAM, a set-user-ID
 * or set-group-ID copy of this program, as "PROGRAM scan 16": the exec changes
 * credentials, so tracing must stop there with a page_access_stop event (reason=setid)
 * and END (issue 13). Writes region "pre" before and after the uid change.
 *
 * setidexec scan NPAGES — what the set-ID copy runs: prints "creds UID EUID GID EGID" and
 * writes region "scan" in 3 rounds 20 ms apart (a traced process would have events there).
 */
#include "ktest.h"

static int scan(size_t n)
{
	char *p;

	out("creds %u %u %u %u\n", (unsigned int)getuid(), (unsigned int)geteuid(),
	    (unsigned int)getgid(), (unsigned int)getegid());
	p = map_pages("scan", n);
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < n; i++)
			wr(p + i * PAGE, round);
		sleep_ms(20);
	}
	return finish();
}

int main(int argc, char **argv)
{
	uid_t uid;
	char *p;

	begin("setidexec");
	if (argc == 3 && !strcmp(argv[1], "scan"))
		return scan(strtoul(argv[2], NULL, 0));
	if (argc != 3) {
		fail("usage: setidexec UID PROGRAM | setidexec scan NPAGES");
		return 2;
	}
	uid = (uid_t)strtoul(argv[1], NULL, 0);
	p = map_pages("pre", 4);
	for (size_t i = 0; i < 4; i++)
		wr(p + i * PAGE, i);
	if (setresgid(uid, uid, uid) || setresuid(uid, uid, uid)) {
		fail("setresuid %u: %s", (unsigned int)uid, strerror(errno));
		return 1;
	}
	sleep_ms(20);
	for (size_t i = 0; i < 4; i++)
		wr(p + i * PAGE, i + 1);
	out("exec %s\n", argv[2]);
	execl(argv[2], argv[2], "scan", "16", (char *)NULL);
	fail("execl %s: %s", argv[2], strerror(errno));
	return 1;
}

/* ptyrun CMD ARGS... — run CMD with its stdin, stdout and stderr on a new pseudo-terminal
 * and copy everything it writes there to our stdout, so that a test can see what a
 * program shows on a terminal (pacollect's live status line). Exits with CMD's status.
 */
#include <errno.h>
#include <pty.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[4096];
	int master, status;
	pid_t pid;
	ssize_t n;

	if (argc < 2) {
		fprintf(stderr, "usage: ptyrun CMD ARGS...\n");
		return 2;
	}
	pid = forkpty(&master, NULL, NULL, NULL);
	if (pid < 0) {
		perror("ptyrun: forkpty");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror("ptyrun: exec");
		_exit(127);
	}
	/* Linux answers EIO on the master once the last slave is closed. */
	while ((n = read(master, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0 && write(STDOUT_FILENO, buf, (size_t)n) != n)
			break;
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

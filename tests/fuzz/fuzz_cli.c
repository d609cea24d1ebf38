// SPDX-License-Identifier: MIT
/*
 * Fuzz target: command lines of pacollect and paanalyze, run in this process against a
 * small real database.
 *
 * The input is text, one argument a line; the first line is argv[0] and picks the
 * program ("pacollect", else paanalyze). A line "%rep N TEXT" stands for TEXT repeated
 * to N bytes, so that long arguments need no long input. Each command runs in a scratch
 * directory laid anew for it: run.db (imported from trace.txt by pacollect itself),
 * damaged.db (run.db with bytes of its last page flipped), empty.db, trace.txt (also on
 * standard input) and a directory dir. Arguments may name those or anything below the
 * scratch directory, never a path outside it: in an argument that starts with '/' or
 * holds "..", every '/' becomes '_'.
 *
 * Checked beyond crashes, leaks (the sanitizers) and hangs (the driver's alarm, the
 * fuzzer's -timeout): the exit status is one the --help documents; pacollect leaves no
 * temporary (NAME.tmp-PID) behind, and when it fails, the directory as it was; paanalyze
 * changes no database, leaves no -wal, -shm or -journal file, and writes nothing (no
 * picture, report or salvage) when it answers a usage error. On a kernel with the page
 * access tracer, pacollect would start tracing commands: its lines are skipped there.
 */
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int pa_pacollect_main(int argc, char **argv);
int pa_paanalyze_main(int argc, char **argv);

#define MAX_ARGS 128
#define MAX_REP (1u << 20)
#define SNAPSHOT_SIZE 4096

static const char trace_text[] =
	"# tracer: nop\n"
	"            fork-66      [001] .....    11.984810: init_page_access_trace: START fork pid=66 ppid=49\n"
	"            fork-66      [001] .....    11.984917: page_access_mmap: pid=66 start=400000 end=401000 prot=r--p pgoff=0 reason=exec path=/nonexistent/fork\n"
	"            fork-66      [001] .....    11.984927: page_access_mmap: pid=66 start=401000 end=47b000 prot=r-xp pgoff=1000 reason=exec path=/nonexistent/fork\n"
	"            fork-66      [001] .....    11.985072: handle_mm_fault: 66 R 401530 401530 tgid=66 aux=0 fault=demand\n"
	"            fork-66      [001] .....    11.985343: handle_mm_fault: 66 W 402dd1 4ae9f8 tgid=66 aux=0 fault=demand\n"
	"            fork-66      [001] .....    11.985444: handle_mm_fault: 66 W 402dd8 4a6a10 tgid=66 aux=0 fault=demand\n"
	"            fork-67      [000] .....    11.985500: handle_mm_fault: 67 R 401530 7ffdec267420 tgid=66 aux=0 fault=demand\n"
	"            fork-66      [001] .....    11.986435: handle_mm_fault: 66 R 4028d0 4028d0 tgid=66 aux=0 fault=reset\n"
	"            fork-66      [001] .....    11.986466: handle_mm_fault: 66 W 4028d0 7ffdec267420 tgid=66 aux=0 fault=reset\n"
	"            fork-66      [001] .....    11.996466: handle_mm_fault: 66 R 401530 4ae9f8 tgid=66 aux=0 fault=reset\n"
	"            fork-66      [001] .....    12.004810: __reset_page_access_trace: END fork pid=66\n";

/* The scratch directory, the pristine run.db, and what a run is checked against. */
struct fixture {
	char dir[64];
	int home;		/* the caller's working directory, returned to after each run */
	int skip_pacollect;
	char *db, *damaged;
	size_t db_size;
};

static int remove_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	return ftw->level ? remove(path) : 0;
}

static void write_file(const char *name, const void *data, size_t size)
{
	FILE *f = fopen(name, "wb");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror(name);
		abort();
	}
}

/* Reads all of @name into a new buffer (the caller frees it); NULL if unreadable. */
static char *read_file(const char *name, size_t *size)
{
	FILE *f = fopen(name, "rb");
	char *buf = NULL;
	long n;

	if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*size = (size_t)n;
	}
	if (f)
		fclose(f);
	return buf;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names and sizes of the files in . and ./dir, sorted, one a line, into @out. */
static void snapshot(char *out, size_t size)
{
	static const char *const dirs[] = { ".", "dir" };
	char *names[256], line[300];
	size_t n = 0, o = 0;

	for (size_t d = 0; d < 2; d++) {
		DIR *dh = opendir(dirs[d]);
		struct dirent *e;
		struct stat sb;

		while (dh && (e = readdir(dh)) && n < 256) {
			snprintf(line, sizeof(line), "%s/%s", dirs[d], e->d_name);
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
			    lstat(line, &sb) != 0)
				continue;
			snprintf(line + strlen(line), sizeof(line) - strlen(line), " %lld",
				 S_ISREG(sb.st_mode) ? (long long)sb.st_size : -1ll);
			names[n++] = strdup(line);
		}
		if (dh)
			closedir(dh);
	}
	qsort(names, n, sizeof(names[0]), by_name);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		o += (size_t)snprintf(out + o, o < size ? size - o : 0, "%s\n", names[i]);
		free(names[i]);
	}
}

/* Empties the scratch directory and lays the fixture files in it (the cwd). */
static void lay(const struct fixture *fx)
{
	int fd;

	nftw(".", remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	write_file("trace.txt", trace_text, sizeof(trace_text) - 1);
	write_file("empty.db", "", 0);
	if (mkdir("dir", 0755) != 0)
		abort();
	fd = open("trace.txt", O_RDONLY);
	if (fd < 0 || dup2(fd, STDIN_FILENO) < 0)
		abort();
	close(fd);
	if (!fx->db)
		return;
	write_file("run.db", fx->db, fx->db_size);
	write_file("damaged.db", fx->damaged, fx->db_size);
}

struct saved {
	int out, err;
	struct sigaction sig[3];
};

static const int handled[3] = { SIGINT, SIGTERM, SIGHUP };

/* Sends stdout and stderr to /dev/null (unless PAT_FUZZ_CLI_SHOW is set). */
static void quiet(struct saved *s)
{
	int null = open("/dev/null", O_WRONLY);

	for (int i = 0; i < 3; i++)
		sigaction(handled[i], NULL, &s->sig[i]);
	s->out = dup(STDOUT_FILENO);
	s->err = dup(STDERR_FILENO);
	if (null < 0 || s->out < 0 || s->err < 0)
		abort();
	if (!getenv("PAT_FUZZ_CLI_SHOW")) {
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
	}
	close(null);
}

/* Undoes quiet(), and what the program's main set for the process. */
static void restore(struct saved *s)
{
	fflush(stdout);
	fflush(stderr);
	clearerr(stdout);
	clearerr(stderr);
	dup2(s->out, STDOUT_FILENO);
	dup2(s->err, STDERR_FILENO);
	close(s->out);
	close(s->err);
	for (int i = 0; i < 3; i++)
		sigaction(handled[i], &s->sig[i], NULL);
}

/* Runs pacollect's or paanalyze's main on @argv; returns its exit status. */
static int run(int argc, char **argv)
{
	struct saved s;
	int rc;

	quiet(&s);
	if (getenv("PAT_FUZZ_CLI_SHOW")) {
		for (int i = 0; i < argc; i++)
			fprintf(stderr, "%s'%.80s'", i ? " " : "+ ", argv[i]);
		fputc('\n', stderr);
	}
	optind = 0;	/* glibc: start afresh, forgetting the last parse */
	if (strcmp(argv[0], "pacollect") == 0)
		rc = pa_pacollect_main(argc, argv);
	else
		rc = pa_paanalyze_main(argc, argv);
	restore(&s);
	return rc;
}

static const struct fixture *fixture(void)
{
	static struct fixture fx;
	char *argv[] = { "pacollect", "-q", "-i", "trace.txt", "-o", "run.db", NULL };
	struct stat sb;

	if (fx.db)
		return &fx;
	fx.skip_pacollect = stat("/proc/trace_page_access", &sb) == 0;
	if (fx.skip_pacollect)
		fprintf(stderr, "fuzz_cli: this kernel traces page accesses; pacollect "
			"command lines are skipped\n");
	snprintf(fx.dir, sizeof(fx.dir), "/dev/shm/pat-fuzz-cli-XXXXXX");
	fx.home = open(".", O_RDONLY | O_DIRECTORY);
	if (fx.home < 0 || !mkdtemp(fx.dir) || chdir(fx.dir) != 0)
		abort();
	lay(&fx);
	if (run(6, argv) != 0)
		abort();
	fx.damaged = read_file("run.db", &fx.db_size);
	if (!fx.damaged || fx.db_size < 4096 || fchdir(fx.home) != 0)
		abort();
	fx.db = malloc(fx.db_size);
	if (!fx.db)
		abort();
	memcpy(fx.db, fx.damaged, fx.db_size);
	for (size_t i = 1; i <= 16; i++)	/* in the last page: chunk rows */
		fx.damaged[fx.db_size - 64 * i] ^= 0x5a;
	return &fx;
}

/* Splits @text (modified) into argv, expanding "%rep N TEXT"; returns argc. */
static int split(char *text, char **argv, char **owned, size_t *nowned)
{
	int argc = 0;

	for (char *line = text; line && argc < MAX_ARGS; argc++) {
		char *nl = strchr(line, '\n'), *end;

		if (nl)
			*nl = '\0';
		argv[argc] = line;
		if (strncmp(line, "%rep ", 5) == 0) {
			unsigned long n = strtoul(line + 5, &end, 10);
			const char *unit = *end == ' ' && end[1] ? end + 1 : "x";
			size_t len = strlen(unit);
			char *s = malloc((n < MAX_REP ? n : MAX_REP) + 1);

			if (!s)
				abort();
			n = n < MAX_REP ? n : MAX_REP;
			for (size_t i = 0; i < n; i++)
				s[i] = unit[i % len];
			s[n] = '\0';
			argv[argc] = owned[(*nowned)++] = s;
		}
		if (argv[argc][0] == '/' || strstr(argv[argc], ".."))
			for (char *p = argv[argc]; (p = strchr(p, '/')) != NULL;)
				*p = '_';
		line = nl && nl[1] ? nl + 1 : NULL;	/* a last newline ends the last line */
	}
	argv[argc] = NULL;
	return argc;
}

/*
 * Whether @snapshot lists a -wal, -shm or -journal file of a database of the fixture:
 * a whole line "./NAME SIZE", not a file the command was asked to write whose name
 * merely starts so ("empty.db-journal x", an output named by the fuzzer).
 */
static int side_file(const char *snapshot)
{
	static const char *const dbs[] = { "run.db", "damaged.db", "empty.db" };
	static const char *const sides[] = { "-wal", "-shm", "-journal" };
	char name[64];

	for (size_t d = 0; d < 3; d++)
		for (size_t k = 0; k < 3; k++) {
			size_t len = (size_t)snprintf(name, sizeof(name), "./%s%s ", dbs[d], sides[k]);
			const char *l = snapshot;

			while (l && *l) {
				if (strncmp(l, name, len) == 0 &&
				    strspn(l + len, "-0123456789") == strcspn(l + len, "\n"))
					return 1;
				l = strchr(l, '\n');
				l = l ? l + 1 : NULL;
			}
		}
	return 0;
}

static void fail(char **argv, int rc, const char *what)
{
	fprintf(stderr, "fuzz_cli: exit status %d: %s:", rc, what);
	for (int i = 0; argv[i]; i++)
		fprintf(stderr, " '%.80s'", argv[i]);
	fputc('\n', stderr);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fixture *fx = fixture();
	char *text = malloc(size + 1), *argv[MAX_ARGS + 1], *owned[MAX_ARGS], *db;
	char before[SNAPSHOT_SIZE], after[SNAPSHOT_SIZE];
	size_t nowned = 0, db_size = 0;
	int argc, rc, pacollect;

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	argc = split(text, argv, owned, &nowned);
	pacollect = strcmp(argv[0], "pacollect") == 0;
	if (pacollect && fx->skip_pacollect)
		goto out_free;
	if (chdir(fx->dir) != 0)
		abort();
	lay(fx);
	snapshot(before, sizeof(before));
	rc = run(argc, argv);
	snapshot(after, sizeof(after));
	db = read_file("run.db", &db_size);
	if (pacollect) {
		if (rc != 0 && rc != 1 && rc != 2 && rc != 3 && rc != 130)
			fail(argv, rc, "not a documented exit status of pacollect");
		if (strstr(after, ".tmp-"))
			fail(argv, rc, "a temporary database was left behind");
		if (rc != 0 && rc != 3 && strcmp(after, before) != 0)
			fail(argv, rc, "pacollect failed, and changed the directory");
	} else {
		if (rc != 0 && rc != 1 && rc != 2)
			fail(argv, rc, "not a documented exit status of paanalyze");
		if (rc == 2 && strcmp(after, before) != 0)
			fail(argv, rc, "a usage error of paanalyze changed the directory");
		if (!db || db_size != fx->db_size || memcmp(db, fx->db, db_size) != 0)
			fail(argv, rc, "paanalyze changed run.db");
		if (side_file(after))
			fail(argv, rc, "paanalyze left a side file of SQLite behind");
	}
	free(db);
	if (fchdir(fx->home) != 0)
		abort();
out_free:
	for (size_t i = 0; i < nowned; i++)
		free(owned[i]);
	free(text);
	return 0;
}

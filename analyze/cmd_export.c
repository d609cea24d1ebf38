// SPDX-License-Identifier: MIT
/*
 * paanalyze export - every event, as CSV or JSON lines, for other tools.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ahead.h"
#include "commands.h"
#include "outfile.h"
#include "pat/chunk.h"
#include "pat/error.h"
#include "rundb.h"

const char cmd_export_usage[] =
	"usage: paanalyze export --csv|--jsonl [OPTIONS] [DB]\n"
	"\n"
	"Write every event of DB (default run.db) that passes the filters to standard\n"
	"output (or FILE), in stored (time) order, one per line, for pandas, DuckDB,\n"
	"Spark and the like. Fields:\n"
	"  time_us  time from the run start in microseconds, as a decimal with exactly 3\n"
	"           fractional digits (nanosecond resolution, negative before the start)\n"
	"  pid      the process (tgid)         tid    the thread\n"
	"  rw       \"R\" or \"W\"                 ip     instruction pointer, \"0x...\" hex\n"
	"  addr     faulting address, \"0x...\"  page   addr / page size, decimal\n"
	"  aux      the thread's aux value     fault  \"reset\" or \"demand\"\n"
	"\n"
	"  --csv     comma-separated values with a header row\n"
	"  --jsonl   one JSON object per line with the keys above (ip and addr as strings)\n"
	"  -o, --output FILE  write FILE instead of standard output, whole or not at all\n"
	"\n"
	PA_CLI_COMMON_HELP
	"\n"
	"(--json does not apply: choose --csv or --jsonl.)\n";

enum { OPT_OUTPUT = 'o', OPT_CSV = PA_OPT_FIRST_EXTRA, OPT_JSONL };

const struct option cmd_export_options[] = {
	{ "csv", no_argument, NULL, OPT_CSV },
	{ "jsonl", no_argument, NULL, OPT_JSONL },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ NULL, 0, NULL, 0 },
};

/* What the options asked for. */
struct export_opts {
	int format;		/* OPT_CSV or OPT_JSONL, 0 until chosen */
	const char *output;	/* -o FILE, or NULL for standard output */
};

int cmd_export_option(int id, const char *arg, void *ctx)
{
	struct export_opts *eo = ctx;

	if (id == OPT_OUTPUT) {
		eo->output = arg;
		return 0;
	}
	if (id != OPT_CSV && id != OPT_JSONL)
		return PA_EXIT_USAGE;
	if (eo->format && eo->format != id)
		return pa_cli_usage_error(pa_find_command("export"),
					  "--csv and --jsonl exclude each other");
	eo->format = id;
	return 0;
}

#define OUT_SIZE (1 << 17)
#define LINE_MAX_BYTES 320	/* a generous bound on one formatted line */

struct out {
	char buf[OUT_SIZE];
	size_t n;
	int fd;		/* where the bytes go */
	int failed;	/* errno of the write that failed, or 0 */
};

/* Straight to the file descriptor: the output is large, and stdio would only copy it. */
static void flush_out(struct out *o)
{
	size_t done = 0;

	while (done < o->n && !o->failed) {
		ssize_t w = write(o->fd, o->buf + done, o->n - done);

		if (w > 0)
			done += (size_t)w;
		else if (w < 0 && errno != EINTR)
			o->failed = errno;
		else if (w == 0)
			o->failed = EIO;
	}
	o->n = 0;
}

static inline char *put_str(char *p, const char *s, size_t len)
{
	memcpy(p, s, len);
	return p + len;
}

static inline char *put_u64(char *p, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static inline char *put_hex(char *p, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	int shift = v ? 60 - (__builtin_clzll(v) & ~3) : 0;

	*p++ = '0';
	*p++ = 'x';
	for (; shift >= 0; shift -= 4)
		*p++ = digits[(v >> shift) & 15];
	return p;
}

/* Nanoseconds @t relative to @t0 as microseconds with 3 decimals. */
static inline char *put_time(char *p, uint64_t t, uint64_t t0)
{
	uint64_t d = t >= t0 ? t - t0 : t0 - t, frac;

	if (t < t0)
		*p++ = '-';
	p = put_u64(p, d / 1000);
	*p++ = '.';
	frac = d % 1000;
	*p++ = (char)('0' + frac / 100);
	*p++ = (char)('0' + frac / 10 % 10);
	*p++ = (char)('0' + frac % 10);
	return p;
}

#define LIT(p, s) put_str(p, s, sizeof(s) - 1)

/*
 * One writer per field kind of PA_EVENT_FIELDS (pat/event.h) and format: each writes
 * the value @v of the field's column (the event's time for TIME) at @p and returns the
 * end.
 */
struct fmt {
	uint64_t t0;
	unsigned int shift;
};

static inline char *csv_TIME(char *p, uint64_t v, const struct fmt *f)
{
	return put_time(p, v, f->t0);
}

static inline char *csv_U64(char *p, uint64_t v, const struct fmt *f)
{
	(void)f;
	return put_u64(p, v);
}

static inline char *csv_HEX(char *p, uint64_t v, const struct fmt *f)
{
	(void)f;
	return put_hex(p, v);
}

static inline char *csv_PAGE(char *p, uint64_t v, const struct fmt *f)
{
	return put_u64(p, v >> f->shift);
}

static inline char *csv_RW(char *p, uint64_t v, const struct fmt *f)
{
	(void)f;
	*p++ = (v & PA_EV_WRITE) ? 'W' : 'R';
	return p;
}

static inline char *csv_FAULT(char *p, uint64_t v, const struct fmt *f)
{
	(void)f;
	return (v & PA_EV_DEMAND) ? LIT(p, "demand") : LIT(p, "reset");
}

#define json_TIME csv_TIME
#define json_U64 csv_U64
#define json_PAGE csv_PAGE

static inline char *json_HEX(char *p, uint64_t v, const struct fmt *f)
{
	*p++ = '"';
	p = csv_HEX(p, v, f);
	*p++ = '"';
	return p;
}

static inline char *json_RW(char *p, uint64_t v, const struct fmt *f)
{
	(void)f;
	return (v & PA_EV_WRITE) ? LIT(p, "\"W\"") : LIT(p, "\"R\"");
}

static inline char *json_FAULT(char *p, uint64_t v, const struct fmt *f)
{
	(void)f;
	return (v & PA_EV_DEMAND) ? LIT(p, "\"demand\"") : LIT(p, "\"reset\"");
}

/* Event @i of @b as a CSV row: the fields of PA_EVENT_FIELDS, comma-separated. */
static char *format_csv(char *p, const struct pa_batch *b, size_t i, const struct fmt *f)
{
#define CSV_FIELD(key, kind, column)			\
	p = csv_##kind(p, b->column[i], f);		\
	*p++ = ',';
	PA_EVENT_FIELDS(CSV_FIELD)
#undef CSV_FIELD
	p[-1] = '\n';
	return p;
}

/* Event @i of @b as a JSON object on one line, keyed by PA_EVENT_FIELDS. */
static char *format_jsonl(char *p, const struct pa_batch *b, size_t i, const struct fmt *f)
{
	*p++ = '{';
#define JSON_FIELD(key, kind, column)			\
	p = LIT(p, "\"" #key "\":");			\
	p = json_##kind(p, b->column[i], f);		\
	*p++ = ',';
	PA_EVENT_FIELDS(JSON_FIELD)
#undef JSON_FIELD
	p[-1] = '}';
	*p++ = '\n';
	return p;
}

/* The CSV header: the keys of PA_EVENT_FIELDS. */
static const char csv_header[] =
#define CSV_KEY(key, kind, column) "," #key
	PA_EVENT_FIELDS(CSV_KEY)
#undef CSV_KEY
	"\n";

static int export(struct pa_store *st, const struct pa_filter *f, int csv, struct out *o)
{
	struct pa_ahead *ev;
	const struct pa_batch *b;
	struct fmt fmt;
	int rc, err = pa_run_page_shift(st, &fmt.shift);

	if (err)
		return err;
	err = pa_ahead_open(st, f, PA_COL_ALL, &ev);
	if (err)
		return err;
	fmt.t0 = pa_ahead_t0(ev);
	if (o->fd == STDOUT_FILENO && fflush(stdout))
		o->failed = errno;
	if (csv) {
		/* without the first key's leading comma */
		memcpy(o->buf, csv_header + 1, sizeof(csv_header) - 2);
		o->n = sizeof(csv_header) - 2;
	}
	while ((rc = pa_ahead_next(ev, &b)) > 0 && !o->failed) {
		for (size_t i = 0; i < b->n; i++) {
			char *p = o->buf + o->n;

			p = csv ? format_csv(p, b, i, &fmt) : format_jsonl(p, b, i, &fmt);
			o->n = (size_t)(p - o->buf);
			if (o->n > OUT_SIZE - LINE_MAX_BYTES)
				flush_out(o);
		}
	}
	flush_out(o);
	pa_ahead_close(ev);
	return rc < 0 ? rc : 0;
}

int cmd_export_check(const struct pa_command *cmd, const struct pa_cli *cli, void *ctx)
{
	if (cli->json)
		return pa_cli_usage_error(cmd, "export writes --csv or --jsonl, not --json");
	if (!((const struct export_opts *)ctx)->format)
		return pa_cli_usage_error(cmd, "choose the output format: --csv or --jsonl");
	return 0;
}

int cmd_export(int argc, char **argv)
{
	static struct out o;
	struct export_opts eo = { 0, NULL };
	struct pa_outfile of;
	struct pa_cli cli;
	struct pa_store *st;
	int rc = pa_cli_start(argc, argv, &eo, &cli, &st);
	int err;

	if (rc)
		return rc < 0 ? PA_EXIT_OK : rc;
	o.n = 0;
	o.failed = 0;
	o.fd = STDOUT_FILENO;
	if (eo.output) {
		if (pa_outfile_open(&of, eo.output)) {
			pa_store_close(st);
			return PA_EXIT_FAIL;
		}
		o.fd = fileno(of.f);
	}
	err = export(st, &cli.filter, eo.format == OPT_CSV, &o);
	if (err) {
		rc = pa_run_error(st, cli.db, err);
		if (eo.output)
			pa_outfile_abort(&of);
	} else if (eo.output) {
		if (o.failed)
			pa_outfile_write_failed(&of, o.failed);
		rc = pa_outfile_commit(&of);
	} else if (o.failed) {
		rc = pa_cli_error("cannot write standard output: %s", strerror(o.failed));
	}
	pa_store_close(st);
	return rc;
}

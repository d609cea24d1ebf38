// SPDX-License-Identifier: MIT
/*
 * pat.so - a SQLite loadable extension: the events of a run database as the virtual
 * table pa_events, with the columns of `paanalyze export` (PA_EVENT_FIELDS of
 * pat/event.h) and a hidden time_ns (the trace clock, exact):
 *
 *   sqlite3 run.db -cmd '.load build/pat' 'SELECT page, count(*) FROM pa_events ...'
 *
 * pa_events is eponymous: it reads the main database of the connection, and
 * `CREATE VIRTUAL TABLE temp.x USING pa_events('other.db')` reads another file. The chunks are read through the store (pat/store.h) on a read-only
 * connection of its own, so that every check of every reader holds here too: the file
 * must be a pat database of a known format version, and every chunk's checksums and
 * row are verified as it is read (a damaged chunk is an error, never rows).
 *
 * Constraints on time_us, time_ns, pid and tid are pushed down (xBestIndex): time
 * bounds choose the chunks by their rows' time ranges, tid and pid by the span of the
 * thread or process in the tasks table (pid only where meta tgid_changes says that
 * tasks gives every thread its process); within a chunk, rows outside are skipped.
 * SQLite still checks every constraint itself (omit stays 0); the bounds are the
 * first and last times the comparison holds for (a REAL time_us against the very
 * double this table yields), and values of other types prune nothing. Only the
 * columns the query uses are decoded. pa_chunks_read() says how many chunks the
 * connection has read, to see the pruning at work. Rows come in rowid order, so
 * ORDER BY rowid needs no sort (orderByConsumed); ORDER BY time is sorted by SQLite,
 * since the stored order is the input's (docs/design.md §6).
 *
 * Integers: ip, addr and aux are unsigned 64-bit; SQLite's integers are signed, so a
 * value at or above 2^63 reads as its two's complement, as SQLite's own hex literals
 * do (0xffffffffffffffff is -1): `WHERE ip = 0xffffffff81000000` matches, and
 * printf('%x', ip) prints what export prints.
 */
#include <math.h>
#include <sqlite3ext.h>
#include <stdlib.h>
#include <string.h>

#include "pat/chunk.h"
#include "pat/error.h"
#include "pat/format.h"
#include "pat/store.h"

/* The API of the SQLite that loads the extension: SQLite's own mechanism, a global. */
SQLITE_EXTENSION_INIT1

/* Events decoded at a time: small enough to stay in the cache (analyze/events.c). */
#define PIECE 4096

/* Rowids: the chunk id times this, plus the index in the chunk. */
#define ROWID_SHIFT 20
_Static_assert((1u << ROWID_SHIFT) >= PA_CHUNK_MAX_EVENTS, "rowids must not collide");

/* The columns: PA_EVENT_FIELDS, then the hidden time_ns. */
enum col {
#define COL_ID(key, kind, column) COL_##key,
	PA_EVENT_FIELDS(COL_ID)
#undef COL_ID
	COL_time_ns,
	COL_COUNT
};
_Static_assert(COL_COUNT < 31, "idxNum holds a bit per column");

#define SQL_TYPE_TIME "REAL"
#define SQL_TYPE_U64 "INTEGER"
#define SQL_TYPE_HEX "INTEGER"
#define SQL_TYPE_PAGE "INTEGER"
#define SQL_TYPE_RW "TEXT"
#define SQL_TYPE_FAULT "TEXT"

static const char schema_sql[] = "CREATE TABLE x("
#define COL_DECL(key, kind, column) #key " " SQL_TYPE_##kind ", "
	PA_EVENT_FIELDS(COL_DECL)
#undef COL_DECL
	"time_ns INTEGER HIDDEN)";

/* The PA_COL_* bit of each batch column, and the bit each field is decoded from. */
enum {
#define COL_BIT(name, type, codec) BIT_##name = codec,
	PA_BATCH_COLUMNS(COL_BIT)
#undef COL_BIT
};

static const unsigned int field_cols[COL_COUNT] = {
#define FIELD_BIT(key, kind, column) [COL_##key] = BIT_##column,
	PA_EVENT_FIELDS(FIELD_BIT)
#undef FIELD_BIT
	[COL_time_ns] = BIT_time_ns,
};

/* What the connection's pa_events tables share: the module's client data. */
struct sqlext {
	sqlite3_int64 chunks_read;
};

struct ev_vtab {
	sqlite3_vtab base;
	struct sqlext *ext;
	struct pa_store *st;
};

struct ev_cursor {
	sqlite3_vtab_cursor base;
	struct pa_store *st;
	struct sqlext *ext;
	struct pa_chunk_iter *it;
	struct pa_codec *codec;
	struct pa_batch b;
	int64_t chunk;		/* id of the chunk open on codec, 0 when none */
	size_t first;		/* index in the chunk of b's first event */
	size_t i;		/* the current event in b */
	int eof;
	unsigned int cols;	/* PA_COL_* to decode */
	uint64_t t0;		/* the run start */
	unsigned int shift;	/* log2 of the page size */
	/* what the constraints let through, inclusive; rows outside are skipped */
	uint64_t lo, hi;
	int has_pid, has_tid;
	uint32_t pid, tid;
};

/* Sets @vt's message to @msg (a store's message). Returns the SQLite code for @err. */
static int vtab_fail(sqlite3_vtab *vt, int err, const char *msg)
{
	sqlite3_free(vt->zErrMsg);
	vt->zErrMsg = sqlite3_mprintf("%s", msg);
	if (err == -PA_ENOMEM)
		return SQLITE_NOMEM;
	return err == -PA_ECORRUPT ? SQLITE_CORRUPT : SQLITE_ERROR;
}

/*
 * The file @arg of CREATE VIRTUAL TABLE ... USING pa_events('FILE') without its quotes,
 * or of database @schema when there is none, in memory from sqlite3_malloc (*@err set
 * and NULL when there is no file).
 */
static char *db_file(sqlite3 *db, const char *schema, const char *arg, char **err)
{
	const char *path;
	size_t n;

	if (!arg) {
		path = sqlite3_db_filename(db, schema);
		if (!path || !path[0]) {
			*err = sqlite3_mprintf("pa_events: database '%s' is not a file: pa_events "
					       "reads a pat run database (or name one: CREATE "
					       "VIRTUAL TABLE t USING pa_events('run.db'))", schema);
			return NULL;
		}
		return sqlite3_mprintf("%s", path);
	}
	n = strlen(arg);
	if (n >= 2 && (arg[0] == '\'' || arg[0] == '"') && arg[n - 1] == arg[0])
		return sqlite3_mprintf("%.*s", (int)(n - 2), arg + 1);
	return sqlite3_mprintf("%s", arg);
}

static int ev_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
		      sqlite3_vtab **out, char **err)
{
	struct ev_vtab *vt;
	char *path;
	int rc;

	if (argc > 4) {
		*err = sqlite3_mprintf("pa_events takes one argument at most: the run database");
		return SQLITE_ERROR;
	}
	path = db_file(db, argv[1], argc > 3 ? argv[3] : NULL, err);
	if (!path)
		return *err ? SQLITE_ERROR : SQLITE_NOMEM;
	rc = sqlite3_declare_vtab(db, schema_sql);
	if (rc != SQLITE_OK)
		goto out_path;
	vt = sqlite3_malloc(sizeof(*vt));
	rc = SQLITE_NOMEM;
	if (!vt)
		goto out_path;
	memset(vt, 0, sizeof(*vt));
	vt->ext = aux;
	rc = pa_store_open(path, &vt->st);
	if (rc) {
		*err = sqlite3_mprintf("%s", pa_store_errmsg(vt->st));
		rc = rc == -PA_ENOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
		goto out_vtab;
	}
	sqlite3_free(path);
	*out = &vt->base;
	return SQLITE_OK;

out_vtab:
	pa_store_close(vt->st);
	sqlite3_free(vt);
out_path:
	sqlite3_free(path);
	return rc;
}

static int ev_disconnect(sqlite3_vtab *base)
{
	struct ev_vtab *vt = (struct ev_vtab *)base;

	pa_store_close(vt->st);
	sqlite3_free(vt);
	return SQLITE_OK;
}

/* The operators pushed down, as idxStr writes them. */
static const char *op_name(unsigned char op)
{
	switch (op) {
	case SQLITE_INDEX_CONSTRAINT_EQ: return "=";
	case SQLITE_INDEX_CONSTRAINT_GT: return ">";
	case SQLITE_INDEX_CONSTRAINT_GE: return ">=";
	case SQLITE_INDEX_CONSTRAINT_LT: return "<";
	case SQLITE_INDEX_CONSTRAINT_LE: return "<=";
	default: return NULL;
	}
}

static const char *const col_names[COL_COUNT] = {
#define COL_NAME(key, kind, column) [COL_##key] = #key,
	PA_EVENT_FIELDS(COL_NAME)
#undef COL_NAME
	[COL_time_ns] = "time_ns",
};

/*
 * The plan: every usable constraint on time_us, time_ns (any comparison), pid and tid
 * (equality) is handed to xFilter, in idxStr as "column op" items separated by commas
 * in argv order (EXPLAIN QUERY PLAN shows it); idxNum holds the columns used.
 */
static int ev_best_index(sqlite3_vtab *base, sqlite3_index_info *info)
{
	char *plan = sqlite3_mprintf("%s", "");
	int n = 0, has_time = 0, has_thread = 0;

	(void)base;
	for (int i = 0; i < info->nConstraint && plan; i++) {
		const struct sqlite3_index_constraint *c = &info->aConstraint[i];
		const char *op = op_name(c->op);
		int col = c->iColumn;

		if (!c->usable || !op || col < 0)
			continue;
		if (col == COL_pid || col == COL_tid) {
			if (c->op != SQLITE_INDEX_CONSTRAINT_EQ)
				continue;
			has_thread = 1;
		} else if (col == COL_time_us || col == COL_time_ns) {
			has_time = 1;
		} else {
			continue;
		}
		info->aConstraintUsage[i].argvIndex = ++n;
		plan = sqlite3_mprintf("%z%s%s%s", plan, n > 1 ? "," : "", col_names[col], op);
	}
	if (!plan)
		return SQLITE_NOMEM;
	info->idxStr = plan;
	info->needToFreeIdxStr = 1;
	info->idxNum = (int)(info->colUsed & ((1u << COL_COUNT) - 1));
	/*
	 * Rows come in rowid order (chunks by id, events in place), so ORDER BY rowid
	 * costs no sort. Not so time: the stored order is the input's, which an imported
	 * trace may not keep sorted (pacollect does not reorder it).
	 */
	if (info->nOrderBy == 1 && info->aOrderBy[0].iColumn < 0 && !info->aOrderBy[0].desc)
		info->orderByConsumed = 1;
	/* Relative costs only: a time range or a thread reads a part of the chunks. */
	info->estimatedCost = 1e6 / (1 + 9 * has_time) / (1 + 4 * has_thread);
	info->estimatedRows = (sqlite3_int64)info->estimatedCost;
	return SQLITE_OK;
}

static int ev_open(sqlite3_vtab *base, sqlite3_vtab_cursor **out)
{
	struct ev_vtab *vt = (struct ev_vtab *)base;
	struct ev_cursor *cur = sqlite3_malloc(sizeof(*cur));

	if (!cur)
		return SQLITE_NOMEM;
	memset(cur, 0, sizeof(*cur));
	cur->st = vt->st;
	cur->ext = vt->ext;
	cur->eof = 1;
	cur->codec = pa_codec_new(0);
	if (!cur->codec || pa_batch_init(&cur->b, PIECE)) {
		pa_codec_free(cur->codec);
		pa_batch_free(&cur->b);
		sqlite3_free(cur);
		return SQLITE_NOMEM;
	}
	*out = &cur->base;
	return SQLITE_OK;
}

static int ev_close(sqlite3_vtab_cursor *base)
{
	struct ev_cursor *cur = (struct ev_cursor *)base;

	pa_store_chunks_end(cur->it);
	pa_codec_free(cur->codec);
	pa_batch_free(&cur->b);
	sqlite3_free(cur);
	return SQLITE_OK;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* The time_us of an event @n ns from the run start, as result_TIME makes it. */
static double time_us_of(int64_t n)
{
	return (double)n / 1000.0;
}

/*
 * The first n (ns from the run start) whose time_us is > @x (@strict) or >= @x, found
 * by stepping from an estimate (time_us grows with n), so that a bound is exactly the
 * comparison SQLite makes: INT64_MIN when every n is, INT64_MAX when none is. *@exact
 * is 0 when it could not be told (beyond 2^52 ns, about 52 days from the start).
 */
static int64_t first_us(double x, int strict, int *exact)
{
	double est = floor(x * 1000.0);
	int64_t n;
	int k;

	*exact = 1;
	if (est < -0x1p52)
		return INT64_MIN;
	if (est > 0x1p52) {
		*exact = 0;
		return INT64_MAX;
	}
	n = (int64_t)est - 1;
	for (k = 0; k < 64 && !(strict ? time_us_of(n) > x : time_us_of(n) >= x); k++)
		n++;
	for (; k < 64 && (strict ? time_us_of(n - 1) > x : time_us_of(n - 1) >= x); k++)
		n--;
	*exact = k < 64;
	return n;
}

/* @t0 + @rel as a time of the trace clock, 0 below it and UINT64_MAX above it. */
static uint64_t abs_time(uint64_t t0, int64_t rel)
{
	if (rel < 0)
		return (uint64_t)-(rel + 1) >= t0 ? 0 : t0 - (uint64_t)-(rel + 1) - 1;
	return (uint64_t)rel > UINT64_MAX - t0 ? UINT64_MAX : t0 + (uint64_t)rel;
}

/* The bounds of "time_ns @op @x" for a REAL @x, in *@lo and *@hi (inclusive). */
static void time_ns_real(unsigned char op, double x, uint64_t *lo, uint64_t *hi, int *empty)
{
	double l = op == SQLITE_INDEX_CONSTRAINT_GT ? floor(x) + 1 : ceil(x);
	double h = op == SQLITE_INDEX_CONSTRAINT_LT ? ceil(x) - 1 : floor(x);

	if (op != SQLITE_INDEX_CONSTRAINT_LT && op != SQLITE_INDEX_CONSTRAINT_LE)
		*lo = l <= 0 ? 0 : l >= 0x1p64 ? UINT64_MAX : (uint64_t)l;
	if (op != SQLITE_INDEX_CONSTRAINT_GT && op != SQLITE_INDEX_CONSTRAINT_GE) {
		*hi = h >= 0x1p64 ? UINT64_MAX : h < 0 ? 0 : (uint64_t)h;
		*empty |= h < 0;	/* times are never negative */
	}
}

/*
 * Narrows [cur->lo, cur->hi] to the events that can satisfy "column @op @v" on time_us
 * or time_ns, exactly: the first and last time the comparison holds for. Values that
 * are neither INTEGER nor REAL narrow nothing (SQLite compares them itself).
 */
static void bound_time(struct ev_cursor *cur, int col, unsigned char op, sqlite3_value *v)
{
	int type = sqlite3_value_type(v), lower, upper, empty = 0;
	uint64_t lo = 0, hi = UINT64_MAX;

	lower = op == SQLITE_INDEX_CONSTRAINT_GT || op == SQLITE_INDEX_CONSTRAINT_GE ||
		op == SQLITE_INDEX_CONSTRAINT_EQ;
	upper = op == SQLITE_INDEX_CONSTRAINT_LT || op == SQLITE_INDEX_CONSTRAINT_LE ||
		op == SQLITE_INDEX_CONSTRAINT_EQ;
	if (col == COL_time_ns && type == SQLITE_INTEGER) {
		sqlite3_int64 x = sqlite3_value_int64(v);

		if (lower)
			lo = x < 0 ? 0 : (uint64_t)x + (op == SQLITE_INDEX_CONSTRAINT_GT);
		if (upper) {
			empty = x < 0 || (x == 0 && op == SQLITE_INDEX_CONSTRAINT_LT);
			hi = empty ? 0 : (uint64_t)x - (op == SQLITE_INDEX_CONSTRAINT_LT);
		}
	} else if (col == COL_time_ns && type == SQLITE_FLOAT) {
		time_ns_real(op, sqlite3_value_double(v), &lo, &hi, &empty);
	} else if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
		double x = sqlite3_value_double(v);
		int exact;
		int64_t n;

		if (lower) {
			n = first_us(x, op == SQLITE_INDEX_CONSTRAINT_GT, &exact);
			if (exact)
				lo = n == INT64_MIN ? 0 : abs_time(cur->t0, n);
			empty |= exact && n == INT64_MAX;
		}
		if (upper) {
			n = first_us(x, op != SQLITE_INDEX_CONSTRAINT_LT, &exact);
			if (exact && (n == INT64_MIN || n - 1 < -(int64_t)cur->t0))
				empty = 1;	/* before the clock's start */
			else if (exact && n != INT64_MAX)
				hi = abs_time(cur->t0, n - 1);
		}
	}
	cur->eof |= empty;
	cur->lo = max_u64(cur->lo, lo);
	cur->hi = min_u64(cur->hi, hi);
}

/* Narrows the thread or process to "= @v" when @v is an integer that can be one. */
static void bound_thread(struct ev_cursor *cur, int col, sqlite3_value *v)
{
	int type = sqlite3_value_type(v);
	double d = sqlite3_value_double(v);
	uint32_t id;

	if (type != SQLITE_INTEGER && !(type == SQLITE_FLOAT && d == floor(d)))
		return;
	if (d < 0 || d > UINT32_MAX) {
		cur->eof = 1;	/* no thread or process has that id */
		return;
	}
	id = (uint32_t)d;
	if ((col == COL_pid && cur->has_pid && cur->pid != id) ||
	    (col == COL_tid && cur->has_tid && cur->tid != id))
		cur->eof = 1;	/* pid = 1 AND pid = 2 */
	if (col == COL_pid) {
		cur->has_pid = 1;
		cur->pid = id;
	} else {
		cur->has_tid = 1;
		cur->tid = id;
	}
}

/* Parses idxStr item @s ("column op") into *@col and *@op; the end of the item. */
static const char *plan_item(const char *s, int *col, unsigned char *op)
{
	static const unsigned char ops[] = {
		SQLITE_INDEX_CONSTRAINT_GE, SQLITE_INDEX_CONSTRAINT_LE, SQLITE_INDEX_CONSTRAINT_EQ,
		SQLITE_INDEX_CONSTRAINT_GT, SQLITE_INDEX_CONSTRAINT_LT,
	};

	*col = -1;
	for (int c = 0; c < COL_COUNT; c++) {
		size_t n = strlen(col_names[c]);

		if (strncmp(s, col_names[c], n) == 0 && strchr("=<>", s[n])) {
			*col = c;
			s += n;
			break;
		}
	}
	for (size_t k = 0; *col >= 0 && k < sizeof(ops); k++) {
		const char *name = op_name(ops[k]);
		size_t n = strlen(name);

		if (strncmp(s, name, n) == 0) {
			*op = ops[k];
			return s + n;
		}
	}
	return NULL;
}

/* Reads the next piece of events into cur->b: 1, 0 at the end, or an SQLite error. */
static int next_piece(struct ev_cursor *cur)
{
	for (;;) {
		int64_t n;

		if (cur->chunk) {
			n = pa_chunk_read(cur->codec, &cur->b, PIECE);
			if (n > 0) {
				cur->first += cur->i;
				cur->i = 0;
				return 1;
			}
			if (n < 0) {
				n = pa_store_chunk_failed(cur->st, cur->codec, cur->chunk, (int)n);
				return vtab_fail(cur->base.pVtab, (int)n, pa_store_errmsg(cur->st));
			}
			cur->chunk = 0;
		}
		n = pa_store_chunks_open(cur->it, cur->codec, &cur->chunk, NULL);
		if (n < 0) {
			cur->chunk = 0;
			return vtab_fail(cur->base.pVtab, (int)n, pa_store_errmsg(cur->st));
		}
		if (n == 0) {
			cur->chunk = 0;
			return 0;
		}
		cur->ext->chunks_read++;
		cur->first = 0;
		cur->i = 0;
		cur->b.n = 0;
	}
}

/* Does event @i of cur->b pass the pushed-down constraints? */
static int passes(const struct ev_cursor *cur, size_t i)
{
	const struct pa_batch *b = &cur->b;

	return b->time_ns[i] >= cur->lo && b->time_ns[i] <= cur->hi &&
	       (!cur->has_pid || b->tgid[i] == cur->pid) &&
	       (!cur->has_tid || b->tid[i] == cur->tid);
}

/* Moves to the first event from cur->i on that passes, reading pieces as needed. */
static int seek(struct ev_cursor *cur)
{
	for (;;) {
		for (; cur->i < cur->b.n; cur->i++)
			if (passes(cur, cur->i))
				return SQLITE_OK;
		int rc = next_piece(cur);

		if (rc != 1) {
			cur->eof = 1;
			return rc;
		}
	}
}

static int ev_next(sqlite3_vtab_cursor *base)
{
	struct ev_cursor *cur = (struct ev_cursor *)base;

	cur->i++;
	return seek(cur);
}

/* The columns to decode for the columns used, @used (bit i: column i). */
static unsigned int decode_cols(const struct ev_cursor *cur, unsigned int used)
{
	unsigned int cols = PA_COL_TIME;	/* the time bounds are always checked */

	for (int c = 0; c < COL_COUNT; c++) {
		if (!(used & (1u << c)))
			continue;
		/* the page alone, without the offsets, unless pages are under 4096 bytes */
		if (c == COL_page && cur->shift >= 12)
			cols |= PA_COL_PAGE;
		else
			cols |= field_cols[c];
	}
	if (cur->has_pid)
		cols |= PA_COL_TGID;
	if (cur->has_tid)
		cols |= PA_COL_TID;
	return cols;
}

static int ev_filter(sqlite3_vtab_cursor *base, int idx_num, const char *idx_str, int argc,
		     sqlite3_value **argv)
{
	struct ev_cursor *cur = (struct ev_cursor *)base;
	struct pa_store *st = cur->st;
	int64_t page_size;
	int err, k = 0;

	pa_store_chunks_end(cur->it);
	cur->it = NULL;
	cur->chunk = 0;
	cur->b.n = cur->i = cur->first = 0;
	cur->eof = 0;
	cur->lo = 0;
	cur->hi = UINT64_MAX;
	cur->has_pid = cur->has_tid = 0;
	err = pa_store_run_start(st, &cur->t0);
	if (!err)
		err = pa_store_page_size(st, &page_size);
	if (err)
		return vtab_fail(base->pVtab, err, pa_store_errmsg(st));
	for (cur->shift = 0; (1ll << cur->shift) < page_size; cur->shift++)
		;
	for (const char *s = idx_str; s && *s && k < argc; k++) {
		unsigned char op;
		int col;

		s = plan_item(s, &col, &op);
		if (!s)
			break;	/* not a plan of ours: no pruning, SQLite checks it all */
		if (col == COL_pid || col == COL_tid)
			bound_thread(cur, col, argv[k]);
		else
			bound_time(cur, col, op, argv[k]);
		s += *s == ',';
	}
	for (int pass = 0; pass < 2 && !cur->eof; pass++) {
		uint64_t first = 0, last = UINT64_MAX;

		if (pass == 0 && cur->has_tid)
			err = pa_store_task_span(st, cur->tid, &first, &last);
		else if (pass == 1 && cur->has_pid)
			err = pa_store_process_span(st, cur->pid, &first, &last);
		else
			continue;
		if (err < 0)
			return vtab_fail(base->pVtab, err, pa_store_errmsg(st));
		if (err == 0)
			cur->eof = 1;	/* no such thread or process */
		cur->lo = max_u64(cur->lo, first);
		cur->hi = min_u64(cur->hi, last);
	}
	if (cur->eof || cur->lo > cur->hi) {
		cur->eof = 1;
		return SQLITE_OK;
	}
	err = pa_store_chunks_range(st, cur->lo, cur->hi == UINT64_MAX ? UINT64_MAX :
				    cur->hi + 1, &cur->it);
	if (err)
		return vtab_fail(base->pVtab, err, pa_store_errmsg(st));
	cur->cols = decode_cols(cur, (unsigned int)idx_num);
	pa_store_chunks_columns(cur->it, cur->cols);
	return seek(cur);
}

static int ev_eof(sqlite3_vtab_cursor *base)
{
	return ((struct ev_cursor *)base)->eof;
}

/* One result writer per field kind of PA_EVENT_FIELDS, as export's (analyze/). */
static void result_TIME(sqlite3_context *ctx, const struct ev_cursor *cur, uint64_t v)
{
	sqlite3_result_double(ctx, (double)(int64_t)(v - cur->t0) / 1000.0);
}

static void result_U64(sqlite3_context *ctx, const struct ev_cursor *cur, uint64_t v)
{
	(void)cur;
	sqlite3_result_int64(ctx, (sqlite3_int64)v);
}

#define result_HEX result_U64

static void result_PAGE(sqlite3_context *ctx, const struct ev_cursor *cur, uint64_t v)
{
	sqlite3_result_int64(ctx, (sqlite3_int64)(v >> cur->shift));
}

static void result_RW(sqlite3_context *ctx, const struct ev_cursor *cur, uint64_t v)
{
	(void)cur;
	sqlite3_result_text(ctx, (v & PA_EV_WRITE) ? "W" : "R", 1, SQLITE_STATIC);
}

static void result_FAULT(sqlite3_context *ctx, const struct ev_cursor *cur, uint64_t v)
{
	(void)cur;
	if (v & PA_EV_DEMAND)
		sqlite3_result_text(ctx, "demand", 6, SQLITE_STATIC);
	else
		sqlite3_result_text(ctx, "reset", 5, SQLITE_STATIC);
}

static int ev_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int col)
{
	const struct ev_cursor *cur = (const struct ev_cursor *)base;
	const struct pa_batch *b = &cur->b;
	size_t i = cur->i;

	switch (col) {
#define COL_RESULT(key, kind, column)				\
	case COL_##key:						\
		result_##kind(ctx, cur, b->column[i]);		\
		break;
	PA_EVENT_FIELDS(COL_RESULT)
#undef COL_RESULT
	case COL_time_ns:
		result_U64(ctx, cur, b->time_ns[i]);
		break;
	default:
		break;
	}
	return SQLITE_OK;
}

static int ev_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *rowid)
{
	const struct ev_cursor *cur = (const struct ev_cursor *)base;

	*rowid = ((sqlite3_int64)cur->chunk << ROWID_SHIFT) + (sqlite3_int64)(cur->first + cur->i);
	return SQLITE_OK;
}

static const sqlite3_module ev_module = {
	.iVersion = 0,
	.xCreate = ev_connect,
	.xConnect = ev_connect,
	.xBestIndex = ev_best_index,
	.xDisconnect = ev_disconnect,
	.xDestroy = ev_disconnect,
	.xOpen = ev_open,
	.xClose = ev_close,
	.xFilter = ev_filter,
	.xNext = ev_next,
	.xEof = ev_eof,
	.xColumn = ev_column,
	.xRowid = ev_rowid,
};

/* pa_chunks_read(): the chunks the connection's pa_events tables have read so far. */
static void chunks_read_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct sqlext *ext = sqlite3_user_data(ctx);

	(void)argc;
	(void)argv;
	sqlite3_result_int64(ctx, ext->chunks_read);
}

/*
 * sqlite3_pat_init - the entry point SQLite finds for pat.so: registers pa_events and
 * pa_chunks_read() on @db. Returns SQLITE_OK or an error with *@err set.
 */
__attribute__((visibility("default"))) int sqlite3_pat_init(sqlite3 *db, char **err,
							    const sqlite3_api_routines *api);
int sqlite3_pat_init(sqlite3 *db, char **err, const sqlite3_api_routines *api)
{
	struct sqlext *ext;
	int rc;

	SQLITE_EXTENSION_INIT2(api);
	ext = sqlite3_malloc(sizeof(*ext));
	if (!ext)
		return SQLITE_NOMEM;
	memset(ext, 0, sizeof(*ext));
	rc = sqlite3_create_function(db, "pa_chunks_read", 0, SQLITE_UTF8, ext, chunks_read_fn,
				     NULL, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_free(ext);
		*err = sqlite3_mprintf("pat: cannot register pa_chunks_read: %s",
				       sqlite3_errmsg(db));
		return rc;
	}
	/* The module frees ext with the connection, after the function is gone too. */
	rc = sqlite3_create_module_v2(db, "pa_events", &ev_module, ext, sqlite3_free);
	if (rc != SQLITE_OK)
		*err = sqlite3_mprintf("pat: cannot register pa_events: %s", sqlite3_errmsg(db));
	return rc;
}

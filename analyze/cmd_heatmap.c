// SPDX-License-Identifier: MIT
/*
 * paanalyze heatmap - per instruction pointer: how many accesses, reads and writes, and
 * how they spread over time (or over the address space), symbolized.
 *
 * One pass over the events (two with --by page: the first finds the page range). A row
 * per (process, ip) holds its totals and B bin counters; rows are found through a
 * (tgid, ip) hash map, so memory is distinct ips x bins, never events.
 */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "addrheat.h"
#include "figure.h"
#include "report.h"
#include "jsonout.h"
#include "pat/hashmap.h"
#include "pat/chunk.h"
#include "pat/error.h"
#include "pat/event.h"
#include "pat/grow.h"
#include "rundb.h"
#include "symbols.h"

const char cmd_heatmap_usage[] =
	"usage: paanalyze heatmap [OPTIONS] [DB]\n"
	"\n"
	"Per instruction pointer of the run in DB (default run.db): the events it caused\n"
	"(total, reads, writes) and their counts in B bins, over time or over pages.\n"
	"A row is a (process, ip) pair: the same ip value in two processes is two rows,\n"
	"each symbolized with its own process's mappings. Rows are sorted by total,\n"
	"largest first, then by ip and pid ascending; the first K are shown. A run traced\n"
	"with kernel sampling (pacollect --sample 1/N) has its counts scaled by N\n"
	"(estimates; the table says so, the JSON has \"sample_shift\": k for N = 2^k).\n"
	"\n"
	"  --bins N      number of bins B, 1 to 100000 (default 100)\n"
	"  --top K       show the K rows with most events (default 50; 0: all rows)\n"
	"  --by time     bins are equal slices of time (the default): the span runs from\n"
	"                --from, else the run's first event, to --to, else 1 ns past the\n"
	"                run's last event; each bin is ceil(span / B) nanoseconds wide.\n"
	"                --pid, --tid and --rw choose the events but not the span, so that\n"
	"                heatmaps of different processes of one run line up bin for bin.\n"
	"  --by page     bins are equal ranges of page numbers (address >> log2 page size):\n"
	"                from the lowest to the highest page any selected event touched\n"
	"                (with --addr: the pages of LO to HI-1), each\n"
	"                ceil((highest - lowest + 1) / B) pages wide; bin k holds pages\n"
	"                [start_page + k*width_pages, start_page + (k+1)*width_pages).\n"
	"                The range spans every selected process's addresses: use --pid to\n"
	"                look at one address space, and --addr to look at one region.\n"
	"                Without --addr the events are read twice.\n"
	"  --addr LO-HI  only events whose address is in [LO, HI) (hex, 0x optional),\n"
	"                e.g. the heap or one mapping of `paanalyze info`\n"
	PA_FIG_HELP
	"                The picture of --by time: a row per shown (process, ip), named by\n"
	"                its symbol, a column per bin, the colour the events in the cell.\n"
	"                With --by page: time across, a column per tracing interval of the\n"
	"                run (1 ms unless pacollect --interval said otherwise), at most 360;\n"
	"                the pages touched down (B rows), with the unmapped gaps between\n"
	"                them left out and the mappings named; the colour counts the events\n"
	"                of all ips. In either, above 5000 cells with events the SVG's\n"
	"                tooltips are per row, and equal neighbours one rectangle.\n"
	PA_CLI_COMMON_HELP
	"\n"
	"Symbols: an ip is looked up in the mapping that held it at the row's first event\n"
	"(the run's maps table: the latest mapping event or /proc/PID/maps snapshot\n"
	"covering it at or before that time, unless an unmap of it or a later snapshot\n"
	"without it came in between; else the first snapshot after that time, if no\n"
	"mapping event touched the ip in between), then in that ELF file, through the\n"
	"mapping's file offset and the file's executable segments (elfutils libdwfl;\n"
	"separate debuginfo is found by build-id). symbol is \"name+0xoffset\" and source\n"
	"\"file:line\" when known, else null: never a guess. The files are read where\n"
	"they are now (their build-ids are not recorded), so analyse on the traced\n"
	"machine or one with the same files.\n"
	"\n"
	"JSON: {\"by\": \"time\"|\"page\", \"events\": N, \"rows\": total rows before --top,\n"
	"\"bins\": {\"count\": B, \"start_us\": S, \"width_us\": W} with --by time (times in\n"
	"microseconds from the run start, fractions for nanoseconds), or {\"count\": B,\n"
	"\"start_page\": P, \"width_pages\": Wp, \"page_size\": bytes} with --by page,\n"
	"\"ips\": [{\"pid\", \"ip\": \"0x...\", \"symbol\", \"source\", \"total\", \"reads\",\n"
	"\"writes\", \"counts\": [B numbers]}, ...]}. Schema: schema/json/heatmap.schema.json.\n"
	"The table shows each row's bins as a line of \" .:-=+*#%@\", scaled to the row's\n"
	"largest bin (space: no events).\n";

#define MAX_BINS 100000u
#define HEAT_CACHE 1024u	/* a power of two */

enum {
	OPT_BINS = PA_OPT_FIRST_EXTRA + 50,
	OPT_TOP,
	OPT_BY,
	OPT_ADDR,
};

struct opts {
	unsigned int bins;
	uint64_t top;
	int by_page;
	uint64_t addr_lo, addr_hi;	/* --addr: [lo, hi) */
	int has_addr;
	struct pa_fig_out fig;
};

struct row {
	uint64_t ip;
	uint64_t first_ns;	/* time of the row's first event, for symbolization */
	uint64_t total;
	uint64_t writes;
	uint32_t tgid;
};

struct heat {
	unsigned int nbins;
	struct row *rows;
	uint64_t *counts;	/* nbins per row */
	size_t n, cap, counts_cap;
	struct pa_hashmap ids;	/* (tgid, ip) -> row, rows numbered in order of first sight */
	uint64_t events;
	unsigned int kshift;	/* the kernel traced 1 page in 2^kshift: counts scaled */
	uint64_t addr_lo, addr_hi;	/* events outside [addr_lo, addr_hi) are skipped */
	int addr_filter;		/* --addr given: else addresses are not read at all */
	/* a direct-mapped cache in front of the maps: a handful of hot ips hit it */
	struct {
		uint64_t ip;
		uint32_t tgid;
		uint32_t row;	/* UINT32_MAX: empty */
	} cache[HEAT_CACHE];
	/* the axis: bin of key k is (k - start) / width */
	uint64_t start, width;
};

/* "LO-HI" in hex (0x optional) with LO < HI. Returns 0 or -1. */
static int parse_range(const char *s, uint64_t *lo, uint64_t *hi)
{
	char *end;

	for (int i = 0; i < 2; i++) {
		uint64_t *v = i ? hi : lo;

		if (!isxdigit((unsigned char)*s))
			return -1;
		errno = 0;
		*v = strtoull(s, &end, 16);
		if (errno || end == s || *end != (i ? '\0' : '-'))
			return -1;
		s = end + 1;
	}
	return *lo < *hi ? 0 : -1;
}

const struct option cmd_heatmap_options[] = {
	{ "bins", required_argument, NULL, OPT_BINS },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "by", required_argument, NULL, OPT_BY },
	{ "addr", required_argument, NULL, OPT_ADDR },
	PA_FIG_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

int cmd_heatmap_option(int id, const char *arg, void *ctx)
{
	const struct pa_command *cmd = pa_find_command("heatmap");
	struct opts *o = ctx;
	unsigned long long v;
	char *end;

	if (pa_fig_option(&o->fig, id, arg))
		return 0;
	switch (id) {
	case OPT_BINS:
	case OPT_TOP:
		errno = 0;
		v = strtoull(arg, &end, 10);
		if (!*arg || *arg == '-' || *arg == '+' || *end || errno ||
		    (id == OPT_BINS && (v < 1 || v > MAX_BINS)))
			return pa_cli_usage_error(cmd, id == OPT_BINS ?
						  "--bins needs a number from 1 to 100000, not '%s'" :
						  "--top needs a number (0: all rows), not '%s'", arg);
		if (id == OPT_BINS)
			o->bins = (unsigned int)v;
		else
			o->top = v;
		return 0;
	case OPT_BY:
		if (strcmp(arg, "time") != 0 && strcmp(arg, "page") != 0)
			return pa_cli_usage_error(cmd, "--by takes time or page, not '%s'", arg);
		o->by_page = arg[0] == 'p';
		return 0;
	case OPT_ADDR:
		if (parse_range(arg, &o->addr_lo, &o->addr_hi))
			return pa_cli_usage_error(cmd, "--addr needs LO-HI, hex addresses with "
						  "LO < HI, not '%s'", arg);
		o->has_addr = 1;
		return 0;
	}
	return PA_EXIT_USAGE;
}

static int heat_init(struct heat *h, unsigned int nbins)
{
	memset(h, 0, sizeof(*h));
	h->nbins = nbins;
	for (size_t i = 0; i < HEAT_CACHE; i++)
		h->cache[i].row = UINT32_MAX;
	return pa_hashmap_init(&h->ids, 64) ? -PA_ENOMEM : 0;
}

static void heat_free(struct heat *h)
{
	pa_hashmap_free(&h->ids);
	free(h->rows);
	free(h->counts);
}

/* The row of (@tgid, @ip), created with zero counts when new. -1 when out of memory. */
static int64_t row_of(struct heat *h, uint32_t tgid, uint64_t ip, uint64_t t)
{
	uint32_t id;
	int added = pa_hashmap_get(&h->ids, tgid, ip, &id);

	if (added <= 0)
		return added < 0 ? -1 : (int64_t)id;
	if (pa_reserve((void **)&h->rows, &h->cap, h->n + 1, sizeof(*h->rows), 64) ||
	    pa_reserve((void **)&h->counts, &h->counts_cap, (h->n + 1) * h->nbins,
		       sizeof(*h->counts), 64 * (size_t)h->nbins))
		return -1;
	h->rows[h->n] = (struct row){ .ip = ip, .first_ns = t, .tgid = tgid };
	memset(&h->counts[h->n * h->nbins], 0, h->nbins * sizeof(*h->counts));
	return (int64_t)h->n++;
}

/* Counts the events of @b; @key_page: bin by page (addr >> @shift), else by time. */
static int count_batch(struct heat *h, const struct pa_batch *b, int key_page,
		       unsigned int shift)
{
	/* bins are found by division, except while the key stays in the bin [lo, hi) */
	uint64_t lo = 1, hi = 0, bin = 0, taken = 0;
	const uint64_t last = h->nbins - 1;

	for (size_t i = 0; i < b->n; i++) {
		uint64_t k = key_page ? b->addr[i] >> shift : b->time_ns[i];
		uint64_t ip = b->ip[i];
		size_t slot = (size_t)(((ip ^ b->tgid[i]) * 0x9e3779b97f4a7c15ull) >> 54) &
			(HEAT_CACHE - 1);
		uint64_t *c;
		int64_t r;

		if (h->addr_filter && (b->addr[i] < h->addr_lo || b->addr[i] >= h->addr_hi))
			continue;

		if (h->cache[slot].row != UINT32_MAX && h->cache[slot].ip == ip &&
		    h->cache[slot].tgid == b->tgid[i]) {
			r = h->cache[slot].row;
		} else {
			r = row_of(h, b->tgid[i], ip, b->time_ns[i]);
			if (r < 0)
				return -PA_ENOMEM;
			h->cache[slot].ip = ip;
			h->cache[slot].tgid = b->tgid[i];
			h->cache[slot].row = (uint32_t)r;
		}
		if (k < lo || k >= hi) {
			/* the axis covers every selected event; clamp rather than trust it */
			bin = k >= h->start ? (k - h->start) / h->width : 0;
			bin = bin > last ? last : bin;
			lo = bin ? h->start + bin * h->width : 0;
			hi = h->start + (bin + 1) * h->width;
			if (bin == last || hi < lo)
				hi = UINT64_MAX;
		}
		h->rows[r].total++;
		h->rows[r].writes += b->flags[i] & PA_EV_WRITE;
		c = &h->counts[(size_t)r * h->nbins];
		c[bin]++;
		taken++;
	}
	h->events += taken;
	return 0;
}

/* The time span [*start, *end) of the bins: --from/--to, else the chunks' time range. */
static int time_span(struct pa_store *st, const struct pa_filter *f, uint64_t t0,
		     uint64_t *start, uint64_t *end)
{
	uint64_t lo = f->has_from ? t0 + f->from_ns : 0;
	uint64_t hi = f->has_to ? t0 + f->to_ns : UINT64_MAX;
	uint64_t first = 0, last = 0;
	int have = pa_store_chunk_span(st, lo, hi, &first, &last);

	if (have < 0)
		return have;
	*start = f->has_from ? lo : have ? first : t0;
	*end = f->has_to ? hi : have ? last + 1 : *start;
	if (*end <= *start)
		*end = *start + 1;
	return 0;
}

/* The time axis: each bin is ceil(span / B) wide. */
static int time_axis(struct pa_store *st, const struct pa_filter *f, uint64_t t0,
		     struct heat *h)
{
	uint64_t start, end;
	int err = time_span(st, f, t0, &start, &end);

	if (err)
		return err;
	h->start = start;
	h->width = (end - start - 1) / h->nbins + 1;	/* ceil(span / B) */
	return 0;
}

/* The page axis: the pages of --addr, else a first pass for the lowest and highest. */
static int page_axis(struct pa_store *st, const struct pa_filter *f, unsigned int shift,
		     int has_addr, struct heat *h)
{
	struct pa_events *ev;
	const struct pa_batch *b;
	uint64_t minp = UINT64_MAX, maxp = 0;
	int rc = 0, err;

	if (has_addr) {
		minp = h->addr_lo >> shift;
		maxp = (h->addr_hi - 1) >> shift;
		goto out;
	}
	err = pa_events_open(st, f, &ev);
	if (err)
		return err;
	pa_events_columns(ev, PA_COL_ADDR);
	while ((rc = pa_events_next(ev, &b)) > 0) {
		for (size_t i = 0; i < b->n; i++) {
			uint64_t p = b->addr[i] >> shift;

			if (b->addr[i] < h->addr_lo || b->addr[i] >= h->addr_hi)
				continue;
			minp = p < minp ? p : minp;
			maxp = p > maxp ? p : maxp;
		}
	}
	pa_events_close(ev);
	if (rc < 0)
		return rc;
	if (minp > maxp)
		minp = maxp = 0;
out:
	h->start = minp;
	h->width = (maxp - minp) / h->nbins + 1;	/* ceil((maxp - minp + 1) / B) */
	return 0;
}

static int count_all(struct pa_store *st, const struct pa_filter *f, int by_page,
		     unsigned int shift, struct heat *h)
{
	struct pa_events *ev;
	const struct pa_batch *b;
	int rc, err = pa_events_open(st, f, &ev);

	if (err)
		return err;
	/* addresses only for page bins or --addr: they are most of what decoding costs */
	pa_events_columns(ev, PA_COL_TIME | PA_COL_TGID | PA_COL_IP | PA_COL_FLAGS |
			  (by_page || h->addr_filter ? PA_COL_ADDR : 0));
	while ((rc = pa_events_next(ev, &b)) > 0) {
		rc = count_batch(h, b, by_page, shift);
		if (rc < 0)
			break;
	}
	pa_events_close(ev);
	return rc < 0 ? rc : 0;
}

/* qsort_r order of row indices of the heat @h: most events first. */
static int by_total(const void *a, const void *b, void *h)
{
	const struct row *rows = ((const struct heat *)h)->rows;
	const struct row *x = &rows[*(const uint32_t *)a];
	const struct row *y = &rows[*(const uint32_t *)b];

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	if (x->ip != y->ip)
		return x->ip < y->ip ? -1 : 1;
	return x->tgid < y->tgid ? -1 : x->tgid > y->tgid;
}

struct shown {
	uint32_t row;
	char *sym;		/* NULL: unknown */
	char *src;
};

/* Sorts the rows and symbolizes the first @n into @out. */
static int pick(struct pa_store *st, struct heat *h, struct shown *out, size_t n)
{
	uint32_t *order = malloc((h->n ? h->n : 1) * sizeof(*order));
	struct pa_symbols *syms;
	char path[4096], sym[1024], src[4096];
	int err = 0;

	if (!order)
		return -PA_ENOMEM;
	for (size_t i = 0; i < h->n; i++)
		order[i] = (uint32_t)i;
	qsort_r(order, h->n, sizeof(*order), by_total, h);
	err = pa_symbols_new(&syms);
	if (err) {
		free(order);
		return err;
	}
	for (size_t i = 0; i < n && !err; i++) {
		const struct row *r = &h->rows[order[i]];
		struct pa_sym_map m;
		int found;

		out[i].row = order[i];
		found = pa_symbols_find_map(st, r->tgid, r->ip, r->first_ns, &m, path, sizeof(path));
		if (found > 0)
			found = pa_symbols_resolve(syms, &m, r->ip, sym, sizeof(sym), src, sizeof(src));
		if (found < 0) {
			err = found;
		} else if (found > 0) {
			out[i].sym = strdup(sym);
			out[i].src = src[0] ? strdup(src) : NULL;
			if (!out[i].sym || (src[0] && !out[i].src))
				err = -PA_ENOMEM;
		}
	}
	pa_symbols_free(syms);
	free(order);
	return err;
}

/* @ns as microseconds: an integer when whole, else a real. */
static json_t *json_us(int64_t ns)
{
	if (ns % 1000 == 0)
		return json_integer(ns / 1000);
	return json_real((double)ns / 1000.0);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int print_json(const struct heat *h, const struct opts *o, uint64_t t0,
		      unsigned int shift, const struct shown *rows, size_t n)
{
	json_t *doc, *bins, *ips;

	if (o->by_page)
		bins = json_pack("{sIsIsIsI}", "count", (json_int_t)h->nbins,
				 "start_page", (json_int_t)h->start,
				 "width_pages", (json_int_t)(h->events ? h->width : 0),
				 "page_size", (json_int_t)1 << shift);
	else
		bins = json_pack("{sIsoso}", "count", (json_int_t)h->nbins,
				 "start_us", json_us((int64_t)(h->start - t0)),
				 "width_us", json_us(h->events ? (int64_t)h->width : 0));
	ips = json_array();
	doc = json_pack("{sssIsIsoso}", "by", o->by_page ? "page" : "time",
			"events", (json_int_t)h->events, "rows", (json_int_t)h->n,
			"bins", bins, "ips", ips);
	if (doc && h->kshift &&
	    json_object_set_new(doc, "sample_shift", json_integer((json_int_t)h->kshift))) {
		json_decref(doc);
		doc = NULL;
	}
	if (!doc)
		return pa_cli_error("out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &h->rows[rows[i].row];
		const uint64_t *c = &h->counts[(size_t)rows[i].row * h->nbins];
		json_t *counts = json_array();
		char ip[32];

		snprintf(ip, sizeof(ip), "0x%llx", (unsigned long long)r->ip);
		for (unsigned int k = 0; counts && k < h->nbins; k++)
			json_array_append_new(counts, json_integer((json_int_t)c[k]));
		if (!counts || json_array_append_new(ips, json_pack("{sIsssososIsIsIso}",
				"pid", (json_int_t)r->tgid, "ip", ip,
				"symbol", str_or_null(rows[i].sym), "source", str_or_null(rows[i].src),
				"total", (json_int_t)r->total,
				"reads", (json_int_t)(r->total - r->writes),
				"writes", (json_int_t)r->writes, "counts", counts))) {
			json_decref(doc);
			return pa_cli_error("out of memory");
		}
	}
	/* 15 digits: bin times in microseconds with nanosecond fractions, no float noise */
	return pa_json_print(doc, JSON_REAL_PRECISION(15));
}

static void print_table(const char *db, const struct heat *h, const struct opts *o,
			uint64_t t0, unsigned int shift, const struct shown *rows, size_t n)
{
	static const char levels[] = " .:-=+*#%@";
	char *spark = malloc(h->nbins + 1), esc[4 * 4096 + 1];

	printf("heatmap of %s: %llu events from %zu (process, ip) rows, %zu shown\n", db,
	       (unsigned long long)h->events, h->n, n);
	if (o->by_page)
		printf("%u bins of %llu pages (%u-byte) from page 0x%llx\n", h->nbins,
		       (unsigned long long)(h->events ? h->width : 0), 1u << shift,
		       (unsigned long long)h->start);
	else
		printf("%u bins of %.3f us from %.3f us after the run start\n", h->nbins,
		       h->events ? (double)h->width / 1e3 : 0.0,
		       (double)(int64_t)(h->start - t0) / 1e3);
	if (h->kshift)
		printf("estimates: the kernel traced 1 page in 2^%u = %llu (sample_shift %u); "
		       "counts are scaled by %llu\n", h->kshift, 1ull << h->kshift, h->kshift,
		       1ull << h->kshift);
	if (!spark)
		return;
	printf("\n%8s  %-18s %12s %12s %12s  %-*s  %s\n", "PID", "IP", "TOTAL", "READS",
	       "WRITES", (int)h->nbins + 2, "BINS", "SYMBOL (SOURCE)");
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &h->rows[rows[i].row];
		const uint64_t *c = &h->counts[(size_t)rows[i].row * h->nbins];
		uint64_t max = 0;

		for (unsigned int k = 0; k < h->nbins; k++)
			max = c[k] > max ? c[k] : max;
		/* level ceil(9 * count / max): the largest bin is '@', any event shows */
		for (unsigned int k = 0; k < h->nbins; k++) {
			double lv = c[k] ? ceil(9.0 * (double)c[k] / (double)max) : 0;

			spark[k] = levels[lv > 9 ? 9 : lv < 1 && c[k] ? 1 : (int)lv];
		}
		spark[h->nbins] = '\0';
		printf("%8u  0x%-16llx %12llu %12llu %12llu  |%s|  %s", r->tgid,
		       (unsigned long long)r->ip, (unsigned long long)r->total,
		       (unsigned long long)(r->total - r->writes),
		       (unsigned long long)r->writes, spark,
		       rows[i].sym ? pa_cli_escape(rows[i].sym, esc, sizeof(esc)) : "?");
		if (rows[i].src)
			printf(" (%s)", pa_cli_escape(rows[i].src, esc, sizeof(esc)));
		putchar('\n');
	}
	free(spark);
}

/* What a picture of the rows needs to name its cells. */
struct ip_picture {
	const struct heat *h;
	const struct shown *rows;
	uint64_t t0;
};

/* The tooltip of cell (@r, @k): the row's symbol, pid and ip, the bin, its events. */
static int ip_tip(void *ctx, size_t r, size_t k, char *buf, size_t size)
{
	const struct ip_picture *ip = ctx;
	const struct heat *h = ip->h;
	const struct shown *s = &ip->rows[r];
	const struct row *row = &h->rows[s->row];
	double from = (double)(int64_t)(h->start - ip->t0 + k * h->width) / 1e6;

	snprintf(buf, size, "%s%s%s%s\npid %u, ip 0x%llx\n%.3f to %.3f ms: %llu events\n"
		 "row: %llu events (%llu reads, %llu writes)",
		 s->sym ? s->sym : "unknown symbol", s->src ? " (" : "", s->src ? s->src : "",
		 s->src ? ")" : "", row->tgid, (unsigned long long)row->ip, from,
		 from + (double)h->width / 1e6,
		 (unsigned long long)h->counts[(size_t)s->row * h->nbins + k],
		 (unsigned long long)row->total, (unsigned long long)(row->total - row->writes),
		 (unsigned long long)row->writes);
	return 0;
}

/* The tooltip of row @r: the row's symbol, pid and ip, its events. */
static int ip_row_tip(void *ctx, size_t r, char *buf, size_t size)
{
	const struct ip_picture *ip = ctx;
	const struct shown *s = &ip->rows[r];
	const struct row *row = &ip->h->rows[s->row];

	snprintf(buf, size, "%s%s%s%s\npid %u, ip 0x%llx\nrow: %llu events (%llu reads, "
		 "%llu writes)", s->sym ? s->sym : "unknown symbol", s->src ? " (" : "",
		 s->src ? s->src : "", s->src ? ")" : "", row->tgid, (unsigned long long)row->ip,
		 (unsigned long long)row->total, (unsigned long long)(row->total - row->writes),
		 (unsigned long long)row->writes);
	return 0;
}

/*
 * The picture of heatmap --by time into @p: a row per shown (process, ip), labelled by
 * its symbol (else its ip; with the pid when the rows hold several processes).
 */
static int draw_ips(const struct heat *h, uint64_t t0, const struct shown *rows, size_t n,
		    struct pa_plot *p)
{
	struct ip_picture ip = { h, rows, t0 };
	char **labels = calloc(n ? n : 1, sizeof(*labels));
	double *v = malloc((n ? n : 1) * h->nbins * sizeof(*v));
	int several = 0, err = -PA_ENOMEM;
	struct pa_plot_grid g = {
		.rows = n ? n : 1, .cols = h->nbins, .v = v, .tip = ip_tip,
		.row_tip = ip_row_tip, .ctx = &ip,
		.y_label = "instruction, most events first",
		.value_label = "events per bin",
		.x = { "time since run start", PA_UNIT_TIME_NS, 0,
		       (double)(int64_t)(h->start - t0),
		       (double)(int64_t)(h->start - t0) + (double)h->width * h->nbins },
	};

	if (!labels || !v)
		goto out;
	for (size_t i = 1; i < n; i++)
		several |= h->rows[rows[i].row].tgid != h->rows[rows[0].row].tgid;
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &h->rows[rows[i].row];
		char ipbuf[32];

		snprintf(ipbuf, sizeof(ipbuf), "0x%llx", (unsigned long long)r->ip);
		if (asprintf(&labels[i], several ? "%u: %s" : "%.0u%s", several ? r->tgid : 0,
			     rows[i].sym ? rows[i].sym : ipbuf) < 0) {
			labels[i] = NULL;
			goto out;
		}
		for (unsigned int k = 0; k < h->nbins; k++)
			v[i * h->nbins + k] = (double)h->counts[(size_t)rows[i].row * h->nbins + k];
	}
	if (!n) {
		labels[0] = strdup("(no events)");
		memset(v, 0, h->nbins * sizeof(*v));
		if (!labels[0])
			goto out;
	}
	g.row_labels = (const char *const *)labels;
	err = pa_plot_grid(p, &g);
out:
	for (size_t i = 0; labels && i < (n ? n : 1); i++)
		free(labels[i]);
	free(labels);
	free(v);
	return err;
}

/*
 * A run traced with kernel sampling holds the events of 1 page in 2^k: each stands for
 * 2^k, so every count is scaled by 2^k (an estimate; the shape of a row is kept).
 */
static void scale(struct heat *h)
{
	unsigned int k = h->kshift;

	if (!k)
		return;
	h->events <<= k;
	for (size_t i = 0; i < h->n; i++) {
		h->rows[i].total <<= k;
		h->rows[i].writes <<= k;
	}
	for (size_t i = 0; i < h->n * h->nbins; i++)
		h->counts[i] <<= k;
}

/* What a heatmap found: the counts, and the rows shown, sorted and symbolized. */
struct result {
	struct heat h;
	struct shown *shown;
	size_t n;
	uint64_t t0;
	unsigned int shift;
};

/* Counts the events of @f as @o asks into @r. Returns an exit code (reported). */
static int compute(struct pa_store *st, const char *db, const struct pa_filter *f,
		   const struct opts *o, struct result *r)
{
	struct heat *h = &r->h;
	int err;

	memset(r, 0, sizeof(*r));
	r->shift = 12;
	err = heat_init(h, o->bins);
	h->addr_lo = o->addr_lo;
	h->addr_hi = o->addr_hi;
	h->addr_filter = o->has_addr;
	if (!err)
		err = pa_run_page_shift(st, &r->shift);
	if (!err)
		err = pa_store_run_start(st, &r->t0);
	if (!err)
		err = o->by_page ? page_axis(st, f, r->shift, o->has_addr, h) :
			time_axis(st, f, r->t0, h);
	if (!err)
		err = count_all(st, f, o->by_page, r->shift, h);
	if (!err)
		err = pa_store_sample_shift(st, &h->kshift);
	if (!err)
		scale(h);
	if (!err) {
		r->n = o->top && o->top < h->n ? (size_t)o->top : h->n;
		r->shown = calloc(r->n ? r->n : 1, sizeof(*r->shown));
		err = r->shown ? pick(st, h, r->shown, r->n) : -PA_ENOMEM;
	}
	if (err == -PA_ENOLIB)
		return pa_cli_error("heatmap: cannot load libdw.so.1 (elfutils), which names the "
				    "functions");
	if (err)
		return pa_run_error(st, db, err);
	return PA_EXIT_OK;
}

static void result_free(struct result *r)
{
	for (size_t i = 0; r->shown && i < r->n; i++) {
		free(r->shown[i].sym);
		free(r->shown[i].src);
	}
	free(r->shown);
	heat_free(&r->h);
}

/*
 * The picture of heatmap @o of @r into *@out (the caller closes it). Returns an exit
 * code (reported).
 */
static int draw(struct pa_store *st, const char *db, const struct pa_filter *f,
		const struct opts *o, const struct result *r, struct pa_plot **out)
{
	const struct heat *h = &r->h;
	uint64_t t0 = r->t0;
	size_t n = r->n;
	char title[1024], sub[2048], detail[256];
	struct pa_plot *p = NULL;
	uint64_t start = 0, end = 0;
	int err = o->by_page ? time_span(st, f, t0, &start, &end) : 0;

	*out = NULL;
	if (err)
		return pa_run_error(st, db, err);
	if (o->by_page)
		snprintf(detail, sizeof(detail), "; %llu events, %zu rows of pages",
			 (unsigned long long)h->events, (size_t)o->bins);
	else
		snprintf(detail, sizeof(detail), "; %llu events, top %zu of %zu ips, bins of %.6g ms",
			 (unsigned long long)h->events, n, h->n, (double)h->width / 1e6);
	err = pa_fig_titles(st, db, f, o->by_page ?
			    "page heatmap (time x address)" : "heatmap per instruction",
			    detail, title, sizeof(title), sub, sizeof(sub));
	if (err)
		return pa_run_error(st, db, err);
	err = pa_plot_open(title, sub, &p);
	if (!err)
		err = o->by_page ? pa_addrheat_draw(st, f, o->addr_lo, o->addr_hi, r->shift,
						    t0, start, end, o->bins, p) :
			draw_ips(h, t0, r->shown, n, p);
	if (err == -PA_ENOMEM || err == -PA_EINVAL || !p)
		err = pa_fig_failed(p, err);
	else if (err)
		err = pa_run_error(st, db, err);
	if (err)
		pa_plot_close(p);
	else
		*out = p;
	return err;
}

/* The top rows of @r as an HTML table. */
static void html_rows(FILE *f, const struct result *r, size_t max)
{
	fputs("<table>\n<tr><th>pid</th><th>ip</th><th>events</th><th>reads</th>"
	      "<th>writes</th><th>symbol</th><th>source</th></tr>\n", f);
	for (size_t i = 0; i < r->n && i < max; i++) {
		const struct row *row = &r->h.rows[r->shown[i].row];

		fprintf(f, "<tr><td>%u</td><td>0x%llx</td><td>%llu</td><td>%llu</td><td>%llu</td><td>",
			row->tgid, (unsigned long long)row->ip, (unsigned long long)row->total,
			(unsigned long long)(row->total - row->writes),
			(unsigned long long)row->writes);
		pa_plot_escape(f, r->shown[i].sym ? r->shown[i].sym : "?");
		fputs("</td><td>", f);
		pa_plot_escape(f, r->shown[i].src ? r->shown[i].src : "");
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

int pa_report_heatmap(struct pa_report *rep)
{
	struct opts o = { .bins = 100, .top = 30, .addr_hi = UINT64_MAX };
	struct pa_plot *p = NULL;
	struct result r;
	int rc = compute(rep->st, rep->db, rep->filter, &o, &r);

	if (!rc)
		rc = draw(rep->st, rep->db, rep->filter, &o, &r, &p);
	if (!rc) {
		fprintf(rep->f, "<h2>Instructions</h2>\n<p>%llu events from %zu (process, ip) "
			"pairs; the %zu with the most events:</p>\n",
			(unsigned long long)r.h.events, r.h.n, r.n);
		rc = pa_report_figure(rep, p);
	}
	pa_plot_close(p);
	if (!rc) {
		html_rows(rep->f, &r, 20);
		o.by_page = 1;
		rc = draw(rep->st, rep->db, rep->filter, &o, &r, &p);
	}
	if (!rc) {
		fputs("<h2>Pages over time</h2>\n<p>Time across, the pages touched down; the gaps "
		      "between mappings are left out.</p>\n", rep->f);
		rc = pa_report_figure(rep, p);
	}
	pa_plot_close(p);
	result_free(&r);
	return rc;
}



int cmd_heatmap(int argc, char **argv)
{
	struct opts o = { .bins = 100, .top = 50, .addr_hi = UINT64_MAX };
	struct pa_plot *p = NULL;
	struct pa_store *st;
	struct pa_cli cli;
	struct result r;
	int rc = pa_cli_start(argc, argv, &o, &cli, &st);

	if (rc)
		return rc < 0 ? PA_EXIT_OK : rc;
	rc = compute(st, cli.db, &cli.filter, &o, &r);
	if (!rc && cli.json)
		rc = print_json(&r.h, &o, r.t0, r.shift, r.shown, r.n);
	else if (!rc && !pa_fig_wanted(&o.fig))
		print_table(cli.db, &r.h, &o, r.t0, r.shift, r.shown, r.n);
	if (!rc && pa_fig_wanted(&o.fig))
		rc = draw(st, cli.db, &cli.filter, &o, &r, &p);
	if (!rc && p)
		rc = pa_fig_write(p, &o.fig);
	pa_plot_close(p);
	result_free(&r);
	pa_store_close(st);
	return rc;
}

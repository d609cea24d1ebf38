// SPDX-License-Identifier: MIT
/*
 * paanalyze wss - working-set sizes per time window, and Denning's average working-set
 * size as a function of the window width (docs/design.md §6).
 */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ahead.h"
#include "commands.h"
#include "figure.h"
#include "report.h"
#include "jsonout.h"
#include "pagetab.h"
#include "pat/chunk.h"
#include "pat/error.h"
#include "pat/grow.h"
#include "rundb.h"

const char cmd_wss_usage[] =
	"usage: paanalyze wss [OPTIONS] [DB]\n"
	"\n"
	"Working sets of the run in DB (default run.db): time is cut into windows\n"
	"[t0 + k*W, t0 + (k+1)*W) from the run start t0 (the first START marker, else the\n"
	"first event); for each window, the distinct pages accessed, and of them the pages\n"
	"read and the pages written. A page is (process, address / page size). Windows run\n"
	"from the run start (or --from) to the window of the last event; windows without\n"
	"events are listed with zeros. Summary: min, max, mean and percentiles p50, p90, p99\n"
	"(nearest rank) of the pages per window.\n"
	"\n"
	"Warns on stderr when W is shorter than the tracing interval of the run: a page\n"
	"is seen again only after the tracer has reset it, so a narrower window undercounts.\n"
	"\n"
	"A run traced with kernel sampling (pacollect --sample 1/N) holds 1 page in N: every\n"
	"page count is the sampled one times N, an estimate; the table says so.\n"
	"\n"
	"  --window DUR  window width W with a unit (10ms, 1.5s, 500us; default 10ms)\n"
	"  --curve       instead: Denning's average working-set size s(T), the time average\n"
	"                from the first to the last event of the number of pages accessed\n"
	"                in the last T, for T = 1us, 2us, 4us, ... up to the first T that\n"
	"                covers the whole span\n"
	PA_FIG_HELP
	"                The picture: pages, pages read and pages written per window over\n"
	"                time, p50, p90 and p99 of the pages as dashed lines. With --curve:\n"
	"                s(T) over the window length T (log scale), a point per T.\n"
	"\n"
	PA_CLI_COMMON_HELP
	"\n"
	"JSON: {\"window_us\": W, \"page_size\": P, \"windows\": [{\"start_us\": S, \"pages\": N,\n"
	"\"read_pages\": R, \"write_pages\": Wp}, ...], \"summary\": {\"min\", \"max\", \"mean\",\n"
	"\"p50\", \"p90\", \"p99\"}}, start_us from the run start; with --curve\n"
	"{\"curve\": [{\"window_us\": T, \"mean_pages\": M}, ...]}; both with \"sample_shift\": k\n"
	"when the kernel traced 1 page in 2^k.\n";

enum { OPT_WINDOW = PA_OPT_FIRST_EXTRA, OPT_CURVE };

#define MAX_WINDOWS 100000000ll	/* a bound on memory and output, not on events */
#define CURVE_BINS 48			/* T = 1us * 2^j, j < 48: up to 8.9 years */

struct opts {
	uint64_t window_ns;
	int curve;
	int has_window;
	struct pa_fig_out fig;
};

const struct option cmd_wss_options[] = {
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "curve", no_argument, NULL, OPT_CURVE },
	PA_FIG_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

int cmd_wss_option(int id, const char *arg, void *ctx)
{
	struct opts *o = ctx;

	if (pa_fig_option(&o->fig, id, arg))
		return 0;
	if (id == OPT_CURVE) {
		o->curve = 1;
		return 0;
	}
	if (id != OPT_WINDOW)
		return PA_EXIT_USAGE;
	if (pa_parse_duration(arg, &o->window_ns) || o->window_ns == 0)
		return pa_cli_usage_error(pa_find_command("wss"), "--window needs a positive "
					  "duration with a unit (10ms, 1.5s, 500us), not '%s'", arg);
	o->has_window = 1;
	return 0;
}

struct window {
	uint32_t pages, reads, writes;
};

/* Per-window counters over window indices [lo, lo + n), growing at either end. */
struct windows {
	struct window *w;
	int64_t lo;
	size_t n, cap;
	int too_many;		/* window_at failed for MAX_WINDOWS, not memory */
};

/* The counters of window @k, adding zeroed windows up to it. NULL: see too_many. */
static struct window *window_at(struct windows *ws, int64_t k)
{
	int64_t end = ws->lo + (int64_t)ws->n, lo, hi;
	size_t n, front;

	if (ws->n && k >= ws->lo && k < end)
		return &ws->w[k - ws->lo];
	lo = ws->n && ws->lo < k ? ws->lo : k;
	hi = ws->n && end > k + 1 ? end : k + 1;
	if (hi - lo > MAX_WINDOWS) {
		ws->too_many = 1;
		return NULL;
	}
	n = (size_t)(hi - lo);
	front = ws->n ? (size_t)(ws->lo - lo) : 0;
	if (pa_reserve((void **)&ws->w, &ws->cap, n, sizeof(*ws->w), 1024))
		return NULL;
	if (front)
		memmove(ws->w + front, ws->w, ws->n * sizeof(*ws->w));
	memset(ws->w, 0, front * sizeof(*ws->w));
	memset(ws->w + front + ws->n, 0, (n - front - ws->n) * sizeof(*ws->w));
	ws->lo = lo;
	ws->n = n;
	return &ws->w[k - lo];
}

/*
 * Per page, in the page table: the last window in which it counted, as window index -
 * kbase, shifted left by 2, or'ed with STAMP_READ and STAMP_WRITE when it also counted
 * as read or written in that window; 0 for never. kbase is set at the first event so
 * that every window the list may hold (MAX_WINDOWS around it) fits in 30 bits. Traces
 * come in time order (trace_pipe merges the CPUs' buffers by time), so a page needs
 * only its last window: one 32-bit value, one cache line per lookup. An event earlier
 * than its page's last window counts the page again in its own window.
 */
#define STAMP_READ 1u
#define STAMP_WRITE 2u
#define STAMP_BITS 30
/* round_windows picks an event's bit as STAMP_READ << (flags & PA_EV_WRITE) */
_Static_assert(PA_EV_WRITE == 1 && STAMP_WRITE == STAMP_READ << 1, "write bit is read << 1");

#define STEP 256	/* events per round: page slots first, then the windows */

struct scan {
	struct pa_pagetab stamps;	/* windows */
	/*
	 * --curve: per page, its last access time plus one (0: none yet) in the two cells
	 * the page has in a table of two cells a page: one lookup per event. Times are
	 * below 2^63 (pacollect refuses others), so a time plus one is never 0.
	 */
	struct pa_pagetab last;
	int time_past_2_63;		/* --curve met one: the run is damaged */
	uint64_t distinct;		/* pages seen */
	struct windows ws;
	/* --curve: reference gaps in bins [T(j-1), T(j)), T(j) = 1us * 2^j */
	uint64_t gap_sum[CURVE_BINS + 1];
	uint64_t gap_cnt[CURVE_BINS + 1];
	uint64_t first_ns, last_ev_ns, events;
	unsigned int kshift;		/* the trace holds 1 page in 2^kshift (kernel) */
	int too_large;			/* a scaled count does not fit */
	int64_t kbase;
	uint32_t *slot[STEP];
};

static inline unsigned int gap_bin(uint64_t gap_ns)
{
	uint64_t us = gap_ns / 1000;
	unsigned int j = us ? 64u - (unsigned int)__builtin_clzll(us) : 0;

	return j < CURVE_BINS ? j : CURVE_BINS;
}

static inline void add_gap(struct scan *s, uint64_t gap)
{
	unsigned int j = gap_bin(gap);

	s->gap_sum[j] += gap;
	s->gap_cnt[j]++;
}

/* Floor division of a signed time offset by the window width. */
static inline int64_t window_of(uint64_t t, uint64_t t0, uint64_t w)
{
	if (t >= t0)
		return (int64_t)((t - t0) / w);
	return -(int64_t)((t0 - t + w - 1) / w);
}

/* The 64-bit value in the two cells at @cell. */
static inline uint64_t pair_get(const uint32_t *cell)
{
	uint64_t v;

	memcpy(&v, cell, sizeof(v));
	return v;
}

static inline void pair_put(uint32_t *cell, uint64_t v)
{
	memcpy(cell, &v, sizeof(v));
}

/*
 * One round of --curve: the gap since each event's page was last accessed. Returns 1,
 * -PA_ENOMEM, or -PA_ECORRUPT for a time past 2^63 ns.
 */
static int round_curve(struct scan *s, const struct pa_batch *b, size_t i0, size_t n,
		       unsigned int shift)
{
	const uint64_t *time = b->time_ns + i0;

	if (pa_pagetab_slots(&s->last, b->tgid + i0, b->addr + i0, shift, n, s->slot))
		return -PA_ENOMEM;
	for (size_t j = 0; j < n; j++) {
		uint64_t v = pair_get(s->slot[j]), t = time[j];

		if (t > INT64_MAX) {	/* not from pacollect: a damaged or forged chunk */
			s->time_past_2_63 = 1;
			return -PA_ECORRUPT;
		}
		if (!v)
			s->distinct++;
		else if (t != v - 1)
			add_gap(s, t > v - 1 ? t - (v - 1) : 0);
		pair_put(s->slot[j], t + 1);
	}
	return 1;
}

/* The tail of each page of @cells: from its last access to the last event. */
static void add_tails(void *ctx, const uint32_t *cells, size_t pages)
{
	struct scan *s = ctx;

	for (size_t k = 0; k < pages; k++) {
		uint64_t v = pair_get(cells + 2 * k);

		if (v)
			add_gap(s, s->last_ev_ns > v - 1 ? s->last_ev_ns - (v - 1) : 0);
	}
}

/* A scan with empty tables, NULL when out of memory; scan_free frees it. */
static struct scan *scan_new(void)
{
	struct scan *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	if (pa_pagetab_init(&s->stamps, 0))
		goto free_scan;
	if (pa_pagetab_init(&s->last, 1))
		goto free_stamps;
	return s;
free_stamps:
	pa_pagetab_free(&s->stamps);
free_scan:
	free(s);
	return NULL;
}

static void scan_free(struct scan *s)
{
	pa_pagetab_free(&s->stamps);
	pa_pagetab_free(&s->last);
	free(s->ws.w);
	free(s);
}

/* Adds the counts of a run of events of window @w, and zeroes them. */
static inline void flush_counts(struct window *w, uint32_t *pages, uint32_t *reads,
				uint32_t *writes)
{
	if (!w)
		return;
	w->pages += *pages;
	w->reads += *reads;
	w->writes += *writes;
	*pages = *reads = *writes = 0;
}

static int round_windows(struct scan *s, const struct pa_batch *b, size_t i0, size_t n,
			 unsigned int shift, uint64_t t0, uint64_t width)
{
	const uint64_t *time = b->time_ns + i0;
	const uint8_t *flags = b->flags + i0;
	uint64_t lo = 1, hi = 0;	/* [lo, hi): the times of window k, cached */
	uint64_t distinct = 0;
	struct window *w = NULL;
	int64_t k = 0;
	uint32_t stamp = 0, pages = 0, reads = 0, writes = 0;

	if (pa_pagetab_slots(&s->stamps, b->tgid + i0, b->addr + i0, shift, n, s->slot))
		return -PA_ENOMEM;
	/*
	 * The counts of the window in locals until it changes, and no branch on what the
	 * page was or whether the event writes: on random pages both are coin tosses.
	 */
	for (size_t j = 0; j < n; j++) {
		uint32_t v = *s->slot[j], other, wr, fresh;

		if (time[j] < lo || time[j] >= hi) {
			int64_t rel;

			flush_counts(w, &pages, &reads, &writes);
			k = window_of(time[j], t0, width);
			rel = k - s->kbase;
			if (rel <= 0 || rel >= (1ll << STAMP_BITS)) {
				s->ws.too_many = 1;
				return -PA_ENOMEM;
			}
			stamp = (uint32_t)rel << 2;
			w = window_at(&s->ws, k);
			if (!w)
				return -PA_ENOMEM;
			lo = t0 + (uint64_t)k * width;	/* wraps for k < 0: still exact mod 2^64 */
			hi = lo + width;
			if (k < 0 || lo < t0 || hi < lo)
				lo = 1, hi = 0;		/* no cache outside the plain case */
		}
		other = (v & ~(STAMP_READ | STAMP_WRITE)) != stamp;
		distinct += v == 0;
		pages += other;
		v = other ? stamp : v;
		wr = flags[j] & PA_EV_WRITE;
		fresh = !(v & (STAMP_READ << wr));
		writes += fresh & wr;
		reads += fresh & (wr ^ 1);
		v |= STAMP_READ << wr;
		*s->slot[j] = v;
	}
	flush_counts(w, &pages, &reads, &writes);
	s->distinct += distinct;
	return 1;
}

/* A count of sampled pages as an estimate of all: times 2^k; -1 when it does not fit. */
static int scale_u32(uint32_t *v, unsigned int k)
{
	if (k && (uint64_t)*v << k > UINT32_MAX)
		return -1;
	*v <<= k;
	return 0;
}

/*
 * A run traced with kernel sampling holds 1 page in 2^k: every page count (per window,
 * distinct) stands for 2^k pages. Returns 0, or -PA_EINVAL with too_large set.
 */
static int scale(struct scan *s)
{
	int bad = 0;

	for (size_t i = 0; i < s->ws.n && s->kshift; i++) {
		bad |= scale_u32(&s->ws.w[i].pages, s->kshift);
		bad |= scale_u32(&s->ws.w[i].reads, s->kshift);
		bad |= scale_u32(&s->ws.w[i].writes, s->kshift);
	}
	s->distinct <<= s->kshift;
	s->too_large = bad;
	return bad ? -PA_EINVAL : 0;
}

static int scan_events(struct pa_store *st, const struct pa_cli *cli, const struct opts *o,
		       uint64_t *t0, struct scan *s)
{
	struct pa_ahead *ev;
	const struct pa_batch *b;
	unsigned int shift;
	int rc, err = pa_run_page_shift(st, &shift);

	if (!err)
		err = pa_store_sample_shift(st, &s->kshift);
	if (err)
		return err;
	err = pa_ahead_open(st, &cli->filter,
			    PA_COL_TIME | PA_COL_TGID | pa_run_page_cols(shift) | PA_COL_FLAGS, &ev);
	if (err)
		return err;
	*t0 = pa_ahead_t0(ev);
	while ((rc = pa_ahead_next(ev, &b)) > 0) {
		if (s->events == 0) {
			s->first_ns = b->time_ns[0];
			s->kbase = window_of(b->time_ns[0], *t0, o->window_ns) -
				   (1ll << (STAMP_BITS - 1));
		}
		s->events += b->n;
		s->last_ev_ns = b->time_ns[b->n - 1];
		for (size_t i0 = 0; i0 < b->n && rc > 0; i0 += STEP) {
			size_t n = b->n - i0 < STEP ? b->n - i0 : STEP;

			rc = o->curve ? round_curve(s, b, i0, n, shift) :
				round_windows(s, b, i0, n, shift, *t0, o->window_ns);
		}
		if (rc < 0)
			break;
	}
	pa_ahead_close(ev);
	if (rc < 0)
		return rc;
	/* the list starts at the run start, or at --from */
	if (!o->curve && s->events && !window_at(&s->ws, cli->filter.has_from ?
				window_of(*t0 + cli->filter.from_ns, *t0, o->window_ns) : 0))
		return -PA_ENOMEM;
	if (o->curve)
		pa_pagetab_each(&s->last, add_tails, s);
	return scale(s);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

struct summary {
	uint32_t min, max, p50, p90, p99;
	double mean;
};

/* Nearest rank: the smallest value with at least p% of the windows at or below it. */
static uint32_t rank(const uint32_t *sorted, size_t n, unsigned int p)
{
	size_t r = ((size_t)p * n + 99) / 100;

	return sorted[r ? r - 1 : 0];
}

static int summarize(const struct windows *ws, struct summary *sum)
{
	uint32_t *v;
	uint64_t total = 0;

	memset(sum, 0, sizeof(*sum));
	if (!ws->n)
		return 0;
	v = malloc(ws->n * sizeof(*v));
	if (!v)
		return -1;
	for (size_t i = 0; i < ws->n; i++) {
		v[i] = ws->w[i].pages;
		total += v[i];
	}
	qsort(v, ws->n, sizeof(*v), cmp_u32);
	sum->min = v[0];
	sum->max = v[ws->n - 1];
	sum->mean = (double)total / (double)ws->n;
	sum->p50 = rank(v, ws->n, 50);
	sum->p90 = rank(v, ws->n, 90);
	sum->p99 = rank(v, ws->n, 99);
	free(v);
	return 0;
}

/* Start of window @k from the run start, in microseconds (may be negative). */
static double start_us(const struct opts *o, int64_t k)
{
	return (double)k * ((double)o->window_ns / 1000.0);
}

static json_t *us_value(double us)
{
	if (us == (double)(json_int_t)us)
		return json_integer((json_int_t)us);
	return json_real(us);
}

/* @doc with "sample_shift": k when the kernel sampled the run (NULL stays NULL). */
static json_t *with_shift(json_t *doc, const struct scan *s)
{
	if (doc && s->kshift &&
	    json_object_set_new(doc, "sample_shift", json_integer((json_int_t)s->kshift))) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* The table's line saying that the figures are estimates, when they are. */
static void print_estimates(const struct scan *s)
{
	if (s->kshift)
		printf("estimates: the kernel traced 1 page in 2^%u = %llu (sample_shift %u); "
		       "page counts are scaled by %llu\n", s->kshift, 1ull << s->kshift, s->kshift,
		       1ull << s->kshift);
}

static int print_windows_json(const struct opts *o, unsigned int page_size,
			      const struct scan *s, const struct summary *sum)
{
	json_t *arr = json_array(), *doc;
	int bad = !arr;

	for (size_t i = 0; i < s->ws.n && !bad; i++) {
		const struct window *w = &s->ws.w[i];

		bad |= json_array_append_new(arr, json_pack("{sosIsIsI}",
			"start_us", us_value(start_us(o, s->ws.lo + (int64_t)i)),
			"pages", (json_int_t)w->pages, "read_pages", (json_int_t)w->reads,
			"write_pages", (json_int_t)w->writes));
	}
	if (bad) {
		json_decref(arr);
		return pa_cli_error("out of memory");
	}
	doc = json_pack("{sosIsos{sIsIsfsIsIsI}}",
		"window_us", us_value((double)o->window_ns / 1000.0),
		"page_size", (json_int_t)page_size, "windows", arr, "summary",
		"min", (json_int_t)sum->min, "max", (json_int_t)sum->max, "mean", sum->mean,
		"p50", (json_int_t)sum->p50, "p90", (json_int_t)sum->p90,
		"p99", (json_int_t)sum->p99);
	return pa_json_print(with_shift(doc, s), 0);
}

static void print_windows_table(const struct opts *o, unsigned int page_size,
				const struct scan *s, const struct summary *sum)
{
	printf("window %.3f ms, %u-byte pages, %zu windows, %" PRIu64 " distinct pages\n",
	       (double)o->window_ns / 1e6, page_size, s->ws.n, s->distinct);
	print_estimates(s);
	putchar('\n');
	printf("%14s %10s %10s %10s\n", "start_ms", "pages", "read", "written");
	for (size_t i = 0; i < s->ws.n; i++) {
		const struct window *w = &s->ws.w[i];

		printf("%14.3f %10u %10u %10u\n", start_us(o, s->ws.lo + (int64_t)i) / 1000.0,
		       w->pages, w->reads, w->writes);
	}
	printf("\npages per window: min %u, max %u, mean %.2f, p50 %u, p90 %u, p99 %u\n",
	       sum->min, sum->max, sum->mean, sum->p50, sum->p90, sum->p99);
}

/*
 * Denning's s(T) for T = 1us * 2^j, j = 0 .. *n-1 into @mean, scaled by 2^kshift when
 * the kernel sampled the run (distinct is scaled already).
 */
static size_t curve(const struct scan *s, double *mean)
{
	uint64_t span = s->last_ev_ns - s->first_ns;
	size_t n = 0;

	for (unsigned int j = 0; j < CURVE_BINS; j++) {
		/* sum over gaps of min(gap, T): gaps in bins <= j are below T */
		long double covered = 0, t = 1000.0L * (long double)(1ull << j);

		for (unsigned int i = 0; i <= CURVE_BINS; i++)
			covered += i <= j ? (long double)s->gap_sum[i] : t * (long double)s->gap_cnt[i];
		mean[n++] = span ? ldexp((double)(covered / (long double)span), (int)s->kshift) :
			(double)s->distinct;
		if (t >= (long double)span)
			break;
	}
	return n;
}

static int print_curve(int json, const struct scan *s)
{
	double mean[CURVE_BINS];
	size_t n = s->events ? curve(s, mean) : 0;
	json_t *arr;
	int bad;

	if (!json) {
		printf("Denning's average working-set size (%" PRIu64 " distinct pages)\n",
		       s->distinct);
		print_estimates(s);
		printf("\n%16s %14s\n", "window_us", "mean_pages");
		for (size_t j = 0; j < n; j++)
			printf("%16llu %14.3f\n", 1ull << j, mean[j]);
		return PA_EXIT_OK;
	}
	arr = json_array();
	bad = !arr;
	for (size_t j = 0; j < n && !bad; j++)
		bad |= json_array_append_new(arr, json_pack("{sIsf}", "window_us",
			(json_int_t)(1ll << j), "mean_pages", mean[j]));
	if (bad) {
		json_decref(arr);
		return pa_cli_error("out of memory");
	}
	return pa_json_print(with_shift(json_pack("{so}", "curve", arr), s), 0);
}

static void warn_interval(struct pa_store *st, const struct opts *o)
{
	int64_t us;

	if (pa_store_get_meta_int(st, "interval_us", &us) == 0 && us > 0 &&
	    o->window_ns < (uint64_t)us * 1000)
		fprintf(stderr, "paanalyze wss: warning: the window (%.3f us) is shorter than "
			"the tracing interval of the run (%lld us): pages are undercounted\n",
			(double)o->window_ns / 1000.0, (long long)us);
}

/* Pages, pages read and pages written per window, and the percentiles, into @p. */
static int draw_windows(const struct opts *o, const struct scan *s, const struct summary *sum,
			unsigned int page_size, struct pa_plot *p)
{
	size_t n = s->ws.n;
	double *x = malloc((n ? n : 1) * sizeof(*x) * 4), *y[3];
	double top = sum->max > 0 ? sum->max * 1.08 : 1;
	struct pa_plot_axis ax = { "time since run start", PA_UNIT_TIME_NS, 0,
				   (double)s->ws.lo * (double)o->window_ns,
				   (double)(s->ws.lo + (int64_t)(n ? n : 1)) * (double)o->window_ns };
	struct pa_plot_axis ay = { "pages per window", PA_UNIT_COUNT, 0, 0, top };
	static const char *const names[3] = { "pages", "pages read", "pages written" };
	const struct { const char *name; uint32_t v; } pct[3] = {
		{ "p50", sum->p50 }, { "p90", sum->p90 }, { "p99", sum->p99 } };
	char label[128], tip[256], size[32];
	int err;

	if (!x)
		return -PA_ENOMEM;
	for (int k = 0; k < 3; k++)
		y[k] = x + (size_t)(k + 1) * (n ? n : 1);
	for (size_t i = 0; i < n; i++) {
		x[i] = (double)(s->ws.lo + (int64_t)i) * (double)o->window_ns;
		y[0][i] = s->ws.w[i].pages;
		y[1][i] = s->ws.w[i].reads;
		y[2][i] = s->ws.w[i].writes;
	}
	err = pa_plot_axes(p, &ax, &ay);
	for (int k = 0; k < 3 && !err; k++) {
		struct pa_plot_series ser = { .name = names[k], .x = x, .y = y[k], .n = n,
					      .steps = 1, .wide = k == 0 };

		err = pa_plot_series(p, &ser);
	}
	for (int k = 0; k < 3 && !err; k++) {
		snprintf(label, sizeof(label), "%s = %u pages (%s)", pct[k].name, pct[k].v,
			 pa_plot_format_bytes((double)pct[k].v * page_size, size, sizeof(size)));
		err = pa_plot_hline(p, pct[k].v, label);
	}
	/* a tooltip per window, while there are few enough to point at */
	for (size_t i = 0; i < n && n <= 4000 && !err; i++) {
		const struct window *w = &s->ws.w[i];

		snprintf(tip, sizeof(tip), "%.3f to %.3f ms\n%u pages (%s), %u read, %u written",
			 x[i] / 1e6, (x[i] + (double)o->window_ns) / 1e6, w->pages,
			 pa_plot_format_bytes((double)w->pages * page_size, size, sizeof(size)),
			 w->reads, w->writes);
		err = pa_plot_hover(p, x[i], x[i] + (double)o->window_ns, tip);
	}
	free(x);
	return err;
}

struct curve_tips {
	const double *mean;
	unsigned int page_size;
};

static int curve_tip(void *ctx, size_t j, char *buf, size_t size)
{
	const struct curve_tips *c = ctx;
	char bytes[32];

	snprintf(buf, size, "T = %llu us: on average %.3f pages (%s) accessed in the last T",
		 1ull << j, c->mean[j], pa_plot_format_bytes(c->mean[j] * c->page_size, bytes,
							      sizeof(bytes)));
	return 0;
}

/* Denning's s(T) of @s over T on a log axis, into @p. */
static int draw_curve(const struct scan *s, unsigned int page_size, struct pa_plot *p)
{
	double mean[CURVE_BINS], x[CURVE_BINS], top = 1;
	size_t n = s->events ? curve(s, mean) : 0;
	struct curve_tips ct = { mean, page_size };
	struct pa_plot_axis ax = { "window length T", PA_UNIT_TIME_NS, 1, 1e3,
				   1e3 * (double)(1ull << (n > 1 ? n - 1 : 1)) };
	struct pa_plot_axis ay = { "average working-set size s(T), pages", PA_UNIT_COUNT, 0, 0,
				   0 };
	struct pa_plot_series ser = { .name = "s(T)", .x = x, .y = mean, .n = n,
				      .markers = 1, .tip = curve_tip, .ctx = &ct };
	int err;

	for (size_t j = 0; j < n; j++) {
		x[j] = 1e3 * (double)(1ull << j);
		top = mean[j] > top ? mean[j] : top;
	}
	ay.hi = top * 1.08;
	err = pa_plot_axes(p, &ax, &ay);
	return err ? err : pa_plot_series(p, &ser);
}

/* The picture of @s into *@out (the caller closes it). Returns an exit code (reported). */
static int picture(struct pa_store *st, const char *db, const struct pa_filter *f,
		   const struct opts *o, const struct scan *s, const struct summary *sum,
		   unsigned int page_size, struct pa_plot **out)
{
	char title[1024], sub[2048], detail[256];
	struct pa_plot *p = NULL;
	int err;

	*out = NULL;
	if (o->curve)
		snprintf(detail, sizeof(detail), "; %u-byte pages, %llu distinct%s", page_size,
			 (unsigned long long)s->distinct, s->kshift ? " (estimates: 1 page in "
			 "2^sample_shift traced)" : "");
	else
		snprintf(detail, sizeof(detail), "; windows of %.6g ms, %u-byte pages, %llu "
			 "distinct%s", (double)o->window_ns / 1e6, page_size,
			 (unsigned long long)s->distinct, s->kshift ? " (estimates: 1 page in "
			 "2^sample_shift traced)" : "");
	err = pa_fig_titles(st, db, f, o->curve ? "working-set curve (Denning)" : "working set",
			    detail, title, sizeof(title), sub, sizeof(sub));
	if (err)
		return pa_run_error(st, db, err);
	err = pa_plot_open(title, sub, &p);
	if (!err)
		err = o->curve ? draw_curve(s, page_size, p) :
			draw_windows(o, s, sum, page_size, p);
	if (err) {
		err = pa_fig_failed(p, err);
		pa_plot_close(p);
		return err;
	}
	*out = p;
	return PA_EXIT_OK;
}

int pa_report_wss(struct pa_report *r)
{
	struct opts o = { .window_ns = 10000000 };
	struct scan *s = scan_new();
	struct pa_plot *p = NULL;
	struct summary sum;
	unsigned int shift = 12;
	uint64_t t0 = 0;
	struct pa_cli cli = { .db = r->db, .filter = *r->filter };
	int rc, err = s ? pa_run_page_shift(r->st, &shift) : -PA_ENOMEM;

	if (!err)
		err = scan_events(r->st, &cli, &o, &t0, s);
	if (!err && summarize(&s->ws, &sum))
		err = -PA_ENOMEM;
	rc = err ? pa_run_error(r->st, r->db, err) :
		picture(r->st, r->db, r->filter, &o, s, &sum, 1u << shift, &p);
	if (!rc) {
		fprintf(r->f, "<h2>Working set</h2>\n<p>Distinct pages per window of 10 ms, and of "
			"them the pages read and the pages written; %llu distinct pages in all%s.</p>\n",
			(unsigned long long)s->distinct, s->kshift ? " (estimates: the kernel traced "
			"1 page in 2^sample_shift, counts scaled by 2^sample_shift)" : "");
		rc = pa_report_figure(r, p);
	}
	if (!rc)
		fprintf(r->f, "<table id=\"wss\">\n<tr><th>windows</th><th>min</th><th>mean</th>"
			"<th>p50</th><th>p90</th><th>p99</th><th>max</th><th>pages</th></tr>\n"
			"<tr><td>%zu</td><td>%u</td><td>%.2f</td><td>%u</td><td>%u</td><td>%u</td>"
			"<td>%u</td><td>per window</td></tr>\n</table>\n", s->ws.n, sum.min,
			sum.mean, sum.p50, sum.p90, sum.p99, sum.max);
	pa_plot_close(p);
	if (s)
		scan_free(s);
	return rc;
}

int cmd_wss_check(const struct pa_command *cmd, const struct pa_cli *cli, void *ctx)
{
	const struct opts *o = ctx;

	(void)cli;
	if (o->curve && o->has_window)
		return pa_cli_usage_error(cmd, "--curve chooses its own windows: drop --window");
	return 0;
}

int cmd_wss(int argc, char **argv)
{
	struct opts o = { .window_ns = 10000000, .curve = 0 };
	struct pa_cli cli;
	struct pa_store *st;
	struct scan *s;
	struct summary sum;
	unsigned int shift;
	uint64_t t0 = 0;
	int rc = pa_cli_start(argc, argv, &o, &cli, &st);
	int err;

	if (rc)
		return rc < 0 ? PA_EXIT_OK : rc;
	s = scan_new();
	if (!s) {
		pa_store_close(st);
		return pa_cli_error("out of memory");
	}
	if (!o.curve)
		warn_interval(st, &o);
	err = pa_run_page_shift(st, &shift);
	if (!err)
		err = scan_events(st, &cli, &o, &t0, s);
	if (!err && !o.curve && summarize(&s->ws, &sum))
		err = -PA_ENOMEM;
	if (err == -PA_ENOMEM && s->ws.too_many)
		rc = pa_cli_error("more than %lld windows: choose a wider --window",
				  MAX_WINDOWS);
	else if (s->too_large)
		rc = pa_cli_error("%s: a window holds more than 2^32 pages once scaled by 2^%u "
				  "(sample_shift): choose a narrower --window", cli.db, s->kshift);
	else if (s->time_past_2_63)
		rc = pa_cli_error("%s: an event at a time past 2^63 ns, which pacollect does "
				  "not write: the chunks are damaged", cli.db);
	else if (err)
		rc = pa_run_error(st, cli.db, err);
	else if (o.curve && (cli.json || !pa_fig_wanted(&o.fig)))
		rc = print_curve(cli.json, s);
	else if (cli.json)
		rc = print_windows_json(&o, 1u << shift, s, &sum);
	else if (!pa_fig_wanted(&o.fig)) {
		print_windows_table(&o, 1u << shift, s, &sum);
		rc = PA_EXIT_OK;
	}
	if (!rc && !err && pa_fig_wanted(&o.fig)) {
		struct pa_plot *p;

		rc = picture(st, cli.db, &cli.filter, &o, s, &sum, 1u << shift, &p);
		if (!rc)
			rc = pa_fig_write(p, &o.fig);
		pa_plot_close(p);
	}
	scan_free(s);
	pa_store_close(st);
	return rc;
}

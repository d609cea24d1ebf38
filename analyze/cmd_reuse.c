// SPDX-License-Identifier: MIT
/*
 * paanalyze reuse - reuse-distance histogram and LRU miss-ratio curve (docs/design.md §6).
 */
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
#include "reuse.h"
#include "rundb.h"

const char cmd_reuse_usage[] =
	"usage: paanalyze reuse [OPTIONS] [DB]\n"
	"\n"
	"Reuse distances of the accesses in DB (default run.db), in stored (time) order: the\n"
	"distance of an access is the number of distinct other pages accessed since the\n"
	"previous access to the same page (an immediate re-access is 0); a first access is\n"
	"cold. A page is (process, address / page size). Prints the histogram in buckets\n"
	"0, 1, 2-3, 4-7, ... (empty ones left out) and the miss-ratio curve of an LRU memory\n"
	"of C pages, C = 1, 2, 4, ... and the number of distinct pages:\n"
	"  miss(C) = (cold + accesses with distance >= C) / accesses.\n"
	"Exact by default: O(N log M) time and O(M) memory for N accesses to M pages.\n"
	"\n"
	"  --sample RATE  SHARDS fixed-rate spatial sampling, 0 < RATE <= 1: only the pages\n"
	"                whose hash falls below RATE are tracked (all accesses of a sampled\n"
	"                page, none of the others), their distances and counts are scaled by\n"
	"                1/RATE, and the curve is the sampled one. Memory and the reuse\n"
	"                work shrink by about RATE (every event is still read). The error\n"
	"                depends on the number of sampled pages, about RATE*M: on 10^7\n"
	"                uniform accesses over 10^6 pages the curve stayed within 0.006 of\n"
	"                the exact one at RATE 0.01 (10^4 pages) and within 0.02 at 0.001\n"
	"                (10^3 pages) (SHARDS: Waldspurger et al., FAST'15); with fewer\n"
	"                than a few hundred sampled pages expect 0.05 and more. 'accesses'\n"
	"                stays the exact count; 'cold', 'pages' and the histogram counts\n"
	"                are estimates.\n"
	"\n"
	"A run traced with kernel sampling (pacollect --sample 1/N) holds the accesses of\n"
	"1 page in N: as SHARDS does, each distance d stands for d*N and each access for N,\n"
	"so 'accesses', 'cold', 'pages', the histogram counts and the curve's cache sizes\n"
	"are estimates for the whole program; the table says so. With --sample as well,\n"
	"the two rates multiply.\n"
	PA_FIG_HELP
	"                The picture: the miss-ratio curve over the cache size in bytes\n"
	"                (pages x page size) on a log axis, a point per size of the table.\n"
	"\n"
	PA_CLI_COMMON_HELP
	"\n"
	"JSON: {\"accesses\": N, \"cold\": C, \"pages\": M, \"histogram\": [{\"min\": a, \"max\": b,\n"
	"\"count\": n}, ...], \"mrc\": [{\"pages\": C, \"miss_ratio\": r}, ...]}, plus\n"
	"\"sampled\": RATE with --sample, and \"sample_shift\": k when the kernel traced 1 page\n"
	"in 2^k.\n";

enum { OPT_SAMPLE = PA_OPT_FIRST_EXTRA };

#define SHARDS_BITS 24
#define SHARDS_MOD (1u << SHARDS_BITS)

struct opts {
	double rate;		/* 0: exact */
	struct pa_fig_out fig;
};

const struct option cmd_reuse_options[] = {
	{ "sample", required_argument, NULL, OPT_SAMPLE },
	PA_FIG_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

int cmd_reuse_option(int id, const char *arg, void *ctx)
{
	struct opts *o = ctx;
	char *end;
	double v;

	if (pa_fig_option(&o->fig, id, arg))
		return 0;
	if (id != OPT_SAMPLE)
		return PA_EXIT_USAGE;
	v = strtod(arg, &end);
	if (end == arg || *end || !(v > 0 && v <= 1))
		return pa_cli_usage_error(pa_find_command("reuse"),
					  "--sample needs a rate with 0 < RATE <= 1, not '%s'", arg);
	o->rate = v;
	return 0;
}

struct result {
	struct pa_reuse_hist hist;	/* of the tracked accesses (scaled distances) */
	uint64_t events;		/* all accesses of the trace passing the filters */
	uint64_t pages;			/* distinct pages tracked */
	unsigned int kshift;		/* the trace holds 1 page in 2^kshift (kernel) */
	double rate;			/* tracked pages of all, kernel's and --sample's: 1
					   when exact */
};

/* The SHARDS sampling hash of a page: independent of the hash map's. */
static inline uint32_t shards_hash(uint32_t tgid, uint64_t page)
{
	uint64_t z = page + 0x9e3779b97f4a7c15ull * ((uint64_t)tgid + 1);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return (uint32_t)(z & (SHARDS_MOD - 1));
}

#define STEP 256		/* accesses per round: page slots (prefetched), then distances */

struct scanner {
	struct pa_pagetab pages;	/* per page: its last-access time, for r */
	struct pa_reuse r;
	uint32_t *slot[STEP];
	uint64_t dist[STEP];
	uint32_t tgid[STEP];	/* the sampled accesses of a round */
	uint64_t addr[STEP];
};

/* Tracks the accesses of @b that are sampled, STEP at a time. */
static int track(struct scanner *s, const struct pa_batch *b, unsigned int shift,
		 uint32_t threshold, struct result *res)
{
	const uint64_t *addr = b->addr;
	const uint32_t *tgid = b->tgid;
	size_t i = 0, n = b->n;

	while (i < n) {
		size_t k = STEP;

		if (threshold < SHARDS_MOD) {
			/* only the sampled accesses, gathered */
			for (k = 0; i < n && k < STEP; i++) {
				if (shards_hash(tgid[i], addr[i] >> shift) >= threshold)
					continue;
				s->tgid[k] = tgid[i];
				s->addr[k++] = addr[i];
			}
			if (pa_pagetab_slots(&s->pages, s->tgid, s->addr, shift, k, s->slot))
				return -PA_ENOMEM;
		} else {
			if (n - i < k)
				k = n - i;
			if (pa_pagetab_slots(&s->pages, tgid + i, addr + i, shift, k, s->slot))
				return -PA_ENOMEM;
			i += k;
		}
		if (pa_reuse_access_batch(&s->r, s->slot, k, s->dist))
			return -PA_ENOMEM;
		for (size_t j = 0; j < k; j++) {
			uint64_t d = s->dist[j];

			/* SHARDS: a sampled distance d stands for d / rate */
			if (d != PA_REUSE_COLD && res->rate < 1.0)
				d = (uint64_t)((double)d / res->rate);
			pa_reuse_hist_add(&res->hist, d, 1);
		}
	}
	return 0;
}

static int scan(struct pa_store *st, const struct pa_filter *f, double rate, struct result *res)
{
	struct scanner *s;
	struct pa_ahead *ev;
	const struct pa_batch *b;
	unsigned int shift;
	uint32_t threshold = SHARDS_MOD;
	int rc, err;

	memset(res, 0, sizeof(*res));
	res->rate = 1.0;
	if (rate > 0 && rate < 1) {
		threshold = (uint32_t)llround(rate * SHARDS_MOD);
		if (threshold == 0)
			threshold = 1;
		res->rate = (double)threshold / SHARDS_MOD;
	}
	err = pa_run_page_shift(st, &shift);
	if (!err)
		err = pa_store_sample_shift(st, &res->kshift);
	if (err)
		return err;
	/* the kernel's sampling and ours pick pages by independent hashes: rates multiply */
	res->rate = ldexp(res->rate, -(int)res->kshift);
	s = malloc(sizeof(*s));
	if (!s)
		return -PA_ENOMEM;
	if (pa_pagetab_init(&s->pages, 0)) {
		free(s);
		return -PA_ENOMEM;
	}
	pa_pagetab_on_move(&s->pages, pa_reuse_moved, &s->r);
	err = -PA_ENOMEM;
	if (pa_reuse_init(&s->r, 1 << 18))
		goto out_pages;
	err = pa_ahead_open(st, f, PA_COL_TGID | pa_run_page_cols(shift), &ev);
	if (err)
		goto out_reuse;
	while ((rc = pa_ahead_next(ev, &b)) > 0) {
		res->events += b->n;
		rc = track(s, b, shift, threshold, res);
		if (rc < 0)
			break;
	}
	err = rc < 0 ? rc : 0;
	res->pages = s->r.live;
	pa_ahead_close(ev);
out_reuse:
	pa_reuse_free(&s->r);
out_pages:
	pa_pagetab_free(&s->pages);
	free(s);
	return err;
}

/* A sampled count scaled back to the whole trace. */
static uint64_t scaled(const struct result *res, uint64_t n)
{
	return res->rate >= 1.0 ? n : (uint64_t)llround((double)n / res->rate);
}

/* The capacities of the curve: 1, 2, 4, ... below the distinct pages, then them. */
static uint64_t next_capacity(uint64_t c, uint64_t pages)
{
	if (c >= pages)
		return 0;
	return 2 * c < pages ? 2 * c : pages;
}

static double miss_ratio(const struct result *res, uint64_t c)
{
	const struct pa_reuse_hist *h = &res->hist;

	return h->accesses ? (double)pa_reuse_misses(h, c) / (double)h->accesses : 0.0;
}

/* All accesses of the program: those of the trace, times 2^k when the kernel sampled. */
static uint64_t accesses(const struct result *res)
{
	return res->events << res->kshift;
}

static int print_json(const struct result *res, int sampled)
{
	uint64_t pages = scaled(res, res->pages);
	json_t *o = json_object(), *hist = json_array(), *mrc = json_array();
	int bad = !o || !hist || !mrc;

	for (unsigned int k = 0; k < PA_REUSE_NBUCKETS && !bad; k++) {
		if (!res->hist.bucket[k])
			continue;
		bad |= json_array_append_new(hist, json_pack("{sIsIsI}",
			"min", (json_int_t)pa_reuse_bucket_min(k),
			"max", (json_int_t)(k >= 63 ? INT64_MAX : pa_reuse_bucket_max(k)),
			"count", (json_int_t)scaled(res, res->hist.bucket[k])));
	}
	for (uint64_t c = pages ? 1 : 0; c && !bad; c = next_capacity(c, pages))
		bad |= json_array_append_new(mrc, json_pack("{sIsf}", "pages", (json_int_t)c,
							    "miss_ratio", miss_ratio(res, c)));
	if (!bad) {
		bad |= json_object_set_new(o, "accesses", json_integer((json_int_t)accesses(res)));
		bad |= json_object_set_new(o, "cold", json_integer((json_int_t)scaled(res,
							res->hist.cold)));
		bad |= json_object_set_new(o, "pages", json_integer((json_int_t)pages));
		bad |= json_object_set_new(o, "histogram", hist);
		bad |= json_object_set_new(o, "mrc", mrc);
		hist = mrc = NULL;
		if (sampled)
			bad |= json_object_set_new(o, "sampled", json_real(ldexp(res->rate,
								(int)res->kshift)));
		if (res->kshift)
			bad |= json_object_set_new(o, "sample_shift",
						   json_integer((json_int_t)res->kshift));
	}
	json_decref(hist);
	json_decref(mrc);
	if (bad) {
		json_decref(o);
		o = NULL;
	}
	return pa_json_print(o, 0);
}

static void print_table(const struct result *res, int sampled)
{
	const struct pa_reuse_hist *h = &res->hist;
	uint64_t pages = scaled(res, res->pages), cum = 0;
	double total = h->accesses ? (double)h->accesses : 1.0;
	char range[48];

	printf("accesses   %llu (%llu cold, %llu distinct pages)%s\n",
	       (unsigned long long)accesses(res), (unsigned long long)scaled(res, h->cold),
	       (unsigned long long)pages, sampled || res->kshift ? "  [sampled: estimates]" : "");
	if (res->kshift)
		printf("traced     1 page in 2^%u = %llu (sample_shift %u): %llu accesses in the "
		       "trace; distances and counts scaled by %llu as SHARDS does\n", res->kshift,
		       1ull << res->kshift, res->kshift, (unsigned long long)res->events,
		       1ull << res->kshift);
	if (sampled)
		printf("sampled    rate %.6g: %llu accesses to %llu pages tracked\n",
		       ldexp(res->rate, (int)res->kshift),
		       (unsigned long long)h->accesses, (unsigned long long)res->pages);
	printf("\n%-24s %14s %8s %8s\n", "distance", "accesses", "share", "cumul.");
	for (unsigned int k = 0; k < PA_REUSE_NBUCKETS; k++) {
		uint64_t lo = pa_reuse_bucket_min(k), hi = pa_reuse_bucket_max(k);

		if (!h->bucket[k])
			continue;
		cum += h->bucket[k];
		if (lo == hi)
			snprintf(range, sizeof(range), "%llu", (unsigned long long)lo);
		else
			snprintf(range, sizeof(range), "%llu-%llu", (unsigned long long)lo,
				 (unsigned long long)hi);
		printf("%-24s %14llu %7.2f%% %7.2f%%\n", range,
		       (unsigned long long)scaled(res, h->bucket[k]),
		       100.0 * (double)h->bucket[k] / total, 100.0 * (double)cum / total);
	}
	if (h->cold)
		printf("%-24s %14llu %7.2f%% %7.2f%%\n", "cold",
		       (unsigned long long)scaled(res, h->cold), 100.0 * (double)h->cold / total,
		       100.0 * (double)(cum + h->cold) / total);
	printf("\nLRU miss-ratio curve\n%14s %12s\n", "pages", "miss ratio");
	for (uint64_t c = pages ? 1 : 0; c; c = next_capacity(c, pages))
		printf("%14llu %12.6f\n", (unsigned long long)c, miss_ratio(res, c));
}

struct mrc_points {
	const double *pages;	/* the capacities, in pages */
	const double *bytes;
	const double *miss;
};

static int mrc_tip(void *ctx, size_t i, char *buf, size_t size)
{
	const struct mrc_points *m = ctx;
	char b[32];

	snprintf(buf, size, "LRU cache of %.0f pages (%s): miss ratio %.6f", m->pages[i],
		 pa_plot_format_bytes(m->bytes[i], b, sizeof(b)), m->miss[i]);
	return 0;
}

/* The miss-ratio curve over the cache size in bytes, log2 axis, into @p. */
static int draw_mrc(const struct result *res, int sampled, unsigned int page_size,
		    struct pa_plot *p)
{
	uint64_t pages = scaled(res, res->pages);
	size_t n = 0;
	double *v = malloc(3 * 64 * sizeof(*v) + sizeof(*v));
	struct mrc_points m = { v, v + 64, v + 128 };
	struct pa_plot_axis ax = { "LRU cache size", PA_UNIT_BYTES, 1, page_size, 2.0 * page_size };
	struct pa_plot_axis ay = { "miss ratio", PA_UNIT_RATIO, 0, 0, 1 };
	struct pa_plot_series ser = { .name = sampled ? "miss ratio (SHARDS sample)" :
				      "miss ratio (exact LRU)", .markers = 1, .tip = mrc_tip,
				      .ctx = &m };
	int err;

	if (!v)
		return -PA_ENOMEM;
	for (uint64_t c = pages ? 1 : 0; c && n < 64; c = next_capacity(c, pages)) {
		v[n] = (double)c;
		v[64 + n] = (double)c * page_size;
		v[128 + n] = miss_ratio(res, c);
		n++;
	}
	if (n && v[64 + n - 1] > ax.lo)
		ax.hi = v[64 + n - 1];
	ser.x = m.bytes;
	ser.y = m.miss;
	ser.n = n;
	err = pa_plot_axes(p, &ax, &ay);
	if (!err)
		err = pa_plot_series(p, &ser);
	free(v);
	return err;
}

/* The picture of @res into *@out (the caller closes it). Returns an exit code (reported). */
static int picture(struct pa_store *st, const char *db, const struct pa_filter *f,
		   const struct opts *o, const struct result *res, struct pa_plot **out)
{
	char title[1024], sub[2048], detail[256];
	struct pa_plot *p = NULL;
	unsigned int shift = 12;
	int err = pa_run_page_shift(st, &shift);

	*out = NULL;
	snprintf(detail, sizeof(detail), "; %llu accesses, %llu distinct pages%s",
		 (unsigned long long)accesses(res), (unsigned long long)scaled(res, res->pages),
		 o->rate > 0 || res->kshift ? ", sampled: estimates" : "");
	if (!err)
		err = pa_fig_titles(st, db, f, "miss-ratio curve", detail, title, sizeof(title),
				    sub, sizeof(sub));
	if (err)
		return pa_run_error(st, db, err);
	err = pa_plot_open(title, sub, &p);
	if (!err)
		err = draw_mrc(res, o->rate > 0 || res->kshift, 1u << shift, p);
	if (err) {
		err = pa_fig_failed(p, err);
		pa_plot_close(p);
		return err;
	}
	*out = p;
	return PA_EXIT_OK;
}

int pa_report_reuse(struct pa_report *r)
{
	struct opts o = { 0 };
	struct pa_plot *p = NULL;
	struct result res;
	unsigned int shift = 12;
	uint64_t pages;
	char size[32];
	int err = scan(r->st, r->filter, 0, &res);
	int rc = err ? pa_run_error(r->st, r->db, err) :
		picture(r->st, r->db, r->filter, &o, &res, &p);

	if (!rc) {
		fprintf(r->f, "<h2>Reuse</h2>\n<p>The miss ratio of an LRU memory of each size, "
			"from exact reuse distances: %llu accesses, %llu of them cold, to %llu "
			"distinct pages%s.</p>\n", (unsigned long long)accesses(&res),
			(unsigned long long)scaled(&res, res.hist.cold),
			(unsigned long long)scaled(&res, res.pages), res.kshift ?
			" (estimates: the kernel traced 1 page in 2^sample_shift, scaled as SHARDS "
			"does)" : "");
		rc = pa_report_figure(r, p);
	}
	if (!rc && !pa_run_page_shift(r->st, &shift)) {
		pages = scaled(&res, res.pages);
		fputs("<table id=\"mrc\">\n<tr><th>pages</th><th>bytes</th><th>miss ratio</th>"
		      "</tr>\n", r->f);
		for (uint64_t c = pages ? 1 : 0; c; c = next_capacity(c, pages))
			fprintf(r->f, "<tr><td>%llu</td><td>%s</td><td>%.6f</td></tr>\n",
				(unsigned long long)c,
				pa_plot_format_bytes((double)c * (1u << shift), size, sizeof(size)),
				miss_ratio(&res, c));
		fputs("</table>\n", r->f);
	}
	pa_plot_close(p);
	return rc;
}

int cmd_reuse(int argc, char **argv)
{
	struct opts o = { 0 };
	struct pa_cli cli;
	struct pa_store *st;
	struct result res;
	int rc = pa_cli_start(argc, argv, &o, &cli, &st);
	int err;

	if (rc)
		return rc < 0 ? PA_EXIT_OK : rc;
	err = scan(st, &cli.filter, o.rate, &res);
	if (err) {
		rc = pa_run_error(st, cli.db, err);
	} else if (cli.json) {
		rc = print_json(&res, o.rate > 0);
	} else if (!pa_fig_wanted(&o.fig)) {
		print_table(&res, o.rate > 0);
		rc = PA_EXIT_OK;
	}
	if (!err && !rc && pa_fig_wanted(&o.fig)) {
		struct pa_plot *p;

		rc = picture(st, cli.db, &cli.filter, &o, &res, &p);
		if (!rc)
			rc = pa_fig_write(p, &o.fig);
		pa_plot_close(p);
	}
	pa_store_close(st);
	return rc;
}

// SPDX-License-Identifier: MIT
/*
 * The page heatmap picture (addrheat.h): time x address, as DAMON's users draw it, with
 * the unmapped gaps of the address space left out. Two passes over the events: the
 * distinct pages, then the counts per (row, column).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addrheat.h"
#include "rundb.h"
#include "pat/hashmap.h"
#include "pat/chunk.h"
#include "pat/error.h"
#include "pat/grow.h"

#define GAP_PAGES_BYTES (16ull << 20)	/* a gap this large always starts a band */
#define NO_MAPPING "[not in maps]"	/* the band of pages outside the run's mappings */

struct page {
	uint64_t page;
	uint64_t first_ns;	/* when first touched: for the mapping that held it */
	uint32_t tgid;
	uint32_t id;		/* in the pair map */
};

struct band {
	uint32_t tgid;
	uint64_t lo, hi;	/* pages [lo, hi] */
	size_t row, rows;
	char *label, *start;
	const char *name;	/* the mapping's, in label */
};

struct addrheat {
	struct pa_hashmap ids;		/* (tgid, page) -> id */
	struct page *pages;
	size_t npages, cap;
	uint32_t *row_of;		/* per id: the first row of the page ... */
	uint32_t *rows_of;		/* ... and how many rows it covers */
	struct band *bands;
	size_t nbands, bands_cap, nrows;
	double *v;			/* nrows x cols events */
	uint32_t *writes;		/* the same, writes */
	uint64_t t_start, width, t0;
	size_t cols;			/* columns of time */
	unsigned int shift;
};

/* Pass 1, for one event: its page, added to the distinct pages when new. */
static int collect(struct addrheat *a, const struct pa_batch *b, size_t i)
{
	uint64_t pg = b->addr[i] >> a->shift;
	uint32_t id;
	int added = pa_hashmap_get(&a->ids, b->tgid[i], pg, &id);

	if (added < 0 || (added && pa_reserve((void **)&a->pages, &a->cap, a->npages + 1,
					      sizeof(*a->pages), 1024)))
		return -PA_ENOMEM;
	if (added)
		a->pages[a->npages++] = (struct page){ pg, b->time_ns[i], b->tgid[i], id };
	return 0;
}

/* Pass 2, for one event: counted in the rows of its page, the column of its time. */
static int count(struct addrheat *a, const struct pa_batch *b, size_t i)
{
	uint64_t t = b->time_ns[i], col;
	uint32_t id;
	size_t cell;

	if (!pa_hashmap_find(&a->ids, b->tgid[i], b->addr[i] >> a->shift, &id))
		return 0;
	col = t > a->t_start ? (t - a->t_start) / a->width : 0;
	col = col < a->cols ? col : a->cols - 1;
	cell = (size_t)a->row_of[id] * a->cols + col;
	for (uint32_t r = 0; r < a->rows_of[id]; r++, cell += a->cols) {
		a->v[cell]++;
		a->writes[cell] += b->flags[i] & PA_EV_WRITE;
	}
	return 0;
}

/* Calls @fn for every event passing @f with an address in [@lo, @hi). */
static int each_event(struct pa_store *st, const struct pa_filter *f, uint64_t lo, uint64_t hi,
		      struct addrheat *a, int (*fn)(struct addrheat *, const struct pa_batch *, size_t))
{
	struct pa_events *ev;
	const struct pa_batch *b;
	int rc, err = pa_events_open(st, f, &ev);

	if (err)
		return err;
	pa_events_columns(ev, PA_COL_TIME | PA_COL_TGID | PA_COL_ADDR | PA_COL_FLAGS);
	while ((rc = pa_events_next(ev, &b)) > 0) {
		for (size_t i = 0; i < b->n && rc > 0; i++)
			if (b->addr[i] >= lo && b->addr[i] < hi && fn(a, b, i))
				rc = -PA_ENOMEM;
		if (rc < 0)
			break;
	}
	pa_events_close(ev);
	return rc < 0 ? rc : 0;
}

static int by_page(const void *x, const void *y)
{
	const struct page *p = x, *q = y;

	if (p->tgid != q->tgid)
		return p->tgid < q->tgid ? -1 : 1;
	return (p->page > q->page) - (p->page < q->page);
}

static int by_gap_desc(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return (a < b) - (a > b);
}

/*
 * The gap (in pages) above which consecutive pages start a new band: 16 MiB, or more
 * when that would make more than @max_bands bands. UINT64_MAX: never.
 */
static uint64_t gap_limit(const struct addrheat *a, size_t max_bands)
{
	uint64_t limit = (GAP_PAGES_BYTES >> a->shift) ? GAP_PAGES_BYTES >> a->shift : 1;
	uint64_t *gaps = malloc((a->npages ? a->npages : 1) * sizeof(*gaps));
	size_t n = 0;

	if (!gaps)
		return limit;
	for (size_t i = 1; i < a->npages; i++)
		if (a->pages[i].tgid == a->pages[i - 1].tgid)
			gaps[n++] = a->pages[i].page - a->pages[i - 1].page;
	/* splitting at the gaps above the max_bands-th largest leaves max_bands bands */
	if (n >= max_bands && gaps[0] > limit) {
		qsort(gaps, n, sizeof(*gaps), by_gap_desc);
		if (gaps[max_bands - 1] > limit)
			limit = gaps[max_bands - 1];
	}
	free(gaps);
	return limit;
}

static int add_band(struct addrheat *a, uint32_t tgid, uint64_t lo, const char *label,
		    int several)
{
	struct band *b;
	char start[32];

	if (pa_reserve((void **)&a->bands, &a->bands_cap, a->nbands + 1, sizeof(*b), 16))
		return -PA_ENOMEM;
	b = &a->bands[a->nbands];
	memset(b, 0, sizeof(*b));
	b->tgid = tgid;
	b->lo = b->hi = lo;
	snprintf(start, sizeof(start), "0x%llx", (unsigned long long)(lo << a->shift));
	if (asprintf(&b->label, several ? "%u: %s" : "%.0u%s", several ? tgid : 0, label) < 0) {
		b->label = NULL;
		return -PA_ENOMEM;
	}
	b->start = strdup(start);
	if (!b->start)
		return -PA_ENOMEM;
	b->name = b->label + strlen(b->label) - strlen(label);
	a->nbands++;
	return 0;
}

/* Cuts the sorted pages into bands: at other processes, large gaps, mapping ends. */
static int make_bands(struct pa_store *st, struct addrheat *a, size_t max_bands)
{
	uint64_t limit = gap_limit(a, max_bands), map_end = 0;
	int several = a->npages && a->pages[0].tgid != a->pages[a->npages - 1].tgid;
	char path[4096];

	for (size_t i = 0; i < a->npages; i++) {
		const struct page *pg = &a->pages[i];
		const struct page *prev = i ? &a->pages[i - 1] : NULL;
		int err, fresh = !prev || prev->tgid != pg->tgid || pg->page - prev->page > limit;

		/* a page past the mapping of the band's first page starts a band */
		if (fresh || (map_end && (pg->page << a->shift) >= map_end)) {
			const char *label;
			struct pa_map m;
			int found = pa_store_map_at(st, pg->tgid, pg->page << a->shift, pg->first_ns,
						    &m, path, sizeof(path));

			if (found < 0)
				return found;
			map_end = found ? m.end : 0;
			/* the next mapping of the same file (text, data, bss) joins its band */
			/*
			 * no mapping of the run covers the page: a trace imported without
			 * its /proc/PID/maps, or a page touched before the first snapshot
			 */
			label = found ? pa_run_map_label(m.path, m.reason) : NO_MAPPING;
			if (fresh || !found || strcmp(label, a->bands[a->nbands - 1].name)) {
				err = add_band(a, pg->tgid, pg->page, label, several);
				if (err)
					return err;
			}
		}
		a->bands[a->nbands - 1].hi = pg->page;
	}
	return 0;
}

/*
 * Gives each band rows by its span, at least a 40th of @want (so that its name fits),
 * and each page its rows: more than one when its band has more rows than pages.
 */
static int place_rows(struct addrheat *a, size_t want)
{
	uint64_t total = 0;
	size_t spare, row = 0, least = (want + 39) / 40;

	for (size_t i = 0; i < a->nbands; i++)
		total += a->bands[i].hi - a->bands[i].lo + 1;
	spare = want > least * a->nbands ? want - least * a->nbands : 0;
	for (size_t i = 0; i < a->nbands; i++) {
		struct band *b = &a->bands[i];
		uint64_t span = b->hi - b->lo + 1;
		double share = (double)spare * (double)span / (double)(total ? total : 1);

		b->row = row;
		b->rows = least + (size_t)share;
		row += b->rows;
	}
	a->nrows = row;
	a->row_of = malloc((a->ids.count ? a->ids.count : 1) * sizeof(*a->row_of));
	a->rows_of = malloc((a->ids.count ? a->ids.count : 1) * sizeof(*a->rows_of));
	if (!a->row_of || !a->rows_of)
		return -PA_ENOMEM;
	for (size_t i = 0, k = 0; i < a->npages; i++) {
		const struct page *pg = &a->pages[i];
		const struct band *b;
		uint64_t j, first, next;

		while (pg->tgid != a->bands[k].tgid || pg->page > a->bands[k].hi)
			k++;
		b = &a->bands[k];
		/* page j of S covers rows [floor(j R / S), floor((j + 1) R / S)), at least one */
		j = pg->page - b->lo;
		first = j * b->rows / (b->hi - b->lo + 1);
		next = (j + 1) * b->rows / (b->hi - b->lo + 1);
		a->row_of[pg->id] = (uint32_t)(b->row + first);
		a->rows_of[pg->id] = (uint32_t)(next > first ? next - first : 1);
	}
	return 0;
}

/* The band of row @r. */
static const struct band *band_of(const struct addrheat *a, size_t r)
{
	size_t lo = 0, hi = a->nbands;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->bands[mid].row <= r)
			lo = mid;
		else
			hi = mid;
	}
	return &a->bands[lo];
}

/* The band of row @r, and the pages [*@first, *@end) the row shows. */
static const struct band *row_pages(const struct addrheat *a, size_t r, uint64_t *first,
				    uint64_t *end)
{
	const struct band *b = band_of(a, r);
	uint64_t span = b->hi - b->lo + 1, j = r - b->row;

	/* the inverse of place_rows' mapping */
	*first = b->lo + (b->rows >= span ? ((j + 1) * span - 1) / b->rows :
			  (j * span + b->rows - 1) / b->rows);
	*end = b->rows >= span ? *first + 1 : b->lo + ((j + 1) * span + b->rows - 1) / b->rows;
	return b;
}

static int cell_tip(void *ctx, size_t r, size_t k, char *buf, size_t size)
{
	const struct addrheat *a = ctx;
	uint64_t first, end;
	const struct band *b = row_pages(a, r, &first, &end);
	size_t cell = r * a->cols + k;
	double from = (double)(int64_t)(a->t_start - a->t0 + k * a->width) / 1e6;

	snprintf(buf, size, "%s\n0x%llx to 0x%llx (%llu pages)\n%.3f to %.3f ms: %.0f events "
		 "(%.0f reads, %u writes)", b->label, (unsigned long long)(first << a->shift),
		 (unsigned long long)(end << a->shift), (unsigned long long)(end - first), from,
		 from + (double)a->width / 1e6, a->v[cell], a->v[cell] - a->writes[cell],
		 a->writes[cell]);
	return 0;
}

/* The tooltip of row @r: its pages and all their events. */
static int row_tip(void *ctx, size_t r, char *buf, size_t size)
{
	const struct addrheat *a = ctx;
	uint64_t first, end, writes = 0;
	const struct band *b = row_pages(a, r, &first, &end);
	double events = 0;

	for (size_t k = 0; k < a->cols; k++) {
		events += a->v[r * a->cols + k];
		writes += a->writes[r * a->cols + k];
	}
	snprintf(buf, size, "%s\n0x%llx to 0x%llx (%llu pages)\nthe whole run: %.0f events "
		 "(%.0f reads, %llu writes)", b->label, (unsigned long long)(first << a->shift),
		 (unsigned long long)(end << a->shift), (unsigned long long)(end - first), events,
		 events - (double)writes, (unsigned long long)writes);
	return 0;
}

static void addrheat_free(struct addrheat *a)
{
	for (size_t i = 0; i < a->nbands; i++) {
		free(a->bands[i].label);
		free(a->bands[i].start);
	}
	free(a->bands);
	free(a->pages);
	free(a->row_of);
	free(a->rows_of);
	free(a->v);
	free(a->writes);
	pa_hashmap_free(&a->ids);
}

/*
 * Columns for @span ns of time: one per tracing interval (meta interval_us, else the
 * tracer's default of 1 ms), since finer columns hold nothing new, and at most
 * PA_ADDRHEAT_MAX_COLS, two pixels each.
 */
static size_t time_columns(struct pa_store *st, uint64_t span)
{
	int64_t us = 0;
	uint64_t interval, cols;

	if (pa_store_get_meta_int(st, "interval_us", &us) != 0 || us <= 0)
		us = 1000;
	interval = (uint64_t)us * 1000;
	cols = span / interval + (span % interval != 0);
	return cols < 1 ? 1 : cols > PA_ADDRHEAT_MAX_COLS ? PA_ADDRHEAT_MAX_COLS : (size_t)cols;
}

int pa_addrheat_draw(struct pa_store *st, const struct pa_filter *f, uint64_t addr_lo,
		     uint64_t addr_hi, unsigned int shift, uint64_t t0, uint64_t t_start,
		     uint64_t t_end, unsigned int rows, struct pa_plot *p)
{
	struct addrheat a = { .shift = shift, .t0 = t0, .t_start = t_start };
	struct pa_plot_band *bands = NULL;
	static const char none[] = "(no events)";
	int err;

	a.cols = time_columns(st, t_end > t_start ? t_end - t_start : 1);
	a.width = (t_end > t_start ? t_end - t_start - 1 : 0) / a.cols + 1;
	if (pa_hashmap_init(&a.ids, 1024))
		return -PA_ENOMEM;
	err = each_event(st, f, addr_lo, addr_hi, &a, collect);
	if (!err) {
		if (a.npages)
			qsort(a.pages, a.npages, sizeof(*a.pages), by_page);
		err = make_bands(st, &a, rows / 2 ? rows / 2 : 1);
	}
	if (!err && !a.nbands)
		err = add_band(&a, 0, 0, none, 0);
	if (!err)
		err = place_rows(&a, rows);
	if (!err) {
		a.v = calloc(a.nrows * a.cols, sizeof(*a.v));
		a.writes = calloc(a.nrows * a.cols, sizeof(*a.writes));
		bands = calloc(a.nbands, sizeof(*bands));
		err = a.v && a.writes && bands ? 0 : -PA_ENOMEM;
	}
	if (!err)
		err = each_event(st, f, addr_lo, addr_hi, &a, count);
	if (!err) {
		struct pa_plot_grid g = {
			.rows = a.nrows, .cols = a.cols, .v = a.v, .bands = bands,
			.nbands = a.nbands, .tip = cell_tip, .row_tip = row_tip, .ctx = &a,
			.y_label = "address (gaps between mappings and of 16 MiB+ left out)",
			.value_label = "events per cell",
			.x = { "time since run start", PA_UNIT_TIME_NS, 0,
			       (double)(int64_t)(t_start - t0),
			       (double)(int64_t)(t_start - t0) + (double)a.width * a.cols },
		};

		for (size_t i = 0; i < a.nbands; i++)
			bands[i] = (struct pa_plot_band){ a.bands[i].row, a.bands[i].rows,
							  a.bands[i].label, a.npages ? a.bands[i].start : NULL };
		err = pa_plot_grid(p, &g);
	}
	free(bands);
	addrheat_free(&a);
	return err;
}

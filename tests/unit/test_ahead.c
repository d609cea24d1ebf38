// SPDX-License-Identifier: MIT
/*
 * The event readers of the analyses: pa_events_next (in the caller's thread) and
 * pa_ahead_next (a reader thread decoding ahead into a ring of pieces) hand out every
 * stored event once, in order, in pieces of at most 4096, with the filters applied;
 * a chunk found damaged at open or only in a later piece stops them with a message
 * naming the chunk, and closing early neither hangs nor leaks (ASan).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <zstd.h>

#include "ahead.h"
#include "events.h"
#include "pat/chunk.h"
#include "pat/error.h"
#include "pat/store.h"
#include "rundir.h"
#include "varint.h"

#define T0 100000000000ull

/* Chunk sizes of the test run: pieces end inside and at the ends of chunks. */
static const size_t sizes[] = { 9000, 1, 20000, 4096, 4097, 300 };
#define NCHUNKS (sizeof(sizes) / sizeof(sizes[0]))

struct fixture {
	struct rundir run;
	struct pa_batch all;	/* every event of the run, in order */
};

static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/*
 * Events [@first, @first + @n) of the run: two processes, a new ip for most events
 * (so that the symbol column is stored as raw bytes, where a flipped byte shows only
 * when its event is decoded), random pages and R/W.
 */
static void make_events(struct pa_batch *b, size_t first, size_t n)
{
	uint64_t s = 42 + first;

	assert_int_equal(pa_batch_reserve(b, first + n), 0);
	for (size_t i = first; i < first + n; i++) {
		uint64_t r = rnd(&s);

		b->time_ns[i] = T0 + i * 1000;
		b->ip[i] = 0x400000 + (rnd(&s) % 100000) * 4;
		b->addr[i] = 0x7f0000000000ull + (r % 5000) * 4096 + (r >> 40) % 4096;
		b->aux[i] = 0;
		b->tgid[i] = (r >> 20) & 1 ? 100 : 200;
		b->tid[i] = b->tgid[i];
		b->flags[i] = (uint8_t)((r >> 24) & (PA_EV_WRITE | PA_EV_DEMAND));
	}
	b->n = first + n;
}

static void put_chunk(struct pa_store *st, struct pa_codec *c, const struct pa_batch *b,
		      size_t first, size_t n)
{
	const void *blob;
	size_t len;

	assert_int_equal(pa_chunk_encode(c, b, first, n, &blob, &len), 0);
	assert_int_equal(pa_store_put_chunk(st, b->time_ns[first], b->time_ns[first + n - 1],
					    n, blob, len), 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct pa_codec *c = pa_codec_new(1);
	struct pa_store *st;
	size_t first = 0;

	if (!f || !c || rundir_make(&f->run, "ahead"))
		return -1;
	assert_int_equal(pa_batch_init(&f->all, 0), 0);
	assert_int_equal(pa_store_create(f->run.path, &st), 0);
	assert_int_equal(pa_store_begin(st), 0);
	for (size_t k = 0; k < NCHUNKS; k++) {
		make_events(&f->all, first, sizes[k]);
		put_chunk(st, c, &f->all, first, sizes[k]);
		first += sizes[k];
	}
	assert_int_equal(pa_store_commit(st), 0);
	assert_int_equal(pa_store_finish(st), 0);
	assert_int_equal(pa_store_close(st), 0);
	pa_codec_free(c);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (rundir_remove(&f->run))
		return -1;
	pa_batch_free(&f->all);
	free(f);
	return 0;
}

/* Does event @i of @all pass @flt? Written apart from events.c's filter. */
static int passes(const struct pa_batch *all, size_t i, const struct pa_filter *flt)
{
	uint64_t rel = all->time_ns[i] - T0;

	return (!flt->pid || all->tgid[i] == flt->pid) &&
	       (!flt->rw || (flt->rw == 'w') == !!(all->flags[i] & PA_EV_WRITE)) &&
	       (!flt->has_from || rel >= flt->from_ns) && (!flt->has_to || rel < flt->to_ns);
}

/*
 * Reads the run through pa_ahead (@threaded) or pa_events_next and checks every
 * event against @all filtered by @flt. Returns the final return code of the reader
 * (0 at the end) and sets *@seen to the events read before it.
 */
static int read_run(const char *path, const struct pa_batch *all, const struct pa_filter *flt,
		    int threaded, size_t *seen, char *msg, size_t msglen)
{
	struct pa_store *st;
	struct pa_ahead *a = NULL;
	struct pa_events *ev = NULL;
	const struct pa_batch *b;
	size_t at = 0;
	int rc;

	assert_int_equal(pa_store_open(path, &st), 0);
	if (threaded) {
		assert_int_equal(pa_ahead_open(st, flt, PA_COL_ALL, &a), 0);
		assert_int_equal(pa_ahead_t0(a), T0);
	} else {
		assert_int_equal(pa_events_open(st, flt, &ev), 0);
	}
	*seen = 0;
	while ((rc = threaded ? pa_ahead_next(a, &b) : pa_events_next(ev, &b)) > 0) {
		assert_true(b->n > 0 && b->n <= 4096);
		for (size_t j = 0; j < b->n; j++) {
			while (at < all->n && !passes(all, at, flt))
				at++;
			assert_true(at < all->n);
			assert_int_equal(b->time_ns[j], all->time_ns[at]);
			assert_int_equal(b->ip[j], all->ip[at]);
			assert_int_equal(b->addr[j], all->addr[at]);
			assert_int_equal(b->tgid[j], all->tgid[at]);
			assert_int_equal(b->tid[j], all->tid[at]);
			assert_int_equal(b->flags[j], all->flags[at]);
			at++;
			(*seen)++;
		}
	}
	if (rc == 0)
		while (at < all->n)
			assert_false(passes(all, at++, flt));
	snprintf(msg, msglen, "%s", pa_store_errmsg(st));
	pa_ahead_close(a);
	pa_events_close(ev);
	pa_store_close(st);
	return rc;
}

static void test_every_event_in_order(void **state)
{
	struct fixture *f = *state;
	struct pa_filter flt[4];
	size_t seen;
	char msg[256];

	memset(flt, 0, sizeof(flt));
	flt[1].pid = 200;
	flt[2].rw = 'w';
	flt[3].has_from = flt[3].has_to = 1;
	flt[3].from_ns = 9000 * 1000;	/* from the second chunk... */
	flt[3].to_ns = 30000 * 1000;	/* ...into the fourth */
	for (int threaded = 0; threaded < 2; threaded++) {
		for (int k = 0; k < 4; k++) {
			size_t want = 0;

			for (size_t i = 0; i < f->all.n; i++)
				want += (size_t)passes(&f->all, i, &flt[k]);
			assert_int_equal(read_run(f->run.path, &f->all, &flt[k], threaded, &seen, msg,
						  sizeof(msg)), 0);
			assert_int_equal(seen, want);
		}
	}
	/* the filters are not empty, and not everything */
	assert_true(seen > 1000 && seen < f->all.n);
}

static void sql_exec(const char *path, const char *stmt)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, stmt, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* Replaces chunk @id's data by @blob (@len bytes). */
static void set_chunk(const char *path, int id, const void *blob, size_t len)
{
	sqlite3 *db;
	sqlite3_stmt *s;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "UPDATE chunks SET data = ? WHERE id = ?", -1,
					    &s, NULL), SQLITE_OK);
	sqlite3_bind_blob(s, 1, blob, (int)len, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 2, id);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/*
 * Chunk 3 (20000 events) re-made with a header that says its last time is 1 ns later
 * (or earlier) than its events', checksummed as the encoder would, and its row saying the same:
 * pa_chunk_open accepts it, and the last piece with times refuses it, which is the
 * damage the ring's reader finds mid-chunk. (A flipped byte no longer gets past the
 * checksums at open.) Returns the blob (*@len bytes) and sets *@last to the time claimed.
 */
static uint8_t *late_damage(const struct pa_batch *all, size_t *len, uint64_t *last)
{
	struct pa_codec *c = pa_codec_new(1);
	ZSTD_CCtx *z = ZSTD_createCCtx();
	const uint8_t *blob, *p, *end;
	uint8_t *hdr, *out;
	uint64_t flen = 0, v[5];
	size_t hlen, zlen, rest;

	assert_int_equal(pa_chunk_encode(c, all, 9001, 20000, (const void **)&blob, len), 0);
	/* prefix, then "varint length, frame" of the header: n, tick, base, before, after */
	p = blob + 3;
	end = blob + *len;
	assert_int_equal(pa_get_varint(&p, end, &flen), 0);
	hlen = (size_t)ZSTD_getFrameContentSize(p, flen);
	hdr = malloc(hlen);
	assert_non_null(hdr);
	hlen = ZSTD_decompress(hdr, hlen, p, flen);
	assert_false(ZSTD_isError(hlen));
	{
		const uint8_t *h = hdr, *hend = hdr + hlen;
		uint8_t *w = NULL;

		for (int k = 0; k < 5; k++) {
			w = (uint8_t *)h;
			assert_int_equal(pa_get_varint(&h, hend, &v[k]), 0);
		}
		/* 'after' one more, or one less, in its first byte: the same length */
		if ((*w & 0x7f) != 0x7f) {
			(*w)++;
			*last = v[2] + v[4] + 1;
		} else {
			(*w)--;
			*last = v[2] + v[4] - 1;
		}
	}
	rest = (size_t)(end - (p + flen));
	out = malloc(*len + 64);
	assert_non_null(out);
	memcpy(out, blob, 3);
	assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(z, ZSTD_c_checksumFlag, 1)));
	zlen = ZSTD_compress2(z, out + 3 + 10, *len + 64 - 13, hdr, hlen);
	assert_false(ZSTD_isError(zlen));
	{
		uint8_t lenbuf[10];
		size_t ll = (size_t)(pa_put_varint(lenbuf, zlen) - lenbuf);

		memmove(out + 3 + ll, out + 13, zlen);
		memcpy(out + 3, lenbuf, ll);
		memcpy(out + 3 + ll + zlen, p + flen, rest);
		*len = 3 + ll + zlen + rest;
	}
	ZSTD_freeCCtx(z);
	pa_codec_free(c);
	free(hdr);
	return out;
}

static void test_damaged_chunk_stops(void **state)
{
	struct fixture *f = *state;
	struct pa_filter none;
	size_t len, seen;
	uint64_t last;
	uint8_t *late = late_damage(&f->all, &len, &last);
	char msg[256], q[128];

	memset(&none, 0, sizeof(none));
	/* damaged in a later piece of chunk 3: chunks 1 and 2 come whole, then the error */
	set_chunk(f->run.path, 3, late, len);
	snprintf(q, sizeof(q), "UPDATE chunks SET last_ns = %llu WHERE id = 3",
		 (unsigned long long)last);
	sql_exec(f->run.path, q);
	for (int threaded = 0; threaded < 2; threaded++) {
		assert_int_equal(read_run(f->run.path, &f->all, &none, threaded, &seen, msg,
					  sizeof(msg)), -PA_ECORRUPT);
		assert_true(seen >= 9001 && seen < 9001 + 20000);
		assert_non_null(strstr(msg, "chunk 3 ("));
		assert_non_null(strstr(msg, "is damaged: its times are not the time range"));
	}
	/* damaged where it is opened */
	late[0] ^= 1;
	set_chunk(f->run.path, 3, late, len);
	for (int threaded = 0; threaded < 2; threaded++) {
		assert_int_equal(read_run(f->run.path, &f->all, &none, threaded, &seen, msg,
					  sizeof(msg)), -PA_ECORRUPT);
		assert_int_equal(seen, 9001);
		assert_non_null(strstr(msg, "chunk 3 ("));
		assert_non_null(strstr(msg, "is damaged"));
	}
	free(late);
}

/* Closing after one piece, with the reader still filling the ring, returns. */
static void test_close_early(void **state)
{
	struct fixture *f = *state;
	struct pa_store *st;
	struct pa_ahead *a;
	const struct pa_batch *b;

	assert_int_equal(pa_store_open(f->run.path, &st), 0);
	for (int k = 0; k < 50; k++) {
		assert_int_equal(pa_ahead_open(st, NULL, PA_COL_TIME, &a), 0);
		if (k % 2)
			assert_int_equal(pa_ahead_next(a, &b), 1);
		pa_ahead_close(a);
	}
	pa_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_event_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_chunk_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_early, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

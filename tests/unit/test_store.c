// SPDX-License-Identifier: MIT
/* The run database: create, reopen, chunk iteration, and refusal of foreign files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "pat/chunk.h"
#include "pat/error.h"
#include "pat/format.h"
#include "pat/store.h"
#include "rundir.h"

static int setup(void **state)
{
	struct rundir *f = calloc(1, sizeof(*f));

	if (!f || rundir_make(f, "store"))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct rundir *f = *state;

	if (rundir_remove(f))
		return -1;
	free(f);
	return 0;
}

static void sql(const char *path, const char *stmt)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, stmt, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void write_chunks(const char *path, int nchunks)
{
	struct pa_store *st;
	struct pa_codec *c = pa_codec_new(1);
	struct pa_batch b;

	assert_int_equal(pa_store_create(path, &st), 0);
	assert_int_equal(pa_batch_init(&b, 100), 0);
	for (int k = 0; k < nchunks; k++) {
		const void *blob;
		size_t len;

		for (size_t i = 0; i < 100; i++) {
			b.time_ns[i] = (uint64_t)k * 1000000 + i;
			b.ip[i] = 0x1000 + (uint64_t)k;
			b.addr[i] = i << 12;
			b.aux[i] = 0;
			b.tid[i] = b.tgid[i] = 7;
			b.flags[i] = (uint8_t)(i & 1);
		}
		b.n = 100;
		assert_int_equal(pa_chunk_encode(c, &b, 0, 100, &blob, &len), 0);
		assert_int_equal(pa_store_begin(st), 0);
		assert_int_equal(pa_store_put_chunk(st, b.time_ns[0], b.time_ns[99], 100, blob,
						    len), 0);
		assert_int_equal(pa_store_commit(st), 0);
	}
	assert_int_equal(pa_store_set_meta_text(st, "source", "test"), 0);
	assert_int_equal(pa_store_finish(st), 0);
	assert_int_equal(pa_store_close(st), 0);
	pa_batch_free(&b);
	pa_codec_free(c);
}

static void test_create_and_read(void **state)
{
	struct rundir *f = *state;
	struct pa_store *st;
	struct pa_chunk_iter *it;
	struct pa_batch b;
	char text[32];
	int64_t v = 0;
	uint64_t stored = 0;
	int k = 0, rc;

	write_chunks(f->path, 3);
	assert_int_equal(pa_store_open(f->path, &st), 0);
	assert_int_equal(pa_store_get_meta_int(st, "format_version", &v), 0);
	assert_int_equal(v, PA_FORMAT_VERSION);
	assert_int_equal(pa_store_get_meta_text(st, "source", text, sizeof(text)), 0);
	assert_string_equal(text, "test");
	assert_int_equal(pa_store_get_meta_text(st, "nope", text, sizeof(text)), 1);
	assert_int_equal(pa_batch_init(&b, 0), 0);
	assert_int_equal(pa_store_chunks_begin(st, &it), 0);
	while ((rc = pa_store_chunks_next(it, &b, &stored)) > 0) {
		assert_int_equal(b.n, 100);
		assert_int_equal(b.ip[0], 0x1000 + (uint64_t)k);
		k++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(k, 3);
	assert_true(stored > 0);
	pa_store_chunks_end(it);

	/* a time range skips chunks that cannot hold events in it */
	k = 0;
	assert_int_equal(pa_store_chunks_range(st, 1000000, 1000050, &it), 0);
	while (pa_store_chunks_next(it, &b, NULL) > 0)
		k++;
	assert_int_equal(k, 1);
	pa_store_chunks_end(it);

	/* only the columns asked for (and what they need: addr needs the ip symbols) */
	assert_int_equal(pa_store_chunks_begin(st, &it), 0);
	pa_store_chunks_columns(it, PA_COL_ADDR | PA_COL_TIME);
	assert_int_equal(pa_store_chunks_next(it, &b, NULL), 1);
	assert_int_equal(b.n, 100);
	for (size_t i = 0; i < 100; i++)
		b.tgid[i] = 43;
	assert_int_equal(pa_store_chunks_next(it, &b, NULL), 1);
	assert_int_equal(b.addr[5], 5 << 12);
	assert_int_equal(b.time_ns[5], 1000005);
	assert_int_equal(b.tgid[5], 43);	/* not decoded */
	pa_store_chunks_end(it);
	pa_batch_free(&b);
	pa_store_close(st);
}

static void test_create_refuses_existing(void **state)
{
	struct rundir *f = *state;
	struct pa_store *st;
	FILE *fp = fopen(f->path, "w");

	assert_non_null(fp);
	fputs("precious", fp);
	fclose(fp);
	assert_int_equal(pa_store_create(f->path, &st), -PA_EEXIST);
	assert_non_null(strstr(pa_store_errmsg(st), f->path));
	pa_store_close(st);
	fp = fopen(f->path, "r");
	assert_non_null(fp);
	char buf[16] = "";
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	assert_string_equal(buf, "precious");
}

static void test_open_refusals(void **state)
{
	struct rundir *f = *state;
	struct pa_store *st;
	char other[160];
	FILE *fp;

	assert_int_equal(pa_store_open(f->path, &st), -PA_ENOENT);
	assert_non_null(strstr(pa_store_errmsg(st), f->path));
	pa_store_close(st);

	fp = fopen(f->path, "w");
	fputs("this is a text file, long enough to look like something...........\n", fp);
	fclose(fp);
	assert_int_equal(pa_store_open(f->path, &st), -PA_ENOTDB);
	pa_store_close(st);
	unlink(f->path);

	/* an SQLite database of some other program */
	snprintf(other, sizeof(other), "%s/other.db", f->dir);
	sql(other, "CREATE TABLE t (x)");
	assert_int_equal(pa_store_open(other, &st), -PA_EFOREIGN);
	pa_store_close(st);

	/* a pat database from a future version */
	write_chunks(f->path, 1);
	sql(f->path, "PRAGMA user_version = 99");
	assert_int_equal(pa_store_open(f->path, &st), -PA_EVERSION);
	assert_non_null(strstr(pa_store_errmsg(st), "99"));
	assert_non_null(strstr(pa_store_errmsg(st), "newer"));
	pa_store_close(st);
	sql(f->path, "PRAGMA user_version = 0");
	assert_int_equal(pa_store_open(f->path, &st), -PA_EVERSION);
	pa_store_close(st);
}

/*
 * Format version 1 is read, its chunks without checksums; a version 2 database whose
 * chunk has none is damaged. The row's metadata must agree with the chunk.
 */
static void test_versions_and_meta(void **state)
{
	struct rundir *f = *state;
	struct pa_store *st;
	struct pa_chunk_iter *it;
	struct pa_batch b;
	/* tests/unit/test_chunk.c's V1 blob: 32 events from 100 s, 1 us apart */
	static const char v1[] = "x'50430128b52ffd601e00350200740220e80780d0dbc3f40202a0c080041f2000"
		"0221a442002003200146808080c0c6c43f8041ffce070c0080c01a06000b80b2"
		"478e415c7734110688c575589413804888200c'";
	char q[512];

	assert_int_equal(pa_batch_init(&b, 0), 0);
	write_chunks(f->path, 1);
	snprintf(q, sizeof(q), "UPDATE chunks SET data = %s, events = 32, first_ns = "
		 "100000000000, last_ns = 100000031000; PRAGMA user_version = 1", v1);
	sql(f->path, q);
	assert_int_equal(pa_store_open(f->path, &st), 0);
	assert_int_equal(pa_store_chunks_begin(st, &it), 0);
	assert_int_equal(pa_store_chunks_next(it, &b, NULL), 1);
	assert_int_equal(b.n, 32);
	assert_int_equal(b.time_ns[31], 100000031000ull);
	pa_store_chunks_end(it);
	pa_store_close(st);

	sql(f->path, "PRAGMA user_version = 2");
	assert_int_equal(pa_store_open(f->path, &st), 0);
	assert_int_equal(pa_store_chunks_begin(st, &it), 0);
	assert_int_equal(pa_store_chunks_next(it, &b, NULL), -PA_ECORRUPT);
	assert_non_null(strstr(pa_store_errmsg(st), "no checksums"));
	pa_store_chunks_end(it);
	pa_store_close(st);

	/* a row whose count or time range lies */
	static const char *const lies[] = {
		"UPDATE chunks SET events = 99 WHERE id = 1",
		"UPDATE chunks SET first_ns = first_ns + 1 WHERE id = 1",
		"UPDATE chunks SET last_ns = last_ns + 1 WHERE id = 1",
	};
	for (size_t i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
		unlink(f->path);
		write_chunks(f->path, 1);
		sql(f->path, lies[i]);
		assert_int_equal(pa_store_open(f->path, &st), 0);
		assert_int_equal(pa_store_chunks_begin(st, &it), 0);
		assert_int_equal(pa_store_chunks_next(it, &b, NULL), -PA_ECORRUPT);
		assert_non_null(strstr(pa_store_errmsg(st), "chunk 1"));
		pa_store_chunks_end(it);
		pa_store_close(st);
	}
	pa_batch_free(&b);
}

static void test_truncated_database(void **state)
{
	struct rundir *f = *state;
	struct pa_store *st;
	struct pa_chunk_iter *it;
	struct pa_batch b;
	int rc, err;

	write_chunks(f->path, 40);
	/* cut the file in half: opening or reading must fail cleanly, never crash */
	FILE *fp = fopen(f->path, "r+");
	fseek(fp, 0, SEEK_END);
	long size = ftell(fp);
	fclose(fp);
	assert_int_equal(truncate(f->path, size / 2), 0);
	err = pa_store_open(f->path, &st);
	if (err == 0) {
		assert_int_equal(pa_batch_init(&b, 0), 0);
		err = pa_store_chunks_begin(st, &it);
		if (err == 0) {
			while ((rc = pa_store_chunks_next(it, &b, NULL)) > 0)
				;
			err = rc;
			pa_store_chunks_end(it);
		}
		pa_batch_free(&b);
	}
	assert_true(err < 0);
	pa_store_close(st);
}

static void test_damaged_chunk_named(void **state)
{
	struct rundir *f = *state;
	struct pa_store *st;
	struct pa_chunk_iter *it;
	struct pa_batch b;

	write_chunks(f->path, 2);
	sql(f->path, "UPDATE chunks SET data = x'504301deadbeef' WHERE id = 2");
	assert_int_equal(pa_store_open(f->path, &st), 0);
	assert_int_equal(pa_batch_init(&b, 0), 0);
	assert_int_equal(pa_store_chunks_begin(st, &it), 0);
	assert_int_equal(pa_store_chunks_next(it, &b, NULL), 1);
	assert_int_equal(pa_store_chunks_next(it, &b, NULL), -PA_ECORRUPT);
	assert_non_null(strstr(pa_store_errmsg(st), "chunk 2"));
	pa_store_chunks_end(it);
	pa_batch_free(&b);
	pa_store_close(st);
}

/* A chunk whose data is not a blob at all is damage, named like any other. */
static void test_chunk_not_blob(void **state)
{
	static const char *const values[] = { "'PC'", "42", "1.5" };
	struct rundir *f = *state;

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		struct pa_store *st;
		struct pa_chunk_iter *it;
		struct pa_batch b;
		char q[96];

		unlink(f->path);
		write_chunks(f->path, 3);
		snprintf(q, sizeof(q), "UPDATE chunks SET data = %s WHERE id = 2", values[i]);
		sql(f->path, q);
		assert_int_equal(pa_store_open(f->path, &st), 0);
		assert_int_equal(pa_batch_init(&b, 0), 0);
		assert_int_equal(pa_store_chunks_begin(st, &it), 0);
		assert_int_equal(pa_store_chunks_next(it, &b, NULL), 1);
		assert_int_equal(pa_store_chunks_next(it, &b, NULL), -PA_ECORRUPT);
		/* the file, the chunk, its time range (write_chunks: 1 ms + 0..99 ns) */
		assert_non_null(strstr(pa_store_errmsg(st), f->path));
		assert_non_null(strstr(pa_store_errmsg(st),
				       "chunk 2 (times 0.001000000-0.001000099 s) is damaged"));
		pa_store_chunks_end(it);
		pa_batch_free(&b);
		pa_store_close(st);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_and_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_refuses_existing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_versions_and_meta, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_chunk_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chunk_not_blob, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

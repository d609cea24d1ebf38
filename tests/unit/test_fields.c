// SPDX-License-Identifier: MIT
/*
 * The event column tables of pat/event.h against what is built from them: every batch
 * column is allocated, kept by a reserve and decoded under its codec bit; every field
 * is documented by `paanalyze help export` and named in the CSV header that export
 * writes, in table order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "commands.h"
#include "pat/chunk.h"
#include "pat/event.h"

/* The command table is paanalyze.c's, not linked here; export's help is all we read. */
const struct pa_command *pa_find_command(const char *name)
{
	(void)name;
	return NULL;
}

static void test_batch_columns(void **state)
{
	struct pa_batch b;
	unsigned int all = 0;

	(void)state;
	assert_int_equal(pa_batch_init(&b, 100), 0);
	/* each column holds cap values of its type, and keeps them across a reserve */
#define FILL(name, type, codec)						\
	assert_non_null(b.name);					\
	for (size_t i = 0; i < 100; i++)				\
		b.name[i] = (type)(i * 7 + sizeof(type));		\
	assert_int_equal(all & (codec), 0);				\
	all |= (codec);
	PA_BATCH_COLUMNS(FILL)
#undef FILL
	assert_int_equal(pa_batch_reserve(&b, 100000), 0);
#define CHECK(name, type, codec)					\
	for (size_t i = 0; i < 100; i++)				\
		assert_int_equal(b.name[i], (type)(i * 7 + sizeof(type)));	\
	b.name[99999] = (type)1;
	PA_BATCH_COLUMNS(CHECK)
#undef CHECK
	/* one codec bit per column, and together every column the codec decodes */
	assert_int_equal(all, PA_COL_ALL);
	pa_batch_free(&b);
	assert_null(b.time_ns);
}

static void test_fields_documented(void **state)
{
	static const char *const keys[] = {
#define KEY(key, kind, column) #key,
		PA_EVENT_FIELDS(KEY)
#undef KEY
	};
	const char *after = cmd_export_usage;

	(void)state;
	/* in `paanalyze help export`, each key starts a line or a column, in table order */
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		size_t len = strlen(keys[k]);
		const char *p = after;

		for (;; p++) {
			p = strstr(p, keys[k]);
			if (!p)
				fail_msg("field %s is not documented after %.20s", keys[k], after);
			if ((p[-1] == ' ' || p[-1] == '\n') && p[len] == ' ')
				break;
		}
		after = p + len;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_columns),
		cmocka_unit_test(test_fields_documented),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

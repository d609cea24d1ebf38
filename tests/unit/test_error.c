// SPDX-License-Identifier: MIT
/*
 * One error convention: pa_error_errno turns an errno into the closest pa_err code and
 * a message naming what failed, and collector/'s file helpers return those codes with
 * their message (checked on real files under /tmp).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pat/error.h"
#include "tracefs.h"

static void test_codes(void **state)
{
	static const struct {
		int sys, code;
	} map[] = {
		{ ENOENT, PA_ENOENT }, { ENOMEM, PA_ENOMEM }, { EACCES, PA_EPERM },
		{ EPERM, PA_EPERM }, { ENOSPC, PA_ENOSPC }, { EEXIST, PA_EEXIST },
		{ EINVAL, PA_EINVAL }, { EIO, PA_EIO }, { EBUSY, PA_EIO },
	};
	struct pa_error e;

	(void)state;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		char want[400];

		assert_int_equal(pa_error_errno(&e, map[i].sys, "/x/y"), -map[i].code);
		assert_int_equal(e.code, -map[i].code);
		assert_int_equal(e.sys, map[i].sys);
		snprintf(want, sizeof(want), "/x/y: %s", strerror(map[i].sys));
		assert_string_equal(e.msg, want);
		/* every code has a description of its own */
		assert_string_not_equal(pa_strerror(e.code), "unknown error");
	}
	assert_int_equal(pa_error_errno(NULL, ENOENT, "x"), -PA_ENOENT);
}

static void test_file_helpers(void **state)
{
	char dir[] = "/tmp/pat-test-error-XXXXXX", path[64], buf[16], want[128];
	struct pa_error e;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	assert_int_equal(pa_read_file(path, buf, sizeof(buf), &e), -PA_ENOENT);
	snprintf(want, sizeof(want), "%s: %s", path, strerror(ENOENT));
	assert_string_equal(e.msg, want);
	assert_int_equal(pa_write_file(path, "x", &e), -PA_ENOENT);	/* no O_CREAT */
	assert_int_equal(pa_write_file(dir, "x", &e), -PA_EIO);	/* a directory */
	assert_int_equal(e.sys, EISDIR);
	fclose(fopen(path, "w"));
	assert_int_equal(pa_write_file(path, "12345678901234567890", NULL), 0);
	assert_int_equal(pa_read_file(path, buf, sizeof(buf), &e), 0);
	assert_string_equal(buf, "123456789012345");	/* cut to fit, NUL-terminated */
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_file_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

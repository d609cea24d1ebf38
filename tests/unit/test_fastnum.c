// SPDX-License-Identifier: MIT
/*
 * The fast path's number and byte readers (collector/fastnum.h) against strtoull and
 * memcmp: every length of decimal and hex field, with and without "0x", at the end of
 * the buffer or before a separator, and the bytes that must stop them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fastnum.h"

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A value with exactly @digits digits in @base (10 or 16): the top digit nonzero. */
static void make_digits(char *buf, unsigned int digits, int hex, uint64_t *s)
{
	static const char hexd[] = "0123456789abcdefABCDEF";

	for (unsigned int i = 0; i < digits; i++)
		buf[i] = hex ? hexd[next(s) % 22] : (char)('0' + next(s) % 10);
	if (buf[0] == '0')
		buf[0] = '7';
	buf[digits] = '\0';
}

static void test_dec(void **state)
{
	uint64_t s = 12345;

	(void)state;
	for (unsigned int digits = 1; digits <= 19; digits++) {
		for (int round = 0; round < 200; round++) {
			/* room after the digits, so that 8-byte loads stay inside the buffer */
			char buf[48] = { 0 };
			const char *end;
			uint64_t v = 0, want;
			size_t len;

			make_digits(buf, digits, 0, &s);
			want = strtoull(buf, NULL, 10);
			len = strlen(buf);
			switch (round % 3) {
			case 0:		/* the field ends the line */
				end = fast_dec(buf, buf + len, &v);
				assert_ptr_equal(end, buf + len);
				break;
			case 1:		/* a space follows */
				strcat(buf, " tgid=1");
				end = fast_dec(buf, buf + strlen(buf), &v);
				assert_ptr_equal(end, buf + len);
				break;
			default:	/* a letter follows: not a number field */
				strcat(buf, "x ");
				end = fast_dec(buf, buf + strlen(buf), &v);
				assert_null(end);
				continue;
			}
			assert_int_equal(v, want);
		}
	}
	/* 20 digits could overflow: refused, as the general parser's checks would */
	{
		const char *b20 = "12345678901234567890";
		uint64_t v;

		assert_null(fast_dec(b20, b20 + 20, &v));
		assert_null(fast_dec(b20, b20, &v));	/* empty */
	}
}

static void test_hex(void **state)
{
	uint64_t s = 777;

	(void)state;
	for (unsigned int digits = 1; digits <= 17; digits++) {
		for (int round = 0; round < 200; round++) {
			char buf[64] = { 0 }, *d = buf;
			uint64_t v = 0;
			const char *end;
			size_t len;

			if (round & 1) {
				memcpy(buf, round & 2 ? "0X" : "0x", 2);
				d += 2;
			}
			make_digits(d, digits, 1, &s);
			len = strlen(buf);
			strcat(buf, " 7fff");
			end = fast_hex(buf, buf + strlen(buf), &v);
			if (digits > 16) {	/* more than 64 bits */
				assert_null(end);
				continue;
			}
			assert_ptr_equal(end, buf + len);
			assert_int_equal(v, strtoull(d, NULL, 16));
			/* hex_exact of exactly the digits, 16 bytes readable */
			v = 0;
			assert_int_equal(hex_exact(d, digits, &v), 1);
			assert_int_equal(v, strtoull(d, NULL, 16));
			/* one digit too many asked: the space is not a digit */
			if (digits < 16)
				assert_int_equal(hex_exact(d, digits + 1, &v), 0);
		}
	}
	{
		const char *g = "12g4 ";
		uint64_t v;

		assert_null(fast_hex(g, g + 5, &v));
	}
}

static void test_dec8_hex8(void **state)
{
	uint64_t s = 99, v;

	(void)state;
	for (int round = 0; round < 2000; round++) {
		char b[9] = { 0 };
		unsigned int n = (unsigned int)(next(&s) % 9), want = 0;

		for (unsigned int i = 0; i < 8; i++)
			b[i] = i < n ? (char)('0' + next(&s) % 10) : (char)(" :.xg\x80\xff"[next(&s) % 7]);
		while (want < 8 && b[want] >= '0' && b[want] <= '9')
			want++;
		v = UINT64_MAX;
		assert_int_equal(dec8(le64toh(load64(b)), &v), want);
		if (want >= 1 && want <= 7) {
			char tmp[9];

			memcpy(tmp, b, want);
			tmp[want] = '\0';
			assert_int_equal(v, strtoull(tmp, NULL, 10));
		}
		/* the same bytes as hex: decimal digits are hex digits; 'x', 'g' are not */
		{
			unsigned int hn = 0;
			char tmp[9];

			while (hn < 8 && strchr("0123456789abcdefABCDEF", b[hn]) && b[hn])
				hn++;
			v = 0;
			assert_int_equal(hex8(le64toh(load64(b)), &v), hn);
			if (hn) {
				memcpy(tmp, b, hn);
				tmp[hn] = '\0';
				assert_int_equal(v, strtoull(tmp, NULL, 16));
			}
		}
	}
}

static void test_same_bytes(void **state)
{
	char a[40], b[40];

	(void)state;
	for (size_t n = 0; n <= 32; n++) {
		for (size_t i = 0; i < 40; i++)
			a[i] = b[i] = (char)('a' + i % 26);
		assert_true(same_bytes(a, b, n));
		for (size_t at = 0; at < n; at++) {
			b[at] ^= 1;
			assert_false(same_bytes(a, b, n));
			b[at] ^= 1;
		}
		/* a difference past n is not looked at */
		b[n] ^= 1;
		assert_true(same_bytes(a, b, n));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dec),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_dec8_hex8),
		cmocka_unit_test(test_same_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
#ifndef PAT_DURATION_H
#define PAT_DURATION_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * pa_parse_duration - "250ms", "1.5s", "300us", "20ns" into nanoseconds, for command
 * lines. A unit is required, so that "10" is never silently read as seconds. Returns 0,
 * or -1 when @s is not such a duration (negative, no digits, unknown unit, overflow).
 */
static inline int pa_parse_duration(const char *s, uint64_t *ns)
{
	static const struct {
		const char *unit;
		double scale;
	} units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
	};
	char *end;
	double v;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	v = strtod(s, &end);
	if (end == s || !(v >= 0) || v > 1e300)
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit) == 0) {
			double x = v * units[i].scale + 0.5;

			if (x >= 1.8e19)
				return -1;
			*ns = (uint64_t)x;
			return 0;
		}
	}
	return -1;
}

#endif

// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <time.h>

#include "pat/version.h"
#include "runmeta.h"

double pa_clock_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

uint64_t pa_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int pa_run_meta(struct pa_store *st, const char *source, int64_t page_size)
{
	time_t t = time(NULL);
	char when[32];
	struct tm tm;
	int err;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	err = pa_store_set_meta_text(st, "tool_version", PA_VERSION);
	if (!err)
		err = pa_store_set_meta_text(st, "source", source);
	if (!err)
		err = pa_store_set_meta_text(st, "created", when);
	if (!err)
		err = pa_store_set_meta_int(st, "page_size", page_size);
	return err;
}

void pa_run_summary_head(const char *output, const struct pa_import_stats *s)
{
	fprintf(stderr, "pacollect: wrote %s: %llu events (%llu R, %llu W)", output,
		(unsigned long long)s->events, (unsigned long long)s->reads,
		(unsigned long long)s->writes);
}

// SPDX-License-Identifier: MIT
#include <string.h>

#include "procmaps.h"

static int hex_field(const char **p, const char *end, char stop, uint64_t *v)
{
	uint64_t x = 0;
	int digits = 0;

	while (*p < end && **p != stop) {
		char c = **p;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

		if (d < 0 || ++digits > 16)
			return -1;
		x = (x << 4) | (uint64_t)d;
		(*p)++;
	}
	if (!digits || *p == end)
		return -1;
	(*p)++;
	*v = x;
	return 0;
}

static int skip_field(const char **p, const char *end)
{
	const char *s = *p;

	while (*p < end && **p != ' ')
		(*p)++;
	if (*p == s || *p == end)
		return -1;
	(*p)++;
	return 0;
}

int pa_parse_maps_line(const char *line, size_t len, struct pa_maps_entry *out)
{
	const char *p = line, *end = line + len;

	memset(out, 0, sizeof(*out));
	if (hex_field(&p, end, '-', &out->start) || hex_field(&p, end, ' ', &out->end))
		return -1;
	out->prot.s = p;
	if (skip_field(&p, end))
		return -1;
	out->prot.len = (size_t)(p - 1 - out->prot.s);
	if (out->prot.len != 4 || hex_field(&p, end, ' ', &out->pgoff))
		return -1;
	if (skip_field(&p, end))	/* dev */
		return -1;
	/* inode: the last field may end the line */
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	while (p < end && *p == ' ')
		p++;
	out->path.s = p;
	out->path.len = (size_t)(end - p);
	return out->end < out->start ? -1 : 0;
}

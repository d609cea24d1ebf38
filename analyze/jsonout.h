/* SPDX-License-Identifier: MIT */
#ifndef PAT_ANALYZE_JSONOUT_H
#define PAT_ANALYZE_JSONOUT_H

#include <jansson.h>

/*
 * pa_json_print - print @doc, the command's one JSON document, on stdout (indented,
 * with a final newline, with jansson's dump @flags besides) and drop the reference to
 * it. NULL means that building it ran out of memory, which is reported. Returns
 * PA_EXIT_OK or PA_EXIT_FAIL.
 */
int pa_json_print(json_t *doc, size_t flags);

#endif

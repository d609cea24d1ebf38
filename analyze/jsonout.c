// SPDX-License-Identifier: MIT
#include <stdio.h>

#include "cli.h"
#include "jsonout.h"

int pa_json_print(json_t *doc, size_t flags)
{
	int rc;

	if (!doc)
		return pa_cli_error("out of memory");
	rc = json_dumpf(doc, stdout, JSON_INDENT(2) | flags);
	json_decref(doc);
	if (rc || putchar('\n') == EOF)
		return PA_EXIT_FAIL;
	return PA_EXIT_OK;
}

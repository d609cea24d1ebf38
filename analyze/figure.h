/* SPDX-License-Identifier: MIT */
#ifndef PAT_ANALYZE_FIGURE_H
#define PAT_ANALYZE_FIGURE_H

#include <stddef.h>

#include "cli.h"
#include "plot/plot.h"
#include "pat/store.h"

/* The picture options of heatmap, wss and reuse: --png FILE, --svg FILE. */
struct pa_fig_out {
	const char *png;
	const char *svg;
};

#define PA_FIG_HELP \
	"  --png FILE    draw the picture into FILE (PNG) instead of printing the table\n" \
	"  --svg FILE    the same as SVG, with a tooltip on every cell and point; both may\n" \
	"                be given. With --json the document is still printed.\n"

/* The getopt rows of the two options, ids PA_OPT_PNG and PA_OPT_SVG. */
#define PA_FIG_OPTIONS \
	{ "png", required_argument, NULL, PA_OPT_PNG }, \
	{ "svg", required_argument, NULL, PA_OPT_SVG }

enum { PA_OPT_PNG = PA_OPT_FIRST_EXTRA + 90, PA_OPT_SVG };

/* pa_fig_option - take option @id with @arg if it is --png or --svg: 1 if taken, else 0. */
int pa_fig_option(struct pa_fig_out *o, int id, const char *arg);

/* pa_fig_wanted - whether @o asks for any picture. */
static inline int pa_fig_wanted(const struct pa_fig_out *o)
{
	return o->png || o->svg;
}

/*
 * pa_fig_titles - the title "@what: COMMAND" and the subtitle (the database, when the
 * run was recorded or imported, the filters of @f, then @detail) of a picture of the
 * run in @st, into @title and @sub. Returns 0 or a negated pa_err.
 */
int pa_fig_titles(struct pa_store *st, const char *db, const struct pa_filter *f,
		  const char *what, const char *detail, char *title, size_t tsize, char *sub,
		  size_t ssize);

/*
 * pa_fig_write - write @p into the files @o asks for, each complete or not at all
 * (written beside it, then renamed). Reports a failure on stderr naming the file.
 * Returns PA_EXIT_OK or PA_EXIT_FAIL.
 */
int pa_fig_write(struct pa_plot *p, const struct pa_fig_out *o);

/*
 * pa_fig_failed - report a failure @err of building picture @p (its message), and
 * return PA_EXIT_FAIL.
 */
int pa_fig_failed(struct pa_plot *p, int err);

#endif

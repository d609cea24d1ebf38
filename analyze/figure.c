// SPDX-License-Identifier: MIT
/*
 * What the commands share about pictures: the --png/--svg options, the titles that
 * name the run, and writing the files.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "figure.h"
#include "outfile.h"
#include "pat/error.h"

int pa_fig_option(struct pa_fig_out *o, int id, const char *arg)
{
	if (id == PA_OPT_PNG)
		o->png = arg;
	else if (id == PA_OPT_SVG)
		o->svg = arg;
	else
		return 0;
	return 1;
}

struct first_task {
	char comm[256];
	uint64_t first_ns;
	int found;
};

static int earliest_task(void *arg, const struct pa_task *t)
{
	struct first_task *ft = arg;

	if (t->comm && (!ft->found || t->first_ns < ft->first_ns)) {
		snprintf(ft->comm, sizeof(ft->comm), "%s", t->comm);
		ft->first_ns = t->first_ns;
		ft->found = 1;
	}
	return 0;
}

int pa_fig_titles(struct pa_store *st, const char *db, const struct pa_filter *f,
		  const char *what, const char *detail, char *title, size_t tsize, char *sub,
		  size_t ssize)
{
	char cmd[1024], created[64], source[64], input[1024], filters[256] = "";
	struct first_task ft = { .found = 0 };
	size_t n = 0;
	int err;

	if (pa_store_get_meta_text(st, "command", cmd, sizeof(cmd)) < 0 ||
	    pa_store_get_meta_text(st, "created", created, sizeof(created)) < 0 ||
	    pa_store_get_meta_text(st, "source", source, sizeof(source)) < 0 ||
	    pa_store_get_meta_text(st, "input", input, sizeof(input)) < 0)
		return -PA_ESQL;
	if (!cmd[0]) {
		/* an import: the first traced program's name */
		err = pa_store_tasks_each(st, earliest_task, &ft);
		if (err)
			return err;
		snprintf(cmd, sizeof(cmd), "%s", ft.found ? ft.comm : "unknown command");
	}
	if (f->pid)
		n += (size_t)snprintf(filters + n, sizeof(filters) - n, " --pid %u", f->pid);
	if (f->tid && n < sizeof(filters))
		n += (size_t)snprintf(filters + n, sizeof(filters) - n, " --tid %u", f->tid);
	if (f->has_from && n < sizeof(filters))
		n += (size_t)snprintf(filters + n, sizeof(filters) - n, " --from %.6gms",
				      (double)f->from_ns / 1e6);
	if (f->has_to && n < sizeof(filters))
		n += (size_t)snprintf(filters + n, sizeof(filters) - n, " --to %.6gms",
				      (double)f->to_ns / 1e6);
	if (f->rw && n < sizeof(filters))
		snprintf(filters + n, sizeof(filters) - n, " --rw %c", f->rw);
	snprintf(title, tsize, "%s: %s", what, cmd);
	snprintf(sub, ssize, "%s, %s %s%s%s%s%s%s", db,
		 strcmp(source, "import") == 0 ? "imported" : "recorded",
		 created[0] ? created : "(date unknown)",
		 input[0] ? " from " : "", input,
		 filters[0] ? ", filters:" : "", filters, detail ? detail : "");
	return 0;
}

/* Writes @p as @fmt into @path, whole or not at all. */
static int write_one(struct pa_plot *p, enum pa_plot_format fmt, const char *path)
{
	struct pa_outfile o;
	int err;

	if (pa_outfile_open(&o, path))
		return PA_EXIT_FAIL;
	err = pa_plot_write(p, fmt, o.f, 0);
	if (err == -PA_EIO)
		pa_outfile_write_failed(&o, errno);
	/* a failed write is the stream's to name; anything else the picture's */
	if (err && err != -PA_EIO) {
		pa_outfile_abort(&o);
		return pa_cli_error("cannot write %s: %s", path, pa_plot_errmsg(p)[0] ?
				    pa_plot_errmsg(p) : pa_strerror(err));
	}
	return pa_outfile_commit(&o);
}

int pa_fig_write(struct pa_plot *p, const struct pa_fig_out *o)
{
	if (o->png && write_one(p, PA_PLOT_PNG, o->png))
		return PA_EXIT_FAIL;
	if (o->svg && write_one(p, PA_PLOT_SVG, o->svg))
		return PA_EXIT_FAIL;
	return PA_EXIT_OK;
}

int pa_fig_failed(struct pa_plot *p, int err)
{
	return pa_cli_error("cannot draw the picture: %s", p ? pa_plot_errmsg(p) : pa_strerror(err));
}

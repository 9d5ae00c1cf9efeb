/*
 * memlens metrics: the metrics of one reading in the OpenMetrics text format
 * (or Prometheus 0.0.4), on stdout or atomically into a file, for
 * node_exporter's textfile collector or any other scraper. The sources are
 * read by metrics-read.c, the text written by render/metrics.c.
 */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/metrics-read.h"
#include "render/metrics.h"
#include "xalloc.h"

enum { OPT_FORMAT, OPT_OUTPUT, OPT_MIN, OPT_PROCS_TOP };

static const struct ml_cmd_option metrics_options[] = {
	{ "format", 0, "FMT", "openmetrics (the default) or prometheus (text format 0.0.4)",
	  OPT_FORMAT },
	{ "output", 'o', "FILE", "write to FILE through a temporary file and a rename",
	  OPT_OUTPUT },
	{ "min", 0, "SIZE",
	  "fold smaller slab caches, vmalloc callers, process groups into (other)", OPT_MIN },
	{ "procs-top", 0, "N", "also per-process series for the N largest processes (PSS)",
	  OPT_PROCS_TOP },
	{ NULL, 0, NULL, NULL, 0 },
};

/* Warn once per source that could not be read: its families are left out. */
static void
warn_unreadable(const struct metrics_read *r)
{
	int s;

	for (s = 0; s < MS__COUNT; s++) {
		int err = r->why_errno[s];

		if (r->state[s].readable)
			continue;
		/* A read error's cause names the file; the time limit's does not. */
		cmd_error("warning: %s%s%s%s; its families are left out",
			  err == ETIME ? r->state[s].name : "", err == ETIME ? ": " : "", r->why[s],
			  err == EACCES || err == EPERM ? " (run as root)" : "");
	}
}

/* Write the metrics to path through a temporary file in its directory. */
static int
write_file(const char *path, const struct ml_metrics_input *in,
	   const struct ml_metrics_options *opt)
{
	char *copy = ml_xstrdup(path), *copy2 = ml_xstrdup(path);
	char *tmp = ml_xasprintf("%s/.%s.XXXXXX", dirname(copy), basename(copy2));
	int fd, rc = 1;
	FILE *f = NULL;

	fd = mkstemp(tmp);
	if (fd < 0) {
		cmd_error("cannot create a temporary file for %s: %s", path, strerror(errno));
		goto out;
	}
	/* node_exporter reads it as another user: readable like any .prom file. */
	if (fchmod(fd, 0644) != 0 || (f = fdopen(fd, "w")) == NULL) {
		cmd_error("cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (ml_metrics_write(f, in, opt) != 0 || fflush(f) != 0 || fsync(fileno(f)) != 0) {
		cmd_error("cannot write %s: %s", tmp, strerror(errno));
		fclose(f);
		unlink(tmp);
		goto out;
	}
	if (fclose(f) != 0) {
		cmd_error("cannot write %s: %s", tmp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, path) != 0) {
		cmd_error("cannot rename %s to %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	free(copy);
	free(copy2);
	return rc;
}

static int
cmd_metrics_exec(struct ml_ctx *ctx, const struct ml_cmd_args *args)
{
	extern const struct ml_cmd_entry cmd_metrics_entry;
	const struct ml_cmd_entry *e = &cmd_metrics_entry;
	struct ml_metrics_options opt = { .format = ML_METRICS_OPENMETRICS,
					  .min_bytes = METRICS_MIN_DEFAULT };
	struct ml_metrics_input in;
	struct metrics_read *r;
	const char *output = NULL;
	int i, f, rc = 0;

	for (i = 0; i < args->nopts; i++) {
		const char *a = args->opts[i].arg;

		switch (args->opts[i].id) {
		case OPT_FORMAT:
			if ((f = ml_metrics_format_lookup(a)) < 0)
				return cmd_usage_error(
					e, "invalid --format '%s' (use openmetrics or prometheus)",
					a);
			opt.format = (enum ml_metrics_format)f;
			break;
		case OPT_OUTPUT:
			if (a[0] == '\0')
				return cmd_usage_error(e, "--output needs a file name");
			output = a;
			break;
		case OPT_MIN:
			if (metrics_parse_size(a, &opt.min_bytes) != 0)
				return cmd_usage_error(
					e, "invalid --min '%s': give bytes, or K, M, G with 1024s",
					a);
			break;
		case OPT_PROCS_TOP:
			if (metrics_parse_procs_top(a, &opt.procs_top) != 0)
				return cmd_usage_error(e, "invalid --procs-top '%s': give 0 to %d",
						       a, METRICS_PROCS_TOP_MAX);
			break;
		}
	}
	r = ml_xcalloc(1, sizeof *r);
	metrics_read_init(r, ctx);
	metrics_read_refresh(r, 0);
	warn_unreadable(r);
	metrics_read_input(r, &in);
	if (output != NULL)
		rc = write_file(output, &in, &opt);
	else if (ml_metrics_write(stdout, &in, &opt) != 0) {
		cmd_error("cannot write the metrics: %s", strerror(errno));
		rc = 1;
	}
	metrics_read_release(r);
	free(r);
	return rc;
}

const struct ml_cmd_entry cmd_metrics_entry = {
	.name = "metrics",
	.summary = "the metrics for Prometheus (OpenMetrics text), once",
	.help = "Read every source once and print the metrics in the OpenMetrics text format\n"
		"(or --format prometheus for the 0.0.4 text format), without timestamps. A\n"
		"source that cannot be read is memlens_source_readable 0 and a warning; its\n"
		"families are left out, never written as zeros. With -o FILE the metrics go\n"
		"to a temporary file in FILE's directory, renamed to FILE once complete, as\n"
		"node_exporter's textfile collector needs. The families are in memlens(1)\n"
		"and doc/metrics.md.",
	.options = metrics_options,
	.flags = ML_CMD_NO_JSON,
	.exec = cmd_metrics_exec,
};

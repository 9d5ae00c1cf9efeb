/*
 * memlens explain: findings ranked by severity, each with its headline, the
 * values it was judged from (and the file and memlens command each comes
 * from), the formula with its thresholds, and what to do next. The rules
 * are model/rules/'s; this file reads the snapshots (one reading, or two
 * over a window), and lays the findings out. Exit status 3 when any finding
 * is a warning or worse.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd-explain.h"
#include "cmd/cmd.h"
#include "xalloc.h"

/* The exit status when a finding is a warning or worse (the man page's EXIT STATUS). */
#define EXPLAIN_EXIT_WARNING 3

enum {
	OPT_WINDOW = 1,
	OPT_SET,
	OPT_RULES,
};

/* What explain reads (model/rules/rules.h). */
#define EXPLAIN_SOURCES ML_RULES_READS

struct explain_cmd {
	struct ml_ctx *ctx;
	struct ml_rules_config cfg;
	struct ml_snapshot snap[2];
	struct ml_sysinfo si;
	/* The roots now's reading comes from (evidence files, the header). */
	const struct ml_procfs *fs, *sysfs;
	/* explain CAPTURE...: the captures opened, the first's path and the last's (NULL: now). */
	struct cmd_capture *cap;
	char **names; /* as given */
	int ncaps;
	const char *from[2];
	/* The leak rule's items, fed from every reading of a window or a series. */
	struct ml_growth growth;
	bool growth_on;
	double window;   /* --window, seconds; 0 without */
	double interval; /* between readings */
	unsigned long readings;
	bool stopped; /* SIGINT or SIGTERM ended a window early */
	bool warned;  /* a report had a warning or worse */
};

static volatile sig_atomic_t window_stop;

static void
on_window_stop(int sig)
{
	window_stop = sig;
}

/* ------------------------------------------------------------ values as text */

static void
format_seconds(char *buf, size_t cap, double s)
{
	if (s < 120)
		snprintf(buf, cap, "%.0f s", s);
	else if (s < 7200)
		snprintf(buf, cap, "%.0f min", s / 60);
	else if (s < 172800)
		snprintf(buf, cap, "%.1f h", s / 3600);
	else
		snprintf(buf, cap, "%.1f days", s / 86400);
}

static void
format_ev(const struct ml_evidence *ev, char *buf, size_t cap, void *arg)
{
	const struct ml_units *u = arg;
	char sz[48];
	double v = ev->kind == ML_EV_DOUBLE ? ev->d
		   : ev->kind == ML_EV_I64  ? (double)ev->i
					    : (double)ev->u;

	switch (ev->unit) {
	case ML_EV_BYTES:
		if (ev->kind == ML_EV_I64)
			snprintf(buf, cap, "%s", text_ssize(sz, sizeof sz, ev->i, u));
		else if (ev->kind == ML_EV_DOUBLE)
			snprintf(buf, cap, "%s", text_size(sz, sizeof sz, (uint64_t)fmax(v, 0), u));
		else
			snprintf(buf, cap, "%s", text_size(sz, sizeof sz, ev->u, u));
		break;
	case ML_EV_PAGES:
		if (ev->page_size > 0 && ev->u <= UINT64_MAX / ev->page_size)
			snprintf(buf, cap, "%.0f pages (%s)", v,
				 text_size(sz, sizeof sz, ev->u * ev->page_size, u));
		else
			snprintf(buf, cap, "%.0f pages", v);
		break;
	case ML_EV_COUNT:
		snprintf(buf, cap, "%.0f", v);
		break;
	case ML_EV_PERCENT:
		snprintf(buf, cap, v > 0 && v < 0.1 ? "%.2f%%" : "%.1f%%", v);
		break;
	case ML_EV_INDEX:
		snprintf(buf, cap, "%.3f", v);
		break;
	case ML_EV_RATIO:
		snprintf(buf, cap, "%.2f", v);
		break;
	case ML_EV_PER_S:
		snprintf(buf, cap, v < 10 ? "%.1f a second" : "%.0f a second", v);
		break;
	case ML_EV_BYTES_PER_S:
		if (fabs(v) >= 1048576)
			snprintf(buf, cap, "%s/s", text_size(sz, sizeof sz, (uint64_t)fabs(v), u));
		else
			snprintf(buf, cap, "%s/h",
				 text_size(sz, sizeof sz, (uint64_t)(fabs(v) * 3600), u));
		break;
	case ML_EV_SECONDS:
		format_seconds(buf, cap, v);
		break;
	case ML_EV_TEXT:
	default:
		snprintf(buf, cap, "%s", ev->text);
		break;
	}
}

/* A threshold in its key's unit: _pct, _mib, _mib_h, _per_s, _min, _h, _index. */
static void
format_thr(const struct ml_rule_param *p, double v, char *buf, size_t cap, void *arg)
{
	size_t n = strlen(p->key);
	const char *suffix = "";

	(void)arg;
#define ENDS(s) (n > strlen(s) && strcmp(p->key + n - strlen(s), (s)) == 0)
	if (ENDS("_pct"))
		suffix = "%";
	else if (ENDS("_mib_h"))
		suffix = " MiB/h";
	else if (ENDS("_mib"))
		suffix = " MiB";
	else if (ENDS("_per_s"))
		suffix = "/s";
	else if (ENDS("_min"))
		suffix = " min";
	else if (ENDS("_h"))
		suffix = " h";
#undef ENDS
	snprintf(buf, cap, "%g%s", v, suffix);
}

void
cmd_explain_expand(const struct ml_units *u, const struct ml_finding *f, const char *tmpl,
		   char *buf, size_t cap)
{
	ml_finding_expand(f, tmpl, format_ev, format_thr, (void *)u, buf, cap);
}

int
cmd_explain_run(struct ml_explain *e, const struct ml_snapshot *now,
		const struct ml_snapshot *before, double seconds, const struct ml_rules_config *c)
{
	struct ml_rule_input in;

	ml_rule_input_init(&in, now, before, seconds);
	return ml_rules_run(e, &in, c);
}

/* ------------------------------------------------------------ the summary's lines */

/* "1 critical, 2 warnings, 1 note" into buf; "none" when empty. */
static const char *
counts_text(char *buf, size_t cap, const struct ml_explain *e)
{
	static const char *const plural[ML_SEV__COUNT] = { "notes", "warnings", "critical" };
	size_t len = 0;
	int s;

	buf[0] = '\0';
	for (s = ML_SEV__COUNT - 1; s >= 0; s--) {
		if (e->by_severity[s] == 0)
			continue;
		len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0, "%s%u %s",
					len ? ", " : "", e->by_severity[s],
					e->by_severity[s] == 1 ? ml_severity_name(s) : plural[s]);
	}
	if (len == 0)
		snprintf(buf, cap, "none");
	return buf;
}

static enum text_style
severity_style(enum ml_severity s)
{
	return s == ML_SEV_CRITICAL ? TS_BAD : s == ML_SEV_WARNING ? TS_WARN : TS_NONE;
}

void
cmd_explain_brief_text(const struct text_out *o, const struct ml_explain *e)
{
	char counts[128], line[1024], *text;
	size_t i, n = e->n < CMD_EXPLAIN_BRIEF_MAX ? e->n : CMD_EXPLAIN_BRIEF_MAX;

	text_printf(o, TS_HEADER, "\nFindings ");
	fprintf(o->f, "%s (memlens explain: the evidence, and what to do)\n",
		counts_text(counts, sizeof counts, e));
	for (i = 0; i < n; i++) {
		const struct ml_finding *f = &e->f[i];
		char label[32];

		cmd_explain_expand(&o->units, f, f->headline, line, sizeof line);
		snprintf(label, sizeof label, "  %-8s ", ml_severity_name(f->severity));
		text = ml_xasprintf("%s: %s", f->rule->name, line);
		text_paragraph_after(o, severity_style(f->severity), label, TS_NONE, "           ",
				     text);
		free(text);
	}
	if (e->n > n)
		text_printf(o, TS_DIM, "  and %zu more\n", e->n - n);
}

void
cmd_explain_brief_json(struct json_node *doc, const struct ml_explain *e)
{
	struct ml_units human = { .mode = ML_UNITS_HUMAN };
	struct json_node *o = json_add_object(doc, "findings"), *c, *arr, *row;
	size_t i, n = e->n < CMD_EXPLAIN_BRIEF_MAX ? e->n : CMD_EXPLAIN_BRIEF_MAX;
	char line[1024];
	int s;

	c = json_add_object(o, "counts");
	for (s = ML_SEV__COUNT - 1; s >= 0; s--)
		json_add_u64(c, ml_severity_name(s), e->by_severity[s]);
	arr = json_add_array(o, "top");
	for (i = 0; i < n; i++) {
		const struct ml_finding *f = &e->f[i];

		row = json_array_add_object(arr);
		json_add_string(row, "rule", f->rule->name);
		json_add_string(row, "severity", ml_severity_name(f->severity));
		json_add_string(row, "subject", f->subject);
		cmd_explain_expand(&human, f, f->headline, line, sizeof line);
		json_add_string(row, "headline", line);
	}
	json_add_u64(o, "not_judged", e->nskipped);
}

/* ------------------------------------------------------------ the report */

/* The snapshot's sources that were read with bad lines: warnings, once per report. */
static void
warn_bad_lines(const struct ml_ctx *ctx, const struct ml_snapshot *s)
{
	int i;

	for (i = 0; i < ML_SNAP__COUNT; i++)
		if ((EXPLAIN_SOURCES & ML_SNAP(i)) && i != ML_SNAP_PROCS)
			cmd_snap_warn_bad_lines(ctx, s, (enum ml_snap_src)i);
}

static void
print_window(const struct explain_cmd *ex, const struct ml_snapshot *before, double seconds)
{
	const struct text_out *o = &ex->ctx->text;
	char t[32], iv[32];

	text_printf(o, TS_HEADER, "Window   ");
	if (before == NULL) {
		fprintf(o->f, "one reading; rates and trends need -i SEC or --window DUR\n");
		return;
	}
	format_seconds(t, sizeof t, seconds);
	if (ex->ncaps > 0) {
		fprintf(o->f, "%s from capture %s to %s%s", t, ex->from[0],
			ex->from[1] != NULL ? "capture " : "",
			ex->from[1] != NULL ? ex->from[1] : "now");
		if (ex->readings > 2)
			fprintf(o->f, ", %lu readings", ex->readings);
		fputc('\n', o->f);
	} else if (ex->window > 0) {
		format_seconds(iv, sizeof iv, ex->interval);
		fprintf(o->f, "%s, %lu readings %s apart%s\n", t, ex->readings, iv,
			ex->stopped ? " (ended early by a signal)" : "");
	} else {
		fprintf(o->f, "%s between two readings\n", t);
	}
}

/* Where an evidence value was read: its file under the proc or the sys root (malloc'd). */
static char *
ev_path(const struct explain_cmd *ex, const struct ml_evidence *ev)
{
	if (ev->file == NULL)
		return NULL;
	return ml_procfs_path(ev->sys_file ? ex->sysfs : ex->fs, ev->file);
}

/* One evidence row: name, value, and where it was read. */
static void
evidence_rows(const struct explain_cmd *ex, struct text_table *t, const struct ml_finding *f)
{
	const struct ml_units *u = &ex->ctx->text.units;
	uint32_t i;
	char v[96];

	for (i = 0; i < f->nev; i++) {
		const struct ml_evidence *ev = &f->ev[i];
		char *path = ev_path(ex, ev);

		format_ev(ev, v, sizeof v, (void *)u);
		text_table_row(t, TS_NONE);
		text_table_cell_styled(t, TS_DIM, "%s", i == 0 ? "evidence" : "");
		text_table_cell(t, "%s", ev->name);
		text_table_cell(t, "%s", v);
		text_table_cell_styled(t, TS_DIM, "%s", path != NULL ? path : "derived");
		free(path);
	}
}

static void
report_text(struct explain_cmd *ex, const struct ml_explain *e, const struct ml_snapshot *before,
	    double seconds)
{
	struct ml_ctx *ctx = ex->ctx;
	const struct text_out *o = &ctx->text;
	char counts[128], buf[2048];
	size_t i;
	int worst = ml_explain_worst(e);

	cmd_text_header(ctx, &ex->si, "memlens explain");
	fputc('\n', o->f);
	print_window(ex, before, seconds);
	text_printf(o, TS_HEADER, "Findings ");
	fprintf(o->f, "%s from %zu rules%s\n", counts_text(counts, sizeof counts, e),
		ml_rules_count(),
		worst >= ML_SEV_WARNING ? " (exit status 3: a warning or worse)" : "");
	for (i = 0; i < e->n; i++) {
		const struct ml_finding *f = &e->f[i];
		struct text_table *t = text_table_new(4);
		char label[32];
		char *text;

		fputc('\n', o->f);
		cmd_explain_expand(&o->units, f, f->headline, buf, sizeof buf);
		snprintf(label, sizeof label, "%-9s",
			 f->severity == ML_SEV_CRITICAL  ? "CRITICAL"
			 : f->severity == ML_SEV_WARNING ? "WARNING"
							 : "NOTE");
		text = ml_xasprintf("%s: %s", f->rule->name, buf);
		text_paragraph_after(o, severity_style(f->severity), label, TS_BOLD, "         ",
				     text);
		free(text);
		evidence_rows(ex, t, f);
		text_table_print(t, o, 2);
		text_table_free(t);
		cmd_explain_expand(&o->units, f, f->formula, buf, sizeof buf);
		text_paragraph_after(o, TS_DIM, "  formula   ", TS_NONE, "            ", buf);
		cmd_explain_expand(&o->units, f, f->next, buf, sizeof buf);
		text_paragraph_after(o, TS_DIM, "  next      ", TS_NONE, "            ", buf);
	}
	if (e->nskipped > 0) {
		struct text_table *t = text_table_new(2);

		text_printf(o, TS_HEADER, "\nNot judged\n");
		for (i = 0; i < e->nskipped; i++) {
			text_table_row(t, TS_NONE);
			text_table_cell(t, "%s", e->skipped[i].rule->name);
			text_table_cell_styled(t, TS_DIM, "%s",
					       e->skipped[i].why ? e->skipped[i].why : "");
		}
		text_table_print(t, o, 2);
		text_table_free(t);
	}
}

static void
json_evidence(struct json_node *arr, const struct explain_cmd *ex, const struct ml_evidence *ev)
{
	struct json_node *o = json_array_add_object(arr), *see;
	char *path;

	json_add_string(o, "name", ev->name);
	switch (ev->kind) {
	case ML_EV_U64:
		json_add_u64(o, "value", ev->u);
		break;
	case ML_EV_I64:
		json_add_i64(o, "value", ev->i);
		break;
	case ML_EV_DOUBLE:
		json_add_double(o, "value", ev->d);
		break;
	case ML_EV_STRING:
		json_add_string(o, "value", ev->text);
		break;
	}
	json_add_string(o, "unit", ml_ev_unit_name(ev->unit));
	path = ev_path(ex, ev);
	json_add_string(o, "file", path);
	free(path);
	if (ev->command != NULL && ev->jq != NULL) {
		see = json_add_object(o, "see");
		json_add_string(see, "command", ev->command);
		json_add_string(see, "jq", ev->jq);
	} else {
		json_add_null(o, "see");
	}
}

static int
report_json(struct explain_cmd *ex, const struct ml_explain *e, const struct ml_snapshot *now,
	    const struct ml_snapshot *before, double seconds)
{
	struct ml_units human = { .mode = ML_UNITS_HUMAN };
	struct json_node *doc = json_doc_new("explain", &ex->si), *o, *arr, *row, *ev, *thr, *errs;
	int worst = ml_explain_worst(e), s;
	char buf[2048];
	size_t i, k;
	uint32_t j;

	if (before == NULL) {
		json_add_null(doc, "window");
	} else {
		o = json_add_object(doc, "window");
		json_add_double(o, "seconds", seconds);
		json_add_u64(o, "readings", ex->window > 0 || ex->ncaps > 0 ? ex->readings : 2);
		json_add_double(o, "interval",
				ex->window > 0  ? ex->interval
				: ex->ncaps > 0 ? seconds / (double)(ex->readings - 1)
						: seconds);
		json_add_bool(o, "ended_early", ex->stopped);
		if (ex->ncaps > 0) {
			arr = json_add_array(o, "captures");
			json_array_add_string(arr, ex->from[0]);
			json_array_add_string(arr, ex->from[1]); /* null: now */
		}
	}
	json_add_string(doc, "worst", worst >= 0 ? ml_severity_name(worst) : NULL);
	json_add_i64(doc, "exit_status", worst >= ML_SEV_WARNING ? EXPLAIN_EXIT_WARNING : 0);
	o = json_add_object(doc, "counts");
	for (s = ML_SEV__COUNT - 1; s >= 0; s--)
		json_add_u64(o, ml_severity_name(s), e->by_severity[s]);
	json_add_u64(doc, "rules", ml_rules_count());
	arr = json_add_array(doc, "findings");
	for (i = 0; i < e->n; i++) {
		const struct ml_finding *f = &e->f[i];

		row = json_array_add_object(arr);
		json_add_string(row, "rule", f->rule->name);
		json_add_string(row, "severity", ml_severity_name(f->severity));
		json_add_string(row, "subject", f->subject);
		cmd_explain_expand(&human, f, f->headline, buf, sizeof buf);
		json_add_string(row, "headline", buf);
		ev = json_add_array(row, "evidence");
		for (j = 0; j < f->nev; j++)
			json_evidence(ev, ex, &f->ev[j]);
		cmd_explain_expand(&human, f, f->formula, buf, sizeof buf);
		json_add_string(row, "formula", buf);
		thr = json_add_object(row, "thresholds");
		for (k = 0; k < f->rule->nparams; k++)
			json_add_double(thr, f->rule->params[k].key, f->thr[k]);
		cmd_explain_expand(&human, f, f->next, buf, sizeof buf);
		json_add_string(row, "next", buf);
	}
	arr = json_add_array(doc, "not_judged");
	for (i = 0; i < e->nskipped; i++) {
		row = json_array_add_object(arr);
		json_add_string(row, "rule", e->skipped[i].rule->name);
		json_add_string(row, "why", e->skipped[i].why);
	}
	errs = json_add_array(doc, "parse_errors");
	for (s = 0; s < ML_SNAP__COUNT; s++)
		if ((EXPLAIN_SOURCES & ML_SNAP(s)) && s != ML_SNAP_PROCS)
			cmd_snap_json_bad_lines(errs, ex->ctx, now, (enum ml_snap_src)s);
	return cmd_json_emit(ex->ctx, doc);
}

/*
 * Read one snapshot and, over a window or a series, sample it for the leak
 * rule at t_ns (a capture's time; -1: when it was read). 0, or 1 after
 * saying why (meminfo could not be read).
 */
static int
reading_at(struct explain_cmd *ex, struct ml_snapshot *s, int64_t t_ns)
{
	const struct ml_snap_source *mi = &s->src[ML_SNAP_MEMINFO];

	/* The processes' RSS only for the leak rule: a reading alone does not need them. */
	ml_snapshot_refresh(s, EXPLAIN_SOURCES | (ex->growth_on ? ML_SNAP(ML_SNAP_PROC_RSS) : 0));
	if (mi->state == ML_SNAP_LOST || ml_snapshot_meminfo(s) == NULL)
		return cmd_snap_error(ex->ctx, s, ML_SNAP_MEMINFO, NULL);
	ml_snapshot_page_size(s);
	ex->readings++;
	if (ex->growth_on) {
		if (t_ns < 0)
			t_ns = (int64_t)mi->read_at.tv_sec * 1000000000LL + mi->read_at.tv_nsec;
		/* memlens growth's items, every kind; a time before the last is not a sample */
		if (ml_growth_begin(&ex->growth, t_ns) == 0) {
			int rc = ml_growth_feed(&ex->growth, s, (1u << ML_GROWTH_KIND__COUNT) - 1);

			ml_growth_end(&ex->growth);
			if (rc != 0) {
				cmd_error("cannot sample for the leak rule: %s", strerror(errno));
				return 1;
			}
		} else if (errno == ENOMEM) {
			cmd_error("cannot sample for the leak rule: %s", strerror(errno));
			return 1;
		}
	}
	return 0;
}

static int
reading(struct explain_cmd *ex, struct ml_snapshot *s)
{
	return reading_at(ex, s, -1);
}

static double
seconds_between(const struct ml_snapshot *a, const struct ml_snapshot *b)
{
	const struct timespec *x = &a->src[ML_SNAP_MEMINFO].read_at,
			      *y = &b->src[ML_SNAP_MEMINFO].read_at;

	return (double)(y->tv_sec - x->tv_sec) + (double)(y->tv_nsec - x->tv_nsec) / 1e9;
}

/* Judge now (against before, seconds earlier, or alone) and print; 0, 1 on a failure. */
static int
report(struct explain_cmd *ex, const struct ml_snapshot *now, const struct ml_snapshot *before,
       double seconds)
{
	struct ml_rule_input in;
	struct ml_explain e;
	int rc;

	if (before != NULL && !(seconds > 0))
		before = NULL;
	ml_explain_init(&e);
	ml_rule_input_init(&in, now, before, seconds);
	ml_rule_input_growth(&in, ex->growth_on && before != NULL ? &ex->growth : NULL);
	if (ml_rules_run(&e, &in, &ex->cfg) != 0) {
		cmd_error("cannot judge the rules: %s", strerror(errno));
		ml_explain_release(&e);
		return 1;
	}
	ml_sysinfo_read(&ex->si, ex->fs);
	warn_bad_lines(ex->ctx, now);
	if (ml_explain_worst(&e) >= ML_SEV_WARNING)
		ex->warned = true;
	if (ex->ctx->json != ML_JSON_OFF) {
		rc = report_json(ex, &e, now, before, seconds);
	} else {
		report_text(ex, &e, before, seconds);
		rc = 0;
	}
	ml_explain_release(&e);
	return rc;
}

/* Sleep until t (CLOCK_MONOTONIC); false when a stop was asked for. */
static bool
sleep_until(const struct timespec *t, volatile sig_atomic_t *stop)
{
	int rc;

	do {
		rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, t, NULL);
	} while (rc == EINTR && !*stop);
	return !*stop;
}

static void
timespec_add(struct timespec *t, double seconds)
{
	long long ns = (long long)(seconds * 1e9);

	t->tv_sec += (time_t)(ns / 1000000000LL);
	t->tv_nsec += (long)(ns % 1000000000LL);
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

static double
elapsed(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - since->tv_sec) + (double)(now.tv_nsec - since->tv_nsec) / 1e9;
}

/* --window: read at the start, every interval, and at the end; one report. */
static int
run_window(struct explain_cmd *ex)
{
	struct sigaction sa;
	struct timespec start, next;
	bool second = false;
	int rc;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_window_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if ((rc = reading(ex, &ex->snap[0])) != 0)
		return rc;
	clock_gettime(CLOCK_MONOTONIC, &start);
	next = start;
	while (!window_stop) {
		double left = ex->window - elapsed(&start);

		if (left <= 0)
			break;
		timespec_add(&next, ex->interval < left ? ex->interval : left);
		if (!sleep_until(&next, &window_stop))
			break;
		if ((rc = reading(ex, &ex->snap[1])) != 0)
			return rc;
		second = true;
	}
	ex->stopped = window_stop != 0;
	rc = report(ex, second ? &ex->snap[1] : &ex->snap[0], second ? &ex->snap[0] : NULL,
		    second ? seconds_between(&ex->snap[0], &ex->snap[1]) : 0);
	return rc;
}

/* -i SEC: each report judges the interval that ended with it. */
static int
run_repeat(struct explain_cmd *ex)
{
	struct ml_ctx *ctx = ex->ctx;
	struct timespec next;
	unsigned long reports = 0;
	int cur = 1, rc;

	if ((rc = reading(ex, &ex->snap[0])) != 0)
		return rc;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (;;) {
		timespec_add(&next, ctx->interval);
		if (!sleep_until(&next, &ml_stop_requested))
			return 0;
		if ((rc = reading(ex, &ex->snap[cur])) != 0)
			return rc;
		if (reports > 0 && ctx->json == ML_JSON_OFF)
			fputc('\n', stdout);
		if ((rc = report(ex, &ex->snap[cur], &ex->snap[!cur],
				 seconds_between(&ex->snap[!cur], &ex->snap[cur]))) != 0)
			return rc;
		reports++;
		if (ctx->count > 0 && reports >= (unsigned long)ctx->count)
			return 0;
		if (fflush(stdout) != 0 || ferror(stdout))
			return 0;
		cur = !cur;
	}
}

/* A root's boot_id (its capture's manifest, or the file), "" when unknown. */
static void
boot_id_of(const struct ml_procfs *fs, char *buf, size_t cap)
{
	if (fs->mf != NULL && fs->mf->boot_id != NULL)
		snprintf(buf, cap, "%s", fs->mf->boot_id);
	else if (ml_procfs_read_small(fs, "sys/kernel/random/boot_id", buf, cap, NULL) < 0)
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

/* When a root was read, in ns: its capture's start (mono: its monotonic clock), or now. */
static int64_t
time_ns_of(const struct ml_procfs *fs, bool mono)
{
	struct timespec t;

	if (fs->mf != NULL)
		return (int64_t)((mono ? fs->mf->mono_start : fs->mf->unix_start) * 1e9);
	clock_gettime(mono ? CLOCK_MONOTONIC : CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/*
 * explain CAPTURE...: the first capture is the window's first reading, the
 * last (or, after one capture, what memlens reads now) its last, and each
 * capture between is a reading of the leak rule's fit. Times are the
 * manifests': their monotonic clocks when every capture of a series has
 * one (one boot's clock, unmoved by NTP), else the wall clock. Across a
 * reboot the counters restart: the last is then judged alone, with a
 * warning.
 */
static int
run_captures(struct explain_cmd *ex, const struct ml_snap_options *captured)
{
	const struct ml_procfs *a = &ex->cap[0].proc;
	char boot_a[64], boot_b[64];
	bool mono = ex->ncaps > 1;
	int64_t t, prev = 0, first = 0;
	const char *prev_name = NULL;
	int i, last = ex->ncaps > 1 ? ex->ncaps - 1 : ex->ncaps;
	int rc;

	for (i = 0; i < ex->ncaps; i++)
		if (!(ex->cap[i].mf.mono_start > 0))
			mono = false;
	/* Every reading in order: 0 is snap[0], last snap[1], those between a scratch one. */
	for (i = 0; i <= last; i++) {
		const struct ml_procfs *fs = i < ex->ncaps ? &ex->cap[i].proc : ex->fs;
		const char *name = i < ex->ncaps ? ex->names[i] : "now";
		struct ml_snapshot scratch, *s = i == 0 ? &ex->snap[0] : &ex->snap[1];

		if (fs->mf != NULL && !(fs->mf->unix_start > 0)) {
			cmd_error("%s: its manifest has no start time", name);
			return 1;
		}
		t = time_ns_of(fs, mono);
		if (i > 0 && t <= prev) {
			cmd_error("%s was taken after %s: give the captures in the order they were "
				  "taken",
				  prev_name, name);
			return 1;
		}
		if (i > 0 && i < last) {
			s = &scratch;
			ml_snapshot_init(s, fs, &ex->cap[i].sys, captured);
		}
		rc = reading_at(ex, s, t);
		if (s == &scratch) {
			ml_snapshot_release(s);
			cmd_capture_close(&ex->cap[i]); /* read once: its memory can go */
		}
		if (rc != 0)
			return rc;
		if (i == 0)
			first = t;
		prev = t;
		prev_name = name;
	}
	boot_id_of(a, boot_a, sizeof boot_a);
	boot_id_of(ex->fs, boot_b, sizeof boot_b);
	if (boot_a[0] != '\0' && boot_b[0] != '\0' && strcmp(boot_a, boot_b) != 0) {
		cmd_error(
			"warning: %s is after a reboot (boot_id %s, %s's %s): counters since boot "
			"restarted, so it is judged alone",
			ex->from[1] != NULL ? ex->from[1] : "this machine", boot_b, ex->from[0],
			boot_a);
		return report(ex, &ex->snap[1], NULL, 0);
	}
	return report(ex, &ex->snap[1], &ex->snap[0], (double)(prev - first) / 1e9);
}

/* ------------------------------------------------------------ --rules */

static void
print_rules(const struct explain_cmd *ex)
{
	size_t i, k;

	printf("The rules of memlens explain, and their thresholds (--set RULE.KEY=VALUE):\n");
	for (i = 0; ml_rules[i] != NULL; i++) {
		const struct ml_rule *r = ml_rules[i];
		const double *v = ml_rules_config_of(&ex->cfg, r);

		printf("\n%s: %s\n  %s\n", r->name, r->title, r->checks);
		for (k = 0; k < r->nparams; k++) {
			char left[80];

			snprintf(left, sizeof left, "%s.%s=%g", r->name, r->params[k].key, v[k]);
			printf("  %-40s %s", left, r->params[k].help);
			if (v[k] != r->params[k].def)
				printf(" (default %g)", r->params[k].def);
			putchar('\n');
		}
	}
}

/* ------------------------------------------------------------ the command */

static double
parse_duration(const char *s)
{
	char *end;
	double v, mul = 1;

	if (!((*s >= '0' && *s <= '9') || *s == '.'))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || !isfinite(v))
		return -1;
	if (strcmp(end, "s") == 0 || *end == '\0')
		mul = 1;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		mul = 60;
	else if (strcmp(end, "h") == 0)
		mul = 3600;
	else if (strcmp(end, "d") == 0)
		mul = 86400;
	else
		return -1;
	return v * mul;
}

extern const struct ml_cmd_entry cmd_explain_entry;

static int
cmd_explain_exec(struct ml_ctx *ctx, const struct ml_cmd_args *args)
{
	static const struct ml_snap_options opt = {
		.derive = ML_SNAP_HEADLINE | ML_SNAP_ACCOUNTING,
		.hints = { .denied = "run as root" },
	};
	/* A capture lacks what it could not read then (as diff says it). */
	static const struct ml_snap_options captured = {
		.derive = ML_SNAP_HEADLINE | ML_SNAP_ACCOUNTING,
		.hints = { .denied = "not readable when captured", .missing = "not in it" },
	};
	const struct ml_cmd_entry *e = &cmd_explain_entry;
	struct explain_cmd *ex = ml_xcalloc(1, sizeof *ex);
	bool rules = false;
	char *cause = NULL;
	int rc = 0, i;

	ex->ctx = ctx;
	if (ml_rules_config_init(&ex->cfg) != 0) {
		cmd_error("cannot set up the rules: %s", strerror(errno));
		free(ex);
		return 1;
	}
	for (i = 0; i < args->nopts && rc == 0; i++) {
		const char *a = args->opts[i].arg;

		switch (args->opts[i].id) {
		case OPT_WINDOW:
			ex->window = parse_duration(a);
			if (!(ex->window >= 0.01))
				rc = cmd_usage_error(e,
						     "invalid --window '%s' (seconds, or a number "
						     "with s, m, h or d)",
						     a);
			break;
		case OPT_SET:
			if (ml_rules_config_set(&ex->cfg, a, &cause) != 0) {
				rc = cmd_usage_error(e, "%s", cause);
				free(cause);
				cause = NULL;
			}
			break;
		case OPT_RULES:
			rules = true;
			break;
		}
	}
	if (rc == 0 && rules) {
		print_rules(ex);
		goto out;
	}
	if (rc == 0 && ex->window > 0 && ctx->count > 0)
		rc = cmd_usage_error(e, "--window makes one report; -n counts the reports of -i");
	if (rc == 0 && (ex->window > 0 || ctx->repeat) && (args->argc > 0 || ctx->fs.mf != NULL))
		rc = cmd_usage_error(e,
				     "a capture is one moment: -i and --window read this machine "
				     "(or --proc-root); memlens explain CAPTURE... judges the time "
				     "between captures");
	if (rc != 0)
		goto out;

	/* explain CAPTURE...: the first is the first reading; the last, or the roots of now, the
	 * last. */
	ex->fs = &ctx->fs;
	ex->sysfs = &ctx->sysfs;
	ex->cap = args->argc > 0 ? ml_xcalloc((size_t)args->argc, sizeof *ex->cap) : NULL;
	ex->names = args->argv;
	for (i = 0; i < args->argc; i++) {
		if (cmd_capture_open(&ex->cap[i], args->argv[i], &cause) != 0) {
			cmd_error("%s", cause);
			free(cause);
			cmd_capture_close(&ex->cap[i]);
			rc = 1;
			goto close;
		}
		ex->ncaps = i + 1;
	}
	if (ex->ncaps > 0)
		ex->from[0] = args->argv[0];
	if (ex->ncaps > 1) {
		ex->from[1] = args->argv[ex->ncaps - 1];
		ex->fs = &ex->cap[ex->ncaps - 1].proc;
		ex->sysfs = &ex->cap[ex->ncaps - 1].sys;
	}
	/* Windows and series sample what memlens growth samples, for the leak rule. */
	ex->growth_on = ex->ncaps > 0 || ex->window > 0 || ctx->repeat;
	if (ex->growth_on) {
		struct ml_growth_params gp;

		ml_leak_params(&gp, &ex->cfg);
		ml_growth_init(&ex->growth, &gp);
	}
	if (ex->ncaps > 0)
		ml_snapshot_init(&ex->snap[0], &ex->cap[0].proc, &ex->cap[0].sys, &captured);
	else
		ml_snapshot_init(&ex->snap[0], ex->fs, ex->sysfs,
				 ex->fs->mf != NULL ? &captured : &opt);
	ml_snapshot_init(&ex->snap[1], ex->fs, ex->sysfs, ex->fs->mf != NULL ? &captured : &opt);
	if (ex->ncaps > 0) {
		rc = run_captures(ex, &captured);
	} else if (ex->window > 0) {
		ex->interval = ctx->interval > 0 ? ctx->interval : ex->window / 10;
		if (ex->interval < 1 && ctx->interval <= 0)
			ex->interval = ex->window < 1 ? ex->window : 1;
		if (ex->interval > 60 && ctx->interval <= 0)
			ex->interval = 60;
		rc = run_window(ex);
	} else if (ctx->repeat) {
		ex->interval = ctx->interval;
		rc = run_repeat(ex);
	} else {
		rc = reading(ex, &ex->snap[0]);
		if (rc == 0)
			rc = report(ex, &ex->snap[0], NULL, 0);
	}
	if (rc == 0 && ex->warned)
		rc = EXPLAIN_EXIT_WARNING;
	ml_snapshot_release(&ex->snap[0]);
	ml_snapshot_release(&ex->snap[1]);
close:
	for (i = 0; i < ex->ncaps; i++)
		cmd_capture_close(&ex->cap[i]);
	free(ex->cap);
	if (ex->growth_on)
		ml_growth_release(&ex->growth);
out:
	ml_rules_config_release(&ex->cfg);
	free(ex);
	return rc;
}

static const struct ml_cmd_option explain_options[] = {
	{ "window", 0, "DUR",
	  "read for DUR (s, m, h, d), every -i SEC, then judge its rates and trends", OPT_WINDOW },
	{ "set", 0, "RULE.KEY=VALUE", "change a rule's threshold; --rules lists them", OPT_SET },
	{ "rules", 0, NULL, "list the rules, their thresholds and what each means", OPT_RULES },
	{ NULL, 0, NULL, NULL, 0 },
};

const struct ml_cmd_entry cmd_explain_entry = {
	.name = "explain",
	.summary = "findings ranked by severity, each with its evidence and what to do next",
	.help = "Judges the memory of this machine (or of --proc-root) by a set of rules and\n"
		"lists what they found, critical first: each finding with a headline, the\n"
		"values it was judged from and the file each was read from, the formula and\n"
		"its thresholds, and the memlens command (or the tool) that shows more.\n"
		"One reading judges levels; -i SEC judges each interval's rates, --window DUR\n"
		"one window's rates and trends, and a series of captures (memlens capture, in\n"
		"the order they were taken) those from the first to the last (one capture: to\n"
		"now); over three readings or more the leak rule fits what memlens growth\n"
		"fits. Exit status 3 when a finding is a warning or worse, 0 when not.",
	.args = "[CAPTURE...]",
	.min_args = 0,
	.max_args = INT_MAX,
	.options = explain_options,
	.flags = ML_CMD_REPEAT,
	.exec = cmd_explain_exec,
};

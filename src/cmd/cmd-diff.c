/*
 * memlens diff A [B]: memory at two moments. A and B are captures
 * (memlens capture: a directory or an archive); B defaults to what memlens
 * reads now (the live machine, or --proc-root / --capture). The comparing is
 * in src/model/diff.c; this file opens the two sides, lays the tables out
 * and writes the JSON.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "model/diff.h"
#include "proc/manifest.h"
#include "xalloc.h"

enum { OPT_VIEW = 1, OPT_MIN };

extern const struct ml_cmd_entry cmd_diff_entry;

/* The rows each view shows in the summary, and in a view's text without --limit. */
#define SUMMARY_MOVERS 5
#define TEXT_DEFAULT_LIMIT 20

/* The views --view takes: summary (several tables) or one of the model's. */
static const char *const diff_views[] = { "summary", "meminfo", "slab",    "vmalloc", "procs",
					  "buddy",   "zones",   "cgroups", NULL };

/* What the summary shows: the accounting, the activity, then the movers of each view. */
static const enum ml_diff_view summary_views[] = { ML_DIFF_ACCOUNTING, ML_DIFF_ACTIVITY,
						   ML_DIFF_SLAB,       ML_DIFF_VMALLOC,
						   ML_DIFF_PROCS,      ML_DIFF_BUDDY,
						   ML_DIFF_ZONES };

/* One side of the comparison. */
struct side {
	const char *name; /* "A" or "B" */
	struct cmd_capture cap;
	bool is_capture;
	const struct ml_procfs *fs, *sysfs;
	struct ml_snapshot snap;
	struct ml_sysinfo si;
	char boot_id[64];
	struct ml_diff_side d;
};

struct diff_cmd {
	struct side a, b;
	struct ml_diff d;
	bool summary;
	enum ml_diff_view view; /* when !summary */
	enum ml_diff_sort sort;
	bool reverse;
	long limit; /* 0 = all */
	uint64_t min;
	bool hide_unchanged; /* text: rows that did not move are left out */
};

static const char *const view_titles[ML_DIFF__COUNT] = {
	[ML_DIFF_ACCOUNTING] = "Where MemTotal goes",
	[ML_DIFF_ACTIVITY] = "Reclaim and faults (counted since boot)",
	[ML_DIFF_MEMINFO] = "meminfo",
	[ML_DIFF_SLAB] = "Slab caches",
	[ML_DIFF_VMALLOC] = "vmalloc callers",
	[ML_DIFF_PROCS] = "Processes (PSS; matched by PID and start time)",
	[ML_DIFF_BUDDY] = "Buddy free memory",
	[ML_DIFF_ZONES] = "Zones",
	[ML_DIFF_CGROUPS] = "Cgroups (memory.current; matched by path)",
};

static const char *const view_columns[ML_DIFF__COUNT] = {
	[ML_DIFF_ACCOUNTING] = "part",   [ML_DIFF_ACTIVITY] = "counter",
	[ML_DIFF_MEMINFO] = "field",     [ML_DIFF_SLAB] = "cache",
	[ML_DIFF_VMALLOC] = "caller",    [ML_DIFF_PROCS] = "process",
	[ML_DIFF_BUDDY] = "zone, order", [ML_DIFF_ZONES] = "zone",
	[ML_DIFF_CGROUPS] = "cgroup",
};

/* Parse --min: a size with an optional K, M, G (binary) suffix. */
static int
parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned int shift = 0;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || s[0] == '-')
		return -1;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	case '\0':
		break;
	default:
		return -1;
	}
	if (*end != '\0' && end[1] != '\0' && strcmp(end + 1, "iB") != 0 &&
	    strcmp(end + 1, "B") != 0)
		return -1;
	if (shift > 0 && v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

/* Open one side: a capture, or (for B without an argument) what memlens reads now. */
static int
side_open(struct ml_ctx *ctx, struct side *s, const char *path)
{
	/* A capture lacks what it could not read then; this machine, what root reads. */
	static const struct ml_snap_options captured = {
		.derive = ML_SNAP_HEADLINE | ML_SNAP_ACCOUNTING,
		.hints = { .denied = "not readable when captured", .missing = "not in it" },
	};
	static const struct ml_snap_options now = {
		.derive = ML_SNAP_HEADLINE | ML_SNAP_ACCOUNTING,
		.hints = { .denied = "run as root" },
	};
	char *cause = NULL;

	if (path != NULL) {
		if (cmd_capture_open(&s->cap, path, &cause) != 0) {
			cmd_error("%s", cause);
			free(cause);
			return 1;
		}
		s->is_capture = true;
		s->fs = &s->cap.proc;
		s->sysfs = &s->cap.sys;
	} else {
		s->fs = &ctx->fs;
		s->sysfs = &ctx->sysfs;
	}
	ml_snapshot_init(&s->snap, s->fs, s->sysfs,
			 path != NULL || s->fs->mf != NULL ? &captured : &now);
	return 0;
}

/* Read one side and note its moment (time, boot). */
static void
side_read(struct side *s, unsigned int sources)
{
	const struct ml_manifest *mf = s->fs->mf;
	struct timespec now;

	ml_vmalloc_set_top(&s->snap.vm, 0);
	/* The cgroups view compares memory.current: only the files that say it. */
	s->snap.cg_files = ml_cgfile_set_limits(ML_CG_V1) | ml_cgfile_set_limits(ML_CG_V2);
	ml_snapshot_refresh(&s->snap, sources);
	ml_sysinfo_read(&s->si, s->fs);
	s->d.snap = &s->snap;
	if (mf != NULL && mf->unix_start > 0) {
		s->d.time_known = true;
		s->d.unix_time = mf->unix_start;
	} else if (mf == NULL) {
		clock_gettime(CLOCK_REALTIME, &now);
		s->d.time_known = true;
		s->d.unix_time = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
	}
	if (mf != NULL && mf->boot_id != NULL)
		snprintf(s->boot_id, sizeof s->boot_id, "%s", mf->boot_id);
	else if (ml_procfs_read_small(s->fs, "sys/kernel/random/boot_id", s->boot_id,
				      sizeof s->boot_id, NULL) < 0)
		s->boot_id[0] = '\0';
	s->d.boot_id = s->boot_id[0] != '\0' ? s->boot_id : NULL;
}

static void
side_release(struct side *s)
{
	ml_snapshot_release(&s->snap);
	if (s->is_capture)
		cmd_capture_close(&s->cap);
}

/* "1 h 02 min", "35 s", "3 d 4 h": the time between A and B. */
static const char *
duration(char *buf, size_t cap, double seconds)
{
	double s = fabs(seconds);

	if (s < 120)
		snprintf(buf, cap, "%.0f s", s);
	else if (s < 7200)
		snprintf(buf, cap, "%.0f min", s / 60);
	else if (s < 172800)
		snprintf(buf, cap, "%.0f h %02.0f min", floor(s / 3600), fmod(s, 3600) / 60);
	else
		snprintf(buf, cap, "%.0f d %.0f h", floor(s / 86400), fmod(s, 86400) / 3600);
	return buf;
}

static void
print_side(const struct ml_ctx *ctx, const struct side *s, const char *tail)
{
	const struct text_out *o = &ctx->text;
	char when[64];
	struct tm tm;
	time_t t = s->si.capture != NULL ? s->si.capture_time : s->si.time;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
		snprintf(when, sizeof when, "(unknown time)");
	text_printf(o, TS_HEADER, "  %s ", s->name);
	fprintf(o->f, "%s %s at %s, Linux %s%s\n", s->si.capture != NULL ? "capture of" : "live",
		s->si.hostname[0] ? s->si.hostname : "(unknown host)", when,
		s->si.kernel_release[0] ? s->si.kernel_release : "(unknown release)", tail);
	if (s->si.capture != NULL)
		text_printf(o, TS_DIM, "    %s\n", s->si.capture);
	else if (strcmp(s->si.proc_root, "/proc") != 0)
		text_printf(o, TS_DIM, "    read from %s\n", s->si.proc_root);
}

/* A value of a row in its unit, or n/a. */
static const char *
fmt_value(char *buf, size_t cap, const struct ml_units *u, enum ml_diff_unit unit, bool known,
	  uint64_t v)
{
	if (!known)
		return "n/a";
	if (unit == ML_DIFF_BYTES)
		return text_size(buf, cap, v, u);
	snprintf(buf, cap, "%llu%s", (unsigned long long)v, unit == ML_DIFF_PAGES ? " pages" : "");
	return buf;
}

static const char *
fmt_change(char *buf, size_t cap, const struct ml_units *u, enum ml_diff_unit unit, int64_t v)
{
	char tmp[48];

	if (unit == ML_DIFF_BYTES) {
		text_ssize(tmp, sizeof tmp, v, u);
		snprintf(buf, cap, "%s%s", v > 0 ? "+" : "", tmp);
	} else {
		snprintf(buf, cap, "%+lld%s", (long long)v, unit == ML_DIFF_PAGES ? " pages" : "");
	}
	return buf;
}

static const char *
fmt_rate(char *buf, size_t cap, const struct ml_units *u, enum ml_diff_unit unit, double v)
{
	double r = nearbyint(v);

	if (r > 9.2e18 || r < -9.2e18) {
		snprintf(buf, cap, "%+.3g", v);
		return buf;
	}
	return fmt_change(buf, cap, u, unit, (int64_t)r);
}

/*
 * Whether a row shows: above --min (a reset counter always shows); in the
 * summary's movers only rows that moved, and of buddy and zones only each
 * zone's free memory.
 */
static bool
shown(const struct diff_cmd *m, const struct ml_diff_table *t, const struct ml_diff_row *r,
      bool movers)
{
	int64_t c = ml_diff_row_change(r);
	uint64_t mag = c < 0 ? (uint64_t)(-(c + 1)) + 1 : (uint64_t)c;

	/* Text shows what moved; JSON every row (unchanged ones too) unless --min says. */
	if (movers || m->hide_unchanged) {
		if (r->change_known && c == 0 && r->presence == ML_DIFF_BOTH && !r->reset)
			return false;
	}
	if (movers) {
		if (t->view == ML_DIFF_BUDDY && strstr(r->key, " order ") != NULL)
			return false;
		if (t->view == ML_DIFF_ZONES && strstr(r->key, " free") == NULL)
			return false;
	}
	return r->reset || mag >= m->min;
}

static void
print_table(const struct ml_ctx *ctx, const struct diff_cmd *m, const struct ml_diff_table *t,
	    long limit, bool summary)
{
	const struct text_out *o = &ctx->text;
	struct text_table *tb;
	char b1[64], b2[64], b3[80], b4[80];
	size_t i, n = 0, hidden = 0;

	text_printf(o, TS_HEADER, "\n%s%s\n",
		    summary && t->view >= ML_DIFF_SLAB ? "Largest movers: " : "",
		    view_titles[t->view]);
	if (!t->available) {
		if (t->why_a != NULL)
			text_printf(o, TS_WARN, "  n/a in A: %s\n", t->why_a);
		if (t->why_b != NULL)
			text_printf(o, TS_WARN, "  n/a in B: %s\n", t->why_b);
		if (t->why_a == NULL && t->why_b == NULL)
			text_printf(o, TS_WARN, "  n/a\n");
		return;
	}
	tb = text_table_new(6);
	text_table_col(tb, 0, view_columns[t->view], TA_LEFT);
	text_table_col(tb, 1, "A", TA_RIGHT);
	text_table_col(tb, 2, "B", TA_RIGHT);
	text_table_col(tb, 3, "change", TA_RIGHT);
	text_table_col(tb, 4, "per hour", TA_RIGHT);
	text_table_col(tb, 5, "%", TA_RIGHT);
	for (i = 0; i < t->n; i++) {
		const struct ml_diff_row *r = &t->rows[i];

		if (!shown(m, t, r, summary))
			continue;
		if (limit > 0 && n >= (size_t)limit) {
			hidden++;
			continue;
		}
		n++;
		text_table_row(tb, r->presence == ML_DIFF_BOTH ? TS_NONE : TS_DIM);
		text_table_cell(tb, "%s%s", r->label,
				r->presence == ML_DIFF_NEW    ? " (new)"
				: r->presence == ML_DIFF_GONE ? " (gone)"
							      : "");
		text_table_cell(tb, "%s",
				r->presence == ML_DIFF_NEW ? "-"
							   : fmt_value(b1, sizeof b1, &o->units,
								       r->unit, r->a_known, r->a));
		text_table_cell(tb, "%s",
				r->presence == ML_DIFF_GONE ? "-"
							    : fmt_value(b2, sizeof b2, &o->units,
									r->unit, r->b_known, r->b));
		if (r->reset)
			text_table_cell_styled(tb, TS_WARN, "reset");
		else
			text_table_cell_styled(
				tb,
				!r->change_known ? TS_DIM
				: r->change > 0  ? TS_WARN
						 : TS_NONE,
				"%s",
				r->change_known
					? fmt_change(b3, sizeof b3, &o->units, r->unit, r->change)
					: "n/a");
		text_table_cell(tb, "%s",
				r->rate_known
					? fmt_rate(b4, sizeof b4, &o->units, r->unit, r->per_hour)
					: "-");
		if (r->pct_known)
			text_table_cell(tb, "%+.1f%%", r->pct);
		else
			text_table_cell(tb, "-");
	}
	if (n == 0)
		text_printf(o, TS_DIM, "  %s\n", t->n == 0 ? "nothing to compare" : "no change");
	else
		text_table_print(tb, o, 2);
	text_table_free(tb);
	if (hidden > 0)
		text_printf(o, TS_DIM, "  %zu more row%s; --limit 0 shows all\n", hidden,
			    hidden == 1 ? "" : "s");
}

static void
diff_text(struct ml_ctx *ctx, struct diff_cmd *m)
{
	const struct text_out *o = &ctx->text;
	char tail[96] = "", span[32];
	size_t i;

	text_printf(o, TS_HEADER, "memlens diff");
	fputc('\n', o->f);
	print_side(ctx, &m->a, "");
	if (m->d.seconds_known)
		snprintf(tail, sizeof tail, ", %s %s", duration(span, sizeof span, m->d.seconds),
			 m->d.seconds >= 0 ? "later" : "earlier");
	print_side(ctx, &m->b, tail);
	if (m->d.boot_changed)
		text_printf(o, TS_WARN,
			    "B is after a reboot (its boot_id differs from A's): counters since "
			    "boot are reset, not compared, and no process is the same\n");
	if (o->units.mode != ML_UNITS_HUMAN)
		text_printf(o, TS_DIM, "(sizes in %s)\n", text_unit_name(&o->units));
	if (m->summary) {
		for (i = 0; i < ML_ARRAY_SIZE(summary_views); i++) {
			const struct ml_diff_table *t = &m->d.t[summary_views[i]];
			bool movers = t->view >= ML_DIFF_SLAB;

			print_table(ctx, m, t,
				    movers ? (m->limit > 0 ? m->limit : SUMMARY_MOVERS) : 0,
				    movers);
		}
		text_printf(o, TS_DIM, "\n(memlens diff A B --view VIEW: every row of one view)\n");
		return;
	}
	print_table(ctx, m, &m->d.t[m->view], m->limit, false);
}

static void
json_side(struct json_node *o, const struct side *s)
{
	char when[32];
	struct tm tm;
	time_t t = s->si.capture != NULL ? s->si.capture_time : s->si.time;

	json_add_string(o, "capture", s->si.capture);
	json_add_string(o, "proc_root", s->si.proc_root);
	json_add_string(o, "hostname", s->si.hostname[0] ? s->si.hostname : NULL);
	json_add_string(o, "kernel_release", s->si.kernel_release[0] ? s->si.kernel_release : NULL);
	json_add_string(o, "boot_id", s->d.boot_id);
	if (gmtime_r(&t, &tm) != NULL && strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
		json_add_string(o, "time", when);
	else
		json_add_null(o, "time");
}

static void
json_table(struct json_node *arr, const struct diff_cmd *m, const struct ml_diff_table *t)
{
	struct json_node *o = json_array_add_object(arr), *rows, *r;
	size_t i, n = 0;

	json_add_string(o, "view", ml_diff_view_names[t->view]);
	json_add_bool(o, "available", t->available);
	json_add_string(o, "why_a", t->why_a);
	json_add_string(o, "why_b", t->why_b);
	rows = json_add_array(o, "rows");
	for (i = 0; i < t->n; i++) {
		const struct ml_diff_row *row = &t->rows[i];

		if (!shown(m, t, row, false))
			continue;
		if (m->limit > 0 && n >= (size_t)m->limit)
			break;
		n++;
		r = json_array_add_object(rows);
		json_add_string(r, "key", row->key);
		json_add_string(r, "name", row->label);
		json_add_string(r, "unit", ml_diff_unit_name(row->unit));
		json_add_string(r, "status", ml_diff_presence_name(row->presence));
		if (row->a_known)
			json_add_u64(r, "a", row->a);
		else
			json_add_null(r, "a");
		if (row->b_known)
			json_add_u64(r, "b", row->b);
		else
			json_add_null(r, "b");
		if (row->change_known)
			json_add_i64(r, "change", row->change);
		else
			json_add_null(r, "change");
		if (row->rate_known)
			json_add_double(r, "per_hour", row->per_hour);
		else
			json_add_null(r, "per_hour");
		if (row->pct_known)
			json_add_double(r, "percent", row->pct);
		else
			json_add_null(r, "percent");
		json_add_bool(r, "reset", row->reset);
	}
}

static int
diff_json(struct ml_ctx *ctx, struct diff_cmd *m)
{
	struct json_node *doc = json_doc_new("diff", &m->b.si), *arr;
	size_t i;

	json_side(json_add_object(doc, "a"), &m->a);
	json_side(json_add_object(doc, "b"), &m->b);
	if (m->d.seconds_known)
		json_add_double(doc, "seconds", m->d.seconds);
	else
		json_add_null(doc, "seconds");
	if (m->d.boot_known)
		json_add_bool(doc, "boot_changed", m->d.boot_changed);
	else
		json_add_null(doc, "boot_changed");
	json_add_string(doc, "view", m->summary ? "summary" : ml_diff_view_names[m->view]);
	json_add_string(doc, "sort", ml_diff_sort_keys[m->sort]);
	json_add_bool(doc, "reverse", m->reverse);
	json_add_u64(doc, "min", m->min);
	arr = json_add_array(doc, "views");
	if (m->summary) {
		for (i = 0; i < ML_ARRAY_SIZE(summary_views); i++)
			json_table(arr, m, &m->d.t[summary_views[i]]);
	} else {
		json_table(arr, m, &m->d.t[m->view]);
	}
	return cmd_json_emit(ctx, doc);
}

static int
cmd_diff_exec(struct ml_ctx *ctx, const struct ml_cmd_args *args)
{
	const struct ml_cmd_entry *e = &cmd_diff_entry;
	struct diff_cmd *m;
	unsigned int views = 0;
	const char *view = "summary";
	uint64_t min = 0;
	int i, rc = 0, k;
	size_t j;

	for (i = 0; i < args->nopts; i++) {
		const char *arg = args->opts[i].arg;

		switch (args->opts[i].id) {
		case OPT_VIEW:
			for (k = 0; diff_views[k] != NULL && strcmp(diff_views[k], arg) != 0; k++)
				;
			if (diff_views[k] == NULL)
				return cmd_usage_error(e,
						       "unknown view '%s' (summary, meminfo, slab, "
						       "vmalloc, procs, buddy or zones)",
						       arg);
			view = arg;
			break;
		case OPT_MIN:
			if (parse_size(arg, &min) != 0)
				return cmd_usage_error(
					e, "invalid --min '%s' (a size: 4096, 512K, 10M, 1G)", arg);
			break;
		}
	}
	m = ml_xcalloc(1, sizeof *m);
	m->a.name = "A";
	m->b.name = "B";
	m->min = min;
	m->hide_unchanged = ctx->json == ML_JSON_OFF || min > 0;
	m->summary = strcmp(view, "summary") == 0;
	if (m->summary) {
		for (j = 0; j < ML_ARRAY_SIZE(summary_views); j++)
			views |= 1u << summary_views[j];
	} else {
		m->view = (enum ml_diff_view)ml_diff_view_lookup(view);
		views = 1u << m->view;
	}
	/* Without --sort: the largest movers either way in the summary, growth first in a view. */
	m->sort = ctx->sort != NULL ? (enum ml_diff_sort)ml_diff_sort_lookup(ctx->sort)
		  : m->summary      ? ML_DIFF_SORT_ABS
				    : ML_DIFF_SORT_DELTA;
	m->reverse = ctx->sort_reverse;
	m->limit = ctx->limit >= 0                          ? ctx->limit
		   : ctx->json != ML_JSON_OFF || m->summary ? 0
							    : TEXT_DEFAULT_LIMIT;
	if (side_open(ctx, &m->a, args->argv[0]) != 0 ||
	    side_open(ctx, &m->b, args->argc > 1 ? args->argv[1] : NULL) != 0) {
		rc = 1;
		goto out;
	}
	side_read(&m->a, ml_diff_sources(views));
	side_read(&m->b, ml_diff_sources(views));
	if (ml_diff_compute(&m->d, &m->a.d, &m->b.d, views) != 0) {
		cmd_error("cannot compare: %s", strerror(errno));
		rc = 1;
		goto out;
	}
	for (k = 0; k < ML_DIFF__COUNT; k++)
		ml_diff_sort(&m->d.t[k], m->sort, m->reverse);
	if (m->d.boot_changed)
		cmd_error("warning: %s is after a reboot (boot_id %s, A's %s): counters since boot "
			  "are reset, not compared",
			  args->argc > 1 ? args->argv[1] : "this machine", m->b.boot_id,
			  m->a.boot_id);
	if (ctx->json != ML_JSON_OFF)
		rc = diff_json(ctx, m);
	else
		diff_text(ctx, m);
out:
	ml_diff_release(&m->d);
	side_release(&m->a);
	side_release(&m->b);
	free(m);
	return rc;
}

static const struct ml_cmd_option diff_options[] = {
	{ "view", 0, "VIEW",
	  "summary (default: the accounting, then the largest movers of each view), meminfo, "
	  "slab, vmalloc, procs, buddy, zones or cgroups",
	  OPT_VIEW },
	{ "min", 0, "SIZE", "hide rows that moved less than SIZE (bytes; K, M, G suffixes)",
	  OPT_MIN },
	{ NULL, 0, NULL, NULL, 0 },
};

const struct ml_cmd_entry cmd_diff_entry = {
	.name = "diff",
	.args = "A [B]",
	.min_args = 1,
	.max_args = 2,
	.summary = "memory at two moments: two captures, or a capture and now",
	.help = "Compares capture A (memlens capture: a directory or an archive) with capture B,\n"
		"or with what memlens reads now (the live machine, --proc-root, --capture).\n"
		"Each row: its value in A and in B, the change, the change per hour and in\n"
		"percent; rows only in B are new, only in A gone. Slab caches are matched by\n"
		"name (a second cache of one name is NAME#2), processes by PID and start time\n"
		"(a reused PID is a new process). After a reboot (another boot_id) counters\n"
		"since boot are marked reset, not compared. --sort delta (growth first), rate,\n"
		"name or abs (the largest movers either way: the summary's order).",
	.options = diff_options,
	.sort_keys = ml_diff_sort_keys,
	.flags = ML_CMD_SORT,
	.exec = cmd_diff_exec,
};

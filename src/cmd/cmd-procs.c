/*
 * memlens procs: processes ranked by PSS (or USS, RSS, swap, ...), optionally
 * grouped by user or command, with a totals row. Identity comes from the
 * process table (libproc2 on the live /proc), memory from each process's
 * smaps_rollup; a process that cannot be read shows n/a and why, and the
 * report ends with how many and why.
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd-cgroups.h"
#include "cmd/cmd.h"
#include "model/cgroups.h"
#include "model/procs.h"
#include "proc/proctab.h"
#include "xalloc.h"

enum { OPT_GROUP, OPT_USER, OPT_PID, OPT_MATCH, OPT_WIDE };

static const struct ml_cmd_option procs_options[] = {
	{ "group", 0, "BY", "one row per user, command or memory cgroup (user, command, cgroup)",
	  OPT_GROUP },
	{ "user", 'u', "USER", "only processes of USER (a name or a uid)", OPT_USER },
	{ "pid", 'p', "PID,...", "only these processes", OPT_PID },
	{ "match", 0, "REGEX", "only processes whose command or command line matches", OPT_MATCH },
	{ "wide", 'w', NULL,
	  "never cut the command line (the default unless the output is a terminal)", OPT_WIDE },
	{ NULL, 0, NULL, NULL, 0 },
};

struct procs_cmd {
	enum ml_proc_sort sort;
	enum ml_proc_group_by group;
	bool have_uid;
	uint32_t uid;
	int *pids;
	size_t npids;
	bool have_re;
	regex_t re;
	const char *match;
	bool wide; /* -w: never cut the command line */
	struct ml_proctab tab;
	bool tab_open;
	struct ml_sysinfo si;
	struct ml_proc **rows; /* selected, read, sorted */
	size_t n, cap;
	struct ml_proc_sum total;
	bool fault_rates; /* a second report: faults per second, not since start */
	uint64_t kthreads, zombies, exited;
	int missing_pid; /* a -p PID that is not there, or 0 */
	/* --group cgroup: the memory controller's hierarchy, its cgroup.procs */
	struct ml_cgmounts mounts;
	struct ml_cghier hier;
	bool hier_open;
	struct ml_cgtree cgtree;
	/* With -i: each process's change through the reports so far (model/procs.h). */
	struct ml_proc_growth growth;
	bool growth_on;
};

/* The measures shown as columns, in order; the sort's own is added when not among them. */
static const enum ml_pm base_cols[] = { ML_PM_PSS, ML_PM_USS, ML_PM_RSS, ML_PM_SWAP };

static int
parse_pids(struct procs_cmd *c, const char *arg)
{
	char *copy = ml_xstrdup(arg), *tok, *save = NULL;
	int pid;

	for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if ((pid = ml_pid_parse(tok)) < 0) {
			free(copy);
			return -1;
		}
		c->pids = ml_xreallocarray(c->pids, c->npids + 1, sizeof *c->pids);
		c->pids[c->npids++] = pid;
	}
	free(copy);
	return c->npids > 0 ? 0 : -1;
}

static int
parse_user(struct procs_cmd *c, const char *arg)
{
	struct passwd *pw;
	int uid = ml_pid_parse(arg);

	if (strcmp(arg, "0") == 0)
		uid = 0;
	if (uid >= 0) {
		c->uid = (uint32_t)uid;
	} else {
		if ((pw = getpwnam(arg)) == NULL)
			return -1;
		c->uid = pw->pw_uid;
	}
	c->have_uid = true;
	return 0;
}

static int
parse_options(struct ml_ctx *ctx, const struct ml_cmd_args *args, struct procs_cmd *c)
{
	extern const struct ml_cmd_entry cmd_procs_entry;
	const struct ml_cmd_entry *e = &cmd_procs_entry;
	int i, rc;

	c->sort = (enum ml_proc_sort)ml_proc_sort_parse(cmd_sort_key(ctx, e));
	for (i = 0; i < args->nopts; i++) {
		const char *a = args->opts[i].arg;

		switch (args->opts[i].id) {
		case OPT_GROUP:
			if (strcmp(a, "user") == 0)
				c->group = ML_PG_USER;
			else if (strcmp(a, "command") == 0)
				c->group = ML_PG_COMMAND;
			else if (strcmp(a, "cgroup") == 0)
				c->group = ML_PG_CGROUP;
			else
				return cmd_usage_error(
					e, "invalid --group '%s' (use user, command or cgroup)", a);
			break;
		case OPT_USER:
			if (parse_user(c, a) != 0)
				return cmd_usage_error(e, "unknown user '%s'", a);
			break;
		case OPT_PID:
			if (parse_pids(c, a) != 0)
				return cmd_usage_error(e, "invalid PID list '%s'", a);
			break;
		case OPT_MATCH:
			if (c->have_re)
				regfree(&c->re);
			rc = regcomp(&c->re, a, REG_EXTENDED | REG_NOSUB);
			if (rc != 0) {
				char msg[128];

				regerror(rc, &c->re, msg, sizeof msg);
				return cmd_usage_error(e, "invalid --match '%s': %s", a, msg);
			}
			c->have_re = true;
			c->match = a;
			break;
		case OPT_WIDE:
			c->wide = true;
			break;
		}
	}
	return 0;
}

static bool
selected(const struct procs_cmd *c, const struct ml_proc *p)
{
	size_t i;

	if (c->have_uid && p->uid != c->uid)
		return false;
	if (c->npids > 0) {
		for (i = 0; i < c->npids; i++)
			if (c->pids[i] == p->pid)
				break;
		if (i == c->npids)
			return false;
	}
	if (c->have_re && regexec(&c->re, p->comm, 0, NULL, 0) != 0 &&
	    regexec(&c->re, p->cmdline, 0, NULL, 0) != 0)
		return false;
	return true;
}

/* Rows shown: --limit N (0 or none: all). */
static size_t
shown(const struct ml_ctx *ctx, size_t n)
{
	return ctx->limit > 0 && (size_t)ctx->limit < n ? (size_t)ctx->limit : n;
}

/*
 * Whether every process's command line is needed before the rows are known:
 * to match against it, or when every process is shown anyway (then reading
 * them with the identities costs least). Otherwise only the rows shown get
 * theirs, after sorting.
 */
static bool
needs_all_cmdlines(const struct ml_ctx *ctx, const struct procs_cmd *c)
{
	return c->have_re ||
	       (c->group == ML_PG_NONE && ctx->limit <= 0 && !c->have_uid && c->npids == 0);
}

/* Refresh the table, read the selected processes and sort them. */
static int
collect(struct ml_ctx *ctx, struct procs_cmd *c)
{
	char *cause = NULL;
	size_t i, j;
	bool all;

	ml_proctab_want_cmdlines(&c->tab, needs_all_cmdlines(ctx, c));
	/*
	 * With -p, list then read only those; otherwise read every process's
	 * memory while another thread reads the identities (proctab.h).
	 */
	all = c->npids == 0 && cmd_threads_allowed();
	if ((all ? ml_proctab_refresh_read_all(&c->tab, &cause)
		 : ml_proctab_refresh(&c->tab, &cause)) != 0) {
		cmd_error("%s", cause != NULL ? cause : strerror(errno));
		free(cause);
		return 1;
	}
	if (c->tab.n == 0) {
		/* A live procfs always lists memlens itself: a copied tree without any. */
		cmd_error("%s has no process directories (PID/status, PID/smaps_rollup)",
			  c->tab.fs->root);
		return 1;
	}
	c->n = 0;
	c->kthreads = c->zombies = 0;
	memset(&c->total, 0, sizeof c->total);
	for (i = 0; i < c->tab.n; i++) {
		struct ml_proc *p = c->tab.rows[i];

		if (!selected(c, p))
			continue;
		if (p->kthread) {
			c->kthreads++;
			continue;
		}
		if (!all)
			ml_proctab_read_mem(&c->tab, p); /* in this thread, after the listing */
		if (p->mem == ML_MEM_GONE)
			continue; /* exited in between: skipped without a word */
		if (p->mem == ML_MEM_NONE) {
			c->zombies++;
			continue;
		}
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 256;
			c->rows = ml_xreallocarray(c->rows, c->cap, sizeof *c->rows);
		}
		c->rows[c->n++] = p;
	}
	/* The processes we may not read: their RSS and swap from their status. */
	if (ml_proctab_read_status_mem(&c->tab, c->rows, c->n, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return 1;
	}
	for (i = 0; i < c->n; i++)
		ml_proc_sum_add(&c->total, c->rows[i]);
	c->exited = c->tab.vanished;
	c->missing_pid = 0;
	for (j = 0; j < c->npids; j++) {
		struct ml_proc *p = ml_proctab_find(&c->tab, c->pids[j]);

		if (p == NULL || p->mem == ML_MEM_GONE) {
			c->missing_pid = c->pids[j];
			break;
		}
	}
	ml_procs_sort_ex(c->rows, c->n, c->sort, false, c->fault_rates);
	return 0;
}

static bool
is_fault_key(enum ml_proc_sort s)
{
	return s == ML_PS_MINFLT || s == ML_PS_MAJFLT;
}

/*
 * The fault columns are shown when the faults were read (the live /proc,
 * through libproc2) or asked for by the sort; else they would be n/a on
 * every row of a copied tree.
 */
static bool
fault_columns(const struct procs_cmd *c)
{
	size_t i;

	if (is_fault_key(c->sort))
		return true;
	for (i = 0; i < c->n; i++)
		if (c->rows[i]->faults_known)
			return true;
	return false;
}

/* One fault cell: the count since start, or per second in a later report. */
static void
fault_cell(struct text_table *t, const struct procs_cmd *c, const struct ml_proc *p,
	   enum ml_fault f)
{
	uint64_t v;
	double r;

	if (c->fault_rates) {
		if (ml_proc_fault_rate(p, f, &r))
			text_table_cell(t, "%.0f", r);
		else
			text_table_cell(t, "n/a");
	} else if (ml_proc_faults(p, f, &v)) {
		text_table_cell(t, "%llu", (unsigned long long)v);
	} else {
		text_table_cell(t, "n/a");
	}
}

/* The width of a fault column: its title and its cells. */
static int
fault_width(const struct procs_cmd *c, size_t n, enum ml_fault f)
{
	char buf[32];
	int w = c->fault_rates ? 8 : 6; /* "MINFLT/s", "MINFLT" */
	uint64_t v;
	double r;
	size_t i;

	for (i = 0; i < n; i++) {
		if (c->fault_rates && ml_proc_fault_rate(c->rows[i], f, &r))
			snprintf(buf, sizeof buf, "%.0f", r);
		else if (!c->fault_rates && ml_proc_faults(c->rows[i], f, &v))
			snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
		else
			snprintf(buf, sizeof buf, "n/a");
		if ((int)strlen(buf) > w)
			w = (int)strlen(buf);
	}
	return w;
}

static enum ml_pm
sort_measure(enum ml_proc_sort s)
{
	static const enum ml_pm map[ML_PS__COUNT] = {
		[ML_PS_PSS] = ML_PM_PSS,           [ML_PS_USS] = ML_PM_USS,
		[ML_PS_RSS] = ML_PM_RSS,           [ML_PS_SWAP] = ML_PM_SWAP,
		[ML_PS_SWAP_PSS] = ML_PM_SWAP_PSS, [ML_PS_ANON] = ML_PM_ANON,
		[ML_PS_FILE] = ML_PM_FILE,         [ML_PS_SHMEM] = ML_PM_SHMEM,
		[ML_PS_PID] = ML_PM_PSS,           [ML_PS_COMMAND] = ML_PM_PSS,
	};

	return map[s];
}

/* The measure columns: PSS USS RSS SWAP, and the sort's measure when another. */
static size_t
columns(const struct procs_cmd *c, enum ml_pm *cols)
{
	enum ml_pm s = sort_measure(c->sort);
	size_t n = 0, i;
	bool have = false;

	for (i = 0; i < ML_ARRAY_SIZE(base_cols); i++) {
		cols[n++] = base_cols[i];
		have |= base_cols[i] == s;
	}
	if (!have)
		cols[n++] = s;
	return n;
}

/* One sample of the changes: the sort's measure of every process read. */
static void
feed_changes(struct procs_cmd *c)
{
	struct timespec ts;

	if (!c->growth_on) {
		ml_proc_growth_init(&c->growth, sort_measure(c->sort));
		c->growth_on = true;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ml_proc_growth_sample(&c->growth, c->rows, c->n,
			      (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
}

/* A process's change in bytes per second; false before its second report. */
static bool
change_of(const struct procs_cmd *c, const struct ml_proc *p, double *slope)
{
	return c->growth_on && ml_proc_growth_of(&c->growth, p, slope);
}

/* The COMMAND cell: the command line, "[comm]" when empty (ps's habit), comm when unknown. */
static const char *
cmd_text(const struct ml_proc *p, char *buf, size_t cap)
{
	if (!p->cmdline_known)
		return p->comm;
	if (p->cmdline[0] != '\0')
		return p->cmdline;
	snprintf(buf, cap, "[%s]", p->comm);
	return buf;
}

/*
 * The command cell: control characters shown as '?', cut to width columns
 * (UTF-8 code points) with a '~' where it was cut (width < 0: never), then
 * the note.
 */
static void
cell_cut(struct text_table *t, const char *s, const char *note, int width)
{
	size_t len = strlen(s), max, w = 0, o = 0, nlen = note != NULL ? text_width(note) : 0;
	char *buf = ml_xmalloc(len + 2);

	max = width < 0 ? SIZE_MAX : width > (int)nlen + 16 ? (size_t)width - nlen : 16;
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch & 0xc0) != 0x80 && ++w > max - 1 && text_width(s) > 1) {
			buf[o++] = '~';
			break;
		}
		buf[o++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	buf[o] = '\0';
	text_table_cell(t, "%s%s", buf, note != NULL ? note : "");
	free(buf);
}

static void
print_unreadable(const struct ml_ctx *ctx, const struct procs_cmd *c, const struct ml_proc_sum *s)
{
	const struct text_out *o = &ctx->text;
	uint64_t denied = s->by_state[ML_MEM_DENIED], err = s->by_state[ML_MEM_ERROR];

	if (denied + err > 0 && s->known[ML_PM_RSS] > s->read)
		text_printf(o, TS_DIM,
			    "RSS and SWAP of a process not read: VmRSS and VmSwap of its "
			    "/proc/PID/status, which anyone may read\n");
	if (denied > 0)
		text_printf(o, TS_DIM,
			    "n/a: %llu process%s could not be read: permission denied (%s)\n",
			    (unsigned long long)denied, denied == 1 ? "" : "es",
			    geteuid() == 0 ? "even as root: ptrace access refused, e.g. they hold "
					     "capabilities memlens lacks"
					   : "other users' processes; run as root to include them");
	if (err > 0)
		text_printf(o, TS_DIM, "n/a: %llu process%s could not be read: read error%s%s%s\n",
			    (unsigned long long)err, err == 1 ? "" : "es",
			    c->tab.errors.first_error[0] != '\0' ? " (" : "",
			    c->tab.errors.first_error,
			    c->tab.errors.first_error[0] != '\0' ? ")" : "");
}

static void
procs_text(struct ml_ctx *ctx, struct procs_cmd *c)
{
	const struct text_out *o = &ctx->text;
	enum ml_pm cols[ML_PM__COUNT];
	size_t ncols = columns(c, cols), i, k, n = shown(ctx, c->n);
	bool chg = ctx->repeat;
	bool flt = fault_columns(c);
	size_t nflt = flt ? 2 : 0;
	struct text_table *t = text_table_new((unsigned int)(ncols + nflt + 3 + chg));
	uint64_t v;
	char buf[80], title[32];
	int fixed, w, pidw = 3, userw = 5; /* "PID", "total" */

	cmd_text_header(ctx, &c->si, "memlens procs");
	if (o->units.mode != ML_UNITS_HUMAN)
		text_printf(o, TS_DIM, "(sizes in %s)\n", text_unit_name(&o->units));
	text_table_col(t, 0, "PID", TA_RIGHT);
	text_table_col(t, 1, "USER", TA_LEFT);
	for (k = 0; k < ncols; k++)
		text_table_col(t, (unsigned int)(k + 2), ml_pm_title(cols[k]), TA_RIGHT);
	if (flt) {
		text_table_col(t, (unsigned int)(ncols + 2), c->fault_rates ? "MINFLT/s" : "MINFLT",
			       TA_RIGHT);
		text_table_col(t, (unsigned int)(ncols + 3), c->fault_rates ? "MAJFLT/s" : "MAJFLT",
			       TA_RIGHT);
	}
	/* With -i: the change of the sort's measure, per hour, fitted over the reports. */
	snprintf(title, sizeof title, "%s/h", ml_pm_title(sort_measure(c->sort)));
	if (chg)
		text_table_col(t, (unsigned int)(ncols + nflt + 2), title, TA_RIGHT);
	text_table_col(t, (unsigned int)(ncols + nflt + 2 + chg), "COMMAND", TA_LEFT);

	/*
	 * The command takes what the other columns leave of the line; without a
	 * width to fit (a pipe, a file, -w) it is whole, and nothing is measured.
	 */
	w = -1;
	if (!c->wide && o->width_set) {
		for (i = 0; i < n; i++) {
			snprintf(buf, sizeof buf, "%d", c->rows[i]->pid);
			if ((w = (int)strlen(buf)) > pidw)
				pidw = w;
			if ((w = (int)text_width(c->rows[i]->user)) > userw)
				userw = w;
		}
		fixed = pidw + userw + 2 * (int)(ncols + nflt + 2) + (chg ? 14 : 0);
		if (flt)
			fixed += fault_width(c, n, ML_FAULT_MINOR) +
				 fault_width(c, n, ML_FAULT_MAJOR);
		for (k = 0; k < ncols; k++) {
			int cw = (int)strlen(ml_pm_title(cols[k]));

			for (i = 0; i <= n; i++) {
				bool known = i < n ? ml_proc_value(c->rows[i], cols[k], &v)
						   : ml_proc_sum_has(&c->total, cols[k]);

				if (i == n)
					v = c->total.v[cols[k]];
				w = known ? (int)strlen(text_sz(&o->units, v)) : 3;
				cw = w > cw ? w : cw;
			}
			fixed += cw;
		}
		w = o->width - fixed;
	}

	for (i = 0; i < n; i++) {
		const struct ml_proc *p = c->rows[i];
		bool ok = p->mem == ML_MEM_OK;
		char note[64];

		text_table_row(t, ok ? TS_NONE : TS_DIM);
		text_table_cell(t, "%d", p->pid);
		text_table_cell(t, "%s", p->user);
		for (k = 0; k < ncols; k++) {
			if (ml_proc_value(p, cols[k], &v))
				text_table_cell(t, "%s", text_sz(&o->units, v));
			else
				text_table_cell(t, "n/a");
		}
		if (flt) {
			fault_cell(t, c, p, ML_FAULT_MINOR);
			fault_cell(t, c, p, ML_FAULT_MAJOR);
		}
		if (chg) {
			double slope;
			char sz[32];

			if (change_of(c, p, &slope)) {
				text_ssize(sz, sizeof sz, (int64_t)(slope * 3600), &o->units);
				text_table_cell(t, "%s%s", slope * 3600 >= 1 ? "+" : "", sz);
			} else {
				text_table_cell(t, "-");
			}
		}
		if (!ok)
			snprintf(note, sizeof note, "  (n/a: %s)", ml_mem_state_reason(p->mem));
		cell_cut(t, cmd_text(p, buf, sizeof buf), ok ? NULL : note, w);
	}
	text_table_row(t, TS_BOLD);
	text_table_cell(t, "%s", "");
	text_table_cell(t, "%s", "total");
	for (k = 0; k < ncols; k++) {
		if (ml_proc_sum_has(&c->total, cols[k]))
			text_table_cell(t, "%s", text_sz(&o->units, c->total.v[cols[k]]));
		else
			text_table_cell(t, "n/a");
	}
	if (flt) {
		text_table_cell(t, "%s", "");
		text_table_cell(t, "%s", "");
	}
	if (chg)
		text_table_cell(t, "%s", "");
	if (n < c->n)
		snprintf(buf, sizeof buf, "%llu processes (%zu shown)",
			 (unsigned long long)c->total.read, n);
	else
		snprintf(buf, sizeof buf, "%llu process%s", (unsigned long long)c->total.read,
			 c->total.read == 1 ? "" : "es");
	text_table_cell(t, "%s", buf);
	text_table_print(t, o, 0);
	text_table_free(t);
	print_unreadable(ctx, c, &c->total);
	if (flt && n > 0 && !c->rows[0]->faults_known)
		text_printf(o, TS_DIM, "n/a: page faults are %s\n", ml_proc_faults_why(c->rows[0]));
	else if (flt && c->fault_rates)
		text_printf(o, TS_DIM, "faults per second since the previous report\n");
}

static void
groups_text(struct ml_ctx *ctx, struct procs_cmd *c, const struct ml_proc_group *g, size_t ng)
{
	const struct text_out *o = &ctx->text;
	enum ml_pm cols[ML_PM__COUNT];
	size_t ncols = columns(c, cols), i, k, n = shown(ctx, ng);
	struct text_table *t = text_table_new((unsigned int)(ncols + 3));
	bool any_na = false;

	for (i = 0; i < ng; i++)
		any_na |= g[i].sum.read < g[i].sum.procs;
	cmd_text_header(ctx, &c->si, "memlens procs");
	if (o->units.mode != ML_UNITS_HUMAN)
		text_printf(o, TS_DIM, "(sizes in %s)\n", text_unit_name(&o->units));
	text_table_col(t, 0,
		       c->group == ML_PG_USER     ? "USER"
		       : c->group == ML_PG_CGROUP ? "CGROUP"
						  : "COMMAND",
		       TA_LEFT);
	text_table_col(t, 1, "PROCS", TA_RIGHT);
	for (k = 0; k < ncols; k++)
		text_table_col(t, (unsigned int)(k + 2), ml_pm_title(cols[k]), TA_RIGHT);
	text_table_col(t, (unsigned int)(ncols + 2), any_na ? "NOT READ" : "", TA_LEFT);
	for (i = 0; i < n; i++) {
		uint64_t na = g[i].sum.procs - g[i].sum.read;

		text_table_row(t, g[i].sum.read > 0 ? TS_NONE : TS_DIM);
		text_table_cell(t, "%s", g[i].name);
		text_table_cell(t, "%llu", (unsigned long long)g[i].sum.procs);
		for (k = 0; k < ncols; k++) {
			if (ml_proc_sum_has(&g[i].sum, cols[k]))
				text_table_cell(t, "%s", text_sz(&o->units, g[i].sum.v[cols[k]]));
			else
				text_table_cell(t, "n/a");
		}
		if (na > 0)
			text_table_cell(t, "%llu (%s)", (unsigned long long)na,
					g[i].sum.by_state[ML_MEM_DENIED] == na ? "permission denied"
									       : "n/a");
		else
			text_table_cell(t, "%s", "");
	}
	text_table_row(t, TS_BOLD);
	text_table_cell(t, "total (%zu)", ng);
	text_table_cell(t, "%llu", (unsigned long long)c->total.procs);
	for (k = 0; k < ncols; k++) {
		if (ml_proc_sum_has(&c->total, cols[k]))
			text_table_cell(t, "%s", text_sz(&o->units, c->total.v[cols[k]]));
		else
			text_table_cell(t, "n/a");
	}
	if (c->total.read < c->total.procs)
		text_table_cell(t, "%llu", (unsigned long long)(c->total.procs - c->total.read));
	else
		text_table_cell(t, "%s", "");
	text_table_print(t, o, 0);
	text_table_free(t);
	print_unreadable(ctx, c, &c->total);
}

/* Each measure as bytes, or null when unknown. */
static void
json_measures(struct json_node *o, const struct ml_proc_sum *s, const struct ml_proc *p)
{
	uint64_t v;
	int m;

	for (m = 0; m < ML_PM__COUNT; m++) {
		bool known = p != NULL ? ml_proc_value(p, (enum ml_pm)m, &v)
				       : ml_proc_sum_has(s, (enum ml_pm)m);

		if (p == NULL)
			v = s->v[m];
		if (known)
			json_add_u64(o, ml_pm_key((enum ml_pm)m), v);
		else
			json_add_null(o, ml_pm_key((enum ml_pm)m));
	}
}

static void
json_sum_counts(struct json_node *o, const struct ml_proc_sum *s)
{
	json_add_u64(o, "processes", s->procs);
	json_add_u64(o, "readable", s->read);
	json_add_u64(o, "denied", s->by_state[ML_MEM_DENIED]);
	json_add_u64(o, "error", s->by_state[ML_MEM_ERROR]);
}

/* A string member of the open row; NULL is null. */
static void
row_str(struct json_stream *js, const char *key, const char *v)
{
	json_row_string(js, key, v, v != NULL ? strlen(v) : 0);
}

/*
 * minflt and majflt since the process started, and with a rate (a later
 * report of -i) per second; null when unknown.
 */
static void
json_row_faults(struct json_stream *js, const struct procs_cmd *c, const struct ml_proc *p)
{
	uint64_t v;
	double d;

	if (ml_proc_faults(p, ML_FAULT_MINOR, &v))
		json_row_u64(js, "minflt", v);
	else
		json_row_null(js, "minflt");
	if (ml_proc_faults(p, ML_FAULT_MAJOR, &v))
		json_row_u64(js, "majflt", v);
	else
		json_row_null(js, "majflt");
	if (!c->fault_rates)
		return;
	if (ml_proc_fault_rate(p, ML_FAULT_MINOR, &d))
		json_row_double(js, "minflt_per_second", d);
	else
		json_row_null(js, "minflt_per_second");
	if (ml_proc_fault_rate(p, ML_FAULT_MAJOR, &d))
		json_row_double(js, "majflt_per_second", d);
	else
		json_row_null(js, "majflt_per_second");
}

/* One process, as a row of the streamed "processes" array. */
static void
json_proc_row(struct json_stream *js, const struct procs_cmd *c, const struct ml_proc *p)
{
	uint64_t v;
	size_t k;
	int m;

	json_row_begin(js);
	json_row_u64(js, "pid", (uint64_t)p->pid);
	if (p->ppid >= 0)
		json_row_u64(js, "ppid", (uint64_t)p->ppid);
	else
		json_row_null(js, "ppid");
	row_str(js, "user", p->uid_known ? p->user : NULL);
	if (p->uid_known)
		json_row_u64(js, "uid", p->uid);
	else
		json_row_null(js, "uid");
	json_row_string(js, "state", &p->state, 1);
	row_str(js, "command", p->comm_known ? p->comm : NULL);
	row_str(js, "cmdline", p->cmdline_known ? p->cmdline : NULL);
	row_str(js, "memory", ml_mem_state_word(p->mem));
	row_str(js, "reason", p->mem == ML_MEM_OK ? NULL : ml_mem_state_reason(p->mem));
	row_str(js, "source",
		p->mem != ML_MEM_OK ? NULL
		: p->from_smaps     ? "smaps"
				    : "smaps_rollup");
	for (m = 0; m < ML_PM__COUNT; m++) {
		if (ml_proc_value(p, (enum ml_pm)m, &v))
			json_row_u64(js, ml_pm_key((enum ml_pm)m), v);
		else
			json_row_null(js, ml_pm_key((enum ml_pm)m));
	}
	json_row_faults(js, c, p);
	/* With -i: the change through the reports so far. */
	if (c->growth_on) {
		double slope;

		if (change_of(c, p, &slope))
			json_row_double(js, "change_bytes_per_s", slope);
		else
			json_row_null(js, "change_bytes_per_s");
	}
	if (p->mem == ML_MEM_OK) {
		json_row_object_begin(js, "fields");
		for (k = 0; k < ML_SM__COUNT; k++)
			if (ml_bit_test(p->present, (unsigned int)k))
				json_row_u64(js, ml_smaps_keys[k].name, p->val[k]);
		json_row_object_end(js);
	} else {
		json_row_null(js, "fields");
	}
	/* Not readable: what its status says instead (RSS and swap above). */
	if (p->mem != ML_MEM_OK && (p->has_status_rss || p->has_status_swap)) {
		json_row_object_begin(js, "status");
		if (p->has_status_rss)
			json_row_u64(js, "VmRSS", p->status_rss);
		if (p->has_status_swap)
			json_row_u64(js, "VmSwap", p->status_swap);
		json_row_object_end(js);
	} else {
		json_row_null(js, "status");
	}
	json_row_end(js);
}

static int
procs_json(struct ml_ctx *ctx, struct procs_cmd *c, const struct ml_proc_group *g, size_t ng)
{
	struct json_node *doc = json_doc_new("procs", &c->si), *o, *arr, *r, *errs;
	struct json_stream *js;
	size_t i, n;

	json_add_string(doc, "sort", ml_proc_sort_keys[c->sort]);
	json_add_bool(doc, "reverse", ctx->sort_reverse);
	json_add_string(doc, "group_by",
			c->group == ML_PG_USER      ? "user"
			: c->group == ML_PG_COMMAND ? "command"
			: c->group == ML_PG_CGROUP  ? "cgroup"
						    : NULL);
	o = json_add_object(doc, "filters");
	if (c->have_uid)
		json_add_u64(o, "uid", c->uid);
	else
		json_add_null(o, "uid");
	if (c->npids > 0) {
		arr = json_add_array(o, "pids");
		for (i = 0; i < c->npids; i++)
			json_array_add_u64(arr, (uint64_t)c->pids[i]);
	} else {
		json_add_null(o, "pids");
	}
	json_add_string(o, "match", c->have_re ? c->match : NULL);
	json_add_string(doc, "identity_source", c->tab.pids.live ? "libproc2" : "status");

	/* The processes one row at a time (a machine can have 100,000): the rest is a tail. */
	js = json_stream_begin(doc, "processes", stdout, ctx->json == ML_JSON_PRETTY);
	n = c->group == ML_PG_NONE ? shown(ctx, c->n) : c->n;
	for (i = 0; i < n; i++)
		json_proc_row(js, c, c->rows[i]);
	doc = json_object_new();
	if (c->group != ML_PG_NONE) {
		arr = json_add_array(doc, "groups");
		for (i = 0; i < shown(ctx, ng); i++) {
			r = json_array_add_object(arr);
			json_add_string(r, "name", g[i].name);
			if (c->group == ML_PG_USER)
				json_add_u64(r, "uid", g[i].uid);
			json_sum_counts(r, &g[i].sum);
			json_measures(r, &g[i].sum, NULL);
		}
	} else {
		json_add_null(doc, "groups");
	}
	o = json_add_object(doc, "totals");
	json_sum_counts(o, &c->total);
	json_measures(o, &c->total, NULL);
	o = json_add_object(doc, "skipped");
	json_add_u64(o, "kernel_threads", c->kthreads);
	json_add_u64(o, "no_memory", c->zombies);
	json_add_u64(o, "exited", c->exited);
	arr = json_add_array(doc, "missing");
	cmd_json_missing(arr, ctx, c->tab.pids.no_status, c->tab.pids.no_status_rel,
			 "name, user and state");
	cmd_json_missing(arr, ctx, c->tab.pids.no_cmdline, c->tab.pids.no_cmdline_rel,
			 "command line");
	errs = json_add_array(doc, "parse_errors");
	if (c->tab.errors.files > 0)
		cmd_json_bad_lines(errs, ctx, c->tab.errors.first_rel, &c->tab.errors.first);
	if (c->tab.pids.bad_status_files > 0)
		cmd_json_bad_lines(errs, ctx, c->tab.pids.bad_status_rel, &c->tab.pids.bad_status);
	if (json_stream_end(js, doc) != 0) {
		cmd_error("cannot build the JSON document: %s", strerror(errno));
		return 1;
	}
	return 0;
}

/* The cgroup of a process, for --group cgroup. */
static const char *
cgroup_of(void *arg, const struct ml_proc *p)
{
	const struct ml_cgroup *cg = ml_cgtree_cgroup_of(arg, p->pid);

	return cg != NULL ? cg->path : NULL;
}

/*
 * --group cgroup: the hierarchy of the memory controller, found once, and
 * every cgroup's cgroup.procs (the other files of the root alone).
 */
static int
read_cgroups(struct ml_ctx *ctx, struct procs_cmd *c)
{
	char *cause = NULL;

	if (!c->hier_open) {
		c->hier_open = true;
		if (cmd_cgroups_open(ctx, &c->mounts, &c->hier, &cause) != 0) {
			cmd_read_error(cause, errno, "run as root");
			free(cause);
			return 1;
		}
	}
	ml_cgtree_release(&c->cgtree);
	ml_cgtree_init(&c->cgtree);
	if (ml_cgtree_load(&c->cgtree, &c->hier, "/", 0, &cause) != 0) {
		cmd_error("%s", cause != NULL ? cause : strerror(errno));
		free(cause);
		return 1;
	}
	return 0;
}

static int
procs_once(struct ml_ctx *ctx, struct procs_cmd *c)
{
	struct ml_proc_group *g = NULL;
	long ng = 0;
	int rc;
	char *cause = NULL;
	size_t rows;

	/* the second report on: faults per second (the rows keep the last counts) */
	c->fault_rates = ctx->iteration > 0;

	if ((rc = collect(ctx, c)) != 0)
		return rc;
	if (ctx->repeat)
		feed_changes(c);
	ml_sysinfo_read(&c->si, &ctx->fs);
	if (c->group == ML_PG_CGROUP) {
		if ((rc = read_cgroups(ctx, c)) != 0)
			return rc;
		ng = ml_procs_group_names(c->rows, c->n, cgroup_of, &c->cgtree, c->sort,
					  ctx->sort_reverse, &g);
		if (ng < 0) {
			cmd_error("%s", strerror(errno));
			return 1;
		}
	} else if (c->group != ML_PG_NONE) {
		ng = ml_procs_group(c->rows, c->n, c->group, c->sort, ctx->sort_reverse, &g);
		if (ng < 0) {
			cmd_error("%s", strerror(errno));
			return 1;
		}
	}
	if (c->sort == ML_PS_GROWTH && c->growth_on)
		ml_procs_sort_growth(c->rows, c->n, &c->growth, ctx->sort_reverse);
	else if (ctx->sort_reverse)
		ml_procs_sort_ex(c->rows, c->n, c->sort, true, c->fault_rates);
	/* The command lines of the rows printed, when the listing did not read them all. */
	rows = ctx->json != ML_JSON_OFF ? (c->group == ML_PG_NONE ? shown(ctx, c->n) : c->n)
	       : c->group == ML_PG_NONE ? shown(ctx, c->n)
					: 0;
	if (ml_proctab_read_cmdlines(&c->tab, c->rows, rows, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		free(g);
		return 1;
	}
	cmd_warn_missing(ctx, c->tab.pids.no_status, c->tab.pids.no_status_rel,
			 "name, user and state");
	cmd_warn_missing(ctx, c->tab.pids.no_cmdline, c->tab.pids.no_cmdline_rel, "command line");
	if (c->tab.errors.files > 0)
		cmd_warn_bad_lines(ctx, c->tab.errors.first_rel, &c->tab.errors.first);
	if (c->tab.pids.bad_status_files > 0)
		cmd_warn_bad_lines(ctx, c->tab.pids.bad_status_rel, &c->tab.pids.bad_status);
	/* A PID directory whose status cannot be read: no process to show, but say so. */
	if (c->tab.pids.unlisted > 0)
		cmd_error("warning: %llu process%s not listed: %s",
			  (unsigned long long)c->tab.pids.unlisted,
			  c->tab.pids.unlisted == 1 ? "" : "es", c->tab.pids.unlisted_why);
	if (ctx->json != ML_JSON_OFF)
		rc = procs_json(ctx, c, g, (size_t)ng);
	else if (c->group != ML_PG_NONE)
		groups_text(ctx, c, g, (size_t)ng);
	else
		procs_text(ctx, c);
	free(g);
	if (rc == 0 && c->missing_pid != 0 && !ctx->repeat) {
		cmd_error("no process %d", c->missing_pid);
		rc = 1;
	}
	return rc;
}

static int
cmd_procs_exec(struct ml_ctx *ctx, const struct ml_cmd_args *args)
{
	struct procs_cmd *c = ml_xcalloc(1, sizeof *c);
	char *cause = NULL;
	int rc;

	rc = parse_options(ctx, args, c);
	if (rc == 0) {
		c->tab_open = true;
		if (ml_proctab_init(&c->tab, &ctx->fs, ML_PIDS_AUTO, &cause) != 0) {
			cmd_error("%s", cause != NULL ? cause : strerror(errno));
			rc = 1;
		}
		free(cause);
	}
	while (rc == 0 && cmd_next_report(ctx))
		rc = procs_once(ctx, c);
	if (c->tab_open)
		ml_proctab_release(&c->tab);
	ml_cgtree_release(&c->cgtree);
	if (c->hier_open) {
		ml_cghier_close(&c->hier);
		ml_cgmounts_release(&c->mounts);
	}
	if (c->have_re)
		regfree(&c->re);
	if (c->growth_on)
		ml_proc_growth_release(&c->growth);
	free(c->pids);
	free(c->rows);
	free(c);
	return rc;
}

const struct ml_cmd_entry cmd_procs_entry = {
	.name = "procs",
	.summary =
		"processes ranked by PSS, USS, RSS or swap; groupable by user, command or cgroup",
	.help = "Lists every process (kernel threads aside) with its memory from\n"
		"/proc/PID/smaps_rollup: PSS (its share of the pages it maps; the sum over\n"
		"processes is what they use), USS (private pages, freed when it exits), RSS\n"
		"(resident, shared pages counted in full) and swap. Processes of other users\n"
		"cannot be read without root: they show n/a and the reason, and the last line\n"
		"says how many. --group sums per user (like smem -u), per command (like\n"
		"ps_mem) or per cgroup of the memory controller (memlens cgroups shows the\n"
		"cgroups' own figures next to these sums). With -i each report adds the\n"
		"change of the sort's measure per hour, fitted over every report so far\n"
		"(memlens growth's model).",
	.max_args = 0,
	.options = procs_options,
	.sort_keys = ml_proc_sort_keys,
	.flags = ML_CMD_SORT | ML_CMD_REPEAT,
	.exec = cmd_procs_exec,
};

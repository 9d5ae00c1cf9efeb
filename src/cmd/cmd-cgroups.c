/*
 * memlens cgroups: cgroup memory (v2 or v1, whichever hierarchy holds the
 * memory controller) as a tree or a flat list, each cgroup with its charged
 * memory, working set, breakdown, limits and headroom, events, pressure, and
 * the PSS/USS sums of its member processes. The model is model/cgroups.h;
 * this file lays it out.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd-cgroups.h"
#include "cmd/cmd.h"
#include "model/cgroups.h"
#include "proc/cgroup.h"
#include "proc/proctab.h"
#include "util.h"
#include "xalloc.h"

enum { OPT_TREE, OPT_FLAT, OPT_DEPTH };

static const struct ml_cmd_option cgroups_options[] = {
	{ "tree", 0, NULL, "show the hierarchy as a tree (the default)", OPT_TREE },
	{ "flat", 0, NULL, "one row per cgroup with its full path, sorted", OPT_FLAT },
	{ "depth", 0, "N", "show cgroups at most N levels below PATH (0: PATH alone)", OPT_DEPTH },
	{ NULL, 0, NULL, NULL, 0 },
};

/* The columns of the table, in display order; priority decides which fit. */
enum col {
	COL_CURRENT,
	COL_WSET,
	COL_ANON,
	COL_FILE,
	COL_KERNEL,
	COL_SWAP,
	COL_PEAK,
	COL_LIMIT,
	COL_HEADROOM,
	COL_OOM,
	COL_PROCS,
	COL_PSS,
	COL_USS,
	COL__COUNT
};

static const struct {
	const char *title;
	int priority;      /* lower is shown first */
	enum ml_cgf field; /* its figure, for the reasons of n/a */
} col_info[COL__COUNT] = {
	[COL_CURRENT] = { "CURRENT", 0, ML_CGF_CURRENT },
	[COL_WSET] = { "WSET", 6, ML_CGF_WSET },
	[COL_ANON] = { "ANON", 4, ML_CGF_ANON },
	[COL_FILE] = { "FILE", 5, ML_CGF_FILE },
	[COL_KERNEL] = { "KERNEL", 8, ML_CGF_KERNEL },
	[COL_SWAP] = { "SWAP", 9, ML_CGF_SWAP },
	[COL_PEAK] = { "PEAK", 11, ML_CGF_PEAK },
	[COL_LIMIT] = { "LIMIT", 2, ML_CGF_MAX },
	[COL_HEADROOM] = { "HEADROOM", 3, ML_CGF__COUNT },
	[COL_OOM] = { "OOMKILL", 10, ML_CGF_EV_OOM_KILL },
	[COL_PROCS] = { "PROCS", 7, ML_CGF__COUNT },
	[COL_PSS] = { "PSS", 1, ML_CGF__COUNT },
	[COL_USS] = { "USS", 12, ML_CGF__COUNT },
};

/* The column of each sort key: always shown. */
static const enum col sort_col[ML_CGSORT__COUNT] = {
	[ML_CGSORT_CURRENT] = COL_CURRENT,  [ML_CGSORT_WSET] = COL_WSET,
	[ML_CGSORT_PEAK] = COL_PEAK,        [ML_CGSORT_ANON] = COL_ANON,
	[ML_CGSORT_FILE] = COL_FILE,        [ML_CGSORT_KERNEL] = COL_KERNEL,
	[ML_CGSORT_SWAP] = COL_SWAP,        [ML_CGSORT_HEADROOM] = COL_HEADROOM,
	[ML_CGSORT_PSS] = COL_PSS,          [ML_CGSORT_USS] = COL_USS,
	[ML_CGSORT_PROCS] = COL_PROCS,      [ML_CGSORT_OOM] = COL_OOM,
	[ML_CGSORT_PRESSURE] = COL_CURRENT, [ML_CGSORT_NAME] = COL_CURRENT,
};

/* One line of the table: a cgroup, or "N more" under a parent cut by --limit. */
struct row {
	struct ml_cgroup *c;
	char *name; /* tree prefix + name, or the full path */
	size_t more;
};

struct cgroups_cmd {
	enum ml_cg_sort sort;
	bool flat;
	int depth; /* -1: no limit */
	char *start;
	struct ml_cgmounts mounts;
	struct ml_cghier hier;
	bool hier_open;
	struct ml_cgtree tree;
	struct ml_proctab tab;
	bool tab_open;
	struct ml_sysinfo si;
	struct row *rows;
	size_t nrows, rows_cap;
};

static int
parse_options(struct ml_ctx *ctx, const struct ml_cmd_args *args, struct cgroups_cmd *c)
{
	extern const struct ml_cmd_entry cmd_cgroups_entry;
	const struct ml_cmd_entry *e = &cmd_cgroups_entry;
	const char *path = args->argc > 0 ? args->argv[0] : "/";
	char *end;
	long v;
	int i;

	c->sort = (enum ml_cg_sort)ml_cgroup_sort_parse(cmd_sort_key(ctx, e));
	c->depth = -1;
	for (i = 0; i < args->nopts; i++) {
		const char *a = args->opts[i].arg;

		switch (args->opts[i].id) {
		case OPT_TREE:
			c->flat = false;
			break;
		case OPT_FLAT:
			c->flat = true;
			break;
		case OPT_DEPTH:
			errno = 0;
			v = strtol(a, &end, 10);
			if (errno != 0 || end == a || *end != '\0' || v < 0 || v > 1000)
				return cmd_usage_error(e, "invalid --depth '%s': give 0 to 1000",
						       a);
			c->depth = (int)v;
			break;
		}
	}
	c->start = ml_cgroup_path_normalize(path);
	if (c->start == NULL)
		return cmd_usage_error(e, "invalid cgroup path '%s' (no '..')", path);
	return 0;
}

/* A PATH given as a file-system path of the mount ("/sys/fs/cgroup/a") means "/a". */
static void
strip_mount_point(struct cgroups_cmd *c)
{
	const char *mp = c->hier.mount->mount_point;
	size_t n = strlen(mp);
	char *s;

	if (n <= 1 || strncmp(c->start, mp, n) != 0 || (c->start[n] != '/' && c->start[n] != '\0'))
		return;
	s = ml_cgroup_path_normalize(c->start + n);
	if (s == NULL)
		return;
	free(c->start);
	c->start = s;
}

int
cmd_cgroups_open(struct ml_ctx *ctx, struct ml_cgmounts *m, struct ml_cghier *h, char **why)
{
	return ml_cgroups_open(m, h, &ctx->fs, &ctx->sysfs, why);
}

static int
open_hierarchy(struct ml_ctx *ctx, struct cgroups_cmd *c)
{
	char *cause = NULL;
	int rc = cmd_cgroups_open(ctx, &c->mounts, &c->hier, &cause);

	c->hier_open = true;
	if (c->mounts.stats.bad_lines > 0)
		cmd_warn_bad_lines(ctx, c->mounts.rel, &c->mounts.stats);
	if (rc != 0) {
		cmd_read_error(cause, errno, "run as root");
		free(cause);
		return 1;
	}
	strip_mount_point(c);
	return 0;
}

static void
warn_problems(const struct cgroups_cmd *c)
{
	const struct ml_cgtree *t = &c->tree;

	if (t->has_bad)
		cmd_error("warning: %s%s: %llu bad line%s ignored; first at line %llu (%s): \"%s\"",
			  c->hier.dir, t->bad_file != NULL ? t->bad_file : "",
			  (unsigned long long)t->bad.bad_lines, t->bad.bad_lines == 1 ? "" : "s",
			  (unsigned long long)t->bad.first_bad_lineno, t->bad.first_bad_why,
			  t->bad.first_bad_text);
	if (t->read_errors > 0)
		cmd_error("warning: %llu cgroup file%s could not be read; the first: %s",
			  (unsigned long long)t->read_errors, t->read_errors == 1 ? "" : "s",
			  t->first_error != NULL ? t->first_error : "?");
}

/* Read the tree and its members. */
static int
collect(struct ml_ctx *ctx, struct cgroups_cmd *c)
{
	char *cause = NULL;

	ml_cgtree_release(&c->tree);
	ml_cgtree_init(&c->tree);
	if (ml_cgtree_load(&c->tree, &c->hier, c->start, c->depth, &cause) != 0) {
		cmd_error("%s", cause != NULL ? cause : strerror(errno));
		free(cause);
		return 1;
	}
	if (ml_cgtree_read_members(&c->tree, &c->tab, cmd_threads_allowed(), &cause) != 0) {
		/* The cgroups' own figures stand; only the sums are missing. */
		cmd_error("warning: %s", cause != NULL ? cause : strerror(errno));
		free(cause);
		cause = NULL;
	}
	ml_cgtree_sort(&c->tree, c->sort, ctx->sort_reverse);
	return 0;
}

/* ------------------------------------------------------------ rows */

static void
add_row(struct cgroups_cmd *c, struct ml_cgroup *cg, char *name, size_t more)
{
	if (c->nrows == c->rows_cap) {
		c->rows_cap = c->rows_cap ? c->rows_cap * 2 : 64;
		c->rows = ml_xreallocarray(c->rows, c->rows_cap, sizeof *c->rows);
	}
	c->rows[c->nrows].c = cg;
	c->rows[c->nrows].name = name;
	c->rows[c->nrows].more = more;
	c->nrows++;
}

static bool
shown_depth(const struct cgroups_cmd *c, const struct ml_cgroup *cg)
{
	return c->depth < 0 || cg->depth <= c->depth;
}

/* A name for the terminal: control characters as '?'. */
static char *
printable(const char *s)
{
	char *out = ml_xstrdup(s), *p;

	for (p = out; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return out;
}

/* The rows of the tree below cg, depth-first, with the branch prefix. */
static void
tree_rows(struct ml_ctx *ctx, struct cgroups_cmd *c, struct ml_cgroup *cg, const char *prefix)
{
	const bool utf8 = ctx->text.utf8;
	const char *mid = utf8 ? "├─ " : "|- ", *last = utf8 ? "└─ " : "`- ";
	const char *bar = utf8 ? "│  " : "|  ";
	size_t i, n = 0, limit;

	for (i = 0; i < cg->nchild; i++)
		n += shown_depth(c, cg->child[i]);
	limit = ctx->limit > 0 && (size_t)ctx->limit < n ? (size_t)ctx->limit : n;
	for (i = 0; i < cg->nchild && limit > 0; i++) {
		struct ml_cgroup *ch = cg->child[i];
		bool is_last;
		char *name, *next, *pn;

		if (!shown_depth(c, ch))
			continue;
		limit--;
		is_last = limit == 0 && n <= (size_t)(ctx->limit > 0 ? ctx->limit : (long)n);
		pn = printable(ch->name);
		name = ml_xasprintf("%s%s%s", prefix, is_last ? last : mid, pn);
		free(pn);
		add_row(c, ch, name, 0);
		next = ml_xasprintf("%s%s", prefix, is_last ? "   " : bar);
		tree_rows(ctx, c, ch, next);
		free(next);
	}
	if (ctx->limit > 0 && (size_t)ctx->limit < n)
		add_row(c, NULL, ml_xasprintf("%s%s", prefix, last), n - (size_t)ctx->limit);
}

static void
build_rows(struct ml_ctx *ctx, struct cgroups_cmd *c)
{
	struct ml_cgtree *t = &c->tree;
	size_t i, n;

	for (i = 0; i < c->nrows; i++)
		free(c->rows[i].name);
	c->nrows = 0;
	if (t->n == 0)
		return;
	if (!c->flat) {
		add_row(c, t->v[0], printable(t->v[0]->path), 0);
		tree_rows(ctx, c, t->v[0], "");
		return;
	}
	for (i = 0; i < t->n; i++)
		if (shown_depth(c, t->v[i]))
			add_row(c, t->v[i], printable(t->v[i]->path), 0);
	{
		struct ml_cgroup **v = ml_xreallocarray(NULL, c->nrows, sizeof *v);

		for (i = 0; i < c->nrows; i++)
			v[i] = c->rows[i].c;
		ml_cgroups_sort(v, c->nrows, c->sort, ctx->sort_reverse);
		for (i = 0; i < c->nrows; i++) {
			free(c->rows[i].name);
			c->rows[i].c = v[i];
			c->rows[i].name = printable(v[i]->path);
		}
		free(v);
	}
	n = ctx->limit > 0 && (size_t)ctx->limit < c->nrows ? (size_t)ctx->limit : c->nrows;
	for (i = n; i < c->nrows; i++)
		free(c->rows[i].name);
	if (n < c->nrows) {
		size_t more = c->nrows - n;

		c->nrows = n;
		add_row(c, NULL, ml_xstrdup(""), more);
	}
}

/* ------------------------------------------------------------ text */

/* The headroom's cell: the bytes and what limit they are to. */
static void
headroom_cell(const struct text_out *o, const struct ml_cgroup *cg, char *buf, size_t cap)
{
	const struct ml_cg_headroom *h = &cg->head;
	char num[32];
	bool ancestor;

	if (h->st == ML_CGV_UNLIMITED) {
		snprintf(buf, cap, "unlimited");
		return;
	}
	if (h->st != ML_CGV_OK) {
		snprintf(buf, cap, "n/a");
		return;
	}
	ancestor = h->at != NULL && strcmp(h->at, cg->path) != 0;
	text_ssize(num, sizeof num, h->bytes, &o->units);
	snprintf(buf, cap, "%s%s%s%s", num, ancestor || h->limit != ML_CGF_MAX ? " " : "",
		 ancestor ? "^" : "",
		 h->limit == ML_CGF_HIGH        ? "h"
		 : h->limit == ML_CGF_MEMSW_MAX ? "s"
						: "");
}

static void
size_cell(const struct text_out *o, const struct ml_cgv *v, char *buf, size_t cap)
{
	if (v->st == ML_CGV_OK)
		text_size(buf, cap, v->v, &o->units);
	else if (v->st == ML_CGV_UNLIMITED)
		snprintf(buf, cap, "unlimited");
	else
		snprintf(buf, cap, "n/a");
}

static void
cell_text(const struct text_out *o, const struct ml_cgroup *cg, enum col k, char *buf, size_t cap)
{
	const struct ml_cgv *v;

	switch (k) {
	case COL_HEADROOM:
		headroom_cell(o, cg, buf, cap);
		return;
	case COL_PROCS:
		if (cg->sub_listed)
			snprintf(buf, cap, "%llu", (unsigned long long)cg->sub_members);
		else
			snprintf(buf, cap, "n/a");
		return;
	case COL_PSS:
	case COL_USS: {
		enum ml_pm m = k == COL_PSS ? ML_PM_PSS : ML_PM_USS;

		if (ml_cgroup_members_whole(cg) && cg->sub.procs == 0)
			text_size(buf, cap, 0, &o->units);
		else if (ml_cgroup_members_whole(cg) && ml_proc_sum_has(&cg->sub, m))
			text_size(buf, cap, cg->sub.v[m], &o->units);
		else
			snprintf(buf, cap, "n/a");
		return;
	}
	case COL_OOM:
		v = &cg->f[ML_CGF_EV_OOM_KILL];
		if (v->st == ML_CGV_OK)
			snprintf(buf, cap, "%llu", (unsigned long long)v->v);
		else
			snprintf(buf, cap, "n/a");
		return;
	default:
		size_cell(o, &cg->f[col_info[k].field], buf, cap);
		return;
	}
}

/* Which columns fit in the output width, the sort's own always. */
static void
choose_columns(const struct ml_ctx *ctx, const struct cgroups_cmd *c, size_t namew,
	       const size_t *colw, bool *use)
{
	int prio, k;
	size_t total = namew;

	memset(use, 0, COL__COUNT * sizeof *use);
	use[COL_CURRENT] = true;
	use[sort_col[c->sort]] = true;
	for (k = 0; k < COL__COUNT; k++)
		if (use[k])
			total += colw[k] + 2;
	for (prio = 0; prio < 64; prio++) {
		for (k = 0; k < COL__COUNT; k++) {
			if (col_info[k].priority != prio || use[k])
				continue;
			if (total + colw[k] + 2 <= (size_t)ctx->text.width) {
				use[k] = true;
				total += colw[k] + 2;
			}
		}
	}
}

/* Cut a name to w columns, with '~' where it was cut. */
static char *
cut_name(const char *s, size_t w)
{
	size_t cols = 0, i;

	if (text_width(s) <= w)
		return ml_xstrdup(s);
	for (i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (cols + 1 >= w)
				break;
			cols++;
		}
	}
	return ml_xasprintf("%.*s~", (int)i, s);
}

/* The reasons of the n/a cells, each with the columns it explains, for the notes. */
#define NA_REASONS 16
struct na_notes {
	size_t n;
	struct {
		char why[256];
		size_t count[COL__COUNT]; /* cells of each column with this reason */
	} r[NA_REASONS];
	size_t other[COL__COUNT]; /* n/a cells beyond NA_REASONS reasons */
};

static void
note_na(const struct cgroups_cmd *c, const struct ml_cgroup *cg, enum col k, struct na_notes *na)
{
	char buf[256];
	const char *why = NULL;
	size_t i;

	switch (k) {
	case COL_HEADROOM:
		if (cg->head.st != ML_CGV_NA)
			return;
		why = "a limit or the usage of this cgroup or an ancestor is unknown";
		break;
	case COL_PROCS:
		if (cg->sub_listed)
			return;
		why = "a cgroup.procs of the subtree could not be read";
		break;
	case COL_PSS:
	case COL_USS:
		if (ml_cgroup_members_whole(cg))
			return;
		/* The counts differ from row to row; the reason does not. */
		if (!cg->sub_listed)
			why = "a cgroup.procs of the subtree could not be read";
		else if (cg->sub.by_state[ML_MEM_DENIED] == cg->sub.procs - cg->sub.read)
			why = "member processes could not be read: permission denied";
		else
			why = "member processes could not be read (see --json for why)";
		break;
	default:
		if (cg->f[col_info[k].field].st != ML_CGV_NA)
			return;
		/* One reason for all the root's missing files. */
		if (cg->f[col_info[k].field].why == ML_CGW_ROOT)
			why = "the root cgroup has none of their files (memlens summary shows the "
			      "whole machine)";
		else
			why = ml_cgv_why(&c->tree, cg, col_info[k].field, buf, sizeof buf);
		break;
	}
	if (why == NULL)
		return;
	for (i = 0; i < na->n; i++)
		if (strcmp(na->r[i].why, why) == 0)
			break;
	if (i == na->n) {
		if (na->n == NA_REASONS) {
			na->other[k]++;
			return;
		}
		snprintf(na->r[na->n++].why, sizeof na->r[0].why, "%s", why);
	}
	na->r[i].count[k]++;
}

static void
hierarchy_line(const struct ml_ctx *ctx, const struct cgroups_cmd *c)
{
	const struct text_out *o = &ctx->text;
	const struct ml_cghier *h = &c->hier;

	text_printf(o, TS_DIM, "cgroup v%u %s at %s", h->version,
		    h->version == ML_CG_V1 ? "memory hierarchy" : "hierarchy",
		    h->mount->mount_point);
	if (strcmp(h->mount->root, "/") != 0)
		text_printf(o, TS_DIM, " (its %s)", h->mount->root);
	if (strcmp(h->dir, h->mount->mount_point) != 0)
		text_printf(o, TS_DIM, ", read from %s", h->dir);
	text_printf(o, TS_DIM, "\n");
	if (h->version == ML_CG_V1 && c->mounts.v2.version != 0)
		text_printf(o, TS_DIM, "hybrid host: %s\n",
			    h->v2_why != NULL ? h->v2_why : "a cgroup2 mount without memory");
}

static void
notes(struct ml_ctx *ctx, const bool *use, const struct na_notes *na, bool flags_seen)
{
	const struct text_out *o = &ctx->text;
	bool any = false;
	size_t i;
	int k;

	if (flags_seen)
		cmd_note(o, &any,
			 "HEADROOM is to the nearest limit of the cgroup and its ancestors: "
			 "^ an ancestor's, h memory.high (throttling, not OOM), s memory+swap "
			 "(memsw); negative above memory.high");
	if (use[COL_WSET])
		cmd_note(o, &any,
			 "WSET is the working set as kubelet and cAdvisor report it: CURRENT - "
			 "inactive page cache; it still holds active page cache and reclaimable "
			 "slab, which the kernel can reclaim (memlens cgroups PATH shows them)");
	if (use[COL_PSS] || use[COL_USS])
		cmd_note(o, &any,
			 "PSS and USS are sums over the member processes of the cgroup and its "
			 "descendants (smaps_rollup); CURRENT also holds page cache, kernel memory "
			 "and memory no process maps");
	for (i = 0; i < na->n; i++) {
		char cols[160] = "";
		size_t most = 0, len = 0;
		bool denied = strstr(na->r[i].why, "permission denied") != NULL;

		for (k = 0; k < COL__COUNT; k++) {
			if (!use[k] || na->r[i].count[k] == 0)
				continue;
			len += (size_t)snprintf(cols + len, sizeof cols - len, "%s%s",
						len ? ", " : "", col_info[k].title);
			if (len >= sizeof cols)
				len = sizeof cols - 1;
			most = na->r[i].count[k] > most ? na->r[i].count[k] : most;
		}
		if (most == 0)
			continue;
		cmd_note(o, &any, "%s n/a for %zu cgroup%s: %s%s", cols, most, most == 1 ? "" : "s",
			 na->r[i].why,
			 !denied          ? ""
			 : geteuid() != 0 ? " (run as root)"
					  : " (even as root: ptrace access refused)");
	}
	for (k = 0; k < COL__COUNT; k++)
		if (use[k] && na->other[k] > 0)
			cmd_note(o, &any, "%s n/a for %zu more cgroups (see --json for why)",
				 col_info[k].title, na->other[k]);
}

static void
table_text(struct ml_ctx *ctx, struct cgroups_cmd *c)
{
	const struct text_out *o = &ctx->text;
	char(*cells)[COL__COUNT][32] = ml_xreallocarray(NULL, c->nrows + 1, sizeof *cells);
	size_t colw[COL__COUNT], namew = strlen("CGROUP"), i, ncols = 0;
	struct na_notes *na = ml_xcalloc(1, sizeof *na);
	bool use[COL__COUNT], flags_seen = false;
	struct text_table *t;
	unsigned int col;
	int k;

	for (k = 0; k < COL__COUNT; k++)
		colw[k] = strlen(col_info[k].title);
	for (i = 0; i < c->nrows; i++) {
		size_t w = text_width(c->rows[i].name);

		if (c->rows[i].c == NULL)
			w += 16;
		namew = w > namew ? w : namew;
		if (c->rows[i].c == NULL)
			continue;
		for (k = 0; k < COL__COUNT; k++) {
			cell_text(o, c->rows[i].c, (enum col)k, cells[i][k], sizeof cells[i][k]);
			if (strlen(cells[i][k]) > colw[k])
				colw[k] = strlen(cells[i][k]);
		}
	}
	if (namew > 48)
		namew = 48;
	choose_columns(ctx, c, namew, colw, use);
	for (k = 0; k < COL__COUNT; k++)
		ncols += use[k];
	t = text_table_new((unsigned int)(ncols + 1));
	text_table_col(t, 0, "CGROUP", TA_LEFT);
	for (k = 0, col = 1; k < COL__COUNT; k++)
		if (use[k])
			text_table_col(t, col++, col_info[k].title, TA_RIGHT);
	for (i = 0; i < c->nrows; i++) {
		const struct ml_cgroup *cg = c->rows[i].c;
		char *name;

		if (cg == NULL) {
			text_table_row(t, TS_DIM);
			name = cut_name(c->rows[i].name, namew > 16 ? namew - 16 : 1);
			text_table_cell(t, "%s... %zu more", name, c->rows[i].more);
			free(name);
			for (k = 0; k < COL__COUNT; k++)
				if (use[k])
					text_table_cell(t, "%s", "");
			continue;
		}
		text_table_row(t, cg->controller ? TS_NONE : TS_DIM);
		name = cut_name(c->rows[i].name, namew);
		text_table_cell(t, "%s", name);
		free(name);
		for (k = 0; k < COL__COUNT; k++) {
			if (!use[k])
				continue;
			if (k == COL_HEADROOM && cg->head.st == ML_CGV_OK &&
			    (cg->head.limit != ML_CGF_MAX ||
			     (cg->head.at != NULL && strcmp(cg->head.at, cg->path) != 0)))
				flags_seen = true;
			if (k == COL_HEADROOM && cg->head.st == ML_CGV_OK && cg->head.bytes < 0)
				text_table_cell_styled(t, TS_BAD, "%s", cells[i][k]);
			else if (k == COL_OOM && cg->f[ML_CGF_EV_OOM_KILL].st == ML_CGV_OK &&
				 cg->f[ML_CGF_EV_OOM_KILL].v > 0)
				text_table_cell_styled(t, TS_WARN, "%s", cells[i][k]);
			else
				text_table_cell(t, "%s", cells[i][k]);
			note_na(c, cg, (enum col)k, na);
		}
	}
	text_table_print(t, o, 0);
	text_table_free(t);
	free(cells);
	notes(ctx, use, na, flags_seen);
	free(na);
}

/* ------------------------------------------------------------ details of one cgroup */

/* The details of one cgroup: what is printed, and which figures were n/a. */
struct detail {
	const struct text_out *o;
	const struct ml_cgtree *t;
	const struct ml_cgroup *cg;
	bool na[ML_CGF__COUNT];
	char ring[16][40];
	unsigned int next;
};

/* A size (or "unlimited", "n/a") that never breaks across lines. */
static const char *
fig(struct detail *d, enum ml_cgf f)
{
	char *buf = d->ring[d->next++ % 16], *p;

	size_cell(d->o, &d->cg->f[f], buf, sizeof d->ring[0]);
	for (p = buf; *p != '\0'; p++)
		if (*p == ' ')
			*p = TEXT_NBSP;
	d->na[f] |= d->cg->f[f].st == ML_CGV_NA;
	return buf;
}

static const char *
count(struct detail *d, enum ml_cgf f)
{
	char *buf = d->ring[d->next++ % 16];

	if (d->cg->f[f].st == ML_CGV_OK)
		snprintf(buf, sizeof d->ring[0], "%llu", (unsigned long long)d->cg->f[f].v);
	else
		snprintf(buf, sizeof d->ring[0], "n/a");
	d->na[f] |= d->cg->f[f].st == ML_CGV_NA;
	return buf;
}

/* Print "label  a b c" lines of the known figures; unknown ones as n/a. */
static void detail_line(const struct text_out *o, const char *label, const char *fmt, ...)
	ML_PRINTF(3, 4);

static void
detail_line(const struct text_out *o, const char *label, const char *fmt, ...)
{
	char head[32], *text;
	va_list ap;

	va_start(ap, fmt);
	text = ml_xvasprintf(fmt, ap);
	va_end(ap);
	snprintf(head, sizeof head, "  %-11s", label);
	text_paragraph_after(o, TS_BOLD, head, TS_NONE, "             ", text);
	free(text);
}

/* The reasons of the n/a figures of the details, one line each. */
static void
detail_reasons(struct detail *d)
{
	char why[256], done[ML_CGF__COUNT] = { 0 }, *text;
	size_t len, cap;
	int f, g;

	for (f = 0; f < ML_CGF__COUNT; f++) {
		if (!d->na[f] || done[f])
			continue;
		ml_cgv_why(d->t, d->cg, (enum ml_cgf)f, why, sizeof why);
		cap = 512;
		text = ml_xmalloc(cap);
		len = (size_t)snprintf(text, cap, "%s", ml_cgf_info[f].label);
		/* The other figures with the same reason go on the same line. */
		for (g = f + 1; g < ML_CGF__COUNT; g++) {
			char other[256];

			if (!d->na[g] || done[g] ||
			    strcmp(ml_cgv_why(d->t, d->cg, (enum ml_cgf)g, other, sizeof other),
				   why) != 0)
				continue;
			done[g] = 1;
			if (len + strlen(ml_cgf_info[g].label) + 3 < cap)
				len += (size_t)snprintf(text + len, cap - len, ", %s",
							ml_cgf_info[g].label);
		}
		detail_line(d->o, "n/a", "%s: %s", text, why);
		free(text);
	}
}

static void
details_text(struct ml_ctx *ctx, const struct cgroups_cmd *c, const struct ml_cgroup *cg)
{
	const struct text_out *o = &ctx->text;
	const struct ml_cgtree *t = &c->tree;
	struct detail *d = ml_xcalloc(1, sizeof *d);
	char head[64], why[256], *name = printable(cg->path);

	d->o = o;
	d->t = t;
	d->cg = cg;

	text_printf(o, TS_HEADER, "%s", name);
	text_printf(o, TS_DIM, " (cgroup v%u%s)\n", t->version,
		    cg->controller ? "" : ", no memory controller");
	free(name);
	if (!cg->controller) {
		detail_line(o, "memory", "%s", ml_cgv_why(t, cg, ML_CGF_CURRENT, why, sizeof why));
		free(d);
		return;
	}
	detail_line(o, "memory", "current %s, peak %s, working set %s", fig(d, ML_CGF_CURRENT),
		    fig(d, ML_CGF_PEAK), fig(d, ML_CGF_WSET));
	if (cg->hierarchical == 0)
		detail_line(o, "",
			    "memory.use_hierarchy is 0: these figures leave out the "
			    "cgroups below it");
	if (cg->f[ML_CGF_WSET].st == ML_CGV_OK && t->version == ML_CG_V2)
		detail_line(o, "",
			    "working set = current - inactive page cache (%s), as kubelet and "
			    "cAdvisor compute it; it still holds active page cache %s and "
			    "reclaimable slab %s, which the kernel can reclaim",
			    fig(d, ML_CGF_INACTIVE_FILE), fig(d, ML_CGF_ACTIVE_FILE),
			    fig(d, ML_CGF_SLAB_RECLAIMABLE));
	else if (cg->f[ML_CGF_WSET].st == ML_CGV_OK)
		detail_line(o, "",
			    "working set = usage - inactive page cache (%s), as kubelet and "
			    "cAdvisor compute it; it still holds active page cache %s, which the "
			    "kernel can reclaim",
			    fig(d, ML_CGF_INACTIVE_FILE), fig(d, ML_CGF_ACTIVE_FILE));
	if (t->version == ML_CG_V2)
		detail_line(o, "limits", "max %s, high %s, low %s, min %s", fig(d, ML_CGF_MAX),
			    fig(d, ML_CGF_HIGH), fig(d, ML_CGF_LOW), fig(d, ML_CGF_MIN));
	else
		detail_line(o, "limits", "limit %s, soft limit %s, memory+swap %s, kernel %s",
			    fig(d, ML_CGF_MAX), fig(d, ML_CGF_SOFT), fig(d, ML_CGF_MEMSW_MAX),
			    fig(d, ML_CGF_KMEM_MAX));
	headroom_cell(o, cg, head, sizeof head);
	if (cg->head.st == ML_CGV_OK)
		text_ssize(head, sizeof head, cg->head.bytes, &o->units);
	if (cg->head.st == ML_CGV_OK)
		detail_line(o, "headroom", "%s to %s of %s", head,
			    cg->head.limit == ML_CGF_HIGH        ? "memory.high"
			    : cg->head.limit == ML_CGF_MEMSW_MAX ? "the memory+swap limit"
								 : "the limit",
			    cg->head.at != NULL && strcmp(cg->head.at, cg->path) != 0
				    ? cg->head.at
				    : "this cgroup");
	else
		detail_line(o, "headroom", "%s", head);
	detail_line(o, "breakdown", "anon %s, page cache %s (shmem %s, mapped %s, dirty %s)",
		    fig(d, ML_CGF_ANON), fig(d, ML_CGF_FILE), fig(d, ML_CGF_SHMEM),
		    fig(d, ML_CGF_FILE_MAPPED), fig(d, ML_CGF_FILE_DIRTY));
	detail_line(o, "",
		    "active anon %s, inactive anon %s, active file %s, inactive file %s, "
		    "unevictable %s",
		    fig(d, ML_CGF_ACTIVE_ANON), fig(d, ML_CGF_INACTIVE_ANON),
		    fig(d, ML_CGF_ACTIVE_FILE), fig(d, ML_CGF_INACTIVE_FILE),
		    fig(d, ML_CGF_UNEVICTABLE));
	if (t->version == ML_CG_V2)
		detail_line(o, "kernel",
			    "%s: slab %s reclaimable + %s unreclaimable, stacks %s, page tables "
			    "%s, per-cpu %s, sockets %s, vmalloc %s",
			    fig(d, ML_CGF_KERNEL), fig(d, ML_CGF_SLAB_RECLAIMABLE),
			    fig(d, ML_CGF_SLAB_UNRECLAIMABLE), fig(d, ML_CGF_KERNEL_STACK),
			    fig(d, ML_CGF_PAGETABLES), fig(d, ML_CGF_PERCPU), fig(d, ML_CGF_SOCK),
			    fig(d, ML_CGF_VMALLOC));
	else
		detail_line(o, "kernel", "%s (peak %s), of which TCP buffers %s",
			    fig(d, ML_CGF_KERNEL), fig(d, ML_CGF_KERNEL_PEAK), fig(d, ML_CGF_SOCK));
	if (t->version == ML_CG_V2)
		detail_line(o, "swap", "%s (peak %s, limit %s), zswap %s holding %s",
			    fig(d, ML_CGF_SWAP), fig(d, ML_CGF_SWAP_PEAK), fig(d, ML_CGF_SWAP_MAX),
			    fig(d, ML_CGF_ZSWAP), fig(d, ML_CGF_ZSWAPPED));
	else
		detail_line(o, "swap", "%s; memory+swap %s (peak %s)", fig(d, ML_CGF_SWAP),
			    fig(d, ML_CGF_MEMSW), fig(d, ML_CGF_MEMSW_PEAK));
	if (t->version == ML_CG_V2)
		detail_line(o, "events",
			    "low %s, high %s, max %s, oom %s, oom_kill %s, oom_group_kill %s",
			    count(d, ML_CGF_EV_LOW), count(d, ML_CGF_EV_HIGH),
			    count(d, ML_CGF_EV_MAX), count(d, ML_CGF_EV_OOM),
			    count(d, ML_CGF_EV_OOM_KILL), count(d, ML_CGF_EV_OOM_GROUP_KILL));
	else
		detail_line(o, "events",
			    "failcnt %s, oom_kill %s, under_oom %s, oom_kill_disable %s",
			    count(d, ML_CGF_EV_MAX), count(d, ML_CGF_EV_OOM_KILL),
			    count(d, ML_CGF_UNDER_OOM), count(d, ML_CGF_OOM_KILL_DISABLE));
	if (cg->psi_state.st == ML_CGV_OK && cg->psi.some.present) {
		char full[96] = "";

		if (cg->psi.full.present)
			snprintf(full, sizeof full, "; full %u.%02u%% %u.%02u%% %u.%02u%%",
				 cg->psi.full.avg10 / 100, cg->psi.full.avg10 % 100,
				 cg->psi.full.avg60 / 100, cg->psi.full.avg60 % 100,
				 cg->psi.full.avg300 / 100, cg->psi.full.avg300 % 100);
		detail_line(o, "pressure",
			    "some %u.%02u%% %u.%02u%% %u.%02u%%%s (of the time, over 10 s, 1 min, "
			    "5 min)",
			    cg->psi.some.avg10 / 100, cg->psi.some.avg10 % 100,
			    cg->psi.some.avg60 / 100, cg->psi.some.avg60 % 100,
			    cg->psi.some.avg300 / 100, cg->psi.some.avg300 % 100, full);
	} else
		detail_line(o, "pressure", "n/a: %s", ml_cgroup_psi_why(t, cg, why, sizeof why));
	if (!cg->sub_listed)
		detail_line(o, "processes", "n/a: a cgroup.procs of the subtree could not be read");
	else if (ml_cgroup_members_whole(cg))
		detail_line(o, "processes", "%llu (%zu directly), PSS %s, USS %s, RSS %s, swap %s",
			    (unsigned long long)cg->sub_members, cg->npids,
			    text_sz(&o->units, cg->sub.v[ML_PM_PSS]),
			    text_sz(&o->units, cg->sub.v[ML_PM_USS]),
			    text_sz(&o->units, cg->sub.v[ML_PM_RSS]),
			    text_sz(&o->units, cg->sub.v[ML_PM_SWAP]));
	else
		detail_line(o, "processes", "%llu (%zu directly), PSS n/a: %s",
			    (unsigned long long)cg->sub_members, cg->npids,
			    ml_cgroup_members_why(cg, why, sizeof why));
	detail_reasons(d);
	free(d);
	text_printf(o, TS_NONE, "\n");
}

/* A member process and the cgroup that lists it. */
struct member_row {
	struct ml_proc *p;
	const struct ml_cgroup *cg;
};

static int
cmp_member_pss(const void *a, const void *b)
{
	const struct member_row *x = a, *y = b;
	uint64_t vx, vy;
	bool kx = ml_proc_value(x->p, ML_PM_PSS, &vx), ky = ml_proc_value(y->p, ML_PM_PSS, &vy);

	if (kx != ky)
		return kx ? -1 : 1;
	if (kx && vx != vy)
		return vx > vy ? -1 : 1;
	return (x->p->pid > y->p->pid) - (x->p->pid < y->p->pid);
}

/* The largest member processes of the tree (the start's subtree), by PSS. */
static void
members_text(struct ml_ctx *ctx, const struct cgroups_cmd *c)
{
	const struct text_out *o = &ctx->text;
	const struct ml_cgtree *t = &c->tree;
	struct member_row *m = NULL;
	size_t n = 0, cap = 0, i, j, shown;
	struct text_table *tt;
	char note[64];

	for (i = 0; i < t->n; i++) {
		for (j = 0; j < t->v[i]->npids; j++) {
			struct ml_proc *p = ml_proctab_find(&c->tab, t->v[i]->pids[j]);

			if (p == NULL || p->kthread || p->mem == ML_MEM_GONE ||
			    p->mem == ML_MEM_NONE)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 32;
				m = ml_xreallocarray(m, cap, sizeof *m);
			}
			m[n].p = p;
			m[n].cg = t->v[i];
			n++;
		}
	}
	if (n == 0) {
		free(m);
		return;
	}
	qsort(m, n, sizeof *m, cmp_member_pss);
	shown = n < 10 ? n : 10;
	tt = text_table_new(6);
	text_table_col(tt, 0, "PID", TA_RIGHT);
	text_table_col(tt, 1, "PSS", TA_RIGHT);
	text_table_col(tt, 2, "USS", TA_RIGHT);
	text_table_col(tt, 3, "RSS", TA_RIGHT);
	text_table_col(tt, 4, "IN", TA_LEFT);
	text_table_col(tt, 5, "COMMAND", TA_LEFT);
	for (i = 0; i < shown; i++) {
		const struct ml_proc *p = m[i].p;
		const char *rel = m[i].cg->path + strlen(t->v[0]->path);
		char *in, *cmd;
		uint64_t v;
		int k;

		text_table_row(tt, p->mem == ML_MEM_OK ? TS_NONE : TS_DIM);
		text_table_cell(tt, "%d", p->pid);
		for (k = 0; k < 3; k++) {
			static const enum ml_pm ms[] = { ML_PM_PSS, ML_PM_USS, ML_PM_RSS };

			if (ml_proc_value(p, ms[k], &v))
				text_table_cell(tt, "%s", text_sz(&o->units, v));
			else
				text_table_cell(tt, "n/a");
		}
		in = printable(*rel == '/' ? rel + 1 : *rel == '\0' ? "." : rel);
		cmd = printable(p->cmdline[0] != '\0' ? p->cmdline : p->comm);
		if (p->mem != ML_MEM_OK)
			snprintf(note, sizeof note, "  (n/a: %s)", ml_mem_state_reason(p->mem));
		else
			note[0] = '\0';
		text_table_cell(tt, "%s", in);
		text_table_cell(tt, "%.60s%s", cmd, note);
		free(in);
		free(cmd);
	}
	text_printf(o, TS_HEADER, "Member processes");
	text_printf(o, TS_DIM, " (the largest by PSS%s)\n", n > shown ? "" : "; all of them");
	text_table_print(tt, o, 2);
	text_table_free(tt);
	if (n > shown)
		text_printf(o, TS_DIM, "  ... and %zu more\n", n - shown);
	text_printf(o, TS_NONE, "\n");
	free(m);
}

static void
cgroups_text(struct ml_ctx *ctx, struct cgroups_cmd *c)
{
	const struct text_out *o = &ctx->text;

	cmd_text_header(ctx, &c->si, "memlens cgroups");
	hierarchy_line(ctx, c);
	if (o->units.mode != ML_UNITS_HUMAN)
		text_printf(o, TS_DIM, "(sizes in %s)\n", text_unit_name(&o->units));
	text_printf(o, TS_NONE, "\n");
	if (strcmp(c->start, "/") != 0 && c->tree.n > 0) {
		details_text(ctx, c, c->tree.v[0]);
		members_text(ctx, c);
	}
	if (strcmp(c->start, "/") == 0 || c->nrows > 1)
		table_text(ctx, c);
}

/* ------------------------------------------------------------ JSON */

static void json_add_name(struct json_node *o, const char *key, const char *s);

static const char *const group_key[] = {
	[ML_CGG_MEMORY] = "memory",
	[ML_CGG_LIMITS] = "limits",
	[ML_CGG_EVENTS] = "events",
};

static void
json_psi_line(struct json_node *o, const char *key, const struct ml_psi_line *l)
{
	struct json_node *x;

	if (!l->present) {
		json_add_null(o, key);
		return;
	}
	x = json_add_object(o, key);
	json_add_double(x, "avg10", l->avg10 / 100.0);
	json_add_double(x, "avg60", l->avg60 / 100.0);
	json_add_double(x, "avg300", l->avg300 / 100.0);
	json_add_u64(x, "total_us", l->total_us);
}

static void
json_members(struct json_node *o, const struct ml_cgroup *cg)
{
	static const enum ml_pm measures[] = { ML_PM_PSS, ML_PM_USS, ML_PM_RSS, ML_PM_SWAP };
	bool whole = ml_cgroup_members_whole(cg);
	char why[256];
	size_t i;

	if (cg->sub_listed)
		json_add_u64(o, "listed", cg->sub_members);
	else
		json_add_null(o, "listed");
	if (cg->procs_err == 0)
		json_add_u64(o, "direct", cg->npids);
	else
		json_add_null(o, "direct");
	json_add_u64(o, "readable", cg->sub.read);
	json_add_u64(o, "denied", cg->sub.by_state[ML_MEM_DENIED]);
	json_add_u64(o, "error", cg->sub.by_state[ML_MEM_ERROR]);
	for (i = 0; i < ML_ARRAY_SIZE(measures); i++) {
		enum ml_pm m = measures[i];

		if (whole && (cg->sub.procs == 0 || ml_proc_sum_has(&cg->sub, m)))
			json_add_u64(o, ml_pm_key(m), cg->sub.procs == 0 ? 0 : cg->sub.v[m]);
		else
			json_add_null(o, ml_pm_key(m));
	}
	json_add_string(o, "why", whole ? NULL : ml_cgroup_members_why(cg, why, sizeof why));
}

static void
json_cgroup(struct json_node *arr, const struct cgroups_cmd *c, const struct ml_cgroup *cg)
{
	const struct ml_cgtree *t = &c->tree;
	struct json_node *o = json_array_add_object(arr), *g[3], *absent, *x;
	char why[256], key[64];
	uint32_t i;
	int f;

	json_add_name(o, "path", cg->path);
	json_add_name(o, "name", cg->name);
	json_add_u64(o, "depth", (uint64_t)cg->depth);
	json_add_name(o, "parent", cg->depth > 0 ? cg->parent->path : NULL);
	json_add_bool(o, "memory_controller", cg->controller);
	if (cg->hierarchical >= 0)
		json_add_bool(o, "hierarchical", cg->hierarchical == 1);
	else
		json_add_null(o, "hierarchical");
	g[ML_CGG_MEMORY] = json_add_object(o, "memory");
	g[ML_CGG_LIMITS] = json_add_object(o, "limits");
	g[ML_CGG_EVENTS] = json_add_object(o, "events");
	absent = json_add_object(o, "absent_why");
	for (f = 0; f < ML_CGF__COUNT; f++) {
		const struct ml_cgf_info *fi = &ml_cgf_info[f];
		const struct ml_cgv *v = &cg->f[f];

		if (fi->group == ML_CGG_LIMITS) {
			x = json_add_object(g[fi->group], fi->key);
			if (v->st == ML_CGV_OK)
				json_add_u64(x, "bytes", v->v);
			else
				json_add_null(x, "bytes");
			json_add_bool(x, "unlimited", v->st == ML_CGV_UNLIMITED);
		} else if (v->st == ML_CGV_OK) {
			json_add_u64(g[fi->group], fi->key, v->v);
		} else {
			json_add_null(g[fi->group], fi->key);
		}
		if (v->st == ML_CGV_NA) {
			snprintf(key, sizeof key, "%s.%s", group_key[fi->group], fi->key);
			json_add_string(absent, key,
					ml_cgv_why(t, cg, (enum ml_cgf)f, why, sizeof why));
		}
	}
	x = json_add_object(o, "headroom");
	if (cg->head.st == ML_CGV_OK)
		json_add_i64(x, "bytes", cg->head.bytes);
	else
		json_add_null(x, "bytes");
	json_add_bool(x, "unlimited", cg->head.st == ML_CGV_UNLIMITED);
	json_add_string(x, "limit",
			cg->head.st == ML_CGV_OK ? ml_cgf_info[cg->head.limit].key : NULL);
	json_add_name(x, "cgroup", cg->head.st == ML_CGV_OK ? cg->head.at : NULL);
	if (cg->psi_state.st == ML_CGV_OK) {
		x = json_add_object(o, "pressure");
		json_psi_line(x, "some", &cg->psi.some);
		json_psi_line(x, "full", &cg->psi.full);
	} else {
		json_add_null(o, "pressure");
		json_add_string(absent, "pressure", ml_cgroup_psi_why(t, cg, why, sizeof why));
	}
	json_members(json_add_object(o, "processes"), cg);
	if (cg->stat_key != NULL) {
		x = json_add_object(o, "memory_stat");
		for (i = 0; i < cg->nstat; i++)
			json_add_u64(x, cg->stat_key[i], cg->stat_val[i]);
	} else {
		json_add_null(o, "memory_stat");
	}
}

/*
 * The start of a bad line as valid UTF-8 (a byte that does not begin a valid
 * sequence becomes '?'): garbage in a file must not make the document
 * invalid JSON.
 */
static void
utf8_clean(const char *s, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, n, i;

	while (*p != '\0' && o + 5 < cap) {
		n = *p < 0x80             ? 1
		    : (*p & 0xe0) == 0xc0 ? 2
		    : (*p & 0xf0) == 0xe0 ? 3
		    : (*p & 0xf8) == 0xf0 ? 4
					  : 0;
		for (i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				n = 0;
		if (n == 2 && *p < 0xc2)
			n = 0; /* overlong */
		if (n == 0) {
			out[o++] = '?';
			p++;
			continue;
		}
		memcpy(out + o, p, n);
		o += n;
		p += n;
	}
	out[o] = '\0';
}

/* A path or name, which the file system allows to be any bytes, as valid UTF-8. */
static void
json_add_name(struct json_node *o, const char *key, const char *s)
{
	char *buf;
	size_t cap;

	if (s == NULL) {
		json_add_null(o, key);
		return;
	}
	cap = strlen(s) + 6;
	buf = ml_xmalloc(cap);
	utf8_clean(s, buf, cap);
	json_add_string(o, key, buf);
	free(buf);
}

static void
json_bad_lines(struct json_node *arr, const char *file, const struct ml_parse_stats *st)
{
	struct json_node *o = json_array_add_object(arr);
	char text[sizeof st->first_bad_text * 2];

	utf8_clean(st->first_bad_text, text, sizeof text);
	json_add_string(o, "file", file);
	json_add_u64(o, "lines", st->lines);
	json_add_u64(o, "bad_lines", st->bad_lines);
	json_add_u64(o, "first_bad_line", st->first_bad_lineno);
	json_add_string(o, "why", st->first_bad_why);
	json_add_string(o, "text", text);
}

static int
cgroups_json(struct ml_ctx *ctx, struct cgroups_cmd *c)
{
	const struct ml_cghier *h = &c->hier;
	const struct ml_cgtree *t = &c->tree;
	struct json_node *doc = json_doc_new("cgroups", &c->si), *o, *arr, *errs;
	size_t i, omitted = 0;

	o = json_add_object(doc, "hierarchy");
	json_add_u64(o, "version", h->version);
	json_add_name(o, "mount_point", h->mount->mount_point);
	json_add_name(o, "mount_root", h->mount->root);
	json_add_name(o, "read_from", h->dir);
	json_add_string(o, "cgroup2_mount",
			c->mounts.v2.version != 0 ? c->mounts.v2.mount_point : NULL);
	json_add_string(o, "cgroup2_controllers",
			c->mounts.v2.version != 0 && h->v2_controllers[0] != '\0'
				? h->v2_controllers
				: NULL);
	json_add_string(o, "cgroup2_unused_why", h->version == ML_CG_V1 ? h->v2_why : NULL);
	json_add_name(doc, "start", c->start);
	json_add_string(doc, "view", c->flat ? "flat" : "tree");
	json_add_string(doc, "sort", ml_cgroup_sort_keys[c->sort]);
	json_add_bool(doc, "reverse", ctx->sort_reverse);
	if (c->depth >= 0)
		json_add_u64(doc, "depth", (uint64_t)c->depth);
	else
		json_add_null(doc, "depth");
	arr = json_add_array(doc, "cgroups");
	for (i = 0; i < c->nrows; i++) {
		if (c->rows[i].c != NULL)
			json_cgroup(arr, c, c->rows[i].c);
		else
			omitted += c->rows[i].more;
	}
	json_add_u64(doc, "omitted", omitted);
	o = json_add_object(doc, "skipped");
	json_add_u64(o, "vanished", t->vanished);
	json_add_u64(o, "too_deep", t->too_deep);
	json_add_u64(o, "members_moved", t->members_moved);
	json_add_u64(o, "members_exited", t->members_gone);
	json_add_u64(o, "kernel_threads", t->kthreads);
	json_add_u64(o, "zombies", t->zombies);
	o = json_add_object(doc, "read_errors");
	json_add_u64(o, "count", t->read_errors);
	json_add_string(o, "first", t->first_error);
	errs = json_add_array(doc, "parse_errors");
	if (c->mounts.stats.bad_lines > 0) {
		char *path = ml_procfs_path(&ctx->fs, c->mounts.rel);

		json_bad_lines(errs, path != NULL ? path : c->mounts.rel, &c->mounts.stats);
		free(path);
	}
	if (t->has_bad) {
		char *path = ml_xasprintf("%s%s", h->dir, t->bad_file != NULL ? t->bad_file : "");

		json_bad_lines(errs, path, &t->bad);
		free(path);
	}
	return cmd_json_emit(ctx, doc);
}

/* ------------------------------------------------------------ the command */

static int
cgroups_once(struct ml_ctx *ctx, struct cgroups_cmd *c)
{
	int rc;

	if ((rc = collect(ctx, c)) != 0)
		return rc;
	ml_sysinfo_read(&c->si, &ctx->fs);
	warn_problems(c);
	build_rows(ctx, c);
	if (ctx->json != ML_JSON_OFF)
		return cgroups_json(ctx, c);
	cgroups_text(ctx, c);
	return 0;
}

static int
cmd_cgroups_exec(struct ml_ctx *ctx, const struct ml_cmd_args *args)
{
	struct cgroups_cmd *c = ml_xcalloc(1, sizeof *c);
	char *cause = NULL;
	size_t i;
	int rc;

	ml_cgtree_init(&c->tree);
	c->hier.root.dirfd = -1;
	rc = parse_options(ctx, args, c);
	if (rc == 0)
		rc = open_hierarchy(ctx, c);
	if (rc == 0) {
		c->tab_open = true;
		if (ml_proctab_init(&c->tab, &ctx->fs, ML_PIDS_AUTO, &cause) != 0) {
			cmd_error("%s", cause != NULL ? cause : strerror(errno));
			rc = 1;
		}
		free(cause);
	}
	while (rc == 0 && cmd_next_report(ctx))
		rc = cgroups_once(ctx, c);
	if (c->tab_open)
		ml_proctab_release(&c->tab);
	ml_cgtree_release(&c->tree);
	if (c->hier_open) {
		ml_cghier_close(&c->hier);
		ml_cgmounts_release(&c->mounts);
	}
	for (i = 0; i < c->nrows; i++)
		free(c->rows[i].name);
	free(c->rows);
	free(c->start);
	free(c);
	return rc;
}

const struct ml_cmd_entry cmd_cgroups_entry = {
	.name = "cgroups",
	.args = "[PATH]",
	.summary = "cgroup memory (v2 or v1) as a tree, next to the PSS of its processes",
	.help = "Shows the cgroup hierarchy that holds the memory controller (cgroup v2, or\n"
		"v1's memory hierarchy on older and hybrid hosts, found in mountinfo) from\n"
		"PATH down: each cgroup's charged memory, working set (as kubelet and\n"
		"cAdvisor compute it: current - inactive page cache), anonymous and page\n"
		"cache, kernel memory, swap, its limit and the headroom to the nearest limit\n"
		"of the cgroup and its ancestors, OOM kills, and the sum of the PSS and USS\n"
		"of its member processes. With a PATH, everything known about that cgroup\n"
		"comes first. What a kernel or a cgroup version does not have is n/a with\n"
		"the reason, never 0; an unlimited limit is \"unlimited\" (JSON: null and\n"
		"\"unlimited\": true). Member processes of other users need root for their\n"
		"PSS.",
	.max_args = 1,
	.options = cgroups_options,
	.sort_keys = ml_cgroup_sort_keys,
	.flags = ML_CMD_SORT | ML_CMD_REPEAT,
	.exec = cmd_cgroups_exec,
};

/* ------------------------------------------------------------ the summary's line */

void
cmd_cgroups_brief_text(const struct text_out *o, const struct ml_cgtree *t, const char *why)
{
	struct ml_cgroup_brief b;
	char *line = NULL, nb[64], *name;
	size_t len = 0, i;
	FILE *f;

	if (t == NULL) {
		char *text = ml_xasprintf("n/a: %s", why != NULL ? why : "not read");

		text_paragraph_after(o, TS_HEADER, "Cgroups  ", TS_DIM, "         ", text);
		free(text);
		return;
	}
	ml_cgtree_brief(t, &b);
	f = open_memstream(&line, &len);
	fprintf(f, "v%u%c", t->version, b.nlargest > 0 ? ' ' : ':');
	if (b.nlargest == 0)
		fputs(" no cgroup below the root", f);
	for (i = 0; i < b.nlargest; i++) {
		name = printable(b.largest[i]->path);
		fprintf(f, "%s%s%c%s", i ? ", " : "", name, TEXT_NBSP,
			text_nobreak(nb, sizeof nb,
				     text_sz(&o->units, b.largest[i]->f[ML_CGF_CURRENT].v)));
		free(name);
	}
	if (b.nnear > 0)
		fputs("; near a limit:", f);
	for (i = 0; i < b.nnear; i++) {
		const struct ml_cgroup *c = b.near[i];
		char h[32];

		name = printable(c->path);
		text_ssize(h, sizeof h, c->head.bytes, &o->units);
		fprintf(f, "%s %s%c%s%cto%c%s", i ? "," : "", name, TEXT_NBSP,
			text_nobreak(nb, sizeof nb, h), TEXT_NBSP, TEXT_NBSP,
			c->head.limit == ML_CGF_HIGH ? "high" : "max");
		free(name);
	}
	if (b.near_all > b.nnear)
		fprintf(f, " (and %zu more)", b.near_all - b.nnear);
	if (b.noom > 0)
		fputs("; OOM kills:", f);
	for (i = 0; i < b.noom; i++) {
		name = printable(b.oom[i]->path);
		fprintf(f, "%s %s%c%llu", i ? "," : "", name, TEXT_NBSP,
			(unsigned long long)b.oom[i]->f[ML_CGF_EV_OOM_KILL].v);
		free(name);
	}
	if (b.oom_all > b.noom)
		fprintf(f, " (and %zu more)", b.oom_all - b.noom);
	fclose(f);
	text_paragraph_after(o, TS_HEADER, "Cgroups  ", TS_NONE, "         ", line);
	free(line);
}

void
cmd_cgroups_brief_json(struct json_node *doc, struct json_node *unavailable,
		       const struct ml_cgtree *t, const char *why)
{
	struct json_node *o, *arr, *r;
	struct ml_cgroup_brief b;
	size_t i;

	if (t == NULL) {
		json_add_null(doc, "cgroups");
		r = json_array_add_object(unavailable);
		json_add_string(r, "source", "cgroups");
		json_add_string(r, "why", why);
		return;
	}
	ml_cgtree_brief(t, &b);
	o = json_add_object(doc, "cgroups");
	json_add_u64(o, "version", t->version);
	json_add_u64(o, "cgroups", t->n);
	arr = json_add_array(o, "largest");
	for (i = 0; i < b.nlargest; i++) {
		r = json_array_add_object(arr);
		json_add_name(r, "path", b.largest[i]->path);
		json_add_u64(r, "current", b.largest[i]->f[ML_CGF_CURRENT].v);
	}
	arr = json_add_array(o, "near_limit");
	for (i = 0; i < b.nnear; i++) {
		r = json_array_add_object(arr);
		json_add_name(r, "path", b.near[i]->path);
		json_add_i64(r, "headroom", b.near[i]->head.bytes);
		json_add_string(r, "limit", ml_cgf_info[b.near[i]->head.limit].key);
		json_add_u64(r, "limit_bytes", ml_cgroup_head_limit(b.near[i]));
	}
	json_add_u64(o, "near_limit_count", b.near_all);
	arr = json_add_array(o, "oom_kills");
	for (i = 0; i < b.noom; i++) {
		r = json_array_add_object(arr);
		json_add_name(r, "path", b.oom[i]->path);
		json_add_u64(r, "oom_kill", b.oom[i]->f[ML_CGF_EV_OOM_KILL].v);
	}
	json_add_u64(o, "oom_kills_count", b.oom_all);
}

/*
 * The dashboard's cgroups view: the memory controller's hierarchy as a tree
 * (or the matches of the filter, by path), each cgroup with its charged
 * memory, working set, limit and headroom, OOM kills and the PSS of its
 * member processes; Enter shows a cgroup's processes in the processes view.
 * The data side (cmd-top.c) reads the tree and orders the rows.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tui/tui-int.h"

enum cg_col {
	GC_NAME,
	GC_CURRENT,
	GC_WSET,
	GC_ANON,
	GC_FILE,
	GC_LIMIT,
	GC_HEADROOM,
	GC_OOM,
	GC_PROCS,
	GC_PSS,
	GC__COUNT
};

/* A size, "unlimited" or "n/a". */
static const char *
figure(char *buf, size_t cap, const struct tui_frame *f, const struct ml_cgv *v)
{
	if (v->st == ML_CGV_OK)
		return tui_size(buf, cap, f, v->v);
	snprintf(buf, cap, "%s", v->st == ML_CGV_UNLIMITED ? "unlimited" : "n/a");
	return buf;
}

/*
 * The branches in front of a cgroup's name: for each ancestor below the
 * tree's first row, a bar when it has a sibling after it, then the node's
 * own branch. Into buf (cells are UTF-8 box drawing, or ASCII).
 */
static const char *
branches(const struct tui *t, const struct ml_cgroup *c, char *buf, size_t cap)
{
	const struct ml_cgroup *chain[64], *a;
	int depth = 0, i;
	size_t o = 0;

	buf[0] = '\0';
	for (a = c; a != NULL && a->depth > 0 && depth < 64; a = a->parent)
		chain[depth++] = a;
	for (i = depth - 1; i >= 0; i--) {
		const struct ml_cgroup *n = chain[i], *p = n->parent;
		bool last = p == NULL || p->nchild == 0 || p->child[p->nchild - 1] == n;
		const char *g;

		if (i == 0)
			g = last ? (t->utf8 ? "└─ " : "`- ") : (t->utf8 ? "├─ " : "|- ");
		else
			g = last ? "   " : (t->utf8 ? "│  " : "|  ");
		if (o + strlen(g) + 1 >= cap)
			break;
		memcpy(buf + o, g, strlen(g) + 1);
		o += strlen(g);
	}
	return buf;
}

void
tui_draw_cgroups(struct tui *t, const struct tui_frame *f)
{
	const struct tui_cgroups *s = &f->cgroups;
	struct tui_col cols[GC__COUNT] = {
		[GC_NAME] = { .title = "CGROUP", .width = 20, .flex = true },
		[GC_CURRENT] = { .title = "CURRENT", .width = 9, .right = true },
		[GC_WSET] = { .title = "WSET", .width = 9, .prio = 4, .right = true },
		[GC_ANON] = { .title = "ANON", .width = 9, .prio = 5, .right = true },
		[GC_FILE] = { .title = "FILE", .width = 9, .prio = 6, .right = true },
		[GC_LIMIT] = { .title = "LIMIT", .width = 9, .prio = 2, .right = true },
		[GC_HEADROOM] = { .title = "HEADROOM", .width = 11, .prio = 1, .right = true },
		[GC_OOM] = { .title = "OOM", .width = 5, .prio = 7, .right = true },
		[GC_PROCS] = { .title = "PROCS", .width = 6, .prio = 3, .right = true },
		[GC_PSS] = { .title = "PSS", .width = 9, .prio = 1, .right = true },
	};
	char buf[64], name[1024], br[256];
	int y = t->body_top, page, first, i;

	if (!s->src.ok || s->tree == NULL) {
		tui_unavailable(t, y, "Cgroups", s->src.why);
		tui_scroll_clamp(t, TUI_VIEW_CGROUPS, 1, t->body_rows);
		return;
	}
	{
		int x = 2 + tui_put(t, y, 1, -1, TC_TITLE, "Cgroups");

		x += tui_putf(t, y, x, -1, TC_NORMAL, "%zu in %s", s->tree->n,
			      s->where != NULL ? s->where : "?");
		if (s->age >= 1.0)
			x += tui_putf(t, y, x, -1, TC_DIM, ", read %.0f s ago", s->age);
		if (s->sums_why != NULL)
			tui_putf(t, y, x, -1, TC_DIM, "; PSS: %s", s->sums_why);
		else
			tui_put(t, y, x, -1, TC_DIM, "; Enter: a cgroup's processes");
	}
	y++;
	tui_fit_columns(cols, GC__COUNT, t->cols - 2);
	tui_table_titles(t, y++, cols, GC__COUNT);
	page = t->body_rows - 2;
	if (s->n == 0) {
		tui_put(t, y, 1, -1, TC_DIM,
			t->req.filter[TUI_VIEW_CGROUPS][0] ? "no cgroup matches the filter"
							   : "no cgroup to show");
		tui_scroll_clamp(t, TUI_VIEW_CGROUPS, 0, page);
		return;
	}
	t->lines[TUI_VIEW_CGROUPS] = (int)s->n;
	t->page[TUI_VIEW_CGROUPS] = page;
	if (t->sel[TUI_VIEW_CGROUPS] >= (int)s->n)
		t->sel[TUI_VIEW_CGROUPS] = (int)s->n - 1;
	if (t->sel[TUI_VIEW_CGROUPS] < t->scroll[TUI_VIEW_CGROUPS])
		t->scroll[TUI_VIEW_CGROUPS] = t->sel[TUI_VIEW_CGROUPS];
	if (t->sel[TUI_VIEW_CGROUPS] >= t->scroll[TUI_VIEW_CGROUPS] + page)
		t->scroll[TUI_VIEW_CGROUPS] = t->sel[TUI_VIEW_CGROUPS] - page + 1;
	first = tui_scroll_clamp(t, TUI_VIEW_CGROUPS, (int)s->n, page);
	for (i = 0; i < page && (size_t)(first + i) < s->n; i++, y++) {
		const struct ml_cgroup *c = s->rows[first + i];
		bool sel = first + i == t->sel[TUI_VIEW_CGROUPS];
		enum tui_color base = sel ? TC_SEL : c->controller ? TC_NORMAL : TC_DIM;
		const struct ml_cg_headroom *h = &c->head;
		const struct ml_cgv *oom = &c->f[ML_CGF_EV_OOM_KILL];

		if (sel) {
			tui_fill(t, y, 0, t->cols, TC_SEL, " ");
			tui_put(t, y, 0, 1, TC_SEL, ">");
		}
		if (s->flat || c->depth == 0)
			snprintf(name, sizeof name, "%s", c->path);
		else
			snprintf(name, sizeof name, "%s%s", branches(t, c, br, sizeof br), c->name);
		tui_table_cell(t, y, &cols[GC_NAME], base, name);
		tui_table_cell(t, y, &cols[GC_CURRENT], base,
			       figure(buf, sizeof buf, f, &c->f[ML_CGF_CURRENT]));
		tui_table_cell(t, y, &cols[GC_WSET], base,
			       figure(buf, sizeof buf, f, &c->f[ML_CGF_WSET]));
		tui_table_cell(t, y, &cols[GC_ANON], base,
			       figure(buf, sizeof buf, f, &c->f[ML_CGF_ANON]));
		tui_table_cell(t, y, &cols[GC_FILE], base,
			       figure(buf, sizeof buf, f, &c->f[ML_CGF_FILE]));
		tui_table_cell(t, y, &cols[GC_LIMIT], base,
			       figure(buf, sizeof buf, f, &c->f[ML_CGF_MAX]));
		if (h->st == ML_CGV_OK) {
			char num[40];
			bool ancestor = h->at != NULL && strcmp(h->at, c->path) != 0;

			text_ssize(num, sizeof num, h->bytes, f->units);
			snprintf(buf, sizeof buf, "%s%s%s%s", num,
				 ancestor || h->limit != ML_CGF_MAX ? " " : "", ancestor ? "^" : "",
				 h->limit == ML_CGF_HIGH        ? "h"
				 : h->limit == ML_CGF_MEMSW_MAX ? "s"
								: "");
			tui_table_cell(t, y, &cols[GC_HEADROOM],
				       sel            ? TC_SEL
				       : h->bytes < 0 ? TC_BAD
						      : base,
				       buf);
		} else {
			tui_table_cell(t, y, &cols[GC_HEADROOM], base,
				       h->st == ML_CGV_UNLIMITED ? "unlimited" : "n/a");
		}
		if (oom->st == ML_CGV_OK)
			snprintf(buf, sizeof buf, "%llu", (unsigned long long)oom->v);
		else
			snprintf(buf, sizeof buf, "n/a");
		tui_table_cell(t, y, &cols[GC_OOM],
			       !sel && oom->st == ML_CGV_OK && oom->v > 0 ? TC_WARN : base, buf);
		if (c->sub_listed)
			snprintf(buf, sizeof buf, "%llu", (unsigned long long)c->sub_members);
		else
			snprintf(buf, sizeof buf, "n/a");
		tui_table_cell(t, y, &cols[GC_PROCS], base, buf);
		if (s->sums_why == NULL && ml_cgroup_members_whole(c) &&
		    (c->sub.procs == 0 || ml_proc_sum_has(&c->sub, ML_PM_PSS)))
			tui_table_cell(t, y, &cols[GC_PSS], base,
				       tui_size(buf, sizeof buf, f,
						c->sub.procs == 0 ? 0 : c->sub.v[ML_PM_PSS]));
		else
			tui_table_cell(t, y, &cols[GC_PSS], sel ? TC_SEL : TC_DIM, "n/a");
		if (sel)
			mvchgat(y, 0, t->cols, t->attr[TC_SEL], 0, NULL);
	}
}

const char *
tui_selected_cgroup(const struct tui *t)
{
	const struct tui_frame *f = t->frame;
	int sel = t->sel[TUI_VIEW_CGROUPS];

	if (f == NULL || !f->cgroups.src.ok || f->cgroups.tree == NULL || sel < 0 ||
	    (size_t)sel >= f->cgroups.n)
		return NULL;
	return f->cgroups.rows[sel]->path;
}

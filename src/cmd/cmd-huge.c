/*
 * memlens huge: huge pages and the kernel's other page-level savings, from
 * sysfs (through --sys-root) and /proc:
 *
 *  - hugetlb, every page size, per node where there are several;
 *  - transparent huge pages: the settings, what is in use (meminfo), what
 *    khugepaged does, the thp_* events (per second with -i), and the
 *    processes with the most AnonHugePages (their smaps_rollup);
 *  - KSM: state, what is shared and saved, the profit, and (once KSM has
 *    run) the processes that merged the most, from their ksm_stat;
 *  - zswap: its settings, its pool against what it holds, its events;
 *  - zram: each device's data, compressed size and RAM used.
 *
 * Per-process files are read only when the machine-wide figure says a
 * process can have something (AnonHugePages > 0; KSM has run).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd-sysfs.h"
#include "cmd/cmd.h"
#include "model/counters.h"
#include "model/huge.h"
#include "model/pagesize.h"
#include "proc/hugepages.h"
#include "proc/ksm.h"
#include "proc/meminfo.h"
#include "proc/nodeinfo.h"
#include "proc/proctab.h"
#include "proc/vmstat.h"
#include "proc/zram.h"
#include "xalloc.h"

/* The processes of the per-process parts, each with what it has. */
struct ksm_proc {
	int pid;
	char comm[64];
	struct ml_ksm_stat st;
};

struct huge_cmd {
	struct cmd_sysfs sys;
	struct ml_sysinfo si;
	struct ml_page_size ps;
	struct ml_reader mi_reader, vs_reader;
	struct ml_meminfo mi;
	struct ml_vmstat vs;
	bool mi_ok, vs_ok;
	char *mi_why, *vs_why;
	int *node_ids;
	size_t nnodes;
	struct ml_hugetlb hugetlb;
	struct ml_thp thp;
	struct ml_ksm ksm;
	struct ml_ksm_view kv;
	struct ml_zswap_params zswap;
	struct ml_zram zram;
	struct ml_counter_set thp_events, zswap_events, ksm_events;
	struct timespec prev;
	bool have_prev;
	double seconds;

	/* Processes: smaps_rollup for THP, ksm_stat for KSM. */
	struct ml_proctab pt;
	bool pt_init, pt_ok;
	char *pt_why;
	bool thp_procs_read; /* AnonHugePages > 0: the rollups were read */
	size_t thp_unread, thp_denied;
	bool ksm_procs_read; /* KSM has run: the ksm_stat files were read */
	struct ml_reader ks_reader;
	struct ksm_proc *kp;
	size_t nkp, kp_cap;
	size_t ksm_unread, ksm_denied;
	bool ksm_stat_missing; /* the kernel has no ksm_stat (before 6.1) */
};

#define SZ(v) text_sz(&o->units, (v))
#define TOP_PROCS 5

static double
elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static long
top_limit(const struct ml_ctx *ctx)
{
	(void)ctx;
	return TOP_PROCS;
}

/* ------------------------------------------------------------ reading */

static bool
ksm_has_run(const struct ml_ksm *k)
{
	const struct ml_attr *a = k->a;

	if (!k->present)
		return false;
	return (ml_attr_ok(&a[ML_KSM_RUN]) && a[ML_KSM_RUN].u != 0) ||
	       (ml_attr_ok(&a[ML_KSM_FULL_SCANS]) && a[ML_KSM_FULL_SCANS].u > 0) ||
	       (ml_attr_ok(&a[ML_KSM_PAGES_SHARING]) && a[ML_KSM_PAGES_SHARING].u > 0) ||
	       (ml_attr_ok(&a[ML_KSM_PAGES_SHARED]) && a[ML_KSM_PAGES_SHARED].u > 0);
}

/* Most merged pages first; a process whose count was not read after every known one. */
static int
cmp_ksm_proc(const void *x, const void *y)
{
	const struct ksm_proc *a = x, *b = y;
	bool ka = ml_ksm_stat_has(&a->st, ML_KSTAT_MERGING_PAGES),
	     kb = ml_ksm_stat_has(&b->st, ML_KSTAT_MERGING_PAGES);
	int64_t va = a->st.val[ML_KSTAT_MERGING_PAGES], vb = b->st.val[ML_KSTAT_MERGING_PAGES];

	if (ka != kb)
		return ka ? -1 : 1;
	if (ka && va != vb)
		return va > vb ? -1 : 1;
	return a->pid < b->pid ? -1 : a->pid > b->pid;
}

/* Every process's ksm_stat; the ones with merged pages are kept, largest first. */
static void
read_ksm_procs(struct huge_cmd *h)
{
	char rel[32];
	size_t i;

	h->nkp = h->ksm_unread = h->ksm_denied = 0;
	h->ksm_stat_missing = false;
	for (i = 0; i < h->pt.n; i++) {
		const struct ml_proc *p = h->pt.rows[i];
		struct ml_ksm_stat st;

		if (p->kthread || p->state == 'Z')
			continue;
		snprintf(rel, sizeof rel, "%d/ksm_stat", p->pid);
		if ((h->ks_reader.buf == NULL
			     ? ml_reader_open(&h->ks_reader, h->pt.fs, &ml_src_ksm_stat, rel, NULL)
			     : ml_reader_reopen(&h->ks_reader, rel, NULL)) != 0 ||
		    ml_reader_refresh(&h->ks_reader, &st, NULL) != 0) {
			if (errno == ENOENT && p->pid == h->pt.rows[0]->pid)
				h->ksm_stat_missing = true;
			if (errno == ESRCH || (errno == ENOENT && !h->ksm_stat_missing))
				continue; /* gone meanwhile */
			h->ksm_unread++;
			if (errno == EACCES || errno == EPERM)
				h->ksm_denied++;
			continue;
		}
		if (!ml_ksm_stat_has(&st, ML_KSTAT_MERGING_PAGES) &&
		    !ml_ksm_stat_has(&st, ML_KSTAT_RMAP_ITEMS))
			continue;
		if ((!ml_ksm_stat_has(&st, ML_KSTAT_MERGING_PAGES) ||
		     st.val[ML_KSTAT_MERGING_PAGES] <= 0) &&
		    (!ml_ksm_stat_has(&st, ML_KSTAT_RMAP_ITEMS) ||
		     st.val[ML_KSTAT_RMAP_ITEMS] <= 0))
			continue;
		if (h->nkp == h->kp_cap) {
			h->kp_cap = h->kp_cap ? h->kp_cap * 2 : 16;
			h->kp = ml_xreallocarray(h->kp, h->kp_cap, sizeof *h->kp);
		}
		h->kp[h->nkp].pid = p->pid;
		snprintf(h->kp[h->nkp].comm, sizeof h->kp[h->nkp].comm, "%s", p->comm);
		h->kp[h->nkp].st = st;
		h->nkp++;
	}
	if (h->ksm_stat_missing) {
		h->nkp = 0;
		h->ksm_unread = h->ksm_denied = 0;
	}
	if (h->nkp > 1)
		qsort(h->kp, h->nkp, sizeof *h->kp, cmp_ksm_proc);
}

static void
thp_unreadable(struct huge_cmd *h)
{
	size_t i;

	h->thp_unread = h->thp_denied = 0;
	for (i = 0; i < h->pt.n; i++) {
		const struct ml_proc *p = h->pt.rows[i];

		if (p->kthread || p->mem == ML_MEM_OK || p->mem == ML_MEM_NONE ||
		    p->mem == ML_MEM_GONE)
			continue;
		h->thp_unread++;
		if (p->mem == ML_MEM_DENIED)
			h->thp_denied++;
	}
}

static void
set_why(char **dst, char *cause, int err)
{
	free(*dst);
	*dst = cause != NULL ? cause : ml_xstrdup(strerror(err));
}

static const char *const thp_prefixes[] = { "thp_", NULL };
static const char *const zswap_prefixes[] = { "zswp", NULL };
static const char *const ksm_prefixes[] = { "ksm_", "cow_ksm", NULL };

static void
huge_refresh(struct ml_ctx *ctx, struct huge_cmd *h)
{
	struct timespec now;
	char *cause = NULL;
	bool want_thp, want_ksm;

	clock_gettime(CLOCK_MONOTONIC, &now);
	h->seconds = h->have_prev ? elapsed(&h->prev, &now) : 0;
	h->prev = now;
	h->have_prev = true;
	ml_sysinfo_read(&h->si, &ctx->fs);

	h->mi_ok = false;
	if (ml_reader_is_open(&h->mi_reader)) {
		if (ml_reader_refresh(&h->mi_reader, &h->mi, &cause) == 0)
			h->mi_ok = true;
		else
			set_why(&h->mi_why, cause, errno);
		cause = NULL;
	}
	h->vs_ok = false;
	if (ml_reader_is_open(&h->vs_reader)) {
		if (ml_reader_refresh(&h->vs_reader, &h->vs, &cause) == 0)
			h->vs_ok = true;
		else
			set_why(&h->vs_why, cause, errno);
		cause = NULL;
	}
	if (h->vs_ok) {
		ml_counter_set_take(&h->thp_events, &h->vs.all, thp_prefixes, h->seconds);
		ml_counter_set_take(&h->zswap_events, &h->vs.all, zswap_prefixes, h->seconds);
		ml_counter_set_take(&h->ksm_events, &h->vs.all, ksm_prefixes, h->seconds);
	}
	if (h->sys.ok) {
		ml_hugetlb_read(&h->hugetlb, &h->sys.fs, h->node_ids, h->nnodes);
		ml_thp_read(&h->thp, &h->sys.fs);
		ml_ksm_read(&h->ksm, &h->sys.fs);
		ml_zswap_params_read(&h->zswap, &h->sys.fs);
		ml_zram_read(&h->zram, &h->sys.fs);
	}
	ml_ksm_view(&h->kv, &h->ksm, h->ps.bytes);

	want_thp = h->mi_ok && ml_meminfo_get(&h->mi, ML_MI_ANON_HUGE_PAGES) > 0;
	want_ksm = h->sys.ok && ksm_has_run(&h->ksm);
	h->thp_procs_read = h->ksm_procs_read = false;
	if ((want_thp || want_ksm) && !h->pt_init) {
		h->pt_init = true;
		h->pt_ok = ml_proctab_init(&h->pt, &ctx->fs, ML_PIDS_AUTO, &cause) == 0;
		if (!h->pt_ok)
			set_why(&h->pt_why, cause, errno);
		cause = NULL;
	}
	if (h->pt_ok && (want_thp || want_ksm)) {
		int rc = want_thp ? ml_proctab_refresh_read_all(&h->pt, &cause)
				  : ml_proctab_refresh(&h->pt, &cause);

		if (rc != 0) {
			set_why(&h->pt_why, cause, errno);
		} else {
			if (want_thp) {
				h->thp_procs_read = true;
				thp_unreadable(h);
			}
			if (want_ksm) {
				read_ksm_procs(h);
				h->ksm_procs_read = true;
			}
		}
		cause = NULL;
	}
}

/* ------------------------------------------------------------ text helpers */

/* A setting as a word, or "n/a (why)". */
static const char *
attr_text(char *buf, size_t cap, const struct ml_attr *a, enum ml_attr_kind kind)
{
	if (!ml_attr_ok(a)) {
		snprintf(buf, cap, "n/a (%s)", ml_attr_reason(a));
		return buf;
	}
	switch (kind) {
	case ML_ATTR_U64:
		snprintf(buf, cap, "%llu", (unsigned long long)a->u);
		break;
	case ML_ATTR_I64:
		snprintf(buf, cap, "%lld", (long long)a->i);
		break;
	case ML_ATTR_FLAG:
		snprintf(buf, cap, "%s", a->flag ? "yes" : "no");
		break;
	case ML_ATTR_WORD:
	case ML_ATTR_CHOICE:
		snprintf(buf, cap, "%s", a->word);
		break;
	}
	return buf;
}

/* One "label  text" paragraph, wrapped under the label. */
static void
line(const struct text_out *o, const char *label, const char *text)
{
	char pad[24];

	snprintf(pad, sizeof pad, "  %-11s", label);
	text_paragraph_after(o, TS_NONE, pad, TS_NONE, "             ", text);
}

/* The events of a counter set: totals since boot, or per second; non-zero ones first. */
static void
events_text(const struct text_out *o, const char *label, const struct ml_counter_set *s, bool all)
{
	char *text = NULL;
	size_t len = 0, i, shown = 0, zero = 0;
	bool rates = ml_counter_set_has_rates(s);
	FILE *f = open_memstream(&text, &len);

	fputs(rates ? "per second: " : "since boot: ", f);
	for (i = 0; i < s->n; i++) {
		const struct ml_counter *c = &s->c[i];
		double r = 0;
		bool have = rates ? ml_counter_rate(s, c, &r) : true;

		if (!all && (rates ? (have && r == 0) : c->value == 0)) {
			zero++;
			continue;
		}
		fprintf(f, "%s%s%c", shown ? ", " : "", c->name, TEXT_NBSP);
		if (!have)
			fputs("n/a", f);
		else if (rates)
			fprintf(f, "%.1f", r);
		else
			fprintf(f, "%llu", (unsigned long long)c->value);
		shown++;
	}
	if (shown == 0)
		fprintf(f, "none (%zu counters, all 0)", zero);
	else if (zero > 0)
		fprintf(f, "; %zu more at 0", zero);
	fclose(f);
	line(o, label, text);
	free(text);
}

/* ------------------------------------------------------------ text */

static void
hugetlb_text(const struct ml_ctx *ctx, const struct huge_cmd *h)
{
	const struct text_out *o = &ctx->text;
	const struct ml_hugetlb *hp = &h->hugetlb;
	struct text_table *t;
	struct ml_opt total;
	size_t i, j;
	bool any = false;
	int c;

	text_printf(o, TS_HEADER, "\nHugetlb");
	text_printf(o, TS_DIM, " (pages reserved for hugetlbfs and MAP_HUGETLB; every size)\n");
	if (!h->sys.ok) {
		fprintf(o->f, "  n/a (%s)\n", h->sys.why);
		return;
	}
	if (!hp->listed) {
		fprintf(o->f, "  n/a (%s)\n",
			hp->list_err == ENOENT ? "no kernel/mm/hugepages: a kernel without hugetlb"
					       : strerror(hp->list_err));
		return;
	}
	for (i = 0; i < hp->nsizes; i++) {
		if (!ml_attr_ok(&hp->size[i].a[ML_HP_NR]) || hp->size[i].a[ML_HP_NR].u > 0 ||
		    (ml_attr_ok(&hp->size[i].a[ML_HP_SURPLUS]) &&
		     hp->size[i].a[ML_HP_SURPLUS].u > 0))
			any = true;
	}
	t = text_table_new(8);
	text_table_col(t, 0, "size", TA_RIGHT);
	text_table_col(t, 1, "pages", TA_RIGHT);
	text_table_col(t, 2, "free", TA_RIGHT);
	text_table_col(t, 3, "reserved", TA_RIGHT);
	text_table_col(t, 4, "surplus", TA_RIGHT);
	text_table_col(t, 5, "overcommit", TA_RIGHT);
	text_table_col(t, 6, "pool", TA_RIGHT);
	text_table_col(t, 7, "", TA_LEFT);
	for (i = 0; i < hp->nsizes; i++) {
		const struct ml_hugetlb_size *s = &hp->size[i];
		struct ml_opt b = ml_hugetlb_size_bytes(s);
		bool is_default = h->mi_ok && ml_meminfo_has(&h->mi, ML_MI_HUGEPAGESIZE) &&
				  h->mi.val[ML_MI_HUGEPAGESIZE] == s->size_kb * 1024;

		text_table_row(t, TS_NONE);
		text_table_cell(t, "%s", SZ(s->size_kb * 1024));
		for (c = 0; c < ML_HP__COUNT; c++) {
			if (ml_attr_ok(&s->a[c]))
				text_table_cell(t, "%llu", (unsigned long long)s->a[c].u);
			else
				text_table_cell(t, "n/a");
		}
		text_table_cell(t, "%s", b.known ? SZ(b.v) : "n/a");
		text_table_cell_styled(t, TS_DIM, "%s", is_default ? "default size" : "");
	}
	total = ml_hugetlb_total_bytes(hp);
	text_table_row(t, TS_BOLD);
	text_table_cell(t, "all");
	for (c = 0; c < ML_HP__COUNT; c++)
		text_table_cell(t, "%s", "");
	text_table_cell(t, "%s", total.known ? SZ(total.v) : "n/a");
	if (total.known && h->mi_ok && ml_meminfo_has(&h->mi, ML_MI_HUGETLB))
		text_table_cell_styled(t, total.v == h->mi.val[ML_MI_HUGETLB] ? TS_DIM : TS_WARN,
				       "%s meminfo Hugetlb %s",
				       total.v == h->mi.val[ML_MI_HUGETLB] ? "=" : "!=",
				       SZ(h->mi.val[ML_MI_HUGETLB]));
	else
		text_table_cell(t, "%s", "");
	text_table_print(t, o, 2);
	text_table_free(t);
	if (!any)
		text_printf(o, TS_DIM, "  no hugetlb pages reserved\n");
	/* per node, when there are several and some pages */
	if (any && h->nnodes > 1) {
		t = text_table_new((unsigned int)(1 + h->nnodes));
		text_table_col(t, 0, "per node", TA_LEFT);
		for (j = 0; j < h->nnodes; j++) {
			char title[24];

			snprintf(title, sizeof title, "node %d", h->node_ids[j]);
			text_table_col(t, (unsigned int)(1 + j), title, TA_RIGHT);
		}
		for (i = 0; i < hp->nsizes; i++) {
			const struct ml_hugetlb_size *s = &hp->size[i];

			text_table_row(t, TS_NONE);
			text_table_cell(t, "%s pages (free)", SZ(s->size_kb * 1024));
			for (j = 0; j < h->nnodes; j++) {
				const struct ml_hugetlb_node *hn =
					j < s->nnodes ? &s->node[j] : NULL;

				if (hn == NULL || !ml_attr_ok(&hn->a[ML_HPN_NR]))
					text_table_cell(t, "n/a");
				else if (!ml_attr_ok(&hn->a[ML_HPN_FREE]))
					text_table_cell(t, "%llu (n/a)",
							(unsigned long long)hn->a[ML_HPN_NR].u);
				else
					text_table_cell(t, "%llu (%llu)",
							(unsigned long long)hn->a[ML_HPN_NR].u,
							(unsigned long long)hn->a[ML_HPN_FREE].u);
			}
		}
		fputc('\n', o->f);
		text_table_print(t, o, 2);
		text_table_free(t);
	}
}

static void
thp_text(const struct ml_ctx *ctx, const struct huge_cmd *h)
{
	const struct text_out *o = &ctx->text;
	const struct ml_thp *t = &h->thp;
	char b1[96], b2[96], b3[96], b4[96], *text = NULL;
	size_t len = 0, i, n;
	FILE *f;

	text_printf(o, TS_HEADER, "\nTransparent huge pages\n");
	if (!h->sys.ok) {
		line(o, "settings", h->sys.why);
	} else if (!t->present) {
		line(o, "settings",
		     t->dir_err == ENOENT ? "n/a (no kernel/mm/transparent_hugepage: "
					    "a kernel without THP)"
					  : strerror(t->dir_err));
	} else {
		f = open_memstream(&text, &len);
		fprintf(f, "enabled%c%s, defrag%c%s, shmem%c%s, zero%cpage%c%s", TEXT_NBSP,
			attr_text(b1, sizeof b1, &t->a[ML_THP_ENABLED], ML_ATTR_CHOICE), TEXT_NBSP,
			attr_text(b2, sizeof b2, &t->a[ML_THP_DEFRAG], ML_ATTR_CHOICE), TEXT_NBSP,
			attr_text(b3, sizeof b3, &t->a[ML_THP_SHMEM_ENABLED], ML_ATTR_CHOICE),
			TEXT_NBSP, TEXT_NBSP,
			attr_text(b4, sizeof b4, &t->a[ML_THP_USE_ZERO_PAGE], ML_ATTR_FLAG));
		if (ml_attr_ok(&t->a[ML_THP_HPAGE_PMD_SIZE]))
			fprintf(f, ", PMD size %s", SZ(t->a[ML_THP_HPAGE_PMD_SIZE].u));
		fclose(f);
		line(o, "settings", text);
		free(text);
		if (t->nsizes > 0) {
			text = NULL;
			f = open_memstream(&text, &len);
			for (i = n = 0; i < t->nsizes; i++) {
				char nb[48];

				/* a size without its own setting is not one THP can use */
				if (t->size[i].enabled.state == ML_ATTR_ABSENT)
					continue;
				fprintf(f, "%s%s%c%s", n++ ? ", " : "",
					text_nobreak(nb, sizeof nb, SZ(t->size[i].size_kb * 1024)),
					TEXT_NBSP,
					attr_text(b1, sizeof b1, &t->size[i].enabled,
						  ML_ATTR_CHOICE));
			}
			fclose(f);
			line(o, "sizes", text);
			free(text);
		}
		text = NULL;
		f = open_memstream(&text, &len);
		fprintf(f, "defrag%c%s, scans %s pages every %s ms; ", TEXT_NBSP,
			attr_text(b1, sizeof b1, &t->k[ML_KHP_DEFRAG], ML_ATTR_FLAG),
			attr_text(b2, sizeof b2, &t->k[ML_KHP_PAGES_TO_SCAN], ML_ATTR_U64),
			attr_text(b3, sizeof b3, &t->k[ML_KHP_SCAN_SLEEP_MS], ML_ATTR_U64));
		fprintf(f, "%s huge pages collapsed in %s full scans",
			attr_text(b1, sizeof b1, &t->k[ML_KHP_PAGES_COLLAPSED], ML_ATTR_U64),
			attr_text(b2, sizeof b2, &t->k[ML_KHP_FULL_SCANS], ML_ATTR_U64));
		fclose(f);
		line(o, "khugepaged", text);
		free(text);
	}
	if (h->mi_ok) {
		text = NULL;
		f = open_memstream(&text, &len);
		fprintf(f, "anonymous %s",
			ml_meminfo_has(&h->mi, ML_MI_ANON_HUGE_PAGES)
				? SZ(h->mi.val[ML_MI_ANON_HUGE_PAGES])
				: "n/a");
		fprintf(f, ", shmem %s",
			ml_meminfo_has(&h->mi, ML_MI_SHMEM_HUGE_PAGES)
				? SZ(h->mi.val[ML_MI_SHMEM_HUGE_PAGES])
				: "n/a");
		fprintf(f, ", file %s",
			ml_meminfo_has(&h->mi, ML_MI_FILE_HUGE_PAGES)
				? SZ(h->mi.val[ML_MI_FILE_HUGE_PAGES])
				: "n/a");
		if (ml_meminfo_has(&h->mi, ML_MI_SHMEM_PMD_MAPPED) ||
		    ml_meminfo_has(&h->mi, ML_MI_FILE_PMD_MAPPED))
			fprintf(f, " (mapped with huge page tables: shmem %s, file %s)",
				ml_meminfo_has(&h->mi, ML_MI_SHMEM_PMD_MAPPED)
					? SZ(h->mi.val[ML_MI_SHMEM_PMD_MAPPED])
					: "n/a",
				ml_meminfo_has(&h->mi, ML_MI_FILE_PMD_MAPPED)
					? SZ(h->mi.val[ML_MI_FILE_PMD_MAPPED])
					: "n/a");
		fclose(f);
		line(o, "in use", text);
		free(text);
	} else {
		line(o, "in use", h->mi_why != NULL ? h->mi_why : "n/a (meminfo not read)");
	}
	if (h->vs_ok)
		events_text(o, "events", &h->thp_events, false);
	else
		line(o, "events", h->vs_why != NULL ? h->vs_why : "n/a (vmstat not read)");

	text = NULL;
	f = open_memstream(&text, &len);
	if (!h->mi_ok || !ml_meminfo_has(&h->mi, ML_MI_ANON_HUGE_PAGES)) {
		fputs("n/a (no AnonHugePages in meminfo)", f);
	} else if (!h->thp_procs_read && h->mi.val[ML_MI_ANON_HUGE_PAGES] == 0) {
		fputs("none: no anonymous huge pages in use", f);
	} else if (!h->thp_procs_read) {
		fprintf(f, "n/a (%s)", h->pt_why != NULL ? h->pt_why : "processes not read");
	} else {
		struct ml_proc *top[64];
		long k = top_limit(ctx);

		if (k <= 0 || k > (long)ML_ARRAY_SIZE(top))
			k = ML_ARRAY_SIZE(top);
		n = ml_procs_top_thp(h->pt.rows, h->pt.n, top, (size_t)k);
		if (n == 0)
			fputs("no readable process has AnonHugePages", f);
		for (i = 0; i < n; i++) {
			char nb[48];

			fprintf(f, "%s%d%c%s%c%s", i ? ", " : "", top[i]->pid, TEXT_NBSP,
				top[i]->comm, TEXT_NBSP,
				text_nobreak(nb, sizeof nb,
					     SZ(top[i]->val[ML_SM_ANON_HUGE_PAGES])));
		}
		if (h->thp_unread > 0)
			fprintf(f, " (%zu process%s not read%s)", h->thp_unread,
				h->thp_unread == 1 ? "" : "es",
				h->thp_denied == h->thp_unread ? ": permission denied, run as root"
							       : "");
	}
	fclose(f);
	line(o, "processes", text);
	free(text);
}

static void
ksm_text(const struct ml_ctx *ctx, const struct huge_cmd *h)
{
	const struct text_out *o = &ctx->text;
	const struct ml_ksm *k = &h->ksm;
	const struct ml_ksm_view *v = &h->kv;
	char b1[96], b2[96], *text = NULL;
	size_t len = 0, i;
	FILE *f;

	text_printf(o, TS_HEADER, "\nKSM");
	text_printf(o, TS_DIM, " (kernel samepage merging: identical anonymous pages kept once)\n");
	if (!h->sys.ok) {
		line(o, "state", h->sys.why);
		return;
	}
	if (!k->present) {
		line(o, "state",
		     k->dir_err == ENOENT ? "n/a (no kernel/mm/ksm: a kernel without KSM)"
					  : strerror(k->dir_err));
		return;
	}
	f = open_memstream(&text, &len);
	if (v->run.known)
		fprintf(f, "%s (run=%llu)", ml_ksm_run_word(v->run.v),
			(unsigned long long)v->run.v);
	else
		fprintf(f, "n/a (%s)", ml_attr_reason(&k->a[ML_KSM_RUN]));
	fprintf(f, "; %s full scans, %s pages per scan every %s ms",
		attr_text(b1, sizeof b1, &k->a[ML_KSM_FULL_SCANS], ML_ATTR_U64),
		attr_text(b2, sizeof b2, &k->a[ML_KSM_PAGES_TO_SCAN], ML_ATTR_U64),
		attr_text(b1 + 48, 48, &k->a[ML_KSM_SLEEP_MILLISECS], ML_ATTR_U64));
	if (ml_attr_ok(&k->a[ML_KSM_MERGE_ACROSS_NODES]))
		fprintf(f, "; merges across nodes: %s",
			k->a[ML_KSM_MERGE_ACROSS_NODES].flag ? "yes" : "no");
	fclose(f);
	line(o, "state", text);
	free(text);

	text = NULL;
	f = open_memstream(&text, &len);
	if (h->ps.bytes == 0) {
		fprintf(f, "pages shared %s, sharing %s (the page size is unknown)",
			attr_text(b1, sizeof b1, &k->a[ML_KSM_PAGES_SHARED], ML_ATTR_U64),
			attr_text(b2, sizeof b2, &k->a[ML_KSM_PAGES_SHARING], ML_ATTR_U64));
	} else {
		fprintf(f, "shared %s, saved %s (sharing), unshared %s, volatile %s",
			v->shared.known ? SZ(v->shared.v) : "n/a",
			v->sharing.known ? SZ(v->sharing.v) : "n/a",
			v->unshared.known ? SZ(v->unshared.v) : "n/a",
			v->volatile_.known ? SZ(v->volatile_.v) : "n/a");
		if (v->zero_pages.known)
			fprintf(f, ", zero pages %s", SZ(v->zero_pages.v));
	}
	if (v->ratio_known)
		fprintf(f, "; %.1f mappings per shared page", v->sharing_per_shared);
	if (v->profit_known) {
		char sb[32];

		fprintf(f, "; profit %s", text_ssize(sb, sizeof sb, v->profit, &o->units));
	}
	fclose(f);
	line(o, "memory", text);
	free(text);

	text = NULL;
	f = open_memstream(&text, &len);
	if (!ksm_has_run(k)) {
		fputs("none: KSM has not run since boot", f);
	} else if (!h->ksm_procs_read) {
		fprintf(f, "n/a (%s)", h->pt_why != NULL ? h->pt_why : "processes not read");
	} else if (h->ksm_stat_missing) {
		fputs("n/a (no PID/ksm_stat: it appeared in 6.1)", f);
	} else {
		long lim = top_limit(ctx);
		size_t n = lim <= 0 || (size_t)lim > h->nkp ? h->nkp : (size_t)lim;

		if (n == 0)
			fputs("no readable process has merged pages", f);
		for (i = 0; i < n; i++) {
			const struct ksm_proc *p = &h->kp[i];
			char nb[48], sb[32];

			fprintf(f, "%s%d%c%s%c", i ? ", " : "", p->pid, TEXT_NBSP, p->comm,
				TEXT_NBSP);
			if (ml_ksm_stat_has(&p->st, ML_KSTAT_MERGING_PAGES) && h->ps.bytes != 0 &&
			    p->st.val[ML_KSTAT_MERGING_PAGES] >= 0)
				fprintf(f, "%s%cmerged",
					text_nobreak(
						nb, sizeof nb,
						SZ((uint64_t)p->st.val[ML_KSTAT_MERGING_PAGES] *
						   h->ps.bytes)),
					TEXT_NBSP);
			else if (ml_ksm_stat_has(&p->st, ML_KSTAT_MERGING_PAGES))
				fprintf(f, "%lld%cpages%cmerged",
					(long long)p->st.val[ML_KSTAT_MERGING_PAGES], TEXT_NBSP,
					TEXT_NBSP);
			else
				fprintf(f, "%lld%crmap%citems",
					(long long)p->st.val[ML_KSTAT_RMAP_ITEMS], TEXT_NBSP,
					TEXT_NBSP);
			if (ml_ksm_stat_has(&p->st, ML_KSTAT_PROCESS_PROFIT))
				fprintf(f, "%c(profit%c%s)", TEXT_NBSP, TEXT_NBSP,
					text_nobreak(nb, sizeof nb,
						     text_ssize(sb, sizeof sb,
								p->st.val[ML_KSTAT_PROCESS_PROFIT],
								&o->units)));
		}
		if (h->ksm_unread > 0)
			fprintf(f, " (%zu process%s not read%s)", h->ksm_unread,
				h->ksm_unread == 1 ? "" : "es",
				h->ksm_denied == h->ksm_unread ? ": permission denied, run as root"
							       : "");
	}
	fclose(f);
	line(o, "processes", text);
	free(text);
	if (h->vs_ok && h->ksm_events.n > 0)
		events_text(o, "events", &h->ksm_events, false);
}

static void
zswap_text(const struct ml_ctx *ctx, const struct huge_cmd *h)
{
	const struct text_out *o = &ctx->text;
	const struct ml_zswap_params *z = &h->zswap;
	char b1[96], b2[96], b3[96], b4[96], *text = NULL;
	size_t len = 0;
	double ratio;
	FILE *f;

	text_printf(o, TS_HEADER, "\nzswap");
	text_printf(o, TS_DIM, " (a compressed cache in RAM in front of the swap device)\n");
	if (!h->sys.ok) {
		line(o, "settings", h->sys.why);
	} else if (!z->present) {
		line(o, "settings",
		     z->dir_err == ENOENT ? "n/a (no module/zswap: a kernel without zswap)"
					  : strerror(z->dir_err));
	} else {
		f = open_memstream(&text, &len);
		fprintf(f, "enabled%c%s, compressor%c%s", TEXT_NBSP,
			attr_text(b1, sizeof b1, &z->a[ML_ZSWAP_ENABLED], ML_ATTR_FLAG), TEXT_NBSP,
			attr_text(b2, sizeof b2, &z->a[ML_ZSWAP_COMPRESSOR], ML_ATTR_WORD));
		if (z->a[ML_ZSWAP_ZPOOL].state != ML_ATTR_ABSENT)
			fprintf(f, ", zpool%c%s", TEXT_NBSP,
				attr_text(b3, sizeof b3, &z->a[ML_ZSWAP_ZPOOL], ML_ATTR_WORD));
		fprintf(f, ", pool at most %s%% of RAM",
			attr_text(b4, sizeof b4, &z->a[ML_ZSWAP_MAX_POOL_PERCENT], ML_ATTR_U64));
		/* the shrinker switch appeared in 6.8 */
		if (z->a[ML_ZSWAP_SHRINKER_ENABLED].state != ML_ATTR_ABSENT)
			fprintf(f, ", shrinker%c%s", TEXT_NBSP,
				attr_text(b1, sizeof b1, &z->a[ML_ZSWAP_SHRINKER_ENABLED],
					  ML_ATTR_FLAG));
		fclose(f);
		line(o, "settings", text);
		free(text);
	}
	text = NULL;
	f = open_memstream(&text, &len);
	if (!h->mi_ok || !ml_meminfo_has(&h->mi, ML_MI_ZSWAP)) {
		fputs("n/a (no Zswap line in meminfo: before 5.19, or without zswap)", f);
	} else {
		uint64_t pool = h->mi.val[ML_MI_ZSWAP];

		fprintf(f, "pool %s", SZ(pool));
		if (ml_meminfo_has(&h->mi, ML_MI_ZSWAPPED)) {
			uint64_t held = h->mi.val[ML_MI_ZSWAPPED];

			fprintf(f, " holds %s", SZ(held));
			if (ml_compression_ratio(held, pool, &ratio))
				fprintf(f, " (%.2fx)", ratio);
		}
		fputs(" (meminfo Zswap, Zswapped)", f);
	}
	fclose(f);
	line(o, "memory", text);
	free(text);
	if (h->vs_ok && h->zswap_events.n > 0)
		events_text(o, "events", &h->zswap_events, true);
}

static void
zram_text(const struct ml_ctx *ctx, const struct huge_cmd *h)
{
	const struct text_out *o = &ctx->text;
	const struct ml_zram *z = &h->zram;
	struct ml_zram_sum sum;
	struct text_table *t;
	double ratio;
	size_t i;

	text_printf(o, TS_HEADER, "\nzram");
	text_printf(o, TS_DIM, " (compressed RAM block devices, usually swap)\n");
	if (!h->sys.ok) {
		line(o, "devices", h->sys.why);
		return;
	}
	if (!z->listed) {
		line(o, "devices",
		     z->list_err == ENOENT ? "n/a (no block/ directory)" : strerror(z->list_err));
		return;
	}
	if (z->n == 0) {
		line(o, "devices", "none");
		return;
	}
	t = text_table_new(8);
	text_table_col(t, 0, "device", TA_LEFT);
	text_table_col(t, 1, "disksize", TA_RIGHT);
	text_table_col(t, 2, "stored", TA_RIGHT);
	text_table_col(t, 3, "compressed", TA_RIGHT);
	text_table_col(t, 4, "RAM used", TA_RIGHT);
	text_table_col(t, 5, "ratio", TA_RIGHT);
	text_table_col(t, 6, "algorithm", TA_LEFT);
	text_table_col(t, 7, "", TA_LEFT);
	for (i = 0; i < z->n; i++) {
		const struct ml_zram_dev *d = &z->dev[i];

		text_table_row(t, TS_NONE);
		text_table_cell(t, "%s", d->name);
		text_table_cell(t, "%s", ml_attr_ok(&d->disksize) ? SZ(d->disksize.u) : "n/a");
		if (d->mm_state == ML_ATTR_OK) {
			text_table_cell(t, "%s", SZ(d->mm.v[ML_ZR_ORIG_DATA_SIZE]));
			text_table_cell(t, "%s", SZ(d->mm.v[ML_ZR_COMPR_DATA_SIZE]));
			text_table_cell(t, "%s", SZ(d->mm.v[ML_ZR_MEM_USED_TOTAL]));
			if (ml_compression_ratio(d->mm.v[ML_ZR_ORIG_DATA_SIZE],
						 d->mm.v[ML_ZR_MEM_USED_TOTAL], &ratio))
				text_table_cell(t, "%.2fx", ratio);
			else
				text_table_cell(t, "-");
		} else {
			text_table_cell(t, "n/a");
			text_table_cell(t, "n/a");
			text_table_cell(t, "n/a");
			text_table_cell(t, "n/a");
		}
		text_table_cell(t, "%s",
				ml_attr_ok(&d->comp_algorithm) ? d->comp_algorithm.word : "n/a");
		if (d->mm_state != ML_ATTR_OK)
			text_table_cell_styled(
				t, TS_WARN, "mm_stat: %s",
				d->mm_state == ML_ATTR_BAD ? (d->mm_why ? d->mm_why : "bad")
				: d->mm_state == ML_ATTR_ABSENT
					? "not present (before 4.2)"
					: (d->mm_err == EACCES ? "permission denied"
							       : strerror(d->mm_err)));
		else if (ml_attr_ok(&d->initstate) && !d->initstate.flag)
			text_table_cell_styled(t, TS_DIM, "not initialised");
		else if (d->mm.ncols >= ML_ZR_HUGE_PAGES + 1 && d->mm.v[ML_ZR_HUGE_PAGES] > 0)
			text_table_cell_styled(t, TS_DIM, "%llu incompressible pages",
					       (unsigned long long)d->mm.v[ML_ZR_HUGE_PAGES]);
		else
			text_table_cell(t, "%s", "");
	}
	ml_zram_sum(&sum, z);
	if (z->n > 1) {
		text_table_row(t, TS_BOLD);
		text_table_cell(t, "all");
		text_table_cell(t, "%s", "");
		text_table_cell(t, "%s", SZ(sum.orig));
		text_table_cell(t, "%s", SZ(sum.compr));
		text_table_cell(t, "%s", sum.read == sum.devices ? SZ(sum.mem_used) : "n/a");
		if (ml_compression_ratio(sum.orig, sum.mem_used, &ratio))
			text_table_cell(t, "%.2fx", ratio);
		else
			text_table_cell(t, "-");
		text_table_cell(t, "%s", "");
		text_table_cell(t, "%s", "");
	}
	text_table_print(t, o, 2);
	text_table_free(t);
	if (sum.read == sum.devices)
		text_printf(o, TS_DIM,
			    "  zram's RAM (%s) has no meminfo counter: memlens summary names it\n",
			    SZ(sum.mem_used));
}

static void
huge_text(struct ml_ctx *ctx, struct huge_cmd *h)
{
	const struct text_out *o = &ctx->text;

	cmd_text_header(ctx, &h->si, "memlens huge");
	if (strcmp(ctx->sys_root, "/sys") != 0)
		text_printf(o, TS_DIM, "sysfs read from %s\n", ctx->sys_root);
	if (o->units.mode != ML_UNITS_HUMAN)
		text_printf(o, TS_DIM, "(sizes in %s)\n", text_unit_name(&o->units));
	hugetlb_text(ctx, h);
	thp_text(ctx, h);
	ksm_text(ctx, h);
	zswap_text(ctx, h);
	zram_text(ctx, h);
}

/* ------------------------------------------------------------ JSON */

/* Every attribute of a table as key: value (null when not read); problems to unavail. */
static void
json_attrs(struct json_node *o, const struct ml_attr_def *defs, const struct ml_attr *a, size_t n,
	   struct json_node *unavail, const char *dir)
{
	struct json_node *c, *arr, *row;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!ml_attr_ok(&a[i])) {
			json_add_null(o, defs[i].name);
			if (a[i].state != ML_ATTR_ABSENT && unavail != NULL) {
				char src[192];

				snprintf(src, sizeof src, "%s/%s", dir, defs[i].name);
				row = json_array_add_object(unavail);
				json_add_string(row, "source", src);
				json_add_string(row, "why", ml_attr_reason(&a[i]));
			}
			continue;
		}
		switch (defs[i].kind) {
		case ML_ATTR_U64:
			json_add_u64(o, defs[i].name, a[i].u);
			break;
		case ML_ATTR_I64:
			json_add_i64(o, defs[i].name, a[i].i);
			break;
		case ML_ATTR_FLAG:
			json_add_bool(o, defs[i].name, a[i].flag);
			break;
		case ML_ATTR_WORD:
			json_add_string(o, defs[i].name, a[i].word);
			break;
		case ML_ATTR_CHOICE: {
			const char *p = a[i].choices, *sp;

			c = json_add_object(o, defs[i].name);
			json_add_string(c, "value", a[i].word);
			arr = json_add_array(c, "choices");
			while (*p != '\0') {
				sp = strchr(p, ' ');
				json_array_add_stringn(arr, p, sp ? (size_t)(sp - p) : strlen(p));
				p = sp ? sp + 1 : p + strlen(p);
			}
			break;
		}
		}
	}
}

static void
json_events(struct json_node *o, const char *key, const struct ml_counter_set *s, bool ok)
{
	struct json_node *e = json_add_object(o, key), *c;
	size_t i;
	double r;

	if (!ok) {
		json_add_null(e, "period");
		return;
	}
	json_add_string(e, "period", ml_counter_set_has_rates(s) ? "interval" : "since_boot");
	c = json_add_object(e, "counters");
	for (i = 0; i < s->n; i++)
		json_add_u64(c, s->c[i].name, s->c[i].value);
	if (ml_counter_set_has_rates(s)) {
		json_add_double(e, "seconds", s->seconds);
		c = json_add_object(e, "per_second");
		for (i = 0; i < s->n; i++) {
			if (ml_counter_rate(s, &s->c[i], &r))
				json_add_double(c, s->c[i].name, r);
			else
				json_add_null(c, s->c[i].name);
		}
	}
}

static void
json_meminfo_opt(struct json_node *o, const struct huge_cmd *h, const char *key, enum ml_mi_key k)
{
	if (h->mi_ok && ml_meminfo_has(&h->mi, k))
		json_add_u64(o, key, h->mi.val[k]);
	else
		json_add_null(o, key);
}

static void
json_why(struct json_node *o, bool available, const char *why)
{
	json_add_bool(o, "available", available);
	if (!available)
		json_add_string(o, "why", why);
}

static void
json_hugetlb(struct json_node *doc, const struct huge_cmd *h, struct json_node *unavail)
{
	struct json_node *o = json_add_object(doc, "hugetlb"), *arr, *row, *nodes, *nrow;
	const struct ml_hugetlb *hp = &h->hugetlb;
	struct ml_opt b;
	size_t i, j;

	json_why(o, h->sys.ok && hp->listed,
		 !h->sys.ok               ? h->sys.why
		 : hp->list_err == ENOENT ? "no kernel/mm/hugepages: a kernel without hugetlb"
					  : strerror(hp->list_err));
	json_meminfo_opt(o, h, "default_page_size", ML_MI_HUGEPAGESIZE);
	json_meminfo_opt(o, h, "meminfo_hugetlb", ML_MI_HUGETLB);
	b = ml_hugetlb_total_bytes(hp);
	if (b.known)
		json_add_u64(o, "total", b.v);
	else
		json_add_null(o, "total");
	arr = json_add_array(o, "sizes");
	for (i = 0; i < hp->nsizes; i++) {
		const struct ml_hugetlb_size *s = &hp->size[i];
		char dir[96];

		row = json_array_add_object(arr);
		json_add_u64(row, "page_size", s->size_kb * 1024);
		snprintf(dir, sizeof dir, ML_HUGETLB_DIR "/%s", s->dir);
		json_attrs(row, ml_hugetlb_attrs, s->a, ML_HP__COUNT, unavail, dir);
		b = ml_hugetlb_size_bytes(s);
		if (b.known)
			json_add_u64(row, "pool", b.v);
		else
			json_add_null(row, "pool");
		nodes = json_add_array(row, "nodes");
		for (j = 0; j < s->nnodes; j++) {
			nrow = json_array_add_object(nodes);
			json_add_i64(nrow, "node", s->node[j].node);
			snprintf(dir, sizeof dir, ML_NODE_DIR "/node%d/hugepages/%s",
				 s->node[j].node, s->dir);
			json_attrs(nrow, ml_hugetlb_node_attrs, s->node[j].a, ML_HPN__COUNT,
				   unavail, dir);
		}
	}
}

static void
json_thp(struct json_node *doc, struct ml_ctx *ctx, const struct huge_cmd *h,
	 struct json_node *unavail)
{
	struct json_node *o = json_add_object(doc, "thp"), *c, *arr, *row;
	const struct ml_thp *t = &h->thp;
	size_t i;

	json_why(o, h->sys.ok && t->present,
		 !h->sys.ok             ? h->sys.why
		 : t->dir_err == ENOENT ? "no kernel/mm/transparent_hugepage: a kernel without THP"
					: strerror(t->dir_err));
	c = json_add_object(o, "settings");
	json_attrs(c, ml_thp_attrs, t->a, ML_THP__COUNT, t->present ? unavail : NULL, ML_THP_DIR);
	c = json_add_object(o, "khugepaged");
	json_attrs(c, ml_khugepaged_attrs, t->k, ML_KHP__COUNT, t->present ? unavail : NULL,
		   ML_THP_DIR "/khugepaged");
	arr = json_add_array(o, "sizes");
	for (i = 0; i < t->nsizes; i++) {
		static const struct ml_attr_def choice[2] = { { "enabled", ML_ATTR_CHOICE },
							      { "shmem_enabled", ML_ATTR_CHOICE } };
		struct ml_attr two[2];

		row = json_array_add_object(arr);
		json_add_u64(row, "page_size", t->size[i].size_kb * 1024);
		two[0] = t->size[i].enabled;
		two[1] = t->size[i].shmem_enabled;
		json_attrs(row, choice, two, 2, NULL, NULL);
		c = json_add_object(row, "stats");
		json_attrs(c, ml_mthp_stats, t->size[i].stat, ML_MTHP__COUNT, NULL, NULL);
	}
	c = json_add_object(o, "meminfo");
	json_meminfo_opt(c, h, "AnonHugePages", ML_MI_ANON_HUGE_PAGES);
	json_meminfo_opt(c, h, "ShmemHugePages", ML_MI_SHMEM_HUGE_PAGES);
	json_meminfo_opt(c, h, "ShmemPmdMapped", ML_MI_SHMEM_PMD_MAPPED);
	json_meminfo_opt(c, h, "FileHugePages", ML_MI_FILE_HUGE_PAGES);
	json_meminfo_opt(c, h, "FilePmdMapped", ML_MI_FILE_PMD_MAPPED);
	json_events(o, "events", &h->thp_events, h->vs_ok);
	if (h->thp_procs_read) {
		struct ml_proc *top[64];
		long k = top_limit(ctx);
		size_t n;

		if (k <= 0 || k > (long)ML_ARRAY_SIZE(top))
			k = ML_ARRAY_SIZE(top);
		n = ml_procs_top_thp(h->pt.rows, h->pt.n, top, (size_t)k);
		c = json_add_object(o, "processes");
		arr = json_add_array(c, "top");
		for (i = 0; i < n; i++) {
			row = json_array_add_object(arr);
			json_add_i64(row, "pid", top[i]->pid);
			json_add_string(row, "command", top[i]->comm);
			json_add_u64(row, "AnonHugePages", top[i]->val[ML_SM_ANON_HUGE_PAGES]);
		}
		json_add_u64(c, "not_read", h->thp_unread);
		json_add_u64(c, "permission_denied", h->thp_denied);
	} else {
		json_add_null(o, "processes");
		json_add_string(o, "processes_why",
				h->mi_ok && ml_meminfo_get(&h->mi, ML_MI_ANON_HUGE_PAGES) == 0
					? "no anonymous huge pages in use"
				: h->pt_why != NULL ? h->pt_why
						    : "not read");
	}
}

static void
json_ksm(struct json_node *doc, struct ml_ctx *ctx, const struct huge_cmd *h,
	 struct json_node *unavail)
{
	struct json_node *o = json_add_object(doc, "ksm"), *c, *arr, *row;
	const struct ml_ksm_view *v = &h->kv;
	size_t i, n;
	long lim;
	int k;

	json_why(o, h->sys.ok && h->ksm.present,
		 !h->sys.ok                 ? h->sys.why
		 : h->ksm.dir_err == ENOENT ? "no kernel/mm/ksm: a kernel without KSM"
					    : strerror(h->ksm.dir_err));
	c = json_add_object(o, "sysfs");
	json_attrs(c, ml_ksm_attrs, h->ksm.a, ML_KSM__COUNT, h->ksm.present ? unavail : NULL,
		   ML_KSM_DIR);
	json_add_string(o, "state", v->run.known ? ml_ksm_run_word(v->run.v) : NULL);
	c = json_add_object(o, "bytes");
#define OPT(key, x)                                  \
	do {                                         \
		if ((x).known)                       \
			json_add_u64(c, key, (x).v); \
		else                                 \
			json_add_null(c, key);       \
	} while (0)
	OPT("shared", v->shared);
	OPT("sharing", v->sharing);
	OPT("unshared", v->unshared);
	OPT("volatile", v->volatile_);
	OPT("zero_pages", v->zero_pages);
#undef OPT
	if (v->profit_known)
		json_add_i64(o, "profit", v->profit);
	else
		json_add_null(o, "profit");
	if (h->ksm_procs_read && !h->ksm_stat_missing) {
		c = json_add_object(o, "processes");
		arr = json_add_array(c, "top");
		lim = top_limit(ctx);
		n = lim <= 0 || (size_t)lim > h->nkp ? h->nkp : (size_t)lim;
		for (i = 0; i < n; i++) {
			static const char *const keys[ML_KSTAT__COUNT] = {
				"ksm_rmap_items",     "ksm_zero_pages", "ksm_merging_pages",
				"ksm_process_profit", "ksm_merge_any",  "ksm_mergeable",
			};

			row = json_array_add_object(arr);
			json_add_i64(row, "pid", h->kp[i].pid);
			json_add_string(row, "command", h->kp[i].comm);
			for (k = 0; k < ML_KSTAT__COUNT; k++) {
				if (!ml_ksm_stat_has(&h->kp[i].st, (enum ml_kstat_key)k))
					json_add_null(row, keys[k]);
				else if (k == ML_KSTAT_MERGE_ANY || k == ML_KSTAT_MERGEABLE)
					json_add_bool(row, keys[k], h->kp[i].st.val[k] != 0);
				else
					json_add_i64(row, keys[k], h->kp[i].st.val[k]);
			}
		}
		json_add_u64(c, "not_read", h->ksm_unread);
		json_add_u64(c, "permission_denied", h->ksm_denied);
	} else {
		json_add_null(o, "processes");
		json_add_string(o, "processes_why",
				!h->ksm.present         ? "no KSM"
				: !ksm_has_run(&h->ksm) ? "KSM has not run since boot"
				: h->ksm_stat_missing   ? "no PID/ksm_stat (before 6.1)"
				: h->pt_why != NULL     ? h->pt_why
							: "not read");
	}
	json_events(o, "events", &h->ksm_events, h->vs_ok);
}

static void
json_zswap(struct json_node *doc, const struct huge_cmd *h, struct json_node *unavail)
{
	struct json_node *o = json_add_object(doc, "zswap"), *c;

	json_why(o, h->sys.ok && h->zswap.present,
		 !h->sys.ok                   ? h->sys.why
		 : h->zswap.dir_err == ENOENT ? "no module/zswap: a kernel without zswap"
					      : strerror(h->zswap.dir_err));
	c = json_add_object(o, "parameters");
	json_attrs(c, ml_zswap_attrs, h->zswap.a, ML_ZSWAP__COUNT,
		   h->zswap.present ? unavail : NULL, ML_ZSWAP_DIR);
	json_meminfo_opt(o, h, "pool", ML_MI_ZSWAP);
	json_meminfo_opt(o, h, "stored", ML_MI_ZSWAPPED);
	json_events(o, "events", &h->zswap_events, h->vs_ok);
}

static void
json_zram(struct json_node *doc, const struct huge_cmd *h, struct json_node *unavail)
{
	struct json_node *o = json_add_object(doc, "zram"), *arr, *row, *mm;
	const struct ml_zram *z = &h->zram;
	struct ml_zram_sum sum;
	struct ml_opt mem;
	size_t i;
	uint32_t c;

	json_why(o, h->sys.ok && z->listed, !h->sys.ok ? h->sys.why : strerror(z->list_err));
	arr = json_add_array(o, "devices");
	for (i = 0; i < z->n; i++) {
		const struct ml_zram_dev *d = &z->dev[i];

		row = json_array_add_object(arr);
		json_add_string(row, "name", d->name);
		if (ml_attr_ok(&d->disksize))
			json_add_u64(row, "disksize", d->disksize.u);
		else
			json_add_null(row, "disksize");
		if (ml_attr_ok(&d->initstate))
			json_add_bool(row, "initialised", d->initstate.flag);
		else
			json_add_null(row, "initialised");
		json_add_string(row, "comp_algorithm",
				ml_attr_ok(&d->comp_algorithm) ? d->comp_algorithm.word : NULL);
		if (d->mm_state == ML_ATTR_OK) {
			mm = json_add_object(row, "mm_stat");
			for (c = 0; c < ML_ZR__COUNT; c++) {
				if (c < d->mm.ncols)
					json_add_u64(mm, ml_zram_col_name(c), d->mm.v[c]);
				else
					json_add_null(mm, ml_zram_col_name(c));
			}
		} else {
			char src[64];

			json_add_null(row, "mm_stat");
			snprintf(src, sizeof src, "block/%s/mm_stat", d->name);
			row = json_array_add_object(unavail);
			json_add_string(row, "source", src);
			json_add_string(row, "why",
					d->mm_state == ML_ATTR_BAD ? (d->mm_why ? d->mm_why : "bad")
					: d->mm_state == ML_ATTR_ABSENT ? "not present"
									: strerror(d->mm_err));
		}
	}
	ml_zram_sum(&sum, z);
	mem = ml_zram_memory(z);
	if (mem.known)
		json_add_u64(o, "mem_used_total", mem.v);
	else
		json_add_null(o, "mem_used_total");
	json_add_u64(o, "orig_data_size", sum.orig);
	json_add_u64(o, "compr_data_size", sum.compr);
}

static int
huge_json(struct ml_ctx *ctx, struct huge_cmd *h)
{
	struct json_node *doc = json_doc_new("huge", &h->si), *errs, *unavail, *o, *row;
	size_t i;

	json_add_string(doc, "sys_root", ctx->sys_root);
	o = json_add_object(doc, "page_size");
	if (h->ps.bytes != 0)
		json_add_u64(o, "bytes", h->ps.bytes);
	else
		json_add_null(o, "bytes");
	json_add_string(o, "source", ml_page_size_source_name(&h->ps));
	unavail = json_add_array(doc, "unavailable");
	json_hugetlb(doc, h, unavail);
	json_thp(doc, ctx, h, unavail);
	json_ksm(doc, ctx, h, unavail);
	json_zswap(doc, h, unavail);
	json_zram(doc, h, unavail);
	if (!h->sys.ok) {
		row = json_array_add_object(unavail);
		json_add_string(row, "source", "sysfs");
		json_add_string(row, "why", h->sys.why);
	}
	if (!h->mi_ok) {
		row = json_array_add_object(unavail);
		json_add_string(row, "source", "meminfo");
		json_add_string(row, "why", h->mi_why != NULL ? h->mi_why : "not read");
	}
	if (!h->vs_ok) {
		row = json_array_add_object(unavail);
		json_add_string(row, "source", "vmstat");
		json_add_string(row, "why", h->vs_why != NULL ? h->vs_why : "not read");
	}
	errs = json_add_array(doc, "parse_errors");
	if (h->mi_ok)
		cmd_json_bad_lines(errs, ctx, "meminfo", ml_reader_stats(&h->mi_reader));
	if (h->vs_ok)
		cmd_json_bad_lines(errs, ctx, "vmstat", ml_reader_stats(&h->vs_reader));
	for (i = 0; i < h->zram.n; i++) {
		char rel[64];

		snprintf(rel, sizeof rel, "block/%s/mm_stat", h->zram.dev[i].name);
		cmd_sysfs_json_bad_lines(errs, &h->sys, rel, &h->zram.dev[i].mm_stats);
	}
	return cmd_json_emit(ctx, doc);
}

/* ------------------------------------------------------------ the command */

static int
huge_once(struct ml_ctx *ctx, struct huge_cmd *h)
{
	size_t i;

	huge_refresh(ctx, h);
	if (h->mi_ok)
		cmd_warn_bad_lines(ctx, "meminfo", ml_reader_stats(&h->mi_reader));
	if (h->vs_ok)
		cmd_warn_bad_lines(ctx, "vmstat", ml_reader_stats(&h->vs_reader));
	for (i = 0; i < h->zram.n; i++) {
		char rel[64];

		snprintf(rel, sizeof rel, "block/%s/mm_stat", h->zram.dev[i].name);
		cmd_sysfs_warn_bad_lines(&h->sys, rel, &h->zram.dev[i].mm_stats);
	}
	if (ctx->json != ML_JSON_OFF)
		return huge_json(ctx, h);
	huge_text(ctx, h);
	return 0;
}

static int
cmd_huge_exec(struct ml_ctx *ctx, const struct ml_cmd_args *args)
{
	struct huge_cmd *h = ml_xcalloc(1, sizeof *h);
	char *cause = NULL;
	int rc = 0;

	(void)args;
	h->mi_reader.fd = h->vs_reader.fd = h->ks_reader.fd = -1;
	ml_meminfo_init(&h->mi);
	ml_vmstat_init(&h->vs);
	ml_hugetlb_init(&h->hugetlb);
	ml_thp_init(&h->thp);
	ml_zram_init(&h->zram);
	ml_counter_set_init(&h->thp_events);
	ml_counter_set_init(&h->zswap_events);
	ml_counter_set_init(&h->ksm_events);
	cmd_sysfs_open(ctx, &h->sys);
	if (h->sys.ok && ml_node_ids(&h->sys.fs, &h->node_ids, &h->nnodes, NULL) != 0) {
		h->node_ids = NULL;
		h->nnodes = 0;
	}
	if (ml_reader_open(&h->mi_reader, &ctx->fs, &ml_src_meminfo, NULL, &cause) != 0) {
		set_why(&h->mi_why, cause, errno);
		ml_reader_release(&h->mi_reader);
	}
	cause = NULL;
	if (ml_reader_open(&h->vs_reader, &ctx->fs, &ml_src_vmstat, NULL, &cause) != 0) {
		set_why(&h->vs_why, cause, errno);
		ml_reader_release(&h->vs_reader);
	}
	cause = NULL;
	if (h->mi_reader.fd < 0 && !h->sys.ok) {
		/* nothing at all to show */
		cmd_error("%s", h->mi_why != NULL ? h->mi_why : "cannot read meminfo");
		cmd_error("%s", h->sys.why);
		rc = 1;
		goto out;
	}
	ml_page_size_find(&h->ps, &ctx->fs);
	while (cmd_next_report(ctx)) {
		if ((rc = huge_once(ctx, h)) != 0)
			break;
	}
	/* What could not be read is said in the report; a missing sys root is a failure. */
	if (rc == 0 && !h->sys.ok) {
		cmd_error("%s", h->sys.why);
		rc = 1;
	}
out:
	ml_reader_release(&h->mi_reader);
	ml_reader_release(&h->vs_reader);
	ml_reader_release(&h->ks_reader);
	ml_meminfo_release(&h->mi);
	ml_vmstat_release(&h->vs);
	ml_hugetlb_release(&h->hugetlb);
	ml_thp_release(&h->thp);
	ml_zram_release(&h->zram);
	ml_counter_set_release(&h->thp_events);
	ml_counter_set_release(&h->zswap_events);
	ml_counter_set_release(&h->ksm_events);
	if (h->pt_init)
		ml_proctab_release(&h->pt);
	free(h->kp);
	free(h->node_ids);
	free(h->mi_why);
	free(h->vs_why);
	free(h->pt_why);
	ml_page_size_release(&h->ps);
	cmd_sysfs_close(&h->sys);
	free(h);
	return rc;
}

const struct ml_cmd_entry cmd_huge_entry = {
	.name = "huge",
	.summary = "hugetlb of every size, THP, KSM, zswap and zram",
	.help = "From sysfs (through --sys-root) and /proc: hugetlb pages of every page size\n"
		"(not only the default one meminfo shows), per node on a NUMA machine; "
		"transparent\n"
		"huge pages: the settings, what is in use, khugepaged, the thp_* events, and the\n"
		"processes with the most AnonHugePages (their smaps_rollup, read only when some\n"
		"are in use); KSM: its state, what is shared and saved, the profit, and the\n"
		"processes that merged the most (PID/ksm_stat, read once KSM has run); zswap:\n"
		"its settings, its pool against what it holds, its events; zram: each device's\n"
		"data, compressed size and RAM used. Events are since boot, per second with -i.\n"
		"The five largest processes are named; other users' processes need root, and\n"
		"what was not read is said, never shown as 0.",
	.max_args = 0,
	.flags = ML_CMD_REPEAT,
	.exec = cmd_huge_exec,
};

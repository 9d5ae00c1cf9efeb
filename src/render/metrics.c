/*
 * Metrics in the OpenMetrics and Prometheus 0.0.4 text formats; see
 * metrics.h and doc/metrics.md. Every value is read from a model struct as
 * the text and JSON reports read it; integers are written as integers (a
 * byte count is exact in a float64 up to 8 PiB), the kernel's thousandths
 * as decimals with three places, as debugfs prints them.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/cgroups.h"
#include "proc/hugepages.h"
#include "proc/pressure.h"
#include "proc/zram.h"
#include "render/metrics.h"

enum family_type {
	FT_GAUGE,
	FT_COUNTER, /* samples end in _total; OpenMetrics names the family without it */
};

struct writer;
struct family;

typedef void (*emit_fn)(struct writer *w, const struct ml_metrics_input *in);

struct family {
	const char *name; /* the sample name */
	enum family_type type;
	const char *unit; /* OpenMetrics UNIT, a suffix of the name; NULL when none */
	const char *help; /* no backslash, no newline */
	emit_fn emit;
};

struct writer {
	FILE *f;
	const struct ml_metrics_options *opt;
	const struct family *fam;
	bool header_done;
	int err; /* errno of a failure met while emitting */
};

struct label {
	const char *name;
	const char *value;
};

/* ------------------------------------------------------------ escaping */

/* Length of the valid UTF-8 sequence at s (Go's utf8.Valid rules), 0 when invalid. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xBF;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0; /* overlong */
		else if (c == 0xED)
			hi = 0x9F; /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90; /* overlong */
		else if (c == 0xF4)
			hi = 0x8F; /* above U+10FFFF */
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return len;
}

void
ml_metrics_write_label_value(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k;

	while (i < n) {
		switch (s[i]) {
		case '\\':
			/* doubled in the value, each escaped on the wire */
			fputs("\\\\\\\\", f);
			i++;
			continue;
		case '"':
			fputs("\\\"", f);
			i++;
			continue;
		case '\n':
			fputs("\\n", f);
			i++;
			continue;
		default:
			break;
		}
		k = utf8_seq(s + i, n - i);
		if (k == 0) {
			/* the value's "\xNN": its backslash escaped on the wire */
			fprintf(f, "\\\\x%02x", s[i]);
			i++;
			continue;
		}
		fwrite(s + i, 1, k, f);
		i += k;
	}
}

/* ------------------------------------------------------------ writing */

/* The family name of the descriptor lines: OpenMetrics drops a counter's _total. */
static void
write_family_name(struct writer *w)
{
	const char *name = w->fam->name;
	size_t n = strlen(name);

	if (w->opt->format == ML_METRICS_OPENMETRICS && w->fam->type == FT_COUNTER && n > 6 &&
	    strcmp(name + n - 6, "_total") == 0)
		n -= 6;
	fwrite(name, 1, n, w->f);
}

static void
write_header(struct writer *w)
{
	fputs("# HELP ", w->f);
	write_family_name(w);
	fprintf(w->f, " %s\n# TYPE ", w->fam->help);
	write_family_name(w);
	fputs(w->fam->type == FT_COUNTER ? " counter\n" : " gauge\n", w->f);
	if (w->fam->unit != NULL && w->opt->format == ML_METRICS_OPENMETRICS) {
		fputs("# UNIT ", w->f);
		write_family_name(w);
		fprintf(w->f, " %s\n", w->fam->unit);
	}
	w->header_done = true;
}

/* The name and labels of a sample, up to the space before its value. */
static void
sample_start(struct writer *w, const struct label *l, size_t nl)
{
	size_t i;

	if (!w->header_done)
		write_header(w);
	fputs(w->fam->name, w->f);
	if (nl == 0) {
		fputc(' ', w->f);
		return;
	}
	fputc('{', w->f);
	for (i = 0; i < nl; i++) {
		fprintf(w->f, "%s%s=\"", i > 0 ? "," : "", l[i].name);
		ml_metrics_write_label_value(w->f, l[i].value, strlen(l[i].value));
		fputc('"', w->f);
	}
	fputs("} ", w->f);
}

static void
emit_u64(struct writer *w, const struct label *l, size_t nl, uint64_t v)
{
	sample_start(w, l, nl);
	fprintf(w->f, "%llu\n", (unsigned long long)v);
}

static void
emit_i64(struct writer *w, const struct label *l, size_t nl, int64_t v)
{
	sample_start(w, l, nl);
	fprintf(w->f, "%lld\n", (long long)v);
}

/* A value in thousandths, written as the kernel's debugfs writes it: -0.500, 0.123. */
static void
emit_milli(struct writer *w, const struct label *l, size_t nl, int thousandths)
{
	int a = thousandths < 0 ? -thousandths : thousandths;

	sample_start(w, l, nl);
	fprintf(w->f, "%s%d.%03d\n", thousandths < 0 ? "-" : "", a / 1000, a % 1000);
}

static void
emit_seconds(struct writer *w, const struct label *l, size_t nl, double v)
{
	sample_start(w, l, nl);
	fprintf(w->f, "%.6f\n", v);
}

static uint64_t
add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* ------------------------------------------------------------ memory parts */

static void
emit_memory_parts(struct writer *w, const struct ml_metrics_input *in)
{
	const struct ml_accounting *a = in->acct;
	struct label l[1] = { { "part", NULL } };
	int p;

	if (a == NULL)
		return;
	for (p = 0; p < ML_ACCT__COUNT; p++) {
		/* An absent part is in unaccounted: the known parts still sum to MemTotal. */
		if (a->part[p].state != ML_ACCT_KNOWN)
			continue;
		l[0].value = ml_acct_part_name((enum ml_acct_part)p);
		if (p == ML_ACCT_UNACCOUNTED)
			emit_i64(w, l, 1, a->unaccounted);
		else
			emit_u64(w, l, 1, a->part[p].bytes);
	}
}

/* ------------------------------------------------------------ slab */

enum slab_measure { SM_BYTES, SM_ACTIVE, SM_WASTE };

static const char *
reclaim_word(uint8_t r)
{
	switch (r) {
	case ML_SLAB_RECLAIM_YES:
		return "yes";
	case ML_SLAB_RECLAIM_NO:
		return "no";
	default:
		return "unknown";
	}
}

/* A cache folded into "(other)": below --min, or named like the bucket itself. */
static bool
slab_folded(const struct ml_slab_view *v, const struct ml_slab_row *r, uint64_t min)
{
	if (strcmp(r->cache->name, "(other)") == 0)
		return true;
	return (v->has_bytes ? r->bytes : r->used) < min;
}

static void
emit_slab(struct writer *w, const struct ml_metrics_input *in, enum slab_measure m)
{
	const struct ml_slab_view *v = in->slab;
	uint64_t other[3] = { 0, 0, 0 };
	bool any_other[3] = { false, false, false };
	struct label l[3] = { { "cache", NULL }, { "reclaimable", NULL }, { "ordinal", NULL } };
	char ordinal[16];
	uint32_t i;
	int k;

	if (v == NULL || (m != SM_ACTIVE && !v->has_bytes))
		return;
	for (i = 0; i < v->n; i++) {
		const struct ml_slab_row *r = &v->rows[i];
		uint64_t val = m == SM_BYTES ? r->bytes : m == SM_ACTIVE ? r->used : r->waste;
		uint8_t rc = r->cache->reclaim <= ML_SLAB_RECLAIM_YES ? r->cache->reclaim : 0;

		if (slab_folded(v, r, w->opt->min_bytes)) {
			other[rc] = add_sat(other[rc], val);
			/* empty caches (their flag is never looked up) make no bucket */
			if (r->pages > 0 || r->used > 0)
				any_other[rc] = true;
			continue;
		}
		l[0].value = r->cache->name;
		l[1].value = reclaim_word(rc);
		/* A second cache of the same name (node_exporter issue 3506) gets its ordinal. */
		if (r->cache->dup > 0) {
			snprintf(ordinal, sizeof ordinal, "%u", (unsigned int)r->cache->dup);
			l[2].value = ordinal;
		}
		emit_u64(w, l, r->cache->dup > 0 ? 3 : 2, val);
	}
	for (k = 0; k < 3; k++) {
		if (!any_other[k])
			continue;
		l[0].value = "(other)";
		l[1].value = reclaim_word((uint8_t)k);
		emit_u64(w, l, 2, other[k]);
	}
}

static void
emit_slab_bytes(struct writer *w, const struct ml_metrics_input *in)
{
	emit_slab(w, in, SM_BYTES);
}

static void
emit_slab_active(struct writer *w, const struct ml_metrics_input *in)
{
	emit_slab(w, in, SM_ACTIVE);
}

static void
emit_slab_waste(struct writer *w, const struct ml_metrics_input *in)
{
	emit_slab(w, in, SM_WASTE);
}

/* ------------------------------------------------------------ vmalloc */

static void
emit_vmalloc(struct writer *w, const struct ml_metrics_input *in, bool bytes)
{
	const struct ml_vmalloc *v = in->vmalloc;
	const struct ml_vm_group **g;
	struct label l[2] = { { "caller", NULL }, { "module", NULL } };
	uint64_t other = 0, b;
	bool any_other = false;
	size_t n, i;

	if (v == NULL || (bytes && !ml_vmalloc_bytes(v, 0, &b)))
		return;
	n = ml_vmalloc_ngroups(v, ML_VM_BY_CALLER);
	if (n == 0)
		return;
	g = calloc(n, sizeof *g);
	if (g == NULL) {
		w->err = ENOMEM;
		return;
	}
	n = ml_vmalloc_sorted(v, ML_VM_BY_CALLER, ML_VM_SORT_BYTES, false, g, n);
	for (i = 0; i < n; i++) {
		uint64_t val = g[i]->areas;

		if (!ml_vmalloc_bytes(v, g[i]->pages, &b))
			b = UINT64_MAX;
		if (bytes)
			val = b;
		/* The model's own overflow group is "(other)" too: one bucket. */
		if (b < w->opt->min_bytes || strcmp(g[i]->name, "(other)") == 0) {
			other = add_sat(other, val);
			any_other = true;
			continue;
		}
		l[0].value = g[i]->name;
		l[1].value = g[i]->module != NULL ? g[i]->module : "";
		emit_u64(w, l, 2, val);
	}
	if (any_other) {
		l[0].value = "(other)";
		l[1].value = "(other)";
		emit_u64(w, l, 2, other);
	}
	free(g);
}

static void
emit_vmalloc_bytes(struct writer *w, const struct ml_metrics_input *in)
{
	emit_vmalloc(w, in, true);
}

static void
emit_vmalloc_areas(struct writer *w, const struct ml_metrics_input *in)
{
	emit_vmalloc(w, in, false);
}

/* ------------------------------------------------------------ buddy */

enum buddy_measure { BM_BLOCKS, BM_UNUSABLE, BM_EXTFRAG };

static void
emit_buddy(struct writer *w, const struct ml_metrics_input *in, enum buddy_measure m)
{
	const struct ml_frag *f = in->frag;
	struct label l[3] = { { "node", NULL }, { "zone", NULL }, { "order", NULL } };
	char node[16], order[16];
	size_t z;
	unsigned int o;

	if (f == NULL)
		return;
	for (z = 0; z < f->nzones; z++) {
		const struct ml_frag_zone *fz = &f->zones[z];

		snprintf(node, sizeof node, "%d", fz->node);
		l[0].value = node;
		l[1].value = fz->name;
		for (o = 0; o < f->norders; o++) {
			const struct ml_frag_order *fo = &fz->order[o];

			snprintf(order, sizeof order, "%u", o);
			l[2].value = order;
			if (m == BM_BLOCKS)
				emit_u64(w, l, 3, fo->free_blocks);
			else if (!fz->overflow && fo->index_known)
				emit_milli(w, l, 3, m == BM_UNUSABLE ? fo->unusable : fo->extfrag);
		}
	}
}

static void
emit_buddy_blocks(struct writer *w, const struct ml_metrics_input *in)
{
	emit_buddy(w, in, BM_BLOCKS);
}

static void
emit_buddy_unusable(struct writer *w, const struct ml_metrics_input *in)
{
	emit_buddy(w, in, BM_UNUSABLE);
}

static void
emit_buddy_extfrag(struct writer *w, const struct ml_metrics_input *in)
{
	emit_buddy(w, in, BM_EXTFRAG);
}

static void
emit_buddy_largest(struct writer *w, const struct ml_metrics_input *in)
{
	const struct ml_frag *f = in->frag;
	struct label l[2] = { { "node", NULL }, { "zone", NULL } };
	char node[16];
	size_t z;

	if (f == NULL)
		return;
	for (z = 0; z < f->nzones; z++) {
		const struct ml_frag_zone *fz = &f->zones[z];

		if (!fz->bytes_known)
			continue;
		snprintf(node, sizeof node, "%d", fz->node);
		l[0].value = node;
		l[1].value = fz->name;
		emit_u64(w, l, 2,
			 fz->largest_order >= 0 ? fz->order[fz->largest_order].block_bytes : 0);
	}
}

/* ------------------------------------------------------------ zones */

static void
emit_zone_headroom(struct writer *w, const struct ml_metrics_input *in)
{
	const struct ml_watermarks *wm = in->wm;
	struct label l[3] = { { "node", NULL }, { "zone", NULL }, { "watermark", NULL } };
	char node[24];
	uint32_t i;

	if (wm == NULL)
		return;
	for (i = 0; i < wm->nzones; i++) {
		const struct ml_wm_zone *z = &wm->zones[i];
		int64_t promo;

		if (!z->headroom_known || !z->bytes_known)
			continue;
		snprintf(node, sizeof node, "%lld", (long long)z->node);
		l[0].value = node;
		l[1].value = z->name;
		l[2].value = "min";
		emit_i64(w, l, 3, z->to_min_bytes);
		l[2].value = "low";
		emit_i64(w, l, 3, z->to_low_bytes);
		l[2].value = "high";
		emit_i64(w, l, 3, z->to_high_bytes);
		/* promo (memory tiering, 6.x): the model keeps it in pages only */
		if (z->to_promo_known && wm->page_size > 0 &&
		    !__builtin_mul_overflow(z->to_promo_pages, (int64_t)wm->page_size, &promo)) {
			l[2].value = "promo";
			emit_i64(w, l, 3, promo);
		}
	}
}

/* ------------------------------------------------------------ pressure */

/*
 * The kernel's running averages of the share of time tasks stalled on
 * memory (doc/procfs.md section 17). Its totals are node_exporter's
 * node_pressure_memory_{waiting,stalled}_seconds_total: not copied.
 */
static void
emit_pressure(struct writer *w, const struct ml_metrics_input *in)
{
	struct label l[2] = { { "kind", NULL }, { "window", NULL } };
	const struct ml_psi_line *line[2];
	static const char *const kinds[2] = { "some", "full" };
	static const char *const windows[3] = { "10s", "60s", "300s" };
	uint32_t avg[3];
	size_t k, i;

	if (in->psi == NULL)
		return;
	line[0] = &in->psi->some;
	line[1] = &in->psi->full;
	for (k = 0; k < 2; k++) {
		if (!line[k]->present)
			continue;
		avg[0] = line[k]->avg10;
		avg[1] = line[k]->avg60;
		avg[2] = line[k]->avg300;
		l[0].value = kinds[k];
		for (i = 0; i < 3; i++) {
			l[1].value = windows[i];
			/* hundredths of a percent: ten-thousandths of the time */
			sample_start(w, l, 2);
			fprintf(w->f, "%u.%04u\n", avg[i] / 10000, avg[i] % 10000);
		}
	}
}

/* ------------------------------------------------------------ zram */

enum zram_measure { ZM_ORIG, ZM_COMPR, ZM_USED, ZM_LIMIT };

static void
emit_zram(struct writer *w, const struct ml_metrics_input *in, enum zram_measure m)
{
	struct label l[1] = { { "device", NULL } };
	size_t i;
	uint64_t v;

	if (in->zram == NULL)
		return;
	for (i = 0; i < in->zram->n; i++) {
		const struct ml_zram_dev *d = &in->zram->dev[i];

		/* a device whose mm_stat could not be read is left out, never 0 */
		if (d->mm_state != ML_ATTR_OK || !d->mm.present)
			continue;
		switch (m) {
		case ZM_ORIG:
			v = d->mm.v[ML_ZR_ORIG_DATA_SIZE];
			break;
		case ZM_COMPR:
			v = d->mm.v[ML_ZR_COMPR_DATA_SIZE];
			break;
		case ZM_USED:
			v = d->mm.v[ML_ZR_MEM_USED_TOTAL];
			break;
		default:
			/* 0 is "no limit", not a limit of 0 bytes */
			v = d->mm.v[ML_ZR_MEM_LIMIT];
			if (v == 0)
				continue;
			break;
		}
		l[0].value = d->name;
		emit_u64(w, l, 1, v);
	}
}

static void
emit_zram_orig(struct writer *w, const struct ml_metrics_input *in)
{
	emit_zram(w, in, ZM_ORIG);
}

static void
emit_zram_compr(struct writer *w, const struct ml_metrics_input *in)
{
	emit_zram(w, in, ZM_COMPR);
}

static void
emit_zram_used(struct writer *w, const struct ml_metrics_input *in)
{
	emit_zram(w, in, ZM_USED);
}

static void
emit_zram_limit(struct writer *w, const struct ml_metrics_input *in)
{
	emit_zram(w, in, ZM_LIMIT);
}

/* ------------------------------------------------------------ hugetlb */

/*
 * Each page size's pool from kernel/mm/hugepages (doc/procfs.md section
 * 22), in bytes: node_exporter has meminfo's HugePages_* of the default
 * size only. A number that could not be read is left out.
 */
static void
emit_hugetlb(struct writer *w, const struct ml_metrics_input *in, enum ml_hp_attr a)
{
	struct label l[1] = { { "size", NULL } };
	size_t i;
	uint64_t v;

	if (in->hugetlb == NULL)
		return;
	for (i = 0; i < in->hugetlb->nsizes; i++) {
		const struct ml_hugetlb_size *sz = &in->hugetlb->size[i];

		if (!ml_attr_ok(&sz->a[a]) || sz->size_kb > UINT64_MAX / 1024 ||
		    __builtin_mul_overflow(sz->a[a].u, sz->size_kb * 1024, &v))
			continue;
		/* "2048kB", as the directory hugepages-2048kB names it */
		l[0].value = sz->dir + strlen("hugepages-");
		emit_u64(w, l, 1, v);
	}
}

static void
emit_hugetlb_pool(struct writer *w, const struct ml_metrics_input *in)
{
	emit_hugetlb(w, in, ML_HP_NR);
}

static void
emit_hugetlb_free(struct writer *w, const struct ml_metrics_input *in)
{
	emit_hugetlb(w, in, ML_HP_FREE);
}

static void
emit_hugetlb_reserved(struct writer *w, const struct ml_metrics_input *in)
{
	emit_hugetlb(w, in, ML_HP_RESV);
}

static void
emit_hugetlb_surplus(struct writer *w, const struct ml_metrics_input *in)
{
	emit_hugetlb(w, in, ML_HP_SURPLUS);
}

/* ------------------------------------------------------------ numa */

/* Each node's MemTotal by part, as memlens numa; the parts sum to the node's MemTotal. */
static void
emit_numa_parts(struct writer *w, const struct ml_metrics_input *in)
{
	struct label l[2] = { { "node", NULL }, { "part", NULL } };
	char node[24];
	size_t i;
	int p;

	for (i = 0; i < in->nnuma; i++) {
		const struct ml_numa_node *n = &in->numa[i];

		snprintf(node, sizeof node, "%lld", (long long)n->node);
		l[0].value = node;
		for (p = 0; p < ML_NP__COUNT; p++) {
			/* an absent part is in unaccounted, as for the machine */
			if (!n->part[p].known)
				continue;
			l[1].value = ml_np_part_name((enum ml_np_part)p);
			if (p == ML_NP_UNACCOUNTED)
				emit_i64(w, l, 2, n->unaccounted);
			else
				emit_u64(w, l, 2, n->part[p].bytes);
		}
	}
}

static void
emit_numa_available(struct writer *w, const struct ml_metrics_input *in)
{
	struct label l[1] = { { "node", NULL } };
	char node[24];
	size_t i;

	for (i = 0; i < in->nnuma; i++) {
		if (!in->numa[i].avail_known)
			continue;
		snprintf(node, sizeof node, "%lld", (long long)in->numa[i].node);
		l[0].value = node;
		emit_u64(w, l, 1, in->numa[i].available);
	}
}

/* ------------------------------------------------------------ cgroups */

/*
 * A cgroup with series: not deeper than ML_METRICS_CGROUP_DEPTH, and its
 * memory.current not below --min (the root, which has none, always). Its
 * parent's figures hold the cgroups left out, so nothing is lost from a
 * sum over one depth.
 */
static bool
cgroup_shown(const struct ml_cgroup *c, uint64_t min)
{
	if (c->depth < 0 || c->depth > ML_METRICS_CGROUP_DEPTH)
		return false;
	if (c->parent == NULL)
		return true;
	return ml_cgv_ok(&c->f[ML_CGF_CURRENT]) && c->f[ML_CGF_CURRENT].v >= min;
}

/* One figure of every cgroup shown, when it is known (unlimited and n/a left out). */
static void
emit_cgroup_figure(struct writer *w, const struct ml_metrics_input *in, enum ml_cgf f)
{
	struct label l[1] = { { "cgroup", NULL } };
	size_t i;

	if (in->cgroups == NULL)
		return;
	for (i = 0; i < in->cgroups->n; i++) {
		const struct ml_cgroup *c = in->cgroups->v[i];

		if (!cgroup_shown(c, w->opt->min_bytes) || !ml_cgv_ok(&c->f[f]))
			continue;
		l[0].value = c->path;
		emit_u64(w, l, 1, c->f[f].v);
	}
}

static void
emit_cgroup_current(struct writer *w, const struct ml_metrics_input *in)
{
	emit_cgroup_figure(w, in, ML_CGF_CURRENT);
}

static void
emit_cgroup_wset(struct writer *w, const struct ml_metrics_input *in)
{
	emit_cgroup_figure(w, in, ML_CGF_WSET);
}

static void
emit_cgroup_swap(struct writer *w, const struct ml_metrics_input *in)
{
	emit_cgroup_figure(w, in, ML_CGF_SWAP);
}

/* A figure under a second label: the limits, and memory.stat's breakdown. */
static void
emit_cgroup_figures(struct writer *w, const struct ml_metrics_input *in, const char *label,
		    const enum ml_cgf *f, size_t nf)
{
	struct label l[2] = { { "cgroup", NULL }, { label, NULL } };
	size_t i, k;

	if (in->cgroups == NULL)
		return;
	for (i = 0; i < in->cgroups->n; i++) {
		const struct ml_cgroup *c = in->cgroups->v[i];

		if (!cgroup_shown(c, w->opt->min_bytes))
			continue;
		l[0].value = c->path;
		for (k = 0; k < nf; k++) {
			if (!ml_cgv_ok(&c->f[f[k]]))
				continue;
			/* a protection (low, min, v1's soft limit) of 0 is none */
			if (c->f[f[k]].v == 0 && ml_cgf_info[f[k]].group == ML_CGG_LIMITS)
				continue;
			l[1].value = ml_cgf_info[f[k]].key;
			emit_u64(w, l, 2, c->f[f[k]].v);
		}
	}
}

static void
emit_cgroup_limits(struct writer *w, const struct ml_metrics_input *in)
{
	static const enum ml_cgf f[] = { ML_CGF_MAX,  ML_CGF_HIGH,     ML_CGF_LOW,      ML_CGF_MIN,
					 ML_CGF_SOFT, ML_CGF_SWAP_MAX, ML_CGF_MEMSW_MAX };

	emit_cgroup_figures(w, in, "limit", f, ML_ARRAY_SIZE(f));
}

static void
emit_cgroup_stat(struct writer *w, const struct ml_metrics_input *in)
{
	/* the breakdown, and the file split the working set is made of */
	static const enum ml_cgf f[] = {
		ML_CGF_ANON,
		ML_CGF_FILE,
		ML_CGF_SHMEM,
		ML_CGF_ACTIVE_FILE,
		ML_CGF_INACTIVE_FILE,
		ML_CGF_KERNEL,
		ML_CGF_SLAB_RECLAIMABLE,
		ML_CGF_SLAB_UNRECLAIMABLE,
		ML_CGF_KERNEL_STACK,
		ML_CGF_PAGETABLES,
		ML_CGF_PERCPU,
		ML_CGF_SOCK,
		ML_CGF_VMALLOC,
		ML_CGF_ZSWAP,
	};

	emit_cgroup_figures(w, in, "item", f, ML_ARRAY_SIZE(f));
}

static void
emit_cgroup_headroom(struct writer *w, const struct ml_metrics_input *in)
{
	struct label l[1] = { { "cgroup", NULL } };
	size_t i;

	if (in->cgroups == NULL)
		return;
	for (i = 0; i < in->cgroups->n; i++) {
		const struct ml_cgroup *c = in->cgroups->v[i];

		if (!cgroup_shown(c, w->opt->min_bytes) || c->head.st != ML_CGV_OK)
			continue;
		l[0].value = c->path;
		emit_i64(w, l, 1, c->head.bytes);
	}
}

/* The members' PSS of the subtree, when every member was read. */
static void
emit_cgroup_pss(struct writer *w, const struct ml_metrics_input *in)
{
	struct label l[1] = { { "cgroup", NULL } };
	size_t i;

	if (in->cgroups == NULL || !in->cgroup_members)
		return;
	for (i = 0; i < in->cgroups->n; i++) {
		const struct ml_cgroup *c = in->cgroups->v[i];

		if (!cgroup_shown(c, w->opt->min_bytes) || !ml_cgroup_members_whole(c) ||
		    !ml_proc_sum_has(&c->sub, ML_PM_PSS))
			continue;
		l[0].value = c->path;
		emit_u64(w, l, 1, c->sub.v[ML_PM_PSS]);
	}
}

/* ------------------------------------------------------------ processes */

/* A user name shared by two uids keeps its series apart by its uid. */
static const char *
group_label(const struct ml_proc_group *g, long ng, long j, enum ml_proc_group_by by, char *buf,
	    size_t cap)
{
	long k;

	if (by != ML_PG_USER)
		return g[j].name;
	for (k = 0; k < ng; k++) {
		if (k != j && strcmp(g[k].name, g[j].name) == 0) {
			/* A user name: the 64 bytes it had before groups held cgroup paths. */
			snprintf(buf, cap, "%.63s(%u)", g[j].name, (unsigned int)g[j].uid);
			return buf;
		}
	}
	return g[j].name;
}

static void
emit_groups(struct writer *w, const struct ml_metrics_input *in, enum ml_pm m)
{
	static const enum ml_proc_group_by bys[] = { ML_PG_USER, ML_PG_COMMAND };
	struct label l[2] = { { "by", NULL }, { "name", NULL } };
	struct ml_proc_group *g;
	struct ml_proc_sum other;
	char buf[sizeof g->name + sizeof "(4294967295)"]; /* a name and its uid */
	size_t b;
	long ng, j;

	if (in->procs == NULL)
		return;
	for (b = 0; b < ML_ARRAY_SIZE(bys); b++) {
		ng = ml_procs_group(in->procs, in->nprocs, bys[b], ML_PS_PSS, false, &g);
		if (ng < 0) {
			w->err = errno;
			return;
		}
		memset(&other, 0, sizeof other);
		l[0].value = bys[b] == ML_PG_USER ? "user" : "command";
		for (j = 0; j < ng; j++) {
			const struct ml_proc_sum *s = &g[j].sum;
			uint64_t pss = ml_proc_sum_has(s, ML_PM_PSS) ? s->v[ML_PM_PSS] : 0;
			uint64_t swap = ml_proc_sum_has(s, ML_PM_SWAP) ? s->v[ML_PM_SWAP] : 0;

			/* A group below --min in memory and in swap goes to "(other)". */
			if ((pss < w->opt->min_bytes && swap < w->opt->min_bytes) ||
			    strcmp(g[j].name, "(other)") == 0) {
				size_t k;

				for (k = 0; k < ML_PM__COUNT; k++) {
					if (!ml_proc_sum_has(s, (enum ml_pm)k))
						continue;
					other.v[k] = add_sat(other.v[k], s->v[k]);
					other.known[k] += s->known[k];
				}
				continue;
			}
			if (!ml_proc_sum_has(s, m))
				continue;
			l[1].value = group_label(g, ng, j, bys[b], buf, sizeof buf);
			emit_u64(w, l, 2, s->v[m]);
		}
		if (ml_proc_sum_has(&other, m)) {
			l[1].value = "(other)";
			emit_u64(w, l, 2, other.v[m]);
		}
		free(g);
	}
}

static void
emit_group_pss(struct writer *w, const struct ml_metrics_input *in)
{
	emit_groups(w, in, ML_PM_PSS);
}

static void
emit_group_uss(struct writer *w, const struct ml_metrics_input *in)
{
	emit_groups(w, in, ML_PM_USS);
}

static void
emit_group_swap(struct writer *w, const struct ml_metrics_input *in)
{
	emit_groups(w, in, ML_PM_SWAP);
}

static void
emit_unreadable(struct writer *w, const struct ml_metrics_input *in)
{
	struct label l[1] = { { "reason", NULL } };
	uint64_t denied = 0, error = 0;
	size_t i;

	if (in->procs == NULL)
		return;
	for (i = 0; i < in->nprocs; i++) {
		if (in->procs[i]->mem == ML_MEM_DENIED)
			denied++;
		else if (in->procs[i]->mem != ML_MEM_OK)
			error++;
	}
	l[0].value = "denied";
	emit_u64(w, l, 1, denied);
	l[0].value = "error";
	emit_u64(w, l, 1, error);
}

static void
emit_procs(struct writer *w, const struct ml_metrics_input *in, enum ml_pm m)
{
	struct label l[2] = { { "pid", NULL }, { "command", NULL } };
	struct ml_proc **top;
	char pid[16];
	size_t n, i;
	uint64_t v;

	if (in->procs == NULL || w->opt->procs_top == 0)
		return;
	top = calloc(w->opt->procs_top, sizeof *top);
	if (top == NULL) {
		w->err = ENOMEM;
		return;
	}
	n = ml_procs_top_pss(in->procs, in->nprocs, top, w->opt->procs_top);
	for (i = 0; i < n; i++) {
		if (!ml_proc_value(top[i], m, &v))
			continue;
		snprintf(pid, sizeof pid, "%d", top[i]->pid);
		l[0].value = pid;
		l[1].value = top[i]->comm;
		emit_u64(w, l, 2, v);
	}
	free(top);
}

static void
emit_proc_pss(struct writer *w, const struct ml_metrics_input *in)
{
	emit_procs(w, in, ML_PM_PSS);
}

static void
emit_proc_uss(struct writer *w, const struct ml_metrics_input *in)
{
	emit_procs(w, in, ML_PM_USS);
}

static void
emit_proc_swap(struct writer *w, const struct ml_metrics_input *in)
{
	emit_procs(w, in, ML_PM_SWAP);
}

/* ------------------------------------------------------------ memlens itself */

static void
emit_sources(struct writer *w, const struct ml_metrics_input *in)
{
	struct label l[1] = { { "source", NULL } };
	size_t i;

	for (i = 0; i < in->nsources; i++) {
		l[0].value = in->sources[i].name;
		emit_u64(w, l, 1, in->sources[i].readable ? 1 : 0);
	}
}

static void
emit_duration(struct writer *w, const struct ml_metrics_input *in)
{
	emit_seconds(w, NULL, 0, in->scrape_seconds);
}

static void
emit_build_info(struct writer *w, const struct ml_metrics_input *in)
{
	struct label l[1] = { { "version", in->version } };

	emit_u64(w, l, 1, 1);
}

/* ------------------------------------------------------------ the families */

/* One line per family, in output order; doc/metrics.md has the same table. */
/* clang-format off */
static const struct family families[] = {
	{ "memlens_memory_part_bytes", FT_GAUGE, "bytes",
	  "MemTotal by part: the parts sum to MemTotal, the unaccounted remainder included (it may be negative)",
	  emit_memory_parts },
	{ "memlens_slab_cache_bytes", FT_GAUGE, "bytes",
	  "Memory held in slabs by a slab cache (num_slabs x pagesperslab x page size)",
	  emit_slab_bytes },
	{ "memlens_slab_cache_active_bytes", FT_GAUGE, "bytes",
	  "Memory of a slab cache's active objects (active_objs x objsize)",
	  emit_slab_active },
	{ "memlens_slab_cache_waste_bytes", FT_GAUGE, "bytes",
	  "Memory a slab cache holds beyond its active objects",
	  emit_slab_waste },
	{ "memlens_vmalloc_caller_bytes", FT_GAUGE, "bytes",
	  "Pages of vmalloc areas by the function that allocated them",
	  emit_vmalloc_bytes },
	{ "memlens_vmalloc_caller_areas", FT_GAUGE, NULL,
	  "Number of vmalloc areas by the function that allocated them",
	  emit_vmalloc_areas },
	{ "memlens_buddy_free_blocks", FT_GAUGE, NULL,
	  "Free blocks of 2^order pages on the buddy allocator's free lists",
	  emit_buddy_blocks },
	{ "memlens_buddy_unusable_ratio", FT_GAUGE, "ratio",
	  "Unusable free space index: share of free memory in blocks too small for an allocation of this order",
	  emit_buddy_unusable },
	{ "memlens_buddy_fragmentation_index", FT_GAUGE, NULL,
	  "Fragmentation index of an allocation of this order: near 0 lack of memory, near 1 fragmentation, -1 a free block exists",
	  emit_buddy_extfrag },
	{ "memlens_buddy_largest_free_block_bytes", FT_GAUGE, "bytes",
	  "Size of the largest free block of a zone (0 when none is free)",
	  emit_buddy_largest },
	{ "memlens_zone_watermark_headroom_bytes", FT_GAUGE, "bytes",
	  "Free memory of a zone above a watermark (negative below it): low wakes kswapd, min starts direct reclaim",
	  emit_zone_headroom },
	{ "memlens_pressure_memory_ratio", FT_GAUGE, "ratio",
	  "Share of time some (or all) non-idle tasks stalled on memory, the kernel's running average over a window",
	  emit_pressure },
	{ "memlens_zram_original_bytes", FT_GAUGE, "bytes",
	  "Data a zram device stores, uncompressed (orig_data_size)",
	  emit_zram_orig },
	{ "memlens_zram_compressed_bytes", FT_GAUGE, "bytes",
	  "Data a zram device stores, compressed (compr_data_size)",
	  emit_zram_compr },
	{ "memlens_zram_memory_used_bytes", FT_GAUGE, "bytes",
	  "RAM a zram device's pool holds, its overhead included (mem_used_total), its share of the zram part of MemTotal",
	  emit_zram_used },
	{ "memlens_zram_memory_limit_bytes", FT_GAUGE, "bytes",
	  "The most RAM a zram device's pool may hold (mem_limit; left out when there is none)",
	  emit_zram_limit },
	{ "memlens_hugetlb_pool_bytes", FT_GAUGE, "bytes",
	  "Huge pages of one size in the hugetlb pool, surplus included (nr_hugepages x size)",
	  emit_hugetlb_pool },
	{ "memlens_hugetlb_free_bytes", FT_GAUGE, "bytes",
	  "Huge pages of one size in the pool that no mapping has faulted in (free_hugepages x size)",
	  emit_hugetlb_free },
	{ "memlens_hugetlb_reserved_bytes", FT_GAUGE, "bytes",
	  "Free huge pages of one size promised to mappings (resv_hugepages x size)",
	  emit_hugetlb_reserved },
	{ "memlens_hugetlb_surplus_bytes", FT_GAUGE, "bytes",
	  "Huge pages of one size allocated beyond nr_hugepages' setting (surplus_hugepages x size)",
	  emit_hugetlb_surplus },
	{ "memlens_numa_part_bytes", FT_GAUGE, "bytes",
	  "A NUMA node's MemTotal by part: the parts sum to the node's MemTotal, the unaccounted remainder included (it may be negative)",
	  emit_numa_parts },
	{ "memlens_numa_available_bytes", FT_GAUGE, "bytes",
	  "memlens's estimate of the memory available on a NUMA node: the kernel's MemAvailable formula applied to the node",
	  emit_numa_available },
	{ "memlens_cgroup_current_bytes", FT_GAUGE, "bytes",
	  "Memory charged to a cgroup and its descendants (memory.current; v1 memory.usage_in_bytes)",
	  emit_cgroup_current },
	{ "memlens_cgroup_working_set_bytes", FT_GAUGE, "bytes",
	  "A cgroup's working set as kubelet computes it: current - inactive_file",
	  emit_cgroup_wset },
	{ "memlens_cgroup_swap_bytes", FT_GAUGE, "bytes",
	  "Swap used by a cgroup (memory.swap.current; v1 memsw usage - usage)",
	  emit_cgroup_swap },
	{ "memlens_cgroup_limit_bytes", FT_GAUGE, "bytes",
	  "A cgroup's limit of each kind that is set (an unlimited one is left out)",
	  emit_cgroup_limits },
	{ "memlens_cgroup_headroom_bytes", FT_GAUGE, "bytes",
	  "Memory a cgroup may still be charged before the nearest limit of it or its ancestors (negative above memory.high)",
	  emit_cgroup_headroom },
	{ "memlens_cgroup_stat_bytes", FT_GAUGE, "bytes",
	  "A cgroup's memory by kind from memory.stat (the kinds overlap: anon holds active_anon)",
	  emit_cgroup_stat },
	{ "memlens_cgroup_processes_pss_bytes", FT_GAUGE, "bytes",
	  "Proportional set size of the processes of a cgroup and its descendants, when every one was read",
	  emit_cgroup_pss },
	{ "memlens_process_group_pss_bytes", FT_GAUGE, "bytes",
	  "Proportional set size of the processes of a user or a command that could be read",
	  emit_group_pss },
	{ "memlens_process_group_uss_bytes", FT_GAUGE, "bytes",
	  "Unique set size (private pages) of the processes of a user or a command that could be read",
	  emit_group_uss },
	{ "memlens_process_group_swap_bytes", FT_GAUGE, "bytes",
	  "Swap used by the processes of a user or a command that could be read",
	  emit_group_swap },
	{ "memlens_processes_unreadable", FT_GAUGE, NULL,
	  "Processes whose memory could not be read, left out of the process groups",
	  emit_unreadable },
	{ "memlens_process_pss_bytes", FT_GAUGE, "bytes",
	  "Proportional set size of one of the --procs-top largest processes",
	  emit_proc_pss },
	{ "memlens_process_uss_bytes", FT_GAUGE, "bytes",
	  "Unique set size of one of the --procs-top largest processes",
	  emit_proc_uss },
	{ "memlens_process_swap_bytes", FT_GAUGE, "bytes",
	  "Swap used by one of the --procs-top largest processes",
	  emit_proc_swap },
	{ "memlens_source_readable", FT_GAUGE, NULL,
	  "1 when the source was read for this scrape, 0 when it could not be (its families are left out)",
	  emit_sources },
	{ "memlens_scrape_duration_seconds", FT_GAUGE, "seconds",
	  "Time memlens took to read its sources for this scrape",
	  emit_duration },
	{ "memlens_build_info", FT_GAUGE, NULL,
	  "The memlens version, as a label; the value is always 1",
	  emit_build_info },
};
/* clang-format on */

/* ------------------------------------------------------------ formats */

static const char *const format_names[ML_METRICS__FORMATS] = {
	[ML_METRICS_OPENMETRICS] = "openmetrics",
	[ML_METRICS_PROMETHEUS] = "prometheus",
};

static const char *const content_types[ML_METRICS__FORMATS] = {
	[ML_METRICS_OPENMETRICS] = "application/openmetrics-text; version=1.0.0; charset=utf-8",
	[ML_METRICS_PROMETHEUS] = "text/plain; version=0.0.4; charset=utf-8",
};

const char *
ml_metrics_format_name(enum ml_metrics_format f)
{
	return (unsigned int)f < ML_METRICS__FORMATS ? format_names[f] : "?";
}

int
ml_metrics_format_lookup(const char *name)
{
	int i;

	for (i = 0; i < ML_METRICS__FORMATS; i++)
		if (strcmp(name, format_names[i]) == 0)
			return i;
	return -1;
}

const char *
ml_metrics_content_type(enum ml_metrics_format f)
{
	return (unsigned int)f < ML_METRICS__FORMATS ? content_types[f] : "text/plain";
}

int
ml_metrics_write(FILE *f, const struct ml_metrics_input *in, const struct ml_metrics_options *opt)
{
	struct writer w;
	size_t i;

	memset(&w, 0, sizeof w);
	w.f = f;
	w.opt = opt;
	for (i = 0; i < ML_ARRAY_SIZE(families); i++) {
		w.fam = &families[i];
		w.header_done = false;
		families[i].emit(&w, in);
		if (w.err != 0)
			break;
	}
	if (w.err == 0 && opt->format == ML_METRICS_OPENMETRICS)
		fputs("# EOF\n", f);
	if (w.err != 0) {
		errno = w.err;
		return -1;
	}
	if (ferror(f)) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

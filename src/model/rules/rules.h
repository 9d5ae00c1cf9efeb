/*
 * explain's rules: findings a person can act on, each with the values it
 * was judged from.
 *
 * A rule is one file (rule-<name>.c) exporting one const struct ml_rule,
 * listed once in ml_rules[] (rules.c). It reads the models of one or two
 * snapshots (model/snapshot.h), never a file, and adds findings:
 *
 *   severity   note, warning or critical (the exit status of memlens explain
 *              is 3 when any finding is a warning or worse)
 *   subject    what it is about ("Node 0 Normal", "kmalloc-64"), or none
 *   headline   one line, a template (below)
 *   evidence   the values read, each with the file it came from and the
 *              memlens command whose JSON shows the same value (command and
 *              a jq filter), or derived values (shares, rates) with neither
 *   formula    the test that fired, with the thresholds, a template
 *   next       what to do next: a memlens command or the tool to reach for
 *
 * Templates. The rule writes text with {NAME} where evidence NAME goes and
 * {=KEY} where its threshold KEY goes; the presentation expands them
 * (ml_finding_expand) with its own units, so the model never formats a size.
 *
 * Thresholds. Each rule declares its parameters (key, default, range, what
 * it means): the one table that `memlens explain --rules`, --set RULE.KEY=V,
 * the man page and doc/explain.md are checked against. A key's suffix says
 * its unit: _pct (percent), _mib (MiB), _per_s (events or pages a second),
 * _min / _h (minutes, hours), _index (0 to 1), _ratio (x to 1), none (a
 * count).
 *
 * Windows. With one reading (before == NULL) rules that need rates judge
 * what they can and say what they could not; with two (memlens explain -i
 * or --window) rates are the counters' increase over seconds.
 *
 * Ownership: the findings own their subjects and jq filters; evidence
 * names, templates and files are static strings of the rule's file.
 * Nothing here prints or exits.
 */
#ifndef ML_RULES_H
#define ML_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compat.h"
#include "model/growth.h"
#include "model/snapshot.h"

enum ml_severity { ML_SEV_NOTE, ML_SEV_WARNING, ML_SEV_CRITICAL, ML_SEV__COUNT };

/* "note", "warning", "critical"; and back (-1 when none). */
const char *ml_severity_name(enum ml_severity s);
int ml_severity_from_name(const char *s);

/* What an evidence value is. */
enum ml_ev_unit {
	ML_EV_BYTES,
	ML_EV_PAGES,
	ML_EV_COUNT,
	ML_EV_PERCENT,     /* 12.5 is 12.5 % */
	ML_EV_INDEX,       /* 0 to 1, as memlens buddy shows the kernel's indices */
	ML_EV_PER_S,       /* events (or pages) a second */
	ML_EV_BYTES_PER_S, /* shown per hour */
	ML_EV_SECONDS,
	ML_EV_TEXT,
	ML_EV_RATIO, /* x to 1 */
	ML_EV__UNIT_COUNT
};

/* "bytes", "pages", ... for JSON. */
const char *ml_ev_unit_name(enum ml_ev_unit u);

enum ml_ev_kind {
	ML_EV_U64,
	ML_EV_I64,
	ML_EV_DOUBLE,
	ML_EV_STRING,
};

struct ml_evidence {
	const char *name; /* static: "MemAvailable", "Node 0 Normal free" */
	enum ml_ev_unit unit;
	enum ml_ev_kind kind;
	uint64_t u;
	int64_t i;
	double d;
	char text[48];
	uint64_t page_size;  /* for ML_EV_PAGES: bytes a page, 0 when unknown (shown beside) */
	const char *file;    /* under the proc root ("meminfo"); NULL for a derived value */
	bool sys_file;       /* file is under the sys root ("kernel/mm/...") */
	char pathbuf[96];    /* where ml_ev_file puts a file's name made for it */
	bool file_in_buf;    /* file is pathbuf (kept so when the findings move) */
	const char *command; /* the memlens command whose --json shows it, or NULL */
	char *jq;            /* the jq filter of that document (owned), or NULL */
};

/* A threshold a rule declares. */
struct ml_rule_param {
	const char *key;  /* "warn_pct" */
	double def;       /* the default */
	double min, max;  /* accepted by --set */
	const char *help; /* what it means, one line */
};

struct ml_rule;

#define ML_FINDING_EVIDENCE_MAX 12

struct ml_finding {
	const struct ml_rule *rule;
	enum ml_severity severity;
	double score; /* within a severity, larger first (how far past the threshold) */
	char *subject;
	const char *headline, *formula, *next; /* templates */
	const double *thr;                     /* the rule's thresholds, for {=KEY} */
	uint32_t seq;                          /* the order it was found in: the last tie-break */
	uint32_t nev;
	struct ml_evidence ev[ML_FINDING_EVIDENCE_MAX];
};

/* Two readings, and what else the rules read. */
struct ml_rule_input {
	const struct ml_snapshot *now;
	const struct ml_snapshot *before; /* NULL: one reading */
	double seconds;                   /* between them; 0 with one reading */
	int overcommit;                   /* vm.overcommit_memory 0, 1, 2; -1 unknown */
	/*
	 * The items memlens growth samples, fed from every reading of the
	 * window or capture series (ml_growth_feed), or NULL; and the time to
	 * exhaustion at the suspects' rate (ml_rule_input_growth).
	 */
	const struct ml_growth *growth;
	struct ml_growth_eta eta;
	bool has_eta;
};

/* A rule that judged nothing, and why. */
struct ml_not_judged {
	const struct ml_rule *rule;
	char *why;
};

/* The result of a run: findings sorted by severity, then score. */
struct ml_explain {
	struct ml_finding *f;
	size_t n, cap;
	struct ml_not_judged *skipped;
	size_t nskipped, skipped_cap;
	unsigned int by_severity[ML_SEV__COUNT];
	bool oom; /* something could not be allocated */
};

/* What a rule's judge gets, besides the input and its thresholds. */
struct ml_rule_ctx {
	const struct ml_rule *rule;
	const double *thr;
	struct ml_explain *out;
	bool judged; /* a judge that returns without judging anything says why */
	char *why;
};

struct ml_rule {
	const char *name;   /* "available": the RULE of --set RULE.KEY=VALUE */
	const char *title;  /* "Memory exhaustion" */
	const char *checks; /* one line for --rules: what it looks at */
	unsigned int needs; /* ML_SNAP() mask of the sources it reads */
	const struct ml_rule_param *params;
	size_t nparams;
	void (*judge)(const struct ml_rule_input *in, struct ml_rule_ctx *cx);
};

/* The table, in the order --rules lists them; NULL-terminated. */
extern const struct ml_rule *const ml_rules[];
size_t ml_rules_count(void);
/* The rule named name, or NULL. */
const struct ml_rule *ml_rule_find(const char *name);
/* The sources every rule reads: ML_SNAP() mask. */
unsigned int ml_rules_needs(void);
/*
 * What memlens explain reads for the rules: every rule's sources, and
 * vmallocinfo and zram for the accounting (kernel stacks, zram's RAM).
 */
#define ML_RULES_READS                                                                        \
	(ML_SNAP(ML_SNAP_MEMINFO) | ML_SNAP(ML_SNAP_VMSTAT) | ML_SNAP(ML_SNAP_ZONEINFO) |     \
	 ML_SNAP(ML_SNAP_BUDDYINFO) | ML_SNAP(ML_SNAP_SLABINFO) | ML_SNAP(ML_SNAP_PRESSURE) | \
	 ML_SNAP(ML_SNAP_VMALLOCINFO) | ML_SNAP(ML_SNAP_ZRAM) | ML_SNAP(ML_SNAP_THP) |        \
	 ML_SNAP(ML_SNAP_NODES) | ML_SNAP(ML_SNAP_CGROUPS))

/* The thresholds of every rule: defaults, then --set. */
struct ml_rules_config {
	double *val;    /* every rule's parameters in table order */
	size_t *offset; /* rule i's first parameter in val */
	size_t n;
};

int ml_rules_config_init(struct ml_rules_config *c);
void ml_rules_config_release(struct ml_rules_config *c);
/* The thresholds of rule r (its params' order). */
const double *ml_rules_config_of(const struct ml_rules_config *c, const struct ml_rule *r);
/*
 * Apply "RULE.KEY=VALUE"; 0, or -1 with a cause for a person ("no rule
 * 'x' (the rules: ...)", "'available' has no key 'y' (its keys: ...)",
 * "available.warn_pct must be from 0 to 100").
 */
int ml_rules_config_set(struct ml_rules_config *c, const char *assignment, char **cause);

/*
 * Run every rule on the input with the thresholds. Findings are sorted
 * (critical first, then by score, then in table order). 0, or -1 with errno
 * ENOMEM (what was found is kept).
 */
int ml_rules_run(struct ml_explain *e, const struct ml_rule_input *in,
		 const struct ml_rules_config *c);
void ml_explain_init(struct ml_explain *e);
void ml_explain_release(struct ml_explain *e);

/* The worst severity found, or -1 when nothing was. */
int ml_explain_worst(const struct ml_explain *e);

/* The input of one reading or two; overcommit read from now's proc root. */
void ml_rule_input_init(struct ml_rule_input *in, const struct ml_snapshot *now,
			const struct ml_snapshot *before, double seconds);

/*
 * Expand a finding's template into out (cap bytes, always terminated):
 * {NAME} becomes fmt_ev's text for evidence NAME, {=KEY} fmt_thr's for
 * threshold KEY, {{ and }} are braces. Returns the length it wanted (like
 * snprintf). An unknown name expands to "{?NAME}" (the unit tests catch it).
 */
typedef void (*ml_ev_format_fn)(const struct ml_evidence *ev, char *buf, size_t cap, void *arg);
typedef void (*ml_thr_format_fn)(const struct ml_rule_param *p, double v, char *buf, size_t cap,
				 void *arg);
size_t ml_finding_expand(const struct ml_finding *f, const char *tmpl, ml_ev_format_fn fmt_ev,
			 ml_thr_format_fn fmt_thr, void *arg, char *out, size_t cap);

/* The evidence named name, or NULL. */
const struct ml_evidence *ml_finding_evidence(const struct ml_finding *f, const char *name);

/* ---- for the rules' files ---- */

/* Add a finding (subject may be NULL); NULL when out of memory (cx records it). */
struct ml_finding *ml_finding_add(struct ml_rule_ctx *cx, enum ml_severity sev, double score,
				  const char *headline, const char *formula, const char *next);
void ml_finding_subject(struct ml_rule_ctx *cx, struct ml_finding *f, const char *fmt, ...)
	ML_PRINTF(3, 4);

/* Evidence of each kind; file NULL for a derived value. NULL when f is NULL or full. */
struct ml_evidence *ml_ev_u64(struct ml_finding *f, const char *name, enum ml_ev_unit unit,
			      uint64_t v, const char *file);
struct ml_evidence *ml_ev_i64(struct ml_finding *f, const char *name, enum ml_ev_unit unit,
			      int64_t v, const char *file);
struct ml_evidence *ml_ev_double(struct ml_finding *f, const char *name, enum ml_ev_unit unit,
				 double v, const char *file);
struct ml_evidence *ml_ev_text(struct ml_finding *f, const char *name, const char *v,
			       const char *file);
/* The evidence's file is under the sys root, not the proc root; returns ev. */
struct ml_evidence *ml_ev_sys(struct ml_evidence *ev);
/* Its file, a name made from fmt (under the sys root when sys); returns ev. */
struct ml_evidence *ml_ev_file(struct ml_evidence *ev, bool sys, const char *fmt, ...)
	ML_PRINTF(3, 4);
/* Pages, with the page size (0 when unknown) so that the bytes can be shown too. */
struct ml_evidence *ml_ev_pages(struct ml_finding *f, const char *name, uint64_t pages,
				uint64_t page_size, const char *file);
/* Where memlens shows it: "memlens COMMAND --json | jq FILTER". */
void ml_ev_see(struct ml_rule_ctx *cx, struct ml_evidence *ev, const char *command,
	       const char *jq_fmt, ...) ML_PRINTF(4, 5);

/* The rule judged nothing: why (the run lists it under "not judged"). */
void ml_rule_not_judged(struct ml_rule_ctx *cx, const char *fmt, ...) ML_PRINTF(2, 3);
/* It judged (some findings may still be missing for want of a window). */
static inline void
ml_rule_judged(struct ml_rule_ctx *cx)
{
	cx->judged = true;
}

/* ---- what the rules read, shared ---- */

/* The source was read in this snapshot; else its why (or a generic one). */
bool ml_rule_has(const struct ml_snapshot *s, enum ml_snap_src src);
const char *ml_rule_why(const struct ml_snapshot *s, enum ml_snap_src src);
/* The page size of the snapshot's machine, 0 when unknown. */
uint64_t ml_rule_page_size(const struct ml_snapshot *s);
/* A meminfo field; false when absent (or meminfo was not read). */
bool ml_rule_meminfo(const struct ml_snapshot *s, enum ml_mi_key k, uint64_t *v);
/* A vmstat counter by name; false when absent (or vmstat was not read). */
bool ml_rule_vmstat(const struct ml_snapshot *s, const char *name, uint64_t *v);
/* Its increase over the window (0 when it went back); false without a window or the counter. */
bool ml_rule_vmstat_delta(const struct ml_rule_input *in, const char *name, uint64_t *delta);

/*
 * Evidence read from a model, with where memlens shows it: a meminfo field
 * (bytes; memlens meminfo), a vmstat counter (memlens buddy's compact_*,
 * memlens huge's thp_* and zswp*), one of the snapshot's activity counters
 * (memlens summary's reclaim counters).
 */
struct ml_evidence *ml_ev_meminfo(struct ml_rule_ctx *cx, struct ml_finding *f,
				  const struct ml_snapshot *s, enum ml_mi_key k);
struct ml_evidence *ml_ev_vmstat(struct ml_rule_ctx *cx, struct ml_finding *f,
				 const struct ml_snapshot *s, const char *name);

/* The snapshot's activity counter named name ("allocstall", "pswpin", ...). */
enum ml_act_counter {
	ML_ACT_ALLOCSTALL,
	ML_ACT_PGSCAN_KSWAPD,
	ML_ACT_PGSCAN_DIRECT,
	ML_ACT_PSWPIN,
	ML_ACT_PSWPOUT,
	ML_ACT_OOM_KILL,
	ML_ACT__COUNT
};
const char *ml_act_name(enum ml_act_counter c);
uint64_t ml_act_get(const struct ml_activity *a, enum ml_act_counter c);
/* Its value now as evidence (vmstat; memlens summary shows it since boot). */
struct ml_evidence *ml_ev_act(struct ml_rule_ctx *cx, struct ml_finding *f,
			      const struct ml_snapshot *s, enum ml_act_counter c);
/* Its increase over the window; false without a window or the counters. */
bool ml_rule_act_delta(const struct ml_rule_input *in, enum ml_act_counter c, uint64_t *delta);

/* s as a jq string literal ("...", escaped) in buf; returns buf. */
const char *ml_rule_jq_string(char *buf, size_t cap, const char *s);
/* No other cache of the view has c's name (a jq filter by name finds it). */
bool ml_rule_slab_unique(const struct ml_slab_view *v, const struct ml_slab_cache *c);

/* The growth parameters of the leak rule's thresholds (c's values of ml_rule_leak). */
void ml_leak_params(struct ml_growth_params *p, const struct ml_rules_config *c);
/* Give the input the growth table g (NULL: none) and its time to exhaustion. */
void ml_rule_input_growth(struct ml_rule_input *in, const struct ml_growth *g);

/* ---- the rules (one file each) ---- */
extern const struct ml_rule ml_rule_available;
extern const struct ml_rule ml_rule_commit;
extern const struct ml_rule ml_rule_oom;
extern const struct ml_rule ml_rule_leak;
extern const struct ml_rule ml_rule_cgroup;
extern const struct ml_rule ml_rule_zone;
extern const struct ml_rule ml_rule_pressure;
extern const struct ml_rule ml_rule_swap;
extern const struct ml_rule ml_rule_zswap;
extern const struct ml_rule ml_rule_zram;
extern const struct ml_rule ml_rule_numa;
extern const struct ml_rule ml_rule_thp;
extern const struct ml_rule ml_rule_khugepaged;
extern const struct ml_rule ml_rule_accounting;
extern const struct ml_rule ml_rule_fragmentation;
extern const struct ml_rule ml_rule_compaction;
extern const struct ml_rule ml_rule_slab_unreclaim;
extern const struct ml_rule ml_rule_slab_waste;
extern const struct ml_rule ml_rule_slab_reclaim;
extern const struct ml_rule ml_rule_hidden_cache;
extern const struct ml_rule ml_rule_unaccounted;

#endif /* ML_RULES_H */

/*
 * KSM: kernel/mm/ksm/ (every file) and PID/ksm_stat; see ksm.h and doc/procfs.md
 * section 22.
 */
#include "config.h"

#include <string.h>

#include "proc/ksm.h"
#include "proc/scan.h"

const struct ml_attr_def ml_ksm_attrs[ML_KSM__COUNT] = {
	[ML_KSM_RUN] = { "run", ML_ATTR_U64 },
	[ML_KSM_PAGES_SHARED] = { "pages_shared", ML_ATTR_U64 },
	[ML_KSM_PAGES_SHARING] = { "pages_sharing", ML_ATTR_U64 },
	[ML_KSM_PAGES_UNSHARED] = { "pages_unshared", ML_ATTR_U64 },
	[ML_KSM_PAGES_VOLATILE] = { "pages_volatile", ML_ATTR_U64 },
	[ML_KSM_FULL_SCANS] = { "full_scans", ML_ATTR_U64 },
	[ML_KSM_GENERAL_PROFIT] = { "general_profit", ML_ATTR_I64 },
	[ML_KSM_ZERO_PAGES] = { "ksm_zero_pages", ML_ATTR_I64 },
	[ML_KSM_PAGES_SCANNED] = { "pages_scanned", ML_ATTR_U64 },
	[ML_KSM_STABLE_NODE_CHAINS] = { "stable_node_chains", ML_ATTR_U64 },
	[ML_KSM_STABLE_NODE_DUPS] = { "stable_node_dups", ML_ATTR_U64 },
	[ML_KSM_PAGES_TO_SCAN] = { "pages_to_scan", ML_ATTR_U64 },
	[ML_KSM_SLEEP_MILLISECS] = { "sleep_millisecs", ML_ATTR_U64 },
	[ML_KSM_MERGE_ACROSS_NODES] = { "merge_across_nodes", ML_ATTR_FLAG },
	[ML_KSM_USE_ZERO_PAGES] = { "use_zero_pages", ML_ATTR_FLAG },
	[ML_KSM_MAX_PAGE_SHARING] = { "max_page_sharing", ML_ATTR_U64 },
	[ML_KSM_ADVISOR_MODE] = { "advisor_mode", ML_ATTR_CHOICE },
};

int
ml_ksm_read(struct ml_ksm *k, const struct ml_procfs *sys)
{
	memset(k, 0, sizeof *k);
	ml_attrs_read(sys, ML_KSM_DIR, ml_ksm_attrs, ML_KSM__COUNT, k->a);
	k->present = k->a[ML_KSM_RUN].state != ML_ATTR_ABSENT;
	k->dir_err = k->present ? 0 : k->a[ML_KSM_RUN].err;
	return 0;
}

const char *
ml_ksm_run_word(uint64_t run)
{
	/* KSM_RUN_STOP, KSM_RUN_MERGE, KSM_RUN_UNMERGE, KSM_RUN_OFFLINE (mm/ksm.c) */
	switch (run) {
	case 0:
		return "stopped";
	case 1:
		return "running";
	case 2:
		return "stopped, unmerged";
	case 4:
		return "offline";
	}
	return "unknown";
}

static const char *const kstat_names[ML_KSTAT__COUNT] = {
	[ML_KSTAT_RMAP_ITEMS] = "ksm_rmap_items",
	[ML_KSTAT_ZERO_PAGES] = "ksm_zero_pages",
	[ML_KSTAT_MERGING_PAGES] = "ksm_merging_pages",
	[ML_KSTAT_PROCESS_PROFIT] = "ksm_process_profit",
	[ML_KSTAT_MERGE_ANY] = "ksm_merge_any",
	[ML_KSTAT_MERGEABLE] = "ksm_mergeable",
};

static int
ksm_stat_begin(void *out)
{
	memset(out, 0, sizeof(struct ml_ksm_stat));
	return 0;
}

/* "key value" or "key: yes|no"; see ksm.h. */
static int
ksm_stat_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_ksm_stat *st = out;
	const char *end = s + n, *key_end = s, *p;
	int k, slot = -1;
	int64_t v;

	while (key_end < end && *key_end != ':' && *key_end != ' ' && *key_end != '\t')
		key_end++;
	if (key_end == s || key_end == end) {
		*why = "expected a key and a value";
		return ML_LINE_BAD;
	}
	for (k = 0; k < ML_KSTAT__COUNT; k++) {
		if (ml_word_eq(s, (size_t)(key_end - s), kstat_names[k]))
			slot = k;
	}
	p = key_end;
	if (*p == ':')
		p++;
	p = ml_skip_blanks(p, end);
	if (slot < 0) {
		/* a newer kernel's line: counted, its value not judged */
		st->unknown++;
		return ML_LINE_OK;
	}
	if (slot == ML_KSTAT_MERGE_ANY || slot == ML_KSTAT_MERGEABLE) {
		const char *w_end = end;

		while (w_end > p && (w_end[-1] == ' ' || w_end[-1] == '\t' || w_end[-1] == '\r'))
			w_end--;
		if (ml_word_eq(p, (size_t)(w_end - p), "yes"))
			v = 1;
		else if (ml_word_eq(p, (size_t)(w_end - p), "no"))
			v = 0;
		else {
			*why = "expected yes or no";
			return ML_LINE_BAD;
		}
	} else if (ml_scan_value_i64(p, end, &v, why) != 0) {
		return ML_LINE_BAD;
	}
	if (ml_ksm_stat_has(st, (enum ml_kstat_key)slot)) {
		*why = "duplicate key";
		return ML_LINE_BAD;
	}
	st->val[slot] = v;
	st->present |= 1u << slot;
	return ML_LINE_OK;
}

const struct ml_source ml_src_ksm_stat = {
	.name = "ksm_stat",
	.path = NULL, /* PID/ksm_stat */
	.begin = ksm_stat_begin,
	.line = ksm_stat_line,
};

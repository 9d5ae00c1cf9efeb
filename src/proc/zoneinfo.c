/*
 * /proc/zoneinfo: a state machine over the zone records of doc/procfs.md
 * section 7. Values are pages as printed (see zoneinfo.h for the
 * exceptions); the oldest layout accepted is 3.10's.
 *
 * Lines are classified by their first token after the indentation, never by
 * column: "Node N, zone NAME" and "Node N, per-node stats" start records;
 * "per-node stats", "pages free V", "pagesets", "protection: (a, b, ...)",
 * "cpu: N", "vm stats threshold: V" are fixed; a token ending in ':' is a
 * pageset field ("count:", "high_min:") inside the pagesets or a zone field
 * ("node_unreclaimable:", "start_pfn:", future keys) after them; anything
 * else is "name value". Which list a "name value" line belongs to depends on
 * where in the record it is (the zone's phase):
 *
 *   HEAD       after the header                      -> a known field only
 *   NODE_STATS after "per-node stats"                -> the node's counters
 *   WMARK      after "pages free"                    -> a field; the first
 *              nr_* or numa_* name starts the counters (3.10 prints them
 *              straight after "managed")
 *   COUNTERS   after "protection:" (4.12+) or the first counter
 *   PAGESETS   after "pagesets"
 *   TAIL       after the first "key:" zone field
 *
 * The indentation is only used to tell an unknown "key:" inside the
 * pagesets (indented 14) from an unknown zone field (indented 2).
 *
 * In front of the state machine sits the learned line layout (struct
 * ml_zi_memo below): a refresh of a file whose lines begin as they did last
 * time costs one prefix comparison and one number per line. It was 141k
 * instructions per refresh of the 6.18 sample through the state machine
 * alone, 48k with the layout (bench/30-zoneinfo.sh); tests/unit/
 * test-zoneinfo.c checks it against the state machine on every line of
 * four fixtures under nine kinds of change.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc/scan.h"
#include "proc/zoneinfo.h"
#include "util.h"

#define C ML_KV_COUNT

const struct ml_kv_key ml_zoneinfo_field_keys[ML_ZI__FIELD_COUNT] = {
	[ML_ZI_FREE] = { "pages free", C },
	[ML_ZI_BOOST] = { "boost", C },
	[ML_ZI_MIN] = { "min", C },
	[ML_ZI_LOW] = { "low", C },
	[ML_ZI_HIGH] = { "high", C },
	[ML_ZI_PROMO] = { "promo", C },
	[ML_ZI_SCANNED] = { "scanned", C },
	[ML_ZI_NODE_SCANNED] = { "node_scanned", C },
	[ML_ZI_SPANNED] = { "spanned", C },
	[ML_ZI_PRESENT] = { "present", C },
	[ML_ZI_MANAGED] = { "managed", C },
	[ML_ZI_CMA] = { "cma", C },
	[ML_ZI_ALL_UNRECLAIMABLE] = { "all_unreclaimable", C },
	[ML_ZI_NODE_UNRECLAIMABLE] = { "node_unreclaimable", C },
	[ML_ZI_START_PFN] = { "start_pfn", C },
	[ML_ZI_INACTIVE_RATIO] = { "inactive_ratio", C },
	[ML_ZI_NODE_INACTIVE_RATIO] = { "node_inactive_ratio", C },
	[ML_ZI_RESERVED_HIGHATOMIC] = { "reserved_highatomic", C },
	[ML_ZI_FREE_HIGHATOMIC] = { "free_highatomic", C },
};

/* The pageset keys, with their colon, by enum ml_zi_pcp_field. */
static const char *const pcp_keys[ML_ZI_PCP__COUNT] = {
	[ML_ZI_PCP_COUNT] = "count:",       [ML_ZI_PCP_HIGH] = "high:",
	[ML_ZI_PCP_BATCH] = "batch:",       [ML_ZI_PCP_HIGH_MIN] = "high_min:",
	[ML_ZI_PCP_HIGH_MAX] = "high_max:", [ML_ZI_PCP_THRESHOLD] = NULL,
};

enum zi_state { ZS_START, ZS_NODE_RECORD, ZS_ZONE };
enum zi_phase { ZP_HEAD, ZP_NODE_STATS, ZP_WMARK, ZP_COUNTERS, ZP_PAGESETS, ZP_TAIL };

/*
 * The learned line layout. For each line of the last parse: the text before
 * its value (its "prefix") and what the state machine did with it. A line
 * whose prefix matches is applied without tokenizing; the first line that
 * does not match sends the rest of the parse through the state machine,
 * which records the layout again from there. Every line before matched, so
 * the state machine's state is what it was last time, and the recorded
 * action is the one it would take again. Lines whose effect depends on more
 * than their value (headers, bad lines) must match whole.
 */
enum memo_kind {
	MK_NONE,         /* nothing to learn (a line too long to remember): never matches */
	MK_BAD,          /* a bad line: whole line equal, then slow (bad again, same why) */
	MK_EXACT,        /* other lines ("per-node stats"): whole line equal, then slow */
	MK_PREFIX_SLOW,  /* unknown pageset keys ("cpuN key" names): prefix, then slow */
	MK_NODE_COUNTER, /* per-node counter */
	MK_FIELD_WMARK,  /* a field that moves HEAD/NODE_STATS to WMARK ("pages free") */
	MK_FIELD_KEEP,   /* a field in WMARK or COUNTERS */
	MK_FIELD_TAIL,   /* a "key:" field after the pagesets */
	MK_COUNTER,      /* zone counter */
	MK_NUMA,         /* NUMA counter */
	MK_PCP,          /* pageset field; arg = enum ml_zi_pcp_field */
	MK_PAGESETS,     /* "pagesets" */
	MK_CPU,          /* "cpu: N" */
	MK_PROTECTION,   /* "protection: (...)", whole line; key_len = its entries */
	MK_ZONE,         /* "Node N, zone NAME", whole line */
};

/* arg of MK_FIELD_WMARK when the key is "pages free", printed as two words. */
#define MEMO_PAGES_FREE 1

struct memo_line {
	uint32_t off;     /* of the prefix in text */
	uint16_t len;     /* prefix length: up to the value, or the whole line */
	uint16_t key_off; /* the key inside the prefix */
	uint16_t key_len;
	uint8_t kind;
	uint8_t arg;
};

struct ml_zi_memo {
	struct memo_line *e;
	uint32_t n, cap;
	char *text;
	uint32_t text_len, text_cap;
	uint32_t line; /* index of the current line in this parse */
	bool live;     /* every line so far matched */
	uint64_t cuts; /* parses that had to relearn from some line on */
	/* What the state machine did with the current line (set on success). */
	uint8_t rec_kind, rec_arg;
	const char *rec_key, *rec_value;
	size_t rec_key_len;
};

/* Record what the state machine did with this line, for the memo. */
static void
note(struct ml_zoneinfo *zi, uint8_t kind, uint8_t arg, const char *key, size_t klen,
     const char *value)
{
	struct ml_zi_memo *m = zi->memo;

	m->rec_kind = kind;
	m->rec_arg = arg;
	m->rec_key = key;
	m->rec_key_len = klen;
	m->rec_value = value;
}

void
ml_zoneinfo_init(struct ml_zoneinfo *zi)
{
	memset(zi, 0, sizeof *zi);
	zi->cur_zone = zi->cur_node = zi->cur_pcp = -1;
}

static void
zone_release(struct ml_zi_zone *z)
{
	ml_kvlist_release(&z->fields);
	ml_kvlist_release(&z->counters);
	ml_kvlist_release(&z->numa);
	ml_kvlist_release(&z->pageset_other);
	free(z->protection);
	free(z->pagesets);
}

void
ml_zoneinfo_release(struct ml_zoneinfo *zi)
{
	uint32_t i;

	for (i = 0; i < zi->zones_cap; i++)
		zone_release(&zi->zones[i]);
	for (i = 0; i < zi->nodes_cap; i++)
		ml_kvlist_release(&zi->nodes[i].stats);
	free(zi->zones);
	free(zi->nodes);
	if (zi->memo != NULL) {
		free(zi->memo->e);
		free(zi->memo->text);
		free(zi->memo);
	}
	ml_zoneinfo_init(zi);
}

uint64_t
ml_zoneinfo_relearns(const struct ml_zoneinfo *zi)
{
	return zi->memo != NULL ? zi->memo->cuts : 0;
}

const struct ml_zi_node *
ml_zoneinfo_zone_node(const struct ml_zoneinfo *zi, const struct ml_zi_zone *z)
{
	uint32_t i;

	for (i = 0; i < zi->nnodes; i++) {
		if (zi->nodes[i].id == z->node)
			return &zi->nodes[i];
	}
	return NULL;
}

bool
ml_zoneinfo_find(const struct ml_kvlist *l, const char *name, uint64_t *value)
{
	size_t n = strlen(name);
	uint32_t i;

	for (i = 0; i < l->n; i++) {
		if (l->e[i].name_len == n && memcmp(ml_kvlist_name(l, i), name, n) == 0) {
			*value = l->e[i].value;
			return true;
		}
	}
	return false;
}

static bool
has_prefix(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

enum ml_zi_unit
ml_zoneinfo_counter_unit(const struct ml_zoneinfo *zi, const char *name, size_t n)
{
	static const char *const thp[] = {
		"nr_anon_transparent_hugepages",
		"nr_shmem_hugepages",
		"nr_shmem_pmdmapped",
		"nr_file_hugepages",
		"nr_file_pmdmapped",
	};
	size_t i;

	for (i = 0; i < ML_ARRAY_SIZE(thp); i++) {
		if (ml_word_eq(name, n, thp[i]))
			return ML_ZI_UNIT_HUGE_PAGES;
	}
	if (ml_word_eq(name, n, "nr_kernel_stack"))
		return zi->node_stats_in_zone || zi->node_stats_record ? ML_ZI_UNIT_KB
								       : ML_ZI_UNIT_STACKS;
	if (has_prefix(name, n, "numa_") ||
	    (has_prefix(name, n, "workingset_") && !ml_word_eq(name, n, "workingset_nodes")))
		return ML_ZI_UNIT_EVENTS;
	return ML_ZI_UNIT_PAGES;
}

const char *
ml_zi_unit_name(enum ml_zi_unit u)
{
	switch (u) {
	case ML_ZI_UNIT_HUGE_PAGES:
		return "huge_pages";
	case ML_ZI_UNIT_KB:
		return "kB";
	case ML_ZI_UNIT_STACKS:
		return "stacks";
	case ML_ZI_UNIT_EVENTS:
		return "events";
	case ML_ZI_UNIT_PAGES:
		break;
	}
	return "pages";
}

static int
zoneinfo_begin(void *out)
{
	struct ml_zoneinfo *zi = out;

	zi->nzones = 0;
	zi->nnodes = 0;
	zi->node_stats_in_zone = false;
	zi->node_stats_record = false;
	zi->protection_after_counters = false;
	zi->cur_zone = zi->cur_node = zi->cur_pcp = -1;
	zi->state = ZS_START;
	if (zi->memo == NULL && (zi->memo = calloc(1, sizeof *zi->memo)) == NULL)
		return -1;
	zi->memo->line = 0;
	zi->memo->live = zi->memo->n > 0;
	return 0;
}

/* Grow *arr (of *cap elements of size sz) to hold at least need; new ones zeroed. */
static int
grow(void **arr, uint32_t *cap, uint32_t need, size_t sz)
{
	uint32_t ncap;
	char *p;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	while (ncap < need)
		ncap *= 2;
	p = realloc(*arr, (size_t)ncap * sz);
	if (p == NULL) {
		errno = ENOMEM;
		return -1;
	}
	memset(p + (size_t)*cap * sz, 0, (size_t)(ncap - *cap) * sz);
	*arr = p;
	*cap = ncap;
	return 0;
}

/* The node with this id in this parse, created when new; -1 on ENOMEM. */
static int32_t
node_get(struct ml_zoneinfo *zi, int64_t id)
{
	struct ml_zi_node *nd;
	uint32_t i;

	/* Zones come grouped by node: the current node is the usual answer. */
	if (zi->cur_node >= 0 && zi->nodes[zi->cur_node].id == id)
		return zi->cur_node;
	for (i = 0; i < zi->nnodes; i++) {
		if (zi->nodes[i].id == id)
			return (int32_t)i;
	}
	if (grow((void **)&zi->nodes, &zi->nodes_cap, zi->nnodes + 1, sizeof *zi->nodes) != 0)
		return -1;
	nd = &zi->nodes[zi->nnodes];
	nd->id = id;
	nd->has_stats = false;
	nd->nzones = 0;
	ml_kvlist_begin(&nd->stats);
	return (int32_t)zi->nnodes++;
}

/* Start a new zone record; -1 on ENOMEM. */
static int
zone_start(struct ml_zoneinfo *zi, int32_t node, const char *name, size_t n)
{
	struct ml_zi_zone *z;

	if (grow((void **)&zi->zones, &zi->zones_cap, zi->nzones + 1, sizeof *zi->zones) != 0)
		return -1;
	z = &zi->zones[zi->nzones];
	z->node = zi->nodes[node].id;
	memmove(z->name, name, n); /* the memo restarts a zone with its own name */
	z->name[n] = '\0';
	z->populated = false;
	memset(z->val, 0, sizeof z->val);
	memset(z->present, 0, sizeof z->present);
	ml_kvlist_begin(&z->fields);
	ml_kvlist_begin(&z->counters);
	ml_kvlist_begin(&z->numa);
	ml_kvlist_begin(&z->pageset_other);
	z->has_protection = false;
	z->nprotection = 0;
	z->npagesets = 0;
	z->phase = ZP_HEAD;
	zi->nodes[node].nzones++;
	zi->cur_zone = (int32_t)zi->nzones++;
	zi->cur_node = node;
	zi->cur_pcp = -1;
	zi->state = ZS_ZONE;
	return 0;
}

/* "Node N, zone NAME" or "Node N, per-node stats"; p is at "Node". */
static int
header_line(struct ml_zoneinfo *zi, const char *p, const char *end, const char **why)
{
	const char *t;
	uint64_t id;
	int32_t node;

	p = ml_skip_blanks(p + 4, end);
	if (ml_scan_u64(&p, end, &id) != ML_SCAN_OK || id > INT32_MAX || p >= end || *p != ',') {
		*why = "bad node number in a record header";
		return ML_LINE_BAD;
	}
	p = ml_skip_blanks(p + 1, end);
	t = ml_token_end(p, end);
	if (ml_word_eq(p, (size_t)(t - p), "zone")) {
		p = ml_skip_blanks(t, end);
		t = ml_token_end(p, end);
		if (t == p || !ml_only_blanks(t, end)) {
			*why = "bad zone name in a record header";
			return ML_LINE_BAD;
		}
		if ((size_t)(t - p) >= sizeof zi->zones[0].name) {
			*why = "zone name too long";
			return ML_LINE_BAD;
		}
		if ((node = node_get(zi, (int64_t)id)) < 0 ||
		    zone_start(zi, node, p, (size_t)(t - p)) != 0)
			return ML_LINE_FATAL;
		note(zi, MK_ZONE, 0, NULL, 0, end);
		return ML_LINE_OK;
	}
	if (ml_word_eq(p, (size_t)(t - p), "per-node")) {
		p = ml_skip_blanks(t, end);
		t = ml_token_end(p, end);
		if (!ml_word_eq(p, (size_t)(t - p), "stats") || !ml_only_blanks(t, end)) {
			*why = "bad per-node stats header";
			return ML_LINE_BAD;
		}
		if ((node = node_get(zi, (int64_t)id)) < 0)
			return ML_LINE_FATAL;
		zi->cur_node = node;
		zi->cur_zone = -1;
		zi->cur_pcp = -1;
		zi->state = ZS_NODE_RECORD;
		zi->node_stats_record = true;
		if (zi->nodes[node].has_stats) {
			/* Its counters will be reported as duplicates. */
			*why = "per-node stats printed twice for one node";
			return ML_LINE_BAD;
		}
		zi->nodes[node].has_stats = true;
		return ML_LINE_OK;
	}
	*why = "record header is neither a zone nor per-node stats";
	return ML_LINE_BAD;
}

/* A decimal value and nothing after it (scan.h). */
static int
value_u64(const char *p, const char *end, uint64_t *v, const char **why)
{
	return ml_scan_value_u64(p, end, v, why) == 0 ? ML_LINE_OK : ML_LINE_BAD;
}

static int
value_i64(const char *p, const char *end, int64_t *v, const char **why)
{
	return ml_scan_value_i64(p, end, v, why) == 0 ? ML_LINE_OK : ML_LINE_BAD;
}

static int
put_field(struct ml_zi_zone *z, const char *key, size_t n, uint64_t v, const char **why)
{
	int rc, slot;

	rc = ml_kvlist_put(&z->fields, ml_zoneinfo_field_keys, ML_ZI__FIELD_COUNT, z->present, key,
			   n, C, v, &slot, why);
	if (rc == ML_LINE_OK && slot >= 0) {
		z->val[slot] = v;
		ml_bit_set(z->present, (unsigned int)slot);
	}
	return rc;
}

static int
put_counter(struct ml_kvlist *l, const char *key, size_t n, uint64_t v, const char **why)
{
	int slot;

	return ml_kvlist_put(l, NULL, 0, NULL, key, n, C, v, &slot, why);
}

/*
 * Is key a known zone field? Only the text decides, never what the last parse
 * learned: a key an earlier file had as a field would otherwise turn an
 * indented line of the pagesets into a field on a refresh but not on a first
 * read (a fuzzer finding).
 */
static bool
is_field(const char *key, size_t n)
{
	return ml_kv_lookup(ml_zoneinfo_field_keys, ML_ZI__FIELD_COUNT, key, n) >= 0;
}

/*
 * "protection: (a, b, ...)": p is after the colon. The line is checked whole
 * before any entry is stored: a bad line leaves the entries of the last good
 * one in place, as the learned layout expects (MK_PROTECTION reuses them).
 */
static int
protection_line(struct ml_zi_zone *z, const char *p, const char *end, const char **why)
{
	const char *start;
	int64_t v;
	uint32_t n = 0, i;
	int rc, pass;

	if (z->has_protection) {
		*why = "duplicate key";
		return ML_LINE_BAD;
	}
	p = ml_skip_blanks(p, end);
	if (p >= end || *p != '(') {
		*why = "protection without '('";
		return ML_LINE_BAD;
	}
	start = p + 1;
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1 &&
		    grow((void **)&z->protection, &z->protection_cap, n, sizeof(int64_t)) != 0)
			return ML_LINE_FATAL;
		for (p = start, i = 0;;) {
			p = ml_skip_blanks(p, end);
			rc = ml_scan_i64(&p, end, &v);
			if (rc == ML_SCAN_OVERFLOW) {
				*why = "protection value does not fit in 64 bits";
				return ML_LINE_BAD;
			}
			if (rc != ML_SCAN_OK) {
				*why = "protection value missing";
				return ML_LINE_BAD;
			}
			if (pass == 1)
				z->protection[i] = v;
			i++;
			p = ml_skip_blanks(p, end);
			if (p < end && *p == ',') {
				p++;
				continue;
			}
			if (p < end && *p == ')' && ml_only_blanks(p + 1, end))
				break;
			*why = "protection list not closed by ')'";
			return ML_LINE_BAD;
		}
		n = i;
	}
	z->nprotection = n;
	z->has_protection = true;
	return ML_LINE_OK;
}

/* Store field f of the current pageset. */
static int
pcp_store(struct ml_zoneinfo *zi, struct ml_zi_zone *z, enum ml_zi_pcp_field f, int64_t v,
	  const char **why)
{
	struct ml_zi_pageset *ps;

	if (zi->cur_pcp < 0) {
		*why = "pageset field before any \"cpu:\" line";
		return ML_LINE_BAD;
	}
	ps = &z->pagesets[zi->cur_pcp];
	if (ml_zi_pcp_has(ps, f)) {
		*why = "duplicate key";
		return ML_LINE_BAD;
	}
	ps->v[f] = v;
	ps->present |= (uint8_t)(1u << f);
	return ML_LINE_OK;
}

/* The "protection:" line in its place: p is after the colon (NULL: unchanged). */
static int
protection_step(struct ml_zoneinfo *zi, struct ml_zi_zone *z, const char *p, const char *end,
		const char **why)
{
	int rc;

	if (z->phase == ZP_COUNTERS && z->counters.cursor + z->numa.cursor > 0)
		zi->protection_after_counters = true;
	if (p == NULL) {
		/* The memo: the same line as last time, so the same entries. */
		z->has_protection = true;
	} else if ((rc = protection_line(z, p, end, why)) != ML_LINE_OK) {
		return rc;
	}
	if (z->phase == ZP_WMARK)
		z->phase = ZP_COUNTERS;
	return ML_LINE_OK;
}

/* A pageset field (key is "count:", ...); p is after the key. */
static int
pageset_field(struct ml_zoneinfo *zi, struct ml_zi_zone *z, enum ml_zi_pcp_field f, const char *p,
	      const char *end, const char **why)
{
	int64_t v;
	int rc;

	if (zi->cur_pcp < 0) {
		*why = "pageset field before any \"cpu:\" line";
		return ML_LINE_BAD;
	}
	if ((rc = value_i64(p, end, &v, why)) != ML_LINE_OK)
		return rc;
	note(zi, MK_PCP, (uint8_t)f, NULL, 0, ml_skip_blanks(p, end));
	return pcp_store(zi, z, f, v, why);
}

/* An unknown "key: value" inside a pageset, kept as "cpuN key". */
static int
pageset_other(struct ml_zoneinfo *zi, struct ml_zi_zone *z, const char *key, size_t n,
	      const char *p, const char *end, const char **why)
{
	char name[96];
	uint64_t v;
	int len, rc;

	if (zi->cur_pcp < 0) {
		*why = "pageset field before any \"cpu:\" line";
		return ML_LINE_BAD;
	}
	if ((rc = value_u64(p, end, &v, why)) != ML_LINE_OK)
		return rc;
	note(zi, MK_PREFIX_SLOW, 0, NULL, 0, p);
	len = snprintf(name, sizeof name, "cpu%lld %.*s", (long long)z->pagesets[zi->cur_pcp].cpu,
		       (int)n, key);
	if (len < 0 || (size_t)len >= sizeof name) {
		*why = "pageset key too long";
		return ML_LINE_BAD;
	}
	return put_counter(&z->pageset_other, name, (size_t)len, v, why);
}

/* Start the pageset of cpu. */
static int
pcp_append(struct ml_zoneinfo *zi, struct ml_zi_zone *z, int64_t cpu)
{
	struct ml_zi_pageset *ps;

	if (grow((void **)&z->pagesets, &z->pagesets_cap, z->npagesets + 1, sizeof *z->pagesets) !=
	    0)
		return ML_LINE_FATAL;
	ps = &z->pagesets[z->npagesets];
	memset(ps, 0, sizeof *ps);
	ps->cpu = cpu;
	zi->cur_pcp = (int32_t)z->npagesets++;
	return ML_LINE_OK;
}

/* "cpu: N" starts a pageset. */
static int
cpu_line(struct ml_zoneinfo *zi, struct ml_zi_zone *z, const char *p, const char *end,
	 const char **why)
{
	int64_t cpu;
	int rc;

	if (z->phase != ZP_PAGESETS) {
		*why = "\"cpu:\" outside the pagesets";
		return ML_LINE_BAD;
	}
	if ((rc = value_i64(p, end, &cpu, why)) != ML_LINE_OK)
		return rc;
	note(zi, MK_CPU, 0, NULL, 0, ml_skip_blanks(p, end));
	return pcp_append(zi, z, cpu);
}

/* A "key:" line of a zone record (tok..tend is the key with its colon). */
static int
colon_line(struct ml_zoneinfo *zi, struct ml_zi_zone *z, const char *tok, const char *tend,
	   const char *end, size_t indent, const char **why)
{
	size_t n = (size_t)(tend - tok), klen = n - 1;
	uint64_t v;
	int f, rc;

	if (z->phase == ZP_PAGESETS) {
		for (f = 0; f < ML_ZI_PCP__COUNT; f++) {
			if (pcp_keys[f] != NULL && ml_word_eq(tok, n, pcp_keys[f]))
				return pageset_field(zi, z, (enum ml_zi_pcp_field)f, tend, end,
						     why);
		}
		if (!is_field(tok, klen) && indent > 2)
			return pageset_other(zi, z, tok, klen, tend, end, why);
	}
	if (z->phase == ZP_HEAD || z->phase == ZP_NODE_STATS) {
		*why = "zone field before \"pages free\"";
		return ML_LINE_BAD;
	}
	if ((rc = value_u64(tend, end, &v, why)) != ML_LINE_OK)
		return rc;
	note(zi, MK_FIELD_TAIL, 0, tok, klen, ml_skip_blanks(tend, end));
	if (z->phase == ZP_PAGESETS)
		zi->cur_pcp = -1;
	z->phase = ZP_TAIL;
	return put_field(z, tok, klen, v, why);
}

/* A "name value" line inside a zone record. */
static int
word_line(struct ml_zoneinfo *zi, struct ml_zi_zone *z, const char *tok, const char *tend,
	  const char *end, const char **why)
{
	size_t n = (size_t)(tend - tok);
	const char *value = ml_skip_blanks(tend, end);
	bool numa;
	uint64_t v;
	int rc;

	if ((rc = value_u64(tend, end, &v, why)) != ML_LINE_OK)
		return rc;
	switch (z->phase) {
	case ZP_NODE_STATS:
		note(zi, MK_NODE_COUNTER, 0, tok, n, value);
		return put_counter(&zi->nodes[zi->cur_node].stats, tok, n, v, why);
	case ZP_HEAD:
		if (!is_field(tok, n)) {
			*why = "unknown line before \"pages free\"";
			return ML_LINE_BAD;
		}
		note(zi, MK_FIELD_WMARK, 0, tok, n, value);
		z->phase = ZP_WMARK;
		return put_field(z, tok, n, v, why);
	case ZP_WMARK:
		if (is_field(tok, n) ||
		    (!has_prefix(tok, n, "nr_") && !has_prefix(tok, n, "numa_"))) {
			note(zi, MK_FIELD_KEEP, 0, tok, n, value);
			return put_field(z, tok, n, v, why);
		}
		break;
	case ZP_COUNTERS:
		/* Counters are nr_* and numa_*; a known field here is out of order. */
		if (!has_prefix(tok, n, "nr_") && !has_prefix(tok, n, "numa_") &&
		    is_field(tok, n)) {
			note(zi, MK_FIELD_KEEP, 0, tok, n, value);
			return put_field(z, tok, n, v, why);
		}
		break;
	default:
		*why = "counter after the pagesets";
		return ML_LINE_BAD;
	}
	numa = has_prefix(tok, n, "numa_");
	note(zi, numa ? MK_NUMA : MK_COUNTER, 0, tok, n, value);
	z->phase = ZP_COUNTERS;
	z->populated = true;
	return put_counter(numa ? &z->numa : &z->counters, tok, n, v, why);
}

/* The state machine: one line, tokenized and classified. */
static int
slow_line(struct ml_zoneinfo *zi, const char *s, size_t n, const char **why)
{
	const char *end = s + n, *p, *tok_end, *q, *t;
	struct ml_zi_zone *z;
	size_t tn;
	uint64_t v;
	int rc;

	p = ml_skip_blanks(s, end);
	if (p == end) {
		*why = "empty line";
		return ML_LINE_BAD;
	}
	tok_end = ml_token_end(p, end);
	tn = (size_t)(tok_end - p);
	if (ml_word_eq(p, tn, "Node"))
		return header_line(zi, p, end, why);

	if (zi->state == ZS_START) {
		*why = "line before the first \"Node\" record";
		return ML_LINE_BAD;
	}
	if (zi->state == ZS_NODE_RECORD) {
		if (p[tn - 1] == ':') {
			*why = "unexpected key in per-node stats";
			return ML_LINE_BAD;
		}
		if ((rc = value_u64(tok_end, end, &v, why)) != ML_LINE_OK)
			return rc;
		note(zi, MK_NODE_COUNTER, 0, p, tn, ml_skip_blanks(tok_end, end));
		return put_counter(&zi->nodes[zi->cur_node].stats, p, tn, v, why);
	}

	z = &zi->zones[zi->cur_zone];
	switch (p[0]) {
	case 'p':
		if (ml_word_eq(p, tn, "pages")) {
			q = ml_skip_blanks(tok_end, end);
			t = ml_token_end(q, end);
			if (!ml_word_eq(q, (size_t)(t - q), "free")) {
				*why = "\"pages\" not followed by \"free\"";
				return ML_LINE_BAD;
			}
			/*
			 * The watermark block starts here even when the value is
			 * bad: one bad line, not one per field after it.
			 */
			if (z->phase == ZP_HEAD || z->phase == ZP_NODE_STATS)
				z->phase = ZP_WMARK;
			if ((rc = value_u64(t, end, &v, why)) != ML_LINE_OK)
				return rc;
			note(zi, MK_FIELD_WMARK, MEMO_PAGES_FREE, NULL, 0, ml_skip_blanks(t, end));
			return put_field(z, "pages free", 10, v, why);
		}
		if (ml_word_eq(p, tn, "pagesets")) {
			if (!ml_only_blanks(tok_end, end)) {
				*why = "unexpected text after \"pagesets\"";
				return ML_LINE_BAD;
			}
			if (z->phase != ZP_WMARK && z->phase != ZP_COUNTERS) {
				*why = "\"pagesets\" out of place";
				return ML_LINE_BAD;
			}
			note(zi, MK_PAGESETS, 0, NULL, 0, end);
			z->phase = ZP_PAGESETS;
			z->populated = true;
			return ML_LINE_OK;
		}
		if (ml_word_eq(p, tn, "protection:")) {
			if (z->phase == ZP_HEAD || z->phase == ZP_NODE_STATS) {
				*why = "protection before \"pages free\"";
				return ML_LINE_BAD;
			}
			if ((rc = protection_step(zi, z, tok_end, end, why)) != ML_LINE_OK)
				return rc;
			if (z->nprotection <= UINT16_MAX)
				note(zi, MK_PROTECTION, 0, NULL, z->nprotection, end);
			return ML_LINE_OK;
		}
		if (ml_word_eq(p, tn, "per-node")) {
			q = ml_skip_blanks(tok_end, end);
			t = ml_token_end(q, end);
			if (!ml_word_eq(q, (size_t)(t - q), "stats") || !ml_only_blanks(t, end)) {
				*why = "bad per-node stats line";
				return ML_LINE_BAD;
			}
			if (z->phase != ZP_HEAD) {
				*why = "per-node stats inside a zone's fields";
				return ML_LINE_BAD;
			}
			z->phase = ZP_NODE_STATS;
			zi->node_stats_in_zone = true;
			if (zi->nodes[zi->cur_node].has_stats) {
				*why = "per-node stats printed twice for one node";
				return ML_LINE_BAD;
			}
			zi->nodes[zi->cur_node].has_stats = true;
			return ML_LINE_OK;
		}
		break;
	case 'c':
		if (ml_word_eq(p, tn, "cpu:"))
			return cpu_line(zi, z, tok_end, end, why);
		break;
	case 'v':
		if (ml_word_eq(p, tn, "vm")) {
			/* "vm stats threshold: V" */
			q = ml_skip_blanks(tok_end, end);
			t = ml_token_end(q, end);
			if (ml_word_eq(q, (size_t)(t - q), "stats")) {
				q = ml_skip_blanks(t, end);
				t = ml_token_end(q, end);
				if (ml_word_eq(q, (size_t)(t - q), "threshold:")) {
					if (z->phase != ZP_PAGESETS) {
						*why = "\"vm stats threshold\" outside the "
						       "pagesets";
						return ML_LINE_BAD;
					}
					return pageset_field(zi, z, ML_ZI_PCP_THRESHOLD, t, end,
							     why);
				}
			}
		}
		break;
	default:
		break;
	}
	if (tn > 1 && p[tn - 1] == ':')
		return colon_line(zi, z, p, tok_end, end, (size_t)(p - s), why);
	if (ml_only_blanks(tok_end, end)) {
		*why = "a word without a value";
		return ML_LINE_BAD;
	}
	return word_line(zi, z, p, tok_end, end, why);
}

/* Drop the layout from line i on: the rest of this parse relearns it. */
static void
memo_cut(struct ml_zi_memo *m, uint32_t i)
{
	if (i < m->n) {
		m->text_len = m->e[i].off;
		m->n = i;
	}
	m->live = false;
	m->cuts++;
}

/* Append what the state machine did with line s (n bytes); -1 on ENOMEM. */
static int
memo_record(struct ml_zi_memo *m, const char *s, size_t n, int rc)
{
	struct memo_line *e;
	size_t len;

	if (m->n == m->cap) {
		uint32_t cap = m->cap ? m->cap * 2 : 256;
		struct memo_line *p = realloc(m->e, cap * sizeof *p);

		if (p == NULL)
			return -1;
		m->e = p;
		m->cap = cap;
	}
	e = &m->e[m->n];
	e->kind = n > UINT16_MAX ? MK_NONE : rc == ML_LINE_OK ? m->rec_kind : MK_BAD;
	e->arg = m->rec_arg;
	e->key_off = m->rec_key != NULL ? (uint16_t)(m->rec_key - s) : 0;
	e->key_len = (uint16_t)m->rec_key_len;
	if (e->kind == MK_NONE)
		len = 0;
	else if (e->kind == MK_EXACT || e->kind == MK_BAD || m->rec_value == NULL)
		len = n;
	else
		len = (size_t)(m->rec_value - s);
	if (m->text_len + len > m->text_cap) {
		uint32_t cap = m->text_cap ? m->text_cap : 8192;
		char *p;

		while (m->text_len + len > cap)
			cap *= 2;
		if ((p = realloc(m->text, cap)) == NULL)
			return -1;
		m->text = p;
		m->text_cap = cap;
	}
	e->off = m->text_len;
	e->len = (uint16_t)len;
	if (len > 0) /* text is NULL until the first prefix: an empty first line has none */
		memcpy(m->text + m->text_len, s, len);
	m->text_len += (uint32_t)len;
	m->n++;
	return 0;
}

#define MEMO_MISS 2

/* n bytes at a equal n bytes at b: eight at a time (prefixes are short). */
static inline bool
prefix_eq(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	size_t i;

	if (n < 8)
		return memcmp(a, b, n) == 0;
	for (i = 0; i + 8 < n; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return false;
	}
	/* The last eight bytes, overlapping the chunk before when n % 8 != 0. */
	memcpy(&x, a + n - 8, 8);
	memcpy(&y, b + n - 8, 8);
	return x == y;
}

/* The value after a matched prefix: 1 to 18 digits, then only blanks. */
static inline bool
fast_u64(const char *p, const char *end, uint64_t *out)
{
	size_t len = (size_t)(end - p), k;
	uint64_t x = 0;
	unsigned int c;

	/* Longer numbers may overflow: the state machine reports those. */
	if (len == 0 || len > 18)
		return false;
	for (k = 0; k < len; k++) {
		c = (unsigned char)p[k] - '0';
		if (c > 9)
			break;
		x = x * 10 + c;
	}
	if (k == 0)
		return false;
	/* The kernel prints no trailing blanks; a copy might. */
	for (; k < len; k++)
		if (p[k] != ' ' && p[k] != '\t' && p[k] != '\r')
			return false;
	*out = x;
	return true;
}

static inline bool
fast_i64(const char *p, const char *end, int64_t *out)
{
	uint64_t x;
	bool neg = p < end && *p == '-';

	if (!fast_u64(p + neg, end, &x))
		return false;
	*out = neg ? -(int64_t)x : (int64_t)x;
	return true;
}

/*
 * Store v in the next entry of a learned key/value list. Every line before
 * this one matched its layout, so the list's cursor is at this very key, as
 * ml_kvlist_put() would find it (kv.h); false when the list is shorter.
 */
static inline struct ml_kv_entry *
kv_next(struct ml_kvlist *l, uint64_t v)
{
	struct ml_kv_entry *e;

	if (l->cursor >= l->n)
		return NULL;
	e = &l->e[l->cursor++];
	e->value = v;
	return e;
}

/* A field: the list entry, and the known slot with its presence bit. */
static inline int
fast_field(struct ml_zi_zone *z, uint64_t v)
{
	struct ml_kv_entry *e = kv_next(&z->fields, v);

	if (e == NULL)
		return MEMO_MISS;
	if (e->slot >= 0) {
		z->val[e->slot] = v;
		ml_bit_set(z->present, (unsigned int)e->slot);
	}
	return ML_LINE_OK;
}

/* Line s matched against the layout: its result, or MEMO_MISS. */
static int
memo_try(struct ml_zoneinfo *zi, const struct memo_line *e, const char *s, size_t n,
	 const char **why)
{
	const char *end = s + n, *v = s + e->len;
	struct ml_zi_zone *z;
	uint64_t u;
	int64_t i;
	int32_t node;

	/* An empty line's entry has no text: memo->text may still be NULL. */
	if (e->len > n || (e->len != 0 && !prefix_eq(s, zi->memo->text + e->off, e->len)))
		return MEMO_MISS;
	z = zi->cur_zone >= 0 ? &zi->zones[zi->cur_zone] : NULL;
	switch (e->kind) {
	case MK_COUNTER:
	case MK_NUMA:
		if (!fast_u64(v, end, &u) ||
		    !kv_next(e->kind == MK_NUMA ? &z->numa : &z->counters, u))
			return MEMO_MISS;
		z->phase = ZP_COUNTERS;
		z->populated = true;
		return ML_LINE_OK;
	case MK_NODE_COUNTER:
		if (!fast_u64(v, end, &u) || !kv_next(&zi->nodes[zi->cur_node].stats, u))
			return MEMO_MISS;
		return ML_LINE_OK;
	case MK_PCP:
		if (!fast_i64(v, end, &i))
			return MEMO_MISS;
		return pcp_store(zi, z, (enum ml_zi_pcp_field)e->arg, i, why);
	case MK_FIELD_KEEP:
		return fast_u64(v, end, &u) ? fast_field(z, u) : MEMO_MISS;
	case MK_FIELD_WMARK:
		if (!fast_u64(v, end, &u) || z->fields.cursor >= z->fields.n)
			return MEMO_MISS;
		if (z->phase == ZP_HEAD || z->phase == ZP_NODE_STATS)
			z->phase = ZP_WMARK;
		return fast_field(z, u);
	case MK_FIELD_TAIL:
		if (!fast_u64(v, end, &u) || z->fields.cursor >= z->fields.n)
			return MEMO_MISS;
		if (z->phase == ZP_PAGESETS)
			zi->cur_pcp = -1;
		z->phase = ZP_TAIL;
		return fast_field(z, u);
	case MK_CPU:
		if (!fast_i64(v, end, &i))
			return MEMO_MISS;
		return pcp_append(zi, z, i);
	case MK_PAGESETS:
		if (e->len != n)
			return MEMO_MISS;
		z->phase = ZP_PAGESETS;
		z->populated = true;
		return ML_LINE_OK;
	case MK_PROTECTION:
		/* Unchanged since last time: the entries are still in the zone. */
		if (e->len != n || z->protection_cap < e->key_len)
			return MEMO_MISS;
		z->nprotection = e->key_len;
		return protection_step(zi, z, NULL, end, why);
	case MK_ZONE:
		/* The same header at the same index: the zone's node and name. */
		if (e->len != n || zi->nzones >= zi->zones_cap)
			return MEMO_MISS;
		z = &zi->zones[zi->nzones];
		if ((node = node_get(zi, z->node)) < 0 ||
		    zone_start(zi, node, z->name, strlen(z->name)) != 0)
			return ML_LINE_FATAL;
		return ML_LINE_OK;
	case MK_EXACT:
	case MK_BAD:
		if (e->len != n)
			return MEMO_MISS;
		return slow_line(zi, s, n, why);
	case MK_PREFIX_SLOW:
		return slow_line(zi, s, n, why);
	default:
		return MEMO_MISS;
	}
}

static int
zoneinfo_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_zoneinfo *zi = out;
	struct ml_zi_memo *m = zi->memo;
	uint32_t line = m->line++;
	int rc;

	if (m->live && line < m->n) {
		const struct memo_line *e = &m->e[line];

		rc = memo_try(zi, e, s, n, why);
		/* The same outcome as last time (a bad line may be bad again). */
		if (rc == ML_LINE_OK || rc == ML_LINE_FATAL ||
		    (rc == ML_LINE_BAD && e->kind == MK_BAD))
			return rc;
		memo_cut(m, line);
		if (rc == ML_LINE_BAD) {
			/* Matched, but bad now: the state machine went another way. */
			if (memo_record(m, s, n, rc) != 0) {
				errno = ENOMEM;
				return ML_LINE_FATAL;
			}
			return rc;
		}
	}
	m->rec_kind = MK_EXACT;
	m->rec_arg = 0;
	m->rec_key = NULL;
	m->rec_key_len = 0;
	m->rec_value = NULL;
	rc = slow_line(zi, s, n, why);
	if (rc != ML_LINE_FATAL && line == m->n && memo_record(m, s, n, rc) != 0) {
		errno = ENOMEM;
		return ML_LINE_FATAL;
	}
	return rc;
}

/*
 * The bulk fast path (struct ml_source's bulk): while every line so far
 * matched the memo, take the value lines (counters, fields, pagesets) here,
 * without the feed's call per line. Their memo_try has no effect unless it
 * succeeds, so a line it declines goes to zoneinfo_line untouched.
 */
static size_t
zoneinfo_bulk(void *out, const char *buf, size_t len, uint64_t *lines)
{
	struct ml_zoneinfo *zi = out;
	struct ml_zi_memo *m = zi->memo;
	const char *p = buf, *end = buf + len, *nl, *why;

	while (m->live && m->line < m->n) {
		const struct memo_line *e = &m->e[m->line];

		switch (e->kind) {
		case MK_NODE_COUNTER:
		case MK_FIELD_WMARK:
		case MK_FIELD_KEEP:
		case MK_FIELD_TAIL:
		case MK_COUNTER:
		case MK_NUMA:
		case MK_PCP:
			break;
		default:
			return (size_t)(p - buf);
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL || nl - p > ML_LINE_MAX ||
		    memo_try(zi, e, p, (size_t)(nl - p), &why) != ML_LINE_OK)
			break;
		m->line++;
		(*lines)++;
		p = nl + 1;
	}
	return (size_t)(p - buf);
}

static int
zoneinfo_finish(void *out, char **cause)
{
	struct ml_zoneinfo *zi = out;
	uint32_t i;

	for (i = 0; i < zi->nzones; i++) {
		ml_kvlist_finish(&zi->zones[i].fields);
		ml_kvlist_finish(&zi->zones[i].counters);
		ml_kvlist_finish(&zi->zones[i].numa);
		ml_kvlist_finish(&zi->zones[i].pageset_other);
	}
	for (i = 0; i < zi->nnodes; i++)
		ml_kvlist_finish(&zi->nodes[i].stats);
	/* A shorter file: the layout ends where it did. */
	if (zi->memo->line < zi->memo->n)
		memo_cut(zi->memo, zi->memo->line);
	zi->cur_zone = zi->cur_node = zi->cur_pcp = -1;
	zi->state = ZS_START;
	/* Every kernel prints at least one zone: without one this is no zoneinfo. */
	if (zi->nzones == 0) {
		ml_set_cause(cause, "no zone records");
		errno = ENODATA;
		return -1;
	}
	return 0;
}

/*
 * A last line without its newline is complete when it closes a tuple
 * ("protection: (0, 0, 0, 0, 0)", the last line of most zoneinfo files:
 * that of an unpopulated zone); a number may have lost digits.
 */
static bool
zoneinfo_complete(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n > 0 && s[n - 1] == ')';
}

const struct ml_source ml_src_zoneinfo = {
	.name = "zoneinfo",
	.path = "zoneinfo",
	.begin = zoneinfo_begin,
	.line = zoneinfo_line,
	.finish = zoneinfo_finish,
	.bulk = zoneinfo_bulk,
	.complete = zoneinfo_complete,
};

/*
 * /proc/PID/numa_maps; see numamaps.h and doc/procfs.md section 21.
 *
 * A line is the mapping's start address, its policy (one token, or two for
 * "weighted interleave"), then "key" and "key=value" tokens in the order
 * show_numa_map() prints them. The policy is every token before the first
 * one this parser knows; tokens after it that it does not know (a newer
 * kernel's) are skipped. A line is taken whole or counted as bad: nothing of
 * a bad line reaches the sums.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "proc/numamaps.h"
#include "proc/scan.h"

/* MAX_NUMNODES is at most 1 << 10 (CONFIG_NODES_SHIFT <= 10). */
#define NMAP_NODE_MAX 1024

static const char *const kind_names[ML_NMAP__KIND_COUNT] = {
	[ML_NMAP_ANON] = "anon", [ML_NMAP_HEAP] = "heap",    [ML_NMAP_STACK] = "stack",
	[ML_NMAP_FILE] = "file", [ML_NMAP_HUGE] = "hugetlb",
};

const char *
ml_nmap_kind_name(enum ml_nmap_kind k)
{
	return k < ML_NMAP__KIND_COUNT ? kind_names[k] : "?";
}

void
ml_numa_maps_init(struct ml_numa_maps *nm)
{
	memset(nm, 0, sizeof *nm);
}

void
ml_numa_maps_release(struct ml_numa_maps *nm)
{
	free(nm->node);
	free(nm->line_node);
	free(nm->line_pages);
	memset(nm, 0, sizeof *nm);
}

static int
numa_maps_begin(void *out)
{
	struct ml_numa_maps *nm = out;

	if (nm->node != NULL)
		memset(nm->node, 0, nm->cap * sizeof *nm->node);
	nm->nnodes = 0;
	nm->mappings = nm->resident = 0;
	nm->anon_pages = nm->anon_bytes = nm->dirty_bytes = nm->swapcache_bytes = 0;
	nm->overflow = false;
	nm->npolicies = 0;
	memset(nm->policy, 0, sizeof nm->policy);
	nm->other_policies = 0;
	return 0;
}

static bool
starts(const char *p, size_t n, const char *w)
{
	size_t k = strlen(w);

	return n >= k && memcmp(p, w, k) == 0;
}

/* "N12=": the node number of a per-node count, or -1. */
static int
node_token(const char *p, size_t n)
{
	const char *q = p + 1, *eq = memchr(p, '=', n);
	uint64_t id;

	if (n < 3 || p[0] != 'N' || eq == NULL)
		return -1;
	if (ml_scan_u64(&q, eq, &id) != ML_SCAN_OK || q != eq || id >= NMAP_NODE_MAX)
		return -1;
	return (int)id;
}

/* A token this parser knows: the end of the policy. */
static bool
known_token(const char *p, size_t n)
{
	static const char *const eq_keys[] = { "file=",   "anon=",      "dirty=",
					       "mapped=", "mapmax=",    "swapcache=",
					       "active=", "writeback=", "kernelpagesize_kB=" };
	size_t i;

	for (i = 0; i < ML_ARRAY_SIZE(eq_keys); i++) {
		if (starts(p, n, eq_keys[i]))
			return true;
	}
	if (ml_word_eq(p, n, "heap") || ml_word_eq(p, n, "stack") || ml_word_eq(p, n, "huge") ||
	    starts(p, n, "stack:"))
		return true;
	return n >= 2 && p[0] == 'N' && (unsigned char)(p[1] - '0') <= 9 &&
	       memchr(p, '=', n) != NULL;
}

/* The value after "key=" of a token of n bytes; 0 or -1. */
static int
token_value(const char *p, size_t n, uint64_t *v)
{
	const char *eq = memchr(p, '=', n), *q, *end = p + n;

	if (eq == NULL)
		return -1;
	q = eq + 1;
	if (ml_scan_u64(&q, end, v) != ML_SCAN_OK || q != end)
		return -1;
	return 0;
}

static int
grow_nodes(struct ml_numa_maps *nm, uint32_t id)
{
	uint32_t cap = nm->cap ? nm->cap : 4;
	struct ml_nmap_node *v;

	while (cap <= id)
		cap *= 2;
	v = realloc(nm->node, cap * sizeof *v);
	if (v == NULL)
		return -1;
	memset(v + nm->cap, 0, (cap - nm->cap) * sizeof *v);
	nm->node = v;
	nm->cap = cap;
	return 0;
}

static int
grow_line(struct ml_numa_maps *nm)
{
	uint32_t cap = nm->line_cap ? nm->line_cap * 2 : 8;
	uint32_t *n = realloc(nm->line_node, cap * sizeof *n);
	uint64_t *p;

	if (n == NULL)
		return -1;
	nm->line_node = n;
	p = realloc(nm->line_pages, cap * sizeof *p);
	if (p == NULL)
		return -1;
	nm->line_pages = p;
	nm->line_cap = cap;
	return 0;
}

static void
add(struct ml_numa_maps *nm, uint64_t *sum, uint64_t v)
{
	if (!ml_add_u64(*sum, v, sum))
		nm->overflow = true;
}

/* pages * kb * 1024, or false on overflow. */
static bool
to_bytes(uint64_t pages, uint64_t kb, uint64_t *bytes)
{
	return ml_mul_u64(pages, kb, bytes) && ml_mul_u64(*bytes, 1024, bytes);
}

static void
count_policy(struct ml_numa_maps *nm, const char *p, size_t n)
{
	uint32_t i;

	if (ml_word_eq(p, n, "default"))
		return;
	for (i = 0; i < nm->npolicies; i++) {
		if (strlen(nm->policy[i].text) == n && memcmp(nm->policy[i].text, p, n) == 0) {
			nm->policy[i].mappings++;
			return;
		}
	}
	if (nm->npolicies == ML_NMAP_POLICIES || n >= sizeof nm->policy[0].text) {
		nm->other_policies++;
		return;
	}
	memcpy(nm->policy[nm->npolicies].text, p, n);
	nm->policy[nm->npolicies].text[n] = '\0';
	nm->policy[nm->npolicies].mappings = 1;
	nm->npolicies++;
}

static int
numa_maps_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_numa_maps *nm = out;
	const char *p = s, *end = s + n, *tok, *tok_end, *pol = NULL, *pol_end = NULL;
	enum ml_nmap_kind kind = ML_NMAP_ANON;
	bool has_file = false, huge = false, has_kps = false;
	uint64_t addr, kps = 0, anon = 0, dirty = 0, swapcache = 0, v, bytes;
	int last_node = -1;
	uint32_t i;

	if (ml_scan_hex(&p, end, &addr) != ML_SCAN_OK || p == end || (*p != ' ' && *p != '\t')) {
		*why = "no address";
		return ML_LINE_BAD;
	}
	nm->line_n = 0;
	for (p = ml_skip_blanks(p, end); p < end; p = ml_skip_blanks(tok_end, end)) {
		size_t len;
		int id;

		tok = p;
		tok_end = ml_token_end(p, end);
		len = (size_t)(tok_end - tok);
		if (pol_end == NULL && !known_token(tok, len)) {
			if (pol == NULL)
				pol = tok;
			continue;
		}
		if (pol_end == NULL) {
			if (pol == NULL) {
				*why = "no memory policy";
				return ML_LINE_BAD;
			}
			/* the policy ends at the last blank-separated word before tok */
			pol_end = tok;
			while (pol_end > pol && (pol_end[-1] == ' ' || pol_end[-1] == '\t'))
				pol_end--;
		}
		if (starts(tok, len, "file=")) {
			has_file = true;
		} else if (ml_word_eq(tok, len, "heap")) {
			kind = ML_NMAP_HEAP;
		} else if (ml_word_eq(tok, len, "stack") || starts(tok, len, "stack:")) {
			kind = ML_NMAP_STACK;
		} else if (ml_word_eq(tok, len, "huge")) {
			huge = true;
		} else if ((id = node_token(tok, len)) >= 0) {
			if (token_value(tok, len, &v) != 0) {
				*why = "bad node count";
				return ML_LINE_BAD;
			}
			if (id <= last_node) {
				*why = "nodes not in ascending order";
				return ML_LINE_BAD;
			}
			last_node = id;
			if (nm->line_n == nm->line_cap && grow_line(nm) != 0) {
				errno = ENOMEM;
				return ML_LINE_FATAL;
			}
			nm->line_node[nm->line_n] = (uint32_t)id;
			nm->line_pages[nm->line_n] = v;
			nm->line_n++;
		} else if (tok[0] == 'N' && len >= 2 && (unsigned char)(tok[1] - '0') <= 9) {
			*why = "bad node number";
			return ML_LINE_BAD;
		} else if (starts(tok, len, "kernelpagesize_kB=")) {
			if (token_value(tok, len, &kps) != 0 || kps == 0 || has_kps) {
				*why = "bad kernelpagesize_kB";
				return ML_LINE_BAD;
			}
			has_kps = true;
		} else if (starts(tok, len, "anon=") || starts(tok, len, "dirty=") ||
			   starts(tok, len, "swapcache=") || starts(tok, len, "mapped=") ||
			   starts(tok, len, "mapmax=") || starts(tok, len, "active=") ||
			   starts(tok, len, "writeback=")) {
			if (token_value(tok, len, &v) != 0) {
				*why = "bad count";
				return ML_LINE_BAD;
			}
			if (tok[0] == 'a' && tok[1] == 'n')
				anon = v;
			else if (tok[0] == 'd')
				dirty = v;
			else if (tok[0] == 's')
				swapcache = v;
		}
		/* anything else: a newer kernel's token, skipped */
	}
	if (pol == NULL) {
		*why = "no memory policy";
		return ML_LINE_BAD;
	}
	if (pol_end == NULL) {
		pol_end = end;
		while (pol_end > pol && (pol_end[-1] == ' ' || pol_end[-1] == '\t'))
			pol_end--;
	}
	if (huge)
		kind = ML_NMAP_HUGE;
	else if (has_file)
		kind = ML_NMAP_FILE;
	/* Every check is done: the line is good, add it. */
	if (nm->line_n > 0 && nm->line_node[nm->line_n - 1] >= nm->cap &&
	    grow_nodes(nm, nm->line_node[nm->line_n - 1]) != 0) {
		errno = ENOMEM;
		return ML_LINE_FATAL;
	}
	nm->mappings++;
	if (nm->line_n > 0)
		nm->resident++;
	for (i = 0; i < nm->line_n; i++) {
		struct ml_nmap_node *nd = &nm->node[nm->line_node[i]];

		nd->seen = true;
		if (nm->line_node[i] + 1 > nm->nnodes)
			nm->nnodes = nm->line_node[i] + 1;
		if (has_kps) {
			if (to_bytes(nm->line_pages[i], kps, &bytes))
				add(nm, &nd->bytes[kind], bytes);
			else
				nm->overflow = true;
		} else if (kind == ML_NMAP_HUGE) {
			add(nm, &nd->huge_pages_unsized, nm->line_pages[i]);
		} else {
			add(nm, &nd->base_pages, nm->line_pages[i]);
		}
	}
	add(nm, &nm->anon_pages, anon);
	if (has_kps) {
		if (to_bytes(anon, kps, &bytes))
			add(nm, &nm->anon_bytes, bytes);
		else
			nm->overflow = true;
		if (to_bytes(dirty, kps, &bytes))
			add(nm, &nm->dirty_bytes, bytes);
		else
			nm->overflow = true;
		if (to_bytes(swapcache, kps, &bytes))
			add(nm, &nm->swapcache_bytes, bytes);
		else
			nm->overflow = true;
	}
	count_policy(nm, pol, (size_t)(pol_end - pol));
	return ML_LINE_OK;
}

const struct ml_source ml_src_numa_maps = {
	.name = "numa_maps",
	.path = NULL, /* PID/numa_maps */
	.begin = numa_maps_begin,
	.line = numa_maps_line,
};

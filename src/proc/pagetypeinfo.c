/*
 * /proc/pagetypeinfo: free lists per migrate type and pageblock counts; see
 * doc/procfs.md section 5 and pagetypeinfo.h. Counts are free blocks (of 2^order
 * pages) and pageblocks, kept as printed; ">100000" is kept as 100000 with an
 * "at least" bit. Accepts 3.10 (Reserve, uncapped, 0444) to 6.18 (HighAtomic,
 * capped, 0400), a header block per node, and the page_owner mixed table.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc/pagetypeinfo.h"
#include "proc/scan.h"
#include "util.h"

#define FREE_HEADER "Free pages count per migrate type at order"
#define BLOCKS_HEADER "Number of blocks type"
#define MIXED_HEADER "Number of mixed blocks"

void
ml_pagetypeinfo_init(struct ml_pagetypeinfo *pt)
{
	memset(pt, 0, sizeof *pt);
}

void
ml_pagetypeinfo_release(struct ml_pagetypeinfo *pt)
{
	free(pt->zones);
	memset(pt, 0, sizeof *pt);
}

const struct ml_pti_zone *
ml_pagetypeinfo_find(const struct ml_pagetypeinfo *pt, int node, const char *name)
{
	size_t i;

	for (i = 0; i < pt->nzones; i++) {
		if (pt->zones[i].node == node && strcmp(pt->zones[i].name, name) == 0)
			return &pt->zones[i];
	}
	return NULL;
}

int
ml_pagetypeinfo_type(const struct ml_pagetypeinfo *pt, const char *name)
{
	unsigned int t;

	for (t = 0; t < pt->ntypes; t++) {
		if (strcmp(pt->type_name[t], name) == 0)
			return (int)t;
	}
	return -1;
}

static int
pagetypeinfo_begin(void *out)
{
	struct ml_pagetypeinfo *pt = out;

	pt->nzones = 0;
	pt->norders = 0;
	pt->ntypes = 0;
	pt->has_pageblock_order = pt->has_pages_per_block = false;
	pt->pageblock_order = pt->pages_per_block = 0;
	pt->nnodes = 0;
	pt->has_mixed = false;
	pt->table = ML_PTI_TABLE_NONE;
	pt->ncols = 0;
	pt->cursor = 0;
	return 0;
}

/* True when the line starts with the words of prefix; *p is moved past them. */
static bool
starts_with(const char **p, const char *end, const char *prefix)
{
	size_t n = strlen(prefix);

	if ((size_t)(end - *p) < n || memcmp(*p, prefix, n) != 0)
		return false;
	if (prefix[n - 1] != ':' && *p + n < end && ml_skip_blanks(*p + n, end) == *p + n)
		return false; /* a longer word */
	*p += n;
	return true;
}

/* The index of type name (n bytes), added when new; -1 when the table is full. */
static int
type_index(struct ml_pagetypeinfo *pt, const char *name, size_t n, const char **why)
{
	unsigned int t;

	if (n >= ML_PTI_TYPE_NAME_MAX) {
		*why = "migrate type name too long";
		return -1;
	}
	for (t = 0; t < pt->ntypes; t++) {
		if (ml_word_eq(name, n, pt->type_name[t]))
			return (int)t;
	}
	if (pt->ntypes == ML_PTI_TYPES_MAX) {
		*why = "more migrate types than memlens supports (8)";
		return -1;
	}
	memcpy(pt->type_name[pt->ntypes], name, n);
	pt->type_name[pt->ntypes][n] = '\0';
	return (int)pt->ntypes++;
}

/*
 * The zone (node, name) of this parse, added at the end when new. Zones are
 * visited in the same order by every table, so the search starts at the
 * cursor. Returns ML_LINE_OK or ML_LINE_FATAL (ENOMEM).
 */
static int
zone_slot(struct ml_pagetypeinfo *pt, int node, const char *name, struct ml_pti_zone **zp)
{
	struct ml_pti_zone *z;
	size_t i, k;

	for (k = 0; k < pt->nzones; k++) {
		i = (pt->cursor + k) % pt->nzones;
		z = &pt->zones[i];
		if (z->node == node && strcmp(z->name, name) == 0) {
			pt->cursor = i;
			*zp = z;
			return ML_LINE_OK;
		}
	}
	if (pt->nzones == pt->cap) {
		size_t cap = pt->cap ? pt->cap * 2 : 8;

		z = reallocarray(pt->zones, cap, sizeof *z);
		if (z == NULL) {
			errno = ENOMEM;
			return ML_LINE_FATAL;
		}
		pt->zones = z;
		pt->cap = cap;
	}
	z = &pt->zones[pt->nzones];
	memset(z, 0, sizeof *z);
	z->node = node;
	strcpy(z->name, name);
	pt->cursor = pt->nzones++;
	*zp = z;
	return ML_LINE_OK;
}

/* "Page block order: N" or "Pages per block: N": one constant, repeated per node. */
static int
header_value(const char *p, const char *end, bool *has, uint64_t *value, const char **why)
{
	uint64_t v;

	p = ml_skip_blanks(p, end);
	if (ml_scan_u64(&p, end, &v) != ML_SCAN_OK || !ml_only_blanks(p, end)) {
		*why = "not a number";
		return ML_LINE_BAD;
	}
	if (*has && *value != v) {
		*why = "differs from the first node's";
		return ML_LINE_BAD;
	}
	*has = true;
	*value = v;
	return ML_LINE_OK;
}

/* "Free pages count per migrate type at order 0 1 ... N-1". */
static int
free_header(struct ml_pagetypeinfo *pt, const char *p, const char *end, const char **why)
{
	unsigned int k = 0;
	uint64_t v;

	pt->table = ML_PTI_TABLE_UNKNOWN; /* until the header proves good */
	for (;;) {
		p = ml_skip_blanks(p, end);
		if (p == end)
			break;
		if (ml_scan_u64(&p, end, &v) != ML_SCAN_OK || v != k ||
		    (p < end && ml_skip_blanks(p, end) == p)) {
			*why = "orders are not 0, 1, 2, ...";
			return ML_LINE_BAD;
		}
		if (++k > ML_BUDDY_ORDERS_MAX) {
			*why = "more orders than memlens supports (32)";
			return ML_LINE_BAD;
		}
	}
	if (k == 0) {
		*why = "no orders";
		return ML_LINE_BAD;
	}
	if (pt->norders != 0 && k != pt->norders) {
		*why = "number of orders differs from the first node's";
		return ML_LINE_BAD;
	}
	pt->norders = k;
	pt->table = ML_PTI_TABLE_FREE;
	return ML_LINE_OK;
}

/* "Number of blocks type" / "Number of mixed blocks" followed by type names. */
static int
types_header(struct ml_pagetypeinfo *pt, enum ml_pti_table table, const char *p, const char *end,
	     const char **why)
{
	const char *t;
	unsigned int ncols = 0;
	int type;

	pt->table = ML_PTI_TABLE_UNKNOWN;
	for (;;) {
		p = ml_skip_blanks(p, end);
		if (p == end)
			break;
		t = ml_token_end(p, end);
		if (ncols == ML_PTI_TYPES_MAX) {
			*why = "more migrate types than memlens supports (8)";
			return ML_LINE_BAD;
		}
		type = type_index(pt, p, (size_t)(t - p), why);
		if (type < 0)
			return ML_LINE_BAD;
		pt->col_type[ncols++] = (uint8_t)type;
		p = t;
	}
	if (ncols == 0) {
		*why = "no migrate type names";
		return ML_LINE_BAD;
	}
	pt->ncols = ncols;
	pt->table = table;
	if (table == ML_PTI_TABLE_MIXED)
		pt->has_mixed = true;
	return ML_LINE_OK;
}

/* "Node    0, zone      DMA, type    Unmovable      0 >100000 ..." */
static int
free_row(struct ml_pagetypeinfo *pt, int node, const char *name, const char *p, const char *end,
	 const char **why)
{
	uint64_t counts[ML_BUDDY_ORDERS_MAX];
	uint32_t at_least = 0;
	struct ml_pti_zone *z;
	unsigned int k = 0;
	const char *t;
	int type, rc;

	p = ml_skip_blanks(p, end);
	t = ml_token_end(p, end);
	if (!ml_word_eq(p, (size_t)(t - p), "type")) {
		*why = "expected \"type NAME\" after the zone";
		return ML_LINE_BAD;
	}
	p = ml_skip_blanks(t, end);
	t = ml_token_end(p, end);
	if (t == p) {
		*why = "no migrate type name";
		return ML_LINE_BAD;
	}
	type = type_index(pt, p, (size_t)(t - p), why);
	if (type < 0)
		return ML_LINE_BAD;
	for (p = t;;) {
		p = ml_skip_blanks(p, end);
		if (p == end)
			break;
		if (k == ML_BUDDY_ORDERS_MAX) {
			*why = "more counts than orders";
			return ML_LINE_BAD;
		}
		if (*p == '>') {
			at_least |= UINT32_C(1) << k;
			p++;
		}
		rc = ml_scan_u64(&p, end, &counts[k]);
		if (rc == ML_SCAN_OVERFLOW) {
			*why = "count does not fit in 64 bits";
			return ML_LINE_BAD;
		}
		if (rc != ML_SCAN_OK || (p < end && ml_skip_blanks(p, end) == p)) {
			*why = "free count is not a number";
			return ML_LINE_BAD;
		}
		k++;
	}
	if (k != pt->norders) {
		*why = "number of counts differs from the orders of the header";
		return ML_LINE_BAD;
	}
	rc = zone_slot(pt, node, name, &z);
	if (rc != ML_LINE_OK)
		return rc;
	if (z->free_types & (UINT32_C(1) << type)) {
		*why = "migrate type listed twice for this zone";
		return ML_LINE_BAD;
	}
	z->free_types |= UINT32_C(1) << type;
	z->at_least[type] = at_least;
	memcpy(z->free[type], counts, k * sizeof counts[0]);
	return ML_LINE_OK;
}

/* "Node 0, zone      DMA            1            7 ..." in a blocks or mixed table. */
static int
count_row(struct ml_pagetypeinfo *pt, int node, const char *name, const char *p, const char *end,
	  const char **why)
{
	uint64_t counts[ML_PTI_TYPES_MAX];
	struct ml_pti_zone *z;
	unsigned int k = 0, c;
	uint32_t *seen;
	uint64_t *dst;
	int rc;

	for (;;) {
		p = ml_skip_blanks(p, end);
		if (p == end)
			break;
		if (k == pt->ncols) {
			*why = "more counts than the header has types";
			return ML_LINE_BAD;
		}
		rc = ml_scan_u64(&p, end, &counts[k]);
		if (rc == ML_SCAN_OVERFLOW) {
			*why = "count does not fit in 64 bits";
			return ML_LINE_BAD;
		}
		if (rc != ML_SCAN_OK || (p < end && ml_skip_blanks(p, end) == p)) {
			*why = "block count is not a number";
			return ML_LINE_BAD;
		}
		k++;
	}
	if (k != pt->ncols) {
		*why = "fewer counts than the header has types";
		return ML_LINE_BAD;
	}
	rc = zone_slot(pt, node, name, &z);
	if (rc != ML_LINE_OK)
		return rc;
	seen = pt->table == ML_PTI_TABLE_MIXED ? &z->mixed_types : &z->block_types;
	dst = pt->table == ML_PTI_TABLE_MIXED ? z->mixed : z->blocks;
	if (*seen != 0) {
		*why = "zone listed twice in this table";
		return ML_LINE_BAD;
	}
	for (c = 0; c < k; c++) {
		*seen |= UINT32_C(1) << pt->col_type[c];
		dst[pt->col_type[c]] = counts[c];
	}
	return ML_LINE_OK;
}

static int
pagetypeinfo_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_pagetypeinfo *pt = out;
	const char *p = ml_skip_blanks(s, s + n), *end = s + n;
	char name[ML_ZONE_NAME_MAX];
	bool comma;
	int node, rc;

	if (p == end)
		return ML_LINE_OK;
	if (starts_with(&p, end, "Page block order:")) {
		pt->nnodes++;
		pt->table = ML_PTI_TABLE_NONE;
		return header_value(p, end, &pt->has_pageblock_order, &pt->pageblock_order, why);
	}
	if (starts_with(&p, end, "Pages per block:"))
		return header_value(p, end, &pt->has_pages_per_block, &pt->pages_per_block, why);
	if (starts_with(&p, end, FREE_HEADER))
		return free_header(pt, p, end, why);
	if (starts_with(&p, end, BLOCKS_HEADER))
		return types_header(pt, ML_PTI_TABLE_BLOCKS, p, end, why);
	if (starts_with(&p, end, MIXED_HEADER))
		return types_header(pt, ML_PTI_TABLE_MIXED, p, end, why);
	if (starts_with(&p, end, "Number of")) {
		pt->table = ML_PTI_TABLE_UNKNOWN;
		*why = "a table memlens does not know";
		return ML_LINE_BAD;
	}
	rc = ml_scan_node_zone(&p, end, &node, name, &comma, why);
	if (rc != ML_LINE_OK)
		return rc;
	switch (pt->table) {
	case ML_PTI_TABLE_FREE:
		if (!comma) {
			*why = "no ', type NAME' in a free-list row";
			return ML_LINE_BAD;
		}
		return free_row(pt, node, name, p, end, why);
	case ML_PTI_TABLE_BLOCKS:
	case ML_PTI_TABLE_MIXED:
		if (comma) {
			*why = "a free-list row in a block count table";
			return ML_LINE_BAD;
		}
		return count_row(pt, node, name, p, end, why);
	case ML_PTI_TABLE_UNKNOWN:
		*why = "row of a table memlens does not know";
		return ML_LINE_BAD;
	case ML_PTI_TABLE_NONE:
		break;
	}
	*why = "row before any table header";
	return ML_LINE_BAD;
}

static int
pagetypeinfo_finish(void *out, char **cause)
{
	struct ml_pagetypeinfo *pt = out;

	if (pt->nzones == 0) {
		ml_set_cause(cause, "no zone rows");
		errno = ENODATA;
		return -1;
	}
	return 0;
}

const struct ml_source ml_src_pagetypeinfo = {
	.name = "pagetypeinfo",
	.path = "pagetypeinfo",
	.begin = pagetypeinfo_begin,
	.line = pagetypeinfo_line,
	.finish = pagetypeinfo_finish,
};

/*
 * /proc/buddyinfo: "Node N, zone NAME count..." per populated zone; see
 * doc/procfs.md section 4 and buddyinfo.h. Counts are free blocks per order, kept
 * as printed. Accepts every format from 3.10 on (it never changed) and any
 * number of orders up to ML_BUDDY_ORDERS_MAX.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "proc/buddyinfo.h"
#include "proc/scan.h"
#include "util.h"

void
ml_buddyinfo_init(struct ml_buddyinfo *bi)
{
	memset(bi, 0, sizeof *bi);
}

void
ml_buddyinfo_release(struct ml_buddyinfo *bi)
{
	free(bi->zones);
	memset(bi, 0, sizeof *bi);
}

const struct ml_buddy_zone *
ml_buddyinfo_find(const struct ml_buddyinfo *bi, int node, const char *name)
{
	size_t i;

	for (i = 0; i < bi->nzones; i++) {
		if (bi->zones[i].node == node && strcmp(bi->zones[i].name, name) == 0)
			return &bi->zones[i];
	}
	return NULL;
}

int
ml_scan_node_zone(const char **pp, const char *end, int *node, char name[ML_ZONE_NAME_MAX],
		  bool *comma, const char **why)
{
	const char *p = ml_skip_blanks(*pp, end), *t;
	uint64_t v;
	size_t len;

	t = ml_token_end(p, end);
	if (!ml_word_eq(p, (size_t)(t - p), "Node")) {
		*why = "expected \"Node N, zone NAME\"";
		return ML_LINE_BAD;
	}
	p = ml_skip_blanks(t, end);
	if (ml_scan_u64(&p, end, &v) != ML_SCAN_OK || v > INT_MAX) {
		*why = "bad node number";
		return ML_LINE_BAD;
	}
	p = ml_skip_blanks(p, end);
	if (p == end || *p != ',') {
		*why = "no ',' after the node number";
		return ML_LINE_BAD;
	}
	p = ml_skip_blanks(p + 1, end);
	t = ml_token_end(p, end);
	if (!ml_word_eq(p, (size_t)(t - p), "zone")) {
		*why = "expected \"zone\" after the node number";
		return ML_LINE_BAD;
	}
	p = ml_skip_blanks(t, end);
	t = ml_token_end(p, end);
	len = (size_t)(t - p);
	*comma = len > 0 && p[len - 1] == ',';
	if (*comma)
		len--;
	if (len == 0) {
		*why = "no zone name";
		return ML_LINE_BAD;
	}
	if (len >= ML_ZONE_NAME_MAX) {
		*why = "zone name too long";
		return ML_LINE_BAD;
	}
	memcpy(name, p, len);
	name[len] = '\0';
	*node = (int)v;
	*pp = t;
	return ML_LINE_OK;
}

static int
buddyinfo_begin(void *out)
{
	struct ml_buddyinfo *bi = out;

	/* Entries [0, nzones) of the last parse are the learned layout. */
	bi->norders = 0;
	bi->diverged = false;
	bi->learned = bi->nzones;
	bi->nzones = 0;
	return 0;
}

/*
 * Point *zp at the slot of zone (node, name), the next one in file order.
 * Returns ML_LINE_OK, ML_LINE_BAD (listed twice) or ML_LINE_FATAL (ENOMEM).
 */
static int
buddyinfo_slot(struct ml_buddyinfo *bi, int node, const char *name, struct ml_buddy_zone **zp,
	       const char **why)
{
	struct ml_buddy_zone *z;
	size_t i = bi->nzones;

	if (!bi->diverged && i < bi->learned && bi->zones[i].node == node &&
	    strcmp(bi->zones[i].name, name) == 0) {
		*zp = &bi->zones[i]; /* the same zone as last time, at the same place */
		return ML_LINE_OK;
	}
	bi->diverged = true;
	if (ml_buddyinfo_find(bi, node, name) != NULL) {
		*why = "zone listed twice";
		return ML_LINE_BAD;
	}
	if (i == bi->cap) {
		size_t cap = bi->cap ? bi->cap * 2 : 8;

		z = reallocarray(bi->zones, cap, sizeof *z);
		if (z == NULL) {
			errno = ENOMEM;
			return ML_LINE_FATAL;
		}
		bi->zones = z;
		bi->cap = cap;
	}
	z = &bi->zones[i];
	memset(z, 0, sizeof *z); /* padding too: whole structs compare and copy cleanly */
	z->node = node;
	strcpy(z->name, name);
	*zp = z;
	return ML_LINE_OK;
}

static int
buddyinfo_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_buddyinfo *bi = out;
	const char *p = s, *end = s + n;
	uint64_t free_blocks[ML_BUDDY_ORDERS_MAX];
	char name[ML_ZONE_NAME_MAX];
	struct ml_buddy_zone *z;
	unsigned int k = 0;
	bool comma;
	int node, rc;

	if (ml_only_blanks(s, end))
		return ML_LINE_OK;
	rc = ml_scan_node_zone(&p, end, &node, name, &comma, why);
	if (rc != ML_LINE_OK)
		return rc;
	if (comma) {
		*why = "',' after the zone name (a pagetypeinfo line?)";
		return ML_LINE_BAD;
	}
	for (;;) {
		/* The columns are padded with spaces: skip them here, blanks of any kind below. */
		while (p < end && *p == ' ')
			p++;
		p = ml_skip_blanks(p, end);
		if (p == end)
			break;
		if (k == ML_BUDDY_ORDERS_MAX) {
			*why = "more orders than memlens supports (32)";
			return ML_LINE_BAD;
		}
		rc = ml_scan_u64(&p, end, &free_blocks[k]);
		if (rc == ML_SCAN_OVERFLOW) {
			*why = "count does not fit in 64 bits";
			return ML_LINE_BAD;
		}
		if (rc != ML_SCAN_OK || (p < end && *p != ' ' && ml_skip_blanks(p, end) == p)) {
			*why = "free block count is not a number";
			return ML_LINE_BAD;
		}
		k++;
	}
	if (k == 0) {
		*why = "no free block counts";
		return ML_LINE_BAD;
	}
	if (bi->norders != 0 && k != bi->norders) {
		*why = "number of orders differs from the first zone line";
		return ML_LINE_BAD;
	}
	rc = buddyinfo_slot(bi, node, name, &z, why);
	if (rc != ML_LINE_OK)
		return rc;
	bi->norders = k;
	memcpy(z->free, free_blocks, k * sizeof free_blocks[0]);
	memset(z->free + k, 0, (ML_BUDDY_ORDERS_MAX - k) * sizeof free_blocks[0]);
	bi->nzones++;
	return ML_LINE_OK;
}

static int
buddyinfo_finish(void *out, char **cause)
{
	struct ml_buddyinfo *bi = out;

	if (bi->nzones == 0) {
		ml_set_cause(cause, "no zone lines");
		errno = ENODATA;
		return -1;
	}
	return 0;
}

const struct ml_source ml_src_buddyinfo = {
	.name = "buddyinfo",
	.path = "buddyinfo",
	.begin = buddyinfo_begin,
	.line = buddyinfo_line,
	.finish = buddyinfo_finish,
};

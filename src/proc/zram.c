/*
 * zram's mm_stat and zswap's parameters; see zram.h and doc/procfs.md
 * section 22.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc/scan.h"
#include "proc/zram.h"
#include "util.h"

static const char *const col_names[ML_ZR__COUNT] = {
	[ML_ZR_ORIG_DATA_SIZE] = "orig_data_size",     [ML_ZR_COMPR_DATA_SIZE] = "compr_data_size",
	[ML_ZR_MEM_USED_TOTAL] = "mem_used_total",     [ML_ZR_MEM_LIMIT] = "mem_limit",
	[ML_ZR_MEM_USED_MAX] = "mem_used_max",         [ML_ZR_SAME_PAGES] = "same_pages",
	[ML_ZR_PAGES_COMPACTED] = "pages_compacted",   [ML_ZR_HUGE_PAGES] = "huge_pages",
	[ML_ZR_HUGE_PAGES_SINCE] = "huge_pages_since",
};

const char *
ml_zram_col_name(enum ml_zr_col c)
{
	return c < ML_ZR__COUNT ? col_names[c] : "?";
}

static int
mm_stat_begin(void *out)
{
	memset(out, 0, sizeof(struct ml_zram_mm_stat));
	return 0;
}

/* One line of blank-separated decimal numbers; a second line is bad. */
static int
mm_stat_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_zram_mm_stat *m = out, parsed = { 0 };
	const char *p = s, *end = s + n;
	uint64_t v;
	int rc;

	if (m->present) {
		*why = "more than one line";
		return ML_LINE_BAD;
	}
	for (p = ml_skip_blanks(p, end); p < end; p = ml_skip_blanks(p, end)) {
		rc = ml_scan_u64(&p, end, &v);
		if (rc != ML_SCAN_OK || (p < end && *p != ' ' && *p != '\t' && *p != '\r')) {
			*why = rc == ML_SCAN_OVERFLOW ? "value does not fit in 64 bits"
						      : "not a number";
			return ML_LINE_BAD;
		}
		if (parsed.ncols < ML_ZR__COUNT)
			parsed.v[parsed.ncols++] = v;
		else
			parsed.extra++;
	}
	if (parsed.ncols < ML_ZR_MIN_COLS) {
		*why = "fewer than 7 columns";
		return ML_LINE_BAD;
	}
	parsed.present = true;
	*m = parsed;
	return ML_LINE_OK;
}

static int
mm_stat_finish(void *out, char **cause)
{
	struct ml_zram_mm_stat *m = out;

	if (!m->present) {
		ml_set_cause(cause, "no mm_stat line");
		errno = ENODATA;
		return -1;
	}
	return 0;
}

const struct ml_source ml_src_zram_mm_stat = {
	.name = "mm_stat",
	/* under the sys root; zram0's, readers are given zramN's */
	.path = "block/zram0/mm_stat",
	.begin = mm_stat_begin,
	.line = mm_stat_line,
	.finish = mm_stat_finish,
};

void
ml_zram_init(struct ml_zram *z)
{
	memset(z, 0, sizeof *z);
}

void
ml_zram_release(struct ml_zram *z)
{
	free(z->dev);
	memset(z, 0, sizeof *z);
}

/* block/zramN: "zram" and digits only (not zram-control, not zram0p1). */
static bool
is_zram_name(const char *s)
{
	const char *p = s + 4;

	if (strncmp(s, "zram", 4) != 0 || *p == '\0')
		return false;
	for (; *p != '\0'; p++) {
		if ((unsigned char)(*p - '0') > 9)
			return false;
	}
	return true;
}

static void
read_mm_stat(struct ml_zram_dev *d, const struct ml_procfs *sys)
{
	struct ml_reader r = { .fd = -1 };
	char rel[64];
	char *cause = NULL;

	snprintf(rel, sizeof rel, "block/%s/mm_stat", d->name);
	if (ml_reader_open(&r, sys, &ml_src_zram_mm_stat, rel, NULL) != 0) {
		d->mm_err = errno;
		d->mm_state = errno == ENOENT ? ML_ATTR_ABSENT : ML_ATTR_UNREADABLE;
	} else if (ml_reader_refresh(&r, &d->mm, &cause) != 0) {
		d->mm_err = errno;
		d->mm_state = errno == ENODATA || errno == 0 ? ML_ATTR_BAD : ML_ATTR_UNREADABLE;
		d->mm_why = r.feed.stats.first_bad_why != NULL ? r.feed.stats.first_bad_why
							       : "no mm_stat line";
		d->mm_stats = r.feed.stats;
	} else {
		d->mm_state = ML_ATTR_OK;
		d->mm_stats = r.feed.stats;
	}
	free(cause);
	ml_reader_release(&r);
}

int
ml_zram_read(struct ml_zram *z, const struct ml_procfs *sys)
{
	struct ml_names names;
	char rel[64];
	size_t i;

	ml_zram_release(z);
	if (ml_sysfs_list(sys, "block", "zram", &names, NULL) != 0) {
		z->list_err = errno;
		return 0;
	}
	z->listed = true;
	z->dev = calloc(names.n ? names.n : 1, sizeof *z->dev);
	if (z->dev == NULL) {
		ml_names_release(&names);
		z->listed = false;
		z->list_err = ENOMEM;
		return 0;
	}
	for (i = 0; i < names.n; i++) {
		struct ml_zram_dev *d = &z->dev[z->n];

		if (!is_zram_name(names.v[i]) || strlen(names.v[i]) >= sizeof d->name)
			continue;
		strcpy(d->name, names.v[i]);
		snprintf(rel, sizeof rel, "block/%s/disksize", d->name);
		ml_attr_read(sys, rel, ML_ATTR_U64, &d->disksize);
		snprintf(rel, sizeof rel, "block/%s/initstate", d->name);
		ml_attr_read(sys, rel, ML_ATTR_FLAG, &d->initstate);
		snprintf(rel, sizeof rel, "block/%s/comp_algorithm", d->name);
		ml_attr_read(sys, rel, ML_ATTR_CHOICE, &d->comp_algorithm);
		read_mm_stat(d, sys);
		z->n++;
	}
	ml_names_release(&names);
	return 0;
}

const struct ml_attr_def ml_zswap_attrs[ML_ZSWAP__COUNT] = {
	[ML_ZSWAP_ENABLED] = { "enabled", ML_ATTR_FLAG },
	[ML_ZSWAP_COMPRESSOR] = { "compressor", ML_ATTR_WORD },
	[ML_ZSWAP_ZPOOL] = { "zpool", ML_ATTR_WORD },
	[ML_ZSWAP_MAX_POOL_PERCENT] = { "max_pool_percent", ML_ATTR_U64 },
	[ML_ZSWAP_ACCEPT_THRESHOLD_PERCENT] = { "accept_threshold_percent", ML_ATTR_U64 },
	[ML_ZSWAP_SHRINKER_ENABLED] = { "shrinker_enabled", ML_ATTR_FLAG },
};

int
ml_zswap_params_read(struct ml_zswap_params *zp, const struct ml_procfs *sys)
{
	memset(zp, 0, sizeof *zp);
	ml_attrs_read(sys, ML_ZSWAP_DIR, ml_zswap_attrs, ML_ZSWAP__COUNT, zp->a);
	zp->present = zp->a[ML_ZSWAP_ENABLED].state != ML_ATTR_ABSENT;
	zp->dir_err = zp->present ? 0 : zp->a[ML_ZSWAP_ENABLED].err;
	return 0;
}

/*
 * Compressed memory in sysfs (doc/procfs.md section 22), read through the
 * sys root:
 *
 *  - zram devices: block/zramN/mm_stat, one line of numbers
 *      orig_data_size compr_data_size mem_used_total mem_limit mem_used_max
 *      same_pages pages_compacted [huge_pages [huge_pages_since]]
 *    (7 columns from 4.2, huge_pages from ~4.19, huge_pages_since from 5.11;
 *    the first five are bytes, the rest pages), plus disksize (bytes),
 *    initstate (0/1) and comp_algorithm (a bracketed choice).
 *    mem_used_total is the RAM the device's zsmalloc pool holds: memory no
 *    /proc/meminfo counter names (doc/accounting.md).
 *  - zswap's parameters: module/zswap/parameters/{enabled,compressor,zpool,
 *    max_pool_percent,accept_threshold_percent,shrinker_enabled}. Its pool
 *    size is meminfo's Zswap:, what it holds Zswapped: (5.19+).
 */
#ifndef ML_ZRAM_H
#define ML_ZRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/reader.h"
#include "proc/source.h"
#include "proc/sysattr.h"

enum ml_zr_col {
	ML_ZR_ORIG_DATA_SIZE,   /* bytes stored, uncompressed */
	ML_ZR_COMPR_DATA_SIZE,  /* bytes stored, compressed */
	ML_ZR_MEM_USED_TOTAL,   /* bytes of RAM the pool holds, overhead included */
	ML_ZR_MEM_LIMIT,        /* bytes; 0 = none */
	ML_ZR_MEM_USED_MAX,     /* bytes, the high-water mark */
	ML_ZR_SAME_PAGES,       /* pages of one repeated value: no memory */
	ML_ZR_PAGES_COMPACTED,  /* pages freed by compaction */
	ML_ZR_HUGE_PAGES,       /* incompressible pages stored whole */
	ML_ZR_HUGE_PAGES_SINCE, /* incompressible pages since set-up */
	ML_ZR__COUNT
};

/* The fewest columns a mm_stat line has (4.2). */
#define ML_ZR_MIN_COLS 7

struct ml_zram_mm_stat {
	uint32_t ncols; /* columns known to this parser that the line had */
	uint32_t extra; /* columns after the last known one (a newer kernel's) */
	uint64_t v[ML_ZR__COUNT];
	bool present; /* a line was parsed */
};

extern const struct ml_source ml_src_zram_mm_stat;

/* "orig_data_size", ..., "huge_pages_since". */
const char *ml_zram_col_name(enum ml_zr_col c);

struct ml_zram_dev {
	char name[24]; /* "zram0" */
	struct ml_attr disksize;
	struct ml_attr initstate;
	struct ml_attr comp_algorithm;
	struct ml_zram_mm_stat mm;
	enum ml_attr_state mm_state; /* ML_ATTR_OK, or why mm_stat is missing */
	int mm_err;
	const char *mm_why;
	struct ml_parse_stats mm_stats; /* its bad lines, for the report */
};

struct ml_zram {
	bool listed;  /* block/ could be listed */
	int list_err; /* why not */
	size_t n;
	struct ml_zram_dev *dev;
};

void ml_zram_init(struct ml_zram *z);
void ml_zram_release(struct ml_zram *z);

/* Read every zramN of block/ under sys; always 0 (what is missing says why). */
int ml_zram_read(struct ml_zram *z, const struct ml_procfs *sys);

#define ML_ZSWAP_DIR "module/zswap/parameters"

enum ml_zswap_attr {
	ML_ZSWAP_ENABLED,
	ML_ZSWAP_COMPRESSOR,
	ML_ZSWAP_ZPOOL, /* gone in 6.15, when zsmalloc became the only pool */
	ML_ZSWAP_MAX_POOL_PERCENT,
	ML_ZSWAP_ACCEPT_THRESHOLD_PERCENT,
	ML_ZSWAP_SHRINKER_ENABLED,
	ML_ZSWAP__COUNT
};

struct ml_zswap_params {
	bool present; /* the parameters directory exists (CONFIG_ZSWAP) */
	int dir_err;
	struct ml_attr a[ML_ZSWAP__COUNT];
};

extern const struct ml_attr_def ml_zswap_attrs[ML_ZSWAP__COUNT];

int ml_zswap_params_read(struct ml_zswap_params *zp, const struct ml_procfs *sys);

#endif /* ML_ZRAM_H */

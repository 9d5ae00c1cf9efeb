/*
 * /proc/PID/smaps and /proc/PID/smaps_rollup; doc/procfs.md sections 10 and 11.
 *
 * Both print the same "Key:   value kB" lines, so one key table serves
 * both (ml_smaps_keys). smaps is a maps header line followed by its fields,
 * once per mapping; smaps_rollup is one fake header ending in "[rollup]"
 * followed by the sums over every mapping.
 *
 * The smaps source streams: the record being filled is handed to a callback
 * when the next header (or the end) arrives, then reused, so memory does not
 * grow with the number of mappings. A record's fields are kept in a
 * learned-layout list (kv.h): in steady state a field costs one memcmp.
 * Every field is kept by name, known or not, in file order; both field orders
 * (before and after 4.14) and both THPeligible widths parse the same way.
 * VmFlags is kept as printed (an open list), and so is Android's "Name:".
 * Values printed in kB are stored in bytes; THPeligible and ProtectionKey
 * are plain numbers.
 */
#ifndef ML_SMAPS_H
#define ML_SMAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compat.h"
#include "proc/kv.h"
#include "proc/maps.h"
#include "proc/source.h"

enum ml_sm_key {
	ML_SM_SIZE,
	ML_SM_KERNEL_PAGE_SIZE,
	ML_SM_MMU_PAGE_SIZE,
	ML_SM_RSS,
	ML_SM_PSS,
	ML_SM_PSS_DIRTY,
	ML_SM_PSS_ANON,  /* smaps_rollup only (5.3+) */
	ML_SM_PSS_FILE,  /* smaps_rollup only */
	ML_SM_PSS_SHMEM, /* smaps_rollup only */
	ML_SM_SHARED_CLEAN,
	ML_SM_SHARED_DIRTY,
	ML_SM_PRIVATE_CLEAN,
	ML_SM_PRIVATE_DIRTY,
	ML_SM_REFERENCED,
	ML_SM_ANONYMOUS,
	ML_SM_KSM,
	ML_SM_LAZY_FREE,
	ML_SM_ANON_HUGE_PAGES,
	ML_SM_SHMEM_PMD_MAPPED,
	ML_SM_FILE_PMD_MAPPED,
	ML_SM_SHARED_HUGETLB,
	ML_SM_PRIVATE_HUGETLB,
	ML_SM_SWAP,
	ML_SM_SWAP_PSS,
	ML_SM_LOCKED,
	ML_SM_NONLINEAR,      /* before 4.0 */
	ML_SM_THP_ELIGIBLE,   /* a number, 0 or 1 */
	ML_SM_PROTECTION_KEY, /* a number */
	ML_SM__COUNT
};

extern const struct ml_kv_key ml_smaps_keys[ML_SM__COUNT];

/* The numeric fields of one smaps record or of smaps_rollup. */
struct ml_smaps_fields {
	uint64_t val[ML_SM__COUNT];
	uint64_t present[ML_BITSET_WORDS(ML_SM__COUNT)];
	struct ml_kvlist all; /* every numeric field in file order, known or not */
};

void ml_smaps_fields_init(struct ml_smaps_fields *f);
void ml_smaps_fields_release(struct ml_smaps_fields *f);

static inline bool
ml_smaps_has(const struct ml_smaps_fields *f, enum ml_sm_key k)
{
	return ml_bit_test(f->present, k);
}

/* The value of k, or 0 when absent: only for sums that check presence. */
static inline uint64_t
ml_smaps_get(const struct ml_smaps_fields *f, enum ml_sm_key k)
{
	return ml_bit_test(f->present, k) ? f->val[k] : 0;
}

/* Longest VmFlags and Name: values kept; longer ones are bad lines. */
#define ML_SMAPS_VMFLAGS_MAX 512
#define ML_SMAPS_LABEL_MAX 256

/* One mapping of smaps: its header and its fields. Borrowed by the callback. */
struct ml_smaps_record {
	struct ml_vma vma;
	struct ml_smaps_fields f;
	bool has_vmflags;
	const char *vmflags; /* "rd wr mr mw me ac", trimmed; "" when absent */
	size_t vmflags_len;
	bool has_name_line;    /* Android's "Name:" line (3.x-5.x vendor kernels) */
	const char *name_line; /* its value, trimmed */
	size_t name_line_len;
	uint64_t lineno; /* line number of the header, 1-based */
};

/* True when the record's VmFlags list holds the two-letter mnemonic flag. */
bool ml_smaps_vmflag(const struct ml_smaps_record *r, const char *flag);

/* Called with each complete record; return 0, or -1 with errno to stop. */
typedef int (*ml_smaps_fn)(void *arg, const struct ml_smaps_record *r);

struct ml_smaps {
	ml_smaps_fn fn;
	void *arg;
	struct ml_smaps_record rec;
	bool open;     /* rec holds a header whose record is not handed over yet */
	bool skipping; /* the current header was bad: its fields are skipped */
	uint64_t lineno;
	uint64_t records;  /* handed to fn in this parse */
	uint64_t prev_end; /* addresses only go forward (proc.rst) */
	char name[ML_LINE_MAX + 1];
	char vmflags[ML_SMAPS_VMFLAGS_MAX];
	char name_line[ML_SMAPS_LABEL_MAX];
};

/* Prepare s to hand each record to fn(arg, record). Release with ml_smaps_release. */
void ml_smaps_init(struct ml_smaps *s, ml_smaps_fn fn, void *arg);
void ml_smaps_release(struct ml_smaps *s);

/* Per-PID source: open it with rel "PID/smaps"; out is a struct ml_smaps. */
extern const struct ml_source ml_src_smaps;

/* smaps_rollup: the header's range and the summed fields. */
struct ml_smaps_rollup {
	bool has_header;
	struct ml_vma vma; /* start = first mapping, end = last (gate area excluded) */
	struct ml_smaps_fields f;
	uint64_t lineno;
	char name[64];
};

void ml_smaps_rollup_init(struct ml_smaps_rollup *r);
void ml_smaps_rollup_release(struct ml_smaps_rollup *r);

/* Per-PID source: open it with rel "PID/smaps_rollup"; out is a struct ml_smaps_rollup. */
extern const struct ml_source ml_src_smaps_rollup;

#endif /* ML_SMAPS_H */

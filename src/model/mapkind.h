/*
 * One process's memory by kind of mapping, and by mapped file: pure
 * functions over smaps records (proc/smaps.h). No I/O.
 *
 * The kinds (ml_map_classify decides, first match; the names it keys on are
 * in doc/procfs.md section 9):
 *   hugetlb     VmFlags "ht", a /anon_hugepage mapping, or Shared/Private_Hugetlb
 *   heap        [heap], the brk area malloc grows
 *   stack       [stack], the main thread's stack
 *   shmem       shared memory: /memfd:, /SYSV (SysV shm), /dev/zero or a
 *               nameless mapping shared, /dev/shm/ (POSIX shm), [anon_shmem:]
 *   named_anon  [anon:NAME] (PR_SET_VMA_ANON_NAME, Android)
 *   anon        anonymous private: malloc's mmap'd arenas and large blocks,
 *               thread stacks ([stack:TID] before 4.5), guard pages
 *   special     [vdso], [vvar], [vvar_vclock], [vsyscall], [uprobes], other
 *               bracket names, anon_inode:... driver mappings
 *   file_code   a file mapped executable
 *   file_data   a file mapped writable (private data, or shared)
 *   file_ro     a file mapped read-only or without access (rodata, relro, gaps)
 *
 * Sums per kind, per file and in total: Size, Rss, Pss, USS (Private_Clean +
 * Private_Dirty), Swap, SwapPss, AnonHugePages, Locked, and Hugetlb
 * (Shared_Hugetlb + Private_Hugetlb: hugetlb pages are not in Rss). A sum is
 * known when at least one record printed its field(s).
 *
 * Ownership: struct ml_mapsum owns its file table, which persists across
 * ml_mapsum_begin (rows are reused: no allocation in steady state).
 */
#ifndef ML_MODEL_MAPKIND_H
#define ML_MODEL_MAPKIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/smaps.h"

enum ml_map_kind {
	ML_MK_HEAP,
	ML_MK_ANON,
	ML_MK_STACK,
	ML_MK_FILE_CODE,
	ML_MK_FILE_DATA,
	ML_MK_FILE_RO,
	ML_MK_SHMEM,
	ML_MK_HUGETLB,
	ML_MK_NAMED_ANON,
	ML_MK_SPECIAL,
	ML_MK__COUNT
};

/* "heap", "anon", ... (JSON) and "heap ([heap], brk)" ... (text). */
const char *ml_map_kind_key(enum ml_map_kind k);
const char *ml_map_kind_title(enum ml_map_kind k);

/* The kind of a mapping; r may be NULL (maps only: no VmFlags, no hugetlb sizes). */
enum ml_map_kind ml_map_classify(const struct ml_vma *v, const struct ml_smaps_record *r);

enum ml_ms {
	ML_MS_SIZE,
	ML_MS_RSS,
	ML_MS_PSS,
	ML_MS_USS,
	ML_MS_SWAP,
	ML_MS_SWAP_PSS,
	ML_MS_ANON_HUGE,
	ML_MS_LOCKED,
	ML_MS_HUGETLB,
	ML_MS__COUNT
};

/* JSON key and column title of each sum: "anon_huge_pages", "AnonHuge". */
const char *ml_ms_key(enum ml_ms m);
const char *ml_ms_title(enum ml_ms m);

struct ml_msum {
	uint64_t maps; /* mappings summed */
	uint64_t v[ML_MS__COUNT];
	uint32_t known;   /* bit m: some mapping printed the field(s) of m */
	uint32_t wrapped; /* bit m: the sum did not fit in 64 bits (damaged input): unknown */
};

/* A sum is known when some mapping printed it and it did not overflow. */
static inline bool
ml_msum_has(const struct ml_msum *s, enum ml_ms m)
{
	return ((s->known & ~s->wrapped) >> m) & 1;
}

/* Add one record's fields to s. */
void ml_msum_add(struct ml_msum *s, const struct ml_smaps_fields *f);
/* One record's value of m (false when it did not print the field). */
bool ml_ms_value(const struct ml_smaps_fields *f, enum ml_ms m, uint64_t *v);

/*
 * The keys memlens maps --sort orders its table of files by, NULL-terminated,
 * "pss" first (the default): "pss", "rss", "uss", "size", "swap", "name".
 */
extern const char *const ml_mapfile_sort_keys[];
/* The sum key orders by: an enum ml_ms, ML_MS__COUNT for "name", -1 when unknown. */
int ml_mapfile_sort_measure(const char *key);

/*
 * What a row of the by-file table stands for. Shared anonymous memory has a
 * file of its own for each mapping (an inode of the shmem mount), which the
 * kernel names "/dev/zero (deleted)" (mmap MAP_SHARED|MAP_ANONYMOUS:
 * shmem_zero_setup) or, for a SysV segment created with IPC_PRIVATE,
 * "/SYSV00000000 (deleted)" (the key in hex; doc/procfs.md section 9): names
 * that tell them apart from nothing. Each of the two is one row, whatever the
 * number of mappings (a process with 60,000 of them has one row, not 60,000).
 * SysV segments with a key keep a row each: the key names them.
 */
enum ml_mapfile_group {
	ML_MF_FILE,         /* one file: by device, inode and name */
	ML_MF_SHARED_ANON,  /* every shared anonymous mapping: /dev/zero (deleted) */
	ML_MF_SYSV_PRIVATE, /* every IPC_PRIVATE SysV segment: /SYSV00000000 (deleted) */
};

/* "shared_anonymous", "sysv_private", or NULL for a file (JSON). */
const char *ml_mapfile_group_key(enum ml_mapfile_group g);

/* A mapped file (by device, inode and name), or a group of them, and its sums. */
struct ml_mapfile {
	char *name; /* decoded, owned */
	size_t name_len, name_cap;
	bool deleted;
	uint32_t dev_major, dev_minor;
	uint64_t inode; /* 0 for a group */
	enum ml_mapfile_group group;
	uint32_t kinds; /* bit per enum ml_map_kind it is mapped as */
	struct ml_msum sum;
	uint64_t gen; /* the ml_mapsum generation that last used it */
};

struct ml_mapsum {
	struct ml_msum kind[ML_MK__COUNT];
	struct ml_msum total;
	struct ml_msum gate; /* [vsyscall]: shown, but outside the mm (not in smaps_rollup) */
	uint64_t records;
	struct ml_mapfile *files; /* every file seen since init; used ones have gen == this gen */
	size_t nfiles, cap;
	uint32_t *index; /* open addressing: file index + 1, 0 = empty */
	size_t index_cap;
	uint64_t gen;
	size_t nused; /* files used in this generation */
};

void ml_mapsum_init(struct ml_mapsum *s);
void ml_mapsum_release(struct ml_mapsum *s);
/* Start a new process (or a refresh): sums to zero, the file table kept. */
void ml_mapsum_begin(struct ml_mapsum *s);
/* Add one smaps record, classified; 0 or -1 (ENOMEM). *kind gets its kind when not NULL. */
int ml_mapsum_add(struct ml_mapsum *s, const struct ml_smaps_record *r, enum ml_map_kind *kind);

/*
 * ml_mapsum_add as an ml_smaps_fn, for ml_smaps_init(&smaps, ml_mapsum_on_record,
 * &sum): the sums of a whole smaps, streamed.
 */
int ml_mapsum_on_record(void *sum, const struct ml_smaps_record *r);

/*
 * The files used in this generation, as pointers into s (valid until the next
 * ml_mapsum_add), sorted by m largest first (name order for ties; m ==
 * ML_MS__COUNT sorts by name). *out is malloc'd; returns the count or -1.
 */
long ml_mapsum_files(const struct ml_mapsum *s, enum ml_ms m, bool reverse,
		     const struct ml_mapfile ***out);

/*
 * The check of the sums against smaps_rollup (read separately, so the process
 * may have changed in between). Rss, Swap, USS, AnonHugePages are exact page
 * counts and must be equal; Pss, SwapPss and Locked are truncated to whole kB
 * per mapping in smaps but once in smaps_rollup, so the rollup may exceed
 * the sum by less than 1 kB per mapping (doc/procfs.md sections 10 and 11).
 */
struct ml_rollup_check {
	bool compared;              /* at least one field in both */
	bool agrees;                /* every compared field within its tolerance */
	uint32_t compared_fields;   /* bit per enum ml_ms */
	uint32_t differing;         /* bit per enum ml_ms */
	int64_t diff[ML_MS__COUNT]; /* rollup - sum, bytes */
	uint64_t rollup[ML_MS__COUNT];
	uint64_t tolerance[ML_MS__COUNT];
};

void ml_mapsum_check_rollup(const struct ml_mapsum *s, const struct ml_smaps_fields *rollup,
			    struct ml_rollup_check *out);

#endif /* ML_MODEL_MAPKIND_H */

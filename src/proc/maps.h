/*
 * /proc/PID/maps: one line per mapping (VMA); doc/procfs.md section 9.
 *
 *   55f960ad2000-55f960ad3000 r--p 00000000 fe:00 10962321     /srv/fixture/x
 *
 * The same header line starts every record of smaps and the one record of
 * smaps_rollup, so its parser (ml_vma_parse) is shared with smaps.c. Fields
 * are split on blanks, never on columns: addresses have at least 8 hex digits
 * (32-bit kernels print 8, 64-bit 12, [vsyscall] 16). The name is the rest of
 * the line after the padding, spaces included; the kernel escapes only '\n'
 * (as \012), which is decoded; a trailing " (deleted)" is taken off and
 * flagged. Accepts every format from 3.10 on ([stack:TID] of 3.4-4.4 too).
 *
 * The maps source streams: each mapping is handed to a callback and nothing
 * is kept, so a 40,000-line maps goes through a fixed buffer.
 */
#ifndef ML_MAPS_H
#define ML_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/source.h"

/* The permission column "rwxp"/"rw-s" as bits. */
enum ml_vma_perm {
	ML_VMA_READ = 1u << 0,
	ML_VMA_WRITE = 1u << 1,
	ML_VMA_EXEC = 1u << 2,
	ML_VMA_SHARED = 1u << 3, /* 's' (VM_MAYSHARE); 'p' otherwise */
};

/* What the name column holds, as printed (no guess about the memory yet). */
enum ml_vma_name {
	ML_VMA_NAME_NONE,        /* nothing after the inode: anonymous */
	ML_VMA_NAME_PATH,        /* starts with '/': a file, or /memfd:, /SYSV..., /dev/zero */
	ML_VMA_NAME_HEAP,        /* [heap] */
	ML_VMA_NAME_STACK,       /* [stack] */
	ML_VMA_NAME_STACK_TID,   /* [stack:TID], a thread's stack (3.4-4.4) */
	ML_VMA_NAME_VDSO,        /* [vdso] */
	ML_VMA_NAME_VVAR,        /* [vvar] */
	ML_VMA_NAME_VVAR_VCLOCK, /* [vvar_vclock] (x86, 6.13+) */
	ML_VMA_NAME_VSYSCALL,    /* [vsyscall]: the gate area, outside the mm */
	ML_VMA_NAME_ANON,        /* [anon:NAME] (PR_SET_VMA_ANON_NAME, Android) */
	ML_VMA_NAME_ANON_SHMEM,  /* [anon_shmem:NAME] (6.2+) */
	ML_VMA_NAME_BRACKET,     /* another [name]: [uprobes], [sigpage], [vectors], [rollup] */
	ML_VMA_NAME_OTHER,       /* anything else: anon_inode:[io_uring], ... */
	ML_VMA_NAME__COUNT
};

/* One mapping's header line, parsed. */
struct ml_vma {
	uint64_t start, end; /* [start, end) */
	uint64_t offset;     /* file offset (pgoff << PAGE_SHIFT) */
	uint64_t inode;
	uint32_t dev_major, dev_minor;
	uint8_t perms;     /* enum ml_vma_perm bits */
	char perm_text[5]; /* "r-xp", as printed */
	uint8_t name_kind; /* enum ml_vma_name */
	bool deleted;      /* " (deleted)" was taken off the name */
	uint32_t tid;      /* [stack:TID] */
	const char *name;  /* decoded, NUL-terminated, "" when none */
	size_t name_len;   /* may hold '\n' (a decoded \012) */
	const char *label; /* the NAME of [anon:NAME] / [anon_shmem:NAME], else "" */
	size_t label_len;
};

/*
 * Parse a header line of n bytes into v. The decoded name is written to
 * namebuf (cap bytes; a name that does not fit is a bad line) and v->name
 * points there. Returns ML_LINE_OK or ML_LINE_BAD with *why.
 */
int ml_vma_parse(struct ml_vma *v, const char *s, size_t n, char *namebuf, size_t cap,
		 const char **why);

/* True when the line's first token looks like a header's "start-end". */
bool ml_vma_is_header(const char *s, size_t n);

/* A short stable word for a name kind ("path", "heap", ...), for JSON. */
const char *ml_vma_name_word(enum ml_vma_name k);

/* Called with each mapping; return 0, or -1 with errno set to stop the parse. */
typedef int (*ml_vma_fn)(void *arg, const struct ml_vma *v);

struct ml_maps {
	ml_vma_fn fn;
	void *arg;
	uint64_t count;    /* mappings handed to fn in this parse */
	uint64_t prev_end; /* end of the last mapping: addresses only go forward */
	struct ml_vma vma;
	char name[ML_LINE_MAX + 1];
};

/* Prepare m to hand each mapping to fn(arg, vma). */
void ml_maps_init(struct ml_maps *m, ml_vma_fn fn, void *arg);

/* Per-PID source: open it with rel "PID/maps". */
extern const struct ml_source ml_src_maps;

#endif /* ML_MAPS_H */

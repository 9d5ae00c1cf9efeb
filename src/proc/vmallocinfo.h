/*
 * /proc/vmallocinfo: one line per vmap area (doc/procfs.md section 3).
 *
 *   0x<start>-0x<end> <size> [caller [ [module]]] [pages=N] [phys=ADDR] [flag...] [N<node>=N...]
 *   0x<start>-0x<end> <size> vm_map_ram          (4.13+, areas with no vm_struct)
 *   0x<start>-0x<end> <size> unpurged vm_area    (4.13+, lazily freed)
 *
 * The parser does not aggregate and does not allocate: it decodes each line
 * into a struct ml_vm_area whose strings point into the line, and hands it
 * to a sink (the model's aggregator, src/model/vmalloc.h; a unit test's
 * recorder) before the next line arrives. It keeps only file-wide totals of
 * its own. So a 100k-line file goes through the feed's fixed buffer, and a
 * refresh costs no allocation here at all.
 *
 * Addresses are kept as printed and never used for sizes: with %pK they are
 * hashed (end < start happens), zero, or real (doc/procfs.md section 13).
 * The size column is the VA size including the guard page; memory is
 * pages= x page size. Accepts every format from 3.10 on: "phys=%llx" without 0x (before ~4.11),
 * flags added later (dma-coherent, sparse), unknown flag words (kept), the
 * two-word tails, and any order of lines (6.9+ concatenates per-node lists).
 */
#ifndef ML_VMALLOCINFO_H
#define ML_VMALLOCINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/source.h"

/* The flag words the kernel prints, in the order it prints them. */
enum ml_vm_flag {
	ML_VMF_IOREMAP,      /* VM_IOREMAP */
	ML_VMF_SPARSE,       /* VM_SPARSE (6.9+, BPF arena) */
	ML_VMF_VMALLOC,      /* VM_ALLOC */
	ML_VMF_VMAP,         /* VM_MAP */
	ML_VMF_USER,         /* VM_USERMAP */
	ML_VMF_DMA_COHERENT, /* VM_DMA_COHERENT (5.5+) */
	ML_VMF_VPAGES,       /* the pages array is vmalloc'd itself */
	ML_VMF__COUNT
};

/* What a line describes. */
enum ml_vm_kind {
	ML_VMK_AREA,       /* a vm_struct area: caller, pages, flags */
	ML_VMK_VM_MAP_RAM, /* "vm_map_ram": mapped by vm_map_ram(), no vm_struct */
	ML_VMK_UNPURGED,   /* "unpurged vm_area": freed, TLB flush pending */
	ML_VMK__COUNT
};

/* How the address columns were printed (%pK; doc/procfs.md section 13). */
enum ml_vm_addr_kind {
	ML_VMA_NONE,   /* no line yet */
	ML_VMA_ZERO,   /* all 0x0000000000000000 (kptr_restrict, no CAP_SYSLOG) */
	ML_VMA_HASHED, /* hashed (4.15+ with kptr_restrict=0): end - start is not the size */
	ML_VMA_REAL,   /* real addresses: end - start is the size on every line */
};

/* Unknown words kept per line; more are counted in ml_vm_area.unknown_more. */
#define ML_VM_UNKNOWN_MAX 8
/*
 * N<node>= entries per line (at most one per node: MAX_NUMNODES is 1024 with
 * the largest NODES_SHIFT); node ids must be below ML_VM_NODE_LIMIT.
 */
#define ML_VM_NODES_MAX 1024
#define ML_VM_NODE_LIMIT 4096

/* A string borrowed from the current line (not NUL-terminated). */
struct ml_vm_str {
	const char *s; /* NULL when absent */
	uint16_t n;
};

/* One decoded line; every string points into the line, valid during the sink call. */
struct ml_vm_area {
	enum ml_vm_kind kind;
	uint64_t ordinal;    /* 1-based line number in this parse */
	uint64_t start, end; /* as printed: hashed, zero or real */
	uint64_t size;       /* VA size, guard page included */
	/* from here to node_pages_sum: zero unless the line says otherwise */
	struct ml_vm_str
		caller;        /* "kernel_clone+0x94/0x3e0", "0xffffffffc0a01234"; .s NULL: none */
	struct ml_vm_str func; /* "kernel_clone" (offset stripped), or the raw address */
	struct ml_vm_str module; /* "nf_tables" from " [nf_tables]"; .s NULL: built in */
	bool caller_raw;         /* an unresolved address, not a symbol */
	bool has_pages;
	bool has_phys;
	bool phys_0x;       /* printed with 0x (%pa, ~4.11+) or without (%llx, 3.10) */
	unsigned int flags; /* 1u << enum ml_vm_flag */
	uint64_t pages;     /* pages= */
	uint64_t phys;
	unsigned int nunknown;
	unsigned int unknown_more; /* unknown words beyond ML_VM_UNKNOWN_MAX */
	unsigned int nnodes;
	uint64_t node_pages_sum; /* Σ N<node>= (may differ from pages= with huge mappings) */
	struct ml_vm_str unknown[ML_VM_UNKNOWN_MAX];
	uint16_t node[ML_VM_NODES_MAX];
	uint64_t node_pages[ML_VM_NODES_MAX];
};

/*
 * Where decoded areas go. area returns 0, or -1 with errno (ENOMEM) to stop
 * the parse. begin and finish bracket one parse; any of the three may be NULL.
 */
struct ml_vm_sink {
	int (*begin)(void *arg);
	int (*area)(void *arg, const struct ml_vm_area *a);
	int (*finish)(void *arg, char **cause);
};

/* File-wide totals a parse keeps by itself. */
struct ml_vm_totals {
	uint64_t lines[ML_VMK__COUNT];   /* good lines of each kind */
	uint64_t va_size[ML_VMK__COUNT]; /* Σ size column per kind */
	uint64_t pages;                  /* Σ pages= over every area */
	uint64_t vmalloc_pages; /* Σ pages= over areas flagged vmalloc (VmallocUsed, 5.3+) */
	uint64_t flag_areas[ML_VMF__COUNT];
	uint64_t with_caller, module_callers, raw_callers;
	uint64_t unknown_words; /* areas' words memlens does not know */
	uint64_t phys_no_0x;    /* "phys=%llx" lines (the 3.10 format) */
	uint64_t descents;      /* lines whose start is below the previous one's */
	bool addr_nonzero, addr_mismatch;
};

struct ml_vmallocinfo {
	const struct ml_vm_sink *sink; /* set by the user; may be NULL */
	void *sink_arg;
	struct ml_vm_totals t;
	uint64_t lineno;
	uint64_t prev_start;
	struct ml_vm_area cur; /* scratch for the line being decoded */
};

extern const struct ml_source ml_src_vmallocinfo;

/* Zero vi and attach a sink (NULL for totals only). */
void ml_vmallocinfo_init(struct ml_vmallocinfo *vi, const struct ml_vm_sink *sink, void *arg);

/* How the addresses of the last parse were printed. */
enum ml_vm_addr_kind ml_vmallocinfo_addr_kind(const struct ml_vmallocinfo *vi);

/* "ioremap", "vmalloc", ... as the kernel prints the flag. */
const char *ml_vm_flag_name(enum ml_vm_flag f);

#endif /* ML_VMALLOCINFO_H */

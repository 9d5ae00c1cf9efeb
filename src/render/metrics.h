/*
 * Metrics for Prometheus: the OpenMetrics 1.0 text format or the Prometheus
 * text format 0.0.4, rendered from the same model structs the text and JSON
 * reports print, so that a number can never differ between them. The
 * families, their labels and their units are documented in doc/metrics.md
 * and memlens(1).
 *
 * The renderer reads; it neither opens a file nor computes a model: the
 * caller (src/cmd/metrics-read.c, through the snapshot) reads the sources
 * and hands over what it could read. A NULL model means its source could not be read: its families
 * are left out, never written as zeros, and memlens_source_readable says so.
 *
 * Adding a family (the growth and cgroup families, say):
 *  1. a line in families[] in metrics.c: name, type, unit, HELP text, the
 *     labels, and an emit function that writes its samples with
 *     emit_*() (the header is written before the first sample, so a family
 *     without samples writes nothing);
 *  2. a pointer to its model in struct ml_metrics_input, and the caller
 *     filling it in (metrics_read_input(); a new source is a source of the
 *     snapshot, see src/cmd/metrics-read.h);
 *  3. a row in the table of doc/metrics.md and in memlens(1) (the test
 *     tests/cli/1310-metrics-lint.sh checks both against the output).
 * Label values go through the one escaping function, and a family whose
 * series could grow without bound takes --min (fold small rows into
 * "(other)") or an explicit top N.
 */
#ifndef ML_METRICS_H
#define ML_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/accounting.h"
#include "model/fragmentation.h"
#include "model/numa.h"
#include "model/procs.h"
#include "model/slab.h"
#include "model/vmalloc.h"
#include "model/watermarks.h"

struct ml_pressure; /* proc/pressure.h */
struct ml_zram;     /* proc/zram.h */
struct ml_hugetlb;  /* proc/hugepages.h */
struct ml_cgtree;   /* model/cgroups.h */

enum ml_metrics_format {
	ML_METRICS_OPENMETRICS, /* application/openmetrics-text; version=1.0.0 */
	ML_METRICS_PROMETHEUS,  /* text/plain; version=0.0.4 */
	ML_METRICS__FORMATS
};

/* "openmetrics" / "prometheus", and back (-1 when unknown). */
const char *ml_metrics_format_name(enum ml_metrics_format f);
int ml_metrics_format_lookup(const char *name);
/* The HTTP Content-Type of a format. */
const char *ml_metrics_content_type(enum ml_metrics_format f);

/* Whether one source could be read, for memlens_source_readable. */
struct ml_metrics_source {
	const char *name; /* "meminfo", "slabinfo", ..., "processes" */
	bool readable;
};

struct ml_metrics_input {
	const struct ml_accounting *acct; /* meminfo */
	const struct ml_slab_view *slab;  /* slabinfo; rows in file order */
	const struct ml_vmalloc *vmalloc; /* vmallocinfo */
	const struct ml_frag *frag;       /* buddyinfo */
	const struct ml_watermarks *wm;   /* zoneinfo */
	const struct ml_pressure *psi;    /* pressure/memory */
	const struct ml_zram *zram;       /* the sys root's zram devices */
	const struct ml_hugetlb *hugetlb; /* the sys root's hugetlb pools */
	const struct ml_numa_node *numa;  /* each NUMA node's accounting, in node order */
	size_t nnuma;
	const struct ml_cgtree *cgroups; /* the memory controller's cgroups */
	bool cgroup_members;             /* their member sums were made from procs */
	/* The processes with a user address space (no kernel threads, zombies
	 * or exited ones), read or not: NULL when the table could not be read. */
	struct ml_proc *const *procs;
	size_t nprocs;
	const struct ml_metrics_source *sources;
	size_t nsources;
	double scrape_seconds; /* how long reading the sources took */
	const char *version;
};

/*
 * The cgroup families' bound: cgroups at most this deep below the root
 * (/system.slice/x.service is 2, a Kubernetes pod 3), and not smaller than
 * --min (memory.current): a parent's figures hold what is left out.
 */
#define ML_METRICS_CGROUP_DEPTH 3

struct ml_metrics_options {
	enum ml_metrics_format format;
	uint64_t min_bytes; /* --min: smaller caches, callers, groups go to "(other)" */
	size_t procs_top;   /* --procs-top: per-process series for the N largest; 0 = none */
};

/*
 * Write every family with samples. Returns 0, or -1 with errno (ENOMEM from
 * grouping the processes, or the stream's error).
 */
int ml_metrics_write(FILE *f, const struct ml_metrics_input *in,
		     const struct ml_metrics_options *opt);

/*
 * Write a label value with the exposition formats' escapes (backslash,
 * double quote, newline), after making it valid UTF-8 without losing what
 * distinguishes two names: a byte that is not part of valid UTF-8 becomes
 * the four characters \xNN and a backslash of the name is doubled, so two
 * different names never share a series. Exposed for the unit tests.
 */
void ml_metrics_write_label_value(FILE *f, const char *s, size_t n);

#endif /* ML_METRICS_H */

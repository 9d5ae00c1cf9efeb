/*
 * devices/system/node/nodeN/{meminfo,numastat} and the node list; see
 * nodeinfo.h and doc/procfs.md section 21. Every format from 3.10 on: the
 * meminfo parser strips "Node N " and keys on the text after it, exactly as
 * /proc/meminfo's parser does; numastat is "name value", as vmstat.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc/nodeinfo.h"
#include "proc/scan.h"
#include "proc/sysattr.h"
#include "util.h"

#define KB ML_KV_BYTES
#define COUNT ML_KV_COUNT

const struct ml_kv_key ml_node_meminfo_keys[ML_NM__COUNT] = {
	[ML_NM_MEM_TOTAL] = { "MemTotal", KB },
	[ML_NM_MEM_FREE] = { "MemFree", KB },
	[ML_NM_MEM_USED] = { "MemUsed", KB },
	[ML_NM_SWAP_CACHED] = { "SwapCached", KB },
	[ML_NM_ACTIVE] = { "Active", KB },
	[ML_NM_INACTIVE] = { "Inactive", KB },
	[ML_NM_ACTIVE_ANON] = { "Active(anon)", KB },
	[ML_NM_INACTIVE_ANON] = { "Inactive(anon)", KB },
	[ML_NM_ACTIVE_FILE] = { "Active(file)", KB },
	[ML_NM_INACTIVE_FILE] = { "Inactive(file)", KB },
	[ML_NM_UNEVICTABLE] = { "Unevictable", KB },
	[ML_NM_MLOCKED] = { "Mlocked", KB },
	[ML_NM_HIGH_TOTAL] = { "HighTotal", KB },
	[ML_NM_HIGH_FREE] = { "HighFree", KB },
	[ML_NM_LOW_TOTAL] = { "LowTotal", KB },
	[ML_NM_LOW_FREE] = { "LowFree", KB },
	[ML_NM_DIRTY] = { "Dirty", KB },
	[ML_NM_WRITEBACK] = { "Writeback", KB },
	[ML_NM_FILE_PAGES] = { "FilePages", KB },
	[ML_NM_MAPPED] = { "Mapped", KB },
	[ML_NM_ANON_PAGES] = { "AnonPages", KB },
	[ML_NM_SHMEM] = { "Shmem", KB },
	[ML_NM_KERNEL_STACK] = { "KernelStack", KB },
	[ML_NM_SHADOW_CALL_STACK] = { "ShadowCallStack", KB },
	[ML_NM_PAGE_TABLES] = { "PageTables", KB },
	[ML_NM_SEC_PAGE_TABLES] = { "SecPageTables", KB },
	[ML_NM_NFS_UNSTABLE] = { "NFS_Unstable", KB },
	[ML_NM_BOUNCE] = { "Bounce", KB },
	[ML_NM_WRITEBACK_TMP] = { "WritebackTmp", KB },
	[ML_NM_KRECLAIMABLE] = { "KReclaimable", KB },
	[ML_NM_SLAB] = { "Slab", KB },
	[ML_NM_SRECLAIMABLE] = { "SReclaimable", KB },
	[ML_NM_SUNRECLAIM] = { "SUnreclaim", KB },
	[ML_NM_ANON_HUGE_PAGES] = { "AnonHugePages", KB },
	[ML_NM_SHMEM_HUGE_PAGES] = { "ShmemHugePages", KB },
	[ML_NM_SHMEM_PMD_MAPPED] = { "ShmemPmdMapped", KB },
	[ML_NM_FILE_HUGE_PAGES] = { "FileHugePages", KB },
	[ML_NM_FILE_PMD_MAPPED] = { "FilePmdMapped", KB },
	[ML_NM_UNACCEPTED] = { "Unaccepted", KB },
	[ML_NM_HUGEPAGES_TOTAL] = { "HugePages_Total", COUNT },
	[ML_NM_HUGEPAGES_FREE] = { "HugePages_Free", COUNT },
	[ML_NM_HUGEPAGES_SURP] = { "HugePages_Surp", COUNT },
};

const struct ml_kv_key ml_numastat_keys[ML_NS__COUNT] = {
	[ML_NS_NUMA_HIT] = { "numa_hit", COUNT },
	[ML_NS_NUMA_MISS] = { "numa_miss", COUNT },
	[ML_NS_NUMA_FOREIGN] = { "numa_foreign", COUNT },
	[ML_NS_INTERLEAVE_HIT] = { "interleave_hit", COUNT },
	[ML_NS_LOCAL_NODE] = { "local_node", COUNT },
	[ML_NS_OTHER_NODE] = { "other_node", COUNT },
};

void
ml_node_meminfo_init(struct ml_node_meminfo *nm)
{
	memset(nm, 0, sizeof *nm);
	nm->node = -1;
	ml_kvlist_init(&nm->all);
}

void
ml_node_meminfo_release(struct ml_node_meminfo *nm)
{
	ml_kvlist_release(&nm->all);
}

static int
node_meminfo_begin(void *out)
{
	struct ml_node_meminfo *nm = out;

	memset(nm->present, 0, sizeof nm->present);
	nm->node = -1;
	ml_kvlist_begin(&nm->all);
	return 0;
}

/* "Node 12 MemTotal:  123 kB": the node number must be the same on every line. */
static int
node_meminfo_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_node_meminfo *nm = out;
	const char *p = s, *end = s + n;
	uint64_t id;
	int rc;

	if (n < 5 || memcmp(s, "Node ", 5) != 0) {
		*why = "no \"Node N\" before the key";
		return ML_LINE_BAD;
	}
	p += 5;
	if (ml_scan_u64(&p, end, &id) != ML_SCAN_OK || id >= ML_NODE_MAX || p == end || *p != ' ') {
		*why = "bad node number";
		return ML_LINE_BAD;
	}
	if (nm->node >= 0 && (uint64_t)nm->node != id) {
		*why = "another node's line";
		return ML_LINE_BAD;
	}
	p++;
	rc = ml_kv_line(&nm->all, ml_node_meminfo_keys, ML_NM__COUNT, nm->val, nm->present, ':',
			false, p, (size_t)(end - p), why);
	if (rc != ML_LINE_OK)
		return rc;
	nm->node = (int64_t)id;
	return ML_LINE_OK;
}

static int
node_meminfo_finish(void *out, char **cause)
{
	struct ml_node_meminfo *nm = out;

	ml_kvlist_finish(&nm->all);
	if (!ml_node_meminfo_has(nm, ML_NM_MEM_TOTAL)) {
		ml_set_cause(cause, "no \"Node N MemTotal\" line");
		errno = ENODATA;
		return -1;
	}
	return 0;
}

const struct ml_source ml_src_node_meminfo = {
	.name = "node meminfo",
	/* under the sys root; node 0's, readers are given nodeN's */
	.path = "devices/system/node/node0/meminfo",
	.begin = node_meminfo_begin,
	.line = node_meminfo_line,
	.finish = node_meminfo_finish,
};

void
ml_numastat_init(struct ml_numastat *ns)
{
	memset(ns, 0, sizeof *ns);
	ml_kvlist_init(&ns->all);
}

void
ml_numastat_release(struct ml_numastat *ns)
{
	ml_kvlist_release(&ns->all);
}

static int
numastat_begin(void *out)
{
	struct ml_numastat *ns = out;

	memset(ns->present, 0, sizeof ns->present);
	ml_kvlist_begin(&ns->all);
	return 0;
}

static int
numastat_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_numastat *ns = out;

	return ml_kv_line(&ns->all, ml_numastat_keys, ML_NS__COUNT, ns->val, ns->present, ' ', true,
			  s, n, why);
}

static int
numastat_finish(void *out, char **cause)
{
	struct ml_numastat *ns = out;

	ml_kvlist_finish(&ns->all);
	if (ns->all.n == 0) {
		ml_set_cause(cause, "no counters");
		errno = ENODATA;
		return -1;
	}
	return 0;
}

const struct ml_source ml_src_numastat = {
	.name = "numastat",
	/* under the sys root; node 0's, readers are given nodeN's */
	.path = "devices/system/node/node0/numastat",
	.begin = numastat_begin,
	.line = numastat_line,
	.finish = numastat_finish,
};

int
ml_node_ids(const struct ml_procfs *sys, int **ids, size_t *n, char **cause)
{
	char buf[4096];
	struct ml_names names;
	const char *why;
	long len;
	size_t i;
	int *v;

	*ids = NULL;
	*n = 0;
	v = malloc(ML_NODE_MAX * sizeof *v);
	if (v == NULL) {
		ml_set_cause(cause, "%s", strerror(errno));
		return -1;
	}
	len = ml_procfs_read_small(sys, ML_NODE_DIR "/online", buf, sizeof buf, NULL);
	if (len >= 0) {
		if (ml_range_list_parse(buf, (size_t)len, ML_NODE_MAX - 1, v, ML_NODE_MAX, n,
					&why) != 0) {
			char *path = ml_procfs_path(sys, ML_NODE_DIR "/online");

			ml_set_cause(cause, "%s: %s: \"%.40s\"", path != NULL ? path : "online",
				     why, buf);
			free(path);
			free(v);
			errno = EINVAL;
			return -1;
		}
		*ids = v;
		return 0;
	}
	/* No online file (a partial copy): the nodeN directories. */
	if (ml_sysfs_list(sys, ML_NODE_DIR, "node", &names, cause) != 0) {
		free(v);
		return -1;
	}
	for (i = 0; i < names.n && *n < ML_NODE_MAX; i++) {
		const char *p = names.v[i] + 4, *end = p + strlen(p);
		uint64_t id;

		if (ml_scan_u64(&p, end, &id) == ML_SCAN_OK && p == end && id < ML_NODE_MAX)
			v[(*n)++] = (int)id;
	}
	ml_names_release(&names);
	if (*n == 0) {
		char *path = ml_procfs_path(sys, ML_NODE_DIR);

		ml_set_cause(cause, "%s: no online file and no nodeN directory",
			     path != NULL ? path : ML_NODE_DIR);
		free(path);
		free(v);
		errno = ENOENT;
		return -1;
	}
	*ids = v;
	return 0;
}

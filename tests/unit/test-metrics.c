/*
 * The metrics renderer (render/metrics.c): label escaping, the families of
 * each model, duplicate slab names, the (other) buckets, unreadable sources
 * left out, and the two formats' framing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "model/accounting.h"
#include "model/fragmentation.h"
#include "model/procs.h"
#include "model/slab.h"
#include "model/vmalloc.h"
#include "proc/buddyinfo.h"
#include "proc/hugepages.h"
#include "proc/meminfo.h"
#include "proc/pressure.h"
#include "proc/slabinfo.h"
#include "proc/zram.h"
#include "render/metrics.h"

/* ml_metrics_write_label_value into a string (static, overwritten per call). */
static const char *
escaped(const char *s, size_t n)
{
	static char *buf;
	static size_t len;
	FILE *f;

	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	ml_metrics_write_label_value(f, s, n);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
test_escape_format_characters(void **state)
{
	(void)state;
	assert_string_equal(escaped("plain", 5), "plain");
	assert_string_equal(escaped("a\"b", 3), "a\\\"b");
	assert_string_equal(escaped("a\nb", 3), "a\\nb");
	/* a backslash of the name is doubled, and each escaped: four on the wire */
	assert_string_equal(escaped("a\\b", 3), "a\\\\\\\\b");
	assert_string_equal(escaped("", 0), "");
}

static void
test_escape_invalid_utf8(void **state)
{
	(void)state;
	/* valid multi-byte sequences pass: e-acute, the euro sign, an emoji */
	assert_string_equal(escaped("caf\xc3\xa9", 5), "caf\xc3\xa9");
	assert_string_equal(escaped("\xe2\x82\xac", 3), "\xe2\x82\xac");
	assert_string_equal(escaped("\xf0\x9f\x98\x80", 4), "\xf0\x9f\x98\x80");
	/* a lone byte, a truncated sequence, an overlong form, a surrogate, > U+10FFFF */
	assert_string_equal(escaped("a\xff", 2), "a\\\\xff");
	assert_string_equal(escaped("\xc3", 1), "\\\\xc3");
	assert_string_equal(escaped("\xe2\x82z", 3), "\\\\xe2\\\\x82z");
	assert_string_equal(escaped("\xc0\xaf", 2), "\\\\xc0\\\\xaf");
	assert_string_equal(escaped("\xed\xa0\x80", 3), "\\\\xed\\\\xa0\\\\x80");
	assert_string_equal(escaped("\xf4\x90\x80\x80", 4), "\\\\xf4\\\\x90\\\\x80\\\\x80");
	/* a NUL inside the given length is valid UTF-8 (a C string never holds one) */
	assert_string_equal(escaped("\x80", 1), "\\\\x80");
}

static void
test_escape_keeps_names_apart(void **state)
{
	char a[32], b[32];

	(void)state;
	/* the byte 0xff, and the four characters \xff, must not share a series */
	snprintf(a, sizeof a, "%s", escaped("x\xff", 2));
	snprintf(b, sizeof b, "%s", escaped("x\\xff", 5));
	assert_string_not_equal(a, b);
}

/* Render in into a string (the caller frees it). */
static char *
render(const struct ml_metrics_input *in, enum ml_metrics_format fmt, uint64_t min,
       size_t procs_top)
{
	struct ml_metrics_options opt = { .format = fmt, .min_bytes = min, .procs_top = procs_top };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(ml_metrics_write(f, in, &opt), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static const struct ml_metrics_source all_read[] = {
	{ "meminfo", true },
	{ "slabinfo", true },
};

static void
base_input(struct ml_metrics_input *in)
{
	memset(in, 0, sizeof *in);
	in->sources = all_read;
	in->nsources = ML_ARRAY_SIZE(all_read);
	in->scrape_seconds = 0.25;
	in->version = "9.9.9";
}

static void
test_framing(void **state)
{
	struct ml_metrics_input in;
	char *om, *text;

	(void)state;
	base_input(&in);
	om = render(&in, ML_METRICS_OPENMETRICS, 0, 0);
	text = render(&in, ML_METRICS_PROMETHEUS, 0, 0);
	/* OpenMetrics ends with # EOF and has UNIT; 0.0.4 has neither */
	assert_non_null(strstr(om, "# UNIT memlens_scrape_duration_seconds seconds\n"));
	assert_true(strlen(om) > 6 && strcmp(om + strlen(om) - 6, "# EOF\n") == 0);
	assert_null(strstr(text, "# EOF"));
	assert_null(strstr(text, "# UNIT"));
	assert_non_null(strstr(text, "memlens_scrape_duration_seconds 0.250000\n"));
	assert_non_null(strstr(text, "memlens_build_info{version=\"9.9.9\"} 1\n"));
	assert_non_null(strstr(text, "memlens_source_readable{source=\"slabinfo\"} 1\n"));
	/* no model: no family of it, not even its HELP */
	assert_null(strstr(om, "memlens_memory_part_bytes"));
	assert_null(strstr(om, "memlens_slab_cache"));
	free(om);
	free(text);
}

static void
test_memory_parts_sum_to_total(void **state)
{
	static const char mi_text[] = "MemTotal:        8000000 kB\n"
				      "MemFree:         1000000 kB\n"
				      "MemAvailable:    5000000 kB\n"
				      "Buffers:           10000 kB\n"
				      "Cached:          3000000 kB\n"
				      "SwapCached:            0 kB\n"
				      "AnonPages:       2000000 kB\n"
				      "Shmem:             50000 kB\n"
				      "Slab:             600000 kB\n"
				      "SReclaimable:     400000 kB\n"
				      "SUnreclaim:       200000 kB\n"
				      "KernelStack:       20000 kB\n"
				      "PageTables:        30000 kB\n";
	struct ml_meminfo mi;
	struct ml_accounting a;
	struct ml_metrics_input in;
	char *out, *line, *save = NULL;
	long long sum = 0;
	int parts = 0;

	(void)state;
	ml_meminfo_init(&mi);
	unit_parse_str(&ml_src_meminfo, &mi, mi_text);
	assert_int_equal(ml_accounting_compute(&a, &mi, NULL, NULL), 0);
	base_input(&in);
	in.acct = &a;
	out = render(&in, ML_METRICS_PROMETHEUS, 0, 0);
	for (line = strtok_r(out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "memlens_memory_part_bytes{", 26) != 0)
			continue;
		sum += atoll(strrchr(line, ' ') + 1);
		parts++;
	}
	assert_int_equal(sum, 8000000LL * 1024);
	/* parts this meminfo does not print are left out, never 0 */
	assert_true(parts < ML_ACCT__COUNT);
	free(out);
	ml_meminfo_release(&mi);
}

static const char slab_text[] =
	"slabinfo - version: 2.1\n"
	"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : "
	"tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> "
	"<sharedavail>\n"
	"big_cache   1000   1024   1024   16    4 : tunables 0 0 0 : slabdata  64  64  0\n"
	"dup_cache     10     42     96   42    1 : tunables 0 0 0 : slabdata   1   1  0\n"
	"dup_cache     84     84     96   42    1 : tunables 0 0 0 : slabdata   2   2  0\n"
	"dup_cache     42     42     96   42    1 : tunables 0 0 0 : slabdata   1   1  0\n"
	"tiny_a         1     16    256   16    1 : tunables 0 0 0 : slabdata   1   1  0\n"
	"tiny_b         2     16    256   16    1 : tunables 0 0 0 : slabdata   1   1  0\n";

static void
test_slab_duplicates_and_other(void **state)
{
	struct ml_slabinfo si;
	struct ml_slab_view v;
	struct ml_metrics_input in;
	char *out;

	(void)state;
	ml_slabinfo_init(&si);
	ml_slab_view_init(&v);
	unit_parse_str(&ml_src_slabinfo, &si, slab_text);
	assert_int_equal(ml_slab_view_compute(&v, &si, 4096, 0), 0);
	base_input(&in);
	in.slab = &v;

	/* --min 0: every cache, the second and third dup_cache with their ordinal */
	out = render(&in, ML_METRICS_OPENMETRICS, 0, 0);
	assert_non_null(
		strstr(out, "memlens_slab_cache_bytes{cache=\"big_cache\",reclaimable=\"unknown\"} "
			    "1048576\n"));
	assert_non_null(strstr(
		out,
		"memlens_slab_cache_bytes{cache=\"dup_cache\",reclaimable=\"unknown\"} 4096\n"));
	assert_non_null(strstr(out, "memlens_slab_cache_bytes{cache=\"dup_cache\",reclaimable="
				    "\"unknown\",ordinal=\"1\"} 8192\n"));
	assert_non_null(strstr(out, "memlens_slab_cache_bytes{cache=\"dup_cache\",reclaimable="
				    "\"unknown\",ordinal=\"2\"} 4096\n"));
	/* active: active_objs x objsize; waste: the rest */
	assert_non_null(strstr(out, "memlens_slab_cache_active_bytes{cache=\"big_cache\","
				    "reclaimable=\"unknown\"} 1024000\n"));
	assert_non_null(strstr(out, "memlens_slab_cache_waste_bytes{cache=\"big_cache\","
				    "reclaimable=\"unknown\"} 24576\n"));
	assert_null(strstr(out, "(other)"));
	free(out);

	/* --min 64K: the small caches become one (other) holding their sum */
	out = render(&in, ML_METRICS_OPENMETRICS, 65536, 0);
	assert_null(strstr(out, "dup_cache"));
	assert_null(strstr(out, "tiny_a"));
	assert_non_null(
		strstr(out, "memlens_slab_cache_bytes{cache=\"(other)\",reclaimable=\"unknown\"} "
			    "24576\n"));
	assert_non_null(strstr(out, "cache=\"big_cache\""));
	free(out);

	ml_slab_view_release(&v);
	ml_slabinfo_release(&si);
}

static void
test_slab_without_page_size(void **state)
{
	struct ml_slabinfo si;
	struct ml_slab_view v;
	struct ml_metrics_input in;
	char *out;

	(void)state;
	ml_slabinfo_init(&si);
	ml_slab_view_init(&v);
	unit_parse_str(&ml_src_slabinfo, &si, slab_text);
	assert_int_equal(ml_slab_view_compute(&v, &si, 0, 0), 0);
	base_input(&in);
	in.slab = &v;
	out = render(&in, ML_METRICS_OPENMETRICS, 0, 0);
	/* bytes need the page size: unknown, left out; active bytes do not */
	assert_null(strstr(out, "memlens_slab_cache_bytes"));
	assert_null(strstr(out, "memlens_slab_cache_waste_bytes"));
	assert_non_null(strstr(out, "memlens_slab_cache_active_bytes{cache=\"big_cache\""));
	free(out);
	ml_slab_view_release(&v);
	ml_slabinfo_release(&si);
}

static void
test_buddy_indices(void **state)
{
	static const char bi_text[] = "Node 0, zone   Normal      4      0      0      1      0    "
				      "  0      0      0      "
				      "0      0      0\n";
	struct ml_buddyinfo bi;
	struct ml_frag f;
	struct ml_metrics_input in;
	char *out;

	(void)state;
	ml_buddyinfo_init(&bi);
	ml_frag_init(&f);
	unit_parse_str(&ml_src_buddyinfo, &bi, bi_text);
	assert_int_equal(ml_frag_compute(&f, &bi, 4096, NULL), 0);
	base_input(&in);
	in.frag = &f;
	out = render(&in, ML_METRICS_OPENMETRICS, 0, 0);
	assert_non_null(strstr(
		out, "memlens_buddy_free_blocks{node=\"0\",zone=\"Normal\",order=\"3\"} 1\n"));
	/* order 0: a free block exists; order 4: none, 8 of 12 free pages in order 3 */
	assert_non_null(strstr(out, "memlens_buddy_fragmentation_index{node=\"0\",zone=\"Normal\","
				    "order=\"0\"} -1.000\n"));
	assert_non_null(strstr(out, "memlens_buddy_unusable_ratio{node=\"0\",zone=\"Normal\","
				    "order=\"4\"} 1.000\n"));
	assert_non_null(strstr(out, "memlens_buddy_unusable_ratio{node=\"0\",zone=\"Normal\","
				    "order=\"1\"} 0.333\n"));
	assert_non_null(strstr(out, "memlens_buddy_largest_free_block_bytes{node=\"0\",zone="
				    "\"Normal\"} 32768\n"));
	free(out);
	ml_frag_release(&f);
	ml_buddyinfo_release(&bi);
}

/* A readable process with PSS, USS and swap in bytes. */
static void
make_proc(struct ml_proc *p, int pid, uint32_t uid, const char *user, const char *comm,
	  uint64_t pss, uint64_t uss, uint64_t swap)
{
	memset(p, 0, sizeof *p);
	p->pid = pid;
	p->uid = uid;
	snprintf(p->user, sizeof p->user, "%s", user);
	snprintf(p->comm, sizeof p->comm, "%s", comm);
	p->mem = ML_MEM_OK;
	p->val[ML_SM_PSS] = pss;
	p->val[ML_SM_PRIVATE_CLEAN] = uss;
	p->val[ML_SM_PRIVATE_DIRTY] = 0;
	p->val[ML_SM_SWAP] = swap;
	ml_bit_set(p->present, ML_SM_PSS);
	ml_bit_set(p->present, ML_SM_PRIVATE_CLEAN);
	ml_bit_set(p->present, ML_SM_PRIVATE_DIRTY);
	ml_bit_set(p->present, ML_SM_SWAP);
}

static void
test_process_groups(void **state)
{
	struct ml_proc p[5], *rows[5];
	struct ml_metrics_input in;
	char *out;
	int i;

	(void)state;
	make_proc(&p[0], 10, 0, "root", "big\"one", 8 << 20, 4 << 20, 0);
	make_proc(&p[1], 11, 1000, "alice", "bash", 1 << 20, 1 << 19, 0);
	make_proc(&p[2], 12, 1000, "alice", "bash", 1 << 20, 1 << 19, 0);
	make_proc(&p[3], 13, 1000, "alice", "small", 4096, 4096, 0);
	make_proc(&p[4], 14, 1001, "bob", "x\xff", 0, 0, 0);
	p[4].mem = ML_MEM_DENIED;
	for (i = 0; i < 5; i++)
		rows[i] = &p[i];
	base_input(&in);
	in.procs = rows;
	in.nprocs = 5;
	out = render(&in, ML_METRICS_OPENMETRICS, 1 << 20, 2);
	assert_non_null(strstr(
		out, "memlens_process_group_pss_bytes{by=\"user\",name=\"root\"} 8388608\n"));
	assert_non_null(strstr(
		out, "memlens_process_group_pss_bytes{by=\"user\",name=\"alice\"} 2101248\n"));
	assert_non_null(strstr(
		out, "memlens_process_group_pss_bytes{by=\"command\",name=\"bash\"} 2097152\n"));
	assert_non_null(strstr(
		out,
		"memlens_process_group_pss_bytes{by=\"command\",name=\"big\\\"one\"} 8388608\n"));
	/* below --min: into (other); an unreadable process adds nothing and is counted */
	assert_non_null(strstr(
		out, "memlens_process_group_pss_bytes{by=\"command\",name=\"(other)\"} 4096\n"));
	assert_null(strstr(out, "name=\"small\""));
	assert_non_null(strstr(out, "memlens_processes_unreadable{reason=\"denied\"} 1\n"));
	/* --procs-top 2: the two largest by PSS */
	assert_non_null(strstr(
		out, "memlens_process_pss_bytes{pid=\"10\",command=\"big\\\"one\"} 8388608\n"));
	assert_non_null(strstr(out, "memlens_process_pss_bytes{pid=\"11\",command=\"bash\"}"));
	assert_null(strstr(out, "memlens_process_pss_bytes{pid=\"12\""));
	free(out);
}

/* PSI: hundredths of a percent as a ratio with four places; a missing line left out. */
static void
test_pressure(void **state)
{
	struct ml_pressure psi;
	struct ml_metrics_input in;
	char *out;

	(void)state;
	memset(&psi, 0, sizeof psi);
	psi.some.present = true;
	psi.some.avg10 = 10000; /* 100.00%: every task stalled */
	psi.some.avg60 = 1;     /* 0.01% */
	psi.some.avg300 = 0;
	base_input(&in);
	in.psi = &psi;
	out = render(&in, ML_METRICS_OPENMETRICS, 0, 0);
	assert_non_null(strstr(out, "# UNIT memlens_pressure_memory_ratio ratio\n"));
	assert_non_null(strstr(
		out, "memlens_pressure_memory_ratio{kind=\"some\",window=\"10s\"} 1.0000\n"));
	assert_non_null(strstr(
		out, "memlens_pressure_memory_ratio{kind=\"some\",window=\"60s\"} 0.0001\n"));
	assert_non_null(strstr(
		out, "memlens_pressure_memory_ratio{kind=\"some\",window=\"300s\"} 0.0000\n"));
	assert_null(strstr(out, "kind=\"full\""));
	free(out);
	in.psi = NULL;
	out = render(&in, ML_METRICS_OPENMETRICS, 0, 0);
	assert_null(strstr(out, "memlens_pressure"));
	free(out);
}

/* zram and hugetlb: a value that was not read is left out, never 0. */
static void
test_zram_and_hugetlb(void **state)
{
	struct ml_zram_dev dev[2];
	struct ml_zram z = { .listed = true, .n = 2, .dev = dev };
	struct ml_hugetlb_size sz;
	struct ml_hugetlb h = { .listed = true, .nsizes = 1, .size = &sz };
	struct ml_metrics_input in;
	char *out;

	(void)state;
	memset(dev, 0, sizeof dev);
	snprintf(dev[0].name, sizeof dev[0].name, "zram0");
	dev[0].mm_state = ML_ATTR_OK;
	dev[0].mm.present = true;
	dev[0].mm.v[ML_ZR_ORIG_DATA_SIZE] = 300;
	dev[0].mm.v[ML_ZR_COMPR_DATA_SIZE] = 100;
	dev[0].mm.v[ML_ZR_MEM_USED_TOTAL] = 120;
	snprintf(dev[1].name, sizeof dev[1].name, "zram1");
	dev[1].mm_state = ML_ATTR_UNREADABLE;
	memset(&sz, 0, sizeof sz);
	sz.size_kb = 2048;
	snprintf(sz.dir, sizeof sz.dir, "hugepages-2048kB");
	sz.a[ML_HP_NR].state = ML_ATTR_OK;
	sz.a[ML_HP_NR].u = 3;
	sz.a[ML_HP_FREE].state = ML_ATTR_BAD;
	base_input(&in);
	in.zram = &z;
	in.hugetlb = &h;
	out = render(&in, ML_METRICS_PROMETHEUS, 0, 0);
	assert_non_null(strstr(out, "memlens_zram_original_bytes{device=\"zram0\"} 300\n"));
	assert_non_null(strstr(out, "memlens_zram_compressed_bytes{device=\"zram0\"} 100\n"));
	assert_non_null(strstr(out, "memlens_zram_memory_used_bytes{device=\"zram0\"} 120\n"));
	assert_null(strstr(out, "zram1"));
	assert_null(strstr(out, "memlens_zram_memory_limit_bytes")); /* 0: no limit */
	assert_non_null(strstr(out, "memlens_hugetlb_pool_bytes{size=\"2048kB\"} 6291456\n"));
	assert_null(strstr(out, "memlens_hugetlb_free_bytes"));
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_format_characters),
		cmocka_unit_test(test_escape_invalid_utf8),
		cmocka_unit_test(test_escape_keeps_names_apart),
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_memory_parts_sum_to_total),
		cmocka_unit_test(test_slab_duplicates_and_other),
		cmocka_unit_test(test_slab_without_page_size),
		cmocka_unit_test(test_buddy_indices),
		cmocka_unit_test(test_process_groups),
		cmocka_unit_test(test_pressure),
		cmocka_unit_test(test_zram_and_hugetlb),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

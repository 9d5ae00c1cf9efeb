/*
 * The zoneinfo parser: every layout of doc/procfs.md section 7, whole and in
 * 1/7/4096-byte chunks, truncated, with garbage, unknown keys and overflow,
 * and steady-state memory across refreshes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/reader.h"
#include "proc/zoneinfo.h"
#include "unit.h"

/* Append a printf to a growing string. */
static void cat(char **s, size_t *len, const char *fmt, ...) ML_PRINTF(3, 4);

static void
cat(char **s, size_t *len, const char *fmt, ...)
{
	va_list ap;
	char buf[512];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof buf);
	*s = realloc(*s, *len + (size_t)n + 1);
	assert_non_null(*s);
	memcpy(*s + *len, buf, (size_t)n + 1);
	*len += (size_t)n;
}

static void
dump_kv(char **s, size_t *len, const char *what, const struct ml_kvlist *l)
{
	uint32_t i;

	for (i = 0; i < l->n; i++)
		cat(s, len, "  %s %.*s=%llu slot=%d\n", what, (int)l->e[i].name_len,
		    ml_kvlist_name(l, i), (unsigned long long)l->e[i].value, l->e[i].slot);
}

/* Everything the parse produced, as text, for comparing parses. */
static char *
dump(const struct ml_zoneinfo *zi, const struct ml_feed *f)
{
	char *s = NULL;
	size_t len = 0;
	uint32_t i, j;
	int k;

	cat(&s, &len, "lines=%llu bad=%llu first=%llu why=%s text=%s\n",
	    (unsigned long long)f->stats.lines, (unsigned long long)f->stats.bad_lines,
	    (unsigned long long)f->stats.first_bad_lineno,
	    f->stats.first_bad_why ? f->stats.first_bad_why : "-", f->stats.first_bad_text);
	cat(&s, &len, "in_zone=%d record=%d after=%d\n", zi->node_stats_in_zone,
	    zi->node_stats_record, zi->protection_after_counters);
	for (i = 0; i < zi->nnodes; i++) {
		cat(&s, &len, "node %lld stats=%d zones=%u\n", (long long)zi->nodes[i].id,
		    zi->nodes[i].has_stats, zi->nodes[i].nzones);
		dump_kv(&s, &len, "ns", &zi->nodes[i].stats);
	}
	for (i = 0; i < zi->nzones; i++) {
		const struct ml_zi_zone *z = &zi->zones[i];

		cat(&s, &len, "zone %lld %s populated=%d\n", (long long)z->node, z->name,
		    z->populated);
		for (k = 0; k < ML_ZI__FIELD_COUNT; k++) {
			if (ml_zi_has(z, (enum ml_zi_field)k))
				cat(&s, &len, "  f%d=%llu\n", k, (unsigned long long)z->val[k]);
		}
		dump_kv(&s, &len, "field", &z->fields);
		dump_kv(&s, &len, "c", &z->counters);
		dump_kv(&s, &len, "numa", &z->numa);
		dump_kv(&s, &len, "pcp?", &z->pageset_other);
		if (z->has_protection) {
			cat(&s, &len, "  prot");
			for (j = 0; j < z->nprotection; j++)
				cat(&s, &len, " %lld", (long long)z->protection[j]);
			cat(&s, &len, "\n");
		}
		for (j = 0; j < z->npagesets; j++) {
			const struct ml_zi_pageset *p = &z->pagesets[j];

			cat(&s, &len, "  cpu %lld present=%x", (long long)p->cpu, p->present);
			for (k = 0; k < ML_ZI_PCP__COUNT; k++)
				cat(&s, &len, " %lld", (long long)p->v[k]);
			cat(&s, &len, "\n");
		}
	}
	return s;
}

/* Parse a fixture whole and in every chunk size; all dumps must agree. */
static void
parse_all_chunks(const char *rel, struct ml_zoneinfo *out)
{
	struct ml_feed f;
	size_t len, c;
	char *buf = unit_load_fixture(rel, &len), *first = NULL, *d;

	for (c = 0; c < ML_ARRAY_SIZE(unit_chunk_sizes); c++) {
		struct ml_zoneinfo zi;

		ml_zoneinfo_init(&zi);
		unit_parse(&f, &ml_src_zoneinfo, &zi, buf, len, unit_chunk_sizes[c]);
		d = dump(&zi, &f);
		if (first == NULL)
			first = d;
		else {
			assert_string_equal(first, d);
			free(d);
		}
		ml_zoneinfo_release(&zi);
	}
	free(first);
	ml_zoneinfo_init(out);
	unit_parse(&f, &ml_src_zoneinfo, out, buf, len, 0);
	assert_int_equal(f.stats.bad_lines, 0);
	free(buf);
}

static const struct ml_zi_zone *
zone(const struct ml_zoneinfo *zi, int64_t node, const char *name)
{
	uint32_t i;

	for (i = 0; i < zi->nzones; i++) {
		if (zi->zones[i].node == node && strcmp(zi->zones[i].name, name) == 0)
			return &zi->zones[i];
	}
	fail_msg("no zone %lld %s", (long long)node, name);
	return NULL;
}

static uint64_t
kv(const struct ml_kvlist *l, const char *name)
{
	uint64_t v;

	if (!ml_zoneinfo_find(l, name, &v))
		fail_msg("no counter %s", name);
	return v;
}

static void
t_linux_618(void **state)
{
	struct ml_zoneinfo zi;
	const struct ml_zi_zone *z;

	(void)state;
	parse_all_chunks("linux-6.18/zoneinfo", &zi);
	assert_int_equal(zi.nzones, 5);
	assert_int_equal(zi.nnodes, 1);
	assert_true(zi.node_stats_in_zone);
	assert_false(zi.node_stats_record);
	assert_false(zi.protection_after_counters);
	assert_true(zi.nodes[0].has_stats);
	assert_int_equal(zi.nodes[0].stats.n, 51);
	assert_int_equal(kv(&zi.nodes[0].stats, "nr_inactive_anon"), 3922);
	assert_int_equal(kv(&zi.nodes[0].stats, "nr_kernel_file_pages"), 0);
	assert_int_equal(zi.nodes[0].nzones, 5);

	z = zone(&zi, 0, "DMA");
	assert_true(z->populated);
	assert_int_equal(ml_zi_get(z, ML_ZI_FREE), 3840);
	assert_true(ml_zi_has(z, ML_ZI_BOOST));
	assert_int_equal(ml_zi_get(z, ML_ZI_BOOST), 0);
	assert_int_equal(ml_zi_get(z, ML_ZI_MIN), 25);
	assert_int_equal(ml_zi_get(z, ML_ZI_LOW), 31);
	assert_int_equal(ml_zi_get(z, ML_ZI_HIGH), 37);
	assert_int_equal(ml_zi_get(z, ML_ZI_PROMO), 43);
	assert_int_equal(ml_zi_get(z, ML_ZI_SPANNED), 4095);
	assert_int_equal(ml_zi_get(z, ML_ZI_PRESENT), 3998);
	assert_int_equal(ml_zi_get(z, ML_ZI_MANAGED), 3840);
	assert_true(ml_zi_has(z, ML_ZI_CMA));
	assert_false(ml_zi_has(z, ML_ZI_SCANNED));
	assert_false(ml_zi_has(z, ML_ZI_ALL_UNRECLAIMABLE));
	assert_false(ml_zi_has(z, ML_ZI_RESERVED_HIGHATOMIC));
	assert_int_equal(ml_zi_get(z, ML_ZI_NODE_UNRECLAIMABLE), 0);
	assert_true(ml_zi_has(z, ML_ZI_NODE_UNRECLAIMABLE));
	assert_int_equal(ml_zi_get(z, ML_ZI_START_PFN), 1);
	assert_int_equal(z->nprotection, 5);
	assert_int_equal(z->protection[1], 3019);
	assert_int_equal(z->protection[2], 9803);
	assert_int_equal(z->counters.n, 11);
	assert_int_equal(z->numa.n, 6);
	assert_int_equal(z->npagesets, 2);
	assert_int_equal(z->pagesets[1].cpu, 1);
	assert_int_equal(z->pagesets[0].v[ML_ZI_PCP_HIGH_MIN], 15);
	assert_int_equal(z->pagesets[0].v[ML_ZI_PCP_HIGH_MAX], 240);
	assert_int_equal(z->pagesets[0].v[ML_ZI_PCP_THRESHOLD], 4);
	assert_int_equal(z->pagesets[0].present, (1u << ML_ZI_PCP__COUNT) - 1);

	z = zone(&zi, 0, "Normal");
	assert_int_equal(ml_zi_get(z, ML_ZI_FREE), 1639341);
	assert_int_equal(kv(&z->counters, "nr_free_pages"), 1639341);
	assert_int_equal(kv(&z->numa, "numa_hit"), 13150313);
	assert_int_equal(z->pagesets[1].v[ML_ZI_PCP_COUNT], 7235);
	assert_int_equal(ml_zi_get(z, ML_ZI_START_PFN), 1048576);

	z = zone(&zi, 0, "Movable");
	assert_false(z->populated);
	assert_int_equal(ml_zi_get(z, ML_ZI_MIN), 32);
	assert_true(z->has_protection);
	assert_int_equal(z->counters.n, 0);
	assert_int_equal(z->npagesets, 0);
	assert_false(ml_zi_has(z, ML_ZI_START_PFN));
	ml_zoneinfo_release(&zi);
}

static void
t_310(void **state)
{
	struct ml_zoneinfo zi;
	const struct ml_zi_zone *z;

	(void)state;
	parse_all_chunks("zones-3.10/zoneinfo", &zi);
	assert_int_equal(zi.nzones, 3);
	assert_false(zi.node_stats_in_zone);
	assert_false(zi.nodes[0].has_stats);
	assert_true(zi.protection_after_counters);
	z = zone(&zi, 0, "Normal");
	assert_true(z->populated);
	/* Absent is not zero: no boost, promo or cma line before 5.x. */
	assert_false(ml_zi_has(z, ML_ZI_BOOST));
	assert_false(ml_zi_has(z, ML_ZI_PROMO));
	assert_false(ml_zi_has(z, ML_ZI_CMA));
	assert_false(ml_zi_has(z, ML_ZI_NODE_UNRECLAIMABLE));
	assert_int_equal(ml_zi_get(z, ML_ZI_SCANNED), 1893274);
	assert_int_equal(ml_zi_get(z, ML_ZI_ALL_UNRECLAIMABLE), 1);
	assert_int_equal(ml_zi_get(z, ML_ZI_INACTIVE_RATIO), 1);
	assert_int_equal(ml_zi_get(z, ML_ZI_START_PFN), 1048576);
	assert_int_equal(ml_zi_get(z, ML_ZI_FREE), 416);
	assert_int_equal(ml_zi_get(z, ML_ZI_MIN), 500);
	/* 28 zone counters (4-space indent), the 6 numa ones kept apart. */
	assert_int_equal(z->counters.n, 28);
	assert_int_equal(z->numa.n, 6);
	assert_int_equal(kv(&z->counters, "nr_free_cma"), 0);
	assert_int_equal(kv(&z->counters, "nr_free_pages"), 416);
	assert_int_equal(z->nprotection, 4);
	assert_int_equal(z->npagesets, 2);
	assert_false(ml_zi_pcp_has(&z->pagesets[0], ML_ZI_PCP_HIGH_MIN));
	assert_true(ml_zi_pcp_has(&z->pagesets[0], ML_ZI_PCP_THRESHOLD));
	assert_int_equal(z->pagesets[1].v[ML_ZI_PCP_BATCH], 61);
	assert_int_equal(ml_zoneinfo_counter_unit(&zi, "nr_kernel_stack", 15), ML_ZI_UNIT_STACKS);
	assert_int_equal(ml_zoneinfo_counter_unit(&zi, "nr_anon_transparent_hugepages", 29),
			 ML_ZI_UNIT_HUGE_PAGES);
	assert_int_equal(ml_zoneinfo_counter_unit(&zi, "numa_hit", 8), ML_ZI_UNIT_EVENTS);
	assert_int_equal(ml_zoneinfo_counter_unit(&zi, "nr_mapped", 9), ML_ZI_UNIT_PAGES);
	ml_zoneinfo_release(&zi);
}

static void
t_419(void **state)
{
	struct ml_zoneinfo zi;
	const struct ml_zi_zone *z;

	(void)state;
	parse_all_chunks("zones-4.19/zoneinfo", &zi);
	assert_int_equal(zi.nzones, 5);
	assert_true(zi.node_stats_in_zone);
	assert_false(zi.protection_after_counters);
	assert_int_equal(zi.nodes[0].stats.n, 30);
	assert_int_equal(ml_zoneinfo_counter_unit(&zi, "nr_kernel_stack", 15), ML_ZI_UNIT_KB);
	z = zone(&zi, 0, "Normal");
	assert_false(ml_zi_has(z, ML_ZI_BOOST));
	assert_false(ml_zi_has(z, ML_ZI_PROMO));
	assert_false(ml_zi_has(z, ML_ZI_CMA));
	assert_int_equal(ml_zi_get(z, ML_ZI_FREE), 2223);
	assert_int_equal(ml_zi_get(z, ML_ZI_LOW), 3081);
	assert_int_equal(ml_zi_get(z, ML_ZI_NODE_UNRECLAIMABLE), 0);
	assert_int_equal(z->counters.n, 13);
	assert_int_equal(z->npagesets, 4);
	assert_int_equal(z->pagesets[3].cpu, 3);
	z = zone(&zi, 0, "Device");
	assert_false(z->populated);
	assert_int_equal(z->nprotection, 5);
	ml_zoneinfo_release(&zi);
}

static void
t_612(void **state)
{
	struct ml_zoneinfo zi;
	const struct ml_zi_zone *z;

	(void)state;
	parse_all_chunks("zones-6.12/zoneinfo", &zi);
	z = zone(&zi, 0, "DMA32");
	assert_int_equal(ml_zi_get(z, ML_ZI_BOOST), 1024);
	assert_int_equal(ml_zi_get(z, ML_ZI_MIN), 1779);
	assert_int_equal(ml_zi_get(z, ML_ZI_PROMO), 4074);
	assert_true(ml_zi_has(z, ML_ZI_CMA));
	/* The 6.12 pagesets: no high_min/high_max. */
	assert_true(ml_zi_pcp_has(&z->pagesets[0], ML_ZI_PCP_HIGH));
	assert_false(ml_zi_pcp_has(&z->pagesets[0], ML_ZI_PCP_HIGH_MAX));
	assert_int_equal(z->pagesets[0].v[ML_ZI_PCP_HIGH], 378);
	assert_int_equal(zi.nodes[0].stats.n, 48);
	ml_zoneinfo_release(&zi);
}

static void
t_post_618(void **state)
{
	struct ml_zoneinfo zi;
	const struct ml_zi_zone *z;

	(void)state;
	parse_all_chunks("zones-post-6.18/zoneinfo", &zi);
	assert_true(zi.node_stats_record);
	assert_false(zi.node_stats_in_zone);
	assert_true(zi.nodes[0].has_stats);
	assert_int_equal(zi.nodes[0].stats.n, 51);
	assert_int_equal(zi.nodes[0].nzones, 5);
	z = zone(&zi, 0, "Normal");
	assert_int_equal(ml_zi_get(z, ML_ZI_RESERVED_HIGHATOMIC), 1024);
	assert_int_equal(ml_zi_get(z, ML_ZI_FREE_HIGHATOMIC), 217);
	assert_int_equal(ml_zi_get(z, ML_ZI_NODE_UNRECLAIMABLE), 1);
	assert_int_equal(z->pagesets[1].v[ML_ZI_PCP_HIGH_MAX], 3780);
	z = zone(&zi, 0, "Movable");
	assert_false(ml_zi_has(z, ML_ZI_RESERVED_HIGHATOMIC));
	ml_zoneinfo_release(&zi);
}

static void
t_two_node(void **state)
{
	struct ml_zoneinfo zi;
	const struct ml_zi_zone *z;

	(void)state;
	parse_all_chunks("two-node/zoneinfo", &zi);
	assert_int_equal(zi.nnodes, 2);
	assert_int_equal(zi.nzones, 10);
	assert_int_equal(zi.nodes[1].id, 1);
	assert_int_equal(zi.nodes[1].nzones, 5);
	assert_true(zi.nodes[1].has_stats);
	assert_int_equal(kv(&zi.nodes[1].stats, "nr_kernel_stack"), 7168);
	z = zone(&zi, 1, "Normal");
	assert_true(z->populated);
	assert_int_equal(ml_zi_get(z, ML_ZI_FREE), 8920);
	assert_int_equal(z->npagesets, 4);
	assert_ptr_equal(ml_zoneinfo_zone_node(&zi, z), &zi.nodes[1]);
	z = zone(&zi, 1, "DMA");
	assert_false(z->populated);
	ml_zoneinfo_release(&zi);
}

/* A parse of s that must succeed; the feed is returned for its stats. */
static const struct ml_feed *
parse_str(struct ml_zoneinfo *zi, const char *s)
{
	ml_zoneinfo_init(zi);
	return unit_parse_str(&ml_src_zoneinfo, zi, s);
}

#define HDR                       \
	"Node 0, zone   Normal\n" \
	"  pages free     100\n"  \
	"        min      10\n"   \
	"        low      20\n"   \
	"        high     30\n"   \
	"        spanned  1000\n" \
	"        present  1000\n" \
	"        managed  900\n"  \
	"        protection: (0, 0)\n"

/*
 * A held-out copy that lost the final newline: its last line, the
 * protection tuple of an unpopulated zone, is closed by ')' and parsed, in
 * every chunking, as with the newline. A tuple cut before its ')' is refused.
 */
static void
t_no_final_newline(void **state)
{
	struct ml_zoneinfo want, got;
	struct ml_feed f;
	size_t len, c, cut;
	char *buf = unit_load_fixture("linux-6.18/zoneinfo", &len);
	char *a, *b;
	const char *last = strrchr(buf, '(');
	const struct ml_zi_zone *z;

	(void)state;
	assert_true(buf[len - 1] == '\n' && last != NULL);
	ml_zoneinfo_init(&want);
	unit_parse(&f, &ml_src_zoneinfo, &want, buf, len, 0);
	a = dump(&want, &f);
	for (c = 0; c < ML_ARRAY_SIZE(unit_chunk_sizes); c++) {
		ml_zoneinfo_init(&got);
		unit_parse(&f, &ml_src_zoneinfo, &got, buf, len - 1, unit_chunk_sizes[c]);
		b = dump(&got, &f);
		assert_string_equal(a, b);
		free(b);
		z = &got.zones[got.nzones - 1];
		assert_true(z->has_protection);
		assert_int_equal(z->nprotection, 5);
		ml_zoneinfo_release(&got);
	}
	/* "(0, 0, 0, 0, 0)" cut anywhere before its ')'. */
	for (cut = (size_t)(last - buf) + 1; cut < len - 1; cut++) {
		ml_zoneinfo_init(&got);
		unit_parse(&f, &ml_src_zoneinfo, &got, buf, cut, 0);
		assert_int_equal(f.stats.bad_lines, 1);
		assert_string_equal(f.stats.first_bad_why, "no newline at end of file (truncated)");
		z = &got.zones[got.nzones - 1];
		assert_false(z->has_protection);
		ml_zoneinfo_release(&got);
	}
	/* A last line ending in a number may have lost digits: refused. */
	{
		const struct ml_feed *pf = parse_str(&got, HDR "  start_pfn:           1048576");

		assert_int_equal(pf->stats.bad_lines, 1);
		assert_string_equal(pf->stats.first_bad_why,
				    "no newline at end of file (truncated)");
		ml_zoneinfo_release(&got);
	}
	free(a);
	ml_zoneinfo_release(&want);
	free(buf);
}

static void
t_truncated(void **state)
{
	struct ml_zoneinfo zi;
	const struct ml_feed *f;
	size_t len, cut;
	char *buf = unit_load_fixture("linux-6.18/zoneinfo", &len);

	(void)state;
	/* Cut inside "  pages free     1639341" of Normal. */
	cut = (size_t)(strstr(buf, "pages free     1639341") - buf) + 14;
	buf[cut] = '\0';
	f = parse_str(&zi, buf);
	assert_int_equal(f->stats.bad_lines, 1);
	assert_string_equal(f->stats.first_bad_why, "no newline at end of file (truncated)");
	assert_int_equal(zi.nzones, 3);
	assert_false(ml_zi_has(&zi.zones[2], ML_ZI_FREE));
	assert_int_equal(ml_zi_get(&zi.zones[1], ML_ZI_FREE), 772917);
	ml_zoneinfo_release(&zi);
	free(buf);
}

static void
t_garbage(void **state)
{
	static const struct {
		const char *text, *why;
	} cases[] = {
		{ "garbage first\n" HDR, "line before the first \"Node\" record" },
		{ HDR "      nr_x 1\nhello world\n", "no value" },
		{ HDR "      nr_x 12abc\n", "unexpected text after the value" },
		{ HDR "      nr_x 99999999999999999999999\n", "value does not fit in 64 bits" },
		{ HDR "      nr_x\n", "a word without a value" },
		{ "Node x, zone DMA\n", "bad node number in a record header" },
		{ "Node 0, zone\n", "bad zone name in a record header" },
		{ "Node 0, zone A B\n", "bad zone name in a record header" },
		{ "Node 0, zonk DMA\n", "record header is neither a zone nor per-node stats" },
		{ "Node 0, per-node statz\n", "bad per-node stats header" },
		{ "Node 0, zone DMA\n  pages free     1\n        protection: (0, 1\n",
		  "protection list not closed by ')'" },
		{ "Node 0, zone DMA\n  pages free     1\n        protection: 0, 1)\n",
		  "protection without '('" },
		{ "Node 0, zone DMA\n  pages free     1\n        protection: (0, , 1)\n",
		  "protection value missing" },
		{ "Node 0, zone DMA\n  pages free     1\n"
		  "        protection: (99999999999999999999)\n",
		  "protection value does not fit in 64 bits" },
		{ HDR "    cpu: 0\n", "\"cpu:\" outside the pagesets" },
		{ HDR "  pagesets\n              count: 1\n",
		  "pageset field before any \"cpu:\" line" },
		{ HDR "  pagesets\n    cpu: 0\n              count: 1\n              count: 2\n",
		  "duplicate key" },
		{ HDR "  pagesets\n    cpu: 0\n              count: x\n", "no value" },
		{ HDR "  vm stats threshold: 4\n", "\"vm stats threshold\" outside the pagesets" },
		{ HDR "        min      10\n", "duplicate key" },
		{ HDR "  pages free     1\n", "duplicate key" },
		{ HDR "        protection: (0, 0)\n", "duplicate key" },
		{ "Node 0, zone DMA\n        wobble   1\n", "unknown line before \"pages free\"" },
		{ "Node 0, zone DMA\n  start_pfn: 1\n", "zone field before \"pages free\"" },
		{ "Node 0, zone DMA\n  pages used     1\n", "\"pages\" not followed by \"free\"" },
		{ HDR "  pagesets\n    cpu: 0\n  node_unreclaimable:  0\n      nr_x 1\n",
		  "counter after the pagesets" },
		{ HDR "\n", "empty line" },
		{ HDR "  pagesets x\n", "unexpected text after \"pagesets\"" },
		{ "Node 0, zone DMA\n  pagesets\n", "\"pagesets\" out of place" },
		{ HDR "  per-node stats\n", "per-node stats inside a zone's fields" },
		{ "Node 0, zone DMA\n  per-node stats\n      nr_a 1\n  pages free 1\n"
		  "Node 0, zone DMA32\n  per-node stats\n",
		  "per-node stats printed twice for one node" },
		{ "Node 0, per-node stats\n      nr_a 1\nNode 0, per-node stats\n",
		  "per-node stats printed twice for one node" },
		{ "Node 0, per-node stats\n  start_pfn: 1\n", "unexpected key in per-node stats" },
		{ "Node 0, zone AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", "zone name too long" },
	};
	struct ml_zoneinfo zi;
	static struct ml_feed feed;
	const struct ml_feed *f = &feed;
	char *cause = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(cases); i++) {
		/* Some have no zone record left: the parse fails, the line is still bad. */
		ml_zoneinfo_init(&zi);
		if (ml_parse_buffer(&feed, &ml_src_zoneinfo, &zi, cases[i].text,
				    strlen(cases[i].text), 0, &cause) != 0)
			assert_int_equal(zi.nzones, 0);
		free(cause);
		cause = NULL;
		if (f->stats.bad_lines != 1 || strcmp(f->stats.first_bad_why, cases[i].why) != 0)
			fail_msg("case %zu: %llu bad lines, why \"%s\", wanted \"%s\"", i,
				 (unsigned long long)f->stats.bad_lines,
				 f->stats.first_bad_why ? f->stats.first_bad_why : "-",
				 cases[i].why);
		ml_zoneinfo_release(&zi);
	}
}

/* Bad lines are skipped; the lines around them still count. */
static void
t_garbage_keeps_going(void **state)
{
	struct ml_zoneinfo zi;
	const struct ml_feed *f;

	(void)state;
	f = parse_str(&zi, HDR "      nr_a 1\n%%%% garbage\n      nr_b 2\n");
	assert_int_equal(f->stats.bad_lines, 1);
	assert_int_equal(f->stats.first_bad_lineno, 11);
	assert_int_equal(zi.zones[0].counters.n, 2);
	assert_int_equal(kv(&zi.zones[0].counters, "nr_b"), 2);
	assert_int_equal(ml_zi_get(&zi.zones[0], ML_ZI_MANAGED), 900);
	ml_zoneinfo_release(&zi);
	/*
	 * A bad "pages free" value is one bad line: the watermarks after it are
	 * still read (they were 19 bad lines, one per field).
	 */
	f = parse_str(&zi, "Node 0, zone DMA\n  pages free     -3840\n        min      25\n"
			   "        low      31\n        high     37\n      nr_free_pages 3840\n");
	assert_int_equal(f->stats.bad_lines, 1);
	assert_int_equal(f->stats.first_bad_lineno, 2);
	assert_string_equal(f->stats.first_bad_why, "no value");
	assert_false(ml_zi_has(&zi.zones[0], ML_ZI_FREE));
	assert_int_equal(ml_zi_get(&zi.zones[0], ML_ZI_MIN), 25);
	assert_int_equal(ml_zi_get(&zi.zones[0], ML_ZI_HIGH), 37);
	assert_int_equal(kv(&zi.zones[0].counters, "nr_free_pages"), 3840);
	ml_zoneinfo_release(&zi);
}

static void
t_unknown_keys(void **state)
{
	struct ml_zoneinfo zi;
	const struct ml_feed *f;
	const struct ml_zi_zone *z;
	uint64_t v;

	(void)state;
	f = parse_str(&zi, "Node 3, zone   Exotic\n"
			   "  pages free     100\n"
			   "        wobble   7\n"
			   "        min      10\n"
			   "        low      20\n"
			   "        high     30\n"
			   "        protection: (-5, 0, 1, 2, 3, 4, 5, 6, 7)\n"
			   "      nr_free_pages 100\n"
			   "      nr_brand_new 55\n"
			   "      numa_sideways 3\n"
			   "  pagesets\n"
			   "    cpu: 0\n"
			   "              count:    -1\n"
			   "              high_foo: 9\n"
			   "  vm stats threshold: 2\n"
			   "  node_unreclaimable:  0\n"
			   "  start_pfn:           1\n"
			   "  future_key:          42\n");
	assert_int_equal(f->stats.bad_lines, 0);
	z = &zi.zones[0];
	assert_int_equal(z->node, 3);
	assert_string_equal(z->name, "Exotic");
	/* Unknown fields are kept in order, with no slot. */
	assert_true(ml_zoneinfo_find(&z->fields, "wobble", &v));
	assert_int_equal(v, 7);
	assert_int_equal(z->fields.e[1].slot, -1);
	assert_true(ml_zoneinfo_find(&z->fields, "future_key", &v));
	assert_int_equal(v, 42);
	assert_int_equal(ml_zi_get(z, ML_ZI_MIN), 10);
	assert_false(ml_zi_has(z, ML_ZI_MANAGED));
	assert_int_equal(kv(&z->counters, "nr_brand_new"), 55);
	assert_int_equal(kv(&z->numa, "numa_sideways"), 3);
	assert_int_equal(z->nprotection, 9);
	assert_int_equal(z->protection[0], -5);
	assert_int_equal(z->protection[8], 7);
	assert_int_equal(z->pagesets[0].v[ML_ZI_PCP_COUNT], -1);
	assert_int_equal(z->pagesets[0].v[ML_ZI_PCP_THRESHOLD], 2);
	assert_int_equal(kv(&z->pageset_other, "cpu0 high_foo"), 9);
	ml_zoneinfo_release(&zi);
}

/* The 4.8 layout: node_scanned with a 3-space indent, node_inactive_ratio. */
static void
t_48(void **state)
{
	struct ml_zoneinfo zi;
	const struct ml_feed *f;

	(void)state;
	f = parse_str(&zi, "Node 0, zone      DMA\n"
			   "  per-node stats\n"
			   "      nr_inactive_anon 10\n"
			   "  pages free     3975\n"
			   "        min      8\n"
			   "        low      10\n"
			   "        high     12\n"
			   "   node_scanned  0\n"
			   "        spanned  4095\n"
			   "        present  3998\n"
			   "        managed  3977\n"
			   "      nr_free_pages 3975\n"
			   "        protection: (0, 2945, 3862, 3862)\n"
			   "  pagesets\n"
			   "    cpu: 0\n"
			   "              count: 0\n"
			   "              high:  0\n"
			   "              batch: 1\n"
			   "  vm stats threshold: 6\n"
			   "  node_unreclaimable:  0\n"
			   "  start_pfn:           1\n"
			   "  node_inactive_ratio: 0\n");
	assert_int_equal(f->stats.bad_lines, 0);
	assert_true(zi.protection_after_counters);
	assert_true(ml_zi_has(&zi.zones[0], ML_ZI_NODE_SCANNED));
	assert_true(ml_zi_has(&zi.zones[0], ML_ZI_NODE_INACTIVE_RATIO));
	assert_int_equal(zi.zones[0].counters.n, 1);
	assert_int_equal(zi.nodes[0].stats.n, 1);
	ml_zoneinfo_release(&zi);
}

/* Refreshing the same text allocates nothing and relearns nothing. */
static void
t_steady_state(void **state)
{
	struct ml_zoneinfo zi;
	struct ml_feed f;
	size_t len;
	char *buf = unit_load_fixture("two-node/zoneinfo", &len);
	const void *zones, *nodes, *ce, *pe, *pp;
	uint64_t relearns;

	(void)state;
	ml_zoneinfo_init(&zi);
	unit_parse(&f, &ml_src_zoneinfo, &zi, buf, len, 0);
	unit_parse(&f, &ml_src_zoneinfo, &zi, buf, len, 0);
	zones = zi.zones;
	nodes = zi.nodes;
	ce = zi.zones[2].counters.e;
	pe = zi.zones[2].protection;
	pp = zi.zones[2].pagesets;
	relearns = zi.zones[2].counters.relearns + zi.nodes[1].stats.relearns +
		   zi.zones[7].fields.relearns;
	unit_parse(&f, &ml_src_zoneinfo, &zi, buf, len, 4096);
	assert_ptr_equal(zones, zi.zones);
	assert_ptr_equal(nodes, zi.nodes);
	assert_ptr_equal(ce, zi.zones[2].counters.e);
	assert_ptr_equal(pe, zi.zones[2].protection);
	assert_ptr_equal(pp, zi.zones[2].pagesets);
	assert_int_equal(relearns, zi.zones[2].counters.relearns + zi.nodes[1].stats.relearns +
					   zi.zones[7].fields.relearns);
	ml_zoneinfo_release(&zi);
	free(buf);
}

/* One struct through different layouts gives what a fresh parse gives. */
static void
t_layout_change(void **state)
{
	static const char *const files[] = { "linux-6.18/zoneinfo", "zones-3.10/zoneinfo",
					     "two-node/zoneinfo", "zones-post-6.18/zoneinfo",
					     "linux-6.18/zoneinfo" };
	struct ml_zoneinfo reused, fresh;
	struct ml_feed f, g;
	size_t i, len;

	(void)state;
	ml_zoneinfo_init(&reused);
	for (i = 0; i < ML_ARRAY_SIZE(files); i++) {
		char *buf = unit_load_fixture(files[i], &len), *a, *b;

		ml_zoneinfo_init(&fresh);
		unit_parse(&f, &ml_src_zoneinfo, &reused, buf, len, 7);
		unit_parse(&g, &ml_src_zoneinfo, &fresh, buf, len, 0);
		a = dump(&reused, &f);
		b = dump(&fresh, &g);
		assert_string_equal(a, b);
		free(a);
		free(b);
		ml_zoneinfo_release(&fresh);
		free(buf);
	}
	ml_zoneinfo_release(&reused);
}

/* Overwrite dir/zoneinfo in place (same inode, as procfs regenerates). */
static void
rewrite(const char *dir, const char *text)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof path, "%s/zoneinfo", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* The reader keeps its fd and re-reads from offset 0: a refresh sees new text. */
static void
t_reader_refresh(void **state)
{
	char dir[] = "/tmp/memlens-zi.XXXXXX", *cause = NULL, path[4096];
	struct ml_procfs fs;
	struct ml_reader r;
	struct ml_zoneinfo zi;
	const void *zones;

	(void)state;
	assert_non_null(mkdtemp(dir));
	rewrite(dir, HDR "      nr_free_pages 100\n");
	assert_int_equal(ml_procfs_open(&fs, dir, &cause), 0);
	assert_int_equal(ml_reader_open(&r, &fs, &ml_src_zoneinfo, NULL, &cause), 0);
	ml_zoneinfo_init(&zi);
	assert_int_equal(ml_reader_refresh(&r, &zi, &cause), 0);
	assert_int_equal(ml_zi_get(&zi.zones[0], ML_ZI_FREE), 100);
	zones = zi.zones;
	rewrite(dir, "Node 0, zone   Normal\n  pages free     7\n        min      10\n");
	assert_int_equal(ml_reader_refresh(&r, &zi, &cause), 0);
	assert_int_equal(ml_zi_get(&zi.zones[0], ML_ZI_FREE), 7);
	assert_false(ml_zi_has(&zi.zones[0], ML_ZI_MANAGED));
	assert_false(zi.zones[0].has_protection);
	assert_int_equal(zi.zones[0].counters.n, 0);
	assert_ptr_equal(zones, zi.zones);
	assert_int_equal(ml_reader_stats(&r)->bad_lines, 0);
	ml_zoneinfo_release(&zi);
	ml_reader_release(&r);
	ml_procfs_close(&fs);
	snprintf(path, sizeof path, "%s/zoneinfo", dir);
	unlink(path);
	rmdir(dir);
}

/* Apply mutation k to line i of buf (lines split at '\n'); a new string. */
static char *
mutate(const char *buf, size_t len, size_t line, int k)
{
	size_t start = 0, end, i, vstart, n;
	char *out;

	for (i = 0; i < line; i++) {
		const char *nl = memchr(buf + start, '\n', len - start);

		if (nl == NULL)
			return NULL;
		start = (size_t)(nl - buf) + 1;
	}
	if (start >= len)
		return NULL;
	end = (size_t)((const char *)memchr(buf + start, '\n', len - start) - buf);
	/* The start of the line's last digit run, or end when none. */
	vstart = end;
	while (vstart > start && buf[vstart - 1] >= '0' && buf[vstart - 1] <= '9')
		vstart--;
	out = malloc(len + 64);
	assert_non_null(out);
	n = 0;
#define PUT(p, l)                          \
	do {                               \
		memcpy(out + n, (p), (l)); \
		n += (l);                  \
	} while (0)
	switch (k) {
	case 0: /* another value */
		PUT(buf, vstart);
		PUT("987654", 6);
		PUT(buf + end, len - end);
		break;
	case 1: /* a value that is not a number */
		PUT(buf, vstart);
		PUT("12x", 3);
		PUT(buf + end, len - end);
		break;
	case 2: /* the line deleted */
		PUT(buf, start);
		PUT(buf + end + 1, len - end - 1);
		break;
	case 3: /* the line twice */
		PUT(buf, end + 1);
		PUT(buf + start, len - start);
		break;
	case 4: /* a garbage line before it */
		PUT(buf, start);
		PUT("zzz 1\n", 6);
		PUT(buf + start, len - start);
		break;
	case 5: /* its first letter changed */
		PUT(buf, len);
		for (i = start; i < end && (out[i] == ' ' || out[i] == '\t'); i++)
			;
		if (i < end)
			out[i] = out[i] == 'X' ? 'Y' : 'X';
		break;
	case 6: /* trailing blanks */
		PUT(buf, end);
		PUT("  ", 2);
		PUT(buf + end, len - end);
		break;
	case 7: /* a number too long for 64 bits */
		PUT(buf, vstart);
		PUT("123456789012345678901", 21);
		PUT(buf + end, len - end);
		break;
	case 8: /* a value with one more digit (the 19-digit edge) */
		PUT(buf, vstart);
		PUT("1234567890123456789", 19);
		PUT(buf + end, len - end);
		break;
	}
#undef PUT
	out[n] = '\0';
	return out;
}

/*
 * The learned line layout against the state machine: after a refresh of the
 * original, a refresh of a mutated text gives exactly what a fresh parse of
 * it gives, and so does the original again. Every line, every mutation.
 */
static void
t_memo_differential(void **state)
{
	static const char *const files[] = { "linux-6.18/zoneinfo", "zones-3.10/zoneinfo",
					     "zones-post-6.18/zoneinfo", "two-node/zoneinfo" };
	size_t fi, len, line;
	int k;

	(void)state;
	for (fi = 0; fi < ML_ARRAY_SIZE(files); fi++) {
		char *buf = unit_load_fixture(files[fi], &len), *base = NULL;
		struct ml_zoneinfo reused;
		struct ml_feed f;

		ml_zoneinfo_init(&reused);
		unit_parse(&f, &ml_src_zoneinfo, &reused, buf, len, 0);
		base = dump(&reused, &f);
		for (line = 0;; line++) {
			char *mut = NULL;

			for (k = 0; k < 9; k++) {
				struct ml_zoneinfo fresh;
				struct ml_feed g;
				char *a, *b;

				free(mut);
				if ((mut = mutate(buf, len, line, k)) == NULL)
					break;
				ml_zoneinfo_init(&fresh);
				unit_parse(&f, &ml_src_zoneinfo, &reused, mut, strlen(mut), 0);
				unit_parse(&g, &ml_src_zoneinfo, &fresh, mut, strlen(mut), 0);
				a = dump(&reused, &f);
				b = dump(&fresh, &g);
				if (strcmp(a, b) != 0)
					fail_msg("%s line %zu mutation %d: the memo differs",
						 files[fi], line, k);
				free(a);
				free(b);
				ml_zoneinfo_release(&fresh);
				/* And back: the original still parses as it did. */
				unit_parse(&f, &ml_src_zoneinfo, &reused, buf, len, 0);
				a = dump(&reused, &f);
				if (strcmp(a, base) != 0)
					fail_msg("%s line %zu mutation %d: the original differs "
						 "after",
						 files[fi], line, k);
				free(a);
			}
			if (mut == NULL)
				break;
			free(mut);
		}
		free(base);
		ml_zoneinfo_release(&reused);
		free(buf);
	}
}

/* An unchanged file, or one whose values changed, never relearns. */
static void
t_memo_steady(void **state)
{
	struct ml_zoneinfo zi;
	struct ml_feed f;
	size_t len;
	char *buf = unit_load_fixture("linux-6.18/zoneinfo", &len), *mut;

	(void)state;
	ml_zoneinfo_init(&zi);
	unit_parse(&f, &ml_src_zoneinfo, &zi, buf, len, 0);
	unit_parse(&f, &ml_src_zoneinfo, &zi, buf, len, 7);
	assert_int_equal(ml_zoneinfo_relearns(&zi), 0);
	mut = mutate(buf, len, 53, 0); /* "pages free" of DMA */
	unit_parse(&f, &ml_src_zoneinfo, &zi, mut, strlen(mut), 0);
	assert_int_equal(ml_zoneinfo_relearns(&zi), 0);
	assert_int_equal(ml_zi_get(&zi.zones[0], ML_ZI_FREE), 987654);
	free(mut);
	mut = mutate(buf, len, 53, 2); /* a line gone: relearn once */
	unit_parse(&f, &ml_src_zoneinfo, &zi, mut, strlen(mut), 0);
	assert_int_equal(ml_zoneinfo_relearns(&zi), 1);
	unit_parse(&f, &ml_src_zoneinfo, &zi, mut, strlen(mut), 0);
	assert_int_equal(ml_zoneinfo_relearns(&zi), 1);
	free(mut);
	ml_zoneinfo_release(&zi);
	free(buf);
}

/*
 * Parse text fresh into *fresh (its feed in *g, for the caller's checks), then
 * three times into one struct, the second in 7-byte chunks: every refresh
 * reads what the fresh parse read.
 */
static void
assert_refreshes_read_as_fresh(const char *text, size_t len, struct ml_zoneinfo *fresh,
			       struct ml_feed *g)
{
	struct ml_zoneinfo zi;
	struct ml_feed f;
	char *a, *b;
	int round;

	ml_zoneinfo_init(&zi);
	ml_zoneinfo_init(fresh);
	unit_parse(g, &ml_src_zoneinfo, fresh, text, len, 0);
	b = dump(fresh, g);
	for (round = 0; round < 3; round++) {
		unit_parse(&f, &ml_src_zoneinfo, &zi, text, len, round == 1 ? 7 : 0);
		a = dump(&zi, &f);
		assert_string_equal(a, b);
		free(a);
	}
	free(b);
	ml_zoneinfo_release(&zi);
}

/*
 * A bad protection line (not closed) before a good one in the same zone: the
 * bad one wrote its entries over the good one's, and the second parse's
 * learned layout then reused them (found by fuzz-zoneinfo).
 */
static void
t_memo_bad_protection(void **state)
{
	static const char text[] = "Node 0, zone   Normal\n"
				   "  pages free     3840\n"
				   "        min      25\n"
				   "        low      31\n"
				   "        high     37\n"
				   "        protection: (7, 8, 9, 10\n"
				   "        protection: (1, 2)\n"
				   "      nr_free_pages 3840\n";
	struct ml_zoneinfo fresh;
	struct ml_feed g;

	(void)state;
	assert_refreshes_read_as_fresh(text, sizeof text - 1, &fresh, &g);
	assert_int_equal(g.stats.bad_lines, 1);
	assert_int_equal(fresh.zones[0].nprotection, 2);
	assert_int_equal(fresh.zones[0].protection[0], 1);
	assert_int_equal(fresh.zones[0].protection[1], 2);
	ml_zoneinfo_release(&fresh);
}

/*
 * An unknown key indented inside the pagesets is a pageset line (here bad:
 * before any "cpu:"), the same key at the fields' indent after them a field.
 * A refresh must read it so too; it took the first line as the field it had
 * learned last time (found by fuzz-zoneinfo).
 */
static void
t_memo_learned_field_in_pagesets(void **state)
{
	static const char text[] = "Node 0, zone   Normal\n"
				   "  pages free     3840\n"
				   "        min      25\n"
				   "        low      31\n"
				   "        high     37\n"
				   "  pagesets\n"
				   "    tch: 3\n"
				   "  tch: 6\n";
	struct ml_zoneinfo fresh;
	struct ml_feed g;

	(void)state;
	assert_refreshes_read_as_fresh(text, sizeof text - 1, &fresh, &g);
	assert_int_equal(g.stats.bad_lines, 1);
	assert_int_equal(g.stats.first_bad_lineno, 7);
	assert_int_equal(fresh.zones[0].fields.n, 5);
	assert_int_equal(fresh.zones[0].fields.e[4].value, 6);
	ml_zoneinfo_release(&fresh);
}

static void
t_empty(void **state)
{
	struct ml_zoneinfo zi;
	const struct ml_feed *f;

	static struct ml_feed feed;
	char *cause = NULL;

	(void)state;
	/* Every kernel prints a zone: a file without one is no zoneinfo. */
	ml_zoneinfo_init(&zi);
	assert_int_equal(ml_parse_buffer(&feed, &ml_src_zoneinfo, &zi, "", 0, 0, &cause), -1);
	assert_int_equal(errno, ENODATA);
	assert_string_equal(cause, "no zone records");
	free(cause);
	cause = NULL;
	assert_int_equal(feed.stats.lines, 0);
	assert_int_equal(zi.nzones, 0);
	assert_int_equal(zi.nnodes, 0);
	ml_zoneinfo_release(&zi);
	/* An empty first line: learned with no prefix text (clang's UBSan: NULL + 0). */
	f = parse_str(&zi, "\nNode 0, zone DMA\n");
	assert_int_equal(f->stats.lines, 2);
	assert_int_equal(f->stats.bad_lines, 1);
	assert_string_equal(f->stats.first_bad_why, "empty line");
	/* And again: the learned empty line is matched with no text at all. */
	unit_parse(&feed, &ml_src_zoneinfo, &zi, "\nNode 0, zone DMA\n", 18, 0);
	assert_int_equal(feed.stats.bad_lines, 1);
	assert_int_equal(zi.nzones, 1);
	ml_zoneinfo_release(&zi);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_linux_618),
		cmocka_unit_test(t_310),
		cmocka_unit_test(t_419),
		cmocka_unit_test(t_612),
		cmocka_unit_test(t_post_618),
		cmocka_unit_test(t_two_node),
		cmocka_unit_test(t_truncated),
		cmocka_unit_test(t_no_final_newline),
		cmocka_unit_test(t_garbage),
		cmocka_unit_test(t_garbage_keeps_going),
		cmocka_unit_test(t_unknown_keys),
		cmocka_unit_test(t_48),
		cmocka_unit_test(t_steady_state),
		cmocka_unit_test(t_layout_change),
		cmocka_unit_test(t_reader_refresh),
		cmocka_unit_test(t_memo_differential),
		cmocka_unit_test(t_memo_steady),
		cmocka_unit_test(t_memo_bad_protection),
		cmocka_unit_test(t_memo_learned_field_in_pagesets),
		cmocka_unit_test(t_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

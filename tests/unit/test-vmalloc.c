/*
 * The vmalloc model: grouping by caller, module and type, largest areas,
 * nodes, thread stacks, the VmallocUsed check, growth between refreshes,
 * steady-state reuse and the bounds on the tables. Expected values were
 * computed by hand (awk over the fixtures), not with the code under test.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/vmalloc.h"
#include "proc/meminfo.h"
#include "unit.h"

static void
parse_into(struct ml_vmalloc *v, const char *buf, size_t len, size_t chunk)
{
	struct ml_feed f;

	unit_parse(&f, &ml_src_vmallocinfo, &v->info, buf, len, chunk);
	assert_int_equal(f.stats.bad_lines, 0);
}

static void
parse_fixture(struct ml_vmalloc *v, const char *rel, size_t chunk)
{
	size_t len;
	char *buf = unit_load_fixture(rel, &len);

	parse_into(v, buf, len, chunk);
	free(buf);
}

static void
parse_str(struct ml_vmalloc *v, const char *s)
{
	parse_into(v, s, strlen(s), 0);
}

static void
load_meminfo(struct ml_meminfo *mi, const char *rel)
{
	struct ml_feed f;
	size_t len;
	char *buf = unit_load_fixture(rel, &len);

	ml_meminfo_init(mi);
	unit_parse(&f, &ml_src_meminfo, mi, buf, len, 0);
	free(buf);
}

static const struct ml_vm_group *
find_group(const struct ml_vmalloc *v, enum ml_vm_by by, const char *name, const char *module)
{
	const struct ml_vm_group *out[512];
	size_t n = ml_vmalloc_sorted(v, by, ML_VM_SORT_NAME, false, out, 512), i;

	for (i = 0; i < n; i++)
		if (strcmp(out[i]->name, name) == 0 &&
		    (module == NULL || strcmp(out[i]->module, module) == 0))
			return out[i];
	return NULL;
}

/* find_group, failing the test when the group is missing. */
static const struct ml_vm_group *
must_group(const struct ml_vmalloc *v, enum ml_vm_by by, const char *name, const char *module)
{
	const struct ml_vm_group *g = find_group(v, by, name, module);

	if (g == NULL) {
		fail_msg("no %s group \"%s\"", ml_vm_by_name(by), name);
		abort(); /* not reached: fail_msg does not return */
	}
	return g;
}

static void
expect_group(const struct ml_vmalloc *v, enum ml_vm_by by, const char *name, const char *module,
	     uint64_t areas, uint64_t pages, uint64_t va)
{
	const struct ml_vm_group *g = must_group(v, by, name, module);

	if (g->areas != areas || g->pages != pages || g->va_size != va)
		fail_msg("%s \"%s\": areas %llu pages %llu va %llu, expected %llu %llu %llu",
			 ml_vm_by_name(by), name, (unsigned long long)g->areas,
			 (unsigned long long)g->pages, (unsigned long long)g->va_size,
			 (unsigned long long)areas, (unsigned long long)pages,
			 (unsigned long long)va);
}

static void
t_callers_618(void **state)
{
	struct ml_vmalloc v;
	const struct ml_vm_group *top[5];
	uint64_t bytes;
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		ml_vmalloc_init(&v);
		ml_vmalloc_set_page_size(&v, 4096);
		parse_fixture(&v, "linux-6.18/vmallocinfo", unit_chunk_sizes[i]);

		/* the five largest callers, for the summary */
		assert_int_equal(ml_vmalloc_top_callers(&v, top, 5), 5);
		assert_string_equal(top[0]->name, "htab_map_alloc");
		assert_int_equal(top[0]->pages, 2023);
		assert_string_equal(top[1]->name, "pcpu_create_chunk");
		assert_int_equal(top[1]->pages, 531);
		assert_string_equal(top[2]->name, "bpf_prog_pack_alloc");
		assert_string_equal(top[3]->name, "kernel_clone");
		assert_int_equal(top[3]->pages, 380);
		assert_string_equal(top[3]->module, "kernel");
		assert_true(top[3]->is_stack);
		assert_false(top[0]->is_stack);
		assert_string_equal(top[4]->name, "bpf_prog_alloc_no_stats");

		expect_group(&v, ML_VM_BY_CALLER, "kernel_clone", "kernel", 95, 380, 1945600);
		expect_group(&v, ML_VM_BY_CALLER, "vp_modern_map_capability", "kernel", 20, 0,
			     163840);
		expect_group(&v, ML_VM_BY_CALLER, "pcpu_get_vm_areas", "kernel", 1, 0, 2097152);
		expect_group(&v, ML_VM_BY_CALLER, "(unpurged)", "(unpurged)", 1307, 0, 26767360);
		assert_true(must_group(&v, ML_VM_BY_CALLER, "(unpurged)", NULL)->unpurged);
		assert_int_equal(ml_vmalloc_ngroups(&v, ML_VM_BY_CALLER), 18);

		expect_group(&v, ML_VM_BY_MODULE, "kernel", NULL, 236, 3571, 18886656);
		/* Unpurged areas have a module row of their own, flagged, as in every table. */
		expect_group(&v, ML_VM_BY_MODULE, "(unpurged)", NULL, 1307, 0, 26767360);
		assert_true(must_group(&v, ML_VM_BY_MODULE, "(unpurged)", NULL)->unpurged);
		assert_null(find_group(&v, ML_VM_BY_MODULE, "(none)", NULL));
		assert_int_equal(ml_vmalloc_ngroups(&v, ML_VM_BY_MODULE), 2);

		expect_group(&v, ML_VM_BY_TYPE, "vmalloc", NULL, 205, 3571,
			     18886656 - 163840 - 40960 - 20480 - 8192 - 1052672 - 40960);
		expect_group(&v, ML_VM_BY_TYPE, "ioremap", NULL, 29, 0,
			     163840 + 40960 + 20480 + 8192 + 1052672);
		expect_group(&v, ML_VM_BY_TYPE, "vmap", NULL, 2, 0, 40960);
		expect_group(&v, ML_VM_BY_TYPE, "unpurged", NULL, 1307, 0, 26767360);
		assert_int_equal(ml_vmalloc_ngroups(&v, ML_VM_BY_TYPE), 4);

		/* kernel_clone 95 x 4 pages + fork_idle 4 pages */
		assert_int_equal(ml_vmalloc_stack_areas(&v), 96);
		assert_int_equal(ml_vmalloc_stack_pages(&v), 384);
		assert_true(ml_vmalloc_stack_bytes(&v, &bytes));
		assert_int_equal(bytes, 384 * 4096);

		assert_int_equal(ml_vmalloc_nnodes(&v), 1);
		assert_int_equal(ml_vmalloc_node_pages(&v, 0), 3571);
		assert_int_equal(ml_vmalloc_node_pages(&v, 1), 0);
		assert_int_equal(ml_vmalloc_used_pages(&v), 3571);
		ml_vmalloc_release(&v);
	}
}

static void
t_largest(void **state)
{
	struct ml_vmalloc v;
	const struct ml_vm_top *t;
	unsigned int n;

	(void)state;
	ml_vmalloc_init(&v);
	parse_fixture(&v, "linux-6.18/vmallocinfo", 7);
	t = ml_vmalloc_largest(&v, &n);
	assert_int_equal(n, ML_VM_TOP_DEFAULT);
	assert_int_equal(t[0].pages, 641);
	assert_int_equal(t[0].ordinal, 62);
	assert_string_equal(t[0].caller, "htab_map_alloc+0x2e4/0x5a0");
	assert_string_equal(t[0].type_name, "vmalloc");
	assert_int_equal(t[0].size, 2629632);
	assert_int_equal(t[1].pages, 577);
	assert_int_equal(t[2].pages, 513);
	/* 512 pages and 2101248 bytes twice: the earlier line first */
	assert_int_equal(t[3].pages, 512);
	assert_int_equal(t[3].ordinal, 53);
	assert_int_equal(t[4].ordinal, 126);
	assert_string_equal(t[4].caller, "bpf_prog_pack_alloc+0x28b/0x3a0");

	/* a smaller heap keeps the same head; none at all is allowed */
	ml_vmalloc_set_top(&v, 2);
	parse_fixture(&v, "linux-6.18/vmallocinfo", 0);
	t = ml_vmalloc_largest(&v, &n);
	assert_int_equal(n, 2);
	assert_int_equal(t[0].pages, 641);
	assert_int_equal(t[1].pages, 577);
	ml_vmalloc_set_top(&v, 0);
	parse_fixture(&v, "linux-6.18/vmallocinfo", 0);
	ml_vmalloc_largest(&v, &n);
	assert_int_equal(n, 0);
	ml_vmalloc_set_top(&v, 1000);
	assert_int_equal(v.top_n, ML_VM_TOP_MAX);

	/* unpurged areas are freed: never among the largest; vm_map_ram ones are */
	ml_vmalloc_set_top(&v, 10);
	parse_str(&v, "0x0-0x0 1048576 unpurged vm_area\n"
		      "0x0-0x0 8192 f+0x1/0x2 pages=1 vmalloc\n"
		      "0x0-0x0 65536 vm_map_ram\n"
		      "0x0-0x0 2097152 unpurged vm_area\n");
	t = ml_vmalloc_largest(&v, &n);
	assert_int_equal(n, 2);
	assert_string_equal(t[0].caller, "f+0x1/0x2");
	assert_int_equal(t[1].kind, ML_VMK_VM_MAP_RAM);
	assert_string_equal(t[1].type_name, "vm_map_ram");
	assert_int_equal(t[1].size, 65536);
	ml_vmalloc_release(&v);
}

static void
t_modules_612(void **state)
{
	struct ml_vmalloc v;
	struct ml_meminfo mi;
	struct ml_vm_check c;
	const struct ml_vm_top *t;
	unsigned int n;

	(void)state;
	ml_vmalloc_init(&v);
	ml_vmalloc_set_page_size(&v, 4096);
	parse_fixture(&v, "vmalloc-6.12-modules/vmallocinfo", 4096);

	expect_group(&v, ML_VM_BY_MODULE, "kernel", NULL, 22, 1075, 4303216640ull);
	expect_group(&v, ML_VM_BY_MODULE, "nf_tables", NULL, 2, 72, 266240 + 36864);
	expect_group(&v, ML_VM_BY_MODULE, "xfs", NULL, 2, 64, 270336);
	expect_group(&v, ML_VM_BY_MODULE, "videobuf2_vmalloc", NULL, 1, 256, 1052672);
	expect_group(&v, ML_VM_BY_MODULE, "kvm", NULL, 1, 256, 1052672);
	expect_group(&v, ML_VM_BY_MODULE, "(unresolved)", NULL, 1, 4, 20480);
	expect_group(&v, ML_VM_BY_MODULE, "(none)", NULL, 2, 0, 98304);
	expect_group(&v, ML_VM_BY_MODULE, "(unpurged)", NULL, 7, 0, 114688);
	assert_false(must_group(&v, ML_VM_BY_MODULE, "(none)", NULL)->unpurged);
	expect_group(&v, ML_VM_BY_CALLER, "nf_tables_newset", "nf_tables", 1, 64, 266240);
	expect_group(&v, ML_VM_BY_CALLER, "0xffffffffc0a41d2e", "(unresolved)", 1, 4, 20480);
	expect_group(&v, ML_VM_BY_CALLER, "(vm_map_ram)", "(none)", 2, 0, 98304);

	/* the most specific flag names the type */
	expect_group(&v, ML_VM_BY_TYPE, "sparse", NULL, 1, 0, 4296081408ull);
	expect_group(&v, ML_VM_BY_TYPE, "user", NULL, 1, 256, 1052672);
	expect_group(&v, ML_VM_BY_TYPE, "dma-coherent", NULL, 1, 0, 528384);
	expect_group(&v, ML_VM_BY_TYPE, "vm_map_ram", NULL, 2, 0, 98304);
	expect_group(&v, ML_VM_BY_TYPE, "unpurged", NULL, 7, 0, 114688);
	expect_group(&v, ML_VM_BY_TYPE, "vmap", NULL, 1, 0, 20480);
	expect_group(&v, ML_VM_BY_TYPE, "ioremap", NULL, 2, 0, 16384);
	expect_group(&v, ML_VM_BY_TYPE, "vmalloc", NULL, 23, 1471, 8216576);

	/* 9 kernel_clone + 2 fork_idle stacks of 4 pages */
	assert_int_equal(ml_vmalloc_stack_areas(&v), 11);
	assert_int_equal(ml_vmalloc_stack_pages(&v), 44);
	assert_int_equal(ml_vmalloc_nnodes(&v), 2);
	assert_int_equal(ml_vmalloc_node_pages(&v, 0), 912);
	assert_int_equal(ml_vmalloc_node_pages(&v, 1), 815);

	/* zero addresses are kept as printed */
	t = ml_vmalloc_largest(&v, &n);
	assert_true(n > 0);
	assert_int_equal(t[0].start, 0);
	assert_int_equal(t[0].end, 0);
	assert_int_equal(ml_vmallocinfo_addr_kind(&v.info), ML_VMA_ZERO);

	/* VmallocUsed 6908 kB = 1727 pages x 4 KiB */
	load_meminfo(&mi, "vmalloc-6.12-modules/meminfo");
	ml_vmalloc_check(&v, &mi, &mi, &c);
	assert_int_equal(c.state, ML_VM_CHECK_EQUAL);
	assert_int_equal(c.basis, ML_VM_BASIS_PAGES);
	assert_int_equal(c.computed, 1727 * 4096);
	assert_int_equal(c.vmalloc_used, 6908 * 1024);
	assert_int_equal(c.difference, 0);
	ml_meminfo_release(&mi);

	/* the deliberately inconsistent tree: 8 kB more in VmallocUsed */
	load_meminfo(&mi, "vmalloc-6.12-inconsistent/meminfo");
	ml_vmalloc_check(&v, &mi, &mi, &c);
	assert_int_equal(c.state, ML_VM_CHECK_DIFFERS);
	assert_int_equal(c.difference, -8192);
	assert_int_equal(c.why, ML_VM_WHY_IN_PROGRESS);
	assert_string_equal(ml_vm_check_why_name(c.why), "areas_in_progress");
	ml_meminfo_release(&mi);
	ml_vmalloc_release(&v);
}

static void
t_check_310_va(void **state)
{
	struct ml_vmalloc v;
	struct ml_meminfo mi;
	struct ml_vm_check c;

	(void)state;
	ml_vmalloc_init(&v);
	parse_fixture(&v, "vmalloc-3.10/vmallocinfo", 1);
	load_meminfo(&mi, "vmalloc-3.10/meminfo");
	/* before 4.4 VmallocUsed summed the address ranges: no page size needed */
	ml_vmalloc_check(&v, NULL, &mi, &c);
	assert_int_equal(c.basis, ML_VM_BASIS_VA_SIZE);
	assert_int_equal(c.state, ML_VM_CHECK_EQUAL);
	assert_int_equal(c.computed, 6361088);
	assert_int_equal(c.vmalloc_used, 6212 * 1024);
	/* 3.10 has no vmapped stacks */
	assert_int_equal(ml_vmalloc_stack_areas(&v), 0);
	expect_group(&v, ML_VM_BY_MODULE, "e1000e", NULL, 2, 64, 270336);
	expect_group(&v, ML_VM_BY_TYPE, "user", NULL, 1, 256, 1052672);
	ml_meminfo_release(&mi);
	ml_vmalloc_release(&v);
}

static void
t_check_419_zero(void **state)
{
	struct ml_vmalloc v;
	struct ml_meminfo mi;
	struct ml_vm_check c;

	(void)state;
	ml_vmalloc_init(&v);
	ml_vmalloc_set_page_size(&v, 4096);
	parse_fixture(&v, "vmalloc-4.19/vmallocinfo", 7);
	load_meminfo(&mi, "vmalloc-4.19/meminfo");
	ml_vmalloc_check(&v, &mi, &mi, &c);
	assert_int_equal(c.state, ML_VM_CHECK_NOT_REPORTED);
	assert_int_equal(c.computed, 278 * 4096);
	/* _do_fork (before 5.10) and fork_idle allocate the stacks */
	assert_int_equal(ml_vmalloc_stack_areas(&v), 11);
	assert_int_equal(ml_vmalloc_stack_pages(&v), 44);
	expect_group(&v, ML_VM_BY_CALLER, "(unpurged)", "(unpurged)", 4, 0, 57344);
	ml_meminfo_release(&mi);
	ml_vmalloc_release(&v);
}

static void
t_check_cases(void **state)
{
	struct ml_vmalloc v;
	struct ml_meminfo before, after;
	struct ml_vm_check c;

	(void)state;
	ml_vmalloc_init(&v);
	ml_meminfo_init(&before);
	ml_meminfo_init(&after);
	/* 26 pages = 104 kB, and 1 page of a vmap area that VmallocUsed does not count */
	parse_str(&v, "0x0-0x0 90112 a+0x1/0x2 pages=21 vmalloc N0=21\n"
		      "0x0-0x0 24576 b+0x1/0x2 pages=5 vmalloc user N0=5\n"
		      "0x0-0x0 8192 io_pages_map+0x1/0x2 pages=1 vmap N0=1\n");
	unit_parse_str(&ml_src_meminfo, &before, "VmallocUsed:     100 kB\nVmallocChunk: 0 kB\n");
	unit_parse_str(&ml_src_meminfo, &after, "VmallocUsed:     108 kB\nVmallocChunk: 0 kB\n");

	/* no page size: cannot tell */
	ml_vmalloc_check(&v, NULL, &after, &c);
	assert_int_equal(c.state, ML_VM_CHECK_UNKNOWN);
	assert_int_equal(c.why, ML_VM_WHY_PAGE_SIZE);
	assert_false(c.has_computed);

	ml_vmalloc_set_page_size(&v, 4096);
	ml_vmalloc_check(&v, &before, &after, &c);
	assert_int_equal(c.state, ML_VM_CHECK_DIFFERS);
	assert_int_equal(c.why, ML_VM_WHY_MOVED);
	assert_int_equal(c.computed, 104 * 1024);
	assert_int_equal(c.difference, -4096);
	assert_int_equal(c.other_pages, 1);

	/* equal to the value before vmallocinfo was read */
	unit_parse_str(&ml_src_meminfo, &before, "VmallocUsed:     104 kB\n");
	ml_vmalloc_check(&v, &before, &after, &c);
	assert_int_equal(c.state, ML_VM_CHECK_EQUAL);

	/* more listed than counted: freed in between */
	unit_parse_str(&ml_src_meminfo, &after, "VmallocUsed:      96 kB\n");
	ml_vmalloc_check(&v, NULL, &after, &c);
	assert_int_equal(c.state, ML_VM_CHECK_DIFFERS);
	assert_int_equal(c.why, ML_VM_WHY_FREED);
	assert_int_equal(c.difference, 8192);

	/* no VmallocUsed line */
	unit_parse_str(&ml_src_meminfo, &after, "MemTotal:   1000 kB\n");
	ml_vmalloc_check(&v, NULL, &after, &c);
	assert_int_equal(c.state, ML_VM_CHECK_UNKNOWN);
	assert_int_equal(c.why, ML_VM_WHY_NO_METER);
	ml_vmalloc_check(&v, NULL, NULL, &c);
	assert_int_equal(c.state, ML_VM_CHECK_UNKNOWN);

	/* before 4.4, a difference is blamed on what the address sum includes */
	unit_parse_str(&ml_src_meminfo, &after, "VmallocUsed: 200 kB\nVmallocChunk: 12345 kB\n");
	ml_vmalloc_check(&v, NULL, &after, &c);
	assert_int_equal(c.basis, ML_VM_BASIS_VA_SIZE);
	assert_int_equal(c.computed, 90112 + 24576 + 8192);
	assert_int_equal(c.state, ML_VM_CHECK_DIFFERS);
	assert_int_equal(c.why, ML_VM_WHY_VA_RANGE);

	ml_meminfo_release(&before);
	ml_meminfo_release(&after);
	ml_vmalloc_release(&v);
}

static void
t_growth(void **state)
{
	struct ml_vmalloc v;
	const struct ml_vm_group *out[64], *g;
	size_t n;

	(void)state;
	ml_vmalloc_init(&v);
	ml_vmalloc_set_page_size(&v, 4096);
	parse_fixture(&v, "linux-6.18/vmallocinfo", 0);
	assert_false(ml_vmalloc_has_prev(&v));
	parse_fixture(&v, "vmalloc-6.18-realaddr/vmallocinfo", 0);
	assert_true(ml_vmalloc_has_prev(&v));

	/* 95 -> 797 kernel_clone stacks of 4 pages */
	n = ml_vmalloc_sorted(&v, ML_VM_BY_CALLER, ML_VM_SORT_GROWTH, false, out, 64);
	assert_true(n >= 2);
	assert_string_equal(out[0]->name, "kernel_clone");
	assert_int_equal(ml_vm_group_growth_pages(out[0]), (797 - 95) * 4);
	assert_int_equal(ml_vm_group_growth_areas(out[0]), 797 - 95);
	g = must_group(&v, ML_VM_BY_CALLER, "htab_map_alloc", NULL);
	assert_int_equal(ml_vm_group_growth_pages(g), 0);
	g = must_group(&v, ML_VM_BY_TYPE, "unpurged", NULL);
	assert_int_equal(ml_vm_group_growth_areas(g), 3141 - 1307);

	/* a caller that vanished shows up with its loss, then is gone */
	parse_str(&v, "0x0-0x0 20480 kernel_clone+0x94/0x3e0 pages=4 vmalloc N0=4\n");
	n = ml_vmalloc_sorted(&v, ML_VM_BY_CALLER, ML_VM_SORT_GROWTH, false, out, 64);
	assert_int_equal(n, 18);
	assert_string_equal(out[n - 1]->name, "kernel_clone");
	assert_int_equal(ml_vm_group_growth_pages(out[n - 1]), (1 - 797) * 4);
	g = find_group(&v, ML_VM_BY_CALLER, "htab_map_alloc", NULL);
	assert_null(g); /* not with areas now */
	assert_int_equal(ml_vmalloc_ngroups(&v, ML_VM_BY_CALLER), 1);
	/* reverse: the biggest loss first */
	n = ml_vmalloc_sorted(&v, ML_VM_BY_CALLER, ML_VM_SORT_GROWTH, true, out, 1);
	assert_int_equal(n, 1);
	assert_string_equal(out[0]->name, "kernel_clone");
	ml_vmalloc_release(&v);
}

static void
t_sorting(void **state)
{
	struct ml_vmalloc v;
	const struct ml_vm_group *all[64], *some[3];
	size_t n, k, i;

	(void)state;
	ml_vmalloc_init(&v);
	parse_fixture(&v, "linux-6.18/vmallocinfo", 0);
	n = ml_vmalloc_sorted(&v, ML_VM_BY_CALLER, ML_VM_SORT_AREAS, false, all, 64);
	assert_int_equal(n, 18);
	assert_string_equal(all[0]->name, "(unpurged)");
	assert_string_equal(all[1]->name, "kernel_clone");
	assert_string_equal(all[2]->name, "bpf_prog_alloc_no_stats");
	n = ml_vmalloc_sorted(&v, ML_VM_BY_CALLER, ML_VM_SORT_NAME, false, all, 64);
	assert_string_equal(all[0]->name, "(unpurged)");
	assert_string_equal(all[1]->name, "__pci_enable_msix_range");
	assert_string_equal(all[n - 1]->name, "vp_modern_map_capability");
	n = ml_vmalloc_sorted(&v, ML_VM_BY_CALLER, ML_VM_SORT_VA_SIZE, false, all, 64);
	assert_string_equal(all[0]->name, "(unpurged)");
	assert_string_equal(all[1]->name, "htab_map_alloc");
	/* a partial selection equals the head of the full sort, for every key */
	for (k = 0; k < ML_VM_SORT__COUNT; k++) {
		n = ml_vmalloc_sorted(&v, ML_VM_BY_CALLER, k, k % 2, all, 64);
		assert_int_equal(ml_vmalloc_sorted(&v, ML_VM_BY_CALLER, k, k % 2, some, 3), 3);
		for (i = 0; i < 3; i++)
			assert_ptr_equal(some[i], all[i]);
	}
	assert_int_equal(ml_vm_sort_lookup("va_size"), ML_VM_SORT_VA_SIZE);
	assert_int_equal(ml_vm_sort_lookup("nope"), -1);
	assert_int_equal(ml_vm_by_lookup("module"), ML_VM_BY_MODULE);
	assert_string_equal(ml_vm_type_name(ML_VMT_DMA_COHERENT), "dma-coherent");
	ml_vmalloc_release(&v);
}

/* A second refresh of the same data reuses every group and name: no allocation. */
static void
t_steady_state(void **state)
{
	struct ml_vmalloc v;
	const struct ml_vm_group *g0, *g1;
	const char *name0;
	uint32_t n0, cap0;

	(void)state;
	ml_vmalloc_init(&v);
	parse_fixture(&v, "vmalloc-6.18-realaddr/vmallocinfo", 0);
	g0 = v.tab[ML_VM_BY_CALLER].g;
	n0 = v.tab[ML_VM_BY_CALLER].n;
	cap0 = v.tab[ML_VM_BY_CALLER].cap;
	name0 = g0[0].name;
	parse_fixture(&v, "vmalloc-6.18-realaddr/vmallocinfo", 4096);
	g1 = v.tab[ML_VM_BY_CALLER].g;
	assert_ptr_equal(g0, g1);
	assert_ptr_equal(g1[0].name, name0);
	assert_int_equal(v.tab[ML_VM_BY_CALLER].n, n0);
	assert_int_equal(v.tab[ML_VM_BY_CALLER].cap, cap0);
	assert_int_equal(ml_vm_group_growth_pages(&g1[0]), 0);
	ml_vmalloc_release(&v);
}

/* Groups that stayed away are dropped; a table never holds more than its bound. */
static void
t_bounds(void **state)
{
	struct ml_vmalloc v;
	const struct ml_vm_group *g;
	size_t cap = 20000 * 64, len = 0;
	char *buf = malloc(cap);
	int i;

	(void)state;
	assert_non_null(buf);
	ml_vmalloc_init(&v);
	for (i = 0; i < 200; i++)
		len += (size_t)snprintf(buf + len, cap - len,
					"0x0-0x0 8192 caller_%d+0x1/0x2 pages=1 vmalloc\n", i);
	parse_into(&v, buf, len, 0);
	assert_int_equal(v.tab[ML_VM_BY_CALLER].n, 200);
	parse_str(&v, "0x0-0x0 8192 x+0x1/0x2 pages=1 vmalloc\n");
	assert_int_equal(v.tab[ML_VM_BY_CALLER].n, 201);
	parse_str(&v, "0x0-0x0 8192 x+0x1/0x2 pages=1 vmalloc\n");
	assert_int_equal(v.tab[ML_VM_BY_CALLER].n, 1);
	assert_string_equal(v.tab[ML_VM_BY_CALLER].g[0].name, "x");
	assert_string_equal(v.tab[ML_VM_BY_MODULE].g[v.tab[ML_VM_BY_CALLER].g[0].link].name,
			    "kernel");
	/* and aggregation still works after compaction */
	parse_str(&v,
		  "0x0-0x0 8192 x+0x1/0x2 pages=1 vmalloc\n0x0-0x0 8192 y [m] pages=2 vmalloc\n");
	expect_group(&v, ML_VM_BY_MODULE, "kernel", NULL, 1, 1, 8192);
	expect_group(&v, ML_VM_BY_MODULE, "m", NULL, 1, 2, 8192);

	/* more distinct callers than ML_VM_GROUPS_MAX: the rest is "(other)" */
	for (i = 0, len = 0; i < ML_VM_GROUPS_MAX + 100; i++)
		len += (size_t)snprintf(buf + len, cap - len,
					"0x0-0x0 8192 c%d+0x1/0x2 pages=1 vmalloc\n", i);
	parse_into(&v, buf, len, 4096);
	assert_true(v.tab[ML_VM_BY_CALLER].n <= ML_VM_GROUPS_MAX);
	assert_true(v.tab[ML_VM_BY_CALLER].full);
	g = must_group(&v, ML_VM_BY_CALLER, "(other)", "(other)");
	assert_true(g->areas >= 100);
	expect_group(&v, ML_VM_BY_TYPE, "vmalloc", NULL, ML_VM_GROUPS_MAX + 100,
		     ML_VM_GROUPS_MAX + 100, 8192ull * (ML_VM_GROUPS_MAX + 100));
	free(buf);
	ml_vmalloc_release(&v);
}

static void
t_unknown_types(void **state)
{
	struct ml_vmalloc v;
	const struct ml_vm_group *w[4];

	(void)state;
	ml_vmalloc_init(&v);
	parse_str(&v, "0x0-0x0 8192 a+0x1/0x2 hugemap\n"
		      "0x0-0x0 8192 b+0x1/0x2 pages=1 vmalloc hugemap N0=1\n"
		      "0x0-0x0 8192 c+0x1/0x2\n"
		      "0x0-0x0 8192\n");
	expect_group(&v, ML_VM_BY_TYPE, "hugemap", NULL, 1, 0, 8192);
	expect_group(&v, ML_VM_BY_TYPE, "vmalloc", NULL, 1, 1, 8192);
	expect_group(&v, ML_VM_BY_TYPE, "other", NULL, 2, 0, 16384);
	expect_group(&v, ML_VM_BY_CALLER, "(no caller)", "(none)", 1, 0, 8192);
	assert_int_equal(ml_vmalloc_unknown_words(&v, w, 4), 1);
	assert_string_equal(w[0]->name, "hugemap");
	assert_int_equal(w[0]->areas, 2);
	ml_vmalloc_release(&v);
}

/* What the accounting of MemTotal takes out of VmallocUsed for kernel stacks. */
static void
t_stack_overlap(void **state)
{
	struct ml_vmalloc v;
	struct ml_meminfo mi;
	uint64_t b;

	(void)state;
	ml_vmalloc_init(&v);
	parse_fixture(&v, "linux-6.18/vmallocinfo", 0);
	load_meminfo(&mi, "linux-6.18/meminfo");
	assert_false(ml_vmalloc_stack_overlap(&v, &mi, &b)); /* page size unknown */
	ml_vmalloc_set_page_size(&v, 4096);
	/* 96 stack areas (1536 KiB), KernelStack 1504 kB: two cached stacks are not in it */
	assert_true(ml_vmalloc_stack_overlap(&v, &mi, &b));
	assert_int_equal(b, 1504 * 1024);
	ml_meminfo_release(&mi);

	/* more in KernelStack than vmalloc'd (some stacks not vmapped): the vmalloc'd part */
	ml_meminfo_init(&mi);
	unit_parse_str(&ml_src_meminfo, &mi, "KernelStack: 2000 kB\nShadowCallStack: 48 kB\n");
	assert_true(ml_vmalloc_stack_overlap(&v, &mi, &b));
	assert_int_equal(b, 384 * 4096);

	/* no vmapped stacks (3.10): nothing to take out */
	parse_fixture(&v, "vmalloc-3.10/vmallocinfo", 0);
	assert_true(ml_vmalloc_stack_overlap(&v, &mi, &b));
	assert_int_equal(b, 0);
	ml_meminfo_release(&mi);

	/* no KernelStack line: cannot say */
	ml_meminfo_init(&mi);
	unit_parse_str(&ml_src_meminfo, &mi, "MemTotal: 1000 kB\n");
	assert_false(ml_vmalloc_stack_overlap(&v, &mi, &b));
	ml_meminfo_release(&mi);
	ml_vmalloc_release(&v);
}

static void
t_stack_callers(void **state)
{
	(void)state;
	assert_true(ml_vm_is_stack_caller("kernel_clone", 12));
	assert_true(ml_vm_is_stack_caller("_do_fork", 8));
	assert_true(ml_vm_is_stack_caller("copy_process.part.0", 19));
	assert_true(ml_vm_is_stack_caller("scs_alloc", 9));
	assert_false(ml_vm_is_stack_caller("kernel_clone_x", 14));
	assert_false(ml_vm_is_stack_caller("htab_map_alloc", 14));
	assert_false(ml_vm_is_stack_caller("", 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_callers_618),    cmocka_unit_test(t_largest),
		cmocka_unit_test(t_modules_612),    cmocka_unit_test(t_check_310_va),
		cmocka_unit_test(t_check_419_zero), cmocka_unit_test(t_check_cases),
		cmocka_unit_test(t_growth),         cmocka_unit_test(t_sorting),
		cmocka_unit_test(t_steady_state),   cmocka_unit_test(t_bounds),
		cmocka_unit_test(t_unknown_types),  cmocka_unit_test(t_stack_callers),
		cmocka_unit_test(t_stack_overlap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * The vmallocinfo parser: real captures (hashed and real addresses), the
 * 3.10, 4.19 and 6.12 formats, every token kind, chunking, truncation,
 * garbage and overflow. Expected totals were counted with awk over the
 * fixture files, independently of the parser.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc/vmallocinfo.h"
#include "unit.h"

/* A sink that folds every field of every area into one digest, and keeps the last area. */
struct digest {
	uint64_t h;
	uint64_t areas;
	int fail_at; /* return -1 on this area (1-based); 0 = never */
	struct ml_vm_area last;
	char caller[256], func[256], module[64], unknown[ML_VM_UNKNOWN_MAX][32];
};

static void
mix(struct digest *d, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++)
		d->h = (d->h ^ s[i]) * 1099511628211ull;
	d->h = (d->h ^ 0xff) * 1099511628211ull;
}

static void
mix_u64(struct digest *d, uint64_t v)
{
	mix(d, &v, sizeof v);
}

static void
mix_str(struct digest *d, const struct ml_vm_str *s)
{
	if (s->s == NULL)
		mix(d, "(null)", 6);
	else
		mix(d, s->s, s->n);
}

static void
cut(char *dst, size_t cap, const struct ml_vm_str *s)
{
	size_t n = s->s == NULL ? 0 : s->n < cap - 1 ? s->n : cap - 1;

	if (n > 0)
		memcpy(dst, s->s, n);
	dst[n] = '\0';
}

static int
digest_begin(void *arg)
{
	struct digest *d = arg;

	d->h = 14695981039346656037ull;
	d->areas = 0;
	return 0;
}

static int
digest_area(void *arg, const struct ml_vm_area *a)
{
	struct digest *d = arg;
	unsigned int i;

	d->areas++;
	if (d->fail_at != 0 && d->areas == (uint64_t)d->fail_at) {
		errno = ENOMEM;
		return -1;
	}
	mix_u64(d, a->kind);
	mix_u64(d, a->ordinal);
	mix_u64(d, a->start);
	mix_u64(d, a->end);
	mix_u64(d, a->size);
	mix_str(d, &a->caller);
	mix_str(d, &a->func);
	mix_str(d, &a->module);
	mix_u64(d, a->caller_raw);
	mix_u64(d, a->has_pages ? a->pages : UINT64_MAX);
	mix_u64(d, a->has_phys ? a->phys : UINT64_MAX);
	mix_u64(d, a->phys_0x);
	mix_u64(d, a->flags);
	mix_u64(d, a->nunknown);
	mix_u64(d, a->unknown_more);
	for (i = 0; i < a->nunknown; i++)
		mix_str(d, &a->unknown[i]);
	mix_u64(d, a->nnodes);
	for (i = 0; i < a->nnodes; i++) {
		mix_u64(d, a->node[i]);
		mix_u64(d, a->node_pages[i]);
	}
	d->last = *a;
	cut(d->caller, sizeof d->caller, &a->caller);
	cut(d->func, sizeof d->func, &a->func);
	cut(d->module, sizeof d->module, &a->module);
	for (i = 0; i < a->nunknown; i++)
		cut(d->unknown[i], sizeof d->unknown[i], &a->unknown[i]);
	return 0;
}

static const struct ml_vm_sink digest_sink = {
	.begin = digest_begin,
	.area = digest_area,
};

/* Parse s whole into vi with a digest sink; returns the feed's stats. */
static const struct ml_parse_stats *
parse_one(struct ml_vmallocinfo *vi, struct digest *d, const char *s)
{
	memset(d, 0, sizeof *d);
	ml_vmallocinfo_init(vi, &digest_sink, d);
	return &unit_parse_str(&ml_src_vmallocinfo, vi, s)->stats;
}

/* Parse one line; assert it is good and return the decoded area. */
static const struct ml_vm_area *
good_line(struct ml_vmallocinfo *vi, struct digest *d, const char *s)
{
	const struct ml_parse_stats *st = parse_one(vi, d, s);

	if (st->bad_lines != 0)
		fail_msg("bad line \"%s\": %s", s, st->first_bad_why);
	assert_int_equal(d->areas, 1);
	return &d->last;
}

/*
 * Parse one line; assert it is bad, with why containing want. A file whose
 * only line is bad is no vmallocinfo: the parse fails (ENODATA).
 */
static void
bad_line(const char *s, const char *want)
{
	static struct ml_vmallocinfo vi;
	static struct ml_feed f;
	struct digest d;
	const struct ml_parse_stats *st = &f.stats;
	char *cause = NULL;

	memset(&d, 0, sizeof d);
	ml_vmallocinfo_init(&vi, &digest_sink, &d);
	assert_int_equal(ml_parse_buffer(&f, &ml_src_vmallocinfo, &vi, s, strlen(s), 0, &cause),
			 -1);
	assert_int_equal(errno, ENODATA);
	assert_string_equal(cause, "no line could be read as a vmalloc area");
	free(cause);

	if (st->bad_lines != 1)
		fail_msg("line \"%s\" was not rejected", s);
	if (strstr(st->first_bad_why, want) == NULL)
		fail_msg("line \"%s\": why \"%s\", wanted \"%s\"", s, st->first_bad_why, want);
	assert_int_equal(d.areas, 0);
	assert_int_equal(vi.t.lines[ML_VMK_AREA] + vi.t.lines[ML_VMK_UNPURGED] +
				 vi.t.lines[ML_VMK_VM_MAP_RAM],
			 0);
}

struct expect {
	uint64_t areas, unpurged, vm_map_ram;
	uint64_t va_areas, va_unpurged, va_vm_map_ram;
	uint64_t pages, vmalloc_pages;
	uint64_t ioremap, vmalloc, vmap, vpages, modules;
	enum ml_vm_addr_kind addr;
};

/* The fixture parses to the expected totals, identically in every chunk size. */
static void
check_fixture(const char *rel, const struct expect *e)
{
	struct ml_vmallocinfo vi;
	struct ml_feed f;
	struct digest d;
	uint64_t h0 = 0, descents0 = 0;
	size_t len, i;
	char *buf = unit_load_fixture(rel, &len);

	for (i = 0; i < 4; i++) {
		memset(&d, 0, sizeof d);
		ml_vmallocinfo_init(&vi, &digest_sink, &d);
		unit_parse(&f, &ml_src_vmallocinfo, &vi, buf, len, unit_chunk_sizes[i]);
		assert_int_equal(f.stats.bad_lines, 0);
		assert_int_equal(vi.t.lines[ML_VMK_AREA], e->areas);
		assert_int_equal(vi.t.lines[ML_VMK_UNPURGED], e->unpurged);
		assert_int_equal(vi.t.lines[ML_VMK_VM_MAP_RAM], e->vm_map_ram);
		assert_int_equal(vi.t.va_size[ML_VMK_AREA], e->va_areas);
		assert_int_equal(vi.t.va_size[ML_VMK_UNPURGED], e->va_unpurged);
		assert_int_equal(vi.t.va_size[ML_VMK_VM_MAP_RAM], e->va_vm_map_ram);
		assert_int_equal(vi.t.pages, e->pages);
		assert_int_equal(vi.t.vmalloc_pages, e->vmalloc_pages);
		assert_int_equal(vi.t.flag_areas[ML_VMF_IOREMAP], e->ioremap);
		assert_int_equal(vi.t.flag_areas[ML_VMF_VMALLOC], e->vmalloc);
		assert_int_equal(vi.t.flag_areas[ML_VMF_VMAP], e->vmap);
		assert_int_equal(vi.t.flag_areas[ML_VMF_VPAGES], e->vpages);
		assert_int_equal(vi.t.module_callers, e->modules);
		assert_int_equal(ml_vmallocinfo_addr_kind(&vi), e->addr);
		assert_int_equal(d.areas, e->areas + e->unpurged + e->vm_map_ram);
		if (i == 0) {
			h0 = d.h;
			descents0 = vi.t.descents;
		} else {
			assert_true(d.h == h0);
			assert_int_equal(vi.t.descents, descents0);
		}
	}
	free(buf);
}

static void
t_linux_618_hashed(void **state)
{
	/* awk: 236 areas, 1307 unpurged, Σ pages= 3571 (= VmallocUsed 14284 kB / 4) */
	static const struct expect e = {
		.areas = 236,
		.unpurged = 1307,
		.va_areas = 18886656,
		.va_unpurged = 26767360,
		.pages = 3571,
		.vmalloc_pages = 3571,
		.ioremap = 29,
		.vmalloc = 205,
		.vmap = 2,
		.vpages = 3,
		.addr = ML_VMA_HASHED,
	};

	(void)state;
	check_fixture("linux-6.18/vmallocinfo", &e);
}

static void
t_realaddr(void **state)
{
	static const struct expect e = {
		.areas = 938,
		.unpurged = 3141,
		.va_areas = 33263616,
		.va_unpurged = 64262144,
		.pages = 6379,
		.vmalloc_pages = 6379,
		.ioremap = 29,
		.vmalloc = 907,
		.vmap = 2,
		.vpages = 3,
		.addr = ML_VMA_REAL,
	};
	struct ml_vmallocinfo vi;
	struct ml_feed f;
	size_t len;
	char *buf;

	(void)state;
	check_fixture("vmalloc-6.18-realaddr/vmallocinfo", &e);
	/* 6.9+ concatenates per-node lists: three places where the address goes down */
	buf = unit_load_fixture("vmalloc-6.18-realaddr/vmallocinfo", &len);
	ml_vmallocinfo_init(&vi, NULL, NULL);
	unit_parse(&f, &ml_src_vmallocinfo, &vi, buf, len, 0);
	assert_int_equal(vi.t.descents, 3);
	free(buf);
}

static void
t_format_310(void **state)
{
	static const struct expect e = {
		.areas = 19,
		.va_areas = 6361088,
		.pages = 980,
		.vmalloc_pages = 980,
		.ioremap = 4,
		.vmalloc = 14,
		.vmap = 1,
		.vpages = 1,
		.modules = 5,
		.addr = ML_VMA_REAL,
	};
	struct ml_vmallocinfo vi;
	struct ml_feed f;
	size_t len;
	char *buf;

	(void)state;
	check_fixture("vmalloc-3.10/vmallocinfo", &e);
	buf = unit_load_fixture("vmalloc-3.10/vmallocinfo", &len);
	ml_vmallocinfo_init(&vi, NULL, NULL);
	unit_parse(&f, &ml_src_vmallocinfo, &vi, buf, len, 0);
	assert_int_equal(vi.t.phys_no_0x, 4); /* every phys= of 3.10 is %llx */
	assert_int_equal(vi.t.raw_callers, 1);
	assert_int_equal(vi.t.descents, 0); /* sorted by address before 6.9 */
	free(buf);
}

static void
t_format_419(void **state)
{
	static const struct expect e = {
		.areas = 19,
		.unpurged = 4,
		.vm_map_ram = 2,
		.va_areas = 4366336,
		.va_unpurged = 57344,
		.va_vm_map_ram = 98304,
		.pages = 278,
		.vmalloc_pages = 278,
		.ioremap = 2,
		.vmalloc = 17,
		.modules = 4,
		.addr = ML_VMA_HASHED,
	};

	(void)state;
	check_fixture("vmalloc-4.19/vmallocinfo", &e);
}

static void
t_format_612_zero(void **state)
{
	static const struct expect e = {
		.areas = 29,
		.unpurged = 7,
		.vm_map_ram = 2,
		.va_areas = 4305915904ull,
		.va_unpurged = 114688,
		.va_vm_map_ram = 98304,
		.pages = 1727,
		.vmalloc_pages = 1727,
		.ioremap = 2,
		.vmalloc = 24,
		.vmap = 1,
		.vpages = 1,
		.modules = 6,
		.addr = ML_VMA_ZERO,
	};

	(void)state;
	check_fixture("vmalloc-6.12-modules/vmallocinfo", &e);
}

static void
t_current_line(void **state)
{
	struct ml_vmallocinfo vi;
	struct digest d;
	const struct ml_vm_area *a;

	(void)state;
	a = good_line(&vi, &d,
		      "0xffffc9000054d000-0xffffc900005ce000  528384 htab_map_alloc+0xf6/0x5a0 "
		      "pages=128 vmalloc vpages N0=100 N1=28\n");
	assert_int_equal(a->kind, ML_VMK_AREA);
	assert_true(a->start == 0xffffc9000054d000ull && a->end == 0xffffc900005ce000ull);
	assert_int_equal(a->size, 528384);
	assert_string_equal(d.caller, "htab_map_alloc+0xf6/0x5a0");
	assert_string_equal(d.func, "htab_map_alloc");
	assert_null(a->module.s);
	assert_false(a->caller_raw);
	assert_true(a->has_pages);
	assert_int_equal(a->pages, 128);
	assert_false(a->has_phys);
	assert_int_equal(a->flags, (1u << ML_VMF_VMALLOC) | (1u << ML_VMF_VPAGES));
	assert_int_equal(a->nnodes, 2);
	assert_int_equal(a->node[0], 0);
	assert_int_equal(a->node_pages[0], 100);
	assert_int_equal(a->node[1], 1);
	assert_int_equal(a->node_pages[1], 28);
	assert_int_equal(a->node_pages_sum, 128);
	assert_int_equal(ml_vmallocinfo_addr_kind(&vi), ML_VMA_REAL);
}

static void
t_module_caller(void **state)
{
	struct ml_vmallocinfo vi;
	struct digest d;
	const struct ml_vm_area *a;

	(void)state;
	/* %pS of a module symbol carries " [module]": a token of its own */
	a = good_line(&vi, &d,
		      "0x0000000000000000-0x0000000000000000  266240 "
		      "nf_tables_newset+0x6a1/0xc50 [nf_tables] pages=64 vmalloc N0=64\n");
	assert_string_equal(d.caller, "nf_tables_newset+0x6a1/0xc50");
	assert_string_equal(d.func, "nf_tables_newset");
	assert_string_equal(d.module, "nf_tables");
	assert_int_equal(a->pages, 64);
	assert_int_equal(vi.t.module_callers, 1);
	assert_int_equal(ml_vmallocinfo_addr_kind(&vi), ML_VMA_ZERO);

	/* a clone suffix stays in the function name */
	good_line(&vi, &d, "0x1000-0x3000 8192 copy_process.part.0+0x5/0x900 pages=1 vmalloc\n");
	assert_string_equal(d.func, "copy_process.part.0");
}

static void
t_raw_caller(void **state)
{
	struct ml_vmallocinfo vi;
	struct digest d;
	const struct ml_vm_area *a;

	(void)state;
	a = good_line(&vi, &d,
		      "0xffffc90000481000-0xffffc90000486000   20480 0xffffffffa0164c1e pages=4 "
		      "vmalloc N0=4\n");
	assert_true(a->caller_raw);
	assert_string_equal(d.caller, "0xffffffffa0164c1e");
	assert_string_equal(d.func, "0xffffffffa0164c1e");
	assert_int_equal(vi.t.raw_callers, 1);
}

static void
t_phys_forms(void **state)
{
	struct ml_vmallocinfo vi;
	struct digest d;
	const struct ml_vm_area *a;

	(void)state;
	/* 3.10: " phys=%llx" */
	a = good_line(&vi, &d,
		      "0x1000-0x5000 16384 acpi_os_map_memory+0xf6/0x14e phys=fed00000 "
		      "ioremap\n");
	assert_true(a->has_phys);
	assert_false(a->phys_0x);
	assert_true(a->phys == 0xfed00000ull);
	assert_int_equal(a->flags, 1u << ML_VMF_IOREMAP);
	assert_int_equal(vi.t.phys_no_0x, 1);
	/* ~4.11+: " phys=%pa" */
	a = good_line(&vi, &d,
		      "0x1000-0x3000 8192 vp_modern_map_capability+0x12d/0x1c0 "
		      "phys=0x0000004000000000 ioremap\n");
	assert_true(a->phys_0x);
	assert_true(a->phys == 0x4000000000ull);
	assert_int_equal(vi.t.phys_no_0x, 0);
}

static void
t_every_flag(void **state)
{
	struct ml_vmallocinfo vi;
	struct digest d;
	const struct ml_vm_area *a;
	int f;

	(void)state;
	a = good_line(&vi, &d,
		      "0x0-0x0 8192 x+0x1/0x2 ioremap sparse vmalloc vmap user "
		      "dma-coherent vpages\n");
	assert_int_equal(a->flags, (1u << ML_VMF__COUNT) - 1);
	for (f = 0; f < ML_VMF__COUNT; f++)
		assert_int_equal(vi.t.flag_areas[f], 1);
	assert_string_equal(ml_vm_flag_name(ML_VMF_DMA_COHERENT), "dma-coherent");
	/* no caller at all: the first word is a flag */
	a = good_line(&vi, &d, "0x0-0x0 2097152 vmalloc\n");
	assert_null(a->caller.s);
	assert_int_equal(a->flags, 1u << ML_VMF_VMALLOC);
	assert_int_equal(vi.t.with_caller, 0);
	/* nothing after the size */
	a = good_line(&vi, &d, "0x0-0x0    4096\n");
	assert_null(a->caller.s);
	assert_int_equal(a->flags, 0);
	assert_false(a->has_pages);
	/* pages= right after the size: no caller */
	a = good_line(&vi, &d, "0x0-0x0 8192 pages=1 vmalloc N0=1\n");
	assert_null(a->caller.s);
	assert_int_equal(a->pages, 1);
}

static void
t_unknown_words(void **state)
{
	struct ml_vmallocinfo vi;
	struct digest d;
	const struct ml_vm_area *a;

	(void)state;
	a = good_line(&vi, &d, "0x0-0x0 8192 foo+0x1/0x2 pages=1 vmalloc hugemap N0=1 tagged\n");
	assert_int_equal(a->nunknown, 2);
	assert_string_equal(d.unknown[0], "hugemap");
	assert_string_equal(d.unknown[1], "tagged");
	assert_int_equal(a->flags, 1u << ML_VMF_VMALLOC);
	assert_int_equal(a->nnodes, 1);
	assert_int_equal(vi.t.unknown_words, 2);
	/* more than ML_VM_UNKNOWN_MAX: kept as a count */
	a = good_line(&vi, &d, "0x0-0x0 8192 foo+0x1/0x2 a b c d e f g h i j\n");
	assert_int_equal(a->nunknown, ML_VM_UNKNOWN_MAX);
	assert_int_equal(a->unknown_more, 2);
	assert_int_equal(vi.t.unknown_words, 10);
}

static void
t_tails(void **state)
{
	struct ml_vmallocinfo vi;
	struct digest d;
	const struct ml_vm_area *a;
	const struct ml_parse_stats *st;

	(void)state;
	a = good_line(&vi, &d, "0xffffc90000d81000-0xffffc90000d85000   16384 unpurged vm_area\n");
	assert_int_equal(a->kind, ML_VMK_UNPURGED);
	assert_null(a->caller.s);
	assert_int_equal(vi.t.lines[ML_VMK_UNPURGED], 1);
	assert_int_equal(vi.t.va_size[ML_VMK_UNPURGED], 16384);
	a = good_line(&vi, &d, "0x0000000013ef0d0a-0x000000002da77064   65536 vm_map_ram\n");
	assert_int_equal(a->kind, ML_VMK_VM_MAP_RAM);
	assert_int_equal(vi.t.lines[ML_VMK_VM_MAP_RAM], 1);
	/* not the tail: "unpurged" then something else is a caller named so */
	a = good_line(&vi, &d, "0x0-0x0 8192 unpurged pages=1 vmalloc\n");
	assert_int_equal(a->kind, ML_VMK_AREA);
	assert_string_equal(d.caller, "unpurged");
	/* trailing blanks do not matter */
	a = good_line(&vi, &d, "0x0-0x0 8192 unpurged vm_area  \n");
	assert_int_equal(a->kind, ML_VMK_UNPURGED);

	/* several lines in any order: totals per kind */
	st = parse_one(&vi, &d,
		       "0x3000-0x4000 4096 unpurged vm_area\n"
		       "0x1000-0x3000 8192 f+0x1/0x2 pages=1 vmalloc N0=1\n"
		       "0x5000-0x6000 4096 vm_map_ram\n"
		       "0x0800-0x1000 2048 unpurged vm_area\n");
	assert_int_equal(st->bad_lines, 0);
	assert_int_equal(vi.t.lines[ML_VMK_UNPURGED], 2);
	assert_int_equal(vi.t.va_size[ML_VMK_UNPURGED], 6144);
	assert_int_equal(vi.t.lines[ML_VMK_AREA], 1);
	assert_int_equal(vi.t.pages, 1);
	assert_int_equal(vi.t.descents, 2);
	assert_int_equal(ml_vmallocinfo_addr_kind(&vi), ML_VMA_REAL);
}

static void
t_hashed_end_below_start(void **state)
{
	struct ml_vmallocinfo vi;
	struct digest d;
	const struct ml_vm_area *a;

	(void)state;
	/* hashed: end < start, and end - start is nothing like the size */
	a = good_line(&vi, &d,
		      "0x00000000c900f804-0x0000000090617700   20480 "
		      "irq_init_percpu_irqstack+0xca/0x100 vmap\n");
	assert_int_equal(a->size, 20480);
	assert_int_equal(ml_vmallocinfo_addr_kind(&vi), ML_VMA_HASHED);
}

/* The fast range scanner and the general one agree, digit by digit, in both cases. */
static void
t_address_digits(void **state)
{
	static const char digits[] = "0123456789abcdefABCDEF";
	static const char bad[] = "gGxX-:@`/{~\x7f\xb0"; /* a blank would only split the token */
	struct ml_vmallocinfo vi;
	struct digest d;
	char line[128], sx[17], ex[17];
	const struct ml_vm_area *a;
	unsigned long long want_s, want_e;
	int i, j, pos;

	(void)state;
	srand(42);
	for (i = 0; i < 2000; i++) {
		for (j = 0; j < 16; j++) {
			sx[j] = digits[rand() % (int)(sizeof digits - 1)];
			ex[j] = digits[rand() % (int)(sizeof digits - 1)];
		}
		sx[16] = ex[16] = '\0';
		want_s = strtoull(sx, NULL, 16);
		want_e = strtoull(ex, NULL, 16);
		snprintf(line, sizeof line, "0x%s-0x%s   20480 f+0x1/0x2 pages=4 vmalloc\n", sx,
			 ex);
		a = good_line(&vi, &d, line);
		if (a->start != want_s || a->end != want_e)
			fail_msg("%s: got %llx-%llx", line, (unsigned long long)a->start,
				 (unsigned long long)a->end);
	}
	/* one bad byte anywhere in either address: the line is bad */
	for (pos = 0; pos < 32; pos++) {
		for (j = 0; bad[j] != '\0'; j++) {
			memset(sx, 'a', 16);
			memset(ex, 'b', 16);
			sx[16] = ex[16] = '\0';
			if (pos < 16)
				sx[pos] = bad[j];
			else
				ex[pos - 16] = bad[j];
			snprintf(line, sizeof line, "0x%s-0x%s   20480 f+0x1/0x2\n", sx, ex);
			bad_line(line, "address");
		}
	}
	/* short, long and unprefixed forms take the general path */
	a = good_line(&vi, &d, "0x1000-0x3000 8192 f+0x1/0x2\n");
	assert_true(a->start == 0x1000 && a->end == 0x3000);
	a = good_line(&vi, &d, "c0001000-c0003000 8192 f+0x1/0x2\n");
	assert_true(a->start == 0xc0001000ull && a->end == 0xc0003000ull);
	a = good_line(&vi, &d, "0x00000000000000001000-0x3000 8192 f+0x1/0x2\n");
	assert_true(a->start == 0x1000);
	bad_line("0xffffc90000000000-0xffffc90000005000x 8192 f\n", "address");
	bad_line("0x1ffffc90000000000-0x0 8192 f\n", "64 bits");
}

static void
t_garbage(void **state)
{
	(void)state;
	bad_line("\n", "empty");
	bad_line("   \n", "empty");
	bad_line("hello world\n", "address range");
	bad_line("0x1000\n", "address range");
	bad_line("0x1000-\n", "address range");
	bad_line("0x1000-0x2000x 4096\n", "address range");
	bad_line("0x1000-0x2000\n", "no size");
	bad_line("0x1000-0x2000 4k\n", "bad size");
	bad_line("0x1000-0x2000 abc\n", "bad size");
	bad_line("0x1000-0x2000 4096 foo+0x1/0x2 pages=\n", "pages=");
	bad_line("0x1000-0x2000 4096 foo+0x1/0x2 pages=12x\n", "pages=");
	bad_line("0x1000-0x2000 4096 foo+0x1/0x2 phys=0xzz ioremap\n", "phys=");
	bad_line("0x1000-0x2000 4096 foo+0x1/0x2 phys= ioremap\n", "phys=");
	bad_line("0x1000-0x2000 4096 foo+0x1/0x2 [] vmalloc\n", "module");
	bad_line("0x1000-0x2000 4096 foo+0x1/0x2 pages=1 vmalloc N5000=1\n", "node");
	bad_line("0x1000-0x2000 4096 foo+0x1/0x2 pages=1 vmalloc N0=x\n", "N<node>=");
}

static void
t_overflow(void **state)
{
	static struct ml_vmallocinfo vi;
	struct digest d;
	const struct ml_parse_stats *st;

	(void)state;
	bad_line("0x1000-0x2000 184467440737095516160 foo\n", "64 bits");
	bad_line("0x10000000000000000-0x2000 4096 foo\n", "64 bits");
	bad_line("0x0-0x0 4096 foo+0x1/0x2 pages=18446744073709551616 vmalloc\n", "64 bits");
	bad_line("0x0-0x0 4096 foo+0x1/0x2 phys=0x10000000000000000\n", "64 bits");
	bad_line("0x0-0x0 4096 f+0x1/0x2 pages=1 N0=18446744073709551615 N1=1\n", "2^64");
	/* sums: the second line would overflow them, so it is bad, not wrapped */
	st = parse_one(&vi, &d,
		       "0x0-0x0 18446744073709551615 f+0x1/0x2 pages=18446744073709551615 vmalloc\n"
		       "0x0-0x0 1 f+0x1/0x2 pages=1 vmalloc\n"
		       "0x0-0x0 1 unpurged vm_area\n");
	assert_int_equal(st->bad_lines, 1);
	assert_int_equal(st->first_bad_lineno, 2);
	assert_true(vi.t.va_size[ML_VMK_AREA] == UINT64_MAX);
	assert_true(vi.t.pages == UINT64_MAX);
	assert_int_equal(vi.t.lines[ML_VMK_UNPURGED], 1);
	assert_int_equal(d.areas, 2);
	/* the same for the tails' own sums */
	st = parse_one(&vi, &d,
		       "0x0-0x0 18446744073709551615 unpurged vm_area\n"
		       "0x0-0x0 1 unpurged vm_area\n"
		       "0x0-0x0 18446744073709551615 vm_map_ram\n");
	assert_int_equal(st->bad_lines, 1);
	assert_int_equal(st->first_bad_lineno, 2);
	assert_true(vi.t.va_size[ML_VMK_UNPURGED] == UINT64_MAX);
	assert_int_equal(vi.t.lines[ML_VMK_UNPURGED], 1);
	assert_int_equal(vi.t.lines[ML_VMK_VM_MAP_RAM], 1);
}

static void
t_nodes(void **state)
{
	struct ml_vmallocinfo vi;
	struct digest d;
	const struct ml_vm_area *a;
	char *line, *p;
	int i;

	(void)state;
	/* the largest NODES_SHIFT: up to 1024 nodes on one line */
	line = malloc(20000);
	assert_non_null(line);
	p = line +
	    sprintf(line, "0x0-0x0 4198400 alloc_large_system_hash+0x1/0x2 pages=1024 vmalloc");
	for (i = 0; i < 1024; i++)
		p += sprintf(p, " N%d=1", i);
	sprintf(p, "\n");
	a = good_line(&vi, &d, line);
	assert_int_equal(a->nnodes, 1024);
	assert_int_equal(a->node[1023], 1023);
	assert_int_equal(a->node_pages_sum, 1024);
	free(line);
}

/*
 * Without the final newline: the purge list's "... unpurged vm_area" ends as
 * the kernel ends it, and is parsed, in every chunking; cut inside it, or an
 * area's line ending in flags (more may have followed), is refused.
 */
static void
t_no_final_newline(void **state)
{
	struct ml_vmallocinfo vi;
	struct ml_feed f;
	struct digest whole, part;
	size_t len, i, cut;
	char *buf = unit_load_fixture("linux-6.18/vmallocinfo", &len);
	const char *last = strstr(buf + len - 40, "unpurged");

	(void)state;
	assert_non_null(last);
	memset(&whole, 0, sizeof whole);
	ml_vmallocinfo_init(&vi, &digest_sink, &whole);
	unit_parse(&f, &ml_src_vmallocinfo, &vi, buf, len, 0);
	for (i = 0; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		memset(&part, 0, sizeof part);
		ml_vmallocinfo_init(&vi, &digest_sink, &part);
		unit_parse(&f, &ml_src_vmallocinfo, &vi, buf, len - 1, unit_chunk_sizes[i]);
		assert_int_equal(f.stats.bad_lines, 0);
		assert_int_equal(part.areas, whole.areas);
		assert_true(part.h == whole.h);
	}
	for (cut = (size_t)(last - buf) + 1; cut < len - 1; cut++) {
		memset(&part, 0, sizeof part);
		ml_vmallocinfo_init(&vi, &digest_sink, &part);
		unit_parse(&f, &ml_src_vmallocinfo, &vi, buf, cut, 0);
		assert_int_equal(f.stats.bad_lines, 1);
		assert_string_equal(f.stats.first_bad_why, "no newline at end of file (truncated)");
		assert_int_equal(part.areas, whole.areas - 1);
	}
	memset(&part, 0, sizeof part);
	assert_int_equal(
		parse_one(&vi, &part,
			  "0xffffc90000000000-0xffffc90000005000   20480 kernel_clone+0x1/0x2 "
			  "pages=4 vmalloc")
			->bad_lines,
		1);
	assert_int_equal(part.areas, 0);
	free(buf);
}

static void
t_truncated(void **state)
{
	struct ml_vmallocinfo vi;
	struct ml_feed f;
	struct digest d;
	size_t len, cut_at, i;
	char *buf = unit_load_fixture("linux-6.18/vmallocinfo", &len);

	(void)state;
	/* cut in the middle of a line: every whole line parses, the rest is one bad line */
	cut_at = len / 2;
	while (buf[cut_at - 1] == '\n')
		cut_at--;
	for (i = 0; i < 4; i++) {
		memset(&d, 0, sizeof d);
		ml_vmallocinfo_init(&vi, &digest_sink, &d);
		unit_parse(&f, &ml_src_vmallocinfo, &vi, buf, cut_at, unit_chunk_sizes[i]);
		assert_int_equal(f.stats.bad_lines, 1);
		assert_non_null(strstr(f.stats.first_bad_why, "truncated"));
		assert_int_equal(d.areas, f.stats.lines - 1);
	}
	free(buf);
}

static void
t_sink_failure(void **state)
{
	struct ml_vmallocinfo vi;
	struct ml_feed f;
	struct digest d;
	char *cause = NULL;
	const char *s = "0x0-0x0 8192 a+0x1/0x2 pages=1 vmalloc\n"
			"0x0-0x0 8192 b+0x1/0x2 pages=1 vmalloc\n"
			"0x0-0x0 8192 c+0x1/0x2 pages=1 vmalloc\n";

	(void)state;
	memset(&d, 0, sizeof d);
	d.fail_at = 2;
	ml_vmallocinfo_init(&vi, &digest_sink, &d);
	assert_int_equal(ml_parse_buffer(&f, &ml_src_vmallocinfo, &vi, s, strlen(s), 7, &cause),
			 -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "vmallocinfo"));
	assert_int_equal(d.areas, 2);
	free(cause);
}

/* 100k lines through 4 KiB chunks: the parser keeps no line, only totals. */
static void
t_100k_lines(void **state)
{
	static const char *const pattern[] = {
		"0x%016llx-0x%016llx   20480 kernel_clone+0x94/0x3e0 pages=4 vmalloc N0=4\n",
		"0x%016llx-0x%016llx   16384 unpurged vm_area\n",
		"0x%016llx-0x%016llx    8192 vp_modern_map_capability+0x12d/0x1c0 "
		"phys=0x0000004000000000 ioremap\n",
		"0x%016llx-0x%016llx   12288 nft_hash_init+0x1d/0x30 [nf_tables] pages=2 vmalloc "
		"N1=2\n",
	};
	struct ml_vmallocinfo vi;
	struct ml_feed f;
	size_t len = 0, cap = 100000 * 120;
	char *buf = malloc(cap);
	unsigned long long addr = 0xffffc90000000000ull;
	int i;

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < 100000; i++) {
		len += (size_t)snprintf(buf + len, cap - len, pattern[i % 4], addr, addr + 4096);
		addr += 8192;
	}
	ml_vmallocinfo_init(&vi, NULL, NULL);
	unit_parse(&f, &ml_src_vmallocinfo, &vi, buf, len, 4096);
	assert_int_equal(f.stats.lines, 100000);
	assert_int_equal(f.stats.bad_lines, 0);
	assert_int_equal(vi.t.lines[ML_VMK_AREA], 75000);
	assert_int_equal(vi.t.lines[ML_VMK_UNPURGED], 25000);
	assert_int_equal(vi.t.pages, 25000 * 4 + 25000 * 2);
	assert_int_equal(vi.t.module_callers, 25000);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_linux_618_hashed),
		cmocka_unit_test(t_realaddr),
		cmocka_unit_test(t_format_310),
		cmocka_unit_test(t_format_419),
		cmocka_unit_test(t_format_612_zero),
		cmocka_unit_test(t_current_line),
		cmocka_unit_test(t_module_caller),
		cmocka_unit_test(t_raw_caller),
		cmocka_unit_test(t_phys_forms),
		cmocka_unit_test(t_every_flag),
		cmocka_unit_test(t_unknown_words),
		cmocka_unit_test(t_tails),
		cmocka_unit_test(t_hashed_end_below_start),
		cmocka_unit_test(t_address_digits),
		cmocka_unit_test(t_garbage),
		cmocka_unit_test(t_overflow),
		cmocka_unit_test(t_nodes),
		cmocka_unit_test(t_truncated),
		cmocka_unit_test(t_no_final_newline),
		cmocka_unit_test(t_sink_failure),
		cmocka_unit_test(t_100k_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

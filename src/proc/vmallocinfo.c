/*
 * /proc/vmallocinfo, every format from 3.10 to 6.18 (doc/procfs.md section 3).
 * Sizes are bytes (the size column) and pages (pages=, N<node>=). The line
 * is split on blanks, never on columns; see vmallocinfo.h for the contract.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "proc/scan.h"
#include "proc/vmallocinfo.h"
#include "util.h"

static void init_tables(void);

static const char *const flag_names[ML_VMF__COUNT] = {
	[ML_VMF_IOREMAP] = "ioremap", [ML_VMF_SPARSE] = "sparse",
	[ML_VMF_VMALLOC] = "vmalloc", [ML_VMF_VMAP] = "vmap",
	[ML_VMF_USER] = "user",       [ML_VMF_DMA_COHERENT] = "dma-coherent",
	[ML_VMF_VPAGES] = "vpages",
};
_Static_assert(sizeof flag_names / sizeof flag_names[0] == ML_VMF__COUNT, "flag_names out of sync");

const char *
ml_vm_flag_name(enum ml_vm_flag f)
{
	return f < ML_VMF__COUNT ? flag_names[f] : "?";
}

void
ml_vmallocinfo_init(struct ml_vmallocinfo *vi, const struct ml_vm_sink *sink, void *arg)
{
	memset(vi, 0, sizeof *vi);
	vi->sink = sink;
	vi->sink_arg = arg;
}

enum ml_vm_addr_kind
ml_vmallocinfo_addr_kind(const struct ml_vmallocinfo *vi)
{
	const struct ml_vm_totals *t = &vi->t;

	if (t->lines[ML_VMK_AREA] + t->lines[ML_VMK_VM_MAP_RAM] + t->lines[ML_VMK_UNPURGED] == 0)
		return ML_VMA_NONE;
	if (!t->addr_nonzero)
		return ML_VMA_ZERO;
	return t->addr_mismatch ? ML_VMA_HASHED : ML_VMA_REAL;
}

static int
vmallocinfo_begin(void *out)
{
	struct ml_vmallocinfo *vi = out;

	init_tables();
	memset(&vi->t, 0, sizeof vi->t);
	vi->lineno = 0;
	vi->prev_start = 0;
	if (vi->sink != NULL && vi->sink->begin != NULL)
		return vi->sink->begin(vi->sink_arg);
	return 0;
}

/*
 * Local scanners, tuned for this file's volume (a 4000-line read costs
 * about as much to parse as the kernel takes to print it): a byte-class
 * table instead of per-character comparisons, and no strlen. Blanks are
 * those of scan.h: space, tab, carriage return.
 */
enum { C_BLANK = 1, C_DIGIT = 2, C_HEX = 4 };
static unsigned char cls[256];
static unsigned char hexval[256];

static void
init_tables(void)
{
	int c;

	if (cls[' '] != 0)
		return;
	cls[' '] = cls['\t'] = cls['\r'] = C_BLANK;
	for (c = 0; c < 256; c++)
		hexval[c] = 0xff;
	for (c = '0'; c <= '9'; c++) {
		cls[c] = C_DIGIT | C_HEX;
		hexval[c] = (unsigned char)(c - '0');
	}
	for (c = 'a'; c <= 'f'; c++) {
		cls[c] = C_HEX;
		hexval[c] = (unsigned char)(c - 'a' + 10);
		cls[c - 'a' + 'A'] = C_HEX;
		hexval[c - 'a' + 'A'] = (unsigned char)(c - 'a' + 10);
	}
}

static inline const char *
skip_blanks(const char *p, const char *end)
{
	while (p < end && (cls[(unsigned char)*p] & C_BLANK))
		p++;
	return p;
}

static inline const char *
token_end(const char *p, const char *end)
{
	while (p < end && !(cls[(unsigned char)*p] & C_BLANK))
		p++;
	return p;
}

/* [p, end) equals the string literal w. */
#define WORD_IS(p, n, w) ((n) == sizeof(w) - 1 && memcmp((p), (w), sizeof(w) - 1) == 0)

/* Hex digits (an optional 0x first) up to a non-hex byte; ML_SCAN_* like scan.h. */
static inline int
scan_hex(const char **pp, const char *end, uint64_t *out)
{
	const char *p = *pp, *digits;
	uint64_t v = 0;
	unsigned char d;

	if (end - p >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	for (digits = p; p < end && (d = hexval[(unsigned char)*p]) != 0xff; p++) {
		if (v >> 60)
			return ML_SCAN_OVERFLOW;
		v = v << 4 | d;
	}
	if (p == digits)
		return ML_SCAN_NONE;
	*out = v;
	*pp = p;
	return ML_SCAN_OK;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/*
 * Eight hex digits at p (either case) into *out, all at once (SWAR): per
 * byte, bit 6 tells a letter from a digit; the high nibble must then be 3
 * (digit) or 6 (letter, case folded), the low one 0-9 or 1-6. false when any
 * byte is not a hex digit.
 */
static inline bool
hex8(const unsigned char *p, uint32_t *out)
{
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t x, letter, lower, lo, nz, v;

	memcpy(&x, p, 8);
	letter = (x >> 6) & ones;
	lower = x | (letter * 0x20);
	lo = lower & (ones * 0x0f);
	if ((lower & (ones * 0xf0)) != ones * 0x30 + letter * 0x30 ||
	    ((lo + ones * 6 + letter * 3) & (ones * 0x10)) != 0)
		return false;
	nz = ((lo + ones * 0x0f) >> 4) & ones;
	if (letter & ~nz)
		return false;
	v = __builtin_bswap64(lo + letter * 9); /* the first digit in the top byte */
	v = (v | v >> 4) & 0x00ff00ff00ff00ffull;
	v = (v | v >> 8) & 0x0000ffff0000ffffull;
	*out = (uint32_t)(v | v >> 16);
	return true;
}
#else
static inline bool
hex8(const unsigned char *p, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 8; i++) {
		if (hexval[p[i]] == 0xff)
			return false;
		v = v << 4 | hexval[p[i]];
	}
	*out = v;
	return true;
}
#endif

/*
 * The common address range, "0x" + 16 digits + "-0x" + 16 digits (%pK and
 * %px on 64-bit), without a loop per digit; false for anything else, which
 * the general scanner then takes.
 */
static inline bool
scan_range(const char **pp, const char *end, struct ml_vm_area *a)
{
	const unsigned char *p = (const unsigned char *)*pp;
	uint32_t s1, s0, e1, e0;

	if (end - *pp < 37 || p[0] != '0' || p[1] != 'x' || p[18] != '-' || p[19] != '0' ||
	    p[20] != 'x' || (end - *pp > 37 && !(cls[p[37]] & C_BLANK)))
		return false;
	if (!hex8(p + 2, &s1) || !hex8(p + 10, &s0) || !hex8(p + 21, &e1) || !hex8(p + 29, &e0))
		return false;
	a->start = (uint64_t)s1 << 32 | s0;
	a->end = (uint64_t)e1 << 32 | e0;
	*pp += 37;
	return true;
}

/* The 16 bytes at p are "unpurged vm_area": two word compares, no call. */
static inline bool
is_unpurged_tail(const char *p)
{
	static const char tail[16] = "unpurged vm_area";
	uint64_t a, b, x, y;

	memcpy(&a, p, 8);
	memcpy(&b, p + 8, 8);
	memcpy(&x, tail, 8);
	memcpy(&y, tail + 8, 8);
	return ((a ^ x) | (b ^ y)) == 0;
}

/* Decimal digits; at most 19 cannot overflow, longer numbers go to the checked scanner. */
static inline int
scan_dec(const char **pp, const char *end, uint64_t *out)
{
	const char *p = *pp;
	uint64_t v = 0;

	while (p < end && (cls[(unsigned char)*p] & C_DIGIT))
		v = v * 10 + (uint64_t)(*p++ - '0');
	if (p == *pp)
		return ML_SCAN_NONE;
	if (p - *pp > 19)
		return ml_scan_u64(pp, end, out);
	*out = v;
	*pp = p;
	return ML_SCAN_OK;
}

/* The flag word w (n bytes), or -1. */
static int
flag_lookup(const char *w, size_t n)
{
	switch (n) {
	case 4:
		return WORD_IS(w, n, "vmap")   ? ML_VMF_VMAP
		       : WORD_IS(w, n, "user") ? ML_VMF_USER
					       : -1;
	case 6:
		return WORD_IS(w, n, "sparse")   ? ML_VMF_SPARSE
		       : WORD_IS(w, n, "vpages") ? ML_VMF_VPAGES
						 : -1;
	case 7:
		return WORD_IS(w, n, "vmalloc")   ? ML_VMF_VMALLOC
		       : WORD_IS(w, n, "ioremap") ? ML_VMF_IOREMAP
						  : -1;
	case 12:
		return WORD_IS(w, n, "dma-coherent") ? ML_VMF_DMA_COHERENT : -1;
	default:
		return -1;
	}
}

/* "N<digits>=<digits>": a per-node page count. */
static bool
is_node_count(const char *w, const char *end)
{
	const char *p = w + 1;

	if (end - w < 4 || w[0] != 'N' || !(cls[(unsigned char)*p] & C_DIGIT))
		return false;
	while (p < end && (cls[(unsigned char)*p] & C_DIGIT))
		p++;
	return p < end - 1 && *p == '=';
}

/* True when the token [w, end) is one of the words that follow the caller. */
static bool
is_attribute(const char *w, const char *end)
{
	size_t n = (size_t)(end - w);

	switch (w[0]) {
	case 'p':
		return (n >= 6 && memcmp(w, "pages=", 6) == 0) ||
		       (n >= 5 && memcmp(w, "phys=", 5) == 0) || flag_lookup(w, n) >= 0;
	case 'N':
		return is_node_count(w, end);
	default:
		return flag_lookup(w, n) >= 0;
	}
}

/* A whole token as a 0x-prefixed (or bare) hex number. */
static int
scan_hex_token(const char *p, const char *end, uint64_t *v, const char **why, const char *what)
{
	int rc = scan_hex(&p, end, v);

	if (rc == ML_SCAN_OK && p == end)
		return 0;
	*why = rc == ML_SCAN_OVERFLOW ? "hex value does not fit in 64 bits" : what;
	return -1;
}

/* A whole token as an unsigned decimal. */
static int
scan_dec_token(const char *p, const char *end, uint64_t *v, const char **why, const char *what)
{
	int rc = scan_dec(&p, end, v);

	if (rc == ML_SCAN_OK && p == end)
		return 0;
	*why = rc == ML_SCAN_OVERFLOW ? "number does not fit in 64 bits" : what;
	return -1;
}

static void
set_str(struct ml_vm_str *str, const char *s, const char *end)
{
	size_t n = (size_t)(end - s);

	str->s = s;
	str->n = n > UINT16_MAX ? UINT16_MAX : (uint16_t)n;
}

/* The caller token: "sym+0xoff/0xsize", or a raw address when unresolved. */
static void
set_caller(struct ml_vm_area *a, const char *tok, const char *te)
{
	const char *plus = memchr(tok, '+', (size_t)(te - tok));
	const char *p = tok;
	uint64_t ignored;

	set_str(&a->caller, tok, te);
	a->caller_raw = te - tok > 2 && tok[0] == '0' && tok[1] == 'x' &&
			scan_hex(&p, te, &ignored) == ML_SCAN_OK && p == te;
	set_str(&a->func, tok, a->caller_raw || plus == NULL || plus == tok ? te : plus);
}

/* One attribute word after the caller; 0, or -1 with *why. */
static int
parse_attribute(struct ml_vm_area *a, const char *w, const char *end, const char **why)
{
	size_t n = (size_t)(end - w);
	uint64_t node, count;
	const char *eq;
	int f;

	if (n >= 6 && memcmp(w, "pages=", 6) == 0) {
		if (scan_dec_token(w + 6, end, &a->pages, why, "bad pages= value") != 0)
			return -1;
		a->has_pages = true;
		return 0;
	}
	if (n >= 5 && memcmp(w, "phys=", 5) == 0) {
		if (scan_hex_token(w + 5, end, &a->phys, why, "bad phys= value") != 0)
			return -1;
		a->has_phys = true;
		a->phys_0x = n > 7 && w[5] == '0' && (w[6] == 'x' || w[6] == 'X');
		return 0;
	}
	if ((f = flag_lookup(w, n)) >= 0) {
		a->flags |= 1u << f;
		return 0;
	}
	if (is_node_count(w, end)) {
		eq = memchr(w, '=', n);
		if (scan_dec_token(w + 1, eq, &node, why, "bad node number") != 0 ||
		    scan_dec_token(eq + 1, end, &count, why, "bad N<node>= count") != 0)
			return -1;
		if (node >= ML_VM_NODE_LIMIT) {
			*why = "node number too large";
			return -1;
		}
		if (a->nnodes >= ML_VM_NODES_MAX) {
			*why = "too many N<node>= counts";
			return -1;
		}
		if (!ml_add_u64(a->node_pages_sum, count, &a->node_pages_sum)) {
			*why = "N<node>= counts add up to more than 2^64";
			return -1;
		}
		a->node[a->nnodes] = (uint16_t)node;
		a->node_pages[a->nnodes] = count;
		a->nnodes++;
		return 0;
	}
	if (a->nunknown < ML_VM_UNKNOWN_MAX)
		set_str(&a->unknown[a->nunknown++], w, end);
	else
		a->unknown_more++;
	return 0;
}

/* Decode one line into a; ML_LINE_OK or ML_LINE_BAD with *why. */
static int
decode_line(struct ml_vm_area *a, const char *s, size_t n, const char **why)
{
	const char *end = s + n, *p, *tok, *te;
	int rc;

	a->kind = ML_VMK_AREA;
	/* caller .. node_pages_sum: one block of stores (the struct's layout says so) */
	memset(&a->caller, 0,
	       offsetof(struct ml_vm_area, unknown) - offsetof(struct ml_vm_area, caller));

	/* 0x<start>-0x<end> */
	tok = skip_blanks(s, end);
	if (tok == end) {
		*why = "empty line";
		return ML_LINE_BAD;
	}
	p = tok;
	if (!scan_range(&p, end, a)) {
		rc = ML_SCAN_NONE;
		if ((rc = scan_hex(&p, end, &a->start)) != ML_SCAN_OK || p >= end || *p != '-' ||
		    (p++, (rc = scan_hex(&p, end, &a->end)) != ML_SCAN_OK) ||
		    (p < end && !(cls[(unsigned char)*p] & C_BLANK))) {
			*why = rc == ML_SCAN_OVERFLOW ? "address does not fit in 64 bits"
						      : "no 0x<start>-0x<end> address range";
			return ML_LINE_BAD;
		}
	}

	/* the size column */
	tok = skip_blanks(p, end);
	if (tok == end) {
		*why = "no size after the address range";
		return ML_LINE_BAD;
	}
	p = tok;
	if ((rc = scan_dec(&p, end, &a->size)) != ML_SCAN_OK ||
	    (p < end && !(cls[(unsigned char)*p] & C_BLANK))) {
		*why = rc == ML_SCAN_OVERFLOW ? "number does not fit in 64 bits" : "bad size";
		return ML_LINE_BAD;
	}

	tok = skip_blanks(p, end);
	if (tok == end)
		return ML_LINE_OK; /* an area with no caller, pages or flags */
	/* most lines of a busy machine: the exact tail, compared at once */
	if (end - tok == 16 && is_unpurged_tail(tok)) {
		a->kind = ML_VMK_UNPURGED;
		return ML_LINE_OK;
	}
	te = token_end(tok, end);

	/* the two-word tails of areas without a vm_struct (4.13+) */
	if (WORD_IS(tok, (size_t)(te - tok), "vm_map_ram") && skip_blanks(te, end) == end) {
		a->kind = ML_VMK_VM_MAP_RAM;
		return ML_LINE_OK;
	}
	if (WORD_IS(tok, (size_t)(te - tok), "unpurged")) {
		const char *t2 = skip_blanks(te, end), *t2e = token_end(t2, end);

		if (WORD_IS(t2, (size_t)(t2e - t2), "vm_area") && skip_blanks(t2e, end) == end) {
			a->kind = ML_VMK_UNPURGED;
			return ML_LINE_OK;
		}
	}

	/* the caller (%pS), and " [module]" when it lives in a module */
	if (!is_attribute(tok, te)) {
		set_caller(a, tok, te);
		tok = skip_blanks(te, end);
		te = token_end(tok, end);
		if (te - tok >= 2 && tok[0] == '[' && te[-1] == ']') {
			if (te - tok == 2) {
				*why = "empty [module] after the caller";
				return ML_LINE_BAD;
			}
			set_str(&a->module, tok + 1, te - 1);
			tok = skip_blanks(te, end);
			te = token_end(tok, end);
		}
	}

	for (; tok < end; tok = skip_blanks(te, end), te = token_end(tok, end)) {
		if (parse_attribute(a, tok, te, why) != 0)
			return ML_LINE_BAD;
	}
	return ML_LINE_OK;
}

static int
vmallocinfo_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_vmallocinfo *vi = out;
	struct ml_vm_totals *t = &vi->t;
	struct ml_vm_area *a = &vi->cur;
	uint64_t va, pages = t->pages, vpages = t->vmalloc_pages;
	unsigned int flags;
	int rc;

	vi->lineno++;
	rc = decode_line(a, s, n, why);
	if (rc != ML_LINE_OK)
		return rc;
	a->ordinal = vi->lineno;
	if (a->kind != ML_VMK_AREA) {
		/* the tails: an address range and a size, nothing else */
		if (!ml_add_u64(t->va_size[a->kind], a->size, &va)) {
			*why = "sizes add up to more than 2^64";
			return ML_LINE_BAD;
		}
		t->va_size[a->kind] = va;
		t->lines[a->kind]++;
		goto addresses;
	}

	/* Sums first: a line whose numbers would overflow them is bad, not wrapped. */
	if (!ml_add_u64(t->va_size[a->kind], a->size, &va) ||
	    (a->has_pages && !ml_add_u64(pages, a->pages, &pages)) ||
	    (a->has_pages && (a->flags & (1u << ML_VMF_VMALLOC)) &&
	     !ml_add_u64(vpages, a->pages, &vpages))) {
		*why = "sizes add up to more than 2^64";
		return ML_LINE_BAD;
	}
	t->va_size[a->kind] = va;
	t->pages = pages;
	t->vmalloc_pages = vpages;
	t->lines[a->kind]++;
	for (flags = a->flags; flags != 0; flags &= flags - 1)
		t->flag_areas[__builtin_ctz(flags)]++;
	if (a->caller.s != NULL) {
		t->with_caller++;
		if (a->module.s != NULL)
			t->module_callers++;
		if (a->caller_raw)
			t->raw_callers++;
	}
	t->unknown_words += a->nunknown + a->unknown_more;
	if (a->has_phys && !a->phys_0x)
		t->phys_no_0x++;
addresses:
	if (a->start < vi->prev_start)
		t->descents++;
	vi->prev_start = a->start;
	if (a->start != 0 || a->end != 0) {
		t->addr_nonzero = true;
		if (a->end - a->start != a->size)
			t->addr_mismatch = true;
	}

	if (vi->sink != NULL && vi->sink->area != NULL && vi->sink->area(vi->sink_arg, a) != 0) {
		if (errno == 0)
			errno = ENOMEM;
		return ML_LINE_FATAL;
	}
	return ML_LINE_OK;
}

static int
vmallocinfo_finish(void *out, char **cause)
{
	struct ml_vmallocinfo *vi = out;
	const struct ml_vm_totals *t = &vi->t;

	/*
	 * An empty file lists no area (allowed: nothing to show); lines of
	 * which none is an area are no vmallocinfo.
	 */
	if (vi->lineno > 0 &&
	    t->lines[ML_VMK_AREA] + t->lines[ML_VMK_VM_MAP_RAM] + t->lines[ML_VMK_UNPURGED] == 0) {
		ml_set_cause(cause, "no line could be read as a vmalloc area");
		errno = ENODATA;
		return -1;
	}
	if (vi->sink != NULL && vi->sink->finish != NULL)
		return vi->sink->finish(vi->sink_arg, cause);
	return 0;
}

/*
 * A last line without its newline is complete when it ends as the kernel
 * ends the lines of its purge list and vm_map_ram blocks, which come last:
 * "... unpurged vm_area", "... vm_map_ram". An area's line ends in flags or
 * "N0=count", which may have been cut.
 */
static bool
vmallocinfo_complete(const char *s, size_t n)
{
	static const char *const endings[] = { " unpurged vm_area", " vm_map_ram" };
	size_t i, k;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	for (i = 0; i < ML_ARRAY_SIZE(endings); i++) {
		k = strlen(endings[i]);
		if (n > k && memcmp(s + n - k, endings[i], k) == 0)
			return true;
	}
	return false;
}

const struct ml_source ml_src_vmallocinfo = {
	.name = "vmallocinfo",
	.path = "vmallocinfo",
	.begin = vmallocinfo_begin,
	.line = vmallocinfo_line,
	.finish = vmallocinfo_finish,
	.complete = vmallocinfo_complete,
};

/*
 * /proc/vmallocinfo, every format from 3.10 to 6.18 (PROCFS.md section 3).
 * Sizes are bytes (the size column) and pages (pages=, N<node>=). The line
 * is split on blanks, never on columns; see vmallocinfo.h for the contract.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "proc/scan.h"
#include "proc/vmallocinfo.h"

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

	memset(&vi->t, 0, sizeof vi->t);
	vi->lineno = 0;
	vi->prev_start = 0;
	if (vi->sink != NULL && vi->sink->begin != NULL)
		return vi->sink->begin(vi->sink_arg);
	return 0;
}

/* The flag word w (n bytes), or -1. */
static int
flag_lookup(const char *w, size_t n)
{
	int f;

	for (f = 0; f < ML_VMF__COUNT; f++)
		if (ml_word_eq(w, n, flag_names[f]))
			return f;
	return -1;
}

/* "N<digits>=<digits>": a per-node page count. */
static bool
is_node_count(const char *w, const char *end)
{
	const char *p = w + 1;

	if (end - w < 4 || w[0] != 'N' || (unsigned char)(*p - '0') > 9)
		return false;
	while (p < end && (unsigned char)(*p - '0') <= 9)
		p++;
	return p < end - 1 && *p == '=';
}

/* True when the token [w, end) is one of the words that follow the caller. */
static bool
is_attribute(const char *w, const char *end)
{
	size_t n = (size_t)(end - w);

	if ((n >= 6 && memcmp(w, "pages=", 6) == 0) || (n >= 5 && memcmp(w, "phys=", 5) == 0))
		return true;
	return flag_lookup(w, n) >= 0 || is_node_count(w, end);
}

/* A whole token as a 0x-prefixed (or bare) hex number. */
static int
scan_hex_token(const char *p, const char *end, uint64_t *v, const char **why, const char *what)
{
	int rc = ml_scan_hex0x(&p, end, v);

	if (rc == ML_SCAN_OK && p == end)
		return 0;
	*why = rc == ML_SCAN_OVERFLOW ? "hex value does not fit in 64 bits" : what;
	return -1;
}

/* A whole token as an unsigned decimal. */
static int
scan_dec_token(const char *p, const char *end, uint64_t *v, const char **why, const char *what)
{
	int rc = ml_scan_u64(&p, end, v);

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
	a->caller_raw = ml_scan_hex0x(&p, te, &ignored) == ML_SCAN_OK && p == te && te - tok > 2 &&
			tok[0] == '0' && tok[1] == 'x';
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
	a->caller.s = a->func.s = a->module.s = NULL;
	a->caller.n = a->func.n = a->module.n = 0;
	a->caller_raw = a->has_pages = a->has_phys = a->phys_0x = false;
	a->pages = a->phys = a->node_pages_sum = 0;
	a->flags = a->nunknown = a->unknown_more = a->nnodes = 0;

	/* 0x<start>-0x<end> */
	tok = ml_skip_blanks(s, end);
	te = ml_token_end(tok, end);
	if (tok == te) {
		*why = "empty line";
		return ML_LINE_BAD;
	}
	p = tok;
	if ((rc = ml_scan_hex0x(&p, te, &a->start)) != ML_SCAN_OK || p >= te || *p != '-' ||
	    (p++, (rc = ml_scan_hex0x(&p, te, &a->end)) != ML_SCAN_OK) || p != te) {
		*why = rc == ML_SCAN_OVERFLOW ? "address does not fit in 64 bits"
					      : "no 0x<start>-0x<end> address range";
		return ML_LINE_BAD;
	}

	/* the size column */
	tok = ml_skip_blanks(te, end);
	te = ml_token_end(tok, end);
	if (tok == te) {
		*why = "no size after the address range";
		return ML_LINE_BAD;
	}
	if (scan_dec_token(tok, te, &a->size, why, "bad size") != 0)
		return ML_LINE_BAD;

	tok = ml_skip_blanks(te, end);
	if (tok == end)
		return ML_LINE_OK; /* an area with no caller, pages or flags */
	te = ml_token_end(tok, end);

	/* the two-word tails of areas without a vm_struct (4.13+) */
	if (ml_word_eq(tok, (size_t)(te - tok), "vm_map_ram") && ml_only_blanks(te, end)) {
		a->kind = ML_VMK_VM_MAP_RAM;
		return ML_LINE_OK;
	}
	if (ml_word_eq(tok, (size_t)(te - tok), "unpurged")) {
		const char *t2 = ml_skip_blanks(te, end), *t2e = ml_token_end(t2, end);

		if (ml_word_eq(t2, (size_t)(t2e - t2), "vm_area") && ml_only_blanks(t2e, end)) {
			a->kind = ML_VMK_UNPURGED;
			return ML_LINE_OK;
		}
	}

	/* the caller (%pS), and " [module]" when it lives in a module */
	if (!is_attribute(tok, te)) {
		set_caller(a, tok, te);
		tok = ml_skip_blanks(te, end);
		te = ml_token_end(tok, end);
		if (te - tok >= 2 && tok[0] == '[' && te[-1] == ']') {
			if (te - tok == 2) {
				*why = "empty [module] after the caller";
				return ML_LINE_BAD;
			}
			set_str(&a->module, tok + 1, te - 1);
			tok = ml_skip_blanks(te, end);
			te = ml_token_end(tok, end);
		}
	}

	for (; tok < end; tok = ml_skip_blanks(te, end), te = ml_token_end(tok, end)) {
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
	int rc, f;

	vi->lineno++;
	rc = decode_line(a, s, n, why);
	if (rc != ML_LINE_OK)
		return rc;
	a->ordinal = vi->lineno;

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
	for (f = 0; f < ML_VMF__COUNT; f++)
		if (a->flags & (1u << f))
			t->flag_areas[f]++;
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

	if (vi->sink != NULL && vi->sink->finish != NULL)
		return vi->sink->finish(vi->sink_arg, cause);
	return 0;
}

const struct ml_source ml_src_vmallocinfo = {
	.name = "vmallocinfo",
	.path = "vmallocinfo",
	.begin = vmallocinfo_begin,
	.line = vmallocinfo_line,
	.finish = vmallocinfo_finish,
};

/*
 * /proc/slabinfo: "slabinfo - version: 2.1" then one line per cache; see
 * doc/procfs.md section 6 and slabinfo.h. Counts are as printed (objects, slabs,
 * pages per slab); objsize is in bytes. Accepts the 2.1 format of every
 * kernel from 3.10 on, SLAB with "(statistics)" and SLUB alike.
 *
 * The table: slot[] holds the rows (a dropped row's slot goes on free_list),
 * hash[] finds a row by (name, dup), order[] lists the rows of the last
 * parse in file order and prev_order[] those of the parse before, which is
 * where the next line is expected to be found (the kernel prints its cache
 * list in the same order every time; a new cache shifts the rest by one and
 * the cursor follows the row that was found).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "proc/scan.h"
#include "proc/slabinfo.h"
#include "util.h"

#define HEADER_PREFIX "slabinfo - version: "
#define SUPPORTED_VERSION "2.1"
#define MAX_TOKENS 64
#define NOT_FOUND UINT32_MAX

const char *const ml_slab_globalstat_names[ML_SLAB_GS__COUNT] = {
	[ML_SLAB_GS_LISTALLOCS] = "listallocs",
	[ML_SLAB_GS_MAXOBJS] = "maxobjs",
	[ML_SLAB_GS_GROWN] = "grown",
	[ML_SLAB_GS_REAPED] = "reaped",
	[ML_SLAB_GS_ERROR] = "error",
	[ML_SLAB_GS_MAXFREEABLE] = "maxfreeable",
	[ML_SLAB_GS_NODEALLOCS] = "nodeallocs",
	[ML_SLAB_GS_REMOTEFREES] = "remotefrees",
	[ML_SLAB_GS_ALIENOVERFLOW] = "alienoverflow",
};

const char *const ml_slab_cpustat_names[ML_SLAB_CS__COUNT] = {
	[ML_SLAB_CS_ALLOCHIT] = "allochit",
	[ML_SLAB_CS_ALLOCMISS] = "allocmiss",
	[ML_SLAB_CS_FREEHIT] = "freehit",
	[ML_SLAB_CS_FREEMISS] = "freemiss",
};

void
ml_slabinfo_init(struct ml_slabinfo *si)
{
	memset(si, 0, sizeof *si);
}

void
ml_slabinfo_release(struct ml_slabinfo *si)
{
	uint32_t i;

	for (i = 0; i < si->nslots; i++) {
		free(si->slot[i].name);
		free(si->slot[i].line);
	}
	free(si->slot);
	free(si->order);
	free(si->prev_order);
	free(si->free_list);
	free(si->hash);
	memset(si, 0, sizeof *si);
}

/* FNV-1a over the name, then the duplicate number. */
static uint32_t
name_hash(const char *s, size_t n, uint32_t dup)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return (h ^ dup) * 16777619u;
}

static bool
row_is(const struct ml_slab_cache *c, const char *s, size_t n, uint32_t dup)
{
	return c->name != NULL && c->dup == dup && c->name_len == n && memcmp(c->name, s, n) == 0;
}

static uint32_t
hash_find(const struct ml_slabinfo *si, const char *s, size_t n, uint32_t dup, uint32_t h)
{
	uint32_t mask = si->hash_cap - 1, i, v;

	if (si->hash_cap == 0)
		return NOT_FOUND;
	for (i = h & mask; (v = si->hash[i]) != 0; i = (i + 1) & mask) {
		if (si->slot[v - 1].hash == h && row_is(&si->slot[v - 1], s, n, dup))
			return v - 1;
	}
	return NOT_FOUND;
}

static void
hash_put(struct ml_slabinfo *si, uint32_t idx)
{
	uint32_t mask = si->hash_cap - 1, i;

	for (i = si->slot[idx].hash & mask; si->hash[i] != 0; i = (i + 1) & mask)
		;
	si->hash[i] = idx + 1;
}

/* Rebuild the hash with room for cap entries (a power of two); 0 or -1 (ENOMEM). */
static int
hash_rebuild(struct ml_slabinfo *si, uint32_t cap)
{
	uint32_t i;

	if (cap != si->hash_cap) {
		uint32_t *h = calloc(cap, sizeof *h);

		if (h == NULL)
			return -1;
		free(si->hash);
		si->hash = h;
		si->hash_cap = cap;
	} else {
		memset(si->hash, 0, (size_t)cap * sizeof *si->hash);
	}
	for (i = 0; i < si->nslots; i++)
		if (si->slot[i].name != NULL)
			hash_put(si, i);
	return 0;
}

/* Room for one more row in slot[], order[] and the hash; 0 or -1 (ENOMEM). */
static int
reserve_row(struct ml_slabinfo *si)
{
	uint32_t used = si->nslots - si->nfree;

	if (si->nfree == 0 && si->nslots == si->slots_cap) {
		uint32_t cap = si->slots_cap ? si->slots_cap * 2 : 256;
		struct ml_slab_cache *s = realloc(si->slot, (size_t)cap * sizeof *s);
		uint32_t *fl;

		if (s == NULL)
			return -1;
		si->slot = s;
		fl = realloc(si->free_list, (size_t)cap * sizeof *fl);
		if (fl == NULL)
			return -1;
		si->free_list = fl;
		si->slots_cap = cap;
	}
	/* Each row is listed at most once per parse: n <= rows in use. */
	if (used + 1 > si->order_cap) {
		uint32_t cap = si->order_cap ? si->order_cap * 2 : 256;
		uint32_t *o = realloc(si->order, (size_t)cap * sizeof *o);

		if (o == NULL)
			return -1;
		si->order = o;
		o = realloc(si->prev_order, (size_t)cap * sizeof *o);
		if (o == NULL)
			return -1;
		si->prev_order = o;
		si->order_cap = cap;
	}
	/* Keep the hash at most half full. */
	if ((used + 1) * 2 > si->hash_cap &&
	    hash_rebuild(si, si->hash_cap ? si->hash_cap * 2 : 512) != 0)
		return -1;
	return 0;
}

/* A new row for name; its index, or NOT_FOUND with errno ENOMEM. */
static uint32_t
add_row(struct ml_slabinfo *si, const char *s, size_t n, uint32_t dup, uint32_t h)
{
	struct ml_slab_cache *c;
	uint32_t idx;
	char *name;

	if (reserve_row(si) != 0)
		return NOT_FOUND;
	name = malloc(n + 1);
	if (name == NULL)
		return NOT_FOUND;
	memcpy(name, s, n);
	name[n] = '\0';
	idx = si->nfree > 0 ? si->free_list[--si->nfree] : si->nslots++;
	c = &si->slot[idx];
	memset(c, 0, sizeof *c);
	c->name = name;
	c->name_len = (uint32_t)n;
	c->dup = dup;
	c->hash = h;
	c->reclaim = ML_SLAB_RECLAIM_UNKNOWN;
	hash_put(si, idx);
	si->added++;
	return idx;
}

static int
slabinfo_begin(void *out)
{
	struct ml_slabinfo *si = out;
	uint32_t *t = si->prev_order;

	si->generation++;
	si->has_prev_parse = si->finished != 0 && si->finished + 1 == si->generation;
	si->prev_order = si->order;
	si->prev_n = si->n;
	si->order = t;
	si->n = 0;
	si->cursor = 0;
	si->header_seen = false;
	si->statistics = false;
	si->version[0] = '\0';
	si->bad_header[0] = '\0';
	si->in_header = true;
	si->added = si->removed = 0;
	si->removed_pages = 0;
	si->lookups = 0;
	si->unchanged = 0;
	si->nextra_groups = 0;
	si->extra_overflow = false;
	return 0;
}

static void
copy_text(char *dst, size_t cap, const char *s, size_t n)
{
	if (n > cap - 1)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* The first line: "slabinfo - version: 2.1[ (statistics)]". */
static int
header_line(struct ml_slabinfo *si, const char *s, size_t n, const char **why)
{
	const char *end = s + n, *p, *v;
	size_t plen = strlen(HEADER_PREFIX);

	if (n < plen || memcmp(s, HEADER_PREFIX, plen) != 0) {
		copy_text(si->bad_header, sizeof si->bad_header, s, n);
		*why = "not a slabinfo header";
		return ML_LINE_BAD;
	}
	v = ml_skip_blanks(s + plen, end);
	p = ml_token_end(v, end);
	copy_text(si->version, sizeof si->version, v, (size_t)(p - v));
	if (!ml_word_eq(v, (size_t)(p - v), SUPPORTED_VERSION)) {
		*why = "unsupported slabinfo version";
		return ML_LINE_BAD;
	}
	si->header_seen = true;
	p = ml_skip_blanks(p, end);
	if (p == end)
		return ML_LINE_OK;
	if (ml_word_eq(p, (size_t)(ml_token_end(p, end) - p), "(statistics)")) {
		si->statistics = true;
		if (ml_only_blanks(ml_token_end(p, end), end))
			return ML_LINE_OK;
	}
	*why = "unexpected words after the version";
	return ML_LINE_BAD;
}

struct token {
	const char *p;
	size_t n;
};

/*
 * The hot path (doc/procfs.md section 15: slabinfo is re-read every refresh) is
 * inlined here rather than calling the general scanners in scan.c: one pass
 * splits a line into tokens, and numbers of up to 19 digits, which cannot
 * overflow 64 bits, are converted without overflow checks.
 */
static inline bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGH UINT64_C(0x8080808080808080)
#define LOW7 UINT64_C(0x7f7f7f7f7f7f7f7f)

/* The high bit of each byte of w that is zero (exact: no carries across bytes). */
static inline uint64_t
zero_bytes(uint64_t w)
{
	return ~(w | ((w & LOW7) + LOW7)) & HIGH;
}

/* Bit i set when byte i of the eight at p is a blank; *nul non-zero for a NUL byte. */
static inline uint64_t
blank_bits8(const char *p, uint64_t *nul)
{
	uint64_t w, m;

	memcpy(&w, p, 8);
	*nul |= zero_bytes(w);
	m = zero_bytes(w ^ (ONES * ' ')) | zero_bytes(w ^ (ONES * '\t')) |
	    zero_bytes(w ^ (ONES * '\r'));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	m = __builtin_bswap64(m);
#endif
	/* Gather the eight high bits into the low byte: byte i to bit i. */
	return ((m >> 7) * UINT64_C(0x0102040810204080)) >> 56;
}

#ifdef __SSE2__
/* The same for sixteen bytes, with SSE2 (every x86-64). */
static inline uint64_t
blank_bits16(const char *p, uint64_t *nul)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i m;

	*nul |= (unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128()));
	m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
				      _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))),
			 _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')));

	return (uint64_t)(unsigned int)_mm_movemask_epi8(m);
}
#endif

/*
 * Split [s, s + n) into at most max tokens at blanks. The line is turned
 * into bit masks 64 bytes at a time (blank or not), and token starts and
 * ends are read off the masks, so the work does not branch on every field
 * boundary: the fields are padded with runs of spaces ("%6lu"), and
 * byte-by-byte loops spent their time on mispredicted branches there.
 * Returns the number of tokens, -1 when there are more than max, or -2 when
 * the line holds a NUL byte (a cache name is a C string: not slabinfo text).
 */
static int
tokenize(const char *s, size_t n, struct token *t, int max)
{
	uint64_t carry = 1, b, st, rest, nul = 0; /* carry: the byte before is a blank */
	size_t base, len, i;
	unsigned int pos;
	int ns = 0, open = -1; /* open: a token that runs past the block */

	for (base = 0; base < n; base += 64) {
		len = n - base < 64 ? n - base : 64;
		b = len < 64 ? ~UINT64_C(0) << len : 0; /* past the end: blank */
		i = 0;
#ifdef __SSE2__
		for (; i + 16 <= len; i += 16)
			b |= blank_bits16(s + base + i, &nul) << i;
#endif
		for (; i + 8 <= len; i += 8)
			b |= blank_bits8(s + base + i, &nul) << i;
		for (; i < len; i++) {
			b |= (uint64_t)is_blank(s[base + i]) << i;
			nul |= s[base + i] == '\0';
		}
		if (nul != 0)
			return -2;
		if (open >= 0) {
			/* The token from the block before ends at this block's first blank. */
			if (b == 0) {
				t[open].n += 64;
				carry = 0;
				continue;
			}
			t[open].n += (size_t)__builtin_ctzll(b);
			open = -1;
		}
		st = ~b & ((b << 1) | carry); /* a token starts */
		carry = b >> 63;
		/* One pass: each token's length is the distance to the next blank. */
		while (st != 0) {
			if (ns == max)
				return -1;
			pos = (unsigned int)__builtin_ctzll(st);
			st &= st - 1;
			t[ns].p = s + base + pos;
			rest = b >> pos;
			if (rest != 0) {
				t[ns].n = (size_t)__builtin_ctzll(rest);
			} else {
				t[ns].n = 64 - pos;
				open = ns;
			}
			ns++;
		}
	}
	return ns;
}

/* Token t equals the n-byte word w (n a constant: memcmp is inlined). */
#define TOK_IS(t, w) ((t)->n == sizeof(w) - 1 && memcmp((t)->p, (w), sizeof(w) - 1) == 0)

static inline bool
tok_colon(const struct token *t)
{
	return t->n == 1 && t->p[0] == ':';
}

/*
 * Up to eight digits at p (n of them, 1..8) as a number, eight bytes read at
 * once; the caller guarantees that eight bytes are readable. -1 when one of
 * the n bytes is not a digit. The combination step is the well-known SWAR
 * one: pairs, then quads, then the eight (digits first in memory are the
 * most significant, as in a little-endian load).
 */
static inline int64_t
swar_digits(const char *p, size_t n)
{
	uint64_t w;

	memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	w ^= ONES * '0';   /* digits become 0..9 */
	w <<= 8 * (8 - n); /* drop what follows; leading zero bytes */
	if ((((w + ONES * 0x76) | w) & HIGH) != 0)
		return -1;     /* a byte above 9 */
	w = w * 10 + (w >> 8); /* pairs */
	w = (((w & UINT64_C(0x000000FF000000FF)) * (100 + (UINT64_C(1000000) << 32))) +
	     (((w >> 16) & UINT64_C(0x000000FF000000FF)) * (1 + (UINT64_C(10000) << 32)))) >>
	    32;
	return (int64_t)w;
}

/* Token t (in a line ending at end) as an unsigned decimal number; 0, or -1 with *why. */
static inline int
tok_u64(const struct token *t, const char *end, uint64_t *v, const char **why)
{
	const char *p = t->p;
	uint64_t x = 0;
	size_t i;

	if (t->n <= 8 && end - p >= 8) {
		int64_t r = swar_digits(p, t->n);

		if (r >= 0) {
			*v = (uint64_t)r;
			return 0;
		}
		*why = "not a number";
		return -1;
	}
	if (t->n > 19) {
		int rc = ml_scan_u64(&p, t->p + t->n, v);

		if (rc == ML_SCAN_OK && p == t->p + t->n)
			return 0;
		*why = rc == ML_SCAN_OVERFLOW ? "number does not fit in 64 bits" : "not a number";
		return -1;
	}
	for (i = 0; i < t->n; i++) {
		unsigned int d = (unsigned int)(unsigned char)p[i] - '0';

		if (d > 9) {
			*why = "not a number";
			return -1;
		}
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

/* Scan count tokens as numbers into v; 0, or -1 with *why. */
static inline int
scan_values(const struct token *t, uint32_t count, const char *end, uint64_t *v, const char **why)
{
	uint32_t i;

	for (i = 0; i < count; i++)
		if (tok_u64(&t[i], end, &v[i], why) != 0)
			return -1;
	return 0;
}

/* The index of an unknown group's label in extra_groups, registering it; -1 when full. */
static int
extra_group(struct ml_slabinfo *si, const struct token *label, uint32_t nvalues)
{
	uint8_t i;

	for (i = 0; i < si->nextra_groups; i++)
		if (ml_word_eq(label->p, label->n, si->extra_groups[i].label))
			return i;
	if (si->nextra_groups == ML_SLAB_EXTRA_GROUPS) {
		si->extra_overflow = true;
		return -1;
	}
	copy_text(si->extra_groups[i].label, sizeof si->extra_groups[i].label, label->p, label->n);
	si->extra_groups[i].nvalues = (uint8_t)(nvalues > 255 ? 255 : nvalues);
	si->nextra_groups++;
	return i;
}

/* What one data line holds, before it is matched to its row. */
struct parsed_line {
	struct ml_slab_counts c;
	bool has_tunables, has_slabdata, has_globalstat, has_cpustat;
	uint64_t globalstat[ML_SLAB_GS__COUNT];
	uint64_t cpustat[ML_SLAB_CS__COUNT];
	uint8_t nextra;
	uint64_t extra[ML_SLAB_EXTRA_MAX];
};

/* The groups after the first ':' ("tunables", "slabdata", ...). */
static int
parse_groups(struct ml_slabinfo *si, struct parsed_line *pl, const struct token *t, uint32_t nt,
	     const char *end, const char **why)
{
	uint32_t i = 0, j, nv;
	uint64_t v[3];

	while (i < nt) {
		if (!tok_colon(&t[i]) || i + 1 >= nt) {
			*why = "expected ': group values'";
			return -1;
		}
		for (j = i + 2; j < nt && !tok_colon(&t[j]); j++)
			;
		nv = j - (i + 2);
		if (TOK_IS(&t[i + 1], "tunables") || TOK_IS(&t[i + 1], "slabdata")) {
			bool slabdata = t[i + 1].p[0] == 's';

			if (nv != 3 || (slabdata ? pl->has_slabdata : pl->has_tunables)) {
				*why = slabdata ? "bad slabdata group" : "bad tunables group";
				return -1;
			}
			if (scan_values(&t[i + 2], 3, end, v, why) != 0)
				return -1;
			if (slabdata) {
				pl->c.active_slabs = v[0];
				pl->c.num_slabs = v[1];
				pl->c.sharedavail = v[2];
				pl->has_slabdata = true;
			} else {
				pl->c.limit = v[0];
				pl->c.batchcount = v[1];
				pl->c.sharedfactor = v[2];
				pl->has_tunables = true;
			}
		} else if (TOK_IS(&t[i + 1], "globalstat")) {
			if (nv != ML_SLAB_GS__COUNT || pl->has_globalstat) {
				*why = "bad globalstat group";
				return -1;
			}
			if (scan_values(&t[i + 2], nv, end, pl->globalstat, why) != 0)
				return -1;
			pl->has_globalstat = true;
		} else if (TOK_IS(&t[i + 1], "cpustat")) {
			if (nv != ML_SLAB_CS__COUNT || pl->has_cpustat) {
				*why = "bad cpustat group";
				return -1;
			}
			if (scan_values(&t[i + 2], nv, end, pl->cpustat, why) != 0)
				return -1;
			pl->has_cpustat = true;
		} else {
			/* A group memlens does not know: keep what fits. */
			uint64_t tmp[ML_SLAB_EXTRA_MAX];
			uint32_t keep = nv;

			if (pl->nextra + keep > ML_SLAB_EXTRA_MAX) {
				keep = ML_SLAB_EXTRA_MAX - pl->nextra;
				si->extra_overflow = true;
			}
			if (scan_values(&t[i + 2], nv < ML_SLAB_EXTRA_MAX ? nv : ML_SLAB_EXTRA_MAX,
					end, tmp, why) != 0)
				return -1;
			if (extra_group(si, &t[i + 1], nv) >= 0) {
				memcpy(&pl->extra[pl->nextra], tmp, keep * sizeof *tmp);
				pl->nextra = (uint8_t)(pl->nextra + keep);
			}
		}
		i = j;
	}
	if (!pl->has_slabdata) {
		*why = "no slabdata group";
		return -1;
	}
	if (!pl->has_tunables) {
		*why = "no tunables group";
		return -1;
	}
	return 0;
}

/* Find (or add) the row of the cache named [s, s + n); its index, or NOT_FOUND + ENOMEM. */
static uint32_t
match_row(struct ml_slabinfo *si, const char *s, size_t n)
{
	uint32_t idx, dup, h;

	/* Steady state: the row at the same position as last time. */
	if (si->cursor < si->prev_n) {
		idx = si->prev_order[si->cursor];
		if (si->slot[idx].seen != si->generation && row_is(&si->slot[idx], s, n, 0))
			return idx;
	}
	si->lookups++;
	for (dup = 0;; dup++) {
		h = name_hash(s, n, dup);
		idx = hash_find(si, s, n, dup, h);
		if (idx == NOT_FOUND)
			return add_row(si, s, n, dup, h);
		if (si->slot[idx].seen != si->generation)
			return idx;
		/* Already listed in this parse: a second cache of the same name. */
	}
}

/* Keep the line of row c for the next parse; without memory, keep nothing. */
static void
keep_line(struct ml_slab_cache *c, const char *s, size_t n)
{
	if (n > c->line_cap) {
		/* Room for numbers to grow by a few digits without another allocation. */
		size_t cap = (n + 32) & ~(size_t)15;
		char *l = n < UINT32_MAX - 64 ? realloc(c->line, cap) : NULL;

		if (l == NULL) {
			c->line_len = 0;
			return;
		}
		c->line = l;
		c->line_cap = (uint32_t)cap;
	}
	memcpy(c->line, s, n);
	c->line_len = (uint32_t)n;
}

/*
 * Steady state, most lines: the row expected here printed exactly this line
 * last time, so its numbers are what they were. True when it was taken.
 */
static bool
unchanged_line(struct ml_slabinfo *si, const char *s, size_t n)
{
	struct ml_slab_cache *c;
	uint32_t idx;

	if (si->cursor >= si->prev_n)
		return false;
	idx = si->prev_order[si->cursor];
	c = &si->slot[idx];
	if (c->line_len != n || n == 0 || c->seen + 1 != si->generation || c->dup != 0 ||
	    c->nextra != 0 || memcmp(c->line, s, n) != 0)
		return false;
	c->prev = c->cur;
	c->has_prev = true;
	c->seen = si->generation;
	si->cursor = c->pos + 1;
	c->pos = si->n;
	si->order[si->n++] = idx;
	si->unchanged++;
	return true;
}

static int
data_line(struct ml_slabinfo *si, const char *s, size_t n, const char **why)
{
	struct token t[MAX_TOKENS];
	struct parsed_line pl;
	uint32_t nt, colon, idx;
	struct ml_slab_cache *c;
	uint64_t v[5];
	int rc = tokenize(s, n, t, MAX_TOKENS);

	if (rc < 0) {
		*why = rc == -2 ? "NUL byte in the line" : "too many fields";
		return ML_LINE_BAD;
	}
	nt = (uint32_t)rc;
	for (colon = 0; colon < nt && !tok_colon(&t[colon]); colon++)
		;
	if (colon == nt) {
		*why = "no ':' groups";
		return ML_LINE_BAD;
	}
	if (colon < 6) {
		*why = "fewer than 5 numbers after the name";
		return ML_LINE_BAD;
	}
	pl.has_tunables = pl.has_slabdata = pl.has_globalstat = pl.has_cpustat = false;
	pl.nextra = 0;
	if (scan_values(&t[colon - 5], 5, s + n, v, why) != 0)
		return ML_LINE_BAD;
	pl.c.active_objs = v[0];
	pl.c.num_objs = v[1];
	pl.c.objsize = v[2];
	pl.c.objperslab = v[3];
	pl.c.pagesperslab = v[4];
	if (nt - colon == 10 && TOK_IS(&t[colon + 1], "tunables") && tok_colon(&t[colon + 5]) &&
	    TOK_IS(&t[colon + 6], "slabdata")) {
		/* The usual line, SLUB's and SLAB's without statistics: no group loop. */
		if (scan_values(&t[colon + 2], 3, s + n, v, why) != 0)
			return ML_LINE_BAD;
		pl.c.limit = v[0];
		pl.c.batchcount = v[1];
		pl.c.sharedfactor = v[2];
		if (scan_values(&t[colon + 7], 3, s + n, v, why) != 0)
			return ML_LINE_BAD;
		pl.c.active_slabs = v[0];
		pl.c.num_slabs = v[1];
		pl.c.sharedavail = v[2];
	} else if (parse_groups(si, &pl, &t[colon], nt - colon, s + n, why) != 0) {
		return ML_LINE_BAD;
	}

	/* The name runs from the first token to the last one before the numbers. */
	idx = match_row(si, t[0].p, (size_t)(t[colon - 6].p + t[colon - 6].n - t[0].p));
	if (idx == NOT_FOUND)
		return ML_LINE_FATAL;
	c = &si->slot[idx];
	/* Generations start at 1: seen == 0 is a row added by this parse. */
	c->has_prev = c->seen != 0 && c->seen + 1 == si->generation;
	if (c->has_prev) {
		c->prev = c->cur;
		/* The next line is expected after this row's place last time. */
		si->cursor = c->pos + 1;
	}
	c->cur = pl.c;
	c->has_globalstat = pl.has_globalstat;
	c->has_cpustat = pl.has_cpustat;
	if (pl.has_globalstat)
		memcpy(c->globalstat, pl.globalstat, sizeof c->globalstat);
	if (pl.has_cpustat)
		memcpy(c->cpustat, pl.cpustat, sizeof c->cpustat);
	c->nextra = pl.nextra;
	memcpy(c->extra, pl.extra, pl.nextra * sizeof *pl.extra);
	c->seen = si->generation;
	c->pos = si->n;
	si->order[si->n++] = idx;
	keep_line(c, s, n);
	return ML_LINE_OK;
}

static int
slabinfo_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_slabinfo *si = out;

	if (si->in_header) {
		si->in_header = false;
		return header_line(si, s, n, why);
	}
	if (!si->header_seen)
		return ML_LINE_OK; /* after a bad header: finish reports it */
	if (n > 0 && s[0] == '#')
		return ML_LINE_OK; /* the column names */
	if (ml_only_blanks(s, s + n)) {
		*why = "empty line";
		return ML_LINE_BAD;
	}
	if (unchanged_line(si, s, n))
		return ML_LINE_OK;
	return data_line(si, s, n, why);
}

static int
slabinfo_finish(void *out, char **cause)
{
	struct ml_slabinfo *si = out;
	uint64_t pages;
	uint32_t i;

	/* Drop the caches this parse did not list. */
	for (i = 0; i < si->nslots; i++) {
		struct ml_slab_cache *c = &si->slot[i];

		if (c->name == NULL || c->seen == si->generation)
			continue;
		free(c->name);
		free(c->line);
		c->name = NULL;
		c->line = NULL;
		si->free_list[si->nfree++] = i;
		si->removed++;
		if (!ml_mul_u64(c->cur.num_slabs, c->cur.pagesperslab, &pages) ||
		    !ml_add_u64(si->removed_pages, pages, &si->removed_pages))
			si->removed_pages = UINT64_MAX;
	}
	if (si->removed > 0 && hash_rebuild(si, si->hash_cap) != 0) {
		ml_set_cause(cause, "%s", strerror(errno));
		return -1;
	}
	if (si->header_seen) {
		si->finished = si->generation;
		return 0;
	}
	errno = EINVAL;
	if (si->version[0] != '\0')
		ml_set_cause(cause,
			     "unsupported slabinfo version \"%s\" (memlens reads version %s)",
			     si->version, SUPPORTED_VERSION);
	else if (si->in_header)
		ml_set_cause(cause, "empty file: no \"slabinfo - version:\" header");
	else
		ml_set_cause(cause, "not a slabinfo file: the first line is \"%s\"",
			     si->bad_header);
	return -1;
}

const struct ml_source ml_src_slabinfo = {
	.name = "slabinfo",
	.path = "slabinfo",
	.begin = slabinfo_begin,
	.line = slabinfo_line,
	.finish = slabinfo_finish,
};

const struct ml_slab_cache *
ml_slabinfo_find(const struct ml_slabinfo *si, const char *name)
{
	size_t n = strlen(name);
	uint32_t idx = hash_find(si, name, n, 0, name_hash(name, n, 0));

	if (idx == NOT_FOUND || si->slot[idx].seen != si->generation)
		return NULL;
	return &si->slot[idx];
}

int
ml_slab_sysfs_open(const char *sys_root, char **cause)
{
	char *path;
	size_t n = strlen(sys_root);
	int fd, saved;

	while (n > 1 && sys_root[n - 1] == '/')
		n--;
	if (asprintf(&path, "%.*s/kernel/slab", (int)n, sys_root) < 0) {
		ml_set_cause(cause, "%s", strerror(errno));
		return -1;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		saved = errno;
		ml_set_cause(cause, "cannot open %s: %s", path, strerror(saved));
		errno = saved;
	}
	free(path);
	return fd;
}

/*
 * SLUB gives a cache that may be merged with others a sysfs directory named
 * by a unique id, ":" then flag letters, "-" and the object size
 * (":a-0000192", ":0000064"; mm/slub.c create_unique_id), and makes the
 * cache's own name a symbolic link to it. The letter 'a' is
 * SLAB_RECLAIM_ACCOUNT, the flag reclaim_account prints (doc/procfs.md
 * section 19): one readlink tells what opening, reading and closing the file
 * would, at a fifth of the cost. The other letters: 'd' SLAB_CACHE_DMA, 'D'
 * SLAB_CACHE_DMA32, 'F' SLAB_CONSISTENCY_CHECKS, 'A' SLAB_ACCOUNT, 't' not
 * SLAB_NOTRACK (kmemcheck, 2.6.31-4.14). A target in another form, or with
 * another letter, is not trusted: the file is read.
 */
static uint8_t
reclaim_from_link(int dirfd, const char *path)
{
	char target[128];
	const char *id, *p;
	ssize_t n = readlinkat(dirfd, path, target, sizeof target - 1);
	bool reclaim = false;

	if (n <= 0 || (size_t)n >= sizeof target - 1)
		return ML_SLAB_RECLAIM_UNKNOWN; /* not a link (a cache never merged) */
	target[n] = '\0';
	id = strrchr(target, '/') != NULL ? strrchr(target, '/') + 1 : target;
	if (*id != ':')
		return ML_SLAB_RECLAIM_UNKNOWN;
	p = id + 1;
	if (strchr(p, '-') != NULL) { /* flags, then the size */
		for (; *p != '-'; p++) {
			if (strchr("dDaFAt", *p) == NULL)
				return ML_SLAB_RECLAIM_UNKNOWN;
			reclaim |= *p == 'a';
		}
		p++;
	}
	if (*p == '\0')
		return ML_SLAB_RECLAIM_UNKNOWN;
	for (; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return ML_SLAB_RECLAIM_UNKNOWN;
	return reclaim ? ML_SLAB_RECLAIM_YES : ML_SLAB_RECLAIM_NO;
}

/*
 * Whether cache name (n bytes) counts as reclaimable: from the name of the
 * directory its link points to (a directory root: an archive keeps no
 * links), else "0\n" or "1\n" from <name>/reclaim_account under slabdir; an
 * enum ml_slab_reclaim.
 */
static uint8_t
read_reclaim(const struct ml_procfs *slabdir, const char *name, size_t n)
{
	static const char leaf[] = "/reclaim_account";
	char path[256 + sizeof leaf], buf[16];
	const char *p, *end;
	uint64_t v;
	long got;
	uint8_t r;
	size_t i;

	if (n == 0 || n > 255)
		return ML_SLAB_RECLAIM_UNKNOWN;
	/* sysfs spells '/' in a kobject name as '!' (kobject_set_name_vargs). */
	for (i = 0; i < n; i++)
		path[i] = name[i] == '/' ? '!' : name[i];
	path[n] = '\0';
	if (slabdir->dirfd >= 0 &&
	    (r = reclaim_from_link(slabdir->dirfd, path)) != ML_SLAB_RECLAIM_UNKNOWN)
		return r;
	memcpy(path + n, leaf, sizeof leaf);
	got = ml_procfs_read_small(slabdir, path, buf, sizeof buf, NULL);
	if (got <= 0)
		return ML_SLAB_RECLAIM_UNKNOWN;
	p = buf;
	end = buf + got;
	if (ml_scan_u64(&p, end, &v) != ML_SCAN_OK || v > 1)
		return ML_SLAB_RECLAIM_UNKNOWN;
	while (p < end && (*p == '\n' || *p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	if (p != end)
		return ML_SLAB_RECLAIM_UNKNOWN;
	return v ? ML_SLAB_RECLAIM_YES : ML_SLAB_RECLAIM_NO;
}

uint32_t
ml_slabinfo_read_reclaim_at(struct ml_slabinfo *si, const struct ml_procfs *slabdir)
{
	uint32_t i, count = 0;

	for (i = 0; i < si->n; i++) {
		struct ml_slab_cache *c = &si->slot[si->order[i]];

		/* An empty cache holds no memory: look it up once it holds some. */
		if (c->reclaim_looked_up || c->cur.num_slabs == 0)
			continue;
		c->reclaim = read_reclaim(slabdir, c->name, c->name_len);
		c->reclaim_looked_up = true;
		count++;
	}
	return count;
}

uint32_t
ml_slabinfo_read_reclaim(struct ml_slabinfo *si, int slab_dirfd)
{
	struct ml_procfs dir = { .dirfd = slab_dirfd };

	if (slab_dirfd < 0)
		return 0;
	return ml_slabinfo_read_reclaim_at(si, &dir);
}

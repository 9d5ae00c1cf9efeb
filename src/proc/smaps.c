/*
 * /proc/PID/smaps and /proc/PID/smaps_rollup; doc/procfs.md sections 10 and 11.
 * Sizes are printed in kB and kept in bytes. Accepts every format from 3.10
 * on: the 3.10 order (KernelPageSize after Swap), the 4.14 order, the
 * unaligned "THPeligible:    %d" of 5.0-6.5 and the aligned one of 6.6+,
 * vendor fields (Android's PSwap: and Name:), and fields not invented yet.
 * A record starts at each line whose first token is "start-end" in hex.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "proc/scan.h"
#include "proc/smaps.h"
#include "util.h"

#define KB ML_KV_BYTES
#define COUNT ML_KV_COUNT

const struct ml_kv_key ml_smaps_keys[ML_SM__COUNT] = {
	[ML_SM_SIZE] = { "Size", KB },
	[ML_SM_KERNEL_PAGE_SIZE] = { "KernelPageSize", KB },
	[ML_SM_MMU_PAGE_SIZE] = { "MMUPageSize", KB },
	[ML_SM_RSS] = { "Rss", KB },
	[ML_SM_PSS] = { "Pss", KB },
	[ML_SM_PSS_DIRTY] = { "Pss_Dirty", KB },
	[ML_SM_PSS_ANON] = { "Pss_Anon", KB },
	[ML_SM_PSS_FILE] = { "Pss_File", KB },
	[ML_SM_PSS_SHMEM] = { "Pss_Shmem", KB },
	[ML_SM_SHARED_CLEAN] = { "Shared_Clean", KB },
	[ML_SM_SHARED_DIRTY] = { "Shared_Dirty", KB },
	[ML_SM_PRIVATE_CLEAN] = { "Private_Clean", KB },
	[ML_SM_PRIVATE_DIRTY] = { "Private_Dirty", KB },
	[ML_SM_REFERENCED] = { "Referenced", KB },
	[ML_SM_ANONYMOUS] = { "Anonymous", KB },
	[ML_SM_KSM] = { "KSM", KB },
	[ML_SM_LAZY_FREE] = { "LazyFree", KB },
	[ML_SM_ANON_HUGE_PAGES] = { "AnonHugePages", KB },
	[ML_SM_SHMEM_PMD_MAPPED] = { "ShmemPmdMapped", KB },
	[ML_SM_FILE_PMD_MAPPED] = { "FilePmdMapped", KB },
	[ML_SM_SHARED_HUGETLB] = { "Shared_Hugetlb", KB },
	[ML_SM_PRIVATE_HUGETLB] = { "Private_Hugetlb", KB },
	[ML_SM_SWAP] = { "Swap", KB },
	[ML_SM_SWAP_PSS] = { "SwapPss", KB },
	[ML_SM_LOCKED] = { "Locked", KB },
	[ML_SM_NONLINEAR] = { "Nonlinear", KB },
	[ML_SM_THP_ELIGIBLE] = { "THPeligible", COUNT },
	[ML_SM_PROTECTION_KEY] = { "ProtectionKey", COUNT },
};

void
ml_smaps_fields_init(struct ml_smaps_fields *f)
{
	memset(f, 0, sizeof *f);
	ml_kvlist_init(&f->all);
}

void
ml_smaps_fields_release(struct ml_smaps_fields *f)
{
	ml_kvlist_release(&f->all);
}

/* Start a new set of fields: all absent, the learned layout kept. */
static void
fields_begin(struct ml_smaps_fields *f)
{
	memset(f->present, 0, sizeof f->present);
	ml_kvlist_begin(&f->all);
}

/* Trim blanks at both ends of [*p, *end). */
static void
trim(const char **p, const char **end)
{
	*p = ml_skip_blanks(*p, *end);
	while (*end > *p && ((*end)[-1] == ' ' || (*end)[-1] == '\t' || (*end)[-1] == '\r'))
		(*end)--;
}

/*
 * One "Key: value [kB]" line into f. The key is one token ending at ':'.
 * Returns an ML_LINE_* result.
 */
static int
fields_line(struct ml_smaps_fields *f, const char *s, const char *colon, const char *end,
	    const char **why)
{
	uint64_t value;
	uint8_t unit;
	int rc, slot;

	rc = ml_kv_parse_value(colon + 1, end, &value, &unit, why);
	if (rc != ML_LINE_OK)
		return rc;
	rc = ml_kvlist_put(&f->all, ml_smaps_keys, ML_SM__COUNT, f->present, s, (size_t)(colon - s),
			   unit, value, &slot, why);
	if (rc != ML_LINE_OK)
		return rc;
	if (slot >= 0) {
		f->val[slot] = value;
		ml_bit_set(f->present, (unsigned int)slot);
	}
	return ML_LINE_OK;
}

/* Find the key's ':'; NULL (a bad line, *why set) when the key is malformed. */
static const char *
find_key(const char *s, size_t n, const char **why)
{
	const char *colon = memchr(s, ':', n);

	if (colon == NULL) {
		*why = "neither a mapping header nor a \"Key:\" line";
		return NULL;
	}
	if (colon == s || ml_token_end(s, colon) != colon) {
		*why = "bad key";
		return NULL;
	}
	return colon;
}

bool
ml_smaps_vmflag(const struct ml_smaps_record *r, const char *flag)
{
	const char *p = r->vmflags, *end = r->vmflags + r->vmflags_len, *t;
	size_t n = strlen(flag);

	while (p < end) {
		p = ml_skip_blanks(p, end);
		t = ml_token_end(p, end);
		if ((size_t)(t - p) == n && memcmp(p, flag, n) == 0)
			return true;
		p = t;
	}
	return false;
}

void
ml_smaps_init(struct ml_smaps *s, ml_smaps_fn fn, void *arg)
{
	memset(s, 0, sizeof *s);
	s->fn = fn;
	s->arg = arg;
	ml_smaps_fields_init(&s->rec.f);
}

void
ml_smaps_release(struct ml_smaps *s)
{
	ml_smaps_fields_release(&s->rec.f);
}

/* Hand the record being filled to the consumer. */
static int
smaps_emit(struct ml_smaps *s)
{
	if (!s->open)
		return 0;
	s->open = false;
	ml_kvlist_finish(&s->rec.f.all);
	s->records++;
	if (s->fn != NULL && s->fn(s->arg, &s->rec) != 0) {
		if (errno == 0)
			errno = ECANCELED;
		return -1;
	}
	return 0;
}

static int
smaps_begin(void *out)
{
	struct ml_smaps *s = out;

	s->open = false;
	s->skipping = false;
	s->lineno = 0;
	s->records = 0;
	s->prev_end = 0;
	return 0;
}

static int
smaps_header(struct ml_smaps *s, const char *line, size_t n, const char **why)
{
	struct ml_smaps_record *r = &s->rec;
	int rc;

	if (smaps_emit(s) != 0)
		return ML_LINE_FATAL;
	s->skipping = true;
	rc = ml_vma_parse(&r->vma, line, n, s->name, sizeof s->name, why);
	if (rc != ML_LINE_OK)
		return rc;
	if (s->records > 0 && r->vma.start < s->prev_end) {
		*why = "mapping overlaps or precedes the previous one";
		return ML_LINE_BAD;
	}
	s->prev_end = r->vma.end;
	s->skipping = false;
	s->open = true;
	fields_begin(&r->f);
	r->has_vmflags = false;
	r->vmflags = "";
	r->vmflags_len = 0;
	r->has_name_line = false;
	r->name_line = "";
	r->name_line_len = 0;
	r->lineno = s->lineno;
	return ML_LINE_OK;
}

/* A string-valued field (VmFlags, Name) copied into buf. */
static int
string_field(const char *p, const char *end, char *buf, size_t cap, const char **out,
	     size_t *out_len, bool *has, const char **why)
{
	trim(&p, &end);
	if ((size_t)(end - p) >= cap) {
		*why = "value too long";
		return ML_LINE_BAD;
	}
	if (*has) {
		*why = "duplicate key";
		return ML_LINE_BAD;
	}
	memcpy(buf, p, (size_t)(end - p));
	buf[end - p] = '\0';
	*out = buf;
	*out_len = (size_t)(end - p);
	*has = true;
	return ML_LINE_OK;
}

/*
 * The fast path of a field line: the key the learned layout expects next,
 * blanks, digits, and " kB" or nothing. 100,000 such lines make a 4,000
 * mapping smaps, so this is most of its parse (it halves the time of the
 * general path). Anything else (a new key, a long number, an unexpected
 * unit) returns false and takes the general path, which accepts or rejects
 * it exactly as before.
 */
static bool
fields_fast(struct ml_smaps_fields *f, const char *line, size_t n)
{
	struct ml_kvlist *l = &f->all;
	struct ml_kv_entry *e;
	const char *p, *end = line + n, *d;
	uint64_t v = 0;
	uint8_t unit;

	if (l->cursor >= l->n)
		return false;
	e = &l->e[l->cursor];
	if (n <= e->name_len || line[e->name_len] != ':' ||
	    memcmp(line, l->names + e->name_off, e->name_len) != 0)
		return false;
	for (p = line + e->name_len + 1; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	/* At most 18 digits: no overflow to check; longer numbers go the long way. */
	for (d = p; p < end && (unsigned char)(*p - '0') <= 9 && p - d < 18; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	if (p == d || (p < end && (unsigned char)(*p - '0') <= 9))
		return false;
	if (p == end) {
		unit = ML_KV_COUNT;
	} else if (end - p == 3 && p[0] == ' ' && p[1] == 'k' && p[2] == 'B') {
		unit = ML_KV_BYTES;
		v *= 1024; /* < 10^18 * 1024 < 2^64 */
	} else {
		return false;
	}
	if (e->slot >= 0 && ml_smaps_keys[e->slot].unit != unit)
		return false;
	e->unit = unit;
	e->value = v;
	if (e->slot >= 0) {
		f->val[e->slot] = v;
		ml_bit_set(f->present, (unsigned int)e->slot);
	}
	l->cursor++;
	return true;
}

static int
smaps_line(void *out, const char *line, size_t n, const char **why)
{
	struct ml_smaps *s = out;
	struct ml_smaps_record *r = &s->rec;
	const char *end = line + n, *colon;

	s->lineno++;
	if (s->open && !s->skipping && fields_fast(&r->f, line, n))
		return ML_LINE_OK;
	if (ml_vma_is_header(line, n))
		return smaps_header(s, line, n, why);
	if (s->skipping) {
		*why = "field of a mapping whose header was bad";
		return ML_LINE_BAD;
	}
	if (!s->open) {
		*why = "field before the first mapping header";
		return ML_LINE_BAD;
	}
	if ((colon = find_key(line, n, why)) == NULL)
		return ML_LINE_BAD;
	if (colon - line == 7 && memcmp(line, "VmFlags", 7) == 0)
		return string_field(colon + 1, end, s->vmflags, sizeof s->vmflags, &r->vmflags,
				    &r->vmflags_len, &r->has_vmflags, why);
	if (colon - line == 4 && memcmp(line, "Name", 4) == 0)
		return string_field(colon + 1, end, s->name_line, sizeof s->name_line,
				    &r->name_line, &r->name_line_len, &r->has_name_line, why);
	return fields_line(&r->f, line, colon, end, why);
}

static int
smaps_finish(void *out, char **cause)
{
	struct ml_smaps *s = out;

	if (smaps_emit(s) != 0) {
		ml_set_cause(cause, "smaps: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The bulk fast path (struct ml_source's bulk): inside a record, the field
 * lines the learned layout expects go through ml_kv_bulk without a call per
 * line; the next header, VmFlags and anything unexpected go to smaps_line.
 */
static size_t
smaps_bulk(void *out, const char *buf, size_t len, uint64_t *lines)
{
	struct ml_smaps *s = out;
	struct ml_smaps_fields *f = &s->rec.f;
	uint64_t before = *lines;
	size_t used;

	if (!s->open || s->skipping)
		return 0;
	used = ml_kv_bulk(&f->all, f->val, f->present, ':', buf, len, lines);
	s->lineno += *lines - before;
	return used;
}

const struct ml_source ml_src_smaps = {
	.name = "smaps",
	.path = NULL,
	.begin = smaps_begin,
	.line = smaps_line,
	.finish = smaps_finish,
	.bulk = smaps_bulk,
	.complete = ml_kv_line_complete,
};

void
ml_smaps_rollup_init(struct ml_smaps_rollup *r)
{
	memset(r, 0, sizeof *r);
	ml_smaps_fields_init(&r->f);
}

void
ml_smaps_rollup_release(struct ml_smaps_rollup *r)
{
	ml_smaps_fields_release(&r->f);
}

static int
rollup_begin(void *out)
{
	struct ml_smaps_rollup *r = out;

	r->has_header = false;
	r->lineno = 0;
	memset(&r->vma, 0, sizeof r->vma);
	r->vma.name = r->name;
	r->name[0] = '\0';
	fields_begin(&r->f);
	return 0;
}

static int
rollup_line(void *out, const char *line, size_t n, const char **why)
{
	struct ml_smaps_rollup *r = out;
	const char *colon;
	int rc;

	r->lineno++;
	if (ml_vma_is_header(line, n)) {
		struct ml_vma v;
		char name[sizeof r->name];

		if (r->has_header) {
			*why = "a second header";
			return ML_LINE_BAD;
		}
		rc = ml_vma_parse(&v, line, n, name, sizeof name, why);
		if (rc != ML_LINE_OK)
			return rc;
		if (strcmp(name, "[rollup]") != 0) {
			*why = "header does not end in [rollup]";
			return ML_LINE_BAD;
		}
		memcpy(r->name, name, sizeof name);
		r->vma = v;
		r->vma.name = r->name;
		r->vma.label = "";
		r->has_header = true;
		return ML_LINE_OK;
	}
	if (!r->has_header) {
		*why = "field before the [rollup] header";
		return ML_LINE_BAD;
	}
	if ((colon = find_key(line, n, why)) == NULL)
		return ML_LINE_BAD;
	return fields_line(&r->f, line, colon, line + n, why);
}

static int
rollup_finish(void *out, char **cause)
{
	struct ml_smaps_rollup *r = out;

	(void)cause;
	ml_kvlist_finish(&r->f.all);
	return 0;
}

/* The bulk fast path after the [rollup] header, as smaps_bulk. */
static size_t
rollup_bulk(void *out, const char *buf, size_t len, uint64_t *lines)
{
	struct ml_smaps_rollup *r = out;
	uint64_t before = *lines;
	size_t used;

	if (!r->has_header)
		return 0;
	used = ml_kv_bulk(&r->f.all, r->f.val, r->f.present, ':', buf, len, lines);
	r->lineno += *lines - before;
	return used;
}

const struct ml_source ml_src_smaps_rollup = {
	.name = "smaps_rollup",
	.path = NULL,
	.begin = rollup_begin,
	.line = rollup_line,
	.finish = rollup_finish,
	.bulk = rollup_bulk,
	.complete = ml_kv_line_complete,
};

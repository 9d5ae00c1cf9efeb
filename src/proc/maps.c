/*
 * /proc/PID/maps: "start-end perms offset MAJ:MIN inode [padding name]";
 * doc/procfs.md section 9. Addresses and offsets are hex (at least 8 digits),
 * the device is hex MAJ:MIN, the inode decimal. Accepts 3.10 and later,
 * 32- and 64-bit.
 */
#include "config.h"

#include <string.h>

#include "compat.h"
#include "proc/maps.h"
#include "proc/scan.h"

static const char *const name_words[ML_VMA_NAME__COUNT] = {
	[ML_VMA_NAME_NONE] = "none",
	[ML_VMA_NAME_PATH] = "path",
	[ML_VMA_NAME_HEAP] = "heap",
	[ML_VMA_NAME_STACK] = "stack",
	[ML_VMA_NAME_STACK_TID] = "stack_tid",
	[ML_VMA_NAME_VDSO] = "vdso",
	[ML_VMA_NAME_VVAR] = "vvar",
	[ML_VMA_NAME_VVAR_VCLOCK] = "vvar_vclock",
	[ML_VMA_NAME_VSYSCALL] = "vsyscall",
	[ML_VMA_NAME_ANON] = "anon",
	[ML_VMA_NAME_ANON_SHMEM] = "anon_shmem",
	[ML_VMA_NAME_BRACKET] = "bracket",
	[ML_VMA_NAME_OTHER] = "other",
};
_Static_assert(ML_ARRAY_SIZE(name_words) == ML_VMA_NAME__COUNT, "name_words out of sync");

const char *
ml_vma_name_word(enum ml_vma_name k)
{
	return (unsigned int)k < ML_VMA_NAME__COUNT ? name_words[k] : "other";
}

static inline bool
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool
ml_vma_is_header(const char *s, size_t n)
{
	const char *p = s, *end = s + n;

	if (p >= end || !is_hex(*p))
		return false;
	while (p < end && is_hex(*p))
		p++;
	if (p >= end || *p != '-')
		return false;
	p++;
	if (p >= end || !is_hex(*p))
		return false;
	while (p < end && is_hex(*p))
		p++;
	return p == end || *p == ' ' || *p == '\t';
}

/* Skip at least one blank; false when there is none. */
static bool
blank_sep(const char **p, const char *end)
{
	const char *q = ml_skip_blanks(*p, end);

	if (q == *p)
		return false;
	*p = q;
	return true;
}

static bool
word_is(const char *s, size_t n, const char *w, size_t wn)
{
	return n == wn && memcmp(s, w, wn) == 0;
}

static bool
has_prefix(const char *s, size_t n, const char *w, size_t wn)
{
	return n >= wn && memcmp(s, w, wn) == 0;
}

#define WORD_IS(s, n, lit) word_is((s), (n), (lit), sizeof(lit) - 1)
#define HAS_PREFIX(s, n, lit) has_prefix((s), (n), (lit), sizeof(lit) - 1)

/* Recognise [heap], [anon:NAME], ... in the decoded name. */
static void
classify_name(struct ml_vma *v)
{
	const char *in = v->name + 1;
	size_t n;

	v->label = "";
	v->label_len = 0;
	v->tid = 0;
	if (v->name_len == 0) {
		v->name_kind = ML_VMA_NAME_NONE;
		return;
	}
	if (v->name[0] == '/') {
		v->name_kind = ML_VMA_NAME_PATH;
		return;
	}
	if (v->name[0] != '[' || v->name_len < 2 || v->name[v->name_len - 1] != ']') {
		v->name_kind = ML_VMA_NAME_OTHER;
		return;
	}
	n = v->name_len - 2;
	if (WORD_IS(in, n, "heap"))
		v->name_kind = ML_VMA_NAME_HEAP;
	else if (WORD_IS(in, n, "stack"))
		v->name_kind = ML_VMA_NAME_STACK;
	else if (WORD_IS(in, n, "vdso"))
		v->name_kind = ML_VMA_NAME_VDSO;
	else if (WORD_IS(in, n, "vvar"))
		v->name_kind = ML_VMA_NAME_VVAR;
	else if (WORD_IS(in, n, "vvar_vclock"))
		v->name_kind = ML_VMA_NAME_VVAR_VCLOCK;
	else if (WORD_IS(in, n, "vsyscall"))
		v->name_kind = ML_VMA_NAME_VSYSCALL;
	else if (HAS_PREFIX(in, n, "anon:")) {
		v->name_kind = ML_VMA_NAME_ANON;
		v->label = in + 5;
		v->label_len = n - 5;
	} else if (HAS_PREFIX(in, n, "anon_shmem:")) {
		v->name_kind = ML_VMA_NAME_ANON_SHMEM;
		v->label = in + 11;
		v->label_len = n - 11;
	} else if (HAS_PREFIX(in, n, "stack:")) {
		const char *p = in + 6, *end = in + n;
		uint64_t tid;

		if (ml_scan_u64(&p, end, &tid) == ML_SCAN_OK && p == end && tid <= UINT32_MAX) {
			v->name_kind = ML_VMA_NAME_STACK_TID;
			v->tid = (uint32_t)tid;
		} else {
			v->name_kind = ML_VMA_NAME_BRACKET;
		}
	} else {
		v->name_kind = ML_VMA_NAME_BRACKET;
	}
}

/*
 * Copy the name, decoding \012 (seq_path escapes only '\n'; a real "\012"
 * in a file name cannot be told apart, doc/procfs.md section 9).
 */
static size_t
decode_name(char *dst, const char *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && n - i >= 4 && s[i + 1] == '0' && s[i + 2] == '1' &&
		    s[i + 3] == '2') {
			dst[o++] = '\n';
			i += 3;
		} else {
			dst[o++] = s[i];
		}
	}
	dst[o] = '\0';
	return o;
}

int
ml_vma_parse(struct ml_vma *v, const char *s, size_t n, char *namebuf, size_t cap, const char **why)
{
	static const char deleted[] = " (deleted)";
	const char *p = s, *end = s + n, *q;
	uint64_t x;
	int i, rc;

	if ((rc = ml_scan_hex(&p, end, &v->start)) != ML_SCAN_OK || p >= end || *p != '-') {
		*why = rc == ML_SCAN_OVERFLOW ? "address does not fit in 64 bits"
					      : "no start-end address range";
		return ML_LINE_BAD;
	}
	p++;
	if ((rc = ml_scan_hex(&p, end, &v->end)) != ML_SCAN_OK) {
		*why = rc == ML_SCAN_OVERFLOW ? "address does not fit in 64 bits"
					      : "no end address";
		return ML_LINE_BAD;
	}
	if (v->end < v->start) {
		*why = "end address before start address";
		return ML_LINE_BAD;
	}
	if (!blank_sep(&p, end) || end - p < 4 || (end - p > 4 && p[4] != ' ' && p[4] != '\t')) {
		*why = "no permission column";
		return ML_LINE_BAD;
	}
	v->perms = 0;
	for (i = 0; i < 4; i++) {
		static const char yes[] = "rwxs", no[] = "---p";
		static const uint8_t bit[] = { ML_VMA_READ, ML_VMA_WRITE, ML_VMA_EXEC,
					       ML_VMA_SHARED };

		if (p[i] == yes[i])
			v->perms |= bit[i];
		else if (p[i] != no[i]) {
			*why = "bad permission column";
			return ML_LINE_BAD;
		}
		v->perm_text[i] = p[i];
	}
	v->perm_text[4] = '\0';
	p += 4;
	if (!blank_sep(&p, end) || (rc = ml_scan_hex(&p, end, &v->offset)) != ML_SCAN_OK) {
		*why = rc == ML_SCAN_OVERFLOW ? "offset does not fit in 64 bits" : "no offset";
		return ML_LINE_BAD;
	}
	if (!blank_sep(&p, end) || ml_scan_hex(&p, end, &x) != ML_SCAN_OK || x > UINT32_MAX ||
	    p >= end || *p != ':') {
		*why = "bad device MAJ:MIN";
		return ML_LINE_BAD;
	}
	v->dev_major = (uint32_t)x;
	p++;
	if (ml_scan_hex(&p, end, &x) != ML_SCAN_OK || x > UINT32_MAX) {
		*why = "bad device MAJ:MIN";
		return ML_LINE_BAD;
	}
	v->dev_minor = (uint32_t)x;
	if (!blank_sep(&p, end) || (rc = ml_scan_u64(&p, end, &v->inode)) != ML_SCAN_OK) {
		*why = rc == ML_SCAN_OVERFLOW ? "inode does not fit in 64 bits" : "no inode";
		return ML_LINE_BAD;
	}
	/*
	 * A CR ending the line is a CRLF line end (a copy edited elsewhere), as
	 * in every other file, not the last byte of the name: a real file name
	 * ending in CR would lose it.
	 */
	if (end > p && end[-1] == '\r')
		end--;
	/* The name: after the padding (spaces only), to the end of the line. */
	if (p < end && *p != ' ' && *p != '\t') {
		*why = "unexpected text after the inode";
		return ML_LINE_BAD;
	}
	q = p;
	while (q < end && *q == ' ')
		q++;
	if (q == end) {
		namebuf[0] = '\0';
		v->name = namebuf;
		v->name_len = 0;
		v->deleted = false;
		classify_name(v);
		return ML_LINE_OK;
	}
	if ((size_t)(end - q) + 1 > cap) {
		*why = "name too long";
		return ML_LINE_BAD;
	}
	v->name_len = decode_name(namebuf, q, (size_t)(end - q));
	v->name = namebuf;
	v->deleted = false;
	if (namebuf[0] != '[' && v->name_len > sizeof deleted - 1 &&
	    memcmp(namebuf + v->name_len - (sizeof deleted - 1), deleted, sizeof deleted - 1) ==
		    0) {
		v->name_len -= sizeof deleted - 1;
		namebuf[v->name_len] = '\0';
		v->deleted = true;
	}
	classify_name(v);
	return ML_LINE_OK;
}

void
ml_maps_init(struct ml_maps *m, ml_vma_fn fn, void *arg)
{
	memset(m, 0, sizeof *m);
	m->fn = fn;
	m->arg = arg;
}

static int
maps_begin(void *out)
{
	struct ml_maps *m = out;

	m->count = 0;
	m->prev_end = 0;
	return 0;
}

static int
maps_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_maps *m = out;
	int rc;

	rc = ml_vma_parse(&m->vma, s, n, m->name, sizeof m->name, why);
	if (rc != ML_LINE_OK)
		return rc;
	/* proc.rst: addresses never go backwards, even when the list changes mid-read. */
	if (m->count > 0 && m->vma.start < m->prev_end) {
		*why = "mapping overlaps or precedes the previous one";
		return ML_LINE_BAD;
	}
	m->prev_end = m->vma.end;
	m->count++;
	if (m->fn != NULL && m->fn(m->arg, &m->vma) != 0)
		return ML_LINE_FATAL;
	return ML_LINE_OK;
}

/*
 * A last line without its newline is complete when its name is a bracketed
 * pseudo-name ("[vsyscall]", the last line of x86-64 maps; "[stack]",
 * "[anon:NAME]": names that hold no other bracket); a path, or a line
 * without a name, may have been cut.
 */
static bool
maps_complete(const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	int field;

	for (field = 0; field < 5; field++) {
		p = ml_skip_blanks(p, end);
		while (p < end && *p != ' ' && *p != '\t')
			p++;
	}
	p = ml_skip_blanks(p, end);
	return end - p >= 2 && *p == '[' && end[-1] == ']' &&
	       memchr(p + 1, ']', (size_t)(end - p - 2)) == NULL;
}

const struct ml_source ml_src_maps = {
	.name = "maps",
	.path = NULL,
	.begin = maps_begin,
	.line = maps_line,
	.finish = NULL,
	.complete = maps_complete,
};

/*
 * /proc/PID/mountinfo; see mountinfo.h and doc/procfs.md section 20. Fields
 * are split on blanks (the kernel escapes blanks inside a field), the
 * optional fields run to the lone "-", and every line must have the three
 * fields after it. The format has not changed since 2.6.26.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "proc/mountinfo.h"
#include "proc/scan.h"

void
ml_mountinfo_init(struct ml_mountinfo *mi, ml_mount_fn fn, void *arg)
{
	memset(mi, 0, sizeof *mi);
	mi->fn = fn;
	mi->arg = arg;
}

static bool
is_octal(char c)
{
	return c >= '0' && c <= '7';
}

long
ml_mountinfo_unescape(const char *s, size_t n, char *out, size_t cap)
{
	size_t i = 0, o = 0;

	while (i < n) {
		char c = s[i];

		if (c == '\\' && n - i >= 4 && is_octal(s[i + 1]) && is_octal(s[i + 2]) &&
		    is_octal(s[i + 3]) && s[i + 1] <= '3') {
			c = (char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			if (c == '\0')
				return -1;
			i += 4;
		} else {
			i++;
		}
		if (o + 1 >= cap)
			return -1;
		out[o++] = c;
	}
	if (o >= cap)
		return -1;
	out[o] = '\0';
	return (long)o;
}

bool
ml_mount_has_option(const char *opts, const char *word)
{
	size_t n = strlen(word);
	const char *p = opts, *comma;

	if (opts == NULL || n == 0)
		return false;
	for (;;) {
		comma = strchr(p, ',');
		if ((comma != NULL ? (size_t)(comma - p) : strlen(p)) == n &&
		    memcmp(p, word, n) == 0)
			return true;
		if (comma == NULL)
			return false;
		p = comma + 1;
	}
}

static int
mountinfo_begin(void *out)
{
	struct ml_mountinfo *mi = out;

	mi->mounts = 0;
	return 0;
}

/* A decimal int at [p, end) and nothing else; -1 when it is not one. */
static int
scan_int(const char *p, const char *end, int *out)
{
	uint64_t v;

	if (ml_scan_u64(&p, end, &v) != ML_SCAN_OK || p != end || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

/* Copy or decode one field into the text buffer; NULL when it does not fit. */
static const char *
put_field(struct ml_mountinfo *mi, size_t *used, const char *s, const char *end, bool decode)
{
	size_t n = (size_t)(end - s), cap = sizeof mi->text - *used;
	char *dst = mi->text + *used;
	long len;

	if (decode) {
		len = ml_mountinfo_unescape(s, n, dst, cap);
		if (len < 0)
			return NULL;
	} else {
		if (n + 1 > cap)
			return NULL;
		memcpy(dst, s, n);
		dst[n] = '\0';
		len = (long)n;
	}
	*used += (size_t)len + 1;
	return dst;
}

static int
mountinfo_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_mountinfo *mi = out;
	const char *end = s + n, *p = s, *tok[6], *tok_end[6], *q, *colon;
	const char *rest[3], *rest_end[3];
	struct ml_mount m;
	size_t used = 0;
	uint64_t v;
	int i;

	for (i = 0; i < 6; i++) {
		p = ml_skip_blanks(p, end);
		if (p == end) {
			*why = "fewer than six fields before the optional ones";
			return ML_LINE_BAD;
		}
		tok[i] = p;
		tok_end[i] = p = ml_token_end(p, end);
	}
	/* Optional fields, up to the separator. */
	for (;;) {
		p = ml_skip_blanks(p, end);
		if (p == end) {
			*why = "no \"-\" separator";
			return ML_LINE_BAD;
		}
		q = ml_token_end(p, end);
		if (q - p == 1 && *p == '-')
			break;
		p = q;
	}
	p = q;
	for (i = 0; i < 3; i++) {
		p = ml_skip_blanks(p, end);
		if (p == end) {
			*why = "fewer than three fields after \"-\"";
			return ML_LINE_BAD;
		}
		rest[i] = p;
		rest_end[i] = p = ml_token_end(p, end);
	}
	if (!ml_only_blanks(p, end)) {
		*why = "unexpected text after the super options";
		return ML_LINE_BAD;
	}
	if (scan_int(tok[0], tok_end[0], &m.id) != 0 ||
	    scan_int(tok[1], tok_end[1], &m.parent) != 0) {
		*why = "bad mount ID";
		return ML_LINE_BAD;
	}
	q = tok[2];
	colon = memchr(q, ':', (size_t)(tok_end[2] - q));
	if (colon == NULL || ml_scan_u64(&q, colon, &v) != ML_SCAN_OK || q != colon ||
	    v > UINT_MAX) {
		*why = "bad major:minor";
		return ML_LINE_BAD;
	}
	m.major = (unsigned int)v;
	q = colon + 1;
	if (ml_scan_u64(&q, tok_end[2], &v) != ML_SCAN_OK || q != tok_end[2] || v > UINT_MAX) {
		*why = "bad major:minor";
		return ML_LINE_BAD;
	}
	m.minor = (unsigned int)v;
	if ((m.root = put_field(mi, &used, tok[3], tok_end[3], true)) == NULL ||
	    (m.mount_point = put_field(mi, &used, tok[4], tok_end[4], true)) == NULL ||
	    (m.options = put_field(mi, &used, tok[5], tok_end[5], false)) == NULL ||
	    (m.fstype = put_field(mi, &used, rest[0], rest_end[0], true)) == NULL ||
	    (m.source = put_field(mi, &used, rest[1], rest_end[1], true)) == NULL ||
	    (m.super_options = put_field(mi, &used, rest[2], rest_end[2], false)) == NULL) {
		*why = "an escape decodes to a NUL byte";
		return ML_LINE_BAD;
	}
	if (m.root[0] != '/' || m.mount_point[0] != '/') {
		*why = "root or mount point is not an absolute path";
		return ML_LINE_BAD;
	}
	mi->mounts++;
	if (mi->fn != NULL && mi->fn(mi->arg, &m) != 0) {
		if (errno == 0)
			errno = EIO;
		return ML_LINE_FATAL;
	}
	return ML_LINE_OK;
}

const struct ml_source ml_src_mountinfo = {
	.name = "mountinfo",
	.path = "self/mountinfo",
	.begin = mountinfo_begin,
	.line = mountinfo_line,
};

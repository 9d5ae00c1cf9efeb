/*
 * Decimal and hex scanners with overflow detection. procfs prints unsigned
 * decimal almost everywhere (doc/procfs.md section 1); a value that does not fit
 * in 64 bits is reported, never wrapped or clamped.
 */
#include "config.h"

#include <string.h>

#include "proc/scan.h"

static inline bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

int
ml_scan_u64_long(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	if (s >= end || (unsigned char)(*s - '0') > 9)
		return ML_SCAN_NONE;
	for (; s < end && (unsigned char)(*s - '0') <= 9; s++) {
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(*s - '0'), &v))
			return ML_SCAN_OVERFLOW;
	}
	*out = v;
	*p = s;
	return ML_SCAN_OK;
}

int
ml_scan_i64(const char **p, const char *end, int64_t *out)
{
	const char *s = *p;
	bool negative = false;
	uint64_t v;
	int rc;

	if (s < end && *s == '-') {
		negative = true;
		s++;
	}
	rc = ml_scan_u64(&s, end, &v);
	if (rc != ML_SCAN_OK)
		return rc;
	if (negative) {
		if (v > (uint64_t)INT64_MAX + 1)
			return ML_SCAN_OVERFLOW;
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > INT64_MAX)
			return ML_SCAN_OVERFLOW;
		*out = (int64_t)v;
	}
	*p = s;
	return ML_SCAN_OK;
}

static inline int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
ml_scan_hex(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	int d;

	if (s >= end || hex_digit(*s) < 0)
		return ML_SCAN_NONE;
	for (; s < end && (d = hex_digit(*s)) >= 0; s++) {
		if (v >> 60)
			return ML_SCAN_OVERFLOW;
		v = (v << 4) | (uint64_t)d;
	}
	*out = v;
	*p = s;
	return ML_SCAN_OK;
}

int
ml_scan_hex0x(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	int rc;

	if (end - s >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	rc = ml_scan_hex(&s, end, out);
	if (rc == ML_SCAN_OK)
		*p = s;
	return rc;
}

const char *
ml_token_end(const char *p, const char *end)
{
	while (p < end && !is_blank(*p))
		p++;
	return p;
}

bool
ml_only_blanks(const char *p, const char *end)
{
	return ml_skip_blanks(p, end) == end;
}

bool
ml_word_eq(const char *p, size_t n, const char *w)
{
	size_t wn = strlen(w);

	return n == wn && memcmp(p, w, n) == 0;
}

/* The reason a scan failed, for a bad-line report. */
static const char *
scan_why(int rc)
{
	return rc == ML_SCAN_OVERFLOW ? "value does not fit in 64 bits" : "no value";
}

int
ml_scan_value_u64(const char *p, const char *end, uint64_t *out, const char **why)
{
	int rc;

	p = ml_skip_blanks(p, end);
	if ((rc = ml_scan_u64(&p, end, out)) != ML_SCAN_OK) {
		*why = scan_why(rc);
		return -1;
	}
	if (!ml_only_blanks(p, end)) {
		*why = "unexpected text after the value";
		return -1;
	}
	return 0;
}

int
ml_scan_value_i64(const char *p, const char *end, int64_t *out, const char **why)
{
	int rc;

	p = ml_skip_blanks(p, end);
	if ((rc = ml_scan_i64(&p, end, out)) != ML_SCAN_OK) {
		*why = scan_why(rc);
		return -1;
	}
	if (!ml_only_blanks(p, end)) {
		*why = "unexpected text after the value";
		return -1;
	}
	return 0;
}

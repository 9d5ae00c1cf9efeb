/*
 * /proc/pressure/memory; see pressure.h and doc/procfs.md section 17.
 * Fields are "key=value" tokens found by name; unknown tokens are skipped so
 * that a new field does not break the line.
 */
#include "config.h"

#include <string.h>

#include "proc/pressure.h"
#include "proc/scan.h"

/* "12.34" (or "12") into hundredths. */
static int
scan_hundredths(const char **p, const char *end, uint32_t *out)
{
	uint64_t whole, frac = 0;
	const char *s = *p;

	if (ml_scan_u64(&s, end, &whole) != ML_SCAN_OK || whole > 100000)
		return -1;
	if (s < end && *s == '.') {
		s++;
		if (end - s < 2 || (unsigned char)(s[0] - '0') > 9 ||
		    (unsigned char)(s[1] - '0') > 9)
			return -1;
		frac = (uint64_t)(s[0] - '0') * 10 + (uint64_t)(s[1] - '0');
		s += 2;
	}
	*out = (uint32_t)(whole * 100 + frac);
	*p = s;
	return 0;
}

static int
pressure_begin(void *out)
{
	memset(out, 0, sizeof(struct ml_pressure));
	return 0;
}

static int
pressure_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_pressure *pr = out;
	const char *end = s + n, *p = s, *tok_end;
	struct ml_psi_line *l, parsed = { 0 };
	unsigned int seen = 0;

	tok_end = ml_token_end(p, end);
	if (ml_word_eq(p, (size_t)(tok_end - p), "some"))
		l = &pr->some;
	else if (ml_word_eq(p, (size_t)(tok_end - p), "full"))
		l = &pr->full;
	else {
		*why = "not a some/full line";
		return ML_LINE_BAD;
	}
	if (l->present) {
		*why = "duplicate line";
		return ML_LINE_BAD;
	}
	for (p = ml_skip_blanks(tok_end, end); p < end; p = ml_skip_blanks(tok_end, end)) {
		const char *eq;

		tok_end = ml_token_end(p, end);
		eq = memchr(p, '=', (size_t)(tok_end - p));
		if (eq == NULL) {
			*why = "expected key=value";
			return ML_LINE_BAD;
		}
		if (ml_word_eq(p, (size_t)(eq - p), "avg10") ||
		    ml_word_eq(p, (size_t)(eq - p), "avg60") ||
		    ml_word_eq(p, (size_t)(eq - p), "avg300")) {
			const char *v = eq + 1;
			uint32_t *dst;
			unsigned int bit;

			if (eq - p == 5 && p[3] == '1') {
				dst = &parsed.avg10;
				bit = 1u;
			} else if (eq - p == 5) {
				dst = &parsed.avg60;
				bit = 2u;
			} else {
				dst = &parsed.avg300;
				bit = 4u;
			}
			if (scan_hundredths(&v, tok_end, dst) != 0 || v != tok_end) {
				*why = "bad average";
				return ML_LINE_BAD;
			}
			seen |= bit;
		} else if (ml_word_eq(p, (size_t)(eq - p), "total")) {
			const char *v = eq + 1;

			if (ml_scan_u64(&v, tok_end, &parsed.total_us) != ML_SCAN_OK ||
			    v != tok_end) {
				*why = "bad total";
				return ML_LINE_BAD;
			}
			seen |= 8u;
		}
		/* other keys: a newer kernel's; skipped */
	}
	if (seen != 15u) {
		*why = "missing avg10, avg60, avg300 or total";
		return ML_LINE_BAD;
	}
	parsed.present = true;
	*l = parsed;
	return ML_LINE_OK;
}

const struct ml_source ml_src_pressure_memory = {
	.name = "pressure/memory",
	.path = "pressure/memory",
	.begin = pressure_begin,
	.line = pressure_line,
};

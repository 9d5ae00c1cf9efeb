/*
 * Chunks to lines. See source.h for the contract; the only subtle part is the
 * carry buffer: a line is dispatched straight from the caller's chunk when it
 * is whole there, and copied only when it straddles a chunk boundary. The
 * length limit is checked the same way on both paths so that results do not
 * depend on the chunk size.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "proc/source.h"
#include "util.h"

static void
feed_record_bad(struct ml_feed *f, const char *s, size_t n, const char *why)
{
	struct ml_parse_stats *st = &f->stats;
	size_t keep;

	st->bad_lines++;
	if (st->first_bad_lineno != 0)
		return;
	st->first_bad_lineno = st->lines;
	st->first_bad_why = why != NULL ? why : "malformed line";
	keep = n < sizeof st->first_bad_text - 1 ? n : sizeof st->first_bad_text - 1;
	memcpy(st->first_bad_text, s, keep);
	st->first_bad_text[keep] = '\0';
}

/* Inline: it runs once per line, and the call was a tenth of a small file's parse. */
static inline __attribute__((always_inline)) int
feed_dispatch(struct ml_feed *f, const char *s, size_t n, int has_nul)
{
	const char *why = NULL;
	int rc;

	f->stats.lines++;
	if (n > ML_LINE_MAX) {
		feed_record_bad(f, s, n, "line too long");
		return 0;
	}
	if (has_nul) {
		feed_record_bad(f, s, n, "NUL byte in the line");
		return 0;
	}
	rc = f->src->line(f->out, s, n, &why);
	if (rc == ML_LINE_FATAL) {
		f->failed = errno != 0 ? errno : EIO;
		return -1;
	}
	if (rc == ML_LINE_BAD)
		feed_record_bad(f, s, n, why);
	return 0;
}

int
ml_feed_begin(struct ml_feed *f, const struct ml_source *src, void *out)
{
	f->src = src;
	f->out = out;
	memset(&f->stats, 0, sizeof f->stats);
	f->failed = 0;
	f->skipping = 0;
	f->carry_nul = 0;
	f->carry_len = 0;
	if (src->begin != NULL && src->begin(out) != 0) {
		f->failed = errno != 0 ? errno : ENOMEM;
		return -1;
	}
	return 0;
}

int
ml_feed(struct ml_feed *f, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *nl, *nul;
	size_t n;

	if (f->failed) {
		errno = f->failed;
		return -1;
	}
	/* The first NUL byte at or after p; one scan per chunk when there is none. */
	nul = memchr(buf, '\0', len);
	if (nul == NULL)
		nul = end;
	while (p < end) {
		/* The bulk path never sees the line that holds a NUL byte. */
		if (f->src->bulk != NULL && f->carry_len == 0 && !f->skipping)
			p += f->src->bulk(f->out, p, (size_t)(nul - p), &f->stats.lines);
		if (p == end)
			break;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			/* A partial line: carry it, or note that it is too long. */
			n = (size_t)(end - p);
			if (!f->skipping && f->carry_len + n > ML_LINE_MAX) {
				/* Too long: keep its start for the report, drop the rest. */
				memcpy(f->carry + f->carry_len, p, ML_LINE_MAX - f->carry_len);
				f->carry_len = ML_LINE_MAX;
				f->skipping = 1;
			} else if (!f->skipping) {
				memcpy(f->carry + f->carry_len, p, n);
				f->carry_len += n;
				f->carry_nul |= nul < end;
			}
			return 0;
		}
		n = (size_t)(nl - p);
		if (f->skipping) {
			f->stats.lines++;
			feed_record_bad(f, f->carry, f->carry_len, "line too long");
			f->skipping = 0;
			f->carry_len = 0;
		} else if (f->carry_len > 0) {
			if (f->carry_len + n > ML_LINE_MAX) {
				f->stats.lines++;
				feed_record_bad(f, f->carry, f->carry_len, "line too long");
			} else {
				memcpy(f->carry + f->carry_len, p, n);
				if (feed_dispatch(f, f->carry, f->carry_len + n,
						  f->carry_nul || nul < nl) != 0) {
					errno = f->failed;
					return -1;
				}
			}
			f->carry_len = 0;
		} else if (feed_dispatch(f, p, n, nul < nl) != 0) {
			errno = f->failed;
			return -1;
		}
		f->carry_nul = 0;
		p = nl + 1;
		if (nul < p) {
			nul = memchr(p, '\0', (size_t)(end - p));
			if (nul == NULL)
				nul = end;
		}
	}
	return 0;
}

int
ml_feed_finish(struct ml_feed *f, char **cause)
{
	if (f->failed) {
		errno = f->failed;
		ml_set_cause(cause, "%s: %s", f->src->name, strerror(f->failed));
		return -1;
	}
	if (!f->skipping && f->carry_len > 0 && !f->carry_nul && f->src->complete != NULL &&
	    f->src->complete(f->carry, f->carry_len)) {
		/* A copy lost the last newline, and nothing of the line: parse it. */
		if (feed_dispatch(f, f->carry, f->carry_len, 0) != 0) {
			ml_set_cause(cause, "%s: %s", f->src->name, strerror(f->failed));
			errno = f->failed;
			return -1;
		}
		f->carry_len = 0;
	}
	if (f->skipping || f->carry_len > 0) {
		/* procfs always ends its output with a newline: this was cut short. */
		f->stats.lines++;
		feed_record_bad(f, f->carry, f->carry_len,
				f->skipping ? "line too long"
					    : "no newline at end of file (truncated)");
		f->skipping = 0;
		f->carry_nul = 0;
		f->carry_len = 0;
	}
	if (f->src->finish != NULL)
		return f->src->finish(f->out, cause);
	return 0;
}

int
ml_parse_buffer(struct ml_feed *f, const struct ml_source *src, void *out, const char *buf,
		size_t len, size_t chunk, char **cause)
{
	size_t off, n;

	if (ml_feed_begin(f, src, out) != 0) {
		ml_set_cause(cause, "%s: %s", src->name, strerror(errno));
		return -1;
	}
	if (chunk == 0)
		chunk = len;
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		if (ml_feed(f, buf + off, n) != 0)
			break;
	}
	return ml_feed_finish(f, cause);
}

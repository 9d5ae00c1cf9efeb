/*
 * One-value sysfs attributes and directory listings; see sysattr.h and
 * doc/procfs.md sections 21 and 22.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/scan.h"
#include "proc/sysattr.h"
#include "util.h"

/* An attribute is at most a page; the longest memlens reads is a choice of ~80 bytes. */
#define ATTR_BUF 512

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
bad(struct ml_attr *a, const char *why)
{
	a->state = ML_ATTR_BAD;
	a->why = why;
	return -1;
}

/* Copy [p, end) into dst of cap bytes; false when it does not fit or is not printable. */
static bool
copy_word(char *dst, size_t cap, const char *p, const char *end)
{
	size_t n = (size_t)(end - p), i;

	if (n == 0 || n >= cap)
		return false;
	for (i = 0; i < n; i++) {
		if ((unsigned char)p[i] <= ' ' || (unsigned char)p[i] >= 0x7f)
			return false;
	}
	memcpy(dst, p, n);
	dst[n] = '\0';
	return true;
}

/*
 * "a [b] c": every word separated by blanks, exactly one of them in
 * brackets. The words go to a->choices without brackets, b to a->word.
 */
static int
parse_choice(const char *p, const char *end, struct ml_attr *a)
{
	size_t used = 0;
	int selected = 0;

	a->choices[0] = '\0';
	a->word[0] = '\0';
	for (;;) {
		const char *w, *w_end;
		bool bracketed = false;
		size_t n;

		while (p < end && is_blank(*p))
			p++;
		if (p == end)
			break;
		w = p;
		while (p < end && !is_blank(*p))
			p++;
		w_end = p;
		if (*w == '[') {
			if (w_end - w < 3 || w_end[-1] != ']')
				return bad(a, "unbalanced brackets");
			w++;
			w_end--;
			bracketed = true;
			if (++selected > 1)
				return bad(a, "more than one setting in brackets");
		}
		if (memchr(w, '[', (size_t)(w_end - w)) != NULL ||
		    memchr(w, ']', (size_t)(w_end - w)) != NULL)
			return bad(a, "unbalanced brackets");
		n = (size_t)(w_end - w);
		if (bracketed && !copy_word(a->word, sizeof a->word, w, w_end))
			return bad(a, "setting too long or not printable");
		if (used + (used ? 1 : 0) + n >= sizeof a->choices)
			return bad(a, "too many settings");
		if (!copy_word(a->choices + used + (used ? 1 : 0), sizeof a->choices - used - 1, w,
			       w_end))
			return bad(a, "setting not printable");
		if (used)
			a->choices[used] = ' ';
		used += (used ? 1 : 0) + n;
		a->choices[used] = '\0';
	}
	if (selected == 0)
		return bad(a, "no setting in brackets");
	return 0;
}

int
ml_attr_parse(enum ml_attr_kind k, const char *s, size_t n, struct ml_attr *a)
{
	const char *p = s, *end = s + n, *why;

	a->why = NULL;
	a->err = 0;
	while (end > p && is_blank(end[-1]))
		end--;
	while (p < end && is_blank(*p))
		p++;
	switch (k) {
	case ML_ATTR_U64:
		if (ml_scan_value_u64(p, end, &a->u, &why) != 0)
			return bad(a, why);
		break;
	case ML_ATTR_I64:
		if (ml_scan_value_i64(p, end, &a->i, &why) != 0)
			return bad(a, why);
		break;
	case ML_ATTR_WORD:
		if (p == end)
			return bad(a, "empty");
		if (!copy_word(a->word, sizeof a->word, p, end))
			return bad(a, "not one printable word");
		break;
	case ML_ATTR_FLAG:
		if (end - p == 1 && (*p == '1' || *p == 'Y' || *p == 'y'))
			a->flag = true;
		else if (end - p == 1 && (*p == '0' || *p == 'N' || *p == 'n'))
			a->flag = false;
		else if (memchr(p, '[', (size_t)(end - p)) != NULL) {
			/* khugepaged/defrag before ~4.x: "[yes] no" */
			if (parse_choice(p, end, a) != 0)
				return -1;
			if (strcmp(a->word, "yes") == 0)
				a->flag = true;
			else if (strcmp(a->word, "no") == 0)
				a->flag = false;
			else
				return bad(a, "not yes or no");
		} else
			return bad(a, "not a flag (0/1, Y/N)");
		break;
	case ML_ATTR_CHOICE:
		if (parse_choice(p, end, a) != 0)
			return -1;
		break;
	default:
		return bad(a, "unknown kind");
	}
	a->state = ML_ATTR_OK;
	return 0;
}

void
ml_attr_read(const struct ml_procfs *fs, const char *rel, enum ml_attr_kind k, struct ml_attr *a)
{
	char buf[ATTR_BUF];
	long n;

	memset(a, 0, sizeof *a);
	n = ml_procfs_read_small(fs, rel, buf, sizeof buf, NULL);
	if (n < 0) {
		a->err = errno;
		a->state =
			errno == ENOENT || errno == ENOTDIR ? ML_ATTR_ABSENT : ML_ATTR_UNREADABLE;
		return;
	}
	if ((size_t)n >= sizeof buf - 1) {
		bad(a, "longer than an attribute");
		return;
	}
	if (memchr(buf, '\0', (size_t)n) != NULL) {
		bad(a, "holds a NUL byte");
		return;
	}
	ml_attr_parse(k, buf, (size_t)n, a);
}

const char *
ml_attr_reason(const struct ml_attr *a)
{
	switch (a->state) {
	case ML_ATTR_OK:
		return "ok";
	case ML_ATTR_UNREAD:
		return "not read";
	case ML_ATTR_ABSENT:
		return "not present";
	case ML_ATTR_UNREADABLE:
		if (a->err == EACCES || a->err == EPERM)
			return "permission denied";
		return strerror(a->err);
	case ML_ATTR_BAD:
		return a->why != NULL ? a->why : "bad value";
	}
	return "?";
}

size_t
ml_attrs_read(const struct ml_procfs *fs, const char *dir, const struct ml_attr_def *defs, size_t n,
	      struct ml_attr *out)
{
	char rel[256];
	size_t i, ok = 0;

	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(rel, sizeof rel, "%s/%s", dir, defs[i].name) >= sizeof rel) {
			memset(&out[i], 0, sizeof out[i]);
			out[i].state = ML_ATTR_UNREADABLE;
			out[i].err = ENAMETOOLONG;
			continue;
		}
		ml_attr_read(fs, rel, defs[i].kind, &out[i]);
		if (out[i].state == ML_ATTR_OK)
			ok++;
	}
	return ok;
}

void
ml_names_release(struct ml_names *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int
ml_name_cmp_natural(const char *a, const char *b)
{
	while (*a != '\0' && *b != '\0') {
		if ((unsigned char)(*a - '0') <= 9 && (unsigned char)(*b - '0') <= 9) {
			const char *da = a, *db = b;
			size_t la, lb;

			while (*da == '0' && (unsigned char)(da[1] - '0') <= 9)
				da++;
			while (*db == '0' && (unsigned char)(db[1] - '0') <= 9)
				db++;
			a = da;
			b = db;
			while ((unsigned char)(*a - '0') <= 9)
				a++;
			while ((unsigned char)(*b - '0') <= 9)
				b++;
			la = (size_t)(a - da);
			lb = (size_t)(b - db);
			if (la != lb)
				return la < lb ? -1 : 1;
			if (memcmp(da, db, la) != 0)
				return memcmp(da, db, la) < 0 ? -1 : 1;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a == *b ? 0 : (*a == '\0' ? -1 : 1);
}

static int
cmp_names(const void *x, const void *y)
{
	return ml_name_cmp_natural(*(char *const *)x, *(char *const *)y);
}

int
ml_sysfs_list(const struct ml_procfs *fs, const char *rel, const char *prefix, struct ml_names *out,
	      char **cause)
{
	size_t plen = strlen(prefix), cap = 0;
	struct ml_procfs_dir *dir;
	const char *name;
	int saved;

	out->v = NULL;
	out->n = 0;
	/* Through the root: a directory, or a capture archive's sys/. */
	dir = ml_procfs_opendir(fs, rel, NULL);
	if (dir == NULL) {
		char *path = ml_procfs_path(fs, rel);

		saved = errno;
		ml_set_cause(cause, "cannot list %s: %s", path != NULL ? path : rel,
			     strerror(saved));
		free(path);
		errno = saved;
		return -1;
	}
	while ((name = ml_procfs_readdir(dir)) != NULL) {
		if (name[0] == '.' || strncmp(name, prefix, plen) != 0)
			continue;
		if (out->n == cap) {
			char **v = realloc(out->v, (cap ? cap * 2 : 16) * sizeof *v);

			if (v == NULL)
				goto nomem;
			out->v = v;
			cap = cap ? cap * 2 : 16;
		}
		if ((out->v[out->n] = strdup(name)) == NULL)
			goto nomem;
		out->n++;
	}
	ml_procfs_closedir(dir);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, cmp_names);
	return 0;
nomem:
	ml_procfs_closedir(dir);
	ml_names_release(out);
	ml_set_cause(cause, "%s", strerror(ENOMEM));
	errno = ENOMEM;
	return -1;
}

int
ml_range_list_parse(const char *s, size_t len, unsigned int max_id, int *ids, size_t cap, size_t *n,
		    const char **why)
{
	const char *p = s, *end = s + len;
	uint64_t lo, hi, id, last = 0;
	bool any = false;

	*n = 0;
	while (end > p && is_blank(end[-1]))
		end--;
	while (p < end && is_blank(*p))
		p++;
	while (p < end) {
		if (ml_scan_u64(&p, end, &lo) != ML_SCAN_OK) {
			*why = "expected a number";
			return -1;
		}
		hi = lo;
		if (p < end && *p == '-') {
			p++;
			if (ml_scan_u64(&p, end, &hi) != ML_SCAN_OK) {
				*why = "expected a number after '-'";
				return -1;
			}
		}
		if (hi < lo || hi > max_id) {
			*why = hi < lo ? "range ends before it starts" : "id out of range";
			return -1;
		}
		if (any && lo <= last) {
			*why = "ranges not in ascending order";
			return -1;
		}
		for (id = lo; id <= hi; id++) {
			if (*n == cap) {
				*why = "too many ids";
				return -1;
			}
			ids[(*n)++] = (int)id;
		}
		last = hi;
		any = true;
		if (p < end) {
			if (*p != ',' || p + 1 == end) {
				*why = "expected ',' between ranges";
				return -1;
			}
			p++;
		}
	}
	return 0;
}

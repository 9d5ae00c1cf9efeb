/*
 * The capture manifest's reader; see manifest.h. A JSON parser of its own
 * (RFC 8259: objects, arrays, strings with every escape, numbers, literals),
 * building a small tree that the fields are then taken from. Bounded: at most
 * JSON_DEPTH_MAX levels of nesting, and the input length the caller gives.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "proc/manifest.h"
#include "util.h"

#define JSON_DEPTH_MAX 32

enum jtype { J_NULL, J_FALSE, J_TRUE, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jtype t;
	char *s;         /* J_STR: the decoded string; J_NUM: the number's text */
	size_t n;        /* J_ARR, J_OBJ: members */
	struct jv *kids; /* their values */
	char **keys;     /* J_OBJ: their names */
};

struct jparser {
	const char *p, *end;
	const char *why; /* static */
	size_t at;       /* offset of the error */
	const char *start;
};

static void
jv_free(struct jv *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		jv_free(&v->kids[i]);
		if (v->keys != NULL)
			free(v->keys[i]);
	}
	free(v->kids);
	free(v->keys);
	free(v->s);
	memset(v, 0, sizeof *v);
}

static int
jfail(struct jparser *j, const char *why)
{
	if (j->why == NULL) {
		j->why = why;
		j->at = (size_t)(j->p - j->start);
	}
	return -1;
}

static void
skip_ws(struct jparser *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int
hex4(struct jparser *j, unsigned int *out)
{
	unsigned int v = 0;
	int i;

	if (j->end - j->p < 4)
		return jfail(j, "truncated \\u escape");
	for (i = 0; i < 4; i++) {
		char c = j->p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned int)(c - 'A' + 10);
		else
			return jfail(j, "bad \\u escape");
	}
	j->p += 4;
	*out = v;
	return 0;
}

/* Append code point cp as UTF-8. */
static size_t
put_utf8(char *w, unsigned int cp)
{
	if (cp < 0x80) {
		w[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		w[0] = (char)(0xc0 | (cp >> 6));
		w[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		w[0] = (char)(0xe0 | (cp >> 12));
		w[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		w[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	w[0] = (char)(0xf0 | (cp >> 18));
	w[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	w[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	w[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A string at j->p (on its opening quote); the decoded copy (no NUL inside) into *out. */
static int
parse_string(struct jparser *j, char **out)
{
	const char *q;
	char *buf, *w;

	j->p++;
	/* The decoded string is never longer than the text. */
	for (q = j->p; q < j->end && *q != '"'; q++)
		if (*q == '\\' && q + 1 < j->end)
			q++;
	if (q >= j->end)
		return jfail(j, "unterminated string");
	buf = malloc((size_t)(q - j->p) + 1);
	if (buf == NULL)
		return jfail(j, "out of memory");
	w = buf;
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;

		if (c < 0x20) {
			free(buf);
			return jfail(j, "control character in a string");
		}
		if (c != '\\') {
			*w++ = (char)c;
			j->p++;
			continue;
		}
		j->p++;
		if (j->p >= j->end) {
			free(buf);
			return jfail(j, "unterminated string");
		}
		c = (unsigned char)*j->p++;
		switch (c) {
		case '"':
		case '\\':
		case '/':
			*w++ = (char)c;
			break;
		case 'b':
			*w++ = '\b';
			break;
		case 'f':
			*w++ = '\f';
			break;
		case 'n':
			*w++ = '\n';
			break;
		case 'r':
			*w++ = '\r';
			break;
		case 't':
			*w++ = '\t';
			break;
		case 'u': {
			unsigned int cp, lo;

			if (hex4(j, &cp) != 0) {
				free(buf);
				return -1;
			}
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u') {
					free(buf);
					return jfail(j, "lone surrogate");
				}
				j->p += 2;
				if (hex4(j, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff) {
					free(buf);
					return jfail(j, "lone surrogate");
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp <= 0xdfff) {
				free(buf);
				return jfail(j, "lone surrogate");
			}
			if (cp == 0) {
				free(buf);
				return jfail(j, "NUL in a string");
			}
			/* \uXXXX is 6 bytes of text, at most 4 of UTF-8: it fits. */
			w += put_utf8(w, cp);
			break;
		}
		default:
			free(buf);
			return jfail(j, "bad escape");
		}
	}
	j->p++; /* the closing quote */
	*w = '\0';
	*out = buf;
	return 0;
}

static int
parse_number(struct jparser *j, struct jv *v)
{
	const char *s = j->p;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p >= j->end)
		return jfail(j, "bad number");
	if (*j->p == '0')
		j->p++;
	else if (*j->p >= '1' && *j->p <= '9')
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	else
		return jfail(j, "bad number");
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return jfail(j, "bad number");
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return jfail(j, "bad number");
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	v->t = J_NUM;
	v->s = strndup(s, (size_t)(j->p - s));
	return v->s != NULL ? 0 : jfail(j, "out of memory");
}

static int parse_value(struct jparser *j, struct jv *v, int depth);

/* Grow v's member arrays by one; the new value is zeroed. */
static struct jv *
add_member(struct jparser *j, struct jv *v, size_t *cap, bool keyed)
{
	if (v->n == *cap) {
		size_t c = *cap ? *cap * 2 : 8;
		struct jv *k = realloc(v->kids, c * sizeof *k);

		if (k == NULL) {
			jfail(j, "out of memory");
			return NULL;
		}
		v->kids = k;
		if (keyed) {
			char **names = realloc(v->keys, c * sizeof *names);

			if (names == NULL) {
				jfail(j, "out of memory");
				return NULL;
			}
			v->keys = names;
		}
		*cap = c;
	}
	memset(&v->kids[v->n], 0, sizeof v->kids[0]);
	if (keyed)
		v->keys[v->n] = NULL;
	return &v->kids[v->n++];
}

static int
parse_container(struct jparser *j, struct jv *v, int depth, bool object)
{
	char close = object ? '}' : ']';
	size_t cap = 0;

	v->t = object ? J_OBJ : J_ARR;
	j->p++;
	skip_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return 0;
	}
	for (;;) {
		struct jv *m;
		char *key = NULL;

		skip_ws(j);
		if (object) {
			if (j->p >= j->end || *j->p != '"')
				return jfail(j, "expected a member name");
			if (parse_string(j, &key) != 0)
				return -1;
			skip_ws(j);
			if (j->p >= j->end || *j->p != ':') {
				free(key);
				return jfail(j, "expected ':'");
			}
			j->p++;
		}
		m = add_member(j, v, &cap, object);
		if (m == NULL) {
			free(key);
			return -1;
		}
		if (object)
			v->keys[v->n - 1] = key;
		if (parse_value(j, m, depth + 1) != 0)
			return -1;
		skip_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return 0;
		}
		return jfail(j, object ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int
literal(struct jparser *j, struct jv *v, const char *word, enum jtype t)
{
	size_t n = strlen(word);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
		return jfail(j, "unexpected character");
	j->p += n;
	v->t = t;
	return 0;
}

static int
parse_value(struct jparser *j, struct jv *v, int depth)
{
	if (depth > JSON_DEPTH_MAX)
		return jfail(j, "nested too deeply");
	skip_ws(j);
	if (j->p >= j->end)
		return jfail(j, "unexpected end");
	switch (*j->p) {
	case '{':
		return parse_container(j, v, depth, true);
	case '[':
		return parse_container(j, v, depth, false);
	case '"':
		v->t = J_STR;
		return parse_string(j, &v->s);
	case 't':
		return literal(j, v, "true", J_TRUE);
	case 'f':
		return literal(j, v, "false", J_FALSE);
	case 'n':
		return literal(j, v, "null", J_NULL);
	default:
		return parse_number(j, v);
	}
}

/* The member of object o named key (the last of that name), or NULL. */
static const struct jv *
member(const struct jv *o, const char *key)
{
	size_t i;

	if (o == NULL || o->t != J_OBJ)
		return NULL;
	for (i = o->n; i-- > 0;)
		if (strcmp(o->keys[i], key) == 0)
			return &o->kids[i];
	return NULL;
}

/* The fields, typed: a wrong type is an error; null and absent are "unknown". */
struct fields {
	const char *why;
	const char *key;
};

static bool
bad(struct fields *f, const char *key, const char *why)
{
	if (f->why == NULL) {
		f->why = why;
		f->key = key;
	}
	return false;
}

/* A string or null member into *out (a copy; NULL for null or absent). */
static bool
get_str(struct fields *f, const struct jv *o, const char *key, char **out)
{
	const struct jv *v = member(o, key);

	*out = NULL;
	if (v == NULL || v->t == J_NULL)
		return true;
	if (v->t != J_STR)
		return bad(f, key, "not a string");
	*out = strdup(v->s);
	return *out != NULL || bad(f, key, "out of memory");
}

/* An unsigned integer member; *known false for null or absent. */
static bool
get_u64(struct fields *f, const struct jv *o, const char *key, uint64_t *out, bool *known)
{
	const struct jv *v = member(o, key);
	const char *p;
	uint64_t x = 0;

	*known = false;
	*out = 0;
	if (v == NULL || v->t == J_NULL)
		return true;
	if (v->t != J_NUM)
		return bad(f, key, "not a number");
	for (p = v->s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || x > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return bad(f, key, "not an unsigned integer");
		x = x * 10 + (uint64_t)(*p - '0');
	}
	*out = x;
	*known = true;
	return true;
}

static bool
get_double(struct fields *f, const struct jv *o, const char *key, double *out)
{
	const struct jv *v = member(o, key);

	*out = 0;
	if (v == NULL || v->t == J_NULL)
		return true;
	if (v->t != J_NUM)
		return bad(f, key, "not a number");
	*out = strtod(v->s, NULL);
	return true;
}

static const struct {
	int err;
	const char *name;
} errno_names[] = {
	{ EPERM, "EPERM" },
	{ ENOENT, "ENOENT" },
	{ ESRCH, "ESRCH" },
	{ EINTR, "EINTR" },
	{ EIO, "EIO" },
	{ ENXIO, "ENXIO" },
	{ E2BIG, "E2BIG" },
	{ EBADF, "EBADF" },
	{ EAGAIN, "EAGAIN" },
	{ ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" },
	{ EFAULT, "EFAULT" },
	{ EBUSY, "EBUSY" },
	{ EEXIST, "EEXIST" },
	{ ENODEV, "ENODEV" },
	{ ENOTDIR, "ENOTDIR" },
	{ EISDIR, "EISDIR" },
	{ EINVAL, "EINVAL" },
	{ ENFILE, "ENFILE" },
	{ EMFILE, "EMFILE" },
	{ EFBIG, "EFBIG" },
	{ ENOSPC, "ENOSPC" },
	{ EROFS, "EROFS" },
	{ ENAMETOOLONG, "ENAMETOOLONG" },
	{ ENOSYS, "ENOSYS" },
	{ ELOOP, "ELOOP" },
	{ ENODATA, "ENODATA" },
	{ EOVERFLOW, "EOVERFLOW" },
	{ EOPNOTSUPP, "EOPNOTSUPP" },
	{ ETIMEDOUT, "ETIMEDOUT" },
	{ EPROTO, "EPROTO" },
};

int
ml_errno_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < ML_ARRAY_SIZE(errno_names); i++)
		if (strcmp(errno_names[i].name, name) == 0)
			return errno_names[i].err;
	return 0;
}

const char *
ml_errno_name(int err)
{
	size_t i;

	for (i = 0; i < ML_ARRAY_SIZE(errno_names); i++)
		if (errno_names[i].err == err)
			return errno_names[i].name;
	return NULL;
}

static int
cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct ml_manifest_file *)a)->path,
		      ((const struct ml_manifest_file *)b)->path);
}

/* One entry of "files". */
static bool
get_file(struct fields *f, const struct jv *o, struct ml_manifest_file *mf)
{
	const struct jv *e;
	uint64_t v;
	bool known;
	char *mode = NULL, *end;

	memset(mf, 0, sizeof *mf);
	if (o->t != J_OBJ)
		return bad(f, "files", "an entry is not an object");
	if (!get_str(f, o, "path", &mf->path))
		return false;
	if (mf->path == NULL || mf->path[0] == '\0')
		return bad(f, "files", "an entry has no path");
	if (!get_u64(f, o, "size", &v, &known))
		return false;
	mf->size = v;
	if (!get_str(f, o, "mode", &mode))
		return false;
	if (mode != NULL) {
		unsigned long m = strtoul(mode, &end, 8);

		if (*end != '\0' || end == mode || m > 07777) {
			free(mode);
			return bad(f, "mode", "not an octal mode");
		}
		mf->mode = (unsigned int)m;
		free(mode);
	}
	e = member(o, "errno");
	if (e != NULL && e->t != J_NULL) {
		if (e->t != J_STR)
			return bad(f, "errno", "not a string");
		mf->err = ml_errno_from_name(e->s);
		/* An errno this memlens has no name for still means "not readable". */
		if (mf->err == 0)
			mf->err = EIO;
	}
	return get_str(f, o, "error", &mf->error);
}

void
ml_manifest_init(struct ml_manifest *m)
{
	memset(m, 0, sizeof *m);
}

void
ml_manifest_release(struct ml_manifest *m)
{
	size_t i;

	for (i = 0; i < m->nfiles; i++) {
		free(m->files[i].path);
		free(m->files[i].error);
	}
	free(m->files);
	free(m->memlens_version);
	free(m->host);
	free(m->kernel_release);
	free(m->boot_id);
	free(m->wall_start);
	free(m->wall_end);
	free(m->pids);
	free(m->smaps);
	memset(m, 0, sizeof *m);
}

int
ml_manifest_parse(struct ml_manifest *m, const char *buf, size_t len, char **cause)
{
	struct jparser j = { .p = buf, .end = buf + len, .start = buf };
	struct fields f = { 0 };
	struct jv root = { 0 };
	const struct jv *v, *t, *o, *files;
	uint64_t u;
	bool known;
	size_t i;

	ml_manifest_release(m);
	if (parse_value(&j, &root, 0) == 0) {
		skip_ws(&j);
		if (j.p != j.end)
			jfail(&j, "text after the document");
	}
	if (j.why != NULL) {
		ml_set_cause(cause, "not JSON: %s at byte %zu", j.why, j.at);
		jv_free(&root);
		errno = EINVAL;
		return -1;
	}
	v = member(&root, "manifest_schema");
	if (root.t != J_OBJ || v == NULL) {
		ml_set_cause(cause, "not a memlens capture manifest (no manifest_schema)");
		jv_free(&root);
		errno = EINVAL;
		return -1;
	}
	if (!get_u64(&f, &root, "manifest_schema", &u, &known) || !known || u > 1000000) {
		ml_set_cause(cause, "manifest_schema is not a version number");
		jv_free(&root);
		errno = EINVAL;
		return -1;
	}
	m->schema = (int)u;
	if (m->schema != ML_MANIFEST_SCHEMA) {
		ml_set_cause(cause,
			     "manifest schema %d is not one this memlens reads (it reads %d): "
			     "the capture was written by %s memlens",
			     m->schema, ML_MANIFEST_SCHEMA,
			     m->schema > ML_MANIFEST_SCHEMA ? "a newer" : "an older");
		jv_free(&root);
		errno = EPROTO;
		return -1;
	}
	get_str(&f, &root, "memlens_version", &m->memlens_version);
	get_str(&f, &root, "host", &m->host);
	get_str(&f, &root, "kernel_release", &m->kernel_release);
	get_str(&f, &root, "boot_id", &m->boot_id);
	get_u64(&f, &root, "page_size", &m->page_size, &known);
	if (get_u64(&f, &root, "euid", &u, &m->euid_known) && u > UINT32_MAX)
		bad(&f, "euid", "out of range");
	m->euid = (uint32_t)u;
	t = member(&root, "time");
	if (t != NULL && t->t != J_OBJ)
		bad(&f, "time", "not an object");
	get_str(&f, t, "wall_start", &m->wall_start);
	get_str(&f, t, "wall_end", &m->wall_end);
	get_double(&f, t, "unix_start", &m->unix_start);
	get_double(&f, t, "unix_end", &m->unix_end);
	get_double(&f, t, "monotonic_start", &m->mono_start);
	get_double(&f, t, "monotonic_end", &m->mono_end);
	o = member(&root, "options");
	if (o != NULL && o->t != J_OBJ)
		bad(&f, "options", "not an object");
	get_str(&f, o, "pids", &m->pids);
	get_str(&f, o, "smaps", &m->smaps);
	files = member(&root, "files");
	if (files == NULL || files->t != J_ARR)
		bad(&f, "files", "missing, or not an array");
	else if (files->n > 0) {
		m->files = calloc(files->n, sizeof *m->files);
		if (m->files == NULL)
			bad(&f, "files", "out of memory");
		for (i = 0; m->files != NULL && i < files->n; i++) {
			m->nfiles = i + 1;
			if (!get_file(&f, &files->kids[i], &m->files[i]))
				break;
		}
	}
	jv_free(&root);
	if (f.why != NULL) {
		ml_set_cause(cause, "bad manifest: \"%s\": %s", f.key, f.why);
		ml_manifest_release(m);
		errno = EINVAL;
		return -1;
	}
	if (m->nfiles > 1)
		qsort(m->files, m->nfiles, sizeof *m->files, cmp_file);
	return 0;
}

const struct ml_manifest_file *
ml_manifest_find(const struct ml_manifest *m, const char *path)
{
	size_t lo = 0, hi = m->nfiles;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->files[mid].path, path);

		if (c == 0)
			return &m->files[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

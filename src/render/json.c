/*
 * JSON output through cJSON; see json.h.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proc/sysinfo.h"
#include "render/json.h"

#define CJ(n) ((cJSON *)(void *)(n))
#define JN(c) ((struct json_node *)(void *)(c))

/* Set when any allocation failed while building the current documents. */
static bool json_oom;

static struct json_node *
attach(struct json_node *obj, const char *key, cJSON *item)
{
	if (item == NULL) {
		json_oom = true;
		return NULL;
	}
	if (obj == NULL) {
		cJSON_Delete(item);
		return NULL;
	}
	if (cJSON_IsArray(CJ(obj))) {
		if (!cJSON_AddItemToArray(CJ(obj), item)) {
			cJSON_Delete(item);
			json_oom = true;
			return NULL;
		}
	} else if (!cJSON_AddItemToObject(CJ(obj), key, item)) {
		cJSON_Delete(item);
		json_oom = true;
		return NULL;
	}
	return JN(item);
}

struct json_node *
json_object_new(void)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		json_oom = true;
	return JN(o);
}

void
json_free(struct json_node *n)
{
	cJSON_Delete(CJ(n));
}

struct json_node *
json_add_object(struct json_node *obj, const char *key)
{
	return attach(obj, key, cJSON_CreateObject());
}

struct json_node *
json_add_array(struct json_node *obj, const char *key)
{
	return attach(obj, key, cJSON_CreateArray());
}

struct json_node *
json_array_add_object(struct json_node *arr)
{
	return attach(arr, NULL, cJSON_CreateObject());
}

void
json_add_u64(struct json_node *obj, const char *key, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%" PRIu64, v);
	attach(obj, key, cJSON_CreateRaw(buf));
}

void
json_add_i64(struct json_node *obj, const char *key, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%" PRId64, v);
	attach(obj, key, cJSON_CreateRaw(buf));
}

void
json_add_double(struct json_node *obj, const char *key, double v)
{
	char buf[32];

	if (!isfinite(v)) {
		json_add_null(obj, key);
		return;
	}
	/* Ratios and percentages: 4 decimals are plenty, and stable across libcs. */
	snprintf(buf, sizeof buf, "%.4f", v);
	attach(obj, key, cJSON_CreateRaw(buf));
}

void
json_add_string(struct json_node *obj, const char *key, const char *s)
{
	attach(obj, key, s != NULL ? cJSON_CreateString(s) : cJSON_CreateNull());
}

void
json_add_stringn(struct json_node *obj, const char *key, const char *s, size_t n)
{
	char *copy = strndup(s, n);

	if (copy == NULL) {
		json_oom = true;
		return;
	}
	json_add_string(obj, key, copy);
	free(copy);
}

void
json_add_bool(struct json_node *obj, const char *key, bool v)
{
	attach(obj, key, cJSON_CreateBool(v));
}

void
json_add_null(struct json_node *obj, const char *key)
{
	attach(obj, key, cJSON_CreateNull());
}

void
json_array_add_string(struct json_node *arr, const char *s)
{
	json_add_string(arr, NULL, s);
}

void
json_array_add_stringn(struct json_node *arr, const char *s, size_t n)
{
	json_add_stringn(arr, NULL, s, n);
}

void
json_array_add_u64(struct json_node *arr, uint64_t v)
{
	json_add_u64(arr, NULL, v);
}

struct json_node *
json_doc_new(const char *command, const struct ml_sysinfo *si)
{
	struct json_node *doc = json_object_new(), *m, *src;
	char when[32];
	struct tm tm;

	json_oom = doc == NULL;
	m = json_add_object(doc, "memlens");
	json_add_string(m, "version", PACKAGE_VERSION);
	json_add_u64(m, "schema", ML_JSON_SCHEMA);
	json_add_string(doc, "command", command);
	src = json_add_object(doc, "source");
	json_add_string(src, "proc_root", si->proc_root);
	json_add_string(src, "kernel_release", si->kernel_release[0] ? si->kernel_release : NULL);
	json_add_string(src, "hostname", si->hostname[0] ? si->hostname : NULL);
	if (gmtime_r(&si->time, &tm) != NULL &&
	    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
		json_add_string(src, "time", when);
	else
		json_add_null(src, "time");
	/* Read from a capture: which, and when it was taken. */
	if (si->capture != NULL) {
		struct json_node *c = json_add_object(src, "capture");

		json_add_string(c, "path", si->capture);
		if (gmtime_r(&si->capture_time, &tm) != NULL &&
		    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
			json_add_string(c, "time", when);
		else
			json_add_null(c, "time");
	}
	return doc;
}

/*
 * cJSON indents with tabs and puts a tab after each colon. Tabs inside
 * strings are always escaped, so every raw tab is layout: indentation
 * becomes two spaces, any other tab one space.
 */
static void
write_pretty(const char *s, FILE *f)
{
	bool line_start = true;

	for (; *s != '\0'; s++) {
		if (*s == '\t') {
			fputs(line_start ? "  " : " ", f);
			continue;
		}
		line_start = *s == '\n';
		fputc(*s, f);
	}
}

int
json_print(const struct json_node *doc, FILE *f, bool pretty)
{
	char *s;

	if (json_oom || doc == NULL) {
		errno = ENOMEM;
		return -1;
	}
	s = pretty ? cJSON_Print(CJ(doc)) : cJSON_PrintUnformatted(CJ(doc));
	if (s == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (pretty)
		write_pretty(s, f);
	else
		fputs(s, f);
	fputc('\n', f);
	cJSON_free(s);
	return 0;
}

/* ------------------------------------------------------------ streaming */

/* Nesting of a row written directly: the row itself and what it holds. */
#define JSON_ROW_DEPTH 8

struct json_stream {
	FILE *f;
	bool pretty;
	bool line_start; /* pretty: the next tab is indentation */
	bool failed;
	bool any_member; /* the document has a member before the next one */
	bool in_array;   /* a streamed array is open */
	unsigned long rows;
	/* The row being written with json_row_*: its text, as cJSON would print it. */
	char *buf;
	size_t len, cap;
	int depth; /* open containers of the row; 0: no row */
	unsigned int count[JSON_ROW_DEPTH];
	bool is_array[JSON_ROW_DEPTH];
};

/* Write s (n bytes) as write_pretty does, keeping line_start across calls. */
static void
stream_put(struct json_stream *st, const char *s, size_t n)
{
	size_t i, run;

	if (!st->pretty) {
		fwrite(s, 1, n, st->f);
		return;
	}
	for (i = 0; i < n; i += run) {
		if (s[i] == '\t') {
			fputs(st->line_start ? "  " : " ", st->f);
			run = 1;
			continue;
		}
		/* A run without tabs at once; it ends a line when it ends with one. */
		for (run = 0; i + run < n && s[i + run] != '\t'; run++)
			;
		fwrite(s + i, 1, run, st->f);
		st->line_start = s[i + run - 1] == '\n';
	}
}

static void
stream_puts(struct json_stream *st, const char *s)
{
	stream_put(st, s, strlen(s));
}

/* Print n (an object) and return the text, or NULL (failed set). */
static char *
stream_print(struct json_stream *st, const struct json_node *n)
{
	char *s;

	if (json_oom || n == NULL) {
		st->failed = true;
		return NULL;
	}
	s = st->pretty ? cJSON_Print(CJ(n)) : cJSON_PrintUnformatted(CJ(n));
	if (s == NULL)
		st->failed = true;
	return s;
}

/* Write the members of the printed object s (its text without the braces). */
static void
stream_members_text(struct json_stream *st, const char *s)
{
	size_t n = strlen(s);

	if (n < 2)
		return;
	s++;    /* '{' */
	n -= 2; /* and '}' */
	if (st->pretty && n > 0 && s[n - 1] == '\n')
		n--;
	if (n == 0 || (st->pretty && n == 0))
		return;
	if (st->pretty && n == 1 && s[0] == '\n')
		return; /* an empty object */
	if (st->any_member)
		stream_puts(st, ",");
	stream_put(st, s, n);
	st->any_member = true;
}

struct json_stream *
json_stream_doc_begin(struct json_node *head, FILE *f, bool pretty)
{
	struct json_stream *st = calloc(1, sizeof *st);
	char *s;

	if (st == NULL) {
		json_oom = true;
		json_free(head);
		return NULL;
	}
	st->f = f;
	st->pretty = pretty;
	st->line_start = true;
	stream_puts(st, "{");
	s = stream_print(st, head);
	if (s != NULL) {
		stream_members_text(st, s);
		cJSON_free(s);
	}
	json_free(head);
	return st;
}

void
json_stream_members(struct json_stream *st, struct json_node *obj)
{
	char *s;

	if (st == NULL || st->failed || st->in_array) {
		if (st != NULL && st->in_array)
			st->failed = true;
		json_free(obj);
		return;
	}
	if ((s = stream_print(st, obj)) != NULL) {
		stream_members_text(st, s);
		cJSON_free(s);
	}
	json_free(obj);
}

void
json_stream_array_begin(struct json_stream *st, const char *key)
{
	if (st == NULL || st->failed)
		return;
	if (st->in_array) {
		st->failed = true;
		return;
	}
	if (st->any_member)
		stream_puts(st, ",");
	stream_puts(st, st->pretty ? "\n\t\"" : "\"");
	stream_puts(st, key);
	stream_puts(st, st->pretty ? "\":\t[" : "\":[");
	st->in_array = true;
	st->rows = 0;
	st->any_member = true;
}

void
json_stream_array_end(struct json_stream *st)
{
	if (st == NULL || st->failed || !st->in_array)
		return;
	stream_puts(st, st->pretty && st->rows > 0 ? "\n\t]" : "]");
	st->in_array = false;
}

struct json_stream *
json_stream_begin(struct json_node *head, const char *array_key, FILE *f, bool pretty)
{
	struct json_stream *st = json_stream_doc_begin(head, f, pretty);

	json_stream_array_begin(st, array_key);
	return st;
}

/* Write one element of the open array, printed as s. */
static void
stream_row_text(struct json_stream *st, const char *s)
{
	const char *p, *nl;

	if (!st->in_array) {
		st->failed = true;
		return;
	}
	if (st->rows++ > 0)
		stream_puts(st, ",");
	if (st->pretty) {
		/* One element per line, indented two levels. */
		stream_puts(st, "\n\t\t");
		for (p = s; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
			stream_put(st, p, (size_t)(nl - p + 1));
			stream_puts(st, "\t\t");
		}
		stream_puts(st, p);
	} else {
		stream_puts(st, s);
	}
}

void
json_stream_row(struct json_stream *st, struct json_node *row)
{
	char *s;

	if (st == NULL) {
		json_free(row);
		return;
	}
	if (!st->failed && (s = stream_print(st, row)) != NULL) {
		stream_row_text(st, s);
		cJSON_free(s);
	}
	json_free(row);
}

int
json_stream_end(struct json_stream *st, struct json_node *tail)
{
	char *s = NULL;
	int rc = 0;

	if (st == NULL) {
		json_free(tail);
		errno = ENOMEM;
		return -1;
	}
	json_stream_array_end(st);
	if (!st->failed && tail != NULL && (s = stream_print(st, tail)) != NULL) {
		stream_members_text(st, s);
		cJSON_free(s);
	}
	if (!st->failed)
		stream_puts(st, st->pretty && st->any_member ? "\n}" : "}");
	if (!st->failed)
		fputc('\n', st->f);
	if (st->failed || json_oom || st->depth != 0) {
		errno = ENOMEM;
		rc = -1;
	}
	json_free(tail);
	free(st->buf);
	free(st);
	return rc;
}

/* ------------------------------------------------------------ rows written directly */

/* Room for n more bytes of the row's text; NULL (failed set) when there is none. */
static char *
row_room(struct json_stream *st, size_t n)
{
	if (st->len + n + 1 > st->cap) {
		size_t cap = st->cap ? st->cap : 1024;
		char *b;

		while (st->len + n + 1 > cap)
			cap *= 2;
		if ((b = realloc(st->buf, cap)) == NULL) {
			st->failed = true;
			return NULL;
		}
		st->buf = b;
		st->cap = cap;
	}
	return st->buf + st->len;
}

/* Append n bytes to the row's text (not NUL-terminated until json_row_end). */
static inline void
row_put(struct json_stream *st, const char *s, size_t n)
{
	char *p = st->len + n < st->cap ? st->buf + st->len : row_room(st, n);

	if (p == NULL)
		return;
	memcpy(p, s, n);
	st->len += n;
}

static void
row_tabs(struct json_stream *st, int n)
{
	static const char tabs[JSON_ROW_DEPTH] = "\t\t\t\t\t\t\t\t";

	row_put(st, tabs, (size_t)(n < JSON_ROW_DEPTH ? n : JSON_ROW_DEPTH));
}

/* The bytes cJSON escapes in a string: controls, '"' and '\\'. */
static inline bool
escaped(unsigned char c)
{
	return c < 32 || c == '"' || c == '\\';
}

/*
 * The length of the start of s[0..n) that needs no escape: eight bytes at a
 * time (a byte below 32, or equal to '"' or '\\', sets the high bit of its
 * lane), then one by one.
 */
static size_t
clean_prefix(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	size_t i = 0;
	uint64_t w, q, b;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		q = w ^ (ones * '"');
		b = w ^ (ones * '\\');
		if ((((w - ones * 32) & ~w) | ((q - ones) & ~q) | ((b - ones) & ~b)) & highs)
			break;
	}
	while (i < n && !escaped((unsigned char)s[i]))
		i++;
	return i;
}

/* A string, quoted and escaped as cJSON prints it (bytes >= 0x80 as they are). */
static void
row_string(struct json_stream *st, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, run;
	char esc[6];
	char *p;

	/* The usual case, nothing to escape: one copy. */
	i = clean_prefix(s, n);
	if (i == n) {
		if ((p = st->len + n + 2 < st->cap ? st->buf + st->len : row_room(st, n + 2)) ==
		    NULL)
			return;
		p[0] = '"';
		memcpy(p + 1, s, n);
		p[n + 1] = '"';
		st->len += n + 2;
		return;
	}
	row_put(st, "\"", 1);
	row_put(st, s, i);
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!escaped(c)) {
			for (run = 1; i + run < n && !escaped((unsigned char)s[i + run]); run++)
				;
			row_put(st, s + i, run);
			i += run - 1;
			continue;
		}
		esc[0] = '\\';
		switch (c) {
		case '"':
		case '\\':
			esc[1] = (char)c;
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			row_put(st, esc, 6);
			continue;
		}
		row_put(st, esc, 2);
	}
	row_put(st, "\"", 1);
}

/* What comes before a value: the separator, and a member's key. */
static bool
row_lead(struct json_stream *st, const char *key)
{
	int d = st->depth;
	size_t n;
	char *p;

	if (st->failed || d <= 0)
		return false;
	if (st->is_array[d - 1]) {
		if (st->count[d - 1]++ > 0)
			row_put(st, st->pretty ? ", " : ",", st->pretty ? 2 : 1);
		return true;
	}
	if (key == NULL) { /* a member without a name */
		st->failed = true;
		return false;
	}
	n = strlen(key);
	if (!st->pretty && clean_prefix(key, n) == n) {
		/* The usual case: ',"key":' in one copy. */
		if ((p = st->len + n + 4 < st->cap ? st->buf + st->len : row_room(st, n + 4)) ==
		    NULL)
			return false;
		if (st->count[d - 1]++ > 0)
			*p++ = ',';
		*p++ = '"';
		memcpy(p, key, n);
		p += n;
		*p++ = '"';
		*p++ = ':';
		st->len = (size_t)(p - st->buf);
		return true;
	}
	if (st->count[d - 1]++ > 0)
		row_put(st, st->pretty ? ",\n" : ",", st->pretty ? 2 : 1);
	if (st->pretty)
		row_tabs(st, d);
	row_string(st, key, n);
	row_put(st, st->pretty ? ":\t" : ":", st->pretty ? 2 : 1);
	return true;
}

static void
row_open(struct json_stream *st, bool array)
{
	if (st->depth >= JSON_ROW_DEPTH) {
		st->failed = true;
		return;
	}
	row_put(st, array ? "[" : (st->pretty ? "{\n" : "{"), array || !st->pretty ? 1 : 2);
	st->is_array[st->depth] = array;
	st->count[st->depth] = 0;
	st->depth++;
}

static void
row_close(struct json_stream *st, bool array)
{
	int d = st->depth;

	if (d <= 0 || st->is_array[d - 1] != array) {
		st->failed = true;
		return;
	}
	if (array) {
		row_put(st, "]", 1);
	} else {
		if (st->pretty) {
			if (st->count[d - 1] > 0)
				row_put(st, "\n", 1);
			row_tabs(st, d - 1);
		}
		row_put(st, "}", 1);
	}
	st->depth--;
}

void
json_row_begin(struct json_stream *st)
{
	if (st == NULL || st->failed)
		return;
	if (st->depth != 0) {
		st->failed = true;
		return;
	}
	st->len = 0;
	row_open(st, false);
}

void
json_row_end(struct json_stream *st)
{
	if (st == NULL || st->failed)
		return;
	row_close(st, false);
	if (st->depth != 0 || row_room(st, 0) == NULL) {
		st->failed = true;
		return;
	}
	st->buf[st->len] = '\0';
	stream_row_text(st, st->buf);
}

void
json_row_u64(struct json_stream *st, const char *key, uint64_t v)
{
	char buf[24];
	size_t i = sizeof buf;

	if (st == NULL || !row_lead(st, key))
		return;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	row_put(st, buf + i, sizeof buf - i);
}

void
json_row_double(struct json_stream *st, const char *key, double v)
{
	char buf[48];
	int n;

	if (!isfinite(v)) {
		json_row_null(st, key);
		return;
	}
	if (st == NULL || !row_lead(st, key))
		return;
	/* As json_add_double: 4 decimals. */
	n = snprintf(buf, sizeof buf, "%.4f", v);
	if (n > 0 && (size_t)n < sizeof buf)
		row_put(st, buf, (size_t)n);
}

void
json_row_array_u64(struct json_stream *st, uint64_t v)
{
	json_row_u64(st, NULL, v);
}

void
json_row_hex(struct json_stream *st, const char *key, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	char buf[20];
	size_t i = sizeof buf - 1;

	if (st == NULL || !row_lead(st, key))
		return;
	buf[i] = '"';
	do {
		buf[--i] = hex[v & 15];
		v >>= 4;
	} while (v != 0);
	buf[--i] = '"';
	row_put(st, buf + i, sizeof buf - i);
}

void
json_row_string(struct json_stream *st, const char *key, const char *s, size_t n)
{
	if (st == NULL || !row_lead(st, key))
		return;
	if (s == NULL)
		row_put(st, "null", 4);
	else
		row_string(st, s, n);
}

void
json_row_null(struct json_stream *st, const char *key)
{
	json_row_string(st, key, NULL, 0);
}

void
json_row_bool(struct json_stream *st, const char *key, bool v)
{
	if (st != NULL && row_lead(st, key))
		row_put(st, v ? "true" : "false", v ? 4 : 5);
}

void
json_row_object_begin(struct json_stream *st, const char *key)
{
	if (st != NULL && row_lead(st, key))
		row_open(st, false);
}

void
json_row_object_end(struct json_stream *st)
{
	if (st != NULL && !st->failed)
		row_close(st, false);
}

void
json_row_array_begin(struct json_stream *st, const char *key)
{
	if (st != NULL && row_lead(st, key))
		row_open(st, true);
}

void
json_row_array_end(struct json_stream *st)
{
	if (st != NULL && !st->failed)
		row_close(st, true);
}

void
json_row_array_string(struct json_stream *st, const char *s, size_t n)
{
	json_row_string(st, NULL, s, n);
}

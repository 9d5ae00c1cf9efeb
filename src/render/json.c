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

struct json_stream {
	FILE *f;
	bool pretty;
	bool line_start; /* pretty: the next tab is indentation */
	bool failed;
	unsigned long rows;
};

/* Write s (n bytes) as write_pretty does, keeping line_start across calls. */
static void
stream_put(struct json_stream *st, const char *s, size_t n)
{
	size_t i;

	if (!st->pretty) {
		fwrite(s, 1, n, st->f);
		return;
	}
	for (i = 0; i < n; i++) {
		if (s[i] == '\t') {
			fputs(st->line_start ? "  " : " ", st->f);
			continue;
		}
		st->line_start = s[i] == '\n';
		fputc(s[i], st->f);
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

struct json_stream *
json_stream_begin(struct json_node *head, const char *array_key, FILE *f, bool pretty)
{
	struct json_stream *st = calloc(1, sizeof *st);
	char *s;
	size_t n;

	if (st == NULL) {
		json_oom = true;
		json_free(head);
		return NULL;
	}
	st->f = f;
	st->pretty = pretty;
	st->line_start = true;
	s = stream_print(st, head);
	if (s != NULL) {
		/* Everything but the closing brace (and, pretty, the newline before it). */
		n = strlen(s);
		if (n > 0 && s[n - 1] == '}')
			n--;
		if (n > 0 && s[n - 1] == '\n')
			n--;
		stream_put(st, s, n);
		if (cJSON_GetArraySize(CJ(head)) > 0)
			stream_puts(st, ",");
		stream_puts(st, pretty ? "\n\t\"" : "\"");
		stream_puts(st, array_key);
		stream_puts(st, pretty ? "\":\t[" : "\":[");
		cJSON_free(s);
	}
	json_free(head);
	return st;
}

void
json_stream_row(struct json_stream *st, struct json_node *row)
{
	char *s, *p, *nl;

	if (st == NULL) {
		json_free(row);
		return;
	}
	if (!st->failed && (s = stream_print(st, row)) != NULL) {
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
	if (!st->failed)
		stream_puts(st, st->pretty && st->rows > 0 ? "\n\t]" : "]");
	if (!st->failed && tail != NULL && cJSON_GetArraySize(CJ(tail)) > 0 &&
	    (s = stream_print(st, tail)) != NULL) {
		/* The tail's members: its text without the opening brace. */
		stream_puts(st, ",");
		stream_puts(st, s + 1);
		cJSON_free(s);
	} else if (!st->failed) {
		stream_puts(st, st->pretty ? "\n}" : "}");
	}
	if (!st->failed)
		fputc('\n', st->f);
	if (st->failed || json_oom) {
		errno = ENOMEM;
		rc = -1;
	}
	json_free(tail);
	free(st);
	return rc;
}

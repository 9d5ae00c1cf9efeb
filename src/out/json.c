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

#include "out/json.h"

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

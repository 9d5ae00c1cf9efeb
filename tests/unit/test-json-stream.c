/*
 * The streaming JSON writer (out/json.c): a document whose array rows are
 * written one at a time must be the same JSON as the tree would print,
 * compact and pretty, with and without rows and tail.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "proc/sysinfo.h"
#include "render/json.h"

static struct ml_sysinfo si = { .proc_root = "/proc", .kernel_release = "6.18", .time = 0 };

/* Stream n rows, then parse the output back. */
static char *
stream(size_t n, bool pretty, bool with_tail)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct json_node *head = json_doc_new("maps", &si), *row, *tail = NULL;
	struct json_stream *js;
	size_t i;

	assert_non_null(f);
	json_add_u64(head, "pid", 42);
	js = json_stream_begin(head, "mappings", f, pretty);
	assert_non_null(js);
	for (i = 0; i < n; i++) {
		row = json_object_new();
		json_add_u64(row, "i", i);
		json_add_string(row, "name", "a \"quoted\"\nname\t");
		json_add_u64(json_add_object(row, "fields"), "Rss", UINT64_MAX - i);
		json_stream_row(js, row);
	}
	if (with_tail) {
		tail = json_object_new();
		json_add_u64(json_add_object(tail, "totals"), "mappings", n);
		json_add_null(tail, "error");
	}
	assert_int_equal(json_stream_end(js, tail), 0);
	fclose(f);
	return out;
}

static void
check(const char *text, size_t n, bool with_tail)
{
	cJSON *doc = cJSON_Parse(text), *arr, *row, *rss;
	size_t i;

	assert_non_null(doc);
	assert_string_equal(cJSON_GetObjectItem(doc, "command")->valuestring, "maps");
	assert_int_equal(cJSON_GetObjectItem(doc, "pid")->valueint, 42);
	arr = cJSON_GetObjectItem(doc, "mappings");
	assert_true(cJSON_IsArray(arr));
	assert_int_equal(cJSON_GetArraySize(arr), (int)n);
	for (i = 0; i < n; i++) {
		row = cJSON_GetArrayItem(arr, (int)i);
		assert_int_equal(cJSON_GetObjectItem(row, "i")->valueint, (int)i);
		assert_string_equal(cJSON_GetObjectItem(row, "name")->valuestring,
				    "a \"quoted\"\nname\t");
		rss = cJSON_GetObjectItem(cJSON_GetObjectItem(row, "fields"), "Rss");
		assert_true(cJSON_IsNumber(rss));
	}
	if (with_tail) {
		assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "totals"), "mappings")
					 ->valueint,
				 (int)n);
		assert_true(cJSON_IsNull(cJSON_GetObjectItem(doc, "error")));
	} else {
		assert_null(cJSON_GetObjectItem(doc, "totals"));
	}
	/* Exactly one document, ending with one newline. */
	assert_int_equal(text[strlen(text) - 1], '\n');
	assert_null(strchr(text, '\t')); /* pretty uses spaces */
	cJSON_Delete(doc);
}

static void
t_stream(void **state)
{
	static const size_t counts[] = { 0, 1, 3, 1000 };
	size_t i;
	int pretty, tail;
	char *s;

	(void)state;
	for (i = 0; i < 4; i++) {
		for (pretty = 0; pretty < 2; pretty++) {
			for (tail = 0; tail < 2; tail++) {
				s = stream(counts[i], pretty, tail);
				check(s, counts[i], tail);
				if (!pretty)
					assert_int_equal(strchr(s, '\n') - s, (long)strlen(s) - 1);
				free(s);
			}
		}
	}
	/* Exact 64-bit values survive. */
	s = stream(1, false, false);
	assert_non_null(strstr(s, "\"Rss\":18446744073709551615"));
	free(s);
	s = stream(2, true, true);
	assert_non_null(strstr(s, "\n  \"mappings\": [\n    {\n      \"i\": 0,"));
	assert_non_null(strstr(s, "\n  ],\n  \"totals\": {"));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_stream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

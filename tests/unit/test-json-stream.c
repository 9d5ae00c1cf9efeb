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

/* One row with every kind of value, as a tree (json) or written directly (direct). */
static void
row_both(struct json_stream *js, bool direct, uint64_t i)
{
	static const char odd[] = "tab\there \"q\" back\\slash \x01\x1f\x7f \xc3\xa9 nl\n cr\r";
	struct json_node *row, *o, *a;

	if (!direct) {
		row = json_object_new();
		json_add_u64(row, "i", i);
		json_add_u64(row, "max", UINT64_MAX);
		json_add_string(row, "odd", odd);
		json_add_stringn(row, "cut", odd, 5);
		json_add_null(row, "none");
		json_add_bool(row, "yes", true);
		json_add_bool(row, "no", false);
		o = json_add_object(row, "fields");
		json_add_u64(o, "Rss", 4096);
		json_add_u64(json_add_object(o, "deeper"), "x\"y", 0);
		json_add_object(o, "empty");
		a = json_add_array(row, "flags");
		json_array_add_string(a, "rd");
		json_array_add_stringn(a, "wrx", 2);
		json_add_array(row, "none_here");
		json_add_object(row, "empty_obj");
		json_stream_row(js, row);
		return;
	}
	json_row_begin(js);
	json_row_u64(js, "i", i);
	json_row_u64(js, "max", UINT64_MAX);
	json_row_string(js, "odd", odd, strlen(odd));
	json_row_string(js, "cut", odd, 5);
	json_row_null(js, "none");
	json_row_bool(js, "yes", true);
	json_row_bool(js, "no", false);
	json_row_object_begin(js, "fields");
	json_row_u64(js, "Rss", 4096);
	json_row_object_begin(js, "deeper");
	json_row_u64(js, "x\"y", 0);
	json_row_object_end(js);
	json_row_object_begin(js, "empty");
	json_row_object_end(js);
	json_row_object_end(js);
	json_row_array_begin(js, "flags");
	json_row_array_string(js, "rd", 2);
	json_row_array_string(js, "wrx", 2);
	json_row_array_end(js);
	json_row_array_begin(js, "none_here");
	json_row_array_end(js);
	json_row_object_begin(js, "empty_obj");
	json_row_object_end(js);
	json_row_end(js);
}

/* A document with members between two streamed arrays, rows direct or not. */
static char *
stream2(bool direct, bool pretty, size_t n)
{
	char *out = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&out, &len);
	struct json_node *head = json_doc_new("maps", &si), *mid, *tail;
	struct json_stream *js;

	assert_non_null(f);
	json_add_null(head, "mappings_before");
	js = json_stream_doc_begin(head, f, pretty);
	mid = json_object_new();
	json_add_u64(mid, "between", 7);
	json_stream_members(js, mid);
	json_stream_array_begin(js, "rows");
	for (i = 0; i < n; i++)
		row_both(js, direct, i);
	json_stream_array_end(js);
	json_stream_members(js, json_object_new()); /* nothing */
	json_stream_array_begin(js, "more");
	if (n > 0)
		row_both(js, direct, 99);
	tail = json_object_new();
	json_add_u64(tail, "after", 1);
	assert_int_equal(json_stream_end(js, tail), 0);
	fclose(f);
	return out;
}

static void
t_direct_rows(void **state)
{
	static const size_t counts[] = { 0, 1, 5 };
	char *a, *b;
	cJSON *doc;
	size_t i;
	int pretty;

	(void)state;
	for (i = 0; i < 3; i++) {
		for (pretty = 0; pretty < 2; pretty++) {
			a = stream2(false, pretty, counts[i]);
			b = stream2(true, pretty, counts[i]);
			/* Byte for byte the text of the tree. */
			assert_string_equal(a, b);
			doc = cJSON_Parse(b);
			assert_non_null(doc);
			assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "rows")),
					 (int)counts[i]);
			assert_int_equal(cJSON_GetObjectItem(doc, "between")->valueint, 7);
			assert_int_equal(cJSON_GetObjectItem(doc, "after")->valueint, 1);
			if (counts[i] > 0)
				assert_string_equal(
					cJSON_GetObjectItem(
						cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "rows"),
								   0),
						"odd")
						->valuestring,
					"tab\there \"q\" back\\slash \x01\x1f\x7f \xc3\xa9 nl\n "
					"cr\r");
			cJSON_Delete(doc);
			free(a);
			free(b);
		}
	}
	/* Out of order: a row outside an array, members inside one. */
	{
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);
		struct json_stream *js = json_stream_doc_begin(json_doc_new("maps", &si), f, false);

		json_row_begin(js);
		json_row_u64(js, "x", 1);
		json_row_end(js);
		assert_int_equal(json_stream_end(js, NULL), -1);
		fclose(f);
		free(out);
	}
}

/*
 * Every byte that needs an escape, and some that do not, at every position
 * of a string long enough for the eight-bytes-at-a-time scan: the direct
 * writer escapes exactly what cJSON does.
 */
static void
t_direct_escapes(void **state)
{
	static const unsigned char probe[] = {
		'"', '\\', '\n', '\t', 1, 31, 32, 127, 128, 255, 'a'
	};
	char str[25], *a, *b, *key;
	size_t p, k, len;
	int pretty;

	(void)state;
	for (pretty = 0; pretty < 2; pretty++) {
		for (k = 0; k < sizeof probe; k++) {
			for (p = 0; p < 24; p++) {
				FILE *fa = open_memstream(&a, &len), *fb = open_memstream(&b, &len);
				struct json_stream *ja, *jb;
				struct json_node *row;

				memset(str, 'x', 24);
				str[24] = '\0';
				str[p] = (char)probe[k];
				key = str; /* keys are escaped alike */
				ja = json_stream_begin(json_object_new(), "r", fa, pretty);
				jb = json_stream_begin(json_object_new(), "r", fb, pretty);
				row = json_object_new();
				json_add_string(row, key, str);
				json_stream_row(ja, row);
				json_row_begin(jb);
				json_row_string(jb, key, str, 24);
				json_row_end(jb);
				assert_int_equal(json_stream_end(ja, NULL), 0);
				assert_int_equal(json_stream_end(jb, NULL), 0);
				fclose(fa);
				fclose(fb);
				assert_string_equal(a, b);
				free(a);
				free(b);
			}
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_stream),
		cmocka_unit_test(t_direct_rows),
		cmocka_unit_test(t_direct_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

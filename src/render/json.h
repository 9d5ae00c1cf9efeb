/*
 * JSON output; the only place that uses cJSON.
 *
 * Documents are trees of opaque nodes. Integers are written exactly (64-bit
 * values are emitted as raw decimal text, not through a double), sizes are in
 * bytes unless the key says otherwise (see doc/json.md). A NULL node is
 * accepted everywhere and ignored, so a failed allocation surfaces once, at
 * json_print, as -1 with errno ENOMEM.
 */
#ifndef ML_JSON_H
#define ML_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define ML_JSON_SCHEMA 1

struct json_node;
/* Where the data came from (proc/sysinfo.h); only json.c looks inside. */
struct ml_sysinfo;

/* A new document: {"memlens": {version, schema}, "command": ..., "source": {...}}. */
struct json_node *json_doc_new(const char *command, const struct ml_sysinfo *si);
struct json_node *json_object_new(void);
void json_free(struct json_node *n);

struct json_node *json_add_object(struct json_node *obj, const char *key);
struct json_node *json_add_array(struct json_node *obj, const char *key);
struct json_node *json_array_add_object(struct json_node *arr);

void json_add_u64(struct json_node *obj, const char *key, uint64_t v);
void json_add_i64(struct json_node *obj, const char *key, int64_t v);
void json_add_double(struct json_node *obj, const char *key, double v);
void json_add_string(struct json_node *obj, const char *key, const char *s); /* NULL -> null */
void json_add_stringn(struct json_node *obj, const char *key, const char *s, size_t n);
void json_add_bool(struct json_node *obj, const char *key, bool v);
void json_add_null(struct json_node *obj, const char *key);
void json_array_add_string(struct json_node *arr, const char *s);
void json_array_add_stringn(struct json_node *arr, const char *s, size_t n);
void json_array_add_u64(struct json_node *arr, uint64_t v);

/* Write the document and a newline; pretty uses two-space indentation. */
int json_print(const struct json_node *doc, FILE *f, bool pretty);

/*
 * Streaming a document whose large arrays are written a row at a time, so
 * that 40,000 rows never form a tree (memory stays flat): the output is the
 * document json_print would give for the whole tree (pretty: one element of
 * a streamed array per line).
 *
 *   json_stream_doc_begin  writes head's members (a document from
 *                          json_doc_new, filled so far) and leaves it open
 *   json_stream_members    writes more members (an object's, from
 *                          json_object_new)
 *   json_stream_array_begin/_end  open and close an array member (key: plain
 *                          ASCII); in between, json_stream_row writes one
 *                          element built as a tree, or json_row_begin ...
 *                          json_row_end one written directly (below)
 *   json_stream_end        closes an open array, writes tail's members
 *                          (or NULL) and closes the document
 *
 * json_stream_begin(head, key, ...) is doc_begin then array_begin(key). Each
 * call takes ownership of the nodes it is given. json_stream_end returns 0,
 * or -1 with errno (ENOMEM) when any node could not be built or the calls
 * were out of order.
 */
struct json_stream;
struct json_stream *json_stream_doc_begin(struct json_node *head, FILE *f, bool pretty);
struct json_stream *json_stream_begin(struct json_node *head, const char *array_key, FILE *f,
				      bool pretty);
void json_stream_members(struct json_stream *s, struct json_node *obj);
void json_stream_array_begin(struct json_stream *s, const char *key);
void json_stream_array_end(struct json_stream *s);
void json_stream_row(struct json_stream *s, struct json_node *row);
int json_stream_end(struct json_stream *s, struct json_node *tail);

/*
 * A row of the open array written directly, member by member, without a
 * tree: the fast path for many rows (no allocation per value, no cJSON). The
 * text is byte for byte what json_stream_row would write for the same tree
 * (tests/unit/test-json-stream.c compares them). Strings are (s, n); NULL is
 * null. Objects and arrays nest up to 8 levels.
 */
void json_row_begin(struct json_stream *s);
void json_row_end(struct json_stream *s);
void json_row_u64(struct json_stream *s, const char *key, uint64_t v);
/* v in lowercase hex digits, as a string ("7ffd1000"): addresses as the kernel prints them. */
void json_row_hex(struct json_stream *s, const char *key, uint64_t v);
/* As json_add_double: four decimals; null when not finite. */
void json_row_double(struct json_stream *s, const char *key, double v);
void json_row_string(struct json_stream *s, const char *key, const char *str, size_t n);
void json_row_null(struct json_stream *s, const char *key);
void json_row_bool(struct json_stream *s, const char *key, bool v);
void json_row_object_begin(struct json_stream *s, const char *key);
void json_row_object_end(struct json_stream *s);
void json_row_array_begin(struct json_stream *s, const char *key);
void json_row_array_string(struct json_stream *s, const char *str, size_t n);
void json_row_array_u64(struct json_stream *s, uint64_t v);
void json_row_array_end(struct json_stream *s);

#endif /* ML_JSON_H */

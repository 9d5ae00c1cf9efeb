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
 * Streaming one large array: a document whose rows are written as they come,
 * so that 40,000 rows never form a tree. json_stream_begin writes head's
 * members (a document from json_doc_new, filled so far) and opens the array
 * member array_key (plain ASCII); each json_stream_row writes one element
 * and frees it; json_stream_end closes the array, writes tail's members (an
 * object from json_object_new, or NULL) and closes the document. Each call
 * takes ownership of the nodes it is given. The output is the document
 * json_print would give for the whole tree (pretty: one element per line).
 * json_stream_end returns 0, or -1
 * with errno (ENOMEM) when any node could not be built.
 */
struct json_stream;
struct json_stream *json_stream_begin(struct json_node *head, const char *array_key, FILE *f,
				      bool pretty);
void json_stream_row(struct json_stream *s, struct json_node *row);
int json_stream_end(struct json_stream *s, struct json_node *tail);

#endif /* ML_JSON_H */

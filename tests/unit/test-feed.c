/*
 * Unit tests for the feed (src/proc/feed.c): chunks of any size become the
 * same lines; long and unterminated lines are bad unless the source can tell
 * an unterminated last line is whole; fatal errors stop.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc/source.h"
#include "unit.h"

/* A source that records every line it sees, joined by '|'. */
struct recorder {
	char text[1 << 16];
	size_t len;
	int begins, finishes;
	const char *fatal_on; /* a line that makes the parser fail fatally */
	const char *bad_on;   /* a line reported as bad */
};

static int
rec_begin(void *out)
{
	struct recorder *r = out;

	r->len = 0;
	r->text[0] = '\0';
	r->begins++;
	return 0;
}

static int
rec_line(void *out, const char *s, size_t n, const char **why)
{
	struct recorder *r = out;

	if (r->fatal_on != NULL && strlen(r->fatal_on) == n && memcmp(s, r->fatal_on, n) == 0) {
		errno = ENOMEM;
		return ML_LINE_FATAL;
	}
	if (r->bad_on != NULL && strlen(r->bad_on) == n && memcmp(s, r->bad_on, n) == 0) {
		*why = "test bad line";
		return ML_LINE_BAD;
	}
	if (r->len + n + 2 < sizeof r->text) {
		memcpy(r->text + r->len, s, n);
		r->len += n;
		r->text[r->len++] = '|';
		r->text[r->len] = '\0';
	}
	return ML_LINE_OK;
}

static int
rec_finish(void *out, char **cause)
{
	struct recorder *r = out;

	(void)cause;
	r->finishes++;
	return 0;
}

static const struct ml_source rec_source = {
	.name = "recorder",
	.begin = rec_begin,
	.line = rec_line,
	.finish = rec_finish,
};

/* The same, with lines that end in ';' complete for its format. */
static bool
rec_complete(const char *s, size_t n)
{
	return n > 0 && s[n - 1] == ';';
}

static const struct ml_source rec_complete_source = {
	.name = "recorder",
	.begin = rec_begin,
	.line = rec_line,
	.finish = rec_finish,
	.complete = rec_complete,
};

static struct ml_feed feed;

static void
t_chunks_identical(void **state)
{
	const char *input = "alpha 1\nbeta 22\n\ngamma 333\nlast line\n";
	struct recorder whole = { 0 }, part = { 0 };
	size_t chunk, len = strlen(input);

	(void)state;
	unit_parse(&feed, &rec_source, &whole, input, len, 0);
	assert_string_equal(whole.text, "alpha 1|beta 22||gamma 333|last line|");
	assert_int_equal(feed.stats.lines, 5);
	assert_int_equal(feed.stats.bad_lines, 0);
	for (chunk = 1; chunk <= len; chunk++) {
		unit_parse(&feed, &rec_source, &part, input, len, chunk);
		assert_string_equal(part.text, whole.text);
		assert_int_equal(feed.stats.lines, 5);
	}
	assert_int_equal(part.finishes, (int)len);
}

static void
t_binary_bytes_pass_through(void **state)
{
	static const char input[] = "a\001b\n\xff\xfe\n";
	struct recorder r = { 0 };

	(void)state;
	unit_parse(&feed, &rec_source, &r, input, sizeof input - 1, 1);
	assert_int_equal(feed.stats.lines, 2);
	assert_int_equal(feed.stats.bad_lines, 0);
	assert_int_equal(r.len, 7);
	assert_memory_equal(r.text, "a\001b|\xff\xfe|", 7);
}

/*
 * A bulk path that takes every whole line it is given, as a learned layout
 * would take a line it expects: it must never be given a line with a NUL.
 */
static size_t
rec_bulk(void *out, const char *buf, size_t len, uint64_t *lines)
{
	const char *p = buf, *nl;

	while ((nl = memchr(p, '\n', len - (size_t)(p - buf))) != NULL) {
		const char *why = NULL;

		assert_null(memchr(p, '\0', (size_t)(nl - p)));
		rec_line(out, p, (size_t)(nl - p), &why);
		++*lines;
		p = nl + 1;
	}
	return (size_t)(p - buf);
}

static const struct ml_source rec_bulk_source = {
	.name = "recorder",
	.begin = rec_begin,
	.line = rec_line,
	.finish = rec_finish,
	.bulk = rec_bulk,
};

/*
 * A NUL byte makes its line bad (found by the fuzzers: names kept as C
 * strings were cut at it), whatever the chunking and wherever the NUL is:
 * in a line whole in its chunk, in the carried start of a line, in its end.
 */
static void
t_nul_byte_is_bad_in_every_chunking(void **state)
{
	static const char input[] = "ok 1\na\0b\nx\0\nfine\n\0\nlong line before the end\nz\0";
	const struct ml_source *srcs[] = { &rec_source, &rec_bulk_source };
	size_t chunk, k;

	(void)state;
	for (k = 0; k < ML_ARRAY_SIZE(srcs); k++) {
		for (chunk = 0; chunk <= sizeof input; chunk++) {
			struct recorder r = { 0 };

			unit_parse(&feed, srcs[k], &r, input, sizeof input - 1, chunk);
			assert_string_equal(r.text, "ok 1|fine|long line before the end|");
			assert_int_equal(feed.stats.lines, 7);
			assert_int_equal(feed.stats.bad_lines, 4);
			assert_int_equal(feed.stats.first_bad_lineno, 2);
			assert_string_equal(feed.stats.first_bad_why, "NUL byte in the line");
			assert_string_equal(feed.stats.first_bad_text, "a");
		}
	}
}

static void
t_unterminated_last_line_is_bad(void **state)
{
	struct recorder r = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		unit_parse(&feed, &rec_source, &r, "one\ntwo", 7, unit_chunk_sizes[i]);
		assert_string_equal(r.text, "one|");
		assert_int_equal(feed.stats.lines, 2);
		assert_int_equal(feed.stats.bad_lines, 1);
		assert_int_equal(feed.stats.first_bad_lineno, 2);
		assert_string_equal(feed.stats.first_bad_text, "two");
		assert_non_null(strstr(feed.stats.first_bad_why, "truncated"));
	}
}

/* A last line without its newline that the source says is whole is parsed, in every chunking. */
static void
t_complete_last_line_is_parsed(void **state)
{
	struct recorder r = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		r.finishes = 0;
		unit_parse(&feed, &rec_complete_source, &r, "one;\ntwo;", 9, unit_chunk_sizes[i]);
		assert_string_equal(r.text, "one;|two;|");
		assert_int_equal(feed.stats.lines, 2);
		assert_int_equal(feed.stats.bad_lines, 0);
		assert_int_equal(r.finishes, 1);
		/* The same input with its newline: the same lines. */
		unit_parse(&feed, &rec_complete_source, &r, "one;\ntwo;\n", 10,
			   unit_chunk_sizes[i]);
		assert_string_equal(r.text, "one;|two;|");
		assert_int_equal(feed.stats.lines, 2);
	}
}

/* A really cut last line is still refused, with the reason, when the source can tell. */
static void
t_cut_last_line_is_refused(void **state)
{
	struct recorder r = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		unit_parse(&feed, &rec_complete_source, &r, "one;\ntw", 7, unit_chunk_sizes[i]);
		assert_string_equal(r.text, "one;|");
		assert_int_equal(feed.stats.bad_lines, 1);
		assert_int_equal(feed.stats.first_bad_lineno, 2);
		assert_string_equal(feed.stats.first_bad_why,
				    "no newline at end of file (truncated)");
		assert_string_equal(feed.stats.first_bad_text, "tw");
	}
	/* Whole for the format but bad for the parser: the parser's reason. */
	r.bad_on = "two;";
	unit_parse(&feed, &rec_complete_source, &r, "one;\ntwo;", 9, 0);
	assert_string_equal(r.text, "one;|");
	assert_int_equal(feed.stats.bad_lines, 1);
	assert_string_equal(feed.stats.first_bad_why, "test bad line");
	r.bad_on = NULL;
	/* A NUL byte, or a line too long, is never taken for a whole line. */
	unit_parse(&feed, &rec_complete_source, &r, "one;\nt\0o;", 9, 0);
	assert_string_equal(r.text, "one;|");
	assert_int_equal(feed.stats.bad_lines, 1);
	{
		size_t n = ML_LINE_MAX + 10;
		char *big = malloc(n);

		assert_non_null(big);
		memset(big, 'x', n);
		big[n - 1] = ';';
		unit_parse(&feed, &rec_complete_source, &r, big, n, 4096);
		assert_string_equal(r.text, "");
		assert_int_equal(feed.stats.bad_lines, 1);
		assert_string_equal(feed.stats.first_bad_why, "line too long");
		free(big);
	}
	/* A fatal error of the parser on that line fails the parse. */
	r.fatal_on = "two;";
	{
		char *cause = NULL;

		assert_int_equal(ml_parse_buffer(&feed, &rec_complete_source, &r, "one;\ntwo;", 9,
						 0, &cause),
				 -1);
		assert_int_equal(errno, ENOMEM);
		assert_non_null(cause);
		free(cause);
	}
}

static void
t_long_line_is_bad_in_every_chunking(void **state)
{
	size_t len = ML_LINE_MAX + 100 + 20, i;
	char *input = malloc(len);
	struct recorder r = { 0 };

	(void)state;
	assert_non_null(input);
	memset(input, 'x', len);
	memcpy(input, "head\n", 5);
	input[5 + ML_LINE_MAX + 1] = '\n'; /* a line of ML_LINE_MAX + 1 bytes */
	memcpy(input + len - 6, "\ntail\n", 6);
	for (i = 0; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		unit_parse(&feed, &rec_source, &r, input, len, unit_chunk_sizes[i]);
		assert_int_equal(feed.stats.bad_lines, 1);
		assert_int_equal(feed.stats.first_bad_lineno, 2);
		assert_string_equal(feed.stats.first_bad_why, "line too long");
		assert_int_equal(strncmp(feed.stats.first_bad_text, "xxxx", 4), 0);
		/* head, the long line (bad), the x's after it, tail */
		assert_int_equal(feed.stats.lines, 4);
		assert_int_equal(strncmp(r.text, "head|", 5), 0);
		assert_non_null(strstr(r.text, "|tail|"));
	}
	free(input);
}

static void
t_line_of_exactly_max_is_fine(void **state)
{
	size_t len = ML_LINE_MAX + 1, i;
	char *input = malloc(len);
	struct recorder r = { 0 };

	(void)state;
	assert_non_null(input);
	memset(input, 'y', ML_LINE_MAX);
	input[ML_LINE_MAX] = '\n';
	for (i = 0; i < ML_ARRAY_SIZE(unit_chunk_sizes); i++) {
		unit_parse(&feed, &rec_source, &r, input, len, unit_chunk_sizes[i]);
		assert_int_equal(feed.stats.bad_lines, 0);
		assert_int_equal(r.len, ML_LINE_MAX + 1);
	}
	free(input);
}

static void
t_bad_lines_counted_rest_parsed(void **state)
{
	struct recorder r = { 0 };

	(void)state;
	r.bad_on = "bad";
	unit_parse(&feed, &rec_source, &r, "a\nbad\nb\nbad\nc\n", 14, 3);
	assert_string_equal(r.text, "a|b|c|");
	assert_int_equal(feed.stats.bad_lines, 2);
	assert_int_equal(feed.stats.first_bad_lineno, 2);
	assert_string_equal(feed.stats.first_bad_why, "test bad line");
}

static void
t_fatal_stops(void **state)
{
	struct recorder r = { 0 };
	char *cause = NULL;

	(void)state;
	r.fatal_on = "boom";
	assert_int_equal(ml_parse_buffer(&feed, &rec_source, &r, "a\nboom\nb\n", 9, 0, &cause), -1);
	assert_int_equal(errno, ENOMEM);
	assert_non_null(cause);
	assert_string_equal(r.text, "a|");
	free(cause);
}

static void
t_empty_input(void **state)
{
	struct recorder r = { 0 };

	(void)state;
	unit_parse(&feed, &rec_source, &r, "", 0, 0);
	assert_int_equal(feed.stats.lines, 0);
	assert_int_equal(r.begins, 1);
	assert_int_equal(r.finishes, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_chunks_identical),
		cmocka_unit_test(t_binary_bytes_pass_through),
		cmocka_unit_test(t_nul_byte_is_bad_in_every_chunking),
		cmocka_unit_test(t_unterminated_last_line_is_bad),
		cmocka_unit_test(t_complete_last_line_is_parsed),
		cmocka_unit_test(t_cut_last_line_is_refused),
		cmocka_unit_test(t_long_line_is_bad_in_every_chunking),
		cmocka_unit_test(t_line_of_exactly_max_is_fine),
		cmocka_unit_test(t_bad_lines_counted_rest_parsed),
		cmocka_unit_test(t_fatal_stops),
		cmocka_unit_test(t_empty_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

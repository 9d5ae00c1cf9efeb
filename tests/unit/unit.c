/*
 * Helpers shared by the unit tests; see unit.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

const size_t unit_chunk_sizes[4] = { 0, 1, 7, 4096 };

char *
unit_load_fixture(const char *rel, size_t *len)
{
	char path[4096];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof path, "%s/%s", FIXTURES, rel);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open fixture %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

void
unit_parse(struct ml_feed *f, const struct ml_source *src, void *out, const char *buf, size_t len,
	   size_t chunk)
{
	char *cause = NULL;
	int rc = ml_parse_buffer(f, src, out, buf, len, chunk, &cause);

	if (rc != 0)
		fail_msg("parse of %s failed: %s", src->name, cause ? cause : "?");
	free(cause);
}

const struct ml_feed *
unit_parse_str(const struct ml_source *src, void *out, const char *s)
{
	static struct ml_feed f;

	unit_parse(&f, src, out, s, strlen(s), 0);
	return &f;
}

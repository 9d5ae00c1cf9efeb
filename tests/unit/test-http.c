/*
 * memlens serve's content negotiation (serve/http.c): the Accept header's
 * q-values choose OpenMetrics or the text format 0.0.4, Accept-Encoding
 * gzip. The server itself is tested end to end in tests/cli/132*.
 */
#include "config.h"

#include "unit.h"

#include "serve/http.h"

static void
test_negotiate(void **state)
{
	(void)state;
	/* what Prometheus 2.x sends */
	assert_int_equal(ml_http_negotiate("application/openmetrics-text;version=1.0.0,"
					   "application/openmetrics-text;version=0.0.1;q=0.75,"
					   "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
			 ML_HTTP_OPENMETRICS);
	/* Prometheus configured for the text format first */
	assert_int_equal(ml_http_negotiate("text/plain;version=0.0.4;q=1,"
					   "application/openmetrics-text;version=1.0.0;q=0.5"),
			 ML_HTTP_TEXT_004);
	/* no header, a wildcard (curl), or a browser: the text format */
	assert_int_equal(ml_http_negotiate(NULL), ML_HTTP_TEXT_004);
	assert_int_equal(ml_http_negotiate("*/*"), ML_HTTP_TEXT_004);
	assert_int_equal(ml_http_negotiate("text/html,application/xhtml+xml,*/*;q=0.8"),
			 ML_HTTP_TEXT_004);
	/* OpenMetrics named, with spaces and upper case */
	assert_int_equal(ml_http_negotiate(" Application/OpenMetrics-Text ; version=1.0.0 "),
			 ML_HTTP_OPENMETRICS);
	/* a tie goes to OpenMetrics; q=0 means not acceptable */
	assert_int_equal(ml_http_negotiate("text/plain,application/openmetrics-text"),
			 ML_HTTP_OPENMETRICS);
	assert_int_equal(ml_http_negotiate("application/openmetrics-text;q=0,text/plain"),
			 ML_HTTP_TEXT_004);
	/* a version memlens does not write is not OpenMetrics 1.0 */
	assert_int_equal(ml_http_negotiate("application/openmetrics-text;version=2.0.0"),
			 ML_HTTP_TEXT_004);
	/* garbage is the text format, and does not crash */
	assert_int_equal(ml_http_negotiate(";;;,,,q=,"), ML_HTTP_TEXT_004);
	assert_int_equal(ml_http_negotiate(""), ML_HTTP_TEXT_004);
}

static void
test_gzip(void **state)
{
	(void)state;
	assert_true(ml_http_accepts_gzip("gzip"));
	assert_true(ml_http_accepts_gzip("deflate, gzip;q=0.5, br"));
	assert_true(ml_http_accepts_gzip("x-gzip"));
	assert_true(ml_http_accepts_gzip(" GZIP "));
	assert_false(ml_http_accepts_gzip(NULL));
	assert_false(ml_http_accepts_gzip(""));
	assert_false(ml_http_accepts_gzip("identity"));
	assert_false(ml_http_accepts_gzip("gzip;q=0"));
	assert_false(ml_http_accepts_gzip("gzipped"));
	assert_false(ml_http_accepts_gzip("deflate,br"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_gzip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * The HTTP side of memlens serve, on libmicrohttpd: this file's http.c is
 * the only one that includes microhttpd.h.
 *
 * GET (or HEAD) /metrics answers with a fresh reading in the format the
 * client's Accept header prefers (OpenMetrics 1.0.0 or the text format
 * 0.0.4), gzip-compressed when Accept-Encoding allows it; / is a short page
 * that links to it; another path is 404, another method 405.
 *
 * Readings are shared: a scrape that arrives while a reading is under way
 * waits for that one, otherwise it starts one; the waiting connections are
 * suspended (no thread each), so 200 concurrent scrapes cost one reading and
 * no thread more. The reading is done by the collect callback, in the thread
 * that called ml_http_run (the main thread: libproc2 keeps per-thread
 * state), with a time limit: the smaller of the configured one and the
 * X-Prometheus-Scrape-Timeout-Seconds of the scrape that started it, less a
 * margin for the answer to travel.
 *
 * Limits: the number of connections, the memory of one request (its headers
 * included: a larger request is answered 431 and closed), and an idle or
 * slow client's time (connection_timeout, in seconds) all bound what one
 * client can hold.
 *
 * Errors are logged through the log callback, one line each; nothing is
 * logged per scrape.
 */
#ifndef ML_HTTP_H
#define ML_HTTP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "compat.h"

enum ml_http_format {
	ML_HTTP_OPENMETRICS, /* application/openmetrics-text; version=1.0.0 */
	ML_HTTP_TEXT_004,    /* text/plain; version=0.0.4 */
	ML_HTTP__FORMATS
};

/* One reading, rendered in every format; bodies are malloc'd and taken over. */
struct ml_http_bodies {
	char *body[ML_HTTP__FORMATS];
	size_t len[ML_HTTP__FORMATS];
};

struct ml_http_config {
	int listen_fd;                   /* bound and listening */
	unsigned int max_connections;    /* more are refused */
	unsigned int connection_timeout; /* seconds a connection may be idle or slow */
	size_t request_memory;           /* bytes one request may use, headers included */
	double scrape_timeout;           /* seconds a reading may take */
	/*
	 * Read and render, within timeout seconds; 0, or -1 when nothing could
	 * be rendered (the scrapes get 500).
	 */
	int (*collect)(void *arg, double timeout, struct ml_http_bodies *out);
	void *arg;
	/* One line, without its newline. */
	void (*log)(void *arg, const char *fmt, ...) ML_PRINTF(2, 3);
};

/*
 * Serve until *stop becomes true (a signal handler sets it; ml_http_wake
 * makes the loop look at it). Returns 0 after a clean stop, -1 with a cause
 * when the server could not start.
 */
int ml_http_run(const struct ml_http_config *cfg, volatile const sig_atomic_t *stop, char **cause);

/* Wake ml_http_run to look at *stop: async-signal-safe. */
void ml_http_wake(void);

/*
 * Which format an Accept header prefers, by its q-values: OpenMetrics when
 * it is named with a q-value at least the text format's; the text format
 * 0.0.4 otherwise, for wildcards and without the header (as the Prometheus
 * client libraries negotiate). Exposed for the unit tests.
 */
enum ml_http_format ml_http_negotiate(const char *accept);

/* True when an Accept-Encoding header allows gzip (q > 0). */
bool ml_http_accepts_gzip(const char *accept_encoding);

#endif /* ML_HTTP_H */

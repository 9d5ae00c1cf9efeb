/*
 * memlens serve's HTTP server on libmicrohttpd; see http.h.
 *
 * Threads: libmicrohttpd's one polling thread (epoll) runs every
 * connection; the caller's thread (ml_http_run) reads and renders when a
 * scrape asks for it and enforces each connection's time limit. They meet
 * under one mutex: the list of suspended scrapes waiting for the reading
 * under way, and the list of open connections with their start times.
 *
 * A reading is reference-counted: each response built from it holds one
 * reference until libmicrohttpd has sent it, and the gzip form of each body
 * is made once, by the first scrape that asks for it.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "serve/http.h"
#include "util.h"

/*
 * libmicrohttpd is loaded when memlens serve starts (dlopen), not when
 * memlens does: with GnuTLS and what it links it is a dozen shared objects
 * that doubled the resident size of every command (3.2 to 6.0 MiB for
 * memlens meminfo), for the one command that serves HTTP. Each pointer has
 * the type of the function <microhttpd.h> declares, and the macros below
 * make the calls of this file go through them.
 */
#define ML_MHD_FUNCTIONS(X)                                       \
	X(MHD_add_response_header)                                \
	X(MHD_create_response_from_buffer)                        \
	X(MHD_create_response_from_buffer_with_free_callback_cls) \
	X(MHD_destroy_response)                                   \
	X(MHD_get_connection_info)                                \
	X(MHD_lookup_connection_value)                            \
	X(MHD_queue_response)                                     \
	X(MHD_resume_connection)                                  \
	X(MHD_start_daemon)                                       \
	X(MHD_stop_daemon)                                        \
	X(MHD_suspend_connection)

static struct {
	pthread_once_t once;
	char why[200]; /* why it could not be loaded, or "" */
#define ML_MHD_POINTER(name) __typeof__(name) *name;
	ML_MHD_FUNCTIONS(ML_MHD_POINTER)
#undef ML_MHD_POINTER
} mhd = { .once = PTHREAD_ONCE_INIT };

static void
mhd_load(void)
{
	void *h = dlopen(ML_MHD_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (h == NULL) {
		const char *e = dlerror();

		snprintf(mhd.why, sizeof mhd.why, "%s", e != NULL ? e : ML_MHD_SONAME);
		return;
	}
	/* dlsym returns void *: POSIX guarantees it converts to a function pointer. */
#define ML_MHD_SYM(name)                                                             \
	if (mhd.why[0] == '\0' && (*(void **)(&mhd.name) = dlsym(h, #name)) == NULL) \
		snprintf(mhd.why, sizeof mhd.why, "%s has no %s", ML_MHD_SONAME, #name);
	ML_MHD_FUNCTIONS(ML_MHD_SYM)
#undef ML_MHD_SYM
}

#define MHD_add_response_header (*mhd.MHD_add_response_header)
#define MHD_create_response_from_buffer (*mhd.MHD_create_response_from_buffer)
#define MHD_create_response_from_buffer_with_free_callback_cls \
	(*mhd.MHD_create_response_from_buffer_with_free_callback_cls)
#define MHD_destroy_response (*mhd.MHD_destroy_response)
#define MHD_get_connection_info (*mhd.MHD_get_connection_info)
#define MHD_lookup_connection_value (*mhd.MHD_lookup_connection_value)
#define MHD_queue_response (*mhd.MHD_queue_response)
#define MHD_resume_connection (*mhd.MHD_resume_connection)
#define MHD_start_daemon (*mhd.MHD_start_daemon)
#define MHD_stop_daemon (*mhd.MHD_stop_daemon)
#define MHD_suspend_connection (*mhd.MHD_suspend_connection)

static const char *const content_types[ML_HTTP__FORMATS] = {
	[ML_HTTP_OPENMETRICS] = "application/openmetrics-text; version=1.0.0; charset=utf-8",
	[ML_HTTP_TEXT_004] = "text/plain; version=0.0.4; charset=utf-8",
};

static const char index_page[] =
	"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>memlens</title></head>\n"
	"<body><h1>memlens</h1>\n<p>Where this machine's memory is, and why: "
	"<a href=\"/metrics\">/metrics</a> (OpenMetrics or the Prometheus text format).</p>\n"
	"</body></html>\n";

/* One reading, shared by the scrapes that waited for it. */
struct reading {
	unsigned int refs; /* under server.lock */
	bool failed;       /* collect returned -1: the scrapes get 500 */
	struct ml_http_bodies b;
	char *gz[ML_HTTP__FORMATS]; /* made on demand, under server.lock */
	size_t gz_len[ML_HTTP__FORMATS];
	bool gz_failed[ML_HTTP__FORMATS];
};

enum conn_state {
	CS_NEW,     /* headers in, waiting for the end of the request */
	CS_WAITING, /* suspended until the reading under way is done */
	CS_RESUMED, /* reading (or NULL when stopping) is set */
	CS_ANSWERED,
};

/* One request, libmicrohttpd's con_cls. */
struct request {
	struct request *next; /* in server.waiting */
	struct MHD_Connection *c;
	enum conn_state state;
	enum ml_http_format format;
	bool gzip;
	double timeout_hint; /* X-Prometheus-Scrape-Timeout-Seconds, 0 when none */
	struct reading *reading;
};

/* One open connection, for its time limit: libmicrohttpd's socket_context. */
struct conn {
	struct conn *prev, *next;
	int fd;
	double started;
	bool waiting; /* suspended for a reading: the reading's own limit applies */
	bool cut;     /* already shut down */
};

static struct server {
	const struct ml_http_config *cfg;
	pthread_mutex_t lock;
	int wake[2]; /* a byte wakes ml_http_run: a scrape wants a reading, or a signal */
	bool wanted, collecting, stopping;
	double hint; /* the timeout hint of the scrape that asked for the reading */
	struct request *waiting;
	struct conn conns; /* list head */
} server = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = { -1, -1 } };

static double
now_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void
ml_http_wake(void)
{
	int saved = errno;
	ssize_t rc ML_UNUSED;

	if (server.wake[1] >= 0)
		rc = write(server.wake[1], "", 1);
	errno = saved;
}

/* ------------------------------------------------------------ negotiation */

/* The q-value of one element of an Accept list ("1" when none; 0 when bad). */
static double
element_q(const char *params, size_t n)
{
	const char *p = params, *end = params + n;
	char buf[16];
	size_t k;

	while (p < end) {
		while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
			p++;
		if (end - p > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			p += 2;
			for (k = 0; k < sizeof buf - 1 && p + k < end && p[k] != ';'; k++)
				buf[k] = p[k];
			buf[k] = '\0';
			return atof(buf);
		}
		while (p < end && *p != ';')
			p++;
	}
	return 1.0;
}

/* The value of parameter name in params, copied into buf ("" when absent). */
static void
element_param(const char *params, size_t n, const char *name, char *buf, size_t cap)
{
	const char *p = params, *end = params + n;
	size_t len = strlen(name), k;

	buf[0] = '\0';
	while (p < end) {
		while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(end - p) > len && strncasecmp(p, name, len) == 0 && p[len] == '=') {
			p += len + 1;
			for (k = 0; k < cap - 1 && p + k < end && p[k] != ';' && p[k] != ' '; k++)
				buf[k] = p[k];
			buf[k] = '\0';
			return;
		}
		while (p < end && *p != ';')
			p++;
	}
}

enum ml_http_format
ml_http_negotiate(const char *accept)
{
	double q_om = -1, q_text = -1, q_any = -1;
	const char *p = accept;

	if (accept == NULL)
		return ML_HTTP_TEXT_004;
	while (*p != '\0') {
		size_t n = strcspn(p, ","), type_len;
		const char *type = p, *params;
		char version[16];
		double q;

		while (n > 0 && (*type == ' ' || *type == '\t'))
			type++, n--;
		type_len = strcspn(type, ";,");
		if (type_len > n)
			type_len = n;
		while (type_len > 0 && (type[type_len - 1] == ' ' || type[type_len - 1] == '\t'))
			type_len--;
		params = type + strcspn(type, ";,");
		n -= (size_t)(params - type);
		q = element_q(params, n);
		element_param(params, n, "version", version, sizeof version);
		if (type_len == 28 && strncasecmp(type, "application/openmetrics-text", 28) == 0) {
			/* The format is 1.0.0; 0.0.1 is its draft, the same text. */
			if ((version[0] == '\0' || strcmp(version, "1.0.0") == 0 ||
			     strcmp(version, "0.0.1") == 0) &&
			    q > q_om)
				q_om = q;
		} else if (type_len == 10 && strncasecmp(type, "text/plain", 10) == 0) {
			if ((version[0] == '\0' || strcmp(version, "0.0.4") == 0) && q > q_text)
				q_text = q;
		} else if ((type_len == 3 && strncmp(type, "*/*", 3) == 0) ||
			   (type_len == 6 && strncasecmp(type, "text/*", 6) == 0)) {
			if (q > q_any)
				q_any = q;
		}
		p = params + n;
		if (*p == ',')
			p++;
	}
	/* Wildcards stand for the text format: OpenMetrics only when asked for by name. */
	if (q_text < 0)
		q_text = q_any;
	return q_om > 0 && q_om >= q_text ? ML_HTTP_OPENMETRICS : ML_HTTP_TEXT_004;
}

bool
ml_http_accepts_gzip(const char *accept_encoding)
{
	const char *p = accept_encoding;

	if (p == NULL)
		return false;
	while (*p != '\0') {
		size_t n = strcspn(p, ","), t;
		const char *e = p;

		while (n > 0 && (*e == ' ' || *e == '\t'))
			e++, n--;
		t = strcspn(e, ";,");
		if (t > n)
			t = n;
		while (t > 0 && (e[t - 1] == ' ' || e[t - 1] == '\t'))
			t--;
		if (((t == 4 && strncasecmp(e, "gzip", 4) == 0) ||
		     (t == 6 && strncasecmp(e, "x-gzip", 6) == 0)) &&
		    element_q(e + t, n - t) > 0)
			return true;
		p = e + n;
		if (*p == ',')
			p++;
	}
	return false;
}

/* ------------------------------------------------------------ readings */

static void
reading_unref_locked(struct reading *r)
{
	int f;

	if (r == NULL || --r->refs > 0)
		return;
	for (f = 0; f < ML_HTTP__FORMATS; f++) {
		free(r->b.body[f]);
		free(r->gz[f]);
	}
	free(r);
}

/* libmicrohttpd is done with a response built on a reading. */
static void
reading_response_done(void *cls)
{
	pthread_mutex_lock(&server.lock);
	reading_unref_locked(cls);
	pthread_mutex_unlock(&server.lock);
}

/* The gzip form of body f, made once; false when zlib fails (send it plain). */
static bool
reading_gzip_locked(struct reading *r, int f)
{
	z_stream z;
	size_t cap;
	int rc;

	if (r->gz[f] != NULL)
		return true;
	if (r->gz_failed[f])
		return false;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK) {
		r->gz_failed[f] = true;
		return false;
	}
	cap = deflateBound(&z, (uLong)r->b.len[f]);
	r->gz[f] = malloc(cap);
	if (r->gz[f] == NULL) {
		deflateEnd(&z);
		r->gz_failed[f] = true;
		return false;
	}
	z.next_in = (Bytef *)r->b.body[f];
	z.avail_in = (uInt)r->b.len[f];
	z.next_out = (Bytef *)r->gz[f];
	z.avail_out = (uInt)cap;
	rc = deflate(&z, Z_FINISH);
	r->gz_len[f] = cap - z.avail_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(r->gz[f]);
		r->gz[f] = NULL;
		r->gz_failed[f] = true;
		return false;
	}
	return true;
}

/* ------------------------------------------------------------ answers */

static enum MHD_Result
answer_static(struct MHD_Connection *c, unsigned int status, const char *type, const char *text,
	      bool allow)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;

	resp = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	if (allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	rc = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* Answer a scrape with its reading (NULL: the server is stopping). */
static enum MHD_Result
answer_reading(struct request *q)
{
	struct reading *r = q->reading;
	struct MHD_Response *resp;
	enum MHD_Result rc;
	int f = q->format;
	bool gz;

	if (r == NULL)
		return answer_static(q->c, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain",
				     "memlens is stopping\n", false);
	if (r->failed || r->b.body[f] == NULL)
		return answer_static(q->c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain",
				     "memlens could not render the metrics\n", false);
	pthread_mutex_lock(&server.lock);
	gz = q->gzip && reading_gzip_locked(r, f);
	r->refs++; /* the response's */
	pthread_mutex_unlock(&server.lock);
	resp = MHD_create_response_from_buffer_with_free_callback_cls(
		gz ? r->gz_len[f] : r->b.len[f], gz ? r->gz[f] : r->b.body[f],
		reading_response_done, r);
	if (resp == NULL) {
		reading_response_done(r);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_types[f]);
	if (gz)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept, Accept-Encoding");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	/* One request per connection, so that every connection has a time limit. */
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	rc = MHD_queue_response(q->c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return rc;
}

static struct conn *
conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci != NULL ? ci->socket_context : NULL;
}

/* Suspend a scrape until the reading under way (or one it starts) is done. */
static enum MHD_Result
wait_for_reading(struct request *q)
{
	struct conn *k = conn_of(q->c);

	pthread_mutex_lock(&server.lock);
	if (server.stopping) {
		pthread_mutex_unlock(&server.lock);
		q->state = CS_RESUMED;
		q->reading = NULL;
		return answer_reading(q);
	}
	q->next = server.waiting;
	server.waiting = q;
	q->state = CS_WAITING;
	if (k != NULL)
		k->waiting = true;
	if (!server.collecting && !server.wanted) {
		server.wanted = true;
		server.hint = q->timeout_hint;
		ml_http_wake();
	}
	/* Under the lock: the reading cannot resume it before it is suspended. */
	MHD_suspend_connection(q->c);
	pthread_mutex_unlock(&server.lock);
	return MHD_YES;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
	   const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct request *q = *con_cls;
	bool metrics = strcmp(url, "/metrics") == 0;
	const char *v;

	(void)cls;
	(void)version;
	(void)upload_data;
	if (q == NULL) {
		if (!metrics && strcmp(url, "/") != 0)
			return answer_static(c, MHD_HTTP_NOT_FOUND, "text/plain",
					     "not found: the metrics are at /metrics\n", false);
		if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
		    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
			return answer_static(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
					     "method not allowed: use GET\n", true);
		if (!metrics)
			return answer_static(c, MHD_HTTP_OK, "text/html; charset=utf-8", index_page,
					     false);
		q = calloc(1, sizeof *q);
		if (q == NULL)
			return MHD_NO;
		q->c = c;
		q->format = ml_http_negotiate(
			MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT));
		q->gzip = ml_http_accepts_gzip(MHD_lookup_connection_value(
			c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING));
		v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						"X-Prometheus-Scrape-Timeout-Seconds");
		q->timeout_hint = v != NULL ? atof(v) : 0;
		*con_cls = q;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		*upload_data_size = 0; /* a GET's body means nothing: dropped */
		return MHD_YES;
	}
	switch (q->state) {
	case CS_NEW:
		return wait_for_reading(q);
	case CS_RESUMED:
		q->state = CS_ANSWERED;
		return answer_reading(q);
	case CS_WAITING:
	case CS_ANSWERED:
		break;
	}
	return MHD_YES;
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	struct request *q = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (q == NULL)
		return;
	pthread_mutex_lock(&server.lock);
	reading_unref_locked(q->reading);
	pthread_mutex_unlock(&server.lock);
	free(q);
	*con_cls = NULL;
}

static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
	      enum MHD_ConnectionNotificationCode toe)
{
	struct conn *k = *socket_context;
	const union MHD_ConnectionInfo *ci;

	(void)cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		k = calloc(1, sizeof *k);
		if (k == NULL)
			return; /* no time limit but libmicrohttpd's own */
		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		k->fd = ci != NULL ? ci->connect_fd : -1;
		k->started = now_seconds();
		pthread_mutex_lock(&server.lock);
		k->next = server.conns.next;
		k->prev = &server.conns;
		server.conns.next->prev = k;
		server.conns.next = k;
		pthread_mutex_unlock(&server.lock);
		*socket_context = k;
		return;
	}
	if (k == NULL)
		return;
	pthread_mutex_lock(&server.lock);
	k->prev->next = k->next;
	k->next->prev = k->prev;
	pthread_mutex_unlock(&server.lock);
	free(k);
	*socket_context = NULL;
}

/*
 * URLs are taken as sent, not unescaped: /metrics and / need no escape,
 * and "/%00" must not read as "/" (a C string ends at the NUL).
 */
static size_t
on_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512], *html, *end;
	size_t n;

	(void)cls;
	vsnprintf(line, sizeof line, fmt, ap);
	/* libmicrohttpd quotes the HTML of its error pages: the status says it all */
	if ((html = strstr(line, " ('<html>")) != NULL && (end = strstr(html, "</html>')")) != NULL)
		memmove(html, end + 9, strlen(end + 9) + 1);
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (n > 0 && server.cfg->log != NULL)
		server.cfg->log(server.cfg->arg, "%s", line);
}

/*
 * Cut connections that have been open longer than the limit without waiting
 * for a reading (a client sending a byte a second, or reading one): their
 * socket is shut down and libmicrohttpd closes them.
 */
static void
cut_slow_connections(double limit)
{
	double now = now_seconds();
	struct conn *k;

	pthread_mutex_lock(&server.lock);
	for (k = server.conns.next; k != &server.conns; k = k->next) {
		if (k->waiting || k->cut || k->fd < 0 || now - k->started < limit)
			continue;
		shutdown(k->fd, SHUT_RDWR);
		k->cut = true;
	}
	pthread_mutex_unlock(&server.lock);
}

/*
 * Take the waiting scrapes, give each the reading r (NULL: stopping), and
 * resume them. libmicrohttpd is called without the lock held: its thread
 * takes the lock in the callbacks, so the lock is never held while waiting
 * for one of libmicrohttpd's.
 */
static void
resume_waiting(struct reading *r)
{
	struct request *q, *next, *list;
	struct conn *k;

	pthread_mutex_lock(&server.lock);
	list = server.waiting;
	server.waiting = NULL;
	server.collecting = false;
	for (q = list; q != NULL; q = q->next) {
		q->reading = r;
		if (r != NULL)
			r->refs++;
		q->state = CS_RESUMED;
		k = conn_of(q->c);
		if (k != NULL) {
			k->waiting = false;
			k->started = now_seconds(); /* the time to answer starts now */
		}
	}
	pthread_mutex_unlock(&server.lock);
	/* Each was suspended under the lock, before it joined the list. */
	for (q = list; q != NULL; q = next) {
		next = q->next;
		q->next = NULL;
		MHD_resume_connection(q->c);
	}
}

/* Read and render for the waiting scrapes, then resume them. */
static void
serve_reading(const struct ml_http_config *cfg)
{
	struct reading *r = calloc(1, sizeof *r);
	double timeout = cfg->scrape_timeout;

	pthread_mutex_lock(&server.lock);
	server.wanted = false;
	server.collecting = true;
	/* Prometheus says how long it waits: answer before that, with a margin. */
	if (server.hint > 0 && server.hint * 0.8 < timeout)
		timeout = server.hint * 0.8;
	pthread_mutex_unlock(&server.lock);
	if (r != NULL) {
		r->refs = 1;
		r->failed = cfg->collect(cfg->arg, timeout, &r->b) != 0;
	}
	resume_waiting(r);
	pthread_mutex_lock(&server.lock);
	reading_unref_locked(r);
	pthread_mutex_unlock(&server.lock);
}

int
ml_http_run(const struct ml_http_config *cfg, volatile const sig_atomic_t *stop, char **cause)
{
	struct MHD_Daemon *d;
	struct pollfd pfd;
	char buf[64];
	bool want;

	pthread_once(&mhd.once, mhd_load);
	if (mhd.why[0] != '\0') {
		ml_set_cause(cause, "cannot load libmicrohttpd: %s", mhd.why);
		errno = ENOENT;
		return -1;
	}
	server.cfg = cfg;
	server.conns.next = server.conns.prev = &server.conns;
	if (pipe2(server.wake, O_CLOEXEC | O_NONBLOCK) != 0) {
		ml_set_cause(cause, "cannot make a pipe: %s", strerror(errno));
		return -1;
	}
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
				     MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
			     0, NULL, NULL, on_request, NULL,
			     /* the logger first, or libmicrohttpd logs the options on its own */
			     MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL, MHD_OPTION_LISTEN_SOCKET,
			     cfg->listen_fd, MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
			     MHD_OPTION_CONNECTION_TIMEOUT, cfg->connection_timeout,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->request_memory,
			     MHD_OPTION_UNESCAPE_CALLBACK, on_unescape, NULL,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
			     MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL, MHD_OPTION_END);
	if (d == NULL) {
		ml_set_cause(cause, "cannot start the HTTP server (libmicrohttpd)");
		close(server.wake[0]);
		close(server.wake[1]);
		server.wake[0] = server.wake[1] = -1;
		return -1;
	}
	pfd.fd = server.wake[0];
	pfd.events = POLLIN;
	while (!*stop) {
		/* Once a second at most: the connections' time limits. */
		if (poll(&pfd, 1, 1000) > 0)
			while (read(server.wake[0], buf, sizeof buf) > 0)
				;
		if (*stop)
			break;
		pthread_mutex_lock(&server.lock);
		want = server.wanted;
		pthread_mutex_unlock(&server.lock);
		if (want)
			serve_reading(cfg);
		cut_slow_connections((double)cfg->connection_timeout);
	}
	/* Stopping: the scrapes still waiting get 503, then every connection closes. */
	pthread_mutex_lock(&server.lock);
	server.stopping = true;
	pthread_mutex_unlock(&server.lock);
	resume_waiting(NULL);
	MHD_stop_daemon(d);
	close(server.wake[0]);
	close(server.wake[1]);
	server.wake[0] = server.wake[1] = -1;
	return 0;
}

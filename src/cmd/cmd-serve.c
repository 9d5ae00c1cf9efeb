/*
 * memlens serve: the metrics over HTTP for Prometheus, a fresh reading per
 * scrape (concurrent scrapes share one). The sources are read by
 * metrics-read.c in this thread, the text written by render/metrics.c, the
 * HTTP spoken by serve/http.c (libmicrohttpd).
 *
 * The default address is loopback only, on port 17913: the Prometheus
 * project's list of default exporter ports has 9100-9999 allocated to the
 * last port and goes on from 10000; 17913 is outside both, outside the
 * list's table of exporters beyond the range, and below Linux's ephemeral
 * ports (32768 and up). Listening elsewhere is asked for with --listen.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/metrics-read.h"
#include "render/metrics.h"
#include "serve/http.h"
#include "util.h"
#include "xalloc.h"

#define SERVE_LISTEN_DEFAULT "127.0.0.1:17913"
#define SERVE_TIMEOUT_DEFAULT 5.0         /* seconds a reading may take */
#define SERVE_CLIENT_TIMEOUT_DEFAULT 10.0 /* seconds a client may take */
#define SERVE_MAX_CONNECTIONS 256
#define SERVE_REQUEST_MEMORY (16 * 1024) /* one request, headers included */

enum { OPT_LISTEN, OPT_TIMEOUT, OPT_CLIENT_TIMEOUT, OPT_MIN, OPT_PROCS_TOP };

static const struct ml_cmd_option serve_options[] = {
	{ "listen", 0, "ADDR:PORT",
	  "listen there (default " SERVE_LISTEN_DEFAULT ", loopback only)", OPT_LISTEN },
	{ "timeout", 0, "SEC", "a reading may take SEC seconds; what is late is unreadable (5)",
	  OPT_TIMEOUT },
	{ "client-timeout", 0, "SEC", "a client may take SEC seconds to ask and read (10)",
	  OPT_CLIENT_TIMEOUT },
	{ "min", 0, "SIZE",
	  "fold smaller slab caches, vmalloc callers, process groups into (other)", OPT_MIN },
	{ "procs-top", 0, "N", "also per-process series for the N largest processes (PSS)",
	  OPT_PROCS_TOP },
	{ NULL, 0, NULL, NULL, 0 },
};

struct serve {
	struct metrics_read r;
	struct ml_metrics_options opt;
	/* The state of each source last logged, to log a change once. */
	bool logged_readable[MS__COUNT];
	int logged_errno[MS__COUNT];
};

static void
serve_log(void *arg, const char *fmt, ...)
{
	va_list ap;

	(void)arg;
	fputs("memlens: serve: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

/* One line when a source becomes unreadable (and why), or readable again. */
static void
log_source_changes(struct serve *sv)
{
	const struct metrics_read *r = &sv->r;
	int s;

	for (s = 0; s < MS__COUNT; s++) {
		bool ok = r->state[s].readable;

		if (ok == sv->logged_readable[s] && (ok || r->why_errno[s] == sv->logged_errno[s]))
			continue;
		if (ok)
			serve_log(NULL, "%s: readable again", r->state[s].name);
		else
			serve_log(
				NULL, "%s: %s%s; left out until it can be read", r->state[s].name,
				r->why[s],
				r->why_errno[s] == EACCES || r->why_errno[s] == EPERM
					? " (needs root, or CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE)"
					: "");
		sv->logged_readable[s] = ok;
		sv->logged_errno[s] = ok ? 0 : r->why_errno[s];
	}
}

/* Render one format into a malloc'd buffer; 0 or -1. */
static int
render(struct serve *sv, const struct ml_metrics_input *in, enum ml_metrics_format f, char **body,
       size_t *len)
{
	struct ml_metrics_options opt = sv->opt;
	FILE *mem;
	int rc;

	*body = NULL;
	*len = 0;
	mem = open_memstream(body, len);
	if (mem == NULL)
		return -1;
	opt.format = f;
	rc = ml_metrics_write(mem, in, &opt);
	if (fclose(mem) != 0)
		rc = -1;
	if (rc != 0) {
		free(*body);
		*body = NULL;
		*len = 0;
	}
	return rc;
}

/* serve/http.c's collect: one reading, in both formats. */
static int
serve_collect(void *arg, double timeout, struct ml_http_bodies *out)
{
	struct serve *sv = arg;
	struct ml_metrics_input in;

	metrics_read_refresh(&sv->r, timeout);
	log_source_changes(sv);
	metrics_read_input(&sv->r, &in);
	if (render(sv, &in, ML_METRICS_OPENMETRICS, &out->body[ML_HTTP_OPENMETRICS],
		   &out->len[ML_HTTP_OPENMETRICS]) != 0 ||
	    render(sv, &in, ML_METRICS_PROMETHEUS, &out->body[ML_HTTP_TEXT_004],
		   &out->len[ML_HTTP_TEXT_004]) != 0) {
		serve_log(NULL, "cannot render the metrics: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Bind and listen on ADDR:PORT ("[::1]:17913", "0.0.0.0:17913", "*:17913"). */
static int
listen_on(const char *spec, char *shown, size_t shown_cap, char **cause)
{
	struct addrinfo hints, *res = NULL, *ai;
	const char *colon = strrchr(spec, ':'), *given = spec;
	char host[256], port[16], numeric[64], nport[16];
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	size_t hn;
	int fd = -1, one = 1, rc, err = 0;

	if (colon == NULL || colon[1] == '\0' || strlen(colon + 1) >= sizeof port) {
		ml_set_cause(cause, "invalid --listen '%s': give ADDR:PORT", spec);
		return -2;
	}
	hn = (size_t)(colon - spec);
	if (hn >= 2 && spec[0] == '[' && spec[hn - 1] == ']') {
		spec++;
		hn -= 2;
	}
	if (hn >= sizeof host) {
		ml_set_cause(cause, "invalid --listen address");
		return -2;
	}
	memcpy(host, spec, hn);
	host[hn] = '\0';
	strcpy(port, colon + 1);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(hn == 0 || strcmp(host, "*") == 0 ? NULL : host, port, &hints, &res);
	if (rc != 0) {
		ml_set_cause(cause, "invalid --listen '%s': %s", given, gai_strerror(rc));
		return -2;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			err = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 128) == 0)
			break;
		err = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		ml_set_cause(cause, "cannot listen on %s: %s", given, strerror(err));
		return -1;
	}
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0 &&
	    getnameinfo((struct sockaddr *)&ss, sl, numeric, sizeof numeric, nport, sizeof nport,
			NI_NUMERICHOST | NI_NUMERICSERV) == 0)
		snprintf(shown, shown_cap, "%s%s%s:%s", ss.ss_family == AF_INET6 ? "[" : "",
			 numeric, ss.ss_family == AF_INET6 ? "]" : "", nport);
	else
		snprintf(shown, shown_cap, "%s", given);
	return fd;
}

static void
on_stop_signal(int sig)
{
	(void)sig;
	ml_stop_requested = 1;
	ml_http_wake();
}

static int
parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= 0.001) || v > 3600)
		return -1;
	*out = v;
	return 0;
}

static int
cmd_serve_exec(struct ml_ctx *ctx, const struct ml_cmd_args *args)
{
	extern const struct ml_cmd_entry cmd_serve_entry;
	const struct ml_cmd_entry *e = &cmd_serve_entry;
	const char *listen_spec = SERVE_LISTEN_DEFAULT;
	double client_timeout = SERVE_CLIENT_TIMEOUT_DEFAULT;
	struct ml_http_config cfg;
	struct sigaction sa;
	struct serve *sv;
	char shown[300], *cause = NULL;
	int i, fd, rc;

	sv = ml_xcalloc(1, sizeof *sv);
	sv->opt.min_bytes = METRICS_MIN_DEFAULT;
	memset(&cfg, 0, sizeof cfg);
	cfg.scrape_timeout = SERVE_TIMEOUT_DEFAULT;
	for (i = 0; i < args->nopts; i++) {
		const char *a = args->opts[i].arg;

		rc = 0;
		switch (args->opts[i].id) {
		case OPT_LISTEN:
			listen_spec = a;
			break;
		case OPT_TIMEOUT:
			if (parse_seconds(a, &cfg.scrape_timeout) != 0)
				rc = cmd_usage_error(e, "invalid --timeout '%s': give seconds", a);
			break;
		case OPT_CLIENT_TIMEOUT:
			if (parse_seconds(a, &client_timeout) != 0 || client_timeout < 1)
				rc = cmd_usage_error(
					e,
					"invalid --client-timeout '%s': give seconds, at least 1",
					a);
			break;
		case OPT_MIN:
			if (metrics_parse_size(a, &sv->opt.min_bytes) != 0)
				rc = cmd_usage_error(
					e, "invalid --min '%s': give bytes, or K, M, G with 1024s",
					a);
			break;
		case OPT_PROCS_TOP:
			if (metrics_parse_procs_top(a, &sv->opt.procs_top) != 0)
				rc = cmd_usage_error(e, "invalid --procs-top '%s': give 0 to %d", a,
						     METRICS_PROCS_TOP_MAX);
			break;
		}
		if (rc != 0) {
			free(sv);
			return rc;
		}
	}
	fd = listen_on(listen_spec, shown, sizeof shown, &cause);
	if (fd < 0) {
		rc = fd == -2 ? cmd_usage_error(e, "%s", cause) : (cmd_error("%s", cause), 1);
		free(cause);
		free(sv);
		return rc;
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	metrics_read_init(&sv->r, ctx);
	for (i = 0; i < MS__COUNT; i++)
		sv->logged_readable[i] = true; /* log what is unreadable from the start */
	cfg.listen_fd = fd;
	cfg.max_connections = SERVE_MAX_CONNECTIONS;
	cfg.connection_timeout = (unsigned int)(client_timeout + 0.5);
	cfg.request_memory = SERVE_REQUEST_MEMORY;
	cfg.collect = serve_collect;
	cfg.arg = sv;
	cfg.log = serve_log;
	serve_log(NULL, "listening on http://%s/metrics", shown);
	rc = ml_http_run(&cfg, &ml_stop_requested, &cause);
	if (rc != 0) {
		cmd_error("%s", cause);
		free(cause);
	}
	close(fd);
	metrics_read_release(&sv->r);
	free(sv);
	return rc != 0 ? 1 : 0;
}

const struct ml_cmd_entry cmd_serve_entry = {
	.name = "serve",
	.summary = "the metrics over HTTP for Prometheus (GET /metrics)",
	.help = "Answer GET /metrics with a fresh reading per scrape, in the format the\n"
		"scraper's Accept header asks for (OpenMetrics, or the text format 0.0.4),\n"
		"gzip-compressed when it accepts gzip; concurrent scrapes share one reading.\n"
		"It listens on " SERVE_LISTEN_DEFAULT " (loopback only) unless --listen says\n"
		"otherwise, and stops on SIGTERM or SIGINT. Errors are logged to stderr, one\n"
		"line each, never one per scrape. The families are those of memlens metrics.",
	.options = serve_options,
	.flags = ML_CMD_NO_JSON,
	.exec = cmd_serve_exec,
};

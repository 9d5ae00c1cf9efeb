/*
 * memlens growth: what grows, how fast and how steadily, and when memory
 * runs out at that pace, from live samples or a series of captures. The fit,
 * the shapes, the suspects and the time to exhaustion are model/growth.h's;
 * this file samples (through the snapshot), and lays the report out.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "model/growth.h"
#include "model/snapshot.h"
#include "util.h"
#include "xalloc.h"

enum {
	OPT_WINDOW = 1,
	OPT_WHAT,
	OPT_MIN_RATE,
	OPT_MIN_R2,
	OPT_MIN_RISING,
	OPT_PSS_TOP,
};

#define WINDOW_DEFAULT 60.0
#define PSS_TOP_DEFAULT 20
/* Rows of each text table when --limit is not given; JSON lists every item. */
#define TEXT_DEFAULT_LIMIT 10
#define ALL_KINDS ((1u << ML_GROWTH_KIND__COUNT) - 1)
#define NS_PER_S 1000000000LL

/* The words --what takes, by kind. */
static const char *const what_words[ML_GROWTH_KIND__COUNT] = {
	[ML_GROWTH_PROC] = "procs",
	[ML_GROWTH_SLAB] = "slab",
	[ML_GROWTH_VMALLOC] = "vmalloc",
	[ML_GROWTH_KERNEL] = "kernel",
};

/* Each kind's source in the snapshot. */
static const enum ml_snap_src kind_source[ML_GROWTH_KIND__COUNT] = {
	[ML_GROWTH_PROC] = ML_SNAP_PROC_RSS,
	[ML_GROWTH_SLAB] = ML_SNAP_SLABINFO,
	[ML_GROWTH_VMALLOC] = ML_SNAP_VMALLOCINFO,
	[ML_GROWTH_KERNEL] = ML_SNAP_MEMINFO,
};

/* A spacing between samples more than twice the usual one. */
struct gap {
	time_t after; /* wall clock of the sample before it */
	double seconds;
};

/* One capture of an offline series, as its manifest says. */
struct series_cap {
	const char *path; /* as given */
	size_t arg;       /* its place among the arguments */
	double unix_time; /* the manifest's unix_start */
	double mono;      /* its monotonic_start, 0 when unknown */
	char *boot_id;    /* NULL when unknown */
	char *host;       /* NULL when unknown */
	bool no_pids;     /* captured with --pids none */
	bool left_out;    /* of an earlier boot */
};

struct growth_cmd {
	struct ml_ctx *ctx;
	struct ml_growth g;
	struct ml_growth_params par;
	unsigned int what;  /* 1u << kind: the kinds sampled */
	unsigned int asked; /* named by --what: a lost source is an error */
	double window;      /* seconds, live */
	bool window_given;
	long pss_top;
	enum ml_growth_sort sort;
	bool reverse;
	long limit; /* text rows; 0 = all */
	bool offline;
	struct series_cap *caps; /* offline: the captures, sorted by time */
	size_t ncaps, nleft;     /* nleft of them left out (an earlier boot) */
	size_t no_pids;          /* captures fitted that hold no process (--pids none) */

	struct ml_sysinfo si;
	char *why[ML_GROWTH_KIND__COUNT]; /* why a kind is not sampled */
	char *overcommit_why;             /* why vm.overcommit_memory is unknown */
	char *rss_error;                  /* the first process that could not be read */

	/* the samples */
	uint64_t samples;
	time_t first_wall, last_wall;
	int64_t first_ns, last_ns;
	bool stopped_early;
	struct gap *gaps;
	size_t ngaps;
	double spacing; /* the usual spacing: -i live, the median of the captures */

	/* the last sample's memory, for the time to exhaustion */
	struct ml_growth_mem mem;
	uint64_t procs_seen, pss_failed;
	int pss_errno;
	struct ml_growth_eta eta;
	/* The first read of each source with bad lines: warned once, listed in JSON. */
	unsigned int bad_seen;
	struct ml_parse_stats bad[ML_SNAP__COUNT];
	bool progress;
};

/* ------------------------------------------------------------- options */

static int
parse_what(const struct ml_cmd_entry *e, const char *arg, unsigned int *mask)
{
	const char *p = arg;

	*mask = 0;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		int k = ml_growth_kind_from_name(p, n);

		if (k < 0 || (k == ML_GROWTH_PROC && !(n == 5 && memcmp(p, "procs", 5) == 0)))
			return cmd_usage_error(
				e,
				"invalid --what '%s' (a list of procs, slab, vmalloc "
				"and kernel)",
				arg);
		*mask |= 1u << k;
		p += n;
		if (*p == ',')
			p++;
	}
	if (*mask == 0)
		return cmd_usage_error(e,
				       "invalid --what '%s' (a list of procs, slab, vmalloc "
				       "and kernel)",
				       arg);
	return 0;
}

/* "0.8" or "80%": a share from 0 to 1. */
static int
parse_share(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || !isfinite(v))
		return -1;
	if (*end == '%') {
		v /= 100;
		end++;
	}
	if (*end != '\0' || v < 0 || v > 1)
		return -1;
	*out = v;
	return 0;
}

extern const struct ml_cmd_entry cmd_growth_entry;

static int
parse_options(struct growth_cmd *gc, const struct ml_cmd_args *args)
{
	const struct ml_cmd_entry *e = &cmd_growth_entry;
	struct ml_ctx *ctx = gc->ctx;

	ml_growth_params_default(&gc->par);
	gc->what = ALL_KINDS;
	gc->window = WINDOW_DEFAULT;
	gc->pss_top = PSS_TOP_DEFAULT;
	gc->sort = (enum ml_growth_sort)ml_growth_sort_parse(cmd_sort_key(ctx, e));
	gc->reverse = ctx->sort_reverse;
	gc->limit = ctx->limit >= 0 ? ctx->limit : TEXT_DEFAULT_LIMIT;
	for (int i = 0; i < args->nopts; i++) {
		const char *a = args->opts[i].arg;
		char *end;

		switch (args->opts[i].id) {
		case OPT_WINDOW:
			gc->window_given = true;
			if (ml_parse_duration(a, &gc->window) != 0 || !(gc->window > 0))
				return cmd_usage_error(
					e,
					"invalid --window '%s' (seconds, or a number "
					"with s, m, h or d)",
					a);
			break;
		case OPT_WHAT:
			if (parse_what(e, a, &gc->what) != 0)
				return 2;
			gc->asked = gc->what;
			break;
		case OPT_MIN_RATE:
			if (ml_parse_rate(a, &gc->par.min_rate) != 0)
				return cmd_usage_error(e,
						       "invalid --min-rate '%s' (a size per hour: "
						       "1M/h, 512K/h, 2G/d)",
						       a);
			break;
		case OPT_MIN_R2:
			if (parse_share(a, &gc->par.min_r2) != 0)
				return cmd_usage_error(e, "invalid --min-r2 '%s' (from 0 to 1)", a);
			break;
		case OPT_MIN_RISING:
			if (parse_share(a, &gc->par.min_rising) != 0)
				return cmd_usage_error(e,
						       "invalid --min-rising '%s' (from 0 to 1, or "
						       "a percentage)",
						       a);
			break;
		case OPT_PSS_TOP:
			errno = 0;
			gc->pss_top = strtol(a, &end, 10);
			if (errno != 0 || end == a || *end != '\0' || gc->pss_top < 0)
				return cmd_usage_error(e, "invalid --pss-top '%s' (a whole number)",
						       a);
			break;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ sampling */

static int64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static void
feed_pss(struct growth_cmd *gc, struct ml_snapshot *snap)
{
	const struct ml_growth_item **top;
	size_t n;

	if (gc->pss_top <= 0)
		return;
	top = ml_xreallocarray(NULL, (size_t)gc->pss_top, sizeof *top);
	n = ml_growth_top_rising(&gc->g, ML_GROWTH_PROC, top, (size_t)gc->pss_top);
	for (size_t i = 0; i < n; i++) {
		struct ml_psample row = { .pid = (int)top[i]->key_a, .start = top[i]->key_b };
		uint64_t pss;

		/* Only a process of this scan: it may have exited since. */
		if (top[i]->seen != gc->g.sample)
			continue;
		if (ml_psampler_pss(&snap->rss, &row, &pss))
			ml_growth_observe_aux(&gc->g, (struct ml_growth_item *)top[i], pss);
		else if (errno != ESRCH && errno != ENOENT && gc->pss_failed++ == 0)
			gc->pss_errno = errno;
	}
	free(top);
}

/* The figures of the last sample the time to exhaustion divides. */
static void
keep_memory(struct growth_cmd *gc, struct ml_snapshot *snap)
{
	ml_growth_mem_read(&gc->mem, snap);
}

/* vm.overcommit_memory of the proc root's machine: 0, 1, 2, or -1 and why. */
static void
read_overcommit(struct growth_cmd *gc, const struct ml_procfs *fs)
{
	uint64_t v;
	char *cause = NULL;

	free(gc->overcommit_why);
	gc->overcommit_why = NULL;
	if (ml_procfs_read_u64(fs, "sys/vm/overcommit_memory", &v, &cause) == 0 && v <= 2) {
		gc->mem.overcommit = (int)v;
		free(cause);
		return;
	}
	gc->mem.overcommit = -1;
	gc->overcommit_why = cause != NULL ? cause : ml_xstrdup("not 0, 1 or 2");
}

/* The sources of the kinds sampled; meminfo always (the time to exhaustion). */
static unsigned int
sources_of(unsigned int what)
{
	unsigned int m = ML_SNAP(ML_SNAP_MEMINFO);

	for (int k = 0; k < ML_GROWTH_KIND__COUNT; k++)
		if (what & (1u << k))
			m |= ML_SNAP(kind_source[k]);
	/* vmallocinfo says how much of VmallocUsed is kernel stacks (unaccounted). */
	if (what & (1u << ML_GROWTH_KERNEL))
		m |= ML_SNAP(ML_SNAP_VMALLOCINFO);
	return m;
}

/*
 * Stop sampling kinds whose source is lost now, and say why; an error when
 * the kind was asked for by name. 0, or 1 after printing the error.
 */
static int
drop_lost(struct growth_cmd *gc, const struct ml_snapshot *snap, unsigned int lost)
{
	for (int k = 0; k < ML_GROWTH_KIND__COUNT; k++) {
		enum ml_snap_src src = kind_source[k];

		if (!(gc->what & (1u << k)) || !(lost & ML_SNAP(src)))
			continue;
		if (gc->asked & (1u << k))
			return cmd_snap_error(gc->ctx, snap, src,
					      gc->offline ? "capture as root" : "run as root");
		gc->what &= ~(1u << k);
		if (gc->why[k] == NULL) {
			const char *why = ml_snapshot_why(snap, src);

			gc->why[k] = ml_xstrdup(why != NULL ? why : "could not be read");
		}
	}
	if (gc->what == 0) {
		cmd_error("nothing to sample: %s", gc->why[ML_GROWTH_KERNEL] != NULL
							   ? gc->why[ML_GROWTH_KERNEL]
							   : "every source was lost");
		return 1;
	}
	return 0;
}

/* One sample of snap (read already) at t_ns. */
static void
feed(struct growth_cmd *gc, struct ml_snapshot *snap, int64_t t_ns, time_t wall)
{
	if (ml_growth_begin(&gc->g, t_ns) != 0)
		return;
	/* The items, as explain's leak rule samples them too (model/growth-feed.c). */
	if (ml_growth_feed(&gc->g, snap, gc->what) != 0) {
		cmd_error("out of memory");
		exit(1);
	}
	if ((gc->what & (1u << ML_GROWTH_PROC)) && ml_snapshot_has(snap, ML_SNAP_PROC_RSS)) {
		gc->procs_seen = snap->rss.n;
		if (snap->rss.failed > 0 && gc->rss_error == NULL)
			gc->rss_error = ml_xstrdup(snap->rss.first_error);
	}
	/* Inside the sample: a PSS is the same sample's second measure. */
	if ((gc->what & (1u << ML_GROWTH_PROC)) && ml_snapshot_has(snap, ML_SNAP_PROC_RSS))
		feed_pss(gc, snap);
	ml_growth_end(&gc->g);
	if (ml_snapshot_has(snap, ML_SNAP_MEMINFO))
		keep_memory(gc, snap);
	if (gc->samples == 0) {
		gc->first_wall = wall;
		gc->first_ns = t_ns;
	} else if ((double)(t_ns - gc->last_ns) / 1e9 > 2 * gc->spacing) {
		/* More than twice the usual spacing: the fit holds, but say so. */
		gc->gaps = ml_xreallocarray(gc->gaps, gc->ngaps + 1, sizeof *gc->gaps);
		gc->gaps[gc->ngaps].after = gc->last_wall;
		gc->gaps[gc->ngaps].seconds = (double)(t_ns - gc->last_ns) / 1e9;
		gc->ngaps++;
	}
	gc->samples++;
	gc->last_wall = wall;
	gc->last_ns = t_ns;
}

/* The bad lines of the sources read: warned once a source, kept for JSON. */
static void
note_bad_lines(struct growth_cmd *gc, const struct ml_snapshot *snap, unsigned int sources)
{
	for (int i = 0; i < ML_SNAP__COUNT; i++) {
		if (!(sources & ML_SNAP(i)) || (gc->bad_seen & ML_SNAP(i)) ||
		    ml_snapshot_stats(snap, (enum ml_snap_src)i)->bad_lines == 0)
			continue;
		cmd_snap_warn_bad_lines(gc->ctx, snap, (enum ml_snap_src)i);
		gc->bad[i] = *ml_snapshot_stats(snap, (enum ml_snap_src)i);
		gc->bad_seen |= ML_SNAP(i);
	}
}

/* Options of live sampling make no sense on captures: a usage error, 2. */
static int
check_offline(const struct growth_cmd *gc, const struct ml_cmd_args *args)
{
	const struct ml_cmd_entry *e = &cmd_growth_entry;
	const struct ml_ctx *ctx = gc->ctx;

	if (args->argc < 2)
		return cmd_usage_error(e,
				       "at least two captures are needed to fit a line "
				       "(%d given)",
				       args->argc);
	if (gc->window_given)
		return cmd_usage_error(e, "--window is for live sampling, not for captures");
	if (ctx->interval > 0 || ctx->count > 0)
		return cmd_usage_error(e, "-i and -n are for live sampling, not for captures "
					  "(their times are in their manifests)");
	if (ctx->capture != NULL || ctx->proc_root_given || ctx->sys_root_given)
		return cmd_usage_error(e, "--capture, --proc-root and --sys-root are for live "
					  "sampling; captures name their own roots");
	return 0;
}

static void
on_stop(int sig)
{
	(void)sig;
	ml_stop_requested = 1;
}

/* Let the sampler keep a descriptor for every process: the soft limit up to the hard one. */
static void
raise_fd_limit(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}

static void
progress(struct growth_cmd *gc, double elapsed)
{
	struct ml_growth_eta e;

	if (!gc->progress)
		return;
	if (ml_growth_exhaustion(&gc->g, &gc->mem, &e) != 0)
		e.suspects = 0;
	fprintf(stderr,
		"\rsampling: %.0f of %.0f s, %llu samples, %u suspects so far "
		"(Ctrl-C stops and reports)\033[K",
		elapsed, gc->window, (unsigned long long)gc->samples, e.suspects);
	fflush(stderr);
}

static void
progress_done(struct growth_cmd *gc)
{
	if (gc->progress)
		fprintf(stderr, "\r\033[K");
}

/* Sample the machine until the window ends, -n samples, or Ctrl-C. 0, or 1. */
static int
sample_live(struct growth_cmd *gc)
{
	struct ml_ctx *ctx = gc->ctx;
	struct ml_snapshot snap;
	struct ml_snap_options opt = { .derive = ML_SNAP_HEADLINE | ML_SNAP_ACCOUNTING,
				       .hints = { .denied = "run as root" } };
	unsigned int sources, lost;
	struct timespec next;
	int64_t start;
	int rc = 0;

	gc->spacing = ctx->interval > 0 ? ctx->interval : 1.0;
	gc->progress = isatty(STDERR_FILENO);
	raise_fd_limit();
	ml_snapshot_init(&snap, &ctx->fs, &ctx->sysfs, &opt);
	sources = sources_of(gc->what);
	lost = ml_snapshot_open(&snap, sources);
	if (lost & ML_SNAP(ML_SNAP_MEMINFO))
		gc->asked &= ~(1u << ML_GROWTH_KERNEL);
	if ((rc = drop_lost(gc, &snap, lost)) != 0)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &next);
	start = mono_ns();
	for (;;) {
		int64_t before = mono_ns(), after;
		double elapsed;

		sources = sources_of(gc->what);
		lost = ml_snapshot_refresh(&snap, sources);
		after = mono_ns();
		if ((rc = drop_lost(gc, &snap, lost & ~ML_SNAP(ML_SNAP_MEMINFO))) != 0)
			goto out;
		note_bad_lines(gc, &snap, sources);
		/* The sample's time: halfway through its reads. */
		feed(gc, &snap, before + (after - before) / 2, time(NULL));
		elapsed = (double)(after - start) / 1e9;
		progress(gc, elapsed);
		if (ctx->count > 0 && gc->samples >= (uint64_t)ctx->count)
			break;
		next.tv_nsec += (long)(fmod(gc->spacing, 1.0) * 1e9);
		next.tv_sec += (time_t)gc->spacing + next.tv_nsec / NS_PER_S;
		next.tv_nsec %= NS_PER_S;
		if (ctx->count == 0 && (double)(next.tv_sec) + (double)next.tv_nsec / 1e9 >
					       (double)start / 1e9 + gc->window + 1e-3)
			break;
		while (!ml_stop_requested &&
		       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
		if (ml_stop_requested) {
			gc->stopped_early = true;
			break;
		}
	}
	progress_done(gc);
	read_overcommit(gc, &ctx->fs);
	ml_sysinfo_read(&gc->si, &ctx->fs);
	gc->si.time = gc->last_wall;
out:
	progress_done(gc);
	ml_snapshot_release(&snap);
	return rc;
}

/* ------------------------------------------------------------ the report */

#define SZ(v) text_sz(&o->units, (v))

/* "+1.50 MiB/h" */
static const char *
rate_text(char *buf, size_t cap, const struct text_out *o, double bytes_per_s)
{
	double h = bytes_per_s * 3600;
	char tmp[32];

	text_size(tmp, sizeof tmp, (uint64_t)fabs(h), &o->units);
	snprintf(buf, cap, "%s%s/h", h < 0 ? "-" : h > 0 ? "+" : "", tmp);
	return buf;
}

/* "3 d 4 h", "5 h 12 min", "42 min", "30 s". */
static const char *
duration_text(char *buf, size_t cap, double s)
{
	if (!(s < 1e12))
		snprintf(buf, cap, "over 30000 years");
	else if (s >= 86400 * 2)
		snprintf(buf, cap, "%.0f d %.0f h", floor(s / 86400), floor(fmod(s, 86400) / 3600));
	else if (s >= 3600)
		snprintf(buf, cap, "%.0f h %.0f min", floor(s / 3600), floor(fmod(s, 3600) / 60));
	else if (s >= 60)
		snprintf(buf, cap, "%.0f min", floor(s / 60));
	else
		snprintf(buf, cap, "%.0f s", s);
	return buf;
}

/* UTC, minutes: "2026-11-22 03:00 UTC". */
static const char *
when_text(char *buf, size_t cap, time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, cap, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(buf, cap, "(unknown time)");
	return buf;
}

static const char *
iso_time(char *buf, size_t cap, time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return NULL;
	return buf;
}

/* ------------------------------------------------------- captures */

static int
cmp_cap_time(const void *a, const void *b)
{
	const struct series_cap *x = a, *y = b;

	if (x->unix_time != y->unix_time)
		return x->unix_time < y->unix_time ? -1 : 1;
	return (x->arg > y->arg) - (x->arg < y->arg);
}

static bool
same_text(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

static void
series_free(struct growth_cmd *gc)
{
	for (size_t i = 0; i < gc->ncaps; i++) {
		free(gc->caps[i].boot_id);
		free(gc->caps[i].host);
	}
	free(gc->caps);
	gc->caps = NULL;
	gc->ncaps = 0;
}

/*
 * Read every capture's manifest (each capture is opened and closed again:
 * a series of archives is not held in memory at once), sort them by the
 * time in their manifests, and refuse a series that cannot be fitted: the
 * same capture twice, captures of different machines. Captures of an
 * earlier boot than the last one's are left out (a reboot resets
 * everything); fewer than two left is an error. 0, or 1 after saying why.
 */
static int
series_scan(struct growth_cmd *gc, const struct ml_cmd_args *args)
{
	char a[64], b[64];
	const struct series_cap *last;
	size_t kept = 0;

	gc->caps = ml_xcalloc((size_t)args->argc, sizeof *gc->caps);
	for (int i = 0; i < args->argc; i++) {
		struct series_cap *c = &gc->caps[gc->ncaps];
		struct cmd_capture cap;
		char *cause = NULL;

		if (cmd_capture_open(&cap, args->argv[i], &cause) != 0) {
			cmd_error("%s", cause);
			free(cause);
			cmd_capture_close(&cap);
			return 1;
		}
		c->path = args->argv[i];
		c->arg = (size_t)i;
		c->unix_time = cap.mf.unix_start;
		c->mono = cap.mf.mono_start;
		c->boot_id = cap.mf.boot_id != NULL ? ml_xstrdup(cap.mf.boot_id) : NULL;
		c->host = cap.mf.host != NULL ? ml_xstrdup(cap.mf.host) : NULL;
		c->no_pids = cap.mf.pids != NULL && strcmp(cap.mf.pids, "none") == 0;
		gc->ncaps++;
		cmd_capture_close(&cap);
		if (!(c->unix_time > 0)) {
			cmd_error("%s: its manifest has no time: it cannot be placed in a series",
				  c->path);
			return 1;
		}
	}
	qsort(gc->caps, gc->ncaps, sizeof *gc->caps, cmp_cap_time);
	last = &gc->caps[gc->ncaps - 1];
	for (size_t i = 0; i < gc->ncaps; i++) {
		const struct series_cap *c = &gc->caps[i];

		if (!same_text(c->host, last->host)) {
			cmd_error("captures of different machines: %s is of %s, %s of %s; a series "
				  "is of one machine",
				  c->path, c->host != NULL ? c->host : "(unknown host)", last->path,
				  last->host != NULL ? last->host : "(unknown host)");
			return 1;
		}
		if (i > 0 && c->unix_time == gc->caps[i - 1].unix_time) {
			cmd_error("%s and %s were taken at the same time (%s): the same capture "
				  "twice?",
				  gc->caps[i - 1].path, c->path,
				  iso_time(a, sizeof a, (time_t)c->unix_time));
			return 1;
		}
		/* A boot that comes back after another is not a reboot: two machines. */
		for (size_t j = 0; j + 1 < i; j++)
			if (same_text(gc->caps[j].boot_id, c->boot_id) &&
			    !same_text(gc->caps[i - 1].boot_id, c->boot_id)) {
				cmd_error("captures of different machines: %s and %s are of boot "
					  "%s, and %s between them of boot %s",
					  gc->caps[j].path, c->path,
					  c->boot_id != NULL ? c->boot_id : "(unknown)",
					  gc->caps[i - 1].path,
					  gc->caps[i - 1].boot_id != NULL ? gc->caps[i - 1].boot_id
									  : "(unknown)");
				return 1;
			}
	}
	for (size_t i = 0; i < gc->ncaps; i++) {
		gc->caps[i].left_out = !same_text(gc->caps[i].boot_id, last->boot_id);
		if (gc->caps[i].left_out)
			gc->nleft++;
		else
			kept++;
		if (!gc->caps[i].left_out && gc->caps[i].no_pids)
			gc->no_pids++;
	}
	if (kept < 2) {
		cmd_error(
			"only one capture of boot %s, the last one (%s): the %zu before it are of "
			"an earlier boot, and a reboot resets everything; a fit needs two "
			"captures of one boot",
			last->boot_id != NULL ? last->boot_id : "(unknown)", last->path, gc->nleft);
		return 1;
	}
	if (gc->nleft > 0) {
		const struct series_cap *first = &gc->caps[0];

		cmd_error("warning: left out %zu captures of an earlier boot (%s to %s): a reboot "
			  "resets everything, so the fit starts at the last boot",
			  gc->nleft, when_text(a, sizeof a, (time_t)first->unix_time),
			  when_text(b, sizeof b, (time_t)gc->caps[gc->nleft - 1].unix_time));
	}
	return 0;
}

/* The median spacing of the captures fitted: the usual one, gaps are twice it. */
static double
series_spacing(const struct growth_cmd *gc)
{
	double *d = ml_xreallocarray(NULL, gc->ncaps, sizeof *d), m;
	size_t n = 0;
	const struct series_cap *prev = NULL;

	for (size_t i = 0; i < gc->ncaps; i++) {
		if (gc->caps[i].left_out)
			continue;
		if (prev != NULL)
			d[n++] = gc->caps[i].unix_time - prev->unix_time;
		prev = &gc->caps[i];
	}
	/* n >= 1: two captures at least were kept. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && d[j - 1] > d[j]; j--) {
			double t = d[j];

			d[j] = d[j - 1];
			d[j - 1] = t;
		}
	m = n % 2 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
	free(d);
	return m;
}

/*
 * Fit the series: each capture read as a snapshot of its own (its proc/
 * and sys/ through the capture's reader), at the time its manifest gives.
 * 0, or 1 after saying why.
 */
static int
sample_captures(struct growth_cmd *gc, const struct ml_cmd_args *args)
{
	/* A capture lacks what it could not read then. */
	static const struct ml_snap_options opt = {
		.derive = ML_SNAP_HEADLINE | ML_SNAP_ACCOUNTING,
		.hints = { .denied = "not readable when captured", .missing = "not in it" },
	};
	bool mono = true;
	int rc;

	if ((rc = series_scan(gc, args)) != 0)
		return rc;
	gc->spacing = series_spacing(gc);
	/* Monotonic time when every capture has it: one boot's clock, unmoved by NTP. */
	for (size_t i = 0; i < gc->ncaps; i++)
		if (!gc->caps[i].left_out && !(gc->caps[i].mono > 0))
			mono = false;
	gc->progress = isatty(STDERR_FILENO);
	for (size_t i = 0; i < gc->ncaps && rc == 0; i++) {
		const struct series_cap *c = &gc->caps[i];
		struct cmd_capture cap;
		struct ml_snapshot snap;
		unsigned int sources, lost;
		char *cause = NULL;
		bool last = i + 1 == gc->ncaps;

		if (c->left_out)
			continue;
		if (gc->progress) {
			/* Each archive is read whole: a long series takes a while. */
			fprintf(stderr, "\rreading capture %zu of %zu: %s\033[K", i + 1 - gc->nleft,
				gc->ncaps - gc->nleft, c->path);
			fflush(stderr);
		}
		if (cmd_capture_open(&cap, c->path, &cause) != 0) {
			progress_done(gc);
			cmd_error("%s", cause);
			free(cause);
			cmd_capture_close(&cap);
			return 1;
		}
		ml_snapshot_init(&snap, &cap.proc, &cap.sys, &opt);
		sources = sources_of(gc->what);
		lost = ml_snapshot_refresh(&snap, sources);
		/* Without meminfo in the first capture, the kernel items go quietly. */
		if (gc->samples == 0 && (lost & ML_SNAP(ML_SNAP_MEMINFO)))
			gc->asked &= ~(1u << ML_GROWTH_KERNEL);
		rc = drop_lost(gc, &snap,
			       gc->samples == 0 ? lost : lost & ~ML_SNAP(ML_SNAP_MEMINFO));
		if (rc == 0) {
			note_bad_lines(gc, &snap, sources);
			feed(gc, &snap,
			     (int64_t)llround((mono ? c->mono : c->unix_time) * (double)NS_PER_S),
			     (time_t)c->unix_time);
		}
		if (rc == 0 && last) {
			read_overcommit(gc, &cap.proc);
			ml_sysinfo_read(&gc->si, &cap.proc);
			/* The series is not one capture, nor one proc root: see "captures". */
			gc->si.proc_root = "captures";
			gc->si.capture = NULL;
			gc->si.time = (time_t)c->unix_time;
		}
		ml_snapshot_release(&snap);
		cmd_capture_close(&cap);
	}
	progress_done(gc);
	return rc;
}

/* The item's id: "4242:25000000", "kmalloc-64", "mlx5_fs_fgs#2", "SUnreclaim". */
static const char *
item_id(char *buf, size_t cap, const struct ml_growth_item *it)
{
	if (it->kind == ML_GROWTH_PROC)
		snprintf(buf, cap, "%llu:%llu", (unsigned long long)it->key_a,
			 (unsigned long long)it->key_b);
	else if (it->kind == ML_GROWTH_SLAB && it->key_a > 0)
		snprintf(buf, cap, "%s#%llu", it->name, (unsigned long long)it->key_a + 1);
	else
		snprintf(buf, cap, "%s", it->name);
	return buf;
}

/* For people: "4242 leaky". */
static const char *
item_label(char *buf, size_t cap, const struct ml_growth_item *it)
{
	if (it->kind == ML_GROWTH_PROC)
		snprintf(buf, cap, "%llu %s", (unsigned long long)it->key_a, it->label);
	else
		item_id(buf, cap, it);
	return buf;
}

/* A value of the series as a size; signed ones may be negative. */
static const char *
value_text(char *buf, size_t cap, const struct text_out *o, const struct ml_growth_series *s,
	   uint64_t v)
{
	if (s->is_signed)
		return text_ssize(buf, cap, ml_growth_to_signed(v), &o->units);
	return text_size(buf, cap, v, &o->units);
}

static void
json_value(struct json_node *obj, const char *key, const struct ml_growth_series *s, uint64_t v)
{
	if (s->is_signed)
		json_add_i64(obj, key, ml_growth_to_signed(v));
	else
		json_add_u64(obj, key, v);
}

/* What a shape says in the report, with the item's own figures. */
static const char *
shape_text(char *buf, size_t cap, const struct text_out *o, const struct ml_growth_item *it,
	   const struct ml_growth_verdict *v)
{
	char a[32];

	switch (v->shape) {
	case ML_SHAPE_STEP:
		snprintf(buf, cap, "one step (%s in all)",
			 text_ssize(a, sizeof a,
				    (int64_t)(it->s.max - it->s.min) *
					    (it->s.last >= it->s.first ? 1 : -1),
				    &o->units));
		return buf;
	case ML_SHAPE_RESET:
		snprintf(buf, cap, "reset to near zero (%u): fitted since", it->s.resets);
		return buf;
	default:
		return ml_growth_shape_label(v->shape);
	}
}

/* The table of the items in rows. */
static void
items_table(const struct growth_cmd *gc, const struct ml_growth_item *const *rows, size_t n,
	    bool suspects)
{
	const struct text_out *o = &gc->ctx->text;
	struct text_table *t = text_table_new(suspects ? 9 : 9);
	char b1[64], b2[64], b3[64], b4[300];

	text_table_col(t, 0, "kind", TA_LEFT);
	text_table_col(t, 1, "item", TA_LEFT);
	text_table_col(t, 2, "rate", TA_RIGHT);
	text_table_col(t, 3, "first", TA_RIGHT);
	text_table_col(t, 4, "last", TA_RIGHT);
	text_table_col(t, 5, "R²", TA_RIGHT);
	text_table_col(t, 6, "rising", TA_RIGHT);
	text_table_col(t, 7, "samples", TA_RIGHT);
	text_table_col(t, 8, suspects ? "alone runs out in" : "shape", TA_LEFT);
	for (size_t i = 0; i < n; i++) {
		const struct ml_growth_item *it = rows[i];
		struct ml_growth_verdict v;
		double eta;

		ml_growth_judge(&gc->g, it, &v);
		text_table_row(t, suspects ? TS_WARN : TS_NONE);
		text_table_cell(t, "%s", ml_growth_kind_name(it->kind));
		text_table_cell(t, "%s", item_label(b4, sizeof b4, it));
		text_table_cell(t, "%s", rate_text(b1, sizeof b1, o, v.slope));
		text_table_cell(t, "%s", value_text(b2, sizeof b2, o, &it->s, it->s.first));
		text_table_cell(t, "%s", value_text(b3, sizeof b3, o, &it->s, it->s.last));
		if (v.has_r2)
			text_table_cell(t, "%.2f", v.r2);
		else
			text_table_cell(t, "-");
		if (v.has_rising)
			text_table_cell(t, "%.0f%%", 100 * v.rising_share);
		else
			text_table_cell(t, "-");
		text_table_cell(t, "%llu", (unsigned long long)v.samples);
		if (suspects)
			text_table_cell(t, "%s",
					ml_growth_item_eta(&gc->eta, &v, &eta)
						? duration_text(b1, sizeof b1, eta)
						: "-");
		else
			text_table_cell(t, "%s", shape_text(b4, sizeof b4, o, it, &v));
	}
	text_table_print(t, o, 2);
	text_table_free(t);
}

/* The other movers: not suspects, not flat, and not too few samples. */
static bool
mover(const struct growth_cmd *gc, const struct ml_growth_item *it)
{
	struct ml_growth_verdict v;

	ml_growth_judge(&gc->g, it, &v);
	return !v.suspect && v.shape != ML_SHAPE_FLAT && v.shape != ML_SHAPE_TOO_FEW;
}

static void
report_window(const struct growth_cmd *gc)
{
	const struct text_out *o = &gc->ctx->text;
	char a[64], b[64], d[64];
	double span = (double)(gc->last_ns - gc->first_ns) / 1e9;

	if (gc->offline)
		text_printf(o, TS_NONE, "%llu captures from %s to %s (%s)",
			    (unsigned long long)gc->samples, when_text(a, sizeof a, gc->first_wall),
			    when_text(b, sizeof b, gc->last_wall),
			    duration_text(d, sizeof d, span));
	else
		text_printf(o, TS_NONE, "%llu samples over %s, every %g s%s",
			    (unsigned long long)gc->samples, duration_text(d, sizeof d, span),
			    gc->spacing, gc->stopped_early ? ", stopped early" : "");
	fputc('\n', o->f);
	if (gc->nleft > 0)
		text_printf(o, TS_WARN,
			    "  %zu captures of an earlier boot left out (a reboot resets "
			    "everything)\n",
			    gc->nleft);
	for (size_t i = 0; i < gc->ngaps; i++)
		text_printf(o, TS_WARN, "  a gap of %s after %s\n",
			    duration_text(d, sizeof d, gc->gaps[i].seconds),
			    when_text(a, sizeof a, gc->gaps[i].after));
	rate_text(a, sizeof a, o, gc->par.min_rate);
	text_printf(o, TS_DIM,
		    "A suspect grows steadily: at least %s, R² at least %.2f, at least %.0f%% of "
		    "the steps that moved rising\n",
		    a[0] == '+' ? a + 1 : a, gc->par.min_r2, 100 * gc->par.min_rising);
}

static void
report_exhaustion(const struct growth_cmd *gc)
{
	const struct text_out *o = &gc->ctx->text;
	const struct ml_growth_eta *e = &gc->eta;
	char r[64], d[64], w[64];

	text_printf(o, TS_HEADER, "\nTime to exhaustion\n");
	if (e->state == ML_ETA_NONE) {
		text_printf(o, TS_NONE, "  none: nothing grows steadily\n");
		return;
	}
	rate_text(r, sizeof r, o, e->rate);
	if (e->state == ML_ETA_KNOWN)
		text_printf(o, TS_BOLD, "  MemAvailable %s at %s: %s (%s)\n", SZ(e->available), r,
			    duration_text(d, sizeof d, e->eta_s),
			    when_text(w, sizeof w, gc->last_wall + (time_t)fmin(e->eta_s, 4e9)));
	else
		text_printf(o, TS_NONE, "  MemAvailable unknown: %s summed\n", r);
	if (e->commit_strict) {
		if (e->commit_state == ML_ETA_KNOWN)
			text_printf(o, TS_BOLD,
				    "  CommitLimit - Committed_AS %s at %s: %s (overcommit is "
				    "strict)\n",
				    e->commit_room > 0 ? SZ((uint64_t)e->commit_room) : "none left",
				    r, duration_text(d, sizeof d, e->commit_eta_s));
		else
			text_printf(
				o, TS_NONE,
				"  CommitLimit or Committed_AS unknown (overcommit is strict)\n");
	}
	text_printf(o, TS_DIM,
		    "  (the suspects' rates summed; a part and what it holds counted once)\n");
}

static void
report_text(struct growth_cmd *gc)
{
	struct ml_ctx *ctx = gc->ctx;
	const struct text_out *o = &ctx->text;
	const struct ml_growth_item **rows, **movers;
	size_t nmov = 0, nsus = 0, shown;
	long n;
	bool any_note = false;

	n = ml_growth_rank(&gc->g, gc->what, gc->sort, gc->reverse, NULL, 0);
	rows = ml_xreallocarray(NULL, (size_t)(n > 0 ? n : 1), sizeof *rows);
	movers = ml_xreallocarray(NULL, (size_t)(n > 0 ? n : 1), sizeof *movers);
	n = ml_growth_rank(&gc->g, gc->what, gc->sort, gc->reverse, rows, (size_t)(n > 0 ? n : 0));
	for (long i = 0; i < n; i++) {
		struct ml_growth_verdict v;

		ml_growth_judge(&gc->g, rows[i], &v);
		if (v.suspect)
			rows[nsus++] = rows[i];
		else if (mover(gc, rows[i]))
			movers[nmov++] = rows[i];
	}

	cmd_text_header(ctx, &gc->si, "memlens growth");
	report_window(gc);

	text_printf(o, TS_HEADER, "\nSuspects\n");
	if (nsus == 0) {
		text_printf(o, TS_NONE, "  none\n");
	} else {
		shown = gc->limit > 0 && (size_t)gc->limit < nsus ? (size_t)gc->limit : nsus;
		items_table(gc, rows, shown, true);
		if (shown < nsus)
			text_printf(o, TS_DIM, "  %zu of %zu; --limit 0 shows all\n", shown, nsus);
	}
	report_exhaustion(gc);

	text_printf(o, TS_HEADER, "\nOther movers (not suspects)\n");
	if (nmov == 0) {
		text_printf(o, TS_NONE, "  none: everything else is flat\n");
	} else {
		shown = gc->limit > 0 && (size_t)gc->limit < nmov ? (size_t)gc->limit : nmov;
		items_table(gc, movers, shown, false);
		if (shown < nmov)
			text_printf(o, TS_DIM, "  %zu of %zu; --limit 0 shows all\n", shown, nmov);
	}

	for (int k = 0; k < ML_GROWTH_KIND__COUNT; k++)
		if (gc->why[k] != NULL)
			cmd_note(o, &any_note, "%s not sampled: %s", what_words[k], gc->why[k]);
	if ((gc->what & (1u << ML_GROWTH_PROC)) && gc->no_pids > 0)
		cmd_note(o, &any_note,
			 "processes: %zu of the %zu captures hold none (memlens capture --pids "
			 "none)",
			 gc->no_pids, gc->ncaps - gc->nleft);
	if (gc->what & (1u << ML_GROWTH_PROC)) {
		cmd_note(o, &any_note,
			 "processes: RSS from PID/status at every sample, PSS of the %ld whose RSS "
			 "grows fastest; %llu exited during the window",
			 gc->pss_top, (unsigned long long)gc->g.exited);
		if (gc->pss_failed > 0)
			cmd_note(o, &any_note, "PSS of %llu processes could not be read: %s%s",
				 (unsigned long long)gc->pss_failed, strerror(gc->pss_errno),
				 gc->pss_errno == EACCES ? " (run as root)" : "");
		if (gc->rss_error != NULL)
			cmd_note(o, &any_note, "%s", gc->rss_error);
	}
	if (gc->eta.commit_strict == false && gc->overcommit_why != NULL)
		cmd_note(o, &any_note, "overcommit mode unknown: %s", gc->overcommit_why);
	free(rows);
	free(movers);
}

static void
json_fit(struct json_node *obj, const struct ml_growth_series *s, const struct ml_growth_verdict *v)
{
	json_value(obj, "first", s, s->first);
	json_value(obj, "last", s, s->last);
	if (v->has_slope)
		json_add_double(obj, "slope_bytes_per_s", v->slope);
	else
		json_add_null(obj, "slope_bytes_per_s");
	if (v->has_r2)
		json_add_double(obj, "r2", v->r2);
	else
		json_add_null(obj, "r2");
	if (v->has_rising)
		json_add_double(obj, "rising_share", v->rising_share);
	else
		json_add_null(obj, "rising_share");
	json_add_u64(obj, "samples", v->samples);
}

/* One item as a JSON object (the caller owns it). */
static struct json_node *
json_item(const struct growth_cmd *gc, const struct ml_growth_item *it)
{
	struct json_node *o = json_object_new();
	struct ml_growth_verdict v;
	char id[300];
	double eta;

	ml_growth_judge(&gc->g, it, &v);
	json_add_string(o, "kind", ml_growth_kind_name(it->kind));
	json_add_string(o, "id", item_id(id, sizeof id, it));
	json_add_string(o, "name", it->kind == ML_GROWTH_PROC ? it->label : id);
	if (it->kind == ML_GROWTH_PROC) {
		json_add_u64(o, "pid", it->key_a);
		json_add_u64(o, "start_ticks", it->key_b);
	} else if (it->kind == ML_GROWTH_SLAB) {
		json_add_u64(o, "ordinal", it->key_a);
	}
	json_fit(o, &it->s, &v);
	json_add_u64(o, "samples_seen", it->s.all_n);
	json_add_bool(o, "suspect", v.suspect);
	if (ml_growth_item_eta(&gc->eta, &v, &eta))
		json_add_double(o, "eta_s", eta);
	else
		json_add_null(o, "eta_s");
	json_add_string(o, "shape", ml_growth_shape_name(v.shape));
	json_add_u64(o, "resets", it->s.resets);
	if (it->parent >= 0 && ml_growth_slot(&gc->g, it->parent)->used)
		json_add_string(o, "part_of",
				item_id(id, sizeof id, ml_growth_slot(&gc->g, it->parent)));
	else
		json_add_null(o, "part_of");
	if (it->kind == ML_GROWTH_PROC) {
		if (it->aux.all_n > 0) {
			struct ml_growth_verdict pv;

			ml_growth_series_judge(&it->aux, &gc->par, &pv);
			json_fit(json_add_object(o, "pss"), &it->aux, &pv);
		} else {
			json_add_null(o, "pss");
		}
	}
	return o;
}

/* The captures fitted and those left out (live: none). */
static void
json_captures(const struct growth_cmd *gc, struct json_node *doc)
{
	struct json_node *fit, *left;
	char t[32];

	if (!gc->offline) {
		json_add_null(doc, "captures");
		json_add_array(doc, "left_out");
		return;
	}
	fit = json_add_array(doc, "captures");
	left = json_add_array(doc, "left_out");
	for (size_t i = 0; i < gc->ncaps; i++) {
		const struct series_cap *c = &gc->caps[i];
		struct json_node *o = json_array_add_object(c->left_out ? left : fit);

		json_add_string(o, "path", c->path);
		if (!c->left_out)
			json_add_string(o, "time", iso_time(t, sizeof t, (time_t)c->unix_time));
		json_add_string(o, "boot_id", c->boot_id);
		if (c->left_out)
			json_add_string(o, "why",
					"an earlier boot than the last capture's: a reboot resets "
					"everything");
	}
}

/* The members before "items". */
static void
json_head(struct growth_cmd *gc, struct json_node *doc)
{
	struct json_node *w, *arr, *t;
	char buf[32];

	json_add_string(doc, "mode", gc->offline ? "captures" : "live");
	w = json_add_object(doc, "window");
	json_add_u64(w, "samples", gc->samples);
	json_add_double(w, "seconds", (double)(gc->last_ns - gc->first_ns) / 1e9);
	json_add_string(w, "first_time",
			gc->samples ? iso_time(buf, sizeof buf, gc->first_wall) : NULL);
	json_add_string(w, "last_time",
			gc->samples ? iso_time(buf, sizeof buf, gc->last_wall) : NULL);
	if (gc->spacing > 0)
		json_add_double(w, "interval_seconds", gc->spacing);
	else
		json_add_null(w, "interval_seconds");
	json_add_bool(w, "stopped_early", gc->stopped_early);
	arr = json_add_array(w, "gaps");
	for (size_t i = 0; i < gc->ngaps; i++) {
		struct json_node *g = json_array_add_object(arr);

		json_add_string(g, "after", iso_time(buf, sizeof buf, gc->gaps[i].after));
		json_add_double(g, "seconds", gc->gaps[i].seconds);
	}
	json_captures(gc, doc);
	arr = json_add_array(doc, "what");
	for (int k = 0; k < ML_GROWTH_KIND__COUNT; k++)
		if (gc->what & (1u << k))
			json_array_add_string(arr, what_words[k]);
	t = json_add_object(doc, "thresholds");
	json_add_double(t, "min_rate_bytes_per_s", gc->par.min_rate);
	json_add_double(t, "min_r2", gc->par.min_r2);
	json_add_double(t, "min_rising_share", gc->par.min_rising);
}

/* The members after "items". */
static void
json_tail(struct growth_cmd *gc, struct json_node *doc)
{
	struct json_node *x, *c, *un;

	x = json_add_object(doc, "exhaustion");
	json_add_u64(x, "suspects", gc->eta.suspects);
	json_add_double(x, "rate_bytes_per_s", gc->eta.rate);
	json_add_string(x, "state",
			gc->eta.state == ML_ETA_NONE    ? "none"
			: gc->eta.state == ML_ETA_KNOWN ? "known"
							: "unknown");
	if (gc->mem.has_available)
		json_add_u64(x, "available", gc->mem.available);
	else
		json_add_null(x, "available");
	if (gc->eta.state == ML_ETA_KNOWN)
		json_add_double(x, "eta_s", gc->eta.eta_s);
	else
		json_add_null(x, "eta_s");
	if (gc->mem.overcommit >= 0)
		json_add_u64(x, "overcommit", (uint64_t)gc->mem.overcommit);
	else
		json_add_null(x, "overcommit");
	if (gc->eta.commit_strict) {
		c = json_add_object(x, "commit");
		if (gc->mem.has_commit) {
			json_add_u64(c, "limit", gc->mem.commit_limit);
			json_add_u64(c, "committed", gc->mem.committed);
			json_add_i64(c, "room",
				     (int64_t)gc->mem.commit_limit - (int64_t)gc->mem.committed);
		} else {
			json_add_null(c, "limit");
			json_add_null(c, "committed");
			json_add_null(c, "room");
		}
		if (gc->eta.commit_state == ML_ETA_KNOWN)
			json_add_double(c, "eta_s", gc->eta.commit_eta_s);
		else
			json_add_null(c, "eta_s");
	} else {
		json_add_null(x, "commit");
	}
	if (gc->what & (1u << ML_GROWTH_PROC)) {
		c = json_add_object(doc, "processes");
		json_add_u64(c, "sampled", gc->procs_seen);
		json_add_u64(c, "exited", gc->g.exited);
		json_add_u64(c, "pss_top", (uint64_t)gc->pss_top);
	} else {
		json_add_null(doc, "processes");
	}
	x = json_add_array(doc, "parse_errors");
	for (int i = 0; i < ML_SNAP__COUNT; i++)
		if (gc->bad_seen & ML_SNAP(i))
			cmd_json_bad_lines(x, gc->ctx, ml_snap_src_path((enum ml_snap_src)i),
					   &gc->bad[i]);
	un = json_add_array(doc, "unavailable");
	for (int k = 0; k < ML_GROWTH_KIND__COUNT; k++) {
		struct json_node *u;

		if (gc->why[k] == NULL)
			continue;
		u = json_array_add_object(un);
		json_add_string(u, "source", what_words[k]);
		json_add_string(u, "why", gc->why[k]);
	}
	if (gc->overcommit_why != NULL) {
		struct json_node *u = json_array_add_object(un);

		json_add_string(u, "source", "overcommit");
		json_add_string(u, "why", gc->overcommit_why);
	}
}

/* The document, its items written one by one (thousands of processes). */
static int
report_json(struct growth_cmd *gc)
{
	struct ml_ctx *ctx = gc->ctx;
	struct json_node *doc = json_doc_new("growth", &gc->si), *tail = json_object_new();
	struct json_stream *js;
	const struct ml_growth_item **rows;
	long n;

	json_head(gc, doc);
	n = ml_growth_rank(&gc->g, gc->what, gc->sort, gc->reverse, NULL, 0);
	rows = ml_xreallocarray(NULL, (size_t)(n > 0 ? n : 1), sizeof *rows);
	n = ml_growth_rank(&gc->g, gc->what, gc->sort, gc->reverse, rows, (size_t)(n > 0 ? n : 0));
	js = json_stream_begin(doc, "items", stdout, ctx->json == ML_JSON_PRETTY);
	for (long i = 0; i < n; i++)
		json_stream_row(js, json_item(gc, rows[i]));
	free(rows);
	json_tail(gc, tail);
	if (json_stream_end(js, tail) != 0) {
		cmd_error("cannot build the JSON document: %s", strerror(errno));
		return 1;
	}
	return 0;
}

static int
report(struct growth_cmd *gc)
{
	if (ml_growth_exhaustion(&gc->g, &gc->mem, &gc->eta) != 0) {
		cmd_error("out of memory");
		return 1;
	}
	if (gc->ctx->json != ML_JSON_OFF)
		return report_json(gc);
	report_text(gc);
	return 0;
}

static int
cmd_growth_exec(struct ml_ctx *ctx, const struct ml_cmd_args *args)
{
	struct growth_cmd *gc = ml_xcalloc(1, sizeof *gc);
	struct sigaction sa;
	int rc;

	gc->ctx = ctx;
	gc->mem.overcommit = -1;
	rc = parse_options(gc, args);
	if (rc != 0)
		goto out;
	gc->offline = args->argc > 0;
	if (gc->offline && (rc = check_offline(gc, args)) != 0)
		goto out;
	/* One capture does not move: sampling it again and again fits nothing. */
	if (!gc->offline && ctx->capture != NULL) {
		rc = cmd_usage_error(&cmd_growth_entry,
				     "one capture does not grow: give a series as arguments "
				     "(memlens growth A B C...)");
		goto out;
	}
	ml_growth_init(&gc->g, &gc->par);
	/* Ctrl-C ends the sampling, and the report still comes. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	rc = gc->offline ? sample_captures(gc, args) : sample_live(gc);
	if (rc == 0)
		rc = report(gc);
	ml_growth_release(&gc->g);
out:
	series_free(gc);
	for (int k = 0; k < ML_GROWTH_KIND__COUNT; k++)
		free(gc->why[k]);
	free(gc->overcommit_why);
	free(gc->rss_error);
	free(gc->gaps);
	free(gc);
	return rc;
}

static const struct ml_cmd_option growth_options[] = {
	{ "window", 0, "DUR", "sample for DUR (seconds, or with s, m, h, d; default 60)",
	  OPT_WINDOW },
	{ "what", 0, "LIST", "procs,slab,vmalloc,kernel (default all)", OPT_WHAT },
	{ "min-rate", 0, "SIZE/h", "the slowest growth of a suspect (default 1M/h)", OPT_MIN_RATE },
	{ "min-r2", 0, "R2", "the least R² of a suspect's line (default 0.8)", OPT_MIN_R2 },
	{ "min-rising", 0, "SHARE", "the least share of rising steps of a suspect (default 0.8)",
	  OPT_MIN_RISING },
	{ "pss-top", 0, "N", "read the PSS of the N fastest-growing processes (default 20)",
	  OPT_PSS_TOP },
	{ NULL, 0, NULL, NULL, 0 },
};

const struct ml_cmd_entry cmd_growth_entry = {
	.name = "growth",
	.args = "[CAPTURE...]",
	.summary = "what grows, how fast and how steadily, and when memory runs out",
	.help = "Samples every -i seconds (default 1) for --window (default 60 s), -n samples,\n"
		"or until Ctrl-C, then fits a least-squares line through each item's sizes:\n"
		"each process (by PID and start time; RSS from PID/status, PSS for the\n"
		"--pss-top fastest), slab cache, vmalloc caller, and the kernel parts of\n"
		"meminfo with memlens's unaccounted remainder. A suspect grows steadily: slope\n"
		"at least --min-rate, R² at least --min-r2, rising steps at least --min-rising.\n"
		"A sawtooth (a cache that is reclaimed), a step or a reset is said, not\n"
		"suspected. Then the time until MemAvailable (and, with strict overcommit,\n"
		"CommitLimit) is used up at the suspects' summed rate.\n"
		"With CAPTURE arguments (memlens capture: directories or archives, two at\n"
		"least) it fits the series instead, in the order of the times in their\n"
		"manifests; captures of an earlier boot than the last one's are left out.",
	.min_args = 0,
	.max_args = INT_MAX,
	.options = growth_options,
	.sort_keys = ml_growth_sort_keys,
	.flags = ML_CMD_SORT | ML_CMD_REPEAT | ML_CMD_SAMPLES,
	.exec = cmd_growth_exec,
};

/*
 * The command table and what every command shares: lookup, usage errors,
 * read errors, bad-line warnings, the repeat loop, the report header, help.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "util.h"
#include "xalloc.h"

extern const struct ml_cmd_entry cmd_summary_entry;
extern const struct ml_cmd_entry cmd_meminfo_entry;
extern const struct ml_cmd_entry cmd_buddy_entry;
extern const struct ml_cmd_entry cmd_zones_entry;
extern const struct ml_cmd_entry cmd_vmalloc_entry;
extern const struct ml_cmd_entry cmd_slab_entry;
extern const struct ml_cmd_entry cmd_procs_entry;
extern const struct ml_cmd_entry cmd_maps_entry;
extern const struct ml_cmd_entry cmd_cgroups_entry;
extern const struct ml_cmd_entry cmd_top_entry;
extern const struct ml_cmd_entry cmd_explain_entry;
extern const struct ml_cmd_entry cmd_growth_entry;
extern const struct ml_cmd_entry cmd_numa_entry;
extern const struct ml_cmd_entry cmd_huge_entry;
extern const struct ml_cmd_entry cmd_capture_entry;
extern const struct ml_cmd_entry cmd_diff_entry;
extern const struct ml_cmd_entry cmd_metrics_entry;
extern const struct ml_cmd_entry cmd_serve_entry;

/* In the order --help lists them. */
/* One entry per line: */
/* clang-format off */
const struct ml_cmd_entry *const ml_cmd_table[] = {
	&cmd_summary_entry,
	&cmd_meminfo_entry,
	&cmd_buddy_entry,
	&cmd_zones_entry,
	&cmd_vmalloc_entry,
	&cmd_slab_entry,
	&cmd_procs_entry,
	&cmd_maps_entry,
	&cmd_numa_entry,
	&cmd_huge_entry,
	&cmd_cgroups_entry,
	&cmd_top_entry,
	&cmd_capture_entry,
	&cmd_diff_entry,
	&cmd_growth_entry,
	&cmd_metrics_entry,
	&cmd_serve_entry,
	&cmd_explain_entry,
	NULL,
};
/* clang-format on */

volatile sig_atomic_t ml_stop_requested;

const struct ml_cmd_entry *
ml_cmd_find(const char *name, bool *ambiguous)
{
	const struct ml_cmd_entry *const *e, *found = NULL;
	size_t n = strlen(name);

	*ambiguous = false;
	for (e = ml_cmd_table; *e != NULL; e++) {
		if (strcmp((*e)->name, name) == 0 ||
		    ((*e)->alias != NULL && strcmp((*e)->alias, name) == 0))
			return *e;
	}
	if (n == 0)
		return NULL;
	for (e = ml_cmd_table; *e != NULL; e++) {
		if (strncmp((*e)->name, name, n) == 0) {
			if (found != NULL) {
				*ambiguous = true;
				return NULL;
			}
			found = *e;
		}
	}
	return found;
}

const char *
ml_cmd_suggest(const char *name)
{
	const struct ml_cmd_entry *const *e;
	const char *best = NULL;
	unsigned int d, best_d = UINT_MAX;

	for (e = ml_cmd_table; *e != NULL; e++) {
		if (ml_name_is_close(name, (*e)->name, &d) && d < best_d) {
			best_d = d;
			best = (*e)->name;
		}
		if ((*e)->alias != NULL && ml_name_is_close(name, (*e)->alias, &d) && d < best_d) {
			best_d = d;
			best = (*e)->name;
		}
	}
	return best;
}

void
ml_cmd_candidates(const char *name, char *buf, size_t cap)
{
	const struct ml_cmd_entry *const *e;
	size_t n = strlen(name), len = 0;

	if (cap == 0)
		return;
	buf[0] = '\0';
	for (e = ml_cmd_table; *e != NULL; e++)
		if (strncmp((*e)->name, name, n) == 0)
			len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0, "%s%s",
						len > 0 ? ", " : "", (*e)->name);
}

void
cmd_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("memlens: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cmd_usage_error(const struct ml_cmd_entry *e, const char *fmt, ...)
{
	va_list ap;

	fputs("memlens: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (e != NULL)
		fprintf(stderr, "Try 'memlens %s --help'.\n", e->name);
	else
		fputs("Try 'memlens --help'.\n", stderr);
	return 2;
}

int
cmd_read_error(const char *cause, int err, const char *hint_root)
{
	if ((err == EACCES || err == EPERM) && hint_root != NULL)
		cmd_error("%s (%s)", cause != NULL ? cause : strerror(err), hint_root);
	else
		cmd_error("%s", cause != NULL ? cause : strerror(err));
	return 1;
}

void
cmd_warn_bad_lines(const struct ml_ctx *ctx, const char *rel, const struct ml_parse_stats *st)
{
	cmd_warn_bad_lines_in(&ctx->fs, rel, st);
}

void
cmd_warn_bad_lines_in(const struct ml_procfs *fs, const char *rel, const struct ml_parse_stats *st)
{
	char *path;

	if (st->bad_lines == 0)
		return;
	path = ml_procfs_path(fs, rel);
	cmd_error("warning: %s: %llu bad line%s ignored; first at line %llu (%s): \"%s\"",
		  path != NULL ? path : rel, (unsigned long long)st->bad_lines,
		  st->bad_lines == 1 ? "" : "s", (unsigned long long)st->first_bad_lineno,
		  st->first_bad_why, st->first_bad_text);
	free(path);
}

void
cmd_warn_missing(const struct ml_ctx *ctx, uint64_t count, const char *rel, const char *what)
{
	const char *file = strrchr(rel, '/') != NULL ? strrchr(rel, '/') + 1 : rel;
	char *path;

	if (count == 0)
		return;
	path = ml_procfs_path(&ctx->fs, rel);
	if (count == 1)
		cmd_error("warning: %s is missing: %s unknown", path != NULL ? path : rel, what);
	else
		cmd_error("warning: %s is missing, and %llu more process%s %s: %s unknown",
			  path != NULL ? path : rel, (unsigned long long)(count - 1),
			  count == 2 ? "'s" : "es'", file, what);
	free(path);
}

void
cmd_json_missing(struct json_node *arr, const struct ml_ctx *ctx, uint64_t count, const char *rel,
		 const char *what)
{
	struct json_node *o;
	char *path;

	if (count == 0)
		return;
	path = ml_procfs_path(&ctx->fs, rel);
	o = json_array_add_object(arr);
	json_add_string(o, "first", path != NULL ? path : rel);
	json_add_u64(o, "processes", count);
	json_add_string(o, "unknown", what);
	free(path);
}

void
cmd_json_bad_lines(struct json_node *arr, const struct ml_ctx *ctx, const char *rel,
		   const struct ml_parse_stats *st)
{
	cmd_json_bad_lines_in(arr, &ctx->fs, rel, st);
}

void
cmd_json_bad_lines_in(struct json_node *arr, const struct ml_procfs *fs, const char *rel,
		      const struct ml_parse_stats *st)
{
	struct json_node *o;
	char *path;

	if (st->bad_lines == 0)
		return;
	path = ml_procfs_path(fs, rel);
	o = json_array_add_object(arr);
	json_add_string(o, "file", path != NULL ? path : rel);
	json_add_u64(o, "lines", st->lines);
	json_add_u64(o, "bad_lines", st->bad_lines);
	json_add_u64(o, "first_bad_line", st->first_bad_lineno);
	json_add_string(o, "why", st->first_bad_why);
	json_add_string(o, "text", st->first_bad_text);
	free(path);
}

int
cmd_snap_error(const struct ml_ctx *ctx, const struct ml_snapshot *s, enum ml_snap_src src,
	       const char *hint_root)
{
	const struct ml_snap_source *v = &s->src[src];

	cmd_read_error(v->cause, v->err, hint_root);
	/* Nothing usable was left: the bad lines say why. */
	if (v->state == ML_SNAP_LOST && v->stage == ML_SNAP_AT_READ)
		cmd_warn_bad_lines(ctx, ml_snap_src_path(src), ml_snapshot_stats(s, src));
	return 1;
}

void
cmd_snap_warn_bad_lines(const struct ml_ctx *ctx, const struct ml_snapshot *s, enum ml_snap_src src)
{
	if (ml_snapshot_has(s, src) || s->src[src].lost_now)
		cmd_warn_bad_lines(ctx, ml_snap_src_path(src), ml_snapshot_stats(s, src));
}

void
cmd_snap_json_bad_lines(struct json_node *arr, const struct ml_ctx *ctx,
			const struct ml_snapshot *s, enum ml_snap_src src)
{
	if (ml_snapshot_has(s, src) || s->src[src].lost_now)
		cmd_json_bad_lines(arr, ctx, ml_snap_src_path(src), ml_snapshot_stats(s, src));
}

static void
timespec_add(struct timespec *t, double seconds)
{
	long long ns = (long long)(seconds * 1e9);

	t->tv_sec += (time_t)(ns / 1000000000LL);
	t->tv_nsec += (long)(ns % 1000000000LL);
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

bool
cmd_next_report(struct ml_ctx *ctx)
{
	int rc;

	if (!ctx->started) {
		ctx->started = true;
		clock_gettime(CLOCK_MONOTONIC, &ctx->next_tick);
		return !ml_stop_requested;
	}
	ctx->iteration++;
	if (!ctx->repeat || ml_stop_requested)
		return false;
	if (ctx->count > 0 && ctx->iteration >= (unsigned long)ctx->count)
		return false;
	if (fflush(stdout) != 0 || ferror(stdout))
		return false;
	timespec_add(&ctx->next_tick, ctx->interval);
	do {
		rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ctx->next_tick, NULL);
	} while (rc == EINTR && !ml_stop_requested);
	if (ml_stop_requested)
		return false;
	if (ctx->json == ML_JSON_OFF)
		fputc('\n', stdout);
	return true;
}

int
cmd_json_emit(struct ml_ctx *ctx, struct json_node *doc)
{
	int rc = json_print(doc, stdout, ctx->json == ML_JSON_PRETTY);

	json_free(doc);
	if (rc != 0) {
		cmd_error("cannot build the JSON document: %s", strerror(errno));
		return 1;
	}
	return 0;
}

void
cmd_text_header(const struct ml_ctx *ctx, const struct ml_sysinfo *si, const char *what)
{
	const struct text_out *o = &ctx->text;
	char when[64];
	struct tm tm;

	if (localtime_r(&si->time, &tm) == NULL ||
	    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
		snprintf(when, sizeof when, "(unknown time)");
	text_printf(o, TS_HEADER, "%s", what);
	if (si->capture != NULL) {
		/* The time a capture was taken, not the time it is read. */
		if (localtime_r(&si->capture_time, &tm) == NULL ||
		    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
			snprintf(when, sizeof when, "(unknown time)");
		text_printf(o, TS_DIM, ": capture of %s at %s, Linux %s\n",
			    si->hostname[0] ? si->hostname : "(unknown host)", when,
			    si->kernel_release[0] ? si->kernel_release : "(unknown release)");
		text_printf(o, TS_DIM, "read from capture %s\n", si->capture);
		return;
	}
	text_printf(o, TS_DIM, " of %s, Linux %s, %s\n",
		    si->hostname[0] ? si->hostname : "(unknown host)",
		    si->kernel_release[0] ? si->kernel_release : "(unknown release)", when);
	if (strcmp(si->proc_root, "/proc") != 0)
		text_printf(o, TS_DIM, "read from %s\n", si->proc_root);
}

int
cmd_capture_open(struct cmd_capture *c, const char *path, char **cause)
{
	char *text = NULL, *why = NULL;
	size_t len;
	int rc;

	memset(c, 0, sizeof *c);
	c->top.dirfd = c->proc.dirfd = c->sys.dirfd = -1;
	ml_manifest_init(&c->mf);
	c->path = ml_xstrdup(path);
	rc = ml_procfs_open_kind(&c->top, path, &why);
	if (rc != 0) {
		ml_set_cause(cause, "cannot read capture %s", why);
		free(why);
		return -1;
	}
	if (ml_procfs_read_file(&c->top, ML_MANIFEST_NAME, &text, &len, &why) != 0) {
		if (errno == ENOENT)
			ml_set_cause(cause,
				     "%s is not a memlens capture: it has no %s (a copied /proc "
				     "tree is read with --proc-root)",
				     path, ML_MANIFEST_NAME);
		else
			ml_set_cause(cause, "%s", why);
		free(why);
		return -1;
	}
	if (ml_manifest_parse(&c->mf, text, len, &why) != 0) {
		ml_set_cause(cause, "%s/%s: %s", path, ML_MANIFEST_NAME, why);
		free(why);
		free(text);
		return -1;
	}
	free(text);
	c->top.mf = &c->mf;
	c->top.capture = c->path;
	if (ml_procfs_open_at(&c->proc, &c->top, "proc", &why) != 0) {
		ml_set_cause(cause, "%s is not a memlens capture: %s", path, why);
		free(why);
		return -1;
	}
	/* Without sys/ only the slab caches' reclaimability is unknown: they say so. */
	ml_procfs_open_at(&c->sys, &c->top, "sys", NULL);
	return 0;
}

void
cmd_capture_close(struct cmd_capture *c)
{
	ml_procfs_close(&c->proc);
	ml_procfs_close(&c->sys);
	ml_procfs_close(&c->top);
	ml_manifest_release(&c->mf);
	free(c->path);
	c->path = NULL;
}

bool
cmd_threads_allowed(void)
{
	const char *v = getenv("MEMLENS_THREADS");

	return v == NULL || strcmp(v, "0") != 0;
}

void
cmd_note(const struct text_out *o, bool *any, const char *fmt, ...)
{
	va_list ap;
	char *text;

	if (!*any)
		text_printf(o, TS_HEADER, "\nNotes\n");
	*any = true;
	va_start(ap, fmt);
	text = ml_xvasprintf(fmt, ap);
	va_end(ap);
	text_paragraph(o, TS_NONE, "  * ", "    ", text);
	free(text);
}

const char *
cmd_sort_key(const struct ml_ctx *ctx, const struct ml_cmd_entry *e)
{
	if (e->sort_keys == NULL)
		return NULL;
	return ctx->sort != NULL ? ctx->sort : e->sort_keys[0];
}

const struct ml_global_option ml_global_options[] = {
	{ "proc-root", 0, "DIR", "read procfs from DIR instead of /proc (or $MEMLENS_PROC_ROOT)",
	  ML_OPT_PROC_ROOT },
	{ "sys-root", 0, "DIR", "read sysfs from DIR instead of /sys (or $MEMLENS_SYS_ROOT)",
	  ML_OPT_SYS_ROOT },
	{ "capture", 0, "PATH",
	  "read a capture (memlens capture: a directory or an archive) instead of this machine",
	  ML_OPT_CAPTURE },
	{ "json", 0, "[=pretty]", "print JSON: one document, or one per line with -i/-n",
	  ML_OPT_JSON },
	{ "interval", 'i', "SEC", "repeat every SEC seconds (fractions allowed)", 'i' },
	{ "count", 'n', "N", "print N reports, then exit (every second unless -i)", 'n' },
	{ "bytes", 'b', NULL, "show sizes in bytes", 'b' },
	{ "kibi", 'k', NULL, "show sizes in KiB (kB with --si)", 'k' },
	{ "mebi", 'm', NULL, "show sizes in MiB (MB with --si)", 'm' },
	{ "gibi", 'g', NULL, "show sizes in GiB (GB with --si)", 'g' },
	{ "human", 'h', NULL, "show sizes scaled to a readable unit (the default; -h as in free)",
	  'h' },
	{ "si", 0, NULL, "use powers of 1000, not 1024", ML_OPT_SI },
	{ "sort", 0, "KEY", "order rows by KEY (-KEY reverses); see each command", ML_OPT_SORT },
	{ "limit", 0, "N", "show at most N rows (0 = all)", ML_OPT_LIMIT },
	{ "color", 0, "[=WHEN]", "color output: auto (default), always or never; honours NO_COLOR",
	  ML_OPT_COLOR },
	{ "colour", 0, "[=WHEN]", NULL, ML_OPT_COLOR },
	{ "help", 0, NULL, "show this help, or a command's with 'memlens COMMAND --help'",
	  ML_OPT_HELP },
	{ "version", 0, NULL, "show the version and exit", ML_OPT_VERSION },
	{ NULL, 0, NULL, NULL, 0 },
};

static void
print_option(const char *name, int short_name, const char *arg, const char *help)
{
	char left[64];
	int n;

	if (short_name != 0)
		n = snprintf(left, sizeof left, "  -%c, --%s", short_name, name);
	else
		n = snprintf(left, sizeof left, "      --%s", name);
	if (arg != NULL && n > 0 && (size_t)n < sizeof left)
		snprintf(left + n, sizeof left - (size_t)n, "%s%s", arg[0] == '[' ? "" : " ", arg);
	printf("%-26s %s\n", left, help);
}

void
cmd_print_help(const struct ml_cmd_entry *e)
{
	const struct ml_cmd_entry *const *c;
	const struct ml_global_option *g;
	const struct ml_cmd_option *o;
	const char *const *k;

	if (e == NULL) {
		printf("Usage: memlens [OPTION]... [COMMAND [ARG]...]\n"
		       "       memlens help [COMMAND]\n"
		       "Show where this machine's memory is, and why, from the kernel's own "
		       "accounting.\n"
		       "As in free(1), -h is --human (sizes scaled); help is --help or "
		       "'memlens help'.\n"
		       "\nCommands (the default is summary; any unambiguous prefix will do):\n");
		for (c = ml_cmd_table; *c != NULL; c++) {
			char left[32];

			snprintf(left, sizeof left, "%s%s%s", (*c)->name, (*c)->args ? " " : "",
				 (*c)->args ? (*c)->args : "");
			printf("  %-14s %s\n", left, (*c)->summary);
		}
		printf("\nOptions (before or after the command):\n");
		for (g = ml_global_options; g->name != NULL; g++)
			if (g->help != NULL)
				print_option(g->name, g->short_name, g->arg, g->help);
		printf("\nExamples:\n"
		       "  memlens                      where MemTotal goes, on one screen\n"
		       "  memlens meminfo -k           every /proc/meminfo field, explained, in "
		       "KiB\n"
		       "  memlens -i 2 -n 5 --json     five JSON documents, one per line, 2 s "
		       "apart\n"
		       "\nSome sources need root (slabinfo, vmallocinfo, pagetypeinfo, other "
		       "users'\n"
		       "smaps); without it memlens shows what it can and says what is missing.\n"
		       "Exit status: 0 on success, 1 when something could not be read, 2 on a "
		       "usage error,\n"
		       "3 when memlens explain finds a warning or worse, 130 or 143 when SIGINT "
		       "or\n"
		       "SIGTERM ends a repeating report.\n"
		       "See memlens(1) for the full manual.\n");
		return;
	}
	printf("Usage: memlens [OPTION]... %s%s%s\n%s\n", e->name, e->args ? " " : "",
	       e->args ? e->args : "", e->summary);
	if (e->help != NULL)
		printf("\n%s\n", e->help);
	if (e->options != NULL && e->options[0].name != NULL) {
		printf("\nOptions of %s:\n", e->name);
		for (o = e->options; o->name != NULL; o++)
			print_option(o->name, o->short_name, o->arg, o->help);
	}
	if (e->flags & ML_CMD_SORT) {
		printf("\nSort keys (--sort KEY, -KEY for the reverse order):");
		for (k = e->sort_keys; k != NULL && *k != NULL; k++)
			printf(" %s%s", *k, k == e->sort_keys ? " (default)" : "");
		printf("\n");
	}
	printf("\nGlobal options:\n");
	for (g = ml_global_options; g->name != NULL; g++) {
		if (g->help == NULL ||
		    (!(e->flags & ML_CMD_SORT) &&
		     (strcmp(g->name, "sort") == 0 || strcmp(g->name, "limit") == 0)) ||
		    (!(e->flags & ML_CMD_REPEAT) &&
		     (strcmp(g->name, "interval") == 0 || strcmp(g->name, "count") == 0)) ||
		    ((e->flags & ML_CMD_NO_JSON) && strcmp(g->name, "json") == 0))
			continue;
		print_option(g->name, g->short_name, g->arg, g->help);
	}
}

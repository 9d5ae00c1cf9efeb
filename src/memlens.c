/*
 * memlens: main(). Global options, the command lookup, the command's own
 * options, then the command's exec; and the one place that turns a failed
 * write to stdout into an exit status.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "util.h"
#include "xalloc.h"

/* getopt values of the global long options without a short form. */
enum {
	OPT_PROC_ROOT = 256,
	OPT_SYS_ROOT,
	OPT_JSON,
	OPT_SI,
	OPT_SORT,
	OPT_LIMIT,
	OPT_COLOR,
	OPT_HELP,
	OPT_VERSION,
	OPT_COMMAND_BASE = 1000, /* + index in the command's options */
};

static const struct option global_long[] = {
	{ "proc-root", required_argument, NULL, OPT_PROC_ROOT },
	{ "sys-root", required_argument, NULL, OPT_SYS_ROOT },
	{ "json", optional_argument, NULL, OPT_JSON },
	{ "interval", required_argument, NULL, 'i' },
	{ "count", required_argument, NULL, 'n' },
	{ "bytes", no_argument, NULL, 'b' },
	{ "kibi", no_argument, NULL, 'k' },
	{ "mebi", no_argument, NULL, 'm' },
	{ "gibi", no_argument, NULL, 'g' },
	{ "human", no_argument, NULL, 'h' },
	{ "si", no_argument, NULL, OPT_SI },
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "colour", optional_argument, NULL, OPT_COLOR },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
};
#define GLOBAL_SHORT "i:n:bkmgh"

/* What the option parser collected beyond ctx. */
struct parsed {
	bool help, version;
	bool sort_given, limit_given, interval_given, count_given;
	struct ml_cmd_opt_seen *opts;
	int nopts;
};

static void
on_stop_signal(int sig)
{
	(void)sig;
	ml_stop_requested = 1;
}

/* The closest long option to a mistyped one ("--jsn" -> "json"), or NULL. */
static const char *
suggest_option(const char *given, const struct option *longopts)
{
	const struct option *o;
	const char *best = NULL;
	unsigned int d, best_d = 3;
	char name[64];
	size_t n;

	while (*given == '-')
		given++;
	n = strcspn(given, "=");
	if (n == 0 || n >= sizeof name)
		return NULL;
	memcpy(name, given, n);
	name[n] = '\0';
	for (o = longopts; o->name != NULL; o++) {
		if ((d = ml_edit_distance(name, o->name, best_d)) < best_d) {
			best_d = d;
			best = o->name;
		}
		if (best == NULL && strncmp(o->name, name, n) == 0)
			best = o->name;
	}
	return best;
}

static int
parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= 0.01) || v > 86400.0 * 365)
		return -1;
	*out = v;
	return 0;
}

static int
parse_count(const char *s, long min, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min)
		return -1;
	*out = v;
	return 0;
}

/* One global option; 0, or the exit status of a usage error. */
static int
global_option(struct ml_ctx *ctx, struct parsed *p, int c, const char *arg,
	      const struct ml_cmd_entry *e)
{
	switch (c) {
	case OPT_PROC_ROOT:
		ctx->proc_root = arg;
		break;
	case OPT_SYS_ROOT:
		ctx->sys_root = arg;
		break;
	case OPT_JSON:
		if (arg == NULL || strcmp(arg, "compact") == 0)
			ctx->json = ML_JSON_COMPACT;
		else if (strcmp(arg, "pretty") == 0)
			ctx->json = ML_JSON_PRETTY;
		else
			return cmd_usage_error(
				e, "invalid --json argument '%s' (use --json or --json=pretty)",
				arg);
		break;
	case 'i':
		if (parse_seconds(arg, &ctx->interval) != 0)
			return cmd_usage_error(
				e, "invalid interval '%s': give seconds, at least 0.01", arg);
		p->interval_given = true;
		break;
	case 'n':
		if (parse_count(arg, 1, &ctx->count) != 0)
			return cmd_usage_error(
				e, "invalid count '%s': give a whole number, at least 1", arg);
		p->count_given = true;
		break;
	case 'b':
		ctx->text.units.mode = ML_UNITS_BYTES;
		break;
	case 'k':
		ctx->text.units.mode = ML_UNITS_KIB;
		break;
	case 'm':
		ctx->text.units.mode = ML_UNITS_MIB;
		break;
	case 'g':
		ctx->text.units.mode = ML_UNITS_GIB;
		break;
	case 'h':
		ctx->text.units.mode = ML_UNITS_HUMAN;
		break;
	case OPT_SI:
		ctx->text.units.si = true;
		break;
	case OPT_SORT:
		ctx->sort_reverse = arg[0] == '-';
		ctx->sort = arg[0] == '-' ? arg + 1 : arg;
		p->sort_given = true;
		break;
	case OPT_LIMIT:
		if (parse_count(arg, 0, &ctx->limit) != 0)
			return cmd_usage_error(
				e, "invalid limit '%s': give a whole number (0 = all)", arg);
		p->limit_given = true;
		break;
	case OPT_COLOR:
		if (arg == NULL || strcmp(arg, "always") == 0)
			ctx->color_mode = ML_COLOR_ALWAYS;
		else if (strcmp(arg, "auto") == 0)
			ctx->color_mode = ML_COLOR_AUTO;
		else if (strcmp(arg, "never") == 0)
			ctx->color_mode = ML_COLOR_NEVER;
		else
			return cmd_usage_error(
				e, "invalid --color argument '%s' (use auto, always or never)",
				arg);
		break;
	case OPT_HELP:
		p->help = true;
		break;
	case OPT_VERSION:
		p->version = true;
		break;
	default:
		return cmd_usage_error(e, "internal error: option %d", c);
	}
	return 0;
}

/* Build getopt tables: the global options followed by the command's own. */
static struct option *
build_longopts(const struct ml_cmd_entry *e, char **shortopts)
{
	size_t ng = ML_ARRAY_SIZE(global_long), nc = 0, i, len;
	struct option *lo;
	char *so;

	if (e != NULL && e->options != NULL)
		while (e->options[nc].name != NULL)
			nc++;
	lo = ml_xcalloc(ng + nc + 1, sizeof *lo);
	memcpy(lo, global_long, sizeof global_long);
	so = ml_xmalloc(strlen(GLOBAL_SHORT) + 3 + nc * 2 + 1);
	/* '+' stops at the command name; ':' reports a missing argument as ':'. */
	len = (size_t)sprintf(so, "%s:%s", e == NULL ? "+" : "", GLOBAL_SHORT);
	for (i = 0; i < nc; i++) {
		const struct ml_cmd_option *o = &e->options[i];

		lo[ng + i].name = o->name;
		lo[ng + i].has_arg = o->arg == NULL ? no_argument : required_argument;
		lo[ng + i].val = OPT_COMMAND_BASE + (int)i;
		if (o->short_name != 0) {
			so[len++] = (char)o->short_name;
			if (o->arg != NULL)
				so[len++] = ':';
		}
	}
	so[len] = '\0';
	*shortopts = so;
	return lo;
}

/* OPT_COMMAND_BASE + index of e's option with short letter c, or c itself. */
static int
command_short_option(const struct ml_cmd_entry *e, int c)
{
	int i;

	for (i = 0; e->options != NULL && e->options[i].name != NULL; i++) {
		if (e->options[i].short_name == c)
			return OPT_COMMAND_BASE + i;
	}
	return c;
}

/* The option a short letter or val belongs to, for messages. */
static const char *
option_text(int val, const struct option *lo, char *buf, size_t cap)
{
	for (; lo->name != NULL; lo++) {
		if (lo->val == val) {
			snprintf(buf, cap, "--%s", lo->name);
			return buf;
		}
	}
	snprintf(buf, cap, "-%c", val);
	return buf;
}

/*
 * Run getopt over argv with the global options and, when e is set, e's own.
 * Without e it stops at the first non-option (the command name).
 * Returns 0 or the exit status of a usage error.
 */
static int
parse_options(struct ml_ctx *ctx, struct parsed *p, int argc, char **argv,
	      const struct ml_cmd_entry *e)
{
	struct option *lo;
	char *so, buf[64];
	int c, rc = 0, idx;

	lo = build_longopts(e, &so);
	opterr = 0;
	while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if (c == '?') {
			const char *given = argv[optind - 1];
			const char *hint = NULL;

			if (given != NULL && strncmp(given, "--", 2) == 0 && optopt != 0 &&
			    strchr(given, '=') != NULL) {
				rc = cmd_usage_error(e, "option '%.*s' takes no argument",
						     (int)strcspn(given, "="), given);
				break;
			}
			if ((given == NULL || strncmp(given, "--", 2) != 0) && optopt > 0 &&
			    optopt < 256) {
				rc = cmd_usage_error(e, "unknown option '-%c'", optopt);
				break;
			}
			if (given != NULL && strncmp(given, "--", 2) == 0)
				hint = suggest_option(given, lo);
			if (hint != NULL)
				rc = cmd_usage_error(e, "unknown option '%s'; did you mean '--%s'?",
						     given, hint);
			else
				rc = cmd_usage_error(e, "unknown option '%s'", given ? given : "?");
			break;
		}
		if (c == ':') {
			rc = cmd_usage_error(e, "option '%s' needs an argument",
					     option_text(optopt, lo, buf, sizeof buf));
			break;
		}
		/* getopt returns a command option's short letter itself: map it. */
		if (e != NULL && c > 0 && c < OPT_PROC_ROOT)
			c = command_short_option(e, c);
		if (c >= OPT_COMMAND_BASE) {
			idx = c - OPT_COMMAND_BASE;
			p->opts = ml_xreallocarray(p->opts, (size_t)p->nopts + 1, sizeof *p->opts);
			p->opts[p->nopts].id = e->options[idx].id;
			p->opts[p->nopts].arg = optarg;
			p->nopts++;
			continue;
		}
		if ((rc = global_option(ctx, p, c, optarg, e)) != 0)
			break;
	}
	free(lo);
	free(so);
	return rc;
}

static bool
locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

static void
setup_text(struct ml_ctx *ctx)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM"), *cols;
	bool tty = isatty(STDOUT_FILENO);
	struct winsize ws;

	ctx->text.f = stdout;
	ctx->text.utf8 = locale_is_utf8();
	switch (ctx->color_mode) {
	case ML_COLOR_ALWAYS:
		ctx->text.color = true;
		break;
	case ML_COLOR_NEVER:
		ctx->text.color = false;
		break;
	case ML_COLOR_AUTO:
		ctx->text.color = tty && (no_color == NULL || no_color[0] == '\0') &&
				  (term == NULL || strcmp(term, "dumb") != 0);
		break;
	}
	ctx->text.width = 80;
	if (tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		ctx->text.width = ws.ws_col;
	else if ((cols = getenv("COLUMNS")) != NULL && atoi(cols) > 0)
		ctx->text.width = atoi(cols);
}

/* Flush stdout; a write error is a failure, a closed pipe is not worth a word. */
static int
finish_output(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE)
			return status != 0 ? status : 1;
		cmd_error("write error: %s", strerror(errno));
		return 1;
	}
	return status;
}

int
main(int argc, char **argv)
{
	struct ml_ctx ctx;
	struct parsed p;
	const struct ml_cmd_entry *e = NULL;
	struct ml_cmd_args args;
	const char *env;
	char *cause = NULL;
	bool ambiguous;
	int rc, cmd_index;

	/* Character classification only: numbers stay in the C locale (JSON). */
	setlocale(LC_CTYPE, "");
	setlocale(LC_TIME, "");

	memset(&ctx, 0, sizeof ctx);
	memset(&p, 0, sizeof p);
	ctx.fs.dirfd = -1;
	ctx.limit = -1;
	ctx.proc_root = "/proc";
	ctx.sys_root = "/sys";
	if ((env = getenv("MEMLENS_PROC_ROOT")) != NULL && env[0] != '\0')
		ctx.proc_root = env;
	if ((env = getenv("MEMLENS_SYS_ROOT")) != NULL && env[0] != '\0')
		ctx.sys_root = env;

	if ((rc = parse_options(&ctx, &p, argc, argv, NULL)) != 0)
		return rc;
	cmd_index = optind;
	if (p.version) {
		printf("memlens %s\n", PACKAGE_VERSION);
		return finish_output(0);
	}
	if (cmd_index < argc) {
		e = ml_cmd_find(argv[cmd_index], &ambiguous);
		if (e == NULL) {
			const char *hint = ml_cmd_suggest(argv[cmd_index]);

			if (ambiguous)
				return cmd_usage_error(NULL, "ambiguous command '%s'",
						       argv[cmd_index]);
			if (hint != NULL)
				return cmd_usage_error(NULL,
						       "unknown command '%s'; did you mean '%s'?",
						       argv[cmd_index], hint);
			return cmd_usage_error(NULL, "unknown command '%s'", argv[cmd_index]);
		}
		/* The command's own options, and globals given after the command. */
		optind = 0; /* 0: glibc re-initialises for the new option string */
		rc = parse_options(&ctx, &p, argc - cmd_index, argv + cmd_index, e);
		if (rc != 0)
			return rc;
		args.argc = argc - cmd_index - optind;
		args.argv = argv + cmd_index + optind;
	} else {
		if (p.help) {
			cmd_print_help(NULL);
			return finish_output(0);
		}
		e = ml_cmd_table[0];
		args.argc = 0;
		args.argv = argv + argc;
	}
	args.nopts = p.nopts;
	args.opts = p.opts;

	if (p.help) {
		cmd_print_help(e);
		free(p.opts);
		return finish_output(0);
	}
	if (args.argc < e->min_args || args.argc > e->max_args) {
		free(p.opts);
		if (args.argc < e->min_args)
			return cmd_usage_error(e, "'%s' needs %s", e->name,
					       e->args ? e->args : "arguments");
		return cmd_usage_error(e, "unexpected argument '%s'", args.argv[e->max_args]);
	}
	if ((p.sort_given || p.limit_given) && !(e->flags & ML_CMD_SORT)) {
		free(p.opts);
		return cmd_usage_error(e, "'%s' does not take --sort or --limit", e->name);
	}
	if (p.sort_given) {
		const char *const *k;

		for (k = e->sort_keys; k != NULL && *k != NULL; k++)
			if (strcmp(*k, ctx.sort) == 0)
				break;
		if (k == NULL || *k == NULL) {
			free(p.opts);
			return cmd_usage_error(e, "'%s' cannot sort by '%s'", e->name, ctx.sort);
		}
	}
	if ((p.interval_given || p.count_given) && !(e->flags & ML_CMD_REPEAT)) {
		free(p.opts);
		return cmd_usage_error(e, "'%s' does not take -i or -n", e->name);
	}
	if (ctx.json != ML_JSON_OFF && (e->flags & ML_CMD_NO_JSON)) {
		free(p.opts);
		return cmd_usage_error(e, "'%s' has no JSON output", e->name);
	}
	ctx.repeat = p.interval_given || p.count_given;
	if (ctx.repeat && !p.interval_given)
		ctx.interval = 1.0;
	if (ctx.repeat && ctx.json == ML_JSON_PRETTY && !(e->flags & ML_CMD_SAMPLES)) {
		free(p.opts);
		return cmd_usage_error(
			e, "--json=pretty cannot repeat: with -i/-n each document is one "
			   "line (use --json)");
	}

	if (ml_procfs_open(&ctx.fs, ctx.proc_root, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		free(p.opts);
		ml_procfs_close(&ctx.fs);
		return 1;
	}
	setup_text(&ctx);
	if (ctx.repeat) {
		struct sigaction sa;

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_stop_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}

	rc = e->exec(&ctx, &args);

	ml_procfs_close(&ctx.fs);
	free(p.opts);
	return finish_output(rc);
}

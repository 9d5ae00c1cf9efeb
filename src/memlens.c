/*
 * memlens: main(). Global options, the command lookup, the command's own
 * options, then the command's exec; and the one place that turns a failed
 * write to stdout into an exit status.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
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

/* getopt's value of a command's own option: this + its index in e->options. */
#define OPT_COMMAND_BASE 1000

/* The upper ends of -i, -n and --limit, stated in their messages. */
#define INTERVAL_MAX (86400.0 * 365)

/* What the option parser collected beyond ctx. */
struct parsed {
	bool help, version;
	bool sort_given, limit_given, interval_given, count_given;
	bool root_given; /* --proc-root or --sys-root */
	struct ml_cmd_opt_seen *opts;
	int nopts;
};

static void
on_stop_signal(int sig)
{
	ml_stop_requested = sig;
}

static int
has_arg(const char *arg)
{
	if (arg == NULL)
		return no_argument;
	return arg[0] == '[' ? optional_argument : required_argument;
}

/* The option name in "--name=value" (without the dashes), into buf. */
static const char *
given_name(const char *given, char *buf, size_t cap)
{
	size_t n;

	while (*given == '-')
		given++;
	n = strcspn(given, "=");
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, given, n);
	buf[n] = '\0';
	return buf;
}

/*
 * An option of a command other than e (any command when e is NULL) named
 * name exactly, or else one starting with it; NULL when none. *owner is its
 * command.
 */
static const struct ml_cmd_option *
other_command_option(const struct ml_cmd_entry *e, const char *name,
		     const struct ml_cmd_entry **owner)
{
	const struct ml_cmd_entry *const *c;
	const struct ml_cmd_option *o, *prefix = NULL;
	size_t n = strlen(name);

	for (c = ml_cmd_table; *c != NULL; c++) {
		if (*c == e || (*c)->options == NULL)
			continue;
		for (o = (*c)->options; o->name != NULL; o++) {
			if (strcmp(o->name, name) == 0) {
				*owner = *c;
				return o;
			}
			if (prefix == NULL && n > 0 && strncmp(o->name, name, n) == 0) {
				prefix = o;
				*owner = *c;
			}
		}
	}
	return prefix;
}

/* The closest long option to a mistyped one ("--jsn" -> "json"), or NULL. */
static const char *
suggest_option(const char *name, const struct option *longopts)
{
	const struct option *o;
	const char *best = NULL;
	unsigned int d, best_d = UINT_MAX;

	for (o = longopts; o->name != NULL; o++) {
		if (!ml_name_is_close(name, o->name, &d) || d >= best_d)
			continue;
		best_d = d;
		best = o->name;
	}
	return best;
}

/* "--color, --count": the options of longopts starting with name. */
static void
candidates(const char *name, const struct option *longopts, char *buf, size_t cap)
{
	const struct option *o, *p;
	size_t n = strlen(name), len = 0;

	buf[0] = '\0';
	for (o = longopts; o->name != NULL; o++) {
		if (strncmp(o->name, name, n) != 0)
			continue;
		/* Two spellings of one option (color, colour) are one candidate. */
		for (p = longopts; p < o; p++)
			if (p->val == o->val && strncmp(p->name, name, n) == 0)
				break;
		if (p < o)
			continue;
		len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0, "%s--%s",
					len > 0 ? ", " : "", o->name);
	}
}

/* An option getopt did not take (unknown or ambiguous): the usage error. */
static int
unknown_option(const struct ml_cmd_entry *e, const char *given, const struct option *lo)
{
	const struct ml_cmd_entry *owner = NULL;
	const struct ml_cmd_option *other;
	const char *hint;
	char name[64], list[256];

	given_name(given, name, sizeof name);
	candidates(name, lo, list, sizeof list);
	if (name[0] != '\0' && strchr(list, ',') != NULL)
		return cmd_usage_error(e, "ambiguous option '--%s': %s", name, list);
	if (name[0] != '\0' && (other = other_command_option(e, name, &owner)) != NULL) {
		if (e == NULL)
			return cmd_usage_error(e,
					       "option '--%s' is %s's: give it after the command",
					       other->name, owner->name);
		return cmd_usage_error(e, "'%s' has no option '--%s' (%s has --%s)", e->name, name,
				       owner->name, other->name);
	}
	if (name[0] != '\0' && (hint = suggest_option(name, lo)) != NULL)
		return cmd_usage_error(e, "unknown option '%s'; did you mean '--%s'?", given, hint);
	return cmd_usage_error(e, "unknown option '%s'", given);
}

/*
 * A long option getopt took as an abbreviation of a global one: refused when
 * another command has an option of that name or prefix (slab --by is not
 * --bytes: --by is vmalloc's). 0, or the exit status of the usage error.
 */
static int
check_abbreviation(const struct ml_cmd_entry *e, const char *given, const struct option *o)
{
	const struct ml_cmd_entry *owner = NULL;
	const struct ml_cmd_option *other;
	char name[64];

	given_name(given, name, sizeof name);
	if (strcmp(name, o->name) == 0 || o->val >= OPT_COMMAND_BASE)
		return 0;
	if ((other = other_command_option(e, name, &owner)) == NULL)
		return 0;
	if (strcmp(other->name, name) == 0) {
		if (e == NULL)
			return cmd_usage_error(e,
					       "option '--%s' is %s's: give it after the command "
					       "(--%s must be written in full)",
					       name, owner->name, o->name);
		return cmd_usage_error(e,
				       "'%s' has no option '--%s' (it is %s's); --%s must be "
				       "written in full",
				       e->name, name, owner->name, o->name);
	}
	return cmd_usage_error(e, "ambiguous option '--%s': --%s, or %s's --%s", name, o->name,
			       owner->name, other->name);
}

static int
parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= 0.01) || v > INTERVAL_MAX)
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
	case ML_OPT_PROC_ROOT:
		if (arg[0] == '\0')
			return cmd_usage_error(e, "--proc-root needs a directory, not an empty "
						  "string");
		ctx->proc_root = arg;
		ctx->proc_root_given = true;
		p->root_given = true;
		break;
	case ML_OPT_SYS_ROOT:
		if (arg[0] == '\0')
			return cmd_usage_error(e, "--sys-root needs a directory, not an empty "
						  "string");
		ctx->sys_root = arg;
		ctx->sys_root_given = true;
		p->root_given = true;
		break;
	case ML_OPT_CAPTURE:
		if (arg[0] == '\0')
			return cmd_usage_error(e, "--capture needs a capture, not an empty string");
		ctx->capture = arg;
		break;
	case ML_OPT_JSON:
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
			return cmd_usage_error(e,
					       "invalid interval '%s': give seconds from 0.01 to "
					       "%.0f (a year)",
					       arg, INTERVAL_MAX);
		p->interval_given = true;
		break;
	case 'n':
		if (parse_count(arg, 1, &ctx->count) != 0)
			return cmd_usage_error(e,
					       "invalid count '%s': give a whole number from 1 to "
					       "%ld",
					       arg, LONG_MAX);
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
	case ML_OPT_SI:
		ctx->text.units.si = true;
		break;
	case ML_OPT_SORT:
		ctx->sort_reverse = arg[0] == '-';
		ctx->sort = arg[0] == '-' ? arg + 1 : arg;
		p->sort_given = true;
		break;
	case ML_OPT_LIMIT:
		if (parse_count(arg, 0, &ctx->limit) != 0)
			return cmd_usage_error(e,
					       "invalid limit '%s': give a whole number from 0 "
					       "(all) to %ld",
					       arg, LONG_MAX);
		p->limit_given = true;
		break;
	case ML_OPT_COLOR:
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
	case ML_OPT_HELP:
		p->help = true;
		break;
	case ML_OPT_VERSION:
		p->version = true;
		break;
	default:
		return cmd_usage_error(e, "internal error: option %d", c);
	}
	return 0;
}

/*
 * Build getopt's tables from the option tables: ml_global_options, then e's
 * own options (getopt value OPT_COMMAND_BASE + index).
 */
static struct option *
build_longopts(const struct ml_cmd_entry *e, char **shortopts)
{
	const struct ml_global_option *g;
	size_t ng = 0, nc = 0, i, len;
	struct option *lo;
	char *so;

	while (ml_global_options[ng].name != NULL)
		ng++;
	if (e != NULL && e->options != NULL)
		while (e->options[nc].name != NULL)
			nc++;
	lo = ml_xcalloc(ng + nc + 1, sizeof *lo);
	so = ml_xmalloc(2 + (ng + nc) * 2 + 1);
	/* '+' stops at the command name; ':' reports a missing argument as ':'. */
	len = (size_t)sprintf(so, "%s:", e == NULL ? "+" : "");
	for (i = 0; i < ng; i++) {
		g = &ml_global_options[i];
		lo[i].name = g->name;
		lo[i].has_arg = has_arg(g->arg);
		lo[i].val = g->id;
		if (g->short_name != 0) {
			so[len++] = (char)g->short_name;
			if (lo[i].has_arg == required_argument)
				so[len++] = ':';
		}
	}
	for (i = 0; i < nc; i++) {
		const struct ml_cmd_option *o = &e->options[i];

		lo[ng + i].name = o->name;
		lo[ng + i].has_arg = has_arg(o->arg);
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

/* The argv element of the long option getopt returned last (not its argument). */
static const char *
last_option_text(char **argv)
{
	const char *g = argv[optind - 1];

	if (optarg != NULL && g == optarg && optind >= 2)
		g = argv[optind - 2];
	return g;
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
	int c, rc = 0, idx, li;

	lo = build_longopts(e, &so);
	opterr = 0;
	while ((li = -1, c = getopt_long(argc, argv, so, lo, &li)) != -1) {
		if (c == '?') {
			const char *given = argv[optind - 1];

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
			rc = unknown_option(e, given != NULL ? given : "?", lo);
			break;
		}
		if (c == ':') {
			rc = cmd_usage_error(e, "option '%s' needs an argument",
					     option_text(optopt, lo, buf, sizeof buf));
			break;
		}
		if (li >= 0 && (rc = check_abbreviation(e, last_option_text(argv), &lo[li])) != 0)
			break;
		/* getopt returns a command option's short letter itself: map it. */
		if (e != NULL && c > 0 && c < ML_OPT_PROC_ROOT)
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
	ctx->text.width_set = true;
	ctx->text.tty = tty;
	if (tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		ctx->text.width = ws.ws_col;
	else if ((cols = getenv("COLUMNS")) != NULL && atoi(cols) > 0)
		ctx->text.width = atoi(cols);
	else
		ctx->text.width_set = tty;
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

/* "memlens help [COMMAND]": the help, as --help prints it. */
static int
help_command(int argc, char **argv)
{
	const struct ml_cmd_entry *e = NULL;
	bool ambiguous;
	char list[256];

	if (argc > 1)
		return cmd_usage_error(NULL, "unexpected argument '%s' (memlens help [COMMAND])",
				       argv[1]);
	if (argc == 1 && (e = ml_cmd_find(argv[0], &ambiguous)) == NULL) {
		const char *hint = ml_cmd_suggest(argv[0]);

		if (ambiguous) {
			ml_cmd_candidates(argv[0], list, sizeof list);
			return cmd_usage_error(NULL, "ambiguous command '%s': %s", argv[0], list);
		}
		if (hint != NULL)
			return cmd_usage_error(NULL, "unknown command '%s'; did you mean '%s'?",
					       argv[0], hint);
		return cmd_usage_error(NULL, "unknown command '%s'", argv[0]);
	}
	cmd_print_help(e);
	return finish_output(0);
}

/*
 * A sys root given by option or environment must be a directory or a tar
 * archive memlens can open (sysfs is what ml_procfs_open made of it).
 */
static int
check_sys_root(const struct ml_procfs *sysfs, const char *root)
{
	int fd;

	if (sysfs->dirfd >= 0 || sysfs->ar != NULL)
		return 0;
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		cmd_error("cannot open sys root %s: %s", root, strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
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
	ctx.sysfs.dirfd = -1;
	ctx.sysfs.dirfd = -1;
	ctx.limit = -1;
	ctx.proc_root = "/proc";
	ctx.sys_root = "/sys";
	if ((env = getenv("MEMLENS_PROC_ROOT")) != NULL && env[0] != '\0') {
		ctx.proc_root = env;
		ctx.proc_root_given = true;
	}
	if ((env = getenv("MEMLENS_SYS_ROOT")) != NULL && env[0] != '\0') {
		ctx.sys_root = env;
		ctx.sys_root_given = true;
	}

	if ((rc = parse_options(&ctx, &p, argc, argv, NULL)) != 0)
		return rc;
	cmd_index = optind;
	if (p.version) {
		printf("memlens %s\n", PACKAGE_VERSION);
		return finish_output(0);
	}
	if (cmd_index < argc && strcmp(argv[cmd_index], "help") == 0)
		return help_command(argc - cmd_index - 1, argv + cmd_index + 1);
	if (cmd_index < argc) {
		e = ml_cmd_find(argv[cmd_index], &ambiguous);
		if (e == NULL) {
			const char *hint = ml_cmd_suggest(argv[cmd_index]);
			char list[256];

			if (ambiguous) {
				ml_cmd_candidates(argv[cmd_index], list, sizeof list);
				return cmd_usage_error(NULL, "ambiguous command '%s': %s",
						       argv[cmd_index], list);
			}
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

	if (ctx.capture != NULL && p.root_given) {
		free(p.opts);
		return cmd_usage_error(e, "--capture gives both roots: use it without --proc-root "
					  "and --sys-root");
	}
	if (ctx.capture != NULL) {
		/* Both roots are the capture's: its proc/ and sys/, with its manifest. */
		if (cmd_capture_open(&ctx.cap, ctx.capture, &cause) != 0) {
			cmd_error("%s", cause);
			free(cause);
			free(p.opts);
			cmd_capture_close(&ctx.cap);
			return 1;
		}
		ctx.fs = ctx.cap.proc;
		ctx.sysfs = ctx.cap.sys;
		memset(&ctx.cap.proc, 0, sizeof ctx.cap.proc);
		memset(&ctx.cap.sys, 0, sizeof ctx.cap.sys);
		ctx.cap.proc.dirfd = ctx.cap.sys.dirfd = -1;
		ctx.proc_root = ctx.fs.root;
		ctx.sys_root = ctx.sysfs.root;
	} else {
		if (ml_procfs_open(&ctx.fs, ctx.proc_root, &cause) != 0) {
			cmd_error("%s", cause);
			free(cause);
			free(p.opts);
			ml_procfs_close(&ctx.fs);
			return 1;
		}
		/* Only the slab caches' reclaimability needs it: a failure is said there. */
		ml_procfs_open(&ctx.sysfs, ctx.sys_root, NULL);
	}
	if (ctx.capture == NULL && ctx.sys_root_given &&
	    (rc = check_sys_root(&ctx.sysfs, ctx.sys_root)) != 0) {
		free(p.opts);
		ml_procfs_close(&ctx.fs);
		return rc;
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
	/*
	 * A report repeating with -i/-n that SIGINT or SIGTERM ended exits as
	 * shells report such an end: 130, 143. (top ends on them with 0, as
	 * top(1) and htop do: its handler records 1, not the signal.)
	 */
	if (ml_stop_requested == SIGINT || ml_stop_requested == SIGTERM)
		rc = 128 + (int)ml_stop_requested;

	ml_procfs_close(&ctx.fs);
	ml_procfs_close(&ctx.sysfs);
	if (ctx.capture != NULL)
		cmd_capture_close(&ctx.cap);
	free(p.opts);
	return finish_output(rc);
}

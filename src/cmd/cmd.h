/*
 * Commands: one file each (cmd-<name>.c), one const struct ml_cmd_entry each,
 * listed in the table in cmd.c; lookup by name, alias or unambiguous prefix.
 *
 * Adding a command, the checklist:
 *  1. src/cmd/cmd-<name>.c with its `const struct ml_cmd_entry cmd_<name>_entry`
 *     (name, usage, options, flags, exec function).
 *  2. Add it to ml_cmd_table in cmd.c and its file to Makefile.am.
 *  3. A section in man/memlens.1, and the name and options in
 *     completions/memlens.bash, completions/_memlens and completions/memlens.fish
 *     (tests/cli/0090-docs-agree.sh checks all four against the table).
 *  4. Tests under tests/cli/: text and --json against fixtures, and the errors.
 *
 * A command reads through ctx->fs only, prints through ctx->text or JSON,
 * and returns an exit status: 0, 1 (runtime failure) or 2 (usage).
 */
#ifndef ML_CMD_H
#define ML_CMD_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "compat.h"
#include "model/snapshot.h"
#include "render/json.h"
#include "render/text.h"
#include "proc/manifest.h"
#include "proc/reader.h"
#include "proc/sysinfo.h"

enum ml_json_mode {
	ML_JSON_OFF,
	ML_JSON_COMPACT,
	ML_JSON_PRETTY,
};

enum ml_color_mode {
	ML_COLOR_AUTO,
	ML_COLOR_ALWAYS,
	ML_COLOR_NEVER,
};

/*
 * A capture opened for reading (memlens capture wrote it): its top (a
 * directory or an archive), its manifest, and its proc/ and sys/ as roots
 * that know the manifest.
 */
struct cmd_capture {
	char *path;
	struct ml_procfs top, proc, sys;
	struct ml_manifest mf;
};

/*
 * Open a capture: a directory or an archive with memlens-capture.json, a
 * manifest of a schema this memlens reads, and a proc/ in it. 0, or -1 with a
 * cause that names the path and says what is wrong; close it either way.
 */
int cmd_capture_open(struct cmd_capture *c, const char *path, char **cause);
void cmd_capture_close(struct cmd_capture *c);

/* Everything the global options and environment decided. */
struct ml_ctx {
	const char *proc_root; /* --proc-root, MEMLENS_PROC_ROOT, "/proc" */
	const char *sys_root;  /* --sys-root, MEMLENS_SYS_ROOT, "/sys" */
	bool proc_root_given;  /* by an option or the environment, not the default */
	bool sys_root_given;
	const char *capture;    /* --capture: both roots are a capture's */
	struct cmd_capture cap; /* with --capture, opened before exec */
	struct ml_procfs fs;    /* proc_root, opened before exec */
	struct ml_procfs sysfs; /* sys_root, opened before exec (a failure shows when it is used) */
	enum ml_json_mode json;
	enum ml_color_mode color_mode;
	struct text_out text;    /* stdout, color, width, units */
	double interval;         /* seconds; > 0 when -i was given */
	long count;              /* -n; 0 = not given */
	bool repeat;             /* -i or -n: print more than once */
	const char *sort;        /* --sort KEY, NULL for the command's default */
	bool sort_reverse;       /* --sort=-KEY */
	long limit;              /* --limit N, -1 for the command's default */
	bool started;            /* cmd_next_report was called */
	unsigned long iteration; /* 0 for the first report */
	struct timespec next_tick;
};

/* A command-specific option: --name[=ARG] or -c. */
struct ml_cmd_option {
	const char *name; /* long name, without "--" */
	int short_name;   /* 0 when none */
	const char *arg;  /* NULL (flag) or the argument's name ("USER") */
	const char *help;
	int id; /* what the command sees in ml_cmd_args */
};

/* One command-specific option as given on the command line. */
struct ml_cmd_opt_seen {
	int id;
	const char *arg;
};

struct ml_cmd_args {
	int argc; /* positional arguments after the command */
	char **argv;
	int nopts;
	struct ml_cmd_opt_seen *opts;
};

enum ml_cmd_flags {
	ML_CMD_SORT = 1u << 0,    /* takes --sort and --limit */
	ML_CMD_REPEAT = 1u << 1,  /* takes -i and -n */
	ML_CMD_NO_JSON = 1u << 2, /* has no --json output (the dashboard) */
	ML_CMD_SAMPLES = 1u << 3, /* -i/-n pace samples for one report at the end (growth) */
};

struct ml_cmd_entry {
	const char *name;
	const char *alias; /* NULL when none */
	const char *args;  /* "PID", or NULL */
	int min_args, max_args;
	const char *summary;                 /* one line for --help */
	const char *help;                    /* a paragraph for "memlens CMD --help" */
	const struct ml_cmd_option *options; /* ends with { NULL }; may be NULL */
	const char *const *sort_keys;        /* with ML_CMD_SORT; the first is the default */
	unsigned int flags;
	int (*exec)(struct ml_ctx *ctx, const struct ml_cmd_args *args);
};

extern const struct ml_cmd_entry *const ml_cmd_table[];

/* Find a command by name, alias or unambiguous prefix; NULL (and *ambiguous). */
const struct ml_cmd_entry *ml_cmd_find(const char *name, bool *ambiguous);
/* The closest command name to a mistyped one, or NULL. */
const char *ml_cmd_suggest(const char *name);
/* The commands whose names start with name, "meminfo, maps", into buf. */
void ml_cmd_candidates(const char *name, char *buf, size_t cap);

/* Print "memlens: " + message to stderr. */
void cmd_error(const char *fmt, ...) ML_PRINTF(1, 2);
/* A usage error: the message, "Try ..." and exit status 2. */
int cmd_usage_error(const struct ml_cmd_entry *e, const char *fmt, ...) ML_PRINTF(2, 3);

/*
 * Report a failed read of a source: the cause, and a hint when the failure is
 * a permission problem: hint_root is what a user should do ("run as root").
 * Returns 1, the exit status for runtime failures.
 */
int cmd_read_error(const char *cause, int err, const char *hint_root);

/* Report bad lines of a parse to stderr (a warning; the report goes on). */
void cmd_warn_bad_lines(const struct ml_ctx *ctx, const char *rel, const struct ml_parse_stats *st);
/* The same for a file of another root than the proc root (a sys root). */
void cmd_warn_bad_lines_in(const struct ml_procfs *fs, const char *rel,
			   const struct ml_parse_stats *st);
/*
 * Warn that count processes of a copied tree have no PID/<file> (rel: the
 * first one, relative to the proc root), so that what comes from it (what:
 * "name, user and state") is shown as unknown.
 */
void cmd_warn_missing(const struct ml_ctx *ctx, uint64_t count, const char *rel, const char *what);
/* The same as an entry of a JSON array "missing": {"first", "processes", "unknown"}. */
void cmd_json_missing(struct json_node *arr, const struct ml_ctx *ctx, uint64_t count,
		      const char *rel, const char *what);
/* The same as a JSON array entry under "parse_errors". */
void cmd_json_bad_lines(struct json_node *arr, const struct ml_ctx *ctx, const char *rel,
			const struct ml_parse_stats *st);
void cmd_json_bad_lines_in(struct json_node *arr, const struct ml_procfs *fs, const char *rel,
			   const struct ml_parse_stats *st);

/*
 * The repeat loop: true for the first report and, with -i/-n, for each next
 * one after sleeping to the next tick; false once -n reports were printed or
 * SIGINT/SIGTERM arrived. Prints the separator between text reports.
 */
bool cmd_next_report(struct ml_ctx *ctx);
/* Set by the SIGINT/SIGTERM handler. */
extern volatile sig_atomic_t ml_stop_requested;

/* Print a finished JSON document in the chosen mode; 0 or 1 (out of memory). */
int cmd_json_emit(struct ml_ctx *ctx, struct json_node *doc);

/* The text report's first line: host, kernel, time and proc root. */
void cmd_text_header(const struct ml_ctx *ctx, const struct ml_sysinfo *si, const char *what);

/*
 * A source of the snapshot that has no good read: print its cause (with
 * hint_root for a permission problem) and, when it failed at its read, its
 * bad lines. Returns 1, the exit status for runtime failures.
 */
int cmd_snap_error(const struct ml_ctx *ctx, const struct ml_snapshot *s, enum ml_snap_src src,
		   const char *hint_root);
/*
 * The bad lines of a source's last read, when it has one or lost it in the
 * last refresh: as a warning, and as an entry of "parse_errors".
 */
void cmd_snap_warn_bad_lines(const struct ml_ctx *ctx, const struct ml_snapshot *s,
			     enum ml_snap_src src);
void cmd_snap_json_bad_lines(struct json_node *arr, const struct ml_ctx *ctx,
			     const struct ml_snapshot *s, enum ml_snap_src src);

/* False when MEMLENS_THREADS=0: read in one thread (for comparisons, debugging). */
bool cmd_threads_allowed(void);

/*
 * One note of a report's "Notes" section, word-wrapped to the output width;
 * the first note (*any still false) prints the heading.
 */
void cmd_note(const struct text_out *o, bool *any, const char *fmt, ...) ML_PRINTF(3, 4);

/* The value of --sort checked against e->sort_keys; the default when none. */
const char *cmd_sort_key(const struct ml_ctx *ctx, const struct ml_cmd_entry *e);

/* Print the full --help for one command, or for memlens when e is NULL. */
void cmd_print_help(const struct ml_cmd_entry *e);

/* What the option parser sees of a global option that has no short letter. */
enum ml_global_opt_id {
	ML_OPT_PROC_ROOT = 256,
	ML_OPT_SYS_ROOT,
	ML_OPT_CAPTURE,
	ML_OPT_JSON,
	ML_OPT_SI,
	ML_OPT_SORT,
	ML_OPT_LIMIT,
	ML_OPT_COLOR,
	ML_OPT_HELP,
	ML_OPT_VERSION,
};

/*
 * The global options: the one table --help, the man page's test and the
 * option parser (getopt's tables are built from it) read. arg is NULL for a
 * flag, "[=...]" for an optional argument, else a required one's name.
 */
struct ml_global_option {
	const char *name;
	int short_name;   /* 0 when none */
	const char *arg;  /* NULL, "[=WHEN]" or "DIR" */
	const char *help; /* NULL: another spelling of the option above, not listed */
	int id;           /* the short letter, or an enum ml_global_opt_id */
};
extern const struct ml_global_option ml_global_options[];

#endif /* ML_CMD_H */

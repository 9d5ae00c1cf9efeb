/*
 * The push-style parser engine.
 *
 * A procfs source is described by a const struct ml_source: how to start a
 * parse of its output struct, what to do with one complete line, and how to
 * finish. The feed (struct ml_feed) turns chunks of any size, split anywhere,
 * into complete lines: a line cut across chunks is carried in a fixed buffer
 * of ML_LINE_MAX bytes, so memory does not grow with the input. Parsers only
 * ever see whole lines, without their newline, and never print.
 *
 * The kernel ends every line with a newline; a copy made by an editor or
 * another tool may lose the last one. That last line is parsed when its
 * source can tell it is complete for the format (.complete: a value that
 * ends in its unit, a tuple closed by ')'); otherwise, or when the source
 * cannot tell (a bare number may have lost digits), it is a bad line, "no
 * newline at end of file (truncated)", as a line really cut short is.
 *
 * Ownership: the feed borrows the output struct for the length of one parse;
 * the line pointer given to a parser is valid only during that call.
 *
 * Adding a /proc (or /sys) source, the checklist:
 *  1. src/proc/<file>.c and <file>.h: the output struct (absent distinct
 *     from 0), `const struct ml_source ml_src_<name>` declared extern in the
 *     header. The top comment names the file, its units and the oldest
 *     kernel format accepted, and cites its section of doc/procfs.md; write
 *     that section (format, drift across kernels, permissions, read cost).
 *  2. Makefile.am: both files in libmemlens_a_SOURCES, tests/unit/test-<file>
 *     in UNIT_TESTS, tests/fuzz/fuzz-<name> in FUZZ_HARNESSES with its
 *     CFLAGS and LDADD lines (tests/fuzz/run.sh runs every harness built).
 *  3. tests/unit/test-<file>.c: the file whole and in unit_chunk_sizes
 *     (1, 7 and 4096 bytes) with identical results, truncated, unknown keys,
 *     garbage.
 *  4. tests/fuzz/fuzz-<name>.c (see fuzz.h) with seeds: tests/fuzz/corpus/
 *     <name>/, or fixture files named <name>, which run.sh adds.
 *  5. The file in a fixture tree under tests/fixtures/ (a real capture, and
 *     the older or odd formats written from doc/procfs.md).
 *  6. Its bad input: rows in tests/cli/0900-bad-input-matrix.sh and
 *     doc/bad-input.md once a command reads it.
 *  7. Then the snapshot (the checklist in src/model/snapshot.h), the model
 *     (src/model) and the views, through the checklist in src/cmd/cmd.h;
 *     every file a command reads is one line in the capture table,
 *     src/proc/capture.c.
 * tests/cli/0097-proc-sources.sh checks, for every ml_source in src/proc,
 * the extern, the doc/procfs.md citation, the unit test and its chunk sizes,
 * a harness, its listing and its seeds, and a fixture;
 * tests/cli/0095-makefile.sh that every file is listed, and
 * tests/cli/0098-procfs-citations.sh that every cited section exists.
 */
#ifndef ML_SOURCE_H
#define ML_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Longest line accepted; longer lines are counted as bad and skipped. A line
 * holding a NUL byte is bad too (procfs text never has one, and names are
 * kept as C strings): parsers never see one.
 */
#define ML_LINE_MAX 8192

/* What a parser's line callback returns. */
enum ml_line_result {
	ML_LINE_OK = 0,
	ML_LINE_BAD = 1,    /* counted and reported; parsing goes on */
	ML_LINE_FATAL = -1, /* stop: errno says why (ENOMEM) */
};

struct ml_source {
	const char *name; /* "meminfo" */
	const char *path; /* relative to the proc root; NULL for per-PID files */

	/* Start a parse: mark every field of out absent. */
	int (*begin)(void *out);
	/* One complete line of n bytes; on ML_LINE_BAD set *why. */
	int (*line)(void *out, const char *s, size_t n, const char **why);
	/* All lines are in: derive totals, trim what vanished. 0 or -1 + cause. */
	int (*finish)(void *out, char **cause);
	/*
	 * Optional fast path: consume whole lines from the start of buf while
	 * they are exactly what the learned layout expects; return the bytes
	 * consumed (ending just after a newline) and add the lines to *lines.
	 * The first line it does not take goes to .line as usual.
	 */
	size_t (*bulk)(void *out, const char *buf, size_t len, uint64_t *lines);
	/*
	 * Optional: whether a last line that came without its newline (n bytes,
	 * no NUL) is complete for the format, so that nothing of it can have
	 * been cut. It then goes to .line as usual; without .complete, or when
	 * it says false, the line is bad (truncated). See the top of this file.
	 */
	bool (*complete)(const char *s, size_t n);
};

/* How one parse went: lines seen and the first bad one, for the report. */
struct ml_parse_stats {
	uint64_t lines;
	uint64_t bad_lines;
	uint64_t first_bad_lineno; /* 1-based; 0 when there is none */
	const char *first_bad_why; /* static string */
	char first_bad_text[80];   /* the start of that line, NUL-terminated */
};

struct ml_feed {
	const struct ml_source *src;
	void *out;
	struct ml_parse_stats stats;
	int failed;    /* errno of a fatal error, or 0 */
	int skipping;  /* inside a line longer than ML_LINE_MAX */
	int carry_nul; /* the carried start of a line holds a NUL byte */
	size_t carry_len;
	char carry[ML_LINE_MAX];
};

/* Start feeding src's parser with out as its output; calls src->begin. */
int ml_feed_begin(struct ml_feed *f, const struct ml_source *src, void *out);

/* Feed len bytes; returns 0, or -1 with errno on a fatal parser error. */
int ml_feed(struct ml_feed *f, const char *buf, size_t len);

/*
 * End of input: an unterminated last line goes to the parser when
 * src->complete says it is whole, else it is bad; then src->finish.
 */
int ml_feed_finish(struct ml_feed *f, char **cause);

/*
 * Parse a whole buffer in chunks of chunk bytes (0 = all at once): the same
 * entry point serves fixtures, unit tests and fuzzers.
 */
int ml_parse_buffer(struct ml_feed *f, const struct ml_source *src, void *out, const char *buf,
		    size_t len, size_t chunk, char **cause);

#endif /* ML_SOURCE_H */

/*
 * One-value sysfs files ("attributes") and sysfs directory listings, read
 * through a root directory (--sys-root; see doc/procfs.md sections 21, 22).
 *
 * An attribute file holds one value and a newline: a number ("%lu\n",
 * "%ld\n"), a word ("lzo\n", "2048kB\n"), a flag ("Y\n", "1\n", and before
 * about 3.x "[yes] no\n") or a bracketed choice, where every setting the
 * kernel accepts is listed and the one in force is in brackets:
 * "always [madvise] never\n". Each is read whole (it is at most a page) and
 * parsed by ml_attr_parse, which never reads past the length it is given.
 *
 * A value that could not be read keeps why: absent (ENOENT: an older kernel
 * or a configuration without it), unreadable (EACCES and other errnos,
 * saved) or bad (the text did not parse: a static reason). Never 0.
 */
#ifndef ML_SYSATTR_H
#define ML_SYSATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/reader.h"

enum ml_attr_kind {
	ML_ATTR_U64,    /* an unsigned decimal number */
	ML_ATTR_I64,    /* a signed decimal number (KSM's general_profit) */
	ML_ATTR_WORD,   /* one word, kept as printed */
	ML_ATTR_FLAG,   /* 0/1, Y/N, or a bracketed yes/no choice */
	ML_ATTR_CHOICE, /* "a [b] c": b is in force */
};

enum ml_attr_state {
	ML_ATTR_UNREAD = 0, /* not read (yet) */
	ML_ATTR_OK,
	ML_ATTR_ABSENT,     /* no such file */
	ML_ATTR_UNREADABLE, /* open or read failed: err */
	ML_ATTR_BAD,        /* the text is not what the kind expects: why */
};

/* Longest word kept, and longest list of choices. */
#define ML_ATTR_WORD_MAX 48
#define ML_ATTR_CHOICES_MAX 160

struct ml_attr {
	enum ml_attr_state state;
	int err;         /* ML_ATTR_UNREADABLE: errno */
	const char *why; /* ML_ATTR_BAD: a static reason */
	uint64_t u;      /* ML_ATTR_U64 */
	int64_t i;       /* ML_ATTR_I64 */
	bool flag;       /* ML_ATTR_FLAG */
	/* ML_ATTR_WORD: the word; ML_ATTR_CHOICE: the setting in force. */
	char word[ML_ATTR_WORD_MAX];
	/* ML_ATTR_CHOICE: every setting, without the brackets, one space apart. */
	char choices[ML_ATTR_CHOICES_MAX];
};

static inline bool
ml_attr_ok(const struct ml_attr *a)
{
	return a->state == ML_ATTR_OK;
}

/*
 * Parse the n bytes at s (a trailing newline and blanks allowed) as kind k
 * into a; 0, or -1 with a->state ML_ATTR_BAD and a->why.
 */
int ml_attr_parse(enum ml_attr_kind k, const char *s, size_t n, struct ml_attr *a);

/* Read and parse the attribute file rel under fs; the outcome is in a->state. */
void ml_attr_read(const struct ml_procfs *fs, const char *rel, enum ml_attr_kind k,
		  struct ml_attr *a);

/* A short reason for an attribute that is not ML_ATTR_OK ("permission denied"). */
const char *ml_attr_reason(const struct ml_attr *a);

/* One attribute of a directory of them: its file name and kind. */
struct ml_attr_def {
	const char *name;
	enum ml_attr_kind kind;
};

/*
 * Read n attributes of directory dir (relative to fs) into out[0..n).
 * Returns how many are ML_ATTR_OK.
 */
size_t ml_attrs_read(const struct ml_procfs *fs, const char *dir, const struct ml_attr_def *defs,
		     size_t n, struct ml_attr *out);

/* Names in a directory, sorted (see ml_sysfs_list). */
struct ml_names {
	char **v;
	size_t n;
};

void ml_names_release(struct ml_names *l);

/*
 * The entries of directory rel (relative to fs) whose names start with
 * prefix, sorted the way people count: "node2" before "node10",
 * "hugepages-2048kB" before "hugepages-1048576kB". 0, or -1 with errno
 * (ENOENT when the directory does not exist) and a cause.
 */
int ml_sysfs_list(const struct ml_procfs *fs, const char *rel, const char *prefix,
		  struct ml_names *out, char **cause);

/*
 * Compare two names by their text, with runs of digits compared as numbers;
 * the order ml_sysfs_list uses.
 */
int ml_name_cmp_natural(const char *a, const char *b);

/*
 * Parse a kernel range list ("0", "0-3", "0,2-3,8"; an empty line is an
 * empty list), as in devices/system/node/online, into ids[0..*n) in
 * ascending order. At most cap ids; ids above max_id are bad. 0, or -1 with
 * *why (a static reason).
 */
int ml_range_list_parse(const char *s, size_t len, unsigned int max_id, int *ids, size_t cap,
			size_t *n, const char **why);

#endif /* ML_SYSATTR_H */

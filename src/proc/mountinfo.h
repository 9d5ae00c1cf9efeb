/*
 * /proc/PID/mountinfo (2.6.26+): one line per mount of the reader's mount
 * namespace; see doc/procfs.md section 20.
 *
 *   35 31 0:32 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory
 *
 * mount ID, parent ID, major:minor, root (the path inside the filesystem
 * that is mounted), mount point, per-mount options, zero or more optional
 * fields ("shared:9", "master:1", "unbindable"), a lone "-", filesystem
 * type, source, super-block options. The root, the mount point, the type and
 * the source are escaped by the kernel's mangle(): space, tab, newline and
 * backslash as a backslash and three octal digits ("\040"); they are handed
 * over decoded.
 *
 * The parser streams: each mount is handed to a callback and forgotten, so a
 * host with thousands of mounts (a Kubernetes node) costs one line of memory.
 */
#ifndef ML_MOUNTINFO_H
#define ML_MOUNTINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/source.h"

/* One mount; the strings are NUL-terminated, decoded, borrowed for the call. */
struct ml_mount {
	int id, parent;
	unsigned int major, minor;
	const char *root;          /* "/" or the bound subdirectory ("/docker/1f2e") */
	const char *mount_point;   /* absolute, as seen by the reader */
	const char *options;       /* per-mount options, as printed ("rw,relatime") */
	const char *fstype;        /* "cgroup2", "cgroup", "fuse.sshfs" */
	const char *source;        /* "cgroup2", "/dev/vda1", "none" */
	const char *super_options; /* "rw,memory" (v1), "rw,nsdelegate" (v2) */
};

/* Called with each mount; return 0, or -1 with errno to stop the parse. */
typedef int (*ml_mount_fn)(void *arg, const struct ml_mount *m);

struct ml_mountinfo {
	ml_mount_fn fn;
	void *arg;
	uint64_t mounts;            /* handed to fn in this parse */
	char text[ML_LINE_MAX + 8]; /* the decoded strings of the current line */
};

/* Prepare mi to hand each mount to fn(arg, mount). Nothing to release. */
void ml_mountinfo_init(struct ml_mountinfo *mi, ml_mount_fn fn, void *arg);

/*
 * Decode the kernel's octal escapes ("\040" -> ' ') of the n bytes at s into
 * out (cap bytes, NUL-terminated); a backslash not followed by three octal
 * digits is kept as it is. Returns the decoded length, or -1 when out is too
 * small or the text decodes to a NUL byte.
 */
long ml_mountinfo_unescape(const char *s, size_t n, char *out, size_t cap);

/* True when the comma-separated list opts holds the option word. */
bool ml_mount_has_option(const char *opts, const char *word);

/* Read it as "self/mountinfo" under a proc root; out is a struct ml_mountinfo. */
extern const struct ml_source ml_src_mountinfo;

#endif /* ML_MOUNTINFO_H */

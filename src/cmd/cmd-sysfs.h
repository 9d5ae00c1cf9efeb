/*
 * The sys root (--sys-root, MEMLENS_SYS_ROOT, /sys) for the commands that
 * read sysfs files: numa and huge (the snapshot, model/snapshot.h, opens it
 * the same way for zram).
 *
 * A copy of another machine's /proc read together with this machine's live
 * /sys would mix two machines: when the proc root is not a live procfs and
 * the sys root is this machine's sysfs, the sys root is not used and why
 * says so (give the copy's sysfs with --sys-root).
 */
#ifndef ML_CMD_SYSFS_H
#define ML_CMD_SYSFS_H

#include <stdbool.h>

#include "cmd/cmd.h"
#include "proc/reader.h"
#include "proc/source.h"

struct cmd_sysfs {
	struct ml_procfs fs; /* the sys root, as a root to read relative paths from */
	bool ok;             /* open, and it belongs with the proc root */
	bool live;           /* a mounted sysfs */
	char *why;           /* when !ok: the whole story, for the report */
	int err;             /* when !ok: errno (0 for the mismatch) */
};

/* Open ctx->sys_root; on failure s->ok is false and s->why says why. */
void cmd_sysfs_open(struct ml_ctx *ctx, struct cmd_sysfs *s);
void cmd_sysfs_close(struct cmd_sysfs *s);

/* Warn about the bad lines of a sysfs file's parse (like cmd_warn_bad_lines). */
void cmd_sysfs_warn_bad_lines(const struct cmd_sysfs *s, const char *rel,
			      const struct ml_parse_stats *st);
/* The same as a JSON array entry under "parse_errors". */
void cmd_sysfs_json_bad_lines(struct json_node *arr, const struct cmd_sysfs *s, const char *rel,
			      const struct ml_parse_stats *st);

#endif /* ML_CMD_SYSFS_H */

/*
 * The sys root for commands that read sysfs; see cmd-sysfs.h.
 */
#include "config.h"

#include <errno.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>

#include "cmd/cmd-sysfs.h"
#include "proc/live.h"
#include "xalloc.h"

void
cmd_sysfs_open(struct ml_ctx *ctx, struct cmd_sysfs *s)
{
	char *cause = NULL;

	memset(s, 0, sizeof *s);
	s->fs.dirfd = -1;
	/* ctx->sysfs, as a root of its own: a directory, or a capture archive's sys/. */
	if (ml_procfs_open_at(&s->fs, &ctx->sysfs, ".", &cause) != 0) {
		s->err = ctx->sysfs.open_err != 0 ? ctx->sysfs.open_err : errno;
		free(cause);
		s->why = ml_xasprintf("cannot open sys root %s: %s", ctx->sys_root,
				      strerror(s->err));
		return;
	}
	s->live = ml_procfs_is_sysfs(&s->fs);
	if (s->live && !ml_procfs_is_live(&ctx->fs)) {
		s->why = ml_xasprintf(
			"%s is this machine's sysfs, not the capture's; see --sys-root",
			ctx->sys_root);
		s->err = 0;
		return;
	}
	s->ok = true;
}

void
cmd_sysfs_close(struct cmd_sysfs *s)
{
	ml_procfs_close(&s->fs);
	free(s->why);
	s->why = NULL;
	s->ok = false;
}

void
cmd_sysfs_warn_bad_lines(const struct cmd_sysfs *s, const char *rel,
			 const struct ml_parse_stats *st)
{
	cmd_warn_bad_lines_in(&s->fs, rel, st);
}

void
cmd_sysfs_json_bad_lines(struct json_node *arr, const struct cmd_sysfs *s, const char *rel,
			 const struct ml_parse_stats *st)
{
	cmd_json_bad_lines_in(arr, &s->fs, rel, st);
}

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
	char *path;

	if (st->bad_lines == 0)
		return;
	path = ml_procfs_path(&s->fs, rel);
	cmd_error("warning: %s: %llu bad line%s ignored; first at line %llu (%s): \"%s\"",
		  path != NULL ? path : rel, (unsigned long long)st->bad_lines,
		  st->bad_lines == 1 ? "" : "s", (unsigned long long)st->first_bad_lineno,
		  st->first_bad_why, st->first_bad_text);
	free(path);
}

void
cmd_sysfs_json_bad_lines(struct json_node *arr, const struct cmd_sysfs *s, const char *rel,
			 const struct ml_parse_stats *st)
{
	struct json_node *o;
	char *path;

	if (st->bad_lines == 0)
		return;
	path = ml_procfs_path(&s->fs, rel);
	o = json_array_add_object(arr);
	json_add_string(o, "file", path != NULL ? path : rel);
	json_add_u64(o, "lines", st->lines);
	json_add_u64(o, "bad_lines", st->bad_lines);
	json_add_u64(o, "first_bad_line", st->first_bad_lineno);
	json_add_string(o, "why", st->first_bad_why);
	json_add_string(o, "text", st->first_bad_text);
	free(path);
}

/*
 * Cgroup memory for other commands: the summary's one line (the largest
 * top-level cgroups, those near their own limit, those with OOM kills), in
 * text and JSON. memlens cgroups (cmd-cgroups.c) is its first user.
 *
 *	struct cmd_cgroups_line *l = cmd_cgroups_line_new(ctx);
 *
 *	cmd_cgroups_line_refresh(ctx, l);
 *	cmd_cgroups_line_text(&ctx->text, l);
 *	cmd_cgroups_line_free(l);
 *
 * It never fails: a machine without a memory controller, or a proc root
 * without self/mountinfo, gives the line as n/a with the reason. Each
 * refresh reads the limits, usage and events of every cgroup (not
 * memory.stat, not cgroup.procs).
 */
#ifndef ML_CMD_CGROUPS_H
#define ML_CMD_CGROUPS_H

#include "cmd/cmd.h"
#include "proc/cgroup.h"

/*
 * Read ctx's mountinfo into m and open the hierarchy of the memory controller
 * into h under ctx's sys root; 0, or -1 with errno and *why (mountinfo
 * unreadable, no memory controller, or a capture's proc root with this
 * machine's /sys). Release m and h (ml_cghier_close) either way.
 */
int cmd_cgroups_open(struct ml_ctx *ctx, struct ml_cgmounts *m, struct ml_cghier *h, char **why);

struct cmd_cgroups_line;

struct cmd_cgroups_line *cmd_cgroups_line_new(struct ml_ctx *ctx);
void cmd_cgroups_line_refresh(struct ml_ctx *ctx, struct cmd_cgroups_line *l);
/* "Cgroups  largest ...; near a limit ...; OOM kills ...", or its n/a. */
void cmd_cgroups_line_text(const struct text_out *o, const struct cmd_cgroups_line *l);
/* The "cgroups" member of doc (null when unavailable, with an entry in unavailable). */
void cmd_cgroups_line_json(struct json_node *doc, struct json_node *unavailable,
			   const struct cmd_cgroups_line *l);
void cmd_cgroups_line_free(struct cmd_cgroups_line *l);

#endif /* ML_CMD_CGROUPS_H */

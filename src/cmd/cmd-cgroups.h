/*
 * Cgroup memory for other commands: opening the memory controller's
 * hierarchy for a command's roots, and the summary's one line (the largest
 * top-level cgroups, those near their own limit, those with OOM kills of
 * their own) in text and JSON, from a tree the snapshot read
 * (ML_SNAP_CGROUPS). memlens cgroups (cmd-cgroups.c) is their first user.
 */
#ifndef ML_CMD_CGROUPS_H
#define ML_CMD_CGROUPS_H

#include "cmd/cmd.h"
#include "model/cgroups.h"
#include "proc/cgroup.h"

/* ml_cgroups_open for ctx's proc and sys roots. */
int cmd_cgroups_open(struct ml_ctx *ctx, struct ml_cgmounts *m, struct ml_cghier *h, char **why);

/* "Cgroups  v2 ...; near a limit ...; OOM kills ...", or n/a with why when t is NULL. */
void cmd_cgroups_brief_text(const struct text_out *o, const struct ml_cgtree *t, const char *why);
/* The "cgroups" member of doc: null, with an entry {source, why} in unavailable, when t is NULL. */
void cmd_cgroups_brief_json(struct json_node *doc, struct json_node *unavailable,
			    const struct ml_cgtree *t, const char *why);

#endif /* ML_CMD_CGROUPS_H */

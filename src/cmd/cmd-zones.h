/*
 * Zone watermarks for any command: the zoneinfo reader, its parse, the page
 * size and the watermark model in one bundle, plus the one-line health
 * report the summary prints. memlens zones is its first user.
 *
 *	struct cmd_zones_src zs;
 *
 *	cmd_zones_src_init(&zs);
 *	if (cmd_zones_src_open(ctx, &zs, &cause) == 0 &&
 *	    cmd_zones_src_refresh(ctx, &zs, &cause) == 0) {
 *		struct ml_wm_health h;
 *
 *		ml_watermarks_health(&zs.wm, &h);
 *		cmd_zones_health_line(&ctx->text, &zs, &h);
 *	}
 *	cmd_zones_src_release(&zs);
 *
 * The page size is found once, on the first refresh: sysconf(_SC_PAGESIZE)
 * when the proc root is a mounted procfs (the running kernel), otherwise
 * ml_page_size_from_counters() over the root's meminfo and vmstat; when
 * neither tells, page_size stays 0 and sizes are shown in pages.
 */
#ifndef ML_CMD_ZONES_H
#define ML_CMD_ZONES_H

#include <stdint.h>

#include "cmd/cmd.h"
#include "model/watermarks.h"
#include "proc/zoneinfo.h"

struct cmd_zones_src {
	struct ml_reader reader;
	struct ml_zoneinfo zi;
	struct ml_watermarks wm;
	struct cmd_page_size ps; /* ps.bytes 0 = unknown */
	bool page_size_tried;
};

void cmd_zones_src_init(struct cmd_zones_src *zs);
void cmd_zones_src_release(struct cmd_zones_src *zs);

/* Open zoneinfo under ctx->fs; 0, or -1 with errno and a cause (not printed). */
int cmd_zones_src_open(struct ml_ctx *ctx, struct cmd_zones_src *zs, char **cause);

/* Re-read and derive; 0, or -1 with errno and a cause (not printed). */
int cmd_zones_src_refresh(struct ml_ctx *ctx, struct cmd_zones_src *zs, char **cause);

/*
 * One line (with its newline) for the summary, e.g.
 *   "Zones    ok: 3 zones above high; least headroom Normal (node 0), 6.20 GiB above low"
 *   "Zones    below min: Normal (node 0) 1.20 MiB under min: allocations reclaim directly"
 */
void cmd_zones_health_line(const struct text_out *o, const struct cmd_zones_src *zs,
			   const struct ml_wm_health *h);

#endif /* ML_CMD_ZONES_H */

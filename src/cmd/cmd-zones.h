/*
 * The one-line zone health report the summary prints; memlens zones is its
 * first user. The watermarks come from the snapshot (model/snapshot.h):
 *
 *	struct ml_wm_health h;
 *
 *	ml_watermarks_health(ml_snapshot_watermarks(&snap), &h);
 *	cmd_zones_health_line(&ctx->text, ml_snapshot_watermarks(&snap),
 *			      ml_snapshot_page_size(&snap)->bytes, &h);
 *
 * With the page size unknown (0), sizes are shown in pages.
 */
#ifndef ML_CMD_ZONES_H
#define ML_CMD_ZONES_H

#include <stdint.h>

#include "cmd/cmd.h"
#include "model/watermarks.h"

/*
 * One line (with its newline) for the summary, e.g.
 *   "Zones    ok: 3 zones above high; least headroom Normal (node 0), 6.20 GiB above low"
 *   "Zones    below min: Normal (node 0) 1.20 MiB under min: allocations reclaim directly"
 */
void cmd_zones_health_line(const struct text_out *o, const struct ml_watermarks *wm, uint64_t ps,
			   const struct ml_wm_health *h);

#endif /* ML_CMD_ZONES_H */

/*
 * Zone watermarks: how close each zone's free memory is to the marks where
 * the page allocator wakes kswapd (low) and where allocations start to
 * reclaim by themselves (min). doc/procfs.md sections 12.2 and 12.3.
 *
 * The kernel keeps three (four with memory tiering) marks per zone,
 * computed by __setup_per_zone_wmarks() from min_free_kbytes:
 *
 *   min   = this zone's share of min_free_kbytes (in pages)
 *   low   = min + delta,  high = low + delta,  promo = high + delta,
 *           delta = max(min / 4, managed * watermark_scale_factor / 10000)
 *
 * and every mark printed in /proc/zoneinfo already includes watermark_boost
 * (wmark_pages() = _watermark[w] + watermark_boost), raised after a
 * fragmenting fallback so that kswapd reclaims and compacts a little more.
 *
 * __zone_watermark_ok() fails when free <= mark (+ lowmem_reserve of the zone
 * the allocation is for, i.e. the "protection" list). The allocator first
 * tries against low; when every eligible zone is at or below low it wakes
 * kswapd and retries against min; at or below min the allocating task
 * reclaims and compacts itself (direct reclaim: a latency spike). kswapd
 * reclaims until free is above high (promo when tiering), unless the node is
 * "unreclaimable": 16 kswapd runs in a row reclaimed nothing
 * (node_unreclaimable: 1, all_unreclaimable: 1 before 4.8).
 *
 * Hence the state of a zone, judged like an allocation aimed at the zone
 * itself (its own lowmem_reserve entry is 0):
 *
 *   unreclaimable  the node (zone, before 4.8) is marked unreclaimable
 *   below min      free <= min:  allocations reclaim directly
 *   below low      free <= low:  allocations wake kswapd
 *   below high     free <= high: kswapd, once woken, is still reclaiming
 *   ok             free > high
 *   empty          no managed pages (unpopulated, or all reserved at boot)
 *   unknown        free or a mark was not printed
 *
 * Pure functions; no I/O. Values are pages; bytes need the page size, which
 * /proc does not print (sysconf for the live system, or
 * ml_page_size_from_counters for a copied tree); 0 means unknown and every
 * *_bytes_known is then false.
 */
#ifndef ML_WATERMARKS_H
#define ML_WATERMARKS_H

#include <stdbool.h>
#include <stdint.h>

#include "proc/zoneinfo.h"

enum ml_wm_state {
	ML_WM_UNKNOWN,
	ML_WM_EMPTY,
	ML_WM_OK,
	ML_WM_BELOW_HIGH,
	ML_WM_BELOW_LOW,
	ML_WM_BELOW_MIN,
	ML_WM_UNRECLAIMABLE,
	ML_WM__STATE_COUNT
};

/* A value in pages that the kernel may not print. */
struct ml_wm_pages {
	bool known;
	uint64_t pages;
};

/* One zone, derived from its zoneinfo record. */
struct ml_wm_zone {
	const struct ml_zi_zone *zi; /* borrowed: valid until the next zoneinfo refresh */
	int64_t node;
	const char *name; /* borrowed, as zi */
	bool populated;   /* the kernel printed counters (populated_zone()) */
	enum ml_wm_state state;

	struct ml_wm_pages free, min, low, high, promo, boost;
	struct ml_wm_pages spanned, present, managed, cma;
	struct ml_wm_pages reserved_highatomic, free_highatomic;

	/* Signed headroom in pages: free - mark; negative when below it. */
	bool headroom_known;                               /* free, min, low and high known */
	int64_t to_min_pages, to_low_pages, to_high_pages; /* */
	bool to_promo_known;                               /* */
	int64_t to_promo_pages;                            /* */
	/* The same in bytes; false when the page size or the overflow says no. */
	bool bytes_known;
	int64_t to_min_bytes, to_low_bytes, to_high_bytes;

	/* The flag behind ML_WM_UNRECLAIMABLE: "node_unreclaimable", "all_unreclaimable" or NULL.
	 */
	const char *unreclaimable_key;
	bool unreclaimable; /* that flag is 1 */
	/* Largest lowmem_reserve: what higher-zone allocations must leave here. */
	bool protection_known;
	int64_t protection_max_pages;
};

struct ml_watermarks {
	uint64_t page_size; /* bytes; 0 = unknown */
	uint32_t nzones;
	struct ml_wm_zone *zones; /* in zoneinfo order */
	uint32_t cap;
	uint32_t count[ML_WM__STATE_COUNT]; /* zones per state */
};

void ml_watermarks_init(struct ml_watermarks *w);
void ml_watermarks_release(struct ml_watermarks *w);

/*
 * Derive every zone of zi. page_size in bytes, 0 when unknown. The zones
 * array is reused between calls (no allocation once it is large enough).
 * Returns 0, or -1 with errno ENOMEM and a cause.
 */
int ml_watermarks_compute(struct ml_watermarks *w, const struct ml_zoneinfo *zi, uint64_t page_size,
			  char **cause);

/* Judge one zone record alone (the same rules as ml_watermarks_compute). */
void ml_wm_zone_compute(struct ml_wm_zone *z, const struct ml_zi_zone *zi, uint64_t page_size);

/* "below low" for people; "below_low" for JSON and scripts. */
const char *ml_wm_state_word(enum ml_wm_state s);
const char *ml_wm_state_name(enum ml_wm_state s);
/* How bad a state is: 0 (unknown, empty, ok) to 4 (unreclaimable). */
int ml_wm_state_severity(enum ml_wm_state s);

/*
 * One line of zone health, for the summary: the worst populated zone (by
 * severity, then the least headroom to low) and how many zones are in each
 * state.
 */
struct ml_wm_health {
	bool known;      /* at least one populated zone with a state */
	uint32_t judged; /* populated zones with a known state */
	uint32_t count[ML_WM__STATE_COUNT];
	int32_t worst; /* index into ml_watermarks.zones; -1 when !known */
	enum ml_wm_state state;
	int64_t node;
	const char *zone;
	int64_t to_low_pages;
	bool to_low_bytes_known;
	int64_t to_low_bytes;
	int64_t to_min_pages;
	int64_t to_min_bytes;
};

void ml_watermarks_health(const struct ml_watermarks *w, struct ml_wm_health *h);

/*
 * The geometry of a watermark gauge of width cells for one zone, shared by
 * the text report and the dashboard. The scale runs from 0 to twice the top
 * mark (promo when printed, else high), so the marks sit in the left half
 * and a zone near them is drawn with the most resolution; free beyond the
 * scale is clipped and flagged. Positions are cell indexes in [0, width);
 * marks never share a cell (each is pushed right of the one before).
 */
struct ml_wm_gauge {
	bool known;                /* free and the marks are known and width >= 8 */
	int fill;                  /* cells of free memory, 0..width */
	bool clipped;              /* free is beyond the scale */
	int min, low, high, promo; /* promo is -1 when not printed */
	uint64_t scale_pages;      /* pages at the right edge */
};

void ml_wm_gauge_layout(const struct ml_wm_zone *z, int width, struct ml_wm_gauge *g);

#endif /* ML_WATERMARKS_H */

/*
 * The dashboard's screen arithmetic; see tui-layout.h. No curses here.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tui/tui-layout.h"

static const char *const group_label[TUI_MEM__COUNT] = {
	[TUI_MEM_ANON] = "anonymous",   [TUI_MEM_SLAB] = "slab",
	[TUI_MEM_VMALLOC] = "vmalloc",  [TUI_MEM_KERNEL] = "other kernel",
	[TUI_MEM_HUGETLB] = "hugetlb",  [TUI_MEM_UNACCOUNTED] = "unaccounted",
	[TUI_MEM_CACHE] = "page cache", [TUI_MEM_FREE] = "free",
};
_Static_assert(ML_ARRAY_SIZE(group_label) == TUI_MEM__COUNT, "group_label out of sync");

static const char *const group_short[TUI_MEM__COUNT] = {
	[TUI_MEM_ANON] = "anon",   [TUI_MEM_SLAB] = "slab",    [TUI_MEM_VMALLOC] = "vmalloc",
	[TUI_MEM_KERNEL] = "kern", [TUI_MEM_HUGETLB] = "huge", [TUI_MEM_UNACCOUNTED] = "unacc",
	[TUI_MEM_CACHE] = "cache", [TUI_MEM_FREE] = "free",
};
_Static_assert(ML_ARRAY_SIZE(group_short) == TUI_MEM__COUNT, "group_short out of sync");

const char *
tui_mem_group_label(enum tui_mem_group g)
{
	return (unsigned int)g < TUI_MEM__COUNT ? group_label[g] : "?";
}

const char *
tui_mem_group_short(enum tui_mem_group g)
{
	return (unsigned int)g < TUI_MEM__COUNT ? group_short[g] : "?";
}

enum tui_mem_group
tui_mem_group_of(enum ml_acct_part p)
{
	switch (p) {
	case ML_ACCT_FREE:
		return TUI_MEM_FREE;
	case ML_ACCT_PAGE_CACHE:
	case ML_ACCT_BUFFERS:
	case ML_ACCT_SWAP_CACHE:
		return TUI_MEM_CACHE;
	case ML_ACCT_ANON:
		return TUI_MEM_ANON;
	case ML_ACCT_SLAB_RECLAIMABLE:
	case ML_ACCT_SLAB_UNRECLAIMABLE:
		return TUI_MEM_SLAB;
	case ML_ACCT_VMALLOC:
		return TUI_MEM_VMALLOC;
	case ML_ACCT_HUGETLB:
		return TUI_MEM_HUGETLB;
	case ML_ACCT_UNACCOUNTED:
		return TUI_MEM_UNACCOUNTED;
	case ML_ACCT_KERNEL_MISC_RECLAIMABLE:
	case ML_ACCT_KERNEL_STACKS:
	case ML_ACCT_PAGE_TABLES:
	case ML_ACCT_PERCPU:
	case ML_ACCT_ZSWAP:
	case ML_ACCT_ZRAM:
	case ML_ACCT_BALLOON:
	case ML_ACCT_IO_BUFFERS:
	case ML_ACCT__COUNT:
		break;
	}
	return TUI_MEM_KERNEL;
}

void
tui_mem_groups(const struct ml_accounting *a, uint64_t out[TUI_MEM__COUNT])
{
	int p;

	memset(out, 0, sizeof(uint64_t) * TUI_MEM__COUNT);
	for (p = 0; p < ML_ACCT__COUNT; p++) {
		if (a->part[p].state != ML_ACCT_KNOWN)
			continue;
		if (p == ML_ACCT_UNACCOUNTED)
			out[TUI_MEM_UNACCOUNTED] +=
				a->unaccounted > 0 ? (uint64_t)a->unaccounted : 0;
		else
			out[tui_mem_group_of((enum ml_acct_part)p)] += a->part[p].bytes;
	}
}

void
tui_split_cells(const uint64_t *parts, size_t n, uint64_t total, int width, int *cells)
{
	double sum = 0, scale, rem[64];
	long want, given = 0;
	size_t i, best;

	for (i = 0; i < n; i++) {
		cells[i] = 0;
		sum += (double)parts[i];
	}
	if (total == 0 || width <= 0 || n == 0 || n > ML_ARRAY_SIZE(rem))
		return;
	scale = sum > (double)total ? sum : (double)total;
	want = lround(sum * width / scale);
	for (i = 0; i < n; i++) {
		double exact = (double)parts[i] * width / scale;

		cells[i] = (int)floor(exact);
		rem[i] = exact - cells[i];
		given += cells[i];
	}
	/* The cells left go to the largest remainders, the first of equals first. */
	while (given < want) {
		best = n;
		for (i = 0; i < n; i++)
			if (rem[i] > 0 && (best == n || rem[i] > rem[best]))
				best = i;
		if (best == n)
			break;
		cells[best]++;
		rem[best] = 0;
		given++;
	}
}

int
tui_spark_level(uint64_t v, uint64_t lo, uint64_t hi, int levels)
{
	double f;
	int l;

	if (levels <= 1)
		return 0;
	if (hi <= lo)
		return levels / 2;
	if (v <= lo)
		return 0;
	if (v >= hi)
		return levels - 1;
	f = (double)(v - lo) / (double)(hi - lo);
	l = (int)lround(f * (levels - 1));
	return l < 0 ? 0 : l > levels - 1 ? levels - 1 : l;
}

int
tui_heat_level(double share)
{
	if (!(share > 0))
		return 0;
	if (share < 0.05)
		return 1;
	if (share < 0.20)
		return 2;
	if (share < 0.50)
		return 3;
	return 4;
}

static const double ladder[] = { 0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 30, 60 };

double
tui_interval_step(double cur, int dir)
{
	size_t i, n = ML_ARRAY_SIZE(ladder);

	if (dir > 0) {
		for (i = 0; i < n; i++)
			if (ladder[i] > cur * (1 + 1e-9))
				return ladder[i];
		return cur > ladder[n - 1] ? cur : ladder[n - 1];
	}
	if (dir < 0) {
		for (i = n; i-- > 0;)
			if (ladder[i] < cur * (1 - 1e-9))
				return ladder[i];
		return cur < ladder[0] ? cur : ladder[0];
	}
	return cur;
}

int
tui_fit_columns(struct tui_col *cols, size_t n, int avail)
{
	int used, max_prio, flex = -1;
	size_t i, drop;

	for (i = 0; i < n; i++) {
		/* a column of width 0 has nothing to show this time */
		cols[i].shown = cols[i].width > 0;
		if (cols[i].flex && flex < 0)
			flex = (int)i;
	}
	for (;;) {
		used = 0;
		for (i = 0; i < n; i++)
			if (cols[i].shown)
				used += cols[i].width + (used > 0 ? 1 : 0);
		if (used <= avail)
			break;
		max_prio = 0;
		drop = n;
		for (i = 0; i < n; i++)
			if (cols[i].shown && cols[i].prio > 0 && cols[i].prio >= max_prio) {
				max_prio = cols[i].prio;
				drop = i;
			}
		if (drop == n)
			break; /* only prio 0 left: they are cut at the edge */
		cols[drop].shown = false;
	}
	used = 0;
	for (i = 0; i < n; i++) {
		if (!cols[i].shown)
			continue;
		if (used > 0)
			used++;
		cols[i].x = used;
		cols[i].w = cols[i].width;
		if ((int)i == flex && avail > 0) {
			int rest = avail, j;

			/* The flex column takes what the others leave. */
			for (j = 0; j < (int)n; j++)
				if (cols[j].shown && j != flex)
					rest -= cols[j].width + 1;
			if (rest > cols[i].w)
				cols[i].w = rest;
		}
		used += cols[i].w;
	}
	return used;
}

const char *
tui_count(char *buf, size_t cap, uint64_t v, int width)
{
	static const char suffix[] = "kMGTPE";
	double d = (double)v;
	int i = -1, n;

	if (width < 4)
		width = 4;
	n = snprintf(buf, cap, "%llu", (unsigned long long)v);
	if (n <= width)
		return buf;
	while (i < 5) {
		d /= 1000;
		i++;
		if (d < 9.95 && width >= 4)
			n = snprintf(buf, cap, "%.1f%c", d, suffix[i]);
		else
			n = snprintf(buf, cap, "%.0f%c", d, suffix[i]);
		if (n <= width && d < 999.5)
			return buf;
	}
	return buf;
}

/* "23.5 GiB" -> "23.5G", "512 B" -> "512B", "1.50 kB" -> "1.50k". */
static void
squeeze(char *s)
{
	char *sp = strchr(s, ' ');

	if (sp == NULL || sp[1] == '\0')
		return;
	sp[0] = sp[1];
	sp[1] = '\0';
}

const char *
tui_size_short(char *buf, size_t cap, uint64_t bytes, const struct ml_units *u)
{
	text_size(buf, cap, bytes, u);
	if (u->mode == ML_UNITS_HUMAN)
		squeeze(buf);
	return buf;
}

const char *
tui_delta_short(char *buf, size_t cap, int64_t bytes, const struct ml_units *u)
{
	uint64_t mag = bytes < 0 ? (uint64_t)0 - (uint64_t)bytes : (uint64_t)bytes;
	char tmp[40];

	if (bytes == 0) {
		snprintf(buf, cap, "0");
		return buf;
	}
	tui_size_short(tmp, sizeof tmp, mag, u);
	if (strcmp(tmp, "0") == 0)
		snprintf(buf, cap, "%s0", bytes < 0 ? "-" : "+");
	else
		snprintf(buf, cap, "%c%s", bytes < 0 ? '-' : '+', tmp);
	return buf;
}

const char *
tui_change_text(char *buf, size_t cap, int64_t bytes, const struct ml_units *u)
{
	char tmp[64];

	if (cap == 0)
		return buf;
	if (bytes == 0) {
		snprintf(buf, cap, "0");
		return buf;
	}
	text_ssize(tmp, sizeof tmp, bytes, u);
	snprintf(buf, cap, "%s%s", bytes > 0 ? "+" : "", tmp);
	return buf;
}

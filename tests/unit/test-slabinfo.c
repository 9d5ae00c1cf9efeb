/*
 * The /proc/slabinfo parser: the real 6.18 capture, SLAB "(statistics)",
 * awkward names, bad versions and headers, truncation, garbage, unknown
 * groups, the persistent table across parses, and reclaim_account lookups.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

#include "compat.h"
#include "proc/slabinfo.h"

#define HDR                                                                                   \
	"slabinfo - version: 2.1\n"                                                           \
	"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : " \
	"tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> " \
	"<sharedavail>\n"
#define LINE(name, a, n, sz, ops, pps, slabs)                                               \
	name " " #a " " #n " " #sz " " #ops " " #pps " : tunables 0 0 0 : slabdata " #slabs \
	     " " #slabs " 0\n"

static const struct ml_slab_cache *
find(const struct ml_slabinfo *si, const char *name)
{
	const struct ml_slab_cache *c = ml_slabinfo_find(si, name);

	if (c == NULL)
		fail_msg("cache %s not found", name);
	return c;
}

/* Parse buf with chunk size chunk into a fresh table; the caller releases it. */
static int
parse_into(struct ml_slabinfo *si, struct ml_feed *f, const char *buf, size_t len, size_t chunk,
	   char **cause)
{
	ml_slabinfo_init(si);
	return ml_parse_buffer(f, &ml_src_slabinfo, si, buf, len, chunk, cause);
}

static void
assert_same_tables(const struct ml_slabinfo *a, const struct ml_slabinfo *b)
{
	uint32_t i;

	assert_int_equal(a->n, b->n);
	assert_int_equal(a->statistics, b->statistics);
	assert_string_equal(a->version, b->version);
	for (i = 0; i < a->n; i++) {
		const struct ml_slab_cache *x = ml_slabinfo_cache(a, i),
					   *y = ml_slabinfo_cache(b, i);

		assert_string_equal(x->name, y->name);
		assert_int_equal(x->dup, y->dup);
		assert_memory_equal(&x->cur, &y->cur, sizeof x->cur);
		assert_memory_equal(x->globalstat, y->globalstat, sizeof x->globalstat);
		assert_memory_equal(x->cpustat, y->cpustat, sizeof x->cpustat);
		assert_int_equal(x->nextra, y->nextra);
	}
}

/* The 6.18 capture, whole and in 1/7/4096-byte chunks: identical tables. */
static void
t_linux618_chunks(void **state)
{
	struct ml_slabinfo whole, part;
	struct ml_feed f;
	const struct ml_slab_cache *c;
	size_t len, k;
	char *buf = unit_load_fixture("linux-6.18/slabinfo", &len);

	(void)state;
	ml_slabinfo_init(&whole);
	unit_parse(&f, &ml_src_slabinfo, &whole, buf, len, 0);
	assert_int_equal(f.stats.lines, 237);
	assert_int_equal(f.stats.bad_lines, 0);
	assert_int_equal(whole.n, 235);
	assert_true(whole.header_seen);
	assert_false(whole.statistics);
	assert_string_equal(whole.version, "2.1");
	assert_int_equal(whole.added, 235);
	assert_string_equal(ml_slabinfo_cache(&whole, 0)->name, "btrfs_delayed_node");
	assert_string_equal(ml_slabinfo_cache(&whole, 1)->name, "btrfs_ordered_extent");
	assert_string_equal(ml_slabinfo_cache(&whole, 234)->name, "kmem_cache");

	/* dentry 109867 114366 192 21 1 : tunables 0 0 0 : slabdata 5446 5446 0 */
	c = find(&whole, "dentry");
	assert_int_equal(c->cur.active_objs, 109867);
	assert_int_equal(c->cur.num_objs, 114366);
	assert_int_equal(c->cur.objsize, 192);
	assert_int_equal(c->cur.objperslab, 21);
	assert_int_equal(c->cur.pagesperslab, 1);
	assert_int_equal(c->cur.active_slabs, 5446);
	assert_int_equal(c->cur.num_slabs, 5446);
	assert_int_equal(c->cur.limit, 0);
	assert_false(c->has_prev);
	assert_false(c->has_globalstat);
	c = find(&whole, "kmalloc-8k");
	assert_int_equal(c->cur.pagesperslab, 8);
	assert_int_equal(c->cur.num_slabs, 9);
	/* A 20-character name pushes the columns right. */
	c = find(&whole, "btrfs_ordered_extent");
	assert_int_equal(c->cur.objsize, 416);
	assert_int_equal(c->cur.pagesperslab, 2);
	assert_null(ml_slabinfo_find(&whole, "no-such-cache"));

	for (k = 1; k < ML_ARRAY_SIZE(unit_chunk_sizes); k++) {
		ml_slabinfo_init(&part);
		unit_parse(&f, &ml_src_slabinfo, &part, buf, len, unit_chunk_sizes[k]);
		assert_int_equal(f.stats.bad_lines, 0);
		assert_same_tables(&whole, &part);
		ml_slabinfo_release(&part);
	}
	ml_slabinfo_release(&whole);
	free(buf);
}

/* SLAB with CONFIG_DEBUG_SLAB: "(statistics)", globalstat and cpustat. */
static void
t_statistics(void **state)
{
	struct ml_slabinfo si, part;
	struct ml_feed f;
	const struct ml_slab_cache *c;
	size_t len, k;
	char *buf = unit_load_fixture("slab-statistics/slabinfo", &len);

	(void)state;
	ml_slabinfo_init(&si);
	unit_parse(&f, &ml_src_slabinfo, &si, buf, len, 0);
	assert_int_equal(f.stats.bad_lines, 0);
	assert_true(si.statistics);
	assert_int_equal(si.n, 12);
	/* ext4_inode_cache 11890 11948 1128 29 8 : tunables 54 27 8 : slabdata 410 412 0
	 * : globalstat 440261 11957 513 83 0 3 0 0 0 : cpustat ... */
	c = find(&si, "ext4_inode_cache");
	assert_int_equal(c->cur.active_objs, 11890);
	assert_int_equal(c->cur.num_objs, 11948);
	assert_int_equal(c->cur.limit, 54);
	assert_int_equal(c->cur.batchcount, 27);
	assert_int_equal(c->cur.sharedfactor, 8);
	assert_int_equal(c->cur.active_slabs, 410);
	assert_int_equal(c->cur.num_slabs, 412);
	assert_true(c->has_globalstat);
	assert_true(c->has_cpustat);
	assert_int_equal(c->globalstat[ML_SLAB_GS_LISTALLOCS], 440261);
	assert_int_equal(c->globalstat[ML_SLAB_GS_MAXOBJS], 11957);
	assert_int_equal(c->globalstat[ML_SLAB_GS_GROWN], 513);
	assert_int_equal(c->globalstat[ML_SLAB_GS_REAPED], 83);
	assert_int_equal(c->globalstat[ML_SLAB_GS_ALIENOVERFLOW], 0);
	c = find(&si, "dentry");
	assert_int_equal(c->cur.sharedavail, 12);
	assert_int_equal(c->cpustat[ML_SLAB_CS_ALLOCHIT] + c->cpustat[ML_SLAB_CS_ALLOCMISS],
			 c->globalstat[ML_SLAB_GS_LISTALLOCS]);
	assert_int_equal(si.nextra_groups, 0);
	for (k = 1; k < ML_ARRAY_SIZE(unit_chunk_sizes); k++) {
		ml_slabinfo_init(&part);
		unit_parse(&f, &ml_src_slabinfo, &part, buf, len, unit_chunk_sizes[k]);
		assert_same_tables(&si, &part);
		ml_slabinfo_release(&part);
	}
	ml_slabinfo_release(&si);
	free(buf);
}

/* Names with ':', '/', spaces, more than 17 characters, and twice the same name. */
static void
t_odd_names(void **state)
{
	struct ml_slabinfo si, part;
	struct ml_feed f;
	const struct ml_slab_cache *c;
	size_t len, k;
	char *buf = unit_load_fixture("slub-odd-names/slabinfo", &len);

	(void)state;
	ml_slabinfo_init(&si);
	unit_parse(&f, &ml_src_slabinfo, &si, buf, len, 0);
	assert_int_equal(f.stats.bad_lines, 0);
	assert_int_equal(si.n, 11);
	c = find(&si, "test:colon_cache");
	assert_int_equal(c->cur.active_objs, 120);
	assert_int_equal(c->cur.num_slabs, 8);
	c = find(&si, "odd/slash_cache");
	assert_int_equal(c->cur.objsize, 512);
	c = find(&si, "a_very_long_cache_name_that_pushes_columns");
	assert_int_equal(c->cur.active_objs, 1000);
	assert_int_equal(c->cur.num_objs, 1024);
	assert_int_equal(c->cur.num_slabs, 16);
	c = find(&si, "name with spaces");
	assert_int_equal(c->name_len, 16);
	assert_int_equal(c->cur.active_objs, 30);
	c = find(&si, "request_sock_subflow_v6");
	assert_int_equal(c->cur.objsize, 392);
	/* Two caches named dup_cache: both kept, in file order. */
	assert_string_equal(ml_slabinfo_cache(&si, 7)->name, "dup_cache");
	assert_int_equal(ml_slabinfo_cache(&si, 7)->dup, 0);
	assert_int_equal(ml_slabinfo_cache(&si, 7)->cur.active_objs, 10);
	assert_string_equal(ml_slabinfo_cache(&si, 8)->name, "dup_cache");
	assert_int_equal(ml_slabinfo_cache(&si, 8)->dup, 1);
	assert_int_equal(ml_slabinfo_cache(&si, 8)->cur.active_objs, 84);
	assert_ptr_equal(ml_slabinfo_find(&si, "dup_cache"), ml_slabinfo_cache(&si, 7));
	for (k = 1; k < ML_ARRAY_SIZE(unit_chunk_sizes); k++) {
		ml_slabinfo_init(&part);
		unit_parse(&f, &ml_src_slabinfo, &part, buf, len, unit_chunk_sizes[k]);
		assert_same_tables(&si, &part);
		ml_slabinfo_release(&part);
	}
	/* A second parse of the same text keeps both rows apart. */
	unit_parse(&f, &ml_src_slabinfo, &si, buf, len, 0);
	assert_int_equal(si.n, 11);
	assert_int_equal(si.added, 0);
	assert_int_equal(si.removed, 0);
	assert_int_equal(ml_slabinfo_cache(&si, 8)->dup, 1);
	assert_int_equal(ml_slabinfo_cache(&si, 8)->prev.active_objs, 84);
	ml_slabinfo_release(&si);
	free(buf);
}

static void
expect_failure(const char *text, const char *want_in_cause)
{
	struct ml_slabinfo si;
	struct ml_feed f;
	char *cause = NULL;
	size_t k;

	for (k = 0; k < ML_ARRAY_SIZE(unit_chunk_sizes); k++) {
		errno = 0;
		assert_int_equal(
			parse_into(&si, &f, text, strlen(text), unit_chunk_sizes[k], &cause), -1);
		assert_int_equal(errno, EINVAL);
		assert_non_null(cause);
		if (strstr(cause, want_in_cause) == NULL)
			fail_msg("cause \"%s\" lacks \"%s\"", cause, want_in_cause);
		assert_int_equal(si.n, 0);
		free(cause);
		cause = NULL;
		ml_slabinfo_release(&si);
	}
}

/* Another version, a file that is not slabinfo, an empty file. */
static void
t_bad_headers(void **state)
{
	size_t len;
	char *buf = unit_load_fixture("slabinfo-v2.0/slabinfo", &len);

	(void)state;
	expect_failure(buf, "unsupported slabinfo version \"2.0\"");
	expect_failure("slabinfo - version: 3.0 (statistics)\n" LINE("a", 1, 1, 8, 1, 1, 1),
		       "version \"3.0\"");
	expect_failure("MemTotal:  1000 kB\nMemFree: 10 kB\n",
		       "not a slabinfo file: the first line is \"MemTotal:  1000 kB\"");
	expect_failure(LINE("dentry", 1, 1, 192, 21, 1, 1), "not a slabinfo file");
	expect_failure("", "empty file");
	expect_failure("\x01\x02garbage\xff\n", "not a slabinfo file");
	free(buf);
}

/* A whole last line without its newline ends in a count that may be cut: refused. */
static void
t_no_final_newline_refused(void **state)
{
	struct ml_slabinfo whole, part;
	struct ml_feed f;
	char *cause = NULL;
	size_t len, k;
	char *buf = unit_load_fixture("linux-6.18/slabinfo", &len);

	(void)state;
	assert_int_equal(parse_into(&whole, &f, buf, len, 0, &cause), 0);
	for (k = 0; k < ML_ARRAY_SIZE(unit_chunk_sizes); k++) {
		assert_int_equal(parse_into(&part, &f, buf, len - 1, unit_chunk_sizes[k], &cause),
				 0);
		assert_int_equal(f.stats.bad_lines, 1);
		assert_string_equal(f.stats.first_bad_why, "no newline at end of file (truncated)");
		assert_int_equal(part.n, whole.n - 1);
		assert_null(ml_slabinfo_find(&part, "kmem_cache"));
		assert_non_null(ml_slabinfo_find(&part, "dentry"));
		ml_slabinfo_release(&part);
	}
	ml_slabinfo_release(&whole);
	free(buf);
}

/* Cut short in the middle of a line: the complete lines count, the rest is bad. */
static void
t_truncated(void **state)
{
	struct ml_slabinfo si;
	struct ml_feed f;
	char *cause = NULL;
	size_t len, cut, k;
	char *buf = unit_load_fixture("linux-6.18/slabinfo", &len);

	(void)state;
	/* The middle of line 155 (dentry). */
	cut = (size_t)(strstr(buf, "dentry ") - buf) + 30;
	for (k = 0; k < ML_ARRAY_SIZE(unit_chunk_sizes); k++) {
		assert_int_equal(parse_into(&si, &f, buf, cut, unit_chunk_sizes[k], &cause), 0);
		assert_int_equal(si.n, 152);
		assert_int_equal(f.stats.bad_lines, 1);
		assert_int_equal(f.stats.first_bad_lineno, 155);
		assert_string_equal(f.stats.first_bad_why, "no newline at end of file (truncated)");
		assert_null(ml_slabinfo_find(&si, "dentry"));
		ml_slabinfo_release(&si);
	}
	/* Only the header: no caches, no error. */
	assert_int_equal(parse_into(&si, &f, buf, 24, 0, &cause), 0);
	assert_int_equal(si.n, 0);
	assert_true(si.header_seen);
	ml_slabinfo_release(&si);
	free(buf);
}

/* Bad lines are counted with a reason; the good ones around them stay. */
static void
t_garbage_lines(void **state)
{
	static const struct {
		const char *line;
		const char *why;
	} bad[] = {
		{ "garbage\n", "no ':' groups" },
		{ "x 1 2 3 4 : tunables 0 0 0 : slabdata 1 1 0\n",
		  "fewer than 5 numbers after the name" },
		{ "x 1 2 3 4 5 : tunables 0 0 0\n", "no slabdata group" },
		{ "x 1 2 3 4 5 : slabdata 1 1 0\n", "no tunables group" },
		{ "x 1 2 3 4 5 : tunables 0 0 : slabdata 1 1 0\n", "bad tunables group" },
		{ "x 1 2 3 4 5 : tunables 0 0 0 : slabdata 1 1 0 : slabdata 1 1 0\n",
		  "bad slabdata group" },
		{ "x 1 2 3a 4 5 : tunables 0 0 0 : slabdata 1 1 0\n", "not a number" },
		{ "x 1 2 -3 4 5 : tunables 0 0 0 : slabdata 1 1 0\n", "not a number" },
		{ "x 1 99999999999999999999 3 4 5 : tunables 0 0 0 : slabdata 1 1 0\n",
		  "number does not fit in 64 bits" },
		{ "x 1 2 3 4 5 : tunables 0 0 0 : slabdata 1 1 0 :\n",
		  "expected ': group values'" },
		{ "x 1 2 3 4 5 tunables 0 0 0 : slabdata 1 1 0 : tunables 0 0 0\n",
		  "not a number" },
		{ "x 1 2 3 4 5 : globalstat 1 2 : tunables 0 0 0 : slabdata 1 1 0\n",
		  "bad globalstat group" },
		{ "x 1 2 3 4 5 : tunables 0 0 0 : slabdata 1 1 0 : cpustat 1 2 3\n",
		  "bad cpustat group" },
		{ "   \n", "empty line" },
	};
	struct ml_slabinfo si;
	struct ml_feed f;
	char text[1024], *cause = NULL;
	size_t i, k;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(bad); i++) {
		snprintf(text, sizeof text, "%s%s%s%s", HDR, LINE("good1", 1, 2, 64, 64, 1, 1),
			 bad[i].line, LINE("good2", 3, 4, 128, 32, 1, 1));
		for (k = 0; k < ML_ARRAY_SIZE(unit_chunk_sizes); k++) {
			assert_int_equal(parse_into(&si, &f, text, strlen(text),
						    unit_chunk_sizes[k], &cause),
					 0);
			assert_int_equal(si.n, 2);
			assert_int_equal(f.stats.bad_lines, 1);
			assert_int_equal(f.stats.first_bad_lineno, 4);
			if (strcmp(f.stats.first_bad_why, bad[i].why) != 0)
				fail_msg("line %zu \"%s\": why \"%s\", expected \"%s\"", i,
					 bad[i].line, f.stats.first_bad_why, bad[i].why);
			assert_int_equal(find(&si, "good2")->cur.active_objs, 3);
			ml_slabinfo_release(&si);
		}
	}
	/* A NUL byte cannot be in a name: the line is bad. */
	memcpy(text, HDR, strlen(HDR));
	memcpy(text + strlen(HDR), "n\0ul 1 2 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\n", 51);
	assert_int_equal(parse_into(&si, &f, text, strlen(HDR) + 51, 0, &cause), 0);
	assert_int_equal(si.n, 0);
	assert_int_equal(f.stats.bad_lines, 1);
	assert_string_equal(f.stats.first_bad_why, "NUL byte in the line");
	ml_slabinfo_release(&si);
	/* Words after the version are reported, and the data still parsed. */
	snprintf(text, sizeof text, "slabinfo - version: 2.1 (colour)\n%s",
		 LINE("good1", 1, 2, 64, 64, 1, 1));
	assert_int_equal(parse_into(&si, &f, text, strlen(text), 0, &cause), 0);
	assert_int_equal(si.n, 1);
	assert_int_equal(f.stats.bad_lines, 1);
	assert_string_equal(f.stats.first_bad_why, "unexpected words after the version");
	ml_slabinfo_release(&si);
	/* Tabs and carriage returns are blanks too. */
	snprintf(text, sizeof text, "%s%s", HDR,
		 "tabbed\t1\t2\t64\t64\t1\t:\ttunables 0 0 0 : slabdata 1 1 0\r\n");
	assert_int_equal(parse_into(&si, &f, text, strlen(text), 0, &cause), 0);
	assert_int_equal(f.stats.bad_lines, 0);
	assert_int_equal(find(&si, "tabbed")->cur.num_objs, 2);
	ml_slabinfo_release(&si);
}

/* Groups memlens does not know are kept, with their values. */
static void
t_unknown_groups(void **state)
{
	static const char text[] = HDR
		"a 1 2 64 64 1 : tunables 0 0 0 : slabdata 1 1 0 : future 7 8 9\n"
		"b 3 4 64 64 1 : tunables 0 0 0 : slabdata 1 1 0 : future 10 11 12 : more 13\n"
		"c 5 6 64 64 1 : tunables 0 0 0 : slabdata 1 1 0 : more 14 : third 1\n"
		"d 5 6 64 64 1 : tunables 0 0 0 : slabdata 1 1 0 : future 1 2 3 4 5 6 7 8 9 10\n";
	struct ml_slabinfo si;
	struct ml_feed f;
	const struct ml_slab_cache *c;

	(void)state;
	ml_slabinfo_init(&si);
	unit_parse(&f, &ml_src_slabinfo, &si, text, strlen(text), 7);
	assert_int_equal(f.stats.bad_lines, 0);
	assert_int_equal(si.n, 4);
	assert_int_equal(si.nextra_groups, 2);
	assert_string_equal(si.extra_groups[0].label, "future");
	assert_int_equal(si.extra_groups[0].nvalues, 3);
	assert_string_equal(si.extra_groups[1].label, "more");
	assert_true(si.extra_overflow); /* "third", and the ten values of d */
	c = find(&si, "a");
	assert_int_equal(c->nextra, 3);
	assert_int_equal(c->extra[0], 7);
	assert_int_equal(c->extra[2], 9);
	c = find(&si, "b");
	assert_int_equal(c->nextra, 4);
	assert_int_equal(c->extra[3], 13);
	c = find(&si, "d");
	assert_int_equal(c->nextra, ML_SLAB_EXTRA_MAX);
	assert_int_equal(c->extra[7], 8);
	ml_slabinfo_release(&si);
}

/* The table persists: a re-parse finds every row in place and allocates nothing. */
static void
t_persistence(void **state)
{
	struct ml_slabinfo si;
	struct ml_feed f;
	const struct ml_slab_cache *c;
	struct ml_slab_cache *slots;
	uint32_t *hash;
	size_t len;
	char *buf = unit_load_fixture("linux-6.18/slabinfo", &len);
	char *name;

	(void)state;
	ml_slabinfo_init(&si);
	unit_parse(&f, &ml_src_slabinfo, &si, buf, len, 0);
	assert_false(si.has_prev_parse);
	slots = si.slot;
	hash = si.hash;
	name = find(&si, "dentry")->name;
	unit_parse(&f, &ml_src_slabinfo, &si, buf, len, 4096);
	assert_true(si.has_prev_parse);
	assert_int_equal(si.n, 235);
	assert_int_equal(si.added, 0);
	assert_int_equal(si.removed, 0);
	assert_int_equal(si.lookups, 0);     /* every line where it was */
	assert_int_equal(si.unchanged, 235); /* and as it was: none parsed again */
	assert_ptr_equal(si.slot, slots);
	assert_ptr_equal(si.hash, hash);
	c = find(&si, "dentry");
	assert_ptr_equal(c->name, name);
	assert_true(c->has_prev);
	assert_memory_equal(&c->prev, &c->cur, sizeof c->cur);
	/* One number changes, same length: that line is parsed, the others kept. */
	name = strstr(buf, "dentry ");
	name = strstr(name, "5446");
	memcpy(name, "5447", 4);
	unit_parse(&f, &ml_src_slabinfo, &si, buf, len, 7);
	assert_int_equal(si.unchanged, 234);
	c = find(&si, "dentry");
	assert_int_equal(c->prev.active_slabs, 5446);
	assert_int_equal(c->cur.active_slabs, 5447);
	assert_int_equal(c->cur.num_slabs, 5446);
	assert_int_equal(find(&si, "kmalloc-8k")->cur.num_slabs, 9);
	assert_int_equal(find(&si, "kmalloc-8k")->prev.num_slabs, 9);
	assert_true(find(&si, "kmalloc-8k")->has_prev);
	ml_slabinfo_release(&si);
	ml_slabinfo_release(&si); /* twice is harmless */
	free(buf);
}

/* Caches come and go: new ones added, vanished ones dropped, the rest kept. */
static void
t_changes(void **state)
{
	static const char one[] =
		HDR LINE("a", 10, 16, 64, 64, 1, 1) LINE("b", 20, 32, 128, 32, 1, 1)
			LINE("c", 30, 32, 256, 16, 1, 2) LINE("d", 40, 64, 64, 64, 1, 1);
	/* "new" appears first, "b" is gone, "c" grew, "d" moved before "c". */
	static const char two[] =
		HDR LINE("new", 1, 8, 512, 8, 1, 1) LINE("a", 10, 16, 64, 64, 1, 1)
			LINE("d", 41, 64, 64, 64, 1, 1) LINE("c", 60, 64, 256, 16, 1, 4);
	struct ml_slabinfo si;
	struct ml_feed f;
	const struct ml_slab_cache *c;
	int round;

	(void)state;
	ml_slabinfo_init(&si);
	unit_parse(&f, &ml_src_slabinfo, &si, one, strlen(one), 0);
	assert_int_equal(si.added, 4);
	unit_parse(&f, &ml_src_slabinfo, &si, two, strlen(two), 1);
	assert_int_equal(si.n, 4);
	assert_int_equal(si.added, 1);
	assert_int_equal(si.removed, 1);
	assert_int_equal(si.removed_pages, 1);
	assert_null(ml_slabinfo_find(&si, "b"));
	assert_false(find(&si, "new")->has_prev);
	c = find(&si, "c");
	assert_true(c->has_prev);
	assert_int_equal(c->prev.active_objs, 30);
	assert_int_equal(c->cur.active_objs, 60);
	assert_int_equal(c->prev.num_slabs, 2);
	assert_int_equal(c->cur.num_slabs, 4);
	assert_int_equal(find(&si, "d")->prev.active_objs, 40);
	assert_string_equal(ml_slabinfo_cache(&si, 0)->name, "new");
	assert_string_equal(ml_slabinfo_cache(&si, 3)->name, "c");
	/* The slot of "b" is reused by the next new cache. */
	for (round = 0; round < 3; round++) {
		const char *t = round % 2 ? two : one;

		unit_parse(&f, &ml_src_slabinfo, &si, t, strlen(t), 0);
		assert_int_equal(si.n, 4);
	}
	assert_int_equal(si.nslots - si.nfree, 4);
	assert_true(si.nslots <= 6);
	ml_slabinfo_release(&si);
}

/* A name that comes back in the same parse is a second cache, not the first again. */
static void
t_duplicate_moves(void **state)
{
	static const char one[] = HDR LINE("a", 1, 8, 64, 64, 1, 1) LINE("x", 2, 8, 64, 64, 1, 1);
	static const char two[] = HDR LINE("x", 3, 8, 64, 64, 1, 1) LINE("a", 4, 8, 64, 64, 1, 1)
		LINE("x", 5, 8, 64, 64, 1, 1);
	struct ml_slabinfo si;
	struct ml_feed f;

	(void)state;
	ml_slabinfo_init(&si);
	unit_parse(&f, &ml_src_slabinfo, &si, one, strlen(one), 0);
	unit_parse(&f, &ml_src_slabinfo, &si, two, strlen(two), 0);
	assert_int_equal(si.n, 3);
	assert_int_equal(si.added, 1);
	assert_int_equal(ml_slabinfo_cache(&si, 0)->dup, 0);
	assert_int_equal(ml_slabinfo_cache(&si, 0)->cur.active_objs, 3);
	assert_int_equal(ml_slabinfo_cache(&si, 0)->prev.active_objs, 2);
	assert_true(ml_slabinfo_cache(&si, 0)->has_prev);
	assert_int_equal(ml_slabinfo_cache(&si, 2)->dup, 1);
	assert_int_equal(ml_slabinfo_cache(&si, 2)->cur.active_objs, 5);
	assert_false(ml_slabinfo_cache(&si, 2)->has_prev);
	assert_ptr_not_equal(ml_slabinfo_cache(&si, 0), ml_slabinfo_cache(&si, 2));
	ml_slabinfo_release(&si);
}

/*
 * Every name length and padding, so that names, numbers and blank runs start
 * and end at every position of the tokenizer's 64-byte blocks (and names
 * longer than a block); numbers of 1, 8, 9 and 20 digits.
 */
static void
t_block_boundaries(void **state)
{
	static const char *const pads[] = { " ", "  ", "   \t", "       ", "\t\t\t\t\t\t\t\t\t" };
	struct ml_slabinfo si;
	struct ml_feed f;
	char line[1024], name[200], *text;
	size_t len, np, k;
	int nl;
	const struct ml_slab_cache *c;

	(void)state;
	text = malloc(64 * 1024);
	assert_non_null(text);
	for (nl = 1; nl < (int)sizeof name; nl++) {
		memset(name, 'a' + nl % 26, (size_t)nl);
		name[nl] = '\0';
		for (np = 0; np < ML_ARRAY_SIZE(pads); np++) {
			const char *b = pads[np];

			snprintf(line, sizeof line,
				 "%s%s7%s12345678%s123456789%s1%s%s : tunables%s0 "
				 "0%s18446744073709551615 : "
				 "slabdata %s99999999 5 %s7",
				 name, b, b, b, b, b, "4096", b, b, b, b);
			len = (size_t)snprintf(text, 64 * 1024, "%s%s\n", HDR, line);
			for (k = 0; k < ML_ARRAY_SIZE(unit_chunk_sizes); k++) {
				ml_slabinfo_init(&si);
				unit_parse(&f, &ml_src_slabinfo, &si, text, len,
					   unit_chunk_sizes[k]);
				if (f.stats.bad_lines != 0)
					fail_msg("name %d pad %zu: %s: \"%s\"", nl, np,
						 f.stats.first_bad_why, line);
				c = find(&si, name);
				assert_int_equal(c->name_len, nl);
				assert_int_equal(c->cur.active_objs, 7);
				assert_int_equal(c->cur.num_objs, 12345678);
				assert_int_equal(c->cur.objsize, 123456789);
				assert_int_equal(c->cur.objperslab, 1);
				assert_int_equal(c->cur.pagesperslab, 4096);
				assert_int_equal(c->cur.limit, 0);
				assert_int_equal(c->cur.sharedfactor, UINT64_MAX);
				assert_int_equal(c->cur.active_slabs, 99999999);
				assert_int_equal(c->cur.num_slabs, 5);
				assert_int_equal(c->cur.sharedavail, 7);
				ml_slabinfo_release(&si);
			}
		}
	}
	/* A digit that is not one, at every place of an eight-byte load. */
	for (k = 0; k < 8; k++) {
		char num[9] = "12345678";

		num[k] = k % 2 ? '/' : ':';
		len = (size_t)snprintf(text, 64 * 1024,
				       "%sx %s 1 1 1 1 : tunables 0 0 0 : slabdata 1 1 0\n", HDR,
				       num);
		ml_slabinfo_init(&si);
		unit_parse(&f, &ml_src_slabinfo, &si, text, len, 0);
		assert_int_equal(f.stats.bad_lines, 1);
		assert_int_equal(si.n, 0);
		ml_slabinfo_release(&si);
	}
	free(text);
}

/* Many caches: the table grows past its first capacity and finds every row. */
static void
t_many(void **state)
{
	struct ml_slabinfo si;
	struct ml_feed f;
	char *text, *p;
	size_t cap = 2000 * 100 + 512;
	int i, pass;

	(void)state;
	text = malloc(cap);
	assert_non_null(text);
	ml_slabinfo_init(&si);
	for (pass = 0; pass < 2; pass++) {
		p = text + sprintf(text, "%s", HDR);
		/* The second pass lists them in reverse: every line is looked up. */
		for (i = 0; i < 2000; i++) {
			int c = pass ? 1999 - i : i;

			p += sprintf(p,
				     "cache-%d %d 100 64 64 1 : tunables 0 0 0 : slabdata 2 2 0\n",
				     c, c % 100);
		}
		unit_parse(&f, &ml_src_slabinfo, &si, text, (size_t)(p - text), 0);
		assert_int_equal(f.stats.bad_lines, 0);
		assert_int_equal(si.n, 2000);
		assert_int_equal(find(&si, "cache-1234")->cur.active_objs, 34);
	}
	assert_int_equal(si.added, 0);
	assert_true(si.lookups > 1900);
	assert_int_equal(find(&si, "cache-1234")->prev.active_objs, 34);
	ml_slabinfo_release(&si);
	free(text);
}

/* reclaim_account from a sysfs tree: yes/no/unknown, '/' spelled '!', read once. */
static void
t_reclaim(void **state)
{
	struct ml_slabinfo si;
	struct ml_feed f;
	char *cause = NULL;
	size_t len;
	char *buf = unit_load_fixture("slub-odd-names/slabinfo", &len);
	int fd;

	(void)state;
	ml_slabinfo_init(&si);
	unit_parse(&f, &ml_src_slabinfo, &si, buf, len, 0);
	assert_int_equal(ml_slabinfo_read_reclaim(&si, -1), 0);
	assert_int_equal(find(&si, "dentry")->reclaim, ML_SLAB_RECLAIM_UNKNOWN);
	fd = ml_slab_sysfs_open(FIXTURES "/slub-odd-names-sys/", &cause);
	assert_true(fd >= 0);
	assert_int_equal(ml_slabinfo_read_reclaim(&si, fd), 10); /* not the empty one */
	assert_int_equal(find(&si, "dentry")->reclaim, ML_SLAB_RECLAIM_YES);
	assert_int_equal(find(&si, "odd/slash_cache")->reclaim, ML_SLAB_RECLAIM_NO);
	assert_int_equal(find(&si, "test:colon_cache")->reclaim, ML_SLAB_RECLAIM_NO);
	assert_int_equal(find(&si, "kmalloc-cg-1k")->reclaim, ML_SLAB_RECLAIM_NO);
	assert_int_equal(find(&si, "name with spaces")->reclaim, ML_SLAB_RECLAIM_UNKNOWN);
	assert_int_equal(find(&si, "a_very_long_cache_name_that_pushes_columns")->reclaim,
			 ML_SLAB_RECLAIM_UNKNOWN);
	assert_int_equal(ml_slabinfo_cache(&si, 8)->reclaim, ML_SLAB_RECLAIM_NO); /* dup */
	assert_int_equal(find(&si, "btrfs_ordered_extent")->reclaim, ML_SLAB_RECLAIM_UNKNOWN);
	assert_false(find(&si, "btrfs_ordered_extent")->reclaim_looked_up);
	/* Nothing new: nothing read. */
	unit_parse(&f, &ml_src_slabinfo, &si, buf, len, 0);
	assert_int_equal(ml_slabinfo_read_reclaim(&si, fd), 0);
	assert_int_equal(find(&si, "dentry")->reclaim, ML_SLAB_RECLAIM_YES);
	close(fd);
	ml_slabinfo_release(&si);
	free(buf);

	errno = 0;
	assert_int_equal(ml_slab_sysfs_open(FIXTURES "/slub-odd-names", &cause), -1);
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(cause, "slub-odd-names/kernel/slab"));
	free(cause);
}

/* mkdir -p DIR/NAME (one level) and write VALUE to its reclaim_account (when not NULL). */
static void
sys_cache(const char *dir, const char *name, const char *value)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	assert_int_equal(mkdir(path, 0755), 0);
	if (value == NULL)
		return;
	snprintf(path, sizeof path, "%s/%s/reclaim_account", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(value, f);
	fclose(f);
}

/*
 * A merged cache's name is a link to its unique id, whose letters say
 * SLAB_RECLAIM_ACCOUNT ('a'): known without reading reclaim_account (which
 * these targets lack); a target of another form falls back to the file.
 */
static void
t_reclaim_links(void **state)
{
	static const char text[] = "slabinfo - version: 2.1\n"
				   "# name <active_objs> <num_objs> <objsize> <objperslab> "
				   "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> "
				   ": slabdata <active_slabs> <num_slabs> <sharedavail>\n"
				   "rcl 10 10 96 42 1 : tunables 0 0 0 : slabdata 1 1 0\n"
				   "plain 10 10 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\n"
				   "both 10 10 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\n"
				   "strange 10 10 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\n"
				   "odd/name 10 10 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\n"
				   "real 10 10 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\n";
	char dir[] = "/tmp/memlens-slab.XXXXXX", path[512];
	struct ml_slabinfo si;
	struct ml_feed f;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	sys_cache(dir, ":a-0000096", NULL);
	sys_cache(dir, ":0000064", NULL);
	sys_cache(dir, ":dAat-0000064", NULL);
	sys_cache(dir, ":zz-0000064", "1\n"); /* an unknown letter: the file says */
	sys_cache(dir, "real", "1\n");
	snprintf(path, sizeof path, "%s/rcl", dir);
	assert_int_equal(symlink(":a-0000096", path), 0);
	snprintf(path, sizeof path, "%s/plain", dir);
	assert_int_equal(symlink(":0000064", path), 0);
	snprintf(path, sizeof path, "%s/both", dir);
	assert_int_equal(symlink("../slab/:dAat-0000064", path), 0);
	snprintf(path, sizeof path, "%s/strange", dir);
	assert_int_equal(symlink(":zz-0000064", path), 0);
	snprintf(path, sizeof path, "%s/odd!name", dir);
	assert_int_equal(symlink(":A-0000064", path), 0);
	ml_slabinfo_init(&si);
	unit_parse(&f, &ml_src_slabinfo, &si, text, sizeof text - 1, 0);
	assert_int_equal(f.stats.bad_lines, 0);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(ml_slabinfo_read_reclaim(&si, fd), 6);
	assert_int_equal(find(&si, "rcl")->reclaim, ML_SLAB_RECLAIM_YES);
	assert_int_equal(find(&si, "plain")->reclaim, ML_SLAB_RECLAIM_NO);
	assert_int_equal(find(&si, "both")->reclaim, ML_SLAB_RECLAIM_YES);
	assert_int_equal(find(&si, "strange")->reclaim, ML_SLAB_RECLAIM_YES);
	assert_int_equal(find(&si, "odd/name")->reclaim, ML_SLAB_RECLAIM_NO);
	assert_int_equal(find(&si, "real")->reclaim, ML_SLAB_RECLAIM_YES);
	close(fd);
	ml_slabinfo_release(&si);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

/* The 6.18 capture against the sysfs captured with it. */
static void
t_reclaim_linux618(void **state)
{
	struct ml_slabinfo si;
	struct ml_feed f;
	size_t len;
	uint32_t i, yes = 0, no = 0;
	char *buf = unit_load_fixture("linux-6.18/slabinfo", &len);
	int fd = ml_slab_sysfs_open(FIXTURES "/linux-6.18-sys", NULL);

	(void)state;
	assert_true(fd >= 0);
	ml_slabinfo_init(&si);
	unit_parse(&f, &ml_src_slabinfo, &si, buf, len, 0);
	assert_int_equal(ml_slabinfo_read_reclaim(&si, fd), 121); /* those holding slabs */
	for (i = 0; i < si.n; i++) {
		yes += ml_slabinfo_cache(&si, i)->reclaim == ML_SLAB_RECLAIM_YES;
		no += ml_slabinfo_cache(&si, i)->reclaim == ML_SLAB_RECLAIM_NO;
	}
	assert_int_equal(yes, 20);
	assert_int_equal(no, 101);
	assert_int_equal(find(&si, "kmalloc-rcl-96")->reclaim, ML_SLAB_RECLAIM_YES);
	assert_int_equal(find(&si, "kmalloc-rcl-64")->reclaim, ML_SLAB_RECLAIM_UNKNOWN); /* empty */
	assert_int_equal(find(&si, "kmalloc-64")->reclaim, ML_SLAB_RECLAIM_NO);
	close(fd);
	ml_slabinfo_release(&si);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_linux618_chunks),  cmocka_unit_test(t_statistics),
		cmocka_unit_test(t_odd_names),        cmocka_unit_test(t_bad_headers),
		cmocka_unit_test(t_truncated),        cmocka_unit_test(t_garbage_lines),
		cmocka_unit_test(t_unknown_groups),   cmocka_unit_test(t_persistence),
		cmocka_unit_test(t_changes),          cmocka_unit_test(t_duplicate_moves),
		cmocka_unit_test(t_block_boundaries), cmocka_unit_test(t_many),
		cmocka_unit_test(t_reclaim),          cmocka_unit_test(t_reclaim_links),
		cmocka_unit_test(t_reclaim_linux618), cmocka_unit_test(t_no_final_newline_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

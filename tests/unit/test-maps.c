/*
 * /proc/PID/maps: the header parser shared with smaps, and the streaming
 * maps source. Fixtures: the 6.18 manyvma capture (4028 mappings, odd names),
 * a 32-bit and a 3.10 maps written from doc/procfs.md section 9.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "compat.h"
#include "proc/maps.h"

/* What the callback saw: counts per name kind and a digest of every field. */
struct seen {
	uint64_t n;
	uint64_t kinds[ML_VMA_NAME__COUNT];
	uint64_t deleted;
	uint64_t digest;
	uint64_t bytes;
	int fail_at; /* return -1 at this mapping (1-based), 0: never */
	char last_name[256];
	struct ml_vma first, last;
	char first_name[256];
};

static void
mix(uint64_t *h, uint64_t v)
{
	*h ^= v + 0x9e3779b97f4a7c15ULL + (*h << 6) + (*h >> 2);
}

static int
on_vma(void *arg, const struct ml_vma *v)
{
	struct seen *s = arg;
	size_t i;

	s->n++;
	s->kinds[v->name_kind]++;
	s->deleted += v->deleted;
	s->bytes += v->end - v->start;
	mix(&s->digest, v->start);
	mix(&s->digest, v->end);
	mix(&s->digest, v->offset);
	mix(&s->digest, v->inode);
	mix(&s->digest, v->perms);
	mix(&s->digest, ((uint64_t)v->dev_major << 32) | v->dev_minor);
	mix(&s->digest, v->deleted);
	for (i = 0; i < v->name_len; i++)
		mix(&s->digest, (unsigned char)v->name[i]);
	assert_int_equal(strlen(v->name), v->name_len);
	snprintf(s->last_name, sizeof s->last_name, "%s", v->name);
	if (s->n == 1) {
		s->first = *v;
		snprintf(s->first_name, sizeof s->first_name, "%s", v->name);
	}
	s->last = *v;
	if (s->fail_at != 0 && s->n == (uint64_t)s->fail_at) {
		errno = ECANCELED;
		return -1;
	}
	return 0;
}

static struct ml_maps maps; /* 8 KiB of name buffer: not on the stack */

/* Parse s (len bytes) in chunks of chunk; the feed's stats are returned. */
static struct ml_parse_stats
parse(struct seen *seen, const char *buf, size_t len, size_t chunk)
{
	struct ml_feed f;

	ml_maps_init(&maps, on_vma, seen);
	unit_parse(&f, &ml_src_maps, &maps, buf, len, chunk);
	return f.stats;
}

static void
t_manyvma(void **state)
{
	size_t len, c;
	char *buf = unit_load_fixture("procs-6.18/1234/maps", &len);
	struct seen whole;
	struct ml_parse_stats st;

	(void)state;
	memset(&whole, 0, sizeof whole);
	st = parse(&whole, buf, len, 0);
	assert_int_equal(st.lines, 4028);
	assert_int_equal(st.bad_lines, 0);
	assert_int_equal(whole.n, 4028);
	assert_int_equal(maps.count, 4028);
	assert_int_equal(whole.kinds[ML_VMA_NAME_NONE], 4004);
	assert_int_equal(whole.kinds[ML_VMA_NAME_PATH], 18);
	assert_int_equal(whole.kinds[ML_VMA_NAME_HEAP], 1);
	assert_int_equal(whole.kinds[ML_VMA_NAME_STACK], 1);
	assert_int_equal(whole.kinds[ML_VMA_NAME_VDSO], 1);
	assert_int_equal(whole.kinds[ML_VMA_NAME_VVAR], 1);
	assert_int_equal(whole.kinds[ML_VMA_NAME_VVAR_VCLOCK], 1);
	assert_int_equal(whole.kinds[ML_VMA_NAME_VSYSCALL], 1);
	assert_int_equal(whole.deleted, 2); /* memfd and the \012 file */
	assert_int_equal(whole.first.start, 0x55f960ad2000ULL);
	assert_int_equal(whole.first.end, 0x55f960ad3000ULL);
	assert_string_equal(whole.first.perm_text, "r--p");
	assert_int_equal(whole.first.perms, ML_VMA_READ);
	assert_int_equal(whole.first.dev_major, 0xfe);
	assert_int_equal(whole.first.dev_minor, 0);
	assert_int_equal(whole.first.inode, 10962321);
	assert_string_equal(whole.first_name, "/srv/fixture/manyvma");
	assert_int_equal(whole.last.start, 0xffffffffff600000ULL);
	assert_string_equal(whole.last_name, "[vsyscall]");
	assert_int_equal(whole.last.perms, ML_VMA_EXEC);
	for (c = 1; c < 4; c++) {
		struct seen part;

		memset(&part, 0, sizeof part);
		st = parse(&part, buf, len, unit_chunk_sizes[c]);
		assert_int_equal(st.bad_lines, 0);
		assert_int_equal(part.n, whole.n);
		assert_int_equal(part.digest, whole.digest);
		assert_int_equal(part.bytes, whole.bytes);
	}
	free(buf);
}

/* Parse one line; returns ML_LINE_* and fills v. */
static int
one(const char *line, struct ml_vma *v, char *name, size_t cap, const char **why)
{
	*why = NULL;
	return ml_vma_parse(v, line, strlen(line), name, cap, why);
}

static void
t_names(void **state)
{
	static char name[ML_LINE_MAX + 1];
	struct ml_vma v;
	const char *why;

	(void)state;
	/* Spaces inside the name are kept, \012 decoded, " (deleted)" flagged. */
	assert_int_equal(one("7fb0172a3000-7fb0172a4000 r--s 00000000 fe:00 10962324           "
			     "        /srv/fixture/my file\\012name.bin (deleted)",
			     &v, name, sizeof name, &why),
			 ML_LINE_OK);
	assert_string_equal(v.name, "/srv/fixture/my file\nname.bin");
	assert_int_equal(v.name_len, strlen("/srv/fixture/my file\nname.bin"));
	assert_true(v.deleted);
	assert_int_equal(v.name_kind, ML_VMA_NAME_PATH);
	assert_int_equal(v.perms, ML_VMA_READ | ML_VMA_SHARED);

	/* No name: "0 " with its trailing space, or without it. */
	assert_int_equal(one("7f827b0c2000-7f827b0e4000 rw-p 00000000 00:00 0 ", &v, name,
			     sizeof name, &why),
			 ML_LINE_OK);
	assert_int_equal(v.name_kind, ML_VMA_NAME_NONE);
	assert_int_equal(v.name_len, 0);
	assert_string_equal(v.name, "");
	assert_int_equal(
		one("7f827b0c2000-7f827b0e4000 rw-p 00000000 00:00 0", &v, name, sizeof name, &why),
		ML_LINE_OK);
	assert_int_equal(v.name_kind, ML_VMA_NAME_NONE);

	/* Bracket names. */
	assert_int_equal(one("7f00-7f10 rw-p 00000000 00:00 0  [anon:dalvik main space]", &v, name,
			     sizeof name, &why),
			 ML_LINE_OK);
	assert_int_equal(v.name_kind, ML_VMA_NAME_ANON);
	assert_int_equal(v.label_len, strlen("dalvik main space"));
	assert_memory_equal(v.label, "dalvik main space", v.label_len);
	assert_int_equal(one("7f00-7f10 rw-s 00000000 00:01 7  [anon_shmem:pool]", &v, name,
			     sizeof name, &why),
			 ML_LINE_OK);
	assert_int_equal(v.name_kind, ML_VMA_NAME_ANON_SHMEM);
	assert_memory_equal(v.label, "pool", 4);
	assert_int_equal(
		one("7f00-7f10 rw-p 00000000 00:00 0  [stack:1235]", &v, name, sizeof name, &why),
		ML_LINE_OK);
	assert_int_equal(v.name_kind, ML_VMA_NAME_STACK_TID);
	assert_int_equal(v.tid, 1235);
	assert_int_equal(
		one("7f00-7f10 rw-p 00000000 00:00 0  [stack:12x]", &v, name, sizeof name, &why),
		ML_LINE_OK);
	assert_int_equal(v.name_kind, ML_VMA_NAME_BRACKET);
	assert_int_equal(
		one("7f00-7f10 r-xp 00000000 00:00 0  [uprobes]", &v, name, sizeof name, &why),
		ML_LINE_OK);
	assert_int_equal(v.name_kind, ML_VMA_NAME_BRACKET);
	assert_int_equal(one("7f00-7f10 rw-s 00000000 00:0e 1055  anon_inode:[io_uring]", &v, name,
			     sizeof name, &why),
			 ML_LINE_OK);
	assert_int_equal(v.name_kind, ML_VMA_NAME_OTHER);
	assert_string_equal(v.name, "anon_inode:[io_uring]");
	/* A name ending in spaces keeps them; a tab inside is kept. */
	assert_int_equal(
		one("7f00-7f10 r--p 00000000 08:01 9  /srv/a\tb  ", &v, name, sizeof name, &why),
		ML_LINE_OK);
	assert_string_equal(v.name, "/srv/a\tb  ");
	/* Long offsets and minors (min widths only), 16-digit addresses. */
	assert_int_equal(one("ffffffffff600000-ffffffffff601000 --xp 1234567890 103:10001 "
			     "18446744073709551615 /x",
			     &v, name, sizeof name, &why),
			 ML_LINE_OK);
	assert_int_equal(v.offset, 0x1234567890ULL);
	assert_int_equal(v.dev_major, 0x103);
	assert_int_equal(v.dev_minor, 0x10001);
	assert_int_equal(v.inode, UINT64_MAX);
	/* A name that does not fit the buffer is a bad line, not a cut name. */
	assert_int_equal(one("7f00-7f10 r--p 00000000 08:01 9  /0123456789", &v, name, 8, &why),
			 ML_LINE_BAD);
	assert_non_null(why);
}

static void
t_garbage(void **state)
{
	static char name[ML_LINE_MAX + 1];
	static const char *const bad[] = {
		"",
		"hello world",
		"7f00 rw-p 00000000 00:00 0",
		"7f00- rw-p 00000000 00:00 0",
		"7f10-7f00 rw-p 00000000 00:00 0",
		"7f00-7f10 rw-q 00000000 00:00 0",
		"7f00-7f10 rwxpp 00000000 00:00 0",
		"7f00-7f10 rw-p",
		"7f00-7f10 rw-p 0000zz00 00:00 0",
		"7f00-7f10 rw-p 00000000 0000 0",
		"7f00-7f10 rw-p 00000000 00:00",
		"7f00-7f10 rw-p 00000000 00:00 x",
		"7f00-7f10 rw-p 00000000 00:00 12x /a",
		"1ffffffffffffffff-2ffffffffffffffff rw-p 00000000 00:00 0",
		"7f00-7f10 rw-p 00000000 00:00 99999999999999999999",
	};
	struct ml_vma v;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < ML_ARRAY_SIZE(bad); i++) {
		assert_int_equal(one(bad[i], &v, name, sizeof name, &why), ML_LINE_BAD);
		assert_non_null(why);
	}
}

static void
t_stream_errors(void **state)
{
	struct seen s;
	struct ml_parse_stats st;
	const char *text = "1000-2000 r--p 00000000 08:01 7  /a\n"
			   "garbage here\n"
			   "3000-4000 rw-p 00000000 00:00 0 \n"
			   "2800-3800 rw-p 00000000 00:00 0 \n"     /* goes backwards */
			   "5000-6000 rw-p 00000000 00:00 0  [hea"; /* truncated */
	struct ml_feed f;
	char *cause = NULL;

	(void)state;
	memset(&s, 0, sizeof s);
	st = parse(&s, text, strlen(text), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(st.lines, 5);
	assert_int_equal(st.bad_lines, 3);
	assert_int_equal(st.first_bad_lineno, 2);
	assert_string_equal(st.first_bad_text, "garbage here");

	/* A callback that fails stops the parse with its errno. */
	memset(&s, 0, sizeof s);
	s.fail_at = 1;
	ml_maps_init(&maps, on_vma, &s);
	assert_int_equal(ml_parse_buffer(&f, &ml_src_maps, &maps, text, strlen(text), 7, &cause),
			 -1);
	assert_int_equal(errno, ECANCELED);
	assert_non_null(cause);
	free(cause);
	assert_int_equal(s.n, 1);
}

static void
t_32bit_and_310(void **state)
{
	size_t len, c;
	char *buf;
	struct seen s, part;

	(void)state;
	buf = unit_load_fixture("procs-6.18/320/maps", &len);
	memset(&s, 0, sizeof s);
	parse(&s, buf, len, 0);
	assert_int_equal(s.n, 6);
	assert_int_equal(s.first.start, 0x08048000);
	assert_int_equal(s.first.end, 0x08100000);
	assert_string_equal(s.first_name, "/bin/busybox");
	assert_int_equal(s.kinds[ML_VMA_NAME_HEAP], 1);
	assert_int_equal(s.kinds[ML_VMA_NAME_NONE], 1);
	assert_int_equal(s.last.end, 0xbfa05000);
	for (c = 1; c < 4; c++) {
		memset(&part, 0, sizeof part);
		parse(&part, buf, len, unit_chunk_sizes[c]);
		assert_int_equal(part.digest, s.digest);
	}
	free(buf);

	buf = unit_load_fixture("procs-6.18/310/maps", &len);
	memset(&s, 0, sizeof s);
	parse(&s, buf, len, 0);
	assert_int_equal(s.n, 12);
	assert_int_equal(s.kinds[ML_VMA_NAME_STACK_TID], 1);
	assert_int_equal(s.deleted, 1); /* /SYSV0000162e (deleted) */
	free(buf);
}

/*
 * Without the final newline: a last line named by a bracketed pseudo-name
 * ("[vsyscall]") is whole and parsed, in every chunking; cut inside the
 * name it is refused, and so is a last line naming a path (it may be cut).
 */
static void
t_no_final_newline(void **state)
{
	size_t len, c, cut;
	char *buf = unit_load_fixture("procs-6.18/4242/maps", &len);
	const char *last = strrchr(buf, '[');
	struct seen whole, part;
	struct ml_parse_stats st;

	(void)state;
	assert_true(buf[len - 1] == '\n' && last != NULL);
	memset(&whole, 0, sizeof whole);
	parse(&whole, buf, len, 0);
	for (c = 0; c < ML_ARRAY_SIZE(unit_chunk_sizes); c++) {
		memset(&part, 0, sizeof part);
		st = parse(&part, buf, len - 1, unit_chunk_sizes[c]);
		assert_int_equal(st.bad_lines, 0);
		assert_int_equal(part.n, whole.n);
		assert_string_equal(part.last.name, "[vsyscall]");
	}
	for (cut = (size_t)(last - buf); cut < len - 1; cut++) {
		memset(&part, 0, sizeof part);
		st = parse(&part, buf, cut, 0);
		assert_int_equal(st.bad_lines, 1);
		assert_string_equal(st.first_bad_why, "no newline at end of file (truncated)");
		assert_int_equal(part.n, whole.n - 1);
	}
	memset(&part, 0, sizeof part);
	st = parse(&part, "1000-2000 r--p 00000000 08:01 12 /srv/app/lib.so", 48, 0);
	assert_int_equal(st.bad_lines, 1);
	assert_int_equal(part.n, 0);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_manyvma),       cmocka_unit_test(t_names),
		cmocka_unit_test(t_garbage),       cmocka_unit_test(t_stream_errors),
		cmocka_unit_test(t_32bit_and_310), cmocka_unit_test(t_no_final_newline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

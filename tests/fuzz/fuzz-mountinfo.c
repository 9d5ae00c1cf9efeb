/*
 * libFuzzer harness for the mountinfo parser (src/proc/mountinfo.c): whole
 * and chunked parses hand over the same mounts (hashed, see fuzz.h); every
 * mount's paths are absolute and its strings NUL-terminated inside the
 * parser's buffer.
 */
#include "config.h"

#include "fuzz.h"
#include "proc/mountinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct digest {
	uint64_t h;
	uint64_t n;
	const struct ml_mountinfo *mi;
};

static void
check_string(const struct digest *d, const char *s)
{
	const char *lo = d->mi->text, *hi = d->mi->text + sizeof d->mi->text;

	FUZZ_CHECK(s >= lo && s < hi);
	FUZZ_CHECK(memchr(s, '\0', (size_t)(hi - s)) != NULL);
}

static int
on_mount(void *arg, const struct ml_mount *m)
{
	struct digest *d = arg;
	const char *s[6] = { m->root,   m->mount_point, m->options,
			     m->fstype, m->source,      m->super_options };
	int i;

	FUZZ_CHECK(m->root[0] == '/' && m->mount_point[0] == '/');
	d->h = fuzz_mix(d->h, &m->id, sizeof m->id);
	d->h = fuzz_mix(d->h, &m->parent, sizeof m->parent);
	d->h = fuzz_mix(d->h, &m->major, sizeof m->major);
	d->h = fuzz_mix(d->h, &m->minor, sizeof m->minor);
	for (i = 0; i < 6; i++) {
		check_string(d, s[i]);
		d->h = fuzz_mix(d->h, s[i], strlen(s[i]) + 1);
	}
	d->n++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb;
	static struct ml_mountinfo ma, mb;
	struct digest da = { 0, 0, &ma }, db = { 0, 0, &mb };
	size_t chunk, len;
	const char *buf = fuzz_split(data, size, &chunk, &len);

	ml_mountinfo_init(&ma, on_mount, &da);
	ml_mountinfo_init(&mb, on_mount, &db);
	fuzz_parse(&fa, &ml_src_mountinfo, &ma, buf, len, 0);
	fuzz_parse(&fb, &ml_src_mountinfo, &mb, buf, len, chunk);
	fuzz_same_stats(&fa.stats, &fb.stats);
	FUZZ_CHECK(da.n == db.n && da.h == db.h);
	FUZZ_CHECK(da.n == ma.mounts);
	FUZZ_CHECK(da.n + fa.stats.bad_lines == fa.stats.lines);
	return 0;
}

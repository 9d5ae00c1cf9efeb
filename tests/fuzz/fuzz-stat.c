/*
 * libFuzzer harness for the PID/stat parser (src/proc/pidstat.c): whole,
 * chunked and after-another-file parses agree on every field; the name is
 * always terminated; a line that is not valid leaves no start time behind.
 */
#include "config.h"

#include "fuzz.h"
#include "proc/pidstat.h"

static void
check_stat(const struct ml_pid_stat *st)
{
	FUZZ_CHECK(memchr(st->comm, '\0', sizeof st->comm) != NULL);
	FUZZ_CHECK(!st->valid || st->pid > 0);
	FUZZ_CHECK(st->valid || st->starttime == 0);
	FUZZ_CHECK(st->ppid >= -1);
}

static void
same_stat(const struct ml_pid_stat *a, const struct ml_pid_stat *b)
{
	FUZZ_CHECK(a->valid == b->valid);
	FUZZ_CHECK(a->pid == b->pid);
	FUZZ_CHECK(strcmp(a->comm, b->comm) == 0);
	FUZZ_CHECK(a->state == b->state);
	FUZZ_CHECK(a->ppid == b->ppid);
	FUZZ_CHECK(a->flags == b->flags);
	FUZZ_CHECK(a->starttime == b->starttime);
	FUZZ_CHECK(a->vsize == b->vsize);
	FUZZ_CHECK(a->rss_pages == b->rss_pages);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb;
	struct ml_pid_stat whole, other;
	size_t chunk, len, olen;
	const char *buf = fuzz_split(data, size, &chunk, &len);
	const char *obuf = fuzz_other(buf, len, &olen);
	int rc;

	memset(&whole, 0xa5, sizeof whole);
	memset(&other, 0x5a, sizeof other);
	rc = fuzz_parse(&fa, &ml_src_pid_stat, &whole, buf, len, 0);
	check_stat(&whole);
	fuzz_parse(&fb, &ml_src_pid_stat, &other, obuf, olen, chunk);
	check_stat(&other);
	FUZZ_CHECK(fuzz_parse(&fb, &ml_src_pid_stat, &other, buf, len, chunk) == rc);
	fuzz_same_stats(&fa.stats, &fb.stats);
	same_stat(&whole, &other);
	return 0;
}

/*
 * libFuzzer harness for the PID/status parser (src/proc/pids.c), which names
 * the processes of a copied tree: whole, chunked and after-another-file parses
 * agree on every field; the name is always terminated and never ends in a
 * line end (a CR inside it is kept: the output layer shows it as '?'); a field the file did not
 * give keeps its "absent" value.
 */
#include "config.h"

#include "fuzz.h"
#include "proc/pids.h"

static void
same_status(const struct ml_pid_status *a, const struct ml_pid_status *b)
{
	FUZZ_CHECK(a->has_name == b->has_name);
	FUZZ_CHECK(strcmp(a->name, b->name) == 0);
	FUZZ_CHECK(a->state == b->state);
	FUZZ_CHECK(a->ppid == b->ppid);
	FUZZ_CHECK(a->has_uid == b->has_uid);
	FUZZ_CHECK(!a->has_uid || a->euid == b->euid);
	FUZZ_CHECK(a->kthread == b->kthread);
	FUZZ_CHECK(a->has_vm_rss == b->has_vm_rss && a->vm_rss == b->vm_rss);
	FUZZ_CHECK(a->has_vm_swap == b->has_vm_swap && a->vm_swap == b->vm_swap);
}

static void
check_status(const struct ml_pid_status *st)
{
	size_t n;

	FUZZ_CHECK(memchr(st->name, '\0', sizeof st->name) != NULL);
	n = strlen(st->name);
	FUZZ_CHECK(strchr(st->name, '\n') == NULL);
	/* A CR ending the line is its line end (a name cut at 63 bytes may end in one). */
	FUZZ_CHECK(n == 0 || n == sizeof st->name - 1 || st->name[n - 1] != '\r');
	FUZZ_CHECK(st->has_name || st->name[0] == '\0');
	FUZZ_CHECK(st->ppid >= -1);
	FUZZ_CHECK(st->kthread >= -1 && st->kthread <= 1);
	/* VmRSS and VmSwap are kB: whole KiB in bytes, 0 when absent. */
	FUZZ_CHECK(st->vm_rss % 1024 == 0 && (st->has_vm_rss || st->vm_rss == 0));
	FUZZ_CHECK(st->vm_swap % 1024 == 0 && (st->has_vm_swap || st->vm_swap == 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ml_feed fa, fb;
	struct ml_pid_status whole, other;
	size_t chunk, len, olen;
	const char *buf = fuzz_split(data, size, &chunk, &len);
	const char *obuf = fuzz_other(buf, len, &olen);
	int rc;

	memset(&whole, 0xa5, sizeof whole);
	memset(&other, 0x5a, sizeof other);
	rc = fuzz_parse(&fa, &ml_src_pid_status, &whole, buf, len, 0);
	check_status(&whole);
	fuzz_parse(&fb, &ml_src_pid_status, &other, obuf, olen, chunk);
	check_status(&other);
	FUZZ_CHECK(fuzz_parse(&fb, &ml_src_pid_status, &other, buf, len, chunk) == rc);
	fuzz_same_stats(&fa.stats, &fb.stats);
	same_status(&whole, &other);
	return 0;
}

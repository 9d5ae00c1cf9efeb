/*
 * Read-ahead: a reader's file read by a second thread while this one parses.
 *
 * For the big per-PID files: a 4,000-mapping smaps is 2.9 MB that the kernel
 * generates in about 12 ms, one page per read() (doc/procfs.md sections 1 and 15);
 * parsing it takes another 2 ms. With the reading in its own thread the
 * parse runs on another CPU while the kernel generates the rest, and the
 * caller can read other files (smaps_rollup) in the meantime.
 *
 * The reading thread fills buffers of ML_RA_BUFSIZE bytes (several read()
 * calls each, so the two threads meet once per 64 KiB, not once per page) and
 * hands them over through a ring of ML_RA_SLOTS buffers (256 KiB): memory is bounded by
 * the ring, whatever the size of the file. The parse is the reader's own
 * (struct ml_feed, the same source and output), so results and statistics are
 * those of ml_reader_refresh.
 *
 * Usage: ml_readahead_start (the file must be open in r), anything else,
 * then ml_readahead_finish (parses to the end, joins the thread) or
 * ml_readahead_cancel. The ring is allocated once and kept by ml_readahead
 * for the next start; ml_readahead_release frees it.
 */
#ifndef ML_READAHEAD_H
#define ML_READAHEAD_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/reader.h"

#define ML_RA_SLOTS 4
#define ML_RA_BUFSIZE (64 * 1024)

struct ml_readahead {
	struct ml_reader *r;
	pthread_t thread;
	bool running;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	char *slot[ML_RA_SLOTS];
	size_t len[ML_RA_SLOTS];
	unsigned int head, tail, filled; /* producer fills slot[head], consumer takes slot[tail] */
	bool done;                       /* the producer has reached the end (or failed) */
	bool stop;                       /* the consumer asks the producer to stop */
	bool producer_waits, consumer_waits; /* blocked in pthread_cond_wait */
	int err;                             /* errno of a failed read, 0 */
	uint64_t bytes;
	unsigned int reads;
};

void ml_readahead_init(struct ml_readahead *ra);
void ml_readahead_release(struct ml_readahead *ra);

/* Start reading r's open file from offset 0 in a thread; 0, or -1 + cause. */
int ml_readahead_start(struct ml_readahead *ra, struct ml_reader *r, char **cause);

/*
 * Parse everything the thread reads into out, through r's source, and join
 * it: the equivalent of ml_reader_refresh (0, or -1 with errno and a cause
 * naming the file).
 */
int ml_readahead_finish(struct ml_readahead *ra, void *out, char **cause);

/* Stop the thread and join it without parsing. */
void ml_readahead_cancel(struct ml_readahead *ra);

#endif /* ML_READAHEAD_H */

/*
 * Read-ahead in a second thread; see readahead.h. One mutex and one
 * condition variable guard the ring indices and the flags; the buffers
 * themselves are touched outside the lock, by one side at a time (a slot
 * belongs to the producer until it is counted in filled, then to the
 * consumer until it is released).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/readahead.h"
#include "util.h"

void
ml_readahead_init(struct ml_readahead *ra)
{
	memset(ra, 0, sizeof *ra);
	pthread_mutex_init(&ra->lock, NULL);
	pthread_cond_init(&ra->cond, NULL);
}

void
ml_readahead_release(struct ml_readahead *ra)
{
	unsigned int i;

	ml_readahead_cancel(ra);
	for (i = 0; i < ML_RA_SLOTS; i++)
		free(ra->slot[i]);
	pthread_mutex_destroy(&ra->lock);
	pthread_cond_destroy(&ra->cond);
	memset(ra, 0, sizeof *ra);
}

/* Fill one buffer from offset *off: several reads, up to the end of the file. */
static size_t
fill(struct ml_readahead *ra, char *buf, off_t *off, int *err, bool *eof)
{
	size_t len = 0;
	ssize_t n;

	while (len < ML_RA_BUFSIZE) {
		n = ml_reader_pread(ra->r, buf + len, ML_RA_BUFSIZE - len, *off);
		if (n < 0 && errno == EINTR)
			continue;
		ra->reads++;
		if (n < 0) {
			*err = errno;
			break;
		}
		if (n == 0) {
			*eof = true;
			break;
		}
		len += (size_t)n;
		*off += n;
	}
	return len;
}

static void *
producer(void *arg)
{
	struct ml_readahead *ra = arg;
	off_t off = 0;
	bool eof = false;
	int err = 0;
	size_t len;
	char *buf;

	for (;;) {
		pthread_mutex_lock(&ra->lock);
		while (ra->filled == ML_RA_SLOTS && !ra->stop) {
			ra->producer_waits = true;
			pthread_cond_wait(&ra->cond, &ra->lock);
			ra->producer_waits = false;
		}
		if (ra->stop) {
			ra->done = true;
			pthread_cond_broadcast(&ra->cond);
			pthread_mutex_unlock(&ra->lock);
			return NULL;
		}
		buf = ra->slot[ra->head];
		pthread_mutex_unlock(&ra->lock);

		len = fill(ra, buf, &off, &err, &eof);

		pthread_mutex_lock(&ra->lock);
		ra->bytes += len;
		if (len > 0) {
			ra->len[ra->head] = len;
			ra->head = (ra->head + 1) % ML_RA_SLOTS;
			ra->filled++;
		}
		if (eof || err != 0) {
			ra->err = err;
			ra->done = true;
		}
		/* A futex wake costs as much as parsing a page: only when it waits. */
		if (ra->consumer_waits || ra->done)
			pthread_cond_broadcast(&ra->cond);
		pthread_mutex_unlock(&ra->lock);
		if (eof || err != 0)
			return NULL;
	}
}

int
ml_readahead_start(struct ml_readahead *ra, struct ml_reader *r, char **cause)
{
	unsigned int i;
	int rc;

	for (i = 0; i < ML_RA_SLOTS; i++) {
		if (ra->slot[i] == NULL && (ra->slot[i] = malloc(ML_RA_BUFSIZE)) == NULL) {
			ml_set_cause(cause, "%s", strerror(errno));
			return -1;
		}
	}
	ra->r = r;
	ra->head = ra->tail = ra->filled = 0;
	ra->done = ra->stop = false;
	ra->producer_waits = ra->consumer_waits = false;
	ra->err = 0;
	ra->bytes = 0;
	ra->reads = 0;
	rc = pthread_create(&ra->thread, NULL, producer, ra);
	if (rc != 0) {
		errno = rc;
		ml_set_cause(cause, "cannot start a thread: %s", strerror(rc));
		return -1;
	}
	ra->running = true;
	return 0;
}

/* A cause "cannot VERB ROOT/REL: strerror" without losing errno. */
static void
file_cause(const struct ml_reader *r, const char *verb, int err, char **cause)
{
	char *path = ml_procfs_path(r->fs, r->rel);

	ml_set_cause(cause, "cannot %s %s: %s", verb, path != NULL ? path : r->rel, strerror(err));
	free(path);
	errno = err;
}

int
ml_readahead_finish(struct ml_readahead *ra, void *out, char **cause)
{
	struct ml_reader *r = ra->r;
	int err = 0, parse_err = 0;
	unsigned int t;

	if (!ra->running) {
		errno = EINVAL;
		return -1;
	}
	if (ml_feed_begin(&r->feed, r->src, out) != 0)
		parse_err = errno;
	for (;;) {
		pthread_mutex_lock(&ra->lock);
		while (ra->filled == 0 && !ra->done) {
			ra->consumer_waits = true;
			pthread_cond_wait(&ra->cond, &ra->lock);
			ra->consumer_waits = false;
		}
		if (ra->filled == 0 || parse_err != 0) {
			ra->stop = true;
			pthread_cond_broadcast(&ra->cond);
			err = ra->err;
			pthread_mutex_unlock(&ra->lock);
			break;
		}
		t = ra->tail;
		pthread_mutex_unlock(&ra->lock);

		if (ml_feed(&r->feed, ra->slot[t], ra->len[t]) != 0)
			parse_err = errno;

		pthread_mutex_lock(&ra->lock);
		ra->tail = (t + 1) % ML_RA_SLOTS;
		ra->filled--;
		if (ra->producer_waits)
			pthread_cond_broadcast(&ra->cond);
		pthread_mutex_unlock(&ra->lock);
	}
	pthread_join(ra->thread, NULL);
	ra->running = false;
	r->last_bytes = ra->bytes;
	r->last_reads = ra->reads;
	if (err != 0) {
		file_cause(r, "read", err, cause);
		return -1;
	}
	if (parse_err != 0) {
		file_cause(r, "parse", parse_err, cause);
		return -1;
	}
	if (ml_feed_finish(&r->feed, cause) != 0) {
		char *path = ml_procfs_path(r->fs, r->rel);

		ml_prefix_cause(cause, "%s: ", path != NULL ? path : r->rel);
		free(path);
		return -1;
	}
	return 0;
}

void
ml_readahead_cancel(struct ml_readahead *ra)
{
	if (!ra->running)
		return;
	pthread_mutex_lock(&ra->lock);
	ra->stop = true;
	pthread_cond_broadcast(&ra->cond);
	pthread_mutex_unlock(&ra->lock);
	pthread_join(ra->thread, NULL);
	ra->running = false;
}

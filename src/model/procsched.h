/*
 * The process-read scheduler of memlens top's process view: at each refresh,
 * whose smaps_rollup to read. PSS costs the kernel a walk of the process's
 * page tables (tens of microseconds to tens of milliseconds for a large
 * process; htop reads no PSS at all), so reading every process every second
 * is out of the question, and reading them in turn leaves the rows a person
 * looks at a minute old. The policy:
 *
 *  - the first refresh reads every process (before that, an order by PSS
 *    means nothing) and notes what each read cost;
 *  - at every refresh after it, the rows on screen are read first: the
 *    selected row from a bucket of its own that fills at selected_share of a
 *    core, whenever that bucket is not in debt; then the others, never-read
 *    and oldest figures first, from a bucket that fills at shown_share; a
 *    row whose reads cost more than its bucket holds waits for a later
 *    refresh (the view marks its figures stale), at most until they are
 *    ML_PROCSCHED_MAX_LAG_NS old (then the bucket below pays). Buckets hold
 *    two intervals' worth at most. So a process whose PSS takes 70 ms to walk
 *    (an ASan program's terabytes of shadow address space) is read now and
 *    then, not at every refresh, and starves no other row;
 *  - then new processes and off-screen rows whose figures are older than
 *    ML_PROCSCHED_STALE_NS spend a token bucket that fills at rest_share of a
 *    core, up to ML_PROCSCHED_TOKENS_CAP_NS; a row dearer than the bucket
 *    holds waits, unless its figures are older than ML_PROCSCHED_MAX_LAG_NS
 *    (then the bucket goes into debt, paid back before anything else);
 *  - a row read less than half an interval ago is not read again.
 *
 * Per process (by PID) the scheduler keeps a memo: what its last two reads
 * cost (a read's cost is the lesser of them: one read slowed by a busy
 * machine does not make a process wait), and the figures of its last two
 * reads (the view's changes, key 'd').
 *
 * The reading itself and the clock come from the caller (struct
 * ml_procsched_io): the data side passes ml_proctab_read_mem and
 * CLOCK_MONOTONIC, the unit tests a fake process table and a fake clock.
 * Rows are borrowed for one call; they must be sorted by PID.
 */
#ifndef ML_MODEL_PROCSCHED_H
#define ML_MODEL_PROCSCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/proctab.h"

#define ML_PROCSCHED_NS_PER_S 1000000000ULL
/* Off-screen figures older than this are read again from the bucket. */
#define ML_PROCSCHED_STALE_NS (60 * ML_PROCSCHED_NS_PER_S)
/* A row this old is read even when it costs more than the bucket holds. */
#define ML_PROCSCHED_MAX_LAG_NS (60 * ML_PROCSCHED_NS_PER_S)
/* What the bucket can hold: no burst of more than this. */
#define ML_PROCSCHED_TOKENS_CAP_NS (50ULL * 1000000ULL)

/* The measures the memo keeps, in this order: PSS, USS, RSS, swap. */
#define ML_PROCSCHED_MEASURES 4

struct ml_procsched_io {
	/* Read p's memory: sets p->mem and its figures (ml_proctab_read_mem). */
	void (*read)(void *arg, struct ml_proc *p);
	/* The monotonic clock, in nanoseconds: ages, and the buckets' filling. */
	uint64_t (*now)(void *arg);
	/*
	 * This thread's CPU time, in nanoseconds: what a read costs (a read the
	 * scheduler of a busy machine preempted costs no more). NULL: now.
	 */
	uint64_t (*cpu)(void *arg);
	void *arg;
};

struct ml_procsched_params {
	double interval;       /* seconds between two refreshes */
	double selected_share; /* of one core, for the selected row */
	double shown_share;    /* of one core, for the other rows on screen */
	double rest_share;     /* of one core, for the others */
};

/* What one refresh did, for the view and the tests. */
struct ml_procsched_stats {
	unsigned int shown_read;    /* rows on screen read */
	unsigned int shown_waiting; /* rows on screen left for a later refresh */
	unsigned int rest_read;     /* other rows read */
	uint64_t shown_ns, rest_ns; /* time the reads took */
};

struct ml_procsched_memo {
	int pid;
	uint64_t read_ns;      /* the row's mem_ns when cur was taken */
	uint64_t cost_ns;      /* what its last read took */
	uint64_t prev_cost_ns; /* and the read before (0: none) */
	bool has_cur, has_prev;
	uint64_t cur[ML_PROCSCHED_MEASURES], prev[ML_PROCSCHED_MEASURES];
	uint8_t cur_known, prev_known; /* a bit per measure */
};

struct ml_procsched {
	bool all_read;           /* the first refresh is done */
	int64_t tokens_ns;       /* the others' bucket */
	uint64_t filled_ns;      /* when it was last filled */
	int64_t shown_tokens_ns; /* the rows on screen's bucket */
	uint64_t shown_filled_ns;
	int64_t sel_tokens_ns; /* the selected row's bucket */
	uint64_t sel_filled_ns;
	struct ml_procsched_memo *memo, *memo_next; /* sorted by PID */
	size_t nmemo, memo_cap, memo_next_cap;
	struct {
		int pid;
		uint64_t ns;
	} * costs; /* the reads of this refresh */
	size_t ncosts, costs_cap;
	struct ml_proc **pick; /* scratch: the rows one pass may read */
	size_t pick_cap;
	int *shown_sorted; /* the PIDs on screen, sorted */
	size_t shown_cap;
	struct ml_procsched_stats last;
};

void ml_procsched_init(struct ml_procsched *s);
void ml_procsched_release(struct ml_procsched *s);

/*
 * One refresh of the process view: rows are every process (sorted by PID),
 * shown the PIDs on screen (any order), selected the selected PID (0: none).
 * Reads what the policy above says through io, then updates the memo.
 * 0, or -1 with errno ENOMEM (nothing read).
 */
int ml_procsched_refresh(struct ml_procsched *s, struct ml_proc *const *rows, size_t n,
			 const int *shown, size_t nshown, int selected,
			 const struct ml_procsched_params *pp, const struct ml_procsched_io *io);

/* The memo of pid, or NULL. */
const struct ml_procsched_memo *ml_procsched_memo(const struct ml_procsched *s, int pid);

/*
 * The change of pid's figures between its last two reads (PSS, USS, RSS,
 * swap; a measure known in only one of them is 0). False when it was not
 * read twice.
 */
bool ml_procsched_change(const struct ml_procsched *s, int pid,
			 int64_t change[ML_PROCSCHED_MEASURES]);

#endif /* ML_MODEL_PROCSCHED_H */

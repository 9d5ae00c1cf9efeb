/*
 * The process-read scheduler; see procsched.h for the policy.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/procs.h"
#include "model/procsched.h"

/* The measures of the memo, in its order. */
static const enum ml_pm memo_measures[ML_PROCSCHED_MEASURES] = { ML_PM_PSS, ML_PM_USS, ML_PM_RSS,
								 ML_PM_SWAP };

void
ml_procsched_init(struct ml_procsched *s)
{
	memset(s, 0, sizeof *s);
}

void
ml_procsched_release(struct ml_procsched *s)
{
	free(s->memo);
	free(s->memo_next);
	free(s->costs);
	free(s->pick);
	free(s->shown_sorted);
	memset(s, 0, sizeof *s);
}

/* Room for want elements of size in *p; -1 with errno ENOMEM when there is none. */
static int
grow(void **p, size_t *cap, size_t want, size_t size)
{
	size_t n = want + want / 2 + 16;
	void *q;

	if (want <= *cap)
		return 0;
	if (n > SIZE_MAX / size || (q = realloc(*p, n * size)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	*p = q;
	*cap = n;
	return 0;
}

/* A process whose memory can be read: not a kernel thread, a zombie or gone. */
static bool
readable(const struct ml_proc *p)
{
	return !p->kthread && p->mem != ML_MEM_NONE && p->mem != ML_MEM_GONE;
}

/* How old p's figures are at now; UINT64_MAX when never read. */
static uint64_t
age(const struct ml_proc *p, uint64_t now)
{
	if (p->mem == ML_MEM_UNREAD)
		return UINT64_MAX;
	return now > p->mem_ns ? now - p->mem_ns : 0;
}

static struct ml_proc *
find_row(struct ml_proc *const *rows, size_t n, int pid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rows[mid]->pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && rows[lo]->pid == pid ? rows[lo] : NULL;
}

static struct ml_procsched_memo *
find_memo(const struct ml_procsched *s, int pid)
{
	size_t lo = 0, hi = s->nmemo;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->memo[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nmemo && s->memo[lo].pid == pid ? &s->memo[lo] : NULL;
}

const struct ml_procsched_memo *
ml_procsched_memo(const struct ml_procsched *s, int pid)
{
	return find_memo(s, pid);
}

/*
 * What a read of p will cost, as far as the memo knows: the lesser of its
 * last two reads (a read the scheduler of a busy machine stretched is not
 * what the next one costs); 0 when never read.
 */
static uint64_t
estimate(const struct ml_procsched *s, const struct ml_proc *p)
{
	const struct ml_procsched_memo *e = find_memo(s, p->pid);

	if (e == NULL)
		return 0;
	if (e->prev_cost_ns != 0 && e->prev_cost_ns < e->cost_ns)
		return e->prev_cost_ns;
	return e->cost_ns;
}

/* Never-read rows first, then the oldest figures, then by PID. */
static int
cmp_staleness(const void *a, const void *b)
{
	const struct ml_proc *x = *(struct ml_proc *const *)a, *y = *(struct ml_proc *const *)b;
	bool ux = x->mem == ML_MEM_UNREAD, uy = y->mem == ML_MEM_UNREAD;

	if (ux != uy)
		return ux ? -1 : 1;
	if (x->mem_ns != y->mem_ns)
		return x->mem_ns < y->mem_ns ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

/* Read p through io; returns what it took, noted for the memo (room is made beforehand). */
static uint64_t
read_one(struct ml_procsched *s, struct ml_proc *p, const struct ml_procsched_io *io)
{
	uint64_t (*clock)(void *) = io->cpu != NULL ? io->cpu : io->now;
	uint64_t a = clock(io->arg), b;

	io->read(io->arg, p);
	b = clock(io->arg);
	if (s->ncosts < s->costs_cap) {
		s->costs[s->ncosts].pid = p->pid;
		s->costs[s->ncosts++].ns = b > a ? b - a : 0;
	}
	return b > a ? b - a : 0;
}

/* Keep each process's last two reads, by PID (rows and memo are both in PID order). */
static void
update_memo(struct ml_procsched *s, struct ml_proc *const *rows, size_t n)
{
	struct ml_procsched_memo *tmp, *e;
	size_t i, j = 0, k = 0, m;

	for (i = 0; i < n; i++) {
		const struct ml_proc *p = rows[i];

		e = &s->memo_next[k++];
		while (j < s->nmemo && s->memo[j].pid < p->pid)
			j++;
		if (j < s->nmemo && s->memo[j].pid == p->pid)
			*e = s->memo[j];
		else
			memset(e, 0, sizeof *e);
		e->pid = p->pid;
		if (p->mem != ML_MEM_OK || (e->has_cur && e->read_ns == p->mem_ns))
			continue;
		if (e->has_cur) {
			memcpy(e->prev, e->cur, sizeof e->prev);
			e->prev_known = e->cur_known;
			e->has_prev = true;
		}
		e->cur_known = 0;
		for (m = 0; m < ML_PROCSCHED_MEASURES; m++)
			if (ml_proc_value(p, memo_measures[m], &e->cur[m]))
				e->cur_known |= (uint8_t)(1u << m);
		e->has_cur = true;
		e->read_ns = p->mem_ns;
	}
	tmp = s->memo;
	s->memo = s->memo_next;
	s->memo_next = tmp;
	s->nmemo = k;
	/* What each read of this refresh cost, for the next refresh's choices. */
	for (i = 0; i < s->ncosts; i++) {
		if ((e = find_memo(s, s->costs[i].pid)) != NULL) {
			e->prev_cost_ns = e->cost_ns;
			e->cost_ns = s->costs[i].ns;
		}
	}
}

/* What the bucket of the rows on screen holds at most: two intervals' worth. */
static int64_t
shown_cap(const struct ml_procsched_params *pp)
{
	return (int64_t)(2 * pp->interval * pp->shown_share * 1e9);
}

/*
 * The rows on screen, from their own bucket: the selected one first
 * whenever the bucket is not in debt, then the others, never-read and oldest
 * first, each while the bucket holds what its reads cost.
 */
static void
read_shown(struct ml_procsched *s, struct ml_proc *const *rows, size_t n, const int *shown,
	   size_t nshown, int selected, const struct ml_procsched_params *pp,
	   const struct ml_procsched_io *io)
{
	uint64_t min_age = (uint64_t)(pp->interval * 0.5e9), now, cost;
	struct ml_proc *p;
	size_t i, k = 0;

	/* The selected row: from a bucket of its own, so that it starves no other row. */
	if (selected > 0 && (p = find_row(rows, n, selected)) != NULL && readable(p) &&
	    age(p, io->now(io->arg)) >= min_age) {
		if (s->sel_tokens_ns > 0) {
			cost = read_one(s, p, io);
			s->sel_tokens_ns -= (int64_t)cost;
			s->last.shown_ns += cost;
			s->last.shown_read++;
		} else {
			s->last.shown_waiting++;
		}
	}
	for (i = 0; i < nshown && k < s->pick_cap; i++)
		if (shown[i] != selected && (p = find_row(rows, n, shown[i])) != NULL &&
		    readable(p))
			s->pick[k++] = p;
	qsort(s->pick, k, sizeof *s->pick, cmp_staleness);
	for (i = 0; i < k; i++) {
		p = s->pick[i];
		now = io->now(io->arg);
		if (age(p, now) < min_age)
			continue;
		/*
		 * A row whose reads cost more than the bucket holds waits (never
		 * read: while the bucket is in debt), until its figures are
		 * ML_PROCSCHED_MAX_LAG_NS old: then the others' bucket pays.
		 */
		if (p->mem == ML_MEM_UNREAD ? s->shown_tokens_ns <= 0
					    : (int64_t)estimate(s, p) > s->shown_tokens_ns) {
			if (p->mem == ML_MEM_UNREAD || age(p, now) < ML_PROCSCHED_MAX_LAG_NS) {
				s->last.shown_waiting++;
				continue;
			}
			cost = read_one(s, p, io);
			s->tokens_ns -= (int64_t)cost;
			s->last.shown_ns += cost;
			s->last.shown_read++;
			continue;
		}
		cost = read_one(s, p, io);
		s->shown_tokens_ns -= (int64_t)cost;
		s->last.shown_ns += cost;
		s->last.shown_read++;
		/* A never-read row may cost anything: its debt is capped. */
		if (s->shown_tokens_ns < -shown_cap(pp))
			s->shown_tokens_ns = -shown_cap(pp);
	}
}

/* Fill a bucket with share of the time since *filled, up to cap. */
static void
fill_bucket(int64_t *tokens, uint64_t *filled, uint64_t now, double share, int64_t cap)
{
	uint64_t fill = now > *filled ? (uint64_t)((double)(now - *filled) * share) : 0;

	if (fill > (uint64_t)cap)
		fill = (uint64_t)cap;
	*tokens += (int64_t)fill;
	if (*tokens > cap)
		*tokens = cap;
	*filled = now;
}

/* New processes and old off-screen figures, from the bucket. */
static void
read_rest(struct ml_procsched *s, struct ml_proc *const *rows, size_t n, size_t nshown,
	  int selected, const struct ml_procsched_io *io)
{
	const int *on_screen = s->shown_sorted;
	uint64_t now = io->now(io->arg), a, cost;
	size_t i, k = 0;

	for (i = 0; i < n && k < s->pick_cap; i++) {
		struct ml_proc *p = rows[i];

		if (!readable(p) || p->pid == selected || age(p, now) <= ML_PROCSCHED_STALE_NS ||
		    (nshown > 0 &&
		     bsearch(&p->pid, on_screen, nshown, sizeof *on_screen, cmp_int) != NULL))
			continue;
		s->pick[k++] = p;
	}
	qsort(s->pick, k, sizeof *s->pick, cmp_staleness);
	for (i = 0; i < k && s->tokens_ns > 0; i++) {
		struct ml_proc *p = s->pick[i];

		a = io->now(io->arg);
		if ((int64_t)estimate(s, p) > s->tokens_ns && age(p, a) < ML_PROCSCHED_MAX_LAG_NS)
			continue;
		cost = read_one(s, p, io);
		s->tokens_ns -= (int64_t)cost;
		s->last.rest_ns += cost;
		s->last.rest_read++;
	}
}

int
ml_procsched_refresh(struct ml_procsched *s, struct ml_proc *const *rows, size_t n,
		     const int *shown, size_t nshown, int selected,
		     const struct ml_procsched_params *pp, const struct ml_procsched_io *io)
{
	uint64_t now = io->now(io->arg);
	size_t i;

	memset(&s->last, 0, sizeof s->last);
	s->ncosts = 0;
	/* All the room this refresh needs, first: nothing fails half-way. */
	if (grow((void **)&s->memo, &s->memo_cap, n, sizeof *s->memo) != 0 ||
	    grow((void **)&s->memo_next, &s->memo_next_cap, n, sizeof *s->memo_next) != 0 ||
	    grow((void **)&s->costs, &s->costs_cap, n + 1, sizeof *s->costs) != 0 ||
	    grow((void **)&s->pick, &s->pick_cap, n + nshown + 1, sizeof *s->pick) != 0 ||
	    grow((void **)&s->shown_sorted, &s->shown_cap, nshown + 1, sizeof *s->shown_sorted) !=
		    0)
		return -1;
	if (nshown > 0) {
		memcpy(s->shown_sorted, shown, nshown * sizeof *shown);
		qsort(s->shown_sorted, nshown, sizeof *s->shown_sorted, cmp_int);
	}
	if (!s->all_read) {
		/* The first time every process is read, so that the order means something. */
		for (i = 0; i < n; i++) {
			if (readable(rows[i])) {
				s->last.rest_ns += read_one(s, rows[i], io);
				s->last.rest_read++;
			}
		}
		s->all_read = true;
		s->tokens_ns = s->shown_tokens_ns = s->sel_tokens_ns = 0;
		s->filled_ns = s->shown_filled_ns = s->sel_filled_ns = io->now(io->arg);
		update_memo(s, rows, n);
		return 0;
	}
	/*
	 * Fill the buckets: the others' up to ML_PROCSCHED_TOKENS_CAP_NS, the
	 * rows on screen's up to two intervals' worth.
	 */
	fill_bucket(&s->tokens_ns, &s->filled_ns, now, pp->rest_share,
		    (int64_t)ML_PROCSCHED_TOKENS_CAP_NS);
	fill_bucket(&s->shown_tokens_ns, &s->shown_filled_ns, now, pp->shown_share, shown_cap(pp));
	fill_bucket(&s->sel_tokens_ns, &s->sel_filled_ns, now, pp->selected_share,
		    (int64_t)(2 * pp->interval * pp->selected_share * 1e9));
	read_shown(s, rows, n, shown, nshown, selected, pp, io);
	read_rest(s, rows, n, nshown, selected, io);
	update_memo(s, rows, n);
	return 0;
}

bool
ml_procsched_change(const struct ml_procsched *s, int pid, int64_t change[ML_PROCSCHED_MEASURES])
{
	const struct ml_procsched_memo *e = find_memo(s, pid);
	size_t m;

	memset(change, 0, ML_PROCSCHED_MEASURES * sizeof *change);
	if (e == NULL || !e->has_prev || !e->has_cur)
		return false;
	for (m = 0; m < ML_PROCSCHED_MEASURES; m++)
		if ((e->cur_known >> m) & (e->prev_known >> m) & 1)
			change[m] = (int64_t)(e->cur[m] - e->prev[m]);
	return true;
}

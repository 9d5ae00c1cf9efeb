/*
 * PID/stat: "pid (comm) state ppid pgrp session tty_nr tpgid flags minflt
 * cminflt majflt cmajflt utime stime cutime cstime priority nice
 * num_threads itrealvalue starttime vsize rss ..." on one line, as
 * do_task_stat prints it (fs/proc/array.c). See pidstat.h and doc/procfs.md
 * section 18.
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "proc/pidstat.h"
#include "proc/scan.h"

static int
stat_begin(void *out)
{
	struct ml_pid_stat *st = out;

	memset(st, 0, sizeof *st);
	st->state = '?';
	st->ppid = -1;
	return 0;
}

/* The next blank-separated field of [*p, end) as [*f, *fend); false at the end. */
static bool
next_field(const char **p, const char *end, const char **f, const char **fend)
{
	const char *q = ml_skip_blanks(*p, end);

	if (q >= end)
		return false;
	*f = q;
	*fend = ml_token_end(q, end);
	*p = *fend;
	return true;
}

/* A whole field as an unsigned number. */
static bool
field_u64(const char *f, const char *fend, uint64_t *v)
{
	return ml_scan_u64(&f, fend, v) == ML_SCAN_OK && f == fend;
}

/* A whole field as a signed number (tty_nr, tpgid, cutime, priority, nice). */
static bool
field_i64(const char *f, const char *fend)
{
	int64_t v;

	return ml_scan_i64(&f, fend, &v) == ML_SCAN_OK && f == fend;
}

static int
stat_line(void *out, const char *s, size_t n, const char **why)
{
	struct ml_pid_stat *st = out, v = { 0 };
	const char *end = s + n, *p = s, *open, *close, *f, *fend;
	uint64_t x;
	size_t len;
	int field;

	if (st->lines++ > 0) {
		*why = "more than one line";
		return ML_LINE_BAD;
	}
	while (end > s && (end[-1] == ' ' || end[-1] == '\r'))
		end--;
	if (!next_field(&p, end, &f, &fend) || !field_u64(f, fend, &x) || x == 0 || x > INT_MAX) {
		*why = "no PID";
		return ML_LINE_BAD;
	}
	v.pid = (int)x;
	open = ml_skip_blanks(p, end);
	/* The name runs to the last ')': it may hold ')' itself. */
	for (close = end; close > open && close[-1] != ')'; close--)
		;
	if (open >= end || *open != '(' || close <= open + 1) {
		*why = "no (comm)";
		return ML_LINE_BAD;
	}
	close--;
	len = (size_t)(close - open - 1);
	if (len >= sizeof v.comm)
		len = sizeof v.comm - 1;
	memcpy(v.comm, open + 1, len);
	v.comm[len] = '\0';
	p = close + 1;

	/* Fields 3 to 24; the ones not kept must still be numbers (or the state letter). */
	for (field = 3; field <= 24; field++) {
		if (!next_field(&p, end, &f, &fend)) {
			*why = "fewer than 24 fields";
			return ML_LINE_BAD;
		}
		switch (field) {
		case 3:
			if (fend - f != 1) {
				*why = "bad state";
				return ML_LINE_BAD;
			}
			v.state = *f;
			break;
		case 4:
			if (!field_u64(f, fend, &x) || x > INT_MAX) {
				*why = "bad ppid";
				return ML_LINE_BAD;
			}
			v.ppid = (int)x;
			break;
		case 7:
		case 8:
		case 16:
		case 17:
		case 18:
		case 19:
		case 21:
			if (!field_i64(f, fend)) {
				*why = "a field is not a number";
				return ML_LINE_BAD;
			}
			break;
		default:
			if (!field_u64(f, fend, &x)) {
				*why = "a field is not a number";
				return ML_LINE_BAD;
			}
			if (field == 9)
				v.flags = x;
			else if (field == 22)
				v.starttime = x;
			else if (field == 23)
				v.vsize = x;
			else if (field == 24)
				v.rss_pages = x;
			break;
		}
	}
	/* All or nothing: a line refused part-way leaves no field behind. */
	v.valid = true;
	v.lines = st->lines;
	*st = v;
	return ML_LINE_OK;
}

const struct ml_source ml_src_pid_stat = {
	.name = "stat",
	.path = NULL,
	.begin = stat_begin,
	.line = stat_line,
	.finish = NULL,
};

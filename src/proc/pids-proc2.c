/*
 * Process identity from libproc2's pids interface, for the live /proc.
 *
 * libproc2 is loaded when a command first needs it (dlopen), not when memlens
 * starts: with its dependencies (libsystemd, libcap, libgcrypt, liblzma,
 * libzstd, liblz4, libgpg-error) it is eight shared objects whose loading and
 * relocation cost every command about 1.2 million instructions (0.5-1 ms),
 * twice what memlens meminfo does itself; and procps_pids_new loads libnuma
 * on top. The commands that never list processes (meminfo, slab, maps, ...)
 * now never pay for it, and procs and summary load it in the thread that
 * lists the processes while another reads their memory (proctab.c). The
 * prototypes come from <libproc2/pids.h>: each pointer has the type of the
 * function it stands for.
 *
 * Results are read from stack->head[i].result directly: the PIDS_VAL macro
 * changed its arguments between procps 4.0.2 and 4.0.5. The items are listed
 * once, in the order of enum item below; libproc2 reads PID/stat (PPID,
 * state, flags, comm), the owner of the PID directory (the effective uid)
 * and, when asked, PID/cmdline for each process.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <libproc2/pids.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "proc/pids-proc2.h"
#include "util.h"

/* PF_KTHREAD in include/linux/sched.h, unchanged since 2.6.27. */
#define ML_PF_KTHREAD 0x00200000UL

enum item {
	I_PID,
	I_PPID,
	I_CMD,
	I_EUID,
	I_EUSER,
	I_STATE,
	I_FLAGS,
	I_FLT_MIN,
	I_FLT_MAJ,
	I_CMDLINE,
	I__COUNT
};

/* The command line is last: without it, the stack is the first I_CMDLINE items. */
static enum pids_item items[I__COUNT] = {
	[I_PID] = PIDS_ID_PID,      [I_PPID] = PIDS_ID_PPID,    [I_CMD] = PIDS_CMD,
	[I_EUID] = PIDS_ID_EUID,    [I_EUSER] = PIDS_ID_EUSER,  [I_STATE] = PIDS_STATE,
	[I_FLAGS] = PIDS_FLAGS,     [I_FLT_MIN] = PIDS_FLT_MIN, [I_FLT_MAJ] = PIDS_FLT_MAJ,
	[I_CMDLINE] = PIDS_CMDLINE,
};

/* The command lines alone, for ml_pids_proc2_details. */
enum cl_item { C_PID, C_CMDLINE, C__COUNT };
static enum pids_item cl_items[C__COUNT] = {
	[C_PID] = PIDS_ID_PID,
	[C_CMDLINE] = PIDS_CMDLINE,
};

/* VmRSS and VmSwap of PID/status (in KiB), for ml_pids_proc2_details. */
enum sm_item { S_PID, S_RSS, S_SWAP, S__COUNT };
static enum pids_item sm_items[S__COUNT] = {
	[S_PID] = PIDS_ID_PID,
	[S_RSS] = PIDS_VM_RSS,
	[S_SWAP] = PIDS_VM_SWAP,
};

/* The functions of libproc2 memlens calls, resolved once. */
static struct {
	pthread_once_t once;
	int err; /* errno of a failed load, 0 */
	char why[200];
	__typeof__(procps_pids_new) *pids_new;
	__typeof__(procps_pids_unref) *pids_unref;
	__typeof__(procps_pids_reap) *pids_reap;
	__typeof__(procps_pids_select) *pids_select;
} lib = { .once = PTHREAD_ONCE_INIT };

static void
load(void)
{
	void *h = dlopen(ML_PROC2_SONAME, RTLD_NOW | RTLD_LOCAL);
	const char *what = NULL;

	if (h == NULL) {
		const char *e = dlerror();

		lib.err = ENOENT;
		snprintf(lib.why, sizeof lib.why, "%s", e != NULL ? e : ML_PROC2_SONAME);
		return;
	}
	/* dlsym returns void *: POSIX guarantees it converts to a function pointer. */
#define ML_SYM(field, name)                              \
	do {                                             \
		*(void **)(&lib.field) = dlsym(h, name); \
		if (lib.field == NULL && what == NULL)   \
			what = name;                     \
	} while (0)
	ML_SYM(pids_new, "procps_pids_new");
	ML_SYM(pids_unref, "procps_pids_unref");
	ML_SYM(pids_reap, "procps_pids_reap");
	ML_SYM(pids_select, "procps_pids_select");
#undef ML_SYM
	if (what != NULL) {
		lib.err = ENOSYS;
		snprintf(lib.why, sizeof lib.why, "%s has no %s", ML_PROC2_SONAME, what);
		/* The handle stays open: the process is short-lived and never retries. */
	}
}

int
ml_pids_proc2_load(char **cause)
{
	pthread_once(&lib.once, load);
	if (lib.err != 0) {
		ml_set_cause(cause, "cannot load libproc2: %s", lib.why);
		errno = lib.err;
		return -1;
	}
	return 0;
}

int
ml_pids_proc2_open(struct ml_pids *p, char **cause)
{
	int rc;

	if (ml_pids_proc2_load(cause) != 0)
		return -1;
	rc = lib.pids_new(&p->proc2, items, p->want_cmdline ? I__COUNT : I_CMDLINE);
	if (rc < 0) {
		errno = -rc;
		p->proc2 = NULL;
		ml_set_cause(cause, "cannot list processes (libproc2): %s", strerror(-rc));
		return -1;
	}
	return 0;
}

void
ml_pids_proc2_close(struct ml_pids *p)
{
	if (p->proc2 != NULL)
		lib.pids_unref(&p->proc2);
	p->proc2 = NULL;
	if (p->proc2_cl != NULL)
		lib.pids_unref(&p->proc2_cl);
	p->proc2_cl = NULL;
	if (p->proc2_sm != NULL)
		lib.pids_unref(&p->proc2_sm);
	p->proc2_sm = NULL;
}

static int
emit(const struct ml_pids *p, struct pids_stack *s, ml_pid_fn fn, void *arg)
{
	struct pids_result *h = s->head;
	struct ml_pid_ident id;

	memset(&id, 0, sizeof id);
	id.pid = h[I_PID].result.s_int;
	id.ppid = h[I_PPID].result.s_int;
	id.uid = h[I_EUID].result.u_int;
	id.uid_known = true;
	id.state = h[I_STATE].result.s_ch != 0 ? h[I_STATE].result.s_ch : '?';
	id.kthread = (h[I_FLAGS].result.ul_int & ML_PF_KTHREAD) != 0;
	id.comm = h[I_CMD].result.str != NULL ? h[I_CMD].result.str : "";
	id.comm_known = true;
	if (p->want_cmdline) {
		id.cmdline = h[I_CMDLINE].result.str != NULL ? h[I_CMDLINE].result.str : "";
		id.cmdline_known = true;
	} else {
		id.cmdline = "";
	}
	id.user = h[I_EUSER].result.str != NULL ? h[I_EUSER].result.str : "";
	/* stat's minflt and majflt, read with the rest of stat */
	id.faults_known = true;
	id.minflt = h[I_FLT_MIN].result.ul_int;
	id.majflt = h[I_FLT_MAJ].result.ul_int;
	return fn(arg, &id);
}

int
ml_pids_proc2_scan(struct ml_pids *p, ml_pid_fn fn, void *arg, char **cause)
{
	struct pids_fetch *f;
	int i;

	f = lib.pids_reap(p->proc2, PIDS_FETCH_TASKS_ONLY);
	if (f == NULL) {
		if (errno == 0)
			errno = EIO;
		ml_set_cause(cause, "cannot list processes (libproc2): %s", strerror(errno));
		return -1;
	}
	p->last_total = f->counts->total;
	for (i = 0; i < f->counts->total; i++) {
		if (f->stacks[i] == NULL)
			break;
		if (emit(p, f->stacks[i], fn, arg) != 0) {
			ml_set_cause(cause, "listing processes: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

int
ml_pids_proc2_get(struct ml_pids *p, int pid, ml_pid_fn fn, void *arg, char **cause)
{
	unsigned int want = (unsigned int)pid;
	struct pids_fetch *f;

	errno = 0;
	f = lib.pids_select(p->proc2, &want, 1, PIDS_SELECT_PID);
	if (f == NULL) {
		if (errno == 0)
			errno = EIO;
		ml_set_cause(cause, "cannot read process %d (libproc2): %s", pid, strerror(errno));
		return -1;
	}
	if (f->counts->total < 1 || f->stacks[0] == NULL) {
		errno = ESRCH;
		ml_set_cause(cause, "no process %d", pid);
		return -1;
	}
	if (emit(p, f->stacks[0], fn, arg) != 0) {
		ml_set_cause(cause, "reading process %d: %s", pid, strerror(errno));
		return -1;
	}
	return 0;
}

int
ml_pids_proc2_details(struct ml_pids *p, const int *pids, size_t n, unsigned int what,
		      ml_detail_fn fn, void *arg, char **cause)
{
	bool cmdline = what == ML_PID_CMDLINE;
	struct pids_info **h = cmdline ? &p->proc2_cl : &p->proc2_sm;
	struct pids_fetch *f;
	struct ml_pid_detail d;
	size_t i;
	int k, rc;

	if (what != ML_PID_CMDLINE && what != ML_PID_STATUS_MEM) {
		errno = EINVAL;
		ml_set_cause(cause, "reading processes: %s", strerror(errno));
		return -1;
	}
	if (*h == NULL && (rc = cmdline ? lib.pids_new(h, cl_items, C__COUNT)
					: lib.pids_new(h, sm_items, S__COUNT)) < 0) {
		errno = -rc;
		*h = NULL;
		ml_set_cause(cause, "cannot read processes (libproc2): %s", strerror(-rc));
		return -1;
	}
	/*
	 * procps_pids_select reads PID/status for each PID it is given (to
	 * learn the thread group) on top of what the items need: for a
	 * command line that is three times the cost, so a few processes are
	 * selected and many are reaped with the rest and picked out.
	 */
	errno = 0;
	if (n <= 64 && n * 4 <= (size_t)p->last_total) {
		unsigned int want[64];

		for (i = 0; i < n; i++)
			want[i] = (unsigned int)pids[i];
		f = lib.pids_select(*h, want, (int)n, PIDS_SELECT_PID);
	} else {
		f = lib.pids_reap(*h, PIDS_FETCH_TASKS_ONLY);
	}
	if (f == NULL) {
		if (errno == 0)
			errno = EIO;
		ml_set_cause(cause, "cannot read processes (libproc2): %s", strerror(errno));
		return -1;
	}
	for (k = 0; k < f->counts->total && f->stacks[k] != NULL; k++) {
		struct pids_result *r = f->stacks[k]->head;

		memset(&d, 0, sizeof d);
		d.pid = r[0].result.s_int;
		if (cmdline) {
			d.cmdline = r[C_CMDLINE].result.str != NULL ? r[C_CMDLINE].result.str : "";
		} else {
			/* libproc2 has 0 for a line status lacks: VmSwap is there since 2.6.34. */
			d.rss = (uint64_t)r[S_RSS].result.ul_int * 1024;
			d.swap = (uint64_t)r[S_SWAP].result.ul_int * 1024;
			d.has_rss = d.has_swap = true;
		}
		if (fn(arg, &d) != 0) {
			ml_set_cause(cause, "reading processes: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

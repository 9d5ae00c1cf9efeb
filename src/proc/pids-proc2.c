/*
 * Process identity from libproc2's pids interface, for the live /proc.
 *
 * Results are read from stack->head[i].result directly: the PIDS_VAL macro
 * changed its arguments between procps 4.0.2 and 4.0.5. The items are listed
 * once, in the order of enum item below; libproc2 reads stat (PPID, state,
 * flags, comm), status (effective uid) and cmdline for each process.
 */
#include "config.h"

#include <errno.h>
#include <libproc2/pids.h>
#include <string.h>

#include "proc/pids-proc2.h"
#include "util.h"

/* PF_KTHREAD in include/linux/sched.h, unchanged since 2.6.27. */
#define ML_PF_KTHREAD 0x00200000UL

enum item {
	I_PID,
	I_PPID,
	I_CMD,
	I_CMDLINE,
	I_EUID,
	I_EUSER,
	I_STATE,
	I_FLAGS,
	I_FLT_MIN,
	I_FLT_MAJ,
	I__COUNT
};

static enum pids_item items[I__COUNT] = {
	[I_PID] = PIDS_ID_PID,      [I_PPID] = PIDS_ID_PPID, [I_CMD] = PIDS_CMD,
	[I_CMDLINE] = PIDS_CMDLINE, [I_EUID] = PIDS_ID_EUID, [I_EUSER] = PIDS_ID_EUSER,
	[I_STATE] = PIDS_STATE,     [I_FLAGS] = PIDS_FLAGS,  [I_FLT_MIN] = PIDS_FLT_MIN,
	[I_FLT_MAJ] = PIDS_FLT_MAJ,
};

int
ml_pids_proc2_open(struct ml_pids *p, char **cause)
{
	int rc = procps_pids_new(&p->proc2, items, I__COUNT);

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
		procps_pids_unref(&p->proc2);
	p->proc2 = NULL;
}

static int
emit(struct pids_stack *s, ml_pid_fn fn, void *arg)
{
	struct pids_result *h = s->head;
	struct ml_pid_ident id;

	id.pid = h[I_PID].result.s_int;
	id.ppid = h[I_PPID].result.s_int;
	id.uid = h[I_EUID].result.u_int;
	id.uid_known = true;
	id.state = h[I_STATE].result.s_ch != 0 ? h[I_STATE].result.s_ch : '?';
	id.kthread = (h[I_FLAGS].result.ul_int & ML_PF_KTHREAD) != 0;
	id.comm = h[I_CMD].result.str != NULL ? h[I_CMD].result.str : "";
	id.cmdline = h[I_CMDLINE].result.str != NULL ? h[I_CMDLINE].result.str : "";
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

	f = procps_pids_reap(p->proc2, PIDS_FETCH_TASKS_ONLY);
	if (f == NULL) {
		if (errno == 0)
			errno = EIO;
		ml_set_cause(cause, "cannot list processes (libproc2): %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < f->counts->total; i++) {
		if (f->stacks[i] == NULL)
			break;
		if (emit(f->stacks[i], fn, arg) != 0) {
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
	f = procps_pids_select(p->proc2, &want, 1, PIDS_SELECT_PID);
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
	if (emit(f->stacks[0], fn, arg) != 0) {
		ml_set_cause(cause, "reading process %d: %s", pid, strerror(errno));
		return -1;
	}
	return 0;
}

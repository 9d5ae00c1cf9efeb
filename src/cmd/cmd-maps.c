/*
 * memlens maps PID: one process's memory by kind of mapping (heap, anonymous,
 * stack, file code/data/read-only, shared memory, hugetlb, named anonymous,
 * special) and by mapped file, from /proc/PID/smaps streamed record by
 * record; the totals checked against /proc/PID/smaps_rollup. With --all,
 * every mapping is printed as it streams (pmap -X style, with VmFlags), in
 * text or as JSON rows written one at a time: memory does not grow with the
 * number of mappings (except for one row per distinct mapped file).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/cmd-maps-numa.h"
#include "model/mapkind.h"
#include "proc/proctab.h"
#include "proc/readahead.h"
#include "proc/smaps.h"
#include "xalloc.h"

enum { OPT_ALL, OPT_NUMA };

static const struct ml_cmd_option maps_options[] = {
	{ "all", 0, NULL, "also list every mapping (pmap -X style, with VmFlags)", OPT_ALL },
	{ "numa", 0, NULL,
	  "instead, its memory per NUMA node (numa_maps: a page-table walk, as costly as smaps)",
	  OPT_NUMA },
	{ NULL, 0, NULL, NULL, 0 },
};

/* What to do about EACCES: root can be refused too (doc/procfs.md section 13). */
static const char *
hint_perm(void)
{
	return geteuid() == 0 ? "even as root: ptrace access refused, e.g. the process holds "
				"capabilities memlens lacks"
			      : "run as root, or as the process's owner";
}

/* The measures of the tables, in order; Hugetlb only when some mapping has it. */
static const enum ml_ms table_ms[] = { ML_MS_SIZE,      ML_MS_RSS,    ML_MS_PSS,
				       ML_MS_USS,       ML_MS_SWAP,   ML_MS_SWAP_PSS,
				       ML_MS_ANON_HUGE, ML_MS_LOCKED, ML_MS_HUGETLB };

struct maps_cmd {
	struct ml_ctx *ctx;
	bool all;
	int pid;
	const struct ml_proc *proc;
	struct ml_proctab tab;
	struct ml_sysinfo si;
	struct ml_reader rreader, sreader; /* smaps_rollup, smaps */
	bool rready, sready;
	struct ml_readahead ra; /* smaps, read in a second thread */
	bool ra_started;
	int smaps_err; /* errno of opening smaps, 0 */
	char *smaps_cause;
	char rrel[64], srel[64];
	struct ml_smaps_rollup roll;
	bool have_roll;
	const char *roll_missing; /* why there is no smaps_rollup */
	struct ml_smaps smaps;
	struct ml_mapsum sum;
	struct json_stream *js;
	bool begun; /* the report's first lines are out */
	int addr_width;
};

/* A name for the terminal: '\n' (decoded \012) and other controls as \ooo. */
static const char *
printable(char *buf, size_t cap, const char *s, size_t n, bool deleted)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 5 < cap; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(buf + o, cap - o, "\\%03o", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	if (deleted && o + 11 < cap)
		memcpy(buf + o, " (deleted)", 11);
	return buf;
}

/* Rows of the mapped-files table in text when --limit is not given. */
#define FILES_TEXT_LIMIT 20

static int
digits_hex(uint64_t v)
{
	int n = 1;

	while (v >>= 4)
		n++;
	return n;
}

/* ------------------------------------------------------------ --all rows */

static void
all_text_header(struct maps_cmd *m)
{
	const struct text_out *o = &m->ctx->text;
	int k;

	text_printf(o, TS_HEADER, "\n%*s %-4s %8s %-7s %10s", m->addr_width, "Address", "Perm",
		    "Offset", "Device", "Inode");
	for (k = 0; k < (int)ML_ARRAY_SIZE(table_ms) - 1; k++)
		text_printf(o, TS_HEADER, " %9s", ml_ms_title(table_ms[k]));
	text_printf(o, TS_HEADER, " %-10s %-24s %s\n", "Kind", "VmFlags", "Mapping");
}

static void
all_text_row(struct maps_cmd *m, const struct ml_smaps_record *r, enum ml_map_kind kind)
{
	const struct text_out *o = &m->ctx->text;
	const struct ml_vma *v = &r->vma;
	char dev[24], name[ML_LINE_MAX * 4 + 16];
	uint64_t x;
	int k;

	snprintf(dev, sizeof dev, "%02x:%02x", v->dev_major, v->dev_minor);
	fprintf(o->f, "%*llx %-4s %08llx %-7s %10llu", m->addr_width, (unsigned long long)v->start,
		v->perm_text, (unsigned long long)v->offset, dev, (unsigned long long)v->inode);
	for (k = 0; k < (int)ML_ARRAY_SIZE(table_ms) - 1; k++) {
		if (ml_ms_value(&r->f, table_ms[k], &x))
			fprintf(o->f, " %9s", text_sz(&o->units, x));
		else
			fprintf(o->f, " %9s", "n/a");
	}
	fprintf(o->f, " %-10s %-24.*s %s\n", ml_map_kind_key(kind), (int)r->vmflags_len, r->vmflags,
		printable(name, sizeof name, v->name, v->name_len, v->deleted));
}

static void
json_vma(struct json_node *o, const struct ml_vma *v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%llx", (unsigned long long)v->start);
	json_add_string(o, "start", buf);
	snprintf(buf, sizeof buf, "%llx", (unsigned long long)v->end);
	json_add_string(o, "end", buf);
	json_add_string(o, "perms", v->perm_text);
	json_add_u64(o, "offset", v->offset);
	snprintf(buf, sizeof buf, "%02x:%02x", v->dev_major, v->dev_minor);
	json_add_string(o, "dev", buf);
	json_add_u64(o, "inode", v->inode);
	if (v->name_kind == ML_VMA_NAME_NONE)
		json_add_null(o, "name");
	else
		json_add_stringn(o, "name", v->name, v->name_len);
	json_add_string(o, "name_kind", ml_vma_name_word((enum ml_vma_name)v->name_kind));
	json_add_bool(o, "deleted", v->deleted);
}

/* Every field of a record or of the rollup, by its kernel name, in file order. */
static void
json_fields(struct json_node *o, const struct ml_smaps_fields *f)
{
	const struct ml_kvlist *all = &f->all;
	char key[256];
	uint32_t i;

	for (i = 0; i < all->n; i++) {
		size_t n = all->e[i].name_len < sizeof key ? all->e[i].name_len : sizeof key - 1;

		memcpy(key, ml_kvlist_name(all, i), n);
		key[n] = '\0';
		json_add_u64(o, key, all->e[i].value);
	}
}

/* "MAJ:MIN" in hex, at least two digits each, as maps prints a device; its length. */
static size_t
dev_text(char buf[24], uint32_t major, uint32_t minor)
{
	static const char hex[] = "0123456789abcdef";
	uint32_t part[2] = { major, minor }, v;
	char tmp[8];
	size_t len = 0, n, k;

	for (k = 0; k < 2; k++) {
		if (k == 1)
			buf[len++] = ':';
		v = part[k];
		n = 0;
		do {
			tmp[n++] = hex[v & 15];
			v >>= 4;
		} while (v != 0);
		if (n < 2)
			tmp[n++] = '0';
		while (n > 0)
			buf[len++] = tmp[--n];
	}
	buf[len] = '\0';
	return len;
}

/* A mapping's header fields, written directly into the open row. */
static void
row_vma(struct json_stream *js, const struct ml_vma *v)
{
	char buf[24];
	size_t n;

	json_row_hex(js, "start", v->start);
	json_row_hex(js, "end", v->end);
	json_row_string(js, "perms", v->perm_text, strlen(v->perm_text));
	json_row_u64(js, "offset", v->offset);
	n = dev_text(buf, v->dev_major, v->dev_minor);
	json_row_string(js, "dev", buf, n);
	json_row_u64(js, "inode", v->inode);
	if (v->name_kind == ML_VMA_NAME_NONE)
		json_row_null(js, "name");
	else
		json_row_string(js, "name", v->name, v->name_len);
	json_row_string(js, "name_kind", ml_vma_name_word((enum ml_vma_name)v->name_kind),
			strlen(ml_vma_name_word((enum ml_vma_name)v->name_kind)));
	json_row_bool(js, "deleted", v->deleted);
}

/* Every field of a record by its kernel name, in file order, as an object "fields". */
static void
row_fields(struct json_stream *js, const struct ml_smaps_fields *f)
{
	const struct ml_kvlist *all = &f->all;
	char key[256];
	uint32_t i;

	json_row_object_begin(js, "fields");
	for (i = 0; i < all->n; i++) {
		size_t n = all->e[i].name_len < sizeof key ? all->e[i].name_len : sizeof key - 1;

		memcpy(key, ml_kvlist_name(all, i), n);
		key[n] = '\0';
		json_row_u64(js, key, all->e[i].value);
	}
	json_row_object_end(js);
}

/* One mapping of --all --json, written as it streams (no tree: 4,000 rows cost little). */
static void
all_json_row(struct maps_cmd *m, const struct ml_smaps_record *r, enum ml_map_kind kind)
{
	struct json_stream *js = m->js;
	const char *p, *end, *t;
	uint64_t uss;

	json_row_begin(js);
	row_vma(js, &r->vma);
	json_row_string(js, "kind", ml_map_kind_key(kind), strlen(ml_map_kind_key(kind)));
	if (ml_ms_value(&r->f, ML_MS_USS, &uss))
		json_row_u64(js, "uss", uss);
	else
		json_row_null(js, "uss");
	row_fields(js, &r->f);
	if (r->has_vmflags) {
		json_row_array_begin(js, "vmflags");
		for (p = r->vmflags, end = p + r->vmflags_len; p < end; p = t) {
			while (p < end && *p == ' ')
				p++;
			for (t = p; t < end && *t != ' '; t++)
				;
			if (t > p)
				json_row_array_string(js, p, (size_t)(t - p));
		}
		json_row_array_end(js);
	} else {
		json_row_null(js, "vmflags");
	}
	if (r->has_name_line)
		json_row_string(js, "Name", r->name_line, r->name_line_len);
	json_row_end(js);
}

static struct json_node *json_head(struct maps_cmd *m);
static void process_line(struct maps_cmd *m);

/*
 * Start the report: at the first mapping with --all (rows are printed as
 * they stream), else once smaps is read; so a process with no mappings
 * prints nothing but its error.
 */
static void
begin_output(struct maps_cmd *m)
{
	struct ml_ctx *ctx = m->ctx;

	if (m->begun)
		return;
	m->begun = true;
	if (ctx->json != ML_JSON_OFF) {
		if (m->all)
			m->js = json_stream_begin(json_head(m), "mappings", stdout,
						  ctx->json == ML_JSON_PRETTY);
		return;
	}
	cmd_text_header(ctx, &m->si, "memlens maps");
	if (ctx->text.units.mode != ML_UNITS_HUMAN)
		text_printf(&ctx->text, TS_DIM, "(sizes in %s)\n",
			    text_unit_name(&ctx->text.units));
	process_line(m);
	if (m->all)
		all_text_header(m);
}

/* Each smaps record as it streams: into the sums, and printed with --all. */
static int
on_record(void *arg, const struct ml_smaps_record *r)
{
	struct maps_cmd *m = arg;
	enum ml_map_kind kind;

	if (ml_mapsum_add(&m->sum, r, &kind) != 0)
		return -1;
	if (!m->all)
		return 0;
	begin_output(m);
	if (m->ctx->json != ML_JSON_OFF)
		all_json_row(m, r, kind);
	else
		all_text_row(m, r, kind);
	return 0;
}

/* ------------------------------------------------------------ reading */

/* Open PID/<file> with r; 0 or -1 with errno and a cause. */
static int
open_file(struct maps_cmd *m, struct ml_reader *r, bool *ready, const struct ml_source *src,
	  const char *file, char *rel, size_t cap, char **cause)
{
	int rc;

	snprintf(rel, cap, "%d/%s", m->pid, file);
	rc = ml_reader_open(r, &m->ctx->fs, src, rel, cause);
	*ready = r->buf != NULL;
	return rc;
}

/*
 * Open smaps and start reading it in a second thread, before anything else:
 * the kernel generates it (the bulk of the time) while this thread reads the
 * identity and smaps_rollup, then parses what has come. An error is kept for
 * later, when the process's identity says what it means.
 */
static void
start_smaps(struct maps_cmd *m)
{
	if (open_file(m, &m->sreader, &m->sready, &ml_src_smaps, "smaps", m->srel, sizeof m->srel,
		      &m->smaps_cause) != 0) {
		m->smaps_err = errno != 0 ? errno : EIO;
		return;
	}
	/* Without a thread, the smaps is read in this one, later. */
	if (!cmd_threads_allowed())
		return;
	m->ra_started = ml_readahead_start(&m->ra, &m->sreader, NULL) == 0;
}

static bool
pid_dir_exists(const struct maps_cmd *m)
{
	char dir[16];
	struct stat st;

	snprintf(dir, sizeof dir, "%d", m->pid);
	return ml_procfs_stat(&m->ctx->fs, dir, &st) == 0;
}

/* A process that is gone or has no user memory: a clear message, 1. */
static int
no_memory(struct maps_cmd *m, int err, const char *cause)
{
	if (err == ESRCH || (err == ENOENT && !pid_dir_exists(m))) {
		if (m->proc->state == 'Z' || err == ESRCH)
			cmd_error("process %d (%s) has no user memory (%s)", m->pid, m->proc->comm,
				  m->proc->state == 'Z' ? "a zombie"
							: "it exited, or is a kernel thread");
		else
			cmd_error("process %d (%s) exited", m->pid, m->proc->comm);
		return 1;
	}
	return cmd_read_error(cause, err, hint_perm());
}

/* smaps_rollup first: a missing one (before 4.14) is only a note. */
static int
read_rollup(struct maps_cmd *m)
{
	char *cause = NULL;
	int rc = 0, err;

	/* Opened again for each report (-i/-n): it is closed after each read. */
	if ((m->rready ? ml_reader_reopen(&m->rreader, m->rrel, &cause)
		       : open_file(m, &m->rreader, &m->rready, &ml_src_smaps_rollup, "smaps_rollup",
				   m->rrel, sizeof m->rrel, &cause)) != 0) {
		err = errno;
		if (err == ENOENT && pid_dir_exists(m))
			m->roll_missing = "no smaps_rollup (kernels before 4.14)";
		else
			rc = no_memory(m, err, cause);
	} else if (ml_reader_refresh(&m->rreader, &m->roll, &cause) != 0) {
		rc = no_memory(m, errno, cause);
	} else {
		m->have_roll = m->roll.has_header || m->roll.f.all.n > 0;
		if (!m->have_roll) {
			cmd_error("process %d (%s) has no user memory", m->pid, m->proc->comm);
			rc = 1;
		}
		cmd_warn_bad_lines(m->ctx, m->rrel, ml_reader_stats(&m->rreader));
	}
	/* Do not keep the process's mm pinned (doc/procfs.md section 1). */
	if (m->rready)
		ml_reader_close(&m->rreader);
	free(cause);
	return rc;
}

/* ------------------------------------------------------------ the report */

static bool
any_hugetlb(const struct maps_cmd *m)
{
	return ml_msum_has(&m->sum.total, ML_MS_HUGETLB) && m->sum.total.v[ML_MS_HUGETLB] > 0;
}

static void
sum_cells(struct text_table *t, const struct text_out *o, const struct ml_msum *s, size_t nms)
{
	size_t k;

	for (k = 0; k < nms; k++) {
		if (ml_msum_has(s, table_ms[k]))
			text_table_cell(t, "%s", text_sz(&o->units, s->v[table_ms[k]]));
		else
			text_table_cell(t, "n/a");
	}
}

static void
kinds_text(struct maps_cmd *m, const struct ml_rollup_check *chk)
{
	const struct text_out *o = &m->ctx->text;
	size_t nms = ML_ARRAY_SIZE(table_ms) - (any_hugetlb(m) ? 0 : 1), k;
	struct text_table *t = text_table_new((unsigned int)(nms + 2));
	int i;

	text_table_col(t, 0, "Kind", TA_LEFT);
	text_table_col(t, 1, "Maps", TA_RIGHT);
	for (k = 0; k < nms; k++)
		text_table_col(t, (unsigned int)(k + 2), ml_ms_title(table_ms[k]), TA_RIGHT);
	for (i = 0; i < ML_MK__COUNT; i++) {
		const struct ml_msum *s = &m->sum.kind[i];

		if (s->maps == 0)
			continue;
		text_table_row(t, TS_NONE);
		text_table_cell(t, "%s", ml_map_kind_title((enum ml_map_kind)i));
		text_table_cell(t, "%llu", (unsigned long long)s->maps);
		sum_cells(t, o, s, nms);
	}
	text_table_row(t, TS_BOLD);
	text_table_cell(t, "%s", "total");
	text_table_cell(t, "%llu", (unsigned long long)m->sum.total.maps);
	sum_cells(t, o, &m->sum.total, nms);
	if (m->have_roll) {
		text_table_row(t, TS_DIM);
		text_table_cell(t, "%s", "smaps_rollup");
		text_table_cell(t, "%s", "");
		for (k = 0; k < nms; k++) {
			uint64_t v;

			if (table_ms[k] != ML_MS_SIZE && ml_ms_value(&m->roll.f, table_ms[k], &v))
				text_table_cell(t, "%s", text_sz(&o->units, v));
			else
				text_table_cell(t, "%s", "-");
		}
	}
	fputc('\n', o->f);
	text_table_print(t, o, 0);
	text_table_free(t);

	if (!m->have_roll) {
		text_printf(o, TS_DIM, "%s\n",
			    m->roll_missing ? m->roll_missing : "no smaps_rollup");
	} else if (!chk->compared) {
		text_printf(o, TS_DIM, "smaps_rollup: no field to compare\n");
	} else if (chk->agrees) {
		bool rounded = false;

		for (k = 0; k < ML_MS__COUNT; k++)
			rounded |= chk->diff[k] != 0;
		text_printf(o, TS_DIM, "The totals agree with smaps_rollup%s.\n",
			    rounded ? " (smaps rounds Pss down per mapping, the rollup once)" : "");
	} else {
		char buf[512];
		size_t len = 0;

		for (k = 0; k < ML_MS__COUNT; k++) {
			if (!((chk->differing >> k) & 1))
				continue;
			len += (size_t)snprintf(
				buf + len, sizeof buf - len, "%s%s %s%s", len ? ", " : "",
				ml_ms_title((enum ml_ms)k), chk->diff[k] >= 0 ? "+" : "",
				text_ssize((char[32]){ 0 }, 32, chk->diff[k], &o->units));
			if (len >= sizeof buf)
				break;
		}
		text_printf(o, TS_WARN,
			    "smaps_rollup differs from the totals (%s): the process changed "
			    "between the two reads.\n",
			    buf);
	}
}

static void
kinds_words(char *buf, size_t cap, uint32_t kinds)
{
	static const char *const word[ML_MK__COUNT] = {
		[ML_MK_HEAP] = "heap",        [ML_MK_ANON] = "anon",
		[ML_MK_STACK] = "stack",      [ML_MK_FILE_CODE] = "code",
		[ML_MK_FILE_DATA] = "data",   [ML_MK_FILE_RO] = "ro",
		[ML_MK_SHMEM] = "shmem",      [ML_MK_HUGETLB] = "hugetlb",
		[ML_MK_NAMED_ANON] = "named", [ML_MK_SPECIAL] = "special",
	};
	size_t len = 0;
	int k;

	buf[0] = '\0';
	for (k = 0; k < ML_MK__COUNT && len < cap; k++)
		if ((kinds >> k) & 1)
			len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? "," : "",
						word[k]);
}

/*
 * Files shown: --limit N (0: all); without it FILES_TEXT_LIMIT in text (like
 * slab and vmalloc), all of them in JSON (streamed: memory does not grow).
 */
static size_t
files_shown(const struct maps_cmd *m, size_t n)
{
	long lim = m->ctx->limit;

	if (lim < 0 && m->ctx->json == ML_JSON_OFF)
		lim = FILES_TEXT_LIMIT;
	return lim > 0 && (size_t)lim < n ? (size_t)lim : n;
}

/* A row's name in the File column: the file, or what a group of mappings is. */
static const char *
file_label(char *buf, size_t cap, const struct ml_mapfile *f)
{
	char name[64];

	switch (f->group) {
	case ML_MF_SHARED_ANON:
		snprintf(buf, cap, "[shared anonymous: %s]",
			 printable(name, sizeof name, f->name, f->name_len, f->deleted));
		return buf;
	case ML_MF_SYSV_PRIVATE:
		snprintf(buf, cap, "[SysV shm, IPC_PRIVATE: %s]",
			 printable(name, sizeof name, f->name, f->name_len, f->deleted));
		return buf;
	default:
		return printable(buf, cap, f->name, f->name_len, f->deleted);
	}
}

static int
files_text(struct maps_cmd *m, enum ml_ms by)
{
	const struct text_out *o = &m->ctx->text;
	const struct ml_mapfile **f = NULL;
	size_t nms = 5, k, i, n; /* Size Rss Pss USS Swap */
	long nf = ml_mapsum_files(&m->sum, by, m->ctx->sort_reverse, &f);
	struct text_table *t;
	char name[ML_LINE_MAX * 4 + 16], kinds[128];

	if (nf < 0) {
		cmd_error("%s", strerror(errno));
		return 1;
	}
	if (nf == 0) {
		free(f);
		return 0;
	}
	n = files_shown(m, (size_t)nf);
	t = text_table_new((unsigned int)(nms + 3));
	text_table_col(t, 0, "Maps", TA_RIGHT);
	for (k = 0; k < nms; k++)
		text_table_col(t, (unsigned int)(k + 1), ml_ms_title(table_ms[k]), TA_RIGHT);
	text_table_col(t, (unsigned int)(nms + 1), "Kinds", TA_LEFT);
	text_table_col(t, (unsigned int)(nms + 2), "File", TA_LEFT);
	for (i = 0; i < n; i++) {
		text_table_row(t, TS_NONE);
		text_table_cell(t, "%llu", (unsigned long long)f[i]->sum.maps);
		sum_cells(t, o, &f[i]->sum, nms);
		kinds_words(kinds, sizeof kinds, f[i]->kinds);
		text_table_cell(t, "%s", kinds);
		text_table_cell(t, "%s", file_label(name, sizeof name, f[i]));
	}
	text_printf(o, TS_HEADER, "\nMapped files, by %s%s",
		    by == ML_MS__COUNT ? "name" : ml_ms_title(by), n < (size_t)nf ? "" : "\n");
	/* Cut by the default limit: say how many more, and how to see them. */
	if (n < (size_t)nf && m->ctx->limit < 0)
		text_printf(o, TS_DIM, " (%zu of %ld; %ld more with --limit 0)\n", n, nf,
			    nf - (long)n);
	else if (n < (size_t)nf)
		text_printf(o, TS_DIM, " (%zu of %ld)\n", n, nf);
	text_table_print(t, o, 0);
	text_table_free(t);
	free(f);
	return 0;
}

static void
process_line(struct maps_cmd *m)
{
	const struct text_out *o = &m->ctx->text;
	const struct ml_proc *p = m->proc;

	text_printf(o, TS_BOLD, "Process %d (%s)", p->pid, p->comm);
	if (p->ppid >= 0)
		fprintf(o->f, "  user %s  ppid %d  state %c", p->user, p->ppid, p->state);
	else
		fprintf(o->f, "  user %s  ppid ?  state %c", p->user, p->state);
	if (p->cmdline[0] != '\0') {
		char buf[256];

		text_printf(o, TS_DIM, "\n  %s",
			    printable(buf, sizeof buf, p->cmdline, strlen(p->cmdline), false));
	}
	fputc('\n', o->f);
}

static void
json_msum(struct json_node *o, const struct ml_msum *s)
{
	int k;

	json_add_u64(o, "mappings", s->maps);
	for (k = 0; k < ML_MS__COUNT; k++) {
		if (ml_msum_has(s, (enum ml_ms)k))
			json_add_u64(o, ml_ms_key((enum ml_ms)k), s->v[k]);
		else
			json_add_null(o, ml_ms_key((enum ml_ms)k));
	}
}

static struct json_node *
json_head(struct maps_cmd *m)
{
	struct json_node *doc = json_doc_new("maps", &m->si), *p, *r;
	const struct ml_proc *pr = m->proc;

	json_add_u64(doc, "pid", (uint64_t)m->pid);
	p = json_add_object(doc, "process");
	json_add_u64(p, "pid", (uint64_t)pr->pid);
	if (pr->ppid >= 0)
		json_add_u64(p, "ppid", (uint64_t)pr->ppid);
	else
		json_add_null(p, "ppid");
	json_add_string(p, "user", pr->uid_known ? pr->user : NULL);
	if (pr->uid_known)
		json_add_u64(p, "uid", pr->uid);
	else
		json_add_null(p, "uid");
	json_add_stringn(p, "state", &pr->state, 1);
	json_add_string(p, "command", pr->comm_known ? pr->comm : NULL);
	json_add_string(p, "cmdline", pr->cmdline_known ? pr->cmdline : NULL);
	if (m->have_roll) {
		r = json_add_object(doc, "smaps_rollup");
		json_vma(r, &m->roll.vma);
		json_fields(json_add_object(r, "fields"), &m->roll.f);
	} else {
		json_add_null(doc, "smaps_rollup");
	}
	json_add_string(doc, "smaps_rollup_missing", m->have_roll ? NULL : m->roll_missing);
	r = json_add_array(doc, "missing");
	cmd_json_missing(r, m->ctx, m->tab.pids.no_status, m->tab.pids.no_status_rel,
			 "name, user and state");
	cmd_json_missing(r, m->ctx, m->tab.pids.no_cmdline, m->tab.pids.no_cmdline_rel,
			 "command line");
	return doc;
}

/* The sums of s as members of the open row. */
static void
row_msum(struct json_stream *js, const struct ml_msum *s)
{
	int k;

	json_row_u64(js, "mappings", s->maps);
	for (k = 0; k < ML_MS__COUNT; k++) {
		if (ml_msum_has(s, (enum ml_ms)k))
			json_row_u64(js, ml_ms_key((enum ml_ms)k), s->v[k]);
		else
			json_row_null(js, ml_ms_key((enum ml_ms)k));
	}
}

/*
 * Everything after the mappings: kinds, then the files streamed one row at a
 * time (a process can map tens of thousands), then totals, the rollup check
 * and tail's members (error, parse_errors); the document is closed.
 */
static int
json_rest(struct maps_cmd *m, struct json_node *tail, const struct ml_rollup_check *chk,
	  enum ml_ms by)
{
	const struct ml_mapfile **f = NULL;
	struct json_stream *js = m->js;
	struct json_node *kinds, *arr, *o, *d, *end;
	long nf;
	size_t i, n;
	int k, rc;
	char buf[24];

	kinds = json_object_new();
	arr = json_add_array(kinds, "kinds");
	for (k = 0; k < ML_MK__COUNT; k++) {
		o = json_array_add_object(arr);
		json_add_string(o, "kind", ml_map_kind_key((enum ml_map_kind)k));
		json_add_string(o, "title", ml_map_kind_title((enum ml_map_kind)k));
		json_msum(o, &m->sum.kind[k]);
	}
	json_stream_members(js, kinds);
	json_stream_array_begin(js, "files");
	nf = ml_mapsum_files(&m->sum, by, m->ctx->sort_reverse, &f);
	n = nf > 0 ? files_shown(m, (size_t)nf) : 0;
	for (i = 0; i < n; i++) {
		const char *group = ml_mapfile_group_key(f[i]->group);

		json_row_begin(js);
		json_row_string(js, "name", f[i]->name, f[i]->name_len);
		json_row_bool(js, "deleted", f[i]->deleted);
		json_row_string(js, "dev", buf, dev_text(buf, f[i]->dev_major, f[i]->dev_minor));
		if (f[i]->group == ML_MF_FILE)
			json_row_u64(js, "inode", f[i]->inode);
		else
			json_row_null(js, "inode");
		json_row_string(js, "group", group, group != NULL ? strlen(group) : 0);
		json_row_array_begin(js, "kinds");
		for (k = 0; k < ML_MK__COUNT; k++)
			if ((f[i]->kinds >> k) & 1)
				json_row_array_string(js, ml_map_kind_key((enum ml_map_kind)k),
						      strlen(ml_map_kind_key((enum ml_map_kind)k)));
		json_row_array_end(js);
		row_msum(js, &f[i]->sum);
		json_row_end(js);
	}
	free(f);
	json_stream_array_end(js);
	end = json_object_new();
	json_msum(json_add_object(end, "totals"), &m->sum.total);
	o = json_add_object(end, "rollup_check");
	json_add_bool(o, "compared", chk->compared);
	json_add_bool(o, "agrees", chk->agrees);
	d = json_add_object(o, "differences");
	for (k = 0; k < ML_MS__COUNT; k++)
		if ((chk->compared_fields >> k) & 1)
			json_add_i64(d, ml_ms_key((enum ml_ms)k), chk->diff[k]);
	json_stream_members(js, end);
	rc = json_stream_end(js, tail);
	m->js = NULL;
	return rc;
}

static enum ml_ms
files_by(const struct ml_ctx *ctx)
{
	int m = ml_mapfile_sort_measure(ctx->sort != NULL ? ctx->sort : ml_mapfile_sort_keys[0]);

	return m < 0 ? ML_MS_PSS : (enum ml_ms)m;
}

static int
maps_run(struct maps_cmd *m)
{
	struct ml_ctx *ctx = m->ctx;
	struct ml_rollup_check chk;
	enum ml_ms by = files_by(ctx);
	char *cause = NULL;
	int rc = 0, err = 0;
	struct json_node *tail, *errs;

	if ((rc = read_rollup(m)) != 0)
		return rc;
	if (m->smaps_err != 0)
		return no_memory(m, m->smaps_err, m->smaps_cause);
	ml_sysinfo_read(&m->si, &ctx->fs);
	m->addr_width = m->have_roll ? digits_hex(m->roll.vma.end) : 12;
	if (m->addr_width < 8)
		m->addr_width = 8;
	ml_mapsum_begin(&m->sum);
	if ((m->ra_started ? ml_readahead_finish(&m->ra, &m->smaps, &cause)
			   : ml_reader_refresh(&m->sreader, &m->smaps, &cause)) != 0) {
		err = errno;
		rc = 1;
	}
	m->ra_started = false;
	if (rc == 0 && m->sum.records == 0) {
		/* A zombie, or a process that exited while we read. */
		cmd_error("process %d (%s) has no user memory (%s)", m->pid, m->proc->comm,
			  m->proc->state == 'Z' ? "a zombie" : "no mappings left");
		return 1;
	}
	if (!m->begun && rc != 0) {
		cmd_read_error(cause, err, hint_perm());
		free(cause);
		return rc;
	}
	begin_output(m);
	if (m->have_roll)
		ml_mapsum_check_rollup(&m->sum, &m->roll.f, &chk);
	else
		memset(&chk, 0, sizeof chk);

	if (ctx->json != ML_JSON_OFF) {
		/* With --all the mappings were streamed; otherwise the document starts now. */
		if (m->all) {
			json_stream_array_end(m->js);
		} else {
			struct json_node *head = json_head(m);

			json_add_null(head, "mappings");
			m->js = json_stream_doc_begin(head, stdout, ctx->json == ML_JSON_PRETTY);
		}
		tail = json_object_new();
		json_add_string(tail, "error", rc != 0 ? cause : NULL);
		errs = json_add_array(tail, "parse_errors");
		cmd_json_bad_lines(errs, ctx, m->srel, ml_reader_stats(&m->sreader));
		/* The rollup's and status's bad lines too, as on stderr. */
		if (m->rready)
			cmd_json_bad_lines(errs, ctx, m->rrel, ml_reader_stats(&m->rreader));
		if (m->tab.pids.bad_status_files > 0)
			cmd_json_bad_lines(errs, ctx, m->tab.pids.bad_status_rel,
					   &m->tab.pids.bad_status);
		if (json_rest(m, tail, &chk, by) != 0 && rc == 0) {
			cmd_error("cannot build the JSON document: %s", strerror(errno));
			rc = 1;
		}
	} else {
		if (m->all) {
			const struct text_out *o = &ctx->text;
			size_t k;

			text_printf(o, TS_BOLD, "%*s %-4s %8s %-7s %10s", m->addr_width, "total",
				    "", "", "", "");
			for (k = 0; k < ML_ARRAY_SIZE(table_ms) - 1; k++) {
				if (ml_msum_has(&m->sum.total, table_ms[k]))
					text_printf(
						o, TS_BOLD, " %9s",
						text_sz(&o->units, m->sum.total.v[table_ms[k]]));
				else
					text_printf(o, TS_BOLD, " %9s", "n/a");
			}
			fprintf(o->f, " %llu mappings\n", (unsigned long long)m->sum.total.maps);
		}
		if (rc == 0) {
			kinds_text(m, &chk);
			if (files_text(m, by) != 0)
				rc = 1;
		}
		cmd_warn_bad_lines(ctx, m->srel, ml_reader_stats(&m->sreader));
	}
	if (rc != 0 && err != 0)
		cmd_read_error(cause, err, hint_perm());
	free(cause);
	return rc;
}

static int
cmd_maps_exec(struct ml_ctx *ctx, const struct ml_cmd_args *args)
{
	extern const struct ml_cmd_entry cmd_maps_entry;
	struct maps_cmd *m;
	char *cause = NULL;
	int i, rc = 0, pid;
	bool numa = false;

	pid = ml_pid_parse(args->argv[0]);
	if (pid < 0)
		return cmd_usage_error(&cmd_maps_entry, "invalid PID '%s'", args->argv[0]);
	m = ml_xcalloc(1, sizeof *m);
	m->ctx = ctx;
	m->pid = pid;
	for (i = 0; i < args->nopts; i++) {
		if (args->opts[i].id == OPT_ALL)
			m->all = true;
		else if (args->opts[i].id == OPT_NUMA)
			numa = true;
	}
	m->rreader.fd = -1;
	m->sreader.fd = -1;
	ml_readahead_init(&m->ra);
	ml_smaps_rollup_init(&m->roll);
	ml_smaps_init(&m->smaps, on_record, m);
	ml_mapsum_init(&m->sum);
	if (!numa)
		start_smaps(m);
	/*
	 * One process: its identity from PID/status and PID/cmdline (two small
	 * files) rather than libproc2, whose set-up (a dlopen search for libnuma,
	 * the first select) costs more than reading them (0.4 ms vs 0.04 ms).
	 */
	if (ml_proctab_init(&m->tab, &ctx->fs, ML_PIDS_DIR, &cause) != 0) {
		cmd_error("%s", cause);
		rc = 1;
	} else if ((m->proc = ml_proctab_get(&m->tab, pid, &cause)) == NULL) {
		if (errno == ESRCH)
			cmd_error("no process %d (in %s)", pid, ctx->fs.root);
		else
			cmd_read_error(cause, errno, hint_perm());
		rc = 1;
	} else {
		/* Its status had bad lines: the identity was read around them. */
		if (m->tab.pids.bad_status_files > 0)
			cmd_warn_bad_lines(ctx, m->tab.pids.bad_status_rel,
					   &m->tab.pids.bad_status);
		/* A copied tree without its status or cmdline: shown, and said so. */
		cmd_warn_missing(ctx, m->tab.pids.no_status, m->tab.pids.no_status_rel,
				 "name, user and state");
		cmd_warn_missing(ctx, m->tab.pids.no_cmdline, m->tab.pids.no_cmdline_rel,
				 "command line");
		if (m->proc->kthread) {
			cmd_error("process %d (%s) is a kernel thread: it has no user memory", pid,
				  m->proc->comm);
			rc = 1;
		} else if (m->proc->state == 'Z') {
			cmd_error("process %d (%s) has no user memory (a zombie)", pid,
				  m->proc->comm);
			rc = 1;
		} else if (numa) {
			rc = cmd_maps_numa(ctx, m->proc, hint_perm());
		} else {
			/* With -i/-n, the same process again until it exits. */
			while (rc == 0 && cmd_next_report(ctx)) {
				m->begun = false;
				rc = maps_run(m);
			}
		}
	}
	free(cause);
	ml_readahead_release(&m->ra); /* stops the thread first when it still runs */
	if (m->rready)
		ml_reader_release(&m->rreader);
	if (m->sready)
		ml_reader_release(&m->sreader);
	free(m->smaps_cause);
	ml_smaps_rollup_release(&m->roll);
	ml_smaps_release(&m->smaps);
	ml_mapsum_release(&m->sum);
	ml_proctab_release(&m->tab);
	free(m);
	return rc;
}

const struct ml_cmd_entry cmd_maps_entry = {
	.name = "maps",
	.args = "PID",
	.min_args = 1,
	.max_args = 1,
	.summary = "one process's memory by kind of mapping and by file",
	.help = "Reads /proc/PID/smaps and sums its mappings by kind: heap ([heap], brk),\n"
		"anonymous private (mmap'd malloc arenas, thread stacks), main stack, file-backed\n"
		"code / data / read-only, shared memory (shmem, SysV, memfd, /dev/zero),\n"
		"hugetlb, named anonymous and special, then by mapped file: Size, Rss, Pss, USS\n"
		"(private clean + dirty), Swap, SwapPss, AnonHugePages and Locked. The totals\n"
		"are checked against /proc/PID/smaps_rollup. --sort and --limit order and cut\n"
		"the table of files. With -i/-n the same process is read again until it exits.",
	.options = maps_options,
	.sort_keys = ml_mapfile_sort_keys,
	.flags = ML_CMD_SORT | ML_CMD_REPEAT,
	.exec = cmd_maps_exec,
};

/*
 * memlens capture: every file memlens reads, bytes verbatim, into a
 * directory or an archive that every command reads back with --capture
 * (and diff compares). The engine and the table of files are in
 * src/proc/capture.c; this file wires the options, the manifest (through
 * the JSON renderer), the signals, and says what happened.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "model/pagesize.h"
#include "proc/capture.h"
#include "proc/live.h"
#include "proc/manifest.h"
#include "proc/pids.h"
#include "xalloc.h"

enum { OPT_OUTPUT = 1, OPT_PIDS, OPT_SMAPS };

extern const struct ml_cmd_entry cmd_capture_entry;

static void
on_stop(int sig)
{
	(void)sig;
	ml_stop_requested = 1;
}

/* "2026-11-22T03:00:00Z" for t, in buf. */
static const char *
iso_utc(char *buf, size_t cap, time_t t, const char *fmt)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, cap, fmt, &tm) == 0)
		snprintf(buf, cap, "unknown");
	return buf;
}

static double
ts_seconds(const struct timespec *t)
{
	return (double)t->tv_sec + (double)t->tv_nsec / 1e9;
}

/* The default name: memlens-HOST-YYYYmmddTHHMMSSZ.tar.gz, the host made safe for a file name. */
static char *
default_name(const char *host, time_t when)
{
	char stamp[32], safe[64];
	size_t i, n = 0;

	for (i = 0; host[i] != '\0' && n + 1 < sizeof safe; i++) {
		char c = host[i];

		safe[n++] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
					    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
					    c == '_'
				    ? c
				    : '_';
	}
	safe[n] = '\0';
	return ml_xasprintf("memlens-%s-%s.tar.gz", n > 0 ? safe : "unknown",
			    iso_utc(stamp, sizeof stamp, when, "%Y%m%dT%H%M%SZ"));
}

/* Parse --pids: all, none, or a comma-separated list of PIDs. */
static int
parse_pids(const char *arg, struct ml_capture_options *o, int **pidv)
{
	char *copy, *tok, *save = NULL;
	size_t n = 0;
	int pid;

	if (strcmp(arg, "all") == 0) {
		o->pids = ML_CAP_PIDS_ALL;
		return 0;
	}
	if (strcmp(arg, "none") == 0) {
		o->pids = ML_CAP_PIDS_NONE;
		return 0;
	}
	copy = ml_xstrdup(arg);
	*pidv = ml_xcalloc(strlen(arg) / 2 + 1, sizeof **pidv);
	for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if ((pid = ml_pid_parse(tok)) < 0) {
			free(copy);
			return -1;
		}
		(*pidv)[n++] = pid;
	}
	free(copy);
	if (n == 0)
		return -1;
	o->pids = ML_CAP_PIDS_LIST;
	o->pidv = *pidv;
	o->npid = n;
	return 0;
}

/* The manifest as JSON text (doc/schema/capture-manifest.schema.json); NULL on ENOMEM. */
static char *
manifest_text(const struct ml_manifest *mf, size_t *len)
{
	struct json_node *doc = json_object_new(), *t, *o, *arr, *row;
	char *text = NULL, mode[16];
	size_t i;
	FILE *f;

	json_add_u64(doc, "manifest_schema", ML_MANIFEST_SCHEMA);
	json_add_string(doc, "memlens_version", mf->memlens_version);
	json_add_string(doc, "host", mf->host);
	json_add_string(doc, "kernel_release", mf->kernel_release);
	json_add_string(doc, "boot_id", mf->boot_id);
	if (mf->page_size != 0)
		json_add_u64(doc, "page_size", mf->page_size);
	else
		json_add_null(doc, "page_size");
	json_add_u64(doc, "euid", mf->euid);
	t = json_add_object(doc, "time");
	json_add_string(t, "wall_start", mf->wall_start);
	json_add_string(t, "wall_end", mf->wall_end);
	json_add_double(t, "unix_start", mf->unix_start);
	json_add_double(t, "unix_end", mf->unix_end);
	json_add_double(t, "monotonic_start", mf->mono_start);
	json_add_double(t, "monotonic_end", mf->mono_end);
	o = json_add_object(doc, "options");
	json_add_string(o, "pids", mf->pids);
	json_add_string(o, "smaps", mf->smaps);
	arr = json_add_array(doc, "files");
	for (i = 0; i < mf->nfiles; i++) {
		const struct ml_manifest_file *e = &mf->files[i];

		row = json_array_add_object(arr);
		json_add_string(row, "path", e->path);
		json_add_u64(row, "size", e->size);
		if (e->err != 0) {
			json_add_string(row, "errno",
					ml_errno_name(e->err) != NULL ? ml_errno_name(e->err)
								      : "EIO");
			json_add_string(row, "error", e->error);
			if (e->mode != 0) {
				snprintf(mode, sizeof mode, "%04o", e->mode);
				json_add_string(row, "mode", mode);
			}
		}
	}
	f = open_memstream(&text, len);
	if (f == NULL) {
		json_free(doc);
		return NULL;
	}
	if (json_print(doc, f, true) != 0) {
		fclose(f);
		free(text);
		json_free(doc);
		return NULL;
	}
	json_free(doc);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* Read a small file of the proc root into a fresh string, or NULL. */
static char *
small(const struct ml_procfs *fs, const char *rel)
{
	char buf[256];

	return ml_procfs_read_small(fs, rel, buf, sizeof buf, NULL) > 0 ? ml_xstrdup(buf) : NULL;
}

/* The table entry of a file in each entry of a directory ("sys/kernel/slab/X/reclaim_account"). */
static const struct ml_capture_item *
per_dir_item(const char *path)
{
	size_t k, n, d, p;

	for (k = 0; k < ml_capture_nitems; k++) {
		const struct ml_capture_item *it = &ml_capture_items[k];
		const char *top = it->root == ML_CAP_PROC ? "proc/" : "sys/";

		if (it->kind != ML_CAP_PER_DIR)
			continue;
		n = strlen(path);
		d = strlen(it->dir);
		p = strlen(it->path);
		if (strncmp(path, top, strlen(top)) == 0 &&
		    strncmp(path + strlen(top), it->dir, d) == 0 && path[strlen(top) + d] == '/' &&
		    n > p + 1 && strcmp(path + n - p, it->path) == 0 && path[n - p - 1] == '/')
			return it;
	}
	return NULL;
}

/* What could not be read, in a few lines: the kernel files by name, the processes' counted. */
static void
print_unread(const struct ml_ctx *ctx, const struct ml_manifest *mf)
{
	const struct text_out *o = &ctx->text;
	size_t i, k, denied = 0, gone = 0, nomem = 0, other = 0, absent = 0;
	bool any = false;

	for (i = 0; i < mf->nfiles; i++) {
		const struct ml_manifest_file *e = &mf->files[i];
		const char *rel = e->path;

		if (e->err == 0)
			continue;
		if (strncmp(rel, "proc/", 5) == 0 && rel[5] >= '1' && rel[5] <= '9') {
			if (e->err == EACCES || e->err == EPERM)
				denied++;
			else if (e->err == ENOENT)
				gone++;
			else if (e->err == ESRCH)
				nomem++;
			else
				other++;
			continue;
		}
		if (e->err == ENOENT) {
			absent++;
			continue;
		}
		if (per_dir_item(rel) != NULL)
			continue; /* counted below, per table entry */
		if (!any)
			text_printf(o, TS_HEADER, "Not readable\n");
		any = true;
		fprintf(o->f, "  %s: %s%s\n", rel, e->error != NULL ? e->error : "?",
			e->err == EACCES || e->err == EPERM ? " (run as root)" : "");
	}
	/* The files of each entry of a directory (a slab cache's sysfs): one line each. */
	for (k = 0; k < ml_capture_nitems; k++) {
		const struct ml_capture_item *it = &ml_capture_items[k];
		size_t n = 0, n_denied = 0;

		if (it->kind != ML_CAP_PER_DIR)
			continue;
		for (i = 0; i < mf->nfiles; i++) {
			const struct ml_manifest_file *e = &mf->files[i];

			if (e->err == 0 || e->err == ENOENT || per_dir_item(e->path) != it)
				continue;
			n++;
			n_denied += e->err == EACCES || e->err == EPERM;
		}
		if (n == 0)
			continue;
		if (!any)
			text_printf(o, TS_HEADER, "Not readable\n");
		any = true;
		fprintf(o->f, "  %s/%s/*/%s: %zu file%s%s\n",
			it->root == ML_CAP_PROC ? "proc" : "sys", it->dir, it->path, n,
			n == 1 ? "" : "s",
			n_denied == n ? ", permission denied (run as root)" : "");
	}
	if (denied + gone + nomem + other > 0) {
		if (!any)
			text_printf(o, TS_HEADER, "Not readable\n");
		const char *sep = "";

		fprintf(o->f, "  processes' files:");
		if (denied > 0) {
			fprintf(o->f, "%s %zu permission denied (other users': run as root)", sep,
				denied);
			sep = ",";
		}
		if (nomem > 0) {
			fprintf(o->f, "%s %zu without user memory (kernel threads)", sep, nomem);
			sep = ",";
		}
		if (gone > 0) {
			fprintf(o->f, "%s %zu gone (exited while captured)", sep, gone);
			sep = ",";
		}
		if (other > 0)
			fprintf(o->f, "%s %zu other errors", sep, other);
		fputc('\n', o->f);
	}
	if (absent > 0)
		text_printf(o, TS_DIM, "  %zu file%s this kernel does not have\n", absent,
			    absent == 1 ? "" : "s");
	text_printf(o, TS_DIM, "  (every file tried, and why it could not be read: %s)\n",
		    ML_MANIFEST_NAME);
}

static int
cmd_capture_exec(struct ml_ctx *ctx, const struct ml_cmd_args *args)
{
	const struct ml_cmd_entry *e = &cmd_capture_entry;
	struct ml_capture_options opt = { .pids = ML_CAP_PIDS_ALL, .stop = &ml_stop_requested };
	struct ml_capture_out out;
	struct ml_manifest mf;
	struct ml_page_size ps;
	struct timespec wall0, mono0, wall1, mono1;
	struct sigaction sa;
	const char *output = NULL, *pids_arg = "all";
	char *path = NULL, *cause = NULL, *text, when[40];
	int *pidv = NULL, i, rc = 0;
	size_t len;

	for (i = 0; i < args->nopts; i++) {
		const char *arg = args->opts[i].arg;

		switch (args->opts[i].id) {
		case OPT_OUTPUT:
			if (arg[0] == '\0')
				return cmd_usage_error(e, "-o needs a path");
			output = arg;
			break;
		case OPT_PIDS:
			free(pidv);
			pidv = NULL;
			if (parse_pids(arg, &opt, &pidv) != 0) {
				free(pidv);
				return cmd_usage_error(
					e, "invalid --pids '%s' (use all, none or PIDs: 1,42,4242)",
					arg);
			}
			pids_arg = arg;
			break;
		case OPT_SMAPS:
			if (strcmp(arg, "rollup") != 0 && strcmp(arg, "full") != 0) {
				free(pidv);
				return cmd_usage_error(
					e, "invalid --smaps '%s' (use rollup or full)", arg);
			}
			opt.smaps_full = strcmp(arg, "full") == 0;
			break;
		}
	}

	ml_manifest_init(&mf);
	clock_gettime(CLOCK_REALTIME, &wall0);
	clock_gettime(CLOCK_MONOTONIC, &mono0);
	mf.host = small(&ctx->fs, "sys/kernel/hostname");
	if (mf.host == NULL) {
		char h[256];

		/* A tree without it: the name of the machine memlens runs on is no better. */
		mf.host = ml_xstrdup(gethostname(h, sizeof h) == 0 && ml_procfs_is_live(&ctx->fs)
					     ? h
					     : "unknown");
	}
	path = output != NULL ? ml_xstrdup(output) : default_name(mf.host, wall0.tv_sec);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	if (ml_capture_out_open(&out, path, wall0.tv_sec, &cause) != 0) {
		cmd_error("%s", cause);
		rc = 1;
		goto done;
	}
	if (ml_capture_files(&ctx->fs, &ctx->sysfs, &opt, &out, &mf, &cause) != 0) {
		if (errno == EINTR)
			cmd_error("interrupted: nothing was written to %s", path);
		else
			cmd_error("%s; nothing was written to %s", cause, path);
		ml_capture_out_abort(&out);
		rc = 1;
		goto done;
	}
	clock_gettime(CLOCK_REALTIME, &wall1);
	clock_gettime(CLOCK_MONOTONIC, &mono1);
	mf.schema = ML_MANIFEST_SCHEMA;
	mf.memlens_version = ml_xstrdup(PACKAGE_VERSION);
	mf.kernel_release = small(&ctx->fs, "sys/kernel/osrelease");
	mf.boot_id = small(&ctx->fs, "sys/kernel/random/boot_id");
	ml_page_size_find(&ps, &ctx->fs);
	mf.page_size = ps.bytes;
	ml_page_size_release(&ps);
	mf.euid_known = true;
	mf.euid = (uint32_t)geteuid();
	mf.wall_start = ml_xstrdup(iso_utc(when, sizeof when, wall0.tv_sec, "%Y-%m-%dT%H:%M:%SZ"));
	mf.wall_end = ml_xstrdup(iso_utc(when, sizeof when, wall1.tv_sec, "%Y-%m-%dT%H:%M:%SZ"));
	mf.unix_start = ts_seconds(&wall0);
	mf.unix_end = ts_seconds(&wall1);
	mf.mono_start = ts_seconds(&mono0);
	mf.mono_end = ts_seconds(&mono1);
	mf.pids = ml_xstrdup(pids_arg);
	mf.smaps = ml_xstrdup(opt.smaps_full ? "full" : "rollup");
	text = manifest_text(&mf, &len);
	if (text == NULL) {
		cmd_error("cannot build the manifest: %s; nothing was written to %s",
			  strerror(ENOMEM), path);
		ml_capture_out_abort(&out);
		rc = 1;
		goto done;
	}
	if (ml_stop_requested ||
	    ml_capture_out_add(&out, ML_MANIFEST_NAME, text, len, &cause) != 0 ||
	    ml_stop_requested || ml_capture_out_commit(&out, &cause) != 0) {
		if (ml_stop_requested)
			cmd_error("interrupted: nothing was written to %s", path);
		else
			cmd_error("%s; nothing was written to %s", cause, path);
		free(text);
		ml_capture_out_abort(&out);
		rc = 1;
		goto done;
	}
	free(text);
	{
		const struct text_out *o = &ctx->text;
		size_t nread = 0;
		uint64_t bytes = 0;

		for (i = 0; (size_t)i < mf.nfiles; i++)
			if (mf.files[i].err == 0) {
				nread++;
				bytes += mf.files[i].size;
			}
		text_printf(o, TS_HEADER, "Captured");
		fprintf(o->f, " %s (Linux %s) to %s\n", mf.host,
			mf.kernel_release != NULL ? mf.kernel_release : "unknown", path);
		fprintf(o->f, "  %zu files, %s, in %.2f s\n", nread, text_sz(&o->units, bytes),
			mf.unix_end - mf.unix_start);
		print_unread(ctx, &mf);
		if (ml_capture_sys_foreign(&ctx->fs, &ctx->sysfs))
			text_printf(
				o, TS_DIM,
				"  %s is this machine's sysfs, not the proc root's: not captured "
				"(see --sys-root)\n",
				ctx->sysfs.root);
		text_printf(o, TS_DIM, "Read it with: memlens --capture %s [COMMAND]\n", path);
	}
done:
	ml_manifest_release(&mf);
	free(cause);
	free(path);
	free(pidv);
	return rc;
}

static const struct ml_cmd_option capture_options[] = {
	{ "output", 'o', "PATH",
	  "write to PATH: a directory, or an archive by its suffix (.tar, .tar.gz, .tar.zst, "
	  ".tar.xz); default memlens-HOST-TIME.tar.gz here",
	  OPT_OUTPUT },
	{ "pids", 0, "WHICH", "processes to capture: all (default), none, or PIDs (1,42,4242)",
	  OPT_PIDS },
	{ "smaps", 0, "WHAT", "per process: rollup (smaps_rollup, default) or full (smaps too)",
	  OPT_SMAPS },
	{ NULL, 0, NULL, NULL, 0 },
};

const struct ml_cmd_entry cmd_capture_entry = {
	.name = "capture",
	.summary = "save every file memlens reads, verbatim, to a directory or an archive",
	.help = "Copies the files every command reads (meminfo, vmstat, buddyinfo, zoneinfo,\n"
		"pagetypeinfo, slabinfo, vmallocinfo, pressure/memory, each process's stat,\n"
		"status, cmdline and smaps_rollup, and the sysfs files of the slab caches)\n"
		"byte for byte, with a manifest (memlens-capture.json) that says where and\n"
		"when, and for every file it could not read, why. Read it back with\n"
		"'memlens --capture PATH COMMAND', compare two with 'memlens diff A B'.\n"
		"It is written under a temporary name and renamed at the end: an interrupted\n"
		"or failed capture leaves nothing under PATH. As a user, root-only files are\n"
		"recorded as unreadable (EACCES), not left out. See doc/capture.md.",
	.max_args = 0,
	.options = capture_options,
	.flags = ML_CMD_NO_JSON,
	.exec = cmd_capture_exec,
};

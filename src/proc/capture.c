/*
 * Capturing a proc tree; see capture.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compat.h"
#include "proc/capture.h"
#include "proc/cgroup.h"
#include "proc/live.h"
#include "proc/pids.h"
#include "util.h"

/* The longest path taken below a root (a deep cgroup's file). */
#define ML_CAP_PATH_MAX 4096

/* SLUB's own directories (":a-0000192") are what the cache names link to: no name reads them. */
static bool
slab_cache_dir(const char *name)
{
	return name[0] != ':';
}

static bool
starts(const char *name, const char *prefix)
{
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

/* devices/system/node: the node directories and the node lists (online, has_memory...). */
static bool
node_entry(const char *name)
{
	return (starts(name, "node") && name[4] >= '0' && name[4] <= '9') || !starts(name, "node");
}

/* kernel/mm: what numa, huge and explain read (not page_idle/bitmap, lru_gen, ...). */
static bool
mm_entry(const char *name)
{
	return strcmp(name, "hugepages") == 0 || strcmp(name, "transparent_hugepage") == 0 ||
	       strcmp(name, "ksm") == 0;
}

static bool
zram_entry(const char *name)
{
	return starts(name, "zram");
}

/*
 * Every file memlens reads, and who reads it. A later view adds its files
 * here, one line each (doc/capture.md lists them from this table).
 */
const struct ml_capture_item ml_capture_items[] = {
	{ ML_CAP_PROC, ML_CAP_FILE, NULL, NULL, "meminfo", 0, "every command", 0 },
	{ ML_CAP_PROC, ML_CAP_FILE, NULL, NULL, "vmstat", 0, "summary, top, page size", 0 },
	{ ML_CAP_PROC, ML_CAP_FILE, NULL, NULL, "buddyinfo", 0, "buddy, summary, top", 0 },
	{ ML_CAP_PROC, ML_CAP_FILE, NULL, NULL, "zoneinfo", 0, "zones, summary, top", 0 },
	{ ML_CAP_PROC, ML_CAP_FILE, NULL, NULL, "pagetypeinfo", 0, "buddy --types", 0 },
	{ ML_CAP_PROC, ML_CAP_FILE, NULL, NULL, "slabinfo", 0, "slab, summary, top", 0 },
	{ ML_CAP_PROC, ML_CAP_FILE, NULL, NULL, "vmallocinfo", 0, "vmalloc, summary, top", 0 },
	{ ML_CAP_PROC, ML_CAP_FILE, NULL, NULL, "pressure/memory", 0, "top", 0 },
	{ ML_CAP_PROC, ML_CAP_FILE, NULL, NULL, "self/mountinfo", 0,
	  "cgroups (where the hierarchies are)", 0 },
	{ ML_CAP_PROC, ML_CAP_FILE, NULL, NULL, "sys/kernel/osrelease", 0, "every header", 0 },
	{ ML_CAP_PROC, ML_CAP_FILE, NULL, NULL, "sys/kernel/hostname", 0, "every header", 0 },
	{ ML_CAP_PROC, ML_CAP_FILE, NULL, NULL, "sys/kernel/random/boot_id", 0, "diff", 0 },
	{ ML_CAP_PROC, ML_CAP_FILE, NULL, NULL, "sys/vm/min_free_kbytes", 0,
	  "MemAvailable before 3.14", 0 },
	{ ML_CAP_PROC, ML_CAP_FILE, NULL, NULL, "sys/vm/extfrag_threshold", 0, "buddy", 0 },
	{ ML_CAP_PROC, ML_CAP_FILE, NULL, NULL, "sys/vm/overcommit_memory", 0,
	  "explain (commit), growth (strict overcommit)", 0 },
	{ ML_CAP_PROC, ML_CAP_PER_PID, NULL, NULL, "stat", 0, "diff (start time)", 0 },
	{ ML_CAP_PROC, ML_CAP_PER_PID, NULL, NULL, "status", 0, "procs, maps (identity)", 0 },
	{ ML_CAP_PROC, ML_CAP_PER_PID, NULL, NULL, "cmdline", 0, "procs, maps", 0 },
	{ ML_CAP_PROC, ML_CAP_PER_PID, NULL, NULL, "smaps_rollup", 0, "procs, summary, top", 0 },
	{ ML_CAP_PROC, ML_CAP_PER_PID, NULL, NULL, "smaps", ML_CAP_SMAPS_FULL, "maps", 0 },
	{ ML_CAP_PROC, ML_CAP_PER_PID, NULL, NULL, "ksm_stat", 0, "huge (KSM per process)", 0 },
	{ ML_CAP_PROC, ML_CAP_PER_PID, NULL, NULL, "numa_maps", ML_CAP_SMAPS_FULL, "maps --numa",
	  0 },
	{ ML_CAP_SYS, ML_CAP_PER_DIR, "kernel/slab", slab_cache_dir, "reclaim_account", 0,
	  "slab (reclaimable)", 0 },
	{ ML_CAP_SYS, ML_CAP_TREE, "devices/system/node", node_entry, NULL, 0,
	  "numa, huge, explain", 5 },
	{ ML_CAP_SYS, ML_CAP_TREE, "kernel/mm", mm_entry, NULL, 0, "huge, explain (THP)", 4 },
	{ ML_CAP_SYS, ML_CAP_TREE, "block", zram_entry, NULL, 0, "huge, summary (zram)", 2 },
	{ ML_CAP_SYS, ML_CAP_TREE, "module/zswap/parameters", NULL, NULL, 0, "huge (zswap)", 1 },
	{ ML_CAP_SYS, ML_CAP_CGROUPS, NULL, NULL, NULL, 0,
	  "cgroups, procs --group cgroup, top, summary", 0 },
};
const size_t ml_capture_nitems = ML_ARRAY_SIZE(ml_capture_items);

/* ------------------------------------------------------------ the output */

/* Remove one entry of the temporary tree (nftw's callback). */
static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

int
ml_capture_out_open(struct ml_capture_out *o, const char *path, time_t mtime, char **cause)
{
	struct stat st;
	int saved;

	memset(o, 0, sizeof *o);
	o->dirfd = o->fd = -1;
	o->mtime = mtime;
	o->kind = ml_archive_kind(path);
	if (lstat(path, &st) == 0) {
		ml_set_cause(cause,
			     "%s already exists: a capture never overwrites (remove it, or "
			     "choose another name with -o)",
			     path);
		errno = EEXIST;
		return -1;
	}
	if ((o->final = strdup(path)) == NULL || asprintf(&o->tmp, "%s.tmp-XXXXXX", path) < 0) {
		o->tmp = NULL;
		saved = errno;
		ml_set_cause(cause, "%s", strerror(saved));
		ml_capture_out_abort(o);
		errno = saved;
		return -1;
	}
	if (o->kind == ML_ARCHIVE_NONE) {
		if (mkdtemp(o->tmp) != NULL) {
			o->tmp_made = true;
			o->dirfd = open(o->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		}
		if (!o->tmp_made || o->dirfd < 0) {
			saved = errno;
			ml_set_cause(cause, "cannot create %s: %s", o->tmp, strerror(saved));
			ml_capture_out_abort(o);
			errno = saved;
			return -1;
		}
		return 0;
	}
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	o->tmp_made = o->fd >= 0;
	if (o->fd < 0) {
		saved = errno;
		ml_set_cause(cause, "cannot create %s: %s", o->tmp, strerror(saved));
		ml_capture_out_abort(o);
		errno = saved;
		return -1;
	}
	/* mkostemp makes it 0600; a capture is as readable as any file the user writes. */
	{
		mode_t mask = umask(0);

		umask(mask);
		fchmod(o->fd, 0666 & ~mask);
	}
	o->w = ml_archive_write_open(o->fd, o->kind, mtime, cause);
	if (o->w == NULL) {
		saved = errno;
		ml_capture_out_abort(o);
		errno = saved;
		return -1;
	}
	return 0;
}

/* Make the directories of path under the temporary directory (each once). */
static int
make_parents(struct ml_capture_out *o, const char *path, char **cause)
{
	char dir[512];
	const char *slash;
	size_t i, n;

	for (slash = strchr(path, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
		n = (size_t)(slash - path);
		if (n >= sizeof dir) {
			ml_set_cause(cause, "%s: path too long", path);
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(dir, path, n);
		dir[n] = '\0';
		/* The last few made are the likely parents: look there first. */
		for (i = o->nmade; i-- > 0;)
			if (strcmp(o->made[i], dir) == 0)
				break;
		if (i != (size_t)-1)
			continue;
		if (mkdirat(o->dirfd, dir, 0777) != 0 && errno != EEXIST) {
			int saved = errno;

			ml_set_cause(cause, "cannot create %s/%s: %s", o->tmp, dir,
				     strerror(saved));
			errno = saved;
			return -1;
		}
		if (o->nmade == o->made_cap) {
			size_t c = o->made_cap ? o->made_cap * 2 : 64;
			char **v = realloc(o->made, c * sizeof *v);

			if (v == NULL)
				return 0; /* only a cache */
			o->made = v;
			o->made_cap = c;
		}
		if ((o->made[o->nmade] = strdup(dir)) != NULL)
			o->nmade++;
	}
	return 0;
}

int
ml_capture_out_add(struct ml_capture_out *o, const char *path, const void *data, size_t len,
		   char **cause)
{
	const char *p = data;
	ssize_t n;
	int fd, saved;

	if (o->w != NULL) {
		if (ml_archive_write_file(o->w, path, data, len, cause) != 0) {
			saved = errno;
			ml_prefix_cause(cause, "cannot write %s: ", o->tmp);
			errno = saved;
			return -1;
		}
	} else {
		if (make_parents(o, path, cause) != 0)
			return -1;
		fd = openat(o->dirfd, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0)
			goto fail;
		while (len > 0) {
			n = write(fd, p, len);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				saved = n < 0 ? errno : EIO;
				close(fd);
				errno = saved;
				goto fail;
			}
			p += n;
			len -= (size_t)n;
			o->bytes += (uint64_t)n;
		}
		/* A full disk can show only here (NFS, delayed allocation). */
		if (close(fd) != 0)
			goto fail;
	}
	o->files++;
	return 0;
fail:
	saved = errno;
	ml_set_cause(cause, "cannot write %s/%s: %s", o->tmp, path, strerror(saved));
	errno = saved;
	return -1;
}

int
ml_capture_out_dir(struct ml_capture_out *o, const char *path, char **cause)
{
	int saved;

	if (o->w != NULL) {
		if (ml_archive_write_dir(o->w, path, cause) != 0) {
			saved = errno;
			ml_prefix_cause(cause, "cannot write %s: ", o->tmp);
			errno = saved;
			return -1;
		}
		return 0;
	}
	if (make_parents(o, path, cause) != 0)
		return -1;
	if (mkdirat(o->dirfd, path, 0777) != 0 && errno != EEXIST) {
		saved = errno;
		ml_set_cause(cause, "cannot create %s/%s: %s", o->tmp, path, strerror(saved));
		errno = saved;
		return -1;
	}
	return 0;
}

static void
free_out(struct ml_capture_out *o)
{
	size_t i;

	for (i = 0; i < o->nmade; i++)
		free(o->made[i]);
	free(o->made);
	free(o->final);
	free(o->tmp);
	o->made = NULL;
	o->nmade = o->made_cap = 0;
	o->final = o->tmp = NULL;
}

int
ml_capture_out_commit(struct ml_capture_out *o, char **cause)
{
	int saved;

	if (o->w != NULL) {
		struct ml_archive_writer *w = o->w;

		o->w = NULL;
		if (ml_archive_write_close(w, false, cause) != 0 || fsync(o->fd) != 0 ||
		    close(o->fd) != 0) {
			saved = errno;
			if (cause != NULL && *cause == NULL)
				ml_set_cause(cause, "cannot write %s: %s", o->tmp, strerror(saved));
			else
				ml_prefix_cause(cause, "cannot write %s: ", o->tmp);
			o->fd = -1;
			ml_capture_out_abort(o);
			errno = saved;
			return -1;
		}
		o->fd = -1;
	} else {
		close(o->dirfd);
		o->dirfd = -1;
	}
	/* Last: the final name appears complete or not at all (no overwrite: checked at open). */
	if (rename(o->tmp, o->final) != 0) {
		saved = errno;
		ml_set_cause(cause, "cannot rename %s to %s: %s", o->tmp, o->final,
			     strerror(saved));
		ml_capture_out_abort(o);
		errno = saved;
		return -1;
	}
	free_out(o);
	return 0;
}

void
ml_capture_out_abort(struct ml_capture_out *o)
{
	if (o->w != NULL)
		ml_archive_write_close(o->w, true, NULL);
	o->w = NULL;
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	if (o->dirfd >= 0)
		close(o->dirfd);
	o->dirfd = -1;
	/* Only what mkdtemp or mkostemp made (its random name may end in X too). */
	if (o->tmp != NULL && o->tmp_made)
		nftw(o->tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free_out(o);
}

/* ------------------------------------------------------------ the files */

struct run {
	const struct ml_procfs *proc, *sys;
	const struct ml_capture_options *opt;
	struct ml_capture_out *o;
	struct ml_manifest *mf;
	size_t cap;
	char **cause;
};

/* Note a file in the manifest; takes nothing, copies path. */
static int
note(struct run *r, const char *path, uint64_t size, int err, unsigned int mode)
{
	struct ml_manifest *mf = r->mf;
	struct ml_manifest_file *f;

	if (mf->nfiles == r->cap) {
		size_t c = r->cap ? r->cap * 2 : 256;
		struct ml_manifest_file *v = realloc(mf->files, c * sizeof *v);

		if (v == NULL)
			goto oom;
		mf->files = v;
		r->cap = c;
	}
	f = &mf->files[mf->nfiles];
	memset(f, 0, sizeof *f);
	f->path = strdup(path);
	if (f->path == NULL)
		goto oom;
	f->size = size;
	f->err = err;
	f->mode = mode;
	if (err != 0 && (f->error = strdup(strerror(err))) == NULL) {
		free(f->path);
		goto oom;
	}
	mf->nfiles++;
	return 0;
oom:
	ml_set_cause(r->cause, "%s", strerror(ENOMEM));
	errno = ENOMEM;
	return -1;
}

/*
 * Capture rel of root (its name in the capture: top/rel): the bytes, or the
 * errno and mode of why not (a file that is not there only when note_absent).
 * -1 only when writing failed or a stop came.
 */
static int
capture_file(struct run *r, const struct ml_procfs *root, const char *top, const char *rel,
	     int *read_err, bool note_absent)
{
	char path[ML_CAP_PATH_MAX + 8], *buf = NULL;
	struct stat st;
	size_t len = 0;
	int err = 0;
	unsigned int mode = 0;

	if (r->opt->stop != NULL && *r->opt->stop) {
		ml_set_cause(r->cause, "interrupted");
		errno = EINTR;
		return -1;
	}
	snprintf(path, sizeof path, "%s/%s", top, rel);
	if (ml_procfs_read_file(root, rel, &buf, &len, NULL) != 0) {
		err = errno != 0 ? errno : EIO;
		/* Why it could not be read: its mode says it for permissions. */
		if (ml_procfs_stat(root, rel, &st) == 0)
			mode = (unsigned int)(st.st_mode & 07777);
		if (read_err != NULL)
			*read_err = err;
		if (err == ENOENT && !note_absent)
			return 0;
		return note(r, path, 0, err, mode);
	}
	if (read_err != NULL)
		*read_err = 0;
	if (ml_capture_out_add(r->o, path, buf, len, r->cause) != 0) {
		int saved = errno;

		free(buf);
		errno = saved;
		return -1;
	}
	free(buf);
	return note(r, path, len, 0, 0);
}

static int
capture_one(struct run *r, const struct ml_procfs *root, const char *top, const char *rel,
	    int *read_err)
{
	return capture_file(r, root, top, rel, read_err, true);
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The processes to capture: the PID directories of the proc root, or the list. */
static int *
list_pids(struct run *r, size_t *n)
{
	struct ml_procfs_dir *d;
	const char *name;
	int *v = NULL, *nv, pid;
	size_t cap = 0;

	*n = 0;
	if (r->opt->pids == ML_CAP_PIDS_NONE)
		return NULL;
	if (r->opt->pids == ML_CAP_PIDS_LIST) {
		v = malloc((r->opt->npid ? r->opt->npid : 1) * sizeof *v);
		if (v == NULL)
			return NULL;
		memcpy(v, r->opt->pidv, r->opt->npid * sizeof *v);
		*n = r->opt->npid;
		return v;
	}
	d = ml_procfs_opendir(r->proc, ".", NULL);
	if (d == NULL)
		return NULL;
	while ((name = ml_procfs_readdir(d)) != NULL) {
		if ((pid = ml_pid_parse(name)) < 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			nv = realloc(v, cap * sizeof *v);
			if (nv == NULL)
				break;
			v = nv;
		}
		v[(*n)++] = pid;
	}
	ml_procfs_closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof *v, cmp_int);
	return v;
}

static int
capture_pid(struct run *r, int pid)
{
	char rel[64];
	size_t i;
	int err;

	for (i = 0; i < ml_capture_nitems; i++) {
		const struct ml_capture_item *it = &ml_capture_items[i];

		if (it->kind != ML_CAP_PER_PID ||
		    ((it->flags & ML_CAP_SMAPS_FULL) && !r->opt->smaps_full))
			continue;
		snprintf(rel, sizeof rel, "%d/%s", pid, it->path);
		if (capture_one(r, r->proc, "proc", rel, &err) != 0)
			return -1;
		/*
		 * Before 4.14 there is no smaps_rollup: memlens sums smaps
		 * instead (proc/proctab.h), so that is what to capture.
		 */
		if (err == ENOENT && strcmp(it->path, "smaps_rollup") == 0 && !r->opt->smaps_full) {
			struct stat st;

			snprintf(rel, sizeof rel, "%d", pid);
			if (ml_procfs_stat(r->proc, rel, &st) != 0)
				continue;
			snprintf(rel, sizeof rel, "%d/smaps", pid);
			if (capture_one(r, r->proc, "proc", rel, NULL) != 0)
				return -1;
		}
	}
	return 0;
}

static int
capture_dir(struct run *r, const struct ml_capture_item *it, const struct ml_procfs *root,
	    const char *top)
{
	struct ml_procfs_dir *d;
	const char *name;
	char **names = NULL, rel[512];
	size_t n = 0, cap = 0, i;
	int rc = 0;

	d = ml_procfs_opendir(root, it->dir, NULL);
	if (d == NULL) {
		snprintf(rel, sizeof rel, "%s/%s", top, it->dir);
		return note(r, rel, 0, errno != 0 ? errno : EIO, 0);
	}
	while ((name = ml_procfs_readdir(d)) != NULL) {
		if (it->want != NULL && !it->want(name))
			continue;
		if (n == cap) {
			char **v;

			cap = cap ? cap * 2 : 128;
			v = realloc(names, cap * sizeof *v);
			if (v == NULL)
				break;
			names = v;
		}
		if ((names[n] = strdup(name)) != NULL)
			n++;
	}
	ml_procfs_closedir(d);
	for (i = 0; i < n && rc == 0; i++) {
		snprintf(rel, sizeof rel, "%s/%s/%s", it->dir, names[i], it->path);
		rc = capture_one(r, root, top, rel, NULL);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

bool
ml_capture_sys_foreign(const struct ml_procfs *proc, const struct ml_procfs *sys)
{
	return !ml_procfs_is_live(proc) && ml_procfs_is_sysfs(sys);
}

/* Every file below rel (top/rel in the capture), depth levels deep. */
static int
capture_tree(struct run *r, const struct ml_capture_item *it, const struct ml_procfs *root,
	     const char *top, const char *rel, int depth, bool at_top)
{
	struct ml_procfs_dir *d;
	const char *name;
	char **names = NULL, child[512];
	enum ml_procfs_type *types = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	d = ml_procfs_opendir(root, rel, NULL);
	snprintf(child, sizeof child, "%s/%s", top, rel);
	if (d == NULL)
		return note(r, child, 0, errno != 0 ? errno : EIO, 0);
	/* The directory is there even when nothing in it is wanted (block/ without zram). */
	if (at_top && ml_capture_out_dir(r->o, child, r->cause) != 0) {
		ml_procfs_closedir(d);
		return -1;
	}
	while ((name = ml_procfs_readdir(d)) != NULL) {
		if (at_top && it->want != NULL && !it->want(name))
			continue;
		if (n == cap) {
			size_t c = cap ? cap * 2 : 32;
			char **v = realloc(names, c * sizeof *v);
			enum ml_procfs_type *t;

			if (v == NULL)
				break;
			names = v;
			t = realloc(types, c * sizeof *t);
			if (t == NULL)
				break;
			types = t;
			cap = c;
		}
		if ((names[n] = strdup(name)) == NULL)
			break;
		types[n++] = ml_procfs_dirent_type(d);
	}
	ml_procfs_closedir(d);
	for (i = 0; i < n && rc == 0; i++) {
		enum ml_procfs_type t = types[i];
		struct stat st;

		if (snprintf(child, sizeof child, "%s/%s", rel, names[i]) >= (int)sizeof child)
			continue;
		/* A link is followed among dir's own entries only: sysfs links loop. */
		if (t == ML_PROCFS_LINK && at_top && ml_procfs_stat(root, child, &st) == 0)
			t = S_ISDIR(st.st_mode) ? ML_PROCFS_DIR : ML_PROCFS_FILE;
		if (t == ML_PROCFS_DIR && depth > 1)
			rc = capture_tree(r, it, root, top, child, depth - 1, false);
		else if (t == ML_PROCFS_FILE)
			rc = capture_one(r, root, top, child, NULL);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(types);
	return rc;
}

/* A mount point below /sys as a path of the sys root ("fs/cgroup/memory"); NULL elsewhere. */
static const char *
sys_rel(const char *mount_point)
{
	if (strncmp(mount_point, "/sys/", 5) != 0)
		return NULL;
	mount_point += 5;
	while (*mount_point == '/')
		mount_point++;
	return mount_point[0] != '\0' ? mount_point : NULL;
}

/*
 * One cgroup directory rel (of len bytes in a buffer of ML_CAP_PATH_MAX) and
 * those below it: the files of set its kernel has, then each subdirectory.
 */
static int
capture_cgroup(struct run *r, char *rel, size_t len, ml_cgfile_set set, int depth)
{
	struct ml_procfs_dir *d;
	const char *name;
	char **names = NULL;
	size_t n = 0, cap = 0, i, nlen;
	int f, rc = 0;

	for (f = 0; f < ML_CGFILE__COUNT && rc == 0; f++) {
		if (!(set & ML_CGFILE_BIT(f)))
			continue;
		nlen = strlen(ml_cgroup_files[f].name);
		if (len + 1 + nlen + 1 > ML_CAP_PATH_MAX)
			break;
		rel[len] = '/';
		memcpy(rel + len + 1, ml_cgroup_files[f].name, nlen + 1);
		rc = capture_file(r, r->sys, "sys", rel, NULL, false);
		rel[len] = '\0';
	}
	if (rc != 0 || depth + 1 >= ML_CGWALK_MAX_DEPTH)
		return rc;
	/* A cgroup removed meanwhile has no children left to take. */
	if ((d = ml_procfs_opendir(r->sys, rel, NULL)) == NULL)
		return 0;
	while ((name = ml_procfs_readdir(d)) != NULL) {
		if (ml_procfs_dirent_type(d) != ML_PROCFS_DIR)
			continue;
		if (n == cap) {
			size_t c = cap ? cap * 2 : 16;
			char **v = realloc(names, c * sizeof *v);

			if (v == NULL)
				break;
			names = v;
			cap = c;
		}
		if ((names[n] = strdup(name)) == NULL)
			break;
		n++;
	}
	ml_procfs_closedir(d);
	for (i = 0; i < n && rc == 0; i++) {
		nlen = strlen(names[i]);
		if (len + 1 + nlen + 1 > ML_CAP_PATH_MAX)
			continue;
		rel[len] = '/';
		memcpy(rel + len + 1, names[i], nlen + 1);
		rc = capture_cgroup(r, rel, len + 1 + nlen, set, depth + 1);
		rel[len] = '\0';
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/*
 * The memory controller's hierarchy as proc/cgroup.h finds it: every cgroup's
 * files of its version, and the cgroup2 root's cgroup.controllers, which say
 * why a hybrid host's memory is on v1. A hierarchy mounted outside /sys has
 * no place in sys/ and is not taken; without mountinfo or a memory
 * controller there is nothing to take.
 */
static int
capture_cgroups(struct run *r)
{
	struct ml_cgmounts m;
	struct ml_cghier h;
	const char *top;
	char *rel = NULL;
	int rc = 0;

	if (ml_cgmounts_read(&m, r->proc, NULL) != 0) {
		ml_cgmounts_release(&m);
		return 0;
	}
	rel = malloc(ML_CAP_PATH_MAX);
	if (rel == NULL) {
		ml_cgmounts_release(&m);
		ml_set_cause(r->cause, "%s", strerror(ENOMEM));
		errno = ENOMEM;
		return -1;
	}
	if (ml_cghier_open(&h, &m, r->sys, NULL) != 0)
		h.version = 0;
	if (m.v2.version != 0 && h.version != ML_CG_V2 &&
	    (top = sys_rel(m.v2.mount_point)) != NULL &&
	    strlen(top) + sizeof "/cgroup.controllers" <= ML_CAP_PATH_MAX) {
		snprintf(rel, ML_CAP_PATH_MAX, "%s/cgroup.controllers", top);
		rc = capture_file(r, r->sys, "sys", rel, NULL, false);
	}
	if (rc == 0 && h.version != 0 && (top = sys_rel(h.mount->mount_point)) != NULL &&
	    strlen(top) < ML_CAP_PATH_MAX) {
		snprintf(rel, ML_CAP_PATH_MAX, "%s", top);
		rc = capture_cgroup(r, rel, strlen(rel), ml_cgfile_set_all(h.version), 0);
	}
	ml_cghier_close(&h);
	ml_cgmounts_release(&m);
	free(rel);
	return rc;
}

int
ml_capture_files(const struct ml_procfs *proc, const struct ml_procfs *sys,
		 const struct ml_capture_options *opt, struct ml_capture_out *o,
		 struct ml_manifest *mf, char **cause)
{
	struct run r = { proc, sys, opt, o, mf, mf->nfiles, cause };
	size_t i, npid = 0;
	int *pids, rc = 0;

	/* The roots, even empty: a sys root without the files memlens reads is not no sys root. */
	if (ml_capture_out_dir(o, "proc", cause) != 0)
		return -1;
	if ((sys->dirfd >= 0 || sys->ar != NULL) && !ml_capture_sys_foreign(proc, sys) &&
	    ml_capture_out_dir(o, "sys", cause) != 0)
		return -1;

	for (i = 0; i < ml_capture_nitems && rc == 0; i++) {
		const struct ml_capture_item *it = &ml_capture_items[i];
		const struct ml_procfs *root = it->root == ML_CAP_PROC ? proc : sys;
		const char *top = it->root == ML_CAP_PROC ? "proc" : "sys";

		/* This machine's sysfs says nothing of a copied proc tree: not in its capture. */
		if (it->root == ML_CAP_SYS && ml_capture_sys_foreign(proc, sys))
			continue;
		if (it->kind == ML_CAP_FILE)
			rc = capture_one(&r, root, top, it->path, NULL);
		else if (it->kind == ML_CAP_PER_DIR)
			rc = capture_dir(&r, it, root, top);
		else if (it->kind == ML_CAP_TREE)
			rc = capture_tree(&r, it, root, top, it->dir, it->depth, true);
		else if (it->kind == ML_CAP_CGROUPS)
			rc = capture_cgroups(&r);
	}
	if (rc != 0)
		return -1;
	pids = list_pids(&r, &npid);
	for (i = 0; i < npid && rc == 0; i++)
		rc = capture_pid(&r, pids[i]);
	free(pids);
	return rc;
}

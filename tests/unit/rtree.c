/*
 * Scratch copies of explain's fixture trees for the rules' unit tests; see
 * rtree.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "rtree.h"

void
rtree_open(struct rtree *t, const char *name)
{
	char cmd[1024];
	char *cause = NULL;

	memset(t, 0, sizeof *t);
	snprintf(t->dir, sizeof t->dir, "%s/memlens-rtree.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(t->dir));
	snprintf(cmd, sizeof cmd, "cp -R '%s/explain/%s/proc' '%s/explain/%s/sys' '%s/'", FIXTURES,
		 name, FIXTURES, name, t->dir);
	assert_int_equal(system(cmd), 0);
	snprintf(t->proc, sizeof t->proc, "%s/proc", t->dir);
	snprintf(t->sys, sizeof t->sys, "%s/sys", t->dir);
	if (ml_procfs_open(&t->fs, t->proc, &cause) != 0) {
		print_error("%s\n", cause);
		fail();
	}
	if (ml_procfs_open(&t->sysfs, t->sys, &cause) != 0) {
		print_error("%s\n", cause);
		fail();
	}
	assert_int_equal(ml_rules_config_init(&t->cfg), 0);
}

void
rtree_close(struct rtree *t)
{
	char cmd[600];
	int i;

	for (i = 0; i < t->nruns; i++)
		ml_explain_release(t->runs[i]);
	for (i = 0; i < t->nsnaps; i++)
		ml_snapshot_release(t->snaps[i]);
	ml_rules_config_release(&t->cfg);
	ml_procfs_close(&t->fs);
	ml_procfs_close(&t->sysfs);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
spill(const char *path, const char *text)
{
	/* A new file: a snapshot already read keeps its own, read, copy. */
	char tmp[600], *slash;
	FILE *f;

	/* Its directory may be new (a zram device the tree did not have). */
	snprintf(tmp, sizeof tmp, "%s", path);
	if ((slash = strrchr(tmp, '/')) != NULL) {
		char cmd[700];

		*slash = '\0';
		snprintf(cmd, sizeof cmd, "mkdir -p '%s'", tmp);
		assert_int_equal(system(cmd), 0);
	}
	snprintf(tmp, sizeof tmp, "%s.new", path);
	f = fopen(tmp, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(rename(tmp, path), 0);
}

static void
path_of(const struct rtree *t, const char *rel, char *buf, size_t cap)
{
	if (strncmp(rel, "../sys/", 7) == 0)
		snprintf(buf, cap, "%s/%s", t->sys, rel + 7);
	else
		snprintf(buf, cap, "%s/%s", t->proc, rel);
}

/*
 * Replace what follows KEY on its line (KEY at the line's start, after
 * leading blanks, followed by ':' or a blank) with repl, keeping a " kB"
 * the line ends with. Fails the test when KEY is not there.
 */
static char *
replace_value(const char *text, const char *key, const char *repl, const char *start_at)
{
	size_t klen = strlen(key);
	const char *p = start_at != NULL ? start_at : text;
	char *out;

	for (;;) {
		const char *line = p, *q = p, *eol, *v;

		while (*q == ' ' || *q == '\t')
			q++;
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		if (strncmp(q, key, klen) == 0 &&
		    (q[klen] == ':' || q[klen] == ' ' || q[klen] == '\t')) {
			size_t kb = 0, n;

			v = q + klen;
			if (*v == ':')
				v++;
			while (*v == ' ' || *v == '\t')
				v++;
			if (eol - v >= 3 && strncmp(eol - 3, " kB", 3) == 0)
				kb = 3;
			n = strlen(text) + strlen(repl) + 8;
			out = malloc(n);
			assert_non_null(out);
			snprintf(out, n, "%.*s%s%s%s", (int)(v - text), text, repl, kb ? " kB" : "",
				 eol);
			(void)line;
			return out;
		}
		if (*eol == '\0')
			break;
		p = eol + 1;
	}
	print_error("no line '%s'\n", key);
	fail();
	return NULL;
}

void
rtree_set_text(struct rtree *t, const char *rel, const char *key, const char *text)
{
	char path[600], *old, *new;

	path_of(t, rel, path, sizeof path);
	old = slurp(path);
	new = replace_value(old, key, text, NULL);
	spill(path, new);
	free(old);
	free(new);
}

void
rtree_set(struct rtree *t, const char *rel, const char *key, uint64_t v)
{
	char num[32];

	snprintf(num, sizeof num, "%llu", (unsigned long long)v);
	rtree_set_text(t, rel, key, num);
}

void
rtree_zone_set(struct rtree *t, const char *zone, const char *field, uint64_t v)
{
	char path[600], num[32], head[64], *old, *new;
	const char *at;
	size_t n;

	path_of(t, "zoneinfo", path, sizeof path);
	old = slurp(path);
	n = (size_t)snprintf(head, sizeof head, "zone %8s\n", zone);
	at = strstr(old, head);
	assert_non_null(at);
	at += n;
	snprintf(num, sizeof num, "%llu", (unsigned long long)v);
	new = replace_value(old, field, num, at);
	spill(path, new);
	free(old);
	free(new);
}

void
rtree_write(struct rtree *t, const char *rel, const char *text)
{
	char path[600];

	path_of(t, rel, path, sizeof path);
	spill(path, text);
}

void
rtree_remove(struct rtree *t, const char *rel)
{
	char path[600];

	path_of(t, rel, path, sizeof path);
	assert_int_equal(unlink(path), 0);
}

void
rtree_remove_tree(struct rtree *t, const char *rel)
{
	char path[600], cmd[700];

	path_of(t, rel, path, sizeof path);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
	assert_int_equal(system(cmd), 0);
}

void
rtree_threshold(struct rtree *t, const char *assignment)
{
	char *cause = NULL;

	if (ml_rules_config_set(&t->cfg, assignment, &cause) != 0) {
		print_error("%s\n", cause);
		fail();
	}
}

void
rtree_read(struct rtree *t, struct ml_snapshot *s)
{
	static const struct ml_snap_options opt = {
		.derive = ML_SNAP_HEADLINE | ML_SNAP_ACCOUNTING,
		.hints = { .denied = "run as root" },
	};

	assert_true(t->nsnaps < (int)ML_ARRAY_SIZE(t->snaps));
	ml_snapshot_init(s, &t->fs, &t->sysfs, &opt);
	ml_snapshot_refresh(s, ML_RULES_READS);
	ml_snapshot_page_size(s);
	t->snaps[t->nsnaps++] = s;
}

void
rtree_run(struct rtree *t, struct ml_explain *e, const struct ml_snapshot *now,
	  const struct ml_snapshot *before, double seconds)
{
	struct ml_rule_input in;

	assert_true(t->nruns < (int)ML_ARRAY_SIZE(t->runs));
	ml_explain_init(e);
	ml_rule_input_init(&in, now, before, seconds);
	assert_int_equal(ml_rules_run(e, &in, &t->cfg), 0);
	t->runs[t->nruns++] = e;
}

uint64_t
rtree_meminfo(const struct ml_snapshot *s, enum ml_mi_key k)
{
	const struct ml_meminfo *mi = ml_snapshot_meminfo(s);

	if (mi == NULL || !ml_meminfo_has(mi, k)) {
		print_error("no %s in the snapshot\n", ml_meminfo_keys[k].name);
		fail();
		return 0;
	}
	return mi->val[k];
}

const struct ml_finding *
rtree_finding(const struct ml_explain *e, const char *rule, int index)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->f[i].rule->name, rule) == 0 && index-- == 0)
			return &e->f[i];
	return NULL;
}

int
rtree_count(const struct ml_explain *e, const char *rule)
{
	size_t i;
	int n = 0;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->f[i].rule->name, rule) == 0)
			n++;
	return n;
}

int
rtree_not_judged(const struct ml_explain *e, const char *rule, const char **why)
{
	size_t i;

	for (i = 0; i < e->nskipped; i++)
		if (strcmp(e->skipped[i].rule->name, rule) == 0) {
			if (why != NULL)
				*why = e->skipped[i].why;
			return 1;
		}
	return 0;
}

const struct ml_evidence *
rtree_ev(const struct ml_finding *f, const char *name)
{
	const struct ml_evidence *ev;

	assert_non_null(f);
	ev = ml_finding_evidence(f, name);
	if (ev == NULL) {
		print_error("finding of %s has no evidence '%s'\n", f->rule->name, name);
		fail();
	}
	return ev;
}

double
rtree_ev_value(const struct ml_finding *f, const char *name)
{
	const struct ml_evidence *ev = rtree_ev(f, name);

	switch (ev->kind) {
	case ML_EV_U64:
		return (double)ev->u;
	case ML_EV_I64:
		return (double)ev->i;
	case ML_EV_DOUBLE:
		return ev->d;
	default:
		print_error("evidence '%s' is text\n", name);
		fail();
		return 0;
	}
}

static void
plain_ev(const struct ml_evidence *ev, char *buf, size_t cap, void *arg)
{
	(void)arg;
	switch (ev->kind) {
	case ML_EV_U64:
		snprintf(buf, cap, "%llu", (unsigned long long)ev->u);
		break;
	case ML_EV_I64:
		snprintf(buf, cap, "%lld", (long long)ev->i);
		break;
	case ML_EV_DOUBLE:
		snprintf(buf, cap, "%.1f", ev->d);
		break;
	default:
		snprintf(buf, cap, "%s", ev->text);
		break;
	}
}

static void
plain_thr(const struct ml_rule_param *p, double v, char *buf, size_t cap, void *arg)
{
	(void)arg;
	(void)p;
	snprintf(buf, cap, "%g", v);
}

const char *
rtree_text(const struct ml_finding *f, const char *tmpl)
{
	static char buf[2048];

	ml_finding_expand(f, tmpl, plain_ev, plain_thr, NULL, buf, sizeof buf);
	/* Every {NAME} of a template must name an evidence or a threshold. */
	assert_null(strstr(buf, "{?"));
	return buf;
}

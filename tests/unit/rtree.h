/*
 * The rules' unit tests: a copy of one of explain's fixture trees
 * (tests/fixtures/explain/NAME/{proc,sys}) in a scratch directory, values
 * changed in it line by line, snapshots read from it as memlens explain
 * reads them, and the rules run on one reading or two.
 *
 *	struct rtree t;
 *	struct ml_snapshot now;
 *	struct ml_explain e;
 *
 *	rtree_open(&t, "healthy");
 *	rtree_set(&t, "meminfo", "MemAvailable", 99999);
 *	rtree_read(&t, &now);
 *	rtree_run(&t, &e, &now, NULL, 0);
 *	f = rtree_finding(&e, "available", 0);
 *	...
 *	rtree_close(&t);   (releases what rtree_read and rtree_run made)
 */
#ifndef ML_RTREE_H
#define ML_RTREE_H

#include <stdint.h>

#include "model/rules/rules.h"

struct rtree {
	char dir[256];          /* the scratch copy */
	char proc[300];         /* its proc root */
	char sys[300];          /* its sys root */
	struct ml_procfs fs;    /* the proc root */
	struct ml_procfs sysfs; /* the sys root */
	struct ml_rules_config cfg;
	struct ml_snapshot *snaps[8];
	int nsnaps;
	struct ml_explain *runs[8];
	int nruns;
};

/* Copy tests/fixtures/explain/NAME into a scratch directory and open it. */
void rtree_open(struct rtree *t, const char *name);
/* Remove the copy; release every snapshot read and every run. */
void rtree_close(struct rtree *t);

/* The value of the line "KEY: V kB" or "KEY V" of proc/REL becomes v (kB or as printed). */
void rtree_set(struct rtree *t, const char *rel, const char *key, uint64_t v);
/* The same with a value as text ("some avg10=..." lines: the whole line after KEY). */
void rtree_set_text(struct rtree *t, const char *rel, const char *key, const char *text);
/* In zoneinfo, the field ("pages free", "min", "low") of zone NAME becomes v. */
void rtree_zone_set(struct rtree *t, const char *zone, const char *field, uint64_t v);
/* Write proc/REL (or, with rel starting "../sys/", the sys root's file) whole. */
void rtree_write(struct rtree *t, const char *rel, const char *text);
/* Remove proc/REL (a file), or a whole directory. */
void rtree_remove(struct rtree *t, const char *rel);
void rtree_remove_tree(struct rtree *t, const char *rel);
/* Set a threshold: "RULE.KEY=VALUE" (fails the test when refused). */
void rtree_threshold(struct rtree *t, const char *assignment);

/* A snapshot of the tree now, read as memlens explain reads it. */
void rtree_read(struct rtree *t, struct ml_snapshot *s);
/* Run every rule: on now alone (before NULL) or over seconds between them. */
void rtree_run(struct rtree *t, struct ml_explain *e, const struct ml_snapshot *now,
	       const struct ml_snapshot *before, double seconds);

/* A meminfo field of a snapshot, in bytes (fails the test when absent). */
uint64_t rtree_meminfo(const struct ml_snapshot *s, enum ml_mi_key k);

/* The index-th finding of rule (0 for the first), or NULL. */
const struct ml_finding *rtree_finding(const struct ml_explain *e, const char *rule, int index);
/* How many findings rule has. */
int rtree_count(const struct ml_explain *e, const char *rule);
/* Whether rule is listed as not judged (and its why into *why when so). */
int rtree_not_judged(const struct ml_explain *e, const char *rule, const char **why);
/* The evidence name of f (fails the test when it has none); its value as a number. */
const struct ml_evidence *rtree_ev(const struct ml_finding *f, const char *name);
double rtree_ev_value(const struct ml_finding *f, const char *name);
/* The finding's template expanded plainly (bytes as exact numbers), for checks. */
const char *rtree_text(const struct ml_finding *f, const char *tmpl);

#endif /* ML_RTREE_H */

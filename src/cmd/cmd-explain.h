/*
 * The findings of explain's rules (model/rules/rules.h) as text and JSON:
 * memlens explain prints them whole, the summary one line each of the
 * worst. Templates are expanded here, with the output's units.
 *
 *	struct ml_rules_config c;
 *	struct ml_explain e;
 *
 *	ml_rules_config_init(&c);
 *	ml_explain_init(&e);
 *	cmd_explain_run(&e, &snap, NULL, 0, &c);
 *	cmd_explain_brief_text(&ctx->text, &e);
 *	ml_explain_release(&e);
 *	ml_rules_config_release(&c);
 */
#ifndef ML_CMD_EXPLAIN_H
#define ML_CMD_EXPLAIN_H

#include <stddef.h>

#include "cmd/cmd.h"
#include "model/rules/rules.h"

/* The findings the summary lists, at most. */
#define CMD_EXPLAIN_BRIEF_MAX 5

/* Run every rule on one reading (before NULL) or two, seconds apart. 0, or -1 (ENOMEM). */
int cmd_explain_run(struct ml_explain *e, const struct ml_snapshot *now,
		    const struct ml_snapshot *before, double seconds,
		    const struct ml_rules_config *c);

/* A finding's template expanded with sizes in units u. */
void cmd_explain_expand(const struct ml_units *u, const struct ml_finding *f, const char *tmpl,
			char *buf, size_t cap);

/* The summary's section: the worst findings, one line each, and how many there are. */
void cmd_explain_brief_text(const struct text_out *o, const struct ml_explain *e);
/* The same as the member "findings" of doc. */
void cmd_explain_brief_json(struct json_node *doc, const struct ml_explain *e);

#endif /* ML_CMD_EXPLAIN_H */

/*
 * Private to the review stage: what model.c gives the actions (actions.c).
 * Other stages use review.h.
 */
#ifndef STOCKADE_TUI_MODEL_H
#define STOCKADE_TUI_MODEL_H

#include <stdbool.h>
#include "review.h"

/* A grant row's name, "privilege mount", is the grant's kind and name. */
bool grant_line_has(const struct profile *p, const char *line);
/* Grant (on) or take away the grant a row names. */
void grant_line_set(struct profile *p, const char *line, bool on);
/* Keep the profile as it is now, to come back to. */
int model_snapshot(struct review *r);
/* After an action: canonical order, rows, changes. A failed action (err)
 * is undone. Returns -1 if it failed. */
int model_done(struct review *r, int err);

#endif

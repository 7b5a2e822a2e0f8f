/*
 * The review model: the rows on screen and what changed in each, opening,
 * the undo history every action (actions.c) works through, saving and
 * approving.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../names/names.h"
#include "../db/db.h"
#include "../profile/profile.h"
#include "review.h"
#include "model.h"
#include "../common/error.h"

/* ---- rows and changes ------------------------------------------------------ */

static bool row_matches(const struct review *r, const struct review_row *row)
{
	char text[STK_PATH_MAX + 512];

	if (!r->filter[0])
		return true;
	if (row->grant)
		snprintf(text, sizeof(text), "%s", row->name);
	else if (row->net)
		net_rule_format(&r->p.net[row->index], text, sizeof(text));
	else
		file_rule_format(&r->p.files[row->index], text, sizeof(text));
	return strstr(text, r->filter) != NULL;
}

static void add_row(struct review *r, struct review_row row)
{
	if (row.heading || row_matches(r, &row))
		r->rows[r->nrows++] = row;
}

/* ---- grants: privileges, capabilities, socket families ------------------ */

/* A grant row's name, "privilege mount", is the grant's kind and name. */
bool grant_line_has(const struct profile *p, const char *line)
{
	uint32_t priv;

	if (!strncmp(line, "privilege ", 10))
		return !privilege_parse(line + 10, &priv) && (p->privileges & priv);
	if (!strncmp(line, "capability ", 11))
		return grant_has(p, GRANT_CAPABILITY, line + 11);
	return !strncmp(line, "socket ", 7) && grant_has(p, GRANT_SOCKET, line + 7);
}

/* Grant (on) or take away the grant a row names. */
void grant_line_set(struct profile *p, const char *line, bool on)
{
	struct profile one = { 0 };
	uint32_t priv;

	if (!strncmp(line, "privilege ", 10) && !privilege_parse(line + 10, &priv))
		one.privileges = priv;
	else if (!strncmp(line, "capability ", 11))
		grant_add(&one, GRANT_CAPABILITY, line + 11);
	else if (!strncmp(line, "socket ", 7))
		grant_add(&one, GRANT_SOCKET, line + 7);
	if (on) {
		p->privileges |= one.privileges;
		p->capabilities |= one.capabilities;
		p->families |= one.families;
		p->netlink |= one.netlink;
	} else {
		p->privileges &= ~one.privileges;
		p->capabilities &= ~one.capabilities;
		p->families &= ~one.families;
		p->netlink &= ~one.netlink;
	}
}

static void add_grant_row(enum grant_kind kind, const char *name, void *ctx)
{
	struct review *r = ctx;
	struct review_row row = { .grant = true };

	snprintf(row.name, sizeof(row.name), "%s %s", kind == GRANT_CAPABILITY ? "capability" : "socket", name);
	add_row(r, row);
}

/* The grants heading and a row per grant; returns how many rows it may add. */
static size_t grant_rows_max(const struct profile *p)
{
	return 1 + (size_t)__builtin_popcount(p->privileges) + (size_t)__builtin_popcountll(p->capabilities) +
	       (size_t)__builtin_popcountll(p->families) + (size_t)__builtin_popcount(p->netlink);
}

/* Shown only when the profile grants something. */
static void grant_rows_build(struct review *r)
{
	if (grant_rows_max(&r->p) == 1)
		return;
	add_row(r, (struct review_row){ .heading = true, .grant = true });
	for (uint32_t priv = 1; priv & STK_PRIV_ALL; priv <<= 1)
		if (r->p.privileges & priv) {
			struct review_row row = { .grant = true };

			snprintf(row.name, sizeof(row.name), "privilege %s", privilege_name(priv));
			add_row(r, row);
		}
	grants_foreach(&r->p, add_grant_row, r);
}

/* Headings for files, exec, network and grants, each followed by its rules. */
static int rows_build(struct review *r)
{
	static const enum rule_kind groups[] = { RULE_FILE, RULE_EXEC, RULE_UNIX };
	struct review_row *rows = realloc(r->rows, (r->p.nfiles + r->p.nnet + 3 + grant_rows_max(&r->p)) *
						   sizeof(*rows));

	if (!rows)
		return stk_fail("out of memory");
	r->rows = rows;
	r->nrows = 0;
	for (size_t g = 0; g < 3; g++) {
		add_row(r, (struct review_row){ .heading = true, .kind = groups[g] });
		if (groups[g] == RULE_UNIX)
			for (size_t i = 0; i < r->p.nnet; i++)
				add_row(r, (struct review_row){ .net = true, .kind = RULE_UNIX, .index = i });
		for (size_t i = 0; i < r->p.nfiles; i++)
			if (r->p.files[i].kind == groups[g])
				add_row(r, (struct review_row){ .kind = groups[g], .index = i });
	}
	grant_rows_build(r);
	return 0;
}

/* Compare every rule with the approved version once per change, not per frame. */
static int changes_build(struct review *r)
{
	uint8_t *files = calloc(r->p.nfiles + 1, 1), *net = calloc(r->p.nnet + 1, 1);

	if (!files || !net) {
		free(files);
		free(net);
		return stk_fail("out of memory");
	}
	for (size_t i = 0; i < r->p.nfiles; i++)
		files[i] = r->has_approved ? file_rule_change(&r->approved, &r->p.files[i]) : CHANGE_ADDED;
	for (size_t i = 0; i < r->p.nnet; i++)
		net[i] = r->has_approved ? net_rule_change(&r->approved, &r->p.net[i]) : CHANGE_ADDED;
	free(r->changes);
	free(r->net_changes);
	r->changes = files;
	r->net_changes = net;
	return 0;
}

static int refresh(struct review *r)
{
	profile_sort(&r->p);
	return changes_build(r) || rows_build(r);
}

enum rule_change review_change(const struct review *r, size_t row)
{
	const struct review_row *w = &r->rows[row];

	if (w->heading)
		return CHANGE_NONE;
	if (w->grant)
		return r->has_approved && grant_line_has(&r->approved, w->name) ? CHANGE_NONE : CHANGE_ADDED;
	return w->net ? r->net_changes[w->index] : r->changes[w->index];
}

bool review_accepted(const struct review *r, size_t row)
{
	const struct review_row *w = &r->rows[row];

	if (w->heading)
		return false;
	if (w->grant)
		return grant_line_has(&r->accepted_grants, w->name);
	return w->net ? r->p.net[w->index].accepted : r->p.files[w->index].accepted;
}

static bool pending(enum rule_change c, bool accepted)
{
	return !accepted && (c == CHANGE_ADDED || c == CHANGE_WIDENED || c == CHANGE_CHANGED);
}

size_t review_pending(const struct review *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->p.nfiles; i++)
		n += pending(r->changes[i], r->p.files[i].accepted);
	for (size_t i = 0; i < r->p.nnet; i++)
		n += pending(r->net_changes[i], r->p.net[i].accepted);
	for (size_t i = 0; i < r->nrows; i++)
		n += r->rows[i].grant && !r->rows[i].heading &&
		     pending(review_change(r, i), review_accepted(r, i));
	return n;
}

void review_row_text(const struct review *r, size_t row, char *buf, size_t len)
{
	const struct review_row *w = &r->rows[row];

	if (w->heading)
		snprintf(buf, len, "%s", w->grant ? "grants" : w->kind == RULE_FILE ? "files"
				   : w->kind == RULE_EXEC ? "exec" : "network");
	else if (w->grant)
		snprintf(buf, len, "%s", w->name);
	else if (w->net)
		net_rule_format(&r->p.net[w->index], buf, len);
	else
		file_rule_format(&r->p.files[w->index], buf, len);
}

/* ---- opening ------------------------------------------------------------------ */

int review_open(struct review *r, const char *file, const char *approved, struct db *db)
{
	char path[4096];

	memset(r, 0, sizeof(*r));
	r->db = db;
	if (!(r->file = strdup(file)))
		return stk_fail("out of memory");
	if (profile_load(file, &r->p))
		goto fail;
	if (!approved && (size_t)snprintf(path, sizeof(path), "%s.approved", file) < sizeof(path) &&
	    access(path, F_OK) == 0)
		approved = path;
	if (approved) {
		if (profile_load(approved, &r->approved))
			goto fail;
		r->has_approved = true;
	}
	if (refresh(r))
		goto fail;
	return 0;
fail:
	review_close(r);
	return -1;
}

void review_close(struct review *r)
{
	profile_free(&r->p);
	profile_free(&r->approved);
	for (size_t i = 0; i < r->nundo; i++)
		profile_free(&r->undo[i]);
	free(r->rows);
	free(r->changes);
	free(r->net_changes);
	free(r->file);
	memset(r, 0, sizeof(*r));
}

/* ---- undo ------------------------------------------------------------------- */

/* Keep the profile as it is now, to come back to. */
int model_snapshot(struct review *r)
{
	if (r->nundo == REVIEW_UNDO_MAX) {
		profile_free(&r->undo[0]);
		memmove(r->undo, r->undo + 1, (REVIEW_UNDO_MAX - 1) * sizeof(r->undo[0]));
		r->nundo--;
	}
	if (profile_copy(&r->undo[r->nundo], &r->p))
		return -1;
	r->nundo++;
	return 0;
}

/* Go back to the last snapshot. */
static void restore(struct review *r)
{
	profile_free(&r->p);
	r->p = r->undo[--r->nundo];
	memset(&r->undo[r->nundo], 0, sizeof(r->undo[0]));
}

/* After an action: canonical order, rows, changes. A failed action is undone. */
int model_done(struct review *r, int err)
{
	if (err) {
		restore(r);
		refresh(r);
		return -1;
	}
	r->dirty = true;
	return refresh(r);
}

int review_undo(struct review *r)
{
	if (!r->nundo)
		return stk_fail("nothing to undo");
	restore(r);
	r->dirty = true;
	return refresh(r);
}

/* ---- filter, saving, approving ------------------------------------------------------ */

int review_set_filter(struct review *r, const char *filter)
{
	snprintf(r->filter, sizeof(r->filter), "%s", filter);
	return rows_build(r);
}

int review_save(struct review *r)
{
	if (profile_save(&r->p, r->file))
		return -1;
	r->dirty = false;
	return 0;
}

int review_approve(struct review *r, const char *who, int64_t at)
{
	char copy[4096];

	if ((size_t)snprintf(copy, sizeof(copy), "%s.approved", r->file) >= sizeof(copy))
		return stk_fail("%s: file name too long", r->file);
	if (profile_approve(&r->p, who, at) || review_save(r) || profile_save(&r->p, copy))
		return -1;
	profile_free(&r->approved);
	if (profile_copy(&r->approved, &r->p))
		return -1;
	r->has_approved = true;
	for (size_t i = 0; i < r->p.nfiles; i++)
		r->p.files[i].accepted = false;
	for (size_t i = 0; i < r->p.nnet; i++)
		r->p.net[i].accepted = false;
	return refresh(r);
}

const char *review_login(void)
{
	static char buf[64];
	const char *name = getlogin();
	struct passwd *pw;

	if (name && name[0])
		return name;
	if ((pw = getpwuid(getuid())))
		return pw->pw_name;
	snprintf(buf, sizeof(buf), "uid %u", (unsigned)getuid());
	return buf;
}

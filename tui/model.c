/*
 * The review model: every action works on a snapshot it can roll back to,
 * keeps the profile in canonical order, and rebuilds the rows on screen.
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
#include "../learner/learner.h"
#include "review.h"
#include "../bpf/decide.h"
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
static bool grant_line_has(const struct profile *p, const char *line)
{
	uint32_t priv;

	if (!strncmp(line, "privilege ", 10))
		return !privilege_parse(line + 10, &priv) && (p->privileges & priv);
	if (!strncmp(line, "capability ", 11))
		return grant_has(p, GRANT_CAPABILITY, line + 11);
	return !strncmp(line, "socket ", 7) && grant_has(p, GRANT_SOCKET, line + 7);
}

/* Grant (on) or take away the grant a row names. */
static void grant_line_set(struct profile *p, const char *line, bool on)
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
static int snapshot(struct review *r)
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
static int done(struct review *r, int err)
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

/* ---- actions ------------------------------------------------------------------ */

/* A rule or a grant: something to accept or delete. */
static int row_at(const struct review *r, size_t row)
{
	if (row >= r->nrows)
		return stk_fail("no rule there");
	if (r->rows[row].heading)
		return stk_fail("that is a heading: choose a rule");
	return 0;
}

/* A rule, with a path or peer, evidence and a note: not a grant. */
static int rule_at(const struct review *r, size_t row)
{
	if (row_at(r, row))
		return -1;
	if (r->rows[row].grant)
		return stk_fail("a grant has only its name: accept (a) or delete (d) it");
	return 0;
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

int review_accept(struct review *r, size_t row)
{
	const struct review_row *w;

	if (row_at(r, row))
		return -1;
	w = &r->rows[row];
	if (w->grant)
		grant_line_set(&r->accepted_grants, w->name, !grant_line_has(&r->accepted_grants, w->name));
	else if (w->net)
		r->p.net[w->index].accepted = !r->p.net[w->index].accepted;
	else
		r->p.files[w->index].accepted = !r->p.files[w->index].accepted;
	return 0;
}

static void file_rule_free(struct file_rule *f)
{
	free(f->path);
	free(f->note);
	evidence_free(&f->evidence);
}

static void remove_file(struct profile *p, size_t i)
{
	file_rule_free(&p->files[i]);
	memmove(&p->files[i], &p->files[i + 1], (p->nfiles - i - 1) * sizeof(p->files[0]));
	p->nfiles--;
}

static void remove_net(struct profile *p, size_t i)
{
	free(p->net[i].note);
	evidence_free(&p->net[i].evidence);
	memmove(&p->net[i], &p->net[i + 1], (p->nnet - i - 1) * sizeof(p->net[0]));
	p->nnet--;
}

int review_delete(struct review *r, size_t row)
{
	const struct review_row *w;

	if (row_at(r, row) || snapshot(r))
		return -1;
	w = &r->rows[row];
	if (w->grant)
		grant_line_set(&r->p, w->name, false);
	else if (w->net)
		remove_net(&r->p, w->index);
	else
		remove_file(&r->p, w->index);
	return done(r, 0);
}

static struct file_rule *file_rule_of(struct review *r, size_t row)
{
	if (rule_at(r, row))
		return NULL;
	if (r->rows[row].net) {
		stk_fail("a network rule: only file, exec and unix socket rules have paths");
		return NULL;
	}
	return &r->p.files[r->rows[row].index];
}

int review_narrow_access(struct review *r, size_t row, const char *name)
{
	struct file_rule *f = file_rule_of(r, row);
	uint32_t bit;

	if (!f)
		return -1;
	if (f->kind != RULE_FILE)
		return stk_fail("this rule grants one access only: delete it instead");
	if (access_parse(name, &bit) || !(bit & RULE_FILE_ACCESS))
		return stk_fail("unknown access '%s' (expected read, write, append, create, unlink, link)", name);
	if (!(f->access & bit))
		return stk_fail("the rule does not grant %s", name);
	if (f->access == bit)
		return stk_fail("%s is the rule's only access: delete the rule instead", name);
	if (snapshot(r))
		return -1;
	r->p.files[r->rows[row].index].access &= ~bit;
	return done(r, 0);
}

/* Fold rule add into an equal rule of p if there is one, else add it. */
static int merge_file(struct profile *p, const struct file_rule *add)
{
	for (size_t i = 0; i < p->nfiles; i++) {
		struct file_rule *f = &p->files[i];

		if (f->kind == add->kind && f->subtree == add->subtree && f->versions == add->versions &&
		    f->deny == add->deny &&
		    !strcmp(f->path, add->path)) {
			f->access |= add->access;
			if (add->evidence.count)
				evidence_merge(&f->evidence, add->evidence.count, add->evidence.first_seen,
					       add->evidence.last_seen);
			return 0;
		}
	}
	return profile_add_file(p, add);
}

/* The exact rules the recording supports under a subtree rule. */
static int observed_children(struct review *r, const struct file_rule *tree, struct profile *out)
{
	struct learn_options o;
	struct learner *l;
	int n;

	learn_options_default(&o);
	o.exact = true;
	if (learner_new(&o, r->p.subject_kind, r->p.subject, &l))
		return -1;
	n = learner_add_db(l, "review", r->db);
	if (n < 0 || learner_finish(l, out)) {
		learner_free(l);
		return -1;
	}
	learner_free(l);
	for (size_t i = 0; i < out->nfiles;) {
		struct file_rule *f = &out->files[i];

		f->access &= tree->access;
		if (f->kind != tree->kind || !f->access || !path_within(f->path, tree->path))
			remove_file(out, i);
		else
			i++;
	}
	return 0;
}

int review_narrow_children(struct review *r, size_t row)
{
	struct file_rule *f = file_rule_of(r, row);
	struct profile seen;
	int err = 0;

	if (!f)
		return -1;
	if (!f->subtree)
		return stk_fail("only a subtree rule narrows to what was observed below it");
	if (f->deny)
		return stk_fail("a deny rule refuses; narrowing it would allow more");
	if (!r->db)
		return stk_fail("narrowing to what was observed needs the recording: review --db FILE");
	if (observed_children(r, f, &seen))
		return -1;
	if (!seen.nfiles) {
		profile_free(&seen);
		return stk_fail("the recording shows nothing under %s: delete the rule instead", f->path);
	}
	if (snapshot(r)) {
		profile_free(&seen);
		return -1;
	}
	remove_file(&r->p, r->rows[row].index);
	for (size_t i = 0; !err && i < seen.nfiles; i++)
		err = merge_file(&r->p, &seen.files[i]);
	profile_free(&seen);
	return done(r, err);
}

static int widen_file(struct review *r, size_t index)
{
	struct file_rule w = r->p.files[index];
	char *slash;
	int err;

	if (w.path[0] != '/')
		return stk_fail("an abstract socket has no parent to widen to");
	if (!(w.path = strdup(w.path)))
		return stk_fail("out of memory");
	slash = strrchr(w.path, '/');
	*slash = 0;
	if (slash == w.path) {
		free(w.path);
		return stk_fail("widening would cover the whole file system; write that rule by hand if you mean it");
	}
	w.subtree = true;
	w.versions = false;
	w.accepted = true; /* the reviewer chose it */
	w.note = NULL;
	memset(&w.evidence.samples, 0, sizeof(w.evidence.samples));
	remove_file(&r->p, index);
	err = merge_file(&r->p, &w);
	free(w.path);
	return err;
}

static int widen_net(struct review *r, size_t index)
{
	struct net_rule *n = &r->p.net[index];
	bool v4 = n->prefix >= 96 && !memcmp(n->addr, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12);
	unsigned step = v4 ? 8 : 16, base = v4 ? 96 : 0, prefix;

	if (n->prefix <= base)
		return stk_fail("the rule already covers every address");
	prefix = base + (n->prefix - base - 1) / step * step;
	for (unsigned bit = prefix; bit < 128; bit++)
		n->addr[bit / 8] &= (uint8_t)~(0x80 >> (bit % 8));
	n->prefix = prefix;
	n->accepted = true; /* the reviewer chose it */
	for (size_t i = 0; i < r->p.nnet; i++) {
		if (i != index && !net_rule_cmp(&r->p.net[i], n)) {
			evidence_merge(&r->p.net[i].evidence, n->evidence.count, n->evidence.first_seen,
				       n->evidence.last_seen);
			remove_net(&r->p, index);
			break;
		}
	}
	return 0;
}

int review_widen(struct review *r, size_t row)
{
	const struct review_row *w;

	if (rule_at(r, row) || snapshot(r))
		return -1;
	w = &r->rows[row];
	return done(r, w->net ? widen_net(r, w->index) : widen_file(r, w->index));
}

int review_toggle_deny(struct review *r, size_t row)
{
	struct file_rule *f = file_rule_of(r, row), flipped;

	if (!f)
		return -1;
	flipped = *f;
	flipped.deny = !f->deny;
	for (size_t i = 0; i < r->p.nfiles; i++)
		if (!file_rule_cmp(&r->p.files[i], &flipped))
			return stk_fail("there is already a %s rule for %s: delete one of the two",
					flipped.deny ? "deny" : "allow", f->path);
	if (snapshot(r))
		return -1;
	r->p.files[r->rows[row].index].deny = flipped.deny;
	return done(r, 0);
}

int review_note(struct review *r, size_t row, const char *text)
{
	const struct review_row *w;
	char *note = NULL, **slot;

	if (rule_at(r, row))
		return -1;
	if (strchr(text, '\n'))
		return stk_fail("a note is one line");
	if (text[0] && !(note = strdup(text)))
		return stk_fail("out of memory");
	if (snapshot(r)) {
		free(note);
		return -1;
	}
	w = &r->rows[row];
	slot = w->net ? &r->p.net[w->index].note : &r->p.files[w->index].note;
	free(*slot);
	*slot = note;
	return done(r, 0);
}

/* ---- adding a rule by hand ------------------------------------------------------ */

/* "read,write" into access bits, file accesses only. */
static int parse_accesses(const char *text, uint32_t *access)
{
	char buf[128], *save, *tok;
	uint32_t bit;

	snprintf(buf, sizeof(buf), "%s", text);
	*access = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (access_parse(tok, &bit) || !(bit & RULE_FILE_ACCESS))
			return stk_fail("unknown access '%s' (expected read, write, append, create, unlink, link)", tok);
		*access |= bit;
	}
	return *access ? 0 : stk_fail("give at least one access, such as read");
}

static int add_path_rule(struct review *r, enum rule_kind kind, uint32_t access, const char *rest)
{
	struct file_rule f = { .kind = kind, .access = access, .accepted = true };
	const char *path;

	if (!strncmp(rest, "path ", 5)) {
		path = rest + 5;
	} else if (!strncmp(rest, "subtree ", 8)) {
		path = rest + 8;
		f.subtree = true;
	} else if (kind != RULE_UNIX && !strncmp(rest, "versions ", 9)) {
		path = rest + 9;
		f.versions = true;
	} else {
		return stk_fail(kind == RULE_UNIX ? "expected path or subtree, then the path"
						  : "expected path, versions or subtree, then the path");
	}
	if (kind == RULE_UNIX && path[0] == '@') {
		if (f.subtree || strlen(path) < 2)
			return stk_fail("an abstract socket is named exactly: unix path @NAME");
	} else if (path_check(path)) {
		return -1;
	}
	f.path = (char *)path;
	for (size_t i = 0; i < r->p.nfiles; i++)
		if (!file_rule_cmp(&r->p.files[i], &f))
			return stk_fail("the profile already has that rule");
	if (snapshot(r))
		return -1;
	return done(r, profile_add_file(&r->p, &f));
}

static int add_net_rule(struct review *r, const char *line)
{
	struct net_rule n = { .port_hi = 65535, .accepted = true };
	char op[16], proto[16], addr[64], ports[32] = "";
	unsigned lo, hi;
	char tail;
	int got = sscanf(line, "%15s %15s %63s %31s %c", op, proto, addr, ports, &tail);

	if (got < 3 || got > 4)
		return stk_fail("expected OPERATION PROTOCOL ADDRESS[/PREFIX] [PORTS]");
	if (net_op_parse(op, &n.op) || proto_parse(proto, &n.proto) || addr_parse(addr, n.addr, &n.prefix))
		return -1;
	if (got == 4) {
		int k = sscanf(ports, "%u-%u%c", &lo, &hi, &tail);

		if (k == 1)
			hi = lo;
		if (k < 1 || k > 2 || lo > hi || hi > 65535)
			return stk_fail("ports must be a port or a range such as 8000-8999, not '%s'", ports);
		n.port_lo = (uint16_t)lo;
		n.port_hi = (uint16_t)hi;
	}
	for (size_t i = 0; i < r->p.nnet; i++)
		if (!net_rule_cmp(&r->p.net[i], &n))
			return stk_fail("the profile already has that rule");
	if (snapshot(r))
		return -1;
	return done(r, profile_add_net(&r->p, &n));
}

/* "privilege NAME", "capability NAME" or "socket NAME". */
static int add_grant(struct review *r, const char *line)
{
	const char *name = strchr(line, ' ') + 1;
	struct profile probe = { 0 };
	uint32_t priv;
	int err;

	if (!strncmp(line, "privilege ", 10))
		err = privilege_parse(name, &priv);
	else
		err = grant_add(&probe, line[0] == 'c' ? GRANT_CAPABILITY : GRANT_SOCKET, name);
	if (err)
		return -1;
	if (grant_line_has(&r->p, line))
		return stk_fail("the profile grants %s already", line);
	if (snapshot(r))
		return -1;
	grant_line_set(&r->p, line, true);
	return done(r, 0);
}

int review_add(struct review *r, const char *line)
{
	char access[128];
	uint32_t bits;
	int used = 0;

	while (*line == ' ')
		line++;
	if (!strncmp(line, "exec ", 5))
		return add_path_rule(r, RULE_EXEC, STK_ACC_EXEC, line + 5);
	if (!strncmp(line, "unix ", 5))
		return add_path_rule(r, RULE_UNIX, STK_ACC_CONNECT, line + 5);
	if (!strncmp(line, "files ", 6)) {
		if (sscanf(line + 6, "%127s %n", access, &used) != 1 || !used || parse_accesses(access, &bits))
			return used ? -1 : stk_fail("expected files ACCESS[,ACCESS] path|versions|subtree PATH");
		return add_path_rule(r, RULE_FILE, bits, line + 6 + used);
	}
	if (!strncmp(line, "connect ", 8) || !strncmp(line, "bind ", 5) || !strncmp(line, "send ", 5))
		return add_net_rule(r, line);
	if (!strncmp(line, "privilege ", 10) || !strncmp(line, "capability ", 11) || !strncmp(line, "socket ", 7))
		return add_grant(r, line);
	return stk_fail("a rule starts with files, exec, unix, connect, bind, send, privilege, capability or socket");
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

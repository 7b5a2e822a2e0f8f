/*
 * The review's actions on the rule of a row, and rules added by hand: each
 * works on a snapshot it can roll back to, keeps the profile in canonical
 * order, and rebuilds the rows on screen.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../names/names.h"
#include "../profile/profile.h"
#include "../learner/learner.h"
#include "review.h"
#include "model.h"
#include "../common/error.h"

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

	if (row_at(r, row) || model_snapshot(r))
		return -1;
	w = &r->rows[row];
	if (w->grant)
		grant_line_set(&r->p, w->name, false);
	else if (w->net)
		remove_net(&r->p, w->index);
	else
		remove_file(&r->p, w->index);
	return model_done(r, 0);
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
	if (model_snapshot(r))
		return -1;
	r->p.files[r->rows[row].index].access &= ~bit;
	return model_done(r, 0);
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
	if (model_snapshot(r)) {
		profile_free(&seen);
		return -1;
	}
	remove_file(&r->p, r->rows[row].index);
	for (size_t i = 0; !err && i < seen.nfiles; i++)
		err = merge_file(&r->p, &seen.files[i]);
	profile_free(&seen);
	return model_done(r, err);
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

	if (rule_at(r, row) || model_snapshot(r))
		return -1;
	w = &r->rows[row];
	return model_done(r, w->net ? widen_net(r, w->index) : widen_file(r, w->index));
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
	if (model_snapshot(r))
		return -1;
	r->p.files[r->rows[row].index].deny = flipped.deny;
	return model_done(r, 0);
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
	if (model_snapshot(r)) {
		free(note);
		return -1;
	}
	w = &r->rows[row];
	slot = w->net ? &r->p.net[w->index].note : &r->p.files[w->index].note;
	free(*slot);
	*slot = note;
	return model_done(r, 0);
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
	if (model_snapshot(r))
		return -1;
	return model_done(r, profile_add_file(&r->p, &f));
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
	if (model_snapshot(r))
		return -1;
	return model_done(r, profile_add_net(&r->p, &n));
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
	if (model_snapshot(r))
		return -1;
	grant_line_set(&r->p, line, true);
	return model_done(r, 0);
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

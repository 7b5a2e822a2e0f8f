/*
 * What changed between two versions of a profile, rule by rule, so that
 * re-learning after an upgrade (and the review screen) can show what is new
 * and what got wider. A rule is matched to the old version by what it names
 * (list, path or subtree, deny; or operation, protocol, network and ports);
 * a new rule that covers old rules it replaced widens them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../subject/subject.h"
#include "../names/names.h"
#include "profile.h"
#include "../bpf/decide.h"

bool path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (!strcmp(dir, "/"))
		return path[0] == '/';
	return !strncmp(path, dir, n) && (path[n] == 0 || path[n] == '/');
}

bool path_is_version_of(const char *path, const char *stem)
{
	size_t want = strlen(stem);
	uint32_t len = (uint32_t)strlen(path);

	while (len > want)
		len = stk_version_stem_len(path, len);
	return len == want && !strncmp(path, stem, want);
}

/* Does rule a grant (or deny) everything rule b does? */
static bool file_rule_covers(const struct file_rule *a, const struct file_rule *b)
{
	if (a->kind != b->kind || a->deny != b->deny || (b->access & ~stk_access_implied(a->access)))
		return false;
	if (a->subtree)
		return path_within(b->path, a->path);
	if (a->versions)
		return !b->subtree && path_is_version_of(b->path, a->path) &&
		       (!b->versions || !strcmp(a->path, b->path));
	return !b->subtree && !b->versions && !strcmp(a->path, b->path);
}

static bool net_rule_covers(const struct net_rule *a, const struct net_rule *b)
{
	return a->op == b->op && a->proto == b->proto && a->prefix <= b->prefix &&
	       addr_in_prefix(b->addr, a->addr, a->prefix) && a->port_lo <= b->port_lo && b->port_hi <= a->port_hi;
}

/* Profiles are kept in canonical order, so a rule is found by bisection. */
static const struct file_rule *find_file_rule(const struct profile *p, const struct file_rule *r)
{
	return p->nfiles ? bsearch(r, p->files, p->nfiles, sizeof(*r), file_rule_cmp) : NULL;
}

static const struct net_rule *find_net_rule(const struct profile *p, const struct net_rule *r)
{
	return p->nnet ? bsearch(r, p->net, p->nnet, sizeof(*r), net_rule_cmp) : NULL;
}

enum rule_change file_rule_change(const struct profile *old, const struct file_rule *r)
{
	const struct file_rule *was = find_file_rule(old, r);

	if (was) {
		uint32_t before = stk_access_implied(was->access), after = stk_access_implied(r->access);

		if (before == after)
			return CHANGE_NONE;
		if (!(before & ~after))
			return CHANGE_WIDENED;
		return !(after & ~before) ? CHANGE_NARROWED : CHANGE_CHANGED;
	}
	for (size_t i = 0; i < old->nfiles; i++)
		if (file_rule_covers(r, &old->files[i]))
			return CHANGE_WIDENED;
	return CHANGE_ADDED;
}

enum rule_change net_rule_change(const struct profile *old, const struct net_rule *r)
{
	if (find_net_rule(old, r))
		return CHANGE_NONE;
	for (size_t i = 0; i < old->nnet; i++)
		if (net_rule_covers(r, &old->net[i]))
			return CHANGE_WIDENED;
	return CHANGE_ADDED;
}

void file_rule_format(const struct file_rule *r, char *buf, size_t len)
{
	static const char *const lists[] = { [RULE_FILE] = "files", [RULE_EXEC] = "exec", [RULE_UNIX] = "unix" };
	char acc[64];

	snprintf(buf, len, "%s %s %s%s%s%s%s", lists[r->kind], rule_match_name(file_rule_match(r)), r->path,
		 r->kind == RULE_FILE ? " [" : "", r->kind == RULE_FILE ? access_format(r->access, acc, sizeof(acc)) : "",
		 r->kind == RULE_FILE ? "]" : "", r->deny ? " deny" : "");
}

void net_rule_format(const struct net_rule *r, char *buf, size_t len)
{
	char where[64], ports[32];

	addr_format(r->addr, r->prefix, where, sizeof(where));
	if (r->port_lo == 0 && r->port_hi == 65535)
		snprintf(ports, sizeof(ports), "any port");
	else if (r->port_lo == r->port_hi)
		snprintf(ports, sizeof(ports), "port %u", r->port_lo);
	else
		snprintf(ports, sizeof(ports), "ports %u-%u", r->port_lo, r->port_hi);
	snprintf(buf, len, "network %s %s %s %s", net_op_name(r->op), proto_name(r->proto), where, ports);
}

/* Old rules that a new rule widened: they are part of that line, not removed. */
static void print_replaced_files(FILE *out, const struct profile *old, const struct profile *new,
				 const struct file_rule *r)
{
	char text[STK_PATH_MAX + 96];

	for (size_t i = 0; i < old->nfiles; i++) {
		if (find_file_rule(new, &old->files[i]) || !file_rule_covers(r, &old->files[i]))
			continue;
		file_rule_format(&old->files[i], text, sizeof(text));
		fprintf(out, "    was %s\n", text);
	}
}

static bool file_rule_kept(const struct profile *new, const struct file_rule *r)
{
	if (find_file_rule(new, r))
		return true;
	for (size_t i = 0; i < new->nfiles; i++)
		if (file_rule_covers(&new->files[i], r))
			return true;
	return false;
}

static bool net_rule_kept(const struct profile *new, const struct net_rule *r)
{
	for (size_t i = 0; i < new->nnet; i++)
		if (net_rule_covers(&new->net[i], r))
			return true;
	return false;
}

static const char marks[] = { [CHANGE_NONE] = ' ', [CHANGE_ADDED] = '+', [CHANGE_WIDENED] = '>',
			      [CHANGE_NARROWED] = '<', [CHANGE_CHANGED] = '~' };

static void count_change(struct diff_counts *c, enum rule_change change)
{
	c->added += change == CHANGE_ADDED;
	c->widened += change == CHANGE_WIDENED || change == CHANGE_CHANGED;
	c->narrowed += change == CHANGE_NARROWED || change == CHANGE_CHANGED;
}

static void diff_files(FILE *out, const struct profile *old, const struct profile *new, struct diff_counts *c)
{
	char text[STK_PATH_MAX + 96], was[STK_PATH_MAX + 96];

	for (size_t i = 0; i < new->nfiles; i++) {
		const struct file_rule *r = &new->files[i], *before = find_file_rule(old, r);
		enum rule_change change = file_rule_change(old, r);

		if (change == CHANGE_NONE)
			continue;
		count_change(c, change);
		file_rule_format(r, text, sizeof(text));
		fprintf(out, "%c %s\n", marks[change], text);
		if (before) {
			file_rule_format(before, was, sizeof(was));
			fprintf(out, "    was %s\n", was);
		} else if (change == CHANGE_WIDENED) {
			print_replaced_files(out, old, new, r);
		}
	}
	for (size_t i = 0; i < old->nfiles; i++) {
		if (file_rule_kept(new, &old->files[i]))
			continue;
		file_rule_format(&old->files[i], text, sizeof(text));
		fprintf(out, "- %s\n", text);
		c->removed++;
	}
}

static void diff_net(FILE *out, const struct profile *old, const struct profile *new, struct diff_counts *c)
{
	char text[160];

	for (size_t i = 0; i < new->nnet; i++) {
		enum rule_change change = net_rule_change(old, &new->net[i]);

		if (change == CHANGE_NONE)
			continue;
		count_change(c, change);
		net_rule_format(&new->net[i], text, sizeof(text));
		fprintf(out, "%c %s\n", marks[change], text);
		for (size_t j = 0; change == CHANGE_WIDENED && j < old->nnet; j++) {
			if (find_net_rule(new, &old->net[j]) || !net_rule_covers(&new->net[i], &old->net[j]))
				continue;
			net_rule_format(&old->net[j], text, sizeof(text));
			fprintf(out, "    was %s\n", text);
		}
	}
	for (size_t i = 0; i < old->nnet; i++) {
		if (net_rule_kept(new, &old->net[i]))
			continue;
		net_rule_format(&old->net[i], text, sizeof(text));
		fprintf(out, "- %s\n", text);
		c->removed++;
	}
}

static void diff_privileges(FILE *out, const struct profile *old, const struct profile *new,
			    struct diff_counts *c)
{
	for (uint32_t priv = 1; priv & STK_PRIV_ALL; priv <<= 1) {
		if ((new->privileges & priv) && !(old->privileges & priv)) {
			fprintf(out, "+ privilege %s\n", privilege_name(priv));
			c->added++;
		} else if (!(new->privileges & priv) && (old->privileges & priv)) {
			fprintf(out, "- privilege %s\n", privilege_name(priv));
			c->removed++;
		}
	}
}

struct grant_diff {
	FILE *out;
	const struct profile *other; /* the version to look the name up in */
	const char *sign;            /* "+" for a grant only new has, "-" for one only old has */
	size_t *count;
};

static void diff_grant(enum grant_kind kind, const char *name, void *ctx)
{
	struct grant_diff *d = ctx;

	if (grant_has(d->other, kind, name))
		return;
	fprintf(d->out, "%s %s %s\n", d->sign, kind == GRANT_CAPABILITY ? "capability" : "socket", name);
	(*d->count)++;
}

static void diff_grants(FILE *out, const struct profile *old, const struct profile *new,
			struct diff_counts *c)
{
	struct grant_diff added = { out, old, "+", &c->added }, removed = { out, new, "-", &c->removed };

	grants_foreach(new, diff_grant, &added);
	grants_foreach(old, diff_grant, &removed);
}

void profile_diff(FILE *out, const struct profile *old, const struct profile *new, struct diff_counts *c)
{
	memset(c, 0, sizeof(*c));
	if (old->subject_kind != new->subject_kind || strcmp(old->subject, new->subject))
		fprintf(out, "~ subject %s %s, was %s %s\n", subject_kind_name(new->subject_kind), new->subject,
			subject_kind_name(old->subject_kind), old->subject);
	if (old->complain != new->complain) {
		fprintf(out, "~ mode %s, was %s\n", new->complain ? "complain" : "enforce",
			old->complain ? "complain" : "enforce");
		c->widened += new->complain;
		c->narrowed += !new->complain;
	}
	diff_files(out, old, new, c);
	diff_net(out, old, new, c);
	diff_privileges(out, old, new, c);
	diff_grants(out, old, new, c);
}

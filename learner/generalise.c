/*
 * File-system rules from observations: exact rules, and subtree rules where
 * a directory's evidence says so. Every observed path and each of its
 * ancestors is a node; a node counts, per access, how many of its direct
 * entries were used with that access at or below them, and how many of its
 * direct entries have random-looking names. A directory becomes a subtree
 * rule for an access when enough of its entries were used with it
 * (--siblings), and for the accesses of its random-named entries when there
 * are enough of them (--random-min). Whatever a subtree rule covers is
 * dropped from the rules below it, so no rule is redundant.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "learn.h"
#include "../bpf/decide.h"
#include "../common/error.h"

#define NO_NODE UINT32_MAX
#define ACCESS_BITS 8

/* One object of one list, merged over hosts. */
struct item {
	const char *path;
	uint32_t access;
	uint32_t node;
	uint32_t host_off, nhosts; /* its distinct hosts: hosts[host_off, +nhosts) */
	int64_t count, first_seen, last_seen;
};

struct node {
	const char *path; /* a prefix of an item's path: path[0, len) */
	uint32_t len;
	uint32_t parent;
	uint32_t nrandom;            /* direct entries with random-looking names */
	uint32_t used[ACCESS_BITS];  /* direct entries used, per access bit */
	uint8_t below;               /* access bits used at or below it */
	uint8_t random_access;       /* what its random-named entries were used for */
	uint8_t tree;                /* what its subtree rule grants (0: none) */
	uint8_t covered;             /* what its ancestors' subtree rules grant */
};

struct tree {
	struct node *nodes;
	size_t n, cap;
	uint32_t *slots; /* open addressing: node index + 1, 0 when empty */
	size_t nslots;
};

struct files {
	struct learner *l;
	struct item *items;
	size_t nitems;
	uint32_t *hosts;
	size_t nhosts;
	struct host_set hs;
};

/* ---- names -------------------------------------------------------------- */

static int char_class(char c)
{
	if (c >= '0' && c <= '9')
		return 1;
	if (c >= 'a' && c <= 'z')
		return 2;
	if (c >= 'A' && c <= 'Z')
		return 3;
	return 0;
}

/*
 * mkstemp suffixes, hashes, UUIDs and timestamps: 6 characters or more that
 * are all digits, or that switch between digits, lower and upper case at
 * least 3 times. Words with a version number ("libssl3") switch once.
 */
static bool random_token(const char *s, size_t n)
{
	int switches = 0, digits = 0;

	if (n < 6)
		return false;
	for (size_t i = 0; i < n; i++) {
		digits += char_class(s[i]) == 1;
		if (i && char_class(s[i]) != char_class(s[i - 1]))
			switches++;
	}
	return (size_t)digits == n || switches >= 3;
}

/* Does the last component of path look generated rather than chosen? */
static bool random_name(const char *path)
{
	const char *name = strrchr(path, '/');
	const char *tok = name ? name + 1 : path;

	for (const char *p = tok;; p++) {
		if (*p && !strchr("._-+~ ", *p))
			continue;
		if (random_token(tok, (size_t)(p - tok)))
			return true;
		if (!*p)
			return false;
		tok = p + 1;
	}
}

/* ---- the tree of observed paths ------------------------------------------ */

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 0x100000001b3ULL;
	return h;
}

static int tree_rehash(struct tree *t)
{
	size_t nslots = t->nslots ? t->nslots * 2 : 1024;
	uint32_t *slots = calloc(nslots, sizeof(*slots));

	if (!slots)
		return stk_fail("out of memory");
	for (size_t i = 0; i < t->n; i++) {
		size_t s = hash_bytes(t->nodes[i].path, t->nodes[i].len) & (nslots - 1);

		while (slots[s])
			s = (s + 1) & (nslots - 1);
		slots[s] = (uint32_t)i + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = nslots;
	return 0;
}

/* The node for path[0, len), created (with parent) if new. */
static int tree_node(struct tree *t, const char *path, uint32_t len, uint32_t parent, uint32_t *out)
{
	size_t s;

	if (t->n * 2 >= t->nslots && tree_rehash(t))
		return -1;
	s = hash_bytes(path, len) & (t->nslots - 1);
	for (; t->slots[s]; s = (s + 1) & (t->nslots - 1)) {
		struct node *n = &t->nodes[t->slots[s] - 1];

		if (n->len == len && !memcmp(n->path, path, len)) {
			*out = t->slots[s] - 1;
			return 0;
		}
	}
	if (learn_reserve((void **)&t->nodes, &t->cap, t->n, sizeof(*t->nodes)))
		return -1;
	t->nodes[t->n] = (struct node){ .path = path, .len = len, .parent = parent };
	t->slots[s] = (uint32_t)t->n + 1;
	*out = (uint32_t)t->n++;
	return 0;
}

/*
 * Add an item's path and its ancestors, top down (so a parent's index is
 * always below its children's), counting each access that is new at a node
 * as one more used entry of its parent.
 */
static int tree_add(struct tree *t, struct item *it)
{
	uint32_t parent = NO_NODE, id = NO_NODE, len = 1;
	const char *path = it->path, *next;
	size_t full = strlen(path);

	for (;;) {
		struct node *n;
		uint8_t fresh;

		if (tree_node(t, path, len, parent, &id))
			return -1;
		n = &t->nodes[id];
		fresh = (uint8_t)(it->access & ~n->below);
		n->below |= (uint8_t)it->access;
		for (int b = 0; parent != NO_NODE && b < ACCESS_BITS; b++)
			if (fresh & (1u << b))
				t->nodes[parent].used[b]++;
		if (len >= full)
			break;
		parent = id;
		next = strchr(path + len + 1, '/');
		len = next ? (uint32_t)(next - path) : (uint32_t)full;
	}
	it->node = id;
	if (parent != NO_NODE && random_name(path)) {
		t->nodes[parent].nrandom++;
		t->nodes[parent].random_access |= (uint8_t)it->access;
	}
	return 0;
}

static void tree_free(struct tree *t)
{
	free(t->nodes);
	free(t->slots);
}

/* ---- items ---------------------------------------------------------------- */

static int raw_cmp(const void *a, const void *b)
{
	const struct raw_file *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = strcmp(x->path, y->path)))
		return c;
	return (x->host > y->host) - (x->host < y->host);
}

/* Merge the raw observations of one list into items, one per path. */
static int items_build(struct files *f, const struct raw_file *raw, size_t n)
{
	f->nitems = f->nhosts = 0;
	free(f->items);
	free(f->hosts);
	f->items = calloc(n ? n : 1, sizeof(*f->items));
	f->hosts = calloc(n ? n : 1, sizeof(*f->hosts));
	if (!f->items || !f->hosts)
		return stk_fail("out of memory");
	for (size_t i = 0; i < n; i++) {
		struct item *it = f->nitems ? &f->items[f->nitems - 1] : NULL;

		if (!it || strcmp(it->path, raw[i].path)) {
			it = &f->items[f->nitems++];
			*it = (struct item){ .path = raw[i].path, .host_off = (uint32_t)f->nhosts,
					     .first_seen = raw[i].first_seen, .last_seen = raw[i].last_seen };
		}
		it->access |= raw[i].access;
		it->count += raw[i].count;
		if (raw[i].first_seen < it->first_seen)
			it->first_seen = raw[i].first_seen;
		if (raw[i].last_seen > it->last_seen)
			it->last_seen = raw[i].last_seen;
		if (!it->nhosts || f->hosts[f->nhosts - 1] != raw[i].host) {
			f->hosts[f->nhosts++] = raw[i].host;
			it->nhosts++;
		}
	}
	return 0;
}

/* ---- rules ---------------------------------------------------------------- */

static const char *const list_names[] = { [RULE_FILE] = "file", [RULE_EXEC] = "exec", [RULE_UNIX] = "unix socket" };

/* What a subtree rule at n may grant, before ancestors and hosts are weighed. */
static uint8_t tree_candidate(const struct learn_options *o, const struct node *n)
{
	uint8_t bits = 0;

	if (n->len <= 1) /* never the whole file system */
		return 0;
	if (n->nrandom >= (uint32_t)o->random_min)
		bits |= n->random_access;
	for (int b = 0; b < ACCESS_BITS; b++)
		if (n->used[b] >= (uint32_t)o->siblings)
			bits |= (uint8_t)(1u << b);
	return bits;
}

/* The first item at or after key, by binary search. */
static size_t items_lower_bound(const struct files *f, const char *key)
{
	size_t lo = 0, hi = f->nitems;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(f->items[mid].path, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void evidence_add_item(struct files *f, struct evidence *ev, const struct item *it)
{
	evidence_merge(ev, it->count, it->first_seen, it->last_seen);
	for (uint32_t h = 0; h < it->nhosts; h++)
		host_set_add(&f->hs, f->hosts[it->host_off + h]);
}

/*
 * The evidence for a subtree rule at n granting bits: every item at or
 * below n that used any of them. Returns how many items that is.
 */
static int subtree_evidence(struct files *f, const struct node *n, uint8_t bits, struct evidence *ev,
			    size_t *covered)
{
	char *prefix = malloc(n->len + 2);
	size_t i, nsamples = 0;

	if (!prefix)
		return stk_fail("out of memory");
	memcpy(prefix, n->path, n->len);
	prefix[n->len] = 0;
	memset(ev, 0, sizeof(*ev));
	host_set_clear(&f->hs);
	*covered = 0;
	i = items_lower_bound(f, prefix);
	if (i < f->nitems && !strcmp(f->items[i].path, prefix) && (f->items[i].access & bits)) {
		evidence_add_item(f, ev, &f->items[i]);
		(*covered)++;
	}
	prefix[n->len] = '/';
	prefix[n->len + 1] = 0;
	for (i = items_lower_bound(f, prefix); i < f->nitems && !strncmp(f->items[i].path, prefix, n->len + 1); i++) {
		if (!(f->items[i].access & bits))
			continue;
		evidence_add_item(f, ev, &f->items[i]);
		(*covered)++;
		if (nsamples < EVIDENCE_SAMPLES && !(ev->samples[nsamples++] = strdup(f->items[i].path))) {
			free(prefix);
			return stk_fail("out of memory");
		}
	}
	free(prefix);
	ev->hosts = (int64_t)f->hs.n;
	return 0;
}

static void report_subtree(struct files *f, enum rule_kind kind, const struct node *n, uint8_t bits,
			   const struct evidence *ev, size_t covered)
{
	const struct learn_options *o = &f->l->opt;
	char acc[64], why[128] = "";
	size_t w = 0;

	if (n->nrandom >= (uint32_t)o->random_min && (n->random_access & bits))
		w += (size_t)snprintf(why, sizeof(why), "%u random-looking names (--random-min %d)",
				      n->nrandom, o->random_min);
	for (int b = 0; b < ACCESS_BITS && w < sizeof(why); b++) {
		if ((bits & (1u << b)) && n->used[b] >= (uint32_t)o->siblings) {
			snprintf(why + w, sizeof(why) - w, "%s%u entries (--siblings %d)", w ? "; " : "",
				 n->used[b], o->siblings);
			break;
		}
	}
	learn_report(f->l, "%s subtree %.*s [%s] replaces %zu path%s: %s; e.g. %s%s%s",
		     list_names[kind], (int)n->len, n->path, access_format(bits, acc, sizeof(acc)), covered,
		     covered == 1 ? "" : "s", why, ev->samples[0] ? ev->samples[0] : "",
		     ev->samples[1] ? ", " : "", ev->samples[1] ? ev->samples[1] : "");
}

/*
 * Decide each node's subtree rule, ancestors first (a parent's index is
 * below its children's), granting only what no ancestor's rule grants yet.
 */
static int subtrees_learn(struct files *f, struct tree *t, enum rule_kind kind, struct profile *out)
{
	for (size_t i = 0; i < t->n; i++) {
		struct node *n = &t->nodes[i];
		const struct node *up = n->parent == NO_NODE ? NULL : &t->nodes[n->parent];
		struct file_rule r = { .kind = kind, .subtree = true };
		size_t covered = 0;
		char acc[64];
		int err;

		n->covered = up ? (uint8_t)stk_access_implied(up->covered | up->tree) : 0;
		n->tree = (uint8_t)(tree_candidate(&f->l->opt, n) & ~n->covered);
		if (!n->tree)
			continue;
		if (subtree_evidence(f, n, n->tree, &r.evidence, &covered))
			return -1;
		if (r.evidence.hosts < f->l->opt.min_hosts) {
			learn_report(f->l, "no %s subtree %.*s [%s]: seen on %" PRId64 " host%s, fewer than --min-hosts %d",
				     list_names[kind], (int)n->len, n->path,
				     access_format(n->tree, acc, sizeof(acc)), r.evidence.hosts,
				     r.evidence.hosts == 1 ? "" : "s", f->l->opt.min_hosts);
			n->tree = 0;
			evidence_free(&r.evidence);
			continue;
		}
		report_subtree(f, kind, n, n->tree, &r.evidence, covered);
		r.access = n->tree;
		if (!(r.path = strndup(n->path, n->len))) {
			evidence_free(&r.evidence);
			return stk_fail("out of memory");
		}
		err = profile_add_file(out, &r);
		free(r.path);
		evidence_free(&r.evidence);
		if (err)
			return -1;
	}
	return 0;
}

/* What no subtree rule covers stays an exact rule. */
static int exact_learn(struct files *f, const struct tree *t, enum rule_kind kind, struct profile *out)
{
	for (size_t i = 0; i < f->nitems; i++) {
		const struct item *it = &f->items[i];
		struct file_rule r = { .kind = kind, .path = (char *)it->path };
		uint32_t covered = 0;
		char acc[64];

		if (it->node != NO_NODE) {
			const struct node *n = &t->nodes[it->node];

			covered = stk_access_implied(n->covered | n->tree);
		}
		if (!(r.access = it->access & ~covered))
			continue;
		if ((int64_t)it->nhosts < f->l->opt.min_hosts) {
			learn_report(f->l, "no %s rule for %s [%s]: seen on %u host%s, fewer than --min-hosts %d",
				     list_names[kind], it->path, access_format(r.access, acc, sizeof(acc)),
				     it->nhosts, it->nhosts == 1 ? "" : "s", f->l->opt.min_hosts);
			continue;
		}
		r.evidence = (struct evidence){ .count = it->count, .first_seen = it->first_seen,
						.last_seen = it->last_seen, .hosts = it->nhosts };
		if (profile_add_file(out, &r))
			return -1;
	}
	return 0;
}

static int list_learn(struct files *f, enum rule_kind kind, const struct raw_file *raw, size_t n,
		      struct profile *out)
{
	struct tree t = { 0 };
	int err = 0;

	if (items_build(f, raw, n))
		return -1;
	for (size_t i = 0; i < f->nitems; i++) {
		f->items[i].node = NO_NODE;
		if (!f->l->opt.exact && f->items[i].path[0] == '/' && (err = tree_add(&t, &f->items[i])))
			break;
	}
	if (!err)
		err = subtrees_learn(f, &t, kind, out) || exact_learn(f, &t, kind, out);
	tree_free(&t);
	return err ? -1 : 0;
}

int learn_files(struct learner *l, struct profile *out)
{
	struct files f = { .l = l };
	size_t start = 0;
	int err = 0;

	if (host_set_init(&f.hs, l->nhosts))
		return -1;
	if (l->nfiles)
		qsort(l->files, l->nfiles, sizeof(*l->files), raw_cmp);
	for (size_t i = 1; !err && i <= l->nfiles; i++) {
		if (i < l->nfiles && l->files[i].kind == l->files[start].kind)
			continue;
		err = list_learn(&f, l->files[start].kind, l->files + start, i - start, out);
		start = i;
	}
	free(f.items);
	free(f.hosts);
	host_set_free(&f.hs);
	return err;
}

/*
 * File-system rules from observations: exact rules, and subtree rules where
 * a directory's evidence says so. Every observed path and each of its
 * ancestors is a node; a node counts, per access, how many of its direct
 * entries were used with that access at or below them, and how many of its
 * direct entries have random-looking names. A directory becomes a subtree
 * rule for an access when enough of its entries were used with it
 * (--siblings), and for the accesses of its random-named entries when there
 * are enough of them (--random-min). Names that the next run will choose
 * anew also make their directory a subtree: a content tree (many names used
 * with one access, spread over its folders), a family of numbered names the
 * service makes (rotated logs, per-pid and per-connection names), and a
 * task's own threads (/proc/self/task/TID). Whatever a subtree rule covers
 * is dropped from the rules below it, so no rule is redundant. paths.c
 * builds the tree and marks the names chosen anew; this file makes rules.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "paths.h"
#include "../names/names.h"
#include "../profile/profile.h"
#include "learner.h"
#include "../bpf/decide.h"
#include "../common/error.h"

/* ---- rules ---------------------------------------------------------------- */

static const char *const list_names[] = { [RULE_FILE] = "file", [RULE_EXEC] = "exec", [RULE_UNIX] = "unix socket" };

/* Is n a content tree for access bit b: many names, in several folders, and no child holding them all? */
static bool content_tree(const struct learn_options *o, const struct node *n, int b)
{
	return n->names[b] >= (uint32_t)o->content_names && n->folders[b] >= (uint32_t)o->content_folders &&
	       n->widest[b] < n->names[b] && content_root_allowed(n);
}

/* What a subtree rule at n may grant, before ancestors and hosts are weighed. */
static uint8_t tree_candidate(const struct learn_options *o, const struct node *n)
{
	uint8_t bits = n->numbered_access;

	if (n->len <= 1) /* never the whole file system */
		return 0;
	if (n->nrandom >= (uint32_t)o->random_min)
		bits |= n->random_access;
	for (int b = 0; b < ACCESS_BITS; b++)
		if (n->used[b] >= (uint32_t)o->siblings || content_tree(o, n, b))
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

/* Who used any of bits on the item. */
static void item_exes(const struct item *it, uint32_t bits, struct exe_set *exes)
{
	for (int b = 0; b < ACCESS_BITS; b++)
		if (bits & (1u << b))
			exe_set_merge(exes, &it->exes[b]);
}

static void evidence_add_item(struct files *f, struct evidence *ev, struct exe_set *exes, uint8_t bits,
			      const struct item *it)
{
	evidence_merge(ev, it->count, it->first_seen, it->last_seen);
	item_exes(it, bits, exes);
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
	struct exe_set exes = { 0 };
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
		evidence_add_item(f, ev, &exes, bits, &f->items[i]);
		(*covered)++;
	}
	prefix[n->len] = '/';
	prefix[n->len + 1] = 0;
	for (i = items_lower_bound(f, prefix); i < f->nitems && !strncmp(f->items[i].path, prefix, n->len + 1); i++) {
		if (!(f->items[i].access & bits))
			continue;
		evidence_add_item(f, ev, &exes, bits, &f->items[i]);
		(*covered)++;
		if (nsamples < EVIDENCE_SAMPLES && !(ev->samples[nsamples++] = strdup(f->items[i].path))) {
			free(prefix);
			return stk_fail("out of memory");
		}
	}
	free(prefix);
	ev->hosts = (int64_t)f->hs.n;
	return exe_set_copy(ev, &exes);
}

/* Append one reason, for the evidence (why) and for the report (said, with the option that set it). */
static void reason_add(char *why, size_t wlen, char *said, size_t slen, const char *option, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static void reason_add(char *why, size_t wlen, char *said, size_t slen, const char *option, const char *fmt, ...)
{
	size_t w = strlen(why), s = strlen(said);
	va_list ap;

	if (w + 2 >= wlen || s + 2 >= slen)
		return;
	if (w) {
		strcat(why, "; ");
		strcat(said, "; ");
		w += 2;
		s += 2;
	}
	va_start(ap, fmt);
	vsnprintf(why + w, wlen - w, fmt, ap);
	va_end(ap);
	snprintf(said + s, slen - s, "%s%s%s%s", why + w, option[0] ? " (" : "", option, option[0] ? ")" : "");
}

/* Why a subtree rule at n grants bits: "content-tree, 10 files in 6 folders". */
static void subtree_reasons(const struct learn_options *o, const struct node *n, uint8_t bits, char *why,
			    size_t wlen, char *said, size_t slen)
{
	char opt[96];

	why[0] = said[0] = 0;
	if (n->nrandom >= (uint32_t)o->random_min && (n->random_access & bits)) {
		snprintf(opt, sizeof(opt), "--random-min %d", o->random_min);
		reason_add(why, wlen, said, slen, opt, "random-names, %u random-looking names", n->nrandom);
	}
	if (n->nnumbered && (n->numbered_access & bits)) {
		snprintf(opt, sizeof(opt), "--numbered %d", o->numbered);
		reason_add(why, wlen, said, slen, opt, "numbered-names, %u names like %s", n->nnumbered, n->numbered);
	}
	if (n->threads && (n->numbered_access & bits))
		reason_add(why, wlen, said, slen, "", "per-thread, thread ids change every run");
	for (int b = 0; b < ACCESS_BITS; b++) {
		if ((bits & (1u << b)) && content_tree(o, n, b)) {
			snprintf(opt, sizeof(opt), "--content-names %d, --content-folders %d", o->content_names,
				 o->content_folders);
			reason_add(why, wlen, said, slen, opt, "content-tree, %u files in %u folders", n->names[b],
				   n->folders[b]);
			break;
		}
	}
	for (int b = 0; b < ACCESS_BITS; b++) {
		if ((bits & (1u << b)) && n->used[b] >= (uint32_t)o->siblings) {
			snprintf(opt, sizeof(opt), "--siblings %d", o->siblings);
			reason_add(why, wlen, said, slen, opt, "siblings, %u entries", n->used[b]);
			break;
		}
	}
}

static void report_subtree(struct files *f, enum rule_kind kind, const struct node *n, uint8_t bits,
			   const struct evidence *ev, size_t covered, const char *said)
{
	char acc[64];

	learn_report(f->l, "%s subtree %.*s [%s] replaces %zu path%s: %s; e.g. %s%s%s",
		     list_names[kind], (int)n->len, n->path, access_format(bits, acc, sizeof(acc)), covered,
		     covered == 1 ? "" : "s", said, ev->samples[0] ? ev->samples[0] : "",
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
		char acc[64], why[256], said[512];
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
		subtree_reasons(&f->l->opt, n, n->tree, why, sizeof(why), said, sizeof(said));
		report_subtree(f, kind, n, n->tree, &r.evidence, covered, said);
		if (!(r.evidence.generalised = strdup(why))) {
			evidence_free(&r.evidence);
			return stk_fail("out of memory");
		}
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

/*
 * A log the service appends to is created again when it reopens it after
 * a rotation moved it away: logs are named *.log or live in /var/log.
 */
static bool reopened_log(const struct item *it)
{
	size_t n = strlen(it->path);

	return (it->access & STK_ACC_APPEND) && (!strncmp(it->path, "/var/log/", 9) ||
						  (n > 4 && !strcmp(it->path + n - 4, ".log")));
}

/* What the subtree rules above an item grant it. */
static uint32_t item_covered(const struct tree *t, const struct item *it)
{
	const struct node *n;

	if (it->node == NO_NODE)
		return 0;
	n = &t->nodes[it->node];
	return stk_access_implied(n->covered | n->tree);
}

/*
 * The soname a shared library's file is named by with its version:
 * "X.so.MAJOR" in "X.so.MAJOR.MINOR...", which the next point release of
 * its package renames (docs/rules.md). Its length, or 0 for any other name,
 * a bare soname too (such a file keeps its name across upgrades).
 */
static size_t library_stem(const char *path)
{
	const char *name = strrchr(path, '/'), *so = name ? strstr(name, ".so.") : NULL;
	const char *end;

	if (!so || so[4] < '0' || so[4] > '9')
		return 0;
	for (end = so + 4; *end >= '0' && *end <= '9'; end++)
		;
	if (!*end)
		return 0;
	/* What follows the major must be version groups, and only that. */
	uint32_t len = (uint32_t)strlen(path);

	while (len > (uint32_t)(end - path))
		len = stk_version_stem_len(path, len);
	return len == (uint32_t)(end - path) ? len : 0;
}

/* Is item i's path the library with this stem: the stem itself, or the stem with groups? */
static bool in_family(const struct files *f, size_t i, const char *stem, size_t len)
{
	const char *path = f->items[i].path;

	return !strncmp(path, stem, len) && (!path[len] || library_stem(path) == len);
}

/*
 * Item i's library stem, if it belongs to a family a versions rule names:
 * its own (libz.so.1.2.13), or the one it is (libz.so.1, when libz.so.1.2
 * was seen too). first is the family's first item, which learns its rule.
 */
static size_t family_of(const struct files *f, size_t i, size_t *first)
{
	const char *path = f->items[i].path, *name = strrchr(path, '/');
	size_t len = library_stem(path), j;
	bool versioned = false;
	char *stem;

	if (!len && !(name && strstr(name, ".so.")))
		return 0;
	if (!len)
		len = strlen(path);
	if (!(stem = strndup(path, len)))
		return 0;
	*first = f->nitems;
	for (j = items_lower_bound(f, stem); j < f->nitems && !strncmp(f->items[j].path, stem, len); j++) {
		if (!in_family(f, j, stem, len))
			continue;
		if (*first == f->nitems)
			*first = j;
		versioned |= f->items[j].path[len] != 0;
	}
	free(stem);
	return versioned ? len : 0;
}

/* One versions rule for the library family whose first item is first. */
static int versions_learn(struct files *f, const struct tree *t, enum rule_kind kind, size_t first,
			  size_t len, struct profile *out)
{
	const char *stem_of = f->items[first].path;
	struct file_rule r = { .kind = kind, .versions = true };
	struct exe_set exes = { 0 };
	size_t members = 0, nsamples = 0;
	char acc[64], why[160];
	int err;

	host_set_clear(&f->hs);
	for (size_t j = first; j < f->nitems && !strncmp(f->items[j].path, stem_of, len); j++) {
		const struct item *it = &f->items[j];
		uint32_t bits = it->access & ~item_covered(t, it);

		if (!bits || !in_family(f, j, stem_of, len))
			continue;
		r.access |= bits;
		evidence_add_item(f, &r.evidence, &exes, (uint8_t)bits, it);
		members++;
		if (nsamples < EVIDENCE_SAMPLES && !(r.evidence.samples[nsamples++] = strdup(it->path)))
			goto oom;
	}
	r.evidence.hosts = (int64_t)f->hs.n;
	if (!members) {
		evidence_free(&r.evidence);
		return 0;
	}
	if (!(r.path = strndup(stem_of, len)))
		goto oom;
	if (r.evidence.hosts < f->l->opt.min_hosts) {
		learn_report(f->l, "no %s versions %s [%s]: seen on %" PRId64 " host%s, fewer than --min-hosts %d",
			     list_names[kind], r.path, access_format(r.access, acc, sizeof(acc)), r.evidence.hosts,
			     r.evidence.hosts == 1 ? "" : "s", f->l->opt.min_hosts);
		free(r.path);
		evidence_free(&r.evidence);
		return 0;
	}
	snprintf(why, sizeof(why), "versions, %zu file%s named by soname and version", members,
		 members == 1 ? "" : "s");
	learn_report(f->l, "%s versions %s [%s] replaces %zu path%s: %s, which an upgrade renames; e.g. %s",
		     list_names[kind], r.path, access_format(r.access, acc, sizeof(acc)), members,
		     members == 1 ? "" : "s", why, r.evidence.samples[0]);
	if (!(r.evidence.generalised = strdup(why)))
		err = stk_fail("out of memory");
	else
		err = exe_set_copy(&r.evidence, &exes) || profile_add_file(out, &r) ? -1 : 0;
	free(r.path);
	evidence_free(&r.evidence);
	return err;
oom:
	evidence_free(&r.evidence);
	return stk_fail("out of memory");
}

/* What no subtree rule covers stays an exact rule, or a library's versions rule. */
static int exact_learn(struct files *f, const struct tree *t, enum rule_kind kind, struct profile *out)
{
	bool versions = !f->l->opt.exact && kind != RULE_UNIX;

	for (size_t i = 0; i < f->nitems; i++) {
		const struct item *it = &f->items[i];
		struct file_rule r = { .kind = kind, .path = (char *)it->path };
		struct exe_set exes = { 0 };
		size_t first, stem;
		uint32_t covered = item_covered(t, it);
		char acc[64];
		int err;

		if (versions && (stem = family_of(f, i, &first))) {
			if (first == i && versions_learn(f, t, kind, i, stem, out))
				return -1;
			continue;
		}
		if (!(r.access = it->access & ~covered))
			continue;
		if (kind == RULE_FILE && !f->l->opt.exact && reopened_log(it) && !(r.access & STK_ACC_CREATE) &&
		    !(covered & STK_ACC_CREATE)) {
			r.access |= STK_ACC_CREATE;
			learn_report(f->l, "file %s [%s] may also create it: a log is made anew when it is rotated",
				     it->path, access_format(it->access, acc, sizeof(acc)));
		}
		if ((int64_t)it->nhosts < f->l->opt.min_hosts) {
			learn_report(f->l, "no %s rule for %s [%s]: seen on %u host%s, fewer than --min-hosts %d",
				     list_names[kind], it->path, access_format(r.access, acc, sizeof(acc)),
				     it->nhosts, it->nhosts == 1 ? "" : "s", f->l->opt.min_hosts);
			continue;
		}
		r.evidence = (struct evidence){ .count = it->count, .first_seen = it->first_seen,
						.last_seen = it->last_seen, .hosts = it->nhosts };
		item_exes(it, r.access, &exes);
		err = exe_set_copy(&r.evidence, &exes) || profile_add_file(out, &r);
		evidence_free(&r.evidence);
		if (err)
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
	if (!err) {
		threads_mark(f, &t);
		if (kind == RULE_FILE) {
			content_count(f, &t);
			err = numbered_families(f, &t);
		}
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
		qsort(l->files, l->nfiles, sizeof(*l->files), raw_file_cmp);
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

/*
 * The tree of observed paths, for generalise.c: every observed path and
 * each of its ancestors is a node, counting per access how many of its
 * direct entries were used with it and how many have random-looking names;
 * and the names the next run will choose anew (content trees, numbered
 * families, a task's own threads), marked on their directories.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "paths.h"
#include "../common/error.h"

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
	t->nodes[t->n] = (struct node){ .path = path, .len = len, .parent = parent,
					.depth = parent == NO_NODE ? 0 : t->nodes[parent].depth + 1 };
	t->slots[s] = (uint32_t)t->n + 1;
	*out = (uint32_t)t->n++;
	return 0;
}

/*
 * Add an item's path and its ancestors, top down (so a parent's index is
 * always below its children's), counting each access that is new at a node
 * as one more used entry of its parent.
 */
int tree_add(struct tree *t, struct item *it)
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

void tree_free(struct tree *t)
{
	free(t->nodes);
	free(t->slots);
}

/* ---- names the next run chooses anew --------------------------------------- */

/* Is the node's path dir, or below it? */
static bool node_within(const struct node *n, const char *dir)
{
	size_t dl = strlen(dir);

	return n->len >= dl && !memcmp(n->path, dir, dl) && (n->len == dl || n->path[dl] == '/');
}

/*
 * Count, bottom up, each node's content evidence: per access, the objects
 * at or below it, the folders they are directly in, and the most that any
 * one child holds (a child holding them all is the deeper tree).
 */
void content_count(struct files *f, struct tree *t)
{
	for (size_t i = 0; i < f->nitems; i++) {
		const struct item *it = &f->items[i];
		struct node *n;

		if (it->node == NO_NODE)
			continue;
		n = &t->nodes[it->node];
		n->own |= (uint8_t)it->access;
		if (n->parent != NO_NODE)
			t->nodes[n->parent].holds |= (uint8_t)it->access;
	}
	for (size_t i = t->n; i-- > 0;) {
		struct node *n = &t->nodes[i], *up = n->parent == NO_NODE ? NULL : &t->nodes[n->parent];

		for (int b = 0; b < ACCESS_BITS; b++) {
			n->names[b] += (n->own >> b) & 1;
			n->folders[b] += (n->holds >> b) & 1;
			if (!up)
				continue;
			up->names[b] += n->names[b];
			up->folders[b] += n->folders[b];
			if (n->names[b] > up->widest[b])
				up->widest[b] = n->names[b];
		}
	}
}

/*
 * A content tree is never a top-level folder (/etc, /home, /srv as a
 * whole), nor a folder many programs share (/usr/share, /var/lib), nor
 * anything in /proc or /sys, whose names are the kernel's, not content.
 */
bool content_root_allowed(const struct node *n)
{
	if (n->depth < 2 || node_within(n, "/proc") || node_within(n, "/sys"))
		return false;
	return n->depth >= 3 || !(node_within(n, "/usr") || node_within(n, "/var"));
}

/* Where a rotation suffix (".1", ".2.gz", "-20261202.xz") starts in name[0, n), or n. */
static size_t rotation_start(const char *name, size_t n)
{
	static const char *const compressed[] = { ".gz", ".xz", ".bz2", ".zst" };
	size_t end = n, d;

	for (size_t c = 0; c < sizeof(compressed) / sizeof(compressed[0]); c++) {
		size_t cl = strlen(compressed[c]);

		if (end > cl && !memcmp(name + end - cl, compressed[c], cl)) {
			end -= cl;
			break;
		}
	}
	for (d = end; d > 0 && char_class(name[d - 1]) == 1; d--)
		;
	if (d == end || d < 2 || (name[d - 1] != '.' && name[d - 1] != '-'))
		return n;
	return d - 1;
}

/*
 * The name as a pattern the next run's name also fits: without its
 * rotation suffix, with every other run of digits as 'N'. "access.log.2.gz"
 * and "access.log" give "access.log"; "worker.4711.sock" "worker.N.sock".
 * *rotated says a rotation suffix was dropped.
 */
static void name_pattern(const char *name, char *out, size_t len, bool *rotated)
{
	size_t n = strlen(name), base = rotation_start(name, n), o = 0;

	*rotated = base < n;
	for (size_t i = 0; i < base && o + 1 < len; i++) {
		if (char_class(name[i]) != 1)
			out[o++] = name[i];
		else if (!i || char_class(name[i - 1]) != 1)
			out[o++] = 'N';
	}
	out[o] = 0;
}

/* An object of a numbered family: its directory's node and its pattern there. */
struct numbered {
	const char *key; /* "DIR/PATTERN", in the learner's arena */
	uint32_t dir;
	uint8_t access;
	bool rotated;
};

static int numbered_cmp(const void *a, const void *b)
{
	return strcmp(((const struct numbered *)a)->key, ((const struct numbered *)b)->key);
}

#define MADE_ACCESS (STK_ACC_WRITE | STK_ACC_APPEND | STK_ACC_CREATE | STK_ACC_UNLINK | STK_ACC_LINK)

/*
 * Each directory's families of --numbered names or more grant their
 * accesses; the largest one names the pattern in the report ("access.log.N").
 */
static int numbered_mark(struct files *f, struct tree *t, struct numbered *v, size_t n)
{
	qsort(v, n, sizeof(*v), numbered_cmp);
	for (size_t i = 0, j; i < n; i = j) {
		uint8_t access = 0;
		bool rotated = false;
		struct node *dir = &t->nodes[v[i].dir];
		char shown[STK_PATH_MAX + 2];

		for (j = i; j < n && !strcmp(v[j].key, v[i].key); j++) {
			access |= v[j].access;
			rotated |= v[j].rotated;
		}
		if (j - i < (size_t)f->l->opt.numbered)
			continue;
		dir->numbered_access |= access;
		if (j - i <= dir->nnumbered)
			continue;
		dir->nnumbered = (uint32_t)(j - i);
		snprintf(shown, sizeof(shown), "%s%s", v[i].key + dir->len + (dir->len > 1), rotated ? ".N" : "");
		if (!(dir->numbered = learn_strdup(f->l, shown)))
			return -1;
	}
	return 0;
}

/*
 * Families of names the service makes (writes, creates, removes) that
 * differ only in their numbers: rotated logs, per-pid and per-connection
 * names. The next run makes the next number.
 */
int numbered_families(struct files *f, struct tree *t)
{
	struct numbered *v = calloc(f->nitems ? f->nitems : 1, sizeof(*v));
	char key[STK_PATH_MAX + 2];
	size_t n = 0;
	int err;

	if (!v)
		return stk_fail("out of memory");
	for (size_t i = 0; i < f->nitems; i++) {
		const struct item *it = &f->items[i];
		const char *name = strrchr(it->path, '/');
		uint32_t dir;
		bool rotated;

		if (it->node == NO_NODE || !(it->access & MADE_ACCESS) || (dir = t->nodes[it->node].parent) == NO_NODE)
			continue;
		snprintf(key, sizeof(key), "%.*s/", (int)(name - it->path), it->path);
		name_pattern(name + 1, key + strlen(key), sizeof(key) - strlen(key), &rotated);
		if (!(v[n].key = learn_strdup(f->l, key))) {
			free(v);
			return -1;
		}
		v[n].dir = dir;
		v[n].access = (uint8_t)it->access;
		v[n++].rotated = rotated;
	}
	err = numbered_mark(f, t, v, n);
	free(v);
	return err;
}

#define TASKS "/proc/self/task"

/* /proc/thread-self is /proc/self/task/TID: a thread id no run has twice. */
void threads_mark(struct files *f, struct tree *t)
{
	const size_t tl = strlen(TASKS);

	for (size_t i = 0; i < f->nitems; i++) {
		const struct item *it = &f->items[i];
		const char *tid = it->path + tl + 1;
		uint32_t id = it->node;

		if (id == NO_NODE || strncmp(it->path, TASKS "/", tl + 1) || char_class(*tid) != 1)
			continue;
		while (t->nodes[id].len > tl)
			id = t->nodes[id].parent;
		t->nodes[id].threads = true;
		t->nodes[id].numbered_access |= (uint8_t)it->access;
	}
}

/* ---- items ---------------------------------------------------------------- */

int raw_file_cmp(const void *a, const void *b)
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
int items_build(struct files *f, const struct raw_file *raw, size_t n)
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
		for (int b = 0; b < ACCESS_BITS; b++)
			if (raw[i].access & (1u << b))
				exe_set_add(&it->exes[b], raw[i].exe);
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

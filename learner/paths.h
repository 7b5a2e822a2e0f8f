/*
 * Private to the learner: the tree of observed paths that generalise.c
 * learns subtree rules from (paths.c builds it and marks the names the next
 * run will choose anew). Other stages use learner.h.
 */
#ifndef STOCKADE_LEARNER_PATHS_H
#define STOCKADE_LEARNER_PATHS_H

#include "internal.h"

#define NO_NODE UINT32_MAX
#define ACCESS_BITS 8

/* One object of one list, merged over hosts. */
struct item {
	const char *path;
	uint32_t access;
	uint32_t node;
	uint32_t host_off, nhosts; /* its distinct hosts: hosts[host_off, +nhosts) */
	int64_t count, first_seen, last_seen;
	struct exe_set exes[ACCESS_BITS]; /* who used each access */
};

struct node {
	const char *path; /* a prefix of an item's path: path[0, len) */
	uint32_t len;
	uint32_t parent;
	uint32_t depth;              /* components: "/" is 0, "/srv/www" 2 */
	uint32_t nrandom;            /* direct entries with random-looking names */
	uint32_t used[ACCESS_BITS];  /* direct entries used, per access bit */
	/* Content evidence, per access bit: the objects at or below the node
	 * used with it, the folders holding them, the most any one child holds. */
	uint32_t names[ACCESS_BITS], folders[ACCESS_BITS], widest[ACCESS_BITS];
	uint32_t nnumbered;          /* the largest family of numbered names in it */
	const char *numbered;        /* that family's pattern, e.g. "access.log.N" */
	uint8_t below;               /* access bits used at or below it */
	uint8_t own, holds;          /* what the object at it, and those directly in it, used */
	uint8_t random_access;       /* what its random-named entries were used for */
	uint8_t numbered_access;     /* what its numbered families were used for */
	bool threads;                /* /proc/self/task: the TIDs change every run */
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

/*
 * Count, bottom up, each node's content evidence: per access, the objects
 * at or below it, the folders they are directly in, and the most that any
 * one child holds (a child holding them all is the deeper tree).
 */
void content_count(struct files *f, struct tree *t);
/*
 * A content tree is never a top-level folder (/etc, /home, /srv as a
 * whole), nor a folder many programs share (/usr/share, /var/lib), nor
 * anything in /proc or /sys, whose names are the kernel's, not content.
 */
bool content_root_allowed(const struct node *n);
/* The order items_build() takes raw observations in: by list, path, host. */
int raw_file_cmp(const void *a, const void *b);
/* Merge the raw observations of one list into items, one per path. */
int items_build(struct files *f, const struct raw_file *raw, size_t n);
/*
 * Families of names the service makes (writes, creates, removes) that
 * differ only in their numbers: rotated logs, per-pid and per-connection
 * names. The next run makes the next number.
 */
int numbered_families(struct files *f, struct tree *t);
/* /proc/thread-self is /proc/self/task/TID: a thread id no run has twice. */
void threads_mark(struct files *f, struct tree *t);
/*
 * Add an item's path and its ancestors, top down (so a parent's index is
 * always below its children's), counting each access that is new at a node
 * as one more used entry of its parent.
 */
int tree_add(struct tree *t, struct item *it);
void tree_free(struct tree *t);

#endif

/*
 * Subjects: what a profile confines (a systemd unit, a cgroup, a user) and
 * the cgroup each one is on this machine. Every function that can fail
 * returns -1 with stk_error() set.
 */
#ifndef STOCKADE_SUBJECT_H
#define STOCKADE_SUBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum subject_kind {
	SUBJECT_SERVICE, /* a systemd unit, e.g. nginx.service */
	SUBJECT_CGROUP,  /* a cgroup v2 path, e.g. /system.slice/nginx.service */
	SUBJECT_USER,    /* a user, by name or uid */
};

struct subject {
	enum subject_kind kind;
	char name[256];   /* unit name, cgroup path relative to the cgroup2 root, or user */
	char dir[4096];   /* the cgroup's directory on this machine; "" for a user */
	char cgroup[4096]; /* its path from the cgroup2 root, as the kernel names it */
	uint64_t id;      /* the kernel's key: cgroup id, STK_SUBJECT_USER | uid, or STK_SUBJECT_NAMED | hash */
	bool waiting;     /* a unit not running yet: its cgroup (at cgroup) is made when it starts */
};

const char *subject_kind_name(enum subject_kind kind);
/*
 * How every command names a subject, so that the denial log, status, the
 * daemon and learn agree: "service nginx.service" for a systemd unit's
 * cgroup (a slice's child named *.service), whether the profile named it by
 * unit or by cgroup path; "cgroup /PATH" for another cgroup; "user NAME".
 */
#define SUBJECT_LABEL_MAX 300 /* a buffer for subject_label(); longer names are cut */
void subject_label(enum subject_kind kind, const char *name, char *buf, size_t len);
int subject_kind_parse(const char *name, enum subject_kind *kind);
/* The name a subject is recorded and profiled under: "nginx" becomes
 * "nginx.service"; a cgroup directory becomes its path in the hierarchy; a
 * user stays as given (a name travels between hosts better than a uid). */
int subject_canonical(enum subject_kind kind, const char *name, char *out, size_t len);
/* Find the cgroup of a unit, or of a cgroup path (absolute in the cgroup2
 * hierarchy, or a directory under the cgroup2 mount). A unit systemd knows
 * that is not running resolves to where its cgroup will be (waiting). */
int subject_resolve(enum subject_kind kind, const char *name, struct subject *out);
/* The cgroup2 mount point, e.g. /sys/fs/cgroup. */
int cgroup2_root(char *buf, size_t len);
/* The cgroup path (in the hierarchy) of a cgroup id, searching the tree. */
int cgroup_path_of(uint64_t id, char *buf, size_t len);

#endif

/*
 * The recorder stage: loading and attaching the kernel programs, resolving
 * subjects to cgroups, decoding events, and the recording database.
 * Every function that can fail returns -1 with stk_error() set.
 */
#ifndef STOCKADE_RECORDER_H
#define STOCKADE_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "../bpf/abi.h"

/* ---- subjects ---------------------------------------------------------- */

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

/* ---- kernel ------------------------------------------------------------ */

struct kernel;

enum kernel_use {
	KERNEL_RECORD,  /* fentry programs will do where BPF LSM is not active */
	KERNEL_ENFORCE, /* only BPF LSM programs can refuse an access */
};

/* Loaded, attached programs; refuses with a diagnosis where they cannot run. */
int kernel_open(enum kernel_use use, struct kernel **out);
/* Whether the programs are BPF LSM ones (false: fentry, record only). */
bool kernel_is_lsm(const struct kernel *k);
void kernel_close(struct kernel *k);
/* A cgroup subject stays one when its cgroup is made anew (a restarted
 * service): the kernel knows it by path, and keeps its first id as its key. */
int kernel_subject_set(struct kernel *k, const struct subject *subject, enum stk_mode mode,
		       uint32_t profile, const struct stk_grants *grants);
int kernel_subject_remove(struct kernel *k, uint64_t subject_id);
bool kernel_subject_exists(struct kernel *k, uint64_t subject_id);
/* The key a cgroup subject already has in the kernel (it may have been
 * applied under an earlier cgroup of its path, or before its cgroup existed);
 * else the subject's own id. */
uint64_t kernel_subject_key(struct kernel *k, const struct subject *s);
/* A profile id no loaded rule uses yet. */
uint32_t kernel_profile_new(struct kernel *k);
/* A rule map entry; the key holds class bytes of path (compiled_rule_key()). */
int kernel_rule_add(struct kernel *k, const struct stk_rule_key *key, uint32_t class,
		    const struct stk_rule *rule);
int kernel_rule_remove(struct kernel *k, const struct stk_rule_key *key, uint32_t class);
int kernel_net_rule_add(struct kernel *k, const struct stk_net_key *key,
			const struct stk_net_rule *rule);
int kernel_net_rule_remove(struct kernel *k, const struct stk_net_key *key);
int kernel_counters(struct kernel *k, struct stk_counters *out);
/* Make tgid the one process confined tasks may not signal or trace. */
int kernel_protect(struct kernel *k, uint32_t tgid);
/* What a subject was given (for status and for a restarted daemon). */
int kernel_subject_info_set(struct kernel *k, uint64_t subject_id, const struct stk_subject_info *info);
typedef int (*kernel_subject_fn)(uint64_t id, const struct stk_subject *s,
				 const struct stk_subject_info *info, void *ctx);
/* Every subject of this instance, with what was applied to it. */
int kernel_subjects(struct kernel *k, kernel_subject_fn fn, void *ctx);
/* Remove every rule of one profile id, or of every id no subject uses. */
int kernel_profile_drop(struct kernel *k, uint32_t profile);
int kernel_rules_gc(struct kernel *k);

/*
 * The production instance, pinned under STK_PIN_DIR so enforcement survives
 * its daemon: adopts what is pinned (*adopted), or with load, loads,
 * attaches and pins (without, *out is NULL when nothing is pinned).
 */
int kernel_open_pinned(struct kernel **out, bool load, bool *adopted);
/* Unpin everything: once no process holds them, the programs detach. */
int kernel_unpin(void);
/* Sum the per-CPU counters map open as fd. */
int counters_read(int fd, struct stk_counters *out);

typedef int (*event_fn)(const struct stk_event *ev, void *ctx);
/* Deliver ring-buffer events to fn for up to timeout_ms; returns the count. */
int kernel_poll(struct kernel *k, event_fn fn, void *ctx, int timeout_ms);

/* A running instance of stockade's programs, as `stockade status` shows it. */
struct instance_status {
	__u32 prog_id; /* its file_open program */
	bool lsm;      /* false: fentry, recording only */
	bool pinned;   /* the production instance, pinned under STK_PIN_DIR */
	struct {
		__u64 id; /* cgroup id, or STK_SUBJECT_USER | uid */
		struct stk_subject state;
		struct stk_subject_info info; /* zero if none was recorded */
		struct stk_subject_counters refused;
		char cgroup[STK_CGROUP_NAME_MAX]; /* a pinned cgroup subject's path, else "" */
	} subjects[STK_SUBJECTS_MAX];
	size_t nsubjects;
	struct stk_counters counters;
};
typedef int (*status_fn)(const struct instance_status *st, void *ctx);
/* Call fn for each instance loaded on this machine; returns how many. */
int kernel_status(status_fn fn, void *ctx);
/* The cgroup path (in the hierarchy) of a cgroup id, searching the tree. */
int cgroup_path_of(uint64_t id, char *buf, size_t len);

/* What `stockade doctor` checks, without printing. */
struct kernel_report {
	bool root, btf, cgroup2, lsm_known, bpf_lsm;
	int load_error;   /* 0, or the -errno of loading the programs */
	int attach_error; /* 0, or the -errno of attaching them */
	bool fentry;      /* the trial used the fentry (record-only) programs */
	char lsm_list[256];
};
void kernel_probe(struct kernel_report *r);

/* Check a raw ring-buffer record; fills *out (path NUL-terminated). */
int event_decode(const void *data, size_t size, struct stk_event *out);
/* The name of a one-bit value in a table where names[i] names 1 << i. */
const char *bit_name(const char *const *names, size_t n, uint32_t bit);
int bit_parse(const char *const *names, size_t n, const char *name, uint32_t *bit);
/* Access names, as events and profiles spell them: read, write, append,
 * exec, create, unlink, link, connect. */
int access_parse(const char *name, uint32_t *bit);
const char *access_name(uint32_t bit);
/* "read,write" for access bits; buf of at least 64 bytes. */
const char *access_format(uint32_t access, char *buf, size_t len);

/* ---- network peers ------------------------------------------------------ */

/* Operation names: connect, bind, send; protocol names: tcp, udp. */
const char *net_op_name(uint32_t op);
int net_op_parse(const char *name, uint32_t *op);
const char *proto_name(uint8_t proto); /* NULL for any but tcp and udp */
int proto_parse(const char *name, uint8_t *proto);
/*
 * Addresses are 16 bytes, IPv4 as IPv4-mapped IPv6, with a prefix length in
 * IPv6 bits. They are written as IPv4 (with prefix - 96) whenever they are
 * IPv4-mapped, and without a prefix when it covers the whole address.
 */
int addr_parse(const char *text, uint8_t addr[16], unsigned *prefix);
void addr_format(const uint8_t addr[16], unsigned prefix, char *buf, size_t len);
/* Privilege names: raw-socket, packet-socket, mount, chroot. */
const char *privilege_name(uint32_t priv);
int privilege_parse(const char *name, uint32_t *priv);
/* Capability names, Linux's without CAP_ in lower case: chown, setuid,
 * net_bind_service, ...; NULL for a number 6.1 does not know. */
const char *capability_name(uint32_t cap);
int capability_parse(const char *name, uint32_t *cap);
/* Socket families a rule names: "vsock", "xdp", ..., netlink by protocol
 * ("netlink-route"). Formatting one no rule can name (unix, inet, inet6,
 * packet, an unknown number) writes "family-N" or "netlink-N" and returns -1. */
int socket_format(uint32_t family, uint32_t protocol, char *buf, size_t len);
int socket_parse(const char *name, uint32_t *family, uint32_t *protocol);
/* The name a capability or socket event grants: "setuid", "netlink-route". */
const char *grant_event_name(const struct stk_event *ev, char *buf, size_t len);
/* "capability" or "socket": the recording's kind of a grant event. */
#define GRANT_EVENT_KIND(ev) ((ev)->type == STK_EV_SOCKET ? "socket" : "capability")
/* A peer as recordings store it: "tcp 192.0.2.1:443", "udp [2001:db8::1]:53". */
void peer_format(uint8_t proto, const uint8_t addr[16], uint16_t port, char *buf, size_t len);
int peer_parse(const char *text, uint8_t *proto, uint8_t addr[16], uint16_t *port);
/* A network event's object: its peer, or why its address was refused unread. */
void net_object_format(const struct stk_event *ev, char *buf, size_t len);

/* ---- recording database ------------------------------------------------ */

#define DB_SCHEMA_VERSION 2 /* 2 added the denials table; 1 is upgraded on open */

struct db;

/* Open (and with create, initialise) a recording; refuses other schemas. */
int db_open(const char *path, bool create, struct db **out);
/* Open a recording only to read it: nothing in the file changes. */
int db_open_read(const char *path, struct db **out);
void db_close(struct db *db);
int db_subject_id(struct db *db, const struct subject *s, int64_t *id);
int db_begin(struct db *db);
int db_commit(struct db *db);
/* Add one observation of an object (count 1 at time t, seconds), by the
 * executable exe running as uid; an object keeps its first exe and uid. */
int db_observe(struct db *db, int64_t subject, const char *kind,
	       const char *object, uint32_t access, const char *exe, uint32_t uid, int64_t t);
int db_object_count(struct db *db, int64_t subject, int64_t *n);
/* One access the enforcer refused (or, in complain mode, would have). */
struct denial {
	int64_t time;
	const char *subject, *verdict, *kind, *object, *access, *exe, *comm;
	const char *profile; /* the file of the profile in force, where to look it up */
	uint32_t pid, uid;
};
int db_denial(struct db *db, const struct denial *d);
/* The host the recording was made on (gethostname() when it was created;
 * the database's path if it names none). */
int db_host(struct db *db, char *buf, size_t len);
typedef int (*subject_fn)(enum subject_kind kind, const char *name, void *ctx);
/* Every subject recorded, ordered by kind and name. */
int db_foreach_subject(struct db *db, subject_fn fn, void *ctx);

struct observation {
	const char *kind, *object;
	const char *exe; /* the first executable seen doing it; NULL if unknown */
	uint32_t access;
	int64_t count, first_seen, last_seen;
};
typedef int (*observation_fn)(const struct observation *o, void *ctx);
/* Every observation of the named subject, ordered by kind, object, access;
 * returns how many (0 for a subject never recorded here). */
int db_foreach_observation(struct db *db, enum subject_kind kind,
			   const char *name, observation_fn fn, void *ctx);

#endif

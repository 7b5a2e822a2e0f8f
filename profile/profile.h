/*
 * The profile stage: the model of a profile (its rules, grants, evidence and
 * review stamp), its YAML form (yaml_read.c, yaml_write.c), its digest, what
 * it allows, the differences between two versions, its one-screen summary,
 * and what a package upgrade changed under it. Every function that can fail
 * returns -1 with stk_error() set (YAML errors as "FILE:LINE:COLUMN: what is
 * wrong").
 */
#ifndef STOCKADE_PROFILE_H
#define STOCKADE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <linux/types.h>
#include "../bpf/abi.h"
#include "../subject/subject.h"

#define PROFILE_VERSION 1
#define EVIDENCE_SAMPLES 3 /* objects a generalised rule names as examples */
#define PROFILE_DIGEST_LEN 72 /* "sha256:" + 64 hex digits + NUL */

struct evidence {
	int64_t count;      /* 0: the rule was written by hand */
	int64_t first_seen; /* seconds since the epoch */
	int64_t last_seen;
	int64_t hosts;
	/* For a rule the learner generalised: some of the objects it covers,
	 * and why ("content-tree, 10 files in 6 folders"). */
	char *samples[EVIDENCE_SAMPLES];
	char *generalised;
	/* The executables seen doing it, sorted (the first few). */
	char *exe[EVIDENCE_SAMPLES];
};

/*
 * File-system rules come in three lists, by what they grant: files (read,
 * write, append, create, unlink, link), exec (running or mapping code) and
 * unix sockets (connect, listed with the network rules). The kernel holds
 * them in one map; the split is for the person reading the profile.
 */
enum rule_kind {
	RULE_FILE,
	RULE_EXEC,
	RULE_UNIX,
};

/* How a rule's path matches, from the most specific: what its YAML key says. */
enum rule_match {
	MATCH_PATH,     /* path: exactly this path */
	MATCH_VERSIONS, /* versions: the path and it with version suffixes (libz.so.1.2.13) */
	MATCH_SUBTREE,  /* subtree: the path and everything below it */
	MATCHES
};

#define RULE_FILE_ACCESS (STK_ACC_ALL & ~(STK_ACC_EXEC | STK_ACC_CONNECT))

struct file_rule {
	enum rule_kind kind;
	char *path;     /* "@name" for an abstract unix socket */
	bool subtree;   /* the path and everything below it */
	bool versions;  /* the path and it followed by ".<digits>" groups (never with subtree) */
	bool deny;      /* refuse access even where a wider rule allows it */
	uint32_t access;
	struct evidence evidence;
	char *note;     /* the reviewer's, or NULL */
	bool accepted;  /* accepted in the review under way; never saved */
};

/* Allows one operation to the peers in addr/prefix, on ports lo to hi. */
struct net_rule {
	uint32_t op;      /* one enum stk_net_op bit */
	uint8_t proto;    /* STK_PROTO_TCP or STK_PROTO_UDP */
	uint8_t addr[16]; /* IPv6; IPv4 as IPv4-mapped */
	unsigned prefix;  /* in IPv6 bits, 0 to 128 */
	uint16_t port_lo, port_hi;
	struct evidence evidence;
	char *note;
	bool accepted;
};

/* How a learned profile was made; absent (command NULL) in a hand-written one. */
struct generator {
	char *command;   /* the learn options that shape rules, e.g. "stockade learn --siblings 16" */
	char **hosts;    /* the recordings' hosts, sorted */
	size_t nhosts;
	int64_t observations;
	int64_t first_seen, last_seen;
};

/* Who approved the rules, when, and the digest of the rules they approved. */
struct review_stamp {
	char *by; /* NULL: never approved */
	int64_t at;
	char digest[PROFILE_DIGEST_LEN];
};

struct profile {
	enum subject_kind subject_kind;
	char *subject;
	bool complain; /* mode: complain (log, deny nothing) instead of enforce */
	struct file_rule *files; /* every kind, in canonical order */
	size_t nfiles;
	struct net_rule *net;
	size_t nnet;
	uint32_t privileges; /* enum stk_privilege bits it is granted */
	uint64_t capabilities; /* bit n: capability n (capabilities:) */
	uint64_t families;     /* bit n: sockets of family n (sockets:) */
	uint32_t netlink;      /* bit n: netlink sockets of protocol n (sockets:) */
	struct generator generated;
	struct review_stamp review;
};

void profile_free(struct profile *p);
/* Its rules as every command counts them: files, exec, unix and network
 * rules (a path in two lists is two rules; grants are not rules). */
size_t profile_rule_count(const struct profile *p);
/* Add a copy of r (its path, note and samples are copied too). */
int profile_add_file(struct profile *p, const struct file_rule *r);
int profile_add_net(struct profile *p, const struct net_rule *r);
/* Sort rules into canonical order: files by kind, path, subtree after exact,
 * deny last; network rules by operation, protocol, address, prefix, ports. */
void profile_sort(struct profile *p);
/* The canonical order (qsort and bsearch comparators); equal means the
 * same rule: the same list, path, subtree and deny, or the same peer. */
int file_rule_cmp(const void *a, const void *b);
int net_rule_cmp(const void *a, const void *b);
enum rule_match file_rule_match(const struct file_rule *r);
/* "path", "versions" or "subtree". */
const char *rule_match_name(enum rule_match m);
/* The list a rule with these access bits belongs to. */
enum rule_kind rule_kind_of(uint32_t access);
int evidence_copy(struct evidence *dst, const struct evidence *src);
void evidence_free(struct evidence *ev);
/* Count more observations, seen between first_seen and last_seen. */
void evidence_merge(struct evidence *ev, int64_t count, int64_t first_seen, int64_t last_seen);
/* "sha256:<hex>" of what the profile allows: subject, mode and rules, not
 * evidence, notes or metadata. Approving a profile stamps this digest. */
void profile_digest(const struct profile *p, char out[PROFILE_DIGEST_LEN]);
/* Stamp the profile as approved by who at time at, with its digest now. */
int profile_approve(struct profile *p, const char *who, int64_t at);
/* Does the review stamp's digest match the rules? (false if never approved) */
bool profile_approved(const struct profile *p);
/* A deep copy. */
int profile_copy(struct profile *dst, const struct profile *src);

int profile_load(const char *file, struct profile *out);
int profile_parse(const char *name, const char *text, size_t len, struct profile *out);
/* Canonical YAML: the same profile always gives the same bytes. */
int profile_format(const struct profile *p, char **text, size_t *len);
/* Write canonical YAML atomically (temporary file, then rename). */
int profile_save(const struct profile *p, const char *file);

/* Is path one a rule can name: absolute, canonical, short enough? */
int path_check(const char *path);
/* Is path at or below dir, at component boundaries? */
bool path_within(const char *path, const char *dir);
/* Is path stem itself, or stem followed by ".<digits>" groups (a versions rule's match)? */
bool path_is_version_of(const char *path, const char *stem);

/*
 * The rules stored for one level of a path's walk, path[0 .. len - 1], folded
 * into *out: with stem, only those for it as a stem of the path (the
 * versions rules). false if there are none.
 */
typedef bool level_rules_fn(const void *rules, const char *path, size_t len, bool stem,
			    struct stk_rule *out);
/*
 * docs/rules.md's walk over a store of rules: the path's own rules, its
 * stems', then each directory's up to "/", until every requested access is
 * decided. Does it allow access to path?
 */
bool path_walk_allows(const char *path, uint32_t access, level_rules_fn *at, const void *rules);
/* The YAML semantics, evaluated straight from the model. */
bool profile_allows(const struct profile *p, const char *path, uint32_t access);
bool profile_net_allows(const struct profile *p, uint32_t op, uint8_t proto,
			const uint8_t addr[16], uint16_t port);
/* Is addr within the prefix-bit network net? */
bool addr_in_prefix(const uint8_t addr[16], const uint8_t net[16], unsigned prefix);

/* ---- capabilities and socket families (grants.c) ------------------------ */

enum grant_kind {
	GRANT_CAPABILITY, /* capabilities: [NAME, ...] */
	GRANT_SOCKET,     /* sockets: [NAME, ...] */
};
typedef void (*grant_fn)(enum grant_kind kind, const char *name, void *ctx);
/* Every capability, then every socket family, the profile grants, in
 * canonical order (by Linux's numbers; netlink by protocol). */
void grants_foreach(const struct profile *p, grant_fn fn, void *ctx);
int grant_add(struct profile *p, enum grant_kind kind, const char *name);
bool grant_has(const struct profile *p, enum grant_kind kind, const char *name);
/* The YAML semantics of capabilities: and sockets: (no other family needs
 * one: unix, inet, inet6 and packet sockets are decided by other rules). */
bool profile_cap_allows(const struct profile *p, int cap);
bool profile_socket_allows(const struct profile *p, int family, int protocol);

/* ---- differences between versions --------------------------------------- */

enum rule_change {
	CHANGE_NONE,     /* the old version has this very rule */
	CHANGE_ADDED,    /* new, and wider than nothing the old version had */
	CHANGE_WIDENED,  /* grants more than the old rule(s) it replaces */
	CHANGE_NARROWED, /* the same rule with fewer accesses */
	CHANGE_CHANGED,  /* the same rule with some accesses gained, some lost */
};

enum rule_change file_rule_change(const struct profile *old, const struct file_rule *r);
enum rule_change net_rule_change(const struct profile *old, const struct net_rule *r);
/* One line naming a rule: "files subtree /srv [read]", "network connect tcp 10.0.0.0/8 port 443". */
void file_rule_format(const struct file_rule *r, char *buf, size_t len);
void net_rule_format(const struct net_rule *r, char *buf, size_t len);

struct diff_counts {
	size_t added, removed, widened, narrowed;
};

/* Print what changed from old to new, a line per rule ("+" added, "-"
 * removed, ">" widened, "<" narrowed, "~" both), and count it. */
void profile_diff(FILE *out, const struct profile *old, const struct profile *new, struct diff_counts *c);

/* ---- after a package upgrade (upgrade.c) ----------------------------------- */

enum upgrade_finding {
	UPGRADE_MISSING, /* the rule names no file that exists now: the service would be refused */
	UPGRADE_CHANGED, /* its file's package was installed again after the approval */
};

struct upgrade_report {
	enum upgrade_finding what;
	const struct file_rule *rule;
	const char *now;     /* CHANGED: the file the rule names now (for versions, the version found) */
	const char *package; /* CHANGED: its Debian package */
	int64_t installed;   /* CHANGED: when dpkg last unpacked that package */
};
typedef void (*upgrade_fn)(const struct upgrade_report *r, void *ctx);

/* dpkg's record of which package put each file in place, and when. */
struct dpkg_files;
/* Read ROOT/var/lib/dpkg/info/ (root "" for this machine); none there: no package is known. */
int dpkg_files_load(const char *root, struct dpkg_files **out);
void dpkg_files_free(struct dpkg_files *d);
/* Report each rule of p that names what a package ships and that names no
 * file under root now, or a file whose package dpkg unpacked after the
 * profile's approval. Returns how many rules name no file, or -1. */
int upgrade_check(const struct profile *p, const char *root, const struct dpkg_files *dpkg, upgrade_fn fn,
		  void *ctx);

/* ---- the summary: a profile in one screen ---------------------------------- */

/* What a rule is for, as a reviewer sorts a service's rules. */
enum rule_group {
	GROUP_CONFIG,    /* /etc */
	GROUP_CONTENT,   /* content trees, /srv, /var/www, /home */
	GROUP_LOGS,      /* /var/log, *.log */
	GROUP_LIBRARIES, /* programs and code: exec rules, /usr, /lib, /bin */
	GROUP_RUNTIME,   /* state: /run, /var/lib, /var/cache, /tmp, /proc, /sys, /dev */
	GROUP_NETWORK,   /* network and unix socket rules */
	GROUP_OTHER,
	RULE_GROUPS
};

enum rule_group file_rule_group(const struct file_rule *r);
const char *rule_group_name(enum rule_group g);
/* The profile as lines of at most width characters: its rules per group,
 * what was generalised (grouped by why), and the executables that did it. */
int profile_summary(const struct profile *p, size_t width, char ***lines, size_t *n);
void summary_free(char **lines, size_t n);

#endif

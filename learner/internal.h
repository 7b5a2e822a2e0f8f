/*
 * Private to the learner: the state learn.c, generalise.c, learn_net.c and
 * learn_grants.c share while deriving one profile, and what support.c gives
 * them all. Other stages use learner.h.
 */
#ifndef STOCKADE_LEARNER_INTERNAL_H
#define STOCKADE_LEARNER_INTERNAL_H

#include "learner.h"

/* One recorded (object, access) of one list on one host. */
struct raw_file {
	const char *path; /* in the learner's arena */
	const char *exe;  /* likewise; NULL if unknown */
	enum rule_kind kind;
	uint32_t access;
	uint32_t host;
	int64_t count, first_seen, last_seen;
};

struct raw_net {
	uint32_t op;
	uint8_t proto;
	uint8_t addr[16];
	uint16_t port;
	uint32_t host;
	const char *exe; /* in the learner's arena; NULL if unknown */
	int64_t count, first_seen, last_seen;
};

struct raw_priv {
	uint32_t privileges;
	uint32_t host;
};

/* A capability or socket family used, by name, on one host. */
struct raw_grant {
	enum grant_kind kind;
	const char *name; /* in the learner's arena */
	uint32_t host;
};

struct learner {
	struct learn_options opt;
	enum subject_kind kind;
	char *subject;
	char **hosts; /* by host id, in order of first appearance */
	size_t nhosts, hosts_cap;
	uint32_t last_host;
	struct raw_file *files;
	size_t nfiles, files_cap;
	struct raw_net *net;
	size_t nnet, net_cap;
	struct raw_priv *privs;
	size_t nprivs, privs_cap;
	struct raw_grant *grants;
	size_t ngrants, grants_cap;
	int64_t observations, first_seen, last_seen;
	struct arena_chunk *arena;
};

/* Distinct hosts among a rule's observations. */
struct host_set {
	uint32_t *stamp; /* per host: the serial of the last rule that counted it */
	uint32_t serial;
	size_t n;
};

int host_set_init(struct host_set *s, size_t nhosts);
void host_set_free(struct host_set *s);
void host_set_clear(struct host_set *s);
void host_set_add(struct host_set *s, uint32_t host);

/* The first few executables of a rule, distinct and sorted: the smallest
 * names win, so the set does not depend on the order they come in. */
struct exe_set {
	const char *v[EVIDENCE_SAMPLES];
};
void exe_set_add(struct exe_set *s, const char *exe);
void exe_set_merge(struct exe_set *s, const struct exe_set *from);
int exe_set_copy(struct evidence *ev, const struct exe_set *s);

__attribute__((format(printf, 2, 3))) void learn_report(struct learner *l, const char *fmt, ...);
const char *learn_strdup(struct learner *l, const char *s);
int learn_reserve(void **array, size_t *cap, size_t n, size_t size);
/* Free every name learn_strdup() made. */
void learn_arena_free(struct learner *l);

int learn_files(struct learner *l, struct profile *out);   /* generalise.c */
int learn_net_add(struct learner *l, const struct observation *o, uint32_t host);
int learn_net(struct learner *l, struct profile *out);     /* learn_net.c */
/* learn_grants.c: capabilities and socket families. */
int learn_grant_add(struct learner *l, enum grant_kind kind, const char *name, uint32_t host);
int learn_grants(struct learner *l, struct profile *out);

#endif

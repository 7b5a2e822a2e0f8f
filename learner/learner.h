/*
 * The learner stage: the profile model, its YAML form, and deriving a
 * profile from a recording. Every function that can fail returns -1 with
 * stk_error() set (YAML errors as "FILE:LINE:COLUMN: what is wrong").
 */
#ifndef STOCKADE_LEARNER_H
#define STOCKADE_LEARNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../recorder/recorder.h"

#define PROFILE_VERSION 1

struct evidence {
	int64_t count;      /* 0: the rule was written by hand */
	int64_t first_seen; /* seconds since the epoch */
	int64_t last_seen;
	int64_t hosts;
};

struct file_rule {
	char *path;
	bool subtree;   /* the path and everything below it */
	bool deny;      /* refuse access even where a wider rule allows it */
	uint32_t access;
	struct evidence evidence;
};

/* Allows one operation to the peers in addr/prefix, on ports lo to hi. */
struct net_rule {
	uint32_t op;      /* one enum stk_net_op bit */
	uint8_t proto;    /* STK_PROTO_TCP or STK_PROTO_UDP */
	uint8_t addr[16]; /* IPv6; IPv4 as IPv4-mapped */
	unsigned prefix;  /* in IPv6 bits, 0 to 128 */
	uint16_t port_lo, port_hi;
	struct evidence evidence;
};

struct profile {
	enum subject_kind subject_kind;
	char *subject;
	struct file_rule *files;
	size_t nfiles;
	struct net_rule *net;
	size_t nnet;
	uint32_t privileges; /* enum stk_privilege bits it is granted */
};

void profile_free(struct profile *p);
int profile_add_file(struct profile *p, const char *path, bool subtree, bool deny,
		     uint32_t access, const struct evidence *ev);
int profile_add_net(struct profile *p, const struct net_rule *r);
/* Sort rules into canonical order: files by path, subtree after exact, deny
 * last; network rules by operation, protocol, address, prefix, ports. */
void profile_sort(struct profile *p);

int profile_load(const char *file, struct profile *out);
int profile_parse(const char *name, const char *text, size_t len, struct profile *out);
/* Canonical YAML: the same profile always gives the same bytes. */
int profile_format(const struct profile *p, char **text, size_t *len);
/* Write canonical YAML atomically (temporary file, then rename). */
int profile_save(const struct profile *p, const char *file);

/* The YAML semantics, evaluated straight from the model. */
bool profile_allows(const struct profile *p, const char *path, uint32_t access);
bool profile_net_allows(const struct profile *p, uint32_t op, uint8_t proto,
			const uint8_t addr[16], uint16_t port);
/* Is addr within the prefix-bit network net? */
bool addr_in_prefix(const uint8_t addr[16], const uint8_t net[16], unsigned prefix);

/* A profile covering every observation of the subject in the recording. */
int profile_learn(struct db *db, enum subject_kind kind, const char *name,
		  struct profile *out);

#endif

/*
 * The enforcer stage: compiling a profile into the kernel's rule maps and
 * putting its subject under it. Every function that can fail returns -1 with
 * stk_error() set.
 */
#ifndef STOCKADE_ENFORCER_H
#define STOCKADE_ENFORCER_H

#include "../learner/learner.h"

/* One map entry: every rule of a profile that names the same path. */
struct compiled_rule {
	const char *path; /* borrowed from the profile */
	bool versions;    /* the entry for a stem: keyed with STK_PROFILE_VERSIONS */
	struct stk_rule rule;
};

/*
 * One trie entry per distinct (operation, protocol, network) of the profile,
 * holding the ports of every rule whose network contains it: the kernel's
 * longest-prefix lookup then finds every port that applies.
 */
struct compiled_net {
	struct stk_net_key key; /* profile is filled in when loaded */
	struct stk_net_rule rule;
};

struct compiled {
	struct compiled_rule *rules; /* sorted by path, then versions; one per (path, versions) */
	size_t n;
	struct compiled_net *net;
	size_t nnet;
	struct stk_grants grants;
};

/*
 * Production loads reviewed rules only: 0 if the profile's rules match the
 * digest they were approved with. An unapproved profile is admitted only in
 * complain mode (it denies nothing), with a warning.
 */
int enforce_admit(const struct profile *p, const char *file, bool complain);

int rules_compile(const struct profile *p, struct compiled *out);
/*
 * The key of entry r for a profile loaded as id, *class bytes of path after
 * the profile id (the key size of its rule map); caller frees.
 */
struct stk_rule_key *compiled_rule_key(const struct compiled_rule *r, uint32_t id, uint32_t *class);
void compiled_free(struct compiled *c);
/* The decision the kernel makes from these map entries, made in user space. */
bool compiled_allows(const struct compiled *c, const char *path, uint32_t access);
bool compiled_net_allows(const struct compiled *c, uint32_t op, uint8_t proto,
			 const uint8_t addr[16], uint16_t port);

/*
 * Load the rules under a fresh profile id, then switch the subject to mode in
 * one map update. On failure nothing stays loaded and the subject is as before.
 */
int enforce_apply(struct kernel *k, struct compiled *c, const struct subject *subject,
		  enum stk_mode mode, uint32_t *profile_id);
/* Take the subject out from under stockade and drop its rules. */
int enforce_remove(struct kernel *k, struct compiled *c, uint64_t subject_id,
		   uint32_t profile_id);

#endif

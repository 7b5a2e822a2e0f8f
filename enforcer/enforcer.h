/*
 * The enforcer stage: compiling a profile into the kernel's rule maps, and
 * the one pipeline that puts a subject under it (admission, stockade's
 * self-protection, the apply-and-swap), for `stockade enforce FILE...` and
 * the daemon alike. Every function that can fail returns -1 with stk_error()
 * set.
 */
#ifndef STOCKADE_ENFORCER_H
#define STOCKADE_ENFORCER_H

#include "../names/names.h" /* compile.c names what it refuses */
#include "../profile/profile.h"
#include "../kernel/kernel.h"

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

/* ---- the pipeline (pipeline.c) ------------------------------------------------ */

/*
 * stockade's own files (the pins, the profiles, the denial log): no profile
 * may grant changing them, and every profile gets deny rules on them, which
 * wider allow rules cannot override.
 */
#define PROTECTED_MAX 32
struct protection {
	char path[PROTECTED_MAX][4096];
	size_t n;
};
/* Protect path (by its real name once it exists) with suffix appended. */
int protection_add(struct protection *own, const char *path, const char *suffix);

/* One profile, from its file to what is applied to its subject. */
struct enforcement {
	char file[4096];
	struct profile p;        /* with stockade's self-protection added */
	struct subject subject;
	char who[SUBJECT_LABEL_MAX]; /* subject_label() */
	struct compiled rules;
	char digest[PROFILE_DIGEST_LEN]; /* of the approved rules, before the self-protection */
	enum stk_mode mode;      /* complain if asked to or the profile says so, else enforce */
	size_t nrules;           /* the profile's own (profile_rule_count()) */
	size_t nprotection;      /* the deny rules the self-protection added */
};

/*
 * Everything that can be wrong with a profile, found before the kernel is
 * touched: its YAML, its approval (enforce_admit()), rules that would let
 * its subject change stockade's own files, its subject, its rules. k, if
 * not NULL, is an instance the subject may already have a key in.
 */
int enforcement_prepare(struct enforcement *e, const char *file, bool complain, const struct protection *own,
			struct kernel *k);
/* Swap it in (enforce_apply()) and record, under name, what was applied. */
int enforcement_apply(struct kernel *k, struct enforcement *e, const char *name, uint32_t *profile_id);
void enforcement_free(struct enforcement *e);
/* Make this process the one confined tasks may not signal or trace. */
int enforce_protect_self(struct kernel *k);

#endif

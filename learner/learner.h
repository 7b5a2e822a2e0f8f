/*
 * The learner stage: deriving the smallest profile that allows what a
 * recording observed. Every function that can fail returns -1 with
 * stk_error() set.
 */
#ifndef STOCKADE_LEARNER_H
#define STOCKADE_LEARNER_H

#include <stdbool.h>
#include <stdint.h>
#include "../profile/profile.h"
#include "../db/db.h"

/* What the learner may generalise, and how much evidence it needs to. */
struct learn_options {
	int random_min;    /* random-looking names in one directory that make it a subtree */
	int siblings;      /* entries of one directory, per access, that make it a subtree */
	int content_names; /* objects under one tree, per access, that make it a content tree ... */
	int content_folders; /* ... when they lie in this many folders or more */
	int numbered;      /* names made in one directory that differ only in numbers */
	int net_siblings;  /* peers in one /24 (IPv4) or /64 (IPv6) that make a prefix rule */
	int min_hosts;     /* drop rules seen on fewer hosts than this */
	uint16_t ephemeral_lo, ephemeral_hi; /* local ports the kernel picks: no bind rule */
	bool exact;        /* generalise nothing */
	/* Told each generalisation and each observation left without a rule. */
	void (*report)(const char *line, void *ctx);
	void *report_ctx;
};

void learn_options_default(struct learn_options *o);
/* The options that shape rules, as a command line: "stockade learn --siblings 16 ...". */
void learn_options_format(const struct learn_options *o, char *buf, size_t len);

struct learner;

int learner_new(const struct learn_options *o, enum subject_kind kind, const char *name,
		struct learner **out);
void learner_free(struct learner *l);
/* One observation, made on host. */
int learner_add(struct learner *l, const char *host, const struct observation *o);
/* Every observation of the subject in one host's recording; returns how
 * many there were (0 when the subject was not recorded there). */
int learner_add_db(struct learner *l, const char *host, struct db *db);
/* The smallest profile that allows every observation added (of those seen
 * on at least min_hosts hosts). */
int learner_finish(struct learner *l, struct profile *out);
/* Would the profile, enforced, allow what the observation saw? The same
 * decision as the kernel's, for checking a profile against a recording. */
bool profile_allows_observation(const struct profile *p, const struct observation *o);

#endif

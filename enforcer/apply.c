/* Putting a subject under its compiled profile, and taking it out again. */
#include <stdlib.h>
#include "../subject/subject.h"
#include "../kernel/kernel.h"
#include "enforcer.h"
#include "../common/error.h"

/* Add file entry i of c to the kernel under profile id, or remove it. */
static int rule_load(struct kernel *k, const struct compiled *c, size_t i, uint32_t id, bool add)
{
	uint32_t class;
	struct stk_rule_key *key = compiled_rule_key(&c->rules[i], id, &class);
	int err;

	if (!key)
		return -1;
	err = add ? kernel_rule_add(k, key, class, &c->rules[i].rule) : kernel_rule_remove(k, key, class);
	free(key);
	return err;
}

/* Unload the first nfiles file and nnet network entries loaded under id. */
static void rules_unload(struct kernel *k, struct compiled *c, size_t nfiles, size_t nnet, uint32_t id)
{
	for (size_t i = 0; i < nfiles; i++)
		if (rule_load(k, c, i, id, false))
			stk_warn("%s", stk_error());
	for (size_t i = 0; i < nnet; i++)
		if (kernel_net_rule_remove(k, &c->net[i].key))
			stk_warn("%s", stk_error());
}

int enforce_apply(struct kernel *k, struct compiled *c, const struct subject *subject,
		  enum stk_mode mode, uint32_t *profile_id)
{
	uint32_t id = kernel_profile_new(k);
	size_t i;

	/* Rules under a new id are invisible until the subject points at it. */
	for (i = 0; i < c->n; i++)
		if (rule_load(k, c, i, id, true)) {
			rules_unload(k, c, i, 0, id);
			return -1;
		}
	for (i = 0; i < c->nnet; i++) {
		c->net[i].key.profile = id;
		if (kernel_net_rule_add(k, &c->net[i].key, &c->net[i].rule)) {
			rules_unload(k, c, c->n, i, id);
			return -1;
		}
	}
	if (kernel_subject_set(k, subject, mode, id, &c->grants)) {
		rules_unload(k, c, c->n, c->nnet, id);
		return -1;
	}
	*profile_id = id;
	return 0;
}

int enforce_remove(struct kernel *k, struct compiled *c, uint64_t subject_id,
		   uint32_t profile_id)
{
	if (kernel_subject_remove(k, subject_id))
		return -1;
	rules_unload(k, c, c->n, c->nnet, profile_id);
	return 0;
}

/* Putting a subject under its compiled profile, and taking it out again. */
#include "enforcer.h"
#include "../common/error.h"

static void rules_unload(struct kernel *k, const struct compiled *c, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (kernel_rule_remove(k, id, c->rules[i].path))
			stk_warn("%s", stk_error());
}

int enforce_apply(struct kernel *k, const struct compiled *c, uint64_t cgroup_id,
		  enum stk_mode mode, uint32_t *profile_id)
{
	uint32_t id = kernel_profile_new(k);

	/* Rules under a new id are invisible until the subject points at it. */
	for (size_t i = 0; i < c->n; i++)
		if (kernel_rule_add(k, id, c->rules[i].path, &c->rules[i].rule)) {
			rules_unload(k, c, i, id);
			return -1;
		}
	if (kernel_subject_set(k, cgroup_id, mode, id)) {
		rules_unload(k, c, c->n, id);
		return -1;
	}
	*profile_id = id;
	return 0;
}

int enforce_remove(struct kernel *k, const struct compiled *c, uint64_t cgroup_id,
		   uint32_t profile_id)
{
	if (kernel_subject_remove(k, cgroup_id))
		return -1;
	rules_unload(k, c, c->n, profile_id);
	return 0;
}

/*
 * The one enforcement pipeline, for `stockade enforce FILE...` and the daemon
 * alike: admit a profile (YAML, approval, subject, rules), add stockade's
 * self-protection, then swap it in for its subject; and keep confined tasks
 * away from stockade's own process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "enforcer.h"
#include "../common/error.h"

#define CHANGE_ACCESS (STK_ACC_WRITE | STK_ACC_APPEND | STK_ACC_CREATE | STK_ACC_UNLINK | STK_ACC_LINK)

int protection_add(struct protection *own, const char *path, const char *suffix)
{
	char real[4096];

	if (own->n == PROTECTED_MAX)
		return stk_fail("cannot protect %s%s: stockade protects at most %d of its own files", path, suffix,
				PROTECTED_MAX);
	if (!realpath(path, real))
		snprintf(real, sizeof(real), "%s", path);
	snprintf(own->path[own->n++], sizeof(own->path[0]), "%s%s", real, suffix);
	return 0;
}

/*
 * The pins, the profiles and the denial log are stockade's own: a profile
 * may not grant changing them, and every profile gets deny rules on them,
 * which wider allow rules cannot override.
 */
static int protect(const struct protection *own, struct enforcement *e)
{
	for (size_t i = 0; i < e->p.nfiles; i++) {
		const struct file_rule *r = &e->p.files[i];

		for (size_t j = 0; !r->deny && (r->access & CHANGE_ACCESS) && j < own->n; j++)
			if (path_within(r->path, own->path[j]))
				return stk_fail("%s: the rule for %s would let the service change %s, which is stockade's own",
						e->file, r->path, own->path[j]);
	}
	for (size_t j = 0; j < own->n; j++) {
		/* profile_add_file() copies the path: the cast lends it, read only. */
		struct file_rule deny = { .kind = RULE_FILE, .path = (char *)own->path[j], .subtree = true,
					  .deny = true, .access = CHANGE_ACCESS };

		if (profile_add_file(&e->p, &deny))
			return -1;
	}
	return 0;
}

int enforcement_prepare(struct enforcement *e, const char *file, bool complain, const struct protection *own,
			struct kernel *k)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->file, sizeof(e->file), "%s", file);
	if (profile_load(e->file, &e->p) || enforce_admit(&e->p, e->file, complain))
		return -1;
	/* The digest is of the approved rules, before stockade adds its own. */
	profile_digest(&e->p, e->digest);
	e->nrules = profile_rule_count(&e->p);
	if (protect(own, e))
		return -1;
	e->nprotection = profile_rule_count(&e->p) - e->nrules;
	if (subject_resolve(e->p.subject_kind, e->p.subject, &e->subject) || rules_compile(&e->p, &e->rules))
		return stk_fail("%s: %s", e->file, stk_error());
	/* A restarted service's new cgroup is still the subject it was. */
	if (k)
		e->subject.id = kernel_subject_key(k, &e->subject);
	subject_label(e->subject.kind, e->subject.name, e->who, sizeof(e->who));
	e->mode = complain || e->p.complain ? STK_MODE_COMPLAIN : STK_MODE_ENFORCE;
	return 0;
}

int enforcement_apply(struct kernel *k, struct enforcement *e, const char *name, uint32_t *profile_id)
{
	struct stk_subject_info info = { .rules = (__u32)e->nrules, .protection = (__u32)e->nprotection,
					 .applied_at = (__u64)time(NULL) };

	snprintf(info.file, sizeof(info.file), "%s", name);
	snprintf(info.digest, sizeof(info.digest), "%s", e->digest);
	if (enforce_apply(k, &e->rules, &e->subject, e->mode, profile_id))
		return -1;
	if (kernel_subject_info_set(k, e->subject.id, &info))
		stk_warn("%s", stk_error()); /* only status and a restarted daemon read it */
	return 0;
}

void enforcement_free(struct enforcement *e)
{
	compiled_free(&e->rules);
	profile_free(&e->p);
}

int enforce_protect_self(struct kernel *k)
{
	return kernel_protect(k, (uint32_t)getpid());
}

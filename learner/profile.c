/* The profile model and what its rules mean. */
#include <stdlib.h>
#include <string.h>
#include "learner.h"
#include "../bpf/decide.h"
#include "../common/error.h"

void profile_free(struct profile *p)
{
	for (size_t i = 0; i < p->nfiles; i++)
		free(p->files[i].path);
	free(p->files);
	free(p->subject);
	memset(p, 0, sizeof(*p));
}

int profile_add_file(struct profile *p, const char *path, bool subtree, bool deny,
		     uint32_t access, const struct evidence *ev)
{
	struct file_rule *grown = realloc(p->files, (p->nfiles + 1) * sizeof(*grown));
	struct file_rule *r;

	if (!grown)
		return stk_fail("out of memory");
	p->files = grown;
	r = &p->files[p->nfiles];
	memset(r, 0, sizeof(*r));
	if (!(r->path = strdup(path)))
		return stk_fail("out of memory");
	r->subtree = subtree;
	r->deny = deny;
	r->access = access;
	if (ev)
		r->evidence = *ev;
	p->nfiles++;
	return 0;
}

static int rule_cmp(const void *a, const void *b)
{
	const struct file_rule *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	if (x->subtree != y->subtree)
		return x->subtree - y->subtree;
	return x->deny - y->deny;
}

void profile_sort(struct profile *p)
{
	if (p->nfiles)
		qsort(p->files, p->nfiles, sizeof(*p->files), rule_cmp);
}

/* The rules that name exactly this path, folded into one kernel rule. */
static bool rules_at(const struct profile *p, const char *path, size_t len, struct stk_rule *out)
{
	bool any = false;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct file_rule *r = &p->files[i];
		__u8 *bits;

		if (strlen(r->path) != len || memcmp(r->path, path, len))
			continue;
		if (r->deny)
			bits = r->subtree ? &out->deny_tree : &out->deny_self;
		else
			bits = r->subtree ? &out->allow_tree : &out->allow_self;
		*bits |= (__u8)r->access;
		any = true;
	}
	return any;
}

bool profile_allows(const struct profile *p, const char *path, uint32_t access)
{
	struct stk_match m;
	struct stk_rule r;
	size_t len = strlen(path);
	bool at_object = true;

	stk_match_init(&m, access);
	while (len > 0 && !stk_match_decided(&m)) {
		if (rules_at(p, path, len, &r))
			stk_match_apply(&m, &r, at_object);
		at_object = false;
		len = stk_path_parent_len(path, (uint32_t)len);
	}
	return stk_match_allowed(&m);
}

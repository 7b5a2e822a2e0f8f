/* A profile's rules as the kernel's rule maps hold them. */
#include <stdlib.h>
#include <string.h>
#include "enforcer.h"
#include "../bpf/decide.h"
#include "../common/error.h"

static void rule_fold(struct stk_rule *r, const struct file_rule *fr)
{
	__u8 bits = (__u8)fr->access;

	if (fr->deny)
		*(fr->subtree ? &r->deny_tree : &r->deny_self) |= bits;
	else
		*(fr->subtree ? &r->allow_tree : &r->allow_self) |= bits;
}

int rules_compile(const struct profile *p, struct compiled *out)
{
	memset(out, 0, sizeof(*out));
	if (!p->nfiles)
		return 0;
	out->rules = calloc(p->nfiles, sizeof(*out->rules));
	if (!out->rules)
		return stk_fail("out of memory");
	/* Profiles are kept sorted by path; rules on one path are adjacent. */
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct file_rule *fr = &p->files[i];

		if (!out->n || strcmp(out->rules[out->n - 1].path, fr->path))
			out->rules[out->n++].path = fr->path;
		rule_fold(&out->rules[out->n - 1].rule, fr);
	}
	return 0;
}

void compiled_free(struct compiled *c)
{
	free(c->rules);
	memset(c, 0, sizeof(*c));
}

struct probe {
	const char *path;
	size_t len;
};

static int probe_cmp(const void *key, const void *elem)
{
	const struct probe *pr = key;
	const struct compiled_rule *r = elem;
	int c = strncmp(pr->path, r->path, pr->len);

	return c ? c : -(r->path[pr->len] != 0);
}

static const struct stk_rule *lookup(const struct compiled *c, const char *path, size_t len)
{
	struct probe pr = { path, len };
	const struct compiled_rule *r = c->n ? bsearch(&pr, c->rules, c->n, sizeof(*r), probe_cmp) : NULL;

	return r ? &r->rule : NULL;
}

/* The kernel's walk: the path itself, then each parent up to the root. */
bool compiled_allows(const struct compiled *c, const char *path, uint32_t access)
{
	const struct stk_rule *r;
	size_t len = strlen(path);
	struct stk_match m;
	bool at_object = true;

	stk_match_init(&m, access);
	while (len > 0 && !stk_match_decided(&m)) {
		if ((r = lookup(c, path, len)))
			stk_match_apply(&m, r, at_object);
		at_object = false;
		len = stk_path_parent_len(path, (uint32_t)len);
	}
	return stk_match_allowed(&m);
}

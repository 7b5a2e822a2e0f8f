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
	free(p->net);
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

int profile_add_net(struct profile *p, const struct net_rule *r)
{
	struct net_rule *grown = realloc(p->net, (p->nnet + 1) * sizeof(*grown));

	if (!grown)
		return stk_fail("out of memory");
	p->net = grown;
	p->net[p->nnet++] = *r;
	return 0;
}

static int net_cmp(const void *a, const void *b)
{
	const struct net_rule *x = a, *y = b;
	int c;

	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if ((c = memcmp(x->addr, y->addr, sizeof(x->addr))))
		return c;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	if (x->port_lo != y->port_lo)
		return x->port_lo < y->port_lo ? -1 : 1;
	return (x->port_hi > y->port_hi) - (x->port_hi < y->port_hi);
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
	if (p->nnet)
		qsort(p->net, p->nnet, sizeof(*p->net), net_cmp);
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

bool addr_in_prefix(const uint8_t addr[16], const uint8_t net[16], unsigned prefix)
{
	for (unsigned bit = 0; bit < prefix && bit < 128; bit++) {
		uint8_t mask = 0x80 >> (bit % 8);

		if ((addr[bit / 8] & mask) != (net[bit / 8] & mask))
			return false;
	}
	return true;
}

/* Allowed when any rule names the operation, protocol, peer and port. */
bool profile_net_allows(const struct profile *p, uint32_t op, uint8_t proto,
			const uint8_t addr[16], uint16_t port)
{
	for (size_t i = 0; i < p->nnet; i++) {
		const struct net_rule *r = &p->net[i];

		if (r->op == op && r->proto == proto && r->port_lo <= port && port <= r->port_hi &&
		    addr_in_prefix(addr, r->addr, r->prefix))
			return true;
	}
	return false;
}

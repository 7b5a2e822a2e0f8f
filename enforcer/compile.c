/* A profile's rules as the kernel's rule maps hold them. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

static int range_cmp(const void *a, const void *b)
{
	const struct stk_port_range *x = a, *y = b;

	return (x->lo > y->lo) - (x->lo < y->lo);
}

/* Does rule r apply to every address of entry e's network? */
static bool net_covers(const struct net_rule *r, const struct net_rule *e)
{
	return r->op == e->op && r->proto == e->proto && r->prefix <= e->prefix &&
	       addr_in_prefix(e->addr, r->addr, r->prefix);
}

/* The merged port ranges of every rule covering e. */
static int ports_for(const struct profile *p, const struct net_rule *e, struct stk_net_rule *out)
{
	struct stk_port_range *all = calloc(p->nnet, sizeof(*all));
	size_t n = 0;
	char where[64];

	if (!all)
		return stk_fail("out of memory");
	for (size_t i = 0; i < p->nnet; i++)
		if (net_covers(&p->net[i], e))
			all[n++] = (struct stk_port_range){ p->net[i].port_lo, p->net[i].port_hi };
	qsort(all, n, sizeof(*all), range_cmp);
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		struct stk_port_range *last = out->n ? &out->ports[out->n - 1] : NULL;

		if (last && all[i].lo <= (uint32_t)last->hi + 1) {
			if (all[i].hi > last->hi)
				last->hi = all[i].hi;
			continue;
		}
		if (out->n == STK_PORT_RANGES) {
			free(all);
			addr_format(e->addr, e->prefix, where, sizeof(where));
			return stk_fail("%s %s %s: more than %d separate port ranges apply; merge some",
					net_op_name(e->op), proto_name(e->proto), where, STK_PORT_RANGES);
		}
		out->ports[out->n++] = all[i];
	}
	free(all);
	return 0;
}

static int net_compile(const struct profile *p, struct compiled *out)
{
	if (!p->nnet)
		return 0;
	out->net = calloc(p->nnet, sizeof(*out->net));
	if (!out->net)
		return stk_fail("out of memory");
	/* Sorted rules put each (op, proto, network) in one run. */
	for (size_t i = 0; i < p->nnet; i++) {
		const struct net_rule *r = &p->net[i];
		struct compiled_net *last = out->nnet ? &out->net[out->nnet - 1] : NULL;

		if (last && last->key.op == r->op && last->key.proto == r->proto &&
		    last->key.prefixlen == STK_NET_KEY_FIXED_BITS + r->prefix &&
		    !memcmp(last->key.addr, r->addr, sizeof(r->addr)))
			continue;
		last = &out->net[out->nnet++];
		last->key.prefixlen = STK_NET_KEY_FIXED_BITS + r->prefix;
		last->key.op = (uint8_t)r->op;
		last->key.proto = r->proto;
		memcpy(last->key.addr, r->addr, sizeof(r->addr));
		if (ports_for(p, r, &last->rule))
			return -1;
	}
	return 0;
}

static int path_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct file_rule *const *)a)->path, (*(const struct file_rule *const *)b)->path);
}

/* One map entry per path, folding the rules of every list that name it. */
static int files_compile(const struct profile *p, struct compiled *out)
{
	const struct file_rule **by_path;

	if (!p->nfiles)
		return 0;
	out->rules = calloc(p->nfiles, sizeof(*out->rules));
	by_path = calloc(p->nfiles, sizeof(*by_path));
	if (!out->rules || !by_path) {
		free(by_path);
		return stk_fail("out of memory");
	}
	for (size_t i = 0; i < p->nfiles; i++)
		by_path[i] = &p->files[i];
	qsort(by_path, p->nfiles, sizeof(*by_path), path_cmp);
	for (size_t i = 0; i < p->nfiles; i++) {
		if (!out->n || strcmp(out->rules[out->n - 1].path, by_path[i]->path))
			out->rules[out->n++].path = by_path[i]->path;
		rule_fold(&out->rules[out->n - 1].rule, by_path[i]);
	}
	free(by_path);
	return 0;
}

int rules_compile(const struct profile *p, struct compiled *out)
{
	memset(out, 0, sizeof(*out));
	out->grants = (struct stk_grants){
		.privileges = p->privileges,
		.netlink = p->netlink,
		.capabilities = p->capabilities,
		.families = p->families,
	};
	if (net_compile(p, out) || files_compile(p, out)) {
		compiled_free(out);
		return -1;
	}
	return 0;
}

void compiled_free(struct compiled *c)
{
	free(c->rules);
	free(c->net);
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

/* The kernel's lookup: the longest matching network decides, by its ports. */
bool compiled_net_allows(const struct compiled *c, uint32_t op, uint8_t proto,
			 const uint8_t addr[16], uint16_t port)
{
	const struct compiled_net *best = NULL;

	for (size_t i = 0; i < c->nnet; i++) {
		const struct compiled_net *e = &c->net[i];

		if (e->key.op == op && e->key.proto == proto &&
		    addr_in_prefix(addr, e->key.addr, e->key.prefixlen - STK_NET_KEY_FIXED_BITS) &&
		    (!best || e->key.prefixlen > best->key.prefixlen))
			best = e;
	}
	return best && stk_port_allowed(&best->rule, port);
}

int enforce_admit(const struct profile *p, const char *file, bool complain)
{
	char when[32];
	time_t at = (time_t)p->review.at;
	struct tm tm;

	if (profile_approved(p))
		return 0;
	if (complain || p->complain) {
		stk_warn("%s is not approved: loading it in complain mode, where it denies nothing", file);
		return 0;
	}
	if (!p->review.by)
		return stk_fail("%s is not approved: review it with `stockade review %s` (or `stockade approve %s`); "
				"--complain loads it without denying anything", file, file, file);
	gmtime_r(&at, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
	return stk_fail("%s: its rules changed since %s approved them (%s): review them with `stockade review %s`",
			file, p->review.by, when, file);
}

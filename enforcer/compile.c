/* A profile's rules as the kernel's rule maps hold them. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "enforcer.h"
#include "../bpf/decide.h"
#include "../common/error.h"

/* Fold a rule into the entry for its path, or, with stem, its versions entry. */
static void rule_fold(struct stk_rule *r, const struct file_rule *fr, bool stem)
{
	__u8 bits = (__u8)fr->access;
	bool tree = stem || fr->subtree;

	if (fr->deny)
		*(tree ? &r->deny_tree : &r->deny_self) |= bits;
	else
		*(tree ? &r->allow_tree : &r->allow_self) |= bits;
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

/* A rule, and which of its entries it goes into. */
struct placed {
	const struct file_rule *r;
	bool versions;
};

static int entry_cmp(const char *path, bool versions, const struct compiled_rule *e)
{
	int c = strcmp(path, e->path);

	return c ? c : versions - e->versions;
}

static int placed_cmp(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;
	int c = strcmp(x->r->path, y->r->path);

	return c ? c : x->versions - y->versions;
}

/*
 * One map entry per path, folding the rules of every list that name it;
 * a versions rule also covers its own path, and its stem has an entry of
 * its own (STK_PROFILE_VERSIONS).
 */
static int files_compile(const struct profile *p, struct compiled *out)
{
	struct placed *all;
	size_t n = 0;

	if (!p->nfiles)
		return 0;
	out->rules = calloc(2 * p->nfiles, sizeof(*out->rules));
	all = calloc(2 * p->nfiles, sizeof(*all));
	if (!out->rules || !all) {
		free(all);
		return stk_fail("out of memory");
	}
	for (size_t i = 0; i < p->nfiles; i++) {
		all[n++] = (struct placed){ &p->files[i], false };
		if (p->files[i].versions)
			all[n++] = (struct placed){ &p->files[i], true };
	}
	qsort(all, n, sizeof(*all), placed_cmp);
	for (size_t i = 0; i < n; i++) {
		struct compiled_rule *last = out->n ? &out->rules[out->n - 1] : NULL;

		if (!last || entry_cmp(all[i].r->path, all[i].versions, last)) {
			last = &out->rules[out->n++];
			last->path = all[i].r->path;
			last->versions = all[i].versions;
		}
		rule_fold(&last->rule, all[i].r, all[i].versions);
	}
	free(all);
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

uint32_t compiled_key_profile(const struct compiled_rule *r, uint32_t id)
{
	return r->versions ? id | STK_PROFILE_VERSIONS : id;
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
	bool versions;
};

static int probe_cmp(const void *key, const void *elem)
{
	const struct probe *pr = key;
	const struct compiled_rule *r = elem;
	int c = strncmp(pr->path, r->path, pr->len);

	if (!c)
		c = -(r->path[pr->len] != 0);
	return c ? c : pr->versions - r->versions;
}

static const struct stk_rule *lookup(const struct compiled *c, const char *path, size_t len, bool versions)
{
	struct probe pr = { path, len, versions };
	const struct compiled_rule *r = c->n ? bsearch(&pr, c->rules, c->n, sizeof(*r), probe_cmp) : NULL;

	return r ? &r->rule : NULL;
}

/* The kernel's walk: the path itself, its stems, then each parent up to the root. */
bool compiled_allows(const struct compiled *c, const char *path, uint32_t access)
{
	const struct stk_rule *r;
	size_t len = strlen(path), stem = len;
	struct stk_match m;

	stk_match_init(&m, access);
	if ((r = lookup(c, path, len, false)))
		stk_match_apply(&m, r, 1);
	while (!stk_match_decided(&m) && (stem = stk_version_stem_len(path, (uint32_t)stem)))
		if ((r = lookup(c, path, stem, true)))
			stk_match_apply(&m, r, 0);
	len = stk_path_parent_len(path, (uint32_t)len);
	while (len > 0 && !stk_match_decided(&m)) {
		if ((r = lookup(c, path, len, false)))
			stk_match_apply(&m, r, 0);
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

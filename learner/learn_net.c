/*
 * Network rules from observed peers: one exact rule per (operation,
 * protocol, address, port), except where --net-siblings or more addresses of
 * one /24 (IPv4) or /64 (IPv6) were used with the same operation, protocol
 * and port: those become one prefix rule. Loopback and unspecified addresses
 * are never merged, so local and remote peers stay apart. A bind to an
 * ephemeral port gets no rule: the kernel picked it, and picks another next
 * time (a bind to port 0, asking for one, does get a rule).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "../names/names.h"
#include "../common/error.h"

static const uint8_t v4_mapped[12] = { [10] = 0xff, [11] = 0xff };

static bool is_v4(const uint8_t addr[16])
{
	return !memcmp(addr, v4_mapped, sizeof(v4_mapped));
}

/* Addresses that name this machine or no machine: never part of a prefix. */
static bool is_local(const uint8_t addr[16])
{
	static const uint8_t any[16], loop6[16] = { [15] = 1 };

	if (is_v4(addr))
		return addr[12] == 127 || !memcmp(addr + 12, any, 4);
	return !memcmp(addr, any, 16) || !memcmp(addr, loop6, 16);
}

/* The prefix (in IPv6 bits) peers are grouped by. */
static unsigned group_prefix(const uint8_t addr[16])
{
	return is_v4(addr) ? 96 + 24 : 64;
}

int learn_net_add(struct learner *l, const struct observation *o, uint32_t host)
{
	struct raw_net r = { .op = o->access, .host = host, .count = o->count,
			     .first_seen = o->first_seen, .last_seen = o->last_seen };

	if (peer_parse(o->object, &r.proto, r.addr, &r.port)) {
		learn_report(l, "no rule for '%s': only tcp and udp peers can be rules", o->object);
		return 0;
	}
	if (r.op == STK_NET_BIND && r.port >= l->opt.ephemeral_lo && r.port <= l->opt.ephemeral_hi) {
		learn_report(l, "no bind rule for %s: an ephemeral port (--ephemeral-ports %u-%u), another one next time",
			     o->object, l->opt.ephemeral_lo, l->opt.ephemeral_hi);
		return 0;
	}
	if (o->exe && !(r.exe = learn_strdup(l, o->exe)))
		return -1;
	if (learn_reserve((void **)&l->net, &l->net_cap, l->nnet, sizeof(*l->net)))
		return -1;
	l->net[l->nnet++] = r;
	return 0;
}

static int raw_cmp(const void *a, const void *b)
{
	const struct raw_net *x = a, *y = b;
	int c;

	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if ((c = memcmp(x->addr, y->addr, sizeof(x->addr))))
		return c;
	return (x->host > y->host) - (x->host < y->host);
}

static bool same_peer(const struct raw_net *x, const struct raw_net *y)
{
	return x->op == y->op && x->proto == y->proto && x->port == y->port &&
	       !memcmp(x->addr, y->addr, sizeof(x->addr));
}

/* Can y join the prefix group that x starts? */
static bool same_group(const struct raw_net *x, const struct raw_net *y)
{
	if (same_peer(x, y))
		return true;
	return x->op == y->op && x->proto == y->proto && x->port == y->port &&
	       !is_local(x->addr) && !is_local(y->addr) && is_v4(x->addr) == is_v4(y->addr) &&
	       addr_in_prefix(y->addr, x->addr, group_prefix(x->addr));
}

/* One rule from the raw observations [from, to), which share a group. */
static int rule_add(struct learner *l, struct host_set *hs, const struct raw_net *from,
		    const struct raw_net *to, unsigned prefix, struct profile *out)
{
	struct net_rule r = { .op = from->op, .proto = from->proto, .prefix = prefix,
			      .port_lo = from->port, .port_hi = from->port };
	struct exe_set exes = { 0 };
	char where[80], sample[80];
	size_t nsamples = 0;
	int err;

	memcpy(r.addr, from->addr, sizeof(r.addr));
	for (unsigned bit = prefix; bit < 128; bit++)
		r.addr[bit / 8] &= (uint8_t)~(0x80 >> (bit % 8));
	host_set_clear(hs);
	for (const struct raw_net *x = from; x < to; x++) {
		evidence_merge(&r.evidence, x->count, x->first_seen, x->last_seen);
		host_set_add(hs, x->host);
		exe_set_add(&exes, x->exe);
		if (prefix < 128 && nsamples < EVIDENCE_SAMPLES && (x == from || !same_peer(x - 1, x))) {
			peer_format(x->proto, x->addr, x->port, sample, sizeof(sample));
			if (!(r.evidence.samples[nsamples++] = strdup(sample))) {
				evidence_free(&r.evidence);
				return stk_fail("out of memory");
			}
		}
	}
	r.evidence.hosts = (int64_t)hs->n;
	addr_format(r.addr, prefix, where, sizeof(where));
	if (r.evidence.hosts < l->opt.min_hosts) {
		learn_report(l, "no %s rule for %s %s port %u: seen on %" PRId64 " host%s, fewer than --min-hosts %d",
			     net_op_name(r.op), proto_name(r.proto), where, r.port_lo, r.evidence.hosts,
			     r.evidence.hosts == 1 ? "" : "s", l->opt.min_hosts);
		evidence_free(&r.evidence);
		return 0;
	}
	err = exe_set_copy(&r.evidence, &exes) || profile_add_net(out, &r);
	evidence_free(&r.evidence);
	return err ? -1 : 0;
}

/* How many distinct addresses [from, to) holds (it is sorted). */
static size_t distinct_peers(const struct raw_net *from, const struct raw_net *to)
{
	size_t n = 0;

	for (const struct raw_net *x = from; x < to; x++)
		n += x == from || !same_peer(x - 1, x);
	return n;
}

static int group_learn(struct learner *l, struct host_set *hs, const struct raw_net *from,
		       const struct raw_net *to, struct profile *out)
{
	size_t peers = distinct_peers(from, to);
	unsigned prefix = group_prefix(from->addr);
	char where[80];

	if (!l->opt.exact && peers >= (size_t)l->opt.net_siblings && peers > 1) {
		struct raw_net net = *from;

		for (unsigned bit = prefix; bit < 128; bit++)
			net.addr[bit / 8] &= (uint8_t)~(0x80 >> (bit % 8));
		addr_format(net.addr, prefix, where, sizeof(where));
		learn_report(l, "%s %s %s port %u replaces %zu addresses (--net-siblings %d)",
			     net_op_name(from->op), proto_name(from->proto), where, from->port, peers,
			     l->opt.net_siblings);
		return rule_add(l, hs, from, to, prefix, out);
	}
	for (const struct raw_net *x = from; x < to;) {
		const struct raw_net *end = x + 1;

		while (end < to && same_peer(x, end))
			end++;
		if (rule_add(l, hs, x, end, 128, out))
			return -1;
		x = end;
	}
	return 0;
}

int learn_net(struct learner *l, struct profile *out)
{
	struct host_set hs;
	int err = 0;

	if (host_set_init(&hs, l->nhosts))
		return -1;
	if (l->nnet)
		qsort(l->net, l->nnet, sizeof(*l->net), raw_cmp);
	for (size_t i = 0; !err && i < l->nnet;) {
		size_t end = i + 1;

		while (end < l->nnet && same_group(&l->net[i], &l->net[end]))
			end++;
		err = group_learn(l, &hs, l->net + i, l->net + end, out);
		i = end;
	}
	host_set_free(&hs);
	return err;
}

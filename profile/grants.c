/*
 * Capabilities and socket families in a profile: canonical order, and
 * what the profile grants of them (the YAML semantics, for the tests).
 */
#include <stdio.h>
#include "../names/names.h"
#include "profile.h"
#include "../bpf/decide.h"

void grants_foreach(const struct profile *p, grant_fn fn, void *ctx)
{
	char name[32];

	for (uint32_t cap = 0; cap < STK_CAP_MAX; cap++)
		if ((p->capabilities >> cap) & 1)
			fn(GRANT_CAPABILITY, capability_name(cap) ? capability_name(cap) : "?", ctx);
	for (uint32_t family = 0; family < STK_FAMILY_MAX; family++) {
		if (family == STK_AF_NETLINK) {
			for (uint32_t proto = 0; proto < STK_NETLINK_MAX; proto++)
				if ((p->netlink >> proto) & 1) {
					socket_format(family, proto, name, sizeof(name));
					fn(GRANT_SOCKET, name, ctx);
				}
		} else if ((p->families >> family) & 1) {
			socket_format(family, 0, name, sizeof(name));
			fn(GRANT_SOCKET, name, ctx);
		}
	}
}

int grant_add(struct profile *p, enum grant_kind kind, const char *name)
{
	uint32_t a, b;

	if (kind == GRANT_CAPABILITY) {
		if (capability_parse(name, &a))
			return -1;
		p->capabilities |= 1ULL << a;
		return 0;
	}
	if (socket_parse(name, &a, &b))
		return -1;
	if (a == STK_AF_NETLINK)
		p->netlink |= 1U << b;
	else
		p->families |= 1ULL << a;
	return 0;
}

bool grant_has(const struct profile *p, enum grant_kind kind, const char *name)
{
	struct profile one = { 0 };

	if (grant_add(&one, kind, name))
		return false;
	return (p->capabilities & one.capabilities) == one.capabilities &&
	       (p->families & one.families) == one.families && (p->netlink & one.netlink) == one.netlink;
}

bool profile_cap_allows(const struct profile *p, int cap)
{
	return cap >= 0 && cap < STK_CAP_MAX && ((p->capabilities >> cap) & 1);
}

bool profile_socket_allows(const struct profile *p, int family, int protocol)
{
	if (family == STK_AF_UNIX || family == STK_AF_INET || family == STK_AF_INET6 || family == STK_AF_PACKET)
		return true;
	if (family == STK_AF_NETLINK)
		return protocol >= 0 && protocol < STK_NETLINK_MAX && ((p->netlink >> protocol) & 1);
	return family >= 0 && family < STK_FAMILY_MAX && ((p->families >> family) & 1);
}

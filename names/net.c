/* Network peers: one spelling for events, recordings and profiles. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "names.h"
#include "../common/error.h"

static const uint8_t v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const char *const op_names[] = { "connect", "bind", "send" };
static const char *const privilege_names[] = {
	"raw-socket", "packet-socket", "mount", "chroot", "bpf", "modules",
	"ptrace-read", "ptrace", "signal", "anon-exec", "syslog", "netlink-send",
	"tamper-with-stockade", "leave-subject",
};

const char *net_op_name(uint32_t op)
{
	return bit_name(op_names, NELEMS(op_names), op);
}

int net_op_parse(const char *name, uint32_t *op)
{
	return bit_parse(op_names, NELEMS(op_names), name, op);
}

const char *privilege_name(uint32_t priv)
{
	return bit_name(privilege_names, NELEMS(privilege_names), priv);
}

int privilege_parse(const char *name, uint32_t *priv)
{
	/* Tampering with stockade is named in logs, never granted. */
	if (bit_parse(privilege_names, NELEMS(privilege_names), name, priv) || !(*priv & STK_PRIV_ALL))
		return stk_fail("unknown privilege '%s'", name);
	return 0;
}

const char *proto_name(uint8_t proto)
{
	return proto == STK_PROTO_TCP ? "tcp" : proto == STK_PROTO_UDP ? "udp" : NULL;
}

int proto_parse(const char *name, uint8_t *proto)
{
	if (!strcmp(name, "tcp"))
		*proto = STK_PROTO_TCP;
	else if (!strcmp(name, "udp"))
		*proto = STK_PROTO_UDP;
	else
		return -1;
	return 0;
}

static bool is_v4(const uint8_t addr[16])
{
	return !memcmp(addr, v4_mapped, sizeof(v4_mapped));
}

/* Are all bits of addr past prefix zero? */
static bool host_bits_clear(const uint8_t addr[16], unsigned prefix)
{
	for (unsigned bit = prefix; bit < 128; bit++)
		if (addr[bit / 8] & (0x80 >> (bit % 8)))
			return false;
	return true;
}

int addr_parse(const char *text, uint8_t addr[16], unsigned *prefix)
{
	char host[64], *slash, *end;
	unsigned long bits;
	bool v4;

	if (snprintf(host, sizeof(host), "%s", text) >= (int)sizeof(host))
		return stk_fail("'%.64s' is not an IP address", text);
	slash = strchr(host, '/');
	if (slash)
		*slash = 0;
	v4 = strchr(host, ':') == NULL;
	if (v4) {
		memcpy(addr, v4_mapped, sizeof(v4_mapped));
		if (inet_pton(AF_INET, host, addr + 12) != 1)
			return stk_fail("'%s' is not an IPv4 address", host);
	} else if (inet_pton(AF_INET6, host, addr) != 1) {
		return stk_fail("'%s' is not an IPv6 address", host);
	}
	bits = v4 ? 32 : 128;
	if (slash) {
		bits = strtoul(slash + 1, &end, 10);
		if (!slash[1] || *end || bits > (v4 ? 32u : 128u))
			return stk_fail("'%s' has a bad prefix length (expected /0 to /%d)", text, v4 ? 32 : 128);
	}
	*prefix = (unsigned)bits + (v4 ? 96 : 0);
	if (!host_bits_clear(addr, *prefix))
		return stk_fail("'%s' has bits set past its prefix length; the network is written with them clear", text);
	return 0;
}

void addr_format(const uint8_t addr[16], unsigned prefix, char *buf, size_t len)
{
	bool v4 = is_v4(addr) && prefix >= 96;
	unsigned shown = v4 ? prefix - 96 : prefix;
	char host[INET6_ADDRSTRLEN];

	inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? addr + 12 : addr, host, sizeof(host));
	if (shown == (v4 ? 32u : 128u))
		snprintf(buf, len, "%s", host);
	else
		snprintf(buf, len, "%s/%u", host, shown);
}

void peer_format(uint8_t proto, const uint8_t addr[16], uint16_t port, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];
	const char *name = proto_name(proto);
	char num[8];

	addr_format(addr, 128, host, sizeof(host));
	snprintf(num, sizeof(num), "%u", proto);
	snprintf(buf, len, is_v4(addr) ? "%s %s:%u" : "%s [%s]:%u", name ? name : num, host, port);
}

void net_object_format(const struct stk_event *ev, char *buf, size_t len)
{
	const char *name = proto_name(ev->proto);

	if (!ev->path_len)
		peer_format(ev->proto, ev->addr, ev->port, buf, len);
	else if (name)
		snprintf(buf, len, "%s %s", name, ev->path);
	else
		snprintf(buf, len, "%u %s", ev->proto, ev->path);
}

int peer_parse(const char *text, uint8_t *proto, uint8_t addr[16], uint16_t *port)
{
	char name[8], host[64];
	unsigned prefix, p;
	int n = 0;

	if ((sscanf(text, "%7s [%63[^]]]:%u%n", name, host, &p, &n) != 3 &&
	     sscanf(text, "%7s %63[^:]:%u%n", name, host, &p, &n) != 3) ||
	    text[n] || p > 65535 || proto_parse(name, proto) || addr_parse(host, addr, &prefix))
		return stk_fail("'%s' is not a peer such as 'tcp 192.0.2.1:443'", text);
	*port = (uint16_t)p;
	return 0;
}

/*
 * What a profile grants outright beside its rules, by name: capabilities
 * (Linux's names without CAP_, lower case) and socket families (AF_ names,
 * netlink ones by protocol). One spelling for events, recordings and
 * profiles.
 */
#include <stdio.h>
#include <string.h>
#include "names.h"
#include "../common/error.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Indexed by capability number (include/uapi/linux/capability.h, 6.1). */
static const char *const capability_names[] = {
	"chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid",
	"setuid", "setpcap", "linux_immutable", "net_bind_service", "net_broadcast",
	"net_admin", "net_raw", "ipc_lock", "ipc_owner", "sys_module", "sys_rawio",
	"sys_chroot", "sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice",
	"sys_resource", "sys_time", "sys_tty_config", "mknod", "lease", "audit_write",
	"audit_control", "setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm",
	"block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore",
};

/* Indexed by AF_* number (include/linux/socket.h, 6.1); NULL: no such family. */
static const char *const family_names[] = {
	NULL, "unix", "inet", "ax25", "ipx", "appletalk", "netrom", "bridge", "atmpvc", "x25",
	"inet6", "rose", "decnet", "netbeui", "security", "key", "netlink", "packet", "ash",
	"econet", "atmsvc", "rds", "sna", "irda", "pppox", "wanpipe", "llc", "ib", "mpls",
	"can", "tipc", "bluetooth", "iucv", "rxrpc", "isdn", "phonet", "ieee802154", "caif",
	"alg", "nfc", "vsock", "kcm", "qipcrtr", "smc", "xdp", "mctp",
};

/* Indexed by NETLINK_* protocol (include/uapi/linux/netlink.h, 6.1). */
static const char *const netlink_names[] = {
	"route", NULL, "usersock", "firewall", "sock-diag", "nflog", "xfrm", "selinux",
	"iscsi", "audit", "fib-lookup", "connector", "netfilter", "ip6-fw", "dnrtmsg",
	"kobject-uevent", "generic", NULL, "scsitransport", "ecryptfs", "rdma", "crypto", "smc",
};

const char *capability_name(uint32_t cap)
{
	return cap < NELEMS(capability_names) ? capability_names[cap] : NULL;
}

int capability_parse(const char *name, uint32_t *cap)
{
	for (uint32_t i = 0; i < NELEMS(capability_names); i++)
		if (!strcmp(name, capability_names[i])) {
			*cap = i;
			return 0;
		}
	return stk_fail("unknown capability '%s'", name);
}

/* Families that a socket rule names: not those peer rules or privileges police. */
static bool family_nameable(uint32_t family)
{
	return family != STK_AF_UNIX && family != STK_AF_INET && family != STK_AF_INET6 &&
	       family != STK_AF_PACKET && family < NELEMS(family_names) && family_names[family];
}

int socket_format(uint32_t family, uint32_t protocol, char *buf, size_t len)
{
	if (family == STK_AF_NETLINK && protocol < NELEMS(netlink_names) && netlink_names[protocol])
		snprintf(buf, len, "netlink-%s", netlink_names[protocol]);
	else if (family == STK_AF_NETLINK)
		snprintf(buf, len, "netlink-%u", protocol);
	else if (family_nameable(family))
		snprintf(buf, len, "%s", family_names[family]);
	else
		snprintf(buf, len, "family-%u", family);
	return family_nameable(family) && (family != STK_AF_NETLINK || protocol < STK_NETLINK_MAX) ? 0 : -1;
}

int socket_parse(const char *name, uint32_t *family, uint32_t *protocol)
{
	*protocol = 0;
	if (!strncmp(name, "netlink-", 8)) {
		for (uint32_t i = 0; i < NELEMS(netlink_names); i++)
			if (netlink_names[i] && !strcmp(name + 8, netlink_names[i])) {
				*family = STK_AF_NETLINK;
				*protocol = i;
				return 0;
			}
		return stk_fail("unknown netlink protocol '%s'", name + 8);
	}
	for (uint32_t i = 0; i < NELEMS(family_names); i++)
		if (family_names[i] && !strcmp(name, family_names[i]) && i != STK_AF_NETLINK) {
			if (i == STK_AF_PACKET)
				return stk_fail("packet sockets are granted as privileges: [packet-socket]");
			if (!family_nameable(i))
				return stk_fail("%s sockets are decided by network rules, not listed", name);
			*family = i;
			return 0;
		}
	return stk_fail("unknown socket family '%s'", name);
}

const char *grant_event_name(const struct stk_event *ev, char *buf, size_t len)
{
	const char *cap = capability_name(ev->access);

	if (ev->type == STK_EV_SOCKET)
		socket_format(ev->access, ev->proto, buf, len);
	else if (cap)
		snprintf(buf, len, "%s", cap);
	else
		snprintf(buf, len, "cap-%u", ev->access);
	return buf;
}

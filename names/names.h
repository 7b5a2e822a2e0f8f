/*
 * The text of the kernel ABI's values, one spelling for events, recordings,
 * profiles and every screen: access bits, network operations, protocols,
 * addresses and peers, privileges, capabilities and socket families. A
 * parser returns -1 (with stk_error() set only where it says so) for a name
 * it does not know; a formatter never fails.
 */
#ifndef STOCKADE_NAMES_H
#define STOCKADE_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "../bpf/abi.h"

/* The name of a one-bit value in a table where names[i] names 1 << i. */
const char *bit_name(const char *const *names, size_t n, uint32_t bit);
int bit_parse(const char *const *names, size_t n, const char *name, uint32_t *bit);
/* Access names, as events and profiles spell them: read, write, append,
 * exec, create, unlink, link, connect. */
int access_parse(const char *name, uint32_t *bit);
const char *access_name(uint32_t bit);
/* "read,write" for access bits; buf of at least 64 bytes. */
const char *access_format(uint32_t access, char *buf, size_t len);

/* Operation names: connect, bind, send; protocol names: tcp, udp. */
const char *net_op_name(uint32_t op);
int net_op_parse(const char *name, uint32_t *op);
const char *proto_name(uint8_t proto); /* NULL for any but tcp and udp */
int proto_parse(const char *name, uint8_t *proto);
/*
 * Addresses are 16 bytes, IPv4 as IPv4-mapped IPv6, with a prefix length in
 * IPv6 bits. They are written as IPv4 (with prefix - 96) whenever they are
 * IPv4-mapped, and without a prefix when it covers the whole address.
 */
int addr_parse(const char *text, uint8_t addr[16], unsigned *prefix);
void addr_format(const uint8_t addr[16], unsigned prefix, char *buf, size_t len);
/* Privilege names: raw-socket, packet-socket, mount, chroot, bpf, modules,
 * ptrace-read, ptrace, signal, anon-exec, syslog, netlink-send, and the two
 * only ever logged, tamper-with-stockade and leave-subject. */
const char *privilege_name(uint32_t priv);
int privilege_parse(const char *name, uint32_t *priv);
/* Capability names, Linux's without CAP_ in lower case: chown, setuid,
 * net_bind_service, ...; NULL for a number 6.1 does not know. */
const char *capability_name(uint32_t cap);
int capability_parse(const char *name, uint32_t *cap);
/* Socket families a rule names: "vsock", "xdp", ..., netlink by protocol
 * ("netlink-route"). Formatting one no rule can name (unix, inet, inet6,
 * packet, an unknown number) writes "family-N" or "netlink-N" and returns -1. */
int socket_format(uint32_t family, uint32_t protocol, char *buf, size_t len);
int socket_parse(const char *name, uint32_t *family, uint32_t *protocol);
/* The name a capability or socket event grants: "setuid", "netlink-route". */
const char *grant_event_name(const struct stk_event *ev, char *buf, size_t len);
/* "capability" or "socket": the recording's kind of a grant event. */
#define GRANT_EVENT_KIND(ev) ((ev)->type == STK_EV_SOCKET ? "socket" : "capability")
/* A peer as recordings store it: "tcp 192.0.2.1:443", "udp [2001:db8::1]:53". */
void peer_format(uint8_t proto, const uint8_t addr[16], uint16_t port, char *buf, size_t len);
int peer_parse(const char *text, uint8_t *proto, uint8_t addr[16], uint16_t *port);
/* A network event's object: its peer, or why its address was refused unread. */
void net_object_format(const struct stk_event *ev, char *buf, size_t len);

/* ---- events ------------------------------------------------------------ */

/* "seen", "would deny", "denied". */
const char *verdict_name(uint32_t verdict);
/*
 * An event in the words a recording and the denial log use: its kind
 * ("file", "net", "privilege", "capability", "socket"), its object (a path,
 * a peer, a mount point; "" for none) and its access ("read,write",
 * "connect", "mount", "setuid", "netlink-route").
 */
struct event_text {
	const char *kind;
	bool grant; /* a privilege, capability or socket: access names what is granted */
	char object[STK_PATH_MAX + 64];
	char access[64];
};
void event_text(const struct stk_event *ev, struct event_text *out);
/* The same on one line: "read /etc/shadow", "connect tcp 192.0.2.1:443",
 * "mount /mnt", "capability setuid". */
void event_describe(const struct stk_event *ev, char *buf, size_t len);

#endif

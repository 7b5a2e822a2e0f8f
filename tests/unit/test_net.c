/* Network rules: spelling, YAML, and the compiled trie agreeing with the list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "../../names/names.h"
#include "../../profile/profile.h"
#include "../../enforcer/enforcer.h"
#include "../../bpf/decide.h"
#include "../../common/error.h"

static void addr_round_trip(const char *in, const char *out, unsigned prefix)
{
	uint8_t addr[16];
	unsigned got;
	char buf[64];

	cr_assert_eq(addr_parse(in, addr, &got), 0, "%s: %s", in, stk_error());
	cr_assert_eq(got, prefix, "%s: prefix %u", in, got);
	addr_format(addr, got, buf, sizeof(buf));
	cr_assert_str_eq(buf, out);
}

Test(addr, ipv4_is_stored_mapped_and_written_back_as_ipv4)
{
	addr_round_trip("192.0.2.7", "192.0.2.7", 128);
	addr_round_trip("192.0.2.0/24", "192.0.2.0/24", 120);
	addr_round_trip("0.0.0.0/0", "0.0.0.0/0", 96);
	addr_round_trip("::ffff:127.0.0.1", "127.0.0.1", 128);
}

Test(addr, ipv6_round_trips)
{
	addr_round_trip("::1", "::1", 128);
	addr_round_trip("2001:db8::/32", "2001:db8::/32", 32);
	addr_round_trip("::/0", "::/0", 0);
}

static void addr_rejected(const char *in, const char *phrase)
{
	uint8_t addr[16];
	unsigned prefix;

	cr_assert_neq(addr_parse(in, addr, &prefix), 0, "accepted %s", in);
	cr_assert(strstr(stk_error(), phrase), "'%s' lacks '%s'", stk_error(), phrase);
}

Test(addr, bad_addresses_are_rejected)
{
	addr_rejected("300.1.1.1", "not an IPv4 address");
	addr_rejected("example.com", "not an IPv4 address");
	addr_rejected("1.2.3.4/33", "bad prefix length");
	addr_rejected("1.2.3.4/", "bad prefix length");
	addr_rejected("::1/129", "bad prefix length");
	addr_rejected("1.2.3.4/24", "bits set past its prefix");
	addr_rejected("2001:db8::1/32", "bits set past its prefix");
}

Test(peer, round_trips_in_both_families)
{
	static const char *const peers[] = { "tcp 127.0.0.1:8080", "udp [2001:db8::1]:53", "tcp [::1]:0" };
	uint8_t addr[16], proto;
	uint16_t port;
	char buf[80];

	for (size_t i = 0; i < sizeof(peers) / sizeof(peers[0]); i++) {
		cr_assert_eq(peer_parse(peers[i], &proto, addr, &port), 0, "%s", stk_error());
		peer_format(proto, addr, port, buf, sizeof(buf));
		cr_assert_str_eq(buf, peers[i]);
	}
	cr_assert_neq(peer_parse("icmp 1.2.3.4:0", &proto, addr, &port), 0);
	cr_assert_neq(peer_parse("tcp 1.2.3.4:70000", &proto, addr, &port), 0);
	cr_assert_neq(peer_parse("tcp 1.2.3.4:80 extra", &proto, addr, &port), 0);
}

#define HEAD "version: 1\nsubject: {service: a}\nnetwork:\n"

static void yaml_rejects(const char *text, const char *where, const char *phrase)
{
	struct profile p;
	char prefix[32];

	cr_assert_neq(profile_parse("n.yaml", text, strlen(text), &p), 0, "accepted: %s", text);
	snprintf(prefix, sizeof(prefix), "n.yaml:%s: ", where);
	cr_assert_eq(strncmp(stk_error(), prefix, strlen(prefix)), 0, "'%s' not at %s", stk_error(), where);
	cr_assert(strstr(stk_error(), phrase), "'%s' lacks '%s'", stk_error(), phrase);
}

Test(net_yaml, round_trip_is_canonical)
{
	static const char text[] = HEAD
		"- connect: 10.0.0.0/8\n  protocol: tcp\n  ports: 443\n"
		"- connect: ::1\n  protocol: udp\n"
		"- bind: 0.0.0.0/0\n  protocol: tcp\n  ports: 8000-8999\n"
		"- send: 192.0.2.53\n  protocol: udp\n  ports: 53\n"
		"  evidence: {count: 2, first_seen: '2026-01-01T00:00:00Z', last_seen: '2026-01-02T00:00:00Z', hosts: 1}\n";
	struct profile p;
	char *out;
	size_t len;

	cr_assert_eq(profile_parse("n.yaml", text, strlen(text), &p), 0, "%s", stk_error());
	cr_assert_eq(p.nnet, 4);
	cr_assert_eq(profile_format(&p, &out, &len), 0);
	cr_assert(strstr(out, "network:\n- connect: 10.0.0.0/8\n  protocol: tcp\n  ports: 443\n"
			      "- connect: ::1\n  protocol: udp\n- bind: 0.0.0.0/0\n"), "%s", out);
	cr_assert(strstr(out, "- send: 192.0.2.53\n  protocol: udp\n  ports: 53\n  evidence:"), "%s", out);
	free(out);
	profile_free(&p);
}

Test(net_yaml, bad_rules_are_rejected_at_their_position)
{
	yaml_rejects(HEAD "- connect: 10.0.0.1/8\n  protocol: tcp\n", "4:12", "bits set past its prefix");
	yaml_rejects(HEAD "- connect: 10.0.0.1\n", "4:3", "has no protocol");
	yaml_rejects(HEAD "- connect: 10.0.0.1\n  protocol: sctp\n", "5:13", "unknown protocol 'sctp'");
	yaml_rejects(HEAD "- connect: 10.0.0.1\n  protocol: tcp\n  ports: 70000\n", "6:10", "within 0-65535");
	yaml_rejects(HEAD "- connect: 10.0.0.1\n  protocol: tcp\n  ports: 9-1\n", "6:10", "ports must be");
	yaml_rejects(HEAD "- connect: 10.0.0.1\n  bind: 10.0.0.1\n  protocol: tcp\n", "5:3", "once");
	yaml_rejects(HEAD "- protocol: tcp\n", "4:3", "names no connect, bind, send or unix");
	yaml_rejects(HEAD "- connect: 10.0.0.1\n  protocol: tcp\n  port: 80\n", "6:3", "unknown network rule key 'port'");
}

static struct profile rand_profile(unsigned *seed)
{
	static const char *const nets[] = {
		"127.0.0.0/8", "127.0.0.0/16", "127.0.0.0/24", "127.0.0.1", "127.0.1.0/24", "0.0.0.0/0", "::1", "::/0",
	};
	struct profile p = { .subject = strdup("a.service") };
	int n = rand_r(seed) % 6;

	for (int i = 0; i < n; i++) {
		struct net_rule r = { .op = 1u << (rand_r(seed) % 2), .proto = rand_r(seed) % 2 ? STK_PROTO_TCP : STK_PROTO_UDP };
		uint16_t a = (uint16_t)(rand_r(seed) % 6), b = (uint16_t)(rand_r(seed) % 6);
		bool dup = false;

		cr_assert_eq(addr_parse(nets[rand_r(seed) % 8], r.addr, &r.prefix), 0);
		r.port_lo = a < b ? a : b;
		r.port_hi = a < b ? b : a;
		for (size_t j = 0; j < p.nnet; j++)
			dup |= !net_rule_cmp(&p.net[j], &r);
		if (!dup) /* a profile lists each rule once */
			cr_assert_eq(profile_add_net(&p, &r), 0);
	}
	profile_sort(&p);
	return p;
}

/* The trie's longest-prefix lookup, with pushed-down ports, says what the list says. */
Test(net_compile, trie_agrees_with_the_yaml_semantics_on_random_profiles)
{
	static const char *const peers[] = { "127.0.0.1", "127.0.0.2", "127.0.1.5", "127.1.0.1", "10.0.0.1", "::1", "::2" };
	unsigned seed = 7, yes = 0, no = 0;

	for (int round = 0; round < 3000; round++) {
		struct profile orig = rand_profile(&seed), p;
		struct compiled c;
		char *text;
		size_t len;

		/* The YAML semantics: the profile as written, parsed back. */
		cr_assert_eq(profile_format(&orig, &text, &len), 0, "%s", stk_error());
		cr_assert_eq(profile_parse("n.yaml", text, len, &p), 0, "%s\n%s", stk_error(), text);
		free(text);
		profile_free(&orig);
		cr_assert_eq(rules_compile(&p, &c), 0, "%s", stk_error());
		for (int q = 0; q < 10; q++) {
			uint8_t addr[16];
			unsigned prefix;
			uint32_t op = 1u << (rand_r(&seed) % 2);
			uint8_t proto = rand_r(&seed) % 2 ? STK_PROTO_TCP : STK_PROTO_UDP;
			uint16_t port = (uint16_t)(rand_r(&seed) % 7);
			bool list, trie;

			cr_assert_eq(addr_parse(peers[rand_r(&seed) % 7], addr, &prefix), 0);
			list = profile_net_allows(&p, op, proto, addr, port);
			trie = compiled_net_allows(&c, op, proto, addr, port);
			cr_assert_eq(list, trie, "round %d: list %d, trie %d", round, list, trie);
			list ? yes++ : no++;
		}
		compiled_free(&c);
		profile_free(&p);
	}
	cr_assert_gt(yes, 2000);
	cr_assert_gt(no, 2000);
}

Test(net_compile, too_many_port_ranges_is_an_error)
{
	struct profile p = { 0 };
	struct compiled c;

	for (uint16_t i = 0; i <= STK_PORT_RANGES; i++) {
		struct net_rule r = { .op = STK_NET_CONNECT, .proto = STK_PROTO_TCP, .port_lo = (uint16_t)(i * 10), .port_hi = (uint16_t)(i * 10) };

		cr_assert_eq(addr_parse("10.0.0.1", r.addr, &r.prefix), 0);
		cr_assert_eq(profile_add_net(&p, &r), 0);
	}
	profile_sort(&p);
	cr_assert_neq(rules_compile(&p, &c), 0);
	cr_assert(strstr(stk_error(), "connect tcp 10.0.0.1: more than 8 separate port ranges"), "%s", stk_error());
	compiled_free(&c);
	profile_free(&p);
}

Test(privileges_yaml, round_trip_and_bad_ones_are_rejected)
{
	static const char text[] = "version: 1\nsubject: {service: a}\nprivileges: [chroot, raw-socket]\n";
	struct profile p;
	char *out;
	size_t len;

	cr_assert_eq(profile_parse("n.yaml", text, strlen(text), &p), 0, "%s", stk_error());
	cr_assert_eq(p.privileges, STK_PRIV_RAW_SOCKET | STK_PRIV_CHROOT);
	cr_assert_eq(profile_format(&p, &out, &len), 0);
	cr_assert(strstr(out, "\nprivileges: [raw-socket, chroot]\n"), "%s", out);
	free(out);
	profile_free(&p);
	yaml_rejects("version: 1\nsubject: {service: a}\nprivileges: [netlink]\n", "3:14", "unknown privilege 'netlink'");
	yaml_rejects("version: 1\nsubject: {service: a}\nprivileges: [mount, mount]\n", "3:21", "listed twice");
}

Test(privileges_compile, reach_the_subject_entry)
{
	struct profile p = { .privileges = STK_PRIV_MOUNT };
	struct compiled c;

	cr_assert_eq(rules_compile(&p, &c), 0);
	cr_assert_eq(c.grants.privileges, STK_PRIV_MOUNT);
	compiled_free(&c);
}

Test(privileges_decide, sockets_follow_family_and_type)
{
	cr_assert_eq(stk_socket_privilege(2, 3), STK_PRIV_RAW_SOCKET);           /* AF_INET, SOCK_RAW */
	cr_assert_eq(stk_socket_privilege(10, 3 | 02000000), STK_PRIV_RAW_SOCKET); /* AF_INET6, SOCK_RAW|SOCK_CLOEXEC */
	cr_assert_eq(stk_socket_privilege(17, 2), STK_PRIV_PACKET_SOCKET);       /* AF_PACKET, any type */
	cr_assert_eq(stk_socket_privilege(2, 1), 0);                             /* TCP: network rules police it */
	cr_assert_eq(stk_socket_privilege(1, 3), 0);                             /* AF_UNIX */
}

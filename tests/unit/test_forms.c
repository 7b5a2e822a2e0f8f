/*
 * What the kernel reads and the hooks must read alike: the forms of a
 * socket address (Linux 6.1's inet and inet6 code), netlink destinations,
 * memory made executable, and the cgroup files a move asks permission on.
 * Also the privileges these need: names, YAML, learning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "../../names/names.h"
#include "../../profile/profile.h"
#include "../../bpf/decide.h"
#include "../../common/error.h"

#define IN4 STK_AF_INET
#define IN6 STK_AF_INET6
#define UNSPEC STK_AF_UNSPEC
#define TCP STK_PROTO_TCP
#define UDP STK_PROTO_UDP
#define CONNECT STK_NET_CONNECT
#define BIND STK_NET_BIND
#define SEND STK_NET_SEND

/* The attacks of issue 21 and their ordinary twins, each as the kernel takes it. */
Test(forms, the_kernel_accepts_these_and_the_hooks_read_them)
{
	/* udp_sendmsg(): AF_UNSPEC on an IPv4 socket is AF_INET. */
	cr_assert_eq(stk_addr_form(IN4, UDP, SEND, UNSPEC, 16), STK_FORM_V4);
	cr_assert_eq(stk_addr_form(IN4, UDP, SEND, IN4, 16), STK_FORM_V4);
	/* __inet_bind(): AF_UNSPEC with 0.0.0.0, for TCP and UDP alike. */
	cr_assert_eq(stk_addr_form(IN4, UDP, BIND, UNSPEC, 16), STK_FORM_V4);
	cr_assert_eq(stk_addr_form(IN4, TCP, BIND, UNSPEC, 16), STK_FORM_V4);
	/* inet6: the RFC 2133 sockaddr_in6, 24 bytes, without sin6_scope_id. */
	for (int op = CONNECT; op <= SEND; op <<= 1) {
		cr_assert_eq(stk_addr_form(IN6, TCP, op, IN6, 24), STK_FORM_V6);
		cr_assert_eq(stk_addr_form(IN6, UDP, op, IN6, 28), STK_FORM_V6);
		cr_assert_eq(stk_addr_form(IN6, UDP, op, IN6, 23), STK_FORM_REFUSED);
	}
	/* udpv6_pre_connect(), udpv6_sendmsg(): an IPv6 UDP socket takes sockaddr_in. */
	cr_assert_eq(stk_addr_form(IN6, UDP, CONNECT, IN4, 16), STK_FORM_V4);
	cr_assert_eq(stk_addr_form(IN6, UDP, SEND, IN4, 16), STK_FORM_V4);
	cr_assert_eq(stk_addr_form(IN6, UDP, SEND, IN4, 15), STK_FORM_REFUSED);
	/* rawv6_sendmsg(): family 0 is AF_INET6. */
	cr_assert_eq(stk_addr_form(IN6, 58, SEND, UNSPEC, 24), STK_FORM_V6);
	/* inet6_bind() refuses a sockaddr_in: checked as the address it spells all the same. */
	cr_assert_eq(stk_addr_form(IN6, UDP, BIND, IN4, 16), STK_FORM_V4);
}

Test(forms, forms_that_name_no_peer)
{
	/* connect(AF_UNSPEC) disconnects, on every inet socket. */
	cr_assert_eq(stk_addr_form(IN4, TCP, CONNECT, UNSPEC, 2), STK_FORM_NONE);
	cr_assert_eq(stk_addr_form(IN6, UDP, CONNECT, UNSPEC, 16), STK_FORM_NONE);
	/* udpv6_sendmsg() drops an AF_UNSPEC name: the connected peer it is. */
	cr_assert_eq(stk_addr_form(IN6, UDP, SEND, UNSPEC, 2), STK_FORM_NONE);
	cr_assert_eq(stk_addr_form(IN6, 136, SEND, UNSPEC, 2), STK_FORM_NONE); /* UDP-Lite */
	/* Not an IP socket: unix and netlink have hooks of their own. */
	cr_assert_eq(stk_addr_form(1, 0, CONNECT, IN4, 16), STK_FORM_NOT_IP);
	cr_assert_eq(stk_addr_form(16, 0, SEND, IN4, 16), STK_FORM_NOT_IP);
}

Test(forms, what_the_kernel_refuses_is_refused)
{
	cr_assert_eq(stk_addr_form(IN4, UDP, SEND, UNSPEC, 15), STK_FORM_REFUSED);
	cr_assert_eq(stk_addr_form(IN4, TCP, CONNECT, UNSPEC, 1), STK_FORM_REFUSED);
	cr_assert_eq(stk_addr_form(IN4, TCP, CONNECT, IN6, 28), STK_FORM_REFUSED);
	cr_assert_eq(stk_addr_form(IN4, UDP, SEND, 1, 110), STK_FORM_REFUSED);
	cr_assert_eq(stk_addr_form(IN6, UDP, SEND, 1, 110), STK_FORM_REFUSED);
	cr_assert_eq(stk_addr_form(IN6, UDP, SEND, UNSPEC, 1), STK_FORM_REFUSED);
	/* A TCP send's AF_UNSPEC: tcp_sendmsg_fastopen() refuses it. */
	cr_assert_eq(stk_addr_form(IN6, TCP, SEND, UNSPEC, 2), STK_FORM_REFUSED);
}

/* No length or family lets an address through unread. */
Test(forms, every_form_is_read_or_names_no_peer_or_is_refused)
{
	static const int families[] = { IN4, IN6 };
	static const int protos[] = { 0, 1, TCP, UDP, 58, 132, 136, 255, 262 };

	for (size_t f = 0; f < 2; f++)
		for (size_t p = 0; p < sizeof(protos) / sizeof(protos[0]); p++)
			for (int op = CONNECT; op <= SEND; op <<= 1)
				for (int sa = -1; sa < 50; sa++)
					for (int len = -1; len < 130; len++) {
						enum stk_addr_form form = stk_addr_form(families[f], protos[p], op, sa, len);

						if (form == STK_FORM_V4)
							cr_assert(len >= 16 && (sa == IN4 || sa == UNSPEC));
						else if (form == STK_FORM_V6)
							cr_assert(len >= 24 && families[f] == IN6 && (sa == IN6 || sa == UNSPEC));
						else if (form == STK_FORM_NONE)
							cr_assert(sa == UNSPEC && len >= 2);
						else
							cr_assert_eq(form, STK_FORM_REFUSED, "%d %d %d %d %d", families[f],
								     protos[p], op, sa, len);
						if ((sa == IN4 && len >= 16) || (sa == IN6 && len >= 24 && families[f] == IN6))
							cr_assert(form == STK_FORM_V4 || form == STK_FORM_V6,
								  "a well-formed address not read");
					}
}

Test(forms, netlink_to_a_process_or_group_needs_netlink_send)
{
	cr_assert_eq(stk_netlink_privilege(SEND, 12, 16, 0, 0), 0);            /* to the kernel */
	cr_assert_eq(stk_netlink_privilege(SEND, 0, 0, 0, 0), 0);              /* the connected peer */
	cr_assert_eq(stk_netlink_privilege(CONNECT, 12, 16, 0, 0), 0);
	cr_assert_eq(stk_netlink_privilege(CONNECT, 2, UNSPEC, 0, 0), 0);      /* disconnect */
	cr_assert_eq(stk_netlink_privilege(BIND, 12, 16, 1234, 1), 0);         /* its own port: no peer */
	cr_assert_eq(stk_netlink_privilege(SEND, 12, 16, 1234, 0), STK_PRIV_NETLINK_SEND);
	cr_assert_eq(stk_netlink_privilege(SEND, 12, 16, 0, 1), STK_PRIV_NETLINK_SEND);
	cr_assert_eq(stk_netlink_privilege(CONNECT, 12, 16, 1234, 0), STK_PRIV_NETLINK_SEND);
	cr_assert_eq(stk_netlink_privilege(CONNECT, 12, 16, 0, 4), STK_PRIV_NETLINK_SEND);
	cr_assert_eq(stk_netlink_privilege(SEND, 8, 16, 0, 0), STK_PRIV_NETLINK_SEND); /* unreadable */
	cr_assert_eq(stk_netlink_privilege(SEND, 12, 2, 0, 0), STK_PRIV_NETLINK_SEND);
}

Test(forms, memory_made_executable)
{
	const unsigned long read = 1, write = 2, exec = 4;

	cr_assert_eq(stk_exec_mapping(0, read | write | exec, 0), STK_EXEC_ANON);
	cr_assert_eq(stk_exec_mapping(1, read | exec, 0), STK_EXEC_FILE);
	cr_assert_eq(stk_exec_mapping(0, read | write, 0), STK_EXEC_NONE);
	cr_assert_eq(stk_exec_mapping(0, read | exec, 1), STK_EXEC_NONE);        /* mprotect: exec already */
	cr_assert_eq(stk_exec_mapping(0, 1ULL << 40 | exec, 0), STK_EXEC_ANON); /* high bits: still exec */
}

Test(forms, the_files_a_cgroup_move_writes)
{
	char name[STK_CGROUP_FILE_NAME];
	static const char *const no[] = { "cgroup.procsX", "cgroup.proc", "cgroup.thread", "cgroup.threadsX",
					  "memory.max", "cgroup.subtree_control", "", "tasks" };

	memset(name, 0, sizeof(name));
	strcpy(name, "cgroup.procs");
	cr_assert(stk_cgroup_move_file(name));
	memset(name, 0, sizeof(name));
	strcpy(name, "cgroup.threads");
	cr_assert(stk_cgroup_move_file(name));
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		memset(name, 0, sizeof(name));
		strncpy(name, no[i], sizeof(name) - 1);
		cr_assert_not(stk_cgroup_move_file(name), "%s", no[i]);
	}
}

Test(forms, new_privileges_round_trip_and_leave_subject_is_never_granted)
{
	static const char text[] = "version: 1\nsubject: {service: a}\n"
				   "privileges: [netlink-send, syslog, anon-exec]\n";
	struct profile p;
	uint32_t priv;
	char *out;
	size_t len;

	cr_assert_eq(profile_parse("g.yaml", text, strlen(text), &p), 0, "%s", stk_error());
	cr_assert_eq(p.privileges, STK_PRIV_ANON_EXEC | STK_PRIV_SYSLOG | STK_PRIV_NETLINK_SEND);
	cr_assert_eq(profile_format(&p, &out, &len), 0);
	cr_assert(strstr(out, "\nprivileges: [anon-exec, syslog, netlink-send]\n"), "%s", out);
	free(out);
	profile_free(&p);
	cr_assert_str_eq(privilege_name(STK_PRIV_LEAVE_SUBJECT), "leave-subject");
	cr_assert_str_eq(privilege_name(STK_PRIV_TAMPER), "tamper-with-stockade");
	cr_assert_neq(privilege_parse("leave-subject", &priv), 0);
	cr_assert_neq(privilege_parse("tamper-with-stockade", &priv), 0);
}

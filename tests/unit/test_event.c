/* Ring-buffer records are checked before anything trusts them. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "../../names/names.h"
#include "../../kernel/kernel.h"
#include "../../common/error.h"

static const size_t head = offsetof(struct stk_event, path);
static struct stk_event raw, out;

/* A well-formed record for path; returns its size on the wire. */
static size_t record(const char *path)
{
	memset(&raw, 0, sizeof(raw));
	raw.subject = 42;
	raw.type = STK_EV_FILE;
	raw.verdict = STK_VERDICT_DENIED;
	raw.access = STK_ACC_READ | STK_ACC_EXEC;
	raw.pid = 7;
	raw.uid = 1000;
	raw.path_len = (uint32_t)strlen(path);
	strcpy(raw.comm, "cat");
	strcpy(raw.path, path);
	return head + raw.path_len + 1;
}

static void rejected(size_t size, const char *phrase)
{
	cr_assert_neq(event_decode(&raw, size, &out), 0, "accepted a bad event");
	cr_assert(strstr(stk_error(), phrase), "'%s' lacks '%s'", stk_error(), phrase);
}

Test(event, well_formed_record_decodes)
{
	size_t size = record("/etc/shadow");

	cr_assert_eq(event_decode(&raw, size, &out), 0, "%s", stk_error());
	cr_assert_eq(out.subject, 42);
	cr_assert_eq(out.verdict, STK_VERDICT_DENIED);
	cr_assert_eq(out.access, STK_ACC_READ | STK_ACC_EXEC);
	cr_assert_eq(out.pid, 7);
	cr_assert_eq(out.uid, 1000);
	cr_assert_str_eq(out.comm, "cat");
	cr_assert_str_eq(out.path, "/etc/shadow");
}

Test(event, longest_path_decodes)
{
	char *path = malloc(STK_PATH_MAX);

	memset(path, 'a', STK_PATH_MAX - 1);
	path[0] = '/';
	path[STK_PATH_MAX - 1] = 0;
	cr_assert_eq(event_decode(&raw, record(path), &out), 0, "%s", stk_error());
	cr_assert_eq(strlen(out.path), STK_PATH_MAX - 1);
	free(path);
}

Test(event, shorter_than_header_is_rejected)
{
	record("/a");
	rejected(head, "shorter than its header");
}

Test(event, longer_than_any_event_is_rejected)
{
	record("/a");
	rejected(sizeof(raw) + 1, "longer than any event");
}

Test(event, unknown_type_is_rejected)
{
	size_t size = record("/a");

	raw.type = 99;
	rejected(size, "unknown type 99");
}

Test(event, unknown_verdict_is_rejected)
{
	size_t size = record("/a");

	raw.verdict = 0;
	rejected(size, "unknown verdict 0");
}

Test(event, unknown_access_bits_are_rejected)
{
	size_t size = record("/a");

	raw.access = 1u << 9;
	rejected(size, "unknown access bits");
}

Test(event, path_length_must_match_size)
{
	size_t size = record("/abc");

	raw.path_len = 2;
	rejected(size, "does not fit");
}

Test(event, missing_terminator_is_rejected)
{
	size_t size = record("/abc");

	raw.path[raw.path_len] = 'x';
	rejected(size, "does not fit");
}

Test(event, embedded_nul_is_rejected)
{
	size_t size = record("/abc");

	raw.path[2] = 0;
	rejected(size, "does not fit");
}

Test(access, names_round_trip)
{
	char buf[64];
	uint32_t bit;

	cr_assert_str_eq(access_format(STK_ACC_READ | STK_ACC_APPEND, buf, sizeof(buf)), "read,append");
	cr_assert_str_eq(access_format(STK_ACC_ALL, buf, sizeof(buf)), "read,write,append,exec,create,unlink,link,connect");
	cr_assert_str_eq(access_format(0, buf, sizeof(buf)), "");
	for (uint32_t b = 1; b & STK_ACC_ALL; b <<= 1) {
		cr_assert_eq(access_parse(access_name(b), &bit), 0);
		cr_assert_eq(bit, b);
	}
	cr_assert_neq(access_parse("wirte", &bit), 0);
}

Test(event, network_event_decodes)
{
	size_t size = record("");

	raw.type = STK_EV_NET;
	raw.access = STK_NET_SEND;
	raw.port = 53;
	raw.proto = STK_PROTO_UDP;
	cr_assert_eq(event_decode(&raw, size, &out), 0, "%s", stk_error());
	cr_assert_eq(out.port, 53);
	cr_assert_eq(out.proto, STK_PROTO_UDP);
}

Test(event, network_event_names_one_operation_and_no_path)
{
	size_t size = record("");

	raw.type = STK_EV_NET;
	raw.access = STK_NET_CONNECT | STK_NET_BIND;
	rejected(size, "network event");
	raw.access = 1u << 5;
	rejected(size, "network event");
	size = record("/a");
	raw.type = STK_EV_NET;
	raw.access = STK_NET_CONNECT;
	raw.verdict = STK_VERDICT_SEEN;
	rejected(size, "network event");
}

/* A refused address stockade could not read says what it was instead. */
Test(event, refused_unreadable_address_carries_its_form)
{
	size_t size = record("[address family 0, 8 bytes]");
	char object[80];

	raw.type = STK_EV_NET;
	raw.access = STK_NET_SEND;
	raw.proto = STK_PROTO_UDP;
	cr_assert_eq(event_decode(&raw, size, &out), 0, "%s", stk_error());
	net_object_format(&out, object, sizeof(object));
	cr_assert_str_eq(object, "udp [address family 0, 8 bytes]");
	size = record("");
	raw.type = STK_EV_NET;
	raw.access = STK_NET_SEND;
	raw.proto = STK_PROTO_UDP;
	raw.port = 53;
	raw.addr[10] = raw.addr[11] = 0xff;
	raw.addr[12] = 127;
	raw.addr[15] = 1;
	cr_assert_eq(event_decode(&raw, size, &out), 0, "%s", stk_error());
	net_object_format(&out, object, sizeof(object));
	cr_assert_str_eq(object, "udp 127.0.0.1:53");
}

/* ---- events in words: one spelling for the recording, terminal and log ---- */

static void described(const char *want)
{
	char buf[STK_PATH_MAX + 160];

	event_describe(&raw, buf, sizeof(buf));
	cr_assert_str_eq(buf, want);
}

Test(event_text, file_event_is_its_accesses_and_path)
{
	struct event_text t;

	record("/etc/shadow");
	event_text(&raw, &t);
	cr_assert_str_eq(t.kind, "file");
	cr_assert_str_eq(t.object, "/etc/shadow");
	cr_assert_str_eq(t.access, "read,exec");
	cr_assert_not(t.grant);
	described("read,exec /etc/shadow");
	cr_assert_str_eq(verdict_name(raw.verdict), "denied");
}

Test(event_text, network_event_is_its_operation_and_peer)
{
	struct event_text t;

	record("");
	raw.type = STK_EV_NET;
	raw.access = STK_NET_CONNECT;
	raw.proto = STK_PROTO_TCP;
	cr_assert_eq(addr_parse("192.0.2.1", raw.addr, &(unsigned){ 0 }), 0);
	raw.port = 443;
	event_text(&raw, &t);
	cr_assert_str_eq(t.kind, "net");
	cr_assert_str_eq(t.object, "tcp 192.0.2.1:443");
	cr_assert_str_eq(t.access, "connect");
	described("connect tcp 192.0.2.1:443");
}

Test(event_text, privilege_names_what_is_granted_and_where)
{
	struct event_text t;

	record("/mnt");
	raw.type = STK_EV_PRIVILEGE;
	raw.access = STK_PRIV_MOUNT;
	raw.verdict = STK_VERDICT_WOULD_DENY;
	event_text(&raw, &t);
	cr_assert_str_eq(t.kind, "privilege");
	cr_assert_str_eq(t.access, "mount");
	cr_assert(t.grant);
	described("mount /mnt");
	cr_assert_str_eq(verdict_name(raw.verdict), "would deny");
	record("");
	raw.type = STK_EV_PRIVILEGE;
	raw.access = STK_PRIV_TAMPER;
	described("tamper-with-stockade");
}

Test(event_text, capability_and_socket_say_their_kind_first)
{
	struct event_text t;

	record("");
	raw.type = STK_EV_CAPABILITY;
	raw.access = 7; /* CAP_SETUID */
	event_text(&raw, &t);
	cr_assert_str_eq(t.kind, "capability");
	cr_assert_str_eq(t.object, "");
	cr_assert_str_eq(t.access, "setuid");
	cr_assert(t.grant);
	described("capability setuid");
	raw.type = STK_EV_SOCKET;
	raw.access = STK_AF_NETLINK;
	raw.proto = 0; /* NETLINK_ROUTE */
	described("socket netlink-route");
}

Test(event_text, unknown_verdict_is_a_question_mark)
{
	cr_assert_str_eq(verdict_name(0), "?");
	cr_assert_str_eq(verdict_name(99), "?");
}

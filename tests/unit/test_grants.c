/*
 * Capabilities, socket families and the other-process privileges: their
 * YAML, digest, diff and learning, and the kernel's decision functions
 * agreeing with the profile model on every number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "../../subject/subject.h"
#include "../../names/names.h"
#include "../../kernel/kernel.h"
#include "../../db/db.h"
#include "../../profile/profile.h"
#include "../../learner/learner.h"
#include "../../enforcer/enforcer.h"
#include "../../bpf/decide.h"
#include "../../common/error.h"

#define HEAD "version: 1\nsubject: {service: a}\n"

static void parse_ok(const char *text, struct profile *p)
{
	cr_assert_eq(profile_parse("g.yaml", text, strlen(text), p), 0, "%s", stk_error());
}

static void yaml_rejects(const char *text, const char *where, const char *phrase)
{
	struct profile p;
	char prefix[32];

	cr_assert_neq(profile_parse("g.yaml", text, strlen(text), &p), 0, "accepted: %s", text);
	snprintf(prefix, sizeof(prefix), "g.yaml:%s: ", where);
	cr_assert_eq(strncmp(stk_error(), prefix, strlen(prefix)), 0, "'%s' not at %s", stk_error(), where);
	cr_assert(strstr(stk_error(), phrase), "'%s' lacks '%s'", stk_error(), phrase);
}

Test(grants_yaml, round_trip_in_canonical_order)
{
	static const char text[] = HEAD "capabilities: [net_bind_service, setuid, chown]\n"
				   "sockets: [vsock, netlink-audit, netlink-route]\n"
				   "privileges: [signal, ptrace-read, ptrace]\n";
	struct profile p;
	char *out;
	size_t len;

	parse_ok(text, &p);
	cr_assert_eq(p.capabilities, (1ULL << 0) | (1ULL << 7) | (1ULL << 10));
	cr_assert_eq(p.netlink, (1U << 0) | (1U << 9));
	cr_assert_eq(p.families, 1ULL << 40);
	cr_assert_eq(p.privileges, STK_PRIV_PTRACE_READ | STK_PRIV_PTRACE | STK_PRIV_SIGNAL);
	cr_assert_eq(profile_format(&p, &out, &len), 0);
	cr_assert(strstr(out, "\nprivileges: [ptrace-read, ptrace, signal]\n"
			      "capabilities: [chown, setuid, net_bind_service]\n"
			      "sockets: [netlink-route, netlink-audit, vsock]\n"), "%s", out);
	free(out);
	profile_free(&p);
}

Test(grants_yaml, errors_name_line_and_column)
{
	yaml_rejects(HEAD "capabilities: [chown, sys_admn]\n", "3:23", "unknown capability 'sys_admn'");
	yaml_rejects(HEAD "capabilities: [chown, chown]\n", "3:23", "capability 'chown' is listed twice");
	yaml_rejects(HEAD "sockets: [netlink-routes]\n", "3:11", "unknown netlink protocol 'routes'");
	yaml_rejects(HEAD "sockets: [inet6]\n", "3:11", "inet6 sockets are decided by network rules");
	yaml_rejects(HEAD "sockets: [packet]\n", "3:11", "privileges: [packet-socket]");
	yaml_rejects(HEAD "sockets: [netlink]\n", "3:11", "unknown socket family 'netlink'");
	yaml_rejects(HEAD "capabilities: chown\n", "3:15", "capabilities");
	yaml_rejects(HEAD "capability: [chown]\n", "3:1", "unknown key 'capability'");
}

static void digest_of(const char *text, char out[PROFILE_DIGEST_LEN])
{
	struct profile p;

	parse_ok(text, &p);
	profile_digest(&p, out);
	profile_free(&p);
}

Test(grants_digest, covers_capabilities_and_sockets)
{
	char none[PROFILE_DIGEST_LEN], cap[PROFILE_DIGEST_LEN], other[PROFILE_DIGEST_LEN],
		sock[PROFILE_DIGEST_LEN], priv[PROFILE_DIGEST_LEN];

	digest_of(HEAD, none);
	digest_of(HEAD "capabilities: [chown]\n", cap);
	digest_of(HEAD "capabilities: [fowner]\n", other);
	digest_of(HEAD "sockets: [vsock]\n", sock);
	digest_of(HEAD "privileges: [ptrace]\n", priv);
	cr_assert_str_neq(none, cap);
	for (const char *const *p = (const char *const[]){ "anon-exec", "syslog", "netlink-send", NULL }; *p; p++) {
		char text[128], each[PROFILE_DIGEST_LEN];

		snprintf(text, sizeof(text), HEAD "privileges: [%s]\n", *p);
		digest_of(text, each);
		cr_assert_str_neq(none, each, "%s", *p);
		cr_assert_str_neq(priv, each, "%s", *p);
	}
	cr_assert_str_neq(cap, other);
	cr_assert_str_neq(none, sock);
	cr_assert_str_neq(none, priv);
	/* No line for an empty list: profiles approved before keep their digest. */
	digest_of(HEAD "capabilities: []\nsockets: []\n", other);
	cr_assert_str_eq(none, other);
}

Test(grants_diff, names_each_grant_gained_and_lost)
{
	struct profile old, new;
	struct diff_counts c;
	char buf[1024];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	parse_ok(HEAD "capabilities: [chown, setuid]\nsockets: [vsock]\n", &old);
	parse_ok(HEAD "capabilities: [setuid, net_admin]\nsockets: [netlink-route]\n", &new);
	profile_diff(f, &old, &new, &c);
	fclose(f);
	cr_assert(strstr(buf, "+ capability net_admin\n"), "%s", buf);
	cr_assert(strstr(buf, "- capability chown\n"), "%s", buf);
	cr_assert(strstr(buf, "+ socket netlink-route\n"), "%s", buf);
	cr_assert(strstr(buf, "- socket vsock\n"), "%s", buf);
	cr_assert_null(strstr(buf, "setuid"), "%s", buf);
	cr_assert_eq(c.added, 2);
	cr_assert_eq(c.removed, 2);
	profile_free(&old);
	profile_free(&new);
}

static char reports[4096];

static void collect(const char *line, void *ctx)
{
	(void)ctx;
	strncat(reports, line, sizeof(reports) - strlen(reports) - 2);
	strcat(reports, "\n");
}

static void observe(struct learner *l, const char *host, const char *kind, const char *object)
{
	struct observation o = { .kind = kind, .object = object, .count = 1, .first_seen = 1, .last_seen = 1 };

	cr_assert_eq(learner_add(l, host, &o), 0, "%s", stk_error());
}

Test(grants_learn, what_was_used_on_enough_hosts)
{
	struct learn_options o;
	struct learner *l;
	struct profile p;

	learn_options_default(&o);
	o.report = collect;
	o.min_hosts = 2;
	reports[0] = 0;
	cr_assert_eq(learner_new(&o, SUBJECT_SERVICE, "a.service", &l), 0);
	observe(l, "h1", "capability", "setuid");
	observe(l, "h2", "capability", "setuid");
	observe(l, "h1", "capability", "sys_admin");
	observe(l, "h1", "socket", "netlink-route");
	observe(l, "h2", "socket", "netlink-route");
	observe(l, "h2", "socket", "netlink-99");
	cr_assert_eq(learner_finish(l, &p), 0, "%s", stk_error());
	learner_free(l);
	cr_assert_eq(p.capabilities, 1ULL << 7, "only setuid, seen on both hosts");
	cr_assert_eq(p.netlink, 1U << 0);
	cr_assert_eq(p.families, 0);
	cr_assert(strstr(reports, "no capability sys_admin: seen on 1 host, fewer than --min-hosts 2"), "%s", reports);
	cr_assert(strstr(reports, "no rule for socket 'netlink-99'"), "%s", reports);
	profile_free(&p);
}

Test(grants_learn, other_process_privileges_are_learned)
{
	struct learn_options o;
	struct learner *l;
	struct profile p;
	struct observation ob = { .kind = "privilege", .object = "signal", .access = STK_PRIV_SIGNAL,
				  .count = 1, .first_seen = 1, .last_seen = 1 };

	learn_options_default(&o);
	cr_assert_eq(learner_new(&o, SUBJECT_SERVICE, "a.service", &l), 0);
	cr_assert_eq(learner_add(l, "h1", &ob), 0);
	ob.object = "ptrace";
	ob.access = STK_PRIV_PTRACE;
	cr_assert_eq(learner_add(l, "h1", &ob), 0);
	cr_assert_eq(learner_finish(l, &p), 0, "%s", stk_error());
	learner_free(l);
	cr_assert_eq(p.privileges, STK_PRIV_SIGNAL | STK_PRIV_PTRACE);
	profile_free(&p);
}

/*
 * The differential test of the new rule kinds: for random profiles, the
 * kernel's functions on the compiled subject entry decide every capability
 * and every (family, protocol) as the profile model does.
 */
Test(grants_decide, kernel_and_model_agree_on_every_number)
{
	srand(20261202);
	for (int round = 0; round < 200; round++) {
		struct profile p = {
			.capabilities = ((uint64_t)rand() << 32 | (uint64_t)rand()) & ((1ULL << 41) - 1),
			.netlink = (uint32_t)rand(),
			.families = ((uint64_t)rand() << 32 | (uint64_t)rand()) & ~((1ULL << STK_AF_UNIX) |
				(1ULL << STK_AF_INET) | (1ULL << STK_AF_INET6) | (1ULL << STK_AF_PACKET) |
				(1ULL << STK_AF_NETLINK)),
		};
		struct compiled c;

		cr_assert_eq(rules_compile(&p, &c), 0);
		for (int cap = -2; cap < 70; cap++)
			cr_assert_eq(stk_cap_allowed(c.grants.capabilities, cap) != 0, profile_cap_allows(&p, cap),
				     "capability %d", cap);
		for (int family = -1; family < 70; family++)
			for (int proto = -1; proto < 34; proto++)
				cr_assert_eq(stk_family_allowed(&c.grants, family, proto) != 0,
					     profile_socket_allows(&p, family, proto), "family %d protocol %d",
					     family, proto);
		compiled_free(&c);
	}
}

Test(grants_decide, probes_and_modes)
{
	cr_assert_eq(stk_cap_decided(0), 1);
	cr_assert_eq(stk_cap_decided(2), 0);             /* CAP_OPT_NOAUDIT */
	cr_assert_eq(stk_cap_decided(4), 1);             /* CAP_OPT_INSETID: decided */
	cr_assert_eq(stk_ptrace_privilege(0x02 | 0x10), STK_PRIV_PTRACE);      /* ATTACH_FSCREDS: /proc/PID/mem */
	cr_assert_eq(stk_ptrace_privilege(0x02 | 0x08), STK_PRIV_PTRACE);      /* ATTACH_REALCREDS: process_vm, pidfd_getfd */
	cr_assert_eq(stk_ptrace_privilege(0x01 | 0x10), STK_PRIV_PTRACE_READ); /* READ_FSCREDS: /proc/PID/environ */
	cr_assert_eq(stk_ptrace_privilege(0x01 | 0x10 | 0x04), 0);             /* a NOAUDIT probe */
	cr_assert_eq(stk_ptrace_privilege(0), STK_PRIV_PTRACE);                /* malformed: fail closed */
	cr_assert_eq(stk_peer_privilege(7, 7, STK_PRIV_SIGNAL), 0);
	cr_assert_eq(stk_peer_privilege(7, 0, STK_PRIV_SIGNAL), STK_PRIV_SIGNAL);
}

Test(grants_names, round_trip_every_number)
{
	char name[32];
	uint32_t family, proto;

	for (uint32_t cap = 0; capability_name(cap); cap++) {
		uint32_t back;

		cr_assert_eq(capability_parse(capability_name(cap), &back), 0);
		cr_assert_eq(back, cap);
	}
	cr_assert_str_eq(capability_name(40), "checkpoint_restore");
	cr_assert_null(capability_name(41));
	cr_assert_eq(socket_format(40, 0, name, sizeof(name)), 0);
	cr_assert_str_eq(name, "vsock");
	cr_assert_eq(socket_format(16, 15, name, sizeof(name)), 0);
	cr_assert_str_eq(name, "netlink-kobject-uevent");
	cr_assert_eq(socket_parse(name, &family, &proto), 0);
	cr_assert(family == 16 && proto == 15);
	cr_assert_neq(socket_format(2, 0, name, sizeof(name)), 0, "inet is no socket rule");
	cr_assert_neq(socket_format(16, 32, name, sizeof(name)), 0);
	cr_assert_str_eq(name, "netlink-32");
}

Test(grants_event, decode_checks_the_numbers)
{
	struct stk_event ev = { .type = STK_EV_CAPABILITY, .verdict = STK_VERDICT_DENIED, .access = 21 }, out;
	size_t size = offsetof(struct stk_event, path) + 1;

	cr_assert_eq(event_decode(&ev, size, &out), 0, "%s", stk_error());
	ev.access = STK_CAP_MAX;
	cr_assert_neq(event_decode(&ev, size, &out), 0);
	ev = (struct stk_event){ .type = STK_EV_SOCKET, .verdict = STK_VERDICT_SEEN, .access = 40 };
	cr_assert_eq(event_decode(&ev, size, &out), 0, "%s", stk_error());
	ev.proto = STK_NETLINK_MAX + 1;
	cr_assert_neq(event_decode(&ev, size, &out), 0);
}

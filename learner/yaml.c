/*
 * Profiles as YAML. Parsing goes through libyaml's document API so that every
 * node keeps its position for error messages; unknown keys are errors.
 * Writing goes through libyaml's emitter so that any path is quoted right.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <yaml.h>
#include "learner.h"
#include "../common/error.h"

#define PROFILE_MAX_BYTES (64 << 20)

struct parse {
	const char *name;
	yaml_document_t doc;
	/* Where each rule was, in the order added, to name the second of two
	 * equal rules once all are parsed (sorting finds them in n log n). */
	yaml_node_t **file_nodes, **net_nodes;
};

static int remember(yaml_node_t ***nodes, size_t n, yaml_node_t *node)
{
	yaml_node_t **grown = realloc(*nodes, (n + 1) * sizeof(*grown));

	if (!grown)
		return stk_fail("out of memory");
	grown[n] = node;
	*nodes = grown;
	return 0;
}

__attribute__((format(printf, 3, 4)))
static int fail_at(struct parse *ps, const yaml_node_t *node, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return stk_fail("%s:%zu:%zu: %s", ps->name, node->start_mark.line + 1,
			node->start_mark.column + 1, msg);
}

static const char *node_type_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

static int expect_type(struct parse *ps, const yaml_node_t *n, yaml_node_type_t type,
		       const char *what)
{
	static const char *const names[] = {
		[YAML_SCALAR_NODE] = "a scalar", [YAML_SEQUENCE_NODE] = "a list",
		[YAML_MAPPING_NODE] = "a mapping",
	};

	if (n->type == type)
		return 0;
	return fail_at(ps, n, "%s must be %s, not %s", what, names[type], node_type_name(n));
}

static const char *scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* A scalar with an embedded NUL would be cut short by every C string API. */
static int expect_text(struct parse *ps, const yaml_node_t *n, const char *what)
{
	if (expect_type(ps, n, YAML_SCALAR_NODE, what))
		return -1;
	if (strlen(scalar(n)) != n->data.scalar.length)
		return fail_at(ps, n, "%s contains a NUL byte", what);
	return 0;
}

static int parse_int(struct parse *ps, const yaml_node_t *n, const char *what, int64_t *out)
{
	char *end;

	if (expect_text(ps, n, what))
		return -1;
	errno = 0;
	*out = strtoll(scalar(n), &end, 10);
	if (errno || end == scalar(n) || *end || *out < 0)
		return fail_at(ps, n, "%s must be a whole number >= 0, not '%s'", what, scalar(n));
	return 0;
}

static int parse_time(struct parse *ps, const yaml_node_t *n, const char *what, int64_t *out)
{
	struct tm tm = { 0 };
	const char *end;

	if (expect_text(ps, n, what))
		return -1;
	end = strptime(scalar(n), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return fail_at(ps, n, "%s must be a UTC time such as 2026-01-31T12:00:00Z, not '%s'",
			       what, scalar(n));
	*out = (int64_t)timegm(&tm);
	return 0;
}

static int parse_bool(struct parse *ps, const yaml_node_t *n, const char *what, bool *out)
{
	if (expect_text(ps, n, what))
		return -1;
	if (!strcmp(scalar(n), "true") || !strcmp(scalar(n), "false")) {
		*out = scalar(n)[0] == 't';
		return 0;
	}
	return fail_at(ps, n, "%s must be true or false, not '%s'", what, scalar(n));
}

static int check_path(struct parse *ps, const yaml_node_t *n, const char *path)
{
	return path_check(path) ? fail_at(ps, n, "%s", stk_error()) : 0;
}

/* Iterate a mapping's pairs, rejecting duplicate keys. */
typedef int (*pair_fn)(struct parse *ps, const char *key, yaml_node_t *knode,
		       yaml_node_t *value, void *ctx);

static int each_pair(struct parse *ps, yaml_node_t *map, const char *what, pair_fn fn, void *ctx)
{
	yaml_node_pair_t *p, *q;

	if (expect_type(ps, map, YAML_MAPPING_NODE, what))
		return -1;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&ps->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&ps->doc, p->value);

		if (expect_text(ps, k, "a key"))
			return -1;
		for (q = map->data.mapping.pairs.start; q < p; q++)
			if (!strcmp(scalar(yaml_document_get_node(&ps->doc, q->key)), scalar(k)))
				return fail_at(ps, k, "duplicate key '%s'", scalar(k));
		if (fn(ps, scalar(k), k, v, ctx))
			return -1;
	}
	return 0;
}

static int subject_pair(struct parse *ps, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct profile *p = ctx;

	if (strcmp(key, "service") && strcmp(key, "cgroup") && strcmp(key, "user"))
		return fail_at(ps, k, "unknown subject kind '%s' (expected service, cgroup or user)", key);
	if (p->subject)
		return fail_at(ps, k, "a profile has one subject: a service, a cgroup or a user");
	if (expect_text(ps, v, key))
		return -1;
	if (!scalar(v)[0])
		return fail_at(ps, v, "the %s name is empty", key);
	p->subject_kind = key[0] == 's' ? SUBJECT_SERVICE : key[0] == 'c' ? SUBJECT_CGROUP : SUBJECT_USER;
	if (p->subject_kind == SUBJECT_CGROUP && check_path(ps, v, scalar(v)))
		return -1;
	p->subject = strdup(scalar(v));
	return p->subject ? 0 : stk_fail("out of memory");
}

static int parse_access(struct parse *ps, yaml_node_t *v, uint32_t *access)
{
	yaml_node_item_t *it;

	if (expect_type(ps, v, YAML_SEQUENCE_NODE, "access"))
		return -1;
	*access = 0;
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *n = yaml_document_get_node(&ps->doc, *it);
		uint32_t bit;

		if (expect_text(ps, n, "an access"))
			return -1;
		if (!strcmp(scalar(n), "exec"))
			return fail_at(ps, n, "exec is granted in the exec list, not in files");
		if (!strcmp(scalar(n), "connect"))
			return fail_at(ps, n, "unix sockets are granted in the network list as 'unix: PATH', not in files");
		if (access_parse(scalar(n), &bit))
			return fail_at(ps, n, "unknown access '%s' (expected read, write, append, create, unlink, link)", scalar(n));
		if (*access & bit)
			return fail_at(ps, n, "access '%s' is listed twice", scalar(n));
		*access |= bit;
	}
	if (!*access)
		return fail_at(ps, v, "access must list at least one of read, write, append, create, unlink, link");
	return 0;
}

/* A list of at most max text scalars, each checked by check (may be NULL). */
typedef int (*text_check_fn)(struct parse *ps, const yaml_node_t *n, const char *text);

static int parse_texts(struct parse *ps, yaml_node_t *v, const char *what, size_t max,
		       text_check_fn check, char **out, size_t *n)
{
	yaml_node_item_t *it;

	if (expect_type(ps, v, YAML_SEQUENCE_NODE, what))
		return -1;
	if ((size_t)(v->data.sequence.items.top - v->data.sequence.items.start) > max)
		return fail_at(ps, v, "%s lists at most %zu entries", what, max);
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *t = yaml_document_get_node(&ps->doc, *it);

		if (expect_text(ps, t, what) || (check && check(ps, t, scalar(t))))
			return -1;
		if (!(out[(*n)++] = strdup(scalar(t))))
			return stk_fail("out of memory");
	}
	return 0;
}

static int parse_text(struct parse *ps, yaml_node_t *v, const char *what, char **out)
{
	if (expect_text(ps, v, what))
		return -1;
	if (!scalar(v)[0])
		return fail_at(ps, v, "%s is empty", what);
	free(*out);
	*out = strdup(scalar(v));
	return *out ? 0 : stk_fail("out of memory");
}

static int evidence_pair(struct parse *ps, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct evidence *ev = ctx;
	size_t n = 0;

	if (!strcmp(key, "count"))
		return parse_int(ps, v, key, &ev->count);
	if (!strcmp(key, "hosts"))
		return parse_int(ps, v, key, &ev->hosts);
	if (!strcmp(key, "first_seen"))
		return parse_time(ps, v, key, &ev->first_seen);
	if (!strcmp(key, "last_seen"))
		return parse_time(ps, v, key, &ev->last_seen);
	if (!strcmp(key, "samples"))
		return parse_texts(ps, v, "samples", EVIDENCE_SAMPLES, NULL, ev->samples, &n);
	if (!strcmp(key, "exe"))
		return parse_texts(ps, v, "exe", EVIDENCE_SAMPLES, NULL, ev->exe, &n);
	if (!strcmp(key, "generalised"))
		return parse_text(ps, v, "generalised", &ev->generalised);
	return fail_at(ps, k, "unknown evidence key '%s' (expected count, first_seen, last_seen, hosts, samples, exe, generalised)", key);
}

#define UNIX_ABSTRACT_MAX 107 /* sun_path's 108 bytes, less the leading NUL */

/* A unix socket's name: a path, or "@name" for an abstract socket. */
static int check_unix(struct parse *ps, const yaml_node_t *n, const char *name)
{
	size_t len = strlen(name);

	if (name[0] != '@')
		return check_path(ps, n, name);
	if (len < 2 || len - 1 > UNIX_ABSTRACT_MAX)
		return fail_at(ps, n, "an abstract socket name is 1 to %d bytes after the @", UNIX_ABSTRACT_MAX);
	return 0;
}

/* The keys naming a rule's path, per list and match (unix sockets have no versions). */
static const char *const path_keys[][MATCHES] = {
	[RULE_FILE] = { "path", "versions", "subtree" },
	[RULE_EXEC] = { "path", "versions", "subtree" },
	[RULE_UNIX] = { "unix", NULL, "unix_subtree" },
};

/* "path, versions or subtree": the keys a rule of this list may name its path with. */
static const char *path_keys_list(enum rule_kind kind)
{
	return kind == RULE_UNIX ? "unix or unix_subtree" : "path, versions or subtree";
}

struct rule_parse {
	struct file_rule r;
	yaml_node_t *path_node;
	bool has_access;
};

static int path_pair(struct parse *ps, yaml_node_t *k, yaml_node_t *v, struct rule_parse *rp,
		     enum rule_match match)
{
	const char *key = scalar(k);

	if (rp->path_node)
		return fail_at(ps, k, "a rule names one %s", path_keys_list(rp->r.kind));
	rp->path_node = v;
	if (expect_text(ps, v, key))
		return -1;
	if (rp->r.kind == RULE_UNIX ? check_unix(ps, v, scalar(v)) : check_path(ps, v, scalar(v)))
		return -1;
	if (match == MATCH_SUBTREE && scalar(v)[0] == '@')
		return fail_at(ps, v, "an abstract socket is named exactly: 'unix: %s'", scalar(v));
	if (match == MATCH_VERSIONS && !strcmp(scalar(v), "/"))
		return fail_at(ps, v, "'/' has no versions: name a file, as 'versions: /usr/lib/libz.so.1'");
	rp->r.path = (char *)scalar(v);
	rp->r.subtree = match == MATCH_SUBTREE;
	rp->r.versions = match == MATCH_VERSIONS;
	return 0;
}

static int rule_pair(struct parse *ps, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	static const char *const expected[] = {
		[RULE_FILE] = "path, versions, subtree, access, deny, evidence, note",
		[RULE_EXEC] = "path, versions, subtree, deny, evidence, note",
		[RULE_UNIX] = "unix, unix_subtree, deny, evidence, note",
	};
	struct rule_parse *rp = ctx;
	for (enum rule_match m = 0; m < MATCHES; m++)
		if (path_keys[rp->r.kind][m] && !strcmp(key, path_keys[rp->r.kind][m]))
			return path_pair(ps, k, v, rp, m);
	if (rp->r.kind == RULE_FILE && !strcmp(key, "access")) {
		rp->has_access = true;
		return parse_access(ps, v, &rp->r.access);
	}
	if (!strcmp(key, "deny"))
		return parse_bool(ps, v, key, &rp->r.deny);
	if (!strcmp(key, "evidence"))
		return each_pair(ps, v, "evidence", evidence_pair, &rp->r.evidence);
	if (!strcmp(key, "note"))
		return parse_text(ps, v, key, &rp->r.note);
	if (!strcmp(key, "abstract"))
		return fail_at(ps, k, "abstract sockets are network rules now: 'unix: \"@NAME\"'");
	return fail_at(ps, k, "unknown %s rule key '%s' (expected %s)",
		       rp->r.kind == RULE_UNIX ? "unix socket" : rp->r.kind == RULE_EXEC ? "exec" : "file",
		       key, expected[rp->r.kind]);
}

static int add_path_rule(struct parse *ps, yaml_node_t *n, struct profile *p, struct rule_parse *rp)
{
	const struct file_rule *r = &rp->r;

	if (!rp->path_node)
		return fail_at(ps, n, "rule names no %s", path_keys_list(r->kind));
	if (r->kind == RULE_FILE && !rp->has_access)
		return fail_at(ps, n, "file rule for %s has no access list", r->path);
	if (remember(&ps->file_nodes, p->nfiles, n))
		return -1;
	return profile_add_file(p, r);
}

static int parse_path_rule(struct parse *ps, yaml_node_t *n, struct profile *p, enum rule_kind kind)
{
	static const uint32_t granted[] = {
		[RULE_FILE] = 0, [RULE_EXEC] = STK_ACC_EXEC, [RULE_UNIX] = STK_ACC_CONNECT,
	};
	struct rule_parse rp = { .r.kind = kind, .r.access = granted[kind] };
	int err;

	err = each_pair(ps, n, kind == RULE_UNIX ? "a network rule" : "a rule", rule_pair, &rp);
	if (!err)
		err = add_path_rule(ps, n, p, &rp);
	free(rp.r.note);
	evidence_free(&rp.r.evidence);
	return err;
}

static int parse_rules(struct parse *ps, yaml_node_t *v, struct profile *p, enum rule_kind kind)
{
	yaml_node_item_t *it;

	if (expect_type(ps, v, YAML_SEQUENCE_NODE, kind == RULE_FILE ? "files" : "exec"))
		return -1;
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++)
		if (parse_path_rule(ps, yaml_document_get_node(&ps->doc, *it), p, kind))
			return -1;
	return 0;
}

/* "443" or "8000-8999", within 0-65535. */
static int parse_ports(struct parse *ps, yaml_node_t *v, struct net_rule *r)
{
	unsigned long lo, hi;
	char *end;

	if (expect_text(ps, v, "ports"))
		return -1;
	lo = strtoul(scalar(v), &end, 10);
	hi = lo;
	if (end != scalar(v) && *end == '-')
		hi = strtoul(end + 1, &end, 10);
	if (end == scalar(v) || *end || !isdigit((unsigned char)scalar(v)[0]) || lo > hi || hi > 65535)
		return fail_at(ps, v, "ports must be a port or a range such as 8000-8999 within 0-65535, not '%s'",
			       scalar(v));
	r->port_lo = (uint16_t)lo;
	r->port_hi = (uint16_t)hi;
	return 0;
}

struct net_parse {
	struct net_rule r;
	yaml_node_t *addr_node;
	bool has_proto;
};

static int net_pair(struct parse *ps, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct net_parse *np = ctx;
	uint32_t op;

	if (!net_op_parse(key, &op)) {
		if (np->addr_node)
			return fail_at(ps, k, "a network rule names one of connect, bind or send, once");
		if (expect_text(ps, v, key))
			return -1;
		if (addr_parse(scalar(v), np->r.addr, &np->r.prefix))
			return fail_at(ps, v, "%s", stk_error());
		np->r.op = op;
		np->addr_node = v;
		return 0;
	}
	if (!strcmp(key, "protocol")) {
		if (expect_text(ps, v, key))
			return -1;
		if (proto_parse(scalar(v), &np->r.proto))
			return fail_at(ps, v, "unknown protocol '%s' (expected tcp or udp)", scalar(v));
		np->has_proto = true;
		return 0;
	}
	if (!strcmp(key, "ports"))
		return parse_ports(ps, v, &np->r);
	if (!strcmp(key, "evidence"))
		return each_pair(ps, v, "evidence", evidence_pair, &np->r.evidence);
	if (!strcmp(key, "note"))
		return parse_text(ps, v, key, &np->r.note);
	return fail_at(ps, k, "unknown network rule key '%s' (expected connect, bind, send, protocol, ports, evidence, note; or unix)", key);
}

static int add_net_rule(struct parse *ps, yaml_node_t *n, struct profile *p, const struct net_parse *np)
{
	const struct net_rule *r = &np->r;

	if (!np->addr_node)
		return fail_at(ps, n, "network rule names no connect, bind, send or unix address");
	if (!np->has_proto)
		return fail_at(ps, n, "network rule for %s has no protocol (tcp or udp)", scalar(np->addr_node));
	if (remember(&ps->net_nodes, p->nnet, n))
		return -1;
	return profile_add_net(p, r);
}

/* Is this network rule about a unix socket (it has a unix or unix_subtree key)? */
static bool is_unix_rule(struct parse *ps, yaml_node_t *n)
{
	if (n->type != YAML_MAPPING_NODE)
		return false;
	for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < n->data.mapping.pairs.top; q++) {
		yaml_node_t *k = yaml_document_get_node(&ps->doc, q->key);

		if (k->type == YAML_SCALAR_NODE && (!strcmp(scalar(k), "unix") || !strcmp(scalar(k), "unix_subtree")))
			return true;
	}
	return false;
}

static int parse_network(struct parse *ps, yaml_node_t *v, struct profile *p)
{
	yaml_node_item_t *it;

	if (expect_type(ps, v, YAML_SEQUENCE_NODE, "network"))
		return -1;
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *n = yaml_document_get_node(&ps->doc, *it);
		struct net_parse np = { .r.port_hi = 65535 };
		int err;

		if (is_unix_rule(ps, n)) {
			if (parse_path_rule(ps, n, p, RULE_UNIX))
				return -1;
			continue;
		}
		err = each_pair(ps, n, "a network rule", net_pair, &np);
		if (!err)
			err = add_net_rule(ps, n, p, &np);
		free(np.r.note);
		evidence_free(&np.r.evidence);
		if (err)
			return -1;
	}
	return 0;
}

static int parse_privileges(struct parse *ps, yaml_node_t *v, struct profile *p)
{
	yaml_node_item_t *it;

	if (expect_type(ps, v, YAML_SEQUENCE_NODE, "privileges"))
		return -1;
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *n = yaml_document_get_node(&ps->doc, *it);
		uint32_t priv;

		if (expect_text(ps, n, "a privilege"))
			return -1;
		if (privilege_parse(scalar(n), &priv))
			return fail_at(ps, n, "unknown privilege '%s' (expected raw-socket, packet-socket, mount, chroot, bpf, modules, ptrace-read, ptrace, signal, anon-exec, syslog, netlink-send)",
				       scalar(n));
		if (p->privileges & priv)
			return fail_at(ps, n, "privilege '%s' is listed twice", scalar(n));
		p->privileges |= priv;
	}
	return 0;
}

/* capabilities: [NAME, ...] or sockets: [NAME, ...] */
static int parse_grants(struct parse *ps, yaml_node_t *v, struct profile *p, enum grant_kind kind)
{
	const char *list = kind == GRANT_CAPABILITY ? "capabilities" : "sockets";
	const char *what = kind == GRANT_CAPABILITY ? "capability" : "socket family";
	const char *expected = kind == GRANT_CAPABILITY
		? "a capability as Linux names it without CAP_, e.g. net_bind_service, setuid, chown"
		: "a socket family such as vsock or xdp, or netlink-PROTOCOL such as netlink-route";
	yaml_node_item_t *it;

	if (expect_type(ps, v, YAML_SEQUENCE_NODE, list))
		return -1;
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *n = yaml_document_get_node(&ps->doc, *it);

		if (expect_text(ps, n, kind == GRANT_CAPABILITY ? "a capability" : "a socket family"))
			return -1;
		if (grant_has(p, kind, scalar(n)))
			return fail_at(ps, n, "%s '%s' is listed twice", what, scalar(n));
		if (grant_add(p, kind, scalar(n)))
			return fail_at(ps, n, "%s (expected %s)", stk_error(), expected);
	}
	return 0;
}

static int parse_mode(struct parse *ps, yaml_node_t *v, struct profile *p)
{
	if (expect_text(ps, v, "mode"))
		return -1;
	if (strcmp(scalar(v), "enforce") && strcmp(scalar(v), "complain"))
		return fail_at(ps, v, "mode must be enforce or complain, not '%s'", scalar(v));
	p->complain = scalar(v)[0] == 'c';
	return 0;
}

#define GENERATOR_HOSTS_MAX 100000

static int generated_pair(struct parse *ps, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct generator *g = ctx;
	size_t n;

	if (!strcmp(key, "command"))
		return parse_text(ps, v, key, &g->command);
	if (!strcmp(key, "observations"))
		return parse_int(ps, v, key, &g->observations);
	if (!strcmp(key, "first_seen"))
		return parse_time(ps, v, key, &g->first_seen);
	if (!strcmp(key, "last_seen"))
		return parse_time(ps, v, key, &g->last_seen);
	if (!strcmp(key, "hosts")) {
		if (expect_type(ps, v, YAML_SEQUENCE_NODE, key))
			return -1;
		n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
		if (g->hosts)
			return fail_at(ps, k, "duplicate key 'hosts'");
		if (!(g->hosts = calloc(n ? n : 1, sizeof(*g->hosts))))
			return stk_fail("out of memory");
		return parse_texts(ps, v, key, GENERATOR_HOSTS_MAX, NULL, g->hosts, &g->nhosts);
	}
	return fail_at(ps, k, "unknown generated key '%s' (expected command, hosts, observations, first_seen, last_seen)", key);
}

static int parse_digest(struct parse *ps, yaml_node_t *v, char out[PROFILE_DIGEST_LEN])
{
	const char *d;
	size_t i;

	if (expect_text(ps, v, "digest"))
		return -1;
	d = scalar(v);
	/* The prefix first: a shorter scalar must not be read past its end. */
	i = strncmp(d, "sha256:", 7) ? 0 : 7;
	for (; i >= 7 && i < PROFILE_DIGEST_LEN - 1 && isxdigit((unsigned char)d[i]) && !isupper((unsigned char)d[i]); i++)
		;
	if (i != PROFILE_DIGEST_LEN - 1 || d[i])
		return fail_at(ps, v, "digest must be sha256: and 64 lowercase hex digits, not '%s'", d);
	memcpy(out, d, PROFILE_DIGEST_LEN);
	return 0;
}

static int review_pair(struct parse *ps, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct review_stamp *r = ctx;

	if (!strcmp(key, "by"))
		return parse_text(ps, v, key, &r->by);
	if (!strcmp(key, "at"))
		return parse_time(ps, v, key, &r->at);
	if (!strcmp(key, "digest"))
		return parse_digest(ps, v, r->digest);
	return fail_at(ps, k, "unknown review key '%s' (expected by, at, digest)", key);
}

static int parse_review(struct parse *ps, yaml_node_t *v, struct review_stamp *r)
{
	if (each_pair(ps, v, "review", review_pair, r))
		return -1;
	if (!r->by || !r->digest[0])
		return fail_at(ps, v, "review needs by, at and digest (`stockade approve` writes them)");
	return 0;
}

struct top_parse {
	struct profile *p;
	bool has_version;
};

static int top_pair(struct parse *ps, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct top_parse *tp = ctx;
	int64_t version;

	if (!strcmp(key, "version")) {
		if (parse_int(ps, v, key, &version))
			return -1;
		if (version != PROFILE_VERSION)
			return fail_at(ps, v, "profile version %" PRId64 " is not supported (this stockade reads version %d)",
				       version, PROFILE_VERSION);
		tp->has_version = true;
		return 0;
	}
	if (!strcmp(key, "subject"))
		return each_pair(ps, v, "subject", subject_pair, tp->p);
	if (!strcmp(key, "mode"))
		return parse_mode(ps, v, tp->p);
	if (!strcmp(key, "generated"))
		return each_pair(ps, v, "generated", generated_pair, &tp->p->generated);
	if (!strcmp(key, "review"))
		return parse_review(ps, v, &tp->p->review);
	if (!strcmp(key, "files"))
		return parse_rules(ps, v, tp->p, RULE_FILE);
	if (!strcmp(key, "exec"))
		return parse_rules(ps, v, tp->p, RULE_EXEC);
	if (!strcmp(key, "network"))
		return parse_network(ps, v, tp->p);
	if (!strcmp(key, "privileges"))
		return parse_privileges(ps, v, tp->p);
	if (!strcmp(key, "capabilities"))
		return parse_grants(ps, v, tp->p, GRANT_CAPABILITY);
	if (!strcmp(key, "sockets"))
		return parse_grants(ps, v, tp->p, GRANT_SOCKET);
	return fail_at(ps, k, "unknown key '%s' (expected version, subject, mode, generated, review, files, exec, network, privileges, capabilities, sockets)", key);
}

struct order {
	const void *rules;
	size_t size;
	int (*cmp)(const void *, const void *);
};

/* Indices ordered by their rules, equal rules by where they were written. */
static int index_cmp(const void *a, const void *b, void *ctx)
{
	const struct order *o = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = o->cmp((const char *)o->rules + x * o->size, (const char *)o->rules + y * o->size);

	return c ? c : (x > y) - (x < y);
}

/* The index of the second of two equal rules, or n if all differ. */
static int find_duplicate(const void *rules, size_t n, size_t size, int (*cmp)(const void *, const void *),
			  size_t *dup)
{
	struct order o = { rules, size, cmp };
	size_t *idx = calloc(n ? n : 1, sizeof(*idx));

	if (!idx)
		return stk_fail("out of memory");
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), index_cmp, &o);
	*dup = n;
	for (size_t i = 1; i < n && *dup == n; i++)
		if (!cmp((const char *)rules + idx[i - 1] * size, (const char *)rules + idx[i] * size))
			*dup = idx[i];
	free(idx);
	return 0;
}

static int check_duplicates(struct parse *ps, const struct profile *p)
{
	size_t dup;

	if (find_duplicate(p->files, p->nfiles, sizeof(*p->files), file_rule_cmp, &dup))
		return -1;
	if (dup < p->nfiles) {
		const struct file_rule *r = &p->files[dup];

		return fail_at(ps, ps->file_nodes[dup], "a second %s%s rule for %s%s", r->deny ? "deny " : "",
			       r->subtree ? "subtree" : r->versions ? "versions" : "exact", r->path,
			       r->kind == RULE_FILE ? ": merge their access lists" : "");
	}
	if (find_duplicate(p->net, p->nnet, sizeof(*p->net), net_rule_cmp, &dup))
		return -1;
	if (dup < p->nnet)
		return fail_at(ps, ps->net_nodes[dup], "this network rule is already listed");
	return 0;
}

static int parse_document(struct parse *ps, struct profile *out)
{
	yaml_node_t *root = yaml_document_get_root_node(&ps->doc);
	struct top_parse tp = { .p = out };

	if (!root)
		return stk_fail("%s: empty profile (expected version, subject and files)", ps->name);
	if (each_pair(ps, root, "a profile", top_pair, &tp))
		return -1;
	if (!tp.has_version)
		return fail_at(ps, root, "missing 'version: %d'", PROFILE_VERSION);
	if (!out->subject)
		return fail_at(ps, root, "missing 'subject' (service: UNIT, cgroup: PATH or user: NAME)");
	return check_duplicates(ps, out);
}

static int yaml_error(const char *name, const yaml_parser_t *parser)
{
	const yaml_mark_t *m = parser->problem_mark.line || parser->problem_mark.column
				       ? &parser->problem_mark : &parser->context_mark;

	return stk_fail("%s:%zu:%zu: invalid YAML: %s%s%s", name, m->line + 1, m->column + 1,
			parser->problem ? parser->problem : "syntax error",
			parser->context ? " " : "", parser->context ? parser->context : "");
}

int profile_parse(const char *name, const char *text, size_t len, struct profile *out)
{
	struct parse ps = { .name = name };
	yaml_document_t extra;
	yaml_parser_t parser;
	int err = -1;

	memset(out, 0, sizeof(*out));
	if (!yaml_parser_initialize(&parser))
		return stk_fail("out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &ps.doc)) {
		yaml_error(name, &parser);
		goto done;
	}
	err = parse_document(&ps, out);
	if (!err) {
		if (!yaml_parser_load(&parser, &extra)) {
			err = yaml_error(name, &parser);
		} else {
			if (yaml_document_get_root_node(&extra))
				err = stk_fail("%s:%zu:1: a profile file holds one document, found a second",
					       name, extra.start_mark.line + 1);
			yaml_document_delete(&extra);
		}
	}
	yaml_document_delete(&ps.doc);
done:
	free(ps.file_nodes);
	free(ps.net_nodes);
	yaml_parser_delete(&parser);
	if (err)
		profile_free(out);
	else
		profile_sort(out);
	return err;
}

int profile_load(const char *file, struct profile *out)
{
	struct stat st;
	char *text;
	ssize_t got;
	int fd, err;

	memset(out, 0, sizeof(*out));
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return stk_fail("%s: cannot open profile: %s", file, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > PROFILE_MAX_BYTES) {
		close(fd);
		return stk_fail("%s: not a regular file of at most %d MiB", file, PROFILE_MAX_BYTES >> 20);
	}
	text = malloc((size_t)st.st_size + 1);
	if (!text) {
		close(fd);
		return stk_fail("out of memory");
	}
	got = read(fd, text, (size_t)st.st_size);
	close(fd);
	if (got != st.st_size) {
		free(text);
		return stk_fail("%s: short read", file);
	}
	err = profile_parse(file, text, (size_t)got, out);
	free(text);
	return err;
}

/* ---- writing ----------------------------------------------------------- */

struct emit {
	yaml_emitter_t e;
	yaml_event_t ev;
	int err;
};

static void emit_event(struct emit *em)
{
	if (!em->err && !yaml_emitter_emit(&em->e, &em->ev))
		em->err = stk_fail("cannot write YAML: %s", em->e.problem ? em->e.problem : "emitter error");
}

static void emit_scalar(struct emit *em, const char *s)
{
	yaml_scalar_event_initialize(&em->ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
				     YAML_ANY_SCALAR_STYLE);
	emit_event(em);
}

static void emit_int(struct emit *em, int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	emit_scalar(em, buf);
}

static void emit_time(struct emit *em, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[32];

	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	emit_scalar(em, buf);
}

static void emit_mapping(struct emit *em, bool flow)
{
	yaml_mapping_start_event_initialize(&em->ev, NULL, NULL, 1,
					    flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
	emit_event(em);
}

static void emit_sequence(struct emit *em, bool flow)
{
	yaml_sequence_start_event_initialize(&em->ev, NULL, NULL, 1,
					     flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
	emit_event(em);
}

static void emit_end_mapping(struct emit *em)
{
	yaml_mapping_end_event_initialize(&em->ev);
	emit_event(em);
}

static void emit_end_sequence(struct emit *em)
{
	yaml_sequence_end_event_initialize(&em->ev);
	emit_event(em);
}

/* Learned rules say why they exist; hand-written ones (count 0) do not. */
static void emit_evidence(struct emit *em, const struct evidence *ev)
{
	if (!ev->count)
		return;
	emit_scalar(em, "evidence");
	emit_mapping(em, true);
	emit_scalar(em, "count");
	emit_int(em, ev->count);
	emit_scalar(em, "first_seen");
	emit_time(em, ev->first_seen);
	emit_scalar(em, "last_seen");
	emit_time(em, ev->last_seen);
	emit_scalar(em, "hosts");
	emit_int(em, ev->hosts);
	if (ev->samples[0]) {
		emit_scalar(em, "samples");
		emit_sequence(em, true);
		for (int i = 0; i < EVIDENCE_SAMPLES && ev->samples[i]; i++)
			emit_scalar(em, ev->samples[i]);
		emit_end_sequence(em);
	}
	if (ev->exe[0]) {
		emit_scalar(em, "exe");
		emit_sequence(em, true);
		for (int i = 0; i < EVIDENCE_SAMPLES && ev->exe[i]; i++)
			emit_scalar(em, ev->exe[i]);
		emit_end_sequence(em);
	}
	if (ev->generalised) {
		emit_scalar(em, "generalised");
		emit_scalar(em, ev->generalised);
	}
	emit_end_mapping(em);
}

static void emit_note(struct emit *em, const char *note)
{
	if (!note)
		return;
	emit_scalar(em, "note");
	emit_scalar(em, note);
}

static void emit_rule(struct emit *em, const struct file_rule *r)
{
	emit_mapping(em, false);
	emit_scalar(em, path_keys[r->kind][file_rule_match(r)]);
	emit_scalar(em, r->path);
	if (r->kind == RULE_FILE) {
		emit_scalar(em, "access");
		emit_sequence(em, true);
		for (uint32_t bit = 1; bit & STK_ACC_ALL; bit <<= 1)
			if (r->access & bit)
				emit_scalar(em, access_name(bit));
		emit_end_sequence(em);
	}
	if (r->deny) {
		emit_scalar(em, "deny");
		emit_scalar(em, "true");
	}
	emit_evidence(em, &r->evidence);
	emit_note(em, r->note);
	emit_end_mapping(em);
}

static void emit_net_rule(struct emit *em, const struct net_rule *r)
{
	char buf[64];

	emit_mapping(em, false);
	emit_scalar(em, net_op_name(r->op));
	addr_format(r->addr, r->prefix, buf, sizeof(buf));
	emit_scalar(em, buf);
	emit_scalar(em, "protocol");
	emit_scalar(em, proto_name(r->proto));
	if (r->port_lo != 0 || r->port_hi != 65535) {
		emit_scalar(em, "ports");
		if (r->port_lo == r->port_hi)
			snprintf(buf, sizeof(buf), "%u", r->port_lo);
		else
			snprintf(buf, sizeof(buf), "%u-%u", r->port_lo, r->port_hi);
		emit_scalar(em, buf);
	}
	emit_evidence(em, &r->evidence);
	emit_note(em, r->note);
	emit_end_mapping(em);
}

static void emit_generated(struct emit *em, const struct generator *g)
{
	if (!g->command)
		return;
	emit_scalar(em, "generated");
	emit_mapping(em, false);
	emit_scalar(em, "command");
	emit_scalar(em, g->command);
	emit_scalar(em, "hosts");
	emit_sequence(em, true);
	for (size_t i = 0; i < g->nhosts; i++)
		emit_scalar(em, g->hosts[i]);
	emit_end_sequence(em);
	emit_scalar(em, "observations");
	emit_int(em, g->observations);
	emit_scalar(em, "first_seen");
	emit_time(em, g->first_seen);
	emit_scalar(em, "last_seen");
	emit_time(em, g->last_seen);
	emit_end_mapping(em);
}

static void emit_review(struct emit *em, const struct review_stamp *r)
{
	if (!r->by)
		return;
	emit_scalar(em, "review");
	emit_mapping(em, false);
	emit_scalar(em, "by");
	emit_scalar(em, r->by);
	emit_scalar(em, "at");
	emit_time(em, r->at);
	emit_scalar(em, "digest");
	emit_scalar(em, r->digest);
	emit_end_mapping(em);
}

static size_t count_kind(const struct profile *p, enum rule_kind kind)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nfiles; i++)
		n += p->files[i].kind == kind;
	return n;
}

static void emit_kind(struct emit *em, const struct profile *p, enum rule_kind kind)
{
	for (size_t i = 0; i < p->nfiles; i++)
		if (p->files[i].kind == kind)
			emit_rule(em, &p->files[i]);
}

/* files always (an empty list says "nothing"), exec and network when used. */
struct grant_emit {
	struct emit *em;
	enum grant_kind kind;
};

static void emit_grant(enum grant_kind kind, const char *name, void *ctx)
{
	struct grant_emit *ge = ctx;

	if (kind == ge->kind)
		emit_scalar(ge->em, name);
}

static void count_grant(enum grant_kind kind, const char *name, void *ctx)
{
	struct grant_emit *ge = ctx;

	(void)name;
	if (kind == ge->kind)
		ge->em = NULL; /* at least one */
}

/* capabilities: [...] or sockets: [...], omitted when empty. */
static void emit_grants(struct emit *em, const struct profile *p, enum grant_kind kind)
{
	struct grant_emit ge = { .em = em, .kind = kind };

	grants_foreach(p, count_grant, &ge);
	if (ge.em)
		return;
	ge.em = em;
	emit_scalar(em, kind == GRANT_CAPABILITY ? "capabilities" : "sockets");
	emit_sequence(em, true);
	grants_foreach(p, emit_grant, &ge);
	emit_end_sequence(em);
}

static void emit_rules(struct emit *em, const struct profile *p)
{
	size_t nunix = count_kind(p, RULE_UNIX);

	emit_scalar(em, "files");
	emit_sequence(em, !count_kind(p, RULE_FILE));
	emit_kind(em, p, RULE_FILE);
	emit_end_sequence(em);
	if (count_kind(p, RULE_EXEC)) {
		emit_scalar(em, "exec");
		emit_sequence(em, false);
		emit_kind(em, p, RULE_EXEC);
		emit_end_sequence(em);
	}
	if (p->nnet || nunix) {
		emit_scalar(em, "network");
		emit_sequence(em, false);
		for (size_t i = 0; i < p->nnet; i++)
			emit_net_rule(em, &p->net[i]);
		emit_kind(em, p, RULE_UNIX);
		emit_end_sequence(em);
	}
	if (p->privileges) {
		emit_scalar(em, "privileges");
		emit_sequence(em, true);
		for (uint32_t priv = 1; priv & STK_PRIV_ALL; priv <<= 1)
			if (p->privileges & priv)
				emit_scalar(em, privilege_name(priv));
		emit_end_sequence(em);
	}
	emit_grants(em, p, GRANT_CAPABILITY);
	emit_grants(em, p, GRANT_SOCKET);
}

static int write_buffer(void *data, unsigned char *buf, size_t size)
{
	FILE *f = data;

	return fwrite(buf, 1, size, f) == size;
}

int profile_format(const struct profile *p, char **text, size_t *len)
{
	struct emit em = { 0 };
	FILE *f = open_memstream(text, len);

	if (!f || !yaml_emitter_initialize(&em.e)) {
		if (f)
			fclose(f);
		return stk_fail("out of memory");
	}
	yaml_emitter_set_output(&em.e, write_buffer, f);
	yaml_emitter_set_unicode(&em.e, 1);
	yaml_emitter_set_width(&em.e, -1);
	yaml_stream_start_event_initialize(&em.ev, YAML_UTF8_ENCODING);
	emit_event(&em);
	yaml_document_start_event_initialize(&em.ev, NULL, NULL, NULL, 1);
	emit_event(&em);
	emit_mapping(&em, false);
	emit_scalar(&em, "version");
	emit_int(&em, PROFILE_VERSION);
	emit_scalar(&em, "subject");
	emit_mapping(&em, false);
	emit_scalar(&em, subject_kind_name(p->subject_kind));
	emit_scalar(&em, p->subject);
	emit_end_mapping(&em);
	emit_scalar(&em, "mode");
	emit_scalar(&em, p->complain ? "complain" : "enforce");
	emit_generated(&em, &p->generated);
	emit_review(&em, &p->review);
	emit_rules(&em, p);
	emit_end_mapping(&em);
	yaml_document_end_event_initialize(&em.ev, 1);
	emit_event(&em);
	yaml_stream_end_event_initialize(&em.ev);
	emit_event(&em);
	yaml_emitter_delete(&em.e);
	fclose(f);
	if (em.err) {
		free(*text);
		*text = NULL;
	}
	return em.err;
}

int profile_save(const struct profile *p, const char *file)
{
	char tmp[4096], *text;
	size_t len;
	int fd, err = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%d", file, (int)getpid()) >= sizeof(tmp))
		return stk_fail("%s: file name too long", file);
	if (profile_format(p, &text, &len))
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		free(text);
		return stk_fail("%s: cannot write: %s", tmp, strerror(errno));
	}
	if (write(fd, text, len) != (ssize_t)len || fsync(fd))
		err = stk_fail("%s: cannot write: %s", tmp, strerror(errno));
	close(fd);
	free(text);
	if (!err && rename(tmp, file))
		err = stk_fail("%s: cannot write: %s", file, strerror(errno));
	if (err)
		unlink(tmp);
	return err;
}

/*
 * Profiles as YAML. Parsing goes through libyaml's document API so that every
 * node keeps its position for error messages; unknown keys are errors.
 * yaml_write.c writes them.
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
#include "../subject/subject.h"
#include "../names/names.h"
#include "profile.h"
#include "yaml.h"
#include "../common/error.h"

#define PROFILE_MAX_BYTES (64 << 20)

static int subject_pair(struct parse *ps, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct profile *p = ctx;

	if (strcmp(key, "service") && strcmp(key, "cgroup") && strcmp(key, "user"))
		return node_fail(ps, k, "unknown subject kind '%s' (expected service, cgroup or user)", key);
	if (p->subject)
		return node_fail(ps, k, "a profile has one subject: a service, a cgroup or a user");
	if (node_expect_text(ps, v, key))
		return -1;
	if (!node_scalar(v)[0])
		return node_fail(ps, v, "the %s name is empty", key);
	p->subject_kind = key[0] == 's' ? SUBJECT_SERVICE : key[0] == 'c' ? SUBJECT_CGROUP : SUBJECT_USER;
	if (p->subject_kind == SUBJECT_CGROUP && node_path(ps, v, node_scalar(v)))
		return -1;
	p->subject = strdup(node_scalar(v));
	return p->subject ? 0 : stk_fail("out of memory");
}

static int parse_access(struct parse *ps, yaml_node_t *v, uint32_t *access)
{
	yaml_node_item_t *it;

	if (node_expect(ps, v, YAML_SEQUENCE_NODE, "access"))
		return -1;
	*access = 0;
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *n = yaml_document_get_node(&ps->doc, *it);
		uint32_t bit;

		if (node_expect_text(ps, n, "an access"))
			return -1;
		if (!strcmp(node_scalar(n), "exec"))
			return node_fail(ps, n, "exec is granted in the exec list, not in files");
		if (!strcmp(node_scalar(n), "connect"))
			return node_fail(ps, n, "unix sockets are granted in the network list as 'unix: PATH', not in files");
		if (access_parse(node_scalar(n), &bit))
			return node_fail(ps, n, "unknown access '%s' (expected read, write, append, create, unlink, link)", node_scalar(n));
		if (*access & bit)
			return node_fail(ps, n, "access '%s' is listed twice", node_scalar(n));
		*access |= bit;
	}
	if (!*access)
		return node_fail(ps, v, "access must list at least one of read, write, append, create, unlink, link");
	return 0;
}

static int evidence_pair(struct parse *ps, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct evidence *ev = ctx;
	size_t n = 0;

	if (!strcmp(key, "count"))
		return node_int(ps, v, key, &ev->count);
	if (!strcmp(key, "hosts"))
		return node_int(ps, v, key, &ev->hosts);
	if (!strcmp(key, "first_seen"))
		return node_time(ps, v, key, &ev->first_seen);
	if (!strcmp(key, "last_seen"))
		return node_time(ps, v, key, &ev->last_seen);
	if (!strcmp(key, "samples"))
		return node_texts(ps, v, "samples", EVIDENCE_SAMPLES, NULL, ev->samples, &n);
	if (!strcmp(key, "exe"))
		return node_texts(ps, v, "exe", EVIDENCE_SAMPLES, NULL, ev->exe, &n);
	if (!strcmp(key, "generalised"))
		return node_text(ps, v, "generalised", &ev->generalised);
	return node_fail(ps, k, "unknown evidence key '%s' (expected count, first_seen, last_seen, hosts, samples, exe, generalised)", key);
}

#define UNIX_ABSTRACT_MAX 107 /* sun_path's 108 bytes, less the leading NUL */

/* A unix socket's name: a path, or "@name" for an abstract socket. */
static int check_unix_name(struct parse *ps, const yaml_node_t *n, const char *name)
{
	size_t len = strlen(name);

	if (name[0] != '@')
		return node_path(ps, n, name);
	if (len < 2 || len - 1 > UNIX_ABSTRACT_MAX)
		return node_fail(ps, n, "an abstract socket name is 1 to %d bytes after the @", UNIX_ABSTRACT_MAX);
	return 0;
}

/* The keys naming a rule's path, per list and match (unix sockets have no versions). */
const char *const rule_path_keys[][MATCHES] = {
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
	const char *key = node_scalar(k);

	if (rp->path_node)
		return node_fail(ps, k, "a rule names one %s", path_keys_list(rp->r.kind));
	rp->path_node = v;
	if (node_expect_text(ps, v, key))
		return -1;
	if (rp->r.kind == RULE_UNIX ? check_unix_name(ps, v, node_scalar(v)) : node_path(ps, v, node_scalar(v)))
		return -1;
	if (match == MATCH_SUBTREE && node_scalar(v)[0] == '@')
		return node_fail(ps, v, "an abstract socket is named exactly: 'unix: %s'", node_scalar(v));
	if (match == MATCH_VERSIONS && !strcmp(node_scalar(v), "/"))
		return node_fail(ps, v, "'/' has no versions: name a file, as 'versions: /usr/lib/libz.so.1'");
	rp->r.path = (char *)node_scalar(v);
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
		if (rule_path_keys[rp->r.kind][m] && !strcmp(key, rule_path_keys[rp->r.kind][m]))
			return path_pair(ps, k, v, rp, m);
	if (rp->r.kind == RULE_FILE && !strcmp(key, "access")) {
		rp->has_access = true;
		return parse_access(ps, v, &rp->r.access);
	}
	if (!strcmp(key, "deny"))
		return node_bool(ps, v, key, &rp->r.deny);
	if (!strcmp(key, "evidence"))
		return node_each_pair(ps, v, "evidence", evidence_pair, &rp->r.evidence);
	if (!strcmp(key, "note"))
		return node_text(ps, v, key, &rp->r.note);
	if (!strcmp(key, "abstract"))
		return node_fail(ps, k, "abstract sockets are network rules now: 'unix: \"@NAME\"'");
	return node_fail(ps, k, "unknown %s rule key '%s' (expected %s)",
		         rp->r.kind == RULE_UNIX ? "unix socket" : rp->r.kind == RULE_EXEC ? "exec" : "file",
		         key, expected[rp->r.kind]);
}

static int add_path_rule(struct parse *ps, yaml_node_t *n, struct profile *p, struct rule_parse *rp)
{
	const struct file_rule *r = &rp->r;

	if (!rp->path_node)
		return node_fail(ps, n, "rule names no %s", path_keys_list(r->kind));
	if (r->kind == RULE_FILE && !rp->has_access)
		return node_fail(ps, n, "file rule for %s has no access list", r->path);
	if (node_remember(&ps->file_nodes, p->nfiles, n))
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

	err = node_each_pair(ps, n, kind == RULE_UNIX ? "a network rule" : "a rule", rule_pair, &rp);
	if (!err)
		err = add_path_rule(ps, n, p, &rp);
	free(rp.r.note);
	evidence_free(&rp.r.evidence);
	return err;
}

static int parse_rules(struct parse *ps, yaml_node_t *v, struct profile *p, enum rule_kind kind)
{
	yaml_node_item_t *it;

	if (node_expect(ps, v, YAML_SEQUENCE_NODE, kind == RULE_FILE ? "files" : "exec"))
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

	if (node_expect_text(ps, v, "ports"))
		return -1;
	lo = strtoul(node_scalar(v), &end, 10);
	hi = lo;
	if (end != node_scalar(v) && *end == '-')
		hi = strtoul(end + 1, &end, 10);
	if (end == node_scalar(v) || *end || !isdigit((unsigned char)node_scalar(v)[0]) || lo > hi || hi > 65535)
		return node_fail(ps, v, "ports must be a port or a range such as 8000-8999 within 0-65535, not '%s'",
			         node_scalar(v));
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
			return node_fail(ps, k, "a network rule names one of connect, bind or send, once");
		if (node_expect_text(ps, v, key))
			return -1;
		if (addr_parse(node_scalar(v), np->r.addr, &np->r.prefix))
			return node_fail(ps, v, "%s", stk_error());
		np->r.op = op;
		np->addr_node = v;
		return 0;
	}
	if (!strcmp(key, "protocol")) {
		if (node_expect_text(ps, v, key))
			return -1;
		if (proto_parse(node_scalar(v), &np->r.proto))
			return node_fail(ps, v, "unknown protocol '%s' (expected tcp or udp)", node_scalar(v));
		np->has_proto = true;
		return 0;
	}
	if (!strcmp(key, "ports"))
		return parse_ports(ps, v, &np->r);
	if (!strcmp(key, "evidence"))
		return node_each_pair(ps, v, "evidence", evidence_pair, &np->r.evidence);
	if (!strcmp(key, "note"))
		return node_text(ps, v, key, &np->r.note);
	return node_fail(ps, k, "unknown network rule key '%s' (expected connect, bind, send, protocol, ports, evidence, note; or unix)", key);
}

static int add_net_rule(struct parse *ps, yaml_node_t *n, struct profile *p, const struct net_parse *np)
{
	const struct net_rule *r = &np->r;

	if (!np->addr_node)
		return node_fail(ps, n, "network rule names no connect, bind, send or unix address");
	if (!np->has_proto)
		return node_fail(ps, n, "network rule for %s has no protocol (tcp or udp)", node_scalar(np->addr_node));
	if (node_remember(&ps->net_nodes, p->nnet, n))
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

		if (k->type == YAML_SCALAR_NODE && (!strcmp(node_scalar(k), "unix") || !strcmp(node_scalar(k), "unix_subtree")))
			return true;
	}
	return false;
}

static int parse_network(struct parse *ps, yaml_node_t *v, struct profile *p)
{
	yaml_node_item_t *it;

	if (node_expect(ps, v, YAML_SEQUENCE_NODE, "network"))
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
		err = node_each_pair(ps, n, "a network rule", net_pair, &np);
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

	if (node_expect(ps, v, YAML_SEQUENCE_NODE, "privileges"))
		return -1;
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *n = yaml_document_get_node(&ps->doc, *it);
		uint32_t priv;

		if (node_expect_text(ps, n, "a privilege"))
			return -1;
		if (privilege_parse(node_scalar(n), &priv))
			return node_fail(ps, n, "unknown privilege '%s' (expected raw-socket, packet-socket, mount, chroot, bpf, modules, ptrace-read, ptrace, signal, anon-exec, syslog, netlink-send)",
				         node_scalar(n));
		if (p->privileges & priv)
			return node_fail(ps, n, "privilege '%s' is listed twice", node_scalar(n));
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

	if (node_expect(ps, v, YAML_SEQUENCE_NODE, list))
		return -1;
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *n = yaml_document_get_node(&ps->doc, *it);

		if (node_expect_text(ps, n, kind == GRANT_CAPABILITY ? "a capability" : "a socket family"))
			return -1;
		if (grant_has(p, kind, node_scalar(n)))
			return node_fail(ps, n, "%s '%s' is listed twice", what, node_scalar(n));
		if (grant_add(p, kind, node_scalar(n)))
			return node_fail(ps, n, "%s (expected %s)", stk_error(), expected);
	}
	return 0;
}

static int parse_mode(struct parse *ps, yaml_node_t *v, struct profile *p)
{
	if (node_expect_text(ps, v, "mode"))
		return -1;
	if (strcmp(node_scalar(v), "enforce") && strcmp(node_scalar(v), "complain"))
		return node_fail(ps, v, "mode must be enforce or complain, not '%s'", node_scalar(v));
	p->complain = node_scalar(v)[0] == 'c';
	return 0;
}

#define GENERATOR_HOSTS_MAX 100000

static int generated_pair(struct parse *ps, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct generator *g = ctx;
	size_t n;

	if (!strcmp(key, "command"))
		return node_text(ps, v, key, &g->command);
	if (!strcmp(key, "observations"))
		return node_int(ps, v, key, &g->observations);
	if (!strcmp(key, "first_seen"))
		return node_time(ps, v, key, &g->first_seen);
	if (!strcmp(key, "last_seen"))
		return node_time(ps, v, key, &g->last_seen);
	if (!strcmp(key, "hosts")) {
		if (node_expect(ps, v, YAML_SEQUENCE_NODE, key))
			return -1;
		n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
		if (g->hosts)
			return node_fail(ps, k, "duplicate key 'hosts'");
		if (!(g->hosts = calloc(n ? n : 1, sizeof(*g->hosts))))
			return stk_fail("out of memory");
		return node_texts(ps, v, key, GENERATOR_HOSTS_MAX, NULL, g->hosts, &g->nhosts);
	}
	return node_fail(ps, k, "unknown generated key '%s' (expected command, hosts, observations, first_seen, last_seen)", key);
}

static int parse_digest(struct parse *ps, yaml_node_t *v, char out[PROFILE_DIGEST_LEN])
{
	const char *d;
	size_t i;

	if (node_expect_text(ps, v, "digest"))
		return -1;
	d = node_scalar(v);
	/* The prefix first: a shorter scalar must not be read past its end. */
	i = strncmp(d, "sha256:", 7) ? 0 : 7;
	for (; i >= 7 && i < PROFILE_DIGEST_LEN - 1 && isxdigit((unsigned char)d[i]) && !isupper((unsigned char)d[i]); i++)
		;
	if (i != PROFILE_DIGEST_LEN - 1 || d[i])
		return node_fail(ps, v, "digest must be sha256: and 64 lowercase hex digits, not '%s'", d);
	memcpy(out, d, PROFILE_DIGEST_LEN);
	return 0;
}

static int review_pair(struct parse *ps, const char *key, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	struct review_stamp *r = ctx;

	if (!strcmp(key, "by"))
		return node_text(ps, v, key, &r->by);
	if (!strcmp(key, "at"))
		return node_time(ps, v, key, &r->at);
	if (!strcmp(key, "digest"))
		return parse_digest(ps, v, r->digest);
	return node_fail(ps, k, "unknown review key '%s' (expected by, at, digest)", key);
}

static int parse_review(struct parse *ps, yaml_node_t *v, struct review_stamp *r)
{
	if (node_each_pair(ps, v, "review", review_pair, r))
		return -1;
	if (!r->by || !r->digest[0])
		return node_fail(ps, v, "review needs by, at and digest (`stockade approve` writes them)");
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
		if (node_int(ps, v, key, &version))
			return -1;
		if (version != PROFILE_VERSION)
			return node_fail(ps, v, "profile version %" PRId64 " is not supported (this stockade reads version %d)",
				         version, PROFILE_VERSION);
		tp->has_version = true;
		return 0;
	}
	if (!strcmp(key, "subject"))
		return node_each_pair(ps, v, "subject", subject_pair, tp->p);
	if (!strcmp(key, "mode"))
		return parse_mode(ps, v, tp->p);
	if (!strcmp(key, "generated"))
		return node_each_pair(ps, v, "generated", generated_pair, &tp->p->generated);
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
	return node_fail(ps, k, "unknown key '%s' (expected version, subject, mode, generated, review, files, exec, network, privileges, capabilities, sockets)", key);
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

		return node_fail(ps, ps->file_nodes[dup], "a second %s%s rule for %s%s", r->deny ? "deny " : "",
			         r->subtree ? "subtree" : r->versions ? "versions" : "exact", r->path,
			         r->kind == RULE_FILE ? ": merge their access lists" : "");
	}
	if (find_duplicate(p->net, p->nnet, sizeof(*p->net), net_rule_cmp, &dup))
		return -1;
	if (dup < p->nnet)
		return node_fail(ps, ps->net_nodes[dup], "this network rule is already listed");
	return 0;
}

static int parse_document(struct parse *ps, struct profile *out)
{
	yaml_node_t *root = yaml_document_get_root_node(&ps->doc);
	struct top_parse tp = { .p = out };

	if (!root)
		return stk_fail("%s: empty profile (expected version, subject and files)", ps->name);
	if (node_each_pair(ps, root, "a profile", top_pair, &tp))
		return -1;
	if (!tp.has_version)
		return node_fail(ps, root, "missing 'version: %d'", PROFILE_VERSION);
	if (!out->subject)
		return node_fail(ps, root, "missing 'subject' (service: UNIT, cgroup: PATH or user: NAME)");
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

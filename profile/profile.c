/* The profile model and what its rules mean. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../subject/subject.h"
#include "../names/names.h"
#include "profile.h"
#include "../common/sha256.h"
#include "../bpf/decide.h"
#include "../common/error.h"

void evidence_free(struct evidence *ev)
{
	for (int i = 0; i < EVIDENCE_SAMPLES; i++) {
		free(ev->samples[i]);
		free(ev->exe[i]);
	}
	free(ev->generalised);
	memset(ev, 0, sizeof(*ev));
}

int evidence_copy(struct evidence *dst, const struct evidence *src)
{
	bool failed = false;

	*dst = *src;
	dst->generalised = NULL;
	for (int i = 0; i < EVIDENCE_SAMPLES; i++)
		dst->samples[i] = dst->exe[i] = NULL;
	for (int i = 0; i < EVIDENCE_SAMPLES; i++) {
		failed |= src->samples[i] && !(dst->samples[i] = strdup(src->samples[i]));
		failed |= src->exe[i] && !(dst->exe[i] = strdup(src->exe[i]));
	}
	failed |= src->generalised && !(dst->generalised = strdup(src->generalised));
	if (failed) {
		evidence_free(dst);
		return stk_fail("out of memory");
	}
	return 0;
}

/* Count more observations of a rule, seen between first_seen and last_seen. */
void evidence_merge(struct evidence *ev, int64_t count, int64_t first_seen, int64_t last_seen)
{
	if (!ev->count || first_seen < ev->first_seen)
		ev->first_seen = first_seen;
	if (!ev->count || last_seen > ev->last_seen)
		ev->last_seen = last_seen;
	ev->count += count;
}

static void generator_free(struct generator *g)
{
	for (size_t i = 0; i < g->nhosts; i++)
		free(g->hosts[i]);
	free(g->hosts);
	free(g->command);
}

void profile_free(struct profile *p)
{
	for (size_t i = 0; i < p->nfiles; i++) {
		free(p->files[i].path);
		free(p->files[i].note);
		evidence_free(&p->files[i].evidence);
	}
	for (size_t i = 0; i < p->nnet; i++) {
		free(p->net[i].note);
		evidence_free(&p->net[i].evidence);
	}
	free(p->files);
	free(p->net);
	free(p->subject);
	generator_free(&p->generated);
	free(p->review.by);
	memset(p, 0, sizeof(*p));
}

enum rule_kind rule_kind_of(uint32_t access)
{
	if (access & STK_ACC_EXEC)
		return RULE_EXEC;
	if (access & STK_ACC_CONNECT)
		return RULE_UNIX;
	return RULE_FILE;
}

static int strdup_opt(char **dst, const char *src)
{
	*dst = NULL;
	if (src && !(*dst = strdup(src)))
		return stk_fail("out of memory");
	return 0;
}

/* Rule arrays hold a power of two: they grow when n reaches one, so adding
 * n rules costs O(n) in all. */
static int grow(void **array, size_t n, size_t size)
{
	void *grown;

	if (n & (n - 1))
		return 0;
	if (!(grown = realloc(*array, (n ? 2 * n : 1) * size)))
		return stk_fail("out of memory");
	*array = grown;
	return 0;
}

size_t profile_rule_count(const struct profile *p)
{
	return p->nfiles + p->nnet;
}

int profile_add_file(struct profile *p, const struct file_rule *src)
{
	struct file_rule *r;

	if (grow((void **)&p->files, p->nfiles, sizeof(*p->files)))
		return -1;
	r = &p->files[p->nfiles];
	*r = *src;
	if (strdup_opt(&r->path, src->path))
		return -1;
	if (strdup_opt(&r->note, src->note) || evidence_copy(&r->evidence, &src->evidence)) {
		free(r->path);
		free(r->note);
		return -1;
	}
	p->nfiles++;
	return 0;
}

int profile_add_net(struct profile *p, const struct net_rule *src)
{
	struct net_rule *r;

	if (grow((void **)&p->net, p->nnet, sizeof(*p->net)))
		return -1;
	r = &p->net[p->nnet];
	*r = *src;
	if (strdup_opt(&r->note, src->note))
		return -1;
	if (evidence_copy(&r->evidence, &src->evidence)) {
		free(r->note);
		return -1;
	}
	p->nnet++;
	return 0;
}

int net_rule_cmp(const void *a, const void *b)
{
	const struct net_rule *x = a, *y = b;
	int c;

	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if ((c = memcmp(x->addr, y->addr, sizeof(x->addr))))
		return c;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	if (x->port_lo != y->port_lo)
		return x->port_lo < y->port_lo ? -1 : 1;
	return (x->port_hi > y->port_hi) - (x->port_hi < y->port_hi);
}

enum rule_match file_rule_match(const struct file_rule *r)
{
	return r->subtree ? MATCH_SUBTREE : r->versions ? MATCH_VERSIONS : MATCH_PATH;
}

const char *rule_match_name(enum rule_match m)
{
	static const char *const names[] = {
		[MATCH_PATH] = "path", [MATCH_VERSIONS] = "versions", [MATCH_SUBTREE] = "subtree",
	};

	return names[m];
}

int file_rule_cmp(const void *a, const void *b)
{
	const struct file_rule *x = a, *y = b;
	enum rule_match mx = file_rule_match(x), my = file_rule_match(y);
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = strcmp(x->path, y->path)))
		return c;
	if (mx != my)
		return mx < my ? -1 : 1;
	return x->deny - y->deny;
}

void profile_sort(struct profile *p)
{
	if (p->nfiles)
		qsort(p->files, p->nfiles, sizeof(*p->files), file_rule_cmp);
	if (p->nnet)
		qsort(p->net, p->nnet, sizeof(*p->net), net_rule_cmp);
}

/*
 * The rules that name exactly this path, folded into one kernel rule: at
 * the path itself (a versions rule covers its own path), or, with stem,
 * the versions rules only, as the level of a stem of the path.
 */
static bool rules_at(const void *rules, const char *path, size_t len, bool stem, struct stk_rule *out)
{
	const struct profile *p = rules;
	bool any = false;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct file_rule *r = &p->files[i];
		bool tree = stem || r->subtree;
		__u8 *bits;

		if (strlen(r->path) != len || memcmp(r->path, path, len) || (stem && !r->versions))
			continue;
		if (r->deny)
			bits = tree ? &out->deny_tree : &out->deny_self;
		else
			bits = tree ? &out->allow_tree : &out->allow_self;
		*bits |= (__u8)r->access;
		any = true;
	}
	return any;
}

/*
 * The cut between what profile_allows() and compiled_allows() share: the
 * walk over a path's levels is docs/rules.md's definition, the same for
 * both (the kernel's own walk, bpf/walk.h, is proved, and checked against
 * these two in the VM by tests/e2e/differential.sh); what each level holds
 * is not shared. Here rules_at() scans the YAML rules; compiled_allows()
 * finds the compiled map entry. That lookup is what the differential tests
 * (tests/unit/test_rules.c, test_net.c) compare, so a fault in compiling
 * rules into entries makes the two answers differ.
 */
bool path_walk_allows(const char *path, uint32_t access, level_rules_fn *at, const void *rules)
{
	struct stk_match m;
	struct stk_rule r;
	size_t len = strlen(path), stem = len;

	stk_match_init(&m, access);
	if (at(rules, path, len, false, &r))
		stk_match_apply(&m, &r, 1);
	while (!stk_match_decided(&m) && (stem = stk_version_stem_len(path, (uint32_t)stem)))
		if (at(rules, path, stem, true, &r))
			stk_match_apply(&m, &r, 0);
	len = stk_path_parent_len(path, (uint32_t)len);
	while (len > 0 && !stk_match_decided(&m)) {
		if (at(rules, path, len, false, &r))
			stk_match_apply(&m, &r, 0);
		len = stk_path_parent_len(path, (uint32_t)len);
	}
	return stk_match_allowed(&m);
}

bool profile_allows(const struct profile *p, const char *path, uint32_t access)
{
	return path_walk_allows(path, access, rules_at, p);
}

bool addr_in_prefix(const uint8_t addr[16], const uint8_t net[16], unsigned prefix)
{
	return stk_addr_in_prefix(addr, net, prefix);
}

/* Allowed when any rule names the operation, protocol, peer and port. */
bool profile_net_allows(const struct profile *p, uint32_t op, uint8_t proto,
			const uint8_t addr[16], uint16_t port)
{
	for (size_t i = 0; i < p->nnet; i++) {
		const struct net_rule *r = &p->net[i];

		if (r->op == op && r->proto == proto && r->port_lo <= port && port <= r->port_hi &&
		    addr_in_prefix(addr, r->addr, r->prefix))
			return true;
	}
	return false;
}

/* Kernel paths are absolute and canonical; a rule that is not can never match. */
int path_check(const char *path)
{
	size_t len = strlen(path);

	if (path[0] != '/')
		return stk_fail("path '%s' must be absolute (start with /)", path);
	if (len >= STK_PATH_MAX)
		return stk_fail("path is %zu bytes long; the kernel names at most %d", len, STK_PATH_MAX - 1);
	if (len > 1 && path[len - 1] == '/')
		return stk_fail("path '%s' must not end with /", path);
	if (strstr(path, "//") || strstr(path, "/./") || strstr(path, "/../") ||
	    (len >= 2 && !strcmp(path + len - 2, "/.")) || (len >= 3 && !strcmp(path + len - 3, "/..")))
		return stk_fail("path '%s' is not canonical (no //, . or .. components)", path);
	return 0;
}

/* ---- digest ------------------------------------------------------------ */

/*
 * The digest hashes a plain text form of what the profile allows, one line
 * per rule in canonical order, with every path length-prefixed so that no
 * path can forge a line break. docs/profile.md gives the form.
 */
static void digest_line(struct sha256 *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void digest_line(struct sha256 *c, const char *fmt, ...)
{
	char line[STK_PATH_MAX + 128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	sha256_update(c, line, n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1);
	sha256_update(c, "\n", 1);
}

static const char *const kind_names[] = { [RULE_FILE] = "file", [RULE_EXEC] = "exec", [RULE_UNIX] = "unix" };

static void digest_grant(enum grant_kind kind, const char *name, void *ctx)
{
	digest_line(ctx, "%s %s", kind == GRANT_CAPABILITY ? "capability" : "socket", name);
}

void profile_digest(const struct profile *p, char out[PROFILE_DIGEST_LEN])
{
	uint8_t sum[32];
	char hex[65], acc[64], addr[64];
	struct sha256 c;

	sha256_init(&c);
	digest_line(&c, "stockade profile %d", PROFILE_VERSION);
	digest_line(&c, "subject %s %zu:%s", subject_kind_name(p->subject_kind), strlen(p->subject), p->subject);
	digest_line(&c, "mode %s", p->complain ? "complain" : "enforce");
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct file_rule *r = &p->files[i];

		digest_line(&c, "%s %s%s %zu:%s %s", kind_names[r->kind], r->deny ? "deny " : "",
			    rule_match_name(file_rule_match(r)), strlen(r->path), r->path,
			    access_format(r->access, acc, sizeof(acc)));
	}
	for (size_t i = 0; i < p->nnet; i++) {
		const struct net_rule *r = &p->net[i];

		addr_format(r->addr, r->prefix, addr, sizeof(addr));
		digest_line(&c, "net %s %s %s %u-%u", net_op_name(r->op), proto_name(r->proto), addr,
			    r->port_lo, r->port_hi);
	}
	for (uint32_t priv = 1; priv & STK_PRIV_ALL; priv <<= 1)
		if (p->privileges & priv)
			digest_line(&c, "privilege %s", privilege_name(priv));
	grants_foreach(p, digest_grant, &c);
	sha256_final(&c, sum);
	sha256_hex(sum, hex);
	snprintf(out, PROFILE_DIGEST_LEN, "sha256:%s", hex);
}

int profile_approve(struct profile *p, const char *who, int64_t at)
{
	char *by = strdup(who);

	if (!by)
		return stk_fail("out of memory");
	free(p->review.by);
	p->review.by = by;
	p->review.at = at;
	profile_digest(p, p->review.digest);
	return 0;
}

bool profile_approved(const struct profile *p)
{
	char now[PROFILE_DIGEST_LEN];

	if (!p->review.by)
		return false;
	profile_digest(p, now);
	return !strcmp(now, p->review.digest);
}

static int generator_copy(struct generator *dst, const struct generator *src)
{
	memset(dst, 0, sizeof(*dst));
	if (strdup_opt(&dst->command, src->command))
		return -1;
	if (src->nhosts && !(dst->hosts = calloc(src->nhosts, sizeof(*dst->hosts))))
		return stk_fail("out of memory");
	for (; dst->nhosts < src->nhosts; dst->nhosts++)
		if (strdup_opt(&dst->hosts[dst->nhosts], src->hosts[dst->nhosts]))
			return -1;
	dst->observations = src->observations;
	dst->first_seen = src->first_seen;
	dst->last_seen = src->last_seen;
	return 0;
}

int profile_copy(struct profile *dst, const struct profile *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->subject_kind = src->subject_kind;
	dst->complain = src->complain;
	dst->privileges = src->privileges;
	dst->capabilities = src->capabilities;
	dst->families = src->families;
	dst->netlink = src->netlink;
	dst->review.at = src->review.at;
	memcpy(dst->review.digest, src->review.digest, sizeof(dst->review.digest));
	if (strdup_opt(&dst->subject, src->subject) || strdup_opt(&dst->review.by, src->review.by) ||
	    generator_copy(&dst->generated, &src->generated))
		goto fail;
	for (size_t i = 0; i < src->nfiles; i++)
		if (profile_add_file(dst, &src->files[i]))
			goto fail;
	for (size_t i = 0; i < src->nnet; i++)
		if (profile_add_net(dst, &src->net[i]))
			goto fail;
	return 0;
fail:
	profile_free(dst);
	return -1;
}

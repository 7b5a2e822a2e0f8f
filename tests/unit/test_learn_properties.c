/*
 * The learner's three guarantees, coverage, minimality and determinism, as
 * properties checked over randomly generated recordings.
 */
#include "../../names/names.h"
#include "../../enforcer/enforcer.h"
#include "learning.h"

/* ---- properties over random recordings -------------------------------------------- */

#define RANDOM_RECORDINGS 300
#define MAX_OBS 400

struct recording {
	struct obs v[MAX_OBS];
	char names[MAX_OBS][96];
	const char *exes[MAX_OBS];
	size_t n;
	struct learn_options o;
};

static const char *const dirs[] = { "/srv", "/srv/www", "/srv/www/img", "/var/tmp/app", "/etc", "/proc/self",
				    "/proc/self/task/7", "/var/log/app", "/srv/www/a/b" };
static const char *const exes[] = { "/bin/a", "/bin/b", "/bin/c", "/bin/d", NULL };
static const uint32_t accesses[] = { R, W, STK_ACC_APPEND, R | W, STK_ACC_EXEC | R, STK_ACC_CREATE | W,
				     STK_ACC_UNLINK, STK_ACC_CONNECT, STK_ACC_LINK };

static void random_name(char *buf, size_t len, unsigned *seed)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	/* Shared libraries: a soname, its versioned files, another major. */
	static const char *const libs[] = { "libq.so.1", "libq.so.1.2", "libq.so.1.2.3", "libq.so.1.9",
					    "libq.so.2.0", "libq.so.1.2.3.x" };

	if (rand_r(seed) % 6 == 0) {
		snprintf(buf, len, "%s", libs[rand_r(seed) % 6]);
		return;
	}
	if (rand_r(seed) % 3) {
		snprintf(buf, len, "f%d", rand_r(seed) % 24);
		return;
	}
	snprintf(buf, len, "tmp.");
	for (int i = 0; i < 8; i++)
		buf[4 + i] = alnum[rand_r(seed) % (sizeof(alnum) - 1)];
	buf[12] = 0;
}

static void random_peer(char *buf, size_t len, unsigned *seed)
{
	static const char *const nets[] = { "tcp 192.0.2.%d:%d", "udp 198.51.100.%d:%d", "tcp 127.0.0.%d:%d",
					    "tcp [2001:db8::%d]:%d" };

	snprintf(buf, len, nets[rand_r(seed) % 4], 1 + rand_r(seed) % 12,
		 (int[]){ 0, 53, 443, 40000 }[rand_r(seed) % 4]);
}

static void random_recording(struct recording *rec, unsigned seed)
{
	static const char *const hosts[] = { "h1", "h2", "h3" };
	static const uint32_t ops[] = { STK_NET_CONNECT, STK_NET_BIND, STK_NET_SEND };
	char name[32];

	opts(&rec->o);
	rec->o.report = NULL;
	rec->o.siblings = 2 + rand_r(&seed) % 6;
	rec->o.random_min = 2 + rand_r(&seed) % 3;
	rec->o.net_siblings = 2 + rand_r(&seed) % 4;
	rec->o.content_names = 2 + rand_r(&seed) % 8;
	rec->o.content_folders = 2 + rand_r(&seed) % 2;
	rec->o.numbered = 2 + rand_r(&seed) % 3;
	rec->o.min_hosts = rand_r(&seed) % 4 ? 1 : 2;
	rec->n = 1 + (size_t)rand_r(&seed) % MAX_OBS;
	for (size_t i = 0; i < rec->n; i++) {
		struct obs *ob = &rec->v[i];

		ob->host = hosts[rand_r(&seed) % 3];
		ob->t = rand_r(&seed) % 1000;
		rec->exes[i] = exes[rand_r(&seed) % 5];
		ob->object = rec->names[i];
		if (rand_r(&seed) % 5 == 0) {
			ob->kind = "net";
			ob->access = ops[rand_r(&seed) % 3];
			random_peer(rec->names[i], sizeof(rec->names[i]), &seed);
			continue;
		}
		ob->kind = "file";
		ob->access = accesses[rand_r(&seed) % (sizeof(accesses) / sizeof(accesses[0]))];
		random_name(name, sizeof(name), &seed);
		snprintf(rec->names[i], sizeof(rec->names[i]), "%s/%s", dirs[rand_r(&seed) % (sizeof(dirs) / sizeof(dirs[0]))],
			 name);
	}
}

/* Distinct hosts an object (with these access bits of its kind) was seen on. */
static int hosts_of(const struct recording *rec, const struct obs *ob, uint32_t bits)
{
	const char *seen[3];
	int n = 0;

	for (size_t i = 0; i < rec->n; i++) {
		const struct obs *x = &rec->v[i];
		bool dup = false;

		if (strcmp(x->kind, ob->kind) || strcmp(x->object, ob->object) || !(x->access & bits))
			continue;
		for (int j = 0; j < n; j++)
			dup |= !strcmp(seen[j], x->host);
		if (!dup)
			seen[n++] = x->host;
	}
	return n;
}

static bool ephemeral_bind(const struct recording *rec, const struct obs *ob)
{
	return ob->access == STK_NET_BIND && strstr(ob->object, ":40000") && rec->o.ephemeral_lo <= 40000;
}

/* Is observation ob allowed, in each list its access bits fall in? */
static bool covered(const struct profile *p, const struct compiled *c, const struct obs *ob)
{
	uint8_t proto, addr[16];
	uint16_t port;

	if (!strcmp(ob->kind, "net")) {
		cr_assert_eq(peer_parse(ob->object, &proto, addr, &port), 0);
		if (!profile_net_allows(p, ob->access, proto, addr, port))
			return false;
		cr_assert(compiled_net_allows(c, ob->access, proto, addr, port), "map entries disagree on %s", ob->object);
		return true;
	}
	if (!profile_allows(p, ob->object, ob->access))
		return false;
	cr_assert(compiled_allows(c, ob->object, ob->access), "map entries disagree on %s", ob->object);
	return true;
}

/* Every observation seen on enough hosts is allowed, by the model and by the map entries. */
static void check_coverage(const struct recording *rec, const struct profile *p, unsigned seed)
{
	struct compiled c;

	cr_assert_eq(rules_compile(p, &c), 0, "%s", stk_error());
	for (size_t i = 0; i < rec->n; i++) {
		const struct obs *ob = &rec->v[i];
		uint32_t kinds[] = { ob->access & RULE_FILE_ACCESS, ob->access & STK_ACC_EXEC, ob->access & STK_ACC_CONNECT };

		if (!strcmp(ob->kind, "net")) {
			if (!ephemeral_bind(rec, ob) && hosts_of(rec, ob, ob->access) >= rec->o.min_hosts)
				cr_assert(covered(p, &c, ob), "seed %u: %s %s not covered", seed, ob->kind, ob->object);
			continue;
		}
		for (int k = 0; k < 3; k++) {
			struct obs part = *ob;

			part.access = kinds[k];
			if (part.access && hosts_of(rec, ob, part.access) >= rec->o.min_hosts)
				cr_assert(covered(p, &c, &part), "seed %u: %s [%x] not covered", seed, ob->object, part.access);
		}
	}
	compiled_free(&c);
}

static bool any_uncovered(const struct recording *rec, const struct profile *p)
{
	for (size_t i = 0; i < rec->n; i++) {
		const struct obs *ob = &rec->v[i];
		uint8_t proto, addr[16];
		uint16_t port;

		if (!strcmp(ob->kind, "net")) {
			peer_parse(ob->object, &proto, addr, &port);
			if (!ephemeral_bind(rec, ob) && !profile_net_allows(p, ob->access, proto, addr, port))
				return true;
		} else if (!profile_allows(p, ob->object, ob->access)) {
			return true;
		}
	}
	return false;
}

/* Without any one rule, some observation is no longer allowed. */
static void check_minimality(const struct recording *rec, struct profile *p, unsigned seed)
{
	for (size_t i = 0; i < p->nfiles; i++) {
		uint32_t access = p->files[i].access;

		p->files[i].access = 0;
		cr_assert(any_uncovered(rec, p), "seed %u: %s rule %s is redundant", seed,
			  rule_match_name(file_rule_match(&p->files[i])), p->files[i].path);
		p->files[i].access = access;
	}
	for (size_t i = 0; i < p->nnet; i++) {
		uint32_t op = p->net[i].op;

		p->net[i].op = 0;
		cr_assert(any_uncovered(rec, p), "seed %u: network rule %zu is redundant", seed, i);
		p->net[i].op = op;
	}
}

static void shuffle(struct recording *rec, unsigned seed)
{
	for (size_t i = rec->n; i > 1; i--) {
		size_t j = (size_t)rand_r(&seed) % i;
		struct obs t = rec->v[i - 1];
		const char *exe = rec->exes[i - 1];

		rec->v[i - 1] = rec->v[j];
		rec->v[j] = t;
		rec->exes[i - 1] = rec->exes[j];
		rec->exes[j] = exe;
	}
}

Test(learn_properties, coverage_minimality_determinism, .timeout = 120)
{
	static struct recording rec;
	size_t subtrees = 0, prefixes = 0, versions = 0;

	for (unsigned seed = 1; seed <= RANDOM_RECORDINGS; seed++) {
		struct profile p, q;
		char *a, *b;

		random_recording(&rec, seed);
		obs_exes = rec.exes;
		learn(&rec.o, rec.v, rec.n, &p);
		for (size_t i = 0; i < p.nfiles; i++) {
			subtrees += p.files[i].subtree;
			versions += p.files[i].versions;
		}
		for (size_t i = 0; i < p.nnet; i++)
			prefixes += p.net[i].prefix < 128;
		check_coverage(&rec, &p, seed);
		if (rec.o.min_hosts == 1)
			check_minimality(&rec, &p, seed);
		shuffle(&rec, seed * 7919);
		learn(&rec.o, rec.v, rec.n, &q);
		obs_exes = NULL;
		a = text_of(&p);
		b = text_of(&q);
		cr_assert_str_eq(a, b, "seed %u: row order changed the profile", seed);
		free(a);
		free(b);
		profile_free(&p);
		profile_free(&q);
	}
	/* The recordings must exercise generalisation, or the properties say little. */
	cr_assert_gt(subtrees, RANDOM_RECORDINGS / 2);
	cr_assert_gt(prefixes, RANDOM_RECORDINGS / 4);
	cr_assert_gt(versions, RANDOM_RECORDINGS / 4);
	cr_log_info("%zu subtree, %zu versions and %zu prefix rules learned", subtrees, versions, prefixes);
}

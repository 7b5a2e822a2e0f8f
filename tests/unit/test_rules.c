/*
 * Rule matching, through the YAML-level semantics (profile_allows) and the
 * compiled map entries the kernel looks up (compiled_allows), which must
 * agree on every case. Both walk a path's levels with path_walk_allows();
 * what differs, and what these tests compare, is what a level holds: the
 * rules as written, or the entry compiling them made.
 */
#include <stdlib.h>
#include <criterion/criterion.h>
#include <string.h>
#include "../../subject/subject.h"
#include "../../profile/profile.h"
#include "../../enforcer/enforcer.h"
#include "../../common/error.h"

static struct profile p;

static void add(const char *path, bool subtree, bool deny, uint32_t access)
{
	struct file_rule r = { .kind = rule_kind_of(access), .path = (char *)path, .subtree = subtree,
			       .deny = deny, .access = access };

	cr_assert_eq(profile_add_file(&p, &r), 0);
}

static void add_versions(const char *path, bool deny, uint32_t access)
{
	struct file_rule r = { .kind = rule_kind_of(access), .path = (char *)path, .versions = true,
			       .deny = deny, .access = access };

	cr_assert_eq(profile_add_file(&p, &r), 0);
}

/* Both evaluations, asserted equal; returns their answer. */
static bool allows(const char *path, uint32_t access)
{
	struct compiled c;
	bool yaml, kernel;

	profile_sort(&p);
	cr_assert_eq(rules_compile(&p, &c), 0);
	yaml = profile_allows(&p, path, access);
	kernel = compiled_allows(&c, path, access);
	compiled_free(&c);
	cr_assert_eq(yaml, kernel, "profile and compiled rules disagree on %s", path);
	return yaml;
}

static void reset(void)
{
	profile_free(&p);
}

TestSuite(rules, .fini = reset);

Test(rules, exact_matches_only_itself)
{
	add("/etc/foo", false, false, STK_ACC_READ);
	cr_assert(allows("/etc/foo", STK_ACC_READ));
	cr_assert_not(allows("/etc/foo/bar", STK_ACC_READ));
	cr_assert_not(allows("/etc", STK_ACC_READ));
}

Test(rules, subtree_does_not_match_sibling_prefix)
{
	add("/etc/foo", true, false, STK_ACC_READ);
	cr_assert_not(allows("/etc/foobar", STK_ACC_READ));
	cr_assert_not(allows("/etc/foobar/x", STK_ACC_READ));
	cr_assert_not(allows("/etc/fo", STK_ACC_READ));
}

Test(rules, exact_does_not_match_sibling_prefix)
{
	add("/etc/foo", false, false, STK_ACC_READ);
	cr_assert_not(allows("/etc/foobar", STK_ACC_READ));
}

Test(rules, subtree_matches_itself_and_every_descendant)
{
	add("/etc/foo", true, false, STK_ACC_READ);
	cr_assert(allows("/etc/foo", STK_ACC_READ));
	cr_assert(allows("/etc/foo/bar", STK_ACC_READ));
	cr_assert(allows("/etc/foo/bar/baz", STK_ACC_READ));
}

Test(rules, root_subtree_matches_everything_absolute)
{
	add("/", true, false, STK_ACC_READ);
	cr_assert(allows("/", STK_ACC_READ));
	cr_assert(allows("/etc/passwd", STK_ACC_READ));
	cr_assert_not(allows("pipe:[3]", STK_ACC_READ));
}

Test(rules, access_is_checked_bit_by_bit)
{
	add("/var/log/app", true, false, STK_ACC_READ | STK_ACC_APPEND);
	cr_assert(allows("/var/log/app/x", STK_ACC_APPEND));
	cr_assert(allows("/var/log/app/x", STK_ACC_READ | STK_ACC_APPEND));
	cr_assert_not(allows("/var/log/app/x", STK_ACC_WRITE));
	cr_assert_not(allows("/var/log/app/x", STK_ACC_EXEC));
}

Test(rules, deny_subtree_carves_out_of_allowed_subtree)
{
	add("/srv", true, false, STK_ACC_READ);
	add("/srv/private", true, true, STK_ACC_READ);
	add("/srv/private/ok", false, false, STK_ACC_READ);
	cr_assert(allows("/srv/a", STK_ACC_READ));
	cr_assert_not(allows("/srv/private", STK_ACC_READ));
	cr_assert_not(allows("/srv/private/x/y", STK_ACC_READ));
	cr_assert(allows("/srv/private/ok", STK_ACC_READ));
	cr_assert(allows("/srv/privateer", STK_ACC_READ));
}

Test(rules, rules_on_one_path_fold_together)
{
	add("/data", false, false, STK_ACC_READ);
	add("/data", true, false, STK_ACC_WRITE);
	cr_assert(allows("/data", STK_ACC_READ | STK_ACC_WRITE));
	cr_assert(allows("/data/x", STK_ACC_WRITE));
	cr_assert_not(allows("/data/x", STK_ACC_READ));
}

Test(rules, versions_match_the_stem_and_its_version_groups_only)
{
	add_versions("/lib/libz.so.1", false, STK_ACC_READ);
	cr_assert(allows("/lib/libz.so.1", STK_ACC_READ));
	cr_assert(allows("/lib/libz.so.1.2", STK_ACC_READ));
	cr_assert(allows("/lib/libz.so.1.2.13", STK_ACC_READ));
	cr_assert(allows("/lib/libz.so.1.2.99", STK_ACC_READ), "the next point release");
	cr_assert_not(allows("/lib/libz.so.10", STK_ACC_READ), "another major");
	cr_assert_not(allows("/lib/libz.so.2.0.0", STK_ACC_READ));
	cr_assert_not(allows("/lib/libz.so", STK_ACC_READ));
	cr_assert_not(allows("/lib/libz.so.1.", STK_ACC_READ));
	cr_assert_not(allows("/lib/libz.so.1.2a", STK_ACC_READ));
	cr_assert_not(allows("/lib/libz.so.1.2.13.bak", STK_ACC_READ));
	cr_assert_not(allows("/lib/libz.so.1.2/x", STK_ACC_READ), "a version is not a directory");
	cr_assert_not(allows("/lib/libz.so.1.2.13", STK_ACC_WRITE));
}

Test(rules, versions_rank_between_the_path_and_its_directory)
{
	add("/lib", true, false, STK_ACC_READ);
	add_versions("/lib/libz.so.1", true, STK_ACC_READ);
	add_versions("/lib/libz.so.1.2", false, STK_ACC_READ);
	add("/lib/libz.so.1.3.1", false, false, STK_ACC_READ);
	cr_assert(allows("/lib/libc.so.6", STK_ACC_READ));
	cr_assert_not(allows("/lib/libz.so.1.4", STK_ACC_READ), "the versions deny is nearer than /lib");
	cr_assert(allows("/lib/libz.so.1.2.13", STK_ACC_READ), "the longer stem is nearer");
	cr_assert(allows("/lib/libz.so.1.3.1", STK_ACC_READ), "the path itself is nearest");
	cr_assert_not(allows("/lib/libz.so.1.3.2", STK_ACC_READ));
}

Test(rules, empty_profile_allows_nothing)
{
	cr_assert_not(allows("/etc/passwd", STK_ACC_READ));
}

/* Random profiles over a small alphabet of paths, so prefixes collide often. */
/*
 * The differential test in user space: the YAML semantics (the profile
 * written out, parsed back and evaluated directly) and the compiled map
 * entries (evaluated through the kernel's decision functions) agree.
 */
Test(rules, yaml_semantics_and_compiled_rules_agree_on_random_cases)
{
	static const char *const paths[] = {
		"/", "/a", "/ab", "/a/b", "/a/bc", "/a/b/c", "/a/b/c/d", "/b", "/b/a", "/ab/b",
		"/a/l.1", "/a/l.1.2", "/a/l.1.2.3", "/a/l.12", "/a/l.1/c", "/a/l",
	};
	const int npaths = sizeof(paths) / sizeof(paths[0]);
	unsigned seed = 20261124;
	int denied = 0, allowed = 0;

	for (int round = 0; round < 6000; round++) {
		int nrules = rand_r(&seed) % 6;
		struct profile parsed;
		struct compiled c;
		char *text;
		size_t len;

		profile_free(&p);
		p.subject = strdup("a.service");
		for (int i = 0; i < nrules; i++) {
			const char *path = paths[rand_r(&seed) % npaths];
			int match = rand_r(&seed) % 3;
			bool subtree = match == 1, versions = match == 2, deny = rand_r(&seed) % 4 == 0;
			static const uint32_t lists[] = { 0, STK_ACC_EXEC, STK_ACC_CONNECT };
			uint32_t access = lists[rand_r(&seed) % 3];
			struct file_rule probe;
			bool dup = false;

			/* A file rule grants a non-empty set of file accesses. */
			while (!access)
				access = (uint32_t)rand_r(&seed) & RULE_FILE_ACCESS;
			/* Unix sockets have no versions, nor has the root. */
			if (versions && ((access & STK_ACC_CONNECT) || !strcmp(path, "/")))
				continue;
			probe = (struct file_rule){ .kind = rule_kind_of(access), .path = (char *)path,
						    .subtree = subtree, .versions = versions, .deny = deny };
			for (size_t j = 0; j < p.nfiles; j++)
				dup |= !file_rule_cmp(&p.files[j], &probe);
			if (dup) /* YAML holds one rule per path, list, match and deny */
				continue;
			if (versions)
				add_versions(path, deny, access);
			else
				add(path, subtree, deny, access);
		}
		profile_sort(&p);
		cr_assert_eq(profile_format(&p, &text, &len), 0, "%s", stk_error());
		cr_assert_eq(profile_parse("r.yaml", text, len, &parsed), 0, "%s\n%s", stk_error(), text);
		cr_assert_eq(rules_compile(&parsed, &c), 0);
		for (int q = 0; q < 8; q++) {
			const char *path = paths[rand_r(&seed) % npaths];
			uint32_t access = rand_r(&seed) % 3 ? 1u << (rand_r(&seed) % 8) : 1 + (uint32_t)rand_r(&seed) % STK_ACC_ALL;
			bool yaml = profile_allows(&parsed, path, access);

			cr_assert_eq(yaml, compiled_allows(&c, path, access), "round %d: %s\n%s", round, path, text);
			cr_assert_eq(yaml, profile_allows(&p, path, access), "round %d: the round trip changed %s", round, path);
			yaml ? allowed++ : denied++;
		}
		compiled_free(&c);
		profile_free(&parsed);
		free(text);
	}
	/* Both outcomes must be common, or the test exercises nothing. */
	cr_assert_gt(allowed, 1000);
	cr_assert_gt(denied, 1000);
}

Test(admit, only_approved_rules_are_enforced)
{
	struct profile q = { .subject_kind = SUBJECT_SERVICE, .subject = strdup("a.service") };
	struct file_rule r = { .kind = RULE_FILE, .path = (char *)"/srv/a", .access = STK_ACC_READ };

	cr_assert_eq(profile_add_file(&q, &r), 0);
	cr_assert_neq(enforce_admit(&q, "p.yaml", false), 0);
	cr_assert(strstr(stk_error(), "p.yaml is not approved: review it with `stockade review p.yaml`"), "%s", stk_error());
	cr_assert_eq(enforce_admit(&q, "p.yaml", true), 0, "complain mode denies nothing");
	cr_assert_eq(profile_approve(&q, "alice", 0), 0);
	cr_assert_eq(enforce_admit(&q, "p.yaml", false), 0, "%s", stk_error());
	q.files[0].subtree = true;
	cr_assert_neq(enforce_admit(&q, "p.yaml", false), 0, "a widened rule must be refused");
	cr_assert(strstr(stk_error(), "its rules changed since alice approved them (1970-01-01 00:00 UTC)"), "%s", stk_error());
	q.complain = true;
	cr_assert_eq(enforce_admit(&q, "p.yaml", false), 0, "a profile in complain mode denies nothing");
	profile_free(&q);
}

/* The key of entry i of a compiled profile, with its class; checked and freed by the caller. */
static struct stk_rule_key *key_of(const struct compiled *c, size_t i, uint32_t id, uint32_t *class)
{
	struct stk_rule_key *key = compiled_rule_key(&c->rules[i], id, class);

	cr_assert(key, "%s", stk_error());
	return key;
}

/* A key is the path's bytes, zero-padded to the class the walk looks it up in. */
Test(rules, keys_are_zero_padded_to_their_length_class)
{
	char at64[65], at65[66];
	struct compiled c;
	uint32_t class;

	memset(at64, 'a', 64);
	at64[0] = '/';
	at64[64] = 0;
	memset(at65, 'b', 65);
	at65[0] = '/';
	at65[65] = 0;
	add(at64, false, false, STK_ACC_READ);
	add(at65, false, false, STK_ACC_READ);
	profile_sort(&p);
	cr_assert_eq(rules_compile(&p, &c), 0);
	for (size_t i = 0; i < c.n; i++) {
		struct stk_rule_key *key = key_of(&c, i, 7, &class);
		size_t len = strlen(c.rules[i].path);

		cr_assert_eq(class, len == 64 ? 64u : 256u, "%zu bytes in class %u", len, class);
		cr_assert_eq(key->profile, 7u);
		cr_assert_eq(memcmp(key->path, c.rules[i].path, len), 0);
		for (size_t j = len; j < class; j++)
			cr_assert_eq(key->path[j], 0, "byte %zu of a %zu-byte path's key", j, len);
		free(key);
	}
	compiled_free(&c);
}

Test(rules, a_versions_entry_is_keyed_under_the_versions_bit)
{
	struct stk_rule_key *key;
	struct compiled c;
	uint32_t class;

	add_versions("/l/libz.so.1", false, STK_ACC_READ);
	profile_sort(&p);
	cr_assert_eq(rules_compile(&p, &c), 0);
	cr_assert_eq(c.n, 2); /* the path's own entry, then its stem's */
	key = key_of(&c, 0, 7, &class);
	cr_assert_eq(key->profile, 7u);
	free(key);
	key = key_of(&c, 1, 7, &class);
	cr_assert_eq(key->profile, 7u | STK_PROFILE_VERSIONS);
	free(key);
	compiled_free(&c);
}

/*
 * stk-diff-gen: random approved profiles and the accesses to try under each,
 * for the kernel differential test (tests/e2e/differential.sh). Each profile
 * is written as YAML and parsed back; the expected answer for each access is
 * the parsed profile's (the YAML semantics), and the compiled map entries
 * must give the same answer before anything reaches the kernel.
 *
 *   stk-diff-gen CGROUP OUTDIR PROFILES CASES SEED
 *
 * writes OUTDIR/p-K.yaml and OUTDIR/c-K.txt ("OP PATH ALLOWED" lines, OP one
 * of r, w, a, rw; "cap N - ALLOWED" for capability N; "sock FAMILY.PROTOCOL -
 * ALLOWED" for a socket) for K = 0 .. PROFILES-1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../subject/subject.h"
#include "../../profile/profile.h"
#include "../../enforcer/enforcer.h"
#include "../../bpf/decide.h"
#include "../../common/error.h"

static const char *const dirs[] = { "/srv/diff", "/srv/diff/a", "/srv/diff/a/b", "/srv/diff/ab" };
static const char *const files[] = { "/srv/diff/f", "/srv/diff/af", "/srv/diff/a/f", "/srv/diff/a/fg",
				     "/srv/diff/a/b/f", "/srv/diff/ab/f",
				     /* a library's versions (versions rules) */
				     "/srv/diff/l.so.1", "/srv/diff/l.so.1.2", "/srv/diff/l.so.1.2.3", "/srv/diff/l.so.10" };
/* Capabilities stk-diff-run can use so that only the capability decides. */
static const int caps[] = { 0 /* chown */, 21 /* sys_admin */, 23 /* sys_nice */, 24 /* sys_resource */ };
/* Sockets whose creation needs no capability: family, protocol. */
static const int socks[][2] = { { 16, 0 }, { 16, 9 }, { 16, 15 }, { 16, 16 }, { 40, 0 }, { 38, 0 }, { 30, 0 },
				{ 2, 0 }, { 1, 0 } };
#define NCAPS (sizeof(caps) / sizeof(caps[0]))
#define NSOCKS (sizeof(socks) / sizeof(socks[0]))
#define NDIRS (sizeof(dirs) / sizeof(dirs[0]))
#define NFILES (sizeof(files) / sizeof(files[0]))

static const struct {
	const char *name;
	uint32_t access;
} ops[] = {
	{ "r", STK_ACC_READ }, { "w", STK_ACC_WRITE }, { "a", STK_ACC_APPEND }, { "rw", STK_ACC_READ | STK_ACC_WRITE },
};

/* What a confined shell and stk-diff-run need, outside /srv/diff. */
static int base_rules(struct profile *p, int k)
{
	static const char *const run[] = { "/bin", "/usr/local/bin", "/lib", "/lib64", "/tests/diff" };
	char own[64];
	int err = 0;

	for (size_t i = 0; !err && i < 5; i++) {
		struct file_rule r = { .kind = RULE_FILE, .path = (char *)run[i], .subtree = true, .access = STK_ACC_READ };
		struct file_rule x = { .kind = RULE_EXEC, .path = (char *)run[i], .subtree = true, .access = STK_ACC_EXEC };

		err = profile_add_file(p, &r) || (i < 4 && profile_add_file(p, &x));
	}
	/* A rule of its own makes every profile's digest differ from the last. */
	snprintf(own, sizeof(own), "/tests/diff/own-%d", k);
	struct file_rule mine = { .kind = RULE_FILE, .path = own, .access = STK_ACC_READ };

	return err || profile_add_file(p, &mine) ? -1 : 0;
}

static int random_profile(const char *cgroup, int k, unsigned *seed, struct profile *p)
{
	int n = 1 + rand_r(seed) % 6;

	memset(p, 0, sizeof(*p));
	p->subject_kind = SUBJECT_CGROUP;
	if (!(p->subject = strdup(cgroup)) || base_rules(p, k))
		return -1;
	for (int i = 0; i < n; i++) {
		bool on_dir = rand_r(seed) % 2;
		int match = rand_r(seed) % 4; /* on a file: subtree, versions, or exact twice as often */
		struct file_rule r = {
			.kind = RULE_FILE,
			.path = (char *)(on_dir ? dirs[rand_r(seed) % NDIRS] : files[rand_r(seed) % NFILES]),
			.subtree = on_dir ? match != 0 : match == 0,
			.versions = !on_dir && match == 1,
			.deny = rand_r(seed) % 4 == 0,
			.access = 1 + (uint32_t)rand_r(seed) % 7, /* a non-empty set of read, write, append */
		};

		for (size_t j = 0; j < p->nfiles; j++)
			if (!file_rule_cmp(&p->files[j], &r))
				goto next; /* one rule per path, kind and deny */
		if (profile_add_file(p, &r))
			return -1;
next:;
	}
	for (size_t i = 0; i < NCAPS; i++)
		if (rand_r(seed) % 2)
			p->capabilities |= 1ULL << caps[i];
	for (size_t i = 0; i < NSOCKS; i++)
		if (rand_r(seed) % 2 && socks[i][0] == 16)
			p->netlink |= 1U << socks[i][1];
		else if (rand_r(seed) % 3 == 0 && socks[i][0] > 16)
			p->families |= 1ULL << socks[i][0];
	profile_sort(p);
	return profile_approve(p, "differential", 0);
}

/* Every capability and socket the run can try, each once. */
static int write_grant_cases(FILE *f, const struct profile *parsed, const struct compiled *c)
{
	for (size_t i = 0; i < NCAPS; i++) {
		bool yaml = profile_cap_allows(parsed, caps[i]);

		if (yaml != (stk_cap_allowed(c->grants.capabilities, caps[i]) != 0))
			return stk_fail("capability %d: the YAML semantics and the subject entry disagree", caps[i]);
		fprintf(f, "cap %d %d\n", caps[i], yaml);
	}
	for (size_t i = 0; i < NSOCKS; i++) {
		bool yaml = profile_socket_allows(parsed, socks[i][0], socks[i][1]);

		if (yaml != (stk_family_allowed(&c->grants, socks[i][0], socks[i][1]) != 0))
			return stk_fail("socket %d.%d: the YAML semantics and the subject entry disagree",
					socks[i][0], socks[i][1]);
		fprintf(f, "sock %d.%d %d\n", socks[i][0], socks[i][1], yaml);
	}
	return 0;
}

static int write_cases(const char *file, const struct profile *parsed, unsigned *seed, int ncases, long *yes, long *no)
{
	struct compiled c;
	FILE *f = fopen(file, "w");

	if (!f || rules_compile(parsed, &c))
		return stk_fail("%s: cannot write cases", file);
	for (int i = 0; i < ncases; i++) {
		const char *path = files[rand_r(seed) % NFILES];
		int op = rand_r(seed) % 4;
		bool yaml = profile_allows(parsed, path, ops[op].access);

		if (yaml != compiled_allows(&c, path, ops[op].access)) {
			compiled_free(&c);
			fclose(f);
			return stk_fail("%s %s: the YAML semantics and the map entries disagree", ops[op].name, path);
		}
		fprintf(f, "%s %s %d\n", ops[op].name, path, yaml);
		yaml ? (*yes)++ : (*no)++;
	}
	if (write_grant_cases(f, parsed, &c)) {
		compiled_free(&c);
		fclose(f);
		return -1;
	}
	compiled_free(&c);
	return fclose(f) ? stk_fail("%s: cannot write cases", file) : 0;
}

int main(int argc, char **argv)
{
	long yes = 0, no = 0;
	unsigned seed;
	int nprofiles, ncases;

	if (argc != 6) {
		fprintf(stderr, "usage: stk-diff-gen CGROUP OUTDIR PROFILES CASES SEED\n");
		return 2;
	}
	nprofiles = atoi(argv[3]);
	ncases = atoi(argv[4]);
	seed = (unsigned)atoi(argv[5]);
	for (int k = 0; k < nprofiles; k++) {
		struct profile p, parsed;
		char yaml[4096], cases[4096];

		snprintf(yaml, sizeof(yaml), "%s/p-%d.yaml", argv[2], k);
		snprintf(cases, sizeof(cases), "%s/c-%d.txt", argv[2], k);
		if (random_profile(argv[1], k, &seed, &p) || profile_save(&p, yaml) || profile_load(yaml, &parsed) ||
		    write_cases(cases, &parsed, &seed, ncases, &yes, &no)) {
			fprintf(stderr, "stk-diff-gen: %s\n", stk_error());
			return 1;
		}
		profile_free(&p);
		profile_free(&parsed);
	}
	printf("stk-diff-gen: %d profiles, %ld cases: %ld allowed, %ld denied\n", nprofiles, yes + no, yes, no);
	return yes && no ? 0 : 1;
}

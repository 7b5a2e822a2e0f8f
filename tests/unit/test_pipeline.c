/*
 * The enforcement pipeline both `stockade enforce FILE...` and the daemon
 * run, up to the kernel: admission, and stockade's self-protection added to
 * every profile, refused where a profile grants changing stockade's own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include "../../profile/profile.h"
#include "../../enforcer/enforcer.h"
#include "../../common/error.h"

static char dir[] = "/tmp/stockade-pipeline-XXXXXX";
static char file[64], own_dir[64];
static struct protection own;
static struct enforcement e;

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/p.yaml", dir);
	snprintf(own_dir, sizeof(own_dir), "%s/own", dir);
	memset(&own, 0, sizeof(own));
	cr_assert_eq(protection_add(&own, own_dir, ""), 0, "%s", stk_error());
}

static void teardown(void)
{
	enforcement_free(&e);
	unlink(file);
	rmdir(dir);
}

TestSuite(pipeline, .init = setup, .fini = teardown);

/* A profile for user root that writes path (subtree or not), saved as file. */
static void save(const char *path, bool subtree, bool approved)
{
	struct file_rule r = { .kind = RULE_FILE, .path = (char *)path, .subtree = subtree,
			       .access = STK_ACC_READ | STK_ACC_WRITE };
	struct profile p = { .subject_kind = SUBJECT_USER };

	cr_assert_not_null(p.subject = strdup("root"));
	cr_assert_eq(profile_add_file(&p, &r), 0);
	if (approved)
		cr_assert_eq(profile_approve(&p, "test", 1700000000), 0);
	cr_assert_eq(profile_save(&p, file), 0, "%s", stk_error());
	profile_free(&p);
}

Test(pipeline, adds_deny_rules_on_stockade_own_files)
{
	char inside[128], digest[PROFILE_DIGEST_LEN];
	struct profile approved;

	save("/", true, true);
	cr_assert_eq(enforcement_prepare(&e, file, false, &own, NULL), 0, "%s", stk_error());
	cr_assert_eq(e.mode, STK_MODE_ENFORCE);
	cr_assert_eq(e.nrules, 1);
	cr_assert_eq(e.nprotection, 1);
	snprintf(inside, sizeof(inside), "%s/x", own_dir);
	cr_assert_not(profile_allows(&e.p, inside, STK_ACC_WRITE));
	cr_assert(profile_allows(&e.p, inside, STK_ACC_READ));
	cr_assert(profile_allows(&e.p, "/srv/x", STK_ACC_WRITE));
	/* The digest is of the approved rules, not of what stockade added. */
	cr_assert_eq(profile_load(file, &approved), 0, "%s", stk_error());
	profile_digest(&approved, digest);
	cr_assert_str_eq(e.digest, digest);
	profile_free(&approved);
}

Test(pipeline, refuses_a_profile_granting_changes_to_stockade_own)
{
	char inside[128];

	snprintf(inside, sizeof(inside), "%s/profiles", own_dir);
	save(inside, true, true);
	cr_assert_neq(enforcement_prepare(&e, file, false, &own, NULL), 0);
	cr_assert(strstr(stk_error(), "would let the service change"), "%s", stk_error());
	cr_assert(strstr(stk_error(), "which is stockade's own"), "%s", stk_error());
}

Test(pipeline, unapproved_profiles_only_in_complain_mode)
{
	save("/srv", true, false);
	cr_assert_neq(enforcement_prepare(&e, file, false, &own, NULL), 0);
	cr_assert(strstr(stk_error(), "is not approved"), "%s", stk_error());
	enforcement_free(&e);
	cr_assert_eq(enforcement_prepare(&e, file, true, &own, NULL), 0, "%s", stk_error());
	cr_assert_eq(e.mode, STK_MODE_COMPLAIN);
}

Test(pipeline, protects_a_bounded_number_of_files)
{
	while (own.n < PROTECTED_MAX)
		cr_assert_eq(protection_add(&own, "/x", ""), 0);
	cr_assert_neq(protection_add(&own, "/y", ""), 0);
	cr_assert(strstr(stk_error(), "at most"), "%s", stk_error());
}

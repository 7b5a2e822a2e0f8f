/*
 * check-upgrade's findings (profile/upgrade.c) over a made-up root: a
 * library upgraded the way dpkg does it, with dpkg's database beside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <fcntl.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include "../../subject/subject.h"
#include "../../profile/profile.h"
#include "../../common/error.h"

static char root[64];

static void put(const char *path, const char *text)
{
	char full[256];
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", root, path);
	f = fopen(full, "w");
	cr_assert(f, "%s", full);
	fputs(text, f);
	fclose(f);
}

static const char *path_in_root(const char *path)
{
	static char full[256];

	snprintf(full, sizeof(full), "%s%s", root, path);
	return full;
}

static void mkdirs(const char *path)
{
	char full[256];

	snprintf(full, sizeof(full), "mkdir -p %s%s", root, path);
	cr_assert_eq(system(full), 0);
}

/* Backdate a file, as if dpkg had written it at t. */
static void stamp(const char *path, time_t t)
{
	char full[256];
	struct timeval tv[2] = { { t, 0 }, { t, 0 } };

	snprintf(full, sizeof(full), "%s%s", root, path);
	cr_assert_eq(utimes(full, tv), 0);
}

static void setup(void)
{
	snprintf(root, sizeof(root), "/tmp/stk-upgrade-XXXXXX");
	cr_assert(mkdtemp(root));
	mkdirs("/usr/lib/x86_64-linux-gnu");
	mkdirs("/var/lib/dpkg/info");
	mkdirs("/etc/app");
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(upgrade, .init = setup, .fini = teardown);

struct found {
	char lines[8][1024];
	size_t n;
};

static void collect(const struct upgrade_report *r, void *ctx)
{
	struct found *f = ctx;
	char rule[256];

	cr_assert_lt(f->n, 8);
	file_rule_format(r->rule, rule, sizeof(rule));
	if (r->what == UPGRADE_MISSING)
		snprintf(f->lines[f->n++], sizeof(f->lines[0]), "missing %s", rule);
	else
		snprintf(f->lines[f->n++], sizeof(f->lines[0]), "changed %s now %s of %s", rule, r->now, r->package);
}

static void add(struct profile *p, enum rule_kind kind, const char *path, bool versions, uint32_t access)
{
	struct file_rule r = { .kind = kind, .path = (char *)path, .versions = versions, .access = access };

	cr_assert_eq(profile_add_file(p, &r), 0);
}

Test(upgrade, missing_files_break_and_upgraded_packages_are_named)
{
	struct profile p = { .subject_kind = SUBJECT_SERVICE, .subject = strdup("app.service") };
	struct dpkg_files *dpkg;
	struct found f = { .n = 0 };

	/* zlib was 1.2.13 when approved; the upgrade shipped 1.2.99 (a /lib path, as bookworm lists it). */
	put("/usr/lib/x86_64-linux-gnu/libz.so.1.2.99", "elf");
	cr_assert_eq(symlinkat("libz.so.1.2.99", AT_FDCWD, path_in_root("/usr/lib/x86_64-linux-gnu/libz.so.1")), 0);
	put("/etc/app/app.conf", "conf");
	put("/var/lib/dpkg/info/zlib1g:amd64.list", "/.\n/lib/x86_64-linux-gnu/libz.so.1.2.99\n");
	put("/var/lib/dpkg/info/app.list", "/etc/app/app.conf\n");
	stamp("/var/lib/dpkg/info/app.list", 1000);
	stamp("/var/lib/dpkg/info/zlib1g:amd64.list", 3000);
	add(&p, RULE_EXEC, "/usr/lib/x86_64-linux-gnu/libz.so.1", true, STK_ACC_EXEC);
	add(&p, RULE_EXEC, "/usr/lib/x86_64-linux-gnu/libz.so.1.2.13", false, STK_ACC_EXEC);
	add(&p, RULE_FILE, "/etc/app/app.conf", false, STK_ACC_READ);
	/* Not what a package ships: never checked. */
	add(&p, RULE_FILE, "/var/log/app.log", false, STK_ACC_APPEND | STK_ACC_CREATE);
	add(&p, RULE_FILE, "/run/app.pid", false, STK_ACC_READ);
	add(&p, RULE_FILE, "/proc/self/status", false, STK_ACC_READ);
	profile_sort(&p);
	cr_assert_eq(profile_approve(&p, "alice", 2000), 0);

	cr_assert_eq(dpkg_files_load(root, &dpkg), 0, "%s", stk_error());
	cr_assert_eq(upgrade_check(&p, root, dpkg, collect, &f), 1);
	cr_assert_eq(f.n, 2);
	cr_assert_str_eq(f.lines[0], "changed exec versions /usr/lib/x86_64-linux-gnu/libz.so.1 now "
				     "/usr/lib/x86_64-linux-gnu/libz.so.1.2.99 of zlib1g:amd64");
	cr_assert_str_eq(f.lines[1], "missing exec path /usr/lib/x86_64-linux-gnu/libz.so.1.2.13");
	dpkg_files_free(dpkg);
	profile_free(&p);
}

Test(upgrade, nothing_to_say_when_the_rules_still_hold)
{
	struct profile p = { .subject_kind = SUBJECT_SERVICE, .subject = strdup("app.service") };
	struct dpkg_files *dpkg;
	struct found f = { .n = 0 };

	put("/usr/lib/x86_64-linux-gnu/libz.so.1.2.13", "elf");
	/* A link is not a version: the kernel names the file it leads to. */
	cr_assert_eq(symlinkat("/elsewhere/libz.so.1.2.99", AT_FDCWD, path_in_root("/usr/lib/x86_64-linux-gnu/libz.so.1.2.99")), 0);
	add(&p, RULE_EXEC, "/usr/lib/x86_64-linux-gnu/libz.so.1", true, STK_ACC_EXEC);
	add(&p, RULE_FILE, "/usr/lib/x86_64-linux-gnu", false, STK_ACC_READ);
	cr_assert_eq(profile_approve(&p, "alice", 2000), 0);
	/* No dpkg database at all (not a Debian system): only existence is checked. */
	cr_assert_eq(dpkg_files_load(root, &dpkg), 0, "%s", stk_error());
	cr_assert_eq(upgrade_check(&p, root, dpkg, collect, &f), 0);
	cr_assert_eq(f.n, 0, "%s", f.lines[0]);
	dpkg_files_free(dpkg);
	profile_free(&p);
}

/*
 * A unit that is not running resolves to the cgroup systemd will make for it,
 * as systemd's own `systemctl show` tells; systemctl is faked here by a
 * script first on PATH.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include <linux/types.h>
#include "../../bpf/abi.h"
#include "../../subject/subject.h"
#include "../../common/error.h"

static char bin[] = "/tmp/stk-fake-systemctl-XXXXXX";

/* A systemctl that prints what for `show`, and records its arguments. */
static void fake_systemctl(const char *what)
{
	char path[128], cmd[512];
	FILE *f;

	cr_assert_not_null(mkdtemp(bin));
	snprintf(path, sizeof(path), "%s/systemctl", bin);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "#!/bin/sh\necho \"$@\" > %s/args\nprintf '%s'\n", bin, what);
	fclose(f);
	chmod(path, 0755);
	snprintf(cmd, sizeof(cmd), "%s:%s", bin, getenv("PATH"));
	setenv("PATH", cmd, 1);
}

static void cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", bin);
	cr_assert_eq(system(cmd), 0);
}

static void resolves_waiting(const char *unit, const char *slice, const char *cgroup)
{
	char out[256];
	struct subject s;

	snprintf(out, sizeof(out), "LoadState=loaded\\nSlice=%s\\n", slice);
	fake_systemctl(out);
	cr_assert_eq(subject_resolve(SUBJECT_SERVICE, unit, &s), 0, "%s", stk_error());
	cr_assert(s.waiting);
	cr_assert_str_eq(s.cgroup, cgroup);
	cr_assert_str_empty(s.dir);
	cr_assert_eq(s.id & (STK_SUBJECT_NAMED | STK_SUBJECT_USER), STK_SUBJECT_NAMED);
	cleanup();
}

Test(subject, stopped_service_waits_in_system_slice)
{
	resolves_waiting("stk-test-nginx", "system.slice", "/system.slice/stk-test-nginx.service");
}

Test(subject, stopped_template_instance_waits_in_nested_slice)
{
	resolves_waiting("stk-test-pg@15-main.service", "system-stk\\\\x2dtest\\\\x2dpg.slice",
			 "/system.slice/system-stk\\x2dtest\\x2dpg.slice/stk-test-pg@15-main.service");
}

Test(subject, stopped_service_in_root_slice_waits_at_top)
{
	resolves_waiting("stk-test-early.service", "-.slice", "/stk-test-early.service");
}

Test(subject, same_path_gives_same_key)
{
	struct subject a, b;

	fake_systemctl("LoadState=loaded\\nSlice=system.slice\\n");
	cr_assert_eq(subject_resolve(SUBJECT_SERVICE, "stk-test-a", &a), 0);
	cr_assert_eq(subject_resolve(SUBJECT_SERVICE, "stk-test-a.service", &b), 0);
	cr_assert_eq(a.id, b.id);
	cr_assert_eq(subject_resolve(SUBJECT_SERVICE, "stk-test-b", &b), 0);
	cr_assert_neq(a.id, b.id);
	cleanup();
}

Test(subject, unknown_unit_is_refused)
{
	struct subject s;

	fake_systemctl("LoadState=not-found\\nSlice=\\n");
	cr_assert_neq(subject_resolve(SUBJECT_SERVICE, "stk-test-ngnix", &s), 0);
	cr_assert(strstr(stk_error(), "systemd has no such unit"), "%s", stk_error());
	cleanup();
}

Test(subject, no_systemd_says_why)
{
	struct subject s;

	setenv("PATH", "/nonexistent", 1);
	cr_assert_neq(subject_resolve(SUBJECT_SERVICE, "stk-test-nginx", &s), 0);
	cr_assert(strstr(stk_error(), "not running and systemctl could not say"), "%s", stk_error());
}

Test(subject, unit_name_reaches_systemctl_as_one_argument)
{
	char path[128], args[256] = "";
	struct subject s;
	FILE *f;

	fake_systemctl("LoadState=loaded\\nSlice=system.slice\\n");
	cr_assert_eq(subject_resolve(SUBJECT_SERVICE, "a;b c.service", &s), 0, "%s", stk_error());
	snprintf(path, sizeof(path), "%s/args", bin);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(args, sizeof(args), f));
	fclose(f);
	cr_assert_str_eq(args, "show --property=LoadState,Slice -- a;b c.service\n");
	cleanup();
}

/* Every command names a subject this way (subject_label()). */
static void labelled(enum subject_kind kind, const char *name, const char *want)
{
	char got[SUBJECT_LABEL_MAX];

	subject_label(kind, name, got, sizeof(got));
	cr_assert_str_eq(got, want);
}

Test(subject, a_units_cgroup_is_named_as_the_service)
{
	labelled(SUBJECT_SERVICE, "nginx.service", "service nginx.service");
	labelled(SUBJECT_CGROUP, "/system.slice/nginx.service", "service nginx.service");
	labelled(SUBJECT_CGROUP, "/system.slice/system-postgresql.slice/postgresql@15-main.service",
		 "service postgresql@15-main.service");
	/* Not a systemd unit's place: the path it is. */
	labelled(SUBJECT_CGROUP, "/stockade-test/app.service", "cgroup /stockade-test/app.service");
	labelled(SUBJECT_CGROUP, "/nginx.service", "cgroup /nginx.service");
	labelled(SUBJECT_CGROUP, "/system.slice/nginx.service/worker", "cgroup /system.slice/nginx.service/worker");
	labelled(SUBJECT_CGROUP, "/system.slice/.service", "cgroup /system.slice/.service");
	labelled(SUBJECT_USER, "alice", "user alice");
}

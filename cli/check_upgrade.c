/* stockade check-upgrade: what a package upgrade did to approved profiles. */
#define _GNU_SOURCE /* asprintf */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "../profile/profile.h"
#include "../common/error.h"

static const char check_usage[] =
	"usage: stockade check-upgrade [--root DIR] PROFILE.yaml...\n"
	"       stockade check-upgrade [--root DIR] --dir DIR\n"
	"\n"
	"Run it on a machine (or, with --root, an image) after a package upgrade,\n"
	"before the upgrade goes to the rest of the fleet. For each profile, it\n"
	"lists the rules that read or run files which no longer exist:\n"
	"\n"
	"  nginx.yaml: missing: exec path /usr/lib/x86_64-linux-gnu/libz.so.1.2.13\n"
	"\n"
	"(the service would be refused them), and the rules whose files belong to\n"
	"a Debian package that dpkg installed after the profile was approved:\n"
	"\n"
	"  nginx.yaml: changed: exec versions /usr/lib/x86_64-linux-gnu/libz.so.1\n"
	"    now /usr/lib/x86_64-linux-gnu/libz.so.1.2.99, of zlib1g:amd64 installed 2026-12-03 08:00 UTC\n"
	"\n"
	"A `versions:` rule holds while some version of its library exists. Rules\n"
	"that write or create, and /proc, /sys, /dev, /run and /tmp, name what the\n"
	"service makes itself, not what packages ship: they are not checked.\n"
	"\n"
	"  --root DIR  check the files and dpkg database under DIR, not /\n"
	"  --dir DIR   every profile in the daemon's directory (NAME.yaml)\n"
	"\n"
	"Exits 0 if every checked rule still names a file (changed packages are\n"
	"listed, and break nothing), 1 if some rule names none, 2 if a profile\n"
	"could not be read.\n";

struct checking {
	const char *file;
	size_t changed;
};

static void when(int64_t t, char *buf, size_t len)
{
	struct tm tm;
	time_t at = (time_t)t;

	gmtime_r(&at, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm);
}

static void report(const struct upgrade_report *r, void *ctx)
{
	struct checking *c = ctx;
	char rule[STK_PATH_MAX + 96], at[32];

	file_rule_format(r->rule, rule, sizeof(rule));
	if (r->what == UPGRADE_MISSING) {
		printf("%s: missing: %s\n", c->file, rule);
		return;
	}
	c->changed++;
	when(r->installed, at, sizeof(at));
	printf("%s: changed: %s\n    now %s, of %s installed %s\n", c->file, rule, r->now, r->package, at);
}

/* One profile: how many of its rules name nothing now, or -1. */
static int check_one(const char *file, const char *root, const struct dpkg_files *dpkg)
{
	struct checking c = { .file = file };
	struct profile p;
	char approved[32];
	int missing;

	if (profile_load(file, &p))
		return -1;
	missing = upgrade_check(&p, root, dpkg, report, &c);
	if (p.review.by)
		when(p.review.at, approved, sizeof(approved));
	fprintf(stderr, "stockade: %s: %d rule%s name%s no file now; %zu name%s files of packages installed %s%s\n",
		file, missing, plural(missing), missing == 1 ? "s" : "", c.changed, c.changed == 1 ? "s" : "",
		p.review.by ? "since its approval on " : "(never approved: nothing to compare)",
		p.review.by ? approved : "");
	profile_free(&p);
	return missing;
}

/* NAME.yaml in dir, sorted, as the daemon reads them. */
static int dir_profiles(const char *dir, char ***out, size_t *n)
{
	struct dirent **names;
	int k = scandir(dir, &names, NULL, alphasort);

	if (k < 0)
		return stk_fail("cannot read %s", dir);
	*out = calloc((size_t)k + 1, sizeof(**out));
	*n = 0;
	for (int i = 0; i < k; i++) {
		size_t len = strlen(names[i]->d_name);

		if (*out && names[i]->d_name[0] != '.' && len > 5 && !strcmp(names[i]->d_name + len - 5, ".yaml") &&
		    asprintf(&(*out)[*n], "%s/%s", dir, names[i]->d_name) > 0)
			(*n)++;
		free(names[i]);
	}
	free(names);
	return *out ? 0 : stk_fail("out of memory");
}

int cmd_check_upgrade(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *root = "", *dir = NULL;
	char **files = argv, **listed = NULL;
	struct dpkg_files *dpkg = NULL;
	size_t n = 0;
	int opt, status = 0;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'r')
			root = strcmp(optarg, "/") ? optarg : "";
		else if (opt == 'd')
			dir = optarg;
		else
			return usage(check_usage, opt == 'h' ? 0 : 2);
	}
	if ((dir != NULL) == (optind < argc))
		return usage(check_usage, 2);
	if (dir && dir_profiles(dir, &listed, &n)) {
		stk_report();
		return 2;
	}
	if (!dir) {
		files = argv + optind;
		n = (size_t)(argc - optind);
	} else {
		files = listed;
	}
	if (dpkg_files_load(root, &dpkg)) {
		stk_report();
		status = 2;
	}
	for (size_t i = 0; status != 2 && i < n; i++) {
		int missing = check_one(files[i], root, dpkg);

		if (missing < 0) {
			stk_report();
			status = 2;
		} else if (missing > 0) {
			status = 1;
		}
	}
	dpkg_files_free(dpkg);
	for (size_t i = 0; listed && i < n; i++)
		free(listed[i]);
	free(listed);
	return status;
}

/* stockade status: what stockade is doing on this machine right now. */
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"
#include "../subject/subject.h"
#include "../kernel/kernel.h"
#include "../common/error.h"

static const char status_usage[] =
	"usage: stockade status\n"
	"\n"
	"For every instance of stockade's programs loaded on this machine: its\n"
	"subjects with their modes, profile ids, the profile file, rule count and\n"
	"digest the daemon applied, and what each was denied; and its counters: events\n"
	"delivered and lost, accesses denied, denials (or would-be denials) that\n"
	"could not be delivered, and accesses to paths that could not be named.\n"
	"Needs root.\n";

static const char *const modes[] = {
	[STK_MODE_OFF] = "off", [STK_MODE_RECORD] = "record",
	[STK_MODE_COMPLAIN] = "complain", [STK_MODE_ENFORCE] = "enforce",
};

static bool cgroup_exists(const char *cgroup)
{
	char root[4096], dir[8192];
	struct stat st;

	if (cgroup2_root(root, sizeof(root)))
		return true; /* no hierarchy to look in: say nothing */
	snprintf(dir, sizeof(dir), "%s%.*s", strcmp(root, "/") ? root : "", STK_CGROUP_NAME_MAX, cgroup);
	return stat(dir, &st) == 0;
}

/* A pinned cgroup subject is named by its path: its cgroup may have been made anew. */
static void describe(uint64_t id, const char *cgroup, char *buf, size_t len)
{
	char path[4096], name[STK_CGROUP_NAME_MAX + SUBJECT_LABEL_MAX];
	struct passwd *pw;

	if (id & STK_SUBJECT_USER) {
		pw = getpwuid((uid_t)id);
		if (pw)
			subject_label(SUBJECT_USER, pw->pw_name, name, sizeof(name));
		else
			snprintf(name, sizeof(name), "user %u", (unsigned)id);
		snprintf(buf, len, "%s (uid %u)", name, (unsigned)id);
	} else if (cgroup[0]) {
		snprintf(path, sizeof(path), "%.*s", STK_CGROUP_NAME_MAX, cgroup);
		subject_label(SUBJECT_CGROUP, path, name, sizeof(name));
		snprintf(buf, len, "%s%s", name, cgroup_exists(cgroup) ? "" : " (not running)");
	} else if (cgroup_path_of(id, path, sizeof(path)) == 0) {
		subject_label(SUBJECT_CGROUP, path, buf, len);
	} else {
		snprintf(buf, len, "cgroup id %llu (not found)", (unsigned long long)id);
	}
}

static int print_instance(const struct instance_status *st, void *ctx)
{
	const __u64 *n = st->counters.n;
	char who[4200];

	(void)ctx;
	printf("instance with %s programs (file_open program id %u)%s\n",
	       st->lsm ? "BPF LSM" : "fentry, record-only", st->prog_id,
	       st->pinned ? ", pinned in " STK_PIN_DIR : "");
	for (size_t i = 0; i < st->nsubjects; i++) {
		const struct stk_subject *s = &st->subjects[i].state;
		const struct stk_subject_info *info = &st->subjects[i].info;

		describe(st->subjects[i].id, st->subjects[i].cgroup, who, sizeof(who));
		printf("  %-48s %-8s profile %u\n", who, s->mode < STK_MODE_COUNT ? modes[s->mode] : "?",
		       s->profile);
		if (info->file[0])
			printf("    from %.*s, %u rule%s (and %u of stockade's self-protection), %.19s...\n",
			       STK_INFO_FILE_MAX, info->file, info->rules, plural(info->rules), info->protection,
			       info->digest);
		printf("    denied %llu, would deny %llu\n", (unsigned long long)st->subjects[i].refused.denied,
		       (unsigned long long)st->subjects[i].refused.would_deny);
	}
	if (!st->nsubjects)
		printf("  no subjects\n");
	printf("  events: %llu delivered, %llu lost; denied: %llu, %llu not delivered; unnameable paths: %llu; "
	       "opens settled by the verdict cache: %llu\n",
	       (unsigned long long)n[STK_CNT_EVENTS], (unsigned long long)n[STK_CNT_EVENTS_LOST],
	       (unsigned long long)n[STK_CNT_DENIED], (unsigned long long)n[STK_CNT_DENIALS_LOST],
	       (unsigned long long)n[STK_CNT_PATH_ERRORS], (unsigned long long)n[STK_CNT_CACHED]);
	return 0;
}

int cmd_status(int argc, char **argv)
{
	int n;

	if (argc > 1)
		return usage(status_usage, strcmp(argv[1], "--help") && strcmp(argv[1], "-h") ? 2 : 0);
	n = kernel_status(print_instance, NULL);
	if (n < 0)
		return stk_report();
	if (n == 0)
		printf("stockade: no stockade programs are loaded\n");
	return 0;
}

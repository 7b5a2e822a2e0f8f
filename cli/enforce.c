/* stockade enforce: refuse what a profile does not allow, until stopped. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"
#include "../subject/subject.h"
#include "../names/names.h"
#include "../kernel/kernel.h"
#include "../profile/profile.h"
#include "../enforcer/enforcer.h"
#include "../common/error.h"

static const char enforce_usage[] =
	"usage: stockade enforce [--complain] PROFILE.yaml...\n"
	"       stockade enforce [--complain] --dir DIR [--log FILE]\n"
	"\n"
	"Load each profile's rules and switch its subject to the profile's mode. In\n"
	"enforce mode every file or network access a profile does not allow its\n"
	"subject fails with EPERM and is printed here; in complain mode (a profile\n"
	"with 'mode: complain', or --complain) it is printed as \"would deny\".\n"
	"Only approved profiles are loaded (`stockade review` or `stockade approve`):\n"
	"a profile whose rules changed since is refused, unless in complain mode.\n"
	"All profiles are checked before any is applied; one profile per subject.\n"
	"A task belongs to its service or cgroup subject if it has one, else to\n"
	"its user's. On SIGINT or SIGTERM every subject is released and its rules\n"
	"unloaded. Needs root.\n"
	"\n"
	"With --dir, run as the production daemon: enforce every profile in DIR\n"
	"(NAME.yaml), apply added, changed and removed profiles as they appear\n"
	"(a bad version is logged and the one in force stays), and log each\n"
	"denial as a JSON line on standard output (and with --log, into that\n"
	"SQLite file). The programs stay pinned in /sys/fs/bpf/stockade: stopping\n"
	"or killing the daemon leaves the profiles in force, a restart adopts\n"
	"them, and `stockade disable` lifts them.\n"
	"\n"
	"  --complain  deny nothing: print what each profile would deny (a safe\n"
	"              first rollout of a new profile)\n"
	"  --dir DIR   the daemon's profile directory\n"
	"  --log FILE  also log denials into this SQLite database\n";

/* One profile given, and whether it is applied (under profile id). */
struct enforced {
	struct enforcement e;
	uint32_t id;
	bool applied;
};

struct enforcing {
	const struct enforced *all;
	size_t n;
};

/* Whose denial, and where to look it up: "; service nginx.service, profile nginx.yaml, `stockade status`". */
static void print_lookup(const struct enforcing *e, __u64 subject)
{
	for (size_t i = 0; i < e->n; i++) {
		if (e->all[i].e.subject.id == subject) {
			printf("; %s, profile %s, `stockade status`\n", e->all[i].e.who, e->all[i].e.file);
			return;
		}
	}
	printf("; `stockade status`\n");
}

static int print_denial(const struct stk_event *ev, void *ctx)
{
	char what[STK_PATH_MAX + 160];

	event_describe(ev, what, sizeof(what));
	printf("%s: %s by %s (pid %u, uid %u, exe %s)", verdict_name(ev->verdict), what, ev->comm, ev->pid, ev->uid,
	       ev->exe[0] ? ev->exe : "?");
	print_lookup(ctx, ev->subject);
	fflush(stdout);
	return 0;
}

static bool same_subject(const struct enforced *all, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (all[i].e.subject.id == all[j].e.subject.id)
				return stk_fail("%s and %s are both for %s: give one profile per subject",
						all[i].e.file, all[j].e.file, all[i].e.who) != 0;
	return false;
}

static int release_all(struct kernel *k, struct enforced *all, size_t n)
{
	int err = 0;

	for (size_t i = 0; i < n; i++)
		if (all[i].applied && enforce_remove(k, &all[i].e.rules, all[i].e.subject.id, all[i].id))
			err = -1;
	return err;
}

static int run(struct kernel *k, struct enforced *all, size_t n)
{
	struct enforcing ctx = { all, n };
	struct stk_counters cnt;

	for (size_t i = 0; i < n; i++) {
		struct enforcement *e = &all[i].e;
		size_t rules = e->nrules;

		if (enforcement_apply(k, e, e->file, &all[i].id))
			return -1;
		all[i].applied = true;
		printf("stockade: enforcing %s on %s (%zu rule%s)%s\n", e->file, e->who, rules, plural((long long)rules),
		       e->mode == STK_MODE_COMPLAIN ? " in complain mode: nothing is denied" : "");
	}
	printf("stockade: enforcing; stop with Ctrl-C\n");
	fflush(stdout);
	while (!cli_stop)
		if (kernel_poll(k, print_denial, &ctx, CLI_POLL_MS) < 0)
			return -1;
	if (release_all(k, all, n) || kernel_poll(k, print_denial, &ctx, 0) < 0 || kernel_counters(k, &cnt))
		return -1;
	printf("stockade: released %zu subject%s: %llu denied, "
	       "%llu denials (or would-be denials) not delivered\n", n, plural((long long)n), (unsigned long long)cnt.n[STK_CNT_DENIED],
	       (unsigned long long)cnt.n[STK_CNT_DENIALS_LOST]);
	return 0;
}

/* stockade's own files here: the pins, and the profiles in force. */
static int protect_own(struct protection *own, char **files, size_t n)
{
	if (protection_add(own, STK_PIN_DIR, ""))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (protection_add(own, files[i], ""))
			return -1;
	return 0;
}

static int enforce(char **files, size_t n, bool complain)
{
	struct enforced *all = calloc(n, sizeof(*all));
	struct protection *own = calloc(1, sizeof(*own));
	struct kernel *k = NULL;
	int err = -1;

	if (!all || !own) {
		stk_fail("out of memory");
		goto out;
	}
	/* Check every profile before anything is loaded. */
	if (protect_own(own, files, n))
		goto out;
	for (size_t i = 0; i < n; i++)
		if (enforcement_prepare(&all[i].e, files[i], complain, own, NULL))
			goto out;
	if (same_subject(all, n) || kernel_open(KERNEL_ENFORCE, &k) || enforce_protect_self(k))
		goto out;
	cli_catch_signals();
	err = run(k, all, n);
	if (err)
		release_all(k, all, n); /* a failure part-way leaves nothing applied */
out:
	kernel_close(k);
	for (size_t i = 0; all && i < n; i++)
		enforcement_free(&all[i].e);
	free(all);
	free(own);
	return err ? stk_report() : 0;
}

int cmd_enforce(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "complain", no_argument, NULL, 'c' },
		{ "dir", required_argument, NULL, 'd' },
		{ "log", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *dir = NULL, *log = NULL;
	bool complain = false;
	int o;

	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case 'c':
			complain = true;
			break;
		case 'd':
			dir = optarg;
			break;
		case 'l':
			log = optarg;
			break;
		default:
			return usage(enforce_usage, o == 'h' ? 0 : 2);
		}
	}
	if (dir) {
		if (optind != argc)
			return usage(enforce_usage, 2);
		return enforce_daemon(dir, log, complain);
	}
	if (log || optind >= argc)
		return usage(enforce_usage, 2);
	return enforce(argv + optind, (size_t)(argc - optind), complain);
}

/* stockade disable: the explicit way out of production enforcement. */
#include <getopt.h>
#include <stdio.h>
#include "cli.h"
#include "../subject/subject.h"
#include "../kernel/kernel.h"
#include "../common/error.h"

static const char disable_usage[] =
	"usage: stockade disable [--service UNIT | --cgroup PATH | --user USER]\n"
	"\n"
	"Lift what the production daemon (stockade enforce --dir) pinned: for one\n"
	"subject, release it and drop its rules; with no subject, release every\n"
	"subject and unpin the programs from /sys/fs/bpf/stockade. Stop the\n"
	"daemon first (systemctl stop stockade), or remove the subject's profile\n"
	"from its directory, or the daemon applies it again when it next changes.\n";

static int drop_one(uint64_t id, const struct stk_subject *s, const struct stk_subject_info *info, void *ctx)
{
	(void)info;
	return kernel_subject_remove(ctx, id) || kernel_profile_drop(ctx, s->profile) ? -1 : 0;
}

static int release_one(struct kernel *k, const struct subject *subject)
{
	uint64_t id = kernel_subject_key(k, subject);
	char who[SUBJECT_LABEL_MAX];

	subject_label(subject->kind, subject->name, who, sizeof(who));
	if (!kernel_subject_exists(k, id))
		return stk_fail("%s is not under production enforcement", who);
	if (kernel_subject_remove(k, id) || kernel_rules_gc(k))
		return -1;
	printf("stockade: released %s\n", who);
	return 0;
}

static int disable(const struct subject_arg *arg)
{
	struct subject subject;
	struct kernel *k;
	bool adopted;
	int err;

	if (arg->name && subject_resolve(arg->kind, arg->name, &subject))
		return -1;
	if (kernel_open_pinned(&k, false, &adopted))
		return -1;
	if (!k)
		return stk_fail("nothing is pinned in %s: no production enforcement to lift", STK_PIN_DIR);
	if (arg->name) {
		err = release_one(k, &subject);
	} else {
		err = kernel_subjects(k, drop_one, k);
		kernel_close(k);
		k = NULL;
		if (!err && !(err = kernel_unpin()))
			printf("stockade: released every subject and unpinned %s\n", STK_PIN_DIR);
	}
	kernel_close(k);
	return err ? -1 : 0;
}

int cmd_disable(int argc, char **argv)
{
	static const struct option opts[] = {
		SUBJECT_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct subject_arg subj = { 0 };
	int o;

	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (o != 's' && o != 'c' && o != 'u')
			return usage(disable_usage, o == 'h' ? 0 : 2);
		if (subject_arg_set(&subj, o, optarg))
			return stk_report();
	}
	if (optind != argc)
		return usage(disable_usage, 2);
	return disable(&subj) ? stk_report() : 0;
}

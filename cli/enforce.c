/* stockade enforce: refuse what a profile does not allow, until stopped. */
#include <getopt.h>
#include <stdio.h>
#include "cli.h"
#include "../enforcer/enforcer.h"
#include "../common/error.h"

#define POLL_MS 200

static const char enforce_usage[] =
	"usage: stockade enforce PROFILE.yaml\n"
	"\n"
	"Load the profile's rules and switch its subject to enforce mode: every\n"
	"file or network access the profile does not allow fails with EPERM and\n"
	"is printed here.\n"
	"On SIGINT or SIGTERM the subject is released and the rules unloaded.\n"
	"Needs root.\n";

static const char *const verdicts[] = {
	[STK_VERDICT_SEEN] = "seen",
	[STK_VERDICT_WOULD_DENY] = "would deny",
	[STK_VERDICT_DENIED] = "denied",
};

static int print_denial(const struct stk_event *ev, void *ctx)
{
	char acc[64], peer[80];

	(void)ctx;
	if (ev->type == STK_EV_SOCKET) {
		printf("%s: socket %s by %s (pid %u, uid %u)\n", verdicts[ev->verdict],
		       socket_kind_name(ev->access), ev->comm, ev->pid, ev->uid);
	} else if (ev->type == STK_EV_NET) {
		peer_format(ev->proto, ev->addr, ev->port, peer, sizeof(peer));
		printf("%s: %s %s by %s (pid %u, uid %u)\n", verdicts[ev->verdict],
		       net_op_name(ev->access), peer, ev->comm, ev->pid, ev->uid);
	} else {
		printf("%s: %s %s by %s (pid %u, uid %u)\n", verdicts[ev->verdict],
		       access_format(ev->access, acc, sizeof(acc)), ev->path, ev->comm, ev->pid, ev->uid);
	}
	fflush(stdout);
	return 0;
}

static int enforce(const char *file)
{
	struct compiled rules = { 0 };
	struct stk_counters cnt;
	struct kernel *k = NULL;
	struct profile p;
	struct subject s;
	uint32_t id;
	int err = -1;

	if (profile_load(file, &p))
		return stk_report();
	if (subject_resolve(p.subject_kind, p.subject, &s) || rules_compile(&p, &rules) ||
	    kernel_open(KERNEL_ENFORCE, &k) || enforce_apply(k, &rules, s.cgroup_id, STK_MODE_ENFORCE, &id))
		goto out;
	cli_catch_signals();
	printf("stockade: enforcing %s on %s %s (%zu rule%s); stop with Ctrl-C\n", file,
	       subject_kind_name(s.kind), s.name, p.nfiles + p.nnet, plural((long long)(p.nfiles + p.nnet)));
	fflush(stdout);
	while (!cli_stop)
		if (kernel_poll(k, print_denial, NULL, POLL_MS) < 0)
			goto out;
	if (enforce_remove(k, &rules, s.cgroup_id, id) || kernel_poll(k, print_denial, NULL, 0) < 0 ||
	    kernel_counters(k, &cnt))
		goto out;
	printf("stockade: released %s %s: %llu denied, %llu denials not delivered\n",
	       subject_kind_name(s.kind), s.name, (unsigned long long)cnt.n[STK_CNT_DENIED],
	       (unsigned long long)cnt.n[STK_CNT_DENIALS_LOST]);
	err = 0;
out:
	kernel_close(k);
	compiled_free(&rules);
	profile_free(&p);
	return err ? stk_report() : 0;
}

int cmd_enforce(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int o;

	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		return usage(enforce_usage, o == 'h' ? 0 : 2);
	if (optind != argc - 1)
		return usage(enforce_usage, 2);
	return enforce(argv[optind]);
}

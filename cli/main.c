/* stockade: record what a service does, learn its profile, enforce it. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "../subject/subject.h"
#include "../common/error.h"

static const char main_usage[] =
	"usage: stockade [--verbose] COMMAND [ARGS]\n"
	"\n"
	"Keep a service's data on its machine: record what it does, learn the\n"
	"smallest profile that allows it, and have the kernel refuse the rest.\n"
	"\n"
	"commands:\n"
	"  record   record what a service, cgroup or user does into a database\n"
	"  learn    write the smallest profile that allows what was recorded\n"
	"  review   judge a profile rule by rule in the terminal, and approve it\n"
	"  approve  approve a profile without the review screen\n"
	"  enforce  refuse every access the profiles do not allow (--dir: the daemon)\n"
	"  disable  lift what the daemon enforces\n"
	"  status   show the subjects, modes and counters of running instances\n"
	"  doctor   check whether this kernel can run stockade\n"
	"  check-upgrade  list the approved rules a package upgrade broke or touched\n"
	"\n"
	"`stockade COMMAND --help` describes each command.\n";

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "record", cmd_record },
	{ "learn", cmd_learn },
	{ "review", cmd_review },
	{ "approve", cmd_approve },
	{ "enforce", cmd_enforce },
	{ "disable", cmd_disable },
	{ "status", cmd_status },
	{ "doctor", cmd_doctor },
	{ "check-upgrade", cmd_check_upgrade },
};

int main(int argc, char **argv)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v"))
			stk_verbose = true;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return usage(main_usage, 0);
		else {
			fprintf(stderr, "stockade: unknown option '%s'\n", argv[i]);
			return usage(main_usage, 2);
		}
	}
	if (i == argc)
		return usage(main_usage, 2);
	if (!strcmp(argv[i], "help"))
		return usage(main_usage, 0);
	for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
		if (!strcmp(argv[i], commands[c].name)) {
			optind = 1;
			return commands[c].fn(argc - i, argv + i);
		}
	fprintf(stderr, "stockade: unknown command '%s'\n", argv[i]);
	return usage(main_usage, 2);
}

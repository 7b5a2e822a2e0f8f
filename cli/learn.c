/* stockade learn: the profile that allows what a recording saw. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "../learner/learner.h"
#include "../common/error.h"

static const char learn_usage[] =
	"usage: stockade learn --db FILE (--service UNIT | --cgroup PATH | --user USER) [-o PROFILE.yaml]\n"
	"\n"
	"Write the profile that allows exactly the file accesses recorded for the\n"
	"subject: one rule per path, with its evidence (count, first and last seen).\n"
	"The same recording always gives the same bytes. Without -o, or with -o -,\n"
	"the profile goes to standard output.\n";

static int write_stdout(const struct profile *p)
{
	char *text;
	size_t len;
	int err;

	if (profile_format(p, &text, &len))
		return -1;
	err = fwrite(text, 1, len, stdout) == len ? 0 : stk_fail("cannot write to standard output");
	free(text);
	return err;
}

static int learn(const char *db_path, const struct subject_arg *arg, const char *out)
{
	char name[256];
	struct profile p;
	struct db *db;
	int err;

	if (subject_canonical(arg->kind, arg->name, name, sizeof(name)) || db_open(db_path, false, &db))
		return stk_report();
	err = profile_learn(db, arg->kind, name, &p);
	db_close(db);
	if (err)
		return stk_report();
	err = (!out || !strcmp(out, "-")) ? write_stdout(&p) : profile_save(&p, out);
	if (!err && out && strcmp(out, "-"))
		fprintf(stderr, "stockade: wrote %zu file rule%s and %zu network rule%s for %s %s to %s\n",
			p.nfiles, plural((long long)p.nfiles), p.nnet, plural((long long)p.nnet),
			subject_kind_name(arg->kind), name, out);
	profile_free(&p);
	return err ? stk_report() : 0;
}

int cmd_learn(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "service", required_argument, NULL, 's' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "user", required_argument, NULL, 'u' },
		{ "db", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct subject_arg subj = { 0 };
	const char *db = NULL, *out = NULL;
	int o;

	while ((o = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (o) {
		case 's':
		case 'c':
		case 'u':
			if (subject_arg_set(&subj, o == 's' ? SUBJECT_SERVICE : o == 'c' ? SUBJECT_CGROUP : SUBJECT_USER,
					    optarg))
				return stk_report();
			break;
		case 'd':
			db = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			return usage(learn_usage, 0);
		default:
			return usage(learn_usage, 2);
		}
	}
	if (optind != argc)
		return usage(learn_usage, 2);
	if (!db) {
		stk_fail("which recording? give --db FILE");
		return stk_report();
	}
	if (subject_arg_check(&subj))
		return stk_report();
	return learn(db, &subj, out);
}

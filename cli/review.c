/* stockade review and stockade approve: judging a profile before it ships. */
#include <getopt.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "../db/db.h"
#include "../tui/review.h"
#include "../common/error.h"

static const char review_usage[] =
	"usage: stockade review PROFILE.yaml [--db FILE] [--against APPROVED.yaml]\n"
	"\n"
	"Judge a profile rule by rule in the terminal: each rule with its evidence,\n"
	"rules new or wider than the last approved version marked (+ new, > wider),\n"
	"and keys to accept, delete, narrow, widen, deny, annotate, add and undo.\n"
	"A (approve) stamps your login name, the time and the digest of the rules,\n"
	"saves the profile, and keeps a copy as PROFILE.yaml.approved for the next\n"
	"review to compare with. ? lists the keys. Reads and writes only files.\n"
	"\n"
	"  --db FILE                the recording, to narrow a subtree to what it saw\n"
	"  --against APPROVED.yaml  compare with this version instead of\n"
	"                           PROFILE.yaml.approved\n";

static const char approve_usage[] =
	"usage: stockade approve PROFILE.yaml [--by NAME]\n"
	"\n"
	"Approve a profile without the review screen, for scripts: stamp who (your\n"
	"login name, or NAME), when and the digest of the rules, save it, and keep\n"
	"a copy as PROFILE.yaml.approved. The enforcer refuses a profile whose\n"
	"rules no longer match the digest it was approved with.\n";

int cmd_review(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "against", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *db_file = NULL, *against = NULL;
	struct db *db = NULL;
	struct review r;
	int o, status;

	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (o == 'd')
			db_file = optarg;
		else if (o == 'a')
			against = optarg;
		else
			return usage(review_usage, o == 'h' ? 0 : 2);
	}
	if (optind != argc - 1)
		return usage(review_usage, 2);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		stk_fail("review needs a terminal; `stockade approve` approves without one");
		return stk_report();
	}
	if ((db_file && db_open_read(db_file, &db)) || review_open(&r, argv[optind], against, db)) {
		db_close(db);
		return stk_report();
	}
	status = review_screen(&r);
	review_close(&r);
	db_close(db);
	return status;
}

int cmd_approve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *by = NULL;
	struct review r;
	int o, err;

	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (o != 'b')
			return usage(approve_usage, o == 'h' ? 0 : 2);
		by = optarg;
	}
	if (optind != argc - 1)
		return usage(approve_usage, 2);
	if (review_open(&r, argv[optind], NULL, NULL))
		return stk_report();
	err = review_approve(&r, by ? by : review_login(), (int64_t)time(NULL));
	if (!err)
		printf("stockade: approved %s as %s: %s\n", r.file, r.p.review.by, r.p.review.digest);
	review_close(&r);
	return err ? stk_report() : 0;
}

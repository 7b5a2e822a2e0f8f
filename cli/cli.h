/* The `stockade` command line: one function per subcommand. */
#ifndef STOCKADE_CLI_H
#define STOCKADE_CLI_H

#include <signal.h>
#include <stdbool.h>
#include "../subject/subject.h"

int cmd_record(int argc, char **argv);
int cmd_learn(int argc, char **argv);
int cmd_enforce(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_review(int argc, char **argv);
int cmd_approve(int argc, char **argv);
int cmd_disable(int argc, char **argv);
int cmd_check_upgrade(int argc, char **argv);
/* enforce --dir: the production daemon (daemon.c). */
int enforce_daemon(const char *dir, const char *log_file, bool complain);

/* How long a long-running command waits for events at a time: how soon it
 * notices a signal, and (record) how soon a quiet service is on disk. */
#define CLI_POLL_MS 200

/* Set by SIGINT and SIGTERM: long-running commands finish cleanly. */
extern volatile sig_atomic_t cli_stop;
void cli_catch_signals(void);

/* --service UNIT / --cgroup PATH / --user USER, given exactly once. */
struct subject_arg {
	enum subject_kind kind;
	const char *name;
};
/* The getopt_long() entries of those options, for a command's table. */
#define SUBJECT_OPTIONS                                   \
	{ "service", required_argument, NULL, 's' },      \
	{ "cgroup", required_argument, NULL, 'c' },       \
	{ "user", required_argument, NULL, 'u' }
/* One of them: o is 's', 'c' or 'u', as SUBJECT_OPTIONS returns it. */
int subject_arg_set(struct subject_arg *s, int o, const char *name);
int subject_arg_check(const struct subject_arg *s);

/* "s" unless n is 1: "1 rule", "2 rules". */
const char *plural(long long n);

/* Print usage to stdout (asked for) or stderr (a mistake); the exit status. */
int usage(const char *text, int status);

#endif

/* What every subcommand shares: stopping on a signal, usage, subject options, plurals. */
#include <signal.h>
#include <stdio.h>
#include "cli.h"
#include "../subject/subject.h"
#include "../common/error.h"

volatile sig_atomic_t cli_stop;

static void on_signal(int sig)
{
	(void)sig;
	cli_stop = 1;
}

void cli_catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

const char *plural(long long n)
{
	return n == 1 ? "" : "s";
}

int usage(const char *text, int status)
{
	fputs(text, status ? stderr : stdout);
	return status;
}

int subject_arg_set(struct subject_arg *s, int o, const char *name)
{
	if (s->name)
		return stk_fail("give one subject: --service UNIT, --cgroup PATH or --user USER, once");
	s->kind = o == 's' ? SUBJECT_SERVICE : o == 'c' ? SUBJECT_CGROUP : SUBJECT_USER;
	s->name = name;
	return 0;
}

int subject_arg_check(const struct subject_arg *s)
{
	return s->name ? 0 : stk_fail("which subject? give --service UNIT, --cgroup PATH or --user USER");
}

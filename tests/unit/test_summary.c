/*
 * The profile in one screen: rules sorted by what they are for, what was
 * generalised grouped by why, and the executables that did it.
 */
#include <string.h>
#include <criterion/criterion.h>
#include "../../profile/profile.h"
#include "../../common/error.h"

static const char web[] =
	"version: 1\n"
	"subject: {service: nginx.service}\n"
	"files:\n"
	"- path: /etc/nginx/nginx.conf\n  access: [read]\n"
	"  evidence: {count: 1, first_seen: '2026-11-01T00:00:00Z', last_seen: '2026-11-01T00:00:00Z', hosts: 1, exe: [/usr/sbin/nginx]}\n"
	"- path: /proc/self/status\n  access: [read]\n"
	"- subtree: /proc/self/task\n  access: [read]\n"
	"  evidence: {count: 2, first_seen: '2026-11-01T00:00:00Z', last_seen: '2026-11-01T00:00:00Z', hosts: 1, exe: [/usr/sbin/nginx], generalised: 'per-thread, thread ids change every run'}\n"
	"- path: /srv/notes.txt\n  access: [read]\n"
	"- subtree: /srv/www/a\n  access: [read]\n"
	"  evidence: {count: 9, first_seen: '2026-11-01T00:00:00Z', last_seen: '2026-11-01T00:00:00Z', hosts: 1, exe: [/usr/sbin/nginx], generalised: 'content-tree, 9 files in 3 folders'}\n"
	"- subtree: /srv/www/b\n  access: [read]\n"
	"  evidence: {count: 8, first_seen: '2026-11-01T00:00:00Z', last_seen: '2026-11-01T00:00:00Z', hosts: 1, exe: [/usr/bin/php, /usr/sbin/nginx], generalised: 'content-tree, 8 files in 4 folders'}\n"
	"- path: /opt/app/data\n  access: [read]\n"
	"- subtree: /var/log/nginx\n  access: [append, create]\n"
	"  evidence: {count: 3, first_seen: '2026-11-01T00:00:00Z', last_seen: '2026-11-01T00:00:00Z', hosts: 1, generalised: 'numbered-names, 3 names like access.log.N'}\n"
	"exec:\n"
	"- path: /usr/sbin/nginx\n"
	"network:\n"
	"- bind: 0.0.0.0\n  protocol: tcp\n  ports: 8080\n"
	"  evidence: {count: 1, first_seen: '2026-11-01T00:00:00Z', last_seen: '2026-11-01T00:00:00Z', hosts: 1, exe: [/usr/sbin/nginx]}\n"
	"- unix: /run/php.sock\n";

static char **summary(struct profile *p, size_t width, size_t *n)
{
	char **lines;

	cr_assert_eq(profile_parse("web.yaml", web, strlen(web), p), 0, "%s", stk_error());
	cr_assert_eq(profile_summary(p, width, &lines, n), 0, "%s", stk_error());
	return lines;
}

static bool has_line(char **lines, size_t n, const char *want)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(lines[i], want))
			return true;
	return false;
}

static void print(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cr_log_error("%s", lines[i]);
}

Test(summary, rules_are_sorted_by_what_they_are_for)
{
	struct profile p;
	size_t n;
	char **lines = summary(&p, 100, &n);
	const char *want[] = {
		"service nginx.service: 11 rules",
		"  configuration    1  /etc/nginx/nginx.conf",
		"  content          3  /srv/notes.txt, subtree /srv/www/a, subtree /srv/www/b",
		"  logs             1  subtree /var/log/nginx",
		"  libraries        1  exec /usr/sbin/nginx",
		"  runtime          2  /proc/self/status, subtree /proc/self/task",
		"  network          2  unix /run/php.sock, bind tcp 0.0.0.0 port 8080",
		"  other            1  /opt/app/data",
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (!has_line(lines, n, want[i]))
			print(lines, n);
		cr_assert(has_line(lines, n, want[i]), "no line '%s'", want[i]);
	}
	summary_free(lines, n);
	profile_free(&p);
}

Test(summary, generalised_rules_are_grouped_by_why)
{
	struct profile p;
	size_t n, at = 0;
	char **lines = summary(&p, 100, &n);

	while (at < n && strcmp(lines[at], "generalised (4 rules):"))
		at++;
	cr_assert_lt(at + 4, n, "no generalised heading");
	cr_assert_str_eq(lines[at + 1], "  per-thread     subtree /proc/self/task [read]: thread ids change every run");
	cr_assert_str_eq(lines[at + 2], "  content-tree   subtree /srv/www/a [read]: 9 files in 3 folders");
	cr_assert_str_eq(lines[at + 3], "  content-tree   subtree /srv/www/b [read]: 8 files in 4 folders");
	cr_assert_str_eq(lines[at + 4], "  numbered-names subtree /var/log/nginx [append,create]: 3 names like access.log.N");
	summary_free(lines, n);
	profile_free(&p);
}

Test(summary, executables_by_the_rules_they_did)
{
	struct profile p;
	size_t n;
	char **lines = summary(&p, 100, &n);

	cr_assert(has_line(lines, n, "executables: /usr/sbin/nginx (5 rules), /usr/bin/php (1 rule)"), "%s", lines[n - 1]);
	summary_free(lines, n);
	profile_free(&p);
}

Test(summary, a_narrow_screen_shortens_lists_and_never_overflows)
{
	struct profile p;
	size_t n;
	char **lines = summary(&p, 60, &n);

	cr_assert(has_line(lines, n, "  content          3  /srv/notes.txt, +2 more"), "content line");
	for (size_t i = 0; i < n; i++)
		cr_assert_leq(strlen(lines[i]), 60, "line %zu is too wide: %s", i, lines[i]);
	summary_free(lines, n);
	profile_free(&p);
}

/* Profiles as YAML: lossless canonical round trips, and errors with positions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include "../../subject/subject.h"
#include "../../profile/profile.h"
#include "../../common/error.h"

static char *format(const struct profile *p)
{
	char *text;
	size_t len;

	cr_assert_eq(profile_format(p, &text, &len), 0, "%s", stk_error());
	cr_assert_eq(strlen(text), len);
	return text;
}

static void sample(struct profile *p, bool reversed)
{
	static const char *const paths[] = {
		"/srv/with space", "/srv/quote\"s'", "/srv/colon: yes", "/srv/ünïcødé",
		"/srv/#hash", "/-leading", "/srv/[brackets]", "/srv/{braces}", "/srv/true",
	};
	const int n = sizeof(paths) / sizeof(paths[0]);
	struct evidence ev = { .count = 7, .first_seen = 1700000000, .last_seen = 1700003600, .hosts = 2 };

	memset(p, 0, sizeof(*p));
	p->subject_kind = SUBJECT_SERVICE;
	p->subject = strdup("app.service");
	for (int i = 0; i < n; i++) {
		const char *path = paths[reversed ? n - 1 - i : i];
		size_t k = strlen(path); /* attributes follow the path, not the order */

		struct file_rule r = { .path = (char *)path, .subtree = k % 2, .deny = k % 3 == 0,
				       .access = (STK_ACC_READ | (uint32_t)k % 8) & RULE_FILE_ACCESS, .evidence = ev };

		cr_assert_eq(profile_add_file(p, &r), 0);
	}
	profile_sort(p);
}

Test(yaml, round_trip_is_lossless_and_canonical)
{
	struct profile p, back;
	char *text, *again;

	sample(&p, false);
	text = format(&p);
	cr_assert_eq(profile_parse("t.yaml", text, strlen(text), &back), 0, "%s", stk_error());
	cr_assert_eq(back.nfiles, p.nfiles);
	cr_assert_str_eq(back.subject, "app.service");
	for (size_t i = 0; i < p.nfiles; i++) {
		cr_assert_str_eq(back.files[i].path, p.files[i].path);
		cr_assert_eq(back.files[i].subtree, p.files[i].subtree);
		cr_assert_eq(back.files[i].deny, p.files[i].deny);
		cr_assert_eq(back.files[i].access, p.files[i].access);
		cr_assert_eq(memcmp(&back.files[i].evidence, &p.files[i].evidence, sizeof(struct evidence)), 0);
	}
	again = format(&back);
	cr_assert_str_eq(again, text);
	free(text);
	free(again);
	profile_free(&p);
	profile_free(&back);
}

Test(yaml, rule_order_does_not_change_the_bytes)
{
	struct profile a, b;
	char *ta, *tb;

	sample(&a, false);
	sample(&b, true);
	ta = format(&a);
	tb = format(&b);
	cr_assert_str_eq(ta, tb);
	free(ta);
	free(tb);
	profile_free(&a);
	profile_free(&b);
}

/* Parsing text must fail with an error starting "bad.yaml:LINE:COL:" that contains phrase. */
static void rejects(const char *text, size_t len, const char *where, const char *phrase)
{
	struct profile p;
	char prefix[64];

	cr_assert_neq(profile_parse("bad.yaml", text, len, &p), 0, "accepted: %s", text);
	snprintf(prefix, sizeof(prefix), "bad.yaml:%s: ", where);
	cr_assert_eq(strncmp(stk_error(), prefix, strlen(prefix)), 0, "error '%s' not at %s", stk_error(), where);
	cr_assert(strstr(stk_error(), phrase), "error '%s' lacks '%s'", stk_error(), phrase);
	cr_assert_null(p.files);
	cr_assert_null(p.subject);
}

#define REJECTS(text, where, phrase) rejects(text, strlen(text), where, phrase)
#define HEAD "version: 1\nsubject: {service: a}\n"

Test(yaml, unknown_top_level_key_is_an_error)
{
	REJECTS(HEAD "modes: enforce\n", "3:1", "unknown key 'modes'");
}

Test(yaml, unknown_access_lists_the_expected_names)
{
	REJECTS(HEAD "files:\n- path: /a\n  access: [read, wirte]\n", "5:18",
		"unknown access 'wirte' (expected read, write, append, create, unlink, link)");
}

Test(yaml, missing_version_is_an_error)
{
	REJECTS("subject: {service: a}\nfiles: []\n", "1:1", "missing 'version: 1'");
}

Test(yaml, other_versions_are_refused)
{
	REJECTS("version: 2\nsubject: {service: a}\n", "1:10", "profile version 2 is not supported");
}

Test(yaml, missing_subject_is_an_error)
{
	REJECTS("version: 1\nfiles: []\n", "1:1", "missing 'subject'");
}

Test(yaml, access_must_be_a_list)
{
	REJECTS(HEAD "files:\n- path: /a\n  access: read\n", "5:11", "access must be a list, not a scalar");
}

Test(yaml, empty_access_list_is_an_error)
{
	REJECTS(HEAD "files:\n- path: /a\n  access: []\n", "5:11", "at least one");
}

Test(yaml, rule_names_one_path_or_one_subtree)
{
	REJECTS(HEAD "files:\n- path: /a\n  subtree: /b\n  access: [read]\n", "5:3",
		"a rule names one path, versions or subtree");
	REJECTS(HEAD "exec:\n- versions: /a.so.1\n  path: /a.so.1\n", "5:3", "a rule names one path, versions or subtree");
}

Test(yaml, versions_rules_round_trip_in_canonical_order)
{
	static const char text[] = HEAD "files:\n"
		"- path: /lib/libz.so.1\n  access: [read]\n"
		"- versions: /lib/libz.so.1\n  access: [read]\n"
		"- subtree: /lib/libz.so.1\n  access: [read]\n"
		"exec:\n- versions: /lib/libz.so.1\n";
	struct profile p;
	char *out;
	size_t len;

	cr_assert_eq(profile_parse("v.yaml", text, strlen(text), &p), 0, "%s", stk_error());
	cr_assert_eq(p.nfiles, 4);
	cr_assert(p.files[1].versions && !p.files[1].subtree);
	cr_assert(p.files[3].versions && p.files[3].kind == RULE_EXEC && p.files[3].access == STK_ACC_EXEC);
	cr_assert_eq(profile_format(&p, &out, &len), 0);
	cr_assert_str_eq(out, "version: 1\nsubject:\n  service: a\nmode: enforce\nfiles:\n"
		"- path: /lib/libz.so.1\n  access: [read]\n"
		"- versions: /lib/libz.so.1\n  access: [read]\n"
		"- subtree: /lib/libz.so.1\n  access: [read]\n"
		"exec:\n- versions: /lib/libz.so.1\n");
	free(out);
	profile_free(&p);
}

Test(yaml, versions_are_for_files_and_programs_only)
{
	REJECTS(HEAD "network:\n- unix: /run/a.sock.1\n  versions: /run/a.sock\n", "5:3",
		"unknown unix socket rule key 'versions'");
	REJECTS(HEAD "files:\n- versions: /\n  access: [read]\n", "4:13", "'/' has no versions");
	REJECTS(HEAD "files:\n- versions: /a.so.1\n  access: [read]\n- versions: /a.so.1\n  access: [write]\n",
		"6:3", "a second versions rule for /a.so.1");
}

Test(yaml, the_digest_tells_a_versions_rule_from_an_exact_one)
{
	static const char exact[] = HEAD "exec:\n- path: /lib/libz.so.1\n";
	static const char versions[] = HEAD "exec:\n- versions: /lib/libz.so.1\n";
	char da[PROFILE_DIGEST_LEN], db[PROFILE_DIGEST_LEN];
	struct profile a, b;

	cr_assert_eq(profile_parse("a.yaml", exact, strlen(exact), &a), 0, "%s", stk_error());
	cr_assert_eq(profile_parse("b.yaml", versions, strlen(versions), &b), 0, "%s", stk_error());
	profile_digest(&a, da);
	profile_digest(&b, db);
	cr_assert_str_neq(da, db, "approving the exact rule must not approve the wider one");
	profile_free(&a);
	profile_free(&b);
}

Test(yaml, rule_without_access_is_an_error)
{
	REJECTS(HEAD "files:\n- path: /a\n", "4:3", "has no access list");
}

Test(yaml, relative_path_is_refused)
{
	REJECTS(HEAD "files:\n- path: etc/passwd\n  access: [read]\n", "4:9", "must be absolute");
}

Test(yaml, non_canonical_paths_are_refused)
{
	REJECTS(HEAD "files:\n- path: /a//b\n  access: [read]\n", "4:9", "not canonical");
	REJECTS(HEAD "files:\n- path: /a/../b\n  access: [read]\n", "4:9", "not canonical");
	REJECTS(HEAD "files:\n- path: /a/.\n  access: [read]\n", "4:9", "not canonical");
	REJECTS(HEAD "files:\n- subtree: /a/\n  access: [read]\n", "4:12", "must not end with /");
}

Test(yaml, duplicate_key_is_an_error)
{
	REJECTS("version: 1\nversion: 1\n", "2:1", "duplicate key 'version'");
}

Test(yaml, duplicate_rule_is_an_error)
{
	REJECTS(HEAD "files:\n- path: /a\n  access: [read]\n- path: /a\n  access: [write]\n", "6:3",
		"a second exact rule for /a");
}

Test(yaml, syntax_error_names_its_line)
{
	REJECTS(HEAD "files: [\n", "4:1", "invalid YAML");
}

Test(yaml, second_document_is_an_error)
{
	REJECTS(HEAD "---\nversion: 1\n", "3:1", "one document");
}

Test(yaml, embedded_nul_is_refused)
{
	REJECTS(HEAD "files:\n- path: \"/a\\0b\"\n  access: [read]\n", "4:9", "NUL");
}

Test(yaml, bad_time_in_evidence_is_an_error)
{
	REJECTS(HEAD "files:\n- path: /a\n  access: [read]\n  evidence: {count: 1, first_seen: yesterday}\n",
		"6:36", "must be a UTC time");
}

Test(yaml, negative_count_is_an_error)
{
	REJECTS(HEAD "files:\n- path: /a\n  access: [read]\n  evidence: {count: -1}\n", "6:21", "whole number");
}

Test(yaml, overlong_path_is_refused)
{
	char *text = malloc(8192), *p = text;

	p += sprintf(p, HEAD "files:\n- path: ");
	for (int i = 0; i < 410; i++)
		p += sprintf(p, "/abcdefghi");
	sprintf(p, "\n  access: [read]\n");
	REJECTS(text, "4:9", "the kernel names at most 4095");
	free(text);
}

Test(yaml, empty_input_is_an_error)
{
	struct profile p;

	cr_assert_neq(profile_parse("bad.yaml", "", 0, &p), 0);
	cr_assert(strstr(stk_error(), "bad.yaml: empty profile"), "%s", stk_error());
}

Test(yaml, save_then_load_gives_the_same_profile)
{
	char dir[] = "/tmp/stockade-yaml-XXXXXX", file[64];
	struct profile p, back;
	char *a, *b;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/p.yaml", dir);
	sample(&p, false);
	cr_assert_eq(profile_save(&p, file), 0, "%s", stk_error());
	cr_assert_eq(profile_load(file, &back), 0, "%s", stk_error());
	a = format(&p);
	b = format(&back);
	cr_assert_str_eq(a, b);
	free(a);
	free(b);
	profile_free(&p);
	profile_free(&back);
	unlink(file);
	cr_assert_eq(rmdir(dir), 0, "profile_save left a temporary file behind");
}

Test(yaml, load_of_missing_file_names_it)
{
	struct profile p;

	cr_assert_neq(profile_load("/nonexistent/p.yaml", &p), 0);
	cr_assert(strstr(stk_error(), "/nonexistent/p.yaml: cannot open profile"), "%s", stk_error());
}

Test(yaml, unix_socket_rules_round_trip)
{
	static const char text[] = HEAD "network:\n- unix: '@app/ctl sock'\n- unix: /run/app.sock\n"
				   "- unix_subtree: /run/app\n";
	struct profile p;
	char *out;

	cr_assert_eq(profile_parse("t.yaml", text, strlen(text), &p), 0, "%s", stk_error());
	cr_assert_eq(p.nfiles, 3);
	cr_assert_str_eq(p.files[0].path, "/run/app");
	cr_assert_str_eq(p.files[2].path, "@app/ctl sock");
	cr_assert_eq(p.files[2].kind, RULE_UNIX);
	cr_assert(profile_allows(&p, "@app/ctl sock", STK_ACC_CONNECT));
	cr_assert_not(profile_allows(&p, "@app/ctl", STK_ACC_CONNECT));
	cr_assert(profile_allows(&p, "/run/app/x.sock", STK_ACC_CONNECT));
	cr_assert_not(profile_allows(&p, "/run/app/x.sock", STK_ACC_READ));
	out = format(&p);
	cr_assert(strstr(out, "network:\n- unix_subtree: /run/app\n- unix: /run/app.sock\n- unix: '@app/ctl sock'\n"), "%s", out);
	free(out);
	profile_free(&p);
}

Test(yaml, unix_names_are_checked)
{
	char text[512], name[120];

	memset(name, 'x', 108);
	name[0] = '@';
	name[109] = 0;
	memset(name + 1, 'x', 108);
	snprintf(text, sizeof(text), HEAD "network:\n- unix: '%s'\n", name);
	REJECTS(text, "4:9", "1 to 107 bytes");
	REJECTS(HEAD "network:\n- unix: '@a'\n  unix_subtree: /a\n", "5:3", "a rule names one unix or unix_subtree");
	REJECTS(HEAD "network:\n- unix_subtree: '@a'\n", "4:17", "an abstract socket is named exactly");
	REJECTS(HEAD "network:\n- unix: run/a\n", "4:9", "must be absolute");
	REJECTS(HEAD "files:\n- abstract: a\n  access: [connect]\n", "4:3", "network rules now");
}

Test(yaml, exec_and_connect_belong_to_their_own_lists)
{
	REJECTS(HEAD "files:\n- path: /bin/sh\n  access: [read, exec]\n", "5:18", "exec is granted in the exec list");
	REJECTS(HEAD "files:\n- path: /run/a\n  access: [connect]\n", "5:12", "'unix: PATH'");
	REJECTS(HEAD "exec:\n- path: /bin/sh\n  access: [exec]\n", "5:3", "unknown exec rule key 'access'");
}

Test(yaml, exec_rules_round_trip)
{
	static const char text[] = HEAD "exec:\n- subtree: /usr/bin\n  note: the base system\n- path: /opt/app/run\n  deny: true\n";
	struct profile p;
	char *out;

	cr_assert_eq(profile_parse("t.yaml", text, strlen(text), &p), 0, "%s", stk_error());
	cr_assert_eq(p.nfiles, 2);
	cr_assert_eq(p.files[0].access, STK_ACC_EXEC);
	cr_assert(profile_allows(&p, "/usr/bin/ls", STK_ACC_EXEC));
	cr_assert_not(profile_allows(&p, "/usr/bin/ls", STK_ACC_READ));
	cr_assert_not(profile_allows(&p, "/opt/app/run", STK_ACC_EXEC));
	out = format(&p);
	cr_assert(strstr(out, "exec:\n- path: /opt/app/run\n  deny: true\n- subtree: /usr/bin\n  note: the base system\n"), "%s", out);
	free(out);
	profile_free(&p);
}

Test(yaml, user_subjects_round_trip)
{
	static const char text[] = "version: 1\nsubject:\n  user: alice\nmode: enforce\nfiles: []\n";
	struct profile p;
	char *out;

	cr_assert_eq(profile_parse("t.yaml", text, strlen(text), &p), 0, "%s", stk_error());
	cr_assert_eq(p.subject_kind, SUBJECT_USER);
	out = format(&p);
	cr_assert_str_eq(out, text);
	free(out);
	profile_free(&p);
	REJECTS("version: 1\nsubject: {user: alice, service: a}\n", "2:24", "one subject");
	REJECTS("version: 1\nsubject: {group: staff}\n", "2:11", "expected service, cgroup or user");
}

Test(yaml, metadata_notes_and_samples_round_trip)
{
	static const char text[] =
		"version: 1\nsubject:\n  service: app.service\nmode: complain\n"
		"generated:\n  command: stockade learn --siblings 16\n  hosts: [stage-1, stage-2]\n"
		"  observations: 120\n  first_seen: 2026-11-01T00:00:00Z\n  last_seen: 2026-11-02T00:00:00Z\n"
		"review:\n  by: alice\n  at: 2026-11-03T10:00:00Z\n"
		"  digest: sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
		"files:\n- subtree: /srv/www\n  access: [read]\n"
		"  evidence: {count: 40, first_seen: '2026-11-01T00:00:00Z', last_seen: '2026-11-02T00:00:00Z', hosts: 2, samples: [/srv/www/a, /srv/www/b]}\n"
		"  note: 'static site: no writes'\n"
		"network:\n- connect: 192.0.2.0/24\n  protocol: tcp\n  ports: 5432\n  note: database\n";
	struct profile p;
	char *out;

	cr_assert_eq(profile_parse("t.yaml", text, strlen(text), &p), 0, "%s", stk_error());
	cr_assert(p.complain);
	cr_assert_eq(p.generated.nhosts, 2);
	cr_assert_str_eq(p.review.by, "alice");
	cr_assert_str_eq(p.files[0].evidence.samples[1], "/srv/www/b");
	cr_assert_str_eq(p.net[0].note, "database");
	out = format(&p);
	cr_assert_str_eq(out, text);
	free(out);
	profile_free(&p);
}

Test(yaml, metadata_is_checked)
{
	REJECTS(HEAD "mode: record\n", "3:7", "mode must be enforce or complain");
	REJECTS(HEAD "review: {by: alice, at: '2026-11-03T10:00:00Z', digest: md5:00}\n", "3:57", "digest must be sha256:");
	REJECTS(HEAD "review: {by: alice}\n", "3:9", "review needs by, at and digest");
	/* Found by fuzzing: a digest shorter than its prefix was read past its end. */
	REJECTS(HEAD "review: {digest: ''}\n", "3:18", "digest must be sha256:");
	REJECTS(HEAD "review: {digest: sha}\n", "3:18", "digest must be sha256:");
	REJECTS(HEAD "generated: {tool: x}\n", "3:13", "unknown generated key 'tool'");
	REJECTS(HEAD "files:\n- path: /a\n  access: [read]\n  evidence: {samples: [a, b, c, d]}\n", "6:23",
		"samples lists at most 3 entries");
	REJECTS(HEAD "files:\n- path: /a\n  access: [read]\n  note: ''\n", "6:9", "note is empty");
}

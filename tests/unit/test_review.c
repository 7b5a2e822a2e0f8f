/* The review model: actions, undo, approval and its digest, without a terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include "../../subject/subject.h"
#include "../../db/db.h"
#include "../../profile/profile.h"
#include "../../tui/review.h"
#include "../../common/error.h"

static char file[64], approved[80];
static struct review r;

static const char base[] =
	"version: 1\nsubject: {service: app.service}\n"
	"files:\n"
	"- path: /srv/www/index.html\n  access: [read]\n"
	"  evidence: {count: 3, first_seen: '2026-11-01T00:00:00Z', last_seen: '2026-11-02T00:00:00Z', hosts: 1}\n"
	"- path: /var/log/app.log\n  access: [read, append]\n"
	"- subtree: /var/tmp/app\n  access: [write, create, unlink]\n"
	"exec:\n- path: /usr/bin/app\n"
	"network:\n- connect: 192.0.2.7\n  protocol: tcp\n  ports: 5432\n- unix: /run/app.sock\n";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);

	cr_assert_not_null(f);
	fread(buf, 1, 65535, f);
	fclose(f);
	return buf;
}

static void setup(void)
{
	snprintf(file, sizeof(file), "/tmp/stockade-review-%d.yaml", (int)getpid());
	snprintf(approved, sizeof(approved), "%s.approved", file);
	unlink(approved);
	write_file(file, base);
	cr_assert_eq(review_open(&r, file, NULL, NULL), 0, "%s", stk_error());
}

static void teardown(void)
{
	review_close(&r);
	unlink(file);
	unlink(approved);
}

TestSuite(review, .init = setup, .fini = teardown);

/* The row showing the rule whose text is exactly text. */
static size_t row_of(const char *text)
{
	char buf[4200];

	for (size_t i = 0; i < r.nrows; i++) {
		review_row_text(&r, i, buf, sizeof(buf));
		if (!r.rows[i].heading && !strcmp(buf, text))
			return i;
	}
	cr_assert_fail("no row '%s'", text);
	return 0;
}

static bool has_row(const char *text)
{
	char buf[4200];

	for (size_t i = 0; i < r.nrows; i++) {
		review_row_text(&r, i, buf, sizeof(buf));
		if (!r.rows[i].heading && !strcmp(buf, text))
			return true;
	}
	return false;
}

Test(review, rules_are_grouped_under_headings_and_all_new_before_approval)
{
	cr_assert_eq(r.nrows, 3 + 6);
	cr_assert(r.rows[0].heading);
	cr_assert_eq(r.rows[0].kind, RULE_FILE);
	cr_assert(r.rows[4].heading);
	cr_assert_eq(r.rows[4].kind, RULE_EXEC);
	cr_assert(r.rows[6].heading);
	cr_assert_eq(review_change(&r, row_of("files path /srv/www/index.html [read]")), CHANGE_ADDED);
	cr_assert_eq(review_pending(&r), 6);
	cr_assert_neq(review_delete(&r, 0), 0, "a heading is not a rule");
}

Test(review, delete_then_undo_gives_back_the_same_bytes)
{
	char *before, *after;

	cr_assert_eq(review_save(&r), 0);
	before = read_file(file);
	cr_assert_eq(review_delete(&r, row_of("files path /var/log/app.log [read,append]")), 0);
	cr_assert_not(has_row("files path /var/log/app.log [read,append]"));
	cr_assert(r.dirty);
	cr_assert_eq(review_undo(&r), 0);
	cr_assert_eq(review_save(&r), 0);
	after = read_file(file);
	cr_assert_str_eq(after, before);
	cr_assert_neq(review_undo(&r), 0, "only one action was taken");
	free(before);
	free(after);
}

Test(review, narrow_drops_one_access)
{
	cr_assert_eq(review_narrow_access(&r, row_of("files path /var/log/app.log [read,append]"), "read"), 0);
	cr_assert(has_row("files path /var/log/app.log [append]"));
	cr_assert_neq(review_narrow_access(&r, row_of("files path /var/log/app.log [append]"), "append"), 0);
	cr_assert(strstr(stk_error(), "only access: delete the rule instead"), "%s", stk_error());
	cr_assert_neq(review_narrow_access(&r, row_of("exec path /usr/bin/app"), "exec"), 0);
	cr_assert_neq(review_narrow_access(&r, row_of("files path /srv/www/index.html [read]"), "wirte"), 0);
	cr_assert(strstr(stk_error(), "unknown access 'wirte'"), "%s", stk_error());
}

Test(review, widen_a_path_to_its_directory_and_a_network_to_its_prefix)
{
	cr_assert_eq(review_widen(&r, row_of("files path /srv/www/index.html [read]")), 0);
	cr_assert(has_row("files subtree /srv/www [read]"));
	cr_assert_eq(review_change(&r, row_of("files subtree /srv/www [read]")), CHANGE_ADDED);
	cr_assert_eq(review_widen(&r, row_of("files subtree /srv/www [read]")), 0);
	cr_assert(has_row("files subtree /srv [read]"));
	cr_assert_neq(review_widen(&r, row_of("files subtree /srv [read]")), 0, "/srv's parent is /");
	cr_assert(strstr(stk_error(), "whole file system"), "%s", stk_error());
	cr_assert_eq(review_widen(&r, row_of("network connect tcp 192.0.2.7 port 5432")), 0);
	cr_assert(has_row("network connect tcp 192.0.2.0/24 port 5432"));
	cr_assert_eq(review_widen(&r, row_of("network connect tcp 192.0.2.0/24 port 5432")), 0);
	cr_assert(has_row("network connect tcp 192.0.0.0/16 port 5432"));
}

Test(review, widening_into_an_existing_rule_merges_them)
{
	cr_assert_eq(review_add(&r, "files write subtree /var/tmp"), 0, "%s", stk_error());
	cr_assert_eq(review_widen(&r, row_of("files subtree /var/tmp/app [write,create,unlink]")), 0);
	cr_assert(has_row("files subtree /var/tmp [write,create,unlink]"));
	cr_assert_eq(r.p.nfiles, 5);
}

Test(review, deny_switches_and_notes_are_saved)
{
	char *text;

	cr_assert_eq(review_toggle_deny(&r, row_of("files subtree /var/tmp/app [write,create,unlink]")), 0);
	cr_assert(has_row("files subtree /var/tmp/app [write,create,unlink] deny"));
	cr_assert_eq(review_note(&r, row_of("exec path /usr/bin/app"), "the service itself"), 0);
	cr_assert_neq(review_note(&r, row_of("exec path /usr/bin/app"), "two\nlines"), 0);
	cr_assert_eq(review_save(&r), 0);
	text = read_file(file);
	cr_assert(strstr(text, "- subtree: /var/tmp/app\n  access: [write, create, unlink]\n  deny: true\n"), "%s", text);
	cr_assert(strstr(text, "exec:\n- path: /usr/bin/app\n  note: the service itself\n"), "%s", text);
	free(text);
}

Test(review, rules_added_by_hand)
{
	cr_assert_eq(review_add(&r, "files read,write path /srv/my data"), 0, "%s", stk_error());
	cr_assert(has_row("files path /srv/my data [read,write]"));
	cr_assert_eq(review_add(&r, "exec subtree /usr/lib"), 0, "%s", stk_error());
	cr_assert_eq(review_add(&r, "unix path @ctl"), 0, "%s", stk_error());
	cr_assert(has_row("unix path @ctl"));
	cr_assert_eq(review_add(&r, "send udp 198.51.100.0/24 53"), 0, "%s", stk_error());
	cr_assert(has_row("network send udp 198.51.100.0/24 port 53"));
	cr_assert_eq(review_add(&r, "bind tcp 0.0.0.0"), 0, "%s", stk_error());
	cr_assert(has_row("network bind tcp 0.0.0.0 any port"));
	cr_assert_neq(review_add(&r, "files read path relative/x"), 0);
	cr_assert(strstr(stk_error(), "must be absolute"), "%s", stk_error());
	cr_assert_neq(review_add(&r, "exec path /usr/bin/app"), 0);
	cr_assert(strstr(stk_error(), "already has that rule"), "%s", stk_error());
	cr_assert_neq(review_add(&r, "files exec path /x"), 0);
	cr_assert_neq(review_add(&r, "connect tcp 300.0.0.1 80"), 0);
	cr_assert_neq(review_add(&r, "open /etc/passwd"), 0);
	cr_assert_eq(review_pending(&r), 6, "rules written by hand are accepted");
}

Test(review, approval_stamps_the_digest_and_later_changes_stand_out)
{
	struct profile p;

	cr_assert_eq(review_approve(&r, "alice", 1764000000), 0, "%s", stk_error());
	cr_assert_eq(access(approved, F_OK), 0, "the approved copy is kept");
	cr_assert_eq(review_pending(&r), 0);
	cr_assert_not(r.dirty);
	cr_assert_eq(profile_load(file, &p), 0);
	cr_assert_str_eq(p.review.by, "alice");
	cr_assert_eq(p.review.at, 1764000000);
	cr_assert(profile_approved(&p));
	profile_free(&p);

	/* A later review compares with the approved copy. */
	review_close(&r);
	cr_assert_eq(review_open(&r, file, NULL, NULL), 0);
	cr_assert_eq(review_change(&r, row_of("files path /srv/www/index.html [read]")), CHANGE_NONE);
	cr_assert_eq(review_widen(&r, row_of("files path /srv/www/index.html [read]")), 0);
	cr_assert_eq(review_change(&r, row_of("files subtree /srv/www [read]")), CHANGE_WIDENED);
	cr_assert_eq(review_add(&r, "files read path /etc/hosts"), 0);
	cr_assert_eq(review_change(&r, row_of("files path /etc/hosts [read]")), CHANGE_ADDED);
	cr_assert_eq(review_pending(&r), 0, "rules the reviewer widened or wrote are accepted");
	cr_assert_eq(review_save(&r), 0);
	cr_assert_eq(profile_load(file, &p), 0);
	cr_assert_not(profile_approved(&p), "the rules no longer match the approved digest");
	profile_free(&p);
}

Test(review, accept_marks_a_rule_judged)
{
	size_t row = row_of("exec path /usr/bin/app");

	cr_assert_eq(review_accept(&r, row), 0);
	cr_assert_eq(review_pending(&r), 5);
	cr_assert_eq(review_accept(&r, row), 0);
	cr_assert_eq(review_pending(&r), 6);
}

Test(review, filter_shows_matching_rules_under_their_headings)
{
	cr_assert_eq(review_set_filter(&r, "/var/"), 0);
	cr_assert_eq(r.nrows, 3 + 2);
	cr_assert_eq(review_set_filter(&r, ""), 0);
	cr_assert_eq(r.nrows, 3 + 6);
}

Test(review, narrow_a_subtree_to_what_the_recording_saw)
{
	char dbfile[80];
	struct subject s = { .kind = SUBJECT_SERVICE, .name = "app.service" };
	struct db *db;
	int64_t id;

	snprintf(dbfile, sizeof(dbfile), "/tmp/stockade-review-%d.db", (int)getpid());
	unlink(dbfile);
	cr_assert_eq(db_open(dbfile, true, &db), 0);
	cr_assert_eq(db_subject_id(db, &s, &id), 0);
	cr_assert_eq(db_observe(db, id, "file", "/var/tmp/app/a", STK_ACC_WRITE | STK_ACC_CREATE, "/usr/bin/app", 0, 1), 0);
	cr_assert_eq(db_observe(db, id, "file", "/var/tmp/app/b", STK_ACC_READ | STK_ACC_UNLINK, "/usr/bin/app", 0, 1), 0);
	cr_assert_eq(db_observe(db, id, "file", "/etc/other", STK_ACC_READ, "/usr/bin/app", 0, 1), 0);
	review_close(&r);
	cr_assert_neq(review_open(&r, file, NULL, NULL) || review_narrow_children(&r, row_of("files subtree /var/tmp/app [write,create,unlink]")), 0);
	cr_assert(strstr(stk_error(), "needs the recording"), "%s", stk_error());
	review_close(&r);
	cr_assert_eq(review_open(&r, file, NULL, db), 0);
	cr_assert_eq(review_narrow_children(&r, row_of("files subtree /var/tmp/app [write,create,unlink]")), 0, "%s", stk_error());
	cr_assert(has_row("files path /var/tmp/app/a [write,create]"));
	cr_assert(has_row("files path /var/tmp/app/b [unlink]"), "read was never granted by the subtree");
	cr_assert_not(has_row("files path /etc/other [read]"));
	cr_assert_eq(review_undo(&r), 0);
	cr_assert(has_row("files subtree /var/tmp/app [write,create,unlink]"));
	db_close(db);
	unlink(dbfile);
}

/* ---- grants: privileges, capabilities, socket families ---------------------- */

static const char granted[] = "version: 1\nsubject: {service: app.service}\nfiles: []\n"
			      "privileges: [signal, anon-exec]\ncapabilities: [chown, setuid]\nsockets: [netlink-route]\n";

static void grants_setup(void)
{
	snprintf(file, sizeof(file), "/tmp/stockade-review-g-%d.yaml", (int)getpid());
	snprintf(approved, sizeof(approved), "%s.approved", file);
	unlink(approved);
	write_file(file, granted);
	cr_assert_eq(review_open(&r, file, NULL, NULL), 0, "%s", stk_error());
}

TestSuite(review_grants, .init = grants_setup, .fini = teardown);

Test(review_grants, each_grant_is_a_row_to_judge)
{
	cr_assert(has_row("privilege signal"));
	cr_assert(has_row("privilege anon-exec"));
	cr_assert(has_row("capability chown"));
	cr_assert(has_row("capability setuid"));
	cr_assert(has_row("socket netlink-route"));
	cr_assert_eq(review_pending(&r), 5);
	cr_assert_eq(review_accept(&r, row_of("capability chown")), 0);
	cr_assert_eq(review_pending(&r), 4);
	cr_assert_neq(review_widen(&r, row_of("capability setuid")), 0, "a grant has no path to widen");
	cr_assert_neq(review_note(&r, row_of("capability setuid"), "x"), 0);
}

Test(review_grants, delete_add_and_approve_change_the_digest)
{
	char *text;

	cr_assert_eq(review_delete(&r, row_of("capability setuid")), 0);
	cr_assert_not(has_row("capability setuid"));
	cr_assert_eq(review_add(&r, "capability net_bind_service"), 0, "%s", stk_error());
	cr_assert_eq(review_add(&r, "socket vsock"), 0, "%s", stk_error());
	cr_assert_neq(review_add(&r, "capability net_bind_service"), 0, "already granted");
	cr_assert_neq(review_add(&r, "capability nope"), 0);
	cr_assert(strstr(stk_error(), "unknown capability 'nope'"), "%s", stk_error());
	cr_assert_eq(review_approve(&r, "alice", 1700000000), 0, "%s", stk_error());
	text = read_file(file);
	cr_assert(strstr(text, "capabilities: [chown, net_bind_service]\nsockets: [netlink-route, vsock]\n"), "%s", text);
	free(text);
	cr_assert_eq(review_change(&r, row_of("capability chown")), CHANGE_NONE, "approved now");
	cr_assert_eq(review_pending(&r), 0);
	cr_assert_eq(review_undo(&r), 0);
	cr_assert_eq(review_change(&r, row_of("capability chown")), CHANGE_NONE);
}

Test(review, versions_rules_are_shown_added_and_widened_to_their_directory)
{
	char *text;

	cr_assert_eq(review_add(&r, "exec versions /usr/lib/libz.so.1"), 0, "%s", stk_error());
	cr_assert(has_row("exec versions /usr/lib/libz.so.1"));
	cr_assert_eq(review_change(&r, row_of("exec versions /usr/lib/libz.so.1")), CHANGE_ADDED);
	cr_assert_neq(review_add(&r, "unix versions /run/a.sock"), 0, "unix sockets have no versions");
	cr_assert(strstr(stk_error(), "expected path or subtree"), "%s", stk_error());
	cr_assert_eq(review_save(&r), 0);
	text = read_file(file);
	cr_assert(strstr(text, "exec:\n- path: /usr/bin/app\n- versions: /usr/lib/libz.so.1\n"), "%s", text);
	free(text);
	cr_assert_eq(review_widen(&r, row_of("exec versions /usr/lib/libz.so.1")), 0);
	cr_assert(has_row("exec subtree /usr/lib"), "a widened versions rule is its directory's subtree");
}

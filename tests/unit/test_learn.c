/*
 * The learner: what each generalisation does, merging hosts, and the three
 * guarantees (coverage, minimality, determinism) as properties checked over
 * randomly generated recordings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include "../../subject/subject.h"
#include "../../names/names.h"
#include "../../db/db.h"
#include "../../profile/profile.h"
#include "../../learner/learner.h"
#include "../../enforcer/enforcer.h"
#include "../../common/error.h"

/* ---- helpers ---------------------------------------------------------------- */

struct obs {
	const char *host, *kind, *object;
	uint32_t access;
	int64_t t;
};

/* The executable of each observation learn() adds, when set (else none). */
static const char *const *obs_exes;

static char reports[64 * 1024];

static void collect_report(const char *line, void *ctx)
{
	(void)ctx;
	strncat(reports, line, sizeof(reports) - strlen(reports) - 2);
	strcat(reports, "\n");
}

static void opts(struct learn_options *o)
{
	learn_options_default(o);
	o->report = collect_report;
	reports[0] = 0;
}

static void learn(const struct learn_options *o, const struct obs *v, size_t n, struct profile *p)
{
	struct learner *l;

	cr_assert_eq(learner_new(o, SUBJECT_SERVICE, "app.service", &l), 0);
	for (size_t i = 0; i < n; i++) {
		struct observation ob = { .kind = v[i].kind, .object = v[i].object, .access = v[i].access,
					  .count = 1, .first_seen = v[i].t, .last_seen = v[i].t,
					  .exe = obs_exes ? obs_exes[i] : NULL };

		cr_assert_eq(learner_add(l, v[i].host ? v[i].host : "h1", &ob), 0, "%s", stk_error());
	}
	cr_assert_eq(learner_finish(l, p), 0, "%s", stk_error());
	learner_free(l);
}

static char *text_of(const struct profile *p)
{
	char *text;
	size_t len;

	cr_assert_eq(profile_format(p, &text, &len), 0, "%s", stk_error());
	return text;
}

static const struct file_rule *find_rule(const struct profile *p, enum rule_kind kind, const char *path, bool subtree)
{
	for (size_t i = 0; i < p->nfiles; i++)
		if (p->files[i].kind == kind && p->files[i].subtree == subtree && !strcmp(p->files[i].path, path))
			return &p->files[i];
	return NULL;
}

#define R STK_ACC_READ
#define W STK_ACC_WRITE

/* ---- exact rules -------------------------------------------------------------- */

static const struct file_rule *find_versions(const struct profile *p, enum rule_kind kind, const char *path)
{
	for (size_t i = 0; i < p->nfiles; i++)
		if (p->files[i].kind == kind && p->files[i].versions && !strcmp(p->files[i].path, path))
			return &p->files[i];
	return NULL;
}

Test(learn, a_versioned_library_is_ruled_by_its_soname_and_versions)
{
	static const struct obs v[] = {
		{ .kind = "file", .object = "/lib/x86_64-linux-gnu/libz.so.1.2.13", .access = R | STK_ACC_EXEC },
		{ .kind = "file", .object = "/lib/x86_64-linux-gnu/libpcre2-8.so.0.11.2", .access = R | STK_ACC_EXEC },
		{ .kind = "file", .object = "/lib/x86_64-linux-gnu/libc.so.6", .access = R | STK_ACC_EXEC },
		{ .kind = "file", .object = "/usr/bin/python3.11", .access = R | STK_ACC_EXEC },
		{ .kind = "file", .object = "/var/lib/app/state.so.1.2", .access = W },
	};
	struct learn_options o;
	struct profile p;
	const struct file_rule *r;

	opts(&o);
	learn(&o, v, sizeof(v) / sizeof(v[0]), &p);
	r = find_versions(&p, RULE_FILE, "/lib/x86_64-linux-gnu/libz.so.1");
	cr_assert(r && r->access == R, "%s", text_of(&p));
	cr_assert_str_eq(r->evidence.samples[0], "/lib/x86_64-linux-gnu/libz.so.1.2.13");
	cr_assert_str_eq(r->evidence.generalised, "versions, 1 file named by soname and version");
	cr_assert(find_versions(&p, RULE_EXEC, "/lib/x86_64-linux-gnu/libz.so.1"));
	cr_assert(find_versions(&p, RULE_EXEC, "/lib/x86_64-linux-gnu/libpcre2-8.so.0"));
	/* A bare soname keeps its name across upgrades; so does a program. */
	cr_assert(find_rule(&p, RULE_EXEC, "/lib/x86_64-linux-gnu/libc.so.6", false));
	cr_assert(find_rule(&p, RULE_EXEC, "/usr/bin/python3.11", false));
	/* The name decides, not the folder: a file named as a library is one. */
	cr_assert(find_versions(&p, RULE_FILE, "/var/lib/app/state.so.1"));
	cr_assert(strstr(reports, "exec versions /lib/x86_64-linux-gnu/libz.so.1 [exec] replaces 1 path: versions, "
				  "1 file named by soname and version, which an upgrade renames; e.g. "
				  "/lib/x86_64-linux-gnu/libz.so.1.2.13"), "%s", reports);
	cr_assert(profile_allows(&p, "/lib/x86_64-linux-gnu/libz.so.1.2.99", R | STK_ACC_EXEC));
	cr_assert_not(profile_allows(&p, "/lib/x86_64-linux-gnu/libz.so.2.0.1", R));
	profile_free(&p);
}

Test(learn, exact_learning_names_the_versioned_file)
{
	static const struct obs v[] = {
		{ .kind = "file", .object = "/lib/libz.so.1.2.13", .access = R },
	};
	struct learn_options o;
	struct profile p;

	opts(&o);
	o.exact = true;
	learn(&o, v, 1, &p);
	cr_assert(find_rule(&p, RULE_FILE, "/lib/libz.so.1.2.13", false));
	cr_assert_eq(p.nfiles, 1);
	profile_free(&p);
}

Test(learn, one_exact_rule_per_path_with_the_union_of_accesses)
{
	const struct obs v[] = {
		{ 0, "file", "/etc/passwd", R, 100 }, { 0, "file", "/etc/passwd", W, 300 },
		{ 0, "file", "/srv/app/journal", STK_ACC_APPEND, 200 }, { 0, "file", "pipe:[3]", R, 1 },
		{ 0, "file", "/dev/null", 0, 5 },
	};
	struct learn_options o;
	struct profile p;
	char *text;

	opts(&o);
	learn(&o, v, 5, &p);
	text = text_of(&p);
	cr_assert(strstr(text, "- path: /etc/passwd\n  access: [read, write]\n"
			       "  evidence: {count: 2, first_seen: '1970-01-01T00:01:40Z', last_seen: '1970-01-01T00:05:00Z', hosts: 1}"),
		  "%s", text);
	cr_assert(strstr(text, "- path: /srv/app/journal\n  access: [append]\n"), "%s", text);
	cr_assert_null(strstr(text, "pipe:"), "a non-path object became a rule:\n%s", text);
	cr_assert_null(strstr(text, "/dev/null"), "an access-less open became a rule:\n%s", text);
	cr_assert(strstr(reports, "no rule for file 'pipe:[3]'"), "%s", reports);
	cr_assert_eq(p.nfiles, 2);
	free(text);
	profile_free(&p);
}

Test(learn, exec_and_unix_sockets_get_lists_of_their_own)
{
	const struct obs v[] = {
		{ 0, "file", "/usr/lib/libc.so.6", R | STK_ACC_EXEC, 1 },
		{ 0, "file", "/run/app.sock", STK_ACC_CONNECT, 1 },
		{ 0, "file", "@ctl", STK_ACC_CONNECT, 1 },
	};
	struct learn_options o;
	struct profile p;
	char *text;

	opts(&o);
	learn(&o, v, 3, &p);
	cr_assert_not_null(find_rule(&p, RULE_FILE, "/usr/lib/libc.so.6", false));
	cr_assert_not_null(find_rule(&p, RULE_EXEC, "/usr/lib/libc.so.6", false));
	cr_assert_not_null(find_rule(&p, RULE_UNIX, "/run/app.sock", false));
	cr_assert_not_null(find_rule(&p, RULE_UNIX, "@ctl", false));
	text = text_of(&p);
	cr_assert(strstr(text, "exec:\n- path: /usr/lib/libc.so.6\n"), "%s", text);
	cr_assert(strstr(text, "network:\n- unix: /run/app.sock\n"), "%s", text);
	cr_assert(strstr(text, "- unix: '@ctl'\n"), "%s", text);
	free(text);
	profile_free(&p);
}

/* ---- generalisations ------------------------------------------------------------ */

Test(learn, random_names_in_one_directory_become_its_subtree_with_their_access_only)
{
	const struct obs v[] = {
		{ 0, "file", "/var/tmp/app/tmpa8Zk3q", W | STK_ACC_CREATE, 1 },
		{ 0, "file", "/var/tmp/app/tmpQ2w9Lx", W | STK_ACC_CREATE, 2 },
		{ 0, "file", "/var/tmp/app/sess_3f9a2b1c4d", STK_ACC_UNLINK, 3 },
		{ 0, "file", "/var/tmp/app/config", R, 4 },
	};
	struct learn_options o;
	const struct file_rule *r;
	struct profile p;

	opts(&o);
	learn(&o, v, 4, &p);
	r = find_rule(&p, RULE_FILE, "/var/tmp/app", true);
	cr_assert_not_null(r, "%s", reports);
	cr_assert_eq(r->access, W | STK_ACC_CREATE | STK_ACC_UNLINK);
	cr_assert_eq(r->evidence.count, 3);
	cr_assert_str_eq(r->evidence.samples[0], "/var/tmp/app/sess_3f9a2b1c4d");
	cr_assert_not_null(find_rule(&p, RULE_FILE, "/var/tmp/app/config", false), "read is not widened");
	cr_assert_eq(p.nfiles, 2);
	cr_assert(strstr(reports, "file subtree /var/tmp/app [write,create,unlink] replaces 3 paths: random-names, 3 random-looking names (--random-min 3)"),
		  "%s", reports);
	profile_free(&p);
}

Test(learn, chosen_names_are_not_random)
{
	static const char *const names[] = { "libssl3", "python3.11", "index.html", "x86_64", "README" };
	struct obs v[5];
	struct learn_options o;
	struct profile p;

	for (int i = 0; i < 5; i++) {
		char *path = malloc(64);

		snprintf(path, 64, "/srv/%s", names[i]);
		v[i] = (struct obs){ 0, "file", path, R, 1 };
	}
	opts(&o);
	o.random_min = 2;
	learn(&o, v, 5, &p);
	cr_assert_eq(p.nfiles, 5, "%s", reports);
	for (int i = 0; i < 5; i++)
		free((char *)v[i].object);
	profile_free(&p);
}

/* n files read under dir (and one written), as observations. */
static struct obs *siblings(const char *dir, int n, char (*names)[64])
{
	struct obs *v = calloc((size_t)n + 1, sizeof(*v));

	for (int i = 0; i < n; i++) {
		snprintf(names[i], 64, "%s/page%d.html", dir, i);
		v[i] = (struct obs){ 0, "file", names[i], R, i };
	}
	snprintf(names[n], 64, "%s/page0.html", dir);
	v[n] = (struct obs){ 0, "file", names[n], W, n };
	return v;
}

Test(learn, many_entries_of_a_directory_make_a_subtree_per_access)
{
	char names[17][64];
	struct obs *v = siblings("/srv/www", 16, names);
	struct learn_options o;
	const struct file_rule *r;
	struct profile p;

	opts(&o);
	learn(&o, v, 17, &p);
	r = find_rule(&p, RULE_FILE, "/srv/www", true);
	cr_assert_not_null(r, "%s", reports);
	cr_assert_eq(r->access, R, "only read was used by 16 entries");
	r = find_rule(&p, RULE_FILE, "/srv/www/page0.html", false);
	cr_assert_not_null(r);
	cr_assert_eq(r->access, W, "the subtree covers read; the exact rule keeps write only");
	cr_assert_eq(p.nfiles, 2);
	cr_assert(strstr(reports, "16 entries (--siblings 16)"), "%s", reports);
	free(v);
	profile_free(&p);
}

Test(learn, fewer_entries_than_the_threshold_stay_exact)
{
	char names[17][64];
	struct obs *v = siblings("/srv/www", 15, names);
	struct learn_options o;
	struct profile p;

	opts(&o);
	learn(&o, v, 16, &p);
	cr_assert_null(find_rule(&p, RULE_FILE, "/srv/www", true));
	cr_assert_eq(p.nfiles, 15);
	free(v);
	profile_free(&p);
}

Test(learn, never_the_whole_file_system)
{
	char names[17][64];
	struct obs *v = siblings("", 16, names);
	struct learn_options o;
	struct profile p;

	opts(&o);
	learn(&o, v, 17, &p);
	cr_assert_null(find_rule(&p, RULE_FILE, "/", true));
	cr_assert_eq(p.nfiles, 16);
	free(v);
	profile_free(&p);
}

Test(learn, exact_turns_generalisation_off)
{
	char names[17][64];
	struct obs *v = siblings("/srv/www", 16, names);
	struct learn_options o;
	struct profile p;

	opts(&o);
	o.exact = true;
	learn(&o, v, 17, &p);
	cr_assert_eq(p.nfiles, 16);
	cr_assert_str_eq(reports, "");
	free(v);
	profile_free(&p);
}

/* ---- content trees ------------------------------------------------------------ */

/* A web root: ten pages in six folders, read; one of them also written. */
static const char *const web_root_exes[] = {
	"/usr/sbin/nginx", "/usr/sbin/nginx", "/usr/sbin/nginx", "/usr/sbin/nginx", "/usr/sbin/nginx", "/usr/sbin/nginx",
	"/usr/sbin/nginx", "/usr/sbin/nginx", "/usr/sbin/nginx", "/usr/sbin/nginx", "/bin/editor",
};
static const struct obs web_root[] = {
	{ 0, "file", "/srv/www/index.html", R, 1 },
	{ 0, "file", "/srv/www/about.html", R, 2 },
	{ 0, "file", "/srv/www/css/site.css", R, 3 },
	{ 0, "file", "/srv/www/css/print.css", R, 4 },
	{ 0, "file", "/srv/www/img/logo.png", R, 5 },
	{ 0, "file", "/srv/www/img/icons/home.svg", R, 6 },
	{ 0, "file", "/srv/www/docs/guide.html", R, 7 },
	{ 0, "file", "/srv/www/docs/faq.html", R, 8 },
	{ 0, "file", "/srv/www/docs/v2/api.html", R, 9 },
	{ 0, "file", "/srv/www/docs/v2/changes.html", R, 10 },
	{ 0, "file", "/srv/www/about.html", W, 11 },
};

Test(learn, a_content_tree_becomes_the_subtree_of_the_deepest_folder_holding_it)
{
	struct learn_options o;
	const struct file_rule *r;
	struct profile p;

	opts(&o);
	obs_exes = web_root_exes;
	learn(&o, web_root, 11, &p);
	obs_exes = NULL;
	r = find_rule(&p, RULE_FILE, "/srv/www", true);
	cr_assert_not_null(r, "%s", reports);
	cr_assert_eq(r->access, R, "content trees grant the access their names were used with");
	cr_assert_str_eq(r->evidence.generalised, "content-tree, 10 files in 6 folders");
	cr_assert_str_eq(r->evidence.exe[0], "/usr/sbin/nginx");
	cr_assert_null(find_rule(&p, RULE_FILE, "/srv", true), "not a parent of the tree");
	cr_assert_eq(find_rule(&p, RULE_FILE, "/srv/www/about.html", false)->access, W, "the write stays exact");
	cr_assert_eq(p.nfiles, 2);
	cr_assert(profile_allows(&p, "/srv/www/new/page.html", R), "a file added later is served");
	cr_assert_not(profile_allows(&p, "/srv/www/new/page.html", W), "but not written");
	cr_assert_not(profile_allows(&p, "/srv/secret", R), "nor anything outside the tree");
	cr_assert(strstr(reports, "file subtree /srv/www [read] replaces 10 paths: content-tree, 10 files in 6 folders "
				  "(--content-names 8, --content-folders 3)"), "%s", reports);
	profile_free(&p);
}

Test(learn, a_content_tree_needs_enough_names_and_folders)
{
	struct learn_options o;
	struct profile p;

	opts(&o);
	o.content_names = 11;
	learn(&o, web_root, 11, &p);
	cr_assert_eq(p.nfiles, 10, "10 names are fewer than 11:\n%s", reports);
	profile_free(&p);
	o.content_names = 8;
	o.content_folders = 7;
	learn(&o, web_root, 11, &p);
	cr_assert_eq(p.nfiles, 10, "6 folders are fewer than 7:\n%s", reports);
	profile_free(&p);
}

/* The same pages under prefix (as observations into names). */
static void web_root_under(const char *prefix, struct obs *v, char (*names)[96])
{
	for (int i = 0; i < 10; i++) {
		snprintf(names[i], 96, "%s%s", prefix, web_root[i].object + strlen("/srv/www"));
		v[i] = web_root[i];
		v[i].object = names[i];
	}
}

Test(learn, never_a_top_level_or_shared_folder_nor_proc_or_sys)
{
	static const char *const roots[] = { "/etc", "/home", "/usr/share", "/var/lib", "/proc/self", "/sys/kernel" };
	char names[10][96];
	struct obs v[10];
	struct learn_options o;
	struct profile p;

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		web_root_under(roots[i], v, names);
		opts(&o);
		learn(&o, v, 10, &p);
		cr_assert_eq(p.nfiles, 10, "%s became a content tree:\n%s", roots[i], reports);
		profile_free(&p);
	}
	web_root_under("/var/lib/app", v, names);
	learn(&o, v, 10, &p);
	cr_assert_not_null(find_rule(&p, RULE_FILE, "/var/lib/app", true), "one service's own folder may be");
	profile_free(&p);
}

/* ---- names born later ------------------------------------------------------------ */

Test(learn, rotated_logs_make_their_folder_a_subtree_for_the_next_rotation)
{
	const struct obs v[] = {
		{ 0, "file", "/var/log/app/app.log", STK_ACC_APPEND | STK_ACC_CREATE | STK_ACC_UNLINK, 1 },
		{ 0, "file", "/var/log/app/app.log.1", STK_ACC_CREATE | STK_ACC_UNLINK | R, 2 },
		{ 0, "file", "/var/log/app/app.log.2.gz", STK_ACC_CREATE | W, 3 },
		{ 0, "file", "/var/log/app/README", R, 4 },
	};
	struct learn_options o;
	const struct file_rule *r;
	struct profile p;

	opts(&o);
	learn(&o, v, 4, &p);
	r = find_rule(&p, RULE_FILE, "/var/log/app", true);
	cr_assert_not_null(r, "%s", reports);
	cr_assert_eq(r->access, R | W | STK_ACC_APPEND | STK_ACC_CREATE | STK_ACC_UNLINK);
	cr_assert_str_eq(r->evidence.generalised, "numbered-names, 3 names like app.log.N");
	cr_assert(profile_allows(&p, "/var/log/app/app.log.3.gz", STK_ACC_CREATE | W), "the next rotation");
	cr_assert(strstr(reports, "numbered-names, 3 names like app.log.N (--numbered 2)"), "%s", reports);
	profile_free(&p);
}

Test(learn, a_log_appended_to_may_be_created_again_after_rotation)
{
	const struct obs v[] = {
		{ 0, "file", "/var/log/nginx/access.log", STK_ACC_APPEND, 1 },
		{ 0, "file", "/srv/app/queue.log", STK_ACC_APPEND, 2 },
		{ 0, "file", "/srv/app/journal", STK_ACC_APPEND, 3 },
		{ 0, "file", "/var/log/nginx/old", R, 4 },
	};
	struct learn_options o;
	struct profile p;

	opts(&o);
	learn(&o, v, 4, &p);
	cr_assert_eq(find_rule(&p, RULE_FILE, "/var/log/nginx/access.log", false)->access, STK_ACC_APPEND | STK_ACC_CREATE);
	cr_assert_eq(find_rule(&p, RULE_FILE, "/srv/app/queue.log", false)->access, STK_ACC_APPEND | STK_ACC_CREATE);
	cr_assert_eq(find_rule(&p, RULE_FILE, "/srv/app/journal", false)->access, STK_ACC_APPEND, "not a log");
	cr_assert_eq(find_rule(&p, RULE_FILE, "/var/log/nginx/old", false)->access, R, "read only");
	cr_assert(strstr(reports, "file /var/log/nginx/access.log [append] may also create it"), "%s", reports);
	profile_free(&p);
	o.exact = true;
	learn(&o, v, 4, &p);
	cr_assert_eq(find_rule(&p, RULE_FILE, "/var/log/nginx/access.log", false)->access, STK_ACC_APPEND, "--exact");
	profile_free(&p);
}

Test(learn, pid_files_and_sockets_made_at_each_start_keep_exact_rules_that_hold_after_a_restart)
{
	const uint32_t made = W | STK_ACC_CREATE | STK_ACC_UNLINK;
	const struct obs v[] = {
		{ 0, "file", "/run/nginx.pid", made, 1 },
		{ 0, "file", "/run/nginx/site.sock", STK_ACC_CREATE | STK_ACC_UNLINK, 2 },
		{ 0, "file", "/run/nginx/site.sock", STK_ACC_CONNECT, 3 },
	};
	struct learn_options o;
	struct profile p;

	opts(&o);
	learn(&o, v, 3, &p);
	cr_assert_eq(p.nfiles, 3, "%s", reports);
	cr_assert(profile_allows(&p, "/run/nginx.pid", made), "the next start makes the same name");
	cr_assert(profile_allows(&p, "/run/nginx/site.sock", STK_ACC_CREATE | STK_ACC_UNLINK | STK_ACC_CONNECT));
	cr_assert_not(profile_allows(&p, "/run/other.pid", STK_ACC_CREATE));
	profile_free(&p);
}

Test(learn, per_pid_and_per_connection_names_make_their_folder_a_subtree)
{
	const struct obs v[] = {
		{ 0, "file", "/run/app/worker.4711.sock", STK_ACC_CREATE | STK_ACC_UNLINK, 1 },
		{ 0, "file", "/run/app/worker.4802.sock", STK_ACC_CREATE | STK_ACC_UNLINK, 2 },
		{ 0, "file", "/var/lib/nginx/body/0000000001", W | STK_ACC_CREATE | STK_ACC_UNLINK, 3 },
		{ 0, "file", "/var/lib/nginx/body/0000000002", W | STK_ACC_CREATE | STK_ACC_UNLINK, 4 },
		{ 0, "file", "/run/app/app.conf", R, 5 },
	};
	struct learn_options o;
	struct profile p;

	opts(&o);
	learn(&o, v, 5, &p);
	cr_assert_eq(find_rule(&p, RULE_FILE, "/run/app", true)->access, STK_ACC_CREATE | STK_ACC_UNLINK, "%s", reports);
	cr_assert_str_eq(find_rule(&p, RULE_FILE, "/run/app", true)->evidence.generalised,
			 "numbered-names, 2 names like worker.N.sock");
	cr_assert_not_null(find_rule(&p, RULE_FILE, "/var/lib/nginx/body", true), "%s", reports);
	cr_assert(profile_allows(&p, "/run/app/worker.5012.sock", STK_ACC_CREATE));
	cr_assert(profile_allows(&p, "/var/lib/nginx/body/0000000003", W | STK_ACC_CREATE));
	cr_assert_eq(find_rule(&p, RULE_FILE, "/run/app/app.conf", false)->access, R);
	profile_free(&p);
}

Test(learn, every_numbered_family_of_a_folder_grants_its_accesses)
{
	const struct obs v[] = {
		{ 0, "file", "/run/app/worker.1.sock", STK_ACC_CREATE | STK_ACC_UNLINK, 1 },
		{ 0, "file", "/run/app/worker.2.sock", STK_ACC_CREATE | STK_ACC_UNLINK, 2 },
		{ 0, "file", "/run/app/worker.3.sock", STK_ACC_CREATE | STK_ACC_UNLINK, 3 },
		{ 0, "file", "/run/app/job-7.out", W, 4 },
		{ 0, "file", "/run/app/job-8.out", W, 5 },
	};
	struct learn_options o;
	const struct file_rule *r;
	struct profile p;

	opts(&o);
	learn(&o, v, 5, &p);
	r = find_rule(&p, RULE_FILE, "/run/app", true);
	cr_assert_not_null(r, "%s", reports);
	cr_assert_eq(r->access, W | STK_ACC_CREATE | STK_ACC_UNLINK, "both families");
	cr_assert_str_eq(r->evidence.generalised, "numbered-names, 3 names like worker.N.sock", "the largest is named");
	cr_assert_eq(p.nfiles, 1);
	profile_free(&p);
}

Test(learn, names_only_read_are_not_numbered_families)
{
	const struct obs v[] = {
		{ 0, "file", "/usr/lib/libfoo.so.1", R, 1 },
		{ 0, "file", "/usr/lib/libfoo.so.2", R, 2 },
	};
	struct learn_options o;
	struct profile p;

	opts(&o);
	learn(&o, v, 2, &p);
	cr_assert_eq(p.nfiles, 2, "%s", reports);
	profile_free(&p);
}

Test(learn, a_threads_own_proc_entries_hold_for_the_next_thread_id)
{
	const struct obs v[] = {
		{ 0, "file", "/proc/self/task/101/comm", R, 1 },
		{ 0, "file", "/proc/self/task/101/attr/current", R, 2 },
		{ 0, "file", "/proc/self/status", R, 3 },
	};
	struct learn_options o;
	const struct file_rule *r;
	struct profile p;

	opts(&o);
	learn(&o, v, 3, &p);
	r = find_rule(&p, RULE_FILE, "/proc/self/task", true);
	cr_assert_not_null(r, "%s", reports);
	cr_assert_eq(r->access, R);
	cr_assert_str_eq(r->evidence.generalised, "per-thread, thread ids change every run");
	cr_assert(profile_allows(&p, "/proc/self/task/202/comm", R), "the next run's thread");
	cr_assert_not(profile_allows(&p, "/proc/self/task/202/comm", W));
	cr_assert_not_null(find_rule(&p, RULE_FILE, "/proc/self/status", false));
	cr_assert_eq(p.nfiles, 2);
	profile_free(&p);
}

/* ---- evidence ------------------------------------------------------------------------ */

Test(learn, rules_name_the_executables_that_did_it_sorted_and_round_trip)
{
	const struct obs v[] = {
		{ 0, "file", "/etc/app.conf", R, 1 },
		{ 0, "file", "/etc/app.conf", W, 2 },
		{ 0, "file", "/etc/app.conf", STK_ACC_APPEND, 3 },
	};
	static const char *const exes[] = { "/usr/sbin/b", "/usr/sbin/a", "/usr/sbin/b" };
	struct learn_options o;
	struct profile p, q;
	char *text, *again;

	opts(&o);
	obs_exes = exes;
	learn(&o, v, 3, &p);
	obs_exes = NULL;
	text = text_of(&p);
	cr_assert(strstr(text, "exe: [/usr/sbin/a, /usr/sbin/b]"), "%s", text);
	free(text);
	profile_free(&p);
	learn(&o, web_root, 11, &p);
	text = text_of(&p);
	cr_assert(strstr(text, "generalised: 'content-tree, 10 files in 6 folders'}"), "%s", text);
	cr_assert_eq(profile_parse("p.yaml", text, strlen(text), &q), 0, "%s", stk_error());
	again = text_of(&q);
	cr_assert_str_eq(text, again);
	free(text);
	free(again);
	profile_free(&p);
	profile_free(&q);
}

/* ---- checking a profile against a recording ----------------------------------------- */

Test(learn, a_profile_allows_exactly_the_observations_its_rules_cover)
{
	struct learn_options o;
	struct profile p;
	struct observation page = { .kind = "file", .object = "/srv/www/new.html", .access = R },
			   write = { .kind = "file", .object = "/srv/www/new.html", .access = W },
			   secret = { .kind = "file", .object = "/srv/secret", .access = R },
			   mount = { .kind = "privilege", .object = "mount", .access = STK_PRIV_MOUNT },
			   backend = { .kind = "net", .object = "tcp 127.0.0.1:8081", .access = STK_NET_CONNECT },
			   other = { .kind = "net", .object = "tcp 127.0.0.1:22", .access = STK_NET_CONNECT },
			   cap = { .kind = "capability", .object = "net_admin", .access = 1 },
			   sock = { .kind = "socket", .object = "netlink-route", .access = 1 },
			   unknown = { .kind = "ioctl", .object = "/dev/sda", .access = 1 };
	const struct obs net = { 0, "net", "tcp 127.0.0.1:8081", STK_NET_CONNECT, 1 };
	struct obs v[12];

	memcpy(v, web_root, sizeof(web_root));
	v[11] = net;
	opts(&o);
	learn(&o, v, 12, &p);
	cr_assert(profile_allows_observation(&p, &page));
	cr_assert_not(profile_allows_observation(&p, &write));
	cr_assert_not(profile_allows_observation(&p, &secret));
	cr_assert_not(profile_allows_observation(&p, &mount));
	cr_assert(profile_allows_observation(&p, &backend));
	cr_assert_not(profile_allows_observation(&p, &other));
	cr_assert_not(profile_allows_observation(&p, &unknown), "a kind it cannot check is not passed");
	p.privileges = STK_PRIV_MOUNT;
	cr_assert(profile_allows_observation(&p, &mount));
	cr_assert_not(profile_allows_observation(&p, &cap));
	cr_assert_not(profile_allows_observation(&p, &sock));
	cr_assert_eq(grant_add(&p, GRANT_CAPABILITY, "net_admin"), 0);
	cr_assert_eq(grant_add(&p, GRANT_SOCKET, "netlink-route"), 0);
	cr_assert(profile_allows_observation(&p, &cap));
	cr_assert(profile_allows_observation(&p, &sock));
	profile_free(&p);
}

/* ---- network -------------------------------------------------------------------- */

Test(learn, ephemeral_binds_get_no_rule_but_port_0_does)
{
	const struct obs v[] = {
		{ 0, "net", "tcp 0.0.0.0:40000", STK_NET_BIND, 1 },
		{ 0, "net", "udp 0.0.0.0:0", STK_NET_BIND, 1 },
		{ 0, "net", "tcp 0.0.0.0:8080", STK_NET_BIND, 1 },
	};
	struct learn_options o;
	struct profile p;
	char *text;

	opts(&o);
	learn(&o, v, 3, &p);
	text = text_of(&p);
	cr_assert_eq(p.nnet, 2, "%s", text);
	cr_assert_null(strstr(text, "40000"), "%s", text);
	cr_assert(strstr(reports, "no bind rule for tcp 0.0.0.0:40000: an ephemeral port"), "%s", reports);
	free(text);
	profile_free(&p);
}

Test(learn, peers_of_one_network_merge_and_loopback_stays_apart)
{
	struct obs v[12];
	char names[12][64];
	struct learn_options o;
	struct profile p;
	char *text;

	for (int i = 0; i < 8; i++) {
		snprintf(names[i], 64, "tcp 192.0.2.%d:5432", 10 + i);
		v[i] = (struct obs){ 0, "net", names[i], STK_NET_CONNECT, i };
	}
	for (int i = 8; i < 12; i++) {
		snprintf(names[i], 64, "tcp 127.0.0.%d:5432", i);
		v[i] = (struct obs){ 0, "net", names[i], STK_NET_CONNECT, i };
	}
	opts(&o);
	o.net_siblings = 4;
	learn(&o, v, 12, &p);
	text = text_of(&p);
	cr_assert(strstr(text, "- connect: 192.0.2.0/24\n  protocol: tcp\n  ports: 5432\n"), "%s", text);
	cr_assert_eq(p.nnet, 5, "one prefix and four loopback peers:\n%s", text);
	cr_assert(strstr(text, "samples: ['tcp 192.0.2.10:5432'"), "%s", text);
	cr_assert(strstr(reports, "connect tcp 192.0.2.0/24 port 5432 replaces 8 addresses"), "%s", reports);
	free(text);
	profile_free(&p);
}

/* ---- hosts -------------------------------------------------------------------- */

Test(learn, rules_count_hosts_and_min_hosts_drops_one_host_oddities)
{
	const struct obs v[] = {
		{ "a", "file", "/etc/app.conf", R, 1 }, { "b", "file", "/etc/app.conf", R, 2 },
		{ "b", "file", "/etc/app.conf", W, 3 }, { "a", "file", "/root/.debug", R, 4 },
		{ "c", "privilege", "mount", STK_PRIV_MOUNT, 5 }, { "a", "privilege", "chroot", STK_PRIV_CHROOT, 5 },
		{ "b", "privilege", "chroot", STK_PRIV_CHROOT, 5 },
	};
	struct learn_options o;
	struct profile p;

	opts(&o);
	learn(&o, v, 7, &p);
	cr_assert_eq(find_rule(&p, RULE_FILE, "/etc/app.conf", false)->evidence.hosts, 2);
	cr_assert_eq(find_rule(&p, RULE_FILE, "/root/.debug", false)->evidence.hosts, 1);
	cr_assert_eq(p.generated.nhosts, 3);
	cr_assert_str_eq(p.generated.hosts[0], "a");
	cr_assert_str_eq(p.generated.hosts[2], "c");
	profile_free(&p);

	o.min_hosts = 2;
	learn(&o, v, 7, &p);
	cr_assert_not_null(find_rule(&p, RULE_FILE, "/etc/app.conf", false));
	cr_assert_null(find_rule(&p, RULE_FILE, "/root/.debug", false));
	cr_assert_eq(p.privileges, STK_PRIV_CHROOT);
	cr_assert(strstr(reports, "no file rule for /root/.debug [read]: seen on 1 host, fewer than --min-hosts 2"),
		  "%s", reports);
	profile_free(&p);
}

Test(learn, recordings_from_databases_merge)
{
	const char *files[] = { "/tmp/stockade-test-learn-a.db", "/tmp/stockade-test-learn-b.db" };
	struct subject s = { .kind = SUBJECT_SERVICE, .name = "app.service" };
	struct learn_options o;
	struct learner *l;
	struct profile p;

	opts(&o);
	cr_assert_eq(learner_new(&o, SUBJECT_SERVICE, "app.service", &l), 0);
	for (int i = 0; i < 2; i++) {
		struct db *db;
		int64_t id;

		unlink(files[i]);
		cr_assert_eq(db_open(files[i], true, &db), 0, "%s", stk_error());
		cr_assert_eq(db_subject_id(db, &s, &id), 0);
		cr_assert_eq(db_observe(db, id, "file", "/etc/app.conf", R, "/bin/app", 0, 10 + i), 0);
		cr_assert_eq(db_observe(db, id, "file", i ? "/b" : "/a", R, "/bin/app", 0, 10), 0);
		cr_assert_eq(learner_add_db(l, i ? "host-b" : "host-a", db), 2);
		db_close(db);
		unlink(files[i]);
	}
	cr_assert_eq(learner_finish(l, &p), 0);
	learner_free(l);
	cr_assert_eq(p.nfiles, 3);
	cr_assert_eq(find_rule(&p, RULE_FILE, "/etc/app.conf", false)->evidence.hosts, 2);
	cr_assert_eq(find_rule(&p, RULE_FILE, "/etc/app.conf", false)->evidence.last_seen, 11);
	cr_assert_eq(p.generated.observations, 4);
	profile_free(&p);
}

/* ---- properties over random recordings -------------------------------------------- */

#define RANDOM_RECORDINGS 300
#define MAX_OBS 400

struct recording {
	struct obs v[MAX_OBS];
	char names[MAX_OBS][96];
	const char *exes[MAX_OBS];
	size_t n;
	struct learn_options o;
};

static const char *const dirs[] = { "/srv", "/srv/www", "/srv/www/img", "/var/tmp/app", "/etc", "/proc/self",
				    "/proc/self/task/7", "/var/log/app", "/srv/www/a/b" };
static const char *const exes[] = { "/bin/a", "/bin/b", "/bin/c", "/bin/d", NULL };
static const uint32_t accesses[] = { R, W, STK_ACC_APPEND, R | W, STK_ACC_EXEC | R, STK_ACC_CREATE | W,
				     STK_ACC_UNLINK, STK_ACC_CONNECT, STK_ACC_LINK };

static void random_name(char *buf, size_t len, unsigned *seed)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	/* Shared libraries: a soname, its versioned files, another major. */
	static const char *const libs[] = { "libq.so.1", "libq.so.1.2", "libq.so.1.2.3", "libq.so.1.9",
					    "libq.so.2.0", "libq.so.1.2.3.x" };

	if (rand_r(seed) % 6 == 0) {
		snprintf(buf, len, "%s", libs[rand_r(seed) % 6]);
		return;
	}
	if (rand_r(seed) % 3) {
		snprintf(buf, len, "f%d", rand_r(seed) % 24);
		return;
	}
	snprintf(buf, len, "tmp.");
	for (int i = 0; i < 8; i++)
		buf[4 + i] = alnum[rand_r(seed) % (sizeof(alnum) - 1)];
	buf[12] = 0;
}

static void random_peer(char *buf, size_t len, unsigned *seed)
{
	static const char *const nets[] = { "tcp 192.0.2.%d:%d", "udp 198.51.100.%d:%d", "tcp 127.0.0.%d:%d",
					    "tcp [2001:db8::%d]:%d" };

	snprintf(buf, len, nets[rand_r(seed) % 4], 1 + rand_r(seed) % 12,
		 (int[]){ 0, 53, 443, 40000 }[rand_r(seed) % 4]);
}

static void random_recording(struct recording *rec, unsigned seed)
{
	static const char *const hosts[] = { "h1", "h2", "h3" };
	static const uint32_t ops[] = { STK_NET_CONNECT, STK_NET_BIND, STK_NET_SEND };
	char name[32];

	opts(&rec->o);
	rec->o.report = NULL;
	rec->o.siblings = 2 + rand_r(&seed) % 6;
	rec->o.random_min = 2 + rand_r(&seed) % 3;
	rec->o.net_siblings = 2 + rand_r(&seed) % 4;
	rec->o.content_names = 2 + rand_r(&seed) % 8;
	rec->o.content_folders = 2 + rand_r(&seed) % 2;
	rec->o.numbered = 2 + rand_r(&seed) % 3;
	rec->o.min_hosts = rand_r(&seed) % 4 ? 1 : 2;
	rec->n = 1 + (size_t)rand_r(&seed) % MAX_OBS;
	for (size_t i = 0; i < rec->n; i++) {
		struct obs *ob = &rec->v[i];

		ob->host = hosts[rand_r(&seed) % 3];
		ob->t = rand_r(&seed) % 1000;
		rec->exes[i] = exes[rand_r(&seed) % 5];
		ob->object = rec->names[i];
		if (rand_r(&seed) % 5 == 0) {
			ob->kind = "net";
			ob->access = ops[rand_r(&seed) % 3];
			random_peer(rec->names[i], sizeof(rec->names[i]), &seed);
			continue;
		}
		ob->kind = "file";
		ob->access = accesses[rand_r(&seed) % (sizeof(accesses) / sizeof(accesses[0]))];
		random_name(name, sizeof(name), &seed);
		snprintf(rec->names[i], sizeof(rec->names[i]), "%s/%s", dirs[rand_r(&seed) % (sizeof(dirs) / sizeof(dirs[0]))],
			 name);
	}
}

/* Distinct hosts an object (with these access bits of its kind) was seen on. */
static int hosts_of(const struct recording *rec, const struct obs *ob, uint32_t bits)
{
	const char *seen[3];
	int n = 0;

	for (size_t i = 0; i < rec->n; i++) {
		const struct obs *x = &rec->v[i];
		bool dup = false;

		if (strcmp(x->kind, ob->kind) || strcmp(x->object, ob->object) || !(x->access & bits))
			continue;
		for (int j = 0; j < n; j++)
			dup |= !strcmp(seen[j], x->host);
		if (!dup)
			seen[n++] = x->host;
	}
	return n;
}

static bool ephemeral_bind(const struct recording *rec, const struct obs *ob)
{
	return ob->access == STK_NET_BIND && strstr(ob->object, ":40000") && rec->o.ephemeral_lo <= 40000;
}

/* Is observation ob allowed, in each list its access bits fall in? */
static bool covered(const struct profile *p, const struct compiled *c, const struct obs *ob)
{
	uint8_t proto, addr[16];
	uint16_t port;

	if (!strcmp(ob->kind, "net")) {
		cr_assert_eq(peer_parse(ob->object, &proto, addr, &port), 0);
		if (!profile_net_allows(p, ob->access, proto, addr, port))
			return false;
		cr_assert(compiled_net_allows(c, ob->access, proto, addr, port), "map entries disagree on %s", ob->object);
		return true;
	}
	if (!profile_allows(p, ob->object, ob->access))
		return false;
	cr_assert(compiled_allows(c, ob->object, ob->access), "map entries disagree on %s", ob->object);
	return true;
}

/* Every observation seen on enough hosts is allowed, by the model and by the map entries. */
static void check_coverage(const struct recording *rec, const struct profile *p, unsigned seed)
{
	struct compiled c;

	cr_assert_eq(rules_compile(p, &c), 0, "%s", stk_error());
	for (size_t i = 0; i < rec->n; i++) {
		const struct obs *ob = &rec->v[i];
		uint32_t kinds[] = { ob->access & RULE_FILE_ACCESS, ob->access & STK_ACC_EXEC, ob->access & STK_ACC_CONNECT };

		if (!strcmp(ob->kind, "net")) {
			if (!ephemeral_bind(rec, ob) && hosts_of(rec, ob, ob->access) >= rec->o.min_hosts)
				cr_assert(covered(p, &c, ob), "seed %u: %s %s not covered", seed, ob->kind, ob->object);
			continue;
		}
		for (int k = 0; k < 3; k++) {
			struct obs part = *ob;

			part.access = kinds[k];
			if (part.access && hosts_of(rec, ob, part.access) >= rec->o.min_hosts)
				cr_assert(covered(p, &c, &part), "seed %u: %s [%x] not covered", seed, ob->object, part.access);
		}
	}
	compiled_free(&c);
}

static bool any_uncovered(const struct recording *rec, const struct profile *p)
{
	for (size_t i = 0; i < rec->n; i++) {
		const struct obs *ob = &rec->v[i];
		uint8_t proto, addr[16];
		uint16_t port;

		if (!strcmp(ob->kind, "net")) {
			peer_parse(ob->object, &proto, addr, &port);
			if (!ephemeral_bind(rec, ob) && !profile_net_allows(p, ob->access, proto, addr, port))
				return true;
		} else if (!profile_allows(p, ob->object, ob->access)) {
			return true;
		}
	}
	return false;
}

/* Without any one rule, some observation is no longer allowed. */
static void check_minimality(const struct recording *rec, struct profile *p, unsigned seed)
{
	for (size_t i = 0; i < p->nfiles; i++) {
		uint32_t access = p->files[i].access;

		p->files[i].access = 0;
		cr_assert(any_uncovered(rec, p), "seed %u: %s rule %s is redundant", seed,
			  rule_match_name(file_rule_match(&p->files[i])), p->files[i].path);
		p->files[i].access = access;
	}
	for (size_t i = 0; i < p->nnet; i++) {
		uint32_t op = p->net[i].op;

		p->net[i].op = 0;
		cr_assert(any_uncovered(rec, p), "seed %u: network rule %zu is redundant", seed, i);
		p->net[i].op = op;
	}
}

static void shuffle(struct recording *rec, unsigned seed)
{
	for (size_t i = rec->n; i > 1; i--) {
		size_t j = (size_t)rand_r(&seed) % i;
		struct obs t = rec->v[i - 1];
		const char *exe = rec->exes[i - 1];

		rec->v[i - 1] = rec->v[j];
		rec->v[j] = t;
		rec->exes[i - 1] = rec->exes[j];
		rec->exes[j] = exe;
	}
}

Test(learn_properties, coverage_minimality_determinism, .timeout = 120)
{
	static struct recording rec;
	size_t subtrees = 0, prefixes = 0, versions = 0;

	for (unsigned seed = 1; seed <= RANDOM_RECORDINGS; seed++) {
		struct profile p, q;
		char *a, *b;

		random_recording(&rec, seed);
		obs_exes = rec.exes;
		learn(&rec.o, rec.v, rec.n, &p);
		for (size_t i = 0; i < p.nfiles; i++) {
			subtrees += p.files[i].subtree;
			versions += p.files[i].versions;
		}
		for (size_t i = 0; i < p.nnet; i++)
			prefixes += p.net[i].prefix < 128;
		check_coverage(&rec, &p, seed);
		if (rec.o.min_hosts == 1)
			check_minimality(&rec, &p, seed);
		shuffle(&rec, seed * 7919);
		learn(&rec.o, rec.v, rec.n, &q);
		obs_exes = NULL;
		a = text_of(&p);
		b = text_of(&q);
		cr_assert_str_eq(a, b, "seed %u: row order changed the profile", seed);
		free(a);
		free(b);
		profile_free(&p);
		profile_free(&q);
	}
	/* The recordings must exercise generalisation, or the properties say little. */
	cr_assert_gt(subtrees, RANDOM_RECORDINGS / 2);
	cr_assert_gt(prefixes, RANDOM_RECORDINGS / 4);
	cr_assert_gt(versions, RANDOM_RECORDINGS / 4);
	cr_log_info("%zu subtree, %zu versions and %zu prefix rules learned", subtrees, versions, prefixes);
}

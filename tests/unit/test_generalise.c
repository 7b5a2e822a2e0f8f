/*
 * The learner's generalisations: what each one turns a recording into, when
 * it holds back, and the names a service makes again after a restart.
 */
#include "learning.h"

/* ---- generalisations ------------------------------------------------------------ */

Test(generalise, random_names_in_one_directory_become_its_subtree_with_their_access_only)
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

Test(generalise, chosen_names_are_not_random)
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

Test(generalise, many_entries_of_a_directory_make_a_subtree_per_access)
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

Test(generalise, fewer_entries_than_the_threshold_stay_exact)
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

Test(generalise, never_the_whole_file_system)
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

Test(generalise, exact_turns_generalisation_off)
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

/* ---- content trees (the web root of learning.h) -------------------------------- */

/* Who read and wrote the web root's pages. */
static const char *const web_root_exes[] = {
	"/usr/sbin/nginx", "/usr/sbin/nginx", "/usr/sbin/nginx", "/usr/sbin/nginx", "/usr/sbin/nginx", "/usr/sbin/nginx",
	"/usr/sbin/nginx", "/usr/sbin/nginx", "/usr/sbin/nginx", "/usr/sbin/nginx", "/bin/editor",
};

Test(generalise, a_content_tree_becomes_the_subtree_of_the_deepest_folder_holding_it)
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

Test(generalise, a_content_tree_needs_enough_names_and_folders)
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

Test(generalise, never_a_top_level_or_shared_folder_nor_proc_or_sys)
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

Test(generalise, rotated_logs_make_their_folder_a_subtree_for_the_next_rotation)
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

Test(generalise, a_log_appended_to_may_be_created_again_after_rotation)
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

Test(generalise, pid_files_and_sockets_made_at_each_start_keep_exact_rules_that_hold_after_a_restart)
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

Test(generalise, per_pid_and_per_connection_names_make_their_folder_a_subtree)
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

Test(generalise, every_numbered_family_of_a_folder_grants_its_accesses)
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

Test(generalise, names_only_read_are_not_numbered_families)
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

Test(generalise, a_threads_own_proc_entries_hold_for_the_next_thread_id)
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


/*
 * The learner: exact rules, the executables and hosts a rule names, checking
 * a profile against a recording, network rules, and recordings merged from
 * several databases. Generalisations are in test_generalise.c, the
 * guarantees over random recordings in test_learn_properties.c.
 */
#include <unistd.h>
#include "../../db/db.h"
#include "learning.h"

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


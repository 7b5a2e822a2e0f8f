/* stockade record: observations of one subject into a recording database. */
#include <getopt.h>
#include <stdio.h>
#include <time.h>
#include "cli.h"
#include "../subject/subject.h"
#include "../names/names.h"
#include "../kernel/kernel.h"
#include "../db/db.h"
#include "../common/error.h"

static const char record_usage[] =
	"usage: stockade record (--service UNIT | --cgroup PATH | --user USER) [--db FILE]\n"
	"\n"
	"Record what the subject does to files (open, exec, create, unlink, rename,\n"
	"link, truncate, descriptors received), which IP peers it connects to,\n"
	"binds or sends to, which capabilities, socket families and privileges it\n"
	"uses, until SIGINT or SIGTERM; then print a summary. The kernel sends each\n"
	"(object, access) pair once, so a busy service costs little.\n"
	"\n"
	"  --service UNIT  a systemd unit, found by its cgroup (nginx = nginx.service);\n"
	"                  a unit that is not running is recorded from its first\n"
	"                  process when it starts, and across restarts\n"
	"  --cgroup PATH   a cgroup v2 path, e.g. /system.slice/app.service\n"
	"                  (a directory under the cgroup2 mount works too)\n"
	"  --user USER     every task whose real uid is USER's (a name or a uid),\n"
	"                  unless it belongs to a service or cgroup subject\n"
	"  --db FILE       recording database, created if missing (default stockade.db)\n"
	"\n"
	"Processes in cgroups below the subject's belong to it. Needs root.\n";

struct recording {
	struct db *db;
	int64_t subject_row;
	uint64_t subject_id;
	bool in_tx;
	int64_t events;
};

static int observe(struct recording *r, const char *kind, const char *object,
		   const struct stk_event *ev)
{
	return db_observe(r->db, r->subject_row, kind, object, ev->access, ev->exe, ev->uid,
			  (int64_t)time(NULL));
}

static int record_event(const struct stk_event *ev, void *ctx)
{
	struct recording *r = ctx;
	struct event_text t;

	if (ev->subject != r->subject_id || ev->verdict != STK_VERDICT_SEEN)
		return 0;
	if (!r->in_tx && db_begin(r->db))
		return -1;
	r->in_tx = true;
	r->events++;
	event_text(ev, &t);
	/* A recording keys a grant by what is granted ("mount", "setuid"). */
	return observe(r, t.kind, t.grant ? t.access : t.object, ev);
}

/* One transaction per poll round: a burst is one commit, a quiet
 * service is on disk within CLI_POLL_MS. */
static int drain(struct kernel *k, struct recording *r, int timeout_ms)
{
	int n = kernel_poll(k, record_event, r, timeout_ms);

	if (r->in_tx) {
		r->in_tx = false;
		if (db_commit(r->db))
			return -1;
	}
	return n < 0 ? -1 : 0;
}

static int record(const struct subject_arg *arg, const char *db_path)
{
	struct recording r = { 0 };
	struct stk_counters cnt;
	struct kernel *k = NULL;
	struct subject s;
	int64_t objects = 0;
	char uid_text[16], who[SUBJECT_LABEL_MAX];
	int err = -1;

	if (subject_resolve(arg->kind, arg->name, &s) || db_open(db_path, true, &r.db))
		return stk_report();
	snprintf(uid_text, sizeof(uid_text), "%u", (unsigned)s.id);
	r.subject_id = s.id;
	if (db_subject_id(r.db, &s, &r.subject_row) || kernel_open(KERNEL_RECORD, &k) ||
	    kernel_subject_set(k, &s, STK_MODE_RECORD, 0, &(struct stk_grants){ 0 }))
		goto out;
	cli_catch_signals();
	subject_label(s.kind, s.name, who, sizeof(who));
	printf("stockade: recording %s (%s %s%s) into %s%s; stop with Ctrl-C\n",
	       who, s.kind == SUBJECT_USER ? "uid" : "cgroup",
	       s.kind == SUBJECT_USER ? uid_text : s.cgroup,
	       s.waiting ? ", not running yet: recording starts with it" : "", db_path,
	       kernel_is_lsm(k) ? "" : " through fentry (BPF LSM is not active)");
	fflush(stdout);
	while (!cli_stop)
		if (drain(k, &r, CLI_POLL_MS))
			goto out;
	/* Stop observing, then take what is still in the ring buffer. */
	if (kernel_subject_remove(k, s.id) || drain(k, &r, 0) ||
	    kernel_counters(k, &cnt) || db_object_count(r.db, r.subject_row, &objects))
		goto out;
	printf("stockade: recorded %lld event%s, %lld distinct object%s, %llu lost\n",
	       (long long)r.events, plural(r.events), (long long)objects, plural(objects),
	       (unsigned long long)cnt.n[STK_CNT_EVENTS_LOST]);
	err = 0;
out:
	kernel_close(k);
	db_close(r.db);
	return err ? stk_report() : 0;
}

int cmd_record(int argc, char **argv)
{
	static const struct option opts[] = {
		SUBJECT_OPTIONS,
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct subject_arg subj = { 0 };
	const char *db = "stockade.db";
	int o;

	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case 's':
		case 'c':
		case 'u':
			if (subject_arg_set(&subj, o, optarg))
				return stk_report();
			break;
		case 'd':
			db = optarg;
			break;
		case 'h':
			return usage(record_usage, 0);
		default:
			return usage(record_usage, 2);
		}
	}
	if (optind != argc)
		return usage(record_usage, 2);
	if (subject_arg_check(&subj))
		return stk_report();
	return record(&subj, db);
}

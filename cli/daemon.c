/*
 * stockade enforce --dir: the production daemon. The profiles in one
 * directory are the policy; configuration management puts files there. Each
 * added or changed profile is checked whole (YAML, approval, subject, rules)
 * and swapped in atomically for its subject: the new rules load under a new
 * profile id, one map update moves the subject to them, then the old rules
 * go. A bad version is logged and the one in force stays. The programs and
 * maps are pinned, so enforcement outlives the daemon; a restarted daemon
 * adopts them. Every denial is a JSON line on stdout and a row in SQLite.
 */
#include <errno.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/inotify.h>
#include "cli.h"
#include "../subject/subject.h"
#include "../names/names.h"
#include "../kernel/kernel.h"
#include "../db/db.h"
#include "../profile/profile.h"
#include "../enforcer/enforcer.h"
#include "../common/error.h"
#include "../common/systemd.h"

#define APPLIED_MAX STK_SUBJECTS_MAX

/* A profile file in force, and what it put in the kernel. */
struct applied {
	char file[STK_INFO_FILE_MAX]; /* its name in the directory */
	char who[SUBJECT_LABEL_MAX];                /* "service httpd.service" */
	char name[256];               /* "httpd.service", as journal field STOCKADE_SUBJECT */
	uint64_t subject;
	uint32_t profile;
	char digest[PROFILE_DIGEST_LEN]; /* of the rules in force */
	bool complain;
};

/*
 * A hook that read the subject's old profile id just before the swap may
 * still be walking that profile's rules: they are dropped only once every
 * such hook has long finished, or it would deny what both versions allow.
 */
#define RETIRE_MS 2000

struct retired {
	uint32_t profile;
	uint64_t due_ms; /* CLOCK_MONOTONIC */
};

struct daemon {
	const char *dir;
	struct retired retired[APPLIED_MAX];
	size_t nretired;
	struct protection own; /* what no confined task may change, whatever its profile says */
	bool complain;
	struct kernel *k;
	struct db *log;
	struct applied applied[APPLIED_MAX];
	size_t napplied;
};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* What the daemon does, on stderr (journald keeps it); stdout is for denials. */
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("stockade: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Drop the retired profiles that are due (all of them with all). */
static void drop_retired(struct daemon *d, bool all)
{
	uint64_t now = now_ms();

	for (size_t i = 0; i < d->nretired;) {
		if (!all && d->retired[i].due_ms > now) {
			i++;
			continue;
		}
		if (kernel_profile_drop(d->k, d->retired[i].profile))
			say("%s", stk_error());
		d->retired[i] = d->retired[--d->nretired];
	}
}

static void retire(struct daemon *d, uint32_t profile)
{
	if (d->nretired == APPLIED_MAX)
		drop_retired(d, true);
	d->retired[d->nretired++] = (struct retired){ profile, now_ms() + RETIRE_MS };
}

static struct applied *by_file(struct daemon *d, const char *file)
{
	for (size_t i = 0; i < d->napplied; i++)
		if (!strcmp(d->applied[i].file, file))
			return &d->applied[i];
	return NULL;
}

static struct applied *by_subject(struct daemon *d, uint64_t subject)
{
	for (size_t i = 0; i < d->napplied; i++)
		if (d->applied[i].subject == subject)
			return &d->applied[i];
	return NULL;
}

static void name_applied(struct applied *a, const struct subject *s)
{
	subject_label(s->kind, s->name, a->who, sizeof(a->who));
	snprintf(a->name, sizeof(a->name), "%s", s->name);
}

static void forget(struct daemon *d, struct applied *a)
{
	*a = d->applied[--d->napplied];
}

/* Profiles are NAME.yaml; editors' and stockade's own temporary files are not. */
static bool profile_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 5 && n < STK_INFO_FILE_MAX && !strcmp(name + n - 5, ".yaml");
}

/* ---- applying ------------------------------------------------------------- */

/* Swap the candidate in for its subject; the old rules go only after. */
static int candidate_apply(struct daemon *d, const char *file, struct enforcement *c, struct applied *a)
{
	uint32_t id;

	if (enforcement_apply(d->k, c, file, &id))
		return -1;
	if (a && a->subject != c->subject.id && kernel_subject_remove(d->k, a->subject))
		say("%s", stk_error());
	if (a)
		retire(d, a->profile);
	if (!a) {
		a = &d->applied[d->napplied++];
		snprintf(a->file, sizeof(a->file), "%s", file);
	}
	a->subject = c->subject.id;
	a->profile = id;
	a->complain = c->mode == STK_MODE_COMPLAIN;
	snprintf(a->digest, sizeof(a->digest), "%s", c->digest);
	name_applied(a, &c->subject);
	say("applied %s to %s: %zu rule%s (and %zu of stockade's self-protection), %s mode%s", file, a->who,
	    c->nrules, plural((long long)c->nrules), c->nprotection, a->complain ? "complain" : "enforce",
	    c->subject.waiting ? " (not running: in force from its first process when it starts)" : "");
	return 0;
}

/* The file was added or changed: put its profile in force, or say why not. */
static void reconcile(struct daemon *d, const char *file)
{
	struct applied *a = by_file(d, file), *owner;
	struct enforcement c;
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", d->dir, file);
	if (enforcement_prepare(&c, path, d->complain, &d->own, d->k))
		goto refused;
	owner = by_subject(d, c.subject.id);
	if (owner && owner != a) {
		stk_fail("%s: %s is already enforced from %s", c.file, owner->who, owner->file);
		goto refused;
	}
	if (a && a->subject == c.subject.id && !strcmp(a->digest, c.digest) &&
	    a->complain == (c.mode == STK_MODE_COMPLAIN)) {
		name_applied(a, &c.subject);
		enforcement_free(&c);
		return; /* the rules in force already */
	}
	if (!a && d->napplied == APPLIED_MAX) {
		stk_fail("%s: more than %d profiles", c.file, APPLIED_MAX);
		goto refused;
	}
	if (candidate_apply(d, file, &c, a))
		goto refused;
	enforcement_free(&c);
	return;
refused:
	say("%s; %s", stk_error(), a ? "the version in force stays" : "nothing applied");
	enforcement_free(&c);
}

/* The file is gone: its subject goes free. */
static void release_file(struct daemon *d, const char *file)
{
	struct applied *a = by_file(d, file);

	if (!a)
		return;
	if (kernel_subject_remove(d->k, a->subject) || kernel_profile_drop(d->k, a->profile))
		say("%s", stk_error());
	say("%s was removed: %s released", file, a->who);
	forget(d, a);
}

/* ---- start-up ----------------------------------------------------------------- */

static int adopt_subject(uint64_t id, const struct stk_subject *s, const struct stk_subject_info *info, void *ctx)
{
	struct daemon *d = ctx;
	struct applied *a;

	if (d->napplied == APPLIED_MAX)
		return 0;
	a = &d->applied[d->napplied++];
	memset(a, 0, sizeof(*a));
	snprintf(a->file, sizeof(a->file), "%.*s", STK_INFO_FILE_MAX - 1, info->file);
	snprintf(a->digest, sizeof(a->digest), "%.*s", PROFILE_DIGEST_LEN - 1, info->digest);
	snprintf(a->who, sizeof(a->who), "cgroup id %llu", (unsigned long long)id);
	snprintf(a->name, sizeof(a->name), "%llu", (unsigned long long)id);
	a->subject = id;
	a->profile = s->profile;
	a->complain = s->mode == STK_MODE_COMPLAIN;
	return 0;
}

/* Make the kernel match the directory: apply every profile, release the rest. */
static int sync_all(struct daemon *d)
{
	DIR *dir = opendir(d->dir);
	struct dirent *e;

	if (!dir)
		return stk_fail("%s: %s", d->dir, strerror(errno));
	while ((e = readdir(dir)))
		if (profile_name(e->d_name))
			reconcile(d, e->d_name);
	closedir(dir);
	for (size_t i = 0; i < d->napplied;) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", d->dir, d->applied[i].file);
		if (!d->applied[i].file[0] || access(path, F_OK)) {
			release_file(d, d->applied[i].file);
			continue;
		}
		i++;
	}
	return 0;
}

/* ---- the denial log ----------------------------------------------------------- */

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_field(const char *key, const char *value, bool last)
{
	json_string(key);
	putchar(':');
	json_string(value);
	fputs(last ? "" : ",", stdout);
}

/*
 * The denial as a structured journal entry: `journalctl STOCKADE_SUBJECT=
 * nginx.service` lists a service's denials. Returns 0 once journald took it.
 */
static int journal_denial(const struct applied *a, const struct denial *den, const char *pid, const char *uid)
{
	char msg[STK_PATH_MAX + 1024];
	const char *exe = den->exe[0] ? den->exe : den->comm;

	snprintf(msg, sizeof(msg), "%s %s %s of %s by %s (pid %s, uid %s); profile %s, `stockade status`",
		 den->subject, den->verdict, den->access, den->object, exe, pid, uid, den->profile);
	const struct journal_field fields[] = {
		{ "MESSAGE", msg },
		{ "PRIORITY", strcmp(den->verdict, "denied") ? "5" : "4" },
		{ "SYSLOG_IDENTIFIER", "stockade" },
		{ "STOCKADE_SUBJECT", a ? a->name : den->subject },
		{ "STOCKADE_PROFILE", den->profile },
		{ "STOCKADE_VERDICT", den->verdict },
		{ "STOCKADE_KIND", den->kind },
		{ "STOCKADE_OBJECT", den->object },
		{ "STOCKADE_ACCESS", den->access },
		{ "STOCKADE_EXE", den->exe[0] ? den->exe : "?" },
		{ "STOCKADE_COMM", den->comm },
		{ "STOCKADE_PID", pid },
		{ "STOCKADE_UID", uid },
	};

	return journal_send(fields, sizeof(fields) / sizeof(fields[0]));
}

static void json_denial(const struct denial *den, const char *pid, const char *uid);

static int log_denial(const struct stk_event *ev, void *ctx)
{
	struct daemon *d = ctx;
	const struct applied *a = by_subject(d, ev->subject);
	char who[64], profile[4096 + STK_INFO_FILE_MAX];
	struct event_text t;
	struct denial den = { .time = (int64_t)time(NULL), .verdict = verdict_name(ev->verdict), .exe = ev->exe,
			      .comm = ev->comm, .pid = ev->pid, .uid = ev->uid };
	char pid[16], uid[16];

	if (ev->verdict == STK_VERDICT_SEEN)
		return 0;
	snprintf(who, sizeof(who), "cgroup id %llu", (unsigned long long)ev->subject);
	den.subject = a ? a->who : who;
	if (a)
		snprintf(profile, sizeof(profile), "%s/%s", d->dir, a->file);
	den.profile = a ? profile : "unknown";
	event_text(ev, &t);
	den.kind = t.kind;
	den.object = t.object;
	den.access = t.access;
	snprintf(pid, sizeof(pid), "%u", ev->pid);
	snprintf(uid, sizeof(uid), "%u", ev->uid);
	if (!journal_denial(a, &den, pid, uid) || !journal_is_stdout())
		json_denial(&den, pid, uid);
	if (d->log && db_denial(d->log, &den))
		say("%s", stk_error());
	return 0;
}

/* The denial as one JSON line on standard output. */
static void json_denial(const struct denial *den, const char *pid, const char *uid)
{
	char when[32];

	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&(time_t){ den->time }));
	putchar('{');
	json_field("time", when, false);
	json_field("subject", den->subject, false);
	json_field("verdict", den->verdict, false);
	json_field("kind", den->kind, false);
	json_field("object", den->object, false);
	json_field("access", den->access, false);
	json_field("exe", den->exe[0] ? den->exe : "?", false);
	json_field("comm", den->comm, false);
	printf("\"pid\":%s,\"uid\":%s,", pid, uid);
	json_field("profile", den->profile, false);
	json_field("status", "stockade status", true);
	puts("}");
}

/* ---- the loop --------------------------------------------------------------------- */

static int watch(const char *dir)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

	if (fd < 0)
		return stk_fail("cannot watch %s: %s", dir, strerror(errno));
	if (inotify_add_watch(fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE) < 0) {
		close(fd);
		return stk_fail("cannot watch %s: %s", dir, strerror(errno));
	}
	return fd;
}

/* Apply what changed in the directory since the last call. */
static void changes(struct daemon *d, int fd)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *e = (const struct inotify_event *)p;

			if (e->len && profile_name(e->name)) {
				if (e->mask & (IN_DELETE | IN_MOVED_FROM))
					release_file(d, e->name);
				else
					reconcile(d, e->name);
			}
			p += sizeof(*e) + e->len;
		}
	}
}

int enforce_daemon(const char *dir, const char *log_file, bool complain)
{
	static struct daemon d;
	bool adopted;
	int fd = -1, err = -1;

	d.dir = dir;
	d.complain = complain;
	if ((fd = watch(dir)) < 0)
		return stk_report();
	if (log_file && db_open(log_file, true, &d.log))
		goto out;
	/* Both exist now, so they are protected under their real names. */
	if (protection_add(&d.own, STK_PIN_DIR, "") || protection_add(&d.own, dir, ""))
		goto out;
	for (const char *const *suffix = (const char *const[]){ "", "-wal", "-shm", "-journal", NULL };
	     log_file && *suffix; suffix++)
		if (protection_add(&d.own, log_file, *suffix))
			goto out;
	if (kernel_open_pinned(&d.k, true, &adopted))
		goto out;
	if ((adopted && kernel_subjects(d.k, adopt_subject, &d)) || enforce_protect_self(d.k))
		goto out;
	say(adopted ? "adopted the programs pinned in %s" : "loaded the programs and pinned them in %s", STK_PIN_DIR);
	if (sync_all(&d))
		goto out;
	say("enforcing the profiles in %s (%zu in force); denials go to %s%s%s", dir, d.napplied,
	    journal_is_stdout() ? "the journal" : "standard output and the journal, if any",
	    log_file ? " and " : "", log_file ? log_file : "");
	systemd_notify_ready();
	cli_catch_signals();
	while (!cli_stop) {
		if (d.log)
			db_begin(d.log);
		if (kernel_poll(d.k, log_denial, &d, CLI_POLL_MS) < 0)
			say("%s", stk_error());
		fflush(stdout);
		if (d.log)
			db_commit(d.log);
		changes(&d, fd);
		drop_retired(&d, false);
	}
	drop_retired(&d, true);
	say("stopped; the profiles stay in force (`stockade disable` lifts them)");
	err = 0;
out:
	kernel_close(d.k);
	db_close(d.log);
	close(fd);
	return err ? stk_report() : 0;
}

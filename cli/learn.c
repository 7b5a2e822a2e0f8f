/* stockade learn: the profile that allows what recordings saw. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"
#include "../subject/subject.h"
#include "../names/names.h"
#include "../db/db.h"
#include "../profile/profile.h"
#include "../learner/learner.h"
#include "../common/error.h"

static const char learn_usage[] =
	"usage: stockade learn --db FILE [--db FILE...] SUBJECT [options]\n"
	"       stockade learn --db FILE [--db FILE...] --all -o DIR [options]\n"
	"       stockade learn --check RECORDING.db PROFILE.yaml\n"
	"\n"
	"Write the smallest profile that allows every access recorded for the subject\n"
	"(--service UNIT, --cgroup PATH or --user USER), with each rule's evidence.\n"
	"Each --db is one host's recording; rules say on how many hosts they were\n"
	"seen. The same recordings always give the same bytes. Every generalisation\n"
	"and every observation left without a rule is reported on standard error,\n"
	"then the profile in one screen: its rules by what they are for\n"
	"(configuration, content, logs, libraries, runtime, network), what was\n"
	"generalised and why, and the executables that did it.\n"
	"\n"
	"  -o, --output FILE       write the profile here (default: standard output)\n"
	"  --all                   learn every recorded subject, into DIR/NAME.yaml\n"
	"  --diff OLD.yaml         print what changed since OLD.yaml on standard output\n"
	"                          (+ added, - removed, > widened, < narrowed); the\n"
	"                          profile is then written only with -o\n"
	"  --min-hosts N           leave out rules seen on fewer than N hosts (1)\n"
	"  --siblings N            a directory with N entries used with one access\n"
	"                          becomes a subtree rule for that access (16)\n"
	"  --random-min N          a directory with N random-looking names (temporary\n"
	"                          files) becomes a subtree rule for their access (3)\n"
	"  --content-names N       a content tree (web root, spool, cache): N objects\n"
	"                          or more used with one access below a folder (8),\n"
	"  --content-folders N     spread over N folders or more (3), make the\n"
	"                          deepest folder holding them all a subtree rule\n"
	"                          for that access; never a top-level folder,\n"
	"                          /usr/*, /var/*, /proc or /sys\n"
	"  --numbered N            N names the service makes in one directory that\n"
	"                          differ only in numbers (access.log.1, .2.gz;\n"
	"                          worker.4711.sock) make it a subtree rule for\n"
	"                          their accesses (2)\n"
	"  --net-siblings N        N peers in one /24 or /64 on one port become a\n"
	"                          prefix rule; loopback is never merged (8)\n"
	"  --ephemeral-ports LO-HI binds to these ports get no rule (32768-60999)\n"
	"  --exact                 generalise nothing: one rule per object\n"
	"  -q, --quiet             report neither generalisations nor the summary\n"
	"\n"
	"--check RECORDING.db PROFILE.yaml learns nothing: it prints every\n"
	"observation of the profile's subject in the recording that the profile,\n"
	"enforced, would deny (the false denials of the next day's traffic, found\n"
	"offline), one per line, and how many. Exit status 1 when any would be.\n";

struct learn_args {
	const char **dbs;
	size_t ndbs;
	struct subject_arg subject;
	bool all, quiet;
	const char *out, *diff, *check;
	struct learn_options opt;
};

/* A recording, opened, with the host it was made on. */
struct recording {
	const char *file;
	struct db *db;
	char host[256];
};

static void report_line(const char *line, void *ctx)
{
	fprintf(stderr, "stockade: %s: %s\n", (const char *)ctx, line);
}

static void recordings_close(struct recording *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		db_close(r[i].db);
	free(r);
}

static int recordings_open(const struct learn_args *a, struct recording **out)
{
	struct recording *r = calloc(a->ndbs, sizeof(*r));

	if (!r)
		return stk_fail("out of memory");
	for (size_t i = 0; i < a->ndbs; i++) {
		r[i].file = a->dbs[i];
		if (db_open_read(a->dbs[i], &r[i].db) || db_host(r[i].db, r[i].host, sizeof(r[i].host))) {
			recordings_close(r, i + 1);
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(r[j].host, r[i].host))
				stk_warn("%s and %s were both recorded on host %s: counted as one host",
					 r[j].file, r[i].file, r[i].host);
	}
	*out = r;
	return 0;
}

static int learn_subject(const struct learn_args *a, struct recording *r, enum subject_kind kind,
			 const char *name, struct profile *p)
{
	struct learn_options opt = a->opt;
	struct learner *l;
	char who[SUBJECT_LABEL_MAX];
	int rows = 0, n = 0;

	subject_label(kind, name, who, sizeof(who));
	opt.report = a->quiet ? NULL : report_line;
	opt.report_ctx = who;
	if (learner_new(&opt, kind, name, &l))
		return -1;
	for (size_t i = 0; i < a->ndbs && n >= 0; i++)
		rows += n = learner_add_db(l, r[i].host, r[i].db);
	if (n >= 0 && rows == 0)
		n = stk_fail("no observations of %s in %s%s (was it recorded there?)", who, r[0].file,
			     a->ndbs > 1 ? " or the other recordings" : "");
	if (n >= 0)
		n = learner_finish(l, p);
	learner_free(l);
	return n < 0 ? -1 : 0;
}

static size_t count_kind(const struct profile *p, enum rule_kind kind)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nfiles; i++)
		n += p->files[i].kind == kind;
	return n;
}

static void say_written(const struct profile *p, const char *file)
{
	size_t files = count_kind(p, RULE_FILE), exec = count_kind(p, RULE_EXEC);
	size_t net = p->nnet + count_kind(p, RULE_UNIX), rules = profile_rule_count(p);
	char who[SUBJECT_LABEL_MAX];

	subject_label(p->subject_kind, p->subject, who, sizeof(who));
	fprintf(stderr, "stockade: wrote %zu rule%s (%zu file, %zu exec, %zu network) for %s (%zu host%s) to %s\n",
		rules, plural((long long)rules), files, exec, net, who, p->generated.nhosts,
		plural((long long)p->generated.nhosts), file);
}

/* The profile in one screen, on standard error, for whoever reads the report. */
static int print_summary(const struct profile *p)
{
	char **lines;
	size_t n;

	if (profile_summary(p, 100, &lines, &n))
		return -1;
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "  %s\n", lines[i]);
	summary_free(lines, n);
	return 0;
}

static int write_profile(const struct profile *p, const char *out)
{
	char *text;
	size_t len;
	int err;

	if (out && strcmp(out, "-")) {
		if (profile_save(p, out))
			return -1;
		say_written(p, out);
		return 0;
	}
	if (profile_format(p, &text, &len))
		return -1;
	err = fwrite(text, 1, len, stdout) == len ? 0 : stk_fail("cannot write to standard output");
	free(text);
	return err;
}

static void print_diff(const struct profile *old, const struct profile *p, const char *old_file)
{
	struct diff_counts c;

	char who[SUBJECT_LABEL_MAX];

	subject_label(p->subject_kind, p->subject, who, sizeof(who));
	printf("# %s: changes since %s\n", who, old_file);
	profile_diff(stdout, old, p, &c);
	printf("# %zu added, %zu removed, %zu widened, %zu narrowed\n", c.added, c.removed, c.widened, c.narrowed);
}

static int learn_one(const struct learn_args *a, struct recording *r)
{
	struct profile p, old = { 0 };
	char name[256];
	int err;

	if (subject_canonical(a->subject.kind, a->subject.name, name, sizeof(name)))
		return -1;
	if (a->diff && profile_load(a->diff, &old))
		return -1;
	if (learn_subject(a, r, a->subject.kind, name, &p)) {
		profile_free(&old);
		return -1;
	}
	if (a->diff)
		print_diff(&old, &p, a->diff);
	err = (!a->diff || a->out) ? write_profile(&p, a->out) : 0;
	if (!err && !a->quiet)
		err = print_summary(&p);
	profile_free(&p);
	profile_free(&old);
	return err;
}

/* ---- --all ----------------------------------------------------------------- */

struct subject_list {
	struct subject_entry {
		enum subject_kind kind;
		char *name;
	} *v;
	size_t n;
};

static int subject_collect(enum subject_kind kind, const char *name, void *ctx)
{
	struct subject_list *s = ctx;
	struct subject_entry *grown;

	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].kind == kind && !strcmp(s->v[i].name, name))
			return 0;
	if (!(grown = realloc(s->v, (s->n + 1) * sizeof(*grown))))
		return stk_fail("out of memory");
	s->v = grown;
	if (!(s->v[s->n].name = strdup(name)))
		return stk_fail("out of memory");
	s->v[s->n++].kind = kind;
	return 0;
}

/* DIR/httpd.service.yaml, DIR/cgroup-system.slice-app.yaml, DIR/user-alice.yaml */
static int profile_file(const char *dir, enum subject_kind kind, const char *name, char *buf, size_t len)
{
	char flat[256];
	size_t i;

	snprintf(flat, sizeof(flat), "%s", name[0] == '/' ? name + 1 : name);
	for (i = 0; flat[i]; i++)
		if (flat[i] == '/')
			flat[i] = '-';
	if ((size_t)snprintf(buf, len, "%s/%s%s%s.yaml", dir, kind == SUBJECT_SERVICE ? "" : subject_kind_name(kind),
			     kind == SUBJECT_SERVICE ? "" : "-", flat) >= len)
		return stk_fail("%s: path too long", dir);
	return 0;
}

static int learn_all(const struct learn_args *a, struct recording *r)
{
	struct subject_list s = { 0 };
	char file[4096];
	struct stat st;
	int err = 0;

	if (stat(a->out, &st) || !S_ISDIR(st.st_mode))
		return stk_fail("%s: not a directory (--all writes one profile per subject into -o DIR)", a->out);
	for (size_t i = 0; !err && i < a->ndbs; i++)
		err = db_foreach_subject(r[i].db, subject_collect, &s);
	if (!err && !s.n)
		err = stk_fail("no subjects in the recordings: nothing to learn");
	for (size_t i = 0; !err && i < s.n; i++) {
		struct profile p;

		err = profile_file(a->out, s.v[i].kind, s.v[i].name, file, sizeof(file)) ||
		      learn_subject(a, r, s.v[i].kind, s.v[i].name, &p);
		if (err)
			break;
		err = write_profile(&p, file) || (!a->quiet && print_summary(&p));
		profile_free(&p);
	}
	for (size_t i = 0; i < s.n; i++)
		free(s.v[i].name);
	free(s.v);
	return err;
}

/* ---- --check ------------------------------------------------------------------- */

struct check {
	const struct profile *p;
	int64_t observations, denied;
};

static int check_one(const struct observation *o, void *ctx)
{
	struct check *c = ctx;
	char acc[64];

	c->observations++;
	if (profile_allows_observation(c->p, o))
		return 0;
	c->denied++;
	if (!strcmp(o->kind, "file"))
		printf("deny file %s [%s]", o->object, access_format(o->access, acc, sizeof(acc)));
	else if (!strcmp(o->kind, "net"))
		printf("deny net %s %s", net_op_name(o->access), o->object);
	else
		printf("deny %s %s", o->kind, o->object);
	printf("  by %s, seen %" PRId64 "x\n", o->exe && o->exe[0] ? o->exe : "-", o->count);
	return 0;
}

/* Every observation of the profile's subject the profile would deny. */
static int check_recording(const char *db_file, const char *profile_file)
{
	struct profile p;
	struct db *db;
	struct check c = { .p = &p };
	char who[SUBJECT_LABEL_MAX];
	int n;

	if (profile_load(profile_file, &p))
		return -1;
	subject_label(p.subject_kind, p.subject, who, sizeof(who));
	if (db_open_read(db_file, &db)) {
		profile_free(&p);
		return -1;
	}
	n = db_foreach_observation(db, p.subject_kind, p.subject, check_one, &c);
	if (n == 0)
		n = stk_fail("no observations of %s in %s (was it recorded there?)", who, db_file);
	if (n > 0)
		fprintf(stderr, "stockade: %s would deny %" PRId64 " of %" PRId64 " observation%s of %s in %s\n",
			profile_file, c.denied, c.observations, plural(c.observations), who, db_file);
	db_close(db);
	profile_free(&p);
	return n < 0 ? -1 : c.denied ? 1 : 0;
}

/* ---- options ----------------------------------------------------------------- */

static int parse_count(const char *opt, const char *text, int min, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < min || v > 1000000)
		return stk_fail("%s must be a whole number from %d to 1000000, not '%s'", opt, min, text);
	*out = (int)v;
	return 0;
}

static int parse_port_range(const char *text, uint16_t *lo, uint16_t *hi)
{
	unsigned a, b;
	char tail;

	if (sscanf(text, "%u-%u%c", &a, &b, &tail) != 2 || a < 1 || a > b || b > 65535)
		return stk_fail("--ephemeral-ports must be LO-HI within 1-65535, such as 32768-60999, not '%s'", text);
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

/*
 * The learner's thresholds, each once: its option, the least count it takes
 * and the field of struct learn_options it sets.
 */
#define THRESHOLDS(X)                                                    \
	X(OPT_MIN_HOSTS, "min-hosts", 1, min_hosts)                      \
	X(OPT_SIBLINGS, "siblings", 2, siblings)                         \
	X(OPT_RANDOM, "random-min", 2, random_min)                       \
	X(OPT_CONTENT_NAMES, "content-names", 2, content_names)          \
	X(OPT_CONTENT_FOLDERS, "content-folders", 2, content_folders)    \
	X(OPT_NUMBERED, "numbered", 2, numbered)                         \
	X(OPT_NET, "net-siblings", 2, net_siblings)

enum {
	OPT_DB = 256, OPT_ALL, OPT_DIFF, OPT_EPHEMERAL, OPT_EXACT, OPT_CHECK,
#define THRESHOLD_ID(id, name, least, field) id,
	THRESHOLDS(THRESHOLD_ID)
#undef THRESHOLD_ID
};

static int parse_option(struct learn_args *a, int o, const char *arg)
{
	switch (o) {
	case 's':
	case 'c':
	case 'u':
		return subject_arg_set(&a->subject, o, arg);
	case OPT_DB:
		a->dbs[a->ndbs++] = arg;
		return 0;
	case 'o':
		a->out = arg;
		return 0;
	case OPT_ALL:
		a->all = true;
		return 0;
	case OPT_DIFF:
		a->diff = arg;
		return 0;
	case 'q':
		a->quiet = true;
		return 0;
#define THRESHOLD_CASE(id, name, least, field) \
	case id:                               \
		return parse_count("--" name, arg, least, &a->opt.field);
	THRESHOLDS(THRESHOLD_CASE)
#undef THRESHOLD_CASE
	case OPT_EPHEMERAL:
		return parse_port_range(arg, &a->opt.ephemeral_lo, &a->opt.ephemeral_hi);
	case OPT_EXACT:
		a->opt.exact = true;
		return 0;
	case OPT_CHECK:
		a->check = arg;
		return 0;
	default:
		return stk_fail("unknown option");
	}
}

static int check_args(const struct learn_args *a)
{
	if (!a->ndbs)
		return stk_fail("which recording? give --db FILE (once per host)");
	if (a->all && a->subject.name)
		return stk_fail("give a subject or --all, not both");
	if (a->all && !a->out)
		return stk_fail("--all writes one profile per subject: give -o DIR");
	if (a->all && a->diff)
		return stk_fail("--diff compares one subject's profile: give a subject, not --all");
	return a->all ? 0 : subject_arg_check(&a->subject);
}

int cmd_learn(int argc, char **argv)
{
	static const struct option opts[] = {
		SUBJECT_OPTIONS,
		{ "db", required_argument, NULL, OPT_DB },
		{ "output", required_argument, NULL, 'o' },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "diff", required_argument, NULL, OPT_DIFF },
#define THRESHOLD_OPTION(id, name, least, field) { name, required_argument, NULL, id },
		THRESHOLDS(THRESHOLD_OPTION)
#undef THRESHOLD_OPTION
		{ "ephemeral-ports", required_argument, NULL, OPT_EPHEMERAL },
		{ "exact", no_argument, NULL, OPT_EXACT },
		{ "check", required_argument, NULL, OPT_CHECK },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct learn_args a = { .dbs = calloc((size_t)argc, sizeof(char *)) };
	struct recording *r = NULL;
	int o, err;

	if (!a.dbs) {
		stk_fail("out of memory");
		return stk_report();
	}
	learn_options_default(&a.opt);
	while ((o = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
		if (o == 'h' || o == '?') {
			free(a.dbs);
			return usage(learn_usage, o == 'h' ? 0 : 2);
		}
		if (parse_option(&a, o, optarg)) {
			free(a.dbs);
			return stk_report();
		}
	}
	if (a.check) {
		free(a.dbs);
		if (optind != argc - 1)
			return usage(learn_usage, 2);
		err = check_recording(a.check, argv[optind]);
		return err < 0 ? stk_report() : err;
	}
	if (optind != argc) {
		free(a.dbs);
		return usage(learn_usage, 2);
	}
	err = check_args(&a) || recordings_open(&a, &r);
	if (!err) {
		err = a.all ? learn_all(&a, r) : learn_one(&a, r);
		recordings_close(r, a.ndbs);
	}
	free(a.dbs);
	return err ? stk_report() : 0;
}

/*
 * How long learning takes, and how much memory, on a synthetic recording of
 * 1,000,000 observations across 100 subjects. Each figure is the median of
 * several runs, side by side with a baseline in the same run: reading every
 * observation out of SQLite and doing nothing with it. Each run is a child
 * process, so its peak memory is its own.
 *
 *   build/bench-learn [OBSERVATIONS [SUBJECTS [RUNS]]]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "../subject/subject.h"
#include "../db/db.h"
#include "../profile/profile.h"
#include "../learner/learner.h"
#include "../common/error.h"

#define BATCH 10000

static double clock_s(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* A small, fixed PRNG: the same recording on every machine. */
static uint32_t next(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*state >> 33);
}

/*
 * Observation i of subject s, shaped like a service's: libraries, a data
 * tree, temporary files, configuration, peers. Every i names a different
 * object, so the recording holds as many rows as observations made.
 */
static void synthetic(uint64_t *rng, int s, long i, char *object, size_t len, const char **kind,
		      uint32_t *access)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	uint32_t pick = next(rng) % 100;
	char name[9];

	*kind = "file";
	if (pick < 5) {
		snprintf(object, len, "/usr/lib/x86_64-linux-gnu/lib%ld.so.1", i);
		*access = STK_ACC_READ | STK_ACC_EXEC;
	} else if (pick < 60) {
		snprintf(object, len, "/srv/svc%d/data/d%ld/item%ld.json", s, i % 50, i);
		*access = next(rng) % 4 ? STK_ACC_READ : STK_ACC_WRITE | STK_ACC_CREATE;
	} else if (pick < 80) {
		for (int k = 0; k < 8; k++)
			name[k] = alnum[next(rng) % (sizeof(alnum) - 1)];
		name[8] = 0;
		snprintf(object, len, "/var/tmp/svc%d/tmp.%s%ld", s, name, i);
		*access = STK_ACC_WRITE | STK_ACC_CREATE | STK_ACC_UNLINK;
	} else if (pick < 90) {
		snprintf(object, len, "/etc/svc%d/conf.d/%ld.conf", s, i);
		*access = STK_ACC_READ;
	} else {
		*kind = "net";
		snprintf(object, len, "tcp 10.%d.%ld.%ld:%ld", s % 256, (i / 250) % 256, i % 250, 1024 + i / 64000);
		*access = STK_NET_CONNECT;
	}
}

static int build_recording(const char *file, long nobs, int nsubjects)
{
	uint64_t rng = 42;
	struct db *db;
	double t0 = now(), cpu0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	long stored = 0;

	unlink(file);
	if (db_open(file, true, &db))
		return -1;
	for (int s = 0; s < nsubjects; s++) {
		struct subject subj = { .kind = SUBJECT_SERVICE };
		int64_t id;

		snprintf(subj.name, sizeof(subj.name), "svc%d.service", s);
		if (db_subject_id(db, &subj, &id) || db_begin(db))
			goto fail;
		for (long i = 0; i < nobs / nsubjects; i++) {
			char object[256];
			const char *kind;
			uint32_t access;

			synthetic(&rng, s, i, object, sizeof(object), &kind, &access);
			if (db_observe(db, id, kind, object, access, "/usr/bin/app", 0, 1700000000 + i))
				goto fail;
			stored++;
			if (stored % BATCH == 0 && (db_commit(db) || db_begin(db)))
				goto fail;
		}
		if (db_commit(db))
			goto fail;
	}
	db_close(db);
	double wall = now() - t0, cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	/* Per CPU second too: on a shared host the wall clock counts the wait for a CPU. */
	printf("recording: %ld observations stored for %d subjects in %.1f s (%.0f observations/s; %.0f per CPU second)\n",
	       stored, nsubjects, wall, (double)stored / wall, (double)stored / cpu);
	return 0;
fail:
	db_close(db);
	return -1;
}

struct totals {
	long rows, rules;
};

static int count_row(const struct observation *o, void *ctx)
{
	struct totals *t = ctx;

	t->rows += o->count > 0;
	return 0;
}

/* The baseline: every observation read, nothing learned. */
static int scan_all(struct db *db, int nsubjects, struct totals *t)
{
	char name[64];

	for (int s = 0; s < nsubjects; s++) {
		snprintf(name, sizeof(name), "svc%d.service", s);
		if (db_foreach_observation(db, SUBJECT_SERVICE, name, count_row, t) < 0)
			return -1;
	}
	return 0;
}

static int learn_all(struct db *db, int nsubjects, struct totals *t)
{
	struct learn_options o;
	char name[64];

	learn_options_default(&o);
	for (int s = 0; s < nsubjects; s++) {
		struct learner *l;
		struct profile p;
		char *text;
		size_t len;
		int n;

		snprintf(name, sizeof(name), "svc%d.service", s);
		if (learner_new(&o, SUBJECT_SERVICE, name, &l))
			return -1;
		n = learner_add_db(l, "bench", db);
		if (n < 0 || learner_finish(l, &p)) {
			learner_free(l);
			return -1;
		}
		learner_free(l);
		t->rows += n;
		t->rules += (long)(p.nfiles + p.nnet);
		if (profile_format(&p, &text, &len)) {
			profile_free(&p);
			return -1;
		}
		free(text);
		profile_free(&p);
	}
	return 0;
}

struct run {
	double seconds;
	long peak_kib;
	struct totals totals;
};

/* One timed pass in a child process; its peak memory is its own. */
static int measure(const char *file, int nsubjects, bool learn, struct run *out)
{
	int pipefd[2], status;
	struct rusage ru;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	if ((pid = fork()) == 0) {
		struct run r = { 0 };
		struct db *db;
		double t0 = now();
		int err = db_open_read(file, &db) ||
			  (learn ? learn_all(db, nsubjects, &r.totals) : scan_all(db, nsubjects, &r.totals));

		db_close(db);
		r.seconds = now() - t0;
		if (err)
			fprintf(stderr, "bench-learn: %s\n", stk_error());
		if (write(pipefd[1], &r, sizeof(r)) != sizeof(r))
			err = 1;
		_exit(err ? 1 : 0);
	}
	close(pipefd[1]);
	if (pid < 0 || read(pipefd[0], out, sizeof(*out)) != sizeof(*out) || wait4(pid, &status, 0, &ru) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status)) {
		close(pipefd[0]);
		return -1;
	}
	close(pipefd[0]);
	out->peak_kib = ru.ru_maxrss;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	long nobs = argc > 1 ? atol(argv[1]) : 1000000;
	int nsubjects = argc > 2 ? atoi(argv[2]) : 100, runs = argc > 3 ? atoi(argv[3]) : 3;
	char file[] = "/tmp/stockade-bench-learn.XXXXXX";
	double scan[16], learn[16];
	long peak = 0, base_peak = 0;
	struct run r = { 0 }, b = { 0 };
	int fd = mkstemp(file);

	if (fd < 0 || nobs <= 0 || nsubjects <= 0 || runs < 1 || runs > 16) {
		fprintf(stderr, "usage: bench-learn [OBSERVATIONS [SUBJECTS [RUNS (1-16)]]]\n");
		return 2;
	}
	close(fd);
	if (build_recording(file, nobs, nsubjects))
		goto fail;
	for (int i = 0; i < runs; i++) {
		if (measure(file, nsubjects, false, &b) || measure(file, nsubjects, true, &r))
			goto fail;
		scan[i] = b.seconds;
		learn[i] = r.seconds;
		peak = r.peak_kib > peak ? r.peak_kib : peak;
		base_peak = b.peak_kib > base_peak ? b.peak_kib : base_peak;
		printf("run %d: baseline scan %.2f s, learn %.2f s\n", i + 1, b.seconds, r.seconds);
	}
	double ms = median(scan, runs), ml = median(learn, runs);

	printf("\n%-34s %12s %12s\n", "median of runs", "seconds", "peak MiB");
	printf("%-34s %12.2f %12.1f\n", "baseline: read every observation", ms, (double)base_peak / 1024);
	printf("%-34s %12.2f %12.1f\n", "learn every subject", ml, (double)peak / 1024);
	printf("learning costs %.2fx the baseline; %ld observations -> %ld rules\n", ml / ms, r.totals.rows,
	       r.totals.rules);
	printf("target: under 2 s and 500 MiB: %s\n", ml < 2.0 && peak < 500 * 1024 ? "met" : "MISSED");
	unlink(file);
	return 0;
fail:
	fprintf(stderr, "bench-learn: %s\n", stk_error());
	unlink(file);
	return 1;
}

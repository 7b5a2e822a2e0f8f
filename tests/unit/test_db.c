/* The recording database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include <criterion/criterion.h>
#include <linux/types.h>
#include "../../bpf/abi.h"
#include "../../subject/subject.h"
#include "../../db/db.h"
#include "../../common/error.h"

static char dir[64], file[96];

static void make_dir(void)
{
	strcpy(dir, "/tmp/stockade-db-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/rec.db", dir);
}

static void remove_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(db, .init = make_dir, .fini = remove_dir);

static void sql(const char *path, const char *statements)
{
	sqlite3 *h;

	cr_assert_eq(sqlite3_open(path, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(h, statements, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(h));
	sqlite3_close(h);
}

static int pragma_int(const char *path, const char *pragma)
{
	sqlite3_stmt *st;
	sqlite3 *h;
	int v;

	cr_assert_eq(sqlite3_open(path, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, pragma, -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

static struct db *open_new(void)
{
	struct db *db;

	cr_assert_eq(db_open(file, true, &db), 0, "%s", stk_error());
	return db;
}

static int64_t subject_row(struct db *db, const char *name)
{
	struct subject s = { .kind = SUBJECT_SERVICE };
	int64_t id;

	snprintf(s.name, sizeof(s.name), "%s", name);
	cr_assert_eq(db_subject_id(db, &s, &id), 0, "%s", stk_error());
	return id;
}

Test(db, create_sets_schema_version_and_wal)
{
	db_close(open_new());
	cr_assert_eq(pragma_int(file, "PRAGMA user_version"), DB_SCHEMA_VERSION);
	cr_assert_eq(pragma_int(file, "SELECT count(*) FROM sqlite_master WHERE name = 'observations'"), 1);
	cr_assert_eq(pragma_int(file, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
}

Test(db, reopen_keeps_subjects)
{
	struct db *db = open_new();
	int64_t first = subject_row(db, "a.service");

	db_close(db);
	cr_assert_eq(db_open(file, false, &db), 0, "%s", stk_error());
	cr_assert_eq(subject_row(db, "a.service"), first);
	cr_assert_neq(subject_row(db, "b.service"), first);
	db_close(db);
}

Test(db, newer_schema_is_refused)
{
	struct db *db;
	char want[256];

	db_close(open_new());
	sql(file, "PRAGMA user_version = 3");
	cr_assert_neq(db_open(file, false, &db), 0);
	snprintf(want, sizeof(want), "%s: recording schema version 3 is newer than this stockade reads (2)", file);
	cr_assert(strstr(stk_error(), want), "%s", stk_error());
	cr_assert_neq(db_open(file, true, &db), 0, "create must not touch a newer database");
	cr_assert_eq(pragma_int(file, "PRAGMA user_version"), 3);
}

Test(db, version_1_recordings_gain_the_denials_table)
{
	struct denial d = { .time = 5, .subject = "service a.service", .verdict = "denied", .kind = "file",
			    .object = "/etc/shadow", .access = "read", .exe = "/bin/sh", .comm = "sh", .pid = 7 };
	struct db *db = open_new();
	int64_t s = subject_row(db, "a.service");

	cr_assert_eq(db_observe(db, s, "file", "/a", STK_ACC_READ, "/bin/app", 0, 1), 0);
	db_close(db);
	sql(file, "DROP TABLE denials; PRAGMA user_version = 1");
	cr_assert_eq(db_open(file, false, &db), 0, "%s", stk_error());
	cr_assert_eq(pragma_int(file, "PRAGMA user_version"), 2);
	cr_assert_eq(db_denial(db, &d), 0, "%s", stk_error());
	db_close(db);
	cr_assert_eq(pragma_int(file, "SELECT count(*) FROM denials WHERE object = '/etc/shadow' AND pid = 7"), 1);
	cr_assert_eq(pragma_int(file, "SELECT count(*) FROM observations"), 1, "the recording is kept");
}

Test(db, foreign_sqlite_database_is_refused)
{
	struct db *db;

	sql(file, "CREATE TABLE accounts(id INTEGER)");
	cr_assert_neq(db_open(file, true, &db), 0);
	cr_assert(strstr(stk_error(), "not a stockade recording"), "%s", stk_error());
}

Test(db, garbage_file_is_refused)
{
	struct db *db;
	FILE *f = fopen(file, "w");

	fputs("this is not a database, not even close, no header here at all......................", f);
	fclose(f);
	cr_assert_neq(db_open(file, false, &db), 0);
	cr_assert(strstr(stk_error(), file), "%s", stk_error());
}

Test(db, missing_file_points_to_record)
{
	struct db *db;

	cr_assert_neq(db_open(file, false, &db), 0);
	cr_assert(strstr(stk_error(), "stockade record"), "%s", stk_error());
	cr_assert_neq(access(file, F_OK), 0, "opening for reading must not create the file");
}

struct seen {
	char objects[8][64];
	int64_t counts[8], first[8], last[8];
	int n;
};

static int collect(const struct observation *o, void *ctx)
{
	struct seen *s = ctx;

	snprintf(s->objects[s->n], 64, "%s", o->object);
	s->counts[s->n] = o->count;
	s->first[s->n] = o->first_seen;
	s->last[s->n++] = o->last_seen;
	return 0;
}

Test(db, observations_come_back_ordered_and_counted)
{
	struct db *db = open_new();
	int64_t s = subject_row(db, "a.service");
	struct seen got = { 0 };

	cr_assert_eq(db_begin(db), 0);
	cr_assert_eq(db_observe(db, s, "file", "/z", STK_ACC_READ, "/bin/app", 1000, 50), 0);
	cr_assert_eq(db_observe(db, s, "file", "/a", STK_ACC_READ, "/bin/app", 1000, 30), 0);
	cr_assert_eq(db_observe(db, s, "file", "/a", STK_ACC_READ, "/bin/app", 1000, 10), 0);
	cr_assert_eq(db_observe(db, s, "file", "/a", STK_ACC_READ, "/bin/app", 1000, 20), 0);
	cr_assert_eq(db_commit(db), 0);
	cr_assert_eq(db_foreach_observation(db, SUBJECT_SERVICE, "a.service", collect, &got), 2);
	cr_assert_eq(got.n, 2);
	cr_assert_str_eq(got.objects[0], "/a");
	cr_assert_str_eq(got.objects[1], "/z");
	cr_assert_eq(got.counts[0], 3);
	cr_assert_eq(got.first[0], 10);
	cr_assert_eq(got.last[0], 30);
	db_close(db);
}

Test(db, an_object_keeps_the_first_executable_and_uid_seen)
{
	struct db *db = open_new();
	int64_t s = subject_row(db, "a.service");
	sqlite3_stmt *st;
	sqlite3 *h;

	cr_assert_eq(db_observe(db, s, "file", "/a", STK_ACC_READ, "/usr/bin/first", 1001, 10), 0);
	cr_assert_eq(db_observe(db, s, "file", "/a", STK_ACC_READ, "/usr/bin/second", 1002, 20), 0);
	db_close(db);
	cr_assert_eq(sqlite3_open(file, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, "SELECT exe, uid, count FROM observations", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "/usr/bin/first");
	cr_assert_eq(sqlite3_column_int(st, 1), 1001);
	cr_assert_eq(sqlite3_column_int(st, 2), 2);
	sqlite3_finalize(st);
	sqlite3_close(h);
}

Test(db, unknown_subject_has_no_observations)
{
	struct db *db = open_new();
	struct seen got = { 0 };

	cr_assert_eq(db_foreach_observation(db, SUBJECT_SERVICE, "ghost.service", collect, &got), 0);
	cr_assert_eq(got.n, 0);
	db_close(db);
}

static int count_subject(enum subject_kind kind, const char *name, void *ctx)
{
	struct db *db = ((void **)ctx)[0];
	int *calls = ((void **)ctx)[1];
	struct seen got = { 0 };

	/* A statement of our own on the same connection, as learn does. */
	db_foreach_observation(db, kind, name, collect, &got);
	return ++*calls > 100 ? -1 : 0;
}

/* Found by fuzzing: on this corrupted file, a statement run per subject made
 * the subject query start over, for ever. */
Test(db, corrupted_subjects_are_each_visited_once)
{
	const char *seed = "fuzz/corpus/db/regression-reprepare-loop.db";
	char cmd[512];
	struct db *db;
	int calls = 0;
	void *ctx[2];

	snprintf(cmd, sizeof(cmd), "cp %s %s", seed, file);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(db_open(file, false, &db), 0, "%s", stk_error());
	ctx[0] = db;
	ctx[1] = &calls;
	db_foreach_subject(db, count_subject, ctx);
	cr_assert_eq(calls, 1, "the one subject was visited %d times", calls);
	db_close(db);
}

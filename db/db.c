/*
 * The recording database: one SQLite file per recording host, schema
 * versioned by PRAGMA user_version, written in WAL mode with prepared
 * statements reused inside batched transactions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "../subject/subject.h"
#include "db.h"
#include "../common/error.h"

struct db {
	sqlite3 *h;
	char *path;
	sqlite3_stmt *observe, *deny;
};

static const char schema_v1[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE subjects("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('service', 'cgroup', 'user')),"
	"  name TEXT NOT NULL,"
	"  UNIQUE (kind, name));"
	"CREATE TABLE observations("
	"  subject INTEGER NOT NULL REFERENCES subjects(id),"
	"  kind TEXT NOT NULL,"       /* what was touched: 'file' */
	"  object TEXT NOT NULL,"     /* the path */
	"  access INTEGER NOT NULL,"  /* enum stk_access bits */
	"  count INTEGER NOT NULL,"   /* deliveries; the kernel deduplicates */
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  exe TEXT NOT NULL,"        /* the first executable seen doing it */
	"  uid INTEGER NOT NULL,"     /* and its uid */
	"  PRIMARY KEY (subject, kind, object, access)) WITHOUT ROWID;";

/* Version 2 adds the enforcer's log of what it refused. */
static const char schema_v2[] =
	"CREATE TABLE denials("
	"  time INTEGER NOT NULL,"    /* seconds since the epoch */
	"  subject TEXT NOT NULL,"    /* 'service nginx.service' */
	"  verdict TEXT NOT NULL,"    /* 'denied' or 'would deny' */
	"  kind TEXT NOT NULL,"       /* 'file', 'net' or 'privilege' */
	"  object TEXT NOT NULL,"
	"  access TEXT NOT NULL,"     /* access names, 'read,write' */
	"  exe TEXT NOT NULL,"
	"  comm TEXT NOT NULL,"
	"  pid INTEGER NOT NULL,"
	"  uid INTEGER NOT NULL);";

static int db_fail(struct db *db, const char *what)
{
	return stk_fail("%s: %s: %s", db->path, what, sqlite3_errmsg(db->h));
}

static int exec(struct db *db, const char *sql)
{
	return sqlite3_exec(db->h, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : db_fail(db, "database error");
}

static int schema_version(struct db *db, int *version)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "not a readable SQLite database");
	rc = sqlite3_step(st);
	*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, "not a readable SQLite database");
}

static int table_count(struct db *db, int *n)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db->h, "SELECT count(*) FROM sqlite_master", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "not a readable SQLite database");
	sqlite3_step(st);
	*n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

static int schema_create(struct db *db)
{
	char host[256] = "unknown", sql[512];

	gethostname(host, sizeof(host) - 1);
	sqlite3_snprintf(sizeof(sql), sql,
			 "INSERT INTO meta VALUES ('host', %Q), ('created', strftime('%%s','now'));", host);
	if (exec(db, "BEGIN") || exec(db, schema_v1) || exec(db, schema_v2) || exec(db, sql) ||
	    exec(db, "PRAGMA user_version = 2") || exec(db, "COMMIT"))
		return -1;
	return 0;
}

/* A version 1 recording gains the denials table; its data is untouched. */
static int schema_upgrade(struct db *db)
{
	if (exec(db, "BEGIN") || exec(db, schema_v2) || exec(db, "PRAGMA user_version = 2") || exec(db, "COMMIT"))
		return -1;
	return 0;
}

static int schema_check(struct db *db, bool create, bool readonly)
{
	int version = 0, tables = 0;

	if (schema_version(db, &version) || table_count(db, &tables))
		return -1;
	if (version == DB_SCHEMA_VERSION)
		return 0;
	if (version == 1)
		return readonly ? 0 : schema_upgrade(db); /* what reading needs is the same in 1 */
	if (version > DB_SCHEMA_VERSION)
		return stk_fail("%s: recording schema version %d is newer than this stockade reads (%d); use a newer stockade",
				db->path, version, DB_SCHEMA_VERSION);
	if (tables > 0 || version != 0)
		return stk_fail("%s: not a stockade recording (schema version %d, %d tables)", db->path, version, tables);
	if (!create)
		return stk_fail("%s: empty database, not a stockade recording", db->path);
	return schema_create(db);
}

static int open_with(const char *path, bool create, bool readonly, struct db **out)
{
	int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
	struct db *db = calloc(1, sizeof(*db));

	if (!db || !(db->path = strdup(path))) {
		free(db);
		return stk_fail("out of memory");
	}
	if (!create && access(path, F_OK) != 0) {
		stk_fail("%s: no such recording (create one with `stockade record`)", path);
		goto fail;
	}
	if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
		db_fail(db, "cannot open");
		goto fail;
	}
	sqlite3_busy_timeout(db->h, 5000);
	if (schema_check(db, create, readonly))
		goto fail;
	if (!readonly && (exec(db, "PRAGMA journal_mode = WAL") || exec(db, "PRAGMA synchronous = NORMAL")))
		goto fail;
	*out = db;
	return 0;
fail:
	db_close(db);
	return -1;
}

int db_open(const char *path, bool create, struct db **out)
{
	return open_with(path, create, false, out);
}

int db_open_read(const char *path, struct db **out)
{
	return open_with(path, false, true, out);
}

void db_close(struct db *db)
{
	if (!db)
		return;
	sqlite3_finalize(db->observe);
	sqlite3_finalize(db->deny);
	sqlite3_close(db->h);
	free(db->path);
	free(db);
}

int db_subject_id(struct db *db, const struct subject *s, int64_t *id)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->h,
			       "INSERT INTO subjects(kind, name) VALUES (?1, ?2) "
			       "ON CONFLICT DO UPDATE SET name = name RETURNING id",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "cannot register the subject");
	sqlite3_bind_text(st, 1, subject_kind_name(s->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, "cannot register the subject");
}

int db_begin(struct db *db)
{
	return exec(db, "BEGIN");
}

int db_commit(struct db *db)
{
	return exec(db, "COMMIT");
}

int db_observe(struct db *db, int64_t subject, const char *kind, const char *object,
	       uint32_t access, const char *exe, uint32_t uid, int64_t t)
{
	sqlite3_stmt *st = db->observe;
	int rc;

	if (!st && sqlite3_prepare_v2(db->h,
				      "INSERT INTO observations VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5, ?6, ?7) "
				      "ON CONFLICT DO UPDATE SET count = count + 1, "
				      "first_seen = min(first_seen, excluded.first_seen), "
				      "last_seen = max(last_seen, excluded.last_seen)",
				      -1, &db->observe, NULL) != SQLITE_OK)
		return db_fail(db, "cannot store observations");
	st = db->observe;
	sqlite3_bind_int64(st, 1, subject);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, object, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, access);
	sqlite3_bind_int64(st, 5, t);
	sqlite3_bind_text(st, 6, exe, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, uid);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, "cannot store an observation");
}

int db_object_count(struct db *db, int64_t subject, int64_t *n)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->h,
			       "SELECT count(DISTINCT kind || ':' || object) FROM observations WHERE subject = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "cannot count objects");
	sqlite3_bind_int64(st, 1, subject);
	rc = sqlite3_step(st);
	*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, "cannot count objects");
}

int db_foreach_observation(struct db *db, enum subject_kind kind, const char *name,
			   observation_fn fn, void *ctx)
{
	sqlite3_stmt *st;
	int rc, rows = 0, err = 0;

	if (sqlite3_prepare_v2(db->h,
			       "SELECT o.kind, o.object, o.access, o.count, o.first_seen, o.last_seen, o.exe "
			       "FROM observations o JOIN subjects s ON s.id = o.subject "
			       "WHERE s.kind = ?1 AND s.name = ?2 "
			       "ORDER BY o.kind, o.object, o.access",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "cannot read observations");
	sqlite3_bind_text(st, 1, subject_kind_name(kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct observation o = {
			.kind = (const char *)sqlite3_column_text(st, 0),
			.object = (const char *)sqlite3_column_text(st, 1),
			.access = (uint32_t)sqlite3_column_int64(st, 2),
			.count = sqlite3_column_int64(st, 3),
			.first_seen = sqlite3_column_int64(st, 4),
			.last_seen = sqlite3_column_int64(st, 5),
			.exe = (const char *)sqlite3_column_text(st, 6),
		};
		if (!o.kind || !o.object)
			err = stk_fail("%s: observation row with a NULL field", db->path);
		else
			err = fn(&o, ctx);
		rows++;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, "cannot read observations");
	sqlite3_finalize(st);
	return err ? err : rows;
}

int db_host(struct db *db, char *buf, size_t len)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->h, "SELECT value FROM meta WHERE key = 'host'", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "cannot read the recording's host");
	rc = sqlite3_step(st);
	/* A recording made by hand may name no host: it stands for one of its own. */
	snprintf(buf, len, "%s", rc == SQLITE_ROW && sqlite3_column_text(st, 0)
					 ? (const char *)sqlite3_column_text(st, 0) : db->path);
	sqlite3_finalize(st);
	return 0;
}

struct subject_row {
	enum subject_kind kind;
	char *name;
};

/*
 * Read every subject before calling fn: fn may run statements of its own on
 * this connection, and on a corrupted file those can make SQLite re-prepare
 * this one, which would then start over (found by fuzzing: it never ended).
 */
int db_foreach_subject(struct db *db, subject_fn fn, void *ctx)
{
	struct subject_row *rows = NULL, *grown;
	size_t n = 0;
	sqlite3_stmt *st;
	int rc = SQLITE_DONE, err = 0;

	if (sqlite3_prepare_v2(db->h, "SELECT kind, name FROM subjects ORDER BY kind, name", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "cannot read subjects");
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		enum subject_kind k;

		if (!kind || !name || subject_kind_parse(kind, &k)) {
			err = stk_fail("%s: a subject row with a bad kind", db->path);
			break;
		}
		if (!(grown = realloc(rows, (n + 1) * sizeof(*rows)))) {
			err = stk_fail("out of memory");
			break;
		}
		rows = grown;
		if (!(rows[n].name = strdup(name))) {
			err = stk_fail("out of memory");
			break;
		}
		rows[n++].kind = k;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, "cannot read subjects");
	sqlite3_finalize(st);
	for (size_t i = 0; !err && i < n; i++)
		err = fn(rows[i].kind, rows[i].name, ctx);
	for (size_t i = 0; i < n; i++)
		free(rows[i].name);
	free(rows);
	return err;
}

int db_denial(struct db *db, const struct denial *d)
{
	sqlite3_stmt *st;
	int rc;

	if (!db->deny && sqlite3_prepare_v2(db->h, "INSERT INTO denials VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
					    -1, &db->deny, NULL) != SQLITE_OK)
		return db_fail(db, "cannot log denials");
	st = db->deny;
	sqlite3_bind_int64(st, 1, d->time);
	sqlite3_bind_text(st, 2, d->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, d->verdict, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, d->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, d->object, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, d->access, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, d->exe, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, d->comm, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, d->pid);
	sqlite3_bind_int64(st, 10, d->uid);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, "cannot log a denial");
}

/*
 * The recording database: what record mode observed, per subject, and the
 * denials the daemon logs. Every function that can fail returns -1 with
 * stk_error() set.
 */
#ifndef STOCKADE_DB_H
#define STOCKADE_DB_H

#include <stdbool.h>
#include <stdint.h>
#include "../subject/subject.h"

#define DB_SCHEMA_VERSION 2 /* 2 added the denials table; 1 is upgraded on open */

struct db;

/* Open (and with create, initialise) a recording; refuses other schemas. */
int db_open(const char *path, bool create, struct db **out);
/* Open a recording only to read it: nothing in the file changes. */
int db_open_read(const char *path, struct db **out);
void db_close(struct db *db);
int db_subject_id(struct db *db, const struct subject *s, int64_t *id);
int db_begin(struct db *db);
int db_commit(struct db *db);
/* Add one observation of an object (count 1 at time t, seconds), by the
 * executable exe running as uid; an object keeps its first exe and uid. */
int db_observe(struct db *db, int64_t subject, const char *kind,
	       const char *object, uint32_t access, const char *exe, uint32_t uid, int64_t t);
int db_object_count(struct db *db, int64_t subject, int64_t *n);
/* One access the enforcer refused (or, in complain mode, would have). */
struct denial {
	int64_t time;
	const char *subject, *verdict, *kind, *object, *access, *exe, *comm;
	const char *profile; /* the file of the profile in force, where to look it up */
	uint32_t pid, uid;
};
int db_denial(struct db *db, const struct denial *d);
/* The host the recording was made on (gethostname() when it was created;
 * the database's path if it names none). */
int db_host(struct db *db, char *buf, size_t len);
typedef int (*subject_fn)(enum subject_kind kind, const char *name, void *ctx);
/* Every subject recorded, ordered by kind and name. */
int db_foreach_subject(struct db *db, subject_fn fn, void *ctx);

struct observation {
	const char *kind, *object;
	const char *exe; /* the first executable seen doing it; NULL if unknown */
	uint32_t access;
	int64_t count, first_seen, last_seen;
};
typedef int (*observation_fn)(const struct observation *o, void *ctx);
/* Every observation of the named subject, ordered by kind, object, access;
 * returns how many (0 for a subject never recorded here). */
int db_foreach_observation(struct db *db, enum subject_kind kind,
			   const char *name, observation_fn fn, void *ctx);

#endif

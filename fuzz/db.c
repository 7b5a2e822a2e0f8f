/*
 * Fuzz the recording reader: any file either is refused with an error or
 * is read, every subject learned from it, without a memory error. SQLite
 * reads the bytes from a file, as stockade learn would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "../subject/subject.h"
#include "../db/db.h"
#include "../profile/profile.h"
#include "../learner/learner.h"

static int learn_one(enum subject_kind kind, const char *name, void *ctx)
{
	struct learn_options o;
	struct learner *l;
	struct profile p;

	learn_options_default(&o);
	if (learner_new(&o, kind, name, &l))
		return 0;
	if (learner_add_db(l, "fuzz", ctx) >= 0 && !learner_finish(l, &p))
		profile_free(&p);
	learner_free(l);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char file[64];
	struct db *db;
	char host[256];
	FILE *f;

	if (!file[0])
		snprintf(file, sizeof(file), "/tmp/stockade-fuzz-db.%d", (int)getpid());
	unlink(file);
	if (!(f = fopen(file, "wb")) || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
	if (db_open_read(file, &db) == 0) {
		db_host(db, host, sizeof(host));
		db_foreach_subject(db, learn_one, db);
		db_close(db);
	}
	unlink(file);
	for (const char *suffix = "-wal"; suffix; suffix = suffix[1] == 'w' ? "-shm" : NULL) {
		char side[80];

		snprintf(side, sizeof(side), "%s%s", file, suffix);
		unlink(side);
	}
	return 0;
}

/*
 * Deriving a profile from a recording. This first learner writes one exact
 * rule per observed path, with the union of its observed accesses, and one
 * rule per observed (operation, protocol, address, port); it never widens,
 * so the profile allows exactly what was seen.
 */
#include <string.h>
#include "learner.h"
#include "../common/error.h"

/* Each recorded (peer, operation) becomes a rule naming exactly that. */
static int add_net_observation(struct profile *p, const struct observation *o,
			       const struct evidence *ev)
{
	struct net_rule r = { .op = o->access, .prefix = 128, .evidence = *ev };

	if (peer_parse(o->object, &r.proto, r.addr, &r.port_lo)) {
		stk_warn("no rule for '%s': only tcp and udp peers can be rules", o->object);
		return 0;
	}
	r.port_hi = r.port_lo;
	return profile_add_net(p, &r);
}

/* Observations arrive ordered by object: merge runs of the same path. */
static int add_observation(const struct observation *o, void *ctx)
{
	struct profile *p = ctx;
	struct file_rule *last = p->nfiles ? &p->files[p->nfiles - 1] : NULL;
	struct evidence ev = {
		.count = o->count, .first_seen = o->first_seen, .last_seen = o->last_seen, .hosts = 1,
	};

	if (!strcmp(o->kind, "net"))
		return add_net_observation(p, o, &ev);
	if (!strcmp(o->kind, "privilege")) {
		p->privileges |= o->access & STK_PRIV_ALL;
		return 0;
	}
	if (strcmp(o->kind, "file") || o->access == 0)
		return 0;
	if (o->object[0] != '/' && o->object[0] != '@') {
		/* pipe:[N], anon_inode:... name no file a rule could name. */
		stk_warn("no rule for '%s': not a path in the file system", o->object);
		return 0;
	}
	if (!last || strcmp(last->path, o->object))
		return profile_add_file(p, o->object, false, false, o->access, &ev);
	last->access |= o->access;
	last->evidence.count += o->count;
	if (o->first_seen < last->evidence.first_seen)
		last->evidence.first_seen = o->first_seen;
	if (o->last_seen > last->evidence.last_seen)
		last->evidence.last_seen = o->last_seen;
	return 0;
}

int profile_learn(struct db *db, enum subject_kind kind, const char *name, struct profile *out)
{
	memset(out, 0, sizeof(*out));
	out->subject_kind = kind;
	out->subject = strdup(name);
	if (!out->subject)
		return stk_fail("out of memory");
	if (db_foreach_observation(db, kind, name, add_observation, out)) {
		profile_free(out);
		return -1;
	}
	profile_sort(out);
	return 0;
}

/*
 * Deriving a profile from recordings. Observations from every host are
 * merged per object; then, per list (files, exec, unix sockets), directories
 * whose evidence says so become subtree rules (generalise.c), and whatever a
 * subtree does not cover stays an exact rule. Network peers are merged into
 * prefixes the same way (learn_net.c). Every step is deterministic: rules
 * depend on the set of observations, never on the order they arrive in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "../names/names.h"
#include "../common/error.h"

void learn_options_default(struct learn_options *o)
{
	memset(o, 0, sizeof(*o));
	o->random_min = 3;
	o->siblings = 16;
	o->content_names = 8;
	o->content_folders = 3;
	o->numbered = 2;
	o->net_siblings = 8;
	o->min_hosts = 1;
	o->ephemeral_lo = 32768; /* Linux's default ip_local_port_range */
	o->ephemeral_hi = 60999;
}

void learn_options_format(const struct learn_options *o, char *buf, size_t len)
{
	if (o->exact)
		snprintf(buf, len, "stockade learn --exact --ephemeral-ports %u-%u --min-hosts %d",
			 o->ephemeral_lo, o->ephemeral_hi, o->min_hosts);
	else
		snprintf(buf, len,
			 "stockade learn --random-min %d --siblings %d --content-names %d --content-folders %d --numbered %d --net-siblings %d --ephemeral-ports %u-%u --min-hosts %d",
			 o->random_min, o->siblings, o->content_names, o->content_folders, o->numbered,
			 o->net_siblings, o->ephemeral_lo, o->ephemeral_hi, o->min_hosts);
}

int learner_new(const struct learn_options *o, enum subject_kind kind, const char *name,
		struct learner **out)
{
	struct learner *l = calloc(1, sizeof(*l));

	if (!l || !(l->subject = strdup(name))) {
		free(l);
		return stk_fail("out of memory");
	}
	l->opt = *o;
	l->kind = kind;
	l->first_seen = INT64_MAX;
	*out = l;
	return 0;
}

void learner_free(struct learner *l)
{
	if (!l)
		return;
	learn_arena_free(l);
	for (size_t i = 0; i < l->nhosts; i++)
		free(l->hosts[i]);
	free(l->hosts);
	free(l->files);
	free(l->net);
	free(l->privs);
	free(l->grants);
	free(l->subject);
	free(l);
}

/* ---- adding observations ------------------------------------------------ */

static int host_id(struct learner *l, const char *host, uint32_t *id)
{
	if (l->nhosts && !strcmp(l->hosts[l->last_host], host)) {
		*id = l->last_host;
		return 0;
	}
	for (uint32_t i = 0; i < l->nhosts; i++) {
		if (!strcmp(l->hosts[i], host)) {
			*id = l->last_host = i;
			return 0;
		}
	}
	if (learn_reserve((void **)&l->hosts, &l->hosts_cap, l->nhosts, sizeof(*l->hosts)))
		return -1;
	if (!(l->hosts[l->nhosts] = strdup(host)))
		return stk_fail("out of memory");
	*id = l->last_host = (uint32_t)l->nhosts++;
	return 0;
}

static int add_file(struct learner *l, enum rule_kind kind, const char *path, uint32_t access,
		    const struct observation *o, uint32_t host)
{
	const char *exe = NULL;
	struct raw_file *r;

	if (!access)
		return 0;
	if (learn_reserve((void **)&l->files, &l->files_cap, l->nfiles, sizeof(*l->files)))
		return -1;
	r = &l->files[l->nfiles];
	if (o->exe && !(exe = learn_strdup(l, o->exe)))
		return -1;
	*r = (struct raw_file){
		.kind = kind, .path = path, .exe = exe, .access = access, .host = host,
		.count = o->count, .first_seen = o->first_seen, .last_seen = o->last_seen,
	};
	l->nfiles++;
	return 0;
}

/* One recorded access splits by list: files, exec, unix sockets. */
static int add_path_observation(struct learner *l, const struct observation *o, uint32_t host)
{
	const char *path;

	if (o->object[0] != '/' && o->object[0] != '@') {
		/* pipe:[N], anon_inode:... name no file a rule could name. */
		learn_report(l, "no rule for file '%s': not a path in the file system", o->object);
		return 0;
	}
	if (!(path = learn_strdup(l, o->object)))
		return -1;
	if (path[0] == '@')
		return add_file(l, RULE_UNIX, path, o->access & STK_ACC_CONNECT, o, host);
	if (add_file(l, RULE_FILE, path, o->access & RULE_FILE_ACCESS, o, host) ||
	    add_file(l, RULE_EXEC, path, o->access & STK_ACC_EXEC, o, host))
		return -1;
	return add_file(l, RULE_UNIX, path, o->access & STK_ACC_CONNECT, o, host);
}

static int add_privilege(struct learner *l, uint32_t privileges, uint32_t host)
{
	if (learn_reserve((void **)&l->privs, &l->privs_cap, l->nprivs, sizeof(*l->privs)))
		return -1;
	l->privs[l->nprivs++] = (struct raw_priv){ .privileges = privileges & STK_PRIV_ALL, .host = host };
	return 0;
}

int learner_add(struct learner *l, const char *host, const struct observation *o)
{
	uint32_t id = 0;

	if (host_id(l, host, &id))
		return -1;
	l->observations++;
	if (o->first_seen < l->first_seen)
		l->first_seen = o->first_seen;
	if (o->last_seen > l->last_seen)
		l->last_seen = o->last_seen;
	if (!strcmp(o->kind, "file"))
		return add_path_observation(l, o, id);
	if (!strcmp(o->kind, "net"))
		return learn_net_add(l, o, id);
	if (!strcmp(o->kind, "privilege"))
		return add_privilege(l, o->access, id);
	if (!strcmp(o->kind, "capability"))
		return learn_grant_add(l, GRANT_CAPABILITY, o->object, id);
	if (!strcmp(o->kind, "socket"))
		return learn_grant_add(l, GRANT_SOCKET, o->object, id);
	learn_report(l, "no rule for '%s': unknown observation kind '%s'", o->object, o->kind);
	return 0;
}

struct add_ctx {
	struct learner *l;
	const char *host;
};

static int add_one(const struct observation *o, void *ctx)
{
	struct add_ctx *a = ctx;

	return learner_add(a->l, a->host, o);
}

int learner_add_db(struct learner *l, const char *host, struct db *db)
{
	struct add_ctx a = { .l = l, .host = host };

	return db_foreach_observation(db, l->kind, l->subject, add_one, &a);
}

/* ---- checking a profile against observations ----------------------------- */

bool profile_allows_observation(const struct profile *p, const struct observation *o)
{
	uint8_t proto, addr[16];
	uint16_t port;

	if (!strcmp(o->kind, "file"))
		return profile_allows(p, o->object, o->access);
	if (!strcmp(o->kind, "net"))
		return !peer_parse(o->object, &proto, addr, &port) &&
		       profile_net_allows(p, o->access, proto, addr, port);
	if (!strcmp(o->kind, "privilege"))
		return o->access && (p->privileges & o->access) == o->access;
	if (!strcmp(o->kind, "capability"))
		return grant_has(p, GRANT_CAPABILITY, o->object);
	if (!strcmp(o->kind, "socket"))
		return grant_has(p, GRANT_SOCKET, o->object);
	return false; /* a kind this version cannot check: say so rather than pass it */
}

/* ---- the profile -------------------------------------------------------- */

static int privileges_learn(struct learner *l, struct profile *p)
{
	struct host_set hs;

	if (host_set_init(&hs, l->nhosts))
		return -1;
	for (uint32_t priv = 1; priv & STK_PRIV_ALL; priv <<= 1) {
		host_set_clear(&hs);
		for (size_t i = 0; i < l->nprivs; i++)
			if (l->privs[i].privileges & priv)
				host_set_add(&hs, l->privs[i].host);
		if (hs.n >= (size_t)l->opt.min_hosts)
			p->privileges |= priv;
		else if (hs.n)
			learn_report(l, "no %s privilege: seen on %zu host%s, fewer than --min-hosts %d",
				     privilege_name(priv), hs.n, hs.n == 1 ? "" : "s", l->opt.min_hosts);
	}
	host_set_free(&hs);
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int generator_fill(struct learner *l, struct generator *g)
{
	char command[256];

	learn_options_format(&l->opt, command, sizeof(command));
	if (!(g->command = strdup(command)) || !(g->hosts = calloc(l->nhosts + 1, sizeof(*g->hosts))))
		return stk_fail("out of memory");
	for (size_t i = 0; i < l->nhosts; i++) {
		if (!(g->hosts[i] = strdup(l->hosts[i])))
			return stk_fail("out of memory");
		g->nhosts++;
	}
	qsort(g->hosts, g->nhosts, sizeof(*g->hosts), str_cmp);
	g->observations = l->observations;
	g->first_seen = l->observations ? l->first_seen : 0;
	g->last_seen = l->last_seen;
	return 0;
}

int learner_finish(struct learner *l, struct profile *out)
{
	memset(out, 0, sizeof(*out));
	out->subject_kind = l->kind;
	if (!(out->subject = strdup(l->subject))) {
		stk_fail("out of memory");
		goto fail;
	}
	if (generator_fill(l, &out->generated) || learn_files(l, out) || learn_net(l, out) ||
	    privileges_learn(l, out) || learn_grants(l, out))
		goto fail;
	profile_sort(out);
	return 0;
fail:
	profile_free(out);
	return -1;
}

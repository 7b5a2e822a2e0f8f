/*
 * Learning capabilities and socket families: each one the subject used
 * becomes granted, if it was seen on at least --min-hosts hosts.
 */
#include <string.h>
#include "internal.h"
#include "../common/error.h"

int learn_grant_add(struct learner *l, enum grant_kind kind, const char *name, uint32_t host)
{
	struct profile probe = { 0 };
	const char *copy;

	/* A name this stockade cannot grant (a newer kernel's) gets no rule. */
	if (grant_add(&probe, kind, name)) {
		learn_report(l, "no rule for %s '%s': %s", kind == GRANT_CAPABILITY ? "capability" : "socket",
			     name, stk_error());
		return 0;
	}
	if (!(copy = learn_strdup(l, name)) ||
	    learn_reserve((void **)&l->grants, &l->grants_cap, l->ngrants, sizeof(*l->grants)))
		return -1;
	l->grants[l->ngrants++] = (struct raw_grant){ .kind = kind, .name = copy, .host = host };
	return 0;
}

/* Grant one name if enough hosts saw it. */
static void grant_learn(struct learner *l, struct profile *out, struct host_set *hs,
			const struct raw_grant *g)
{
	if (grant_has(out, g->kind, g->name))
		return;
	host_set_clear(hs);
	for (size_t i = 0; i < l->ngrants; i++)
		if (l->grants[i].kind == g->kind && !strcmp(l->grants[i].name, g->name))
			host_set_add(hs, l->grants[i].host);
	if (hs->n >= (size_t)l->opt.min_hosts)
		grant_add(out, g->kind, g->name);
	else
		learn_report(l, "no %s %s: seen on %zu host%s, fewer than --min-hosts %d",
			     g->kind == GRANT_CAPABILITY ? "capability" : "socket", g->name, hs->n,
			     hs->n == 1 ? "" : "s", l->opt.min_hosts);
}

int learn_grants(struct learner *l, struct profile *out)
{
	struct host_set hs;
	struct profile reported = { 0 };

	if (host_set_init(&hs, l->nhosts))
		return -1;
	for (size_t i = 0; i < l->ngrants; i++) {
		/* Each name once: granted, or reported as too rare once. */
		if (grant_has(&reported, l->grants[i].kind, l->grants[i].name))
			continue;
		grant_add(&reported, l->grants[i].kind, l->grants[i].name);
		grant_learn(l, out, &hs, &l->grants[i]);
	}
	host_set_free(&hs);
	return 0;
}

/*
 * What the learner's tests share (test_learn.c, test_generalise.c,
 * test_learn_properties.c): observations to learn from, the learner run over
 * them with its reports collected, and the rules to look for.
 */
#ifndef STOCKADE_TEST_LEARNING_H
#define STOCKADE_TEST_LEARNING_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "../../subject/subject.h"
#include "../../profile/profile.h"
#include "../../learner/learner.h"
#include "../../common/error.h"

struct obs {
	const char *host, *kind, *object;
	uint32_t access;
	int64_t t;
};

/* The executable of each observation learn() adds, when set (else none). */
static const char *const *obs_exes;

static char reports[64 * 1024];

static inline void collect_report(const char *line, void *ctx)
{
	(void)ctx;
	strncat(reports, line, sizeof(reports) - strlen(reports) - 2);
	strcat(reports, "\n");
}

static inline void opts(struct learn_options *o)
{
	learn_options_default(o);
	o->report = collect_report;
	reports[0] = 0;
}

static inline void learn(const struct learn_options *o, const struct obs *v, size_t n, struct profile *p)
{
	struct learner *l;

	cr_assert_eq(learner_new(o, SUBJECT_SERVICE, "app.service", &l), 0);
	for (size_t i = 0; i < n; i++) {
		struct observation ob = { .kind = v[i].kind, .object = v[i].object, .access = v[i].access,
					  .count = 1, .first_seen = v[i].t, .last_seen = v[i].t,
					  .exe = obs_exes ? obs_exes[i] : NULL };

		cr_assert_eq(learner_add(l, v[i].host ? v[i].host : "h1", &ob), 0, "%s", stk_error());
	}
	cr_assert_eq(learner_finish(l, p), 0, "%s", stk_error());
	learner_free(l);
}

static inline char *text_of(const struct profile *p)
{
	char *text;
	size_t len;

	cr_assert_eq(profile_format(p, &text, &len), 0, "%s", stk_error());
	return text;
}

static inline const struct file_rule *find_rule(const struct profile *p, enum rule_kind kind, const char *path, bool subtree)
{
	for (size_t i = 0; i < p->nfiles; i++)
		if (p->files[i].kind == kind && p->files[i].subtree == subtree && !strcmp(p->files[i].path, path))
			return &p->files[i];
	return NULL;
}

#define R STK_ACC_READ
#define W STK_ACC_WRITE

/* A web root: ten pages in six folders, read; one of them also written. */
static const struct obs web_root[] = {
	{ 0, "file", "/srv/www/index.html", R, 1 },
	{ 0, "file", "/srv/www/about.html", R, 2 },
	{ 0, "file", "/srv/www/css/site.css", R, 3 },
	{ 0, "file", "/srv/www/css/print.css", R, 4 },
	{ 0, "file", "/srv/www/img/logo.png", R, 5 },
	{ 0, "file", "/srv/www/img/icons/home.svg", R, 6 },
	{ 0, "file", "/srv/www/docs/guide.html", R, 7 },
	{ 0, "file", "/srv/www/docs/faq.html", R, 8 },
	{ 0, "file", "/srv/www/docs/v2/api.html", R, 9 },
	{ 0, "file", "/srv/www/docs/v2/changes.html", R, 10 },
	{ 0, "file", "/srv/www/about.html", W, 11 },
};

#endif

/*
 * A profile in one screen: its rules by what they are for (configuration,
 * content, logs, libraries, runtime state, network), what the learner
 * generalised and why, and which executables did it. `stockade learn`
 * prints it, and the review shows it before the rules.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../subject/subject.h"
#include "profile.h"
#include "../common/error.h"

static const char *const group_names[RULE_GROUPS] = {
	[GROUP_CONFIG] = "configuration", [GROUP_CONTENT] = "content", [GROUP_LOGS] = "logs",
	[GROUP_LIBRARIES] = "libraries", [GROUP_RUNTIME] = "runtime", [GROUP_NETWORK] = "network",
	[GROUP_OTHER] = "other",
};

const char *rule_group_name(enum rule_group g)
{
	return group_names[g];
}

static bool within_any(const char *path, const char *const *dirs)
{
	for (; *dirs; dirs++)
		if (path_within(path, *dirs))
			return true;
	return false;
}

static bool generalised_as(const struct file_rule *r, const char *reason)
{
	return r->evidence.generalised && !strncmp(r->evidence.generalised, reason, strlen(reason));
}

enum rule_group file_rule_group(const struct file_rule *r)
{
	static const char *const code[] = { "/usr", "/lib", "/lib64", "/bin", "/sbin", NULL };
	static const char *const runtime[] = { "/run", "/var/run", "/var/lib", "/var/cache", "/var/tmp", "/tmp",
					       "/proc", "/sys", "/dev", NULL };
	size_t n = strlen(r->path);

	if (r->kind == RULE_UNIX)
		return GROUP_NETWORK;
	if (r->kind == RULE_EXEC || within_any(r->path, code))
		return GROUP_LIBRARIES;
	if (generalised_as(r, "content-tree"))
		return GROUP_CONTENT;
	if (path_within(r->path, "/var/log") || (n > 4 && !strcmp(r->path + n - 4, ".log")))
		return GROUP_LOGS;
	if (path_within(r->path, "/etc"))
		return GROUP_CONFIG;
	if (within_any(r->path, runtime))
		return GROUP_RUNTIME;
	if (within_any(r->path, (const char *const[]){ "/srv", "/var/www", "/home", NULL }))
		return GROUP_CONTENT;
	return GROUP_OTHER;
}

/* ---- lines ------------------------------------------------------------------- */

struct lines {
	char **v;
	size_t n, cap;
	size_t width;
};

static int line_add(struct lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int line_add(struct lines *l, const char *fmt, ...)
{
	char *text = malloc(l->width + 1);
	va_list ap;

	if (!text)
		return stk_fail("out of memory");
	va_start(ap, fmt);
	vsnprintf(text, l->width + 1, fmt, ap);
	va_end(ap);
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **grown = realloc(l->v, cap * sizeof(*grown));

		if (!grown) {
			free(text);
			return stk_fail("out of memory");
		}
		l->v = grown;
		l->cap = cap;
	}
	l->v[l->n++] = text;
	return 0;
}

void summary_free(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

/* A rule as a reviewer names it: "subtree /srv/www [read]", "connect tcp 127.0.0.1 port 8081". */
static void rule_short(const struct file_rule *r, char *buf, size_t len)
{
	char text[STK_PATH_MAX + 96];

	file_rule_format(r, text, sizeof(text));
	snprintf(buf, len, "%s", strchr(text, ' ') + 1);
}

/* A network rule without its list's name: "connect tcp 127.0.0.1 port 8081". */
static void net_peer_text(const struct net_rule *r, char *buf, size_t len)
{
	char text[160];

	net_rule_format(r, text, sizeof(text));
	snprintf(buf, len, "%s", text + strlen("network "));
}

/* "configuration   9  /etc/nginx/nginx.conf, /etc/nginx/mime.types, +7 more" */
static int group_line(struct lines *l, const struct profile *p, enum rule_group g)
{
	static const char *const list_prefix[] = { [RULE_FILE] = "", [RULE_EXEC] = "exec ", [RULE_UNIX] = "unix " };
	char names[512] = "";
	size_t count = 0, shown = 0, w = 0;
	char text[STK_PATH_MAX + 96];

	for (size_t i = 0; i < p->nfiles + p->nnet; i++) {
		bool file = i < p->nfiles;

		if (file ? file_rule_group(&p->files[i]) != g : g != GROUP_NETWORK)
			continue;
		count++;
		if (file)
			snprintf(text, sizeof(text), "%s%s%s", list_prefix[p->files[i].kind],
				 p->files[i].subtree ? "subtree " : p->files[i].versions ? "versions " : "",
				 p->files[i].path);
		else
			net_peer_text(&p->net[i - p->nfiles], text, sizeof(text));
		/* The first rules, in canonical order, as far as they fit: 22 columns
		 * of name and count before, room for ", +N more" after. */
		if (shown == count - 1 && (!shown || 22 + w + 2 + strlen(text) + 12 < l->width)) {
			w += (size_t)snprintf(names + w, sizeof(names) - w, "%s%s", shown ? ", " : "", text);
			if (w >= sizeof(names))
				w = sizeof(names) - 1;
			shown++;
		}
	}
	if (count > shown)
		snprintf(names + w, sizeof(names) - w, ", +%zu more", count - shown);
	return line_add(l, "  %-14s %3zu%s%s", group_names[g], count, names[0] ? "  " : "", names);
}

/* The reason's name: "content-tree" of "content-tree, 10 files in 6 folders". */
static size_t reason_len(const char *why)
{
	const char *comma = strchr(why, ',');

	return comma ? (size_t)(comma - why) : strlen(why);
}

static bool same_reason(const char *a, const char *b)
{
	return a && b && reason_len(a) == reason_len(b) && !strncmp(a, b, reason_len(a));
}

/* What the learner generalised, grouped by why: "content-tree  subtree /srv/www [read]: 10 files in 6 folders". */
static int generalised_lines(struct lines *l, const struct profile *p)
{
	char rule[STK_PATH_MAX + 96];
	size_t n = 0;

	for (size_t i = 0; i < p->nfiles; i++)
		n += p->files[i].evidence.generalised != NULL;
	if (line_add(l, "generalised (%zu rule%s):", n, n == 1 ? "" : "s"))
		return -1;
	/* Each reason once, where it first appears in the canonical order, with
	 * all its rules. The learner has a handful of reasons; past 16 (edited
	 * by hand), each further rule stands alone. */
	const char *listed[16];
	size_t nlisted = 0;

	for (size_t i = 0; i < p->nfiles; i++) {
		const char *why = p->files[i].evidence.generalised;
		bool seen = false;

		for (size_t j = 0; j < nlisted && !seen; j++)
			seen = same_reason(listed[j], why);
		bool full = nlisted == sizeof(listed) / sizeof(listed[0]);

		if (!why || seen)
			continue;
		if (!full)
			listed[nlisted++] = why;
		for (size_t j = i; j < (full ? i + 1 : p->nfiles); j++) {
			const char *other = p->files[j].evidence.generalised;
			size_t k = reason_len(why);

			if (!same_reason(other, why))
				continue;
			rule_short(&p->files[j], rule, sizeof(rule));
			if (line_add(l, "  %-14.*s %s%s%s", (int)k, why, rule, other[k] ? ":" : "", other[k] ? other + k + 1 : ""))
				return -1;
		}
	}
	return 0;
}

struct exe_count {
	const char *exe;
	size_t rules;
};

static void exe_count_add(struct exe_count *v, size_t *n, const char *exe)
{
	for (size_t i = 0; i < *n; i++) {
		if (!strcmp(v[i].exe, exe)) {
			v[i].rules++;
			return;
		}
	}
	v[(*n)++] = (struct exe_count){ exe, 1 };
}

static int exe_cmp(const void *a, const void *b)
{
	const struct exe_count *x = a, *y = b;

	if (x->rules != y->rules)
		return x->rules > y->rules ? -1 : 1;
	return strcmp(x->exe, y->exe);
}

/* "executables: /usr/sbin/nginx (29 rules), /bin/busybox (2 rules)" */
static int exe_line(struct lines *l, const struct profile *p)
{
	size_t n = 0, max = (p->nfiles + p->nnet) * EVIDENCE_SAMPLES + 1, w;
	struct exe_count *v = calloc(max, sizeof(*v));
	char text[1024];
	int err;

	if (!v)
		return stk_fail("out of memory");
	for (size_t i = 0; i < p->nfiles + p->nnet; i++) {
		const struct evidence *ev = i < p->nfiles ? &p->files[i].evidence : &p->net[i - p->nfiles].evidence;

		for (int e = 0; e < EVIDENCE_SAMPLES && ev->exe[e]; e++)
			exe_count_add(v, &n, ev->exe[e]);
	}
	qsort(v, n, sizeof(*v), exe_cmp);
	w = (size_t)snprintf(text, sizeof(text), "executables:%s", n ? "" : " not recorded");
	for (size_t i = 0; i < n && w < sizeof(text); i++)
		w += (size_t)snprintf(text + w, sizeof(text) - w, "%s %s (%zu rule%s)", i ? "," : "", v[i].exe,
				      v[i].rules, v[i].rules == 1 ? "" : "s");
	err = line_add(l, "%s", text);
	free(v);
	return err;
}

int profile_summary(const struct profile *p, size_t width, char ***lines, size_t *n)
{
	struct lines l = { .width = width < 40 ? 40 : width };
	size_t rules = profile_rule_count(p);
	char who[STK_PATH_MAX + 16];
	int err;

	subject_label(p->subject_kind, p->subject, who, sizeof(who));
	err = line_add(&l, "%s: %zu rule%s%s", who, rules, rules == 1 ? "" : "s", p->privileges ? ", and privileges" : "");
	for (int g = 0; !err && g < RULE_GROUPS; g++)
		err = group_line(&l, p, (enum rule_group)g);
	err = err || generalised_lines(&l, p) || exe_line(&l, p);
	if (err) {
		summary_free(l.v, l.n);
		return -1;
	}
	*lines = l.v;
	*n = l.n;
	return 0;
}

/*
 * What every learning pass (learn.c, generalise.c, learn_net.c,
 * learn_grants.c) uses: the report, executables and hosts counted per rule,
 * and the learner's memory. It calls none of them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "../common/error.h"

void learn_report(struct learner *l, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (!l->opt.report)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	l->opt.report(line, l->opt.report_ctx);
}

/* ---- executables ---------------------------------------------------------- */

void exe_set_add(struct exe_set *s, const char *exe)
{
	size_t i = 0;

	if (!exe || !exe[0])
		return;
	while (i < EVIDENCE_SAMPLES && s->v[i] && strcmp(s->v[i], exe) < 0)
		i++;
	if (i == EVIDENCE_SAMPLES || (s->v[i] && !strcmp(s->v[i], exe)))
		return;
	memmove(&s->v[i + 1], &s->v[i], (EVIDENCE_SAMPLES - 1 - i) * sizeof(s->v[0]));
	s->v[i] = exe;
}

void exe_set_merge(struct exe_set *s, const struct exe_set *from)
{
	for (size_t i = 0; i < EVIDENCE_SAMPLES && from->v[i]; i++)
		exe_set_add(s, from->v[i]);
}

int exe_set_copy(struct evidence *ev, const struct exe_set *s)
{
	for (size_t i = 0; i < EVIDENCE_SAMPLES && s->v[i]; i++)
		if (!(ev->exe[i] = strdup(s->v[i])))
			return stk_fail("out of memory");
	return 0;
}

/* ---- memory ------------------------------------------------------------- */

#define ARENA_CHUNK (1 << 20)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	char data[];
};

/* Object names live as long as the learner: one bump allocation each. */
const char *learn_strdup(struct learner *l, const char *s)
{
	size_t len = strlen(s) + 1;
	struct arena_chunk *c = l->arena;
	char *out;

	if (!c || c->size - c->used < len) {
		size_t size = len > ARENA_CHUNK ? len : ARENA_CHUNK;

		if (!(c = malloc(sizeof(*c) + size))) {
			stk_fail("out of memory");
			return NULL;
		}
		c->next = l->arena;
		c->used = 0;
		c->size = size;
		l->arena = c;
	}
	out = c->data + c->used;
	memcpy(out, s, len);
	c->used += len;
	return out;
}

void learn_arena_free(struct learner *l)
{
	while (l->arena) {
		struct arena_chunk *next = l->arena->next;

		free(l->arena);
		l->arena = next;
	}
}

/* Grow *array (of *cap elements of size) to hold n + 1. */
int learn_reserve(void **array, size_t *cap, size_t n, size_t size)
{
	size_t want = *cap ? *cap * 2 : 64;
	void *grown;

	if (n < *cap)
		return 0;
	if (!(grown = realloc(*array, want * size)))
		return stk_fail("out of memory");
	*array = grown;
	*cap = want;
	return 0;
}

/* ---- hosts -------------------------------------------------------------- */

int host_set_init(struct host_set *s, size_t nhosts)
{
	s->serial = 1;
	s->stamp = calloc(nhosts ? nhosts : 1, sizeof(*s->stamp));
	return s->stamp ? 0 : stk_fail("out of memory");
}

void host_set_free(struct host_set *s)
{
	free(s->stamp);
}

/* Start counting the hosts of a new rule. */
void host_set_clear(struct host_set *s)
{
	s->serial++;
	s->n = 0;
}

void host_set_add(struct host_set *s, uint32_t host)
{
	if (s->stamp[host] != s->serial) {
		s->stamp[host] = s->serial;
		s->n++;
	}
}

/*
 * The YAML reader's node helpers: typed reads of libyaml document nodes, each
 * failing with the node's position (yaml_read.c reads profiles with them).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "profile.h"
#include "yaml.h"
#include "../common/error.h"

int node_remember(yaml_node_t ***nodes, size_t n, yaml_node_t *node)
{
	yaml_node_t **grown = realloc(*nodes, (n + 1) * sizeof(*grown));

	if (!grown)
		return stk_fail("out of memory");
	grown[n] = node;
	*nodes = grown;
	return 0;
}

int node_fail(struct parse *ps, const yaml_node_t *node, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return stk_fail("%s:%zu:%zu: %s", ps->name, node->start_mark.line + 1,
			node->start_mark.column + 1, msg);
}

static const char *node_type_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

int node_expect(struct parse *ps, const yaml_node_t *n, yaml_node_type_t type, const char *what)
{
	static const char *const names[] = {
		[YAML_SCALAR_NODE] = "a scalar", [YAML_SEQUENCE_NODE] = "a list",
		[YAML_MAPPING_NODE] = "a mapping",
	};

	if (n->type == type)
		return 0;
	return node_fail(ps, n, "%s must be %s, not %s", what, names[type], node_type_name(n));
}

const char *node_scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* A scalar with an embedded NUL would be cut short by every C string API. */
int node_expect_text(struct parse *ps, const yaml_node_t *n, const char *what)
{
	if (node_expect(ps, n, YAML_SCALAR_NODE, what))
		return -1;
	if (strlen(node_scalar(n)) != n->data.scalar.length)
		return node_fail(ps, n, "%s contains a NUL byte", what);
	return 0;
}

int node_int(struct parse *ps, const yaml_node_t *n, const char *what, int64_t *out)
{
	char *end;

	if (node_expect_text(ps, n, what))
		return -1;
	errno = 0;
	*out = strtoll(node_scalar(n), &end, 10);
	if (errno || end == node_scalar(n) || *end || *out < 0)
		return node_fail(ps, n, "%s must be a whole number >= 0, not '%s'", what, node_scalar(n));
	return 0;
}

int node_time(struct parse *ps, const yaml_node_t *n, const char *what, int64_t *out)
{
	struct tm tm = { 0 };
	const char *end;

	if (node_expect_text(ps, n, what))
		return -1;
	end = strptime(node_scalar(n), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return node_fail(ps, n, "%s must be a UTC time such as 2026-01-31T12:00:00Z, not '%s'",
			         what, node_scalar(n));
	*out = (int64_t)timegm(&tm);
	return 0;
}

int node_bool(struct parse *ps, const yaml_node_t *n, const char *what, bool *out)
{
	if (node_expect_text(ps, n, what))
		return -1;
	if (!strcmp(node_scalar(n), "true") || !strcmp(node_scalar(n), "false")) {
		*out = node_scalar(n)[0] == 't';
		return 0;
	}
	return node_fail(ps, n, "%s must be true or false, not '%s'", what, node_scalar(n));
}

int node_path(struct parse *ps, const yaml_node_t *n, const char *path)
{
	return path_check(path) ? node_fail(ps, n, "%s", stk_error()) : 0;
}

/* Iterate a mapping's pairs, rejecting duplicate keys. */
int node_each_pair(struct parse *ps, yaml_node_t *map, const char *what, node_pair_fn fn, void *ctx)
{
	yaml_node_pair_t *p, *q;

	if (node_expect(ps, map, YAML_MAPPING_NODE, what))
		return -1;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&ps->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&ps->doc, p->value);

		if (node_expect_text(ps, k, "a key"))
			return -1;
		for (q = map->data.mapping.pairs.start; q < p; q++)
			if (!strcmp(node_scalar(yaml_document_get_node(&ps->doc, q->key)), node_scalar(k)))
				return node_fail(ps, k, "duplicate key '%s'", node_scalar(k));
		if (fn(ps, node_scalar(k), k, v, ctx))
			return -1;
	}
	return 0;
}

/* A list of at most max text scalars, each checked by check (may be NULL). */
int node_texts(struct parse *ps, yaml_node_t *v, const char *what, size_t max,
	       node_check_fn check, char **out, size_t *n)
{
	yaml_node_item_t *it;

	if (node_expect(ps, v, YAML_SEQUENCE_NODE, what))
		return -1;
	if ((size_t)(v->data.sequence.items.top - v->data.sequence.items.start) > max)
		return node_fail(ps, v, "%s lists at most %zu entries", what, max);
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *t = yaml_document_get_node(&ps->doc, *it);

		if (node_expect_text(ps, t, what) || (check && check(ps, t, node_scalar(t))))
			return -1;
		if (!(out[(*n)++] = strdup(node_scalar(t))))
			return stk_fail("out of memory");
	}
	return 0;
}

int node_text(struct parse *ps, yaml_node_t *v, const char *what, char **out)
{
	if (node_expect_text(ps, v, what))
		return -1;
	if (!node_scalar(v)[0])
		return node_fail(ps, v, "%s is empty", what);
	free(*out);
	*out = strdup(node_scalar(v));
	return *out ? 0 : stk_fail("out of memory");
}

/*
 * Private to the profile stage: the YAML reader's state and its node helpers
 * (yaml_node.c), shared by yaml_read.c. Every helper that can fail returns -1
 * with stk_error() set to "FILE:LINE:COLUMN: what is wrong".
 */
#ifndef STOCKADE_PROFILE_YAML_H
#define STOCKADE_PROFILE_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>
#include "profile.h"

struct parse {
	const char *name;
	yaml_document_t doc;
	/* Where each rule was, in the order added, to name the second of two
	 * equal rules once all are parsed (sorting finds them in n log n). */
	yaml_node_t **file_nodes, **net_nodes;
};

/* Append node to *nodes (n long). */
int node_remember(yaml_node_t ***nodes, size_t n, yaml_node_t *node);
__attribute__((format(printf, 3, 4)))
int node_fail(struct parse *ps, const yaml_node_t *node, const char *fmt, ...);
/* Fail unless n is of type; what names it in the message. */
int node_expect(struct parse *ps, const yaml_node_t *n, yaml_node_type_t type, const char *what);
const char *node_scalar(const yaml_node_t *n);
/* A scalar with no embedded NUL. */
int node_expect_text(struct parse *ps, const yaml_node_t *n, const char *what);
int node_int(struct parse *ps, const yaml_node_t *n, const char *what, int64_t *out);
/* A time as YAML writes it, into seconds since the epoch. */
int node_time(struct parse *ps, const yaml_node_t *n, const char *what, int64_t *out);
int node_bool(struct parse *ps, const yaml_node_t *n, const char *what, bool *out);
/* A path a rule can name (path_check()). */
int node_path(struct parse *ps, const yaml_node_t *n, const char *path);

/* Iterate a mapping's pairs, rejecting duplicate keys. */
typedef int (*node_pair_fn)(struct parse *ps, const char *key, yaml_node_t *knode,
			    yaml_node_t *value, void *ctx);
int node_each_pair(struct parse *ps, yaml_node_t *map, const char *what, node_pair_fn fn, void *ctx);
/* A list of at most max text scalars, each checked by check (may be NULL). */
typedef int (*node_check_fn)(struct parse *ps, const yaml_node_t *n, const char *text);
int node_texts(struct parse *ps, yaml_node_t *v, const char *what, size_t max,
	       node_check_fn check, char **out, size_t *n);
/* A non-empty text into *out (freeing what was there). */
int node_text(struct parse *ps, yaml_node_t *v, const char *what, char **out);

/* The key a rule's path is written under, by list and match (NULL: none). */
extern const char *const rule_path_keys[][MATCHES];

#endif

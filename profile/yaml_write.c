/*
 * Profiles written as YAML, through libyaml's emitter so that any path is
 * quoted right; the same profile always gives the same bytes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <yaml.h>
#include "../subject/subject.h"
#include "../names/names.h"
#include "profile.h"
#include "yaml.h"
#include "../common/error.h"

struct emit {
	yaml_emitter_t e;
	yaml_event_t ev;
	int err;
};

static void emit_event(struct emit *em)
{
	if (!em->err && !yaml_emitter_emit(&em->e, &em->ev))
		em->err = stk_fail("cannot write YAML: %s", em->e.problem ? em->e.problem : "emitter error");
}

static void emit_scalar(struct emit *em, const char *s)
{
	yaml_scalar_event_initialize(&em->ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
				     YAML_ANY_SCALAR_STYLE);
	emit_event(em);
}

static void emit_int(struct emit *em, int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	emit_scalar(em, buf);
}

static void emit_time(struct emit *em, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[32];

	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	emit_scalar(em, buf);
}

static void emit_mapping(struct emit *em, bool flow)
{
	yaml_mapping_start_event_initialize(&em->ev, NULL, NULL, 1,
					    flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
	emit_event(em);
}

static void emit_sequence(struct emit *em, bool flow)
{
	yaml_sequence_start_event_initialize(&em->ev, NULL, NULL, 1,
					     flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
	emit_event(em);
}

static void emit_end_mapping(struct emit *em)
{
	yaml_mapping_end_event_initialize(&em->ev);
	emit_event(em);
}

static void emit_end_sequence(struct emit *em)
{
	yaml_sequence_end_event_initialize(&em->ev);
	emit_event(em);
}

/* Learned rules say why they exist; hand-written ones (count 0) do not. */
static void emit_evidence(struct emit *em, const struct evidence *ev)
{
	if (!ev->count)
		return;
	emit_scalar(em, "evidence");
	emit_mapping(em, true);
	emit_scalar(em, "count");
	emit_int(em, ev->count);
	emit_scalar(em, "first_seen");
	emit_time(em, ev->first_seen);
	emit_scalar(em, "last_seen");
	emit_time(em, ev->last_seen);
	emit_scalar(em, "hosts");
	emit_int(em, ev->hosts);
	if (ev->samples[0]) {
		emit_scalar(em, "samples");
		emit_sequence(em, true);
		for (int i = 0; i < EVIDENCE_SAMPLES && ev->samples[i]; i++)
			emit_scalar(em, ev->samples[i]);
		emit_end_sequence(em);
	}
	if (ev->exe[0]) {
		emit_scalar(em, "exe");
		emit_sequence(em, true);
		for (int i = 0; i < EVIDENCE_SAMPLES && ev->exe[i]; i++)
			emit_scalar(em, ev->exe[i]);
		emit_end_sequence(em);
	}
	if (ev->generalised) {
		emit_scalar(em, "generalised");
		emit_scalar(em, ev->generalised);
	}
	emit_end_mapping(em);
}

static void emit_note(struct emit *em, const char *note)
{
	if (!note)
		return;
	emit_scalar(em, "note");
	emit_scalar(em, note);
}

static void emit_rule(struct emit *em, const struct file_rule *r)
{
	emit_mapping(em, false);
	emit_scalar(em, rule_path_keys[r->kind][file_rule_match(r)]);
	emit_scalar(em, r->path);
	if (r->kind == RULE_FILE) {
		emit_scalar(em, "access");
		emit_sequence(em, true);
		for (uint32_t bit = 1; bit & STK_ACC_ALL; bit <<= 1)
			if (r->access & bit)
				emit_scalar(em, access_name(bit));
		emit_end_sequence(em);
	}
	if (r->deny) {
		emit_scalar(em, "deny");
		emit_scalar(em, "true");
	}
	emit_evidence(em, &r->evidence);
	emit_note(em, r->note);
	emit_end_mapping(em);
}

static void emit_net_rule(struct emit *em, const struct net_rule *r)
{
	char buf[64];

	emit_mapping(em, false);
	emit_scalar(em, net_op_name(r->op));
	addr_format(r->addr, r->prefix, buf, sizeof(buf));
	emit_scalar(em, buf);
	emit_scalar(em, "protocol");
	emit_scalar(em, proto_name(r->proto));
	if (r->port_lo != 0 || r->port_hi != 65535) {
		emit_scalar(em, "ports");
		if (r->port_lo == r->port_hi)
			snprintf(buf, sizeof(buf), "%u", r->port_lo);
		else
			snprintf(buf, sizeof(buf), "%u-%u", r->port_lo, r->port_hi);
		emit_scalar(em, buf);
	}
	emit_evidence(em, &r->evidence);
	emit_note(em, r->note);
	emit_end_mapping(em);
}

static void emit_generated(struct emit *em, const struct generator *g)
{
	if (!g->command)
		return;
	emit_scalar(em, "generated");
	emit_mapping(em, false);
	emit_scalar(em, "command");
	emit_scalar(em, g->command);
	emit_scalar(em, "hosts");
	emit_sequence(em, true);
	for (size_t i = 0; i < g->nhosts; i++)
		emit_scalar(em, g->hosts[i]);
	emit_end_sequence(em);
	emit_scalar(em, "observations");
	emit_int(em, g->observations);
	emit_scalar(em, "first_seen");
	emit_time(em, g->first_seen);
	emit_scalar(em, "last_seen");
	emit_time(em, g->last_seen);
	emit_end_mapping(em);
}

static void emit_review(struct emit *em, const struct review_stamp *r)
{
	if (!r->by)
		return;
	emit_scalar(em, "review");
	emit_mapping(em, false);
	emit_scalar(em, "by");
	emit_scalar(em, r->by);
	emit_scalar(em, "at");
	emit_time(em, r->at);
	emit_scalar(em, "digest");
	emit_scalar(em, r->digest);
	emit_end_mapping(em);
}

static size_t count_kind(const struct profile *p, enum rule_kind kind)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nfiles; i++)
		n += p->files[i].kind == kind;
	return n;
}

static void emit_kind(struct emit *em, const struct profile *p, enum rule_kind kind)
{
	for (size_t i = 0; i < p->nfiles; i++)
		if (p->files[i].kind == kind)
			emit_rule(em, &p->files[i]);
}

/* files always (an empty list says "nothing"), exec and network when used. */
struct grant_emit {
	struct emit *em;
	enum grant_kind kind;
};

static void emit_grant(enum grant_kind kind, const char *name, void *ctx)
{
	struct grant_emit *ge = ctx;

	if (kind == ge->kind)
		emit_scalar(ge->em, name);
}

static void count_grant(enum grant_kind kind, const char *name, void *ctx)
{
	struct grant_emit *ge = ctx;

	(void)name;
	if (kind == ge->kind)
		ge->em = NULL; /* at least one */
}

/* capabilities: [...] or sockets: [...], omitted when empty. */
static void emit_grants(struct emit *em, const struct profile *p, enum grant_kind kind)
{
	struct grant_emit ge = { .em = em, .kind = kind };

	grants_foreach(p, count_grant, &ge);
	if (ge.em)
		return;
	ge.em = em;
	emit_scalar(em, kind == GRANT_CAPABILITY ? "capabilities" : "sockets");
	emit_sequence(em, true);
	grants_foreach(p, emit_grant, &ge);
	emit_end_sequence(em);
}

static void emit_rules(struct emit *em, const struct profile *p)
{
	size_t nunix = count_kind(p, RULE_UNIX);

	emit_scalar(em, "files");
	emit_sequence(em, !count_kind(p, RULE_FILE));
	emit_kind(em, p, RULE_FILE);
	emit_end_sequence(em);
	if (count_kind(p, RULE_EXEC)) {
		emit_scalar(em, "exec");
		emit_sequence(em, false);
		emit_kind(em, p, RULE_EXEC);
		emit_end_sequence(em);
	}
	if (p->nnet || nunix) {
		emit_scalar(em, "network");
		emit_sequence(em, false);
		for (size_t i = 0; i < p->nnet; i++)
			emit_net_rule(em, &p->net[i]);
		emit_kind(em, p, RULE_UNIX);
		emit_end_sequence(em);
	}
	if (p->privileges) {
		emit_scalar(em, "privileges");
		emit_sequence(em, true);
		for (uint32_t priv = 1; priv & STK_PRIV_ALL; priv <<= 1)
			if (p->privileges & priv)
				emit_scalar(em, privilege_name(priv));
		emit_end_sequence(em);
	}
	emit_grants(em, p, GRANT_CAPABILITY);
	emit_grants(em, p, GRANT_SOCKET);
}

static int write_buffer(void *data, unsigned char *buf, size_t size)
{
	FILE *f = data;

	return fwrite(buf, 1, size, f) == size;
}

int profile_format(const struct profile *p, char **text, size_t *len)
{
	struct emit em = { 0 };
	FILE *f = open_memstream(text, len);

	if (!f || !yaml_emitter_initialize(&em.e)) {
		if (f)
			fclose(f);
		return stk_fail("out of memory");
	}
	yaml_emitter_set_output(&em.e, write_buffer, f);
	yaml_emitter_set_unicode(&em.e, 1);
	yaml_emitter_set_width(&em.e, -1);
	yaml_stream_start_event_initialize(&em.ev, YAML_UTF8_ENCODING);
	emit_event(&em);
	yaml_document_start_event_initialize(&em.ev, NULL, NULL, NULL, 1);
	emit_event(&em);
	emit_mapping(&em, false);
	emit_scalar(&em, "version");
	emit_int(&em, PROFILE_VERSION);
	emit_scalar(&em, "subject");
	emit_mapping(&em, false);
	emit_scalar(&em, subject_kind_name(p->subject_kind));
	emit_scalar(&em, p->subject);
	emit_end_mapping(&em);
	emit_scalar(&em, "mode");
	emit_scalar(&em, p->complain ? "complain" : "enforce");
	emit_generated(&em, &p->generated);
	emit_review(&em, &p->review);
	emit_rules(&em, p);
	emit_end_mapping(&em);
	yaml_document_end_event_initialize(&em.ev, 1);
	emit_event(&em);
	yaml_stream_end_event_initialize(&em.ev);
	emit_event(&em);
	yaml_emitter_delete(&em.e);
	fclose(f);
	if (em.err) {
		free(*text);
		*text = NULL;
	}
	return em.err;
}

int profile_save(const struct profile *p, const char *file)
{
	char tmp[4096], *text;
	size_t len;
	int fd, err = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%d", file, (int)getpid()) >= sizeof(tmp))
		return stk_fail("%s: file name too long", file);
	if (profile_format(p, &text, &len))
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		free(text);
		return stk_fail("%s: cannot write: %s", tmp, strerror(errno));
	}
	if (write(fd, text, len) != (ssize_t)len || fsync(fd))
		err = stk_fail("%s: cannot write: %s", tmp, strerror(errno));
	close(fd);
	free(text);
	if (!err && rename(tmp, file))
		err = stk_fail("%s: cannot write: %s", file, strerror(errno));
	if (err)
		unlink(tmp);
	return err;
}

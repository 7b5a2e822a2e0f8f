/* Loading, attaching and talking to the kernel programs. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "recorder.h"
#include "stockade.skel.h"
#include "../bpf/decide.h"
#include "../common/error.h"

#define LSM_LIST "/sys/kernel/security/lsm"

struct kernel {
	struct stockade_bpf *skel;
	struct ring_buffer *rb;
	event_fn fn;
	void *ctx;
	uint32_t last_profile;
	bool lsm;
};

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return stk_verbose ? vfprintf(stderr, fmt, ap) : 0;
}

/* The active LSM list, or "" when securityfs does not say. */
static void lsm_list(char *buf, size_t len)
{
	FILE *f = fopen(LSM_LIST, "re");

	buf[0] = 0;
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = 0;
	buf[strcspn(buf, "\n")] = 0;
	fclose(f);
}

static bool lsm_has_bpf(const char *list)
{
	char copy[256], *save, *tok;

	snprintf(copy, sizeof(copy), "%s", list);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (!strcmp(tok, "bpf"))
			return true;
	return false;
}

/* Load either the BPF LSM programs or their fentry twins, never both. */
static void select_programs(struct stockade_bpf *skel, bool lsm)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, skel->obj)
		bpf_program__set_autoload(prog, !strncmp(bpf_program__section_name(prog), "lsm", 3) == lsm);
}

static int load_failure(int err)
{
	if (err == -EPERM)
		return stk_fail("this kernel refuses BPF LSM programs (loading them failed with EPERM); "
				"`stockade doctor` explains, and `make demo` shows stockade in a VM");
	return stk_fail("cannot load the BPF programs: %s (rerun with --verbose for the verifier log)",
			strerror(-err));
}

int kernel_open(enum kernel_use use, struct kernel **out)
{
	struct kernel *k;
	char lsms[256];
	bool lsm;
	int err;

	if (geteuid() != 0)
		return stk_fail("must run as root: loading BPF programs needs CAP_BPF and CAP_SYS_ADMIN");
	lsm_list(lsms, sizeof(lsms));
	/* Without bpf in the LSM list, LSM programs attach but never run. */
	lsm = !lsms[0] || lsm_has_bpf(lsms);
	if (!lsm && use == KERNEL_ENFORCE)
		return stk_fail("BPF LSM is not active (active LSMs: %s), so nothing can be denied; "
				"add bpf to the lsm= kernel parameter (recording works without it)", lsms);
	libbpf_set_print(libbpf_print);
	k = calloc(1, sizeof(*k));
	if (!k)
		return stk_fail("out of memory");
	k->lsm = lsm;
	k->skel = stockade_bpf__open();
	if (!k->skel) {
		free(k);
		return stk_fail("cannot open the BPF object: %s", strerror(errno));
	}
	select_programs(k->skel, lsm);
	err = stockade_bpf__load(k->skel);
	if (err) {
		kernel_close(k);
		return load_failure(err);
	}
	err = stockade_bpf__attach(k->skel);
	if (err) {
		kernel_close(k);
		return stk_fail("cannot attach the BPF programs: %s", strerror(-err));
	}
	*out = k;
	return 0;
}

bool kernel_is_lsm(const struct kernel *k)
{
	return k->lsm;
}

void kernel_close(struct kernel *k)
{
	if (!k)
		return;
	ring_buffer__free(k->rb);
	stockade_bpf__destroy(k->skel);
	free(k);
}

/* Cached subject answers are stale once the subject set changes. */
static void subjects_changed(struct kernel *k)
{
	__atomic_add_fetch(&k->skel->bss->subjects_gen, 1, __ATOMIC_SEQ_CST);
}

static bool subject_exists(struct kernel *k, uint64_t subject_id)
{
	struct stk_subject s;

	return !bpf_map__lookup_elem(k->skel->maps.subjects, &subject_id, sizeof(subject_id),
				     &s, sizeof(s), 0);
}

int kernel_subject_set(struct kernel *k, uint64_t subject_id, enum stk_mode mode,
		       uint32_t profile, uint32_t privileges)
{
	struct stk_subject s = { .mode = mode, .profile = profile, .privileges = privileges };
	bool added = !subject_exists(k, subject_id);

	if (bpf_map__update_elem(k->skel->maps.subjects, &subject_id, sizeof(subject_id),
				 &s, sizeof(s), BPF_ANY))
		return stk_fail("cannot set the subject's mode: %s", strerror(errno));
	if (added && (subject_id & STK_SUBJECT_USER))
		__atomic_add_fetch(&k->skel->bss->user_subjects, 1, __ATOMIC_SEQ_CST);
	subjects_changed(k);
	return 0;
}

int kernel_subject_remove(struct kernel *k, uint64_t subject_id)
{
	if (bpf_map__delete_elem(k->skel->maps.subjects, &subject_id, sizeof(subject_id), 0)) {
		if (errno != ENOENT)
			return stk_fail("cannot remove the subject: %s", strerror(errno));
	} else if (subject_id & STK_SUBJECT_USER) {
		__atomic_sub_fetch(&k->skel->bss->user_subjects, 1, __ATOMIC_SEQ_CST);
	}
	subjects_changed(k);
	return 0;
}

uint32_t kernel_profile_new(struct kernel *k)
{
	return ++k->last_profile;
}

static struct bpf_map *rule_map(struct kernel *k, size_t len)
{
	switch (stk_key_class((uint32_t)len)) {
	case 64:
		return k->skel->maps.rules_64;
	case 256:
		return k->skel->maps.rules_256;
	case 1024:
		return k->skel->maps.rules_1024;
	default:
		return k->skel->maps.rules_4096;
	}
}

/* A zero-padded key for path in its length class; caller frees. */
static struct stk_rule_key *rule_key(uint32_t profile, const char *path, size_t *size)
{
	size_t len = strlen(path);
	struct stk_rule_key *key;

	if (len == 0 || len >= STK_PATH_MAX) {
		stk_fail("rule path must be 1 to %d bytes long: '%.64s'", STK_PATH_MAX - 1, path);
		return NULL;
	}
	*size = sizeof(*key) + stk_key_class((uint32_t)len);
	key = calloc(1, *size);
	if (!key) {
		stk_fail("out of memory");
		return NULL;
	}
	key->profile = profile;
	memcpy(key->path, path, len);
	return key;
}

int kernel_rule_add(struct kernel *k, uint32_t profile, const char *path,
		    const struct stk_rule *rule)
{
	size_t size;
	struct stk_rule_key *key = rule_key(profile, path, &size);
	int err;

	if (!key)
		return -1;
	err = bpf_map__update_elem(rule_map(k, strlen(path)), key, size, rule, sizeof(*rule), BPF_ANY);
	free(key);
	if (err)
		return stk_fail("cannot add the rule for %s: %s", path, strerror(errno));
	return 0;
}

int kernel_rule_remove(struct kernel *k, uint32_t profile, const char *path)
{
	size_t size;
	struct stk_rule_key *key = rule_key(profile, path, &size);
	int err;

	if (!key)
		return -1;
	err = bpf_map__delete_elem(rule_map(k, strlen(path)), key, size, 0);
	free(key);
	if (err && errno != ENOENT)
		return stk_fail("cannot remove the rule for %s: %s", path, strerror(errno));
	return 0;
}

int kernel_net_rule_add(struct kernel *k, const struct stk_net_key *key,
			const struct stk_net_rule *rule)
{
	if (bpf_map__update_elem(k->skel->maps.net_rules, key, sizeof(*key), rule, sizeof(*rule), BPF_ANY))
		return stk_fail("cannot add a network rule: %s", strerror(errno));
	return 0;
}

int kernel_net_rule_remove(struct kernel *k, const struct stk_net_key *key)
{
	if (bpf_map__delete_elem(k->skel->maps.net_rules, key, sizeof(*key), 0) && errno != ENOENT)
		return stk_fail("cannot remove a network rule: %s", strerror(errno));
	return 0;
}

int kernel_counters(struct kernel *k, struct stk_counters *out)
{
	return counters_read(bpf_map__fd(k->skel->maps.counters), out);
}

static int on_ringbuf(void *ctx, void *data, size_t size)
{
	struct kernel *k = ctx;
	struct stk_event ev;

	if (event_decode(data, size, &ev)) {
		stk_warn("dropped a malformed event: %s", stk_error());
		return 0;
	}
	return k->fn(&ev, k->ctx);
}

int kernel_poll(struct kernel *k, event_fn fn, void *ctx, int timeout_ms)
{
	int n;

	if (!k->rb) {
		k->rb = ring_buffer__new(bpf_map__fd(k->skel->maps.events), on_ringbuf, k, NULL);
		if (!k->rb)
			return stk_fail("cannot open the event ring buffer: %s", strerror(errno));
	}
	k->fn = fn;
	k->ctx = ctx;
	n = ring_buffer__poll(k->rb, timeout_ms);
	if (n < 0 && n != -EINTR)
		return stk_fail("reading events failed: %s", strerror(-n));
	return n < 0 ? 0 : n;
}

void kernel_probe(struct kernel_report *r)
{
	struct stockade_bpf *skel;
	char root[4096];

	memset(r, 0, sizeof(*r));
	r->root = geteuid() == 0;
	r->btf = access("/sys/kernel/btf/vmlinux", R_OK) == 0;
	r->cgroup2 = cgroup2_root(root, sizeof(root)) == 0;
	lsm_list(r->lsm_list, sizeof(r->lsm_list));
	r->lsm_known = r->lsm_list[0] != 0;
	r->bpf_lsm = lsm_has_bpf(r->lsm_list);
	if (!r->root)
		return;
	libbpf_set_print(libbpf_print);
	skel = stockade_bpf__open();
	if (!skel) {
		r->load_error = -errno;
		return;
	}
	/* A trial attach with no subjects: every hook returns at its first lookup. */
	r->fentry = r->lsm_known && !r->bpf_lsm;
	select_programs(skel, !r->fentry);
	r->load_error = stockade_bpf__load(skel);
	if (!r->load_error)
		r->attach_error = stockade_bpf__attach(skel);
	stockade_bpf__destroy(skel);
}

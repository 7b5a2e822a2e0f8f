/* Loading, attaching and talking to the kernel programs. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "../subject/subject.h"
#include "kernel.h"
#include "internal.h"
#include "stockade.skel.h"
#include "../bpf/decide.h"
#include "../common/error.h"

#define LSM_LIST "/sys/kernel/security/lsm"

const struct kmap_names kmap_names[M_COUNT] = {
#define KMAP_NAMES(index, name, pin) [index] = { name, pin },
	KERNEL_MAPS(KMAP_NAMES)
#undef KMAP_NAMES
};

struct bpf_map *object_map(struct bpf_object *obj, enum kmap m)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, kmap_names[m].name);

	if (!map)
		stk_fail("the BPF object has no map %s: it does not match this build of stockade", kmap_names[m].name);
	return map;
}

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

	bpf_object__for_each_program(prog, skel->obj) {
		const char *sec = bpf_program__section_name(prog);

		if (!strncmp(sec, "lsm", 3))
			bpf_program__set_autoload(prog, lsm);
		else if (!strncmp(sec, "fentry/", 7))
			bpf_program__set_autoload(prog, !lsm);
	}
	/* Inode storage is BPF LSM's: only its programs keep the verdict cache. */
	bpf_map__set_autocreate(skel->maps.verdicts, lsm);
}

static int load_failure(int err)
{
	if (err == -EPERM)
		return stk_fail("this kernel refuses BPF LSM programs (loading them failed with EPERM); "
				"`stockade doctor` explains, and `make demo` shows stockade in a VM");
	return stk_fail("cannot load the BPF programs: %s (rerun with --verbose for the verifier log)",
			strerror(-err));
}

struct kernel *kernel_alloc(void)
{
	struct kernel *k = calloc(1, sizeof(*k));

	for (int m = 0; k && m < M_COUNT; m++)
		k->fd[m] = -1;
	return k;
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
	k = kernel_alloc();
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
	for (int m = 0; m < M_COUNT; m++) {
		struct bpf_map *map = object_map(k->skel->obj, m);

		if (!map) {
			kernel_close(k);
			return -1;
		}
		k->fd[m] = bpf_map__fd(map);
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
	if (k->skel)
		stockade_bpf__destroy(k->skel); /* pinned links stay attached */
	else
		for (int m = 0; m < M_COUNT; m++)
			if (k->fd[m] >= 0)
				close(k->fd[m]);
	free(k);
}

/*
 * The programs' globals (the .bss map), changed through the map rather than
 * a mapping, so that an adopted instance works the same way. User space is
 * their only writer.
 */
static int globals_update(struct kernel *k, int gen_delta, int users_delta)
{
	struct stockade_bpf__bss g;
	uint32_t zero = 0;

	if (bpf_map_lookup_elem(k->fd[M_BSS], &zero, &g))
		return stk_fail("cannot read the programs' globals: %s", strerror(errno));
	g.subjects_gen += (uint32_t)gen_delta;
	g.user_subjects += (uint32_t)users_delta;
	if (bpf_map_update_elem(k->fd[M_BSS], &zero, &g, BPF_ANY))
		return stk_fail("cannot update the programs' globals: %s", strerror(errno));
	return 0;
}

bool kernel_subject_exists(struct kernel *k, uint64_t subject_id)
{
	struct stk_subject s;

	return !bpf_map_lookup_elem(k->fd[M_SUBJECTS], &subject_id, &s);
}

/* A zeroed per-subject counter, so the programs can count its denials. */
static int subject_counters_create(struct kernel *k, uint64_t subject_id)
{
	int ncpus = libbpf_num_possible_cpus();
	struct stk_subject_counters *zero;
	int err = 0;

	if (ncpus < 1 || !(zero = calloc((size_t)ncpus, sizeof(*zero))))
		return stk_fail("out of memory");
	if (bpf_map_update_elem(k->fd[M_SUBJECT_COUNTERS], &subject_id, zero, BPF_NOEXIST) && errno != EEXIST)
		err = stk_fail("cannot create the subject's counters: %s", strerror(errno));
	free(zero);
	return err;
}

/*
 * A cgroup subject's path, so that the kernel knows the cgroup again when it
 * is made anew. A path that could be cut short by the kernel's 255-byte read
 * is not registered: it could then match a longer path.
 */
static int subject_name_set(struct kernel *k, const struct subject *s)
{
	struct stk_cgroup_name name = { 0 };
	size_t len = strlen(s->cgroup);

	if (s->kind == SUBJECT_USER || len >= sizeof(name.path) - 1)
		return 0;
	memcpy(name.path, s->cgroup, len);
	if (bpf_map_update_elem(k->fd[M_NAMES], &name, &s->id, BPF_ANY))
		return stk_fail("cannot record the subject's cgroup path: %s", strerror(errno));
	return 0;
}

int kernel_subject_set(struct kernel *k, const struct subject *subject, enum stk_mode mode,
		       uint32_t profile, const struct stk_grants *grants)
{
	struct stk_subject s = { .mode = mode, .profile = profile, .grants = *grants };
	uint64_t subject_id = subject->id;
	bool added = !kernel_subject_exists(k, subject_id);

	if (added && subject_counters_create(k, subject_id))
		return -1;
	if (bpf_map_update_elem(k->fd[M_SUBJECTS], &subject_id, &s, BPF_ANY))
		return stk_fail("cannot set the subject's mode: %s", strerror(errno));
	if (subject_name_set(k, subject))
		return -1;
	/* Cached subject answers are stale once the subject set changes. */
	return globals_update(k, 1, added && (subject_id & STK_SUBJECT_USER) ? 1 : 0);
}

/* Delete every entry of a map whose 8-byte value is subject_id. */
static void delete_pointing_at(int fd, size_t key_size, uint64_t subject_id)
{
	char key[STK_CGROUP_NAME_MAX], next[STK_CGROUP_NAME_MAX];
	bool first = true;
	uint64_t value;

	while (!bpf_map_get_next_key(fd, first ? NULL : key, next)) {
		memcpy(key, next, key_size);
		first = false;
		if (!bpf_map_lookup_elem(fd, key, &value) && value == subject_id && !bpf_map_delete_elem(fd, key))
			first = true; /* the walk's position is gone: start over */
	}
}

int kernel_subject_remove(struct kernel *k, uint64_t subject_id)
{
	int users = 0;

	if (bpf_map_delete_elem(k->fd[M_SUBJECTS], &subject_id)) {
		if (errno != ENOENT)
			return stk_fail("cannot remove the subject: %s", strerror(errno));
	} else if (subject_id & STK_SUBJECT_USER) {
		users = -1;
	}
	bpf_map_delete_elem(k->fd[M_INFO], &subject_id);
	bpf_map_delete_elem(k->fd[M_SUBJECT_COUNTERS], &subject_id);
	delete_pointing_at(k->fd[M_NAMES], sizeof(struct stk_cgroup_name), subject_id);
	delete_pointing_at(k->fd[M_ALIASES], sizeof(uint64_t), subject_id);
	return globals_update(k, 1, users);
}

uint64_t kernel_subject_key(struct kernel *k, const struct subject *s)
{
	struct stk_cgroup_name name = { 0 };
	size_t len = strlen(s->cgroup);
	uint64_t key;

	if (s->kind == SUBJECT_USER || len >= sizeof(name.path) - 1)
		return s->id;
	memcpy(name.path, s->cgroup, len);
	if (!bpf_map_lookup_elem(k->fd[M_NAMES], &name, &key) && kernel_subject_exists(k, key))
		return key;
	return s->id;
}

int kernel_protect(struct kernel *k, uint32_t tgid)
{
	uint32_t key, next, *prev = NULL;
	uint8_t one = 1;

	/* Only the running daemon: a dead one's pid may be reused. */
	while (!bpf_map_get_next_key(k->fd[M_PROTECTED], prev, &next)) {
		key = next;
		if (bpf_map_delete_elem(k->fd[M_PROTECTED], &key))
			prev = &key;
	}
	if (bpf_map_update_elem(k->fd[M_PROTECTED], &tgid, &one, BPF_ANY))
		return stk_fail("cannot protect stockade's process from confined tasks: %s", strerror(errno));
	return 0;
}

int kernel_subject_info_set(struct kernel *k, uint64_t subject_id, const struct stk_subject_info *info)
{
	if (bpf_map_update_elem(k->fd[M_INFO], &subject_id, info, BPF_ANY))
		return stk_fail("cannot record what was applied: %s", strerror(errno));
	return 0;
}

int kernel_subjects(struct kernel *k, kernel_subject_fn fn, void *ctx)
{
	uint64_t key, next, *prev = NULL;
	struct stk_subject_info info;
	struct stk_subject s;
	int err = 0;

	while (!err && !bpf_map_get_next_key(k->fd[M_SUBJECTS], prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(k->fd[M_SUBJECTS], &key, &s))
			continue;
		if (bpf_map_lookup_elem(k->fd[M_INFO], &key, &info))
			memset(&info, 0, sizeof(info));
		err = fn(key, &s, &info, ctx);
	}
	return err;
}

uint32_t kernel_profile_new(struct kernel *k)
{
	return ++k->last_profile;
}

/* The rule map whose keys hold class bytes of path (stk_key_class()). */
static enum kmap rule_map(uint32_t class)
{
	switch (class) {
	case 64:
		return M_RULES_64;
	case 256:
		return M_RULES_256;
	case 1024:
		return M_RULES_1024;
	default:
		return M_RULES_4096;
	}
}

int kernel_rule_add(struct kernel *k, const struct stk_rule_key *key, uint32_t class,
		    const struct stk_rule *rule)
{
	if (bpf_map_update_elem(k->fd[rule_map(class)], key, rule, BPF_ANY))
		return stk_fail("cannot add the rule for %.*s: %s", (int)class, key->path, strerror(errno));
	return 0;
}

int kernel_rule_remove(struct kernel *k, const struct stk_rule_key *key, uint32_t class)
{
	if (bpf_map_delete_elem(k->fd[rule_map(class)], key) && errno != ENOENT)
		return stk_fail("cannot remove the rule for %.*s: %s", (int)class, key->path, strerror(errno));
	return 0;
}

int kernel_net_rule_add(struct kernel *k, const struct stk_net_key *key,
			const struct stk_net_rule *rule)
{
	if (bpf_map_update_elem(k->fd[M_NET_RULES], key, rule, BPF_ANY))
		return stk_fail("cannot add a network rule: %s", strerror(errno));
	return 0;
}

int kernel_net_rule_remove(struct kernel *k, const struct stk_net_key *key)
{
	if (bpf_map_delete_elem(k->fd[M_NET_RULES], key) && errno != ENOENT)
		return stk_fail("cannot remove a network rule: %s", strerror(errno));
	return 0;
}

int kernel_counters(struct kernel *k, struct stk_counters *out)
{
	return counters_read(k->fd[M_COUNTERS], out);
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
		k->rb = ring_buffer__new(k->fd[M_EVENTS], on_ringbuf, k, NULL);
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

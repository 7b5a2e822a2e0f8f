/* Loading, attaching and talking to the kernel programs. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "recorder.h"
#include "stockade.skel.h"
#include "../bpf/decide.h"
#include "../common/error.h"

#define LSM_LIST "/sys/kernel/security/lsm"

/* The maps user space works with, by the name they are pinned under. */
enum kmap {
	M_SUBJECTS,
	M_RULES_64,
	M_RULES_256,
	M_RULES_1024,
	M_RULES_4096,
	M_NET_RULES,
	M_COUNTERS,
	M_EVENTS,
	M_BSS,
	M_INFO,
	M_SUBJECT_COUNTERS,
	M_PROTECTED,
	M_NAMES,
	M_ALIASES,
	M_COUNT,
};

static const char *const map_names[M_COUNT] = {
	[M_SUBJECTS] = "subjects", [M_RULES_64] = "rules_64", [M_RULES_256] = "rules_256",
	[M_RULES_1024] = "rules_1024", [M_RULES_4096] = "rules_4096", [M_NET_RULES] = "net_rules",
	[M_COUNTERS] = "counters", [M_EVENTS] = "events", [M_BSS] = "bss", [M_INFO] = "subject_info",
	[M_SUBJECT_COUNTERS] = "subject_counters", [M_PROTECTED] = "protected",
	[M_NAMES] = "subject_names", [M_ALIASES] = "cgroup_aliases",
};

struct kernel {
	struct stockade_bpf *skel; /* NULL when adopted from the pins */
	int fd[M_COUNT];
	struct ring_buffer *rb;
	event_fn fn;
	void *ctx;
	uint32_t last_profile;
	bool lsm;
};

static struct bpf_map *skel_map(struct stockade_bpf *skel, enum kmap m)
{
	switch (m) {
	case M_SUBJECTS: return skel->maps.subjects;
	case M_RULES_64: return skel->maps.rules_64;
	case M_RULES_256: return skel->maps.rules_256;
	case M_RULES_1024: return skel->maps.rules_1024;
	case M_RULES_4096: return skel->maps.rules_4096;
	case M_NET_RULES: return skel->maps.net_rules;
	case M_COUNTERS: return skel->maps.counters;
	case M_EVENTS: return skel->maps.events;
	case M_BSS: return skel->maps.bss;
	case M_INFO: return skel->maps.subject_info;
	case M_SUBJECT_COUNTERS: return skel->maps.subject_counters;
	case M_NAMES: return skel->maps.subject_names;
	case M_ALIASES: return skel->maps.cgroup_aliases;
	default: return skel->maps.protected;
	}
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

static struct kernel *kernel_alloc(void)
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
	for (int m = 0; m < M_COUNT; m++)
		k->fd[m] = bpf_map__fd(skel_map(k->skel, m));
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
		return stk_fail("cannot protect the daemon from confined tasks: %s", strerror(errno));
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

/* ---- pinning ------------------------------------------------------------ */

/*
 * A production instance pins its maps and links under STK_PIN_DIR, so that
 * enforcement outlives the daemon: a restarted daemon adopts the pinned
 * maps instead of loading a second set of programs.
 */
static void pin_path(char *buf, size_t len, const char *kind, const char *name)
{
	snprintf(buf, len, STK_PIN_DIR "/%s%s", kind, name);
}

int kernel_unpin(void)
{
	char path[512];
	DIR *d = opendir(STK_PIN_DIR);
	struct dirent *e;
	int err = 0;

	if (!d)
		return errno == ENOENT ? 0 : stk_fail("cannot open %s: %s", STK_PIN_DIR, strerror(errno));
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		pin_path(path, sizeof(path), "", e->d_name);
		if (unlink(path))
			err = stk_fail("cannot unpin %s: %s", path, strerror(errno));
	}
	closedir(d);
	if (!err && rmdir(STK_PIN_DIR) && errno != ENOENT)
		err = stk_fail("cannot remove %s: %s", STK_PIN_DIR, strerror(errno));
	return err;
}

static int pin_all(struct kernel *k)
{
	const struct bpf_object_skeleton *sk = k->skel->skeleton;
	char path[512];

	if (mkdir(STK_PIN_DIR, 0700) && errno != EEXIST)
		return stk_fail("cannot create %s: %s (is bpffs mounted on /sys/fs/bpf?)", STK_PIN_DIR, strerror(errno));
	for (int m = 0; m < M_COUNT; m++) {
		pin_path(path, sizeof(path), "", map_names[m]);
		if (bpf_map__pin(skel_map(k->skel, m), path))
			return stk_fail("cannot pin %s: %s", path, strerror(errno));
	}
	for (int i = 0; i < sk->prog_cnt; i++) {
		struct bpf_link *link = *sk->progs[i].link;

		pin_path(path, sizeof(path), "link-", sk->progs[i].name);
		if (link && bpf_link__pin(link, path))
			return stk_fail("cannot pin %s: %s", path, strerror(errno));
	}
	return 0;
}

/* Does the pinned map fd have the shape this build's programs expect? */
static bool same_shape(int fd, struct bpf_map *want)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);

	return !bpf_obj_get_info_by_fd(fd, &info, &len) && info.type == bpf_map__type(want) &&
	       info.key_size == bpf_map__key_size(want) && info.value_size == bpf_map__value_size(want) &&
	       info.max_entries == bpf_map__max_entries(want);
}

static int adopt(struct kernel *k)
{
	struct stockade_bpf *skel = stockade_bpf__open();
	char path[512];
	int err = 0;

	if (!skel)
		return stk_fail("cannot open the BPF object: %s", strerror(errno));
	for (int m = 0; !err && m < M_COUNT; m++) {
		pin_path(path, sizeof(path), "", map_names[m]);
		if ((k->fd[m] = bpf_obj_get(path)) < 0)
			err = stk_fail("cannot open the pinned %s: %s", path, strerror(errno));
		else if (!same_shape(k->fd[m], skel_map(skel, m)))
			err = stk_fail("the programs pinned in %s come from another version of stockade; "
				       "`stockade disable` removes them (and what they enforce)", STK_PIN_DIR);
	}
	stockade_bpf__destroy(skel);
	k->lsm = true;
	return err;
}

/* The profile ids subjects use, to tell live rules from leftovers. */
struct used_profiles {
	uint32_t ids[STK_SUBJECTS_MAX];
	size_t n;
};

static int collect_used(uint64_t id, const struct stk_subject *s, const struct stk_subject_info *info, void *ctx)
{
	struct used_profiles *u = ctx;

	(void)id;
	(void)info;
	if (u->n < STK_SUBJECTS_MAX)
		u->ids[u->n++] = s->profile;
	return 0;
}

static bool used(const struct used_profiles *u, uint32_t profile)
{
	for (size_t i = 0; i < u->n; i++)
		if (u->ids[i] == profile)
			return true;
	return false;
}

/* The profile a rule belongs to, whichever entry of it this is. */
static uint32_t key_profile(enum kmap m, const void *key)
{
	if (m == M_NET_RULES)
		return ((const struct stk_net_key *)key)->profile;
	return ((const struct stk_rule_key *)key)->profile & ~STK_PROFILE_VERSIONS;
}

static const size_t rule_key_sizes[] = {
	[M_RULES_64] = sizeof(struct stk_rule_key) + 64,
	[M_RULES_256] = sizeof(struct stk_rule_key) + 256,
	[M_RULES_1024] = sizeof(struct stk_rule_key) + 1024,
	[M_RULES_4096] = sizeof(struct stk_rule_key) + STK_PATH_MAX,
	[M_NET_RULES] = sizeof(struct stk_net_key),
};

/* Which rules a sweep deletes: those of one profile, or of none in use. */
struct sweep {
	const struct used_profiles *used; /* NULL: delete profile drop's rules */
	uint32_t drop;
};

static bool doomed(const struct sweep *w, uint32_t profile)
{
	return w->used ? !used(w->used, profile) : profile == w->drop;
}

/*
 * Walk every rule map and delete the doomed entries once the walk is over
 * (deleting while walking a hash map could skip entries). Notes the highest
 * profile id seen, so new ids never collide with a leftover.
 */
static int rules_sweep(struct kernel *k, const struct sweep *w)
{
	char cur[sizeof(struct stk_rule_key) + STK_PATH_MAX], next[sizeof(cur)];
	char *victims = NULL, *grown;
	size_t n = 0, cap = 0;
	int err = 0;

	for (int m = M_RULES_64; !err && m <= M_NET_RULES; m++) {
		size_t size = rule_key_sizes[m];
		bool first = true;

		n = 0;
		while (!err && !bpf_map_get_next_key(k->fd[m], first ? NULL : cur, next)) {
			first = false;
			memcpy(cur, next, size);
			if (key_profile(m, cur) > k->last_profile)
				k->last_profile = key_profile(m, cur);
			if (!doomed(w, key_profile(m, cur)))
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				if (!(grown = realloc(victims, cap * sizeof(cur))))
					err = stk_fail("out of memory");
				else
					victims = grown;
			}
			if (!err)
				memcpy(victims + n++ * sizeof(cur), cur, size);
		}
		for (size_t i = 0; !err && i < n; i++)
			if (bpf_map_delete_elem(k->fd[m], victims + i * sizeof(cur)) && errno != ENOENT)
				err = stk_fail("cannot delete a rule: %s", strerror(errno));
	}
	free(victims);
	return err;
}

int kernel_rules_gc(struct kernel *k)
{
	struct used_profiles u = { .n = 0 };
	struct sweep w = { .used = &u };

	return kernel_subjects(k, collect_used, &u) || rules_sweep(k, &w) ? -1 : 0;
}

int kernel_profile_drop(struct kernel *k, uint32_t profile)
{
	struct sweep w = { .drop = profile };

	return rules_sweep(k, &w);
}

int kernel_open_pinned(struct kernel **out, bool load, bool *adopted)
{
	struct kernel *k;
	int err;

	*out = NULL;
	*adopted = access(STK_PIN_DIR "/subjects", F_OK) == 0;
	if (!*adopted && !load)
		return 0;
	if (!*adopted) {
		if (kernel_open(KERNEL_ENFORCE, &k))
			return -1;
		if (pin_all(k)) {
			err = -1;
			kernel_unpin();
			goto fail;
		}
		*out = k;
		return 0;
	}
	if (geteuid() != 0)
		return stk_fail("must run as root: the pinned programs are root's");
	if (!(k = kernel_alloc()))
		return stk_fail("out of memory");
	err = adopt(k) || kernel_rules_gc(k);
	if (!err) {
		*out = k;
		return 0;
	}
fail:
	kernel_close(k);
	return err;
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

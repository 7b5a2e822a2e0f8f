/*
 * The production instance: its maps and links pinned under STK_PIN_DIR, a
 * restarted daemon adopting them, and the rules no subject uses any more
 * swept from its maps.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "kernel.h"
#include "internal.h"
#include "stockade.skel.h"
#include "../common/error.h"

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
		struct bpf_map *map = object_map(k->skel->obj, m);

		pin_path(path, sizeof(path), "", kmap_names[m].pin);
		if (!map)
			return -1;
		if (bpf_map__pin(map, path))
			return stk_fail("cannot pin %s: %s", path, strerror(errno));
	}
	for (int i = 0; i < sk->prog_cnt; i++) {
		struct bpf_link *link = *sk->progs[i].link;

		pin_path(path, sizeof(path), STK_PIN_LINK_PREFIX, sk->progs[i].name);
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
		struct bpf_map *want = object_map(skel->obj, m);

		pin_path(path, sizeof(path), "", kmap_names[m].pin);
		if (!want)
			err = -1;
		else if ((k->fd[m] = bpf_obj_get(path)) < 0)
			err = stk_fail("cannot open the pinned %s: %s", path, strerror(errno));
		else if (!same_shape(k->fd[m], want))
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

/* A map's key size, as the kernel made it; 0 if it cannot say. */
static size_t key_size(int fd)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.key_size;
}

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
		size_t size = key_size(k->fd[m]);
		bool first = true;

		n = 0;
		if (!size || size > sizeof(cur)) {
			err = stk_fail("cannot walk the rule map %s: its key size is unknown", kmap_names[m].name);
			break;
		}
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
	*adopted = access(STK_PIN(STK_MAP_SUBJECTS), F_OK) == 0;
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

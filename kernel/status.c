/*
 * Finding the stockade programs running on this machine, and their subjects
 * and counters, through the kernel's program and map ids (as bpftool does),
 * so that any process can report on them without pinning.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "kernel.h"
#include "../common/error.h"

#define MAX_PROG_MAPS 64

/* Is reported, a name as the kernel keeps it (cut to BPF_OBJ_NAME_LEN - 1
 * characters), the name given in full? */
static bool kernel_name_is(const char *reported, const char *name)
{
	size_t n = strnlen(name, BPF_OBJ_NAME_LEN - 1);

	return strlen(reported) == n && !strncmp(reported, name, n);
}

/* One instance has one file_open program: LSM or, recording only, fentry. */
static int instance_kind(const char *name)
{
	if (kernel_name_is(name, STK_PROG_FILE_OPEN_LSM))
		return 1;
	if (kernel_name_is(name, STK_PROG_FILE_OPEN_FENTRY))
		return 0;
	return -1;
}

static int map_named(const __u32 *ids, __u32 n, const char *name)
{
	for (__u32 i = 0; i < n; i++) {
		struct bpf_map_info info = { 0 };
		__u32 len = sizeof(info);
		int fd = bpf_map_get_fd_by_id(ids[i]);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) && kernel_name_is(info.name, name))
			return fd;
		close(fd);
	}
	return -1;
}

/* A subject's denials, summed over CPUs (zero if it has no counters). */
static void refused_read(int fd, __u64 subject, struct stk_subject_counters *out)
{
	int ncpu = libbpf_num_possible_cpus();
	struct stk_subject_counters *percpu = ncpu > 0 ? calloc((size_t)ncpu, sizeof(*percpu)) : NULL;

	memset(out, 0, sizeof(*out));
	if (percpu && fd >= 0 && !bpf_map_lookup_elem(fd, &subject, percpu)) {
		for (int c = 0; c < ncpu; c++) {
			out->denied += percpu[c].denied;
			out->would_deny += percpu[c].would_deny;
		}
	}
	free(percpu);
}

static int read_subjects(int fd, int info_fd, int refused_fd, struct instance_status *st)
{
	__u64 key, next;
	void *prev = NULL;

	while (st->nsubjects < STK_SUBJECTS_MAX && !bpf_map_get_next_key(fd, prev, &next)) {
		typeof(st->subjects[0]) *s = &st->subjects[st->nsubjects];

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &s->state))
			continue; /* removed meanwhile */
		if (info_fd < 0 || bpf_map_lookup_elem(info_fd, &key, &s->info))
			memset(&s->info, 0, sizeof(s->info));
		refused_read(refused_fd, key, &s->refused);
		s->id = key;
		st->nsubjects++;
	}
	return 0;
}

/* The paths cgroup subjects were applied under (map STK_MAP_SUBJECT_NAMES). */
static void read_names(int fd, struct instance_status *st)
{
	struct stk_cgroup_name key, next;
	bool first = true;
	__u64 subject;

	while (!bpf_map_get_next_key(fd, first ? NULL : &key, &next)) {
		key = next;
		first = false;
		if (bpf_map_lookup_elem(fd, &key, &subject))
			continue;
		for (size_t i = 0; i < st->nsubjects; i++)
			if (st->subjects[i].id == subject)
				memcpy(st->subjects[i].cgroup, key.path, sizeof(key.path));
	}
}

/* Is the map open as fd the one pinned under STK_PIN_DIR? */
static bool is_pinned(int fd)
{
	struct bpf_map_info a = { 0 }, b = { 0 };
	__u32 len = sizeof(a);
	int pinned = bpf_obj_get(STK_PIN(STK_MAP_SUBJECTS));
	bool same;

	if (pinned < 0)
		return false;
	same = !bpf_obj_get_info_by_fd(fd, &a, &len) && (len = sizeof(b), !bpf_obj_get_info_by_fd(pinned, &b, &len)) &&
	       a.id == b.id;
	close(pinned);
	return same;
}

int counters_read(int fd, struct stk_counters *out)
{
	int ncpu = libbpf_num_possible_cpus();
	struct stk_counters *percpu;
	__u32 zero = 0;

	if (ncpu <= 0)
		return stk_fail("cannot count CPUs: %s", strerror(-ncpu));
	percpu = calloc((size_t)ncpu, sizeof(*percpu));
	if (!percpu)
		return stk_fail("out of memory");
	memset(out, 0, sizeof(*out));
	if (bpf_map_lookup_elem(fd, &zero, percpu)) {
		free(percpu);
		return stk_fail("cannot read the counters: %s", strerror(errno));
	}
	for (int c = 0; c < ncpu; c++)
		for (int i = 0; i < STK_CNT_MAX; i++)
			out->n[i] += percpu[c].n[i];
	free(percpu);
	return 0;
}

/* Fill st from the program with this id, if it is an instance's file_open. */
static int inspect(__u32 id, struct instance_status *st, bool *found)
{
	__u32 map_ids[MAX_PROG_MAPS], len = sizeof(struct bpf_prog_info);
	struct bpf_prog_info info = { 0 };
	int fd = bpf_prog_get_fd_by_id(id), subjects = -1, counters = -1, info_fd = -1, names_fd = -1, refused = -1;
	int err = 0, kind;

	*found = false;
	if (fd < 0)
		return 0; /* unloaded meanwhile */
	info.nr_map_ids = MAX_PROG_MAPS;
	info.map_ids = (__u64)(unsigned long)map_ids;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || (kind = instance_kind(info.name)) < 0)
		goto out;
	subjects = map_named(map_ids, info.nr_map_ids, STK_MAP_SUBJECTS);
	counters = map_named(map_ids, info.nr_map_ids, STK_MAP_COUNTERS);
	if (subjects < 0 || counters < 0)
		goto out;
	refused = map_named(map_ids, info.nr_map_ids, STK_MAP_SUBJECT_COUNTERS);
	memset(st, 0, sizeof(*st));
	st->prog_id = id;
	st->lsm = kind;
	st->pinned = is_pinned(subjects);
	/* file_open reads neither subject_info nor subject_names: only pins lead to them. */
	if (st->pinned) {
		info_fd = bpf_obj_get(STK_PIN(STK_MAP_SUBJECT_INFO));
		names_fd = bpf_obj_get(STK_PIN(STK_MAP_SUBJECT_NAMES));
	}
	err = read_subjects(subjects, info_fd, refused, st) || counters_read(counters, &st->counters) ? -1 : 0;
	if (!err && names_fd >= 0)
		read_names(names_fd, st);
	*found = !err;
out:
	if (subjects >= 0)
		close(subjects);
	if (counters >= 0)
		close(counters);
	if (info_fd >= 0)
		close(info_fd);
	if (names_fd >= 0)
		close(names_fd);
	if (refused >= 0)
		close(refused);
	close(fd);
	return err;
}

int kernel_status(status_fn fn, void *ctx)
{
	struct instance_status *st;
	__u32 id = 0;
	bool found;
	int n = 0;

	if (geteuid() != 0)
		return stk_fail("must run as root: reading BPF programs and maps needs CAP_SYS_ADMIN");
	st = malloc(sizeof(*st));
	if (!st)
		return stk_fail("out of memory");
	while (!bpf_prog_get_next_id(id, &id)) {
		if (inspect(id, st, &found) || (found && fn(st, ctx))) {
			free(st);
			return -1;
		}
		n += found;
	}
	free(st);
	return n;
}

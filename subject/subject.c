/* Subjects: from a unit name or cgroup path to a cgroup v2 id. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <pwd.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/types.h>
#include "subject.h"
#include "../bpf/abi.h"
#include "../common/error.h"

#define UNIT_SEARCH_DEPTH 6

const char *subject_kind_name(enum subject_kind kind)
{
	return kind == SUBJECT_SERVICE ? "service" : kind == SUBJECT_CGROUP ? "cgroup" : "user";
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n > k && !strncmp(s + n - k, suffix, k);
}

void subject_label(enum subject_kind kind, const char *name, char *buf, size_t len)
{
	const char *unit = strrchr(name, '/');
	const char *parent = unit;

	while (parent && parent > name && parent[-1] != '/')
		parent--;
	if (kind == SUBJECT_CGROUP && unit && parent < unit && ends_with(unit + 1, strlen(unit + 1), ".service") &&
	    ends_with(parent, (size_t)(unit - parent), ".slice"))
		snprintf(buf, len, "service %s", unit + 1);
	else
		snprintf(buf, len, "%s %s", subject_kind_name(kind), name);
}

int subject_kind_parse(const char *name, enum subject_kind *kind)
{
	for (enum subject_kind k = SUBJECT_SERVICE; k <= SUBJECT_USER; k++) {
		if (!strcmp(name, subject_kind_name(k))) {
			*kind = k;
			return 0;
		}
	}
	return stk_fail("unknown subject kind '%s' (expected service, cgroup or user)", name);
}

int cgroup2_root(char *buf, size_t len)
{
	char line[4096], mnt[4096], fstype[64];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int found = 0;

	if (!f)
		return stk_fail("cannot read /proc/self/mountinfo: %s", strerror(errno));
	/* "36 35 0:30 / /sys/fs/cgroup rw,... - cgroup2 cgroup2 rw" */
	while (!found && fgets(line, sizeof(line), f)) {
		const char *sep = strstr(line, " - ");

		if (sep && sscanf(sep, " - %63s", fstype) == 1 && !strcmp(fstype, "cgroup2") &&
		    sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1)
			found = 1;
	}
	fclose(f);
	if (!found)
		return stk_fail("no cgroup v2 hierarchy is mounted (stockade needs cgroup2: mount -t cgroup2 none /sys/fs/cgroup)");
	if ((size_t)snprintf(buf, len, "%s", mnt) >= len)
		return stk_fail("cgroup2 mount path too long: %s", mnt);
	return 0;
}

/* Cgroup v2 ids are the kernfs node ids that file handles carry. */
static int cgroup_id_of(const char *dir, uint64_t *id)
{
	struct {
		struct file_handle fh;
		uint64_t id;
	} h = { .fh.handle_bytes = sizeof(uint64_t) };
	int mount_id;

	if (name_to_handle_at(AT_FDCWD, dir, &h.fh, &mount_id, 0) < 0)
		return stk_fail("cannot get the cgroup id of %s: %s", dir, strerror(errno));
	*id = h.id;
	return 0;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

typedef bool (*cgroup_match)(const char *dir, const char *base, const void *want);

/*
 * Depth-first search below dir (a buffer of cap bytes, extended in place)
 * for a cgroup directory that matches; dir is that directory on success.
 */
static bool find_cgroup_dir(char *dir, size_t cap, cgroup_match match, const void *want, int depth)
{
	size_t len = strlen(dir);
	struct dirent *de;
	bool found = false;
	DIR *d;

	if (depth == 0 || !(d = opendir(dir)))
		return false;
	while (!found && (de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(dir + len, cap - len, "/%s", de->d_name) >= cap - len)
			continue;
		found = match(dir, de->d_name, want) || find_cgroup_dir(dir, cap, match, want, depth - 1);
		if (!found)
			dir[len] = 0;
	}
	closedir(d);
	return found;
}

static bool named(const char *dir, const char *base, const void *name)
{
	(void)dir;
	return !strcmp(base, name);
}

static bool with_id(const char *dir, const char *base, const void *id)
{
	uint64_t here = 0;

	(void)base;
	return cgroup_id_of(dir, &here) == 0 && here == *(const uint64_t *)id;
}

int cgroup_path_of(uint64_t id, char *buf, size_t len)
{
	char root[4096], dir[4096];

	if (cgroup2_root(root, sizeof(root)))
		return -1;
	snprintf(dir, sizeof(dir), "%s", root);
	if (!find_cgroup_dir(dir, sizeof(dir), with_id, &id, STK_CGROUP_DEPTH_MAX))
		return stk_fail("no cgroup has id %llu (removed?)", (unsigned long long)id);
	snprintf(buf, len, "%s", dir + strlen(root));
	return 0;
}

static int canonical_service(const char *unit, char *out, size_t len)
{
	if (!*unit || strchr(unit, '/'))
		return stk_fail("invalid unit name '%s' (expected a name such as nginx.service)", unit);
	if ((size_t)snprintf(out, len, "%s%s", unit, strchr(unit, '.') ? "" : ".service") >= len)
		return stk_fail("unit name too long: %s", unit);
	return 0;
}

static int canonical_cgroup(const char *path, char *out, size_t len)
{
	char root[4096];
	size_t rootlen, n;
	const char *rel = path;

	if (path[0] != '/')
		return stk_fail("cgroup '%s' must be an absolute path, such as /system.slice/nginx.service", path);
	if (cgroup2_root(root, sizeof(root)) == 0) {
		rootlen = strlen(root);
		if (!strncmp(path, root, rootlen) && (path[rootlen] == '/' || !path[rootlen]))
			rel = path + rootlen;
	}
	if ((size_t)snprintf(out, len, "%s", rel) >= len)
		return stk_fail("cgroup path too long: %s", path);
	for (n = strlen(out); n > 0 && out[n - 1] == '/'; n--)
		out[n - 1] = 0;
	if (!out[0])
		return stk_fail("refusing the root cgroup: it holds every process on the machine");
	return 0;
}

static int canonical_user(const char *user, char *out, size_t len)
{
	if (!*user || strchr(user, '/') || strchr(user, ':'))
		return stk_fail("invalid user '%s' (expected a user name or a uid)", user);
	if ((size_t)snprintf(out, len, "%s", user) >= len)
		return stk_fail("user name too long: %s", user);
	return 0;
}

int subject_canonical(enum subject_kind kind, const char *name, char *out, size_t len)
{
	switch (kind) {
	case SUBJECT_SERVICE:
		return canonical_service(name, out, len);
	case SUBJECT_CGROUP:
		return canonical_cgroup(name, out, len);
	default:
		return canonical_user(name, out, len);
	}
}

/* A user by name (from the passwd database) or by number. */
static int find_user(struct subject *s)
{
	struct passwd *pw = getpwnam(s->name);
	unsigned long uid;
	char *end;

	if (pw) {
		uid = pw->pw_uid;
	} else {
		uid = strtoul(s->name, &end, 10);
		if (!isdigit((unsigned char)s->name[0]) || *end || uid > UINT32_MAX - 1)
			return stk_fail("unknown user '%s': no such name in the passwd database, and not a uid", s->name);
	}
	s->id = STK_SUBJECT_USER | uid;
	return 0;
}

/* Run argv (no shell) and keep the first len - 1 bytes it prints; -1 if it cannot run or fails. */
static int capture(char *const argv[], char *out, size_t len)
{
	size_t used = 0;
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, STDERR_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	while (pid > 0 && (n = read(fds[0], out + used, len - 1 - used)) > 0)
		used += (size_t)n;
	close(fds[0]);
	out[used] = 0;
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The value of "KEY=value" on its own line of text, or NULL. */
static const char *property(const char *text, const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);

	for (const char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (strncmp(line, key, klen) || line[klen] != '=')
			continue;
		snprintf(buf, len, "%.*s", (int)strcspn(line + klen + 1, "\n"), line + klen + 1);
		return buf;
	}
	return NULL;
}

/* systemd nests slices by their dashes: a-b.slice is /a.slice/a-b.slice; -.slice is the root. */
static int slice_path(const char *slice, char *out, size_t len)
{
	size_t n = strlen(slice), used = 0;

	out[0] = 0;
	if (!strcmp(slice, "-.slice"))
		return 0;
	if (n <= 6 || strcmp(slice + n - 6, ".slice") || slice[0] == '-')
		return stk_fail("systemd gave an unexpected slice name '%s'", slice);
	for (size_t i = 0; i <= n - 6; i++) {
		if (i < n - 6 && slice[i] != '-')
			continue;
		used += (size_t)snprintf(out + used, used < len ? len - used : 0, "/%.*s.slice", (int)i, slice);
		if (used >= len)
			return stk_fail("slice path too long: %s", slice);
	}
	return 0;
}

/* A path's FNV-1a hash, as the key of a subject applied before its cgroup exists. */
static uint64_t named_key(const char *path)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *path; path++)
		h = (h ^ (unsigned char)*path) * 0x100000001b3ULL;
	return STK_SUBJECT_NAMED | (h & (STK_SUBJECT_NAMED - 1));
}

/*
 * A unit systemd knows but is not running has no cgroup yet. systemd will
 * make it in the unit's slice; the subject is keyed by that path, so the
 * kernel takes the cgroup as the subject's when mkdir(2) makes it.
 */
static int find_stopped_unit(struct subject *s)
{
	char out[4096], state[64], slice[256], path[4096];
	char *argv[] = { "systemctl", "show", "--property=LoadState,Slice", "--", s->name, NULL };

	if (capture(argv, out, sizeof(out)))
		return stk_fail("unknown service '%s': it is not running and systemctl could not say where its cgroup will be",
				s->name);
	if (!property(out, "LoadState", state, sizeof(state)) || strcmp(state, "loaded"))
		return stk_fail("unknown service '%s': systemd has no such unit (systemctl list-unit-files lists them)",
				s->name);
	if (!property(out, "Slice", slice, sizeof(slice)) || !slice[0])
		snprintf(slice, sizeof(slice), "system.slice");
	if (slice_path(slice, path, sizeof(path)))
		return -1;
	if ((size_t)snprintf(s->cgroup, sizeof(s->cgroup), "%s/%s", path, s->name) >= STK_CGROUP_NAME_MAX - 1)
		return stk_fail("service '%s' is not running, and its cgroup path %s is too long to wait for",
				s->name, s->cgroup);
	s->dir[0] = 0;
	s->waiting = true;
	s->id = named_key(s->cgroup);
	return 0;
}

static int find_service(const char *root, struct subject *s)
{
	if ((size_t)snprintf(s->dir, sizeof(s->dir), "%s/system.slice/%s", root, s->name) < sizeof(s->dir) &&
	    is_dir(s->dir))
		return 0;
	snprintf(s->dir, sizeof(s->dir), "%s", root);
	if (find_cgroup_dir(s->dir, sizeof(s->dir), named, s->name, UNIT_SEARCH_DEPTH))
		return 0;
	return find_stopped_unit(s);
}

static int find_cgroup(const char *root, struct subject *s)
{
	if ((size_t)snprintf(s->dir, sizeof(s->dir), "%s%s", root, s->name) >= sizeof(s->dir))
		return stk_fail("cgroup path too long: %s", s->name);
	if (!is_dir(s->dir))
		return stk_fail("unknown cgroup '%s': %s is not a directory", s->name, s->dir);
	return 0;
}

int subject_resolve(enum subject_kind kind, const char *name, struct subject *out)
{
	char root[4096];
	int err;

	memset(out, 0, sizeof(*out));
	out->kind = kind;
	if (subject_canonical(kind, name, out->name, sizeof(out->name)))
		return -1;
	if (kind == SUBJECT_USER)
		return find_user(out);
	if (cgroup2_root(root, sizeof(root)))
		return -1;
	err = kind == SUBJECT_SERVICE ? find_service(root, out) : find_cgroup(root, out);
	if (err || out->waiting)
		return err;
	snprintf(out->cgroup, sizeof(out->cgroup), "%s", out->dir + (strcmp(root, "/") ? strlen(root) : 0));
	return cgroup_id_of(out->dir, &out->id);
}

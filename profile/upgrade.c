/*
 * What a package upgrade did to approved rules: which rules name files
 * that no longer exist (the service would be refused them), and which name
 * files of a Debian package installed again since the approval. Rules that
 * name what packages ship are checked: reading and running code and
 * configuration. State the service makes itself (a rule that writes or
 * creates), and the kernel's and runtime trees (/proc, /sys, /dev, /run,
 * /tmp), are not a package's and may well not exist while it is stopped.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "profile.h"
#include "../common/error.h"

/* dpkg's database: every file a package put in place, and when it last did. */
struct owned {
	char *path;
	const char *package; /* points into packages */
	int64_t installed;   /* mtime of the package's .list file: dpkg rewrites it at each unpack */
};

struct dpkg_files {
	struct owned *v;
	size_t n, cap;
	char **packages;
	size_t npackages;
};

#define DPKG_INFO "/var/lib/dpkg/info"

static int owned_cmp(const void *a, const void *b)
{
	return strcmp(((const struct owned *)a)->path, ((const struct owned *)b)->path);
}

static int owned_add(struct dpkg_files *d, const char *path, const char *package, int64_t installed)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 1024;
		struct owned *v = realloc(d->v, cap * sizeof(*v));

		if (!v)
			return stk_fail("out of memory");
		d->v = v;
		d->cap = cap;
	}
	if (!(d->v[d->n].path = strdup(path)))
		return stk_fail("out of memory");
	d->v[d->n].package = package;
	d->v[d->n++].installed = installed;
	return 0;
}

/* One package's NAME.list: a path a line. */
static int list_load(struct dpkg_files *d, const char *file, const char *package)
{
	char line[4096];
	struct stat st;
	FILE *f = fopen(file, "re");
	int err = 0;

	if (!f || fstat(fileno(f), &st)) {
		if (f)
			fclose(f);
		return stk_fail("cannot read %s", file);
	}
	while (!err && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0] == '/' && line[1])
			err = owned_add(d, line, package, (int64_t)st.st_mtime);
	}
	fclose(f);
	return err;
}

int dpkg_files_load(const char *root, struct dpkg_files **out)
{
	struct dpkg_files *d = calloc(1, sizeof(*d));
	char dir[4096], file[8192];
	struct dirent *e;
	DIR *info;
	int err = 0;

	if (!d)
		return stk_fail("out of memory");
	*out = d;
	snprintf(dir, sizeof(dir), "%s%s", root, DPKG_INFO);
	if (!(info = opendir(dir)))
		return 0; /* not a Debian system: no package is known */
	while (!err && (e = readdir(info))) {
		size_t n = strlen(e->d_name);
		char **grown;

		if (n <= 5 || strcmp(e->d_name + n - 5, ".list"))
			continue;
		if (!(grown = realloc(d->packages, (d->npackages + 1) * sizeof(*grown))) ||
		    !(grown[d->npackages] = strndup(e->d_name, n - 5))) {
			if (grown)
				d->packages = grown;
			err = stk_fail("out of memory");
			break;
		}
		d->packages = grown;
		snprintf(file, sizeof(file), "%s/%s", dir, e->d_name);
		err = list_load(d, file, d->packages[d->npackages++]);
	}
	closedir(info);
	if (d->n)
		qsort(d->v, d->n, sizeof(*d->v), owned_cmp);
	return err;
}

void dpkg_files_free(struct dpkg_files *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].path);
	for (size_t i = 0; i < d->npackages; i++)
		free(d->packages[i]);
	free(d->v);
	free(d->packages);
	free(d);
}

static const struct owned *owner_exact(const struct dpkg_files *d, const char *path)
{
	struct owned key = { .path = (char *)path };

	return d->n ? bsearch(&key, d->v, d->n, sizeof(*d->v), owned_cmp) : NULL;
}

/*
 * The package that owns path. On a merged-/usr system /lib, /bin and /sbin
 * are /usr's, and the kernel names files /usr/lib/...; a package may still
 * list its file as /lib/..., so both spellings are tried.
 */
static const struct owned *owner_of(const struct dpkg_files *d, const char *path)
{
	static const char *const merged[] = { "/lib/", "/lib64/", "/bin/", "/sbin/" };
	const struct owned *o = owner_exact(d, path);
	char alias[4096];

	for (size_t i = 0; !o && i < sizeof(merged) / sizeof(merged[0]); i++) {
		size_t n = strlen(merged[i]);
		int len;

		if (!strncmp(path, "/usr", 4) && !strncmp(path + 4, merged[i], n))
			len = snprintf(alias, sizeof(alias), "%s", path + 4);
		else if (!strncmp(path, merged[i], n))
			len = snprintf(alias, sizeof(alias), "/usr%s", path);
		else
			continue;
		if ((size_t)len < sizeof(alias))
			o = owner_exact(d, alias);
	}
	return o;
}

/* Does the rule name what a package ships, so that an upgrade can break it? */
static bool names_package_files(const struct file_rule *r)
{
	static const char *const runtime[] = { "/proc", "/sys", "/dev", "/run", "/tmp", "/var/tmp", "/var/run" };
	const uint32_t made_by_service = STK_ACC_WRITE | STK_ACC_APPEND | STK_ACC_CREATE | STK_ACC_UNLINK | STK_ACC_LINK;

	if (r->deny || r->kind == RULE_UNIX || (r->access & made_by_service))
		return false;
	for (size_t i = 0; i < sizeof(runtime) / sizeof(runtime[0]); i++)
		if (path_within(r->path, runtime[i]))
			return false;
	return true;
}

/*
 * The file of a versions rule's library there is now under root, into
 * found. Only a file counts, not a link: the kernel names the file a link
 * leads to, and the soname link (libz.so.1) is one.
 */
static bool version_now(const char *root, const char *stem, char *found, size_t len)
{
	const char *slash = strrchr(stem, '/');
	char dir[4096], path[4096 + 256], full[8192 + 256];
	struct dirent *e;
	struct stat st;
	bool any = false;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s%.*s", root, (int)(slash - stem), stem);
	if (!(d = opendir(dir[0] ? dir : "/")))
		return false;
	while (!any && (e = readdir(d))) {
		snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - stem), stem, e->d_name);
		snprintf(full, sizeof(full), "%s%s", root, path);
		any = path_is_version_of(path, stem) && !lstat(full, &st) && S_ISREG(st.st_mode) &&
		      (size_t)snprintf(found, len, "%s", path) < len;
	}
	closedir(d);
	return any;
}

/* The file the rule names now, into found; false if none exists. */
static bool named_now(const char *root, const struct file_rule *r, char *found, size_t len)
{
	char full[8192];
	struct stat st;

	if (r->versions)
		return version_now(root, r->path, found, len);
	snprintf(full, sizeof(full), "%s%s", root, r->path);
	snprintf(found, len, "%s", r->path);
	return stat(full, &st) == 0;
}

int upgrade_check(const struct profile *p, const char *root, const struct dpkg_files *dpkg, upgrade_fn fn,
		  void *ctx)
{
	int missing = 0;

	for (size_t i = 0; i < p->nfiles; i++) {
		const struct file_rule *r = &p->files[i];
		struct upgrade_report rep = { .rule = r };
		const struct owned *o;
		char now[4096];

		if (!names_package_files(r))
			continue;
		if (!named_now(root, r, now, sizeof(now))) {
			rep.what = UPGRADE_MISSING;
			fn(&rep, ctx);
			missing++;
			continue;
		}
		o = r->subtree ? NULL : owner_of(dpkg, now);
		if (!o || !p->review.by || o->installed <= p->review.at)
			continue;
		rep.what = UPGRADE_CHANGED;
		rep.now = now;
		rep.package = o->package;
		rep.installed = o->installed;
		fn(&rep, ctx);
	}
	return missing;
}

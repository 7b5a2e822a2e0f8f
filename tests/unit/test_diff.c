/* The digest of what a profile allows, and the differences between versions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "../../profile/profile.h"
#include "../../common/error.h"

static void parse(const char *text, struct profile *p)
{
	cr_assert_eq(profile_parse("t.yaml", text, strlen(text), p), 0, "%s", stk_error());
}

#define HEAD "version: 1\nsubject: {service: a}\n"

static void digest_of(const char *text, char out[PROFILE_DIGEST_LEN])
{
	struct profile p;

	parse(text, &p);
	profile_digest(&p, out);
	profile_free(&p);
}

Test(digest, covers_rules_and_mode_but_not_evidence_notes_or_review)
{
	char base[PROFILE_DIGEST_LEN], other[PROFILE_DIGEST_LEN];

	digest_of(HEAD "files:\n- path: /a\n  access: [read]\n", base);
	cr_assert_eq(strncmp(base, "sha256:", 7), 0);
	cr_assert_eq(strlen(base), PROFILE_DIGEST_LEN - 1);
	digest_of(HEAD "files:\n- path: /a\n  access: [read]\n  note: fine\n"
		       "  evidence: {count: 3, first_seen: '2026-01-01T00:00:00Z', last_seen: '2026-01-01T00:00:00Z', hosts: 1}\n"
		       "review: {by: bob, at: '2026-01-01T00:00:00Z', digest: sha256:0000000000000000000000000000000000000000000000000000000000000000}\n",
		  other);
	cr_assert_str_eq(base, other, "evidence, notes and the review stamp are not what is approved");
	digest_of(HEAD "files:\n- path: /a\n  access: [read, write]\n", other);
	cr_assert_str_neq(base, other, "a wider access must change the digest");
	digest_of(HEAD "files:\n- subtree: /a\n  access: [read]\n", other);
	cr_assert_str_neq(base, other, "a subtree must change the digest");
	digest_of(HEAD "mode: complain\nfiles:\n- path: /a\n  access: [read]\n", other);
	cr_assert_str_neq(base, other, "the mode must change the digest");
	digest_of("version: 1\nsubject: {service: b}\nfiles:\n- path: /a\n  access: [read]\n", other);
	cr_assert_str_neq(base, other, "the subject must change the digest");
	digest_of(HEAD "files: []\nexec:\n- path: /a\n", other);
	cr_assert_str_neq(base, other);
}

static char *diff(const char *old_text, const char *new_text, struct diff_counts *c)
{
	struct profile old, new;
	char *out;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	parse(old_text, &old);
	parse(new_text, &new);
	profile_diff(f, &old, &new, c);
	fclose(f);
	profile_free(&old);
	profile_free(&new);
	return out;
}

Test(diff, added_removed_widened_narrowed)
{
	struct diff_counts c;
	char *out = diff(HEAD "files:\n- path: /srv/a\n  access: [read]\n- path: /srv/b\n  access: [read]\n"
			      "- path: /etc/old\n  access: [read]\n- path: /var/log/x\n  access: [write, append]\n"
			      "network:\n- connect: 192.0.2.1\n  protocol: tcp\n  ports: 443\n",
			 HEAD "files:\n- subtree: /srv\n  access: [read]\n- path: /etc/new\n  access: [read]\n"
			      "- path: /var/log/x\n  access: [append]\n"
			      "network:\n- connect: 192.0.2.0/24\n  protocol: tcp\n  ports: 443\n"
			      "privileges: [mount]\n",
			 &c);

	cr_assert(strstr(out, "> files subtree /srv [read]\n    was files path /srv/a [read]\n    was files path /srv/b [read]\n"), "%s", out);
	cr_assert(strstr(out, "+ files path /etc/new [read]\n"), "%s", out);
	cr_assert(strstr(out, "- files path /etc/old [read]\n"), "%s", out);
	cr_assert(strstr(out, "< files path /var/log/x [append]\n    was files path /var/log/x [write,append]\n"), "%s", out);
	cr_assert(strstr(out, "> network connect tcp 192.0.2.0/24 port 443\n    was network connect tcp 192.0.2.1 port 443\n"), "%s", out);
	cr_assert(strstr(out, "+ privilege mount\n"), "%s", out);
	cr_assert_null(strstr(out, "- files path /srv/a"), "a widened rule is not also removed:\n%s", out);
	cr_assert_eq(c.added, 2);
	cr_assert_eq(c.removed, 1);
	cr_assert_eq(c.widened, 2);
	cr_assert_eq(c.narrowed, 1);
	free(out);
}

Test(diff, the_same_rules_show_nothing)
{
	static const char text[] = HEAD "files:\n- path: /a\n  access: [read]\nnetwork:\n- unix: /run/s\n";
	struct diff_counts c;
	char *out = diff(text, text, &c);

	cr_assert_str_eq(out, "");
	cr_assert_eq(c.added + c.removed + c.widened + c.narrowed, 0);
	free(out);
}

Test(diff, a_rule_per_change_kind)
{
	struct profile old, new;

	parse(HEAD "files:\n- path: /a\n  access: [read, write]\n- path: /b\n  access: [read]\n", &old);
	parse(HEAD "files:\n- path: /a\n  access: [read, create]\n- subtree: /b\n  access: [read]\n- path: /c\n  access: [read]\n", &new);
	cr_assert_eq(file_rule_change(&old, &new.files[0]), CHANGE_CHANGED);
	cr_assert_eq(file_rule_change(&old, &new.files[1]), CHANGE_WIDENED);
	cr_assert_eq(file_rule_change(&old, &new.files[2]), CHANGE_ADDED);
	cr_assert_eq(file_rule_change(&new, &new.files[2]), CHANGE_NONE);
	profile_free(&old);
	profile_free(&new);
}

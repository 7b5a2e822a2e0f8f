/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The walk of a path's rules, as the BPF programs run it and as `make prove`
 * proves it (docs/proof.md): the path's own rule, then its stems' versioned
 * rules (the path without one or more trailing ".<digits>" groups, longest
 * first), then each ancestor directory's, up to "/", stopping once every
 * requested bit is decided.
 *
 * What touches the kernel is reached through four functions that this file
 * only declares, each with the contract the proof assumes of it; the BPF
 * program defines them with its helpers and maps:
 *   stk_rule_lookup()  the rule map of the key's length class (a hash map:
 *                      the entry stored under exactly these key bytes);
 *   stk_copy(), stk_zero()  bpf_probe_read_kernel() of n bytes (of zeros);
 *   stk_stem_cb(), stk_walk_up_cb()  bpf_loop()'s callbacks, which call
 *                      stk_stem_step() and stk_walk_up() on the very match,
 *                      key, position and length stk_walk() was given.
 */
#ifndef STOCKADE_WALK_H
#define STOCKADE_WALK_H

#include "walk_logic.h"
#include "keys.h"

/*
 * Bound the very register used as an index below STK_PATH_MAX, for the
 * verifier: a no-op once i < STK_PATH_MAX is checked, so the proof omits it.
 */
#ifdef __bpf__
#define stk_verifier_bound(i) ({ barrier_var(i); (i) &= STK_PATH_MAX - 1; })
#else
#define stk_verifier_bound(i) ((void)0)
#endif

/*
 * A rule key in working memory: the profile and the path, zero-padded to
 * the key size of the path's length class (bpf/keys.h). The path is twice
 * PATH_MAX long so that zeroing from any length to the end of its class
 * stays in bounds for the verifier.
 */
struct stk_walk_key {
	__u32 profile;
	char path[2 * STK_PATH_MAX];
};

/*
 * The rule map's lookup, as the proof assumes it (the BPF program defines
 * it with bpf_map_lookup_elem() on the map of the key's length class): a
 * key that holds its first len bytes and zeros to the end of their class
 * (key_holds, bpf/keys.h) finds the entry stored under exactly those
 * bytes. The compiler stores each rule path's entry under the key that
 * holds that path (key_pad(), proved in proofs/net.c), and two keys that
 * hold paths are the same bytes exactly when the paths are the same
 * (same_key_same_path): so the entry found is rule_at() of the path the
 * key holds, the one stored for that path and no other.
 */
/*@ requires 1 <= len < STK_PATH_MAX;
    requires \valid_read(key);
    requires holds: key_holds((char *)key->path, (char *)key->path, len);
    assigns \nothing;
    ensures \result == \null || \valid_read(\result);
    ensures found: \result != \null ==> *\result == rule_at(key->profile, (char *)key->path, len);
    ensures none: \result == \null ==> no_rule(rule_at(key->profile, (char *)key->path, len));
*/
STK_INLINE const struct stk_rule *stk_rule_lookup(const struct stk_walk_key *key, __u32 len);

/*@ requires n <= STK_PATH_MAX;
    requires \valid(dst + (0 .. n - 1)) && \valid_read(src + (0 .. n - 1));
    requires \separated(dst + (0 .. n - 1), src + (0 .. n - 1));
    assigns dst[0 .. n - 1];
    ensures \forall integer i; 0 <= i < n ==> dst[i] == src[i];
*/
STK_INLINE void stk_copy(char *dst, const char *src, __u32 n);

/*@ requires from < STK_PATH_MAX && n <= STK_PATH_MAX;
    requires \valid(buf + (from .. from + n - 1));
    assigns buf[from .. from + n - 1];
    ensures \forall integer i; from <= i < from + n ==> buf[i] == 0;
*/
STK_INLINE void stk_zero(char *buf, __u32 from, __u32 n);

/*
 * The key for path[0 .. len - 1]: the path, then zeros to (at least) the
 * end of its length class. Each class zeroes a constant span, which the
 * verifier can bound.
 */
/*@ requires 1 <= len < STK_PATH_MAX;
    requires \valid(key) && \valid_read(path + (0 .. len - 1));
    requires \separated(key, path + (0 .. len - 1));
    assigns key->path[0 .. 2 * STK_PATH_MAX - 1];
    ensures holds: key_holds((char *)key->path, (char *)path, len);
*/
STK_INLINE void stk_key_fill(struct stk_walk_key *key, const char *path, __u32 len)
{
	stk_copy(key->path, path, len);
	switch (stk_key_class(len)) {
	case 64:
		stk_zero(key->path, len, 64);
		break;
	case 256:
		stk_zero(key->path, len, 256);
		break;
	case 1024:
		stk_zero(key->path, len, 1024);
		break;
	default:
		stk_zero(key->path, len, STK_PATH_MAX);
	}
}

/* Apply the rule found at a level, if any. */
/*@ requires \valid(m);
    requires found == \null || \valid_read(found);
    requires at_object == 0 || at_object == 1;
    assigns *m;
    behavior found:
      assumes found != \null;
      ensures m->denied == (\old(m->denied) | (\old(m->undecided) & deny_at(\old(*found), at_object)));
      ensures m->undecided == (__u32)(\old(m->undecided) ^ (\old(m->undecided) & named_at(\old(*found), at_object)));
    behavior none:
      assumes found == \null;
      ensures m->undecided == \old(m->undecided) && m->denied == \old(m->denied);
    complete behaviors;
    disjoint behaviors;
*/
STK_INLINE void stk_match_found(struct stk_match *m, const struct stk_rule *found, int at_object)
{
	struct stk_rule r;

	if (!found)
		return;
	/* A copy: the provers cannot tell map memory from m. */
	r = *found;
	stk_match_apply(m, &r, at_object);
}

/* Where the walk is, for the bpf_loop() callbacks. */
struct stk_walk_at {
	__u32 lo;     /* the bytes from lo on are walked (and zeroed in the key) */
	__u32 digits; /* digits walked since the last version group's '.' */
};

/*
 * One byte of the walk back over the version groups that end the path's
 * name, from its last byte: a digit is passed, and a '.' after digits, in
 * a name that stays 2 bytes or more, ends a stem, whose versioned rule is
 * applied (the key's profile is the versioned id). The byte is zeroed, so
 * the key holds exactly the stem, zero-padded. Nonzero stops the walk: at
 * the first byte that continues no group, or once every bit is decided.
 */
/*@ requires 1 <= w->lo <= len < STK_PATH_MAX && w->digits <= len;
    requires \valid(m) && \valid(key) && \valid(w) && \separated(m, key, w);
    requires zeroed: \forall integer i; w->lo <= i < key_class(len) ==> key->path[i] == 0;
    assigns *m, *w, key->path[w->lo - 1];
    behavior digit:
      assumes 2 <= w->lo - 1 && '0' <= key->path[w->lo - 1] <= '9';
      ensures digit_at: w->lo == \old(w->lo) - 1 && w->digits == \old(w->digits) + 1;
      ensures key->path[w->lo] == 0;
      ensures m->undecided == \old(m->undecided) && m->denied == \old(m->denied);
      ensures \result == 0;
    behavior stem:
      assumes 2 <= w->lo - 1 && key->path[w->lo - 1] == '.' && w->digits != 0 &&
        key->path[w->lo - 2] != '/';
      ensures w->lo == \old(w->lo) - 1 && w->digits == 0;
      ensures key->path[w->lo] == 0;
      ensures stem_denied: m->denied == (\old(m->denied) | (\old(m->undecided) &
        deny_at(rule_at(key->profile, (char *)key->path, w->lo), 0)));
      ensures stem_undecided: m->undecided == (__u32)(\old(m->undecided) ^ (\old(m->undecided) &
        named_at(rule_at(key->profile, (char *)key->path, w->lo), 0)));
      ensures \result != 0 <==> m->undecided == 0;
    behavior stop:
      assumes w->lo - 1 < 2 || (!('0' <= key->path[w->lo - 1] <= '9') &&
        (key->path[w->lo - 1] != '.' || w->digits == 0 || key->path[w->lo - 2] == '/'));
      ensures stop_at: w->lo == \old(w->lo) && w->digits == \old(w->digits);
      ensures stop_byte: key->path[w->lo - 1] == \old(key->path[w->lo - 1]);
      ensures m->undecided == \old(m->undecided) && m->denied == \old(m->denied);
      ensures \result != 0;
    complete behaviors;
    disjoint behaviors;
*/
STK_INLINE long stk_stem_step(struct stk_match *m, struct stk_walk_key *key,
			      struct stk_walk_at *w, __u32 len)
{
	__u32 i = w->lo - 1, before;
	char c;

	if (i < 2 || i >= STK_PATH_MAX)
		return 1;
	//@ assert at: i == w->lo - 1;
	stk_verifier_bound(i);
	c = key->path[i];
	if (c >= '0' && c <= '9') {
		key->path[i] = 0;
		w->lo = i;
		w->digits++;
		return 0;
	}
	if (c != '.' || !w->digits)
		return 1;
	before = i - 1;
	//@ assert before: before == w->lo - 2;
	stk_verifier_bound(before);
	if (key->path[before] == '/')
		return 1;
	key->path[i] = 0;
	stk_match_found(m, stk_rule_lookup(key, i), 0);
	w->lo = i;
	w->digits = 0;
	return stk_match_decided(m);
}

/*
 * One byte of the walk up the directories, from the byte below w->lo: the
 * byte is zeroed, so at each '/' the key holds exactly the parent
 * directory's path, zero-padded, and that level's rule is applied. Nonzero
 * stops the walk: once every bit is decided (or at the path's first byte).
 */
/*@ requires 1 <= w->lo <= len < STK_PATH_MAX;
    requires \valid(m) && \valid(key) && \valid(w) && \separated(m, key, w);
    requires zeroed: \forall integer i; w->lo <= i < key_class(len) ==> key->path[i] == 0;
    assigns *m, w->lo, key->path[w->lo - 1];
    behavior first:
      assumes w->lo == 1;
      ensures w->lo == 1 && key->path[0] == \old(key->path[0]);
      ensures m->undecided == \old(m->undecided) && m->denied == \old(m->denied);
      ensures \result != 0;
    behavior slash:
      assumes w->lo > 1 && key->path[w->lo - 1] == '/';
      ensures w->lo == \old(w->lo) - 1 && key->path[w->lo] == 0;
      ensures m->denied == (\old(m->denied) | (\old(m->undecided) &
        deny_at(rule_at(key->profile, (char *)key->path, w->lo), 0)));
      ensures m->undecided == (__u32)(\old(m->undecided) ^ (\old(m->undecided) &
        named_at(rule_at(key->profile, (char *)key->path, w->lo), 0)));
      ensures \result != 0 <==> m->undecided == 0;
    behavior other:
      assumes w->lo > 1 && key->path[w->lo - 1] != '/';
      ensures w->lo == \old(w->lo) - 1 && key->path[w->lo] == 0;
      ensures m->undecided == \old(m->undecided) && m->denied == \old(m->denied);
      ensures \result == 0;
    complete behaviors;
    disjoint behaviors;
*/
STK_INLINE long stk_walk_up(struct stk_match *m, struct stk_walk_key *key,
			    struct stk_walk_at *w, __u32 len)
{
	__u32 i = w->lo - 1;
	char c;

	if (i == 0 || i >= STK_PATH_MAX)
		return 1;
	stk_verifier_bound(i);
	c = key->path[i];
	key->path[i] = 0;
	if (c == '/')
		stk_match_found(m, stk_rule_lookup(key, i), 0);
	w->lo = i;
	return c == '/' && stk_match_decided(m);
}

/*@ // Zeros from lo to the end of the class of len: with the path's bytes
    // below lo (same_bytes), the key holds the level of length lo
    // (key_holds), as key_class(lo) <= key_class(len).
    predicate zeroed{L}(struct stk_walk_key *key, integer lo, integer len) =
      \forall integer i; lo <= i < key_class(len) ==> key->path[i] == 0;
*/


/*
 * Set up the walk of path[0 .. len - 1]: the key holds the path under the
 * profile's id, and the path's own rule is applied.
 */
/*@ requires 1 <= len < STK_PATH_MAX;
    requires \valid(m) && \valid(key) && \separated(m, key);
    requires \valid_read(path + (0 .. len - 1));
    requires \separated(m, path + (0 .. STK_PATH_MAX - 1)) && \separated(key, path + (0 .. STK_PATH_MAX - 1));
    assigns *m, *key;
    ensures key->profile == profile;
    ensures holds: key_holds((char *)key->path, (char *)path, len);
    ensures own: walk_state(m->undecided, m->denied, profile, (char *)path, len, access, len);
*/
STK_INLINE void stk_walk_own(struct stk_match *m, struct stk_walk_key *key, const char *path,
			     __u32 len, __u32 profile, __u32 access)
{
	const struct stk_rule *r;

	/*
	 * The match is set up after the lookup: the key's profile and the
	 * match are words of one memory to the provers, and this order keeps
	 * what each step reads from what the one before it wrote.
	 */
	key->profile = profile;
	stk_key_fill(key, path, len);
	r = stk_rule_lookup(key, len);
	//@ assert same_key: rule_at(profile, (char *)key->path, len) == rule_at(profile, (char *)path, len);
	//@ assert found: r != \null ==> *r == rule_at(profile, (char *)path, len);
	//@ assert none: r == \null ==> no_rule(rule_at(profile, (char *)path, len));
	stk_match_init(m, access);
	//@ ghost __u32 u0 = m->undecided;
	stk_match_found(m, r, 1);
	/*@ assert applied: r != \null ==>
	      m->undecided == (__u32)(u0 ^ (u0 & named_at(rule_at(profile, (char *)path, len), 1))) &&
	      m->denied == (u0 & deny_at(rule_at(profile, (char *)path, len), 1));
	*/
	//@ assert unchanged: r == \null ==> m->undecided == u0 && m->denied == 0;
	//@ assert init: u0 == (access & STK_ACC_ALL);
	/*@ assert own_rule: r != \null ==>
	      walk_state(m->undecided, m->denied, profile, (char *)path, len, access, len);
	*/
	/*@ assert no_own_rule: r == \null ==>
	      walk_state(m->undecided, m->denied, profile, (char *)path, len, access, len);
	*/
}

#ifdef __bpf__
static long stk_stem_cb(__u32 j, void *ctx);
static long stk_walk_up_cb(__u32 j, void *ctx);
#endif

/*
 * The stems of the path, longest first: the walk back over its trailing
 * version groups, under the profile's versioned id (key->profile).
 */
/*@ requires 1 <= len < STK_PATH_MAX;
    requires \valid(m) && \valid(key) && \valid(w) && \separated(m, key, w);
    requires \valid_read(path + (0 .. len - 1));
    requires \separated(m, path + (0 .. STK_PATH_MAX - 1)) && \separated(key, path + (0 .. STK_PATH_MAX - 1));
    requires \separated(w, path + (0 .. STK_PATH_MAX - 1));
    requires w->lo == len && w->digits == 0 && key->profile == versions_id(profile);
    requires same_bytes((char *)key->path, path, len) && zeroed(key, len, len);
    requires walk_state(m->undecided, m->denied, profile, path, len, access, len);
    assigns *m, *w, key->path[0 .. len - 1];
    ensures 1 <= w->lo <= len;
    ensures same_bytes((char *)key->path, path, w->lo) && zeroed(key, w->lo, len);
    ensures groups: version_groups(path, w->lo, len);
    ensures walk_state(m->undecided, m->denied, profile, path, len, access, w->lo);
    ensures stems: m->undecided == 0 || no_stem_below(path, len, w->lo);
*/
STK_INLINE void stk_walk_stems(struct stk_match *m, struct stk_walk_key *key,
			       struct stk_walk_at *w, __u32 len)
	/*@ ghost (char *path, __u32 profile, __u32 access) */
{
	/*
	 * bpf_loop(n, cb, ctx) calls cb(0, ctx), cb(1, ctx), ... until n calls
	 * or one returns nonzero: the loop below.
	 */
#ifdef __bpf__
	bpf_loop(len, stk_stem_cb, w, 0);
#else
	__u32 j;

	/*@ loop invariant 0 <= j <= len && w->lo == len - j && 1 <= w->lo;
	    loop invariant w->digits <= len - w->lo;
	    loop invariant count: w->digits == 0 <==> (w->lo == len || !('0' <= path[w->lo] <= '9'));
	    loop invariant same_bytes((char *)key->path, path, w->lo) && zeroed(key, w->lo, len);
	    loop invariant version_groups(path, w->lo, len);
	    loop invariant key->profile == versions_id(profile);
	    loop invariant state: walk_state(m->undecided, m->denied, profile, path, len, access, w->lo);
	    loop assigns j, *m, *w, key->path[0 .. len - 1];
	    loop variant len - j;
	*/
	for (j = 0; j < len; j++) {
		//@ ghost __u32 lo = w->lo, u0 = m->undecided, d0 = m->denied;
	before:
		;
		long stop = stk_stem_step(m, key, w, len);

		//@ assert same_path{before, Here}(path, len);
		//@ assert looked_up: w->lo < lo && path[w->lo] == '.' ==> key_holds((char *)key->path, path, w->lo);
		//@ assert walk_state(\at(m->undecided, before), \at(m->denied, before), profile, path, len, access, lo);
		//@ assert version_groups(path, lo, len);
		//@ assert w->lo == lo ==> no_stem_below(path, len, lo);
		/*@ assert w->lo < lo ==> rule_at(versions_id(profile), (char *)key->path, w->lo) ==
		      rule_at(versions_id(profile), path, w->lo);
		*/
		//@ assert w->lo < lo && path[w->lo] == '.' ==> lo < len && '0' <= path[lo] <= '9';
		//@ assert w->lo < lo && path[w->lo] == '.' ==> path[w->lo - 1] != '/' && 2 <= w->lo;
		//@ assert w->lo < lo && path[w->lo] == '.' ==> version_groups(path, w->lo, len);
		//@ assert w->lo < lo && path[w->lo] == '.' ==> stem_level(path, len, w->lo);
		//@ assert w->lo < lo && path[w->lo] == '.' ==> extends(path, len, lo, w->lo, w->lo);
		/*@ assert w->lo < lo && path[w->lo] == '.' ==>
		      level_rule(profile, path, len, w->lo, rule_at(versions_id(profile), path, w->lo), 0);
		*/
		//@ assert w->lo < lo && path[w->lo] != '.' ==> same_walk(path, len, lo, w->lo);
		//@ assert w->lo == lo ==> walk_state(m->undecided, m->denied, profile, path, len, access, w->lo);
		//@ assert w->lo < lo && path[w->lo] != '.' ==> walk_state(m->undecided, m->denied, profile, path, len, access, w->lo);
		/*@ assert w->lo < lo && path[w->lo] == '.' ==>
		      m->undecided == (__u32)(\at(m->undecided, before) ^ (\at(m->undecided, before) &
		        named_at(rule_at(versions_id(profile), path, w->lo), 0))) &&
		      m->denied == (\at(m->denied, before) | (\at(m->undecided, before) &
		        deny_at(rule_at(versions_id(profile), path, w->lo), 0)));
		*/
		/*@ ghost if (w->lo < lo && path[w->lo] == '.')
		      stk_stem_applied(u0, d0, m->undecided, m->denied,
		                       profile, path, len, access, lo, w->lo);
		*/
		//@ assert w->lo < lo && path[w->lo] == '.' ==> walk_state(m->undecided, m->denied, profile, path, len, access, w->lo);
		//@ assert stepped: walk_state(m->undecided, m->denied, profile, path, len, access, w->lo);
		if (stop)
			break;
	}
#endif
}

/*
 * The ancestor directories of an absolute path, from the byte below w->lo
 * (where the stems' walk stopped) up to the path's second byte.
 */
/*@ requires 1 <= w->lo <= len < STK_PATH_MAX;
    requires \valid(m) && \valid(key) && \valid(w) && \separated(m, key, w);
    requires \valid_read(path + (0 .. len - 1));
    requires \separated(m, path + (0 .. STK_PATH_MAX - 1)) && \separated(key, path + (0 .. STK_PATH_MAX - 1));
    requires \separated(w, path + (0 .. STK_PATH_MAX - 1));
    requires key->profile == profile && path[0] == '/';
    requires same_bytes((char *)key->path, path, w->lo) && zeroed(key, w->lo, len);
    requires no_stem_below(path, len, w->lo);
    requires walk_state(m->undecided, m->denied, profile, path, len, access, w->lo);
    assigns *m, w->lo, key->path[0 .. len - 1];
    ensures 1 <= w->lo <= len;
    ensures same_bytes((char *)key->path, path, w->lo) && zeroed(key, w->lo, len);
    ensures walk_state(m->undecided, m->denied, profile, path, len, access, w->lo);
    ensures up: m->undecided == 0 || w->lo == 1;
*/
STK_INLINE void stk_walk_dirs(struct stk_match *m, struct stk_walk_key *key,
			      struct stk_walk_at *w, __u32 len)
	/*@ ghost (char *path, __u32 profile, __u32 access) */
{
#ifdef __bpf__
	bpf_loop(w->lo, stk_walk_up_cb, w, 0);
#else
	__u32 j, n = w->lo;

	/*@ loop invariant 0 <= j <= n && w->lo == n - j && 1 <= w->lo;
	    loop invariant same_bytes((char *)key->path, path, w->lo) && zeroed(key, w->lo, len);
	    loop invariant no_stem_below(path, len, n) && key->profile == profile;
	    loop invariant state: walk_state(m->undecided, m->denied, profile, path, len, access, w->lo);
	    loop assigns j, *m, w->lo, key->path[0 .. len - 1];
	    loop variant n - j;
	*/
	for (j = 0; j < n; j++) {
		//@ ghost __u32 lo = w->lo, u0 = m->undecided, d0 = m->denied;
	before:
		;
		long stop = stk_walk_up(m, key, w, len);

		//@ assert same_path{before, Here}(path, len);
		//@ assert looked_up: w->lo < lo && path[w->lo] == '/' ==> key_holds((char *)key->path, path, w->lo);
		//@ assert walk_state(\at(m->undecided, before), \at(m->denied, before), profile, path, len, access, lo);
		//@ assert no_stem_below(path, len, n);

		/*@ assert w->lo < lo ==> rule_at(profile, (char *)key->path, w->lo) ==
		      rule_at(profile, path, w->lo);
		*/
		//@ assert w->lo < lo && path[w->lo] == '/' ==> extends(path, len, lo, w->lo, w->lo);
		//@ assert w->lo < lo && path[w->lo] != '/' ==> same_walk(path, len, lo, w->lo);
		/*@ assert w->lo < lo && path[w->lo] == '/' ==>
		      level_rule(profile, path, len, w->lo, rule_at(profile, path, w->lo), 0);
		*/
		//@ assert w->lo == lo ==> walk_state(m->undecided, m->denied, profile, path, len, access, w->lo);
		//@ assert w->lo < lo && path[w->lo] != '/' ==> walk_state(m->undecided, m->denied, profile, path, len, access, w->lo);
		/*@ assert w->lo < lo && path[w->lo] == '/' ==>
		      m->undecided == (__u32)(\at(m->undecided, before) ^ (\at(m->undecided, before) &
		        named_at(rule_at(profile, path, w->lo), 0))) &&
		      m->denied == (\at(m->denied, before) | (\at(m->undecided, before) &
		        deny_at(rule_at(profile, path, w->lo), 0)));
		*/
		/*@ ghost if (w->lo < lo && path[w->lo] == '/')
		      stk_dir_applied(u0, d0, m->undecided, m->denied,
		                      profile, path, len, access, lo, w->lo, w->lo);
		*/
		//@ assert w->lo < lo && path[w->lo] == '/' ==> walk_state(m->undecided, m->denied, profile, path, len, access, w->lo);
		//@ assert stepped: walk_state(m->undecided, m->denied, profile, path, len, access, w->lo);
		if (stop)
			break;
	}
#endif
}

/*
 * Does the profile's rules allow access to path[0 .. len - 1]? m and key
 * are working memory (in BPF, the per-CPU scratch that the callbacks find
 * again, with len).
 */
/*@ requires \valid(m) && \valid(key) && \separated(m, key);
    requires len < STK_PATH_MAX ==> \valid_read(path + (0 .. len - 1));
    requires \separated(m, path + (0 .. STK_PATH_MAX - 1)) && \separated(key, path + (0 .. STK_PATH_MAX - 1));
    assigns *m, *key;
    ensures unnamed: len == 0 || len >= STK_PATH_MAX ==> \result == 0;
    ensures most_specific_wins: 1 <= len < STK_PATH_MAX ==>
      (\result != 0 <==> path_allows{Pre}(profile, (char *)path, len, access));
*/
STK_INLINE int stk_walk(struct stk_match *m, struct stk_walk_key *key, const char *path,
			__u32 len, __u32 profile, __u32 access)
{
	struct stk_walk_at w = { .lo = len, .digits = 0 };
	__u32 last = len - 1;

	if (len == 0 || len >= STK_PATH_MAX)
		return 0;
	stk_verifier_bound(last);
	stk_walk_own(m, key, path, len, profile, access);
	//@ assert same_path{Pre, Here}((char *)path, len);
	//@ assert sound(path, len, len) && upward(path, len, len);
	if (stk_match_decided(m)) {
		//@ assert (m->denied == 0) <==> path_allows(profile, path, len, access);
		//@ assert (m->denied == 0) <==> path_allows{Pre}(profile, path, len, access);
		return stk_match_allowed(m);
	}
	/* Most names end in no version: they cost this one byte's test. */
	if (key->path[last] >= '0' && key->path[last] <= '9') {
		key->profile = profile | STK_PROFILE_VERSIONS;
		stk_walk_stems(m, key, &w, len) /*@ ghost ((char *)path, profile, access) */;
		key->profile = profile;
	} else {
		//@ assert no_stem_below(path, len, len);
	}
	//@ assert stems: m->undecided == 0 || no_stem_below(path, len, w.lo);
	//@ assert version_groups(path, w.lo, len);
	//@ assert same_path{Pre, Here}((char *)path, len);
	if (key->path[0] != '/' || stk_match_decided(m)) {
		//@ assert sound(path, len, w.lo) && upward(path, len, w.lo);
		//@ assert m->undecided == 0 || complete(path, len, w.lo);
		//@ assert (m->undecided == 0 && m->denied == 0) <==> path_allows(profile, path, len, access);
		//@ assert (m->undecided == 0 && m->denied == 0) <==> path_allows{Pre}(profile, path, len, access);
		return stk_match_allowed(m);
	}
	stk_walk_dirs(m, key, &w, len) /*@ ghost ((char *)path, profile, access) */;
	//@ assert same_path{Pre, Here}((char *)path, len);
	/* The walk stops early only once decided; otherwise it leaves "/". */
	if (len > 1 && !stk_match_decided(m)) {
		//@ ghost __u32 u0 = m->undecided, d0 = m->denied;
		//@ assert looked_up: key_holds((char *)key->path, (char *)path, 1);
		stk_match_found(m, stk_rule_lookup(key, 1), 0);
		//@ assert root_rule: rule_at(profile, (char *)key->path, 1) == rule_at(profile, (char *)path, 1);
		//@ assert extends(path, len, 1, 0, 1);
		//@ ghost stk_dir_applied(u0, d0, m->undecided, m->denied, profile, (char *)path, len, access, 1, 0, 1);
		//@ assert same_path{Pre, Here}((char *)path, len);
		//@ assert sound(path, len, 0) && upward(path, len, 0) && complete(path, len, 0);
		//@ assert (m->undecided == 0 && m->denied == 0) <==> path_allows(profile, path, len, access);
		//@ assert (m->undecided == 0 && m->denied == 0) <==> path_allows{Pre}(profile, path, len, access);
		return stk_match_allowed(m);
	}
	//@ assert sound(path, len, w.lo) && upward(path, len, w.lo);
	//@ assert m->undecided == 0 || complete(path, len, w.lo);
	//@ assert (m->undecided == 0 && m->denied == 0) <==> path_allows(profile, path, len, access);
	//@ assert (m->undecided == 0 && m->denied == 0) <==> path_allows{Pre}(profile, path, len, access);
	return stk_match_allowed(m);
}

#endif

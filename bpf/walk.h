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

#include "decide.h"

/*
 * A rule key in working memory: the profile and the path, zero-padded to
 * the key size of the path's length class. The path is twice PATH_MAX long
 * so that zeroing from any length to the end of its class stays in bounds
 * for the verifier.
 */
/*
 * Bound the very register used as an index below STK_PATH_MAX, for the
 * verifier: a no-op once i < STK_PATH_MAX is checked, so the proof omits it.
 */
#ifdef __bpf__
#define stk_verifier_bound(i) ({ barrier_var(i); (i) &= STK_PATH_MAX - 1; })
#else
#define stk_verifier_bound(i) ((void)0)
#endif

struct stk_walk_key {
	__u32 profile;
	char path[2 * STK_PATH_MAX];
};

/*@ axiomatic Rules {
      // The rule profile stores for the path p[0 .. len - 1]: all zero where
      // none is stored (applying it changes nothing, as finding none does).
      logic struct stk_rule rule_at{L}(integer profile, char *p, integer len)
        reads p[0 .. len - 1];
      // A hash map compares keys byte by byte: the rule depends on the
      // bytes of the path only, wherever they are stored.
      axiom rule_of_bytes{L1, L2}: \forall integer profile, len, char *p, char *q;
        (\forall integer i; 0 <= i < len ==> \at(p[i], L1) == \at(q[i], L2)) ==>
        rule_at{L1}(profile, p, len) == rule_at{L2}(profile, q, len);
    }

    predicate no_rule(struct stk_rule r) =
      r.allow_self == 0 && r.allow_tree == 0 && r.deny_self == 0 && r.deny_tree == 0;

    lemma no_rule_names_nothing: \forall struct stk_rule r, integer at_object;
      no_rule(r) ==> named_at(r, at_object) == 0 && deny_at(r, at_object) == 0;

    // p[k .. len - 1] is made of whole version groups (".<digits>") or
    // ends one: each byte a digit, or a '.' that a digit follows.
    predicate version_groups{L}(char *p, integer k, integer len) =
      \forall integer i; k <= i < len ==>
        ('0' <= p[i] <= '9' || (p[i] == '.' && i + 1 < len && '0' <= p[i + 1] <= '9'));
    // A stem of p[0 .. len - 1]: the prefix of length k, a name of two
    // bytes or more followed by one or more version groups up to len.
    predicate stem_level{L}(char *p, integer len, integer k) =
      2 <= k < len && p[k] == '.' && p[k - 1] != '/' && version_groups(p, k, len);
    predicate no_stem_below{L}(char *p, integer len, integer lo) =
      \forall integer k; k < lo ==> !stem_level(p, len, k);
    // Versioned rules are stored under the profile id with this bit.
    logic integer versions_id(integer profile) = profile | STK_PROFILE_VERSIONS;

    // The levels of the path p[0 .. len - 1], most specific first: the path
    // itself, its stems, longest first, then (for an absolute path) each
    // ancestor directory, the prefix before a '/', down to the root "/",
    // of length 1. A level is known by its length: stems are longer than
    // the directory.
    predicate is_level{L}(char *p, integer len, integer k) =
      k == len || (p[0] == '/' && 1 <= k < len && (k == 1 || p[k] == '/')) ||
      stem_level(p, len, k);
    logic integer at_object(integer len, integer k) = k == len ? 1 : 0;

    // A stem's rule is its versioned rule; any other level's, its rule.
    predicate names{L}(integer profile, char *p, integer len, integer k, integer b) =
      (stem_level(p, len, k) && has_bit(named_at(rule_at(versions_id(profile), p, k), 0), b)) ||
      (!stem_level(p, len, k) && has_bit(named_at(rule_at(profile, p, k), at_object(len, k)), b));
    predicate denies{L}(integer profile, char *p, integer len, integer k, integer b) =
      (stem_level(p, len, k) && has_bit(deny_at(rule_at(versions_id(profile), p, k), 0), b)) ||
      (!stem_level(p, len, k) && has_bit(deny_at(rule_at(profile, p, k), at_object(len, k)), b));

    // Rule r, applied with at_object a, names and denies what level n does.
    predicate level_rule{L}(integer profile, char *p, integer len, integer n,
                            struct stk_rule r, integer a) =
      \forall integer b; 0 <= b < 32 ==>
        (names(profile, p, len, n, b) <==> has_bit(named_at(r, a), b)) &&
        (denies(profile, p, len, n, b) <==> has_bit(deny_at(r, a), b));
    lemma dir_rule{L}: \forall integer profile, char *p, integer len, n;
      !stem_level(p, len, n) ==> level_rule(profile, p, len, n, rule_at(profile, p, n), at_object(len, n));
    lemma stem_rule{L}: \forall integer profile, char *p, integer len, n;
      stem_level(p, len, n) ==> level_rule(profile, p, len, n, rule_at(versions_id(profile), p, n), 0);

    // Level k is the first, walking up from the path, whose rule names bit b.
    predicate first_names{L}(integer profile, char *p, integer len, integer k, integer b) =
      is_level(p, len, k) && names(profile, p, len, k, b) &&
      \forall integer j; k < j <= len && is_level(p, len, j) ==> !names(profile, p, len, j, b);

    // Levels the walk has applied: the path, each stem and each '/' from
    // position lo on, and with lo == 0 the root as well.
    predicate walked{L}(char *p, integer len, integer lo, integer k) =
      1 <= k && (k == len || (lo <= k < len && (p[k] == '/' || stem_level(p, len, k))) ||
        (lo == 0 && k == 1));

    // Bit b is still open once the levels walked are applied: none names it.
    predicate open_at{L}(integer profile, char *p, integer len, integer lo, integer b) =
      \forall integer k; walked(p, len, lo, k) ==> !names(profile, p, len, k, b);
    // Level k is the first walked, from the path up, to name bit b.
    predicate first_walked{L}(integer profile, char *p, integer len, integer lo, integer k, integer b) =
      walked(p, len, lo, k) && names(profile, p, len, k, b) &&
      \forall integer j; k < j && walked(p, len, lo, j) ==> !names(profile, p, len, j, b);
    predicate decided_at{L}(integer profile, char *p, integer len, integer lo, integer b) =
      \exists integer k; first_walked(profile, p, len, lo, k, b);
    predicate denied_at{L}(integer profile, char *p, integer len, integer lo, integer b) =
      \exists integer k; first_walked(profile, p, len, lo, k, b) && denies(profile, p, len, k, b);

    // What a match (undecided u, denied d) holds once the levels walked are
    // applied, bit by bit.
    predicate bit_state{L}(integer u, integer d, integer profile, char *p, integer len,
                           integer access, integer lo, integer b) =
      (has_bit(u, b) <==> (has_bit(access & STK_ACC_ALL, b) && open_at(profile, p, len, lo, b))) &&
      (has_bit(d, b) <==> (has_bit(access & STK_ACC_ALL, b) && denied_at(profile, p, len, lo, b))) &&
      (has_bit(access & STK_ACC_ALL, b) && !open_at(profile, p, len, lo, b) ==>
        decided_at(profile, p, len, lo, b));
    predicate walk_state{L}(integer u, integer d, integer profile, char *p, integer len,
                            integer access, integer lo) =
      \forall integer b; 0 <= b < 32 ==>
        (has_bit(u, b) <==> (has_bit(access & STK_ACC_ALL, b) && open_at(profile, p, len, lo, b))) &&
        (has_bit(d, b) <==> (has_bit(access & STK_ACC_ALL, b) && denied_at(profile, p, len, lo, b))) &&
        (has_bit(access & STK_ACC_ALL, b) && !open_at(profile, p, len, lo, b) ==>
          decided_at(profile, p, len, lo, b));

    lemma bit_of_u32: \forall integer x, b; 0 <= b < 32 ==> (has_bit((__u32)x, b) <==> has_bit(x, b));
    lemma bit_of_and: \forall integer x, y, b; 0 <= b < 32 ==>
      (has_bit(x & y, b) <==> (has_bit(x, b) && has_bit(y, b)));
    lemma bit_of_clear: \forall integer u, x, b; 0 <= b < 32 ==>
      (has_bit(u ^ (u & x), b) <==> (has_bit(u, b) && !has_bit(x, b)));
    lemma denies_names{L}: \forall integer profile, char *p, integer len, k, b; 0 <= b < 32 ==>
      denies(profile, p, len, k, b) ==> names(profile, p, len, k, b);

    // Applying level n, the next below every level walked so far, takes the
    // walk from lo to lo2.
    predicate extends{L}(char *p, integer len, integer lo, integer lo2, integer n) =
      (\forall integer k; walked(p, len, lo2, k) <==> (walked(p, len, lo, k) || k == n)) &&
      (\forall integer k; walked(p, len, lo, k) ==> n <= k);
    lemma open_step{L}: \forall integer profile, char *p, integer len, lo, lo2, n, b;
      extends(p, len, lo, lo2, n) ==>
      (open_at(profile, p, len, lo2, b) <==> (open_at(profile, p, len, lo, b) && !names(profile, p, len, n, b)));
    lemma first_step{L}: \forall integer profile, char *p, integer len, lo, lo2, n, k, b;
      extends(p, len, lo, lo2, n) ==>
      first_walked(profile, p, len, lo, k, b) ==> first_walked(profile, p, len, lo2, k, b);
    lemma first_new{L}: \forall integer profile, char *p, integer len, lo, lo2, n, b;
      extends(p, len, lo, lo2, n) ==>
      open_at(profile, p, len, lo, b) && names(profile, p, len, n, b) ==>
      first_walked(profile, p, len, lo2, n, b);
    lemma first_back{L}: \forall integer profile, char *p, integer len, lo, lo2, n, k, b;
      extends(p, len, lo, lo2, n) ==>
      first_walked(profile, p, len, lo2, k, b) ==>
      (first_walked(profile, p, len, lo, k, b) || (k == n && open_at(profile, p, len, lo, b)));
    lemma first_unique{L}: \forall integer profile, char *p, integer len, lo, k1, k2, b;
      first_walked(profile, p, len, lo, k1, b) && first_walked(profile, p, len, lo, k2, b) ==> k1 == k2;
    lemma first_open{L}: \forall integer profile, char *p, integer len, lo, k, b;
      first_walked(profile, p, len, lo, k, b) ==> !open_at(profile, p, len, lo, b);
    lemma denied_step{L}: \forall integer profile, char *p, integer len, lo, lo2, n, b;
      0 <= b < 32 ==>
      extends(p, len, lo, lo2, n) ==>
      (denied_at(profile, p, len, lo2, b) <==> (denied_at(profile, p, len, lo, b) ||
        (open_at(profile, p, len, lo, b) && denies(profile, p, len, n, b))));
    lemma decided_intro{L}: \forall integer profile, char *p, integer len, lo, k, b;
      first_walked(profile, p, len, lo, k, b) ==> decided_at(profile, p, len, lo, b);
    lemma decided_new{L}: \forall integer profile, char *p, integer len, lo, lo2, n, b;
      extends(p, len, lo, lo2, n) ==>
      open_at(profile, p, len, lo, b) && names(profile, p, len, n, b) ==>
      decided_at(profile, p, len, lo2, b);
    lemma decided_keep{L}: \forall integer profile, char *p, integer len, lo, lo2, n, b;
      extends(p, len, lo, lo2, n) ==>
      decided_at(profile, p, len, lo, b) ==> decided_at(profile, p, len, lo2, b);
    lemma decided_step{L}: \forall integer profile, char *p, integer len, lo, lo2, n, b;
      extends(p, len, lo, lo2, n) ==>
      (!open_at(profile, p, len, lo, b) ==> decided_at(profile, p, len, lo, b)) ==>
      (!open_at(profile, p, len, lo2, b) ==> decided_at(profile, p, len, lo2, b));
    lemma bit_step_open{L}: \forall integer u, u2, profile, char *p, integer len, access, lo, lo2, n, b,
        struct stk_rule r, integer a;
      0 <= b < 32 ==>
      extends(p, len, lo, lo2, n) ==> level_rule(profile, p, len, n, r, a) ==>
      (has_bit(u, b) <==> (has_bit(access & STK_ACC_ALL, b) && open_at(profile, p, len, lo, b))) ==>
      u2 == (__u32)(u ^ (u & named_at(r, a))) ==>
      (has_bit(u2, b) <==> (has_bit(access & STK_ACC_ALL, b) && open_at(profile, p, len, lo2, b)));
    lemma bit_step_denied{L}: \forall integer u, d, d2, profile, char *p, integer len, access, lo, lo2, n, b,
        struct stk_rule r, integer a;
      0 <= b < 32 ==>
      extends(p, len, lo, lo2, n) ==> level_rule(profile, p, len, n, r, a) ==>
      (has_bit(u, b) <==> (has_bit(access & STK_ACC_ALL, b) && open_at(profile, p, len, lo, b))) ==>
      (has_bit(d, b) <==> (has_bit(access & STK_ACC_ALL, b) && denied_at(profile, p, len, lo, b))) ==>
      d2 == (d | (u & deny_at(r, a))) ==>
      (has_bit(d2, b) <==> (has_bit(access & STK_ACC_ALL, b) && denied_at(profile, p, len, lo2, b)));
    lemma bit_step{L}: \forall integer u, d, u2, d2, profile, char *p, integer len, access, lo, lo2, n, b,
        struct stk_rule r, integer a;
      0 <= b < 32 ==>
      extends(p, len, lo, lo2, n) ==> level_rule(profile, p, len, n, r, a) ==>
      bit_state(u, d, profile, p, len, access, lo, b) ==>
      u2 == (__u32)(u ^ (u & named_at(r, a))) ==>
      d2 == (d | (u & deny_at(r, a))) ==>
      bit_state(u2, d2, profile, p, len, access, lo2, b);

    lemma state_step{L}: \forall integer u, d, u2, d2, profile, char *p, integer len, access, lo, lo2, n,
        struct stk_rule r, integer a;
      extends(p, len, lo, lo2, n) ==> level_rule(profile, p, len, n, r, a) ==>
      walk_state(u, d, profile, p, len, access, lo) ==>
      u2 == (__u32)(u ^ (u & named_at(r, a))) ==>
      d2 == (d | (u & deny_at(r, a))) ==>
      walk_state(u2, d2, profile, p, len, access, lo2);

    // The walk past a '/' or a stem's '.' applies its level; past another
    // byte, nothing.
    lemma extends_slash{L}: \forall char *p, integer len, lo;
      2 <= lo <= len && p[lo - 1] == '/' ==> extends(p, len, lo, lo - 1, lo - 1);
    lemma extends_stem{L}: \forall char *p, integer len, lo;
      2 <= lo <= len && stem_level(p, len, lo - 1) ==> extends(p, len, lo, lo - 1, lo - 1);
    lemma extends_root{L}: \forall char *p, integer len;
      2 <= len ==> extends(p, len, 1, 0, 1);
    predicate same_walk{L}(char *p, integer len, integer lo, integer lo2) =
      \forall integer k; walked(p, len, lo2, k) <==> walked(p, len, lo, k);
    lemma same_other{L}: \forall char *p, integer len, lo;
      2 <= lo <= len && p[lo - 1] != '/' && !stem_level(p, len, lo - 1) ==> same_walk(p, len, lo, lo - 1);
    lemma open_same{L}: \forall integer profile, char *p, integer len, lo, lo2, b;
      same_walk(p, len, lo, lo2) ==> (open_at(profile, p, len, lo, b) <==> open_at(profile, p, len, lo2, b));
    lemma first_same{L}: \forall integer profile, char *p, integer len, lo, lo2, k, b;
      same_walk(p, len, lo, lo2) ==>
      (first_walked(profile, p, len, lo, k, b) <==> first_walked(profile, p, len, lo2, k, b));
    lemma decided_same{L}: \forall integer profile, char *p, integer len, lo, lo2, b;
      same_walk(p, len, lo, lo2) ==> (decided_at(profile, p, len, lo, b) <==> decided_at(profile, p, len, lo2, b));
    lemma denied_same{L}: \forall integer profile, char *p, integer len, lo, lo2, b;
      same_walk(p, len, lo, lo2) ==> (denied_at(profile, p, len, lo, b) <==> denied_at(profile, p, len, lo2, b));
    lemma bit_same{L}: \forall integer u, d, profile, char *p, integer len, access, lo, lo2, b;
      same_walk(p, len, lo, lo2) ==>
      bit_state(u, d, profile, p, len, access, lo, b) ==> bit_state(u, d, profile, p, len, access, lo2, b);
    lemma state_same{L}: \forall integer u, d, profile, char *p, integer len, access, lo, lo2;
      same_walk(p, len, lo, lo2) ==>
      walk_state(u, d, profile, p, len, access, lo) ==> walk_state(u, d, profile, p, len, access, lo2);
    lemma walked_above{L}: \forall char *p, integer len, lo, k;
      1 <= lo <= len ==> walked(p, len, lo, k) ==> lo <= k;
    lemma walked_object{L}: \forall char *p, integer len, k;
      1 <= len ==> (walked(p, len, len, k) <==> k == len);

    lemma start_walk{L}: \forall integer u, d, profile, char *p, integer len, access;
      1 <= len ==>
      u == (__u32)((access & STK_ACC_ALL) ^ ((access & STK_ACC_ALL) & named_at(rule_at(profile, p, len), 1))) ==>
      d == ((access & STK_ACC_ALL) & deny_at(rule_at(profile, p, len), 1)) ==>
      walk_state(u, d, profile, p, len, access, len);
    lemma start_none{L}: \forall integer profile, char *p, integer len, access;
      1 <= len ==> no_rule(rule_at(profile, p, len)) ==>
      walk_state(access & STK_ACC_ALL, 0, profile, p, len, access, len);

    // The walk starts from the path's own rule.
    lemma first_object{L}: \forall integer profile, char *p, integer len, b;
      1 <= len && names(profile, p, len, len, b) ==> first_walked(profile, p, len, len, len, b);
    lemma start_state{L}: \forall integer u, d, profile, char *p, integer len, access, b;
      1 <= len && 0 <= b < 32 ==>
      u == ((access & STK_ACC_ALL) ^ ((access & STK_ACC_ALL) & named_at(rule_at(profile, p, len), 1))) ==>
      d == ((access & STK_ACC_ALL) & deny_at(rule_at(profile, p, len), 1)) ==>
      bit_state(u, d, profile, p, len, access, len, b);

    // Which levels the walk has applied, against the levels of the path:
    // each is one, every level above one walked is walked, and once the
    // root is walked (or the path is not absolute, or is "/"), all are.
    predicate sound{L}(char *p, integer len, integer lo) =
      \forall integer k; walked(p, len, lo, k) ==> 1 <= k <= len && is_level(p, len, k);
    predicate upward{L}(char *p, integer len, integer lo) =
      \forall integer k, j; walked(p, len, lo, k) && k < j && is_level(p, len, j) ==> walked(p, len, lo, j);
    predicate complete{L}(char *p, integer len, integer lo) =
      \forall integer k; is_level(p, len, k) ==> walked(p, len, lo, k);
    lemma walked_sound{L}: \forall char *p, integer len, lo;
      1 <= len && 0 <= lo <= len && (p[0] == '/' || (1 <= lo && version_groups(p, lo, len))) ==>
      sound(p, len, lo);
    lemma walked_up{L}: \forall char *p, integer len, lo;
      1 <= len && 0 <= lo <= len ==> upward(p, len, lo);
    lemma walked_all{L}: \forall char *p, integer len, lo;
      1 <= len && 0 <= lo <= len &&
      (lo == 0 || ((p[0] != '/' || len == 1) && no_stem_below(p, len, lo))) ==> complete(p, len, lo);

    // Where the walk over the version groups stops, no stem is left: at
    // a byte of no group, at a '.' no digit follows, at a '.' after a '/'
    // (an empty name), or too close to the start for a name of 2 bytes.
    lemma stems_stop{L}: \forall char *p, integer len, lo;
      1 <= lo <= len ==>
      (lo < 3 || (!('0' <= p[lo - 1] <= '9') &&
        (p[lo - 1] != '.' || lo == len || !('0' <= p[lo] <= '9') || p[lo - 2] == '/'))) ==>
      no_stem_below(p, len, lo);
    // A name that does not end in a digit has no stem.
    lemma stems_none{L}: \forall char *p, integer len;
      1 <= len && !('0' <= p[len - 1] <= '9') ==> no_stem_below(p, len, len);

    predicate bit_allowed{L}(integer profile, char *p, integer len, integer b) =
      \exists integer k; 1 <= k <= len && first_names(profile, p, len, k, b) &&
        !denies(profile, p, len, k, b);

    // A level first walked to name a bit is the first level to name it.
    lemma first_level{L}: \forall integer profile, char *p, integer len, lo, k, b;
      sound(p, len, lo) ==> upward(p, len, lo) ==>
      first_walked(profile, p, len, lo, k, b) ==> 1 <= k <= len && first_names(profile, p, len, k, b);
    lemma first_names_unique{L}: \forall integer profile, char *p, integer len, k1, k2, b;
      first_names(profile, p, len, k1, b) && first_names(profile, p, len, k2, b) ==> k1 == k2;
    lemma none_names{L}: \forall integer profile, char *p, integer len, lo, b;
      complete(p, len, lo) ==>
      open_at(profile, p, len, lo, b) ==> !bit_allowed(profile, p, len, b);

    lemma bit_result{L}: \forall integer u, d, profile, char *p, integer len, access, lo, b;
      1 <= len && 0 <= lo <= len && 0 <= b < 32 ==>
      sound(p, len, lo) ==> upward(p, len, lo) ==>
      (!has_bit(u, b) || complete(p, len, lo)) ==>
      bit_state(u, d, profile, p, len, access, lo, b) ==>
      ((!has_bit(u, b) && !has_bit(d, b)) <==>
        (has_bit(access & STK_ACC_ALL, b) ==> bit_allowed(profile, p, len, b)));

    // The profile allows access to the path: the most specific level that
    // names each requested bit exists and allows it.
    predicate path_allows{L}(integer profile, char *p, integer len, integer access) =
      \forall integer b; 0 <= b < 32 && has_bit(access & STK_ACC_ALL, b) ==>
        bit_allowed(profile, p, len, b);

    lemma bits_allowed{L}: \forall integer u, d, profile, char *p, integer len, access, lo;
      1 <= len && 0 <= lo <= len ==> sound(p, len, lo) ==> upward(p, len, lo) ==>
      walk_state(u, d, profile, p, len, access, lo) ==>
      no_bit(u) ==> no_bit(d) ==> path_allows(profile, p, len, access);
    lemma bits_not_denied{L}: \forall integer u, d, profile, char *p, integer len, access, lo;
      1 <= len && 0 <= lo <= len ==> sound(p, len, lo) ==> upward(p, len, lo) ==>
      walk_state(u, d, profile, p, len, access, lo) ==>
      no_bit(u) ==> path_allows(profile, p, len, access) ==> no_bit(d);
    lemma bits_not_open{L}: \forall integer u, d, profile, char *p, integer len, access, lo;
      1 <= len && 0 <= lo <= len ==> sound(p, len, lo) ==> upward(p, len, lo) ==>
      complete(p, len, lo) ==> walk_state(u, d, profile, p, len, access, lo) ==>
      path_allows(profile, p, len, access) ==> no_bit(u);
    lemma bits_decided{L}: \forall integer u, d, profile, char *p, integer len, access, lo;
      1 <= len && 0 <= lo <= len ==>
      sound(p, len, lo) ==> upward(p, len, lo) ==> no_bit(u) ==>
      walk_state(u, d, profile, p, len, access, lo) ==>
      (no_bit(d) <==> path_allows(profile, p, len, access));
    lemma bits_complete{L}: \forall integer u, d, profile, char *p, integer len, access, lo;
      1 <= len && 0 <= lo <= len ==>
      sound(p, len, lo) ==> upward(p, len, lo) ==> complete(p, len, lo) ==>
      walk_state(u, d, profile, p, len, access, lo) ==>
      ((no_bit(u) && no_bit(d)) <==> path_allows(profile, p, len, access));
    lemma bits_result{L}: \forall integer u, d, profile, char *p, integer len, access, lo;
      1 <= len && 0 <= lo <= len ==>
      sound(p, len, lo) ==> upward(p, len, lo) ==> (no_bit(u) || complete(p, len, lo)) ==>
      walk_state(u, d, profile, p, len, access, lo) ==>
      ((no_bit(u) && no_bit(d)) <==> path_allows(profile, p, len, access));
    lemma zero_no_bit: \forall integer x; 0 <= x < 0x100000000 ==> (no_bit(x) <==> x == 0);
    lemma walk_result{L}: \forall integer u, d, profile, char *p, integer len, access, lo;
      1 <= len && 0 <= lo <= len && 0 <= u < 0x100000000 && 0 <= d < 0x100000000 ==>
      sound(p, len, lo) ==> upward(p, len, lo) ==> (u == 0 || complete(p, len, lo)) ==>
      walk_state(u, d, profile, p, len, access, lo) ==>
      ((u == 0 && d == 0) <==> path_allows(profile, p, len, access));

    // The walk's facts are about the path's bytes only: they hold in any
    // state where those bytes are the same (the walk writes the key).
    predicate same_path{L1, L2}(char *p, integer len) =
      \forall integer i; 0 <= i < len ==> \at(p[i], L1) == \at(p[i], L2);
    lemma stem_frame{L1, L2}: \forall char *p, integer len, k;
      same_path{L1, L2}(p, len) && 1 <= k ==>
      (stem_level{L1}(p, len, k) <==> stem_level{L2}(p, len, k));
    lemma names_frame{L1, L2}: \forall integer profile, char *p, integer len, k, b;
      same_path{L1, L2}(p, len) && 1 <= k <= len ==>
      (names{L1}(profile, p, len, k, b) <==> names{L2}(profile, p, len, k, b)) &&
      (denies{L1}(profile, p, len, k, b) <==> denies{L2}(profile, p, len, k, b));
    lemma walked_frame{L1, L2}: \forall char *p, integer len, lo, k;
      same_path{L1, L2}(p, len) ==> (walked{L1}(p, len, lo, k) <==> walked{L2}(p, len, lo, k));
    lemma open_frame{L1, L2}: \forall integer profile, char *p, integer len, lo, b;
      same_path{L1, L2}(p, len) ==> (open_at{L1}(profile, p, len, lo, b) <==> open_at{L2}(profile, p, len, lo, b));
    lemma first_frame{L1, L2}: \forall integer profile, char *p, integer len, lo, k, b;
      same_path{L1, L2}(p, len) ==>
      (first_walked{L1}(profile, p, len, lo, k, b) <==> first_walked{L2}(profile, p, len, lo, k, b));
    lemma decided_frame{L1, L2}: \forall integer profile, char *p, integer len, lo, b;
      same_path{L1, L2}(p, len) ==>
      (decided_at{L1}(profile, p, len, lo, b) <==> decided_at{L2}(profile, p, len, lo, b)) &&
      (denied_at{L1}(profile, p, len, lo, b) <==> denied_at{L2}(profile, p, len, lo, b));
    lemma state_frame{L1, L2}: \forall integer u, d, profile, char *p, integer len, access, lo;
      same_path{L1, L2}(p, len) ==>
      walk_state{L1}(u, d, profile, p, len, access, lo) ==> walk_state{L2}(u, d, profile, p, len, access, lo);
    lemma level_frame{L1, L2}: \forall char *p, integer len, k;
      same_path{L1, L2}(p, len) && 1 <= k <= len ==> (is_level{L1}(p, len, k) <==> is_level{L2}(p, len, k));
    lemma allowed_frame{L1, L2}: \forall integer profile, char *p, integer len, b;
      same_path{L1, L2}(p, len) ==>
      (bit_allowed{L1}(profile, p, len, b) <==> bit_allowed{L2}(profile, p, len, b));
    lemma allows_frame{L1, L2}: \forall integer profile, char *p, integer len, access;
      same_path{L1, L2}(p, len) ==>
      (path_allows{L1}(profile, p, len, access) <==> path_allows{L2}(profile, p, len, access));
    lemma groups_frame{L1, L2}: \forall char *p, integer lo, len;
      same_path{L1, L2}(p, len) && 0 <= lo ==>
      (version_groups{L1}(p, lo, len) <==> version_groups{L2}(p, lo, len)) &&
      (no_stem_below{L1}(p, len, lo) <==> no_stem_below{L2}(p, len, lo));
*/

/*@ requires 1 <= len < STK_PATH_MAX;
    requires \valid_read(key);
    requires padded: \forall integer i; len <= i < key_class(len) ==> key->path[i] == 0;
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
    ensures copied: \forall integer i; 0 <= i < len ==> key->path[i] == path[i];
    ensures padded: \forall integer i; len <= i < key_class(len) ==> key->path[i] == 0;
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
      ensures w->lo == \old(w->lo) - 1 && w->digits == \old(w->digits) + 1;
      ensures key->path[w->lo] == 0;
      ensures m->undecided == \old(m->undecided) && m->denied == \old(m->denied);
      ensures \result == 0;
    behavior stem:
      assumes 2 <= w->lo - 1 && key->path[w->lo - 1] == '.' && w->digits != 0 &&
        key->path[w->lo - 2] != '/';
      ensures w->lo == \old(w->lo) - 1 && w->digits == 0;
      ensures key->path[w->lo] == 0;
      ensures m->denied == (\old(m->denied) | (\old(m->undecided) &
        deny_at(rule_at(key->profile, (char *)key->path, w->lo), 0)));
      ensures m->undecided == (__u32)(\old(m->undecided) ^ (\old(m->undecided) &
        named_at(rule_at(key->profile, (char *)key->path, w->lo), 0)));
      ensures \result != 0 <==> m->undecided == 0;
    behavior stop:
      assumes w->lo - 1 < 2 || (!('0' <= key->path[w->lo - 1] <= '9') &&
        (key->path[w->lo - 1] != '.' || w->digits == 0 || key->path[w->lo - 2] == '/'));
      ensures w->lo == \old(w->lo) && w->digits == \old(w->digits);
      ensures key->path[w->lo - 1] == \old(key->path[w->lo - 1]);
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

/*@ predicate kept{L}(struct stk_walk_key *key, char *p, integer lo) =
      \forall integer i; 0 <= i < lo ==> key->path[i] == p[i];
    predicate zeroed{L}(struct stk_walk_key *key, integer lo, integer len) =
      \forall integer i; lo <= i < key_class(len) ==> key->path[i] == 0;
*/

/*
 * One level applied, as a step of the proof: state_step for the rule of a
 * stem and of a directory (ghost code, which the BPF programs never see).
 */
/*@ ghost
  /@ requires extends(p, len, lo, n, n) && stem_level(p, len, n);
     requires walk_state(u, d, profile, p, len, access, lo);
     requires u2 == (__u32)(u ^ (u & named_at(rule_at(versions_id(profile), p, n), 0)));
     requires d2 == (d | (u & deny_at(rule_at(versions_id(profile), p, n), 0)));
     assigns \nothing;
     ensures walk_state(u2, d2, profile, p, len, access, n);
  @/
  void stk_stem_applied(__u32 u, __u32 d, __u32 u2, __u32 d2, __u32 profile, char *p,
                        __u32 len, __u32 access, __u32 lo, __u32 n)
  {
    /@ assert level_rule(profile, p, len, n, rule_at(versions_id(profile), p, n), 0); @/
  }

  /@ requires extends(p, len, lo, lo2, n) && !stem_level(p, len, n) && n < len;
     requires walk_state(u, d, profile, p, len, access, lo);
     requires u2 == (__u32)(u ^ (u & named_at(rule_at(profile, p, n), 0)));
     requires d2 == (d | (u & deny_at(rule_at(profile, p, n), 0)));
     assigns \nothing;
     ensures walk_state(u2, d2, profile, p, len, access, lo2);
  @/
  void stk_dir_applied(__u32 u, __u32 d, __u32 u2, __u32 d2, __u32 profile, char *p,
                       __u32 len, __u32 access, __u32 lo, __u32 lo2, __u32 n)
  {
    /@ assert at_object(len, n) == 0; @/
    /@ assert level_rule(profile, p, len, n, rule_at(profile, p, n), 0); @/
  }
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
    ensures kept(key, (char *)path, len) && zeroed(key, len, len);
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
	//@ assert same_bytes: rule_at(profile, (char *)key->path, len) == rule_at(profile, (char *)path, len);
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
    requires kept(key, path, len) && zeroed(key, len, len);
    requires walk_state(m->undecided, m->denied, profile, path, len, access, len);
    assigns *m, *w, key->path[0 .. len - 1];
    ensures 1 <= w->lo <= len;
    ensures kept(key, path, w->lo) && zeroed(key, w->lo, len);
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
	    loop invariant kept(key, path, w->lo) && zeroed(key, w->lo, len);
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
    requires kept(key, path, w->lo) && zeroed(key, w->lo, len);
    requires no_stem_below(path, len, w->lo);
    requires walk_state(m->undecided, m->denied, profile, path, len, access, w->lo);
    assigns *m, w->lo, key->path[0 .. len - 1];
    ensures 1 <= w->lo <= len;
    ensures kept(key, path, w->lo) && zeroed(key, w->lo, len);
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
	    loop invariant kept(key, path, w->lo) && zeroed(key, w->lo, len);
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

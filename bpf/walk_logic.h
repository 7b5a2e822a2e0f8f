/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the walk's contracts speak of (bpf/walk.h), for `make prove` only:
 * the rule stored for each path (the one assumption about the rule maps),
 * the levels of a path, which level decides each access bit, and the
 * lemmas that carry the walk from one level to the next. The BPF programs
 * include this file and see only comments.
 */
#ifndef STOCKADE_WALK_LOGIC_H
#define STOCKADE_WALK_LOGIC_H

#include "decide.h"

/*@ axiomatic Rules {
      // The rule profile stores for the path p[0 .. len - 1], under the key
      // that holds the path (key_holds, bpf/keys.h): all zero where none is
      // stored (applying it changes nothing, as finding none does).
      logic struct stk_rule rule_at{L}(integer profile, char *p, integer len)
        reads p[0 .. len - 1];
      // A hash map compares keys byte by byte: the rule depends on the
      // bytes of the path only, wherever they are stored. (Of a key's
      // bytes, as same_key_same_path shows two keys that hold paths are
      // equal exactly when the paths are.)
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
    // Every level the predicates speak of has 1 <= k <= len, and a level's
    // rule reads p[0 .. k - 1] (rule_of_bytes). The provers follow this a
    // step at a time: each lemma below needs one quantifier instantiated
    // (a level j, given by the one before), and each equivalence is
    // proved from its two directions ("_to", used once each way round).
    predicate same_path{L1, L2}(char *p, integer len) =
      \forall integer i; 0 <= i < len ==> \at(p[i], L1) == \at(p[i], L2);
    lemma stem_frame{L1, L2}: \forall char *p, integer len, k;
      same_path{L1, L2}(p, len) && 1 <= k ==>
      (stem_level{L1}(p, len, k) <==> stem_level{L2}(p, len, k));
    lemma rule_frame{L1, L2}: \forall integer profile, char *p, integer len, k;
      same_path{L1, L2}(p, len) && 0 <= k <= len ==>
      rule_at{L1}(profile, p, k) == rule_at{L2}(profile, p, k);
    lemma names_frame{L1, L2}: \forall integer profile, char *p, integer len, k, b;
      same_path{L1, L2}(p, len) && 1 <= k <= len ==>
      (names{L1}(profile, p, len, k, b) <==> names{L2}(profile, p, len, k, b));
    lemma denies_frame{L1, L2}: \forall integer profile, char *p, integer len, k, b;
      same_path{L1, L2}(p, len) && 1 <= k <= len ==>
      (denies{L1}(profile, p, len, k, b) <==> denies{L2}(profile, p, len, k, b));
    lemma walked_frame{L1, L2}: \forall char *p, integer len, lo, k;
      same_path{L1, L2}(p, len) ==> (walked{L1}(p, len, lo, k) <==> walked{L2}(p, len, lo, k));
    lemma walked_in{L}: \forall char *p, integer len, lo, k;
      1 <= len ==> walked(p, len, lo, k) ==> 1 <= k <= len;
    lemma same_path_sym{L1, L2}: \forall char *p, integer len;
      same_path{L1, L2}(p, len) ==> same_path{L2, L1}(p, len);
    lemma walked_names_frame{L1, L2}: \forall integer profile, char *p, integer len, lo, j, b;
      1 <= len && same_path{L1, L2}(p, len) && walked{L1}(p, len, lo, j) ==>
      walked{L2}(p, len, lo, j) && (names{L1}(profile, p, len, j, b) <==> names{L2}(profile, p, len, j, b));
    lemma open_to{L1, L2}: \forall integer profile, char *p, integer len, lo, b;
      1 <= len && same_path{L1, L2}(p, len) ==>
      open_at{L1}(profile, p, len, lo, b) ==> open_at{L2}(profile, p, len, lo, b);
    lemma open_frame{L1, L2}: \forall integer profile, char *p, integer len, lo, b;
        1 <= len && same_path{L1, L2}(p, len) ==> (open_at{L1}(profile, p, len, lo, b) <==> open_at{L2}(profile, p, len, lo, b));
    // No level walked above k names bit b: first_walked's last part.
    predicate none_above{L}(integer profile, char *p, integer len, integer lo, integer k, integer b) =
      \forall integer j; k < j && walked(p, len, lo, j) ==> !names(profile, p, len, j, b);
    lemma first_parts{L}: \forall integer profile, char *p, integer len, lo, k, b;
      first_walked(profile, p, len, lo, k, b) <==>
      (walked(p, len, lo, k) && names(profile, p, len, k, b) && none_above(profile, p, len, lo, k, b));
    lemma above_frame_to{L1, L2}: \forall integer profile, char *p, integer len, lo, k, b;
      1 <= len && same_path{L1, L2}(p, len) ==>
      none_above{L1}(profile, p, len, lo, k, b) ==> none_above{L2}(profile, p, len, lo, k, b);
    lemma above_frame{L1, L2}: \forall integer profile, char *p, integer len, lo, k, b;
      1 <= len && same_path{L1, L2}(p, len) ==>
      (none_above{L1}(profile, p, len, lo, k, b) <==> none_above{L2}(profile, p, len, lo, k, b));
    lemma first_frame_to{L1, L2}: \forall integer profile, char *p, integer len, lo, k, b;
      1 <= len && same_path{L1, L2}(p, len) ==>
      first_walked{L1}(profile, p, len, lo, k, b) ==>
      first_walked{L2}(profile, p, len, lo, k, b) &&
      (denies{L1}(profile, p, len, k, b) <==> denies{L2}(profile, p, len, k, b));
    lemma first_frame{L1, L2}: \forall integer profile, char *p, integer len, lo, k, b;
      1 <= len && same_path{L1, L2}(p, len) ==>
      (first_walked{L1}(profile, p, len, lo, k, b) <==> first_walked{L2}(profile, p, len, lo, k, b));
    lemma decided_to{L1, L2}: \forall integer profile, char *p, integer len, lo, b;
      1 <= len && same_path{L1, L2}(p, len) ==>
      decided_at{L1}(profile, p, len, lo, b) ==> decided_at{L2}(profile, p, len, lo, b);
    lemma denied_to{L1, L2}: \forall integer profile, char *p, integer len, lo, b;
      1 <= len && same_path{L1, L2}(p, len) ==>
      denied_at{L1}(profile, p, len, lo, b) ==> denied_at{L2}(profile, p, len, lo, b);
    lemma decided_frame{L1, L2}: \forall integer profile, char *p, integer len, lo, b;
      1 <= len && same_path{L1, L2}(p, len) ==>
      (decided_at{L1}(profile, p, len, lo, b) <==> decided_at{L2}(profile, p, len, lo, b));
    lemma denied_frame{L1, L2}: \forall integer profile, char *p, integer len, lo, b;
      1 <= len && same_path{L1, L2}(p, len) ==>
      (denied_at{L1}(profile, p, len, lo, b) <==> denied_at{L2}(profile, p, len, lo, b));
    lemma level_frame{L1, L2}: \forall char *p, integer len, k;
      same_path{L1, L2}(p, len) && 1 <= k <= len ==> (is_level{L1}(p, len, k) <==> is_level{L2}(p, len, k));
    // No level above k names bit b: first_names's last part.
    predicate none_named_above{L}(integer profile, char *p, integer len, integer k, integer b) =
      \forall integer j; k < j <= len && is_level(p, len, j) ==> !names(profile, p, len, j, b);
    lemma first_names_parts{L}: \forall integer profile, char *p, integer len, k, b;
      first_names(profile, p, len, k, b) <==>
      (is_level(p, len, k) && names(profile, p, len, k, b) && none_named_above(profile, p, len, k, b));
    lemma level_names_frame{L1, L2}: \forall integer profile, char *p, integer len, j, b;
      same_path{L1, L2}(p, len) && 1 <= j <= len && is_level{L1}(p, len, j) ==>
      is_level{L2}(p, len, j) && (names{L1}(profile, p, len, j, b) <==> names{L2}(profile, p, len, j, b));
    lemma named_above_to{L1, L2}: \forall integer profile, char *p, integer len, k, b;
      1 <= k && same_path{L1, L2}(p, len) ==>
      none_named_above{L1}(profile, p, len, k, b) ==> none_named_above{L2}(profile, p, len, k, b);
    lemma named_above_frame{L1, L2}: \forall integer profile, char *p, integer len, k, b;
      1 <= k && same_path{L1, L2}(p, len) ==>
      (none_named_above{L1}(profile, p, len, k, b) <==> none_named_above{L2}(profile, p, len, k, b));
    lemma first_names_frame{L1, L2}: \forall integer profile, char *p, integer len, k, b;
      same_path{L1, L2}(p, len) && 1 <= k <= len ==>
      (first_names{L1}(profile, p, len, k, b) <==> first_names{L2}(profile, p, len, k, b));
    lemma allowed_frame{L1, L2}: \forall integer profile, char *p, integer len, b;
      same_path{L1, L2}(p, len) ==>
      (bit_allowed{L1}(profile, p, len, b) <==> bit_allowed{L2}(profile, p, len, b));
    lemma state_frame{L1, L2}: \forall integer u, d, profile, char *p, integer len, access, lo;
      1 <= len && same_path{L1, L2}(p, len) ==>
      walk_state{L1}(u, d, profile, p, len, access, lo) ==> walk_state{L2}(u, d, profile, p, len, access, lo);
    lemma allows_frame{L1, L2}: \forall integer profile, char *p, integer len, access;
      same_path{L1, L2}(p, len) ==>
      (path_allows{L1}(profile, p, len, access) <==> path_allows{L2}(profile, p, len, access));
    lemma groups_frame{L1, L2}: \forall char *p, integer lo, len;
      same_path{L1, L2}(p, len) && 0 <= lo ==>
      (version_groups{L1}(p, lo, len) <==> version_groups{L2}(p, lo, len)) &&
      (no_stem_below{L1}(p, len, lo) <==> no_stem_below{L2}(p, len, lo));
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

#endif

/* A profile's rules as the kernel's rule maps hold them. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "enforcer.h"
#include "../bpf/keys.h"
#include "../common/error.h"

/*
 * Fold a rule into the entry for its path, or, with stem, its versions
 * entry: a deny rule into the deny bits, an allow rule into the allow bits;
 * a subtree rule, and any rule at a stem, into the tree bits (the walk
 * applies them at every level), any other into the self bits (only at the
 * path itself). What was there stays: rules at one path add up.
 */
/*@ // The field of an entry that rule_fold() puts rule r's access bits in,
    // placed in its path's entry (stem false) or its stem's (stem true):
    // 0 allow_self, 1 allow_tree, 2 deny_self, 3 deny_tree.
    logic integer route{L}(struct file_rule *r, integer stem) =
      (r->deny ? 2 : 0) + (stem != 0 || r->subtree ? 1 : 0);
    lemma route_range{L}: \forall struct file_rule *r, integer stem; 0 <= route(r, stem) < 4;
    logic integer field{L}(struct stk_rule *e, integer f) =
      f == 0 ? e->allow_self : f == 1 ? e->allow_tree : f == 2 ? e->deny_self : e->deny_tree;
*/

/*@ requires \valid(r) && \valid_read(fr) && \separated(r, fr);
    assigns *r;
    ensures folded: \forall integer f, b; 0 <= f < 4 && 0 <= b < 8 ==>
      (has_bit(field(r, f), b) <==>
       has_bit(\old(field(r, f)), b) || (f == route(fr, stem) && has_bit((__u8)fr->access, b)));
    behavior deny_tree:
      assumes fr->deny && (stem || fr->subtree);
      ensures r->deny_tree == (__u8)(\old(r->deny_tree) | (__u8)fr->access);
      ensures r->deny_self == \old(r->deny_self) && r->allow_tree == \old(r->allow_tree) &&
              r->allow_self == \old(r->allow_self);
    behavior deny_self:
      assumes fr->deny && !(stem || fr->subtree);
      ensures r->deny_self == (__u8)(\old(r->deny_self) | (__u8)fr->access);
      ensures r->deny_tree == \old(r->deny_tree) && r->allow_tree == \old(r->allow_tree) &&
              r->allow_self == \old(r->allow_self);
    behavior allow_tree:
      assumes !fr->deny && (stem || fr->subtree);
      ensures r->allow_tree == (__u8)(\old(r->allow_tree) | (__u8)fr->access);
      ensures r->deny_tree == \old(r->deny_tree) && r->deny_self == \old(r->deny_self) &&
              r->allow_self == \old(r->allow_self);
    behavior allow_self:
      assumes !fr->deny && !(stem || fr->subtree);
      ensures r->allow_self == (__u8)(\old(r->allow_self) | (__u8)fr->access);
      ensures r->deny_tree == \old(r->deny_tree) && r->deny_self == \old(r->deny_self) &&
              r->allow_tree == \old(r->allow_tree);
    complete behaviors;
    disjoint behaviors;
*/
static void rule_fold(struct stk_rule *r, const struct file_rule *fr, bool stem)
{
	__u8 bits = (__u8)fr->access;
	bool tree = stem || fr->subtree;

	if (fr->deny && tree)
		r->deny_tree |= bits;
	else if (fr->deny)
		r->deny_self |= bits;
	else if (tree)
		r->allow_tree |= bits;
	else
		r->allow_self |= bits;
}

/*
 * A rule's ports, while its entry is made. int, not __u16: Frama-C's WP
 * keeps all values of one C type in one memory, and with the rules' ports
 * in the same one as these, every write here would need a proof that it
 * left the rules alone.
 */
struct port_span {
	int lo, hi;
};

static int range_cmp(const void *a, const void *b)
{
	const struct port_span *x = a, *y = b;

	return (x->lo > y->lo) - (x->lo < y->lo);
}

/*
 * The port push-down. A trie entry holds the ports of every rule whose
 * network contains the entry's (covers()), so the longest prefix the kernel
 * finds for a peer has every port a rule allows it: proofs/net.c proves
 * that with stk_peer_allowed() (bpf/net.h) the kernel then allows exactly
 * what the rules allow.
 */
/*@ predicate covers(struct net_rule *r, struct net_rule *e) =
      r->op == e->op && r->proto == e->proto && r->prefix <= e->prefix &&
      \forall integer b; 0 <= b < r->prefix && b < 128 ==> bit_of(&e->addr[0], b) == bit_of(&r->addr[0], b);
    predicate pushed_down{L}(struct net_rule *net, integer n, struct net_rule *e, integer port) =
      \exists integer k; 0 <= k < n && covers(net + k, e) && net[k].port_lo <= port <= net[k].port_hi;
    // stk_port_allowed()'s answer (bpf/decide.h).
    predicate port_in{L}(struct stk_net_rule *r, integer port) =
      \exists integer i; 0 <= i < STK_PORT_RANGES && i < r->n && r->ports[i].lo <= port <= r->ports[i].hi;
    // A port of one of the ranges all[0 .. n - 1].
    predicate in_ranges{L}(struct port_span *all, integer n, integer port) =
      \exists integer i; 0 <= i < n && all[i].lo <= port <= all[i].hi;
    // Each of all[0 .. n - 1] is a range of ports.
    predicate spans_ports{L}(struct port_span *all, integer n) =
      \forall integer i; 0 <= i < n ==> 0 <= all[i].lo <= 65535 && 0 <= all[i].hi <= 65535;
    lemma in_ranges_next{L}: \forall struct port_span *all, integer n, port; 0 <= n ==>
      (in_ranges(all, n + 1, port) <==> in_ranges(all, n, port) || all[n].lo <= port <= all[n].hi);
    lemma pushed_down_next{L}: \forall struct net_rule *net, *e, integer n, port; 0 <= n ==>
      (pushed_down(net, n + 1, e, port) <==>
       pushed_down(net, n, e, port) || (covers(net + n, e) && net[n].port_lo <= port <= net[n].port_hi));

    // Bit b of the address of the key at k (key_bit(), read in memory).
    logic integer key_bit_at{L}(struct stk_net_key *k, integer b) = k->addr[b / 8] & (0x80 >> (b % 8));

    // The key at k (read at Lk) is rule r's network (read at Lr): what
    // stk_net_key_set() makes of it, with any profile id (the loader sets
    // it). The keys are read field by field, never as a whole struct: a
    // struct read in memory brings a typing premise to every lemma about
    // it, which the provers do not discharge.
    predicate key_at{Lk, Lr}(struct stk_net_key *k, struct net_rule *r) =
      \at(k->prefixlen, Lk) == STK_NET_KEY_FIXED_BITS + \at(r->prefix, Lr) &&
      \at(k->proto, Lk) == \at(r->proto, Lr) && \at(k->op, Lk) == \at(r->op, Lr) &&
      \at(k->pad[0], Lk) == 0 && \at(k->pad[1], Lk) == 0 &&
      \forall integer b; 0 <= b < 128 ==> \at(key_bit_at(k, b), Lk) == \at(bit_of(&r->addr[0], b), Lr);
    // Rule r's network (read at Lr) contains the key's at k (read at Lk):
    // covers() of a stored key.
    predicate covers_at{Lk, Lr}(struct net_rule *r, struct stk_net_key *k) =
      \at(r->op, Lr) == \at(k->op, Lk) && \at(r->proto, Lr) == \at(k->proto, Lk) &&
      \at(r->prefix, Lr) <= \at(k->prefixlen, Lk) - STK_NET_KEY_FIXED_BITS &&
      \forall integer b; 0 <= b < \at(r->prefix, Lr) && b < 128 ==>
        \at(key_bit_at(k, b), Lk) == \at(bit_of(&r->addr[0], b), Lr);
    // One of the rules net[0 .. n - 1] covers the key at k and allows port.
    predicate allow_at{Lk, Lr}(struct net_rule *net, integer n, struct stk_net_key *k, integer port) =
      \exists integer r; 0 <= r < n && covers_at{Lk, Lr}(net + r, k) &&
        \at(net[r].port_lo, Lr) <= port <= \at(net[r].port_hi, Lr);

    // Rule r holds at L2 what it held at L1, of what the entries read.
    predicate same_rule{L1, L2}(struct net_rule *r) =
      \at(r->op, L1) == \at(r->op, L2) && \at(r->proto, L1) == \at(r->proto, L2) &&
      \at(r->prefix, L1) == \at(r->prefix, L2) &&
      \at(r->port_lo, L1) == \at(r->port_lo, L2) && \at(r->port_hi, L1) == \at(r->port_hi, L2) &&
      \forall integer b; 0 <= b < 128 ==> \at(bit_of(&r->addr[0], b), L1) == \at(bit_of(&r->addr[0], b), L2);
    lemma covers_same{L1, L2}: \forall struct net_rule *r, *e;
      same_rule{L1, L2}(r) && same_rule{L1, L2}(e) ==> (\at(covers(r, e), L1) <==> \at(covers(r, e), L2));
    lemma pushed_down_same{L1, L2}: \forall struct net_rule *net, *e, integer n, port;
      same_rule{L1, L2}(e) && (\forall integer r; 0 <= r < n ==> same_rule{L1, L2}(net + r)) ==>
      (pushed_down{L1}(net, n, e, port) <==> pushed_down{L2}(net, n, e, port));
    lemma same_rule_trans{L1, L2, L3}: \forall struct net_rule *r;
      same_rule{L1, L2}(r) && same_rule{L2, L3}(r) ==> same_rule{L1, L3}(r);
    lemma key_at_same{Lk, L1, L2}: \forall struct net_rule *r, struct stk_net_key *k;
      same_rule{L1, L2}(r) ==> (key_at{Lk, L1}(k, r) <==> key_at{Lk, L2}(k, r));
    lemma allow_at_same{Lk, L1, L2}: \forall struct net_rule *net, integer n, port, struct stk_net_key *k;
      (\forall integer r; 0 <= r < n ==> same_rule{L1, L2}(net + r)) ==>
      (allow_at{Lk, L1}(net, n, k, port) <==> allow_at{Lk, L2}(net, n, k, port));
    lemma covers_at_key{Lk, L}: \forall struct net_rule *r, *e, struct stk_net_key *k;
      key_at{Lk, L}(k, e) ==> (covers{L}(r, e) <==> covers_at{Lk, L}(r, k));
    lemma pushed_down_at{Lk, L}: \forall struct net_rule *net, *e, integer n, port, struct stk_net_key *k;
      key_at{Lk, L}(k, e) ==> (pushed_down{L}(net, n, e, port) <==> allow_at{Lk, L}(net, n, k, port));

    // The key at k holds at L2 what it held at L1, field by field.
    predicate same_key{L1, L2}(struct stk_net_key *k) =
      \at(k->prefixlen, L1) == \at(k->prefixlen, L2) &&
      \at(k->proto, L1) == \at(k->proto, L2) && \at(k->op, L1) == \at(k->op, L2) &&
      \at(k->pad[0], L1) == \at(k->pad[0], L2) && \at(k->pad[1], L1) == \at(k->pad[1], L2) &&
      \forall integer b; 0 <= b < 16 ==> \at(k->addr[b], L1) == \at(k->addr[b], L2);
    lemma allow_at_same_key{L1, L2, Lr}: \forall struct stk_net_key *k, struct net_rule *net, integer n, port;
      same_key{L1, L2}(k) ==> (allow_at{L1, Lr}(net, n, k, port) <==> allow_at{L2, Lr}(net, n, k, port));

    // Entry o holds at L2 what it held at L1, field by field: what a call
    // that writes other entries leaves.
    predicate same_entry{L1, L2}(struct compiled_net *o) =
      \at(o->key.prefixlen, L1) == \at(o->key.prefixlen, L2) &&
      \at(o->key.proto, L1) == \at(o->key.proto, L2) && \at(o->key.op, L1) == \at(o->key.op, L2) &&
      \at(o->key.pad[0], L1) == \at(o->key.pad[0], L2) && \at(o->key.pad[1], L1) == \at(o->key.pad[1], L2) &&
      (\forall integer b; 0 <= b < 16 ==> \at(o->key.addr[b], L1) == \at(o->key.addr[b], L2)) &&
      \at(o->rule.n, L1) == \at(o->rule.n, L2) &&
      \forall integer j; 0 <= j < STK_PORT_RANGES ==>
        \at(o->rule.ports[j].lo, L1) == \at(o->rule.ports[j].lo, L2) &&
        \at(o->rule.ports[j].hi, L1) == \at(o->rule.ports[j].hi, L2);
    lemma same_entry_trans{L1, L2, L3}: \forall struct compiled_net *o;
      same_entry{L1, L2}(o) && same_entry{L2, L3}(o) ==> same_entry{L1, L3}(o);
    lemma key_at_same_entry{L1, L2, Lr}: \forall struct compiled_net *o, struct net_rule *r;
      same_entry{L1, L2}(o) ==> (key_at{L1, Lr}(\at(&o->key, L1), r) <==> key_at{L2, Lr}(\at(&o->key, L1), r));
    lemma allow_at_same_entry{L1, L2, Lr}: \forall struct compiled_net *o, struct net_rule *net, integer n, port;
      same_entry{L1, L2}(o) ==> (allow_at{L1, Lr}(net, n, \at(&o->key, L1), port) <==> allow_at{L2, Lr}(net, n, \at(&o->key, L1), port));
    lemma port_in_same_entry{L1, L2}: \forall struct compiled_net *o, integer port;
      same_entry{L1, L2}(o) ==> (port_in{L1}(\at(&o->rule, L1), port) <==> port_in{L2}(\at(&o->rule, L1), port));

    // out[0 .. n - 1] (read at Lo) are the trie entries of the rules
    // net[0 .. n - 1] (read at Lr): out[k] is net[k]'s network, and allows
    // the ports of exactly the rules whose network contains it.
    predicate net_entries{Lr, Lo}(struct net_rule *net, integer n, struct compiled_net *out) =
      (\forall integer k; 0 <= k < n ==> key_at{Lo, Lr}(\at(&out[k].key, Lo), net + k)) &&
      (\forall integer j, port; 0 <= j < n ==>
        (port_in{Lo}(\at(&out[j].rule, Lo), port) <==> allow_at{Lo, Lr}(net, n, \at(&out[j].key, Lo), port)));
*/

/*@ requires \valid_read(r) && \valid_read(e);
    assigns \nothing;
    ensures \result <==> covers(r, e);
*/
static bool net_covers(const struct net_rule *r, const struct net_rule *e)
{
	return r->op == e->op && r->proto == e->proto && r->prefix <= e->prefix &&
	       stk_addr_in_prefix(e->addr, r->addr, r->prefix);
}

/* The port ranges of the rules among net[0 .. n - 1] that cover e. */
/*@ requires \valid_read(net + (0 .. n - 1)) && \valid_read(e) && \valid(all + (0 .. n - 1));
    requires \separated(all + (0 .. n - 1), net + (0 .. n - 1)) && \separated(all + (0 .. n - 1), e);
    assigns all[0 .. n - 1];
    ensures count: \result <= n;
    ensures spans: spans_ports(all, \result);
    ensures ports: \forall integer port; in_ranges(all, \result, port) <==> \old(pushed_down(net, n, e, port));
*/
static size_t ports_collect(const struct net_rule *net, size_t n, const struct net_rule *e,
			    struct port_span *all)
{
	size_t got = 0;

	/*@ loop invariant 0 <= got <= i <= n;
	    loop invariant spans: spans_ports(all, got);
	    loop invariant collected: \forall integer port;
	      in_ranges(all, got, port) <==> pushed_down{Pre}(net, i, e, port);
	    loop assigns i, got, all[0 .. n - 1];
	    loop variant n - i;
	*/
	for (size_t i = 0; i != n; i++) {
		if (!net_covers(&net[i], e)) {
			/*@ assert not_covered: !covers{Pre}(net + i, e); */
			/*@ assert skipped: \forall integer port;
			      in_ranges(all, got, port) <==> pushed_down{Pre}(net, i + 1, e, port);
			*/
			continue;
		}
		/*@ assert covered: covers{Pre}(net + i, e); */
		all[got].lo = net[i].port_lo;
		all[got].hi = net[i].port_hi;
		/*@ assert placed: all[got].lo == \at(net[\at(i, Here)].port_lo, Pre) && all[got].hi == \at(net[\at(i, Here)].port_hi, Pre); */
		/*@ assert kept: \forall integer port; in_ranges(all, got, port) <==> in_ranges{LoopCurrent}(all, got, port); */
		/*@ assert grown: \forall integer port;
		      in_ranges(all, got + 1, port) <==> in_ranges(all, got, port) || all[got].lo <= port <= all[got].hi;
		*/
		/*@ assert one_more: \forall integer port; pushed_down{Pre}(net, i + 1, e, port) <==>
		      pushed_down{Pre}(net, i, e, port) || \at(net[\at(i, Here)].port_lo <= port <= net[\at(i, Here)].port_hi, Pre);
		*/
		/*@ assert added: \forall integer port;
		      in_ranges(all, got + 1, port) <==> pushed_down{Pre}(net, i + 1, e, port);
		*/
		/*@ assert room: got < n; */
		got++;
		/*@ assert counted: \forall integer port;
		      in_ranges(all, got, port) <==> pushed_down{Pre}(net, i + 1, e, port);
		*/
	}
	return got;
}

/*@ axiomatic RangesMoved {
      // Where ranges_sort() moved all[i] to, and where all[j] came from
      // (as placed_sort()'s moved_to and moved_from).
      logic integer range_to{L1, L2}(struct port_span *all, integer n, integer i);
      logic integer range_from{L1, L2}(struct port_span *all, integer n, integer j);
    }
*/

/*
 * By first port, so ranges that overlap are next to each other and
 * ports_add() joins them. Assumed, not proved: qsort() moves the elements
 * without changing them (its order matters only to how many ranges fit).
 */
/*@ requires \valid(all + (0 .. n - 1));
    assigns all[0 .. n - 1];
    ensures moved: \forall integer i; 0 <= i < n ==> \let j = range_to{Pre, Post}(all, n, i);
      0 <= j < n && all[j].lo == \old(all[i].lo) && all[j].hi == \old(all[i].hi);
    ensures only: \forall integer j; 0 <= j < n ==> \let i = range_from{Pre, Post}(all, n, j);
      0 <= i < n && all[j].lo == \old(all[i].lo) && all[j].hi == \old(all[i].hi);
*/
static void ranges_sort(struct port_span *all, size_t n)
{
	qsort(all, n, sizeof(*all), range_cmp);
}

/*
 * Add the ports lo to hi to out, or fail if that takes more than
 * STK_PORT_RANGES ranges. The range joins the last one only if it starts
 * inside it or right after it, so out holds the same ports in any order;
 * ranges sorted by their first port always join when they overlap.
 */
/*@ requires \valid(out) && out->n <= STK_PORT_RANGES;
    assigns *out;
    ensures fits: out->n <= STK_PORT_RANGES;
    ensures added: \result == 0 ==> \forall integer port;
      port_in(out, port) <==> (\old(port_in(out, port)) || lo <= port <= hi);
*/
static int ports_add(struct stk_net_rule *out, __u16 lo, __u16 hi)
{
	__u32 n = out->n;

	if (n && out->ports[n - 1].lo <= lo && lo <= (__u32)out->ports[n - 1].hi + 1) {
		if (hi > out->ports[n - 1].hi)
			out->ports[n - 1].hi = hi;
		return 0;
	}
	if (n == STK_PORT_RANGES)
		return -1;
	out->ports[n].lo = lo;
	out->ports[n].hi = hi;
	out->n = n + 1;
	return 0;
}

/* The ports of all[0 .. n - 1] in out, or fail. */
/*@ requires \valid(out) && \valid_read(all + (0 .. n - 1));
    requires \separated(out, all + (0 .. n - 1)) && spans_ports(all, n);
    assigns *out;
    ensures merged: \result == 0 ==> \forall integer port; port_in(out, port) <==> \old(in_ranges(all, n, port));
*/
static int ports_merge(struct stk_net_rule *out, const struct port_span *all, size_t n)
{
	/* The ranges past n are never read (stk_port_allowed()); net_compile()'s
	 * calloc() zeroed them, so the map's values hold no stale bytes. */
	out->n = 0;
	/*@ loop invariant 0 <= i <= n && out->n <= STK_PORT_RANGES;
	    loop invariant merged: \forall integer port; port_in(out, port) <==> in_ranges{Pre}(all, i, port);
	    loop assigns i, *out;
	    loop variant n - i;
	*/
	for (size_t i = 0; i != n; i++)
		if (ports_add(out, (__u16)all[i].lo, (__u16)all[i].hi))
			return -1;
	return 0;
}

/* The merged port ranges of every rule covering e, in out; all is scratch. */
/*@ requires \valid_read(net + (0 .. n - 1)) && \valid(all + (0 .. n - 1)) && \valid(out);
    requires \valid_read(e) && \separated(all + (0 .. n - 1), net + (0 .. n - 1)) && \separated(all + (0 .. n - 1), e);
    requires \separated(out, all + (0 .. n - 1)) && \separated(out, net + (0 .. n - 1)) && \separated(out, e);
    assigns all[0 .. n - 1], *out;
    ensures ports: \result == 0 ==> \forall integer port;
      port_in(out, port) <==> \old(pushed_down(net, n, e, port));
*/
static int ports_of(const struct net_rule *net, size_t n, const struct net_rule *e,
		    struct port_span *all, struct stk_net_rule *out)
{
	size_t got = ports_collect(net, n, e, all);

Collected: __attribute__((unused));
	ranges_sort(all, got);
	/*@ assert sorted_spans: spans_ports(all, got); */
	/*@ assert sorted_same: \forall integer port; in_ranges(all, got, port) <==> in_ranges{Collected}(all, got, port); */
	/*@ assert same_ranges: \forall integer port;
	      in_ranges(all, got, port) <==> \at(pushed_down(net, n, e, port), Pre);
	*/
	return ports_merge(out, all, got);
}

/*
 * Entry out[k] for rule e's network, with the ports of every rule among
 * net[0 .. n - 1] that covers it, or fail; all is scratch.
 */
/*@ requires \valid_read(net + (0 .. n - 1)) && \valid(all + (0 .. n - 1)) && \valid(out + (0 .. k));
    requires \valid_read(e) && e->prefix <= 128 && e->op <= 255;
    requires apart: \separated(all + (0 .. n - 1), net + (0 .. n - 1));
    requires e_apart: \separated(e, all + (0 .. n - 1));
    requires out_apart: \separated(out + (0 .. k), all + (0 .. n - 1)) && \separated(out + (0 .. k), net + (0 .. n - 1));
    requires out_e: \separated(out + (0 .. k), e);
    assigns all[0 .. n - 1], out[k];
    ensures kept: \forall integer r; 0 <= r < n ==> same_rule{Pre, Post}(net + r);
    ensures others: \forall integer r; 0 <= r < k ==> same_entry{Pre, Post}(out + r);
    ensures keyed: key_at{Post, Pre}(&out[k].key, e);
    ensures ports: \result == 0 ==> \forall integer port;
      port_in(&out[k].rule, port) <==> allow_at{Post, Pre}(net, n, &out[k].key, port);
*/
static int net_entry(const struct net_rule *net, size_t n, const struct net_rule *e,
		     struct port_span *all, struct compiled_net *out, size_t k)
{
	struct compiled_net *entry = &out[k];

	/* The profile id is the one it is loaded under (enforce_apply()). */
	stk_net_key_set(&entry->key, 0, e->proto, (__u8)e->op, e->addr, e->prefix);
	/*@ assert others_keyed: \forall integer r; 0 <= r < k ==> same_entry{Pre, Here}(out + r); */
Keyed: __attribute__((unused));
	/*@ assert rules_same: same_rule{Pre, Here}(e) &&
	      \forall integer r; 0 <= r < n ==> same_rule{Pre, Here}(net + r);
	*/
	/*@ assert keyed_here: key_at{Here, Pre}(&entry->key, e); */
	/*@ assert pre_ports: \forall integer port;
	      pushed_down{Pre}(net, n, e, port) <==> allow_at{Here, Pre}(net, n, &entry->key, port);
	*/
	/*@ assert key_ports: \forall integer port;
	      pushed_down(net, n, e, port) <==> allow_at{Here, Pre}(net, n, &entry->key, port);
	*/
	int err = ports_of(net, n, e, all, &entry->rule);

	/*@ assert rules_kept: \forall integer r; 0 <= r < n ==> same_rule{Pre, Here}(net + r); */
	/*@ assert others_ported: \forall integer r; 0 <= r < k ==> same_entry{Keyed, Here}(out + r); */
	/*@ assert key_same: same_key{Keyed, Here}(&entry->key); */
	return err;
}

/*
 * The trie entries of the rules net[0 .. n - 1], out[i] for net[i], each
 * allowing the ports of every rule that covers it; all is scratch for n
 * ranges. Rules on one network make equal entries under equal keys (their
 * ports depend on the key alone), which the trie stores once. Fails with
 * *failed the rule whose entry would take more than STK_PORT_RANGES ranges.
 */
/*@ requires \valid_read(net + (0 .. n - 1)) && \valid(all + (0 .. n - 1));
    requires \valid(out + (0 .. n - 1)) && \valid(failed);
    requires rules: \forall integer k; 0 <= k < n ==> net[k].prefix <= 128 && net[k].op <= 255;
    requires \separated(all + (0 .. n - 1), net + (0 .. n - 1), out + (0 .. n - 1), failed);
    requires blocks: \base_addr(all) != \base_addr(net) && \base_addr(out) != \base_addr(net) &&
      \base_addr(all) != \base_addr(out);
    assigns all[0 .. n - 1], out[0 .. n - 1], *failed;
    ensures failed: \result != 0 ==> *failed < n;
    ensures entries: \result == 0 ==> net_entries{Pre, Post}(net, n, out);
*/
static int nets_group(const struct net_rule *net, size_t n, struct port_span *all,
		      struct compiled_net *out, size_t *failed)
{
	/*@ loop invariant 0 <= i <= n;
	    loop invariant same: \forall integer r; 0 <= r < n ==> same_rule{Pre, Here}(net + r);
	    loop invariant keyed: \forall integer r; 0 <= r < i ==> key_at{Here, Pre}(&out[r].key, net + r);
	    loop invariant ports: \forall integer r, port; 0 <= r < i ==>
	      (port_in(&out[r].rule, port) <==> allow_at{Here, Pre}(net, n, &out[r].key, port));
	    loop assigns i, all[0 .. n - 1], out[0 .. n - 1];
	    loop variant n - i;
	*/
	for (size_t i = 0; i != n; i++) {
		if (net_entry(net, n, &net[i], all, out, i)) {
			*failed = i;
			return -1;
		}
		/*@ assert rules_kept: \forall integer r; 0 <= r < n ==> same_rule{LoopCurrent, Here}(net + r); */
		/*@ assert others: \forall integer r; 0 <= r < i ==> same_entry{LoopCurrent, Here}(out + r); */
		/*@ assert keyed_new: key_at{Here, Pre}(&out[i].key, net + i); */
		/*@ assert keyed_old: \forall integer r; 0 <= r < i ==> key_at{Here, Pre}(&out[r].key, net + r); */
		/*@ assert ports_new: \forall integer port;
		      port_in(&out[i].rule, port) <==> allow_at{Here, Pre}(net, n, &out[i].key, port);
		*/
		/*@ assert ports_old: \forall integer r, port; 0 <= r < i ==>
		      (port_in(&out[r].rule, port) <==> allow_at{Here, Pre}(net, n, &out[r].key, port));
		*/
	}
	return 0;
}

static int net_compile(const struct profile *p, struct compiled *out)
{
	struct port_span *all;
	const struct net_rule *r;
	char where[64];
	size_t bad;

	if (!p->nnet)
		return 0;
	out->net = calloc(p->nnet, sizeof(*out->net));
	all = calloc(p->nnet, sizeof(*all));
	if (!out->net || !all) {
		free(all);
		return stk_fail("out of memory");
	}
	if (nets_group(p->net, p->nnet, all, out->net, &bad)) {
		free(all);
		r = &p->net[bad];
		addr_format(r->addr, r->prefix, where, sizeof(where));
		return stk_fail("%s %s %s: more than %d separate port ranges apply; merge some",
				net_op_name(r->op), proto_name(r->proto), where, STK_PORT_RANGES);
	}
	free(all);
	out->nnet = p->nnet;
	return 0;
}

/*
 * A rule, which of its entries it goes into, and that entry's index. The
 * versions flag is an int, not a bool: Frama-C's WP keeps all values of one
 * C type in one memory, so a bool here would share the entries' versions
 * flags' memory, and the proof would need separation at every write to see
 * it unchanged.
 */
struct placed {
	const struct file_rule *r;
	int versions; /* 0: the path's own entry; 1: its stem's (versions rule) */
	size_t entry;
};

/*
 * The order of the entries: by path as strcmp() orders strings, then a
 * path's own entry before its versions entry. strcmp()'s sign is that of
 * the first byte where two strings differ (C11 7.24.4): a total order on
 * what the strings hold, which two axioms state (Frama-C's libc says only
 * when it is 0). docs/proof.md lists them among the assumptions.
 */
/*@ axiomatic StrcmpOrder {
      axiom strcmp_flip{L}: \forall char *a, *b; strcmp(a, b) < 0 <==> strcmp(b, a) > 0;
      axiom strcmp_trans{L}: \forall char *a, *b, *c;
        strcmp(a, b) <= 0 && strcmp(b, c) <= 0 ==> strcmp(a, c) <= 0;
    }

    predicate same_key{L}(char *a, integer va, char *b, integer vb) =
      strcmp(a, b) == 0 && (va != 0 <==> vb != 0);
    predicate key_le{L}(char *a, integer va, char *b, integer vb) =
      strcmp(a, b) < 0 || (strcmp(a, b) == 0 && (va != 0 ==> vb != 0));
    predicate key_lt{L}(char *a, integer va, char *b, integer vb) =
      strcmp(a, b) < 0 || (strcmp(a, b) == 0 && va == 0 && vb != 0);

    lemma same_key_sym{L}: \forall char *a, *b, integer va, vb;
      same_key(a, va, b, vb) ==> same_key(b, vb, a, va);
    lemma same_key_trans{L}: \forall char *a, *b, *c, integer va, vb, vc;
      same_key(a, va, b, vb) && same_key(b, vb, c, vc) ==> same_key(a, va, c, vc);
    lemma key_le_trans{L}: \forall char *a, *b, *c, integer va, vb, vc;
      key_le(a, va, b, vb) && key_le(b, vb, c, vc) ==> key_le(a, va, c, vc);
    lemma key_lt_le{L}: \forall char *a, *b, integer va, vb;
      key_lt(a, va, b, vb) <==> key_le(a, va, b, vb) && !same_key(a, va, b, vb);
    lemma key_lt_trans{L}: \forall char *a, *b, *c, integer va, vb, vc;
      key_lt(a, va, b, vb) && key_le(b, vb, c, vc) ==> key_lt(a, va, c, vc);
    lemma key_le_antisym{L}: \forall char *a, *b, integer va, vb;
      key_le(a, va, b, vb) && key_le(b, vb, a, va) ==> same_key(a, va, b, vb);
    lemma key_lt_trans2{L}: \forall char *a, *b, *c, integer va, vb, vc;
      key_lt(a, va, b, vb) && key_lt(b, vb, c, vc) ==> key_lt(a, va, c, vc);
    lemma key_lt_same{L}: \forall char *a, *b, *c, integer va, vb, vc;
      same_key(a, va, b, vb) ==> (key_lt(a, va, c, vc) <==> key_lt(b, vb, c, vc));
    lemma key_le_same{L}: \forall char *a, *b, *c, integer va, vb, vc;
      same_key(a, va, b, vb) ==> (key_le(a, va, c, vc) <==> key_le(b, vb, c, vc));

    // all[0 .. n - 1] in the order of the entries (placed_sort()).
    predicate sorted{L}(struct placed *all, integer n) =
      \forall integer i, j; 0 <= i < j < n ==>
        key_le(all[i].r->path, all[i].versions, all[j].r->path, all[j].versions);

*/

/*@ requires \valid_read(x) && \valid_read(y) && \valid_read(x->r) && \valid_read(y->r);
    requires valid_read_string(x->r->path) && valid_read_string(y->r->path);
    requires 0 <= x->versions <= 1 && 0 <= y->versions <= 1;
    assigns \nothing;
    ensures \result == 0 <==> same_key(x->r->path, x->versions, y->r->path, y->versions);
*/
static int placed_order(const struct placed *x, const struct placed *y)
{
	int c = strcmp(x->r->path, y->r->path);

	return c ? c : x->versions - y->versions;
}

static int placed_cmp(const void *a, const void *b)
{
	return placed_order(a, b);
}

/*@ // files[i] goes into its path's entry (v 0) and, a versions rule, into
    // its stem's (v 1).
    predicate placed_as{L}(struct file_rule *files, integer i, integer v) =
      v == 0 || (v == 1 && files[i].versions);
    // Which of files[] r is. (A function, not \exists: provers follow it
    // through a chain of steps without having to find the index.)
    logic integer rule_index(struct file_rule *files, struct file_rule *r) = r - files;
    lemma rule_index_of: \forall struct file_rule *files, integer i; rule_index(files, files + i) == i;
    // Rule r placed with versions flag v is one of files[0 .. n - 1], placed as it goes.
    predicate placed_from{L}(struct file_rule *files, integer n, struct file_rule *r, integer v) =
      \let i = rule_index(files, r); 0 <= i < n && r == files + i && placed_as(files, i, v);
*/

/* Place files[i] at all[got], into its path's entry (v 0) or its stem's. */
/*@ requires \valid(all + got) && \valid_read(files + i);
    requires \separated(all + got, files + i);
    assigns all[got].r, all[got].versions;
    ensures placed: all[got].r == files + i && all[got].versions == v;
    ensures others: \forall integer j; j != got ==> all[j] == \old(all[j]);
*/
static void rule_place(struct placed *all, size_t got, const struct file_rule *files, size_t i, int v)
{
	all[got].r = &files[i];
	all[got].versions = v;
}

/*
 * Each of files[0 .. n - 1] once, for its path's entry, and a versions
 * rule a second time, for its stem's entry (STK_PROFILE_VERSIONS).
 */
/*@ requires \valid_read(files + (0 .. n - 1)) && \valid(all + (0 .. 2 * n - 1)) && 2 * n <= SIZE_MAX;
    requires \separated(all + (0 .. 2 * n - 1), files + (0 .. n - 1));
    assigns all[0 .. 2 * n - 1].r, all[0 .. 2 * n - 1].versions;
    ensures count: \result <= 2 * n;
    ensures from: \forall integer j; 0 <= j < \result ==> placed_from(files, n, all[j].r, all[j].versions);
    ensures each: \forall integer i, v; 0 <= i < n && placed_as(files, i, v) ==>
      \exists integer j; 0 <= j < \result && all[j].r == files + i && all[j].versions == v;
*/
static size_t rules_place(const struct file_rule *files, size_t n, struct placed *all)
{
	size_t got = 0;

	/*@ loop invariant 0 <= i <= n && 0 <= got <= 2 * i;
	    loop invariant from: \forall integer j; 0 <= j < got ==> placed_from(files, n, all[j].r, all[j].versions);
	    loop invariant each: \forall integer k, v; 0 <= k < i && placed_as(files, k, v) ==>
	      \exists integer j; 0 <= j < got && all[j].r == files + k && all[j].versions == v;
	    loop assigns i, got, all[0 .. 2 * n - 1].r, all[0 .. 2 * n - 1].versions;
	    loop variant n - i;
	*/
	for (size_t i = 0; i != n; i++) {
		rule_place(all, got++, files, i, 0);
		if (files[i].versions)
			rule_place(all, got++, files, i, 1);
		/*@ assert kept: \forall integer j; 0 <= j < \at(got, LoopCurrent) ==> all[j] == \at(all[j], LoopCurrent); */
		/*@ assert own: \let g = \at(got, LoopCurrent); all[g].r == files + i && all[g].versions == 0; */
		/*@ assert stem: \let g = \at(got, LoopCurrent); files[i].versions ==>
		      got == g + 2 && all[g + 1].r == files + i && all[g + 1].versions == 1;
		*/
		/*@ assert no_stem: !files[i].versions ==> got == \at(got, LoopCurrent) + 1; */
		/*@ assert from_new: \forall integer j; \at(got, LoopCurrent) <= j < got ==> placed_from(files, n, all[j].r, all[j].versions); */
		/*@ assert each_i: \forall integer v; placed_as(files, i, v) ==>
		      \exists integer j; 0 <= j < got && all[j].r == files + i && all[j].versions == v;
		*/
		/*@ assert each_old: \forall integer k, v; 0 <= k < i && placed_as(files, k, v) ==>
		      \exists integer j; 0 <= j < got && all[j].r == files + k && all[j].versions == v;
		*/
	}
	return got;
}

/*@ predicate placements{L}(struct placed *all, integer n) =
      \forall integer i; 0 <= i < n ==>
        \valid_read(all[i].r) && valid_read_string(all[i].r->path) && 0 <= all[i].versions <= 1;
*/

/*@ axiomatic Moved {
      // Where placed_sort() moved all[i] to, and where all[j] came from:
      // qsort() permutes. (Functions, not \exists: a prover follows them
      // from one step to the next without finding a witness.)
      logic integer moved_to{L1, L2}(struct placed *all, integer n, integer i);
      logic integer moved_from{L1, L2}(struct placed *all, integer n, integer j);
    }
*/

/*
 * In the order of the entries: each (path, versions) then is one run.
 * Assumed, not proved: qsort() sorts by placed_cmp(), which orders as
 * key_le() does, and moves the elements without changing them.
 */
/*@ requires \valid(all + (0 .. n - 1));
    requires placements(all, n);
    assigns all[0 .. n - 1].r, all[0 .. n - 1].versions, all[0 .. n - 1].entry;
    ensures sorted: sorted(all, n);
    ensures moved: \forall integer i; 0 <= i < n ==> \let j = moved_to{Pre, Post}(all, n, i);
      0 <= j < n && all[j].r == \old(all[i].r) && all[j].versions == \old(all[i].versions);
    ensures only: \forall integer j; 0 <= j < n ==> \let i = moved_from{Pre, Post}(all, n, j);
      0 <= i < n && all[j].r == \old(all[i].r) && all[j].versions == \old(all[i].versions);
*/
static void placed_sort(struct placed *all, size_t n)
{
	qsort(all, n, sizeof(*all), placed_cmp);
}

/*@ // all[0 .. n - 1] numbered by runs 0 .. m - 1, in order, none skipped.
    predicate numbered{L}(struct placed *all, integer n, integer m) =
      (n == 0 <==> m == 0) &&
      (n > 0 ==> all[0].entry == 0 && all[n - 1].entry == m - 1) &&
      (\forall integer i, j; 0 <= i <= j < n ==> 0 <= all[i].entry <= all[j].entry && all[i].entry <= i) &&
      (\forall integer i; 0 < i < n ==>
        all[i].entry == all[i - 1].entry || all[i].entry == all[i - 1].entry + 1);
    // How many runs numbered all[0 .. n - 1] has.
    logic integer runs{L}(struct placed *all, integer n) = n > 0 ? all[n - 1].entry + 1 : 0;
    // Placements in one run have the same (path, versions); a run before
    // another holds placements before its.
    predicate runs_keyed{L}(struct placed *all, integer n) =
      \forall integer i, j; 0 <= i < j < n ==>
        all[i].entry <= all[j].entry &&
        (all[i].entry == all[j].entry ==>
          same_key(all[i].r->path, all[i].versions, all[j].r->path, all[j].versions)) &&
        (all[i].entry < all[j].entry ==>
          key_lt(all[i].r->path, all[i].versions, all[j].r->path, all[j].versions));
*/

/*
 * Number the runs of one (path, versions) in sorted all[0 .. n - 1]: each
 * placement's entry is the index of its run. Returns how many runs.
 */
/*@ requires \valid(all + (0 .. n - 1));
    requires placements(all, n);
    requires sorted(all, n);
    assigns all[0 .. n - 1].entry;
    ensures numbered: numbered(all, n, \result);
    ensures keyed: runs_keyed(all, n);
*/
static size_t runs_number(struct placed *all, size_t n)
{
	size_t m = 0;

	/*@ loop invariant 0 <= i <= n && 0 <= m <= i && (i == 0 <==> m == 0);
	    loop invariant numbered(all, i, m);
	    loop invariant keyed: runs_keyed(all, i);
	    loop assigns i, m, all[0 .. n - 1].entry;
	    loop variant n - i;
	*/
	for (size_t i = 0; i < n; i++) {
		if (!i || placed_order(&all[i - 1], &all[i]))
			m++;
		all[i].entry = m - 1;
	}
	return m;
}

/*@ // out[0 .. m - 1] in the order of the entries, no two alike.
    predicate increasing{L}(struct compiled_rule *out, integer m) =
      \forall integer k, l; 0 <= k < l < m ==>
        key_lt(out[k].path, out[k].versions, out[l].path, out[l].versions);
    // Entry e holds every bit of access in field route. The caller reads
    // the rule's access and route where it says (\at): the entries' writes
    // leave the rules as they were only by separation.
    predicate holds{L}(struct compiled_rule *e, integer access, integer route) =
      \forall integer b; 0 <= b < 8 && has_bit((__u8)access, b) ==> has_bit(field(&e->rule, route), b);
    // Every bit of v, field f of entry k, comes from one of the placements
    // all[0 .. i - 1] of run k that route their bits to field f.
    predicate from_run{L}(struct placed *all, integer i, integer k, integer f, integer v) =
      \forall integer b; 0 <= b < 8 && has_bit(v, b) ==>
        \exists integer j; 0 <= j < i && all[j].entry == k &&
          route(all[j].r, all[j].versions) == f && has_bit((__u8)all[j].r->access, b);
    // from_run(), the placements read at L2 and their rules at L1.
    predicate from_placed{L1, L2}(struct placed *all, integer i, integer k, integer f, integer v) =
      \forall integer b; 0 <= b < 8 && has_bit(v, b) ==>
        \exists integer j; 0 <= j < i && \at(all[j].entry, L2) == k &&
          \let r = \at(all[j].r, L2); \let s = \at(all[j].versions, L2);
          route{L1}(r, s) == f && has_bit((__u8)\at(r->access, L1), b);
    // Placements the same at L2 as at L1: from_run() at L1 is from_placed().
    lemma run_placed{L1, L2}: \forall struct placed *all, integer n, k, f, v;
      from_run{L1}(all, n, k, f, v) &&
      (\forall integer j; 0 <= j < n ==> \at(all[j].r, L2) == \at(all[j].r, L1) &&
        \at(all[j].entry, L2) == \at(all[j].entry, L1) && \at(all[j].versions, L2) == \at(all[j].versions, L1)) ==>
      from_placed{L1, L2}(all, n, k, f, v);
    lemma from_more{L}: \forall struct placed *all, integer i, i2, k, f, v;
      i <= i2 && from_run(all, i, k, f, v) ==> from_run(all, i2, k, f, v);
*/

/* Name entry out[k] with placement p's path and versions flag. */
/*@ requires \valid_read(p) && \valid_read(p->r) && \valid(out + k);
    requires \separated(out + k, p) && \separated(out + k, p->r);
    assigns out[k].path, out[k].versions;
    ensures named: out[k].path == \old(p->r->path) && out[k].versions == (p->versions != 0);
    ensures others: \forall integer j; j != k ==>
      out[j].path == \old(out[j].path) && out[j].versions == \old(out[j].versions);
*/
static void entry_name(struct compiled_rule *out, size_t k, const struct placed *p)
{
	out[k].path = p->r->path;
	out[k].versions = p->versions;
}

/*
 * Name the entry of each run of numbered all[0 .. n - 1] with its first
 * placement's path and versions flag.
 */
/*@ requires \valid_read(all + (0 .. n - 1)) && \valid(out + (0 .. n - 1));
    requires placements(all, n) && numbered(all, n, runs(all, n)) && runs_keyed(all, n);
    requires \forall integer i; 0 <= i < n ==> \separated(all[i].r, out + (0 .. n - 1));
    requires \separated(all + (0 .. n - 1), out + (0 .. n - 1));
    assigns out[0 .. n - 1].path, out[0 .. n - 1].versions;
    ensures keyed: \forall integer i; 0 <= i < n ==>
      same_key(\old(all[i].r->path), all[i].versions, out[all[i].entry].path, out[all[i].entry].versions);
    ensures increasing: increasing(out, runs(all, n));
*/
static void entries_name(const struct placed *all, size_t n, struct compiled_rule *out)
{
	size_t made = 0;

	/*@ loop invariant 0 <= i <= n && made == runs(all, i);
	    loop invariant keyed: \forall integer j; 0 <= j < i ==>
	      same_key(\at(all[j].r->path, Pre), all[j].versions, out[all[j].entry].path, out[all[j].entry].versions);
	    loop invariant increasing: increasing(out, made);
	    loop assigns i, made, out[0 .. n - 1].path, out[0 .. n - 1].versions;
	    loop variant n - i;
	*/
	for (size_t i = 0; i != n; i++) {
		/*@ assert made_is: i > 0 ==> all[i - 1].entry + 1 == made; */
		/*@ assert mono: \forall integer j; 0 <= j < i ==> all[j].entry <= all[i - 1].entry; */
		/*@ assert earlier: \forall integer j; 0 <= j < i ==> all[j].entry < made; */
		/*@ assert next: all[i].entry < n && (all[i].entry == made || all[i].entry + 1 == made); */
		/*@ assert same_r: \let j = i; all[j].r == \at(all[j].r, Pre) && all[j].r->path == \at(all[j].r->path, Pre); */
		/*@ assert after_last: \let j = i; j > 0 && all[j].entry == made ==>
		      key_lt(out[made - 1].path, out[made - 1].versions, \at(all[j].r->path, Pre), all[j].versions);
		*/
		/* Runs are numbered in order: the first of run k comes after k entries. */
		if (all[i].entry == made)
			entry_name(out, made++, &all[i]);
		/*@ assert others: \forall integer k; 0 <= k < \at(made, LoopCurrent) ==>
		      out[k].path == \at(out[k].path, LoopCurrent) && out[k].versions == \at(out[k].versions, LoopCurrent);
		*/
		/*@ assert named_i: \let j = i; all[j].entry == \at(made, LoopCurrent) ==>
		      out[all[j].entry].path == \at(all[j].r->path, Pre) && out[all[j].entry].versions == (all[j].versions != 0);
		*/
		/*@ assert increasing_old: increasing(out, \at(made, LoopCurrent)); */
		/*@ assert new_last: all[i].entry == \at(made, LoopCurrent) ==> \forall integer k; 0 <= k < \at(made, LoopCurrent) ==>
		      key_lt(out[k].path, out[k].versions, out[all[i].entry].path, out[all[i].entry].versions);
		*/
		/*@ assert keyed_i: \let j = i;
		      same_key(\at(all[j].r->path, Pre), all[j].versions, out[all[j].entry].path, out[all[j].entry].versions);
		*/
		/*@ assert keyed_rest: \forall integer j; 0 <= j < i ==>
		      same_key(\at(all[j].r->path, Pre), all[j].versions, out[all[j].entry].path, out[all[j].entry].versions);
		*/
	}
}

/* Fold placement p's rule into its run's entry, out[p->entry]. */
/*@ requires \valid_read(p) && \valid_read(p->r) && \valid(out + p->entry);
    requires \separated(&out[p->entry].rule, p) && \separated(&out[p->entry].rule, p->r);
    assigns out[p->entry].rule;
    ensures others: \forall integer k, f; k != p->entry ==> field(&out[k].rule, f) == \old(field(&out[k].rule, f));
    ensures bits: \forall integer f, b; 0 <= f < 4 && 0 <= b < 8 ==>
      (has_bit(field(&out[p->entry].rule, f), b) <==>
       has_bit(\old(field(&out[p->entry].rule, f)), b) ||
       (f == \old(route(p->r, p->versions)) && has_bit((__u8)\old(p->r->access), b)));
*/
static void placed_fold(struct compiled_rule *out, const struct placed *p)
{
	rule_fold(&out[p->entry].rule, p->r, p->versions);
}

/* Fold each placement's rule into its run's entry. */
/*@ requires \valid_read(all + (0 .. n - 1)) && \valid(out + (0 .. n - 1));
    requires placements(all, n) && numbered(all, n, runs(all, n));
    requires \forall integer i; 0 <= i < n ==> \separated(all[i].r, out + (0 .. n - 1));
    requires \separated(all + (0 .. n - 1), out + (0 .. n - 1));
    requires empty: \forall integer k, f; 0 <= k < runs(all, n) ==> field(&out[k].rule, f) == 0;
    assigns out[0 .. n - 1].rule;
    ensures kept: \forall integer i; 0 <= i < n ==>
      holds(out + all[i].entry, \old(all[i].r->access), \old(route(all[i].r, all[i].versions)));
    ensures only: \forall integer k, f; 0 <= k < runs(all, n) && 0 <= f < 4 ==>
      from_run{Pre}(all, n, k, f, field(&out[k].rule, f));
*/
static void entries_fold(const struct placed *all, size_t n, struct compiled_rule *out)
{
	/*@ loop invariant 0 <= i <= n;
	    loop invariant kept: \forall integer j; 0 <= j < i ==>
	      holds(out + all[j].entry, \at(all[j].r->access, Pre), \at(route(all[j].r, all[j].versions), Pre));
	    loop invariant only: \forall integer k, f; 0 <= k < runs(all, n) && 0 <= f < 4 ==>
	      from_run{Pre}(all, i, k, f, field(&out[k].rule, f));
	    loop assigns i, out[0 .. n - 1].rule;
	    loop variant n - i;
	*/
	for (size_t i = 0; i != n; i++) {
		/*@ assert mono: all[i].entry <= all[n - 1].entry < n; */
		/*@ assert in_out: \valid(&out[all[i].entry].rule) && \separated(&out[all[i].entry].rule, all + i); */
		/*@ assert apart: \separated(&out[all[i].entry].rule, all[i].r); */
		/*@ assert same_i: \let j = i; all[j].r == \at(all[j].r, Pre) && all[j].r->access == \at(all[j].r->access, Pre) &&
		      route(all[j].r, all[j].versions) == \at(route(all[j].r, all[j].versions), Pre);
		*/
		placed_fold(out, &all[i]);
		/*@ assert grown_holds: \forall integer a, f; 0 <= f < 4 &&
		      holds{LoopCurrent}(out + all[i].entry, a, f) ==> holds(out + all[i].entry, a, f);
		*/
		/*@ assert kept_i: \let j = i;
		      holds(out + all[j].entry, \at(all[j].r->access, Pre), \at(route(all[j].r, all[j].versions), Pre));
		*/
		/*@ assert kept_same: \forall integer j; 0 <= j < i && all[j].entry == all[i].entry ==>
		      holds(out + all[j].entry, \at(all[j].r->access, Pre), \at(route(all[j].r, all[j].versions), Pre));
		*/
		/*@ assert kept_other: \forall integer j; 0 <= j < i && all[j].entry != all[i].entry ==>
		      holds(out + all[j].entry, \at(all[j].r->access, Pre), \at(route(all[j].r, all[j].versions), Pre));
		*/
		/*@ assert only_other: \forall integer k, f; 0 <= k < runs(all, n) && k != all[i].entry && 0 <= f < 4 ==>
		      from_run{Pre}(all, i, k, f, field(&out[k].rule, f));
		*/
		/*@ assert only_other_more: \forall integer k, f; 0 <= k < runs(all, n) && k != all[i].entry && 0 <= f < 4 ==>
		      from_run{Pre}(all, i + 1, k, f, field(&out[k].rule, f));
		*/
		/*@ assert only_old: \forall integer f; 0 <= f < 4 ==>
		      from_run{Pre}(all, i + 1, all[i].entry, f, \at(field(&out[all[i].entry].rule, f), LoopCurrent));
		*/
		/*@ assert only_i: \forall integer f; 0 <= f < 4 ==>
		      from_run{Pre}(all, i + 1, all[i].entry, f, field(&out[all[i].entry].rule, f));
		*/
	}
}

/*
 * One entry for each run of numbered all[0 .. n - 1], in the order of the
 * runs: its (path, versions), and every bit of the run's rules where
 * rule_fold() routes it, and no other bit. The entries start zeroed
 * (calloc()). With runs_number(), this is what the kernel's rule maps
 * hold: docs/proof.md.
 */
/*@ requires \valid_read(all + (0 .. n - 1)) && \valid(out + (0 .. n - 1));
    requires placements(all, n) && numbered(all, n, runs(all, n)) && runs_keyed(all, n);
    requires \forall integer i; 0 <= i < n ==> \separated(all[i].r, out + (0 .. n - 1));
    requires \separated(all + (0 .. n - 1), out + (0 .. n - 1));
    requires zeroed: \forall integer k, f; 0 <= k < n ==> field(&out[k].rule, f) == 0;
    assigns out[0 .. n - 1].path, out[0 .. n - 1].versions, out[0 .. n - 1].rule;
    ensures keyed: \forall integer i; 0 <= i < n ==>
      same_key(\old(all[i].r->path), all[i].versions, out[all[i].entry].path, out[all[i].entry].versions);
    ensures increasing: increasing(out, runs(all, n));
    ensures kept: \forall integer i; 0 <= i < n ==>
      holds(out + all[i].entry, \old(all[i].r->access), \old(route(all[i].r, all[i].versions)));
    ensures only: \forall integer k, f; 0 <= k < runs(all, n) && 0 <= f < 4 ==>
      from_placed{Pre, Post}(all, n, k, f, field(&out[k].rule, f));
    ensures placed: \forall integer j; 0 <= j < n ==> all[j].r == \old(all[j].r);
*/
static void entries_group(const struct placed *all, size_t n, struct compiled_rule *out)
{
	entries_fold(all, n, out);
	entries_name(all, n, out);
	/*@ assert placed_same: \forall integer j; 0 <= j < n ==> all[j].r == \at(all[j].r, Pre); */
}

/*@ // Numbered placements are in runs 0 .. m - 1.
    lemma numbered_range{L}: \forall struct placed *all, integer n, m, j;
      numbered(all, n, m) && 0 <= j < n ==> 0 <= all[j].entry < m;
*/

/*@ // A rule with a valid path, placed, is a valid placement.
    lemma from_placement{L}: \forall struct file_rule *files, integer n, struct file_rule *r, integer v;
      placed_from(files, n, r, v) && \valid_read(files + (0 .. n - 1)) &&
      (\forall integer i; 0 <= i < n ==> valid_read_string(files[i].path)) ==>
      \valid_read(r) && valid_read_string(r->path) && 0 <= v <= 1;
*/

/*@ // Entry e (key path, versions) has a bit of field f only where a rule of
    // files[0 .. n - 1] with that key routes it there.
    predicate from_rules{L1, L2}(struct file_rule *files, integer n, char *path, integer versions,
                                 integer f, integer v) =
      \forall integer b; 0 <= b < 8 && has_bit(v, b) ==>
        \exists integer i, s; 0 <= i < n && placed_as{L1}(files, i, s) &&
          same_key{L2}(\at(files[i].path, L1), s, path, versions) &&
          route{L1}(files + i, s) == f && has_bit((__u8)\at(files[i].access, L1), b);
    // Placements all[0 .. m - 1] (at L2) are of rules of files[0 .. n - 1]
    // (at L1), each placed as it goes.
    predicate rules_placed{L1, L2}(struct file_rule *files, integer n, struct placed *all, integer m) =
      \forall integer j; 0 <= j < m ==>
        \let s = \at(all[j].versions, L2); \let i = rule_index(files, \at(all[j].r, L2));
        0 <= i < n && \at(all[j].r, L2) == files + i && placed_as{L1}(files, i, s);
    // Each placement's rule (its path at L1) has the key of the placement's
    // entry in out (at L2).
    predicate keyed_as{L1, L2}(struct file_rule *files, integer n, struct placed *all, integer m,
                               struct compiled_rule *out) =
      \forall integer i, j; 0 <= i < n && 0 <= j < m && \at(all[j].r, L2) == files + i ==>
        \let e = \at(all[j].entry, L2);
        same_key{L2}(\at(files[i].path, L1), \at(all[j].versions, L2), \at(out[e].path, L2), \at(out[e].versions, L2));
    // A bit of entry k that comes from its run (from_placed()) comes from
    // a rule with entry k's key (from_rules()).
    lemma run_rules{L1, L2}: \forall struct file_rule *files, struct placed *all, struct compiled_rule *out,
                                     integer n, m, k, f, v;
      from_placed{L1, L2}(all, m, k, f, v) &&
      rules_placed{L1, L2}(files, n, all, m) && keyed_as{L1, L2}(files, n, all, m, out) ==>
      from_rules{L1, L2}(files, n, \at(out[k].path, L2), \at(out[k].versions, L2), f, v);
*/

/*
 * Place each of files[0 .. n - 1] (rules_place()) and sort the placements
 * (placed_sort()): how many there are.
 */
/*@ requires \valid_read(files + (0 .. n - 1)) && \valid(all + (0 .. 2 * n - 1)) && 2 * n <= SIZE_MAX;
    requires paths: \forall integer i; 0 <= i < n ==> valid_read_string(files[i].path);
    requires blocks: \base_addr(all) != \base_addr(files);
    assigns all[0 .. 2 * n - 1].r, all[0 .. 2 * n - 1].versions, all[0 .. 2 * n - 1].entry;
    ensures count: \result <= 2 * n;
    ensures sorted: sorted(all, \result);
    ensures placements: placements(all, \result);
    ensures from: \forall integer j; 0 <= j < \result ==> placed_from(files, n, all[j].r, all[j].versions);
    ensures each: \forall integer i, v; 0 <= i < n && placed_as(files, i, v) ==>
      \exists integer j; 0 <= j < \result && all[j].r == files + i && all[j].versions == v;
*/
static size_t files_place(const struct file_rule *files, size_t n, struct placed *all)
{
	size_t placed = rules_place(files, n, all);

	/*@ assert placed_paths: \forall integer j; 0 <= j < placed ==>
	      \valid_read(all[j].r) && valid_read_string(all[j].r->path) && 0 <= all[j].versions <= 1;
	*/
	placed_sort(all, placed);
	/*@ assert sorted_from: \forall integer j; 0 <= j < placed ==> placed_from(files, n, all[j].r, all[j].versions); */
	/*@ assert sorted_rules: \forall integer i; 0 <= i < n ==> valid_read_string(files[i].path); */
	/*@ assert sorted_paths: \forall integer j; 0 <= j < placed ==>
	      \valid_read(all[j].r) && valid_read_string(all[j].r->path) && 0 <= all[j].versions <= 1;
	*/
	return placed;
}

/*
 * The theorem the four steps prove together: out[0 .. m - 1] (m returned)
 * are the entries of files[0 .. n - 1] in the order of their keys, each
 * holding every bit its rules route to it and no other. all has room for
 * the placements; out starts zeroed (calloc()). docs/proof.md, "The
 * assembly".
 */
/*@ requires \valid_read(files + (0 .. n - 1)) && 2 * n <= SIZE_MAX;
    requires \valid(all + (0 .. 2 * n - 1)) && \valid(out + (0 .. 2 * n - 1));
    requires paths: \forall integer i; 0 <= i < n ==> valid_read_string(files[i].path);
    requires blocks: \base_addr(all) != \base_addr(files) && \base_addr(out) != \base_addr(files) &&
      \base_addr(all) != \base_addr(out);
    requires zeroed: \forall integer k, f; 0 <= k < 2 * n ==> field(&out[k].rule, f) == 0;
    assigns all[0 .. 2 * n - 1].r, all[0 .. 2 * n - 1].versions, all[0 .. 2 * n - 1].entry;
    assigns out[0 .. 2 * n - 1].path, out[0 .. 2 * n - 1].versions, out[0 .. 2 * n - 1].rule;
    ensures count: \result <= 2 * n;
    ensures increasing: increasing(out, \result);
    ensures every: \forall integer i, v; 0 <= i < n && \old(placed_as(files, i, v)) ==>
      \exists integer k; 0 <= k < \result &&
        same_key(\old(files[i].path), v, out[k].path, out[k].versions) &&
        holds(out + k, \old(files[i].access), \old(route(files + i, v)));
    ensures only: \forall integer k, f; 0 <= k < \result && 0 <= f < 4 ==>
      from_rules{Pre, Post}(files, n, out[k].path, out[k].versions, f, field(&out[k].rule, f));
*/
static size_t files_group(const struct file_rule *files, size_t n, struct placed *all,
			  struct compiled_rule *out)
{
	size_t placed = files_place(files, n, all);
	size_t m = runs_number(all, placed);

	/*@ assert m_runs: m == runs(all, placed); */
	/*@ assert numbered_range: \forall integer j; 0 <= j < placed ==> all[j].entry < m; */
	/*@ assert apart: \forall integer j; 0 <= j < placed ==> \separated(all[j].r, out + (0 .. placed - 1)); */
	/*@ assert out_apart: \separated(all + (0 .. placed - 1), out + (0 .. placed - 1)); */
	/*@ assert rules_same: \forall integer i; 0 <= i < n ==>
	      files[i].path == \at(files[i].path, Pre) && files[i].access == \at(files[i].access, Pre) &&
	      files[i].deny == \at(files[i].deny, Pre) && files[i].subtree == \at(files[i].subtree, Pre) &&
	      files[i].versions == \at(files[i].versions, Pre);
	*/
	entries_group(all, placed, out);
	/*@ assert grouped_each: \forall integer i, v; 0 <= i < n && \at(placed_as(files, i, v), Pre) ==>
	      \exists integer j; 0 <= j < placed && all[j].r == files + i && all[j].versions == v;
	*/
	/*@ assert grouped_from: rules_placed{Pre, Here}(files, n, all, placed); */
	/*@ assert grouped_key: keyed_as{Pre, Here}(files, n, all, placed, out); */
	/*@ assert grouped_holds: \forall integer i, j; 0 <= i < n && 0 <= j < placed && all[j].r == files + i ==>
	      \let v = all[j].versions; holds(out + all[j].entry, \at(files[i].access, Pre), \at(route(files + i, v), Pre));
	*/
	return m;
}

/*
 * One map entry per path, folding the rules of every list that name it;
 * a versions rule also covers its own path, and its stem has an entry of
 * its own (STK_PROFILE_VERSIONS).
 */
static int files_compile(const struct profile *p, struct compiled *out)
{
	struct placed *all;

	if (!p->nfiles)
		return 0;
	out->rules = calloc(2 * p->nfiles, sizeof(*out->rules));
	all = calloc(2 * p->nfiles, sizeof(*all));
	if (!out->rules || !all) {
		free(all);
		return stk_fail("out of memory");
	}
	out->n = files_group(p->files, p->nfiles, all, out->rules);
	free(all);
	return 0;
}

int rules_compile(const struct profile *p, struct compiled *out)
{
	memset(out, 0, sizeof(*out));
	out->grants = (struct stk_grants){
		.privileges = p->privileges,
		.netlink = p->netlink,
		.capabilities = p->capabilities,
		.families = p->families,
	};
	if (net_compile(p, out) || files_compile(p, out)) {
		compiled_free(out);
		return -1;
	}
	return 0;
}

/*@ requires \valid_read(r) && id < STK_PROFILE_VERSIONS;
    assigns \nothing;
    ensures \result == (r->versions ? (id | STK_PROFILE_VERSIONS) : id);
*/
static uint32_t key_profile(const struct compiled_rule *r, uint32_t id)
{
	return r->versions ? id | STK_PROFILE_VERSIONS : id;
}

/*
 * The path part of an entry's key: the path, zero-padded to its length
 * class, byte for byte the key the kernel's walk looks that level up with
 * (key_holds, bpf/keys.h).
 */
/*@ requires 1 <= len < STK_PATH_MAX;
    requires \valid(key + (0 .. key_class(len) - 1)) && \valid_read(path + (0 .. len - 1));
    requires \separated(key + (0 .. key_class(len) - 1), path + (0 .. len - 1));
    assigns key[0 .. key_class(len) - 1];
    ensures padded: key_holds(key, path, len);
*/
static void key_pad(char *key, const char *path, uint32_t len)
{
	uint32_t class = stk_key_class(len), i;

	/*@ loop invariant 0 <= i <= len;
	    loop invariant \forall integer j; 0 <= j < i ==> key[j] == path[j];
	    loop assigns i, key[0 .. len - 1];
	    loop variant len - i;
	*/
	for (i = 0; i < len; i++)
		key[i] = path[i];
	/*@ loop invariant len <= i <= class;
	    loop invariant \forall integer j; 0 <= j < len ==> key[j] == path[j];
	    loop invariant \forall integer j; len <= j < i ==> key[j] == 0;
	    loop assigns i, key[len .. class - 1];
	    loop variant class - i;
	*/
	for (; i < class; i++)
		key[i] = 0;
}

struct stk_rule_key *compiled_rule_key(const struct compiled_rule *r, uint32_t id, uint32_t *class)
{
	size_t len = strlen(r->path);
	struct stk_rule_key *key;

	if (len == 0 || len >= STK_PATH_MAX) {
		stk_fail("rule path must be 1 to %d bytes long: '%.64s'", STK_PATH_MAX - 1, r->path);
		return NULL;
	}
	*class = stk_key_class((uint32_t)len);
	key = malloc(sizeof(*key) + *class);
	if (!key) {
		stk_fail("out of memory");
		return NULL;
	}
	key->profile = key_profile(r, id);
	key_pad(key->path, r->path, (uint32_t)len);
	return key;
}

void compiled_free(struct compiled *c)
{
	free(c->rules);
	free(c->net);
	memset(c, 0, sizeof(*c));
}

struct probe {
	const char *path;
	size_t len;
	bool versions;
};

static int probe_cmp(const void *key, const void *elem)
{
	const struct probe *pr = key;
	const struct compiled_rule *r = elem;
	int c = strncmp(pr->path, r->path, pr->len);

	if (!c)
		c = -(r->path[pr->len] != 0);
	return c ? c : pr->versions - r->versions;
}

/* The map entry for path[0 .. len - 1] (its versions entry with stem). */
static bool entry_at(const void *rules, const char *path, size_t len, bool stem, struct stk_rule *out)
{
	const struct compiled *c = rules;
	struct probe pr = { path, len, stem };
	const struct compiled_rule *r = c->n ? bsearch(&pr, c->rules, c->n, sizeof(*r), probe_cmp) : NULL;

	if (r)
		*out = r->rule;
	return r != NULL;
}

/*
 * The kernel's decision over these entries: the walk is profile_allows()'s
 * (path_walk_allows() says why it is shared), the lookup at each level the
 * kernel's, one entry found by its exact key.
 */
bool compiled_allows(const struct compiled *c, const char *path, uint32_t access)
{
	return path_walk_allows(path, access, entry_at, c);
}

/* The kernel's lookup: the longest matching network decides, by its ports. */
bool compiled_net_allows(const struct compiled *c, uint32_t op, uint8_t proto,
			 const uint8_t addr[16], uint16_t port)
{
	const struct compiled_net *best = NULL;

	for (size_t i = 0; i < c->nnet; i++) {
		const struct compiled_net *e = &c->net[i];

		if (e->key.op == op && e->key.proto == proto &&
		    addr_in_prefix(addr, e->key.addr, e->key.prefixlen - STK_NET_KEY_FIXED_BITS) &&
		    (!best || e->key.prefixlen > best->key.prefixlen))
			best = e;
	}
	return best && stk_port_allowed(&best->rule, port);
}

int enforce_admit(const struct profile *p, const char *file, bool complain)
{
	char when[32];
	time_t at = (time_t)p->review.at;
	struct tm tm;

	if (profile_approved(p))
		return 0;
	if (complain || p->complain) {
		stk_warn("%s is not approved: loading it in complain mode, where it denies nothing", file);
		return 0;
	}
	if (!p->review.by)
		return stk_fail("%s is not approved: review it with `stockade review %s` (or `stockade approve %s`); "
				"--complain loads it without denying anything", file, file, file);
	gmtime_r(&at, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
	return stk_fail("%s: its rules changed since %s approved them (%s): review them with `stockade review %s`",
			file, p->review.by, when, file);
}

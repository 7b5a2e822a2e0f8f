/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The network decision, as the BPF programs run it and `make prove` proves
 * it (docs/proof.md): the peer is looked up in the trie of network rules
 * with all 128 bits of its address, and the longest stored prefix holding
 * it decides, by its ports. The lookup is the one thing this file only
 * declares: the BPF program defines it as bpf_map_lookup_elem() on map
 * "net_rules", and the proof assumes of it the contract below, the LPM
 * trie's (kernel/bpf/lpm_trie.c).
 */
#ifndef STOCKADE_NET_H
#define STOCKADE_NET_H

#include "keys.h"

/*@ axiomatic Trie {
      // The entries the loader stored in map "net_rules": trie_n of them,
      // each a key and (where the map keeps it) its value.
      logic integer trie_n;
      logic struct stk_net_key trie_key(integer i);
      logic struct stk_net_rule *trie_value(integer i);
    }

    // The stored key e holds the peer: the fixed 64 bits are equal, and so
    // are the address's first e.prefixlen - 64 bits.
    predicate holds_peer(struct stk_net_key e, integer profile, integer proto, integer op, __u8 *addr) =
      STK_NET_KEY_FIXED_BITS <= e.prefixlen <= STK_NET_KEY_FIXED_BITS + 128 &&
      e.profile == profile && e.proto == proto && e.op == op && e.pad[0] == 0 && e.pad[1] == 0 &&
      \forall integer b; 0 <= b < e.prefixlen - STK_NET_KEY_FIXED_BITS ==> key_bit(e, b) == bit_of(addr, b);

    predicate some_entry{L}(integer profile, integer proto, integer op, __u8 *addr) =
      \exists integer i; 0 <= i < trie_n && holds_peer(trie_key(i), profile, proto, op, addr);

    predicate longest{L}(integer i, integer profile, integer proto, integer op, __u8 *addr) =
      0 <= i < trie_n && holds_peer(trie_key(i), profile, proto, op, addr) &&
      \forall integer j; 0 <= j < trie_n && holds_peer(trie_key(j), profile, proto, op, addr) ==>
        trie_key(j).prefixlen <= trie_key(i).prefixlen;

    // stk_port_allowed()'s answer.
    predicate value_allows{L}(struct stk_net_rule *r, integer port) =
      \exists integer j; 0 <= j < STK_PORT_RANGES && j < r->n && r->ports[j].lo <= port <= r->ports[j].hi;
*/

/*
 * The trie's longest-prefix match, for a key of the full 128 bits: the
 * value of the stored key with the longest prefix that holds the peer, or
 * NULL when none does.
 */
/*@ requires \valid_read(key) && key->prefixlen == STK_NET_KEY_FIXED_BITS + 128;
    requires key->pad[0] == 0 && key->pad[1] == 0;
    assigns \nothing;
    ensures none: \result == \null <==>
      !some_entry(key->profile, key->proto, key->op, &key->addr[0]);
    ensures longest: \result != \null ==> \valid_read(\result) &&
      \exists integer i; longest(i, key->profile, key->proto, key->op, &key->addr[0]) &&
        \result == trie_value(i);
*/
static const struct stk_net_rule *stk_net_lookup(const struct stk_net_key *key);

/* May op (an enum stk_net_op bit) go to the peer addr, port over proto? */
/*@ requires \valid_read(addr + (0 .. 15));
    assigns \nothing;
    ensures none: !some_entry(profile, proto, op, addr) ==> \result == 0;
    ensures longest: some_entry(profile, proto, op, addr) ==>
      \exists integer i; longest(i, profile, proto, op, addr) &&
        (\result != 0 <==> value_allows(trie_value(i), port));
*/
STK_INLINE int stk_peer_allowed(__u32 profile, __u8 proto, __u8 op, const __u8 addr[16], __u16 port)
{
	struct stk_net_key key;
	const struct stk_net_rule *r;

	stk_net_key_set(&key, profile, proto, op, addr, 128);
	/*@ assert same_bits: \forall integer b; 0 <= b < 128 ==> bit_of(&key.addr[0], b) == bit_of(addr, b); */
	/*@ assert same_entries: \forall integer i; holds_peer(trie_key(i), profile, proto, op, &key.addr[0]) <==>
	      holds_peer(trie_key(i), profile, proto, op, addr); */
	r = stk_net_lookup(&key);
	if (!r)
		return 0;
	/*@ assert found: \exists integer i; longest(i, profile, proto, op, addr) && r == trie_value(i); */
	return stk_port_allowed(r, port);
}

#endif

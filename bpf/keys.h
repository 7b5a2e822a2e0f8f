/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How map keys spell what they name, stated once for the three readers:
 * the BPF programs, which build keys to look up, user space's compiler
 * (enforcer/compile.c), which builds the keys it stores, and `make prove`,
 * which proves both sides build the same bytes (docs/proof.md).
 */
#ifndef STOCKADE_KEYS_H
#define STOCKADE_KEYS_H

#include "decide.h"

/*
 * Rule keys (the RULE_MAP maps of bpf/stockade.bpf.c): the profile id, then
 * the path's len bytes, then zeros up to the key size of its length class.
 * A hash map finds an entry only under exactly the same bytes, so the walk's
 * lookup of a level finds the entry the compiler stored for a rule path
 * exactly when the two keys hold the same bytes: same_key_same_path below.
 */
/*@ predicate key_holds{L}(char *key, char *path, integer len) =
      (\forall integer i; 0 <= i < len ==> key[i] == path[i]) &&
      (\forall integer i; len <= i < key_class(len) ==> key[i] == 0);

    // A path's bytes as the kernel names it: no NUL among them.
    predicate no_nul{L}(char *path, integer len) =
      \forall integer i; 0 <= i < len ==> path[i] != 0;

    predicate same_bytes{L}(char *a, char *b, integer n) =
      \forall integer i; 0 <= i < n ==> a[i] == b[i];

    lemma class_holds_len: \forall integer len; 1 <= len < STK_PATH_MAX ==> len <= key_class(len);

    // Two keys of one class that hold paths of different lengths differ
    // where the shorter ends: a zero in one, a path byte in the other.
    lemma longer_path_differs{L}: \forall char *a, *b, *p, *q, integer n, m;
      1 <= n < m < STK_PATH_MAX && key_class(n) == key_class(m) &&
      key_holds(a, p, n) && key_holds(b, q, m) && no_nul(q, m) ==> a[n] != b[n];

    lemma same_key_same_path{L}: \forall char *a, *b, *p, *q, integer n, m;
      1 <= n < STK_PATH_MAX && 1 <= m < STK_PATH_MAX &&
      key_holds(a, p, n) && key_holds(b, q, m) && no_nul(p, n) && no_nul(q, m) ==>
      ((key_class(n) == key_class(m) && same_bytes(a, b, key_class(n))) <==>
       (n == m && same_bytes(p, q, n)));
*/

/*
 * Network keys (map "net_rules", an LPM trie): the fixed 64 bits (profile,
 * protocol, operation, two zero bytes) and then the address, of which
 * prefix bits count. The kernel looks a peer up with all 128 bits; the
 * compiler stores each network with its own prefix.
 */
/*@ // Bit b of a key's address, most significant first (bit_of(), of a key).
    logic integer key_bit(struct stk_net_key k, integer b) = k.addr[b / 8] & (0x80 >> (b % 8));
*/

/*@ requires \valid(key) && \valid_read(addr + (0 .. 15));
    requires \separated(key, addr + (0 .. 15));
    requires prefix <= 128;
    assigns *key;
    ensures key->prefixlen == STK_NET_KEY_FIXED_BITS + prefix;
    ensures key->profile == profile && key->proto == proto && key->op == op;
    ensures key->pad[0] == 0 && key->pad[1] == 0;
    ensures \forall integer i; 0 <= i < 16 ==> key->addr[i] == addr[i];
*/
STK_INLINE void stk_net_key_set(struct stk_net_key *key, __u32 profile, __u8 proto, __u8 op,
				const __u8 addr[16], __u32 prefix)
{
	key->prefixlen = STK_NET_KEY_FIXED_BITS + prefix;
	key->profile = profile;
	key->proto = proto;
	key->op = op;
	key->pad[0] = key->pad[1] = 0;
	/*@ loop invariant 0 <= i <= 16;
	    loop invariant \forall integer j; 0 <= j < i ==> key->addr[j] == addr[j];
	    loop assigns i, key->addr[0 .. 15];
	    loop variant 16 - i;
	*/
	for (int i = 0; i < 16; i++)
		key->addr[i] = addr[i];
}

#endif

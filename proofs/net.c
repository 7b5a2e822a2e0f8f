/*
 * The network decision end to end: stk_peer_allowed() (bpf/net.h), which
 * the BPF programs run, over a trie that holds what enforcer/compile.c
 * builds from a profile's network rules, allows exactly what the rules
 * allow. The compiler is read as it is (its proved functions are in
 * enforcer/compile.c itself); this file adds only the theorem.
 */
#include "../enforcer/compile.c"
#include "../bpf/net.h"

/*@ // Rule r allows op to the peer addr, port over proto, as
    // profile_net_allows() says (learner/profile.c).
    predicate rule_allows{L}(struct net_rule *r, integer proto, integer op, __u8 *addr, integer port) =
      r->op == op && r->proto == proto && r->port_lo <= port <= r->port_hi &&
      \forall integer b; 0 <= b < r->prefix && b < 128 ==> bit_of(addr, b) == bit_of(&r->addr[0], b);

    // Stored key k is rule r's network, under the profile's id.
    predicate entry_of{L}(struct stk_net_key k, struct net_rule *r, integer profile) =
      k.prefixlen == STK_NET_KEY_FIXED_BITS + r->prefix && k.profile == profile &&
      k.proto == r->proto && k.op == r->op && k.pad[0] == 0 && k.pad[1] == 0 &&
      \forall integer b; 0 <= b < 128 ==> key_bit(k, b) == bit_of(&r->addr[0], b);

    // Rule r's network contains stored key k's: covers() of a stored key.
    predicate covers_key{L}(struct net_rule *r, struct stk_net_key k) =
      r->op == k.op && r->proto == k.proto && r->prefix <= k.prefixlen - STK_NET_KEY_FIXED_BITS &&
      \forall integer b; 0 <= b < r->prefix && b < 128 ==> key_bit(k, b) == bit_of(&r->addr[0], b);

    // What net_compile() stores for rules[0 .. m - 1]: an entry for each
    // rule's network (stk_net_key_set()), holding the ports of every rule
    // that covers it (ports_collect(), then ports_add() for each).
    // Where rule k's network is stored.
    axiomatic Entries {
      logic integer entry_index(integer k);
    }
    predicate compiled{L}(struct net_rule *rules, integer m, integer profile) =
      (\forall integer k; 0 <= k < m ==>
        0 <= entry_index(k) < trie_n && entry_of(trie_key(entry_index(k)), rules + k, profile)) &&
      (\forall integer i, port; 0 <= i < trie_n && 0 <= port <= 65535 ==>
        (value_allows(trie_value(i), port) <==>
         \exists integer k; 0 <= k < m && covers_key(rules + k, trie_key(i)) &&
           rules[k].port_lo <= port <= rules[k].port_hi));
*/

/*
 * The theorem: over the compiled entries, the kernel's decision allows a
 * peer exactly when one of the profile's rules does. (rules and m name
 * the rule list for the contract; the kernel has only the trie.)
 */
/*@ requires \valid_read(rules + (0 .. m - 1)) && \valid_read(addr + (0 .. 15));
    requires \forall integer k; 0 <= k < m ==> rules[k].prefix <= 128;
    requires compiled(rules, m, profile);
    assigns \nothing;
    ensures exactly_the_rules: \result != 0 <==>
      \exists integer k; 0 <= k < m && rule_allows(rules + k, proto, op, addr, port);
*/
int network_decision(const struct net_rule *rules, size_t m, __u32 profile, __u8 proto, __u8 op,
		     const __u8 addr[16], __u16 port)
{
	int allowed = stk_peer_allowed(profile, proto, op, addr, port);

	/*@ assert entry_holds: \forall integer k, i; 0 <= k < m && 0 <= i < trie_n &&
	      entry_of(trie_key(i), rules + k, profile) && rule_allows(rules + k, proto, op, addr, port) ==>
	      holds_peer(trie_key(i), profile, proto, op, addr);
	*/
	/*@ assert longest_covers: \forall integer k, i; 0 <= k < m &&
	      rule_allows(rules + k, proto, op, addr, port) && longest(i, profile, proto, op, addr) ==>
	      trie_key(entry_index(k)).prefixlen <= trie_key(i).prefixlen;
	*/
	/*@ assert covered: \forall integer k, i; 0 <= k < m && longest(i, profile, proto, op, addr) &&
	      covers_key(rules + k, trie_key(i)) ==>
	      (rule_allows(rules + k, proto, op, addr, port) <==> rules[k].port_lo <= port <= rules[k].port_hi);
	*/
	/*@ assert some: (\exists integer k; 0 <= k < m && rule_allows(rules + k, proto, op, addr, port)) ==>
	      some_entry(profile, proto, op, addr);
	*/
	/*@ assert pushed_here: \forall integer k, i; 0 <= k < m && rule_allows(rules + k, proto, op, addr, port) &&
	      longest(i, profile, proto, op, addr) ==> covers_key(rules + k, trie_key(i));
	*/
	/*@ assert allowed_here: \forall integer k, i; 0 <= k < m && rule_allows(rules + k, proto, op, addr, port) &&
	      longest(i, profile, proto, op, addr) ==> value_allows(trie_value(i), port);
	*/
	/*@ assert if_a_rule: (\exists integer k; 0 <= k < m && rule_allows(rules + k, proto, op, addr, port)) ==>
	      allowed != 0;
	*/
	/*@ assert only_if_a_rule: allowed != 0 ==>
	      \exists integer k; 0 <= k < m && rule_allows(rules + k, proto, op, addr, port);
	*/
	return allowed;
}

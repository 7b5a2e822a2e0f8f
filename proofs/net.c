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

    // Stored key k is rule r's network, under the profile's id: key_at()
    // (enforcer/compile.c) of a key the trie holds.
    predicate entry_of{L}(struct stk_net_key k, struct net_rule *r, integer profile) =
      k.prefixlen == STK_NET_KEY_FIXED_BITS + r->prefix && k.profile == profile &&
      k.proto == r->proto && k.op == r->op && k.pad[0] == 0 && k.pad[1] == 0 &&
      \forall integer b; 0 <= b < 128 ==> key_bit(k, b) == bit_of(&r->addr[0], b);

    // Rule r's network contains stored key k's: covers_at() of a key the
    // trie holds.
    predicate covers_key{L}(struct net_rule *r, struct stk_net_key k) =
      r->op == k.op && r->proto == k.proto && r->prefix <= k.prefixlen - STK_NET_KEY_FIXED_BITS &&
      \forall integer b; 0 <= b < r->prefix && b < 128 ==> key_bit(k, b) == bit_of(&r->addr[0], b);

    // The trie holds entries[0 .. n - 1] as the loader stores them
    // (enforce_apply()): each key under the profile's id, each value a copy.
    predicate loaded{L}(struct compiled_net *entries, integer n, integer profile) =
      trie_n == n &&
      (\forall integer i; 0 <= i < n ==>
        trie_key(i).prefixlen == entries[i].key.prefixlen && trie_key(i).profile == profile &&
        trie_key(i).proto == entries[i].key.proto && trie_key(i).op == entries[i].key.op &&
        trie_key(i).pad[0] == entries[i].key.pad[0] && trie_key(i).pad[1] == entries[i].key.pad[1] &&
        trie_value(i)->n == entries[i].rule.n) &&
      // One quantifier each, not nested in the one above: CVC4 gives up
      // on the nested form.
      (\forall integer i, b; 0 <= i < n && 0 <= b < 16 ==> trie_key(i).addr[b] == entries[i].key.addr[b]) &&
      (\forall integer i, j; 0 <= i < n && 0 <= j < STK_PORT_RANGES ==>
        trie_value(i)->ports[j].lo == entries[i].rule.ports[j].lo &&
        trie_value(i)->ports[j].hi == entries[i].rule.ports[j].hi);

    // What the trie then holds for rules[0 .. m - 1]: entry k is rule k's
    // network, and each entry allows the ports of every rule that covers it.
    predicate compiled{L}(struct net_rule *rules, integer m, integer profile) =
      (\forall integer k; 0 <= k < m ==> k < trie_n && entry_of(trie_key(k), rules + k, profile)) &&
      (\forall integer i, port; 0 <= i < trie_n ==>
        (value_allows(trie_value(i), port) <==>
         \exists integer k; 0 <= k < m && covers_key(rules + k, trie_key(i)) &&
           rules[k].port_lo <= port <= rules[k].port_hi));

    // What the loader's copy keeps: a key the same network, a value the
    // same ports.
    lemma loaded_keys{L}: \forall struct net_rule *rules, struct compiled_net *entries, integer m, profile;
      loaded(entries, m, profile) && (\forall integer k; 0 <= k < m ==> key_at{L, L}(&entries[k].key, rules + k)) ==>
      \forall integer k; 0 <= k < m ==> entry_of(trie_key(k), rules + k, profile);
    lemma loaded_covers{L}: \forall struct net_rule *r, struct compiled_net *entries, integer m, profile, i;
      loaded(entries, m, profile) && 0 <= i < m ==>
      (covers_key(r, trie_key(i)) <==> covers_at{L, L}(r, &entries[i].key));
    lemma loaded_ports{L}: \forall struct compiled_net *entries, integer m, profile, i, port;
      loaded(entries, m, profile) && 0 <= i < m ==>
      (value_allows(trie_value(i), port) <==> port_in(&entries[i].rule, port));
    lemma loaded_allow{L}: \forall struct net_rule *rules, struct compiled_net *entries, integer m, profile, i, port;
      loaded(entries, m, profile) && 0 <= i < m ==>
      (allow_at{L, L}(rules, m, &entries[i].key, port) <==>
       \exists integer k; 0 <= k < m && covers_key(rules + k, trie_key(i)) &&
         rules[k].port_lo <= port <= rules[k].port_hi);
    lemma grouped_keys{L}: \forall struct net_rule *rules, struct compiled_net *entries, integer m, profile;
      net_entries{L, L}(rules, m, entries) && loaded(entries, m, profile) ==>
      \forall integer k; 0 <= k < m ==> entry_of(trie_key(k), rules + k, profile);
    lemma loaded_compiled_ports{L}: \forall struct net_rule *rules, struct compiled_net *entries, integer m, profile;
      net_entries{L, L}(rules, m, entries) && loaded(entries, m, profile) ==>
      \forall integer i, port; 0 <= i < trie_n ==>
        (value_allows(trie_value(i), port) <==>
         \exists integer k; 0 <= k < m && covers_key(rules + k, trie_key(i)) &&
           rules[k].port_lo <= port <= rules[k].port_hi);
    // So nets_group()'s entries, loaded, are what compiled() says.
    lemma loaded_compiled{L}: \forall struct net_rule *rules, struct compiled_net *entries, integer m, profile;
      net_entries{L, L}(rules, m, entries) && loaded(entries, m, profile) ==> compiled(rules, m, profile);
*/

/*
 * The theorem: over the entries nets_group() makes of a profile's rules,
 * loaded into the trie, the kernel's decision allows a peer exactly when
 * one of the rules does. (rules, m and entries name the rule list and
 * what was loaded for the contract; the kernel has only the trie.)
 */
/*@ requires \valid_read(rules + (0 .. m - 1)) && \valid_read(entries + (0 .. m - 1));
    requires \valid_read(addr + (0 .. 15));
    requires \forall integer k; 0 <= k < m ==> rules[k].prefix <= 128;
    requires grouped: net_entries{Here, Here}(rules, m, entries);
    requires loaded: loaded(entries, m, profile);
    assigns \nothing;
    ensures exactly_the_rules: \result != 0 <==>
      \exists integer k; 0 <= k < m && rule_allows(rules + k, proto, op, addr, port);
*/
int network_decision(const struct net_rule *rules, size_t m, const struct compiled_net *entries,
		     __u32 profile, __u8 proto, __u8 op, const __u8 addr[16], __u16 port)
{
	int allowed = stk_peer_allowed(profile, proto, op, addr, port);

	/*@ assert as_compiled: compiled(rules, m, profile); */

	/*@ assert entry_holds: \forall integer k, i; 0 <= k < m && 0 <= i < trie_n &&
	      entry_of(trie_key(i), rules + k, profile) && rule_allows(rules + k, proto, op, addr, port) ==>
	      holds_peer(trie_key(i), profile, proto, op, addr);
	*/
	/*@ assert longest_covers: \forall integer k, i, j; 0 <= k < m && 0 <= j < trie_n &&
	      entry_of(trie_key(j), rules + k, profile) &&
	      rule_allows(rules + k, proto, op, addr, port) && longest(i, profile, proto, op, addr) ==>
	      trie_key(j).prefixlen <= trie_key(i).prefixlen;
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

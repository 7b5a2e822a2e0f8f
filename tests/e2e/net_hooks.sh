# connect, bind and sendto (unconnected UDP) to IP peers, and creating raw
# and packet sockets: recorded, learned and enforced, IPv4-mapped IPv6
# counting as the IPv4 address it is. Every
# refused call has a twin that works, and listeners exist on both ports, so
# EPERM comes from stockade and not from the network.
. /tests/e2e/common.inc
svc_setup
stk-net listen tcp :: 8081 $HELPER_SECS &
stk-net listen tcp :: 8082 $HELPER_SECS &
sleep 0.5

work='stk-net connect tcp 127.0.0.1 8081 && stk-net connect tcp ::1 8081 &&
	stk-net sendto udp 127.0.0.1 5353 && stk-net bind tcp 127.0.0.1 8090 && stk-net socket raw &&
	stk-net listen tcp 127.0.0.1 8095 0'
bg_stockade rec.out record --cgroup $SVC --db rec.db
in_svc "$work" || fail "the workload failed while recorded"
bg_stop rec.out
expect_ok stockade learn --db rec.db --cgroup $SVC -o p.yaml
net_rule() { grep -A2 "^- $1: $2\$" p.yaml | grep -q "ports: $3" || { cat p.yaml; fail "expected $1 $2 port $3"; }; }
net_rule connect 127.0.0.1 8081
net_rule connect ::1 8081
net_rule send 127.0.0.1 5353
net_rule bind 127.0.0.1 8090
net_rule bind 127.0.0.1 8095
grep -q '^privileges: \[raw-socket\]$' p.yaml || { cat p.yaml; fail "raw socket not learned"; }

approve p.yaml
bg_stockade enf.out enforce p.yaml
in_svc "$work" || { cat enf.out; fail "the learned profile refused the workload"; }
expect_eperm in_svc 'stk-net connect tcp 127.0.0.1 8082'
expect_ok in_svc 'stk-net connect tcp ::ffff:127.0.0.1 8081'      # mapped = the IPv4 rule
expect_eperm in_svc 'stk-net connect tcp ::ffff:127.0.0.1 8082'
expect_eperm in_svc 'stk-net connect tcp ::1 8082'
expect_eperm in_svc 'stk-net sendto udp 127.0.0.2 53'              # DNS to an unlisted resolver
expect_eperm in_svc 'stk-net connect udp 127.0.0.1 5353'           # send was learned, not connect
expect_eperm in_svc 'stk-net bind tcp 127.0.0.1 8091'
expect_eperm in_svc 'stk-net listen-unbound tcp 0.0.0.0 0'           # listen as 0.0.0.0:0
expect_ok stk-net listen-unbound tcp 0.0.0.0 0
expect_eperm in_svc 'stk-net socket packet'                          # raw was learned, packet not
expect_ok stk-net socket packet
expect_ok stk-net connect tcp 127.0.0.1 8082                        # outside the service
bg_stop enf.out
grep -q 'denied: connect tcp 127.0.0.1:8082 by stk-net (pid [0-9]*, uid 0, exe /usr/local/bin/stk-net)' enf.out || { cat enf.out; fail "denial not printed"; }
grep -q 'denied: send udp 127.0.0.2:53' enf.out || { cat enf.out; fail "send denial not printed"; }
grep -q 'denied: packet-socket by stk-net' enf.out || { cat enf.out; fail "socket denial not printed"; }

# Prefixes and port ranges, hand-written: the longest prefix does not hide
# the ports a wider rule allows.
cat > q.yaml <<EOY
version: 1
subject:
  cgroup: $SVC
files:
$RUN_RULES
$RUN_EXEC
network:
- connect: 127.0.0.0/8
  protocol: tcp
  ports: 8080-8081
- connect: 127.0.0.1
  protocol: tcp
  ports: 9000
EOY
approve q.yaml
bg_stockade enf2.out enforce q.yaml
expect_ok in_svc 'stk-net connect tcp 127.0.0.1 8081'    # the /8 rule's range
expect_eperm in_svc 'stk-net connect tcp 127.0.0.1 8082'
expect_ok in_svc 'stk-net connect tcp 127.0.0.3 8081'
expect_eperm in_svc 'stk-net connect tcp ::1 8081'       # not in 127.0.0.0/8
expect_eperm in_svc 'stk-net socket raw'                 # no privileges: in this profile
bg_stop enf2.out

# Every form of socket address the kernel reads is read alike by the hooks
# (issue 21): sendto() on an IPv4 UDP socket with sin_family AF_UNSPEC (the
# kernel takes it as AF_INET), IPv6 connect() and sendto() with the 24-byte
# RFC 2133 sockaddr_in6, bind() with AF_UNSPEC (0.0.0.0) for UDP and TCP.
# Recording learns them as the peers they are; enforcing allows the learned
# ones and refuses the rest with EPERM; a form the kernel refuses is
# refused unread, and logged as what it was.
. /tests/e2e/common.inc
svc_setup
stk-net listen tcp :: 8081 $HELPER_SECS &
stk-net listen tcp :: 8082 $HELPER_SECS &
sleep 0.5

work='stk-escape udp-unspec 127.0.0.1 5353 && stk-escape short6 connect tcp ::1 8081 &&
	stk-escape short6 send udp ::1 5354 && stk-escape short6 connect udp ::1 5355 &&
	stk-escape bind-unspec udp 8090 && stk-escape bind-unspec tcp 8091'
bg_stockade rec.out record --cgroup $SVC --db rec.db
in_svc "$work" || fail "the workload failed while recorded"
bg_stop rec.out
expect_ok stockade learn --db rec.db --cgroup $SVC -o p.yaml
net_rule() {
	grep -A2 "^- $1: $2\$" p.yaml | grep -A1 "protocol: $3" | grep -q "ports: $4" ||
		{ cat p.yaml; fail "expected $1 $2 $3 port $4"; }
}
net_rule send 127.0.0.1 udp 5353
net_rule connect ::1 tcp 8081
net_rule send ::1 udp 5354
net_rule connect ::1 udp 5355
net_rule bind 0.0.0.0 udp 8090
net_rule bind 0.0.0.0 tcp 8091

approve p.yaml
bg_stockade enf.out enforce p.yaml
in_svc "$work" || { cat enf.out; fail "the learned profile refused the workload"; }
expect_eperm in_svc 'stk-escape udp-unspec 127.0.0.1 9999'          # AF_UNSPEC as AF_INET
expect_eperm in_svc 'stk-escape short6 connect tcp ::1 8082'        # 24-byte sockaddr_in6
expect_eperm in_svc 'stk-escape short6 send udp ::1 9999'
expect_eperm in_svc 'stk-escape short6 connect udp ::1 9999'
expect_eperm in_svc 'stk-escape bind-unspec udp 9998'               # caught at bind, not listen
expect_eperm in_svc 'stk-escape bind-unspec tcp 9997'
expect_ok stk-escape short6 connect tcp ::1 8082                    # outside the subject
expect_ok stk-escape bind-unspec udp 9998
# 8 bytes of sockaddr: the kernel says EINVAL, stockade refuses it unread.
expect_eperm in_svc 'stk-escape udp-unspec 127.0.0.1 5353 8'
stk-escape udp-unspec 127.0.0.1 5353 8 2> einval.err && fail "the kernel took an 8-byte sockaddr_in"
grep -q 'Invalid argument' einval.err || { cat einval.err; fail "outside: expected EINVAL"; }
bg_stop enf.out
for what in 'send udp 127.0.0.1:9999' 'connect tcp \[::1\]:8082' 'send udp \[::1\]:9999' \
	'connect udp \[::1\]:9999' 'bind udp 0.0.0.0:9998' 'bind tcp 0.0.0.0:9997' \
	'send udp \[address family 0, 8 bytes\]'; do
	grep -q "denied: $what by stk-escape" enf.out || { cat enf.out; fail "not printed: denied: $what"; }
done
[ "$(grep -c 'denied:' enf.out)" -eq 7 ] || { cat enf.out; fail "denials beyond the 7 refused calls"; }

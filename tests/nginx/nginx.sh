#!/bin/sh
# Inside the VM (`make nginxtest`: tests/vm/run --deb nginx): record Debian's
# nginx as a service from its start (a root master that binds port 80 and
# drops to www-data workers), and iproute2's `ip` reading routes and links
# over netlink; learn their profiles, and check that the capabilities and
# sockets they really use are learned, that enforced they keep working, and
# that a capability or socket family they never used is refused.
set -u
. /tests/vm/lib.sh
CG=/sys/fs/cgroup/system.slice
mkdir -p "$CG/nginx.service" "$CG/iproute.service"
grep -q '^www-data:' /etc/passwd || echo 'www-data:x:33:33:www-data:/var/www:/bin/false' >> /etc/passwd
grep -q '^www-data:' /etc/group || echo 'www-data:x:33:' >> /etc/group
mkdir -p /srv/www /var/log/nginx /var/lib/nginx /run
echo '<h1>hello</h1>' > /srv/www/index.html
cat > /etc/nginx/stockade.conf <<'EOC'
user www-data;
worker_processes 2;
pid /run/nginx.pid;
error_log /var/log/nginx/error.log;
events { worker_connections 64; }
http {
	access_log /var/log/nginx/access.log;
	client_body_temp_path /var/lib/nginx/body;
	proxy_temp_path /var/lib/nginx/proxy;
	fastcgi_temp_path /var/lib/nginx/fastcgi;
	uwsgi_temp_path /var/lib/nginx/uwsgi;
	scgi_temp_path /var/lib/nginx/scgi;
	server { listen 80; root /srv/www; }
}
EOC

bg() {
	log=$1; shift
	# Emptied here, not by the child's redirection: the loop below could
	# see the last run's start line first, and a SIGINT sent before the
	# handler exists is lost (a background job ignores it), hanging `wait`.
	: > "$log"
	stockade "$@" >> "$log" 2>&1 &
	BG=$!
	until grep -q 'stop with Ctrl-C' "$log"; do
		kill -0 $BG 2>/dev/null || { cat "$log"; fail "stockade $* exited"; }
		sleep 0.2
	done
}
in_unit() { unit=$1; shift; sh -c 'echo $$ > '"$CG/$unit"'/cgroup.procs && exec "$@"' sh "$@"; }
nginx_up() {
	rm -rf /var/lib/nginx/* page
	in_unit nginx.service nginx -c /etc/nginx/stockade.conf -g 'daemon off;' &
	for _ in $(seq 50); do wget -q -O page http://127.0.0.1/ 2>/dev/null && break; sleep 0.2; done
	grep -q hello page || { cat /var/log/nginx/error.log; fail "nginx did not serve"; }
	grep -q "^$(cat /run/nginx.pid)\$" "$CG/nginx.service/cgroup.procs" || fail "the nginx serving is not the one started"
}
# Stop the master (by its pid file: it is not this shell's child) and wait.
nginx_down() {
	kill -QUIT "$(cat /run/nginx.pid)"
	for _ in $(seq 50); do [ -e /run/nginx.pid ] || return 0; sleep 0.2; done
	fail "nginx did not stop"
}
routes() { in_unit iproute.service sh -c 'ip route show && ip -4 addr show && ip link show lo' 2>&1; }

bg rec.log record --service nginx.service --db nginx.db
nginx_up
nginx_down
kill -INT $BG; wait $BG
bg rec.log record --service iproute.service --db ip.db
routes > /dev/null || fail "ip failed while recorded"
kill -INT $BG; wait $BG
stockade learn --db nginx.db --service nginx.service -o nginx.yaml 2> learn.err || { cat learn.err; fail "learn nginx"; }
stockade learn --db ip.db --service iproute.service -o ip.yaml 2> learn.err || { cat learn.err; fail "learn ip"; }
echo "=== nginx learned:"; grep -E '^(capabilities|sockets|privileges):' nginx.yaml
echo "=== ip learned:"; grep -E '^(capabilities|sockets|privileges):' ip.yaml
for cap in setuid setgid net_bind_service; do
	grep '^capabilities:' nginx.yaml | grep -qw "$cap" || { cat nginx.yaml; fail "nginx: $cap not learned"; }
done
grep -q '^sockets: \[netlink-route\]$' ip.yaml || { cat ip.yaml; fail "ip: netlink-route not learned"; }

stockade approve --by e2e nginx.yaml > /dev/null
stockade approve --by e2e ip.yaml > /dev/null
bg enf.log enforce nginx.yaml ip.yaml
nginx_up
expect_eperm in_unit nginx.service hostname confined          # sys_admin: never used
expect_eperm in_unit nginx.service ip route add blackhole 192.0.2.0/24   # no netlink-route, no net_admin
routes > routes.out || { cat routes.out enf.log; fail "ip was refused under its learned profile"; }
grep -q 'lo' routes.out || { cat routes.out; fail "ip printed no link"; }
expect_eperm in_unit iproute.service ip route add blackhole 192.0.2.0/24  # reading routes is not changing them
nginx_down
kill -INT $BG; wait $BG
grep -q 'denied:' enf.log || { cat enf.log; fail "no denial logged"; }
if grep 'denied:' enf.log | grep -v -e 'by hostname' -e 'by ip'; then fail "the learned profiles refused nginx or ip"; fi
echo "nginx and ip kept working under their learned profiles"

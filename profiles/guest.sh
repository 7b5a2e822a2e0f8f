#!/bin/sh
# Inside the VM (run by profiles/regenerate): record real Debian programs as
# services from their start, exercise them, learn their profiles, then start
# them afresh under those profiles and check they still work with nothing
# denied. Each profile is printed between "=== BEGIN NAME" and "=== END NAME".
set -eu
CG=/sys/fs/cgroup/system.slice
# Run stockade in the background and wait until its programs are loaded.
stockade_bg() {
	log=$1; shift
	: > "$log" # here, not in the child: the loop must not see the last start line
	stockade "$@" >> "$log" 2>&1 &
	BG=$!
	until grep -q 'stop with Ctrl-C' "$log"; do
		kill -0 $BG 2>/dev/null || { cat "$log"; exit 1; }
		sleep 0.2
	done
}
# Run a command as unit $1, in its cgroup from its first exec; sets PID_<unit>.
start() {
	svc=$1; shift
	mkdir -p "$CG/$svc"
	sh -c 'echo $$ > '"$CG/$svc"'/cgroup.procs && exec "$@"' sh "$@" &
	eval "PID_${svc%%.*}=$!"
}
fetch() { printf 'GET %s HTTP/1.0\r\n\r\n' "$1" | nc 127.0.0.1 8080 | head -n 1; }

httpd_setup() {
	mkdir -p /srv/www/img
	echo '<h1>hello</h1>' > /srv/www/index.html
	echo 'body { color: black }' > /srv/www/style.css
	echo 'PNG' > /srv/www/img/logo.png
}
# busybox httpd serving a static site; a missing page gets a 404.
httpd_run() {
	start httpd.service httpd -f -p 0.0.0.0:8080 -h /srv/www
	sleep 1
	for page in / /index.html /style.css /img/logo.png /missing.html; do
		fetch "$page" > /dev/null
	done
	fetch /index.html | grep -q '200 OK' || { echo "httpd did not serve"; exit 1; }
}
# busybox syslogd: receives on /dev/log and writes /var/log/messages
# (Debian's busybox has no log rotation).
syslogd_run() {
	mkdir -p /var/log
	rm -f /var/log/messages
	start syslogd.service syslogd -n -O /var/log/messages
	sleep 1
	i=0
	while [ $i -lt 50 ]; do
		logger -t app "request $i served"
		i=$((i + 1))
	done
	sleep 1
	grep -q 'app: request 49 served' /var/log/messages || { echo "syslogd did not log"; exit 1; }
}
stop() {
	eval "pid=\$PID_$1"
	kill "$pid"
	wait "$pid" || true
}

httpd_setup
for unit in httpd syslogd; do
	mkdir -p "$CG/$unit.service" # the unit's cgroup, as systemd would make it
	stockade_bg /tmp/$unit.log record --service $unit.service --db /tmp/$unit.db
	# Start, stop and start again: a restart finds what the last run left.
	${unit}_run
	stop $unit
	${unit}_run
	stop $unit
	kill -INT $BG
	wait $BG
	stockade learn --db /tmp/$unit.db --service $unit.service -o /tmp/$unit.service.yaml >&2
	cp /tmp/$unit.service.yaml /tmp/$unit.learned.yaml # shipped unapproved: review it yourself
done

# The learned profiles, approved and enforced from the services' start.
for unit in httpd syslogd; do stockade approve --by profiles /tmp/$unit.service.yaml >&2; done
stockade_bg /tmp/enforce.log enforce /tmp/httpd.service.yaml /tmp/syslogd.service.yaml
httpd_run
syslogd_run
stop httpd
stop syslogd
kill -TERM $BG
wait $BG
if grep -q 'denied' /tmp/enforce.log && ! grep -q ': 0 denied' /tmp/enforce.log; then
	cat /tmp/enforce.log
	echo "the learned profiles denied the services something"
	exit 1
fi
cat /tmp/enforce.log >&2
for unit in httpd syslogd; do
	echo "=== BEGIN $unit.service.yaml"
	cat /tmp/$unit.learned.yaml
	echo "=== END $unit.service.yaml"
done

#!/bin/sh
# `make demo`: the whole loop on a real service, inside the VM.
# busybox httpd serves /srv/www as httpd.service; stockade records it,
# learns its profile, and enforces it against a simulated compromise.
set -u
SVC=/sys/fs/cgroup/system.slice/httpd.service
step() { printf '\n==> %s\n' "$*"; }
# Start stockade in the background and wait until its programs are loaded
# (seconds under emulation), showing what it said so far. Sets BG and LOG.
start() {
	LOG=$(mktemp)
	stockade "$@" > "$LOG" 2>&1 &
	BG=$!
	until grep -q 'stop with Ctrl-C' "$LOG"; do
		kill -0 $BG 2>/dev/null || { cat "$LOG"; echo "demo: stockade $* failed"; exit 1; }
		sleep 0.2
	done
	SHOWN=$(wc -l < "$LOG")
	cat "$LOG"
}
# Stop it with signal $1 and show the rest of what it said (denials, summary).
stop() {
	kill "-$1" $BG
	wait $BG
	echo "-- stockade said:"
	tail -n +$((SHOWN + 1)) "$LOG"
}
fetch() { printf 'GET %s HTTP/1.0\r\n\r\n' "$1" | nc 127.0.0.1 8080 | head -n 1; }
# Run a command inside the service's cgroup.
as_service() { sh -c 'echo $$ > '"$SVC"'/cgroup.procs && exec "$@"' sh "$@"; }
# Run shell code inside the service's cgroup without exec'ing anything new:
# code injected into the running service, as after a compromise.
injected() { sh -c 'echo $$ > '"$SVC"'/cgroup.procs && '"$1"; }

step "setup: a web root, a secret, and httpd in its own cgroup"
mkdir -p /srv/www "$SVC" /etc/app
echo '<h1>hello from stockade</h1>' > /srv/www/index.html
echo 'db_password=hunter2' > /etc/app/secret
as_service httpd -f -p 127.0.0.1:8080 -h /srv/www &
sleep 1 # let httpd start listening
stockade doctor

step "record: stockade record --service httpd.service"
start record --service httpd.service --db /tmp/demo.db
for i in 1 2 3; do fetch /index.html; done
stop INT

step "learn: stockade learn --db /tmp/demo.db --service httpd.service -o httpd.yaml"
stockade learn --db /tmp/demo.db --service httpd.service -o /tmp/httpd.yaml
cat /tmp/httpd.yaml

step "approve: stockade approve httpd.yaml (stockade review shows and edits it first)"
stockade approve /tmp/httpd.yaml

step "enforce: stockade enforce httpd.yaml"
start enforce /tmp/httpd.yaml
echo "-- the service still serves its page:"
fetch /index.html
echo "-- code injected into the service tries to read the secret:"
injected 'read line < /etc/app/secret && echo "$line"'
echo "   exit status $?"
echo "-- and to run a program the service never ran:"
injected 'exec cat /etc/app/secret'
echo "   exit status $?"
echo "-- the same read from outside the service:"
cat /etc/app/secret
stop TERM
step "done: record -> learn -> approve -> enforce"

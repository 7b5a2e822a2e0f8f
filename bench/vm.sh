#!/bin/sh
# Inside the VM (run by bench/run): time an open/close loop and a connect
# loop with no stockade, with programs that do nothing on the open's hooks
# (the floor), with stockade loaded but the task outside every subject, in
# record mode, and in enforce mode with 10, 1,000 and 10,000
# rules; read the programs' own run-time statistics; and count what a
# record-mode burst of opens delivers and loses; how long `stockade enforce`
# takes to start and how much memory it holds; and, where the guest has
# Debian's nginx and ab, a real service's requests/s. Every figure is the
# median of RUNS runs, printed as "BENCH name value".
set -u
RUNS=${RUNS:-5} OPENS=${OPENS:-20000} CONNECTS=${CONNECTS:-3000} PORT=9123
REQUESTS=${REQUESTS:-2000}
BURST_FILES=${BURST_FILES:-100000} BURST_OPENS=${BURST_OPENS:-1000000}
CG=/sys/fs/cgroup SVC=/bench.service
mkdir -p $CG$SVC /srv/bench
echo x > /srv/bench/file
in_svc() { sh -c 'echo $$ > '"$CG$SVC"'/cgroup.procs && exec "$@"' sh "$@"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# loop KIND WHERE: one timed run of the open or the connect loop, in the
# subject (svc) or outside it (root).
loop() {
	if [ "$1" = open ]; then set -- "$2" open /srv/bench/file "$OPENS"; else set -- "$2" connect $PORT "$CONNECTS"; fi
	where=$1
	shift
	if [ "$where" = svc ]; then in_svc stk-loop "$@"; else stk-loop "$@"; fi
}
# report NAME KIND FILE: FILE holds pairs "value baseline" measured back to
# back; print the median value, the median baseline, and the median of the
# pairs' ratios (times 10,000). A pair shares the load of its moment, which on
# a shared host moves the figures more than stockade does.
report() {
	echo "BENCH $2.$1 $(cut -d' ' -f1 "$3" | median)"
	echo "BENCH $2.$1.base $(cut -d' ' -f2 "$3" | median)"
	echo "BENCH $2.$1.ratio $(awk '{ printf "%d\n", $1 / $2 * 10000 }' "$3" | median)"
}
# measure NAME: RUNS rounds of each loop in the subject, each run followed
# by the same loop outside every subject, its baseline.
measure() {
	for kind in open connect; do
		for _ in $(seq "$RUNS"); do echo "$(loop $kind svc) $(loop $kind root)"; done > /tmp/pairs
		report "$1" $kind /tmp/pairs
	done
}
# RUNS rounds of: both loops with no stockade; the open loop with programs
# that do nothing on the hooks an open enters (file_open, inode_permission:
# the floor, what any BPF LSM design pays on 6.1); then both loops outside
# every subject while stockade enforces 10,000 rules on another cgroup.
measure_outside() {
	: > /tmp/pairs.open
	: > /tmp/pairs.floor
	: > /tmp/pairs.beyond
	: > /tmp/pairs.connect
	for _ in $(seq "$RUNS"); do
		bare_open=$(loop open root) bare_connect=$(loop connect root)
		floor_start
		echo "$(loop open root) $bare_open" >> /tmp/pairs.floor
		floor_stop
		start enforce /tmp/p10000.yaml
		echo "$(loop open root) $bare_open" >> /tmp/pairs.open
		echo "$(loop connect root) $bare_connect" >> /tmp/pairs.connect
		stop
		# What stockade adds to the floor: this round's two ratios divided.
		echo "$(tail -n1 /tmp/pairs.open | cut -d' ' -f1) $(tail -n1 /tmp/pairs.floor | cut -d' ' -f1)" >> /tmp/pairs.beyond
	done
	report outside open /tmp/pairs.open
	report floor open /tmp/pairs.floor
	report beyond open /tmp/pairs.beyond
	report outside connect /tmp/pairs.connect
}
# Attach the programs that do nothing (bench/floor.bpf.c) until floor_stop.
floor_start() {
	: > /tmp/floor.out
	stk-floor /usr/local/lib/floor.bpf.o > /tmp/floor.out 2>&1 &
	FLOOR=$!
	until grep -q '^attached' /tmp/floor.out; do
		kill -0 $FLOOR 2>/dev/null || { cat /tmp/floor.out; echo "bench: stk-floor failed"; exit 1; }
		sleep 0.05
	done
}
floor_stop() { kill -INT $FLOOR; wait $FLOOR; }
uptime_cs() { cut -d' ' -f1 /proc/uptime | tr -d .; }
# Start stockade in the background; wait for its programs to load and its
# rules to be applied (its start line), and keep in STARTUP_MS how long that took.
start() {
	: > /tmp/stockade.out # before the child starts: no stale start line to see
	t0=$(uptime_cs)
	stockade "$@" >> /tmp/stockade.out 2>&1 &
	BG=$!
	until grep -q '^stockade: \(recording\|enforcing\)' /tmp/stockade.out; do
		kill -0 $BG 2>/dev/null || { cat /tmp/stockade.out; echo "bench: stockade $* failed"; exit 1; }
		sleep 0.05
	done
	STARTUP_MS=$((($(uptime_cs) - t0) * 10))
}
# The background stockade's resident memory, in KiB.
rss_kib() { awk '$1 == "VmRSS:" { print $2 }' /proc/$BG/status; }
stop() { kill -INT $BG; wait $BG; }
# An approved profile of N rules: what the loops need, and exact rules
# for other files to make up the number.
profile() {
	{
		printf 'version: 1\nsubject:\n  cgroup: %s\nfiles:\n' $SVC
		printf -- '- path: /srv/bench/file\n  access: [read]\n'
		for d in /bin /usr/local/bin /lib /lib64; do printf -- '- subtree: %s\n  access: [read]\n' $d; done
		awk -v n="$1" 'BEGIN { for (i = 0; i < n - 11; i++) printf "- path: /srv/filler/d%d/file%d\n  access: [read]\n", i % 100, i }'
		printf 'exec:\n- subtree: /bin\n- subtree: /usr/local/bin\n- subtree: /lib\n- subtree: /lib64\n'
		printf 'network:\n- connect: 127.0.0.1\n  protocol: tcp\n  ports: %d\n- bind: 127.0.0.1\n  protocol: tcp\n  ports: %d\n' $PORT $PORT
	} > /tmp/p$1.yaml
	stockade approve --by bench /tmp/p$1.yaml > /dev/null
}
# The kernel's own count of time spent in each program of stockade's (or
# of the floor's) (bpf_stats), as "BENCH KIND.program ns/run runs".
program_costs() {
	bpftool prog show 2>/dev/null | awk -v kind="$1" '
		/^[0-9]+:/ { name = ""; for (i = 1; i <= NF; i++) if ($i == "name") name = $(i + 1) }
		/run_time_ns/ { for (i = 1; i <= NF; i++) { if ($i == "run_time_ns") t = $(i + 1); if ($i == "run_cnt") c = $(i + 1) }
				if (name ~ /^(stockade|floor)_/ && c > 0) printf "BENCH %s.%s %.0f %d\n", kind, name, t / c, c }'
}
# costs KIND LOOP...: one run of each loop with bpf_stats on, then the costs.
costs() {
	kind=$1
	shift
	echo 1 > /proc/sys/kernel/bpf_stats_enabled
	for l in "$@"; do loop $l > /dev/null; done
	program_costs "$kind"
	echo 0 > /proc/sys/kernel/bpf_stats_enabled
}
# What each program costs with 10,000 rules, in the subject (KIND program)
# and outside it (KIND outside); the open loop's in a recorded subject (KIND
# record); and the floor's programs. Counting slows every run, so in runs
# of their own, each in a fresh instance.
measure_costs() {
	start enforce /tmp/p10000.yaml
	costs program "open svc" "connect svc"
	stop
	# At once after the enforced run: the two are compared.
	start record --cgroup $SVC --db /tmp/costs.db
	costs record "open svc"
	stop
	start enforce /tmp/p10000.yaml
	costs outside "open root" "connect root"
	stop
	floor_start
	costs floor "open root"
	floor_stop
}

# ---- a real service: Debian's nginx, a small static file, ab ---------------
NGINX_CG=/system.slice/nginx.service
nginx_setup() {
	grep -q '^www-data:' /etc/passwd || {
		echo 'www-data:x:33:33:www-data:/var/www:/bin/sh' >> /etc/passwd
		echo 'www-data:x:33:' >> /etc/group
	}
	mkdir -p /var/log/nginx /var/lib/nginx /srv/www $CG$NGINX_CG
	head -c 512 /dev/zero | tr '\0' x > /srv/www/small.html
	cat > /tmp/nginx.conf <<'CONF'
user www-data;
worker_processes 2;
pid /run/nginx-bench.pid;
error_log /var/log/nginx/error.log;
events { worker_connections 256; }
http {
	access_log /var/log/nginx/access.log;
	server { listen 127.0.0.1:8080; root /srv/www; }
}
CONF
}
# Start nginx as its unit would be, in its cgroup from its first exec.
nginx_start() {
	sh -c 'echo $$ > '"$CG$NGINX_CG"'/cgroup.procs && exec nginx -c /tmp/nginx.conf' || { echo "bench: nginx did not start"; exit 1; }
	until ab -q -n 1 http://127.0.0.1:8080/small.html > /dev/null 2>&1; do sleep 0.1; done
}
nginx_stop() {
	pid=$(cat /run/nginx-bench.pid)
	kill -QUIT "$pid"
	while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}
# Requests/s of one run of ab: REQUESTS requests, 4 at a time.
requests_per_s() {
	ab -q -n "$REQUESTS" -c 4 http://127.0.0.1:8080/small.html | awk '/^Requests per second/ { print int($4) }'
}
# nginx recorded from its start, and its profile learned from that. Then
# RUNS rounds of: no stockade, recorded, enforced with the learned profile
# (the same requests replayed, its denials counted).
bench_nginx() {
	nginx_setup
	start record --cgroup $NGINX_CG --db /tmp/nginx.db
	nginx_start
	requests_per_s > /dev/null
	stop
	stockade learn --db /tmp/nginx.db --cgroup $NGINX_CG -o /tmp/nginx.yaml > /dev/null &&
		stockade approve --by bench /tmp/nginx.yaml > /dev/null || { echo "bench: cannot learn nginx's profile"; exit 1; }
	: > /tmp/pairs.record
	: > /tmp/pairs.enforce
	denied=0
	for _ in $(seq "$RUNS"); do
		bare=$(requests_per_s)
		start record --cgroup $NGINX_CG --db /tmp/nginx-rounds.db
		echo "$(requests_per_s) $bare" >> /tmp/pairs.record
		stop
		start enforce /tmp/nginx.yaml
		echo "$(requests_per_s) $bare" >> /tmp/pairs.enforce
		stop
		denied=$((denied + $(sed -n 's/^stockade: released 1 subject: \([0-9]*\) denied.*/\1/p' /tmp/stockade.out)))
	done
	nginx_stop
	report record nginx /tmp/pairs.record
	report enforce nginx /tmp/pairs.enforce
	sed -n 's/^stockade: enforcing .* (\([0-9]*\) rules\{0,1\}).*/BENCH nginx.rules \1/p' /tmp/stockade.out
	echo "BENCH nginx.denied $denied"
}

start record --cgroup $SVC --db /tmp/bench.db
echo "BENCH startup.record $STARTUP_MS"
measure record
stop
for n in 10 1000 10000; do
	profile $n
	start enforce /tmp/p$n.yaml
	echo "BENCH startup.enforce$n $STARTUP_MS"
	echo "BENCH rss.enforce$n $(rss_kib)"
	measure enforce$n
	stop
done
measure_outside
measure_costs
if command -v nginx > /dev/null && command -v ab > /dev/null; then
	bench_nginx
fi

# A burst of opens over many distinct files, recorded.
stk-loop mkfiles /srv/burst "$BURST_FILES"
start record --cgroup $SVC --db /tmp/burst.db
in_svc stk-loop burst /srv/burst "$BURST_FILES" "$BURST_OPENS" > /dev/null
sleep 1
stop
sed -n 's/^stockade: recorded \([0-9]*\) events\{0,1\}, \([0-9]*\) distinct objects\{0,1\}, \([0-9]*\) lost$/BENCH burst.events \1\nBENCH burst.objects \2\nBENCH burst.lost \3/p' /tmp/stockade.out
echo "BENCH burst.opens $BURST_OPENS"
echo "BENCH burst.files $BURST_FILES"

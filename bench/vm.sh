#!/bin/sh
# Inside the VM (run by bench/run): time an open/close loop and a connect
# loop with no stockade, with stockade loaded but the task outside every
# subject, in record mode, and in enforce mode with 10, 1,000 and 10,000
# rules; read the programs' own run-time statistics; and count what a
# record-mode burst of opens delivers and loses. Every figure is the median
# of RUNS runs, printed as "BENCH name value".
set -u
RUNS=${RUNS:-5} OPENS=${OPENS:-20000} CONNECTS=${CONNECTS:-3000} PORT=9123
BURST_FILES=${BURST_FILES:-100000} BURST_OPENS=${BURST_OPENS:-1000000}
CG=/sys/fs/cgroup SVC=/bench.service
mkdir -p $CG$SVC /srv/bench
echo x > /srv/bench/file
in_svc() { sh -c 'echo $$ > '"$CG$SVC"'/cgroup.procs && exec "$@"' sh "$@"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# measure NAME WHERE: both loops, RUNS times each, in the subject (svc) or out.
measure() {
	name=$1 where=$2 opens="" connects=""
	for _ in $(seq "$RUNS"); do
		if [ "$where" = svc ]; then
			opens="$opens $(in_svc stk-loop open /srv/bench/file "$OPENS")"
			connects="$connects $(in_svc stk-loop connect $PORT "$CONNECTS")"
		else
			opens="$opens $(stk-loop open /srv/bench/file "$OPENS")"
			connects="$connects $(stk-loop connect $PORT "$CONNECTS")"
		fi
	done
	echo "BENCH open.$name $(echo $opens | tr ' ' '\n' | median)"
	echo "BENCH connect.$name $(echo $connects | tr ' ' '\n' | median)"
}
# Start stockade in the background; wait for its programs to load.
start() {
	: > /tmp/stockade.out # before the child starts: no stale start line to see
	stockade "$@" >> /tmp/stockade.out 2>&1 &
	BG=$!
	until grep -q '^stockade: \(recording\|enforcing\)' /tmp/stockade.out; do
		kill -0 $BG 2>/dev/null || { cat /tmp/stockade.out; echo "bench: stockade $* failed"; exit 1; }
		sleep 0.2
	done
}
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
# The kernel's own count of time spent in each stockade program (bpf_stats).
program_costs() {
	bpftool prog show 2>/dev/null | awk '
		/^[0-9]+:/ { name = ""; for (i = 1; i <= NF; i++) if ($i == "name") name = $(i + 1) }
		/run_time_ns/ { for (i = 1; i <= NF; i++) { if ($i == "run_time_ns") t = $(i + 1); if ($i == "run_cnt") c = $(i + 1) }
				if (name ~ /^stockade_/ && c > 0) printf "BENCH program.%s %.0f %d\n", name, t / c, c }'
}

measure bare svc
start record --cgroup $SVC --db /tmp/bench.db
measure record svc
stop
for n in 10 1000 10000; do
	profile $n
	start enforce /tmp/p$n.yaml
	[ $n = 10000 ] && echo 1 > /proc/sys/kernel/bpf_stats_enabled
	measure enforce$n svc
	[ $n = 10000 ] && { program_costs; echo 0 > /proc/sys/kernel/bpf_stats_enabled; measure outside root; }
	stop
done

# A burst of opens over many distinct files, recorded.
stk-loop mkfiles /srv/burst "$BURST_FILES"
start record --cgroup $SVC --db /tmp/burst.db
in_svc stk-loop burst /srv/burst "$BURST_FILES" "$BURST_OPENS" > /dev/null
sleep 1
stop
sed -n 's/^stockade: recorded \([0-9]*\) events\{0,1\}, \([0-9]*\) distinct objects\{0,1\}, \([0-9]*\) lost$/BENCH burst.events \1\nBENCH burst.objects \2\nBENCH burst.lost \3/p' /tmp/stockade.out
echo "BENCH burst.opens $BURST_OPENS"
echo "BENCH burst.files $BURST_FILES"

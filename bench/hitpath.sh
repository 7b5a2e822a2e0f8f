#!/bin/sh
# In the VM: what a verdict cache hit costs one build of stockade against
# another, both measured on the same opens. Two `stockade record` instances,
# built differently (/v/A/stockade, /v/B/stockade), record the same cgroup
# while the floor's programs (bench/floor.bpf.c) sit on the same hooks; every
# open of the loop then runs all three file_open programs one after another.
# The first open of the loop's file is recorded; the others are cache hits.
# On a loaded host a single descheduling of the VM's CPU thread lands in one
# program's run and outweighs thousands of runs, so bpf_stats is sampled
# SAMPLES times while the loop runs, and each figure is the median over the
# samples (each about 0.1 s of opens); the ratio is the median of the
# samples' ratios, taken on the same opens. Which instance loads first (and
# so runs first on the hook) alternates from round to round.
#   hitpath.sh [connect] ROUNDS A:B...   one line per round and pair:
#   "HIT A B floor_ns a_ns b_ns a/b" (file_open, ns per run, medians)
# With "connect", the loop connects to a loopback listener instead, and the
# figures are socket_connect's: a hook that asks stk_judge() for the
# subject and its entry on every run (the floor has no program there: its
# column is then file_open's floor on the few other opens, to be ignored).
set -u
PROG=file_open LOOP="open /srv/bench/file 100000000" PORT=5555
if [ "$1" = connect ]; then
	PROG=socket_connect
	shift
fi
ROUNDS=$1
shift
SAMPLES=${SAMPLES:-40}
CG=/sys/fs/cgroup SVC=/bench.service
mkdir -p $CG$SVC /srv/bench
echo x > /srv/bench/file
in_svc() { sh -c 'echo $$ > '"$CG$SVC"'/cgroup.procs && exec "$@"' sh "$@"; }
# The ids of the loaded file_open programs named $1.
ids() { bpftool prog show 2>/dev/null | awk -v n="$1" '/^[0-9]+:/ && $0 ~ " name " n " " { sub(":", "", $1); print $1 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# sample IDS...: one line of "run_time_ns run_cnt" per program id, in order.
# One program at a time: listing every loaded program takes seconds under TCG.
sample() {
	for id in "$@"; do
		bpftool prog show id "$id" 2>/dev/null | awk '
			{ for (i = 1; i <= NF; i++) { if ($i == "run_time_ns") t = $(i + 1); if ($i == "run_cnt") c = $(i + 1) } }
			END { printf "%s %s ", t + 0, c + 0 }'
	done
	echo
}
# measure FLOOR A B: the loop in the subject, sampled; prints the medians.
measure() {
	[ "$PROG" = file_open ] || LOOP="connect $PORT 100000000"
	echo 1 > /proc/sys/kernel/bpf_stats_enabled
	in_svc stk-loop $LOOP > /dev/null &
	L=$!
	sleep 0.5
	for _ in $(seq "$SAMPLES"); do sample "$@"; sleep 0.1; done > /tmp/samples
	kill $L
	wait $L 2>/dev/null
	echo 0 > /proc/sys/kernel/bpf_stats_enabled
	# Each sample's ns/run per program, from the deltas to the one before.
	awk 'NR > 1 && $4 > p4 && $6 > p6 {
		f = $2 > p2 ? ($1 - p1) / ($2 - p2) : 0; a = ($3 - p3) / ($4 - p4); b = ($5 - p5) / ($6 - p6)
		printf "%.0f %.0f %.0f %.4f\n", f, a, b, a / b }
		{ p1 = $1; p2 = $2; p3 = $3; p4 = $4; p5 = $5; p6 = $6 }' /tmp/samples > /tmp/per
	for col in 1 2 3 4; do cut -d' ' -f$col /tmp/per | median; done | tr '\n' ' '
	echo
}
# start BUILD: record the loop's cgroup with /v/BUILD/stockade; sets PID and ID.
start() {
	before=$(ids stockade_$PROG)
	: > /tmp/$1.out
	/v/$1/stockade record --cgroup $SVC --db /tmp/$1.db >> /tmp/$1.out 2>&1 &
	PID=$!
	until grep -q '^stockade: recording' /tmp/$1.out; do
		kill -0 $PID 2>/dev/null || { cat /tmp/$1.out; echo "hitpath: $1 failed"; exit 1; }
		sleep 0.05
	done
	ID=$(ids stockade_$PROG | grep -vxF "$before" | tail -n 1)
}
for r in $(seq "$ROUNDS"); do
	for pair in "$@"; do
		a=${pair%%:*} b=${pair#*:}
		stk-floor /usr/local/lib/floor.bpf.o > /tmp/floor.out 2>&1 &
		FLOOR=$!
		until grep -q '^attached' /tmp/floor.out; do sleep 0.05; done
		FLOOR_ID=$(ids floor_file_open | tail -n 1)
		if [ $((r % 2)) = 1 ]; then
			start "$a"; pa=$PID ia=$ID; start "$b"; pb=$PID ib=$ID
		else
			start "$b"; pb=$PID ib=$ID; start "$a"; pa=$PID ia=$ID
		fi
		# A port of its own each time: the last loop's may still be closing.
		PORT=$((PORT + 1))
		echo "HIT $a $b $(measure "$FLOOR_ID" "$ia" "$ib")"
		kill -INT $pa $pb $FLOOR
		wait $pa $pb $FLOOR
	done
done

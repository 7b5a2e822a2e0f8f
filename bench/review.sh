#!/bin/sh
# Time to first screen (the overview) of `stockade review` on a profile of
# 10,000 rules, and to jump to its last rule, in a tmux terminal of 80x24. Baseline in
# the same run: the same terminal showing a one-line program's output.
# Each figure is the median of RUNS (default 5) runs.
set -eu
bin=$(realpath "${1:-build/stockade}")
rules=${RULES:-10000}
runs=${RUNS:-5}
dir=$(mktemp -d)
sock=stockade-bench-$$
T() { tmux -L "$sock" "$@"; }
trap 'T kill-server 2>/dev/null || true; rm -rf "$dir"' EXIT
now() { date +%s%N; }
# Milliseconds until the screen shows TEXT.
until_shown() {
	start=$1 text=$2
	until T capture-pane -p -t t 2>/dev/null | grep -qF -- "$text"; do sleep 0.005; done
	echo $(( ($(now) - start) / 1000000 ))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

{
	printf 'version: 1\nsubject: {service: big.service}\nfiles:\n'
	i=0
	awk -v n="$rules" 'BEGIN { for (i = 0; i < n; i++)
		printf "- path: /srv/data/d%03d/file%05d\n  access: [read]\n  evidence: {count: %d, first_seen: '"'"'2026-11-01T00:00:00Z'"'"', last_seen: '"'"'2026-11-02T00:00:00Z'"'"', hosts: 1}\n", i % 500, i, i + 1 }'
} > "$dir/big.yaml"

# A session that outlives the timed ones: a server left with none exits, and
# a new-session racing that exit fails ("server exited unexpectedly").
T new-session -d -s keep "sleep 3600"
base="" first="" last=""
for run in $(seq "$runs"); do
	t=$(now)
	T new-session -d -s t -x 80 -y 24 "echo ready; sleep 60"
	base="$base $(until_shown "$t" ready)"
	T kill-session -t t
	t=$(now)
	T new-session -d -s t -x 80 -y 24 "$bin review $dir/big.yaml"
	# The first screen is the overview; the rules come after a key.
	first="$first $(until_shown "$t" 'press any key for the rules')"
	T send-keys -t t Enter
	until_shown "$t" '? help' > /dev/null
	t=$(now)
	T send-keys -t t G
	last="$last $(until_shown "$t" "file$(printf %05d $((rules - 1)))")"
	T kill-session -t t
done
b=$(echo $base | tr ' ' '\n' | median)
f=$(echo $first | tr ' ' '\n' | median)
l=$(echo $last | tr ' ' '\n' | median)
echo "review of $rules rules, median of $runs runs (ms):"
echo "  baseline: a terminal showing one line   $b"
echo "  first screen                            $f  (+$((f - b)) over the baseline)"
echo "  jump to the last rule (G)               $l"

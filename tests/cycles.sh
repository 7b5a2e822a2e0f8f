#!/bin/sh
# `make cycles`: no unit of user space depends on one that depends back on
# it, by including it or by calling it (README, Layout). Units are the files
# and the stages (folders). The calls are read from the objects' symbols, so
# run it after `make`. Fails naming the loop.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
stages="common subject names kernel db profile learner enforcer tui cli"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

for stage in $stages; do
	for f in "$stage"/*.c "$stage"/*.h; do
		[ -e "$f" ] && echo "$f"
	done
done > "$dir/files"

# One "from to" line per include between the files (the generated skeleton aside).
while read -r f; do
	sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f" | while read -r inc; do
		to=$(realpath -m --relative-to=. "$(dirname "$f")/$inc")
		[ -e "$to" ] && echo "$f $to"
	done
done < "$dir/files" > "$dir/includes"

# One "from to" line per call (or use of a global) between the objects.
grep '\.c$' "$dir/files" | while read -r f; do
	o=$build/${f%.c}.o
	[ -e "$o" ] || { echo "cycles: no $o: run make first" >&2; exit 1; }
	nm -g --defined-only "$o" | awk -v f="$f" 'NF == 3 { print "def", $3, f }'
	nm -u "$o" | awk -v f="$f" '{ print "use", $2, f }'
done > "$dir/symbols"
# Read twice: every definition first, then the uses.
awk 'NR == FNR { if ($1 == "def") at[$2] = $3; next } $1 == "use" && ($2 in at) { print $3, at[$2] }' \
	"$dir/symbols" "$dir/symbols" > "$dir/calls"

# The same edges between stages: a file's stage is its folder.
stage_edges() {
	awk '{ split($1, a, "/"); split($2, b, "/"); if (a[1] != b[1]) print a[1], b[1] }' "$1"
}

status=0
for graph in includes calls; do
	for level in file stage; do
		if [ $level = file ]; then
			awk '$1 != $2' "$dir/$graph"
		else
			stage_edges "$dir/$graph"
		fi > "$dir/edges"
		if ! tsort "$dir/edges" > /dev/null 2> "$dir/loop"; then
			echo "cycles: a loop of $graph between ${level}s:"
			grep -v 'input contains a loop' "$dir/loop" | sed 's/^tsort: /  /' | awk '!seen[$0]++'
			status=1
		fi
	done
	echo "cycles: $(wc -l < "$dir/$graph") $graph between $(wc -l < "$dir/files") files"
done
[ $status -eq 0 ] && echo "cycles: none, between files or between stages"
exit $status

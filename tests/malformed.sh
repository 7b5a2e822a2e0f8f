#!/bin/sh
# `make malformedtest`: every malformed input gets one line of error that
# names it, and a non-zero exit: the profiles in tests/malformed/, and two
# recordings made here (a future schema version, a corrupted page).
set -eu
bin=${1:-build/stockade}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
one_line() {
	want=$1; shift
	if "$@" > /dev/null 2> "$dir/err"; then fail "$* succeeded"; fi
	[ "$(wc -l < "$dir/err")" -eq 1 ] || { cat "$dir/err"; fail "$*: expected one line of error"; }
	grep -qF -- "$want" "$dir/err" || { cat "$dir/err"; fail "$*: the error does not name $want"; }
}
n=0
for f in tests/malformed/*.yaml; do
	one_line "stockade: $f:" "$bin" enforce "$f"
	one_line "stockade: $f:" "$bin" approve "$f"
	n=$((n + 1))
done
# Recordings: one from a future schema, one with a page overwritten.
cp fuzz/corpus/db/recording.db "$dir/future.db"
sqlite3 "$dir/future.db" "PRAGMA user_version = 99"
one_line "future.db: recording schema version 99 is newer than this stockade reads" \
	"$bin" learn --db "$dir/future.db" --service app.service
cp fuzz/corpus/db/recording.db "$dir/corrupt.db"
printf 'this page is not a b-tree page any more' | dd of="$dir/corrupt.db" bs=1 seek=3080 conv=notrunc 2> /dev/null
one_line "corrupt.db: not a readable SQLite database" "$bin" learn --db "$dir/corrupt.db" --service app.service
head -c 512 /dev/urandom > "$dir/noise.db"
one_line "noise.db:" "$bin" learn --db "$dir/noise.db" --service app.service
echo "malformed: $n profiles and 3 recordings, one line of error each"

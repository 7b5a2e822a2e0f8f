# Booted without bpf in lsm=: doctor says so, and record and enforce stop
# with one line that names the fix, before anything is loaded.
. /tests/vm/lib.sh
mkdir -p /sys/fs/cgroup/app
if stockade doctor > out; then cat out; fail "doctor passed without BPF LSM"; fi
grep -q 'FAIL  BPF LSM  *not active: add bpf to the lsm= kernel parameter' out || { cat out; fail "doctor did not name the fix"; }
for cmd in "record --cgroup /app --db r.db" "enforce p.yaml"; do
	printf 'version: 1\nsubject: {cgroup: /app}\nfiles: []\n' > p.yaml
	if stockade $cmd > stdout 2> err; then fail "stockade $cmd ran"; fi
	[ "$(wc -l < err)" -eq 1 ] || { cat err; fail "stockade $cmd: expected one line"; }
	grep -q 'BPF LSM is not active (active LSMs: lockdown,capability,landlock); add bpf to the lsm= kernel parameter' err ||
		{ cat err; fail "stockade $cmd: wrong diagnosis"; }
done
[ -z "$(ls /sys/fs/bpf)" ] || fail "something was left loaded in /sys/fs/bpf"

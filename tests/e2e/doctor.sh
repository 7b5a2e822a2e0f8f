# On Debian's kernel with BPF LSM active, doctor finds everything in order.
. /tests/vm/lib.sh
stockade doctor > out || { cat out; fail "doctor failed on a capable kernel"; }
grep -q 'ok    BPF LSM programs       loaded and attached' out || { cat out; fail "trial attach not reported"; }
grep -q 'can record and enforce' out || { cat out; fail "no verdict"; }

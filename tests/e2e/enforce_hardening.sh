# `stockade enforce FILE...` protects itself as the daemon does: a confined
# service whose profile lets it write almost anything and signal other
# processes cannot change the profile in force or signal the enforcing
# process (EPERM, each beside a twin that works), and a profile that grants
# changing a profile being enforced is refused before anything is loaded.
. /tests/e2e/common.inc
svc_setup
cat > wide.yaml <<EOY
version: 1
subject:
  cgroup: $SVC
files:
- subtree: /
  access: [read, write, append, create, unlink]
exec:
- subtree: /
privileges: [signal]
EOY
approve wide.yaml

# Granting a change to a profile in force is refused, and nothing is loaded.
printf '%s\n' "version: 1" "subject:" "  cgroup: /stockade-test/other.service" "files:" "- path: $PWD/wide.yaml" \
	"  access: [write]" > grab.yaml
approve grab.yaml
one_line_error "the rule for $PWD/wide.yaml would let the service change $PWD/wide.yaml, which is stockade's own" \
	stockade enforce wide.yaml grab.yaml
stockade status | grep -q 'no stockade programs are loaded' || fail "a refused profile left programs loaded"

bg_stockade enf.out enforce wide.yaml
ENF=$BG_PID

# The profile in force; the scenario's folder is the twin.
expect_eperm in_svc "echo '# gone' >> $PWD/wide.yaml"
expect_eperm in_svc "rm $PWD/wide.yaml"
expect_ok in_svc "echo fine > $PWD/note.txt"

# Signalling the enforcing process; another process is the twin.
expect_eperm in_svc "kill -0 $ENF"
expect_eperm in_svc "kill -TERM $ENF"
sleep $HELPER_SECS &
OTHER=$!
expect_ok in_svc "kill -0 $OTHER"
kill $OTHER
expect_ok kill -0 $ENF                                         # outside

sleep 0.5
grep -q '^denied: tamper-with-stockade' enf.out || { cat enf.out; fail "tampering not printed"; }
bg_stop enf.out

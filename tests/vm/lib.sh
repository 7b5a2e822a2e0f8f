# Helpers for e2e scenarios (sourced). A scenario is a sh script that exits 0
# when every assertion held; the first failed assertion ends it.

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_ok CMD...: CMD succeeds.
expect_ok() {
	"$@" || fail "expected success (got status $?): $*"
}

# expect_eperm CMD...: CMD fails, and what it printed says EPERM.
expect_eperm() {
	if "$@" > /tmp/.expect.out 2>&1; then
		fail "expected EPERM, but it succeeded: $*"
	fi
	grep -q 'Operation not permitted' /tmp/.expect.out ||
		{ cat /tmp/.expect.out >&2; fail "expected EPERM, got another failure: $*"; }
}

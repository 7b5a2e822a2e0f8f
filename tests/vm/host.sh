# Host-side helpers shared by tests/vm/run (busybox guest) and
# tests/vm/run-systemd (Debian guest with systemd), sourced by both. The
# sourcing script defines usage() and sets repo and cache.

# vm_options ARGS...: parse the options both guests take into debs, adds,
# timeout, lsm and mem; what follows them (SCRIPT ARGS...) goes to rest.
vm_options() {
	timeout=${STOCKADE_VM_TIMEOUT:-600}
	lsm=lockdown,capability,landlock,bpf
	debs=() adds=() rest=()
	while [ $# -gt 0 ]; do
		case $1 in
		--deb) debs+=("$2"); shift 2 ;;
		--add) adds+=("$2"); shift 2 ;;
		--timeout) timeout=$2; shift 2 ;;
		--lsm) lsm=$2; shift 2 ;;
		--mem) mem=$2; shift 2 ;;
		-h|--help) usage 0 ;;
		-*) echo "vm: unknown option $1" >&2; usage ;;
		*) break ;;
		esac
	done
	[ $# -ge 1 ] || usage
	[ -f "$1" ] || { echo "vm: no such script: $1" >&2; exit 2; }
	rest=("$@")
}

# vm_require TOOL...: each tool is installed, or say which `make deps` adds.
vm_require() {
	for tool in "$@"; do
		command -v "$tool" >/dev/null || { echo "vm: $tool is missing; run make deps" >&2; exit 2; }
	done
}

# vm_kernel: set vmlinuz to Debian's stock cloud kernel, fetched once into
# the cache (the version apt resolves now: a kernel update fetches anew).
vm_kernel() {
	local pkg
	mkdir -p "$cache/kernel"
	pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		awk '/Depends: linux-image-/ { print $2; exit }')
	[ -n "$pkg" ] || { echo "vm: cannot resolve linux-image-cloud-amd64; run apt-get update" >&2; exit 2; }
	vmlinuz=$(ls "$cache/kernel/$pkg"/boot/vmlinuz-* 2>/dev/null | head -n1 || true)
	[ -z "$vmlinuz" ] || return 0
	echo "vm: fetching kernel $pkg"
	(cd "$cache/kernel" && apt-get download -q "$pkg" >/dev/null 2>&1) ||
		{ echo "vm: cannot download $pkg" >&2; exit 2; }
	dpkg-deb -x "$cache/kernel/${pkg}"_*.deb "$cache/kernel/$pkg"
	vmlinuz=$(ls "$cache/kernel/$pkg"/boot/vmlinuz-* | head -n1)
}

is_elf() { [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]; }

# add_libs ROOT BINARY: copy an ELF binary's shared libraries (and the
# loader) into ROOT, leaving the ones ROOT already has and, when base_files
# names a list of the files under ROOT's base image, the ones it has.
add_libs() {
	ldd "$2" 2>/dev/null | grep -o '/[^ )]*' | while read -r lib; do
		[ -e "$1$lib" ] && continue
		[ -n "${base_files:-}" ] && grep -qxF -e "$lib" -e "/usr$lib" "$base_files" && continue
		mkdir -p "$1$(dirname "$lib")"
		cp -L "$lib" "$1$lib"
	done
}

# add_paths ROOT SPEC...: copy each --add PATH[:DEST] of the repository into
# ROOT (DEST defaults to /PATH), with the libraries of the ELF files in it.
add_paths() {
	local root=$1 spec src dest
	shift
	for spec in "$@"; do
		src=${spec%%:*} dest=${spec#*:}
		[ "$dest" != "$spec" ] || dest=/$src
		(cd "$repo" && [ -e "$src" ]) || { echo "vm: --add: no such path: $src" >&2; exit 2; }
		mkdir -p "$root$(dirname "$dest")"
		(cd "$repo" && cp -r "$src" "$root$dest")
		find "$root$dest" -type f | while read -r f; do is_elf "$f" && add_libs "$root" "$f"; done || true
	done
}

# write_args FILE ARGS...: the arguments as a shell `set --` line, each
# single-quoted, for the guest to source.
write_args() {
	local file=$1 arg
	shift
	{
		printf 'set --'
		for arg in "$@"; do printf " '%s'" "$(printf '%s' "$arg" | sed "s/'/'\\\\''/g")"; done
		echo
	} > "$file"
}

# vm_panic_summary CONSOLE: what a dying kernel said, short enough to read
# in the tail of a CI log: its BUG/panic lines, each CPU's RIP, and each
# call trace on one line, innermost first (the "? " guesses left out, "|"
# where an interrupt's frames end and the interrupted task's begin).
vm_panic_summary() {
	sed 's/^\[ *[0-9.]*\] //' "$1" | awk '
		function flush() { if (trace != "") print "  trace:" trace; trace = ""; intrace = 0 }
		/BUG: |Kernel panic|NMI backtrace for cpu|^CPU: [0-9]|^RIP: 0010:|Oops|general protection/ {
			flush(); print "  " $0; next
		}
		/^Call Trace:/ { flush(); intrace = 1; next }
		intrace && /^ +[A-Za-z_][A-Za-z0-9_.]*\+0x/ {
			sub(/^ +/, ""); sub(/\+0x.*/, ""); trace = trace " " $0; next
		}
		intrace && /^ +<\/IRQ>/ { trace = trace " |"; next }
		intrace && /^ +(<\/?[A-Z]+>|\? )/ { next }
		intrace { flush() }
		END { flush() }'
}

# vm_boot INITRD APPEND: boot the kernel under TCG with INITRD, print what
# the guest prints between its STOCKADE-VM-BEGIN and STOCKADE-VM-EXIT=N
# console lines, and exit with N. The console goes through $work/console
# so the marker can be read back; each line is passed on as it comes, so a
# long boot shows its progress.
# A guest CPU that stays in the kernel for two minutes (a soft lockup, as
# one boot once did for 800 s) panics the guest: the panic prints the stuck
# task's stack whatever the loglevel (panic_print=0x40: every CPU's), and
# the boot fails then instead of at the timeout. The longest threshold the
# kernel takes (60 s, a lockup at twice that), not the default 10: under
# TCG a host too busy to run a vCPU for a while must not end the boot.
# One TCG thread for both vCPUs (thread=single): with a thread each, a vCPU
# can go on running a stale translation of code the other patched. The
# kernel's text_poke() of an LSM hook's entry when a daemon detached its
# programs left both vCPUs trapping on an int3 no longer in memory, for
# good (bpf_lsm_inode_permission+0x0; kprobe_int3_handler() backs up over
# a removed int3 to run what memory holds now, and TCG ran the int3 again).
vm_boot() {
	local log=$work/console qemu status
	set +e
	timeout --foreground -k 5 "$timeout" qemu-system-x86_64 -accel tcg,thread=single -cpu max -m "$mem" -smp 2 \
		-nographic -no-reboot -kernel "$vmlinuz" -initrd "$1" \
		-append "console=ttyS0 panic=-1 softlockup_panic=1 watchdog_thresh=60 panic_print=0x40 lsm=$lsm $2" </dev/null 2>&1 |
		stdbuf -oL tr -d '\r' | tee "$log" | sed -un '/STOCKADE-VM-BEGIN$/,/^STOCKADE-VM-EXIT=/p' |
		grep --line-buffered -v 'STOCKADE-VM-'
	qemu=${PIPESTATUS[0]}
	set -e
	if [ "$qemu" -eq 124 ] || [ "$qemu" -eq 137 ]; then
		echo "vm: timed out after $timeout s" >&2
		exit 124
	fi
	status=$(sed -n 's/^STOCKADE-VM-EXIT=\([0-9]*\)$/\1/p' "$log" | tail -n1)
	if [ -z "$status" ]; then
		if grep -q 'Kernel panic' "$log"; then
			echo "vm: the guest's kernel panicked; what it said:" >&2
			vm_panic_summary "$log" >&2
		else
			echo "vm: the guest stopped without reporting an exit status; its console:" >&2
			tail -n 30 "$log" >&2
		fi
		! grep -q 'Initramfs unpacking failed' "$log" ||
			echo "vm: the guest's files do not fit in --mem $mem; give it more" >&2
		exit 125
	fi
	exit "$status"
}

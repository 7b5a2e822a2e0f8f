# stockade: `make` builds build/stockade; `make test` runs every test.
# `make help` lists the targets.

PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR   := $(PREFIX)/bin
UNITDIR  ?= $(PREFIX)/lib/systemd/system
DOCDIR   := $(PREFIX)/share/doc/stockade

CC       ?= cc
CLANG    ?= clang
BPFTOOL  ?= bpftool
BUILD    := build

WARN     := -Wall -Wextra -Werror
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 $(WARN) -I$(BUILD)
LDLIBS   := -lbpf -lelf -lz -lsqlite3 -lyaml -lncursesw
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# Each object depends on the headers it includes (build/**/*.d), so a BPF
# edit rebuilds only what includes the skeleton (the loader), not all of
# user space.
DEPFLAGS  = -MMD -MP -MF $@.d -MT $@

# Debian package names: `make deps` installs them (README and .ci/run use it).
DEPS := make gcc clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev \
	libsqlite3-dev libyaml-dev libncurses-dev libcriterion-dev liburing-dev pkg-config \
	qemu-system-x86 cpio busybox-static lz4 mmdebstrap zstd valgrind sqlite3 tmux \
	frama-c-base why3 z3 cvc4

LIB_SRCS := common/error.c common/sha256.c common/systemd.c \
	subject/subject.c names/access.c names/net.c names/grants.c names/event.c db/db.c \
	kernel/load.c kernel/pin.c kernel/event.c kernel/status.c \
	profile/profile.c profile/yaml_read.c profile/yaml_node.c profile/yaml_write.c profile/grants.c profile/diff.c profile/summary.c profile/upgrade.c \
	learner/learn.c learner/support.c learner/paths.c learner/generalise.c learner/learn_net.c learner/learn_grants.c \
	enforcer/compile.c enforcer/apply.c enforcer/pipeline.c \
	tui/model.c tui/actions.c
CLI_SRCS := cli/main.c cli/support.c cli/record.c cli/learn.c cli/enforce.c cli/doctor.c cli/status.c cli/review.c \
	cli/daemon.c cli/disable.c cli/check_upgrade.c \
	tui/screen.c
TEST_SRCS := $(wildcard tests/unit/*.c)

LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/%.o)
ASAN_OBJS := $(LIB_SRCS:%.c=$(BUILD)/asan/%.o)
TEST_BINS := $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.SECONDARY: $(ASAN_OBJS)
# A recipe that fails leaves no half-written target to be trusted next time.
.DELETE_ON_ERROR:
.PHONY: all deps install installtest malformedtest nginxtest prove fuzz unit cycles valgrind tuitest vmtest vmtest-systemd vmstress test demo profiles clean help vmlinux-h bench bench-learn bench-review

all: $(BUILD)/stockade

help:
	@echo "make            build build/stockade"
	@echo "make deps       install the Debian packages stockade needs (root)"
	@echo "make install    install stockade and its systemd unit (PREFIX, DESTDIR)"
	@echo "make prove      prove bpf/decide.h with Frama-C WP (every goal, or fail)"
	@echo "make unit       unit tests under AddressSanitizer and UBSan"
	@echo "make cycles     no file or stage includes or calls one that depends back on it"
	@echo "make valgrind   the user-space commands under valgrind"
	@echo "make tuitest    the review screen, driven in tmux"
	@echo "make vmtest     end-to-end scenarios in a VM with Debian's kernel"
	@echo "make nginxtest  Debian's nginx and iproute2 recorded, learned, enforced in the VM"
	@echo "make vmtest-systemd  the service scenarios in a Debian 12 VM with systemd"
	@echo "make vmstress   an enforcing daemon started and stopped ROUNDS times under load, in the VM"
	@echo "make test       unit tests, valgrind, the review screen, both VMs' scenarios"
	@echo "make demo       record -> learn -> enforce a real service in the VM"
	@echo "make profiles   learn the reference profiles in profiles/ in the VM"
	@echo "make fuzz       fuzz the YAML, database and event readers (FUZZ_SECONDS each)"
	@echo "make bench      every benchmark, one table (docs/performance.md)"
	@echo "make bench-learn  learning 1,000,000 observations: time and memory"
	@echo "make bench-review time to first screen of a 10,000-rule review"
	@echo "make vmlinux-h  regenerate bpf/vmlinux.h from the reference kernel"

deps:
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(DEPS)

# ---- kernel side ----------------------------------------------------------

# One translation unit: the concerns are headers (bpf/stockade.bpf.c says which).
$(BUILD)/stockade.bpf.o: bpf/stockade.bpf.c $(wildcard bpf/*.h) | $(BUILD)
	$(CLANG) -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 $(WARN) -Wno-unused-parameter \
		-Ibpf -c $< -o $@

$(BUILD)/stockade.skel.h: $(BUILD)/stockade.bpf.o
	$(BPFTOOL) gen skeleton $< name stockade_bpf > $@.tmp && mv $@.tmp $@

vmlinux-h:
	bpf/gen-vmlinux-h

# ---- user space -----------------------------------------------------------

$(BUILD)/stockade: $(CLI_OBJS) $(LIB_OBJS)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

# The skeleton is order-only: it must exist before the first build, and the
# dependency files name it for the objects that include it.
$(BUILD)/%.o: %.c | $(BUILD)/stockade.skel.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/asan/%.o: %.c | $(BUILD)/stockade.skel.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANITIZE) $(DEPFLAGS) -c $< -o $@

$(BUILD):
	mkdir -p $@

# ---- tests ----------------------------------------------------------------

$(BUILD)/tests/%: tests/unit/%.c $(ASAN_OBJS) | $(BUILD)/stockade.skel.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANITIZE) $(DEPFLAGS) $< $(ASAN_OBJS) -o $@ -lcriterion $(LDLIBS)

unit: $(TEST_BINS)
	@set -e; for t in $(TEST_BINS); do echo "== $$t"; $$t --jobs 2; done

# Programs the VM scenarios run (tests/vm/vmtest puts them on the guest's PATH).
$(BUILD)/tests/stk-open: tests/tools/stk-open.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ -luring

$(BUILD)/tests/stk-net: tests/tools/stk-net.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@

$(BUILD)/tests/stk-priv: tests/tools/stk-priv.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@

$(BUILD)/tests/stk-escape: tests/tools/stk-escape.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@

# The kernel differential test's profiles and cases (tests/e2e/differential.sh).
$(BUILD)/tests/stk-diff-gen: tests/tools/stk-diff-gen.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEPFLAGS) $< $(LIB_OBJS) -o $@ $(LDLIBS)

$(BUILD)/tests/stk-diff-run: tests/tools/stk-diff-run.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@

$(BUILD)/tests/diff/c-0.txt: $(BUILD)/tests/stk-diff-gen
	@mkdir -p $(dir $@)
	$< /stockade-test/app.service $(dir $@) 20 20 20261125

# Debian's nginx and iproute2, recorded, learned and enforced in the VM.
nginxtest: $(BUILD)/stockade
	tests/vm/run --deb nginx --add tests/vm/lib.sh --add tests/nginx tests/nginx/nginx.sh

vmtest: $(BUILD)/stockade $(BUILD)/tests/stk-open $(BUILD)/tests/stk-net $(BUILD)/tests/stk-priv $(BUILD)/tests/stk-escape $(BUILD)/tests/stk-diff-run \
		$(BUILD)/tests/diff/c-0.txt $(BUILD)/bench/stk-loop
	tests/vm/vmtest

# An enforcing daemon started and stopped ROUNDS times while other tasks run
# its hooks: what hung the guest under multi-threaded TCG (tests/vm/host.sh).
# 25 to 60 s a round; not in `make test`.
ROUNDS ?= 40
vmstress: $(BUILD)/stockade
	tests/vm/run --timeout $$(( $(ROUNDS) * 150 + 300 )) --add tests/e2e --add tests/vm/lib.sh tests/vm/restarts $(ROUNDS)

# The service scenarios (tests/e2e-systemd/) in one boot of the systemd guest,
# with what `make install` puts on a Debian machine (stockade.service is not
# enabled); SCENARIOS="smoke ..." runs only those.
vmtest-systemd: $(BUILD)/stockade
	rm -rf $(BUILD)/guest
	$(MAKE) -s install DESTDIR=$(CURDIR)/$(BUILD)/guest PREFIX=/usr/local
	tests/vm/run-systemd --timeout 1800 --add $(BUILD)/guest/.:/ --add tests/vm/lib.sh \
		--add tests/e2e-systemd tests/vm/scenarios-systemd $(SCENARIOS)

# The layout's rule (README): no include or call cycles between files or stages.
cycles: $(BUILD)/stockade
	tests/cycles.sh $(BUILD)

valgrind: $(BUILD)/stockade
	tests/valgrind.sh $<

# The review screen, driven in tmux.
tuitest: $(BUILD)/stockade
	tests/tui/review.sh $<

installtest: $(BUILD)/stockade
	tests/install.sh

malformedtest: $(BUILD)/stockade
	tests/malformed.sh $<

# The formal proof of bpf/decide.h (docs/proof.md).
prove:
	proofs/prove

test: prove unit cycles valgrind tuitest installtest malformedtest vmtest nginxtest vmtest-systemd

# ---- fuzzing --------------------------------------------------------------

# libFuzzer harnesses for the three readers of untrusted bytes: `make fuzz`
# runs each for FUZZ_SECONDS (default 60) on a copy of its seed corpus in
# fuzz/corpus/, and keeps any crash in build/fuzz/.
FUZZ_SECONDS ?= 60
FUZZERS := yaml db event
FUZZ_FLAGS := -g -O1 -std=gnu11 -I$(BUILD) -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OBJS := $(LIB_SRCS:%.c=$(BUILD)/fuzz/obj/%.o)
.SECONDARY: $(FUZZ_OBJS)

$(BUILD)/fuzz/obj/%.o: %.c | $(BUILD)/stockade.skel.h
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) $(DEPFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(BUILD)/fuzz/%: fuzz/%.c $(FUZZ_OBJS)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) $(DEPFLAGS) -fsanitize=fuzzer $< $(FUZZ_OBJS) -o $@ $(LDLIBS)

fuzz: $(FUZZERS:%=$(BUILD)/fuzz/%)
	@set -e; for f in $(FUZZERS); do \
		mkdir -p $(BUILD)/fuzz/corpus-$$f; cp -n fuzz/corpus/$$f/* $(BUILD)/fuzz/corpus-$$f/; \
		echo "== fuzz $$f for $(FUZZ_SECONDS) s"; \
		$(BUILD)/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(BUILD)/fuzz/$$f- \
			$(BUILD)/fuzz/corpus-$$f fuzz/corpus/$$f 2>&1 | tail -n 3; \
	done

# ---- benchmarks -----------------------------------------------------------

$(BUILD)/bench-learn: bench/learn.c $(LIB_OBJS)
	$(CC) $(CFLAGS) $(DEPFLAGS) $< $(LIB_OBJS) -o $@ $(LDLIBS)

bench-learn: $(BUILD)/bench-learn
	$<

bench-review: $(BUILD)/stockade
	bench/review.sh $<

$(BUILD)/bench/stk-loop: bench/stk-loop.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@

# Programs that do nothing, on the hooks an open enters: the floor under stockade's cost.
$(BUILD)/bench/floor.bpf.o: bench/floor.bpf.c bpf/vmlinux.h
	@mkdir -p $(dir $@)
	$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_x86 $(WARN) -Wno-unused-parameter -Ibpf -c $< -o $@

$(BUILD)/bench/stk-floor: bench/stk-floor.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ -lbpf -lelf -lz

# Every benchmark, one table (docs/performance.md): about 15 minutes.
bench: $(BUILD)/stockade $(BUILD)/bench-learn $(BUILD)/bench/stk-loop $(BUILD)/bench/stk-floor $(BUILD)/bench/floor.bpf.o
	bench/run

demo: $(BUILD)/stockade
	tests/vm/run --add tests/demo tests/demo/demo.sh

# The reference profiles in profiles/, learned afresh in the VM.
profiles: $(BUILD)/stockade
	profiles/regenerate

# `make install [PREFIX=/usr] [DESTDIR=...]`: the binary, the systemd unit
# (pointing at that binary), the profile directory and the docs.
install: $(BUILD)/stockade
	install -D -m 755 $(BUILD)/stockade $(DESTDIR)$(BINDIR)/stockade
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' dist/stockade.service > $(BUILD)/stockade.service
	install -D -m 644 $(BUILD)/stockade.service $(DESTDIR)$(UNITDIR)/stockade.service
	install -d -m 755 $(DESTDIR)/etc/stockade/profiles
	install -D -m 644 README.md $(DESTDIR)$(DOCDIR)/README.md
	install -m 644 docs/*.md $(DESTDIR)$(DOCDIR)/

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

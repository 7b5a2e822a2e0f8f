/* stockade doctor: can this kernel run stockade, and if not, why not. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "../kernel/kernel.h"

static const char doctor_usage[] =
	"usage: stockade doctor\n"
	"\n"
	"Check what stockade needs from this machine: root, kernel BTF, cgroup v2,\n"
	"BPF LSM in the active LSM list, and a trial load and attach of its programs\n"
	"(the fentry ones, which can only record, where BPF LSM is not active).\n"
	"Exits 0 only if stockade can record and enforce here.\n";

static bool check(bool ok, const char *what, const char *detail)
{
	printf("  %-4s  %-22s %s\n", ok ? "ok" : "FAIL", what, detail);
	return ok;
}

static const char *load_detail(const struct kernel_report *r, char *buf, size_t len)
{
	if (!r->root)
		return "not tried: run as root";
	if (r->load_error == -EPERM)
		return "REFUSED: this kernel rejects trampoline programs (fentry, LSM) with EPERM";
	if (r->load_error) {
		snprintf(buf, len, "failed: %s (--verbose shows the log)", strerror(-r->load_error));
		return buf;
	}
	if (r->attach_error) {
		snprintf(buf, len, "loaded, but attaching failed: %s", strerror(-r->attach_error));
		return buf;
	}
	return "loaded and attached";
}

int cmd_doctor(int argc, char **argv)
{
	struct kernel_report r;
	char lsm[320], buf[256];
	bool ok = true, loaded;

	(void)argv;
	if (argc > 1)
		return usage(doctor_usage, strcmp(argv[1], "--help") && strcmp(argv[1], "-h") ? 2 : 0);
	kernel_probe(&r);
	snprintf(lsm, sizeof(lsm), "%s%s", r.lsm_known ? "active: " : "",
		 r.lsm_known ? r.lsm_list : "unknown (securityfs not mounted at /sys/kernel/security)");
	printf("stockade doctor\n");
	ok &= check(r.root, "root", r.root ? "yes" : "no: loading BPF programs needs root");
	ok &= check(r.btf, "kernel BTF", r.btf ? "/sys/kernel/btf/vmlinux" : "missing: the kernel lacks CONFIG_DEBUG_INFO_BTF");
	ok &= check(r.cgroup2, "cgroup v2", r.cgroup2 ? "mounted" : "not mounted");
	ok &= check(r.bpf_lsm, "BPF LSM", r.bpf_lsm ? lsm : (r.lsm_known ? "not active: add bpf to the lsm= kernel parameter to enforce" : lsm));
	loaded = check(r.root && !r.load_error && !r.attach_error,
		       r.fentry ? "fentry programs" : "BPF LSM programs", load_detail(&r, buf, sizeof(buf)));
	if (ok && loaded) {
		printf("stockade can record and enforce on this machine.\n");
		return 0;
	}
	if (loaded && r.fentry && r.btf && r.cgroup2) {
		printf("stockade can record here (through fentry), but cannot enforce until bpf is in lsm=.\n");
		return 1;
	}
	printf("stockade cannot run on this kernel.\n");
	if (r.load_error == -EPERM)
		printf("Run `make demo` to see record -> learn -> enforce in a VM with Debian's stock kernel.\n");
	return 1;
}

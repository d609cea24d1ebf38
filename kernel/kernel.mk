# kernel/kernel.mk — kernel build and qemu tests; included by the top-level Makefile.
# Also usable alone: make -f kernel/kernel.mk vm-test
#
#   make kernel        build (or reuse from the cache) the patched bzImage and its Debian
#                      packages: kernel/build.sh
#   make kernel-deb    Debian packages of the patched kernel for a real machine, into
#                      $(BUILD)/ (BASE_CONFIG=FILE, default /boot/config-$(uname -r)):
#                      kernel/kernel-deb.sh
#   make initramfs     the test initramfs (test programs, guest script) in $(BUILD)
#   make ktests        the static test programs in $(BUILD)/ktests/
#   make vm-test       all of the above, boot the kernel of the linux-image package in
#                      qemu (TCG), check the results
#   make vm-test-debug the same tests plus bounded stress on a debug variant of the kernel
#                      (KASAN, lockdep, DEBUG_VM, DEBUG_ATOMIC_SLEEP, 2 fake NUMA nodes
#                      with NUMA balancing on: kernel/debug.fragment, numa=fake=2) and the
#                      kernel's own mm selftests untraced and traced (make mm-selftests);
#                      fails on any KASAN, lockdep, BUG, WARNING or RCU-stall report
#   make mm-selftests  build tools/testing/selftests/mm of the same tree, static, into
#                      $(BUILD)/mm-selftests/bin: tests/kernel/mm-selftests.sh
#   make check-kernel-config  configure (only) from Debian's own amd64 configuration:
#                      the series' fragment changes none of the distribution's choices
#   make check-kernel  = check-kernel-config + vm-test + vm-test-debug (part of `make check`)
#
# Variables: BUILD (in-checkout outputs, default build), PAT_CACHE (kernel artefacts
# outside the checkout, default ~/.cache/pat), VM_TIMEOUT (seconds, default 900;
# VM_DEBUG_TIMEOUT for the debug kernel, default 2400),
# KERNEL_VM_FLAGS (extra kernel/run-vm.sh flags, e.g. -v to show the console).

BUILD ?= build
PAT_CACHE ?= $(HOME)/.cache/pat
export PAT_CACHE
VM_TIMEOUT ?= 900
VM_DEBUG_TIMEOUT ?= 2400
KERNEL_VM_FLAGS ?=

KERNEL_MK_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
KERNEL_TOP := $(patsubst %/,%,$(dir $(KERNEL_MK_DIR)))
ifeq ($(KERNEL_TOP),.)
KTESTS_SRC := tests/kernel
else
KTESTS_SRC := $(KERNEL_TOP)/tests/kernel
endif

KTESTS_PROGS := seqscan random threads fork aux mmops exec stress pa_ctl bench ksm uffd huge swap \
	sigbus setidexec spin faultbench escname churn nofault thp seen mmstress numascan \
	odirect
KTESTS_BINS := $(addprefix $(BUILD)/ktests/,$(KTESTS_PROGS))
KTESTS_CC ?= gcc
# The prctl number of PR_SET_PAGE_ACCESS_TRACE_AUX, taken from the patch series so the
# tests follow it (ktest.h falls back to 48, the original tracer's number).
KTESTS_AUX_NR := $(firstword $(shell sed -n 's/^+\#define[[:space:]]*PR_SET_PAGE_ACCESS_TRACE_AUX[[:space:]]*\([0-9a-fA-Fx]*\).*/\1/p' \
	$(wildcard $(KERNEL_MK_DIR)/patches/*.patch) /dev/null))
KTESTS_CFLAGS ?= -static -O1 -g -Wall -Wextra \
	$(if $(KTESTS_AUX_NR),-DPR_SET_PAGE_ACCESS_TRACE_AUX=$(KTESTS_AUX_NR))
KERNEL_BZIMAGE_PATH := $(BUILD)/kernel/bzImage.path
# The initramfs holds this checkout's test programs: it lives in the checkout's build
# directory, so that two checkouts sharing the kernel cache never test each other's.
KERNEL_INITRAMFS := $(BUILD)/ktests.cpio.gz
VM_TEST_OUT ?= $(BUILD)/vm-test
VM_TEST_DEBUG_OUT ?= $(BUILD)/vm-test-debug
MM_SELFTESTS_DIR := $(BUILD)/mm-selftests
# The debug run's initramfs: the test programs and the mm selftests.
KERNEL_DEBUG_INITRAMFS := $(BUILD)/ktests-debug.cpio.gz

.PHONY: kernel kernel-debug kernel-deb initramfs ktests vm-test vm-test-debug check-kernel \
	check-kernel-config kernel-deps mm-selftests

kernel-deps:
	@$(KERNEL_MK_DIR)/install-deps.sh

# build.sh decides from its cache key whether anything needs building (a hit takes
# seconds); the path of the bzImage is recorded for the other targets.
# (A per-process temporary name: engineers share the checkout and may run this at once.)
kernel: kernel-deps
	@mkdir -p $(BUILD)/kernel
	@$(KERNEL_MK_DIR)/build.sh > $(KERNEL_BZIMAGE_PATH).$$$$ && \
		mv $(KERNEL_BZIMAGE_PATH).$$$$ $(KERNEL_BZIMAGE_PATH) || \
		{ rm -f $(KERNEL_BZIMAGE_PATH).$$$$; exit 1; }
	@cat $(KERNEL_BZIMAGE_PATH)

ktests: $(KTESTS_BINS)

$(BUILD)/ktests/%: $(KTESTS_SRC)/%.c $(KTESTS_SRC)/ktest.h $(wildcard $(KERNEL_MK_DIR)/patches/*.patch)
	@mkdir -p $(@D)
	$(KTESTS_CC) $(KTESTS_CFLAGS) -o $@ $< -lpthread

initramfs: $(KERNEL_INITRAMFS)

$(KERNEL_INITRAMFS): $(KTESTS_BINS) $(KTESTS_SRC)/guest-test.sh $(KERNEL_MK_DIR)/mkinitramfs.sh
	$(KERNEL_MK_DIR)/mkinitramfs.sh -o $@ --script $(KTESTS_SRC)/guest-test.sh \
		$(foreach b,$(KTESTS_BINS),--bin $(b))

# What users install: the kernel unpacked from the build's linux-image package
# (kernel/deb-vmlinuz.sh); check.py compares its release with the guest's uname -r.
vm-test: kernel initramfs
	@rm -rf $(VM_TEST_OUT)
	@mkdir -p $(VM_TEST_OUT)
	@deb=$$($(KERNEL_MK_DIR)/deb-vmlinuz.sh "$$(dirname "$$(cat $(KERNEL_BZIMAGE_PATH))")" \
		$(BUILD)/kernel/deb) || exit 1; set -- $$deb; echo "$$3 $$2" > $(VM_TEST_OUT)/package; \
	rc=0; $(KERNEL_MK_DIR)/run-vm.sh --kernel "$$1" \
		--initrd $(KERNEL_INITRAMFS) --out $(VM_TEST_OUT) --timeout $(VM_TIMEOUT) \
		$(KERNEL_VM_FLAGS) || rc=$$?; \
	if [ $$rc = 124 ] || [ ! -f $(VM_TEST_OUT)/status ]; then \
		echo "vm-test: FAIL: the VM did not deliver results (run-vm.sh status $$rc); see $(VM_TEST_OUT)/console.log" >&2; \
		exit 1; \
	fi
	python3 $(KTESTS_SRC)/check.py $(VM_TEST_OUT)

# The debug variant builds in its own obj-debug/ (build.sh --variant), so that it and the
# plain kernel do not rebuild each other from scratch; cached like the plain one.
# No packages of the debug kernel: it is for the tests only.
KERNEL_DEBUG_ARGS := --variant debug --add-fragment $(KERNEL_MK_DIR)/debug.fragment --no-deb

kernel-debug: kernel-deps
	@$(KERNEL_MK_DIR)/build.sh $(KERNEL_DEBUG_ARGS)

# Its headers come from the linux-libc-dev package of the test kernel's build.
mm-selftests: kernel
	@$(KTESTS_SRC)/mm-selftests.sh "$$(dirname "$$(cat $(KERNEL_BZIMAGE_PATH))")" $(MM_SELFTESTS_DIR)

vm-test-debug: kernel-debug mm-selftests $(KTESTS_BINS)
	@rm -rf $(VM_TEST_DEBUG_OUT)
	@mkdir -p $(VM_TEST_DEBUG_OUT)
	$(KERNEL_MK_DIR)/mkinitramfs.sh -o $(KERNEL_DEBUG_INITRAMFS) --script $(KTESTS_SRC)/guest-test.sh \
		$(foreach b,$(KTESTS_BINS),--bin $(b)) --dir $(MM_SELFTESTS_DIR)/bin:/kselftest-mm
	@rc=0; $(KERNEL_MK_DIR)/run-vm.sh \
		--kernel "$$($(KERNEL_MK_DIR)/build.sh $(KERNEL_DEBUG_ARGS) 2>/dev/null)" \
		--initrd $(KERNEL_DEBUG_INITRAMFS) --out $(VM_TEST_DEBUG_OUT) --timeout $(VM_DEBUG_TIMEOUT) \
		--append "numa=fake=2" $(KERNEL_VM_FLAGS) || rc=$$?; \
	if [ $$rc = 124 ] || [ ! -f $(VM_TEST_DEBUG_OUT)/status ]; then \
		echo "vm-test-debug: FAIL: the VM did not deliver results (run-vm.sh status $$rc); see $(VM_TEST_DEBUG_OUT)/console.log" >&2; \
		exit 1; \
	fi
	python3 $(KTESTS_SRC)/check.py --debug $(VM_TEST_DEBUG_OUT)

BASE_CONFIG ?=
kernel-deb:
	@$(KERNEL_MK_DIR)/kernel-deb.sh $(if $(BASE_CONFIG),--base-config $(BASE_CONFIG)) --out $(BUILD)

check-kernel-config: kernel-deps
	@$(KTESTS_SRC)/distro-config.sh

check-kernel: check-kernel-config vm-test vm-test-debug

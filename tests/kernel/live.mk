# tests/kernel/live.mk — pacollect live on the patched kernel in qemu (issue 5); included
# by the top-level Makefile after kernel/kernel.mk, whose variables it uses.
#
#   make vm-test-live   build the tools, the kernel and an initramfs holding pacollect
#                       (with its shared libraries) and the test programs, boot it, run
#                       tests/kernel/live-test.sh in the guest, judge with check-live.sh
# `make check-kernel` (part of `make check`) runs it after vm-test.
#   make vm-sample-accuracy  the error of kernel sampling, measured (not a test)

LIVE_PROGS := $(BUILD)/ktests/livetarget $(BUILD)/ktests/ptyrun \
	$(addprefix $(BUILD)/ktests/,seqscan threads fork)
LIVE_INITRAMFS := $(BUILD)/vm-live/initramfs.cpio.gz
LIVE_OUT := $(BUILD)/vm-test-live

.PHONY: vm-test-live
check-kernel: vm-test-live

$(BUILD)/ktests/livetarget: tests/kernel/livetarget.c tests/kernel/ktest.h
	@mkdir -p $(@D)
	$(KTESTS_CC) $(KTESTS_CFLAGS) -o $@ $<

$(BUILD)/ktests/ptyrun: tests/kernel/ptyrun.c
	@mkdir -p $(@D)
	$(KTESTS_CC) $(KTESTS_CFLAGS) -o $@ $< -lutil

$(LIVE_INITRAMFS): $(LIVE_PROGS) $(BUILD)/pacollect $(BUILD)/paanalyze tests/kernel/live-test.sh \
		kernel/mkinitramfs.sh
	@mkdir -p $(@D)
	kernel/mkinitramfs.sh -o $@ --script tests/kernel/live-test.sh \
		--bin $(BUILD)/pacollect --bin $(BUILD)/paanalyze $(foreach b,$(LIVE_PROGS),--bin $(b))

# $(call boot_vm,INITRAMFS,OUT): boot the plain test kernel with INITRAMFS, results in
# OUT; fails the target when the VM delivers none.
define boot_vm
	@rm -rf $(2)
	@mkdir -p $(2)
	@rc=0; kernel/run-vm.sh --kernel "$$(cat $(KERNEL_BZIMAGE_PATH))" \
		--initrd $(1) --out $(2) --timeout $(VM_TIMEOUT) \
		$(KERNEL_VM_FLAGS) || rc=$$?; \
	if [ $$rc = 124 ] || [ ! -f $(2)/status ]; then \
		echo "$@: FAIL: the VM did not deliver results (run-vm.sh status $$rc); see $(2)/console.log" >&2; \
		exit 1; \
	fi
endef

vm-test-live: kernel $(LIVE_INITRAMFS) $(BUILD)/paanalyze
	$(call boot_vm,$(LIVE_INITRAMFS),$(LIVE_OUT))
	sh tests/kernel/check-live.sh $(LIVE_OUT) $(BUILD)

# make vm-sample-accuracy: the error of kernel sampling (kernel/README.md, Accuracy of
# sampling): samples/programs/phases traced by pacollect in full, at 1/16 and at 1/64 in
# the VM, compared by tests/kernel/sample-accuracy.py. A measurement, not a test: not
# part of `make check`.
ACCURACY_INITRAMFS := $(BUILD)/vm-accuracy/initramfs.cpio.gz
ACCURACY_OUT := $(BUILD)/vm-sample-accuracy
.PHONY: vm-sample-accuracy

$(ACCURACY_INITRAMFS): $(BUILD)/pacollect $(BUILD)/demo/phases tests/kernel/accuracy-guest.sh \
		kernel/mkinitramfs.sh
	@mkdir -p $(@D)
	kernel/mkinitramfs.sh -o $@ --script tests/kernel/accuracy-guest.sh \
		--bin $(BUILD)/pacollect --bin $(BUILD)/demo/phases

vm-sample-accuracy: kernel $(ACCURACY_INITRAMFS) $(BUILD)/paanalyze $(BUILD)/pacollect
	$(call boot_vm,$(ACCURACY_INITRAMFS),$(ACCURACY_OUT))
	@grep '^accuracy-guest:' $(ACCURACY_OUT)/test.log
	python3 tests/kernel/sample-accuracy.py $(ACCURACY_OUT) $(BUILD)

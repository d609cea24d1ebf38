# tests/kernel/live.mk — pacollect live on the patched kernel in qemu (issue 5); included
# by the top-level Makefile after kernel/kernel.mk, whose variables it uses.
#
#   make vm-test-live   build the tools, the kernel and an initramfs holding pacollect
#                       (with its shared libraries) and the test programs, boot it, run
#                       tests/kernel/live-test.sh in the guest, judge with check-live.sh
# `make check-kernel` (part of `make check`) runs it after vm-test.

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

vm-test-live: kernel $(LIVE_INITRAMFS) $(BUILD)/paanalyze
	@rm -rf $(LIVE_OUT)
	@mkdir -p $(LIVE_OUT)
	@rc=0; kernel/run-vm.sh --kernel "$$(cat $(KERNEL_BZIMAGE_PATH))" \
		--initrd $(LIVE_INITRAMFS) --out $(LIVE_OUT) --timeout $(VM_TIMEOUT) \
		$(KERNEL_VM_FLAGS) || rc=$$?; \
	if [ $$rc = 124 ] || [ ! -f $(LIVE_OUT)/status ]; then \
		echo "vm-test-live: FAIL: the VM did not deliver results (run-vm.sh status $$rc); see $(LIVE_OUT)/console.log" >&2; \
		exit 1; \
	fi
	sh tests/kernel/check-live.sh $(LIVE_OUT) $(BUILD)

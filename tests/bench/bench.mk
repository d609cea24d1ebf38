# make bench: the performance figures of docs/design.md §7 (tests/bench/bench.sh says what
# it measures and which BENCH_* variables change it). Not part of `make check`: it
# prints figures and asserts nothing. Traces and databases go to $(BUILD)/bench.
.PHONY: bench
bench:
	$(Q)sh scripts/install-deps.sh build bench
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/benchtool
	$(Q)sh tests/bench/bench.sh $(BUILD)

# make bench-tracer: the slowdown of programs traced by pacollect in the test VM, and
# the event rate pacollect sustains (tests/bench/tracer.sh). Not part of `make check`.
.PHONY: bench-tracer
bench-tracer: kernel
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh tests/bench/tracer.sh $(BUILD) "$$(cat $(KERNEL_BZIMAGE_PATH))"

# The decoding baseline and the column sizes (tests/bench/benchtool.c).
$(BUILD)/benchtool: $(BUILD)/obj/tests/bench/benchtool.o $(ANALYZE_LIB) $(LIB)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) -ljansson -lpng -lm
$(BUILD)/obj/tests/bench/%.o: CFLAGS += -Ianalyze

# Tests, included by the top-level Makefile.
#
# tests/unit/test_*.c   cmocka programs, one per module, linked against the libraries
# tests/cli/test_*.sh   shell tests of the installed-style binaries; each gets $BUILD
#                       and $SRC in the environment and exits non-zero on failure
# Every test records "PASS name" or "FAIL name" in $(BUILD)/results; `make check`
# prints the summary of all of them at the end and fails if any failed.

# paanalyze's modules without its main(), for unit tests.
ANALYZE_LIB := $(BUILD)/libanalyze.a
$(ANALYZE_LIB): $(filter-out $(BUILD)/obj/analyze/paanalyze.o,$(ANALYZE_OBJ))
	$(if $(Q),@echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

COLLECT_LIB := $(BUILD)/libcollect.a
$(COLLECT_LIB): $(COLLECT_LIB_OBJ)
	$(if $(Q),@echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(ANALYZE_LIB) $(COLLECT_LIB) $(LIB)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) -ljansson -lpng -lcmocka -lm

$(BUILD)/obj/tests/unit/%.o: CFLAGS += -Icollector -Ianalyze -Ischema

# test_sqlext loads the extension of the same build, as sqlite3 would.
$(BUILD)/tests/test_sqlext: $(SQLEXT)
$(BUILD)/obj/tests/unit/test_sqlext.o: CFLAGS += -DPAT_SO='"$(abspath $(SQLEXT))"'

.PHONY: tests check-unit check-cli check-summary
tests: all $(UNIT_BINS)

check-unit: tests
	$(Q)mkdir -p $(BUILD)/results
	$(Q)for t in $(UNIT_BINS); do \
		if $$t > $$t.log 2>&1; then echo "PASS unit/$${t##*/}"; \
		else echo "FAIL unit/$${t##*/} (log: $$t.log)"; tail -n 20 $$t.log; fi; \
	done | tee $(BUILD)/results/unit

check-cli: tests
	$(Q)mkdir -p $(BUILD)/results
	$(Q)sh tests/cli/run.sh $(BUILD) | tee $(BUILD)/results/cli

# Fuzz targets: replayed with deterministic mutations by tests/fuzz/driver.c in every
# `make check`; `make fuzz` builds them with clang's libFuzzer into build-fuzz/ and runs
# each for FUZZ_SECONDS, growing build-fuzz/corpus-TARGET from tests/fuzz/corpus/.
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_TARGETS:%=$(BUILD)/tests/%)
FUZZ_MAIN := $(if $(FUZZ_LDFLAGS),,$(BUILD)/obj/tests/fuzz/driver.o)
$(BUILD)/tests/fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(FUZZ_MAIN) $(COLLECT_LIB) $(LIB)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) $(FUZZ_LDFLAGS) -o $@ $(filter %.o,$^) \
		-Wl,--start-group $(filter %.a,$^) -Wl,--end-group $(LIBS) -ljansson -lpng -lm
$(BUILD)/obj/tests/fuzz/%.o: CFLAGS += -Icollector

# fuzz_cli runs both programs' main() in its process, under other names.
$(BUILD)/tests/fuzz_cli: $(BUILD)/obj/tests/fuzz/pacollect_main.o \
	$(BUILD)/obj/tests/fuzz/paanalyze_main.o $(ANALYZE_LIB)
$(BUILD)/obj/tests/fuzz/%_main.o: CFLAGS += -Wno-missing-prototypes
$(BUILD)/obj/tests/fuzz/pacollect_main.o: collector/pacollect.c
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -Dmain=pa_pacollect_main -c -o $@ $<
$(BUILD)/obj/tests/fuzz/paanalyze_main.o: analyze/paanalyze.c
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -Dmain=pa_paanalyze_main -c -o $@ $<
tests: $(FUZZ_BINS)

.PHONY: check-fuzz fuzz fuzz-run
# A command line runs whole commands: fewer mutations keep its replay near a minute
# under ASan.
FUZZ_CLI_RUNS ?= 5000
check-fuzz: tests
	$(Q)mkdir -p $(BUILD)/results
	$(Q)for t in $(FUZZ_TARGETS); do \
		if $(BUILD)/tests/$$t $$(test $$t = fuzz_cli && echo -runs=$(FUZZ_CLI_RUNS)) \
			tests/fuzz/corpus/$${t#fuzz_}/* > $(BUILD)/tests/$$t.log 2>&1; \
		then echo "PASS fuzz/$$t"; \
		else echo "FAIL fuzz/$$t (log: $(BUILD)/tests/$$t.log)"; tail -n 20 $(BUILD)/tests/$$t.log; fi; \
	done | tee $(BUILD)/results/fuzz

# libFuzzer needs clang (Debian: clang); `make fuzz` installs it as root, or names it.
FUZZ_SECONDS ?= 60
fuzz:
	$(Q)sh scripts/install-deps.sh build fuzz
	$(Q)$(MAKE) --no-print-directory SANITIZE=fuzzer fuzz-run

# Each target for FUZZ_SECONDS; a crash stops the round, its input saved as
# build-fuzz/crash-*; keep it in tests/fuzz/corpus/ once fixed.
fuzz-run: $(FUZZ_BINS)
	$(Q)for t in $(FUZZ_TARGETS); do \
		mkdir -p $(BUILD)/corpus-$$t && \
		$(BUILD)/tests/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=30 -print_final_stats=1 \
			$$(test -f tests/fuzz/$$t.dict && echo -dict=tests/fuzz/$$t.dict) \
			-artifact_prefix=$(BUILD)/ $(BUILD)/corpus-$$t tests/fuzz/corpus/$${t#fuzz_} \
			> $(BUILD)/tests/$$t.fuzz.log 2>&1 || \
			{ tail -n 30 $(BUILD)/tests/$$t.fuzz.log; echo "FAIL fuzz/$$t (libFuzzer)"; exit 1; }; \
		echo "PASS fuzz/$$t (libFuzzer, $(FUZZ_SECONDS) s: $$(grep -h '^stat::number_of_executed_units' \
			$(BUILD)/tests/$$t.fuzz.log | sed 's/.*: *//') runs)"; \
	done

include tests/bench/bench.mk

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
# `make check`; `make fuzz` runs them under clang's libFuzzer (FUZZ_SECONDS each).
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_TARGETS:%=$(BUILD)/tests/%)
$(BUILD)/tests/fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(BUILD)/obj/tests/fuzz/driver.o \
		$(COLLECT_LIB) $(LIB)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)
$(BUILD)/obj/tests/fuzz/%.o: CFLAGS += -Icollector
tests: $(FUZZ_BINS)

.PHONY: check-fuzz fuzz
check-fuzz: tests
	$(Q)mkdir -p $(BUILD)/results
	$(Q)for t in $(FUZZ_TARGETS); do \
		if $(BUILD)/tests/$$t tests/fuzz/corpus/$${t#fuzz_}/* > $(BUILD)/tests/$$t.log 2>&1; \
		then echo "PASS fuzz/$$t"; \
		else echo "FAIL fuzz/$$t (log: $(BUILD)/tests/$$t.log)"; tail -n 20 $(BUILD)/tests/$$t.log; fi; \
	done | tee $(BUILD)/results/fuzz

FUZZ_SECONDS ?= 60
fuzz:
	$(Q)mkdir -p build-fuzz
	$(Q)for t in $(FUZZ_TARGETS); do \
		clang -std=c11 -D_GNU_SOURCE -g -O1 -pthread -fsanitize=fuzzer,address,undefined -Iinclude \
			-Icollector -o build-fuzz/$$t tests/fuzz/$$t.c $(LIB_SRC) $(COLLECT_LIB_SRC) \
			$(BUILD)/gen/schema_sql.c $(LIBS) && \
		mkdir -p build-fuzz/corpus-$$t && \
		build-fuzz/$$t -max_total_time=$(FUZZ_SECONDS) build-fuzz/corpus-$$t \
			tests/fuzz/corpus/$${t#fuzz_} || exit 1; \
	done

include tests/bench/bench.mk

# pat - one non-recursive GNU make build for the tools, the tests and (through
# kernel/kernel.mk) the patched kernel and its qemu tests.
#
#   make                 build build/pacollect and build/paanalyze
#   make check           install missing Debian packages (as root; says which), build, run
#                        every test, and a short round of every fuzz target
#   make demo            the main job, end to end
#   make install         PREFIX=/usr/local DESTDIR=
#   make SANITIZE=1 ...  the same with -fsanitize=address,undefined into build-asan/
#   make fuzz            run every fuzz target under clang's libFuzzer (FUZZ_SECONDS each)
#   make V=1 ...         show the commands

SANITIZE ?=
ifeq ($(SANITIZE),1)
BUILD ?= build-asan
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# LeakSanitizer (GCC 12) misreads the dynamic TLS of a dlopen'd library that used its
# thread-local state (libdw after an error) and crashes at exit, tests passed or not
# (google/sanitizers#1322); pat keeps nothing in TLS, so it need not be followed.
ASAN_OPTIONS ?= intercept_tls_get_addr=0
export ASAN_OPTIONS
else ifeq ($(SANITIZE),fuzzer)
# `make fuzz`: clang's libFuzzer; the fuzz targets link its main instead of driver.c.
BUILD ?= build-fuzz
CC := clang
CFLAGS ?= -O1 -g
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
FUZZ_LDFLAGS := -fsanitize=fuzzer
ASAN_OPTIONS ?= intercept_tls_get_addr=0
export ASAN_OPTIONS
else
BUILD ?= build
SANFLAGS :=
endif

PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
CFLAGS ?= -O3 -g
WARN := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes
# -pthread: analyze/ahead.c decodes in a second thread.
ALL_CFLAGS = $(WARN) $(CFLAGS) $(SANFLAGS) -pthread -Iinclude -MMD -MP
ALL_LDFLAGS := $(LDFLAGS) $(SANFLAGS) -pthread
LIBS := -lsqlite3 -lzstd

ifeq ($(V),1)
Q :=
else
Q := @
endif

.DEFAULT_GOAL := all
.PHONY: all check check-unit check-cli check-asan deps demo install clean
.DELETE_ON_ERROR:
.SECONDARY:

# ---- the pat library: the database format (schema/) ------------------------------
LIB_SRC := schema/error.c schema/batch.c schema/chunk.c schema/store.c schema/runread.c \
	schema/grow.c schema/check.c
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/schema_sql.o
LIB := $(BUILD)/libpat.a

# schema/schema.sql becomes a C string, so the binaries carry their DDL.
$(BUILD)/gen/schema_sql.c: schema/schema.sql schema/sql2c.sh
	@mkdir -p $(@D)
	$(Q)sh schema/sql2c.sh pa_schema_sql < $< > $@

$(BUILD)/obj/gen/schema_sql.o: $(BUILD)/gen/schema_sql.c
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	$(if $(Q),@echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

# ---- pat.so: the SQLite extension (schema/sqlext.c), on the library built as PIC ----
# Only sqlite3_pat_init is exported (-fvisibility=hidden): the library's symbols
# cannot clash with those of the program that loads it.
SQLEXT := $(BUILD)/pat.so
SQLEXT_OBJ := $(LIB_SRC:%.c=$(BUILD)/pic/%.o) $(BUILD)/pic/schema/sqlext.o \
	$(BUILD)/pic/gen/schema_sql.o
$(BUILD)/pic/%.o: %.c
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC      $< (PIC)")
	$(Q)$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<
$(BUILD)/pic/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC      $< (PIC)")
	$(Q)$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<
$(SQLEXT): $(SQLEXT_OBJ)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -shared -Wl,-z,defs -o $@ $^ $(LIBS) -lm

# ---- pacollect (collector/) -------------------------------------------------------
COLLECT_LIB_SRC := collector/trace_parse.c collector/import.c collector/procmaps.c collector/runmeta.c \
	collector/tracefs.c collector/live.c collector/check.c
COLLECT_LIB_OBJ := $(COLLECT_LIB_SRC:%.c=$(BUILD)/obj/%.o)
$(BUILD)/pacollect: $(BUILD)/obj/collector/pacollect.o $(COLLECT_LIB_OBJ) $(LIB)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# ---- paanalyze (analyze/) ---------------------------------------------------------
ANALYZE_SRC := $(wildcard analyze/*.c analyze/plot/*.c)
ANALYZE_OBJ := $(ANALYZE_SRC:%.c=$(BUILD)/obj/%.o)
$(BUILD)/paanalyze: $(ANALYZE_OBJ) $(LIB)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) -ljansson -lpng -lm

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

BINS := $(BUILD)/pacollect $(BUILD)/paanalyze
all: $(BINS) $(SQLEXT) $(BUILD)/gentrace

# ---- manual pages and bash completion, made from the tools' --help -----------------
DOCGEN := scripts/helpdoc.sh scripts/help2roff.awk
MANS := $(BUILD)/man/pacollect.1 $(BUILD)/man/paanalyze.1
COMPLETION := $(BUILD)/completion/pat.bash
$(BUILD)/man/%.1: $(BUILD)/% docs/man/%.1.in $(DOCGEN)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  MAN     $@")
	$(Q)sh scripts/helpdoc.sh man $< docs/man/$*.1.in > $@
$(COMPLETION): $(BINS) scripts/helpdoc.sh scripts/help2comp.awk scripts/completion.bash
	@mkdir -p $(@D)
	$(if $(Q),@echo "  GEN     $@")
	$(Q)sh scripts/helpdoc.sh completion $(BINS) > $@
all: $(MANS) $(COMPLETION)

# ---- samples/: the synthetic trace generator --------------------------------------
$(BUILD)/gentrace: $(BUILD)/obj/samples/gentrace.o
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^

# ---- tests ------------------------------------------------------------------------
include tests/tests.mk
-include kernel/kernel.mk
ifneq ($(wildcard kernel/kernel.mk),)
include tests/kernel/live.mk
endif

# ---- make check: everything, normal and sanitized, then the kernel tests ----------
# The corpora are replayed in check-fuzz; then each fuzz target gets a short round of
# libFuzzer (about a minute for all, with the build).
CHECK_FUZZ_SECONDS ?= 10
check:
	$(Q)sh scripts/install-deps.sh build test fuzz
	$(Q)rm -rf build/results build-asan/results
	$(Q)$(MAKE) --no-print-directory check-unit check-cli check-fuzz
	$(Q)$(MAKE) --no-print-directory SANITIZE=1 check-unit check-cli check-fuzz
	$(Q)$(MAKE) --no-print-directory SANITIZE=fuzzer FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS) \
		fuzz-run | tee build/results/libfuzzer
	$(Q)$(if $(wildcard kernel/kernel.mk),\
		if $(MAKE) --no-print-directory check-kernel; then echo "PASS kernel"; \
		else echo "FAIL kernel"; fi | tee build/results/kernel,true)
	$(Q)sh tests/summary.sh build/results/* build-asan/results/*

# ---- make demo: the main job -------------------------------------------------------
# samples/programs/ are static, with debug info, so that symbols resolve after the run.
$(BUILD)/demo/%: samples/programs/%.c
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC      $@")
	$(Q)$(CC) -static -O1 -g -Wall -Wextra -o $@ $<

demo:
	$(Q)sh scripts/install-deps.sh build
	$(Q)$(MAKE) --no-print-directory all kernel $(BUILD)/demo/phases
	$(Q)sh scripts/demo.sh $(BUILD)

# ---- dependencies, install, clean -------------------------------------------------
deps:
	$(Q)sh scripts/install-deps.sh build test

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(PREFIX)/lib/pat
	install -m 644 $(SQLEXT) $(DESTDIR)$(PREFIX)/lib/pat/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 644 $(MANS) $(DESTDIR)$(PREFIX)/share/man/man1/
	# bash-completion loads a command's completion from the file named after it
	install -m 644 $(COMPLETION) $(DESTDIR)$(PREFIX)/share/bash-completion/completions/pacollect
	install -m 644 $(COMPLETION) $(DESTDIR)$(PREFIX)/share/bash-completion/completions/paanalyze

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD)/obj $(BUILD)/pic -name '*.d' 2>/dev/null)

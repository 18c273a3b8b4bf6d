# gha - GH Archive to developer metrics.  GNU make; see config.mk.
include config.mk

# `make SANITIZE=1 check` builds with ASan + UBSan into a tree of its own,
# so the normal and the sanitizer builds never mix objects.
B = build
ifeq ($(SANITIZE),1)
B = build-san
CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

ALL_CPPFLAGS = $(CPPFLAGS) -Ilib
DEPFLAGS = -MMD -MP

LIB = $(B)/libgha.a
LIB_OBJ = $(patsubst %.c,$(B)/%.o,$(wildcard lib/*.c))

TOOLS = $(patsubst %/main.c,%,$(wildcard fetch/main.c decode/main.c filter/main.c load/main.c))
BIN = $(patsubst %,$(B)/bin/gha-%,$(TOOLS))
# The programs go to bin/; what they read, never run, to share/gha/: the
# scripts' sourced library and gha-report's awk program (the scripts look
# for them there, in ../share/gha from their own folder), and the
# templates of the environments and the crontab, to be copied to
# /etc/gha and edited (gha-daily(1)).
SCRIPTS = scripts/gha-daily scripts/gha-backfill scripts/gha-report
SHARE = scripts/gha-common.sh scripts/gha-commits.sh scripts/gha-report.awk \
	scripts/gha.crontab scripts/bots
ENVS = $(wildcard scripts/env/*.conf)
SHAREDIR = $(PREFIX)/share/gha
MAN1 = $(wildcard man/*.1)

# Test-only programs: never installed.
TESTBIN = $(patsubst tests/%.c,$(B)/tests/%,$(filter tests/refdecode.c tests/chdbq.c tests/gzfloor.c,$(wildcard tests/*.c))) \
	$(if $(wildcard tests/gen.c),$(B)/tests/gha-gen)

all: $(BIN)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(CFLAGS) $(DEPFLAGS) $(EXTRA_CFLAGS_$(<D)) \
		-c -o $@ $<

EXTRA_CFLAGS_lib = $(ZLIB_CFLAGS) -I$(B)/gen

# The built-in list of bots (lib/bots.c) is scripts/bots, the file that is
# also installed as share/gha/bots, as one C string.
$(B)/gen/bots-default.h: scripts/bots
	@mkdir -p $(@D)
	awk '{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); \
	    printf "\"%s\\n\"\n", $$0 }' scripts/bots >$@

$(B)/lib/bots.o: $(B)/gen/bots-default.h

EXTRA_CFLAGS_fetch = $(CURL_CFLAGS)
EXTRA_CFLAGS_load = $(SQLITE_CFLAGS) $(CURL_CFLAGS) $(ZLIB_CFLAGS)
EXTRA_CFLAGS_tests = $(JANSSON_CFLAGS)

# The inflate choice (config.mk) as a file whose contents change only when
# the choice does, so switching it in one build tree rebuilds lib/.
$(B)/inflate: FORCE
	@mkdir -p $(@D)
	@echo "ISAL=$(ISAL)" | cmp -s - $@ || echo "ISAL=$(ISAL)" >$@

$(LIB_OBJ): $(B)/inflate

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

objs = $(patsubst %.c,$(B)/%.o,$(wildcard $(1)/*.c))

$(B)/bin/gha-fetch: $(call objs,fetch) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(call objs,fetch) $(LIB) $(CURL_LIBS) $(ZLIB_LIBS)

$(B)/bin/gha-decode: $(call objs,decode) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(call objs,decode) $(LIB) $(ZLIB_LIBS)

$(B)/bin/gha-filter: $(call objs,filter) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(call objs,filter) $(LIB) $(ZLIB_LIBS)

$(B)/bin/gha-load: $(call objs,load) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(call objs,load) $(LIB) $(SQLITE_LIBS) \
		$(CURL_LIBS) $(ZLIB_LIBS)

$(B)/tests/gzfloor: $(B)/tests/gzfloor.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(B)/tests/gzfloor.o $(LIB) $(ZLIB_LIBS)

$(B)/tests/refdecode: $(B)/tests/refdecode.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(B)/tests/refdecode.o $(LIB) $(JANSSON_LIBS) \
		$(ZLIB_LIBS)

# chdbq dlopens libchdb.so at run time: the build never needs it.  It is
# built without the sanitizers even in build-san: the ClickHouse engine
# it loads does not run under ASan, and chdbq is a harness, not our code
# under test.
NOSAN = $(filter-out -fsanitize=%,$(1))
$(B)/tests/chdbq: tests/chdbq.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(call NOSAN,$(CFLAGS)) $(call NOSAN,$(LDFLAGS)) \
		-o $@ tests/chdbq.c -ldl

$(B)/tests/gha-gen: $(B)/tests/gen.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(B)/tests/gen.o $(LIB) $(ZLIB_LIBS) -lm

testbin: $(TESTBIN)

check: all testbin
	sh tests/run.sh $(B)

# The cases that compare against real archive hours, run without the
# samples too: the hours of tests/real-hours are fetched from the archive
# into build/real-hours once (tests/lib.sh, need_real).
check-real: all testbin
	GHA_TEST_FETCH=1 sh tests/run.sh $(B)

# The zlib build is benchmarked beside the default, which is isa-l's where
# Debian's libisal-dev is installed (config.mk).
bench-zlib:
	$(MAKE) B=$(B)-zlib ISAL=0 all $(B)-zlib/tests/gzfloor

bench: all testbin bench-zlib
	sh bench/run.sh $(B)

bench-quick: all testbin bench-zlib
	BENCH_QUICK=1 sh bench/run.sh $(B)

lint:
	mandoc -Tlint -W warning $(MAN1)

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(SHAREDIR)/env \
		$(DESTDIR)$(MANPREFIX)/man1
	cp -f $(BIN) $(SCRIPTS) $(DESTDIR)$(PREFIX)/bin/
	cd $(DESTDIR)$(PREFIX)/bin && chmod 755 $(notdir $(BIN) $(SCRIPTS))
	cp -f $(SHARE) $(DESTDIR)$(SHAREDIR)/
	cd $(DESTDIR)$(SHAREDIR) && chmod 644 $(notdir $(SHARE))
	cp -f $(ENVS) $(DESTDIR)$(SHAREDIR)/env/
	cd $(DESTDIR)$(SHAREDIR)/env && chmod 644 $(notdir $(ENVS))
	cp -f $(MAN1) $(DESTDIR)$(MANPREFIX)/man1/
	cd $(DESTDIR)$(MANPREFIX)/man1 && chmod 644 $(notdir $(MAN1))

uninstall:
	for f in $(notdir $(BIN) $(SCRIPTS)); do \
		rm -f $(DESTDIR)$(PREFIX)/bin/$$f; done
	for f in $(notdir $(SHARE)); do rm -f $(DESTDIR)$(SHAREDIR)/$$f; done
	for f in $(notdir $(ENVS)); do rm -f $(DESTDIR)$(SHAREDIR)/env/$$f; done
	rmdir $(DESTDIR)$(SHAREDIR)/env $(DESTDIR)$(SHAREDIR) 2>/dev/null || :
	for f in $(notdir $(MAN1)); do \
		rm -f $(DESTDIR)$(MANPREFIX)/man1/$$f; done

clean:
	rm -rf build build-*

.PHONY: FORCE all testbin check check-real bench bench-quick bench-zlib lint install uninstall clean

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# Fuzzing (tests/fuzz/fuzz-run says how): libFuzzer targets built by clang
# with ASan + UBSan in a tree of their own.  `make fuzz FUZZ_SECONDS=N`
# runs each target N seconds; `make fuzz-ci` replays tests/fuzz/crashes
# and runs each briefly.  Debian: clang libclang-rt-14-dev.
FUZZ_B = build-fuzz
FUZZ_CC = clang
FUZZ_SECONDS = 60
FUZZ_CI_SECONDS = 7
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
FUZZ_CFLAGS = -std=c11 -pthread -g -O1 -Wall -Wextra $(FUZZ_SAN) \
	-fsanitize=fuzzer-no-link
FUZZ_BIN = $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
EXTRA_CFLAGS_tests/fuzz = $(JANSSON_CFLAGS) $(ZLIB_CFLAGS) -Idecode -Ifilter \
	-Ifetch $(if $(wildcard tests/fuzz/fuzz_spec.c),$(CURL_CFLAGS))
FUZZ_LDFLAGS_fuzz_input = -Wl,--wrap=read

.PRECIOUS: $(B)/tests/fuzz/%.o

$(B)/fuzz/fuzz_event: $(B)/decode/event.o
$(B)/fuzz/fuzz_filter: $(B)/filter/pred.o $(B)/filter/expr.o $(B)/filter/types.o
$(B)/fuzz/fuzz_spec: $(B)/fetch/spec.o

$(B)/fuzz/%: $(B)/tests/fuzz/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer $(FUZZ_LDFLAGS_$*) -o $@ \
		$(filter %.o,$^) $(LIB) $(JANSSON_LIBS) $(ZLIB_LIBS)

fuzz-bin: $(FUZZ_BIN)

fuzz-build:
	$(MAKE) B=$(FUZZ_B) CC=$(FUZZ_CC) CFLAGS='$(FUZZ_CFLAGS)' \
		LDFLAGS='-pthread $(FUZZ_SAN)' fuzz-bin

fuzz: fuzz-build
	sh tests/fuzz/fuzz-run -t $(FUZZ_SECONDS) $(FUZZ_B)

fuzz-ci: fuzz-build
	sh tests/fuzz/fuzz-run -c -t $(FUZZ_CI_SECONDS) $(FUZZ_B)

.PHONY: fuzz fuzz-ci fuzz-build fuzz-bin

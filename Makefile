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
SCRIPTS = $(filter-out %.md %.conf %.crontab,$(wildcard scripts/gha-*))
MAN1 = $(wildcard man/*.1)

# Test-only programs: never installed.
TESTBIN = $(patsubst tests/%.c,$(B)/tests/%,$(filter tests/refdecode.c,$(wildcard tests/*.c))) \
	$(if $(wildcard tests/gen.c),$(B)/tests/gha-gen)

all: $(BIN)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(CFLAGS) $(DEPFLAGS) $(EXTRA_CFLAGS_$(<D)) \
		-c -o $@ $<

EXTRA_CFLAGS_lib = $(ZLIB_CFLAGS)
EXTRA_CFLAGS_fetch = $(CURL_CFLAGS)
EXTRA_CFLAGS_load = $(SQLITE_CFLAGS) $(CURL_CFLAGS) $(ZLIB_CFLAGS)
EXTRA_CFLAGS_tests = $(JANSSON_CFLAGS)

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

$(B)/tests/refdecode: $(B)/tests/refdecode.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(B)/tests/refdecode.o $(LIB) $(JANSSON_LIBS) \
		$(ZLIB_LIBS)

$(B)/tests/gha-gen: $(B)/tests/gen.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(B)/tests/gen.o $(LIB) $(ZLIB_LIBS) -lm

testbin: $(TESTBIN)

check: all testbin
	sh tests/run.sh $(B)

bench: all testbin
	sh bench/run.sh $(B)

bench-quick: all testbin
	BENCH_QUICK=1 sh bench/run.sh $(B)

lint:
	mandoc -Tlint -W warning $(MAN1)

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1
	cp -f $(BIN) $(SCRIPTS) $(DESTDIR)$(PREFIX)/bin/
	cp -f $(MAN1) $(DESTDIR)$(MANPREFIX)/man1/

uninstall:
	for f in $(notdir $(BIN) $(SCRIPTS)); do \
		rm -f $(DESTDIR)$(PREFIX)/bin/$$f; done
	for f in $(notdir $(MAN1)); do \
		rm -f $(DESTDIR)$(MANPREFIX)/man1/$$f; done

clean:
	rm -rf build build-san

.PHONY: all testbin check bench bench-quick lint install uninstall clean

-include $(shell find $(B) -name '*.d' 2>/dev/null)

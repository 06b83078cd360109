# Labnet build. `make` builds; `make run` serves the demo site; `make test`
# runs every suite. Variables: BUILD (output dir), SAN=1 (ASan+UBSan build in
# build-san/), FAULT=1 (that build in build-fault/ with failure injection, see
# make fault), PORT (make run), CC.

SAN ?=
ifeq ($(FAULT),1)
SAN = 1
BUILD ?= build-fault
endif
ifeq ($(SAN),1)
BUILD ?= build-san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD ?= build
SANFLAGS =
endif

CC ?= cc
PKGS = libxml-2.0 libxslt libexslt libpq libsodium inih pwquality
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN = -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
       -Wpointer-arith -Wformat=2 -Wno-format-nonliteral
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -fPIC -D_GNU_SOURCE \
             -Icore -Icore/include $(PKG_CFLAGS)
LDLIBS = $(PKG_LIBS) -lfcgi -lpthread -ldl

CORE_SRC := $(filter-out core/main.c,$(wildcard core/*.c))
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
PLUGINS := $(notdir $(wildcard plugins/*))
PLUGIN_SO := $(PLUGINS:%=$(BUILD)/plugins/%.so)
TEST_PLUGIN_SRC := $(wildcard tests/plugins/*.c)
TEST_PLUGIN_SO := $(TEST_PLUGIN_SRC:tests/plugins/%.c=$(BUILD)/tests/plugins/%.so)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
BASEMAP := $(BUILD)/share/plugins/labs/map/basemap.txt

.PHONY: all unit run test test-unit test-http stop clean check-static \
        fuzz fuzz-build
all: $(BUILD)/labnet $(PLUGIN_SO) $(TEST_PLUGIN_SO) $(UNIT_BIN) $(BASEMAP)

$(BUILD)/%.o: %.c $(wildcard core/*.h core/include/labnet/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# FAULT=1 links tests/fault/wrap.c in, and every call the core makes to a
# function it wraps (a __wrap_NAME there) goes through it.
ifeq ($(FAULT),1)
FAULT_OBJ = $(BUILD)/tests/fault/wrap.o
FAULT_WRAPPED := $(shell sed -n -E -e 's/^WRAP.[^,]*, ([A-Za-z_]+),.*/\1/p' \
    -e 's/^__wrap_([A-Za-z_]+).*/\1/p' tests/fault/wrap.c)
FAULT_LDFLAGS = $(FAULT_WRAPPED:%=-Wl,--wrap=%)
endif

# The binary exports its symbols so plugins resolve ln_* against it.
$(BUILD)/labnet: $(BUILD)/core/main.o $(CORE_OBJ) $(FAULT_OBJ)
	$(CC) $(SANFLAGS) $(FAULT_LDFLAGS) -rdynamic -o $@ $^ $(LDLIBS)

$(BUILD)/plugins/%.so: plugins/%/*.c core/include/labnet/labnet.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -shared -o $@ $(filter %.c,$^)

# The labs map's basemap: Natural Earth land (public domain) from the
# world-atlas npm package, projected at build time by the labs plugin's
# tools/basemap.mjs into BUILD/share (staged like the source share tree).
# Without npm or the registry the map is drawn without it, and says so.
WORLD_ATLAS = world-atlas@2.0.2
$(BASEMAP): plugins/labs/tools/basemap.mjs
	@mkdir -p $(BUILD)/npm
	@if npm install --silent --no-audit --no-fund --prefix $(BUILD)/npm \
	    $(WORLD_ATLAS) >/dev/null 2>&1 && node $< \
	    $(BUILD)/npm/node_modules/world-atlas $@; then :; else \
	    echo "basemap: npm or the registry unavailable; the labs map has none" >&2; fi

$(BUILD)/tests/plugins/%.so: tests/plugins/%.c core/include/labnet/labnet.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -shared -o $@ $<

# The labs plugin's field checks are compiled into their unit test.
$(BUILD)/tests/unit/test_labs_validate: plugins/labs/validate.c plugins/labs/validate.h

$(BUILD)/tests/unit/%: tests/unit/%.c $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -rdynamic -o $@ $< $(CORE_OBJ) $(LDLIBS) $(shell pkg-config --libs cmocka)

# ---------------------------------------------------------------- fuzzing
# Every tests/fuzz/fuzz_<name>.c is a libFuzzer harness: built with clang
# against the core compiled again with clang and the sanitizers into
# build-fuzz/ (an archive, so a harness links only what it uses), seeded
# from tests/fuzz/corpus/<name>/, with tests/fuzz/<name>.dict when present.
# `make fuzz FUZZ_SECONDS=60` runs each for that long, two at a time.
FUZZ_BUILD = build-fuzz
FUZZ_CC = clang
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 2
FUZZ_SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer
FUZZ_CFLAGS = -std=gnu11 $(WARN) -O1 -g $(FUZZ_SANFLAGS) -fPIC -D_GNU_SOURCE \
              -Icore -Icore/include $(PKG_CFLAGS)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_CORE_OBJ := $(CORE_SRC:%.c=$(FUZZ_BUILD)/%.o)

$(FUZZ_BUILD)/core/%.o: core/%.c $(wildcard core/*.h core/include/labnet/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/libcore.a: $(FUZZ_CORE_OBJ)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_BUILD)/libcore.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/libcore.a $(LDLIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: fuzz-build
	tests/fuzz/run $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZ_BUILD)

# ---------------------------------------------------------------- faults
# Allocation-failure injection on the request path (issue 8): the FAULT=1
# build in build-fault/ (SAN=1's flags and rules, with tests/fault/wrap.c
# linked in) serves each request of tests/fault/requests/ in CGI mode once
# per fault point, with that point failing: each of Labnet's allocations
# and each call the core makes into libxml2, libxslt and libpq. Every case
# must answer a whole 4xx/5xx (or the fault-free page) with no sanitizer
# report. The cacheable pages are served again by build-fault/tests/fault/
# cached, which fills the render cache unarmed and then fails each point of
# the repeat view, a cache hit (and once its 304). FAULT_SITES=1 tries one
# point per call site (what make test runs); see tests/fault/run and
# docs/security.md.
FAULT_BUILD = build-fault
.PHONY: fault fault-build
fault:
	$(MAKE) FAULT=1 BUILD=$(FAULT_BUILD) fault-build
	tests/fault/run $(FAULT_BUILD)

fault-build: $(BUILD)/labnet $(BUILD)/tests/fault/cached $(PLUGIN_SO) \
    $(BUILD)/tests/plugins/probe.so

# The render cache's hit path: serves a request twice in-process, the
# second time armed (see tests/fault/cached.c).
$(BUILD)/tests/fault/cached: tests/fault/cached.c $(CORE_OBJ) $(FAULT_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(FAULT_LDFLAGS) -rdynamic -o $@ $< $(CORE_OBJ) \
	    $(FAULT_OBJ) $(LDLIBS)

# SQL only as literals, libxml2 parsing only at start-up and in
# ln_xml_parse, cppcheck and clang-tidy clean: see tools/check-static.
check-static:
	tools/check-static

# ---------------------------------------------------------------- running
PORT ?= 8080
# Packages first: on a fresh machine nothing can be compiled before them.
run:
	tools/deps build run
	$(MAKE) all
	tools/devstack run $(PORT)

stop:
	tools/devstack stop

# ---------------------------------------------------------------- testing
test:
	tools/test-all

test-unit: all
	tools/run-suite unit $(BUILD)

test-http: all
	tools/run-suite http $(BUILD)

clean:
	rm -rf build build-san build-fuzz build-fault

# ---------------------------------------------------------------- install
# make install [PREFIX=/usr/local] [DESTDIR=]: the binary, the stock
# plugins, the share tree (views, messages, migrations) the way share_dir
# expects it, the SDK header, labnet-plugin.pc, example configs, the
# systemd units and the docs (the plugin guide among them).
PREFIX ?= /usr/local
DESTDIR ?=
INSTALL_SHARE = $(DESTDIR)$(PREFIX)/share/labnet
LN_VERSION := $(shell sed -n 's/.*\.version = "\(.*\)",/\1/p' core/corepages.c)
LN_ABI := $(shell sed -n 's/^\#define LN_ABI_MAJOR[[:space:]]*\([0-9]*\).*/\1/p' core/include/labnet/labnet.h)
LN_API := $(shell sed -n 's/^\#define LN_API_VERSION[[:space:]]*\([0-9]*\).*/\1/p' core/include/labnet/labnet.h)

.PHONY: install
install: $(BUILD)/labnet $(PLUGIN_SO)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/labnet/plugins \
	    $(DESTDIR)$(PREFIX)/include/labnet $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	    $(INSTALL_SHARE) $(DESTDIR)$(PREFIX)/share/doc/labnet
	install -m 0755 $(BUILD)/labnet $(DESTDIR)$(PREFIX)/bin/labnet
	install -m 0644 $(PLUGIN_SO) $(DESTDIR)$(PREFIX)/lib/labnet/plugins/
	install -m 0644 core/include/labnet/*.h $(DESTDIR)$(PREFIX)/include/labnet/
	install -d $(INSTALL_SHARE)/core
	cp -R core/views core/messages $(INSTALL_SHARE)/core/
	cp -R sql $(INSTALL_SHARE)/
	for p in $(PLUGINS); do \
	    install -d $(INSTALL_SHARE)/plugins/$$p; \
	    for d in views messages schema; do \
	        [ ! -d plugins/$$p/$$d ] || cp -R plugins/$$p/$$d $(INSTALL_SHARE)/plugins/$$p/; \
	    done; \
	done
	[ ! -d $(BUILD)/share ] || cp -R $(BUILD)/share/. $(INSTALL_SHARE)/
	chmod -R u=rwX,go=rX $(INSTALL_SHARE)
	sed -e 's/@ABI@/$(LN_ABI)/g' -e 's/@API@/$(LN_API)/g' \
	    -e 's/@VERSION@/$(LN_VERSION)/g' core/labnet-plugin.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/labnet-plugin.pc
	install -m 0644 conf/labnet.conf nginx.conf.example README.md \
	    $(DESTDIR)$(PREFIX)/share/doc/labnet/
	# The units name /usr/bin/labnet: install with PREFIX=/usr to use them.
	install -d $(DESTDIR)$(PREFIX)/lib/systemd/system
	install -m 0644 conf/labnet.service conf/labnet.socket \
	    $(DESTDIR)$(PREFIX)/lib/systemd/system/
	[ ! -d docs ] || cp -R docs/. $(DESTDIR)$(PREFIX)/share/doc/labnet/

# ---------------------------------------------------------------- bench
# make bench [QUICK=1]: Labnet against nginx static, a bare libfcgi program
# and PHP-FPM in one run (bench/bench.mjs); results in $(BUILD)/bench/.
# make bench SCALE=1: latency against size at 1k, 100k and 1M labs instead.
$(BUILD)/bench/fcgi_static: bench/peers/fcgi_static.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) -O2 -o $@ $< -lfcgi

# Serves one route N times in-process, for callgrind's instruction counts.
$(BUILD)/bench/icount: bench/icount.c $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -rdynamic -o $@ $< $(CORE_OBJ) $(LDLIBS)

.PHONY: bench
bench: all $(BUILD)/bench/fcgi_static $(BUILD)/bench/icount
	tools/deps bench
	BUILD=$(BUILD) node bench/bench.mjs $(if $(QUICK),--quick) $(if $(SCALE),--scale)

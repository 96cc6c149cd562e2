# ringkv -- top-level Makefile.
#
#   make            build src/ringkv-server
#   make run        install what is missing, build, start on ./redis.conf
#   make test       install what is missing, build, run the whole test suite
#   make test-c     only the C tests;  make test-tcl  only the Tcl suite
#   make test-asan  the suite once under AddressSanitizer + UBSan
#   make clean
#
# Pass-through knobs: SANITIZE=address|undefined, MALLOC=libc, TAGS="...",
# SINGLE=tests/unit/foo.tcl (one Tcl file).

TCLSH ?= tclsh
TEST_TIMEOUT ?= 1800
# Tags of Tcl tests to leave out by default (e.g. "-slow"); empty now that
# every feature the suite exercises exists.
SKIP_TAGS ?=
TCL_TAGS = $(strip $(SKIP_TAGS) $(TAGS))

all:
	$(MAKE) -C src

deps:
	@bash deps/install.sh

deps-build:
	@bash deps/install.sh --build

run: deps-build
	$(MAKE) -C src
	./src/ringkv-server ./redis.conf

test: deps
	$(MAKE) -C src
	$(MAKE) test-c
	$(MAKE) test-tcl

test-tcl:
	timeout $(TEST_TIMEOUT) $(TCLSH) tests/test_helper.tcl $(if $(TCL_TAGS),--tags "$(TCL_TAGS)") $(if $(SINGLE),--single $(SINGLE)) $(TESTFLAGS)

test-c:
	$(MAKE) -C tests/c run

# The whole suite once more against a server built with AddressSanitizer
# and UBSan (build/asan/ringkv-server; src/ringkv-server is left alone).
ASAN_ENV = ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
test-asan: deps
	$(MAKE) -C src SANITIZE=address
	$(ASAN_ENV) $(MAKE) -C tests/c run SANITIZE=address SERVER=../../build/asan/ringkv-server
	$(ASAN_ENV) timeout $(TEST_TIMEOUT) $(TCLSH) tests/test_helper.tcl --server-bin build/asan/ringkv-server --tags "-slow $(SKIP_TAGS)" $(TESTFLAGS)

clean:
	$(MAKE) -C src clean
	$(MAKE) -C tests/c clean
	rm -rf tests/tmp

.PHONY: all deps deps-build run test test-tcl test-c test-asan clean

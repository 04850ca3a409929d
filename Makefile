# evoscan — build, try and test in one step on a fresh Debian machine with Swift 6.3.
# `make demo` scans the bundled fixtures; `make test` runs the whole test suite.
# Both install the C libraries evoscan links (libpcre2-dev, zlib1g-dev) when missing.

SWIFT    ?= swift
PREFIX   ?= /usr/local
APT_PKGS := libpcre2-dev zlib1g-dev pkg-config
# Real consumers of the reports, used by the tests: a browser and promtool.
TEST_APT_PKGS := chromium prometheus
SUDO     := $(shell if [ "$$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then echo sudo; fi)

.PHONY: all deps test-deps build release demo test fuzz-smoke sanitizers bench clean

all: build

# Install the system libraries only when pkg-config cannot find them.
deps:
	@if ! pkg-config --exists libpcre2-8 zlib 2>/dev/null; then \
		echo "evoscan: installing $(APT_PKGS) with apt-get"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PKGS) >/dev/null; \
	fi

build: deps
	$(SWIFT) build

# Without the runtime exclusivity checks (see Package.swift): 12 % of a dense scan.
release: deps
	EVOSCAN_UNCHECKED_EXCLUSIVITY=1 $(SWIFT) build -c release

# The main job on the bundled fixtures: every Prisma error by code, model and fields.
demo: release
	.build/release/evoscan scan Fixtures/*.log Fixtures/*.json Fixtures/*.gz

test-deps: deps
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then \
		echo "evoscan: installing $(TEST_APT_PKGS) for the report tests"; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(TEST_APT_PKGS) >/dev/null || \
		{ $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(TEST_APT_PKGS) >/dev/null; }; \
	fi

# XCTest only: the suite has no Swift Testing tests, whose empty run would print a
# misleading "0 tests" closing line.
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing

# Every libFuzzer target for 30 s (CI); `scripts/fuzz.sh` alone runs each for 10 min.
fuzz-smoke: deps
	scripts/fuzz.sh --smoke --jobs 2

# The whole suite under AddressSanitizer, then ThreadSanitizer.
sanitizers: test-deps
	scripts/sanitizers.sh

bench: release
	scripts/bench.sh

clean:
	rm -rf .build

# evoscan — build, try and test in one step on a fresh Debian machine with Swift 6.3.
# `make demo` scans the bundled fixtures; `make test` runs the whole test suite.
# Both install the C libraries evoscan links (libpcre2-dev, zlib1g-dev) when missing.

SWIFT    ?= swift
PREFIX   ?= /usr/local
APT_PKGS := libpcre2-dev zlib1g-dev pkg-config
# Real consumers of the reports, used by the tests: a browser and promtool; and man,
# bash-completion, zsh and fish, which the installation test uses as a user's shell would.
TEST_APT_PKGS := chromium prometheus man-db bash-completion zsh fish
SUDO     := $(shell if [ "$$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then echo sudo; fi)

.PHONY: all deps test-deps build release demo test test-install install uninstall docs fuzz-smoke sanitizers bench clean

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
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1 || ! command -v man >/dev/null 2>&1 \
		|| ! command -v zsh >/dev/null 2>&1 || ! command -v fish >/dev/null 2>&1 \
		|| [ ! -f /usr/share/bash-completion/bash_completion ]; then \
		echo "evoscan: installing $(TEST_APT_PKGS) for the report tests"; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(TEST_APT_PKGS) >/dev/null || \
		{ $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(TEST_APT_PKGS) >/dev/null; }; \
	fi

# XCTest only: the suite has no Swift Testing tests, whose empty run would print a
# misleading "0 tests" closing line. Then the installation, as a user gets it.
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing
	scripts/test-install.sh

# `make install` (PREFIX=/usr/local, DESTDIR honoured): the release binary, its man page and
# bash, zsh and fish completions; `make uninstall` removes exactly these files.
BINDIR   = $(DESTDIR)$(PREFIX)/bin
MANDIR   = $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR  = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR   = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR  = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
INSTALLED = $(BINDIR)/evoscan $(MANDIR)/evoscan.1 $(BASHDIR)/evoscan $(ZSHDIR)/_evoscan $(FISHDIR)/evoscan.fish

install: release
	install -d "$(BINDIR)" "$(MANDIR)" "$(BASHDIR)" "$(ZSHDIR)" "$(FISHDIR)"
	install -m 755 .build/release/evoscan "$(BINDIR)/evoscan"
	install -m 644 share/man/evoscan.1 "$(MANDIR)/evoscan.1"
	install -m 644 share/completions/evoscan.bash "$(BASHDIR)/evoscan"
	install -m 644 share/completions/_evoscan "$(ZSHDIR)/_evoscan"
	install -m 644 share/completions/evoscan.fish "$(FISHDIR)/evoscan.fish"

uninstall:
	rm -f $(foreach f,$(INSTALLED),"$(f)")

# Regenerates share/ (man page and completions) from the command definitions.
docs:
	scripts/gen-docs.sh

# Installs into a temporary DESTDIR and uses what was installed (part of `make test`).
test-install:
	scripts/test-install.sh

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

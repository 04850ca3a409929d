#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer and ThreadSanitizer. The end-to-end
# tests run the evoscan binary of the same build, so the CLI (parallel scans included) is
# checked too. Each sanitizer builds in its own scratch directory (.build-asan, .build-tsan).
#
# Usage: scripts/sanitizers.sh [address|thread]...   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
kinds=("$@")
[[ ${#kinds[@]} -eq 0 ]] && kinds=(address thread)
for kind in "${kinds[@]}"; do
    case $kind in address) dir=.build-asan ;; thread) dir=.build-tsan ;; *) echo "unknown sanitizer: $kind" >&2; exit 2 ;; esac
    echo "== $kind sanitizer"
    swift build --build-tests --sanitize="$kind" --scratch-path "$dir"
    # Leak reports from the test process itself (Foundation file reads in the harness) are
    # not evoscan's; the binaries under test report theirs on stderr, which the tests check.
    ASAN_OPTIONS=detect_leaks=0 swift test --skip-build --sanitize="$kind" --scratch-path "$dir" --disable-swift-testing
done

#!/usr/bin/env bash
# scripts/test-install.sh — the installation as a user gets it (part of `make test`):
#  1. share/ (man page, completions) is current with the command definitions (gen-docs --check);
#  2. `make install` into a temporary DESTDIR with PREFIX=/usr puts exactly the five files there;
#  3. the installed binary runs (--version names PCRE2 and JIT) and scans a fixture;
#  4. the bash completion loads in bash (with the bash-completion package, as a login shell
#     would) and completes subcommands and --format values;
#  5. the man page renders with `man -l` and names every subcommand;
#  6. zsh and fish parse their completion scripts, when they are installed;
#  7. `make uninstall` with the same DESTDIR and PREFIX leaves no file behind.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
fail() { echo "test-install: FAIL: $*" >&2; exit 1; }
ok() { echo "test-install: ok: $*"; }

scripts/gen-docs.sh --check
ok "share/ is current"

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
make --no-print-directory install DESTDIR="$dest" PREFIX=/usr >/dev/null
expected="usr/bin/evoscan
usr/share/bash-completion/completions/evoscan
usr/share/fish/vendor_completions.d/evoscan.fish
usr/share/man/man1/evoscan.1
usr/share/zsh/site-functions/_evoscan"
got=$(cd "$dest" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
[[ $got == "$expected" ]] || fail "installed files: $got"
[[ -x $dest/usr/bin/evoscan ]] || fail "the binary is not executable"
ok "make install DESTDIR=… PREFIX=/usr: $(echo "$got" | wc -l) files"

version=$("$dest/usr/bin/evoscan" --version)
[[ $version =~ ^evoscan\ [0-9].*\(PCRE2\ [0-9]+\.[0-9]+.*JIT\ (available|unavailable)\)$ ]] || fail "--version: $version"
set +e
"$dest/usr/bin/evoscan" scan --format json Fixtures/colour-ansi-2.2.3.log > "$dest/report.json"
status=$?
set -e
[[ $status == 0 || $status == 1 ]] || fail "the installed binary exited $status on a fixture"
grep -Eq '"failures_total": ?4,' "$dest/report.json" || fail "the installed binary's report: $(head -c 300 "$dest/report.json")"
ok "installed binary: $version"

# Tab after `evoscan ` and after `evoscan scan --format `, as bash-completion calls it.
completions=$(bash --norc --noprofile -c '
    source /usr/share/bash-completion/bash_completion 2>/dev/null || true
    source "$1" || exit 3
    complete -p evoscan >/dev/null || exit 4
    fn=$(complete -p evoscan | sed -E "s/.*-F ([^ ]+).*/\1/")
    COMPREPLY=(); COMP_WORDS=(evoscan ""); COMP_CWORD=1; COMP_LINE="evoscan "; COMP_POINT=${#COMP_LINE}
    "$fn" evoscan "" evoscan; echo "subcommands: ${COMPREPLY[*]}"
    COMPREPLY=(); COMP_WORDS=(evoscan scan --format ""); COMP_CWORD=3; COMP_LINE="evoscan scan --format "; COMP_POINT=${#COMP_LINE}
    "$fn" evoscan "" --format; echo "formats: ${COMPREPLY[*]}"
' bash "$dest/usr/share/bash-completion/completions/evoscan") || fail "bash could not load the completion (status $?)"
for word in scan merge report explain timeline config; do
    [[ $completions =~ subcommands:.*\ ?$word ]] || fail "bash completion lacks the subcommand $word: $completions"
done
for word in table ndjson json csv markdown html prometheus; do
    [[ $completions =~ formats:.*$word ]] || fail "bash completion lacks --format $word: $completions"
done
[[ $completions =~ formats:.*(timeline|--help) ]] && fail "bash completion offers more than formats after --format: $completions"
ok "bash completion loads and completes ($(echo "$completions" | tr '\n' ';'))"

page=$(MANWIDTH=100 man -l "$dest/usr/share/man/man1/evoscan.1" 2>&1 | col -b) || fail "man -l failed: $page"
for word in "evoscan scan" "evoscan merge" "evoscan report" "evoscan explain" "evoscan timeline" "evoscan config" "--config" "--access-log" "journalctl"; do
    grep -qF -- "$word" <<<"$page" || fail "the man page does not mention '$word'"
done
ok "man -l renders $(wc -l <<<"$page") lines"

if command -v zsh >/dev/null 2>&1; then zsh -n "$dest/usr/share/zsh/site-functions/_evoscan" || fail "zsh -n"; ok "zsh parses _evoscan"; fi
if command -v fish >/dev/null 2>&1; then fish -n "$dest/usr/share/fish/vendor_completions.d/evoscan.fish" || fail "fish -n"; ok "fish parses evoscan.fish"; fi

make --no-print-directory uninstall DESTDIR="$dest" PREFIX=/usr >/dev/null
rm -f "$dest/report.json"
left=$(cd "$dest" && find . -type f)
[[ -z $left ]] || fail "make uninstall left: $left"
ok "make uninstall removed every installed file"

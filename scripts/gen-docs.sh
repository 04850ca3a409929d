#!/usr/bin/env bash
# scripts/gen-docs.sh — regenerates share/ from evoscan's command definitions, so that the man
# page and the completions say what --help says:
#   share/man/evoscan.1                 swift-argument-parser's generate-manual plugin (one page,
#                                       every subcommand), dated by the last commit to Sources/evoscan,
#                                       its blank lines made paragraph breaks (.Pp)
#   share/completions/evoscan.bash      evoscan --generate-completion-script bash
#   share/completions/_evoscan          … zsh
#   share/completions/evoscan.fish      … fish
#
# Usage: scripts/gen-docs.sh           rewrite share/
#        scripts/gen-docs.sh --check   regenerate into a temporary directory; exit 1 and show the
#                                      difference when share/ is not current (make test runs this)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SWIFT=${SWIFT:-swift}
check=0
[[ ${1:-} == --check ]] && check=1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$SWIFT" build --product evoscan >/dev/null
bin="$("$SWIFT" build --show-bin-path)/evoscan"
mkdir -p "$out/man" "$out/completions"
"$bin" --generate-completion-script bash > "$out/completions/evoscan.bash"
"$bin" --generate-completion-script zsh > "$out/completions/_evoscan"
"$bin" --generate-completion-script fish > "$out/completions/evoscan.fish"

# The page's date: the last change to the commands, not today (a check on another day must
# give the same page).
date=$(git log -1 --format=%cs -- Sources/evoscan 2>/dev/null || true)
[[ -n $date ]] || date=$(date -u +%F)
# The plugin writes into its own work directory (it refuses --output-directory) and builds the
# tool in the configuration given: the debug build the tests already made.
page="$ROOT/.build/plugins/GenerateManual/outputs/evoscan/evoscan.1"
rm -f "$page"
"$SWIFT" package plugin generate-manual --configuration debug --date "$date" --authors "the evoscan authors" >/dev/null
[[ -s $page ]] || { echo "gen-docs: generate-manual wrote no $page" >&2; exit 2; }
# Its blank lines between paragraphs are not mdoc (man warns "Empty input line"): .Pp is.
sed 's/^$/.Pp/' "$page" > "$out/man/evoscan.1"

if (( check )); then
    if ! diff -ru share "$out" >&2; then
        echo "gen-docs: share/ is not current: run scripts/gen-docs.sh (or make docs) and commit it" >&2
        exit 1
    fi
    echo "gen-docs: share/ is current"
else
    rm -rf share/man share/completions
    mkdir -p share
    cp -R "$out/man" "$out/completions" share/
    echo "gen-docs: wrote share/man/evoscan.1 and share/completions/"
fi

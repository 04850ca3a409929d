// The libFuzzer driver (`scripts/fuzz.sh`). Built with `--sanitize=fuzzer`, whose runtime
// provides the process's `main` and calls `LLVMFuzzerTestOneInput` (FuzzEntry.swift) for
// every input: the top-level code of this file never runs, so it has none.

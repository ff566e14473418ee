#!/usr/bin/env bash
# The edit-check loop counted in instructions instead of seconds: for each pair, touch
# `src/main.rs`, take the exact `rustc` command `cargo check` runs for the crate, and run it under
# valgrind (cachegrind, no cache simulation) to count the instructions it executes, for the
# `#[twelve_factor::main]` crate and the `#[tokio::main]` crate. The count is the same from run
# to run (to ±0.01 %), where the wall clock on a shared 2-core machine moves by ±5 % between runs
# of the same crate; it covers rustc (the macro and its detector included), not cargo.
#
# Needs valgrind. Uses the crates and target directories `run.sh` made; run that first (any
# number of rounds), with the same SAME_DEPS setting.
#
# Usage: bench/edit-check/instructions.sh [PAIR...]   (default: every pair that exists)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
crates="$here/target/crates"
pairs=("$@")
if (( ${#pairs[@]} == 0 )); then
    pairs=(modules globs bigfile)
fi
command -v valgrind >/dev/null || { echo "instructions.sh: needs valgrind" >&2; exit 2; }

count() {
    local crate="$1" side="$2" command log
    touch "$crate/src/main.rs"
    # The last `Running` line of a verbose check is the crate's own rustc invocation.
    command=$(cd "$crate" && cargo check -v --target-dir "$here/target/build/$side" 2>&1 |
        grep 'Running `' | tail -n 1 | sed -e 's/^ *Running `//' -e 's/`$//')
    [ -n "$command" ] || { echo "instructions.sh: no rustc command for $crate" >&2; exit 1; }
    touch "$crate/src/main.rs"
    log=$(mktemp)
    (cd "$crate" && eval "valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null $command") \
        >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
    grep 'I *refs:' "$log" | tail -n 1 | sed -e 's/.*refs: *//' -e 's/,//g'
    rm -f "$log"
}

for pair in "${pairs[@]}"; do
    [ -d "$crates/$pair" ] || { echo "instructions.sh: $crates/$pair is missing; run run.sh first" >&2; exit 1; }
    twelve=$(count "$crates/$pair/twelve" twelve)
    tokio=$(count "$crates/$pair/tokio" tokio)
    python3 - "$pair" "$twelve" "$tokio" <<'PY'
import sys
pair, twelve, tokio = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
target = "1.05x" if pair == "modules" else "1.10x"
print(f"== {pair}")
print(f"#[twelve_factor::main]: {twelve:,} instructions (rustc)")
print(f"#[tokio::main]:         {tokio:,} instructions (rustc)")
print(f"instruction ratio: {twelve / tokio:.4f}x (target <= {target})")
PY
done

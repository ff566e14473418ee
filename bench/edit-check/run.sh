#!/usr/bin/env bash
# The edit-check benchmark: how much `#[twelve_factor::main]` (with its no-daemon detector) adds
# to the loop a developer runs all day, `touch src/main.rs && cargo check`, on a large legitimate
# crate, against the same crate with `#[tokio::main]`. Dev profile, as users build.
#
# Pairs (see generate.py): `modules` (the 112k-line, 201-file crate), `globs` (glob-import
# cycles with thousands of `Ok`/`Some` calls and fork in comments and `.fork()` methods),
# `bigfile` (one file of 30,000 small functions that mentions fork).
#
# Rounds alternate the order (A B, B A, …) so that load from other processes hits both sides
# alike; each measurement is one hyperfine run. Prints both medians and their ratio per pair
# (targets: `modules` at most 1.05x, `globs` and `bigfile` at most 1.10x), and the same ratio of
# CPU time (user + system), which the scheduler's noise on a shared machine moves less.
#
# SAME_DEPS=1: the `tokio` crates depend on twelvefactor too (unused): the attribute's own cost.
#
# Usage: bench/edit-check/run.sh [ROUNDS] [PAIR...]   (default: 10 rounds, the `modules` pair;
#        `all` runs every pair)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-10}"
shift || true
pairs=("$@")
if (( ${#pairs[@]} == 0 )); then
    pairs=(modules)
elif [[ "${pairs[0]}" == all ]]; then
    pairs=(modules globs bigfile)
fi
crates="$here/target/crates"
# One target directory per side, shared by the pairs: dependencies are built once.

python3 "$here/generate.py" "$crates" "$root" "${pairs[@]}"

measure() {
    local dir="$1" side="$2" round="$3" results="$4"
    hyperfine --runs 1 --style basic \
        --prepare "touch $dir/$side/src/main.rs" \
        --export-json "$results/$side-$round.json" \
        "cargo check --quiet --manifest-path $dir/$side/Cargo.toml --target-dir $here/target/build/$side"
}

for pair in "${pairs[@]}"; do
    dir="$crates/$pair"
    results="$here/target/results/$pair"
    rm -rf "$results"
    mkdir -p "$results"

    # Warm both: dependencies built, the crate checked once.
    for side in twelve tokio; do
        cargo check --quiet --manifest-path "$dir/$side/Cargo.toml" --target-dir "$here/target/build/$side"
    done

    for round in $(seq 1 "$rounds"); do
        if (( round % 2 )); then
            measure "$dir" twelve "$round" "$results"; measure "$dir" tokio "$round" "$results"
        else
            measure "$dir" tokio "$round" "$results"; measure "$dir" twelve "$round" "$results"
        fi
    done

    python3 - "$results" "$pair" <<'PY'
import glob, json, os, statistics, sys
results, pair = sys.argv[1], sys.argv[2]
def runs(side):
    out = []
    for path in sorted(glob.glob(os.path.join(results, f"{side}-*.json"))):
        out.append(json.load(open(path))["results"][0])
    return out
def times(side):
    return [t for run in runs(side) for t in run["times"]]
def cpu(side):
    # user + system time of cargo and rustc: less sensitive than the wall clock to what else
    # the scheduler runs on a shared machine.
    return [run["user"] + run["system"] for run in runs(side)]
twelve, tokio = times("twelve"), times("tokio")
mt, mk = statistics.median(twelve), statistics.median(tokio)
ct, ck = statistics.median(cpu("twelve")), statistics.median(cpu("tokio"))
print(f"== {pair}")
print(f"#[twelve_factor::main]: median {mt:.3f} s over {len(twelve)} runs ({min(twelve):.3f}-{max(twelve):.3f}), CPU {ct:.3f} s")
print(f"#[tokio::main]:         median {mk:.3f} s over {len(tokio)} runs ({min(tokio):.3f}-{max(tokio):.3f}), CPU {ck:.3f} s")
target = "1.05x" if pair == "modules" else "1.10x"
print(f"ratio: {mt / mk:.3f}x (target <= {target})")
print(f"CPU ratio: {ct / ck:.3f}x")
PY
done

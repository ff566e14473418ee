#!/usr/bin/env bash
# The edit-check benchmark: how much `#[twelve_factor::main]` (with its no-daemon detector) adds
# to the loop a developer runs all day, `touch src/main.rs && cargo check`, on a large legitimate
# crate, against the same crate with `#[tokio::main]`. Dev profile, as users build.
#
# Rounds alternate the order (A B, B A, …) so that load from other processes hits both sides
# alike; each measurement is one hyperfine run. Prints both medians and their ratio (target:
# at most 1.10x).
#
# Usage: bench/edit-check/run.sh [ROUNDS]   (default 10)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-10}"
crates="$here/target/crates"
results="$here/target/results"

python3 "$here/generate.py" "$crates" "$root"
rm -rf "$results"
mkdir -p "$results"

# Warm both: dependencies built, the crate checked once.
for side in twelve tokio; do
    cargo check --quiet --manifest-path "$crates/$side/Cargo.toml"
done

measure() {
    local side="$1" round="$2"
    hyperfine --runs 1 --style basic \
        --prepare "touch $crates/$side/src/main.rs" \
        --export-json "$results/$side-$round.json" \
        "cargo check --quiet --manifest-path $crates/$side/Cargo.toml"
}

for round in $(seq 1 "$rounds"); do
    if (( round % 2 )); then
        measure twelve "$round"; measure tokio "$round"
    else
        measure tokio "$round"; measure twelve "$round"
    fi
done

python3 - "$results" <<'PY'
import glob, json, os, statistics, sys
results = sys.argv[1]
def times(side):
    out = []
    for path in sorted(glob.glob(os.path.join(results, f"{side}-*.json"))):
        out += json.load(open(path))["results"][0]["times"]
    return out
twelve, tokio = times("twelve"), times("tokio")
mt, mk = statistics.median(twelve), statistics.median(tokio)
print(f"#[twelve_factor::main]: median {mt:.3f} s over {len(twelve)} runs ({min(twelve):.3f}-{max(twelve):.3f})")
print(f"#[tokio::main]:         median {mk:.3f} s over {len(tokio)} runs ({min(tokio):.3f}-{max(tokio):.3f})")
print(f"ratio: {mt / mk:.3f}x (target <= 1.10x)")
PY

#!/usr/bin/env bash
# Wall time of `cargo xtask codegen` end to end: when nothing changed, and when one catalog
# text changed (codegen plus the incremental debug build of vss-errors). Runs on a copy of
# the committed tree with its own target folder, so the checkout's catalog, generated files
# and target folder are never touched. Usage: scripts/bench/regenerate.sh [RUNS]
set -euo pipefail
runs="${1:-5}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git -C "$repo" archive HEAD | tar -x -C "$work"
cd "$work"
export CARGO_TARGET_DIR="$work/target"
file=catalog/interfaces/IVssAsync.toml
text='The asynchronous operation is still running.'
grep -qF "$text" "$file" || { echo "error: $file no longer holds the text this script edits" >&2; exit 1; }
cp "$file" "$work/original.toml"
restore() { cp "$work/original.toml" "$file"; }

echo "== warming up (debug build of xtask and vss-errors in a fresh target folder)"
start=$(date +%s.%N)
cargo build -q -p xtask -p vss-errors
cargo xtask codegen
echo "first build: $(echo "$(date +%s.%N) - $start" | bc) s"

if ! command -v hyperfine >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq hyperfine >/dev/null 2>&1 || true
fi

# Toggles the text between its catalog wording and an edited one, so every run is a change.
cat > "$work/toggle.sh" <<TOGGLE
if grep -qF "$text" "$work/$file"; then
    sed -i "s/$text/$text (edited)/" "$work/$file"
else
    cp "$work/original.toml" "$work/$file"
fi
TOGGLE
toggle() { bash "$work/toggle.sh"; }

if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 1 --runs "$runs" -n 'nothing changed: cargo xtask codegen' 'cargo xtask codegen'
    hyperfine --warmup 1 --runs "$runs" --prepare "bash $work/toggle.sh" \
        -n 'one text changed: codegen + cargo build -p vss-errors' \
        'cargo xtask codegen && cargo build -q -p vss-errors'
else
    measure() {
        local name="$1" prepare="$2" cmd="$3" total=0 t0 t1 s
        for _ in $(seq "$runs"); do
            eval "$prepare"
            t0=$(date +%s.%N); eval "$cmd" >/dev/null 2>&1; t1=$(date +%s.%N)
            s=$(echo "$t1 - $t0" | bc); total=$(echo "$total + $s" | bc)
            printf '  %s: %.3f s\n' "$name" "$s"
        done
        printf '%s: mean %.3f s over %s runs\n' "$name" "$(echo "$total / $runs" | bc -l)" "$runs"
    }
    measure 'nothing changed: cargo xtask codegen' ':' 'cargo xtask codegen'
    measure 'one text changed: codegen + cargo build -p vss-errors' toggle \
        'cargo xtask codegen && cargo build -q -p vss-errors'
fi
restore
cargo xtask codegen
git -C "$repo" show HEAD:vss-errors-core/src/generated/texts.rs | cmp -s - vss-errors-core/src/generated/texts.rs &&
    echo "catalog restored; generated texts match the committed ones again"

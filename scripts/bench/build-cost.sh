#!/usr/bin/env bash
# Clean debug build time of vss-errors alone (with its dependencies, then the crate by itself)
# in a temporary target folder; the shared target folder is never cleaned.
# Usage: scripts/bench/build-cost.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
target="$(mktemp -d)"
trap 'rm -rf "$target"' EXIT
cd "$repo"
export CARGO_TARGET_DIR="$target"
cargo fetch -q
t0=$(date +%s.%N)
cargo build -q -p vss-errors
t1=$(date +%s.%N)
cargo clean -q -p vss-errors
t2=$(date +%s.%N)
cargo build -q -p vss-errors
t3=$(date +%s.%N)
printf 'clean debug build of vss-errors with its dependencies: %.1f s\n' "$(echo "$t1 - $t0" | bc)"
printf 'debug build of the vss-errors crate alone (dependencies built): %.1f s\n' "$(echo "$t3 - $t2" | bc)"
rlib=$(ls "$target"/debug/libvss_errors.rlib 2>/dev/null || true)
[ -n "$rlib" ] && printf 'libvss_errors.rlib: %s bytes\n' "$(stat -c %s "$rlib")"
echo "normal dependencies:"
cargo tree -q -p vss-errors -e normal --prefix depth --format '{p}' | sed 's/^/  /'

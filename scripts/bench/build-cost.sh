#!/usr/bin/env bash
# What depending on vss-errors costs a user crate, measured in one run: clean debug builds
# (and `cargo check`) of three small crates in temporary folders, each classifying one code:
# one on windows-core alone (the baseline), one on vss-errors without default features, one
# on vss-errors with them; then the release-binary size each adds. Ratios are against the
# baseline of the same run (medians of RUNS clean builds). The shared target folder is never
# touched.
# Usage: scripts/bench/build-cost.sh
set -euo pipefail
# A user gets vss-errors from the registry, which cargo never compiles incrementally; here it
# is a path dependency, which cargo would, so incremental compilation is off for every build.
export CARGO_INCREMENTAL=0
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

make_crate() { # name, dependency line, main body
  mkdir -p "$work/$1/src"
  cat >"$work/$1/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
$2

[workspace]
TOML
  printf '%s\n' "$3" >"$work/$1/src/main.rs"
}

make_crate baseline 'windows-core = "0.62.2"' \
  'fn main() { let hr = windows_core::HRESULT(std::env::args().count() as i32 | i32::MIN); println!("{}", hr.message()); }'
make_crate codes "vss-errors = { path = \"$repo/vss-errors\", default-features = false }" \
  'fn main() { let hr = vss_errors::HRESULT(std::env::args().count() as i32 | i32::MIN); println!("{:?}", vss_errors::methods::DoSnapshotSetError::classify(hr)); }'
make_crate full "vss-errors = { path = \"$repo/vss-errors\" }" \
  'fn main() { let hr = vss_errors::HRESULT(std::env::args().count() as i32 | i32::MIN); println!("{:?}", vss_errors::methods::DoSnapshotSetError::classify(hr)); }'

time_cmd() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }

# Wall-clock times on a shared machine vary by a second from run to run: each clean build is
# repeated RUNS times (default 3), the three crates interleaved in each round, and the median
# is reported.
runs="${RUNS:-3}"
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A build check size builds checks
for c in baseline codes full; do
  (cd "$work/$c" && cargo fetch -q)
done
for _ in $(seq "$runs"); do
  for c in baseline codes full; do
    rm -rf "$work/t-$c" "$work/c-$c"
    builds[$c]+=" $(cd "$work/$c" && CARGO_TARGET_DIR="$work/t-$c" time_cmd cargo build -q --offline)"
    checks[$c]+=" $(cd "$work/$c" && CARGO_TARGET_DIR="$work/c-$c" time_cmd cargo check -q --offline)"
  done
done
for c in baseline codes full; do
  # shellcheck disable=SC2086 # the lists are space-separated numbers
  build[$c]=$(median ${builds[$c]})
  # shellcheck disable=SC2086
  check[$c]=$(median ${checks[$c]})
  (cd "$work/$c" && CARGO_TARGET_DIR="$work/r-$c" cargo build -q --offline --release)
  size[$c]=$(stat -c %s "$work/r-$c/release/$c")
done
for c in baseline codes full; do
  printf '%-9s clean debug build %6.1f s (%.2fx)  cargo check %6.1f s (%.2fx)  release binary %8d bytes (%+d)\n' \
    "$c" "${build[$c]}" "$(echo "${build[$c]} / ${build[baseline]}" | bc -l)" \
    "${check[$c]}" "$(echo "${check[$c]} / ${check[baseline]}" | bc -l)" \
    "${size[$c]}" "$(( ${size[$c]} - ${size[baseline]} ))"
done

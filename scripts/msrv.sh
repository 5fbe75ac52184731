#!/usr/bin/env bash
# Checks that the publishable crates build with the oldest Rust they declare
# (`rust-version` in the workspace manifest), all features on; installs that toolchain
# with rustup when it is missing (minimal profile). Its own target folder, so the main
# build's artifacts are not rebuilt.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
msrv="$(sed -n 's/^rust-version = "\(.*\)"/\1/p' "$repo/Cargo.toml" | head -1)"
[ -n "$msrv" ] || { echo "no rust-version in Cargo.toml" >&2; exit 1; }
toolchain="$msrv.0"
[[ "$msrv" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] && toolchain="$msrv"
if ! rustup toolchain list | grep -q "^$toolchain-"; then
    # A machine that cannot download toolchains cannot run this check; say so loudly rather
    # than fail the build for want of a network. A toolchain that is present always runs.
    if ! rustup toolchain install "$toolchain" --profile minimal; then
        echo "warning: Rust $toolchain could not be installed; rust-version $msrv not checked" >&2
        exit 0
    fi
fi
cd "$repo"
export CARGO_TARGET_DIR="$repo/target/msrv"
cargo "+$toolchain" check -q -p vss-errors-core --all-features
cargo "+$toolchain" check -q -p vss-errors --no-default-features
cargo "+$toolchain" check -q -p vss-errors --all-features
cargo "+$toolchain" check -q -p vss-errors-cli
echo "builds with Rust $toolchain (rust-version $msrv)"

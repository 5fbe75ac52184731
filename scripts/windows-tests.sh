#!/usr/bin/env bash
# Type-checks, builds and runs the Windows side (x86_64-pc-windows-gnu) under Wine: lints,
# the vss-errors tests and the COM/workflow tests against Wine's own vssapi.dll, then the whole
# workflow through the fake vssapi.dll (the real DLL code path).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/windows-env/setup.sh
# shellcheck source=windows-env/env.sh
source scripts/windows-env/env.sh
target=x86_64-pc-windows-gnu
base_overrides="mscoree,mshtml="

echo "== windows: clippy"
cargo clippy --target "$target" -p vss-errors -p vssapi-fake -p workspace-tests --all-targets --features vss-errors/fake -- -D warnings

echo "== windows: the ABI oracle (the SDK headers through the C compiler) against our declarations"
oracle_dir=target/abi-oracle
mkdir -p "$oracle_dir"
x86_64-w64-mingw32-gcc -Wall -Werror -O0 tests/abi/oracle.c -o "$oracle_dir/oracle.exe"
wine "$oracle_dir/oracle.exe" | tr -d '\r' >"$oracle_dir/oracle.txt"
VSS_ABI_ORACLE="$(winepath -w "$oracle_dir/oracle.txt")" \
    cargo test --target "$target" -p workspace-tests --test abi

echo "== windows: every generated wrapper against the C call probe (arguments, out-values, frees)"
x86_64-w64-mingw32-gcc -Wall -Werror -O0 -shared tests/abi/probe.c -o "$oracle_dir/vss_probe.dll" -lole32 -loleaut32 -luuid
# Without the BSTR cache every BSTR goes through IMalloc, where the probe counts it.
OANOCACHE=1 VSS_CALL_PROBE="$(winepath -w "$oracle_dir/vss_probe.dll")" \
    cargo test --target "$target" -p workspace-tests --test abi_probe

echo "== windows: tests against Wine's vssapi.dll"
cargo build --target "$target" -p vssapi-fake
WINEDLLOVERRIDES="vssapi=b;$base_overrides" cargo test --target "$target" -p vss-errors --features fake
WINEDLLOVERRIDES="vssapi=b;$base_overrides" cargo test --target "$target" -p workspace-tests --test com_fake --test com_model --test com_components --test com_management --test error_chain --test components_workflow --test workflow --test runtime

echo "== windows: the workflow through the fake vssapi.dll"
WINEDLLOVERRIDES="vssapi=n;$base_overrides" VSS_ERRORS_FAKE_VSSAPI=1 VSS_FAKE_FAULTS="DoSnapshotSet=VSS_E_FLUSH_WRITES_TIMEOUT:1" \
    cargo test --target "$target" -p vss-errors --features fake --test windows
WINEDLLOVERRIDES="vssapi=n;$base_overrides" VSS_ERRORS_FAKE_VSSAPI=1 \
    cargo test --target "$target" -p vss-errors --features fake --test windows_components

echo "== windows: the backup example copies a folder from a real frozen snapshot (fake vssapi.dll)"
cargo build --target "$target" -p vss-errors --example backup
cp "target/$target/debug/vssapi.dll" "target/$target/debug/examples/"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/sub"
echo "before the snapshot" >"$work/src/a.txt"
echo "nested" >"$work/src/sub/b.txt"
# The fake freezes src into each snapshot of its volume, then rewrites a.txt on the live side:
# a copy read from the live folder instead of the snapshot would show the new text.
WINEDLLOVERRIDES="vssapi=n;$base_overrides" \
    VSS_FAKE_FREEZE_SOURCE="$(winepath -w "$work/src")" \
    VSS_FAKE_FREEZE_DIR="$(winepath -w "$work/shadows")" \
    VSS_FAKE_TOUCH_AFTER_SNAPSHOT="$(winepath -w "$work/src/a.txt")" \
    wine "target/$target/debug/examples/backup.exe" "$(winepath -w "$work/src")" "$(winepath -w "$work/dest")" |
    tr -d '\r' | tee "$work/out.txt"
frozen=$(find "$work/shadows" -type d -name src | head -n 1)
test -n "$frozen"
diff -r "$frozen" "$work/dest"
grep -qx "before the snapshot" "$work/dest/a.txt"
grep -qx "changed after the snapshot" "$work/src/a.txt"
grep -q "^done: 2 file(s) copied from the snapshot$" "$work/out.txt"
echo "backup example: the copy matches the frozen snapshot, not the live folder changed after it"

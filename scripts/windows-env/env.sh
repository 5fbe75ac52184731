# env.sh: environment for `cargo test --target x86_64-pc-windows-gnu` under Wine; `source` it after setup.sh.
#
# Exports the Wine runner and prefix (the one setup.sh made), a quiet headless Wine, the linker
# wrapper that adds the RoOriginateErrorW stand-in (see roerror.c), insta's workspace root, and,
# when setup.sh had to take the Debian rustc-web route, the variables that make cargo build std.
# Sourcing it twice is harmless. For bash.

_vss_target=x86_64-pc-windows-gnu
_vss_here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
export WINEPREFIX="${VSS_WINEPREFIX:-${TMPDIR:-/tmp}/vss-errors-wine}"
export WINEDEBUG=-all
export WINEARCH=win64
# Never let Wine offer to install Mono/Gecko (it would wait for a click that cannot come).
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"
unset DISPLAY WAYLAND_DISPLAY
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=wine
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER="$_vss_here/wine-mingw-gcc.sh"
# insta finds the workspace by running `cargo metadata`, which a Windows process under Wine
# cannot start; without this it misses every stored snapshot.
export INSTA_WORKSPACE_ROOT="${INSTA_WORKSPACE_ROOT:-$(cd -- "$_vss_here/../.." && pwd)}"

if [ ! -f "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" ] ||
    [ ! -f "$WINEPREFIX/.vss-shims/roerror.o" ]; then
    echo "windows-env: $WINEPREFIX is not set up; run scripts/windows-env/setup.sh first" >&2
fi

# Rust std for the target: rustup's, or else Debian rustc-web's library source built by cargo.
if command -v rustup >/dev/null 2>&1 &&
    rustup target list --installed 2>/dev/null | grep -qx "$_vss_target"; then
    export VSS_WINDOWS_RUST_ROUTE=rustup
elif [ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/src/rust/library ]; then
    export VSS_WINDOWS_RUST_ROUTE=debian
    export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1
    export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
    echo "windows-env: using Debian $(/usr/bin/rustc --version) with -Zbuild-std" >&2
else
    echo "windows-env: no Rust std for $_vss_target; run scripts/windows-env/setup.sh first" >&2
fi
unset _vss_target _vss_here

#!/usr/bin/env bash
# setup.sh: installs what building and running x86_64-pc-windows-gnu tests under Wine needs (idempotent).
#
# Steps, each skipped when already done:
#   1. apt: mingw-w64 linker (gcc-mingw-w64-x86-64-win32) and Wine (wine64, wine)
#   2. Rust target: `rustup target add x86_64-pc-windows-gnu`; if rustup cannot fetch it,
#      Debian's rustc-web + rust-web-src (env.sh then has cargo build std with -Zbuild-std)
#   3. Wine prefix at ${VSS_WINEPREFIX:-${TMPDIR:-/tmp}/vss-errors-wine} (`wineboot -i`)
#   4. shims for what Wine 8 lacks, built with mingw: bcryptprimitives.dll (ProcessPrng, which
#      Rust std imports) into the prefix's system32, and roerror.o (RoOriginateErrorW, which
#      windows-result calls) that env.sh's linker wrapper links into every test binary
# Then: `source scripts/windows-env/env.sh` and `cargo test --target x86_64-pc-windows-gnu`.
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
target=x86_64-pc-windows-gnu
prefix=${VSS_WINEPREFIX:-${TMPDIR:-/tmp}/vss-errors-wine}
started=$SECONDS

say() { printf 'windows-env: %s\n' "$*"; }
die() { printf 'windows-env: error: %s\n' "$*" >&2; exit 1; }

# Root runs apt-get directly; anyone else needs sudo.
as_root=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "not root and no sudo: cannot install packages"
    as_root=(sudo -n)
fi

installed() { # installed PKG: true when dpkg has PKG fully installed
    [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" = "ii " ]
}

apt_updated=0
apt_install() { # apt_install PKG...: installs the missing ones, running apt-get update at most once
    local missing=() p
    for p in "$@"; do installed "$p" || missing+=("$p"); done
    [ "${#missing[@]}" -eq 0 ] && return 0
    if [ "$apt_updated" -eq 0 ]; then
        say "apt-get update"
        "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
        apt_updated=1
    fi
    say "apt-get install ${missing[*]}"
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
}

# --- 1. linker and Wine -------------------------------------------------------------------
apt_install gcc-mingw-w64-x86-64-win32 wine64 wine
command -v x86_64-w64-mingw32-gcc >/dev/null || die "x86_64-w64-mingw32-gcc not found after install"
command -v wine >/dev/null || die "wine not found after install"
say "mingw + wine: ok ($(wine --version 2>/dev/null || echo '?'))"

# --- 2. Rust std for the target -----------------------------------------------------------
have_rustup_target() {
    command -v rustup >/dev/null 2>&1 &&
        rustup target list --installed 2>/dev/null | grep -qx "$target"
}
have_debian_std() {
    installed rustc-web && installed rust-web-src && [ -d /usr/lib/rustlib/src/rust/library ]
}
if have_rustup_target; then
    say "rust target: rustup route ($target already installed)"
elif have_debian_std; then
    # An earlier run fell back; stay there (fast no-op). `rustup target add` by hand switches back.
    say "rust target: Debian route ($(/usr/bin/rustc --version | cut -d' ' -f1-2), -Zbuild-std; already installed)"
elif command -v rustup >/dev/null 2>&1 &&
    rustup_log=$(RUST_BACKTRACE=0 timeout 300 rustup target add "$target" </dev/null 2>&1); then
    say "rust target: rustup route (added $target)"
else
    say "rust target: rustup could not add $target:"
    printf '%s\n' "${rustup_log:-rustup not found}" | grep -m3 -iE 'error|not found' | sed 's/^/    /' || true
    say "rust target: falling back to Debian rustc-web + rust-web-src (-Zbuild-std)"
    debian_pkgs=(rustc-web rust-web-src)
    command -v cargo >/dev/null 2>&1 || debian_pkgs+=(cargo-web)
    apt_install "${debian_pkgs[@]}"
    [ -d /usr/lib/rustlib/src/rust/library ] || die "rust-web-src did not provide /usr/lib/rustlib/src/rust/library"
    say "rust target: Debian route ($(/usr/bin/rustc --version | cut -d' ' -f1-2)); env.sh has cargo build std (-Zbuild-std)"
fi

# --- 3. Wine prefix ------------------------------------------------------------------------
# Wine refuses a prefix owned by another user; no DISPLAY keeps it headless;
# the overrides stop wineboot from asking to install Mono and Gecko.
wine_env=(env -u DISPLAY -u WAYLAND_DISPLAY WINEPREFIX="$prefix" WINEDEBUG=-all WINEARCH=win64
    "WINEDLLOVERRIDES=mscoree,mshtml=")
if [ -f "$prefix/system.reg" ] && [ -d "$prefix/drive_c/windows/system32" ]; then
    say "wine prefix: ok ($prefix)"
else
    if [ -e "$prefix" ] && [ "$(stat -c %u "$prefix")" != "$(id -u)" ]; then
        die "$prefix exists but is not owned by $(id -un); set VSS_WINEPREFIX elsewhere"
    fi
    say "wine prefix: creating $prefix (wineboot -i)"
    mkdir -p "$prefix"
    "${wine_env[@]}" wineboot -i </dev/null >/dev/null 2>&1 || die "wineboot -i failed for $prefix"
    # wineboot returns before wineserver has written the registry out.
    "${wine_env[@]}" wineserver -w </dev/null || true
    [ -f "$prefix/system.reg" ] || die "wineboot did not create $prefix/system.reg"
fi

# --- 4. shims for what Wine 8 lacks -------------------------------------------------------
# bcryptprimitives.dll (ProcessPrng) goes into system32; roerror.o (RoOriginateErrorW) is
# linked into every test binary by wine-mingw-gcc.sh. Rebuilt when their sources change.
dll="$prefix/drive_c/windows/system32/bcryptprimitives.dll"
shims="$prefix/.vss-shims"
stamp="$shims/sources.sha256"
want=$(cd "$here" && sha256sum bcryptprimitives.c roerror.c)
if [ -f "$dll" ] && [ -f "$shims/roerror.o" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    say "shims: ok (bcryptprimitives.dll, roerror.o)"
else
    say "shims: building bcryptprimitives.dll (ProcessPrng) and roerror.o (RoOriginateErrorW)"
    mkdir -p "$shims"
    cc=(x86_64-w64-mingw32-gcc -O2 -Wall)
    "${cc[@]}" -shared -s -o "$shims/bcryptprimitives.dll" "$here/bcryptprimitives.c" -ladvapi32
    "${cc[@]}" -c -ffunction-sections -fdata-sections -o "$shims/roerror.o" "$here/roerror.c"
    cp "$shims/bcryptprimitives.dll" "$dll"
    printf '%s\n' "$want" >"$stamp"
fi

say "done in $((SECONDS - started)) s; now: source $here/env.sh"

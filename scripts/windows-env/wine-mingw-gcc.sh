#!/usr/bin/env bash
# wine-mingw-gcc.sh: mingw linker for x86_64-pc-windows-gnu builds run under Wine; adds roerror.o.
#
# env.sh makes it cargo's linker for the target. It links the RoOriginateErrorW stand-in
# (roerror.c, built by setup.sh into the Wine prefix) before everything else, so that
# windows-result's Error::new does not call Wine 8's unimplemented stub. Without that
# object it is plain x86_64-w64-mingw32-gcc. (The name must end in "gcc": rustc infers
# the linker flavour from it.)
set -euo pipefail
obj="${WINEPREFIX:-${VSS_WINEPREFIX:-${TMPDIR:-/tmp}/vss-errors-wine}}/.vss-shims/roerror.o"
if [ -f "$obj" ]; then
    exec x86_64-w64-mingw32-gcc "$obj" "$@" -loleaut32
fi
exec x86_64-w64-mingw32-gcc "$@"

#!/usr/bin/env bash
# Installs what the Linux test run needs beyond the Rust toolchain: the SDK headers that
# the catalog's values are checked against (Debian package mingw-w64-common). Idempotent.
set -euo pipefail
if [ ! -f /usr/share/mingw-w64/include/vsserror.h ]; then
  echo "installing mingw-w64-common (SDK headers)"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends mingw-w64-common >/dev/null
fi

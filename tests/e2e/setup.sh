#!/usr/bin/env bash
# Installs what the end-to-end tests with the official OpenIM clients need, idempotently:
# Debian's Chromium (for the wasm SDK; no browser download) and the pinned npm packages.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian chromium"
  sudo_cmd=()
  if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq chromium >/dev/null
fi

cd "$here"
stamp="node_modules/.e2e-lock.sha"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "npm ci in tests/e2e"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi

#!/usr/bin/env bash
# End-to-end tests with the official OpenIM clients (JS SDK in Node, wasm SDK in headless
# Chromium) against the debug im-server. Installs what it needs (setup.sh), builds im-server,
# runs node's test runner; exits non-zero if any test fails.
#   IM_E2E_SKIP_SETUP=1   don't run setup.sh
#   IM_E2E_SKIP_BUILD=1   use target/debug/im-server as it is
#   IM_E2E_IDLE_SECONDS   idle period of the connection checks (default 60)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [ "${IM_E2E_SKIP_SETUP:-0}" != 1 ]; then
  "$here/setup.sh"
fi
if [ "${IM_E2E_SKIP_BUILD:-0}" != 1 ]; then
  (cd "$root" && cargo build -p im-server --locked)
fi

mkdir -p "$root/tests/.work/e2e"
cd "$here"
rc=0
node --test --test-reporter=spec --test-concurrency=2 --test-force-exit --test-timeout=240000 tests/ || rc=$?
if [ "$rc" != 0 ]; then
  echo "e2e: failed (exit $rc); server, wire and browser logs are in tests/.work/e2e/" >&2
fi
exit "$rc"

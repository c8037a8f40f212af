#!/usr/bin/env bash
# The one test command: installs what the tests need from the package registries, starts the
# local AWS-API emulator on 127.0.0.1, runs fmt, clippy and every test, and stops what it started.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work="$root/tests/.work"
venv="$root/.venv-tests"
mkdir -p "$work"

# One-shot builds: incremental caches would only cost disk and time.
export CARGO_INCREMENTAL=0

log() { printf '\n== %s\n' "$*"; }

pids=()
cleanup() {
  for pid in "${pids[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]:-}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

wait_port() {
  local port=$1 tries=100
  until python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1',$port)))" 2>/dev/null; do
    tries=$((tries-1)); [ "$tries" -gt 0 ] || { echo "port $port never opened" >&2; return 1; }
    sleep 0.1
  done
}

log "python venv with the AWS-API emulator (moto)"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/moto/requirements.txt

log "starting the emulator on 127.0.0.1"
moto_port=$(free_port)
"$venv/bin/python" tests/moto/serve.py --host 127.0.0.1 --port "$moto_port" >"$work/moto.log" 2>&1 &
pids+=($!)
wait_port "$moto_port"
export IM_TEST_DYNAMODB_ENDPOINT="http://127.0.0.1:$moto_port"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
echo "moto on $IM_TEST_DYNAMODB_ENDPOINT"

log "cargo fmt --check"
cargo fmt --all -- --check

log "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

log "cargo test --workspace"
cargo test --workspace --locked

log "AWS template: cfn-lint and sam validate --lint (offline)"
infra_venv="$root/.venv-infra"
[ -x "$infra_venv/bin/python" ] || python3 -m venv "$infra_venv"
"$infra_venv/bin/pip" install --quiet --disable-pip-version-check -r infra/requirements.txt
"$infra_venv/bin/cfn-lint" infra/template.yaml
cargo run --quiet --locked -p im-infra -- preview > "$work/template-preview.yaml"
"$infra_venv/bin/cfn-lint" "$work/template-preview.yaml"
SAM_CLI_TELEMETRY=0 "$infra_venv/bin/sam" validate --lint -t infra/template.yaml

log "end-to-end tests with the official OpenIM clients (tests/e2e)"
tests/e2e/run.sh

log "all tests passed"

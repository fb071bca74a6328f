#!/usr/bin/env bash
# DockerVmFunctions on one machine: Azurite (storage), the Azure emulator (ARM, Key Vault, managed identity,
# Docker daemons) and the local host (the HTTP API, the request queue and the durable workflow), all on loopback.
#
#   ./run.sh               serve the API on http://127.0.0.1:7071/api until Ctrl-C, with curl examples
#   ./run.sh demo          provision a sample Docker host through the API, use it, deprovision it, exit 0
#   ./run.sh demo --keep   the same, but keep the stack and the Docker host running until Ctrl-C
#
# Installs what it needs (Azurite from package.json, NuGet packages), keeps its data and logs under .local/,
# and stops everything it started when it exits. Ports can be moved with AZURITE_BLOB_PORT, AZURITE_QUEUE_PORT,
# AZURITE_TABLE_PORT, EMULATOR_PORT, API_PORT and CALLBACK_PORT.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }

mode=serve
keep=false
case "${1:-}" in
  "" | serve) ;;
  demo)
    mode=demo
    case "${2:-}" in
      "") ;;
      --keep) keep=true ;;
      *) usage >&2; exit 2 ;;
    esac ;;
  -h | --help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac

blob_port=${AZURITE_BLOB_PORT:-10000}
queue_port=${AZURITE_QUEUE_PORT:-10001}
table_port=${AZURITE_TABLE_PORT:-10002}
emulator_port=${EMULATOR_PORT:-8443}
api_port=${API_PORT:-7071}
callback_port=${CALLBACK_PORT:-7072}

state=$root/.local
logs=$state/logs
emulator_cert=$state/emulator/tls-cert.pem
mkdir -p "$logs" "$state/emulator"

fail() { printf '\nrun.sh: %s\n' "$*" >&2; exit 1; }
say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# --- processes we start, stopped in reverse order on any exit --------------------------------------------------
pids=()
names=()
cleanup() {
  local status=$?
  # Stop the children even if the terminal or a pipe on stdout is already gone.
  trap '' INT TERM PIPE
  trap - EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    printf '\n==> stopping %s\n' "$(IFS=,; echo "${names[*]}" | sed 's/,/, /g')" 2>/dev/null || true
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -KILL "$pid" 2>/dev/null || true
    done
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started() { pids+=("$1"); names+=("$2"); }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_until() { # wait_until <seconds> <what> <pid> <command...>
  local seconds=$1 what=$2 pid=$3; shift 3
  for _ in $(seq 1 $((seconds * 5))); do
    "$@" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || fail "$what exited during start; see its log under .local/logs/"
    sleep 0.2
  done
  fail "$what did not become ready within ${seconds}s; see its log under .local/logs/"
}

# --- 1. install what is missing --------------------------------------------------------------------------------
for tool in dotnet node npm curl jq openssl; do
  command -v "$tool" >/dev/null || fail "'$tool' is required but not installed"
done
for port in "$blob_port" "$queue_port" "$table_port" "$emulator_port" "$api_port"; do
  port_free "$port" || fail "port $port on 127.0.0.1 is in use (another ./run.sh?); stop it or set the *_PORT variables"
done

say "installing and building (Azurite via npm, NuGet restore, Release build)"
if [ ! -x node_modules/.bin/azurite ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# DOCKERVM_ARTIFACTS=<dir> builds outside the tree (dotnet --artifacts-path), e.g. while another build runs.
build_args=(-c Release --nologo -v q -clp:ErrorsOnly)
if [ -n "${DOCKERVM_ARTIFACTS:-}" ]; then
  build_args+=(--artifacts-path "$DOCKERVM_ARTIFACTS")
  emulator_dll=$DOCKERVM_ARTIFACTS/bin/DockerVm.Emulator/release/DockerVm.Emulator.dll
  host_dll=$DOCKERVM_ARTIFACTS/bin/DockerVm.LocalHost/release/DockerVm.LocalHost.dll
else
  emulator_dll=$root/src/DockerVm.Emulator/bin/Release/net10.0/DockerVm.Emulator.dll
  host_dll=$root/src/DockerVm.LocalHost/bin/Release/net10.0/DockerVm.LocalHost.dll
fi
dotnet build src/DockerVm.Emulator "${build_args[@]}" >"$logs/build.log" 2>&1 || { cat "$logs/build.log" >&2; fail "building the emulator failed"; }
dotnet build src/DockerVm.LocalHost "${build_args[@]}" >"$logs/build.log" 2>&1 || { cat "$logs/build.log" >&2; fail "building the local host failed"; }

# --- 2. Azurite -----------------------------------------------------------------------------------------------
say "starting Azurite (blob $blob_port, queue $queue_port, table $table_port; data in .local/azurite)"
# The emulator keeps Azure's state in memory, so the task hub starts afresh too: no statuses of VMs that are gone.
rm -rf "$state/azurite"
node_modules/.bin/azurite --silent --location "$state/azurite" --skipApiVersionCheck --loose --disableTelemetry \
  --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 --queuePort "$queue_port" \
  --tableHost 127.0.0.1 --tablePort "$table_port" >"$logs/azurite.log" 2>&1 &
started $! Azurite
for port in "$blob_port" "$queue_port" "$table_port"; do
  wait_until 30 Azurite "${pids[-1]}" bash -c "(exec 3<>/dev/tcp/127.0.0.1/$port)"
done

# --- 3. the Azure emulator ------------------------------------------------------------------------------------
say "starting the Azure emulator on https://127.0.0.1:$emulator_port (ARM, Key Vault, managed identity, Docker daemons)"
rm -f "$emulator_cert"
identity_header=$(openssl rand -hex 16)
# Azure keeps a deleted VM's NIC reserved for 180 s; 3 s here, so deprovisioning shows the wait without taking minutes.
dotnet "$emulator_dll" --port "$emulator_port" --cert-path "$emulator_cert" --identity-header "$identity_header" \
  --nic-reservation-seconds "${EMULATOR_NIC_RESERVATION_SECONDS:-3}" >"$logs/emulator.log" 2>&1 &
started $! emulator
wait_until 60 "the emulator" "${pids[-1]}" \
  curl -sf --cacert "$emulator_cert" "https://127.0.0.1:$emulator_port/_emulator/counters"

# --- 4. the local host ----------------------------------------------------------------------------------------
# Settings come from local.settings.json (or the sample), exactly as the Functions app reads them; only the
# endpoints of this run and the credential source are set here.
export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
export Azure__ResourceManagerEndpoint="https://127.0.0.1:$emulator_port/"
export Azure__KeyVaultUri="https://127.0.0.1:$emulator_port/"
export Azure__PinnedCertificatePath=$emulator_cert
export IDENTITY_ENDPOINT="https://127.0.0.1:$emulator_port/msi/token"
export IDENTITY_HEADER=$identity_header
# A fresh callback signing secret per run, shared with the demo's callback receiver only.
export Callbacks__SigningKeys__default="whsec_$(openssl rand -base64 32)"
export ASPNETCORE_URLS="http://127.0.0.1:$api_port"
api="http://127.0.0.1:$api_port/api"

say "starting the local host on $api (log: .local/logs/localhost.log)"
dotnet "$host_dll" >"$logs/localhost.log" 2>&1 &
started $! "local host"
host_pid=${pids[-1]}
wait_until 90 "the local host" "$host_pid" curl -sf "$api/docker-vms"

if [ "$mode" = serve ]; then
  cat <<EOF

The API is up on $api  (OpenAPI: $api/openapi.json). Try, in another terminal:

  curl -s $api/docker-vms | jq                                    # list
  curl -si -X POST $api/docker-vms -H 'Content-Type: application/json' -H 'Idempotency-Key: my-first-host' \\
       -d '{"name":"myhost","resourceGroup":"rg-docker","location":"westeurope","vmSize":"Standard_B2s",
            "adminUsername":"azureuser","sshPublicKey":"'"\$(cat ~/.ssh/id_ed25519.pub)"'",
            "allowedSourceCidrs":["203.0.113.0/24"]}'
  curl -s $api/docker-vms/<id> | jq                               # status (Location header of the POST)
  curl -si -X DELETE $api/docker-vms/<id>                         # deprovision

Queue path: put the same JSON (plain text) on queue '${Provisioning__RequestQueueName:-docker-vm-requests}' in Azurite.
Emulator control API: https://127.0.0.1:$emulator_port/_emulator/ (curl --cacert $emulator_cert ...).
Press Ctrl-C to stop.
EOF
  wait -n "${pids[@]}" || true
  fail "a process of the stack exited; see .local/logs/"
fi

# --- 5. the demo ----------------------------------------------------------------------------------------------
port_free "$callback_port" || fail "port $callback_port (callback receiver) is in use; set CALLBACK_PORT"
mkdir -p "$state/demo"
callbacks=$state/demo/callbacks.jsonl
: >"$callbacks"
dotnet "$host_dll" callback-receiver --port "$callback_port" --output "$callbacks" >"$logs/callback-receiver.log" 2>&1 &
started $! "callback receiver"
wait_until 30 "the callback receiver" "${pids[-1]}" bash -c "(exec 3<>/dev/tcp/127.0.0.1/$callback_port)"

API=$api CALLBACK_URL="http://127.0.0.1:$callback_port/callbacks" CALLBACKS_FILE=$callbacks \
  EMULATOR_URL="https://127.0.0.1:$emulator_port" EMULATOR_CERT=$emulator_cert STATE_DIR=$state KEEP=$keep \
  scripts/demo.sh || fail "the demo failed (logs: .local/logs/)"

if [ "$keep" = true ]; then
  printf '\nEverything keeps running; use the exports above in another terminal. Press Ctrl-C to stop.\n'
  wait -n "${pids[@]}" || true
  fail "a process of the stack exited; see .local/logs/"
fi

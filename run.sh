#!/usr/bin/env bash
# DockerVmFunctions on one machine: Azurite (storage), the Azure emulator (ARM, Key Vault, managed identity,
# Docker daemons) and the local host (the HTTP API, the request queue and the durable workflow), all on loopback.
#
#   ./run.sh                  serve the API on http://127.0.0.1:7071/api until Ctrl-C, with curl examples
#   ./run.sh demo             provision a sample Docker host through the API, use it, deprovision it, exit 0
#   ./run.sh demo --keep      the same, but keep the stack and the Docker host running until Ctrl-C
#   ./run.sh [demo] --fresh   start from empty storage and an empty emulator (otherwise both carry over)
#   ./run.sh [demo] --docker real   each VM's Docker endpoint is a real dockerd (Debian's docker.io) in a guest sandbox of
#                             its own, configured by the VM's extension settings, its public IP in 198.18.0.0/16 and its
#                             NSG as packet filters; the demo runs a container on it (needs root; default: emulated)
#
# State carries over between runs: Azurite's data (task hub, queues) and the emulator's state file (resources,
# Key Vault secrets, public IPs, Docker daemons) under .local/. A crashed local host is restarted (log: "restart N").
# Installs what it needs (Azurite from package.json, NuGet packages), keeps data and logs (owner-only) under .local/,
# and stops everything it started when it exits. Ports can be moved with AZURITE_BLOB_PORT, AZURITE_QUEUE_PORT,
# AZURITE_TABLE_PORT, EMULATOR_PORT, API_PORT and CALLBACK_PORT; DOCKERVM_LOCAL_DIR moves .local/, and
# DOCKERVM_BIN_DIR=<dir> runs DockerVm.Emulator.dll and DockerVm.LocalHost.dll from <dir> without building.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }

mode=serve
keep=false
fresh=false
docker=emulated
while [ $# -gt 0 ]; do
  case "$1" in
    serve) ;;
    demo) mode=demo ;;
    --keep) keep=true ;;
    --fresh) fresh=true ;;
    --docker=*) docker=${1#--docker=} ;;
    --docker) [ $# -ge 2 ] || { usage >&2; exit 2; }; docker=$2; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done
if [ "$keep" = true ] && [ "$mode" != demo ]; then usage >&2; exit 2; fi
case "$docker" in emulated | real) ;; *) usage >&2; exit 2 ;; esac
# How long (in 0.2 s polls) a stopped process may take: the emulator stops real dockerds and removes their sandboxes.
stop_polls=50
if [ "$docker" = real ]; then stop_polls=300; fi

blob_port=${AZURITE_BLOB_PORT:-10000}
queue_port=${AZURITE_QUEUE_PORT:-10001}
table_port=${AZURITE_TABLE_PORT:-10002}
emulator_port=${EMULATOR_PORT:-8443}
api_port=${API_PORT:-7071}
callback_port=${CALLBACK_PORT:-7072}

state=${DOCKERVM_LOCAL_DIR:-$root/.local}
mkdir -p "$state"
state=$(cd "$state" && pwd)
logs=$state/logs
emulator_cert=$state/emulator/tls-cert.pem
emulator_state=$state/emulator/state.json
control_secret_file=$state/emulator/control-secret
identity_header_file=$state/emulator/identity-header
host_pid_file=$state/localhost.pid
mkdir -p "$logs" "$state/emulator"
# Owner-only: the logs, Azurite's data (orchestration inputs), the emulator's state (Key Vault values, extension
# settings) and the secret files are nobody else's business. Earlier runs' logs were created world-readable.
chmod 700 "$state" "$logs" "$state/emulator"
find "$logs" -type f -exec chmod 600 {} +

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
      # The emulator stops real dockerds and tears their sandboxes down before it exits (--docker real).
      for _ in $(seq 1 "$stop_polls"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -KILL "$pid" 2>/dev/null || true
    done
    # The supervisor stops the host it runs; should it have been killed first, the host must not outlive us.
    if [ -f "$host_pid_file" ]; then kill -KILL "$(cat "$host_pid_file")" 2>/dev/null || true; rm -f "$host_pid_file"; fi
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
if [ "$docker" = real ]; then
  [ "$(id -u)" = 0 ] || fail "--docker real runs dockerd in network and mount namespaces: it needs root"
  [ -x /usr/sbin/dockerd ] || fail "--docker real needs Debian's docker.io (scripts/install-debian-packages.sh installs it)"
fi
for port in "$blob_port" "$queue_port" "$table_port" "$emulator_port" "$api_port"; do
  port_free "$port" || fail "port $port on 127.0.0.1 is in use (another ./run.sh?); stop it or set the *_PORT variables"
done

if [ ! -x node_modules/.bin/azurite ]; then
  say "installing Azurite (npm ci)"
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
if [ -n "${DOCKERVM_BIN_DIR:-}" ]; then
  emulator_dll=$DOCKERVM_BIN_DIR/DockerVm.Emulator.dll
  host_dll=$DOCKERVM_BIN_DIR/DockerVm.LocalHost.dll
  [ -f "$emulator_dll" ] && [ -f "$host_dll" ] || fail "DOCKERVM_BIN_DIR=$DOCKERVM_BIN_DIR holds no DockerVm.Emulator.dll and DockerVm.LocalHost.dll"
else
  say "building (NuGet restore, Release build)"
  dotnet build src/DockerVm.Emulator "${build_args[@]}" >"$logs/build.log" 2>&1 || { cat "$logs/build.log" >&2; fail "building the emulator failed"; }
  dotnet build src/DockerVm.LocalHost "${build_args[@]}" >"$logs/build.log" 2>&1 || { cat "$logs/build.log" >&2; fail "building the local host failed"; }
fi

# Everything the stack writes from here on (data, logs, secret files) is owner-only.
umask 077
if [ "$fresh" = true ]; then
  say "starting afresh: removing Azurite's data, the emulator's state and the Docker client certificates"
  rm -rf "$state/azurite" "$emulator_state" "$state/docker" "$state/demo"
fi

# --- 2. Azurite -----------------------------------------------------------------------------------------------
say "starting Azurite (blob $blob_port, queue $queue_port, table $table_port; data in ${state#"$root"/}/azurite)"
# Kept across runs, like the emulator's state: orchestrations of an earlier run carry on where they stopped.
node_modules/.bin/azurite --silent --location "$state/azurite" --skipApiVersionCheck --loose --disableTelemetry \
  --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 --queuePort "$queue_port" \
  --tableHost 127.0.0.1 --tablePort "$table_port" >"$logs/azurite.log" 2>&1 &
started $! Azurite
for port in "$blob_port" "$queue_port" "$table_port"; do
  wait_until 30 Azurite "${pids[-1]}" bash -c "(exec 3<>/dev/tcp/127.0.0.1/$port)"
done

# --- 3. the Azure emulator ------------------------------------------------------------------------------------
say "starting the Azure emulator on https://127.0.0.1:$emulator_port (ARM, Key Vault, managed identity, $docker Docker daemons)"
rm -f "$emulator_cert" "$control_secret_file" "$identity_header_file"
# The emulator writes its identity header and control secret to owner-only files (never to its log or command line).
# Azure keeps a deleted VM's NIC reserved for 180 s; 3 s here, so deprovisioning shows the wait without taking minutes.
dotnet "$emulator_dll" --port "$emulator_port" --cert-path "$emulator_cert" --state-path "$emulator_state" \
  --identity-header-path "$identity_header_file" --control-secret-path "$control_secret_file" \
  --nic-reservation-seconds "${EMULATOR_NIC_RESERVATION_SECONDS:-3}" --docker "$docker" >"$logs/emulator.log" 2>&1 &
started $! emulator
wait_until 60 "the emulator" "${pids[-1]}" \
  curl -sf --cacert "$emulator_cert" "https://127.0.0.1:$emulator_port/_emulator/health"
identity_header=$(cat "$identity_header_file")

# The target resource groups exist before the app runs, as infra creates them in Azure: the app's identity has rights
# in its target group only and never creates groups. rg-docker (the curl examples) and the demo's; add more with
# DOCKERVM_LOCAL_RESOURCE_GROUPS="rg-a rg-b". PUT is idempotent, so a kept emulator state is fine.
emulator_url="https://127.0.0.1:$emulator_port"
arm_token=$(curl -sf --cacert "$emulator_cert" -H "X-IDENTITY-HEADER: $identity_header" \
  "$emulator_url/_emulator/token?resource=https%3A%2F%2Fmanagement.azure.com" | jq -r .access_token) \
  || fail "no ARM token from the emulator"
subscription=$(curl -sf --cacert "$emulator_cert" -H "Authorization: Bearer $arm_token" \
  "$emulator_url/subscriptions?api-version=2022-12-01" | jq -r '.value[0].subscriptionId') \
  || fail "the emulator lists no subscription"
for group in rg-docker rg-dockervm-demo ${DOCKERVM_LOCAL_RESOURCE_GROUPS:-}; do
  curl -sf -o /dev/null --cacert "$emulator_cert" -X PUT -H "Authorization: Bearer $arm_token" -H 'Content-Type: application/json' \
    -d '{"location":"westeurope"}' "$emulator_url/subscriptions/$subscription/resourcegroups/$group?api-version=2022-09-01" \
    || fail "creating resource group $group in the emulator failed"
done

# --- 4. the local host ----------------------------------------------------------------------------------------
# Settings come from local.settings.json (or the sample), exactly as the Functions app reads them; only the
# endpoints of this run and the credential source are set here.
export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
export Azure__ResourceManagerEndpoint="https://127.0.0.1:$emulator_port/"
export Azure__KeyVaultUri="https://127.0.0.1:$emulator_port/"
export Azure__PinnedCertificatePath=$emulator_cert
export IDENTITY_ENDPOINT="https://127.0.0.1:$emulator_port/msi/token"
export IDENTITY_HEADER=$identity_header
# A fresh callback signing secret per run (unless the caller set one), shared with the demo's callback receiver only.
export Callbacks__SigningKeys__default="${Callbacks__SigningKeys__default:-whsec_$(openssl rand -base64 32)}"
export ASPNETCORE_URLS="http://127.0.0.1:$api_port"
api="http://127.0.0.1:$api_port/api"

# Runs the local host and starts it again when it dies (a crash, kill -9), with a back-off: work it had taken comes
# back to the new process from the task hub. Gives up after 5 crashes in a row that each came within 30 s of a start.
supervise_host() {
  local child=0 restarts=0 quick=0 delay=1 since rc
  trap '[ "$child" -gt 0 ] && kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; rm -f "$host_pid_file"; exit 0' TERM INT
  : >"$logs/localhost.log"
  while :; do
    since=$(date +%s)
    dotnet "$host_dll" >>"$logs/localhost.log" 2>&1 &
    child=$!
    echo "$child" >"$host_pid_file"
    rc=0
    wait "$child" || rc=$?
    if [ $(($(date +%s) - since)) -ge 30 ]; then quick=0 delay=1; else quick=$((quick + 1)); fi
    if [ "$quick" -ge 5 ]; then
      printf '%s run.sh: the local host exited with status %s 5 times in a row right after starting; giving up\n' \
        "$(date +%T)" "$rc" | tee -a "$logs/localhost.log" >&2
      rm -f "$host_pid_file"
      exit 1
    fi
    restarts=$((restarts + 1))
    printf '%s run.sh: the local host (pid %s) exited with status %s; restart %d in %ds\n' \
      "$(date +%T)" "$child" "$rc" "$restarts" "$delay" | tee -a "$logs/localhost.log"
    sleep "$delay" &
    wait $! || true # interruptible, so that stopping the stack is not held up by the back-off
    delay=$((delay * 2 > 30 ? 30 : delay * 2))
  done
}

say "starting the local host on $api (log: ${logs#"$root"/}/localhost.log; restarted if it crashes)"
supervise_host &
started $! "local host"
wait_until 90 "the local host" "${pids[-1]}" curl -sf "$api/docker-vms"

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
Emulator control API (faults, journal, state), with the control secret from its owner-only file:
  curl -s --cacert $emulator_cert -H "X-Emulator-Control-Secret: \$(cat $control_secret_file)" \\
       https://127.0.0.1:$emulator_port/_emulator/counters | jq
The local cloud with the Azure CLI (README: "Look at the local cloud with az / the Python SDK"):
  scripts/az-local.sh vm list -o table
State carries over to the next ./run.sh (./run.sh --fresh starts empty). Press Ctrl-C to stop.
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
  EMULATOR_URL="https://127.0.0.1:$emulator_port" EMULATOR_CERT=$emulator_cert STATE_DIR=$state KEEP=$keep DOCKER_MODE=$docker \
  scripts/demo.sh || fail "the demo failed (logs: .local/logs/)"

if [ "$keep" = true ]; then
  printf '\nEverything keeps running; use the exports above in another terminal. Press Ctrl-C to stop.\n'
  wait -n "${pids[@]}" || true
  fail "a process of the stack exited; see .local/logs/"
fi

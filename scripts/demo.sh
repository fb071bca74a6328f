#!/usr/bin/env bash
# The demo a user would do by hand against a running local stack (started by ./run.sh demo): provision a Docker host
# with curl, follow its progress, check the signed callback, fetch the client certificates from Key Vault, talk to
# the Docker endpoint with them, print the DOCKER_* exports, then deprovision (unless KEEP=true).
# Needs: API, CALLBACK_URL, CALLBACKS_FILE (JSON lines written by the callback receiver after signature checks),
# EMULATOR_URL, EMULATOR_CERT, STATE_DIR, IDENTITY_ENDPOINT, IDENTITY_HEADER; optional KEEP, DEMO_TIMEOUT (s),
# DOCKER_MODE (emulated or real: the emulator runs a real dockerd per VM; the demo then runs a container on it).
set -euo pipefail

: "${API:?}" "${CALLBACK_URL:?}" "${CALLBACKS_FILE:?}" "${EMULATOR_URL:?}" "${EMULATOR_CERT:?}" "${STATE_DIR:?}"
: "${IDENTITY_ENDPOINT:?}" "${IDENTITY_HEADER:?}"
keep=${KEEP:-false}
docker_mode=${DOCKER_MODE:-emulated}
timeout=${DEMO_TIMEOUT:-180}
started_at=$(date +%s)

fail() { printf '\n\033[31m✘ %s\033[0m\n' "$*" >&2; exit 1; }
say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
ok() { printf '  \033[32m✔\033[0m %s\n' "$*"; }
show() { printf '  \033[2m$ %s\033[0m\n' "$*"; }

# Polls the status resource into $workdir/status.json, printing each new "state · step", until the state is <done>
# (returns) or <failed> (fails); states compare case-insensitively. Gives up <limit> seconds after the demo started.
follow_status() { # follow_status <what> <done> <failed> <limit>
  local last="" state step line
  while :; do
    curl -sSf "$status_url" -o "$workdir/status.json" || fail "GET $status_url failed"
    state=$(jq -r '.state' "$workdir/status.json")
    step=$(jq -r '.currentStep // ""' "$workdir/status.json")
    line="$state${step:+ · $step}"
    if [ "$line" != "$last" ]; then printf '  %s  %s\n' "$(date +%T)" "$line"; last=$line; fi
    case "$(printf '%s' "$state" | tr '[:upper:]' '[:lower:]')" in
      "$2") return 0 ;;
      "$3") fail "$1 failed: $(jq -c '.error' "$workdir/status.json")" ;;
    esac
    [ $(($(date +%s) - started_at)) -lt "$4" ] || fail "$1 did not finish within $4s"
    sleep 1
  done
}

# Unique per run: state carries over between runs (a host kept with --keep is still there), so a name is never reused.
name="demo$(date +%y%m%d%H%M%S)"
resource_group=rg-dockervm-demo
workdir=$STATE_DIR/demo/$name
mkdir -p "$workdir"

# --- an SSH key for the VM's admin user (public part only goes into the request) -----------------------------
ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$workdir/id_ed25519" </dev/null >/dev/null 2>&1 \
  || fail "ssh-keygen failed"
ssh_public_key=$(cat "$workdir/id_ed25519.pub")

# --- 1. submit -------------------------------------------------------------------------------------------------
# The caller's network: emulated daemons see this machine's loopback; a real one (a guest sandbox) sees the host end of
# its veth pair, in 198.19.0.0/16 (src/DockerVm.Emulator/Guest/GuestAddresses.cs). The NSG admits only that.
if [ "$docker_mode" = real ]; then caller_cidr=198.19.0.0/16; else caller_cidr=127.0.0.0/8; fi
say "1. Ask for a Docker host: POST $API/docker-vms"
jq -n --arg name "$name" --arg rg "$resource_group" --arg key "$ssh_public_key" --arg callback "$CALLBACK_URL" --arg cidr "$caller_cidr" '{
  name: $name, resourceGroup: $rg, location: "westeurope", vmSize: "Standard_B2s",
  adminUsername: "azureuser", sshPublicKey: $key, allowedSourceCidrs: [$cidr],
  installer: "customScript",
  callback: { url: $callback, signature: "standard-webhooks" },
  tags: { purpose: "demo" }
}' >"$workdir/request.json"
show "curl -si -X POST $API/docker-vms -H 'Content-Type: application/json' -H 'Idempotency-Key: $name' -d @request.json"
status=$(curl -sS -o "$workdir/submit.json" -D "$workdir/submit.headers" -w '%{http_code}' -X POST "$API/docker-vms" \
  -H 'Content-Type: application/json' -H "Idempotency-Key: $name" --data-binary "@$workdir/request.json") \
  || fail "the API did not answer"
[ "$status" = 202 ] || fail "expected 202 Accepted, got $status: $(cat "$workdir/submit.json")"
location=$(grep -i '^location:' "$workdir/submit.headers" | tr -d '\r' | awk '{print $2}')
[ -n "$location" ] || fail "the 202 response has no Location header"
case "$location" in http*) status_url=$location ;; *) status_url="${API%/api}$location" ;; esac
instance_id=$(jq -r '.instanceId // .id // empty' "$workdir/submit.json")
ok "202 Accepted — instance ${instance_id:-?}, status at $status_url"

# --- 2. follow the status resource -----------------------------------------------------------------------------
say "2. Follow the progress: GET $status_url"
follow_status provisioning succeeded failed "$timeout"
fqdn=$(jq -r '.host.fqdn' "$workdir/status.json")
public_ip=$(jq -r '.host.publicIpAddress' "$workdir/status.json")
docker_host=$(jq -r '.host.dockerHost' "$workdir/status.json")
ok "Docker host ready: $docker_host (FQDN $fqdn, public IP $public_ip)"
if grep -q 'PRIVATE KEY' "$workdir/status.json"; then fail "the status resource contains key material"; fi
ok "the status shows Key Vault secret URIs only, no key material"

# --- 3. the signed callback ------------------------------------------------------------------------------------
say "3. The signed callback (CloudEvents, Standard Webhooks) at $CALLBACK_URL"
wait_for_callback() { # wait_for_callback <type>
  for _ in $(seq 1 150); do
    if jq -e --arg t "$1" --arg s "$instance_id" 'select(.verified and (.type | endswith($t)) and (.event.subject // $s) == $s)' \
      "$CALLBACKS_FILE" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  return 1
}
wait_for_callback dockerhost.provisioned || fail "no verified dockerhost.provisioned callback arrived"
ok "received dockerhost.provisioned; signature verified with the shared secret"
if grep -q 'PRIVATE KEY' "$CALLBACKS_FILE"; then fail "a callback carried key material"; fi

# --- 4. client certificates from Key Vault ---------------------------------------------------------------------
cert_dir=$STATE_DIR/docker/$name
say "4. Fetch the client certificate set from Key Vault into ${cert_dir#"$PWD"/}"
token=$(curl -sSf --cacert "$EMULATOR_CERT" -H "X-IDENTITY-HEADER: $IDENTITY_HEADER" \
  "$IDENTITY_ENDPOINT?api-version=2019-08-01&resource=https://vault.azure.net" | jq -r .access_token) \
  || fail "no Key Vault token from the managed identity endpoint"
mkdir -p "$cert_dir"
fetch_secret() { # fetch_secret <status json path> <file>
  local uri
  uri=$(jq -r "$1 // empty" "$workdir/status.json")
  [ -n "$uri" ] || fail "the status has no $1"
  show "curl -H 'Authorization: Bearer …' '$uri?api-version=7.5' | jq -r .value > $2"
  curl -sSf --cacert "$EMULATOR_CERT" -H "Authorization: Bearer $token" "$uri?api-version=7.5" \
    | jq -r .value >"$cert_dir/$2" || fail "reading $uri failed"
}
fetch_secret .host.secrets.caCertificate ca.pem
fetch_secret .host.secrets.clientCertificate cert.pem
fetch_secret .host.secrets.clientKey key.pem
chmod 600 "$cert_dir/key.pem"
ok "ca.pem, cert.pem, key.pem written"

# --- 5. talk to Docker -----------------------------------------------------------------------------------------
say "5. Talk to the Docker endpoint with those certificates"
# The FQDN does not resolve locally; the public IP is in the server certificate too, so TLS still verifies.
endpoint="tcp://$public_ip:${docker_host##*:}"
if command -v docker >/dev/null; then
  show "docker --tlsverify --tlscacert ca.pem --tlscert cert.pem --tlskey key.pem -H $endpoint version"
  DOCKER_CONFIG=$workdir docker --tlsverify --tlscacert "$cert_dir/ca.pem" --tlscert "$cert_dir/cert.pem" \
    --tlskey "$cert_dir/key.pem" -H "$endpoint" version --format '  server: Docker Engine {{.Server.Version}} (API {{.Server.APIVersion}}, {{.Server.Os}}/{{.Server.Arch}})' \
    || fail "docker could not talk to $endpoint with the issued certificates"
else
  show "curl --cacert ca.pem --cert cert.pem --key key.pem https://$public_ip:${docker_host##*:}/version"
  curl -sSf --cacert "$cert_dir/ca.pem" --cert "$cert_dir/cert.pem" --key "$cert_dir/key.pem" \
    "https://$public_ip:${docker_host##*:}/version" | jq -r '"  server: Docker Engine \(.Version) (API \(.ApiVersion))"' \
    || fail "the Docker endpoint refused the issued certificates"
fi
if curl -s -o /dev/null --max-time 5 --cacert "$cert_dir/ca.pem" "https://$public_ip:${docker_host##*:}/_ping"; then
  fail "the Docker endpoint answered without a client certificate"
fi
ok "mutual TLS works; without a client certificate the daemon refuses"

if [ "$docker_mode" = real ]; then
  # A real dockerd on the VM: no registry here, so the image is a docker import of Debian's static busybox.
  say "5b. Run a container on the new host (a real dockerd, configured by the VM's extension)"
  command -v docker >/dev/null || fail "the real-Docker demo needs a docker CLI"
  [ -x /bin/busybox ] || fail "the real-Docker demo needs /bin/busybox (busybox-static)"
  rootfs=$workdir/rootfs
  mkdir -p "$rootfs/bin" && cp /bin/busybox "$rootfs/bin/busybox" && ln -sf busybox "$rootfs/bin/sh"
  tls=(--tlsverify --tlscacert "$cert_dir/ca.pem" --tlscert "$cert_dir/cert.pem" --tlskey "$cert_dir/key.pem" -H "$endpoint")
  show "tar -C rootfs -c . | docker ${tls[*]:0:1} … import - local/busybox"
  tar -C "$rootfs" -c . | DOCKER_CONFIG=$workdir docker "${tls[@]}" import - local/busybox >/dev/null \
    || fail "docker import on $endpoint failed"
  show "docker --tlsverify … -H $endpoint run --rm local/busybox /bin/busybox echo hello from $name"
  output=$(DOCKER_CONFIG=$workdir docker "${tls[@]}" run --rm local/busybox /bin/busybox echo "hello from $name") \
    || fail "docker run on $endpoint failed"
  printf '  %s\n' "$output"
  [ "$output" = "hello from $name" ] || fail "the container printed '$output'"
  info=$(DOCKER_CONFIG=$workdir docker "${tls[@]}" info --format '{{.Name}}, {{.ServerVersion}}, {{json .SecurityOptions}}, live-restore {{.LiveRestoreEnabled}}')
  ok "docker run … echo ran on the provisioned host ($info)"
fi

say "Use it from any terminal:"
printf '  export DOCKER_HOST=%s DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=%s\n' "$endpoint" "$cert_dir"
printf '  \033[2m(in Azure DOCKER_HOST would be %s)\033[0m\n' "$docker_host"

if [ "$keep" = true ]; then
  printf '\nProvisioned in %ss.\n' "$(($(date +%s) - started_at))"
  exit 0
fi

# --- 6. deprovision --------------------------------------------------------------------------------------------
say "6. Deprovision: DELETE $status_url"
show "curl -si -X DELETE $status_url"
status=$(curl -sS -o "$workdir/delete.json" -w '%{http_code}' -X DELETE "$status_url") || fail "DELETE failed"
[ "$status" = 202 ] || fail "expected 202 Accepted for DELETE, got $status: $(cat "$workdir/delete.json")"
follow_status deprovisioning deprovisioned deprovisionfailed $((timeout * 2))
ok "VM, disks, network and its Key Vault secrets deleted"
if wait_for_callback dockerhost.deprovisioned; then
  ok "received dockerhost.deprovisioned; signature verified"
else
  fail "no verified dockerhost.deprovisioned callback arrived"
fi

printf '\n\033[32mDemo complete in %ss.\033[0m\n' "$(($(date +%s) - started_at))"

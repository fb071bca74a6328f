#!/usr/bin/env bash
# The Azure CLI against the local stack's emulator (./run.sh), with a configuration of its own under .local/az/:
#
#   scripts/az-local.sh vm list -o table          runs `az vm list -o table` against the local cloud
#   eval "$(scripts/az-local.sh --env)"           sets the variables in this shell, then plain `az ...` works
#
# The first run registers the cloud "DockerVmLocal" from the emulator's metadata endpoint and signs in with the
# emulator's managed identity, the way az does on App Service: MSI_ENDPOINT, MSI_SECRET (the identity header from
# .local/emulator/identity-header) and APPSETTING_WEBSITE_SITE_NAME, without which az 2.45 POSTs a form with no secret
# that the emulator refuses. REQUESTS_CA_BUNDLE trusts exactly the emulator's certificate. The user's own az
# configuration (~/.azure) is not touched. EMULATOR_PORT and DOCKERVM_LOCAL_DIR as for ./run.sh; AZ overrides the
# az binary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
state=${DOCKERVM_LOCAL_DIR:-$root/.local}
port=${EMULATOR_PORT:-8443}
az=${AZ:-az}
endpoint=https://127.0.0.1:$port
cloud=DockerVmLocal

fail() { printf 'az-local.sh: %s\n' "$*" >&2; exit 1; }

cert=$state/emulator/tls-cert.pem
header_file=$state/emulator/identity-header
[ -f "$cert" ] && [ -f "$header_file" ] || fail "no emulator files under ${state}/emulator/: start the local stack first (./run.sh)"
command -v "$az" >/dev/null || fail "the Azure CLI ('$az') is not installed"

mkdir -p "$state/az"
chmod 700 "$state/az"
export AZURE_CONFIG_DIR=$state/az
export REQUESTS_CA_BUNDLE=$cert
export MSI_ENDPOINT=$endpoint/msi/token
MSI_SECRET=$(cat "$header_file")
export MSI_SECRET
export APPSETTING_WEBSITE_SITE_NAME=dockervm-local
export AZURE_CORE_COLLECT_TELEMETRY=false

if [ "${1:-}" = --env ]; then
  # The secret is read from its file when the line runs, so it never appears in this output.
  printf 'export AZURE_CONFIG_DIR=%q REQUESTS_CA_BUNDLE=%q MSI_ENDPOINT=%q APPSETTING_WEBSITE_SITE_NAME=%q AZURE_CORE_COLLECT_TELEMETRY=false\n' \
    "$AZURE_CONFIG_DIR" "$REQUESTS_CA_BUNDLE" "$MSI_ENDPOINT" "$APPSETTING_WEBSITE_SITE_NAME"
  printf 'export MSI_SECRET="$(cat %q)"\n' "$header_file"
fi

# az takes 1-3 s per command, so the set-up runs once per endpoint (marker file), not on every call.
marker=$AZURE_CONFIG_DIR/.dockervm-local
if [ "$(cat "$marker" 2>/dev/null)" != "$endpoint" ] || ! grep -q "\"environmentName\": \"$cloud\"" "$AZURE_CONFIG_DIR/azureProfile.json" 2>/dev/null; then
  if "$az" cloud show -n "$cloud" -o none 2>/dev/null; then
    "$az" cloud update -n "$cloud" --endpoint-resource-manager "$endpoint" -o none
  else
    "$az" cloud register -n "$cloud" --endpoint-resource-manager "$endpoint" -o none
  fi
  "$az" cloud set -n "$cloud" -o none 2>/dev/null
  "$az" login --identity -o none
  printf '%s\n' "$endpoint" >"$marker"
fi

[ "${1:-}" = --env ] && exit 0
[ $# -gt 0 ] || exit 0
exec "$az" "$@"

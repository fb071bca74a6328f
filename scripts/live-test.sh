#!/usr/bin/env bash
# Runs the live scenario against a deployment made by `azd up`: provisions one Docker host through the deployed API,
# connects to it with the Docker CLI from this machine (client set read from Key Vault with your own Azure login),
# deprovisions it, and checks that nothing is left in the target resource group or the vault.
#
# Usage: scripts/live-test.sh [--env AZD_ENV_NAME] [--allow CIDR]
#   needs: azd (an environment after `azd up`), az (logged in: `az login`), docker, dotnet
#   your account needs Key Vault Secrets User on the vault (README: "Pointing callers at it").
# --allow is your machine's public address range (for example 203.0.113.7/32): the host's NSG admits nothing else, so
# the Docker CLI here can reach it only from there.
set -euo pipefail
cd "$(dirname "$0")/.."

env_name="" allow="${DOCKERVM_LIVE_ALLOWED_CIDR:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --env) env_name=$2; shift 2 ;;
    --allow) allow=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "live-test: unknown argument $1" >&2; exit 2 ;;
  esac
done

[ -n "$allow" ] || { echo "live-test: --allow CIDR (your public address, e.g. 203.0.113.7/32) is required" >&2; exit 2; }
for tool in azd az docker dotnet; do
  command -v "$tool" >/dev/null || { echo "live-test: $tool is not installed" >&2; exit 2; }
done

# The azd environment's outputs (DOCKERVM_API_BASE_URL, DOCKERVM_TARGET_RESOURCE_GROUP, AZURE_SUBSCRIPTION_ID, ...).
eval "$(azd env get-values ${env_name:+--environment "$env_name"})"
DOCKERVM_API_KEY=$(az functionapp keys list -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_NAME" --query functionKeys.default -o tsv)
export DOCKERVM_LIVE=1 DOCKERVM_LIVE_ALLOWED_CIDR="$allow" DOCKERVM_API_KEY
export DOCKERVM_API_BASE_URL DOCKERVM_TARGET_RESOURCE_GROUP AZURE_SUBSCRIPTION_ID AZURE_LOCATION  # DOCKERVM_LIVE_VM_SIZE: optional

dotnet test tests/DockerVm.EndToEnd.Tests/DockerVm.EndToEnd.Tests.csproj -c Release --nologo \
  --filter "FullyQualifiedName~LiveAzureTests" --logger "console;verbosity=normal"

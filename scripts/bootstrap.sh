#!/usr/bin/env bash
# Installs what the project needs on a fresh machine: NuGet packages, and Node packages (Azurite) when present.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f package.json ] && [ ! -d node_modules ] ; then
  npm ci --no-audit --no-fund --loglevel=error
fi
dotnet restore DockerVmFunctions.sln --nologo -v q
./scripts/install-debian-packages.sh

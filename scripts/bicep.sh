#!/usr/bin/env bash
# Runs the Bicep CLI, installing it first if needed. The CLI comes only from the NuGet package
# Azure.Bicep.CommandLine.linux-x64 (restored through `dotnet`, so no download outside the package registry)
# and is cached under .local/tools/bicep/<version>/.
# Usage: scripts/bicep.sh build infra/main.bicep | scripts/bicep.sh --path (install, print the binary's path)
# build, build-params and lint run with --no-restore (offline; see below).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="${BICEP_VERSION:-0.49.2}"
package="Azure.Bicep.CommandLine.linux-x64"
cache="$root/.local/tools/bicep/$version"
bin="$cache/bicep"

install_bicep() {
  local work="$cache/restore"
  rm -rf "$work" && mkdir -p "$work"
  # Empty Directory.* files keep the repo's build props (analyzers, central package management) out of this
  # throwaway project, which only downloads one package.
  for f in Directory.Build.props Directory.Build.targets Directory.Packages.props; do
    echo '<Project />' >"$work/$f"
  done
  cat >"$work/bicep-download.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="$package" Version="[$version]" />
  </ItemGroup>
</Project>
XML
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
    dotnet restore "$work/bicep-download.csproj" --packages "$cache/packages" --nologo -v q >&2
  local found
  found="$(find "$cache/packages/${package,,}/$version" -type f -name bicep | head -n 1)"
  [ -n "$found" ] || { echo "bicep.sh: no 'bicep' binary in $package $version" >&2; exit 1; }
  chmod +x "$found"
  ln -sfr "$found" "$bin"
  # The extracted binary is all that is used: drop the restore project and the 110 MB archive copy.
  rm -rf "$work" "$cache/packages/${package,,}/$version/"*.nupkg
}

[ -x "$bin" ] || install_bicep

if [ "${1:-}" = "--path" ]; then
  echo "$bin"
  exit 0
fi
# build/lint otherwise fetch the public module index (a DNS lookup + HTTPS to a Microsoft redirector) on every run,
# even for templates that use no registry module. infra/ uses none (scripts/test-infra.sh checks that), so skipping
# restore loses nothing; BICEP_RESTORE=1 brings it back for a template that needs `br:` modules.
case "${1:-}" in
  build | build-params | lint)
    if [ "${BICEP_RESTORE:-0}" != 1 ]; then
      verb="$1"
      shift
      exec "$bin" "$verb" --no-restore "$@"
    fi
    ;;
esac
exec "$bin" "$@"

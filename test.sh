#!/usr/bin/env bash
# Runs every test project and prints a final line "N passed, N failed[, N skipped]".
# Usage: ./test.sh [extra dotnet test args, e.g. --filter FullyQualifiedName~Certificates]
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

results=".local/test-results"
rm -rf "$results" && mkdir -p "$results"

./scripts/bootstrap.sh || { echo "0 passed, 1 failed"; exit 1; }

if ! dotnet build DockerVmFunctions.sln -c Release --nologo -v q -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

status=0
for proj in tests/*/*.Tests.csproj tests/*/*.EndToEnd.csproj; do
  [ -f "$proj" ] || continue
  name=$(basename "$proj" .csproj)
  echo "=== $name"
  dotnet test "$proj" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --logger "console;verbosity=normal" "$@" >"$results/$name.log" 2>&1 || status=1
  grep -E "^\s+(Failed|Skipped) |error|Total tests|Passed!|Failed!" "$results/$name.log" | grep -v "^\s*$" | tail -n 40
done

for extra in scripts/test-*.sh; do
  [ -x "$extra" ] || continue
  echo "=== $(basename "$extra")"
  "$extra" "$results" || status=1
done

# Sum the counters of every TRX file (and of any extra suites writing *.counts "passed failed skipped").
read -r passed failed skipped < <(
  { for f in "$results"/*.trx; do
      [ -f "$f" ] || continue
      c=$(grep -o '<Counters [^>]*>' "$f")
      p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$c")
      fl=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$c")
      t=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$c")
      e=$(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$c")
      echo "$p $fl $((t - e))"
    done
    cat "$results"/*.counts 2>/dev/null
  } | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]

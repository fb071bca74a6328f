#!/usr/bin/env bash
# Runs every test project and prints a final line "N passed, N failed[, N skipped]".
# Usage: ./test.sh [extra dotnet test args, e.g. --filter FullyQualifiedName~Certificates]
#
# The unit projects and the infrastructure suite run at the same time (every test project takes free ports and its own
# Azurite/emulator, so they do not collide); the end-to-end project runs alone afterwards, because it runs a whole local
# stack (Azurite, emulator, local host processes) against 90-second deadlines and is the one that suffers under load.
# Each project writes .local/test-results/<name>.log and <name>.trx; the console shows failures, skips and totals only.
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

now_ms() { date +%s%3N; }

# Runs one test project; its exit code goes to <name>.rc and its wall time to <name>.seconds.
run_project() {
  local proj=$1 name start rc
  shift
  name=$(basename "$proj" .csproj)
  start=$(now_ms)
  dotnet test "$proj" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --logger "console;verbosity=normal" "$@" >"$results/$name.log" 2>&1
  rc=$?
  echo "$rc" >"$results/$name.rc"
  awk -v s="$start" -v e="$(now_ms)" 'BEGIN { printf "%.1f\n", (e - s) / 1000 }' >"$results/$name.seconds"
}

# Prints what matters of one finished project: each failed test with its message (first lines of the stack), each
# skipped test, and the project's totals from its TRX file (or the end of its log when there is none).
report_project() {
  local name=$1 trx="$results/$1.trx" log="$results/$1.log" c
  echo "=== $name"
  awk '
    /^  (Passed|Failed|Skipped) |^Results File:|^Test Run |^Total tests:/ { failing = 0 }
    /^  Failed / { failing = 1; lines = 0 }
    /^  Skipped / { print; next }
    failing && lines < 12 { print; lines++ }
  ' "$log"
  if [ -f "$trx" ]; then
    c=$(grep -o '<Counters [^>]*>' "$trx")
    sed -E 's/.* total="([0-9]+)" executed="([0-9]+)" passed="([0-9]+)" failed="([0-9]+)".*/\3 \4 \1 \2/' <<<"$c" |
      awk -v n="$name" -v t="$(cat "$results/$name.seconds" 2>/dev/null)" \
        '{ printf "%s: %d passed, %d failed, %d skipped (%s s)\n", n, $1, $2, $3 - $4, t }'
  else
    echo "$name: no test results; end of its log:"
    tail -n 20 "$log"
  fi
}

projects=(tests/*/*.Tests.csproj)
unit=() e2e=()
for proj in "${projects[@]}"; do
  [ -f "$proj" ] || continue
  case "$proj" in
    *.EndToEnd.Tests.csproj) e2e+=("$proj") ;;
    *) unit+=("$proj") ;;
  esac
done

status=0

# 1. Unit projects and the infrastructure suite, concurrently.
pids=()
for proj in "${unit[@]}"; do
  run_project "$proj" "$@" &
  pids+=($!)
done
extras=()
for extra in scripts/test-*.sh; do
  [ -x "$extra" ] || continue
  name=$(basename "$extra" .sh)
  extras+=("$name")
  { "$extra" "$results" >"$results/$name.log" 2>&1; echo $? >"$results/$name.rc"; } &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done

for proj in "${unit[@]}"; do
  report_project "$(basename "$proj" .csproj)"
done
for name in "${extras[@]}"; do
  echo "=== $name"
  # Its own summary line (last line) and any failed check.
  grep -E "^FAIL " "$results/$name.log"
  tail -n 1 "$results/$name.log"
done

# 2. The end-to-end project, alone.
for proj in "${e2e[@]}"; do
  run_project "$proj" "$@"
  report_project "$(basename "$proj" .csproj)"
done

for rc in "$results"/*.rc; do
  [ -f "$rc" ] && [ "$(cat "$rc")" != "0" ] && status=1
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

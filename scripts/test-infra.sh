#!/usr/bin/env bash
# Infrastructure suite (./test.sh runs it): installs the Bicep CLI from its NuGet package, builds and lints every
# template under infra/ — any error, warning or info diagnostic fails — then checks the compiled ARM JSON
# (app-settings drift against local.settings.sample.json, least privilege, azd conventions).
# Usage: scripts/test-infra.sh [RESULTS_DIR]   -> writes RESULTS_DIR/infra.counts as "PASSED FAILED SKIPPED".
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
results="${1:-$root/.local/test-results}"
work="$results/infra"
rm -rf "$work" && mkdir -p "$work"

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }
now_ms() { date +%s%3N; }
seconds_since() { awk -v s="$1" -v e="$(now_ms)" 'BEGIN { printf "%.1f", (e - s) / 1000 }'; }
finish() {
  echo "$passed $failed $skipped" >"$results/infra.counts"
  echo "infra: $passed passed, $failed failed, $skipped skipped (install ${install_s:-?} s, build ${build_s:-?} s, lint ${lint_s:-?} s, checks ${checks_s:-?} s)"
  [ "$failed" -eq 0 ]
  exit
}

# 1. The CLI, from the NuGet package only (scripts/bicep.sh caches it under .local/tools/bicep).
start=$(now_ms)
if bicep="$("$root/scripts/bicep.sh" --path 2>"$work/install.log")" && version="$("$bicep" --version 2>&1)"; then
  install_s=$(seconds_since "$start")
  pass "Bicep CLI installed from NuGet: $version (${install_s} s)"
else
  install_s=$(seconds_since "$start")
  fail "Bicep CLI installed from NuGet" "$(tail -n 5 "$work/install.log")"
  finish
fi

mapfile -t templates < <(find infra -name '*.bicep' | sort)
# --outdir keeps the layout below infra/: infra/app/x.bicep -> $work/arm/app/x.json
compiled() { local rel="${1#infra/}"; echo "${rel%.bicep}.json"; }
diagnostic='^(.+)\(([0-9]+),([0-9]+)\) : (Error|Warning|Info) '

# Runs one bicep command over every template; one check per template (its diagnostics), plus one for the run.
per_template() {
  local verb="$1" log="$2" rc="$3"
  local file abs lines
  for file in "${templates[@]}"; do
    abs="$root/$file"
    lines="$(grep -F "$abs(" "$log" | sed "s|$root/||" | sort -u)"
    if [ -n "$lines" ]; then
      fail "$verb $file" $'\n'"$lines"
    elif [ "$verb" = build ] && [ ! -s "$work/arm/$(compiled "$file")" ]; then
      fail "$verb $file" "no ARM JSON produced"
    else
      pass "$verb $file"
    fi
  done
  local stray
  stray="$(grep -Ev "$diagnostic" "$log" | grep -v '^\s*$')"
  if [ "$rc" -ne 0 ] || [ -n "$stray" ]; then
    fail "bicep $verb ran cleanly" "exit $rc"$'\n'"$stray"
  else
    pass "bicep $verb ran cleanly (${#templates[@]} templates)"
  fi
}

# Without --no-restore every build/lint looks up the public module index over the network, even for templates
# without registry modules. That is lossless only while no template references a registry artifact (`br:`/`br/`
# modules, `ts:` template specs, registry extensions) or a bicepconfig alias: check it, so a future one fails here
# instead of compiling against types the CLI never fetched.
registry_refs="$(grep -nP "^\s*((module|import)\b.*'(br|ts)[:/]|extension\s+(?!(az|sys|kubernetes)\b))" "${templates[@]}" 2>/dev/null)$(grep -nE '"(moduleAliases|extensions)"' infra/bicepconfig.json 2>/dev/null)"
if [ -n "$registry_refs" ]; then
  fail "templates reference no registry artifacts (build/lint run offline with --no-restore)" $'\n'"$registry_refs"
else
  pass "templates reference no registry artifacts (build/lint run offline with --no-restore)"
fi

# 2. Build: compiles every template (type checks against the resource types the CLI ships, offline).
start=$(now_ms)
"$bicep" build --no-restore --pattern 'infra/**/*.bicep' --outdir "$work/arm" 2>"$work/build.log" >/dev/null
rc=$?
build_s=$(seconds_since "$start")
per_template build "$work/build.log" "$rc"

# 3. Lint with infra/bicepconfig.json (every rule at warning or error).
start=$(now_ms)
"$bicep" lint --no-restore --pattern 'infra/**/*.bicep' 2>"$work/lint.log" >/dev/null
rc=$?
lint_s=$(seconds_since "$start")
per_template lint "$work/lint.log" "$rc"

# 4. What the compiled main template would deploy.
start=$(now_ms)
if [ -s "$work/arm/main.json" ]; then
  python3 infra/tests/check_templates.py "$root" "$work/arm/main.json" >"$work/checks.log" 2>&1
  grep -v '^counts ' "$work/checks.log"
  if read -r _ p f s < <(grep '^counts ' "$work/checks.log"); then
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  else
    fail "template checks ran" "$(tail -n 20 "$work/checks.log")"
  fi
else
  fail "template checks ran" "infra/main.bicep did not compile"
fi
checks_s=$(seconds_since "$start")

finish

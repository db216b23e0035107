// The peer client of the benchmark: one official MCP TypeScript SDK client, connected once and
// reused, sending each tools/call with its own headers (a per-call Authorization and X-User-Id,
// applied by a fetch wrapper from the call's AsyncLocalStorage, since the SDK has no per-request
// header option).
//
//   node client.mjs URL      then one JSON command per line on stdin: {"callers":16,"calls":25}
//                            answers one line per command: {"elapsed":ns,"latencies":[ns,...]}
import { AsyncLocalStorage } from "node:async_hooks";
import { createInterface } from "node:readline";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const url = new URL(process.argv[2]);
const callHeaders = new AsyncLocalStorage();

function fetchWithCallHeaders(input, init = {}) {
  const extra = callHeaders.getStore();
  if (!extra) return fetch(input, init);
  const headers = new Headers(init.headers);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return fetch(input, { ...init, headers });
}

const client = new Client({ name: "peer-benchmark-client", version: "1.0.0" });
await client.connect(
  new StreamableHTTPClientTransport(url, {
    fetch: fetchWithCallHeaders,
    requestInit: { headers: { "X-Static": "s" } },
  }),
);

async function callOnce() {
  const headers = {
    Authorization: `Bearer token-${Math.floor(Math.random() * 8)}`,
    "X-User-Id": "u0",
  };
  const result = await callHeaders.run(headers, () =>
    client.callTool({ name: "add", arguments: { a: 1, b: 2 } }),
  );
  if (result.content?.[0]?.text !== "3") throw new Error("unexpected result " + JSON.stringify(result));
}

async function measure(callers, calls) {
  const latencies = [];
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let i = 0; i < calls; i++) {
        const t0 = process.hrtime.bigint();
        await callOnce();
        latencies.push(Number(process.hrtime.bigint() - t0));
      }
    }),
  );
  return { elapsed: Number(process.hrtime.bigint() - start), latencies };
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const { callers, calls } = JSON.parse(line);
  try {
    process.stdout.write(JSON.stringify(await measure(callers, calls)) + "\n");
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: String(e) }) + "\n");
  }
}
await client.close();

// The peer server of the benchmark: the official MCP TypeScript SDK's Streamable HTTP server
// (stateful, one McpServer and transport per session, the SDK's defaults otherwise) with one tool,
// `add`, on 127.0.0.1 only.
//
//   node server.mjs PORT     prints "listening PORT" once it accepts connections
//   PEER_JSON_RESPONSE=1     answers with JSON bodies instead of SSE (enableJsonResponse)
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

const port = Number(process.argv[2] ?? 0);
const transports = new Map();

function newServer() {
  const server = new McpServer({ name: "peer-benchmark", version: "1.0.0" });
  server.registerTool(
    "add",
    { description: "Adds two numbers", inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }] }),
  );
  return server;
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
}

const http = createServer(async (req, res) => {
  try {
    const sessionId = req.headers["mcp-session-id"];
    const body = req.method === "POST" ? await readJson(req) : undefined;
    let transport = sessionId ? transports.get(sessionId) : undefined;
    if (!transport && !sessionId && req.method === "POST" && isInitializeRequest(body)) {
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: process.env.PEER_JSON_RESPONSE === "1",
        onsessioninitialized: (id) => transports.set(id, transport),
      });
      transport.onclose = () => transport.sessionId && transports.delete(transport.sessionId);
      await newServer().connect(transport);
    }
    if (!transport) {
      res.writeHead(sessionId ? 404 : 400).end();
      return;
    }
    await transport.handleRequest(req, res, body);
  } catch (e) {
    if (!res.headersSent) res.writeHead(500).end();
  }
});
http.keepAliveTimeout = 60_000;
http.listen(port, "127.0.0.1", () => console.log(`listening ${http.address().port}`));

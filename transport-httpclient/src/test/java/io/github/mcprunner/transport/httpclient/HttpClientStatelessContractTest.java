package io.github.mcprunner.transport.httpclient;

import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.testkit.tck.StatelessContractTest;

/** The JDK HttpClient transport passes the stateless protocol's contract suite (MCP 2026-07-28). */
class HttpClientStatelessContractTest extends StatelessContractTest {
  @Override
  protected McpTransportFactory transport() {
    return new HttpClientTransportFactory();
  }
}

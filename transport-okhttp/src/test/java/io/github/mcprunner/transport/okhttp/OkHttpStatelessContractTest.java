package io.github.mcprunner.transport.okhttp;

import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.testkit.tck.StatelessContractTest;

/** The OkHttp transport passes the stateless protocol's contract suite (MCP 2026-07-28). */
class OkHttpStatelessContractTest extends StatelessContractTest {
  @Override
  protected McpTransportFactory transport() {
    return new OkHttpTransportFactory();
  }
}

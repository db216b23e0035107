package io.github.mcprunner.transport.okhttp;

import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.testkit.tck.McpTransportContractTest;

/** The OkHttp transport passes the transport contract suite. */
class OkHttpTransportContractTest extends McpTransportContractTest {

  @Override
  protected McpTransportFactory transport() {
    return new OkHttpTransportFactory();
  }

  @Override
  protected boolean resumesEventStreams() {
    return true;
  }

  @Override
  protected String userAgentPrefix() {
    return "okhttp/";
  }
}

package io.github.mcprunner.transport.okhttp;

import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.testkit.tck.McpTransportContractTest;

/** The OkHttp transport passes the transport contract suite. */
// snippet:contract-test
class OkHttpTransportContractTest extends McpTransportContractTest {
  @Override
  protected McpTransportFactory transport() {
    return new OkHttpTransportFactory();
  }

  @Override
  protected boolean resumesEventStreams() { // re-opens an ended GET stream with Last-Event-ID
    return true;
  }

  @Override
  protected String userAgentPrefix() { // proves the requests came from this transport
    return "okhttp/";
  }
}
// end-snippet

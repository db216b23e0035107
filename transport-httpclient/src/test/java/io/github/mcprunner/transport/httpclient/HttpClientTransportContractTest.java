package io.github.mcprunner.transport.httpclient;

import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.testkit.tck.McpTransportContractTest;

/** The HttpClient transport passes the transport contract suite. */
class HttpClientTransportContractTest extends McpTransportContractTest {

  @Override
  protected McpTransportFactory transport() {
    return new HttpClientTransportFactory();
  }

  @Override
  protected boolean resumesEventStreams() {
    return true;
  }

  @Override
  protected String userAgentPrefix() {
    return "Java-http-client/";
  }
}

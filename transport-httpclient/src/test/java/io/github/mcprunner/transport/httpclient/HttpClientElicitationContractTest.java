package io.github.mcprunner.transport.httpclient;

import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.testkit.tck.ElicitationContractTest;

/** The HttpClient transport passes the elicitation contract suite. */
class HttpClientElicitationContractTest extends ElicitationContractTest {

  @Override
  protected McpTransportFactory transport() {
    return new HttpClientTransportFactory();
  }
}

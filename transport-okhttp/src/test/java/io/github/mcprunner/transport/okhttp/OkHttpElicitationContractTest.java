package io.github.mcprunner.transport.okhttp;

import io.github.mcprunner.core.spi.McpTransportFactory;
import io.github.mcprunner.testkit.tck.ElicitationContractTest;

/** The OkHttp transport passes the elicitation contract suite. */
class OkHttpElicitationContractTest extends ElicitationContractTest {

  @Override
  protected McpTransportFactory transport() {
    return new OkHttpTransportFactory();
  }
}

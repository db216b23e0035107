package io.github.mcprunner.transport.httpclient;

import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import javax.net.ssl.SSLContext;

/**
 * The Java block of this module's README, compiled by the build; ReadmeSnippetsTest in examples
 * checks that the README shows it as it is here.
 */
final class ReadmeExamples {
  private ReadmeExamples() {}

  static Runner customClient(SSLContext sslContext) {
    // snippet:custom-client
    Runner runner =
        Runners.builder()
            .transport(
                new HttpClientTransportFactory(
                    client ->
                        client
                            .proxy(ProxySelector.of(new InetSocketAddress("proxy.internal", 3128)))
                            .sslContext(sslContext)))
            .build();
    // end-snippet
    return runner;
  }
}

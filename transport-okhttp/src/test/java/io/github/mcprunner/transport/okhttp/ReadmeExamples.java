package io.github.mcprunner.transport.okhttp;

import io.github.mcprunner.McpServerSpec;
import io.github.mcprunner.Runner;
import io.github.mcprunner.core.Runners;
import java.net.InetSocketAddress;
import java.net.Proxy;
import okhttp3.Call;
import okhttp3.CertificatePinner;
import okhttp3.ConnectionPool;
import okhttp3.EventListener;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * The Java blocks of this module's README, compiled by the build; ReadmeSnippetsTest in examples
 * checks that the README shows them as they are here.
 */
final class ReadmeExamples {
  private ReadmeExamples() {}

  /** Your application's HTTP metrics. */
  interface Metrics {
    EventListener listenerFor(Call call);
  }

  static Runner ownClient(ConnectionPool sharedPool, Metrics metrics, Interceptor tracing) {
    // snippet:own-client
    OkHttpClient mine =
        new OkHttpClient.Builder()
            .connectionPool(sharedPool)
            .proxy(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("proxy.internal", 3128)))
            .certificatePinner(
                new CertificatePinner.Builder()
                    .add("mcp.example.com", "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
                    .build())
            .eventListenerFactory(metrics::listenerFor)
            .addInterceptor(tracing)
            .build();

    Runner runner = Runners.builder().transport(new OkHttpTransportFactory(mine)).build();
    // end-snippet
    return runner;
  }

  static McpServerSpec choose() {
    // snippet:choose
    McpServerSpec crm =
        McpServerSpec.builder("crm", "https://crm.example.com/mcp").transport("okhttp").build();
    // end-snippet
    return crm;
  }
}

package io.github.mcprunner.core.spi.http;

import java.io.Closeable;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/** The response of an {@link McpHttpCall}: status, headers, and the body as a stream. */
public interface McpHttpResponse extends Closeable {

  /** Returns the HTTP status. */
  int status();

  /** Returns the first value of the header {@code name} (case-insensitive), or null. */
  @Nullable String header(String name);

  /** Returns the body; read at most once, possibly while the server still writes it. */
  InputStream body();

  /** Releases the response; a body not read to its end is abandoned. Never throws. */
  @Override
  void close();
}

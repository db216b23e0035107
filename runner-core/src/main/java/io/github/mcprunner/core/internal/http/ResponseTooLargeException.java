package io.github.mcprunner.core.internal.http;

import java.io.IOException;

/**
 * A response, or a line or event of an event stream, exceeded the transport's size limit: reading
 * stops there. The message says what exceeded which limit, nothing of the content. Not public API.
 */
final class ResponseTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  ResponseTooLargeException(String what, long limit) {
    super(what + " exceeds the limit of " + describe(limit));
  }

  /**
   * Returns {@code limit} bytes as people read it: {@code 16 MiB}, {@code 1 KiB}, {@code 100
   * bytes}.
   */
  static String describe(long limit) {
    if (limit >= 1024 * 1024 && limit % (1024 * 1024) == 0) {
      return limit / (1024 * 1024) + " MiB";
    }
    if (limit >= 1024 && limit % 1024 == 0) {
      return limit / 1024 + " KiB";
    }
    return limit + " bytes";
  }
}

package io.github.mcprunner.core.internal;

/** The library's version, as sent in the MCP client info. Not public API. */
final class Version {
  static final String VERSION = readVersion();

  private Version() {}

  private static String readVersion() {
    String version = Version.class.getPackage().getImplementationVersion();
    return version != null ? version : "0.1.0-SNAPSHOT";
  }
}

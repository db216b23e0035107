/**
 * Implementation of the LangChain4j bridge: request and response mapping, JSON-schema translation,
 * stream collection, error translation. Not public API: anything here may change without notice.
 */
@NullMarked
package io.github.mcprunner.langchain4j.internal;

import org.jspecify.annotations.NullMarked;

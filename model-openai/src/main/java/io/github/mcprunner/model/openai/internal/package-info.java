/**
 * Implementation of the OpenAI model adapters: request and response mapping, stream accumulation,
 * error translation. Not public API: anything here may change without notice.
 */
@NullMarked
package io.github.mcprunner.model.openai.internal;

import org.jspecify.annotations.NullMarked;

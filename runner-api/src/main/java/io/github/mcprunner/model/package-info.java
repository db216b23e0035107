/**
 * The model SPI: what the runner asks a language model ({@link io.github.mcprunner.model.Model})
 * and what it gets back. Model adapters (OpenAI, a scripted model for tests) depend on {@code
 * runner-api} only.
 */
@NullMarked
package io.github.mcprunner.model;

import org.jspecify.annotations.NullMarked;

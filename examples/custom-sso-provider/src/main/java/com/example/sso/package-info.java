/** Example Corp's single sign-on as an mcp-runner header provider. */
@NullMarked
package com.example.sso;

import org.jspecify.annotations.NullMarked;

package com.example.assistant;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A web service whose assistant answers each signed-in user with MCP tools called with that user's
 * exchanged token. Users sign in with bearer JWTs of the company IdP (a resource server).
 */
@SpringBootApplication
public class AssistantApplication {

  public static void main(String[] args) {
    SpringApplication.run(AssistantApplication.class, args);
  }

  /** Every request needs a signed-in user. */
  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
        .oauth2ResourceServer(server -> server.jwt(Customizer.withDefaults()))
        .csrf(csrf -> csrf.disable())
        .build();
  }
}

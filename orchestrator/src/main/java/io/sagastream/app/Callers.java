package io.sagastream.app;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.sagastream.contracts.SagaHeaders;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who made an API call, for the journal, and what of the caller goes along when it is passed on.
 */
final class Callers {

  /** The name recorded when nobody is authenticated: security is off. */
  static final String ANONYMOUS = "anonymous";

  private Callers() {}

  /**
   * The authenticated caller's name (a token's subject, a basic user's name), or {@value
   * #ANONYMOUS} when security is off. With security on, every call that reaches a controller that
   * changes something has been authenticated.
   */
  static String name(HttpRequest<?> request) {
    return request
        .getUserPrincipal()
        .map(Principal::getName)
        .filter(name -> !name.isBlank())
        .orElse(ANONYMOUS);
  }

  /**
   * The caller's headers that go along when a call is passed on to another node: its credentials,
   * so that the other node authenticates and authorizes the same caller (and journals its name),
   * and its trace context.
   */
  static Map<String, String> passedOn(HttpRequest<?> request) {
    Map<String, String> headers = new LinkedHashMap<>();
    String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
    if (authorization != null) {
      headers.put(HttpHeaders.AUTHORIZATION, authorization);
    }
    String traceparent = request.getHeaders().get(SagaHeaders.TRACEPARENT);
    if (traceparent != null) {
      headers.put(SagaHeaders.TRACEPARENT, traceparent);
    }
    return headers;
  }
}

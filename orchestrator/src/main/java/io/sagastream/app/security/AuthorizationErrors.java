package io.sagastream.app.security;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import io.micronaut.security.authentication.WwwAuthenticateChallengeProvider;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 401 and 403 in the API's own error shape, {@code {"message"}}: a 401 says how to authenticate, a
 * 403 which role the call needs. Neither repeats credentials.
 */
@Produces
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
@Requires(property = "micronaut.security.enabled", notEquals = "false")
final class AuthorizationErrors
    implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {

  private final List<WwwAuthenticateChallengeProvider<HttpRequest<?>>> challenges;

  AuthorizationErrors(List<WwwAuthenticateChallengeProvider<HttpRequest<?>>> challenges) {
    this.challenges = challenges;
  }

  @Override
  public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException exception) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (!exception.isForbidden()) {
      body.put(
          "message",
          "authentication required: send a bearer JWT or HTTP basic credentials"
              + " (a token that is expired or not signed by a trusted key counts as none)");
      MutableHttpResponse<Map<String, Object>> response =
          HttpResponse.<Map<String, Object>>status(HttpStatus.UNAUTHORIZED).body(body);
      List<String> offered =
          challenges.stream().map(c -> c.getWwwAuthenticateChallenge(request)).toList();
      response.header(
          HttpHeaders.WWW_AUTHENTICATE,
          offered.isEmpty() ? "Bearer" : "Bearer, " + String.join(", ", offered));
      return response;
    }
    String who =
        exception.getAuthentication() == null
            ? "the caller"
            : exception.getAuthentication().getName();
    Object needed = request.getAttribute(ApiAccessRule.NEEDED).orElse(null);
    body.put(
        "message",
        needed instanceof Role role
            ? who
                + " may not "
                + request.getMethodName()
                + " "
                + request.getPath()
                + ": it needs the role "
                + role.id()
            : who + " may not " + request.getMethodName() + " " + request.getPath());
    return HttpResponse.<Map<String, Object>>status(HttpStatus.FORBIDDEN).body(body);
  }
}

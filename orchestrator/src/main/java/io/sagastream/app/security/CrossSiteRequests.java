package io.sagastream.app.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Refuses changing calls (cancel, skip, deploy, ...) that a browser sends on behalf of a page from
 * another site. A browser that holds credentials for the API (HTTP basic typed into its prompt)
 * sends them with any page's form post; authentication alone cannot tell such a call from the
 * operator's. Browsers name the sending page in {@code Origin} (and {@code Sec-Fetch-Site}); other
 * clients (curl, the nodes themselves, participants' tooling) send neither and are not affected.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class CrossSiteRequests {

  private static final Set<HttpMethod> READS =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

  private final Set<String> allowedOrigins;

  CrossSiteRequests(SecuritySettings settings) {
    this.allowedOrigins =
        Arrays.stream(settings.getAllowedOrigins().split(","))
            .map(String::strip)
            .filter(origin -> !origin.isEmpty())
            .map(CrossSiteRequests::withoutTrailingSlash)
            .collect(Collectors.toUnmodifiableSet());
  }

  @RequestFilter
  @Nullable
  HttpResponse<?> refuseChangesFromOtherSites(HttpRequest<?> request) {
    if (READS.contains(request.getMethod())) {
      return null;
    }
    return refusal(
            request.getHeaders().get("Origin"),
            request.getHeaders().get("Sec-Fetch-Site"),
            request.getHeaders().get(HttpHeaders.HOST))
        .<HttpResponse<?>>map(
            message ->
                HttpResponse.status(io.micronaut.http.HttpStatus.FORBIDDEN)
                    .body(Map.of("message", message, "path", request.getPath())))
        .orElse(null);
  }

  /** Why a changing call with these headers is refused, or nothing when it may go on. */
  Optional<String> refusal(
      @Nullable String origin, @Nullable String fetchSite, @Nullable String host) {
    if (origin == null) {
      // Not sent by a browser, or by one too old to name the page; Sec-Fetch-Site still tells.
      return "cross-site".equals(fetchSite)
          ? Optional.of("Refused a changing call sent by a page from another site")
          : Optional.empty();
    }
    String normalized = withoutTrailingSlash(origin.strip());
    if (allowedOrigins.contains(normalized) || sameAuthority(normalized, host)) {
      return Optional.empty();
    }
    return Optional.of(
        "Refused a changing call sent by a page from "
            + normalized
            + ": only this API's own pages, and origins in SAGASTREAM_SECURITY_ALLOWED_ORIGINS,"
            + " may send them");
  }

  private static boolean sameAuthority(String origin, @Nullable String host) {
    if (host == null || "null".equals(origin)) {
      return false;
    }
    try {
      String authority = URI.create(origin).getRawAuthority();
      return authority != null && authority.equalsIgnoreCase(host.strip());
    } catch (IllegalArgumentException unreadable) {
      return false;
    }
  }

  private static String withoutTrailingSlash(String origin) {
    return origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
  }
}

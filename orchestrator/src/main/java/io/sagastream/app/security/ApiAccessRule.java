package io.sagastream.app.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.IpPatternsRule;
import io.micronaut.security.rules.SecuredAnnotationRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.web.router.UriRouteMatch;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.reactivestreams.Publisher;

/**
 * Decides every call of the HTTP API by {@link ApiAccess}: the route the router matched, and the
 * roles of the caller. It allows or refuses each call it knows; one on no route is refused by
 * Micronaut Security (which answers 401 to a caller without credentials, 403 to one with).
 */
@Singleton
@Requires(property = "micronaut.security.enabled", notEquals = "false")
public final class ApiAccessRule implements SecurityRule<HttpRequest<?>> {

  /** After the IP patterns rule, before any annotation or URL-map rule. */
  public static final int ORDER = (IpPatternsRule.ORDER + SecuredAnnotationRule.ORDER) / 2;

  /** The header a peer sends the node token in, when one is configured. */
  public static final String NODE_TOKEN_HEADER = "X-Sagastream-Node-Token";

  /** The role a refused call needed, for the error message. */
  static final String NEEDED = "sagastream.security.needed-role";

  private final SecuritySettings settings;
  private final byte[] nodeToken;

  ApiAccessRule(SecuritySettings settings) {
    this.settings = settings;
    this.nodeToken = settings.getNodeToken().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public Publisher<SecurityRuleResult> check(
      HttpRequest<?> request, @Nullable Authentication authentication) {
    Optional<UriRouteMatch> route =
        request.getAttribute(HttpAttributes.ROUTE_MATCH, UriRouteMatch.class);
    if (route.isEmpty()) {
      return Publishers.just(SecurityRuleResult.UNKNOWN);
    }
    ApiAccess.Need need =
        ApiAccess.of(
            route.get().getHttpMethod().name(),
            route.get().getRouteInfo().getUriMatchTemplate().toString());
    return Publishers.just(decide(need, request, authentication));
  }

  private SecurityRuleResult decide(
      ApiAccess.Need need, HttpRequest<?> request, @Nullable Authentication authentication) {
    if (need instanceof ApiAccess.NeedsRole needsRole) {
      return role(needsRole.role(), request, authentication);
    }
    if (need instanceof ApiAccess.PeerCall) {
      return nodeToken.length == 0 || carriesNodeToken(request)
          ? SecurityRuleResult.ALLOWED
          : role(Role.ADMIN, request, authentication);
    }
    boolean anonymous =
        need instanceof ApiAccess.ConsoleAsset
            || need instanceof ApiAccess.Health && settings.isAnonymousHealth()
            || need instanceof ApiAccess.Metrics && settings.isAnonymousMetrics()
            || need instanceof ApiAccess.NodeSelf
                && (nodeToken.length == 0 || carriesNodeToken(request));
    if (anonymous) {
      return SecurityRuleResult.ALLOWED;
    }
    if (need instanceof ApiAccess.Nobody) {
      return SecurityRuleResult.REJECTED;
    }
    // Health, metrics or a node's identity, not open to anyone: a viewer may read them.
    return role(Role.VIEWER, request, authentication);
  }

  private static SecurityRuleResult role(
      Role needed, HttpRequest<?> request, @Nullable Authentication authentication) {
    List<String> granted =
        authentication == null ? List.of() : List.copyOf(authentication.getRoles());
    if (Role.granted(granted, needed)) {
      return SecurityRuleResult.ALLOWED;
    }
    request.setAttribute(NEEDED, needed);
    return SecurityRuleResult.REJECTED;
  }

  /** Compared in constant time, so that the time taken does not give the token away. */
  private boolean carriesNodeToken(HttpRequest<?> request) {
    String sent = request.getHeaders().get(NODE_TOKEN_HEADER);
    return sent != null && MessageDigest.isEqual(nodeToken, sent.getBytes(StandardCharsets.UTF_8));
  }
}

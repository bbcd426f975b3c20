package io.sagastream.app.security;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says at start-up how the HTTP API is protected, without a secret in the line: loudly when it is
 * not protected at all, and when it is on but nobody could ever authenticate.
 */
@Context
final class SecurityStartupReport {

  private static final Logger LOG = LoggerFactory.getLogger(SecurityStartupReport.class);

  SecurityStartupReport(
      SecuritySettings settings,
      JwtSettings jwt,
      @Value("${micronaut.security.enabled:true}") boolean enabled) {
    if (!enabled) {
      LOG.warn(
          "SECURITY IS OFF (sagastream.security.enabled=false): the HTTP API answers everyone"
              + " without authentication, so anyone who reaches this node can deploy definitions"
              + " and start, cancel, retry and skip sagas, and the journal names every caller"
              + " 'anonymous'. Fit for a laptop, a demo or a test; never for a shared network.");
      return;
    }
    int users = BasicUsers.of(settings.getUsers(), settings.getUserFile()).size();
    List<String> ways = new ArrayList<>();
    if (!jwt.getSecret().isBlank()) {
      ways.add("bearer JWTs signed with the shared secret (" + jwt.getAlgorithm() + ")");
    }
    if (!jwt.getJwksUrl().isBlank()) {
      ways.add("bearer JWTs signed by a key at " + SecretFreeText.url(jwt.getJwksUrl()));
    }
    if (users > 0) {
      ways.add("HTTP basic for " + users + (users == 1 ? " configured user" : " configured users"));
    }
    String open =
        "health "
            + (settings.isAnonymousHealth() ? "anonymous" : "for viewers")
            + ", /prometheus "
            + (settings.isAnonymousMetrics() ? "anonymous" : "for viewers")
            + ", /nodes/self "
            + (settings.getNodeToken().isBlank() ? "anonymous" : "for peers with the node token");
    if (!jwt.getJwksUrl().isBlank() && (jwt.getIssuer().isBlank() || jwt.getAudience().isBlank())) {
      LOG.warn(
          "Bearer JWTs are checked against the keys at {} without {}: every token that identity"
              + " provider signs, for any application (of any tenant, on a shared provider), is"
              + " taken with the roles it carries. Set SAGASTREAM_SECURITY_JWT_ISSUER and"
              + " SAGASTREAM_SECURITY_JWT_AUDIENCE.",
          SecretFreeText.url(jwt.getJwksUrl()),
          jwt.getIssuer().isBlank() && jwt.getAudience().isBlank()
              ? "an issuer or an audience"
              : jwt.getIssuer().isBlank() ? "an issuer" : "an audience");
    }
    if (ways.isEmpty()) {
      LOG.warn(
          "Security is on but no way to authenticate is configured: every API call will be"
              + " refused with 401 ({}). Set SAGASTREAM_SECURITY_JWT_SECRET,"
              + " SAGASTREAM_SECURITY_JWT_JWKS_URL or SAGASTREAM_SECURITY_USERS, or turn security"
              + " off with SAGASTREAM_SECURITY_ENABLED=false.",
          open);
    } else {
      LOG.info("HTTP API security is on: {}; {}", String.join(", ", ways), open);
    }
  }
}

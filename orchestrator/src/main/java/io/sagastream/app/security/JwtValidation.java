package io.sagastream.app.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import io.micronaut.security.token.jwt.signature.jwks.JwksSignatureConfiguration;
import io.micronaut.security.token.jwt.signature.secret.SecretSignature;
import io.micronaut.security.token.jwt.signature.secret.SecretSignatureConfiguration;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.Locale;
import java.util.Set;

/**
 * Turns {@link JwtSettings} into what Micronaut Security checks tokens with: a secret signature
 * (HMAC) and a JWKS signature, each only when set, and the issuer and audience when set; a token
 * must carry an expiry, which Micronaut Security checks, and may not be used before its not-before.
 */
@Factory
@Requires(property = "micronaut.security.enabled", notEquals = "false")
class JwtValidation {

  static final int MIN_SECRET_BYTES = 32;

  /** What the placeholder secrets of deploy/base hold. */
  static final String PLACEHOLDER = "CHANGE-ME";

  private static final Set<JWSAlgorithm> HMAC =
      Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);

  /**
   * Declared as the interface: a factory method's bean takes the annotations of the type it
   * declares, and {@link SecretSignatureConfiguration}'s would make this bean one per {@code
   * micronaut.security.token.jwt.signatures.secret.*} entry, that is none.
   */
  @Singleton
  @Named("sagastream")
  @Requires(property = "sagastream.security.jwt.secret", pattern = ".+")
  SignatureConfiguration secretSignature(JwtSettings settings) {
    JWSAlgorithm algorithm = JWSAlgorithm.parse(settings.getAlgorithm().toUpperCase(Locale.ROOT));
    if (!HMAC.contains(algorithm)) {
      throw new IllegalArgumentException(
          "sagastream.security.jwt.algorithm must be HS256, HS384 or HS512, not "
              + settings.getAlgorithm());
    }
    int length = settings.getSecret().getBytes(StandardCharsets.UTF_8).length;
    if (length < MIN_SECRET_BYTES) {
      // The length only: the secret itself never goes into a message.
      throw new IllegalArgumentException(
          "sagastream.security.jwt.secret must be at least "
              + MIN_SECRET_BYTES
              + " bytes (256 bits) long; the one configured has "
              + length);
    }
    if (settings.getSecret().contains(PLACEHOLDER)) {
      // The manifests' template ships a secret long enough to pass; anyone who read it could sign
      // an admin token.
      throw new IllegalArgumentException(
          "sagastream.security.jwt.secret is the placeholder of the manifests' template (it holds "
              + PLACEHOLDER
              + "): set a secret of your own, at least "
              + MIN_SECRET_BYTES
              + " random bytes");
    }
    SecretSignatureConfiguration configuration = new SecretSignatureConfiguration("sagastream");
    configuration.setSecret(settings.getSecret());
    configuration.setJwsAlgorithm(algorithm);
    return new SecretSignature(configuration);
  }

  @Singleton
  @Named("sagastream")
  @Requires(property = "sagastream.security.jwt.jwks-url", pattern = ".+")
  JwksSignatureConfiguration jwksSignature(JwtSettings settings) {
    KeyType type = KeyType.parse(settings.getJwksKeyType().toUpperCase(Locale.ROOT));
    String url = settings.getJwksUrl().trim();
    return new JwksSignatureConfiguration() {
      @Override
      public String getName() {
        return "sagastream";
      }

      @Override
      public String getUrl() {
        return url;
      }

      @Override
      public KeyType getKeyType() {
        return type;
      }

      @Override
      public Integer getCacheExpiration() {
        return 60;
      }
    };
  }

  /**
   * A signature that verifies nothing, always present. Micronaut Security accepts an unsigned token
   * ({@code alg: none}) when no signature is configured at all: a node with basic users only, or
   * with no way to authenticate yet, would otherwise take anyone's made-up admin token.
   */
  @Singleton
  @Named("sagastream-refuses-unsigned")
  SignatureConfiguration refuseUnsigned() {
    return new SignatureConfiguration() {
      @Override
      public String supportedAlgorithmsMessage() {
        return "none";
      }

      @Override
      public boolean supports(JWSAlgorithm algorithm) {
        return false;
      }

      @Override
      public boolean verify(SignedJWT jwt) {
        return false;
      }
    };
  }

  /**
   * A token must carry an expiry: Micronaut Security checks {@code exp} only when it is there, so a
   * token without one, leaked, would be good for ever.
   */
  @Singleton
  @Requires(property = "micronaut.security.enabled", notEquals = "false")
  @Requires(property = "sagastream.security.jwt.require-expiry", notEquals = "false")
  static final class ExpiryRequired<T> implements GenericJwtClaimsValidator<T> {
    @Override
    public boolean validate(Claims claims, @Nullable T request) {
      return claims.get(Claims.EXPIRATION_TIME) != null;
    }
  }

  /**
   * A token must not be used before its {@code nbf}, give or take a minute: Micronaut Security's
   * own check is off by default and has no leeway, so a token minted with {@code nbf} now on a host
   * whose clock runs ahead would be refused for those seconds.
   */
  @Singleton
  @Requires(property = "micronaut.security.enabled", notEquals = "false")
  static final class NotBeforeWithLeeway<T> implements GenericJwtClaimsValidator<T> {
    static final Duration LEEWAY = Duration.ofMinutes(1);

    @Override
    public boolean validate(Claims claims, @Nullable T request) {
      Object notBefore = claims.get(Claims.NOT_BEFORE);
      Instant from;
      if (notBefore == null) {
        return true;
      } else if (notBefore instanceof Date date) {
        from = date.toInstant();
      } else if (notBefore instanceof Number seconds) {
        from = Instant.ofEpochSecond(seconds.longValue());
      } else if (notBefore instanceof Instant instant) {
        from = instant;
      } else {
        return false;
      }
      return !Instant.now().plus(LEEWAY).isBefore(from);
    }
  }

  /** A token must carry the configured {@code iss}. */
  @Singleton
  @Requires(property = "micronaut.security.enabled", notEquals = "false")
  @Requires(property = "sagastream.security.jwt.issuer", pattern = ".+")
  static final class IssuerValidator<T> implements GenericJwtClaimsValidator<T> {
    private final String issuer;

    IssuerValidator(JwtSettings settings) {
      this.issuer = settings.getIssuer().trim();
    }

    @Override
    public boolean validate(Claims claims, @Nullable T request) {
      Object value = claims.get(Claims.ISSUER);
      return value != null && issuer.equals(value.toString());
    }
  }

  /** A token's {@code aud} (a string or a list) must include the configured audience. */
  @Singleton
  @Requires(property = "micronaut.security.enabled", notEquals = "false")
  @Requires(property = "sagastream.security.jwt.audience", pattern = ".+")
  static final class AudienceValidator<T> implements GenericJwtClaimsValidator<T> {
    private final String audience;

    AudienceValidator(JwtSettings settings) {
      this.audience = settings.getAudience().trim();
    }

    @Override
    public boolean validate(Claims claims, @Nullable T request) {
      Object value = claims.get(Claims.AUDIENCE);
      if (value instanceof Collection<?> audiences) {
        return audiences.stream().anyMatch(a -> audience.equals(String.valueOf(a)));
      }
      return value != null && audience.equals(value.toString());
    }
  }
}

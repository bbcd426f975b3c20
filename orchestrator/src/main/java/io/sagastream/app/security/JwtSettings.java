package io.sagastream.app.security;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * How bearer JWTs are checked, under {@code sagastream.security.jwt.*} (environment variables
 * {@code SAGASTREAM_SECURITY_JWT_*}): a shared secret (HMAC), the keys at a JWKS URL, or both. The
 * roles are read from the {@code roles} claim and the caller's name from {@code sub} ({@code
 * roles-claim} and {@code name-claim} change that; see application.yml).
 */
@ConfigurationProperties("sagastream.security.jwt")
public class JwtSettings {

  private String secret = "";
  private String algorithm = "HS256";
  private String jwksUrl = "";
  private String jwksKeyType = "RSA";
  private String issuer = "";
  private String audience = "";

  /** The HMAC secret tokens are signed with: at least 32 bytes (256 bits). */
  public String getSecret() {
    return secret;
  }

  public void setSecret(String secret) {
    this.secret = secret;
  }

  /** HS256, HS384 or HS512. */
  public String getAlgorithm() {
    return algorithm;
  }

  public void setAlgorithm(String algorithm) {
    this.algorithm = algorithm;
  }

  /** The identity provider's JWKS endpoint, whose public keys verify tokens. */
  public String getJwksUrl() {
    return jwksUrl;
  }

  public void setJwksUrl(String jwksUrl) {
    this.jwksUrl = jwksUrl;
  }

  /** The type of the JWKS keys to use: RSA or EC. */
  public String getJwksKeyType() {
    return jwksKeyType;
  }

  public void setJwksKeyType(String jwksKeyType) {
    this.jwksKeyType = jwksKeyType;
  }

  /** When set, a token must carry this {@code iss}. */
  public String getIssuer() {
    return issuer;
  }

  public void setIssuer(String issuer) {
    this.issuer = issuer;
  }

  /** When set, a token's {@code aud} must include this. */
  public String getAudience() {
    return audience;
  }

  public void setAudience(String audience) {
    this.audience = audience;
  }

  @Override
  public String toString() {
    return "JwtSettings[secret="
        + (secret.isBlank() ? "none" : "***")
        + ", jwksUrl="
        + SecretFreeText.url(jwksUrl)
        + ", issuer="
        + issuer
        + ", audience="
        + audience
        + "]";
  }
}

package io.sagastream.app.security;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Security of the HTTP API, under {@code sagastream.security.*} (environment variables {@code
 * SAGASTREAM_SECURITY_*}). Bearer JWTs are set under {@code sagastream.security.jwt.*} ({@link
 * JwtSettings}).
 */
@ConfigurationProperties("sagastream.security")
public class SecuritySettings {

  private boolean enabled = true;
  private String users = "";
  private String userFile = "";
  private boolean anonymousHealth = true;
  private boolean anonymousMetrics = true;
  private String nodeToken = "";
  private String allowedOrigins = "";

  /**
   * On unless set to false; {@code micronaut.security.enabled} follows it (application.yml). Off,
   * every call is answered without asking who calls, and the node says so loudly at start-up.
   */
  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * HTTP basic users, one entry per line (or separated by spaces or {@code ;}): {@code
   * name:hash:role[,role]}, the hash bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}) or {@code
   * pbkdf2-sha256$<iterations>$<salt>$<hash>} (Base64). Never a plaintext password.
   */
  public String getUsers() {
    return users;
  }

  public void setUsers(String users) {
    this.users = users;
  }

  /**
   * A file of users in the same form, one per line ({@code #} starts a comment): a mounted secret.
   */
  public String getUserFile() {
    return userFile;
  }

  public void setUserFile(String userFile) {
    this.userFile = userFile;
  }

  /** Whether {@code /health/**} answers without credentials (probes); else it needs a viewer. */
  public boolean isAnonymousHealth() {
    return anonymousHealth;
  }

  public void setAnonymousHealth(boolean anonymousHealth) {
    this.anonymousHealth = anonymousHealth;
  }

  /** Whether {@code /prometheus} answers without credentials (scrapers); else it needs a viewer. */
  public boolean isAnonymousMetrics() {
    return anonymousMetrics;
  }

  public void setAnonymousMetrics(boolean anonymousMetrics) {
    this.anonymousMetrics = anonymousMetrics;
  }

  /**
   * A secret the nodes of one group share. Empty: {@code GET /nodes/self}, which peers ask to tell
   * whether a node is alive, answers anyone (it holds no saga data). Set: it answers only a call
   * that carries it in {@value ApiAccessRule#NODE_TOKEN_HEADER}, or a viewer.
   */
  public String getNodeToken() {
    return nodeToken;
  }

  public void setNodeToken(String nodeToken) {
    this.nodeToken = nodeToken;
  }

  /**
   * Web origins besides the API's own whose pages may send changing calls to it (comma-separated,
   * such as {@code https://ops.example.com}). Browsers name the page that sends a call in {@code
   * Origin}; a changing call from any other page is refused, so that a page elsewhere cannot use
   * credentials the browser holds for the API.
   */
  public String getAllowedOrigins() {
    return allowedOrigins;
  }

  public void setAllowedOrigins(String allowedOrigins) {
    this.allowedOrigins = allowedOrigins;
  }

  @Override
  public String toString() {
    // Never the users' hashes or the node token.
    return "SecuritySettings[enabled="
        + enabled
        + ", anonymousHealth="
        + anonymousHealth
        + ", anonymousMetrics="
        + anonymousMetrics
        + ", nodeToken="
        + (nodeToken.isBlank() ? "none" : "***")
        + "]";
  }
}

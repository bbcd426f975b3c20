package io.sagastream.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where the registry is and how to talk to it. {@link #fromProperties} reads the property names
 * that Confluent's clients use, so that existing Kafka client configuration carries over.
 *
 * @param urls one or more base URLs of the same registry (for Apicurio, ending in {@code
 *     /apis/ccompat/v7}); a call that cannot reach one tries the next
 * @param auth the Authorization header to send
 * @param connectTimeout how long to wait for a TCP connection
 * @param requestTimeout how long to wait for one answer
 * @param maxRetries retries after the first try, on connection errors and 5xx, 408 and 429 answers
 * @param retryBackoff the first delay between retries; it doubles up to {@link #MAX_BACKOFF}
 * @param latestVersionTtl how long the newest version of a subject is cached
 * @param sslContext what HTTPS calls trust (a trust store, say); null for the JDK's default
 */
public record RegistryClientConfig(
    List<URI> urls,
    RegistryAuth auth,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxRetries,
    Duration retryBackoff,
    Duration latestVersionTtl,
    SSLContext sslContext) {

  public static final String URL = "schema.registry.url";
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
  public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
  public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
  public static final String MAX_RETRIES = "schema.registry.max.retries";
  public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
  public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
  public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";

  static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /**
   * Credentials in a URL ({@code https://user:password@host/...}) become basic auth, unless other
   * auth is given, and leave the URL either way: the JDK's client would not send them, and a URL
   * ends up in error messages and logs.
   */
  public RegistryClientConfig {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException(URL + " needs at least one URL");
    }
    Objects.requireNonNull(auth, "auth");
    String userInfo =
        urls.stream().map(URI::getUserInfo).filter(Objects::nonNull).findFirst().orElse(null);
    if (userInfo != null && auth == RegistryAuth.none()) {
      int colon = userInfo.indexOf(':');
      auth =
          colon < 0
              ? RegistryAuth.basic(userInfo, "")
              : RegistryAuth.basic(userInfo.substring(0, colon), userInfo.substring(colon + 1));
    }
    urls =
        urls.stream()
            .map(RegistryClientConfig::withoutUserInfo)
            .map(RegistryClientConfig::withoutTrailingSlash)
            .toList();
    requirePositive(connectTimeout, CONNECT_TIMEOUT_MS);
    requirePositive(requestTimeout, REQUEST_TIMEOUT_MS);
    if (maxRetries < 0) {
      throw new IllegalArgumentException(MAX_RETRIES + " must not be negative: " + maxRetries);
    }
    Objects.requireNonNull(retryBackoff, RETRY_BACKOFF_MS);
    Objects.requireNonNull(latestVersionTtl, LATEST_CACHE_TTL_SEC);
  }

  /** The same without a trust store of its own: HTTPS trusts what the JDK trusts. */
  public RegistryClientConfig(
      List<URI> urls,
      RegistryAuth auth,
      Duration connectTimeout,
      Duration requestTimeout,
      int maxRetries,
      Duration retryBackoff,
      Duration latestVersionTtl) {
    this(
        urls,
        auth,
        connectTimeout,
        requestTimeout,
        maxRetries,
        retryBackoff,
        latestVersionTtl,
        null);
  }

  /**
   * Defaults: no auth, 5 s to connect, 10 s per answer, 3 retries from 100 ms, latest cached 30 s.
   */
  public static RegistryClientConfig of(String... urls) {
    return new RegistryClientConfig(
        Arrays.stream(urls).map(URI::create).toList(),
        RegistryAuth.none(),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        3,
        Duration.ofMillis(100),
        Duration.ofSeconds(30));
  }

  /**
   * Reads Confluent-style client properties: {@value #URL} (comma-separated), {@value
   * #BASIC_AUTH_CREDENTIALS_SOURCE} = USER_INFO with {@value #BASIC_AUTH_USER_INFO} =
   * user:password, {@value #BEARER_AUTH_CREDENTIALS_SOURCE} = STATIC_TOKEN with {@value
   * #BEARER_AUTH_TOKEN}, a trust store ({@value #TRUSTSTORE_LOCATION}, {@value
   * #TRUSTSTORE_PASSWORD}, {@value #TRUSTSTORE_TYPE}), and the timeouts and retries above.
   */
  public static RegistryClientConfig fromProperties(Map<String, ?> properties) {
    Object url = properties.get(URL);
    if (url == null || url.toString().isBlank()) {
      throw new IllegalArgumentException("Missing " + URL);
    }
    RegistryClientConfig defaults = of(url.toString().split("\\s*,\\s*"));
    RegistryAuth auth = authFrom(properties);
    RegistryClientConfig config =
        new RegistryClientConfig(
            // the URLs as given: credentials in them are for the constructor to move into auth
            Arrays.stream(url.toString().split("\\s*,\\s*")).map(URI::create).toList(),
            auth,
            millis(properties, CONNECT_TIMEOUT_MS, defaults.connectTimeout()),
            millis(properties, REQUEST_TIMEOUT_MS, defaults.requestTimeout()),
            (int) number(properties, MAX_RETRIES, defaults.maxRetries()),
            millis(properties, RETRY_BACKOFF_MS, defaults.retryBackoff()),
            Duration.ofSeconds(
                number(properties, LATEST_CACHE_TTL_SEC, defaults.latestVersionTtl().toSeconds())));
    String trustStore = string(properties, TRUSTSTORE_LOCATION);
    if (trustStore != null) {
      String password = string(properties, TRUSTSTORE_PASSWORD);
      config =
          config.withTrustStore(
              Path.of(trustStore),
              password == null ? null : password.toCharArray(),
              string(properties, TRUSTSTORE_TYPE));
    }
    return config;
  }

  public RegistryClientConfig withAuth(RegistryAuth newAuth) {
    return new RegistryClientConfig(
        urls,
        newAuth,
        connectTimeout,
        requestTimeout,
        maxRetries,
        retryBackoff,
        latestVersionTtl,
        sslContext);
  }

  public RegistryClientConfig withRetries(int newMaxRetries, Duration newBackoff) {
    return new RegistryClientConfig(
        urls,
        auth,
        connectTimeout,
        requestTimeout,
        newMaxRetries,
        newBackoff,
        latestVersionTtl,
        sslContext);
  }

  public RegistryClientConfig withSslContext(SSLContext newSslContext) {
    return new RegistryClientConfig(
        urls,
        auth,
        connectTimeout,
        requestTimeout,
        maxRetries,
        retryBackoff,
        latestVersionTtl,
        newSslContext);
  }

  /**
   * HTTPS trusts the certificates in the trust store at {@code location} (of {@code type}, PKCS12
   * when null, or JKS), instead of the JDK's. Errors name the file, never the password.
   */
  public RegistryClientConfig withTrustStore(Path location, char[] password, String type) {
    String storeType = type == null || type.isBlank() ? "PKCS12" : type;
    try (InputStream in = Files.newInputStream(location)) {
      KeyStore store = KeyStore.getInstance(storeType);
      store.load(in, password);
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return withSslContext(context);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          TRUSTSTORE_LOCATION
              + ": cannot read the "
              + storeType
              + " trust store "
              + location
              + " (is "
              + TRUSTSTORE_PASSWORD
              + " right?): "
              + e.getClass().getSimpleName(),
          e);
    }
  }

  private static RegistryAuth authFrom(Map<String, ?> properties) {
    String basicSource = string(properties, BASIC_AUTH_CREDENTIALS_SOURCE);
    String userInfo = string(properties, BASIC_AUTH_USER_INFO);
    if (userInfo != null && (basicSource == null || basicSource.equals("USER_INFO"))) {
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(BASIC_AUTH_USER_INFO + " must be user:password");
      }
      return RegistryAuth.basic(userInfo.substring(0, colon), userInfo.substring(colon + 1));
    }
    if (basicSource != null) {
      throw new IllegalArgumentException(
          BASIC_AUTH_CREDENTIALS_SOURCE + "=" + basicSource + " is not supported; use USER_INFO");
    }
    String token = string(properties, BEARER_AUTH_TOKEN);
    String bearerSource = string(properties, BEARER_AUTH_CREDENTIALS_SOURCE);
    if (token != null && (bearerSource == null || bearerSource.equals("STATIC_TOKEN"))) {
      return RegistryAuth.bearer(() -> token);
    }
    if (bearerSource != null) {
      throw new IllegalArgumentException(
          BEARER_AUTH_CREDENTIALS_SOURCE
              + "="
              + bearerSource
              + " is not supported; use STATIC_TOKEN with "
              + BEARER_AUTH_TOKEN);
    }
    return RegistryAuth.none();
  }

  private static String string(Map<String, ?> properties, String name) {
    Object value = properties.get(name);
    return value == null || value.toString().isBlank() ? null : value.toString().trim();
  }

  private static long number(Map<String, ?> properties, String name, long fallback) {
    String value = string(properties, name);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'", e);
    }
  }

  private static Duration millis(Map<String, ?> properties, String name, Duration fallback) {
    return Duration.ofMillis(number(properties, name, fallback.toMillis()));
  }

  private static void requirePositive(Duration duration, String name) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + duration);
    }
  }

  private static URI withoutUserInfo(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri;
    }
    try {
      return new URI(
          uri.getScheme(),
          null,
          uri.getHost(),
          uri.getPort(),
          uri.getPath(),
          uri.getQuery(),
          uri.getFragment());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(URL + " has a URL that does not parse", e);
    }
  }

  private static URI withoutTrailingSlash(URI uri) {
    String text = uri.toString();
    return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
  }

  @Override
  public String toString() {
    return "RegistryClientConfig[urls="
        + urls
        + ", auth="
        + auth
        + (sslContext == null ? "" : ", trust store")
        + "]";
  }
}

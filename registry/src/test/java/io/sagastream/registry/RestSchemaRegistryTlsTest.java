package io.sagastream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry behind HTTPS with a certificate of its own (self-signed, as a private CA's would be to
 * the JDK): the client trusts it through a trust store, and refuses it without one.
 */
class RestSchemaRegistryTlsTest {

  private static final String PASSWORD = "changeit-test";

  @TempDir Path dir;
  private HttpsServer server;
  private Path trustStore;

  @BeforeEach
  void startHttpsEndpoint() throws Exception {
    Path keyStore = dir.resolve("registry.p12");
    trustStore = dir.resolve("trust.p12");
    Path certificate = dir.resolve("registry.crt");
    keytool(
        "-genkeypair",
        "-alias",
        "registry",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-alias",
        "registry",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        certificate.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "registry",
        "-file",
        certificate.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        trustStore.toString(),
        "-storepass",
        PASSWORD);

    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keyManagers.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext(
        "/subjects",
        exchange -> {
          byte[] body = "[\"orders-value\"]".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void aRegistryWhoseCertificateIsInTheTrustStoreIsReached() {
    // given the Confluent-style properties naming the trust store
    RegistryClientConfig config =
        RegistryClientConfig.fromProperties(
                Map.of(
                    RegistryClientConfig.URL, url(),
                    RegistryClientConfig.TRUSTSTORE_LOCATION, trustStore.toString(),
                    RegistryClientConfig.TRUSTSTORE_PASSWORD, PASSWORD))
            .withRetries(0, Duration.ofMillis(10));

    // when
    List<String> subjects = new RestSchemaRegistry(config).subjects();

    // then
    assertThat(subjects).containsExactly("orders-value");
  }

  @Test
  void withoutTheTrustStoreTheCertificateIsRefused() {
    SchemaRegistry registry =
        new RestSchemaRegistry(
            RegistryClientConfig.of(url()).withRetries(0, Duration.ofMillis(10)));

    assertThatThrownBy(registry::subjects)
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("SSLHandshakeException");
  }

  @Test
  void aWrongTrustStorePasswordIsNamedWithoutThePassword() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.of(url())
                    .withTrustStore(trustStore, "not-the-password".toCharArray(), "PKCS12"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(trustStore.toString())
        .hasMessageNotContaining("not-the-password");
  }

  private String url() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void keytool(String... arguments) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool " + command + " failed: " + output);
    }
  }
}

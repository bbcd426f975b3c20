package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagastream.registry.RegistryClientConfig;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's registry settings reach the registry client: basic auth, a bearer token, a trust
 * store; and none of their secrets shows in what the client prints.
 */
class RegistrySettingsTest {

  @Test
  void basicAuthUserInfoBecomesTheBasicAuthorizationHeader() {
    // given
    OrchestratorSettings settings = new OrchestratorSettings();
    settings.setSchemaRegistryUrl("https://registry.example.test/apis/ccompat/v7");
    settings.setSchemaRegistryBasicAuthUserInfo("svc:pa:ss");

    // when
    RegistryClientConfig config = OrchestratorFactory.registryConfig(settings);

    // then
    assertThat(config.auth().authorizationHeader()).contains("Basic c3ZjOnBhOnNz");
    assertThat(config.toString()).doesNotContain("pa:ss");
  }

  @Test
  void registryCallsTimeOutSoonEnoughForFourTriesToFitInAStreamsTransaction() {
    // given the default settings, and a node that sets its own timeout
    OrchestratorSettings defaults = new OrchestratorSettings();
    OrchestratorSettings impatient = new OrchestratorSettings();
    impatient.setSchemaRegistryTimeout(java.time.Duration.ofSeconds(1));

    // when
    RegistryClientConfig config = OrchestratorFactory.registryConfig(defaults);

    // then connecting and answering each take at most 2 s, and four tries fit in 10 s
    assertThat(config.connectTimeout()).hasSeconds(2);
    assertThat(config.requestTimeout()).hasSeconds(2);
    assertThat(config.requestTimeout().multipliedBy(config.maxRetries() + 1))
        .isLessThan(java.time.Duration.ofSeconds(10));
    assertThat(OrchestratorFactory.registryConfig(impatient).requestTimeout()).hasSeconds(1);
  }

  @Test
  void aSubjectsLatestVersionIsNotCachedSinceTheNodeAsksForItOnlyAtDeploy() {
    RegistryClientConfig config = OrchestratorFactory.registryConfig(new OrchestratorSettings());

    assertThat(config.latestVersionTtl()).isZero();
  }

  @Test
  void aBearerTokenBecomesTheBearerAuthorizationHeader() {
    OrchestratorSettings settings = new OrchestratorSettings();
    settings.setSchemaRegistryBearerToken("tok-123");

    RegistryClientConfig config = OrchestratorFactory.registryConfig(settings);

    assertThat(config.auth().authorizationHeader()).contains("Bearer tok-123");
    assertThat(config.toString()).doesNotContain("tok-123");
  }

  @Test
  void credentialsInTheUrlMoveIntoBasicAuthAndOutOfTheUrl() {
    OrchestratorSettings settings = new OrchestratorSettings();
    settings.setSchemaRegistryUrl("https://svc:s3cret@registry.example.test/apis/ccompat/v7");

    RegistryClientConfig config = OrchestratorFactory.registryConfig(settings);

    assertThat(config.urls())
        .containsExactly(URI.create("https://registry.example.test/apis/ccompat/v7"));
    assertThat(config.auth().authorizationHeader()).contains("Basic c3ZjOnMzY3JldA==");
    assertThat(config.toString()).doesNotContain("s3cret");
  }

  @Test
  void bothBasicAuthAndABearerTokenAreRefused() {
    OrchestratorSettings settings = new OrchestratorSettings();
    settings.setSchemaRegistryBasicAuthUserInfo("svc:pw");
    settings.setSchemaRegistryBearerToken("t0ken-value-xyz");

    assertThatThrownBy(() -> OrchestratorFactory.registryConfig(settings))
        .hasMessageContaining("choose one")
        .hasMessageNotContaining("t0ken-value-xyz")
        .hasMessageNotContaining("pw");
  }

  @Test
  void aTrustStoreIsLoadedAndAWrongPasswordIsNamedWithoutIt(@TempDir Path dir) throws Exception {
    // given an (empty) PKCS12 trust store
    Path store = dir.resolve("trust.p12");
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    keyStore.load(null, null);
    try (OutputStream out = Files.newOutputStream(store)) {
      keyStore.store(out, "store-pw".toCharArray());
    }
    OrchestratorSettings settings = new OrchestratorSettings();
    settings.setSchemaRegistryTrustStore(store.toString());
    settings.setSchemaRegistryTrustStorePassword("store-pw");

    // when
    RegistryClientConfig config = OrchestratorFactory.registryConfig(settings);
    settings.setSchemaRegistryTrustStorePassword("wrong-pw");

    // then
    assertThat(config.sslContext()).isNotNull();
    assertThatThrownBy(() -> OrchestratorFactory.registryConfig(settings))
        .hasMessageContaining(store.toString())
        .hasMessageNotContaining("wrong-pw");
  }

  @Test
  void withoutSettingsTheClientHasNoAuthAndTheJdksTrust() {
    RegistryClientConfig config = OrchestratorFactory.registryConfig(new OrchestratorSettings());

    assertThat(config.auth().authorizationHeader()).isEmpty();
    assertThat(config.sslContext()).isNull();
  }
}

package io.sagastream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryClientConfigTest {

  @Test
  void severalUrlsAreReadFromOneCommaSeparatedProperty() {
    // when
    RegistryClientConfig config =
        RegistryClientConfig.fromProperties(
            Map.of("schema.registry.url", "http://a:8081/, http://b:8081"));

    // then
    assertThat(config.urls())
        .containsExactly(URI.create("http://a:8081"), URI.create("http://b:8081"));
    assertThat(config.auth()).isEqualTo(RegistryAuth.none());
  }

  @Test
  void basicAuthComesFromUserInfo() {
    // when
    RegistryClientConfig config =
        RegistryClientConfig.fromProperties(
            Map.of(
                "schema.registry.url", "http://a",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "svc:s3cr:et"));

    // then the password may itself hold colons, and the header is standard basic auth
    assertThat(config.auth().authorizationHeader()).contains("Basic c3ZjOnMzY3I6ZXQ=");
    assertThat(config.toString()).doesNotContain("s3cr");
  }

  @Test
  void bearerAuthComesFromAStaticToken() {
    RegistryClientConfig config =
        RegistryClientConfig.fromProperties(
            Map.of("schema.registry.url", "http://a", "bearer.auth.token", "tok-123"));

    assertThat(config.auth().authorizationHeader()).contains("Bearer tok-123");
    assertThat(config.toString()).doesNotContain("tok-123");
  }

  @Test
  void timeoutsAndRetriesAreConfigurable() {
    RegistryClientConfig config =
        RegistryClientConfig.fromProperties(
            Map.of(
                "schema.registry.url", "http://a",
                "schema.registry.request.timeout.ms", "2500",
                "schema.registry.max.retries", "7",
                "latest.cache.ttl.sec", "0"));

    assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(config.maxRetries()).isEqualTo(7);
    assertThat(config.latestVersionTtl()).isZero();
  }

  @Test
  void aBadValueIsRefusedNamingTheProperty() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromProperties(
                    Map.of(
                        "schema.registry.url", "http://a", "schema.registry.max.retries", "many")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema.registry.max.retries")
        .hasMessageContaining("many");
    assertThatThrownBy(() -> RegistryClientConfig.fromProperties(Map.of()))
        .hasMessageContaining("schema.registry.url");
  }

  @Test
  void credentialsInAUrlBecomeBasicAuthAndLeaveTheUrl() {
    // when
    RegistryClientConfig config =
        RegistryClientConfig.fromProperties(
            Map.of("schema.registry.url", "https://svc:p%40ss@a:8081/apis/ccompat/v7"));

    // then the URL, which ends up in messages and logs, holds no password
    assertThat(config.urls()).containsExactly(URI.create("https://a:8081/apis/ccompat/v7"));
    assertThat(config.auth().authorizationHeader()).contains("Basic c3ZjOnBAc3M=");
    assertThat(config.toString()).doesNotContain("p@ss").doesNotContain("p%40ss");
  }

  @Test
  void configuredAuthWinsOverCredentialsInTheUrlWhichLeaveItAnyway() {
    RegistryClientConfig config =
        RegistryClientConfig.fromProperties(
            Map.of(
                "schema.registry.url", "http://old:secret@a",
                "bearer.auth.token", "tok-123"));

    assertThat(config.urls()).containsExactly(URI.create("http://a"));
    assertThat(config.auth().authorizationHeader()).contains("Bearer tok-123");
  }
}

package io.sagastream.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CrossSiteRequestsTest {

  private static CrossSiteRequests allowing(String origins) {
    SecuritySettings settings = new SecuritySettings();
    settings.setAllowedOrigins(origins);
    return new CrossSiteRequests(settings);
  }

  @Test
  void aCallFromAPageOfAnotherSiteIsRefusedNamingThatSite() {
    assertThat(allowing("").refusal("https://evil.example", null, "ops.example.com:8080"))
        .hasValueSatisfying(message -> assertThat(message).contains("https://evil.example"));
  }

  @Test
  void aCallFromTheApisOwnPagesOrAnAllowedOriginGoesOn() {
    CrossSiteRequests requests = allowing("https://ops.example.com/, https://console.example.com");

    assertThat(requests.refusal("http://ops.example.com:8080", null, "ops.example.com:8080"))
        .isEmpty();
    assertThat(requests.refusal("https://ops.example.com", null, "10.0.0.7:8080")).isEmpty();
    assertThat(requests.refusal("https://console.example.com", null, "10.0.0.7:8080")).isEmpty();
  }

  @Test
  void aCallWithoutOriginGoesOnUnlessTheBrowserSaysItCameFromAnotherSite() {
    CrossSiteRequests requests = allowing("");

    assertThat(requests.refusal(null, null, "ops.example.com")).isEmpty();
    assertThat(requests.refusal(null, "same-origin", "ops.example.com")).isEmpty();
    assertThat(requests.refusal(null, "cross-site", "ops.example.com")).isPresent();
  }

  @Test
  void anOpaqueOriginIsRefused() {
    assertThat(allowing("").refusal("null", null, "ops.example.com")).isPresent();
  }
}

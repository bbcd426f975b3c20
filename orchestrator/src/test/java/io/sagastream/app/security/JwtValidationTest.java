package io.sagastream.app.security;

import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JwtValidationTest {

  private static JwtSettings withSecret(String secret) {
    JwtSettings settings = new JwtSettings();
    settings.setSecret(secret);
    return settings;
  }

  @Test
  void aSecretShorterThan32BytesIsRefusedSayingHowLongItIs() {
    assertThatThrownBy(() -> new JwtValidation().secretSignature(withSecret("short")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 bytes")
        .hasMessageNotContaining("short");
  }

  @Test
  void theManifestsPlaceholderIsRefusedThoughItIsLongEnough() {
    assertThatThrownBy(
            () ->
                new JwtValidation()
                    .secretSignature(withSecret("CHANGE-ME-to-at-least-32-random-bytes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("placeholder");
  }

  @Test
  void aSecretOfYourOwnIsTaken() {
    assertThatNoException()
        .isThrownBy(
            () ->
                new JwtValidation()
                    .secretSignature(withSecret("a-real-secret-of-more-than-thirty-two-bytes")));
  }
}

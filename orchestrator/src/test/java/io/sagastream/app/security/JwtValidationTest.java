package io.sagastream.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.generator.claims.JwtClaimsSetAdapter;
import java.time.Instant;
import java.util.Date;
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

  @Test
  void aTokenValidFromWithinAMinuteIsTakenAndOneValidFromLaterIsNot() {
    // given tokens valid from 30 s and from 2 minutes on (the issuer's clock ahead of the node's)
    JwtValidation.NotBeforeWithLeeway<Object> check = new JwtValidation.NotBeforeWithLeeway<>();
    Claims soon = notBefore(Instant.now().plusSeconds(30));
    Claims later = notBefore(Instant.now().plusSeconds(120));
    Claims none = new JwtClaimsSetAdapter(new JWTClaimsSet.Builder().subject("s").build());

    // then the first is taken, the second is not, and one without nbf is
    assertThat(check.validate(soon, null)).isTrue();
    assertThat(check.validate(later, null)).isFalse();
    assertThat(check.validate(none, null)).isTrue();
  }

  private static Claims notBefore(Instant instant) {
    return new JwtClaimsSetAdapter(
        new JWTClaimsSet.Builder().subject("s").notBeforeTime(Date.from(instant)).build());
  }
}

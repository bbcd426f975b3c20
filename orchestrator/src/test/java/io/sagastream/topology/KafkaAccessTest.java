package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.testing.MovingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class KafkaAccessTest {

  private static final Map<String, Object> SCRAM_USER =
      Map.of(
          "security.protocol", "SASL_SSL",
          "sasl.mechanism", "SCRAM-SHA-512",
          "sasl.jaas.config",
              "org.apache.kafka.common.security.scram.ScramLoginModule required"
                  + " username=\"orchestrator\" password=\"hunter2-secret\";",
          "ssl.truststore.password", "store-secret");

  private final MovingClock clock = new MovingClock(Instant.parse("2030-01-01T00:00:00Z"));

  @Test
  void aRefusalDeepInsideAStreamsErrorIsFound() {
    GroupAuthorizationException refusal = new GroupAuthorizationException("Not authorized");
    StreamsException thrown = new StreamsException(new KafkaException("wrapped", refusal));

    assertThat(KafkaAccess.refusalIn(thrown)).containsSame(refusal);
    assertThat(KafkaAccess.refusalIn(new StreamsException("other"))).isEmpty();
  }

  @Test
  void aRefusedLoginNamesTheUserAndMechanismButNoSecret() {
    KafkaAccess access = new KafkaAccess(clock, SCRAM_USER);

    String message =
        access.describe(new SaslAuthenticationException("invalid credentials with SCRAM-SHA-512"));

    assertThat(message)
        .startsWith(
            "Kafka refused the credentials of the node (SASL SCRAM-SHA-512 user 'orchestrator')")
        .contains("SaslAuthenticationException: invalid credentials")
        .doesNotContain("hunter2-secret")
        .doesNotContain("store-secret")
        .doesNotContain("ScramLoginModule");
  }

  @Test
  void aRefusedOAuthBearerLoginNamesTheClientIdButNotItsSecret() {
    // given a node that gets its tokens from an identity provider
    KafkaAccess access =
        new KafkaAccess(
            clock,
            Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "OAUTHBEARER",
                "sasl.jaas.config",
                    "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
                        + " clientId=\"sagastream-orchestrator\" clientSecret=\"idp-secret-42\";"));

    // when Kafka refuses its token
    String message = access.describe(new SaslAuthenticationException("invalid_token"));

    // then the message names the mechanism and the client id, and neither secret nor JAAS text
    assertThat(message)
        .startsWith(
            "Kafka refused the credentials of the node (SASL OAUTHBEARER client"
                + " 'sagastream-orchestrator')")
        .doesNotContain("idp-secret-42")
        .doesNotContain("OAuthBearerLoginModule");
  }

  @Test
  void aRefusalKeepsTheNodeNotReadyForAMinuteAfterItWasLastSeen() {
    // given a refusal seen twice in a row
    KafkaAccess access = new KafkaAccess(clock, SCRAM_USER);
    access.record(new GroupAuthorizationException("Not authorized to access group: g"));
    clock.advance(Duration.ofSeconds(10));
    KafkaAccess.Refusal second =
        access.record(new GroupAuthorizationException("Not authorized to access group: g"));

    // then it counts, waits longer before the next try, and is recent until a minute has passed
    assertThat(second.times()).isEqualTo(2);
    assertThat(KafkaAccess.pauseAfter(second)).isEqualTo(Duration.ofSeconds(1));
    clock.advance(KafkaAccess.RECENT.minusSeconds(1));
    assertThat(access.recent())
        .get()
        .extracting(KafkaAccess.Refusal::message)
        .asString()
        .contains("GroupAuthorizationException", "group: g");
    clock.advance(Duration.ofSeconds(1));
    assertThat(access.recent()).isEmpty();
  }

  @Test
  void aRefusalForgottenOnceKafkaLetsTheNodeInNoLongerKeepsItNotReady() {
    // given a refusal just seen
    KafkaAccess access = new KafkaAccess(clock, SCRAM_USER);
    access.record(new SaslAuthenticationException("Authentication failed"));

    // when Kafka lets the node in
    access.forget();

    // then no refusal is recent
    assertThat(access.recent()).isEmpty();
  }

  @Test
  void aStartUpThatCannotPrepareItsTopicsTriesAgainAfterAPauseThatStopsGrowingAtTenSeconds() {
    assertThat(NodeStartup.PAUSE.after(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(NodeStartup.PAUSE.after(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(NodeStartup.PAUSE.after(5)).isEqualTo(Duration.ofSeconds(8));
    assertThat(NodeStartup.PAUSE.after(6)).isEqualTo(NodeStartup.MAX_PAUSE);
    assertThat(NodeStartup.PAUSE.after(500)).isEqualTo(NodeStartup.MAX_PAUSE);
  }

  @Test
  void thePauseBeforeTheNextTryStopsGrowingAtFiveSeconds() {
    assertThat(KafkaAccess.pauseAfter(new KafkaAccess.Refusal("m", Instant.EPOCH, 1)))
        .isEqualTo(Duration.ofMillis(500));
    assertThat(KafkaAccess.pauseAfter(new KafkaAccess.Refusal("m", Instant.EPOCH, 40)))
        .isEqualTo(Duration.ofSeconds(5));
  }
}

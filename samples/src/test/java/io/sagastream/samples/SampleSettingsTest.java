package io.sagastream.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleSettingsTest {

  @Test
  void aTeamsOwnFaultSettingWinsOverTheOneForEveryTeam() {
    // given faults for every team, and a failure rate of payment's own
    Map<String, String> env =
        Map.of(
            "SAGASTREAM_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
            "SAGASTREAM_TOPIC_PREFIX", "shop.",
            "SAMPLES_FAILURE_RATE", "0.05",
            "SAMPLES_RETRYABLE_FAILURE_RATE", "0.1",
            "SAMPLES_PAYMENT_FAILURE_RATE", "0.2",
            "SAMPLES_SHIPPING_LATENCY", "PT0.02S",
            "SAMPLES_INVENTORY_DOWN_AFTER", "PT30S",
            "SAMPLES_INVENTORY_DOWN_FOR", "PT10S");

    // when the settings are read
    SampleSettings settings = SampleSettings.fromEnvironment(env, SampleParticipants.TEAMS);

    // then each team has the shared settings unless it has its own
    assertThat(settings.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(settings.topicPrefix()).isEqualTo("shop.");
    assertThat(settings.faultsOf("inventory").failureRate()).isEqualTo(0.05);
    assertThat(settings.faultsOf("payment").failureRate()).isEqualTo(0.2);
    assertThat(settings.faultsOf("payment").retryableFailureRate()).isEqualTo(0.1);
    assertThat(settings.faultsOf("shipping").latency()).isEqualTo(Duration.ofMillis(20));
    assertThat(settings.faultsOf("inventory").downAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.faultsOf("inventory").downFor()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.faultsOf("payment").hasOutage()).isFalse();
  }

  @Test
  void aSettingThatDoesNotParseIsReportedByItsName() {
    assertThatThrownBy(
            () ->
                SampleSettings.fromEnvironment(
                    Map.of("SAMPLES_SHIPPING_LATENCY", "20ms"), SampleParticipants.TEAMS))
        .hasMessageContaining("SAMPLES_SHIPPING_LATENCY")
        .hasMessageContaining("20ms");
  }
}

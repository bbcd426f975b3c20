package io.sagastream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

  @Test
  void withoutOptionsTheDemoRuns2000SagasWithSomeFaultsOnItsOwnInfrastructure() {
    DemoOptions options = DemoOptions.parse(List.of());

    assertThat(options.sagas()).isEqualTo(2000);
    assertThat(options.rate()).isEmpty();
    assertThat(options.kafka()).isEmpty();
    assertThat(options.registry()).isEmpty();
    assertThat(options.keepRunning()).isFalse();
    assertThat(options.failureRate()).isEqualTo(0.05);
    assertThat(options.retryableFailureRate()).isEqualTo(0.10);
  }

  @Test
  void everyOptionIsRead() {
    DemoOptions options =
        DemoOptions.parse(
            List.of(
                "--sagas",
                "50",
                "--rate",
                "12.5",
                "--kafka",
                "127.0.0.1:9092",
                "--registry",
                "http://127.0.0.1:8081/apis/ccompat/v7/",
                "--failure-rate",
                "0",
                "--retryable-failure-rate",
                "0.2",
                "--latency",
                "PT0.01S",
                "--keep-running"));

    assertThat(options.sagas()).isEqualTo(50);
    assertThat(options.rate()).hasValue(12.5);
    assertThat(options.kafka()).contains("127.0.0.1:9092");
    assertThat(options.registry()).contains("http://127.0.0.1:8081/apis/ccompat/v7");
    assertThat(options.failureRate()).isZero();
    assertThat(options.retryableFailureRate()).isEqualTo(0.2);
    assertThat(options.latency()).isEqualTo(Duration.ofMillis(10));
    assertThat(options.keepRunning()).isTrue();
  }

  @Test
  void aWrongOptionIsNamedAndNotMistakenForHelp() {
    assertThatThrownBy(() -> DemoOptions.parse(List.of("--sagas", "none")))
        .isInstanceOfSatisfying(
            DemoOptions.UsageException.class, e -> assertThat(e.isHelp()).isFalse())
        .hasMessageContaining("--sagas must be a whole number from 1, not none");
    assertThatThrownBy(() -> DemoOptions.parse(List.of("--kafka")))
        .hasMessageContaining("--kafka needs a value");
    assertThatThrownBy(() -> DemoOptions.parse(List.of("--fast")))
        .hasMessageContaining("Unknown option --fast")
        .hasMessageContaining("Usage: ./demo");
    assertThatThrownBy(
            () ->
                DemoOptions.parse(
                    List.of("--failure-rate", "0.6", "--retryable-failure-rate", "0.6")))
        .hasMessageContaining("add up to more than 1");
  }

  @Test
  void helpIsAskedForRatherThanAMistake() {
    assertThatThrownBy(() -> DemoOptions.parse(List.of("--help")))
        .isInstanceOfSatisfying(
            DemoOptions.UsageException.class, e -> assertThat(e.isHelp()).isTrue())
        .hasMessageContaining("--keep-running");
  }
}

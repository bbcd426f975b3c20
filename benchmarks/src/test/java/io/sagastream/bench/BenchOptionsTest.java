package io.sagastream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagastream.topology.OrchestratorNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void settingsGoToTheNodesTheBrokerOrTheParticipants() {
    // when
    BenchOptions options =
        BenchOptions.parse(
            "--set",
            "kafka.streams.default.linger.ms=5",
            "--broker-set",
            "num.io.threads=4",
            "--participant-set",
            "retry.backoff.ms=5",
            "--participant-set",
            "retry.backoff.max.ms=50");

    // then
    assertThat(options.nodeOverrides()).isEqualTo(Map.of("kafka.streams.default.linger.ms", "5"));
    assertThat(options.brokerOverrides()).isEqualTo(Map.of("num.io.threads", "4"));
    assertThat(options.participantOverrides())
        .isEqualTo(Map.of("retry.backoff.ms", "5", "retry.backoff.max.ms", "50"));
  }

  @Test
  void aSettingWithoutAValueIsRefusedWithTheOptionNamed() {
    assertThatThrownBy(() -> BenchOptions.parse("--participant-set", "retry.backoff.ms"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--participant-set wants NAME=VALUE");
  }

  @Test
  void withoutSettingsNothingIsOverridden() {
    BenchOptions options = BenchOptions.parse();

    assertThat(options.nodeOverrides()).isEmpty();
    assertThat(options.brokerOverrides()).isEmpty();
    assertThat(options.participantOverrides()).isEmpty();
  }

  @Test
  void theHarnessKeysAreSearchedUpToTheirLimitUnlessFixedOrQuick() {
    // when
    BenchOptions searched = BenchOptions.parse();
    BenchOptions fixed = BenchOptions.parse("--harness-keys", "20000", "--harness-key-limit", "0");
    BenchOptions raised = BenchOptions.parse("--harness-keys", "160000");
    BenchOptions quick = BenchOptions.parse("--quick");

    // then
    assertThat(searched.harnessKeys()).isEqualTo(10_000);
    assertThat(searched.harnessKeyLimit()).isEqualTo(80_000);
    assertThat(fixed.harnessKeyLimit()).isEqualTo(20_000);
    assertThat(raised.harnessKeyLimit()).isEqualTo(160_000);
    assertThat(quick.harnessKeyLimit()).isEqualTo(quick.harnessKeys());
  }

  @Test
  void theHarnessRunsOneStreamThreadUnlessToldAndNeverNone() {
    assertThat(BenchOptions.parse().harnessThreads()).isEqualTo(1);
    assertThat(BenchOptions.parse("--harness-threads", "2").harnessThreads()).isEqualTo(2);
    assertThatThrownBy(() -> BenchOptions.parse("--harness-threads", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--harness-threads wants 1 or more");
  }

  @Test
  void thePeakSearchRunsUpToItsLimitAndNeverBelowWhereItStarts() {
    // when
    BenchOptions searched = BenchOptions.parse();
    BenchOptions fixed = BenchOptions.parse("--max-open", "3000", "--open-limit", "3000");
    BenchOptions raised = BenchOptions.parse("--max-open", "32000");

    // then
    assertThat(searched.maxOpen()).isEqualTo(1000);
    assertThat(searched.openLimit()).isEqualTo(16_000);
    assertThat(fixed.openLimit()).isEqualTo(3000);
    assertThat(raised.openLimit()).isEqualTo(32_000);
  }

  @Test
  void streamThreadsGoToEveryNodeAndASettingOfThemIsRefusedForTheOption() {
    // given
    BenchOptions shipped = BenchOptions.parse();
    BenchOptions one = BenchOptions.parse("--stream-threads", "1");

    // when / then
    int asShipped =
        OrchestratorNode.defaultStreamThreads(Runtime.getRuntime().availableProcessors());
    assertThat(shipped.streamThreads()).isEqualTo(asShipped);
    assertThat(contextOf(shipped).nodeOverrides())
        .containsEntry("kafka.streams.default.num.stream.threads", asShipped);
    assertThat(contextOf(one).nodeOverrides())
        .containsEntry("kafka.streams.default.num.stream.threads", 1);
    // the report and the CPU shares count threads by the option, which a setting would bypass
    assertThatThrownBy(
            () -> BenchOptions.parse("--set", "kafka.streams.default.num.stream.threads=3"))
        .hasMessageContaining("--stream-threads");
  }

  @Test
  void aCommitIntervalSetForTheNodesIsTheHarnesssAndTheTargetsToo() {
    // given / when
    BenchOptions shipped = BenchOptions.parse();
    BenchOptions longer =
        BenchOptions.parse("--set", "kafka.streams.default.commit.interval.ms=200");

    // then
    assertThat(shipped.commitIntervalMs()).isEqualTo(100);
    assertThat(longer.commitIntervalMs()).isEqualTo(200);
    assertThatThrownBy(
            () -> BenchOptions.parse("--set", "kafka.streams.default.commit.interval.ms=soon"))
        .hasMessageContaining("commit.interval.ms");
  }

  @Test
  void nodesRunInTheBenchmarksJvmUnlessAskedForJvmsOfTheirOwn() {
    assertThat(BenchOptions.parse().nodeJvms()).isFalse();
    assertThat(BenchOptions.parse("--node-jvms").nodeJvms()).isTrue();
  }

  @Test
  void fewerThanOneStreamThreadIsRefused() {
    assertThatThrownBy(() -> BenchOptions.parse("--stream-threads", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--stream-threads wants 1 or more");
  }

  private static BenchContext contextOf(BenchOptions options) {
    return new BenchContext(
        "127.0.0.1:9092", "http://127.0.0.1:8080", "run", Path.of("."), options);
  }
}

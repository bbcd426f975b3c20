package io.sagastream.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.engine.CommandKind;
import io.sagastream.engine.Decision;
import io.sagastream.engine.EngineCommand;
import io.sagastream.engine.IncidentResolution;
import io.sagastream.engine.InstanceSummary;
import io.sagastream.engine.ReceiveSpec;
import io.sagastream.engine.ReplyOutcome;
import io.sagastream.engine.RetryPolicy;
import io.sagastream.engine.SagaData;
import io.sagastream.engine.SagaDefinition;
import io.sagastream.engine.SagaEngine;
import io.sagastream.engine.SagaInstance;
import io.sagastream.engine.StepDefinition;
import io.sagastream.engine.Timer;
import io.sagastream.engine.TimerKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstanceCodecTest {

  @Test
  void anInstanceOfAnUnknownFormatIsRefusedByName() {
    byte[] future = "{\"format\": 2, \"instance\": {\"shape\": \"of the future\"}}".getBytes();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> InstanceCodec.decode(future))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Unknown saga instance format 2");
  }

  @Test
  void anInstanceWithEveryPartFilledInSurvivesTheStoreInEitherFormat() {
    // given an instance in an incident: completed steps, a queue, attempts, history, an incident
    SagaInstance instance = instanceInIncident();

    for (InstanceCodec.Format format : InstanceCodec.Format.values()) {
      // when
      SagaInstance read = InstanceCodec.decode(InstanceCodec.encode(instance, format));

      // then
      assertThat(read).as(format.name()).isEqualTo(instance);
      Decision resolved =
          SagaEngine.decide(
              DEFINITION,
              read,
              new EngineCommand.ResolveIncident(IncidentResolution.RETRY, "op", null),
              NOW);
      assertThat(resolved.instance().lastAttempt("reserve", CommandKind.COMPENSATION)).isEqualTo(2);
    }
  }

  @Test
  void anIncidentThatNoCommandRaisedSurvivesTheStoreInEitherFormat() {
    // given an instance whose receive step timed out with fail: an incident of no command kind
    SagaInstance waiting = waitingWithTimers(ReceiveSpec.ReceiveTimeoutAction.FAIL);
    Timer timeout =
        waiting.timers().stream()
            .filter(t -> t.kind() == TimerKind.RECEIVE_TIMEOUT)
            .findFirst()
            .orElseThrow();
    SagaInstance failed =
        SagaEngine.decide(
                waitingDefinition(ReceiveSpec.ReceiveTimeoutAction.FAIL),
                waiting,
                new EngineCommand.FireTimer(timeout),
                timeout.dueAt())
            .instance();
    assertThat(failed.incident()).isNotNull();
    assertThat(failed.incident().kind()).isNull();

    for (InstanceCodec.Format format : InstanceCodec.Format.values()) {
      // when it is stored and read back
      SagaInstance read = InstanceCodec.decode(InstanceCodec.encode(failed, format));

      // then it is the same instance, incident and all
      assertThat(read).as(format.name()).isEqualTo(failed);
    }
  }

  @Test
  void aWaitingInstanceWithATraceAndADeadlineSurvivesTheBinaryFormat() {
    // given an instance waiting for a message, with timers, a caller's trace and a deadline
    SagaInstance waiting = waitingWithTimers();
    assertThat(waiting.waitingFor()).isNotNull();
    assertThat(waiting.timers()).hasSizeGreaterThanOrEqualTo(2);

    // when
    byte[] stored = InstanceCodec.encode(waiting);

    // then
    assertThat(stored[0]).isEqualTo((byte) 2);
    assertThat(InstanceCodec.decode(stored)).isEqualTo(waiting);
    assertThat(stored.length)
        .isLessThan(InstanceCodec.encode(waiting, InstanceCodec.Format.JSON).length);
  }

  @Test
  void theSummaryReadPastDataAndHistorySaysWhatTheFullReadSaysInEitherFormat() {
    // given instances with every part filled in: an incident, and one waiting with timers
    for (SagaInstance instance : List.of(instanceInIncident(), waitingWithTimers())) {
      for (InstanceCodec.Format format : InstanceCodec.Format.values()) {
        // when
        InstanceSummary summary = InstanceCodec.summarize(InstanceCodec.encode(instance, format));

        // then
        assertThat(summary).as(format.name()).isEqualTo(InstanceSummary.of(instance));
      }
    }
    // and what it gives of the timers is the receive timeout, not the later deadline: a lost
    // receive timeout leaves the saga stuck however far off its deadline is
    assertThat(InstanceSummary.of(waitingWithTimers()).earliestTimerDue())
        .isEqualTo(NOW.plusNanos(7).plus(Duration.ofMinutes(3)));
    assertThat(
            InstanceSummary.of(waitingWithTimers())
                .stuckSince(NOW.plusNanos(7).plus(Duration.ofMinutes(4))))
        .isTrue();
  }

  @Test
  void unansweredActionsAreAnOptionalTailThatOlderBuildsNeverSee() {
    // given an instance with no unanswered action, and the same with one
    SagaInstance instance = waitingWithTimers();
    SagaInstance.Builder builder = instance.toBuilder();
    builder.actionUnanswered(0);
    SagaInstance unanswered = builder.build();

    // when both are written
    byte[] without = InstanceCodec.encode(instance, InstanceCodec.Format.BINARY);
    byte[] with = InstanceCodec.encode(unanswered, InstanceCodec.Format.BINARY);

    // then the first has no tail (a build before it reads it), the second a list of one, and
    // both read back as they were
    assertThat(with.length).isEqualTo(without.length + 2);
    assertThat(java.util.Arrays.copyOf(with, without.length)).isEqualTo(without);
    assertThat(InstanceCodec.decode(without)).isEqualTo(instance);
    assertThat(InstanceCodec.decode(with)).isEqualTo(unanswered);
    assertThat(InstanceCodec.decode(with).unansweredActions()).containsExactly(0);
    String json =
        new String(
            InstanceCodec.encode(instance, InstanceCodec.Format.JSON),
            java.nio.charset.StandardCharsets.UTF_8);
    assertThat(json).contains(",\"unansweredActions\":[]");
    byte[] olderJson =
        json.replace(",\"unansweredActions\":[]", "")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(InstanceCodec.decode(olderJson)).isEqualTo(instance);
  }

  @Test
  void aTruncatedBinaryInstanceIsRefusedWithAClearErrorWhenSummarisedToo() {
    // given an instance whose stored bytes lost their tail
    byte[] stored = InstanceCodec.encode(waitingWithTimers());
    byte[] truncated = java.util.Arrays.copyOf(stored, stored.length / 3);

    // when / then
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> InstanceCodec.summarize(truncated))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot read a saga instance (binary format)");
  }

  @Test
  void instancesOfVeryDifferentSizesEncodedOneAfterAnotherEachReadBackWhole() {
    // given an instance whose data outgrows the writer's kept buffer, and a small one
    byte[] large = new byte[3 << 20];
    java.util.Arrays.fill(large, (byte) 7);
    SagaInstance big = instanceInIncident().toBuilder().data(SagaData.of(large)).build();
    SagaInstance small = waitingWithTimers();

    // when each is encoded after the other
    byte[] smallFirst = InstanceCodec.encode(small);
    byte[] bigStored = InstanceCodec.encode(big);
    byte[] smallAfter = InstanceCodec.encode(small);

    // then each reads back as it was, and the small one's bytes did not change
    assertThat(InstanceCodec.decode(bigStored)).isEqualTo(big);
    assertThat(InstanceCodec.decode(smallAfter)).isEqualTo(small);
    assertThat(smallAfter).isEqualTo(smallFirst);
  }

  @Test
  void aTruncatedBinaryInstanceIsRefusedWithAClearError() {
    // given an instance whose stored bytes lost their tail
    byte[] stored = InstanceCodec.encode(instanceInIncident());
    byte[] truncated = java.util.Arrays.copyOf(stored, stored.length / 2);

    // when / then
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> InstanceCodec.decode(truncated))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot read a saga instance (binary format)");
  }

  private static final RetryPolicy ONCE = new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO, 0);
  private static final SagaDefinition DEFINITION =
      new SagaDefinition(
          "order",
          3,
          Optional.of(Duration.ofHours(1)),
          List.of(step("reserve", ONCE), step("charge", ONCE)));
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00.123Z");

  private static SagaInstance instanceInIncident() {
    SagaInstance instance =
        SagaEngine.decide(
                DEFINITION,
                null,
                new EngineCommand.StartSaga(
                    "s-1", "k-1", "r-1", "me", SagaData.of(new byte[] {1, 2})),
                NOW)
            .instance();
    instance = reply(DEFINITION, instance, ReplyOutcome.SUCCESS, NOW);
    instance = reply(DEFINITION, instance, ReplyOutcome.FAILURE, NOW);
    instance = reply(DEFINITION, instance, ReplyOutcome.FAILURE, NOW);
    assertThat(instance.incident()).isNotNull();
    assertThat(instance.incident().kind()).isEqualTo(CommandKind.COMPENSATION);
    return instance;
  }

  private static SagaInstance waitingWithTimers() {
    return waitingWithTimers(ReceiveSpec.ReceiveTimeoutAction.COMPENSATE);
  }

  private static SagaDefinition waitingDefinition(ReceiveSpec.ReceiveTimeoutAction onTimeout) {
    return new SagaDefinition(
        "order",
        1,
        Optional.of(Duration.ofHours(1)),
        List.of(
            step("reserve", ONCE),
            StepDefinition.receiving(
                "confirm",
                new ReceiveSpec("Paid", Optional.of(Duration.ofMinutes(3)), onTimeout))));
  }

  private static SagaInstance waitingWithTimers(ReceiveSpec.ReceiveTimeoutAction onTimeout) {
    SagaDefinition definition = waitingDefinition(onTimeout);
    SagaInstance started =
        SagaEngine.decide(
                definition,
                null,
                new EngineCommand.StartSaga(
                    "s-2",
                    "k-ü",
                    "r-2",
                    "me",
                    SagaData.of(new byte[] {9}),
                    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
                NOW)
            .instance();
    return reply(definition, started, ReplyOutcome.SUCCESS, NOW.plusNanos(7));
  }

  private static SagaInstance reply(
      SagaDefinition definition, SagaInstance instance, ReplyOutcome outcome, Instant now) {
    return SagaEngine.decide(
            definition,
            instance,
            new EngineCommand.HandleReply(instance.awaited().commandId(), outcome, "E", "m", null),
            now)
        .instance();
  }

  private static StepDefinition step(String name, RetryPolicy policy) {
    return new StepDefinition(
        name, name + ".c", Optional.of(name + ".c"), Duration.ofSeconds(5), policy, policy);
  }
}

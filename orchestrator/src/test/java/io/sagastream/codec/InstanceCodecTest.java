package io.sagastream.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.engine.CommandKind;
import io.sagastream.engine.Decision;
import io.sagastream.engine.EngineCommand;
import io.sagastream.engine.IncidentResolution;
import io.sagastream.engine.ReplyOutcome;
import io.sagastream.engine.RetryPolicy;
import io.sagastream.engine.SagaData;
import io.sagastream.engine.SagaDefinition;
import io.sagastream.engine.SagaEngine;
import io.sagastream.engine.SagaInstance;
import io.sagastream.engine.StepDefinition;
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
  void anInstanceWithEveryPartFilledInSurvivesTheStore() {
    // given an instance in an incident: completed steps, a queue, attempts, history, an incident
    RetryPolicy once = new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO, 0);
    SagaDefinition definition =
        new SagaDefinition(
            "order",
            3,
            Optional.of(Duration.ofHours(1)),
            List.of(step("reserve", once), step("charge", once)));
    Instant now = Instant.parse("2026-01-01T00:00:00.123Z");
    SagaInstance instance =
        SagaEngine.decide(
                definition,
                null,
                new EngineCommand.StartSaga(
                    "s-1", "k-1", "r-1", "me", SagaData.of(new byte[] {1, 2})),
                now)
            .instance();
    instance = reply(definition, instance, ReplyOutcome.SUCCESS, now);
    instance = reply(definition, instance, ReplyOutcome.FAILURE, now);
    instance = reply(definition, instance, ReplyOutcome.FAILURE, now);
    assertThat(instance.incident()).isNotNull();
    assertThat(instance.incident().kind()).isEqualTo(CommandKind.COMPENSATION);

    // when
    SagaInstance read = InstanceCodec.decode(InstanceCodec.encode(instance));

    // then
    assertThat(read).isEqualTo(instance);
    Decision resolved =
        SagaEngine.decide(
            definition,
            read,
            new EngineCommand.ResolveIncident(IncidentResolution.RETRY, "op", null),
            now);
    assertThat(resolved.instance().lastAttempt("reserve", CommandKind.COMPENSATION)).isEqualTo(2);
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

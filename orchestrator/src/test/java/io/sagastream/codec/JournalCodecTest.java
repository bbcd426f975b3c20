package io.sagastream.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.contracts.v1.SagaEvent;
import io.sagastream.engine.CommandKind;
import io.sagastream.engine.Effect.PublishEvent;
import io.sagastream.engine.IncidentResolution;
import io.sagastream.engine.JournalEvent;
import io.sagastream.engine.ReplyOutcome;
import io.sagastream.engine.SagaData;
import io.sagastream.engine.SagaDefinition;
import io.sagastream.engine.SagaInstance;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JournalCodecTest {

  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void everyEngineEventHasAContractRecordOfTheSameName() throws java.io.IOException {
    // given one of each journal event the engine has
    List<JournalEvent> events =
        List.of(
            new JournalEvent.SagaStarted("r", "me"),
            new JournalEvent.StepCommandSent("s", CommandKind.ACTION, "c", 1, "t", AT),
            new JournalEvent.StepReplyReceived(
                "s", CommandKind.ACTION, "c", 1, ReplyOutcome.SUCCESS, null, null),
            new JournalEvent.ReplyIgnored(null, "c", JournalEvent.IgnoredReplyReason.DUPLICATE),
            new JournalEvent.StepRetryScheduled("s", CommandKind.COMPENSATION, 2, AT, "E", "m"),
            new JournalEvent.StepTimedOut("s", CommandKind.ACTION, "c", 1),
            new JournalEvent.StepCompleted("s", 1),
            new JournalEvent.StepFailed("s", 3, "E", "m"),
            new JournalEvent.CompensationStarted(JournalEvent.CompensationReason.CANCELLED, null),
            new JournalEvent.StepCompensated("s", 1),
            new JournalEvent.IncidentRaised("s", CommandKind.COMPENSATION, 10, "E", "m"),
            new JournalEvent.IncidentResolved(IncidentResolution.SKIP, "op", null),
            new JournalEvent.IncidentClosed("s", JournalEvent.CompensationReason.CANCELLED),
            new JournalEvent.IncidentResolutionIgnored(IncidentResolution.RETRY, "op", AT),
            new JournalEvent.SagaCancellationRequested("op", "why"),
            new JournalEvent.SagaDeadlineExpired(AT),
            new JournalEvent.SagaRedriven("s", CommandKind.ACTION, "c", 1),
            new JournalEvent.SagaCompleted(),
            new JournalEvent.SagaCompensated(),
            new JournalEvent.SagaFailed("s", "m"),
            new JournalEvent.MessageAwaited("s", "Paid", AT),
            new JournalEvent.MessageCorrelated("s", "Paid", "m-1"),
            new JournalEvent.ReceiveTimedOut(
                "s", "Paid", io.sagastream.engine.ReceiveSpec.ReceiveTimeoutAction.CONTINUE));
    assertThat(events.stream().map(Object::getClass).distinct())
        .as("one of each event the engine has")
        .containsExactlyInAnyOrder(JournalEvent.class.getPermittedSubclasses());
    SagaInstance instance =
        new SagaInstance.Builder(
                "s-1",
                "k-1",
                new SagaDefinition("d", 2, Optional.empty(), List.of()),
                SagaData.empty(),
                AT,
                null)
            .build();

    // when each is mapped
    for (int i = 0; i < events.size(); i++) {
      SagaEvent mapped = JournalCodec.toContract(instance, new PublishEvent(i, AT, events.get(i)));

      // then the contract record has the event's name, and the envelope says whose event it is
      assertThat(mapped.getEvent().getClass().getSimpleName()).isEqualTo(events.get(i).type());
      assertThat(mapped.getEventId()).isEqualTo("s-1/" + i);
      assertThat(mapped.getDefinitionVersion()).isEqualTo(2);
      assertThat(SagaEvent.fromByteBuffer(mapped.toByteBuffer())).isEqualTo(mapped);
    }
  }
}

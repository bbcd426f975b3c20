package io.sagastream.engine;

import java.time.Instant;

/** What a decision asks the world to do. The processor carries effects out, in order. */
public sealed interface Effect {

  /**
   * Send a command to a participant, built from the instance's data. {@code redelivery} is true
   * when the same command id was sent before (recovery), so participants see it again with the same
   * id.
   */
  record SendCommand(
      String step,
      CommandKind kind,
      String commandId,
      int attempt,
      String topic,
      Instant deadline,
      boolean redelivery)
      implements Effect {}

  record ScheduleTimer(Timer timer) implements Effect {}

  record CancelTimer(Timer timer) implements Effect {}

  /** Publish a journal event; {@code sequence} numbers the instance's events from 0. */
  record PublishEvent(long sequence, Instant occurredAt, JournalEvent event) implements Effect {}

  record RaiseIncident(Incident incident) implements Effect {}

  /**
   * The instance now waits for a message: deliver one that is already in the inbox, if any, as a
   * {@link EngineCommand.DeliverMessage}.
   */
  record AwaitMessage(String step, String messageName) implements Effect {}
}

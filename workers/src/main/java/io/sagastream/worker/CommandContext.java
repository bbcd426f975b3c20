package io.sagastream.worker;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/** The saga metadata that came with a command in its headers, and where the command was read. */
public final class CommandContext {

  private final String topic;
  private final byte[] key;
  private final String sagaId;
  private final String sagaName;
  private final String step;
  private final CommandKind kind;
  private final String commandId;
  private final int attempt;
  private final Instant deadline;
  private final String traceparent;

  CommandContext(
      String topic,
      byte[] key,
      String sagaId,
      String sagaName,
      String step,
      CommandKind kind,
      String commandId,
      int attempt,
      Instant deadline,
      String traceparent) {
    this.topic = topic;
    this.key = key;
    this.sagaId = sagaId;
    this.sagaName = sagaName;
    this.step = step;
    this.kind = kind;
    this.commandId = commandId;
    this.attempt = attempt;
    this.deadline = deadline;
    this.traceparent = traceparent;
  }

  /** The command topic it was read from. */
  public String topic() {
    return topic;
  }

  /** The saga key (the record key as UTF-8), e.g. the order id the saga is about. */
  public String sagaKey() {
    return new String(key, StandardCharsets.UTF_8);
  }

  /** The record key's bytes; the reply carries the same bytes. */
  public byte[] key() {
    return key.clone();
  }

  public String sagaId() {
    return sagaId;
  }

  /** The saga definition's name. */
  public String sagaName() {
    return sagaName;
  }

  /** The step of the definition this command belongs to. */
  public String step() {
    return step;
  }

  public CommandKind kind() {
    return kind;
  }

  /**
   * Unique per saga, step, kind and attempt, and the same on every redelivery of this command: the
   * key to make the handler's effects idempotent (store it with them, or pass it on as the
   * idempotency key of a downstream call).
   */
  public String commandId() {
    return commandId;
  }

  /** 1 for the first try; a retry after a {@code retryable-failure} is a new attempt and id. */
  public int attempt() {
    return attempt;
  }

  /**
   * When the orchestrator stops waiting for this attempt. A handler may skip slow work past it: the
   * orchestrator has moved on (a timed-out action is compensated).
   */
  public Optional<Instant> deadline() {
    return Optional.ofNullable(deadline);
  }

  /** The W3C trace context of the saga, for the handler's own spans to join. */
  public Optional<String> traceparent() {
    return Optional.ofNullable(traceparent);
  }

  @Override
  public String toString() {
    return "command "
        + commandId
        + " ("
        + kind.headerValue()
        + " of step "
        + step
        + ", attempt "
        + attempt
        + ") of saga "
        + sagaId
        + " on "
        + topic;
  }
}

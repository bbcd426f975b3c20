package io.sagastream.worker;

import java.util.Objects;
import java.util.Optional;
import org.apache.avro.generic.GenericContainer;

/**
 * What a {@link CommandHandler} answers. A success may carry the participant's own Avro reply
 * record, whose fields the orchestrator merges into the saga data by name; failures carry an
 * optional code and message instead, and no record.
 */
public final class Reply {

  private static final Reply EMPTY_SUCCESS = new Reply(Outcome.SUCCESS, null, null, null);

  private final Outcome outcome;
  private final GenericContainer value;
  private final String errorCode;
  private final String errorMessage;

  private Reply(Outcome outcome, GenericContainer value, String errorCode, String errorMessage) {
    this.outcome = outcome;
    this.value = value;
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
  }

  /** Done, with nothing to merge into the saga data (the reply's value is null). */
  public static Reply success() {
    return EMPTY_SUCCESS;
  }

  /** Done; {@code record} (a generated class or a generic record) is the reply's value. */
  public static Reply success(GenericContainer record) {
    return new Reply(Outcome.SUCCESS, Objects.requireNonNull(record, "record"), null, null);
  }

  /** Failed for good: the orchestrator compensates instead of retrying. Both may be null. */
  public static Reply failure(String errorCode, String errorMessage) {
    return new Reply(Outcome.FAILURE, null, errorCode, errorMessage);
  }

  /** Failed for now: the orchestrator tries again after a backoff. Both may be null. */
  public static Reply retryableFailure(String errorCode, String errorMessage) {
    return new Reply(Outcome.RETRYABLE_FAILURE, null, errorCode, errorMessage);
  }

  public Outcome outcome() {
    return outcome;
  }

  public Optional<GenericContainer> value() {
    return Optional.ofNullable(value);
  }

  public Optional<String> errorCode() {
    return Optional.ofNullable(errorCode);
  }

  public Optional<String> errorMessage() {
    return Optional.ofNullable(errorMessage);
  }

  @Override
  public String toString() {
    return switch (outcome) {
      case SUCCESS ->
          "Reply[success" + (value == null ? "" : " " + value.getSchema().getFullName()) + "]";
      case FAILURE, RETRYABLE_FAILURE ->
          "Reply[" + outcome.headerValue() + " " + errorCode + ": " + errorMessage + "]";
    };
  }
}

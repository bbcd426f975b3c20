package io.sagastream.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a saga: either an action (a command, the command that undoes it if any, how long one
 * attempt may take, and the retry policies of both) or a receive step, which waits for a message.
 *
 * @param actionTopic the participant topic the action command goes to; null for a receive step
 * @param compensationTopic where the compensation goes; empty for a step with nothing to undo
 * @param receive what a receive step waits for; empty for an action step
 * @param parallelGroup the parallel step this action is a branch of; branches of one group stand
 *     next to each other in the definition and run at once
 */
public record StepDefinition(
    String name,
    String actionTopic,
    Optional<String> compensationTopic,
    Duration timeout,
    RetryPolicy retry,
    RetryPolicy compensationRetry,
    Optional<ReceiveSpec> receive,
    Optional<String> parallelGroup) {

  /** Used when a step declares no timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** An action step. */
  public StepDefinition(
      String name,
      String actionTopic,
      Optional<String> compensationTopic,
      Duration timeout,
      RetryPolicy retry,
      RetryPolicy compensationRetry) {
    this(
        name,
        actionTopic,
        compensationTopic,
        timeout,
        retry,
        compensationRetry,
        Optional.empty(),
        Optional.empty());
  }

  /** This action as a branch of the parallel step {@code group}. */
  public StepDefinition inParallel(String group) {
    if (receive.isPresent()) {
      throw new IllegalArgumentException(
          "step " + name + " waits for a message: it cannot be a branch");
    }
    return new StepDefinition(
        name,
        actionTopic,
        compensationTopic,
        timeout,
        retry,
        compensationRetry,
        receive,
        Optional.of(group));
  }

  /** A receive step: nothing to send and nothing to undo. */
  public static StepDefinition receiving(String name, ReceiveSpec receive) {
    return new StepDefinition(
        name,
        null,
        Optional.empty(),
        DEFAULT_TIMEOUT,
        RetryPolicy.DEFAULT,
        RetryPolicy.DEFAULT,
        Optional.of(receive),
        Optional.empty());
  }

  public StepDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(receive, "receive");
    Objects.requireNonNull(parallelGroup, "parallelGroup");
    if (receive.isEmpty()) {
      Objects.requireNonNull(actionTopic, "actionTopic");
    }
    Objects.requireNonNull(compensationTopic, "compensationTopic");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(compensationRetry, "compensationRetry");
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "timeout of step " + name + " must be positive: " + timeout);
    }
  }

  public boolean isReceive() {
    return receive.isPresent();
  }

  public String topicOf(CommandKind kind) {
    return kind == CommandKind.ACTION
        ? actionTopic
        : compensationTopic.orElseThrow(
            () -> new IllegalStateException("step " + name + " has no compensation"));
  }

  public RetryPolicy retryOf(CommandKind kind) {
    return kind == CommandKind.ACTION ? retry : compensationRetry;
  }
}

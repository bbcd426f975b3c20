package io.sagastream.samples;

import io.sagastream.worker.CommandContext;
import io.sagastream.worker.CommandHandler;
import io.sagastream.worker.CommandKind;
import io.sagastream.worker.Reply;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Injects one participant's faults into its command handlers, as its {@link FaultPlan} says.
 *
 * <p>Whether a command fails is decided by a hash of the participant's name and the command id, not
 * by chance: a command delivered twice (after a crash or a rebalance) fails or succeeds both times,
 * as a real idempotent participant would answer, and a run with the same command ids fails the same
 * commands. A retry is a new attempt with a new command id, so it draws anew. The plan can be
 * changed while the participant runs.
 */
public final class FaultInjector {

  private final String participant;
  private volatile FaultPlan plan;

  public FaultInjector(String participant, FaultPlan plan) {
    this.participant = Objects.requireNonNull(participant, "participant");
    this.plan = Objects.requireNonNull(plan, "plan");
  }

  public FaultPlan plan() {
    return plan;
  }

  public void plan(FaultPlan plan) {
    this.plan = Objects.requireNonNull(plan, "plan");
  }

  /** The fault for this command under the current plan. */
  public InjectedFault decide(String commandId, CommandKind kind) {
    FaultPlan current = plan;
    double draw = draw(participant, commandId);
    double failureRate = kind == CommandKind.ACTION ? current.failureRate() : 0.0;
    if (draw < failureRate) {
      return InjectedFault.FAILURE;
    }
    if (draw < failureRate + current.retryableFailureRate()) {
      return InjectedFault.RETRYABLE_FAILURE;
    }
    return InjectedFault.NONE;
  }

  /**
   * {@code handler} with this participant's faults in front: the latency, then an injected answer
   * or the handler's own.
   *
   * @param failureCode the error code of an injected {@code failure}, as the team's real refusals
   *     would spell it (OUT_OF_STOCK, say)
   */
  public <C> CommandHandler<C> guard(String failureCode, CommandHandler<C> handler) {
    return (command, context) -> {
      pause(plan.latency().toMillis());
      return switch (decide(context.commandId(), context.kind())) {
        case FAILURE -> Reply.failure(failureCode, injected("failure", context));
        case RETRYABLE_FAILURE ->
            Reply.retryableFailure(
                "TEMPORARILY_UNAVAILABLE", injected("retryable failure", context));
        case NONE -> handler.handle(command, context);
      };
    };
  }

  /** A number in [0, 1), the same for the same participant and command id, even across runs. */
  static double draw(String participant, String commandId) {
    byte[] hash = sha256().digest((participant + "|" + commandId).getBytes(StandardCharsets.UTF_8));
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = (bits << 8) | (hash[i] & 0xff);
    }
    return (bits >>> 11) * 0x1.0p-53;
  }

  private String injected(String what, CommandContext context) {
    return "injected " + what + " of " + participant + " for " + context.commandId();
  }

  private static void pause(long millis) throws InterruptedException {
    if (millis > 0) {
      Thread.sleep(millis);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JDK has SHA-256", e);
    }
  }
}

package io.sagastream.samples;

import io.sagastream.worker.CommandContext;
import io.sagastream.worker.Reply;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The saga steps a team has compensated. A compensation can overtake its action: the action waits
 * in a backlog past its timeout, the saga compensates, and the compensation's topic is served
 * first. The action that arrives after it must then do nothing, or its effect stays with no saga
 * left to undo it. A real team keeps these marks where it keeps the effects (its database), so that
 * every instance sees them; the samples keep both in memory.
 */
public final class CompensatedSteps {

  /** The error code of an action refused because its step was compensated before it arrived. */
  public static final String ALREADY_COMPENSATED = "ALREADY_COMPENSATED";

  private final Set<String> compensated = ConcurrentHashMap.newKeySet();

  /** Notes that the step of this compensation's saga is undone, whether or not it had been done. */
  public void compensated(CommandContext compensation) {
    compensated.add(step(compensation));
  }

  /** A failure reply for an action whose step was compensated already; empty when it may go on. */
  public Optional<Reply> refusal(CommandContext action) {
    if (!compensated.contains(step(action))) {
      return Optional.empty();
    }
    return Optional.of(
        Reply.failure(
            ALREADY_COMPENSATED,
            "step " + action.step() + " of saga " + action.sagaId() + " was compensated already"));
  }

  private static String step(CommandContext context) {
    return context.sagaId() + "/" + context.step();
  }
}

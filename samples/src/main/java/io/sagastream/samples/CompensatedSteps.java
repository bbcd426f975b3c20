package io.sagastream.samples;

import io.sagastream.worker.CommandContext;
import io.sagastream.worker.CommandHandler;
import io.sagastream.worker.Reply;
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

  /**
   * {@code action}, unless its step was compensated already: then a failure reply, and nothing
   * done.
   */
  public <C> CommandHandler<C> action(CommandHandler<C> action) {
    return (command, context) -> {
      if (!compensated.contains(step(context))) {
        return action.handle(command, context);
      }
      return Reply.failure(
          ALREADY_COMPENSATED,
          "step " + context.step() + " of saga " + context.sagaId() + " was compensated already");
    };
  }

  /**
   * {@code compensation}, noting first that its step is undone, whether or not it had been done.
   */
  public <C> CommandHandler<C> compensation(CommandHandler<C> compensation) {
    return (command, context) -> {
      compensated.add(step(context));
      return compensation.handle(command, context);
    };
  }

  private static String step(CommandContext context) {
    return context.sagaId() + "/" + context.step();
  }
}

package io.sagastream.engine;

import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

/**
 * One row of the transition table: in {@code from} (an empty set: no instance yet), on a command of
 * type {@code on}, when {@code guard} holds, {@code action} runs and the instance ends in one of
 * {@code to}.
 *
 * @param guardText the guard in words, for the rendered table
 * @param effectsText what the action does, in words, for the rendered table
 */
record TransitionRule(
    Set<SagaStatus> from,
    Class<? extends EngineCommand> on,
    String guardText,
    BiPredicate<SagaInstance, EngineCommand> guard,
    Set<SagaStatus> to,
    boolean stays,
    String effectsText,
    BiConsumer<DecisionContext, EngineCommand> action) {

  /** Whether an instance that was in {@code before} may be in {@code after} under this rule. */
  boolean allows(SagaStatus before, SagaStatus after) {
    return stays ? after == before : to.contains(after);
  }

  boolean matches(SagaInstance current, EngineCommand command) {
    boolean stateMatches = current == null ? from.isEmpty() : from.contains(current.status());
    return stateMatches && on.isInstance(command) && guard.test(current, command);
  }
}

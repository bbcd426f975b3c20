package io.sagastream.engine;

import io.sagastream.engine.EngineCommand.FireTimer;
import io.sagastream.engine.EngineCommand.StartSaga;
import java.time.Instant;
import java.util.List;

/**
 * Decides what a saga instance does next: {@code decide(definition, instance, command, now)}
 * returns the next instance and the effects. Deterministic: the same arguments give the same
 * decision, with no clock, randomness or I/O, so decisions can be replayed and tested without
 * Kafka.
 *
 * <p>The definition is an argument (DESIGN.md's signature has only the instance): the instance
 * names its definition's version, and the caller resolves it, so the engine holds no state.
 */
public final class SagaEngine {

  private SagaEngine() {}

  /**
   * @param current the instance of this definition on the key, or null when there is none
   */
  public static Decision decide(
      SagaDefinition definition, SagaInstance current, EngineCommand command, Instant now) {
    TransitionRule rule = TransitionTable.ruleFor(current, command);
    // A start makes a new instance unless its rule keeps the one there is (the same request again).
    boolean startsNew =
        command instanceof StartSaga
            && !rule.stays()
            && (current == null || current.status().isTerminal());
    if (current == null && !startsNew) {
      return new Decision(null, List.of());
    }
    SagaInstance.Builder instance =
        startsNew ? newInstance(definition, (StartSaga) command, now) : current.toBuilder();
    if (command instanceof FireTimer fire) {
      // A timer that fired is gone, whether the rule acts on it or not.
      instance.timers().remove(fire.timer());
    }
    DecisionContext context = new DecisionContext(definition, instance, now);
    rule.action().accept(context, command);
    Decision decision = context.decision();
    SagaStatus before = startsNew ? null : current.status();
    if (!rule.allows(before, decision.instance().status())) {
      throw new IllegalStateException(
          "Rule '"
              + command.type()
              + " ["
              + rule.guardText()
              + "]' ended in "
              + decision.instance().status()
              + ", not "
              + (rule.stays() ? before : rule.to()));
    }
    return decision;
  }

  private static SagaInstance.Builder newInstance(
      SagaDefinition definition, StartSaga start, Instant now) {
    return new SagaInstance.Builder(
            start.sagaId(),
            start.sagaKey(),
            definition,
            start.data(),
            now,
            definition.deadline().map(now::plus).orElse(null))
        .traceParent(start.traceParent());
  }
}

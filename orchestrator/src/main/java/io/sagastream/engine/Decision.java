package io.sagastream.engine;

import java.util.List;

/**
 * The engine's answer: the instance as it is now (null when nothing exists, for a command on a key
 * without an instance) and the effects, in order.
 */
public record Decision(SagaInstance instance, List<Effect> effects) {

  public Decision {
    effects = List.copyOf(effects);
  }

  public <T extends Effect> List<T> effects(Class<T> type) {
    return effects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  public List<JournalEvent> events() {
    return effects(Effect.PublishEvent.class).stream().map(Effect.PublishEvent::event).toList();
  }
}

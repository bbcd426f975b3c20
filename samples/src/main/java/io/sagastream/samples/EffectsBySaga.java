package io.sagastream.samples;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a participant did, one effect per saga (a charge, a reservation), with the order it was for.
 * Keyed by saga id, not by order: a redelivered command or a retried attempt of the same saga finds
 * its effect and answers with the same id, while a later saga for the same order (after the first
 * was compensated, say) makes its own rather than being handed the undone one.
 */
public final class EffectsBySaga {

  private record Effect(String orderId, String id) {}

  private final Map<String, Effect> bySaga = new ConcurrentHashMap<>();
  private final String idPrefix;

  public EffectsBySaga(String idPrefix) {
    this.idPrefix = idPrefix;
  }

  /** The id of this saga's effect for {@code orderId}: made now, or found when made already. */
  public String make(String sagaId, String orderId) {
    return bySaga
        .computeIfAbsent(sagaId, saga -> new Effect(orderId, DerivedIds.of(idPrefix, saga)))
        .id();
  }

  /** Whether this saga made its effect. */
  public boolean made(String sagaId) {
    return bySaga.containsKey(sagaId);
  }

  /** Takes this saga's effect back; nothing made (or taken back already) is fine too. */
  public void undo(String sagaId) {
    bySaga.remove(sagaId);
  }

  /** Effect id by order id (one saga's, when several sagas were for one order). */
  public Map<String, String> byOrder() {
    Map<String, String> byOrder = new LinkedHashMap<>();
    bySaga.values().forEach(effect -> byOrder.put(effect.orderId(), effect.id()));
    return Map.copyOf(byOrder);
  }
}

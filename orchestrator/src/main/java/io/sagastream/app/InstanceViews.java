package io.sagastream.app;

import io.sagastream.codec.JsonAvro;
import io.sagastream.codec.SagaDataCodec;
import io.sagastream.engine.SagaInstance;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;

/** A saga instance as the API shows it. */
final class InstanceViews {

  private InstanceViews() {}

  /**
   * @param stale the answer comes from a standby replica, during a rebalance or while the owner is
   *     away, and may lag behind the owner's
   */
  static Map<String, Object> view(SagaInstance instance, Schema dataSchema, boolean stale) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("sagaId", instance.sagaId());
    view.put("key", instance.sagaKey());
    view.put("definition", instance.definitionName());
    view.put("version", instance.definitionVersion());
    view.put("status", instance.status().name());
    view.put("stale", stale);
    view.put(
        "inFlight",
        instance.inFlight().stream()
            .map(
                c ->
                    Map.of(
                        "commandId",
                        c.commandId(),
                        "attempt",
                        c.attempt(),
                        "deadline",
                        c.deadline().toString()))
            .toList());
    if (instance.waitingFor() != null) {
      view.put("waitingFor", instance.waitingFor().messageName());
    }
    view.put("attempts", instance.attempts());
    view.put(
        "timers",
        instance.timers().stream()
            .map(t -> Map.of("kind", t.kind().name(), "dueAt", t.dueAt().toString()))
            .toList());
    if (instance.incident() != null) {
      Map<String, Object> incident = new LinkedHashMap<>();
      incident.put("step", instance.incident().step());
      // What a resolution names, so that it cannot resolve a later incident by mistake.
      incident.put("raisedAt", instance.incident().raisedAt().toString());
      incident.put("attempts", instance.incident().attempts());
      // null when the participant gave no message: JSON null, not the word "null".
      incident.put("error", instance.incident().errorMessage());
      view.put("incident", incident);
    }
    if (dataSchema != null) {
      view.put(
          "data",
          JsonAvro.toJson(SagaDataCodec.decode(instance.data().bytes(), dataSchema, dataSchema)));
    }
    view.put("startedAt", instance.startedAt().toString());
    view.put("updatedAt", instance.updatedAt().toString());
    view.put(
        "history",
        instance.history().stream()
            .map(
                h ->
                    Map.of(
                        "sequence",
                        h.sequence(),
                        "at",
                        h.at().toString(),
                        "event",
                        h.event(),
                        "detail",
                        h.detail()))
            .toList());
    return view;
  }
}

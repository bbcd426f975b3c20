package io.sagastream.app;

import io.micronaut.runtime.Micronaut;
import io.sagastream.registry.serde.AvroLimits;

/** Starts an orchestrator node: the saga topology on Kafka Streams, and its HTTP API. */
public final class Application {

  private Application() {}

  public static void main(String[] args) {
    // Before any Avro is read, so that the caps hold for every reader, not only the deserializers.
    AvroLimits.install();
    Micronaut.run(Application.class, args);
  }
}

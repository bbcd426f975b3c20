package io.sagastream.app;

import io.micronaut.runtime.Micronaut;

/** Starts an orchestrator node: the saga topology on Kafka Streams, and its HTTP API. */
public final class Application {

  private Application() {}

  public static void main(String[] args) {
    Micronaut.run(Application.class, args);
  }
}

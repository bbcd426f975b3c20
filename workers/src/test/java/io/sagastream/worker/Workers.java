package io.sagastream.worker;

import io.sagastream.registry.SchemaRegistry;
import io.sagastream.testing.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds workers against the test broker and registry, and closes whatever a test left running. */
final class Workers implements AutoCloseable {

  private final KafkaCluster kafka;
  private final SchemaRegistry registry;
  private final List<SagaWorker> started = new ArrayList<>();

  Workers(KafkaCluster kafka, SchemaRegistry registry) {
    this.kafka = kafka;
    this.registry = registry;
  }

  /** A builder with the broker, the registry, the group and a stable instance id filled in. */
  SagaWorker.Builder builder(String group) {
    return SagaWorker.builder()
        .bootstrapServers(kafka.bootstrapServers())
        .registry(registry)
        .group(group)
        .instanceId("instance-1")
        .pollTimeout(Duration.ofMillis(100));
  }

  SagaWorker start(SagaWorker.Builder builder) {
    return build(builder).start();
  }

  /** A worker not started yet, for a test that starts it its own way; closed all the same. */
  SagaWorker build(SagaWorker.Builder builder) {
    SagaWorker worker = builder.build();
    started.add(worker);
    return worker;
  }

  @Override
  public void close() {
    started.forEach(worker -> worker.close(Duration.ofSeconds(10)));
  }
}

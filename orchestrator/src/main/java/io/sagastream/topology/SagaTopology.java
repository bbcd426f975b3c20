package io.sagastream.topology;

import io.sagastream.registry.SchemaRegistry;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * The orchestrator's topology: one sub-topology in which requests, replies and messages feed the
 * {@link SagaProcessor}, with its instance and timer stores (persistent, changelogged), the global
 * definitions store, and sinks for participant commands (by topic name), journal events and dead
 * letters. Inputs are read as bytes and decoded in the processor, so an unreadable record becomes a
 * dead letter that names its source, never a stopped node.
 */
public final class SagaTopology {

  private SagaTopology() {}

  public static Topology build(
      SagaTopics topics, SchemaRegistry registry, TopologySettings settings, SagaMetrics metrics) {
    return build(topics, registry, settings, metrics, SagaTracing.NONE);
  }

  public static Topology build(
      SagaTopics topics,
      SchemaRegistry registry,
      TopologySettings settings,
      SagaMetrics metrics,
      SagaTracing tracing) {
    return build(topics, () -> topics, registry, settings, metrics, tracing);
  }

  /**
   * The topology, with the partition count its processor checks input against taken from {@code
   * found} when each task starts: a node builds its topology before it has looked at the topics,
   * and only starts it once it has.
   */
  public static Topology build(
      SagaTopics topics,
      Supplier<SagaTopics> found,
      SchemaRegistry registry,
      TopologySettings settings,
      SagaMetrics metrics,
      SagaTracing tracing) {
    Topology topology = new Topology();
    ByteArrayDeserializer bytes = new ByteArrayDeserializer();
    topology.addSource(TopologyNames.REQUESTS_SOURCE, bytes, bytes, topics.requests());
    topology.addSource(TopologyNames.REPLIES_SOURCE, bytes, bytes, topics.replies());
    topology.addSource(TopologyNames.MESSAGES_SOURCE, bytes, bytes, topics.messages());
    topology.addSource(TopologyNames.REROUTED_SOURCE, bytes, bytes, topics.rerouted());
    topology.addProcessor(
        TopologyNames.SAGA_PROCESSOR,
        () -> new SagaProcessor(found.get(), registry, settings, metrics, tracing),
        TopologyNames.REQUESTS_SOURCE,
        TopologyNames.REPLIES_SOURCE,
        TopologyNames.MESSAGES_SOURCE,
        TopologyNames.REROUTED_SOURCE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(TopologyNames.INSTANCE_STORE),
            Serdes.String(),
            Serdes.ByteArray()),
        TopologyNames.SAGA_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(TopologyNames.TIMER_STORE),
            Serdes.Bytes(),
            Serdes.ByteArray()),
        TopologyNames.SAGA_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(TopologyNames.INBOX_STORE),
            Serdes.String(),
            Serdes.ByteArray()),
        TopologyNames.SAGA_PROCESSOR);
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TopologyNames.DEFINITION_STORE),
                Serdes.String(),
                Serdes.ByteArray())
            .withLoggingDisabled(),
        TopologyNames.DEFINITIONS_SOURCE,
        new StringDeserializer(),
        bytes,
        topics.definitions(),
        TopologyNames.DEFINITIONS_UPDATER,
        DefinitionStoreUpdater::new);
    TopicNameExtractor<byte[], RoutedCommand> byCommand =
        (key, command, context) -> command.topic();
    Serializer<RoutedCommand> commandValue = (topic, command) -> command.value();
    topology.addSink(
        TopologyNames.COMMANDS_SINK,
        byCommand,
        new ByteArraySerializer(),
        commandValue,
        TopologyNames.SAGA_PROCESSOR);
    topology.addSink(
        TopologyNames.EVENTS_SINK,
        topics.events(),
        new ByteArraySerializer(),
        new ByteArraySerializer(),
        TopologyNames.SAGA_PROCESSOR);
    topology.addSink(
        TopologyNames.REROUTED_SINK,
        topics.rerouted(),
        new ByteArraySerializer(),
        new ByteArraySerializer(),
        TopologyNames.SAGA_PROCESSOR);
    topology.addSink(
        TopologyNames.DEAD_LETTERS_SINK,
        topics.deadLetters(),
        new ByteArraySerializer(),
        new ByteArraySerializer(),
        TopologyNames.SAGA_PROCESSOR);
    return topology;
  }
}

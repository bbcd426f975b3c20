package io.sagastream.topology;

import java.util.List;

/**
 * The orchestrator's topics, their partition count and replication factor.
 *
 * @param prefix prepended to every default name ("" for none)
 */
public record SagaTopics(String prefix, int partitions, short replicationFactor) {

  public SagaTopics {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "replication factor must be at least 1: " + replicationFactor);
    }
  }

  public String requests() {
    return prefix + TopologyNames.REQUESTS_TOPIC;
  }

  public String replies() {
    return prefix + TopologyNames.REPLIES_TOPIC;
  }

  public String messages() {
    return prefix + TopologyNames.MESSAGES_TOPIC;
  }

  public String events() {
    return prefix + TopologyNames.EVENTS_TOPIC;
  }

  public String definitions() {
    return prefix + TopologyNames.DEFINITIONS_TOPIC;
  }

  public String deadLetters() {
    return prefix + TopologyNames.DEAD_LETTERS_TOPIC;
  }

  /**
   * Where replies and messages that landed on the wrong partition are forwarded, keyed as they
   * were, so that the default partitioner puts them where their saga is.
   */
  public String rerouted() {
    return prefix + TopologyNames.REROUTED_TOPIC;
  }

  /** The topics the processor consumes: keyed by saga key, so they must be co-partitioned. */
  public List<String> inputs() {
    return List.of(requests(), replies(), messages(), rerouted());
  }
}

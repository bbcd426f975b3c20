package io.sagastream.topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up check of the orchestrator's topics: creates the missing ones when allowed, then refuses
 * to run, naming the topics, when the input topics do not all have the same number of partitions (a
 * saga, its replies and its messages must land on the same partition, hence the same node), or when
 * the definitions topic is not compacted.
 */
public final class TopicPreparation {

  private static final Logger LOG = LoggerFactory.getLogger(TopicPreparation.class);
  private static final long TIMEOUT_SECONDS = 60;

  private TopicPreparation() {}

  /** Prepares the topics and returns the input topics' partition count. */
  public static int prepare(Admin admin, SagaTopics topics, boolean createMissing) {
    List<String> all =
        List.of(
            topics.requests(),
            topics.replies(),
            topics.messages(),
            topics.events(),
            topics.definitions(),
            topics.deadLetters(),
            topics.rerouted());
    Set<String> existing =
        call(() -> admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    List<String> missing = all.stream().filter(t -> !existing.contains(t)).toList();
    if (!missing.isEmpty()) {
      if (!createMissing) {
        throw new TopicLayoutException(
            "Missing topics "
                + missing
                + "; create them, or allow the orchestrator to create them");
      }
      create(admin, topics, missing, newInputPartitions(admin, topics, existing));
    }
    Map<String, Integer> partitions = partitionCounts(admin, topics.inputs());
    if (partitions.values().stream().distinct().count() > 1) {
      throw new TopicLayoutException(
          "The input topics are not co-partitioned: "
              + partitions.entrySet().stream()
                  .map(e -> e.getKey() + " has " + e.getValue())
                  .collect(Collectors.joining(", "))
              + " partitions; they must all have the same count, since a saga, its replies and its"
              + " messages share a key and must land on the same partition");
    }
    requireCompacted(admin, topics.definitions());
    requireReadable(admin, topics.definitions());
    return partitions.values().iterator().next();
  }

  /**
   * Refuses to go on while the node may not read the definitions topic. Its reader is Kafka
   * Streams' global thread, which cannot be replaced: refused, it stops the whole client, and the
   * node would be restarted into the same refusal for ever. Found here, it is a refusal the node
   * waits out, not ready, until the ACL is granted. A broker without an authorizer allows all.
   */
  private static void requireReadable(Admin admin, String definitions) {
    TopicDescription description =
        call(
            () ->
                admin
                    .describeTopics(
                        List.of(definitions),
                        new DescribeTopicsOptions().includeAuthorizedOperations(true))
                    .allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .get(definitions));
    Set<AclOperation> allowed = description.authorizedOperations();
    if (allowed != null
        && !allowed.contains(AclOperation.READ)
        && !allowed.contains(AclOperation.ALL)) {
      throw new TopicAuthorizationException(
          "Not allowed to read " + definitions + " (Read), which every node reads whole",
          Set.of(definitions));
    }
  }

  /**
   * Refuses a definitions topic made without compaction (by hand, or auto-created): its retention
   * would delete the versions running sagas use, and the next rebuild of the definitions store
   * could not resolve them. A node not allowed to read topic configs cannot tell, and says so.
   */
  private static void requireCompacted(Admin admin, String definitions) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, definitions);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    Config config = null;
    while (config == null) {
      config = configOf(admin, resource, deadline);
    }
    if (config == NOT_ALLOWED) {
      return;
    }
    ConfigEntry policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
    // "compact,delete" compacts and deletes by retention too: as bad as "delete" here.
    List<String> policies =
        policy == null
            ? List.of()
            : java.util.Arrays.stream(policy.value().split(",")).map(String::trim).toList();
    if (!policies.contains(TopicConfig.CLEANUP_POLICY_COMPACT)
        || policies.contains(TopicConfig.CLEANUP_POLICY_DELETE)) {
      throw new TopicLayoutException(
          definitions
              + " has cleanup.policy="
              + (policy == null ? "(none)" : policy.value())
              + "; it must be compacted only (cleanup.policy=compact), or its retention deletes"
              + " the definition versions that running sagas use");
    }
  }

  /** Stands for the configuration of a topic the node may not read. */
  private static final Config NOT_ALLOWED = new Config(List.of());

  /**
   * The topic's configuration; null while a topic created a moment ago is not known to the broker
   * asked yet, until {@code deadline}.
   */
  private static Config configOf(Admin admin, ConfigResource resource, long deadline) {
    try {
      return admin
          .describeConfigs(List.of(resource))
          .all()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .get(resource);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthorizationException) {
        LOG.warn(
            "Not allowed to read the configuration of {}; it must have cleanup.policy=compact",
            resource.name());
        return NOT_ALLOWED;
      }
      if (e.getCause() instanceof UnknownTopicOrPartitionException
          && System.nanoTime() < deadline) {
        pause();
        return null;
      }
      throw new TopicLayoutException(
          "Cannot read the configuration of " + resource.name() + ": " + e.getCause(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicLayoutException("Interrupted while reading topic configuration");
    } catch (TimeoutException e) {
      throw new TopicLayoutException(
          "Kafka did not describe " + resource.name() + " within " + TIMEOUT_SECONDS + " s");
    }
  }

  /**
   * The partitions a missing topic is created with: the count the existing input topics share, when
   * some exist and agree, else the configured one. A topic added by an upgrade, or deleted by hand,
   * made with the configured count beside inputs of another, kept the node from starting until it
   * was deleted again.
   */
  private static int newInputPartitions(Admin admin, SagaTopics topics, Set<String> existing) {
    List<String> existingInputs = topics.inputs().stream().filter(existing::contains).toList();
    if (existingInputs.isEmpty()) {
      return topics.partitions();
    }
    Set<Integer> counts = Set.copyOf(partitionCounts(admin, existingInputs).values());
    if (counts.size() != 1) {
      return topics.partitions();
    }
    int count = counts.iterator().next();
    if (count != topics.partitions()) {
      LOG.warn(
          "Creating missing topics with {} partitions, as the existing input topics {} have, not"
              + " the {} configured",
          count,
          existingInputs,
          topics.partitions());
    }
    return count;
  }

  private static void create(Admin admin, SagaTopics topics, List<String> missing, int partitions) {
    List<NewTopic> newTopics = new ArrayList<>();
    for (String name : missing) {
      NewTopic topic = new NewTopic(name, partitions, topics.replicationFactor());
      if (name.equals(topics.definitions())) {
        // Every version of every definition stays: keys are name and version.
        topic =
            new NewTopic(name, 1, topics.replicationFactor())
                .configs(
                    Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      }
      newTopics.add(topic);
    }
    try {
      admin.createTopics(newTopics).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new TopicLayoutException(
            "Cannot create topics " + missing + ": " + e.getCause(), e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicLayoutException("Interrupted while creating topics " + missing);
    } catch (TimeoutException e) {
      throw new TopicLayoutException(
          "Topics " + missing + " not created within " + TIMEOUT_SECONDS + " s");
    }
  }

  /**
   * The partition count of each topic. Topics created a moment ago may not be known to every broker
   * yet, so an unknown topic is asked about again, for up to {@link #TIMEOUT_SECONDS}.
   */
  private static Map<String, Integer> partitionCounts(Admin admin, List<String> names) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    Map<String, TopicDescription> descriptions = null;
    while (descriptions == null) {
      try {
        descriptions =
            admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        boolean unknownYet = e.getCause() instanceof UnknownTopicOrPartitionException;
        if (!unknownYet || System.nanoTime() > deadline) {
          throw new TopicLayoutException(
              "Cannot read topic metadata from Kafka: " + e.getCause(), e.getCause());
        }
        pause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TopicLayoutException("Interrupted while reading topic metadata");
      } catch (TimeoutException e) {
        throw new TopicLayoutException(
            "Kafka did not describe " + names + " within " + TIMEOUT_SECONDS + " s");
      }
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String name : names) {
      counts.put(name, descriptions.get(name).partitions().size());
    }
    return counts;
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicLayoutException("Interrupted while waiting for topic metadata");
    }
  }

  private interface AdminCall<T> {
    T get() throws InterruptedException, ExecutionException, TimeoutException;
  }

  private static <T> T call(AdminCall<T> call) {
    try {
      return call.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicLayoutException("Interrupted while reading topic metadata");
    } catch (ExecutionException e) {
      throw new TopicLayoutException(
          "Cannot read topic metadata from Kafka: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new TopicLayoutException("Cannot read topic metadata from Kafka: " + e, e);
    }
  }
}

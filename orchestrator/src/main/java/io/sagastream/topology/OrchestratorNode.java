package io.sagastream.topology;

import io.sagastream.codec.ContractClasses;
import io.sagastream.registry.SchemaRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.internals.GlobalStreamThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One orchestrator node: checks (and creates, when allowed) the topics, then runs the saga topology
 * with exactly-once processing. Extra Kafka Streams settings pass through unchanged.
 *
 * @param settings Kafka Streams configuration beyond the defaults here (security, tuning)
 */
public record OrchestratorNode(
    String applicationId,
    String bootstrapServers,
    Path stateDirectory,
    SagaTopics topics,
    boolean createTopics,
    TopologySettings topologySettings,
    Map<String, Object> settings) {

  private static final Logger LOG = LoggerFactory.getLogger(OrchestratorNode.class);

  /** How this node is known to Kafka, for reporting refusals (a login, an ACL). */
  public KafkaAccess access() {
    return new KafkaAccess(Clock.systemUTC(), ClientSecurity.of(settings));
  }

  /**
   * Builds the node's Kafka Streams now, and starts it on a thread of its own once the topics are
   * prepared: until then the node is up, not ready, and tries again ({@link NodeStartup}).
   */
  public NodeStartup startWhenTopicsReady(
      SchemaRegistry registry, SagaMetrics metrics, SagaTracing tracing, KafkaAccess access) {
    AtomicReference<SagaTopics> found = new AtomicReference<>(topics);
    KafkaStreams streams = streams(found::get, registry, metrics, tracing, access);
    return new NodeStartup(streams, () -> found.set(prepareTopics()), access).begin();
  }

  /** Checks (and creates, when allowed) the topics, and returns them as found. */
  private SagaTopics prepareTopics() {
    Map<String, Object> adminConfig = new HashMap<>(ClientSecurity.of(settings));
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(adminConfig)) {
      int partitions = TopicPreparation.prepare(admin, topics, createTopics);
      // Misrouted input is detected against the partition count the topics really have.
      return new SagaTopics(topics.prefix(), partitions, topics.replicationFactor());
    }
  }

  private KafkaStreams streams(
      Supplier<SagaTopics> found,
      SchemaRegistry registry,
      SagaMetrics metrics,
      SagaTracing tracing,
      KafkaAccess access) {
    // Here rather than in a saga's first step of each kind, on the stream thread.
    ContractClasses.initialize();
    KafkaStreams streams =
        new KafkaStreams(
            SagaTopology.build(topics, found, registry, topologySettings, metrics, tracing),
            properties(metrics));
    // A failed stream thread is replaced; its tasks resume from their last committed state.
    RegistryOutage outage = new RegistryOutage(Clock.systemUTC());
    streams.setUncaughtExceptionHandler(exception -> replaceThread(exception, access, outage));
    return streams;
  }

  /**
   * A refused thread is replaced too, since an ACL granted later lets it through without a restart,
   * but only after a pause that grows while the refusals go on: the replacement would be refused at
   * once, and without a pause the node spins, creating clients and logging stack traces. A thread
   * failed by a registry that could not answer pauses alike, since its replacement meets the same
   * record first. The pause runs on the dying thread before Kafka Streams starts its replacement
   * and before the dying thread closes its clients, so its tasks move at most 5 s later than they
   * would have: a small price while Kafka or the registry fails every thread of the node alike.
   */
  private static StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse replaceThread(
      Throwable exception, KafkaAccess access, RegistryOutage outage) {
    if (Thread.currentThread() instanceof GlobalStreamThread) {
      // The definitions' reader cannot be replaced: asked to, Kafka Streams 4.3 failed with a
      // ClassCastException on the dying thread and left the client running without it, deaf to
      // deploys. Stopped, the client is in ERROR, the liveness says so, and the restarted node
      // waits, not ready, while the refusal lasts (TopicPreparation checks it may read the topic).
      LOG.error("The definitions' reader failed; Kafka Streams stops", exception);
      KafkaAccess.refusalIn(exception).ifPresent(access::record);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    Optional<Duration> pause =
        KafkaAccess.refusalIn(exception)
            .map(refusal -> KafkaAccess.pauseAfter(access.record(refusal)))
            .or(() -> RegistryOutage.in(exception).map(outage::pauseAfter));
    pause.ifPresent(
        duration -> {
          try {
            Thread.sleep(duration.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /**
   * Failures Kafka Streams reports to its handlers go to the dead-letter topic, counted in {@code
   * metrics} as the processor's own dead letters are.
   */
  public static Map<String, Object> exceptionHandling(SagaTopics topics, SagaMetrics metrics) {
    return Map.of(
        DeadLetters.METRICS_CONFIG,
        metrics,
        StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
        topics.deadLetters(),
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProcessingExceptionHandler.class.getName(),
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProductionExceptionHandler.class.getName());
  }

  /**
   * Stream threads when the settings do not say: two, or one where the JVM counts a single core (a
   * pod with a CPU limit of 1 or less). A second thread processes while the first waits for its
   * commit or for a core: on the benchmark's 2 cores, a median of a third more steps at peak in
   * quick runs, less in a full run (BENCHMARKS.md). More is a deployment's decision: each thread is
   * a consumer and a transactional producer of its own, and idles without a task.
   */
  public static int defaultStreamThreads(int availableProcessors) {
    return Math.min(2, Math.max(1, availableProcessors));
  }

  Properties properties() {
    return properties(SagaMetrics.NONE);
  }

  private Properties properties(SagaMetrics metrics) {
    Map<String, Object> config = new HashMap<>();
    config.put(
        StreamsConfig.NUM_STREAM_THREADS_CONFIG,
        defaultStreamThreads(Runtime.getRuntime().availableProcessors()));
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) topics.replicationFactor());
    config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
    config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    // Members learn of a rebalance at their next heartbeat: at the default 3 s, the survivors of a
    // failed node would take up to 3 s more to start taking its partitions over.
    config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 250);
    // A member rejoins a rebalance only when its stream thread next polls, after the records of
    // the last poll are processed: Kafka Streams' 1000 took the survivors of a kill -9 up to a
    // second under load. Fewer per poll costs little, since a poll that finds records is cheap.
    config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 200);
    // A standby taking over reads its changelog to the end before it runs; with the default 500 ms
    // a fetch that finds nothing new waits that long before the task may start.
    config.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50);
    // A consumer fetches a partition assigned to it in a rebalance only once the fetch already
    // waiting at that partition's broker returns, which with the default 500 ms is as late as that
    // when the partitions it waits on are quiet: the tasks taken over from a dead node sat idle for
    // it. Bounded to 100 ms; it costs an idle node ten fetches a second per broker.
    config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 100);
    // A transaction's first write to a partition is refused with CONCURRENT_TRANSACTIONS while the
    // markers of the one before are still being written (transaction version 2 checks on produce),
    // and the producer retries after 100 ms, doubling up to 1 s: a stream thread waiting on that in
    // a commit also rejoins a rebalance late, which after a takeover held partitions idle for
    // seconds. The markers take milliseconds; retry soon, and never wait long.
    config.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 20);
    config.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG), 200);
    // Keep active tasks where they are when a node dies, and give its tasks to the survivors in the
    // same rebalance. The default (high-availability) assignor also moved survivors' own active
    // tasks for balance, which takes a second rebalance and pauses their partitions too. Kafka
    // Streams' sticky one does not, but gives a node back without state active tasks to restore.
    config.put(StreamsConfig.TASK_ASSIGNOR_CLASS_CONFIG, CaughtUpTaskAssignor.class.getName());
    // Process what has arrived without waiting to learn whether the task's other input partitions
    // hold older records: no saga depends on the order across requests, replies and messages (the
    // inbox keeps a message that comes early, a late reply is recognised by its command id), and
    // the waiting cost throughput. Measured with the benchmark, one node, two pairs of runs: about
    // 40% more steps/s at peak and less stream-thread CPU per step (see BENCHMARKS.md).
    config.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    config.putAll(exceptionHandling(topics, metrics));
    config.putAll(BoundedStoreMemory.settings(BoundedStoreMemory.DEFAULT_BYTES));
    config.putAll(settings);
    BoundedStoreMemory.boundIn(config);
    Properties properties = new Properties();
    properties.putAll(config);
    return properties;
  }
}

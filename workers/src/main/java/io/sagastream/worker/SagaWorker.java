package io.sagastream.worker;

import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.AvroDeserializer;
import io.sagastream.registry.serde.AvroSerializer;
import io.sagastream.registry.serde.SerializerOptions;
import io.sagastream.registry.serde.SubjectNameStrategy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A saga participant's command loop: it reads the participant's command topics, hands each typed
 * command and its saga headers to a {@link CommandHandler}, and writes the handler's {@link Reply}
 * to the command's {@code reply-to} topic with the command's key, in the same Kafka transaction
 * that commits the command's offset.
 *
 * <pre>{@code
 * SagaWorker worker = SagaWorker.builder()
 *     .bootstrapServers("kafka:9092")
 *     .registry("http://registry:8080/apis/ccompat/v7")
 *     .group("inventory")
 *     .instanceId(System.getenv("HOSTNAME"))
 *     .handle("inventory.commands", ReserveStock.class, (command, context) -> ...)
 *     .build();
 * worker.start();
 * ...
 * worker.close();
 * }</pre>
 *
 * <p>One worker is one consumer and one thread. Run more workers with the same group (in this
 * process or others) to share the topics' partitions; give each its own instance id.
 */
public final class SagaWorker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SagaWorker.class);

  /**
   * Transactional ids of this JVM's workers whose threads are alive. Two producers with one id
   * fence each other on every batch, forever; within one JVM that is a wiring mistake, found here.
   */
  private static final Set<String> LIVE_TRANSACTIONAL_IDS = ConcurrentHashMap.newKeySet();

  private final WorkerSettings settings;
  private final SchemaRegistry registry;
  private final boolean ownsRegistry;
  private final CountingWorkerMetrics metrics;
  private final WorkerLoop loop;
  private final Thread thread;
  private boolean started;
  private boolean closed;

  private SagaWorker(
      WorkerSettings settings,
      SchemaRegistry registry,
      boolean ownsRegistry,
      Map<String, Subscription<?>> subscriptions,
      SerializerOptions replyOptions) {
    this.settings = settings;
    this.registry = registry;
    this.ownsRegistry = ownsRegistry;
    this.metrics = new CountingWorkerMetrics(subscriptions.keySet());
    CommandDispatcher dispatcher =
        new CommandDispatcher(
            Map.copyOf(subscriptions),
            new AvroSerializer<GenericContainer>(registry, replyOptions),
            metrics,
            settings.largestRequest());
    this.loop = new WorkerLoop(settings, List.copyOf(subscriptions.keySet()), dispatcher, metrics);
    this.thread = new Thread(this::serve, "saga-worker-" + settings.transactionalId());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the worker's thread, which joins the group and serves commands until closed. */
  public synchronized SagaWorker start() {
    if (closed || started) {
      throw new IllegalStateException("A saga worker starts once; build another to start again");
    }
    String transactionalId = settings.transactionalId();
    if (!LIVE_TRANSACTIONAL_IDS.add(transactionalId)) {
      throw new IllegalStateException(
          "Another saga worker in this JVM is running with transactional id "
              + transactionalId
              + " (group "
              + settings.group()
              + ", instance id "
              + settings.instanceId()
              + "); the two would fence each other. Give each worker its own instance id");
    }
    started = true;
    thread.start();
    LOG.info(
        "Saga worker {} started on {}", settings.transactionalId(), metrics.topics().toString());
    return this;
  }

  /** The id is released only once the thread is done: until then its producer may still send. */
  private void serve() {
    try {
      loop.run();
    } finally {
      LIVE_TRANSACTIONAL_IDS.remove(settings.transactionalId());
    }
  }

  /**
   * Starts the worker if it is not running, closes it when the JVM shuts down (SIGTERM, Ctrl-C),
   * and blocks until it has stopped: the whole {@code main} of a participant that does nothing
   * else.
   *
   * @throws IllegalStateException if the worker stopped by itself on an error it cannot retry (its
   *     {@link #failure()} is the cause), so that {@code main} ends with a failure and a restart
   *     policy that keys on one restarts the process
   */
  public void runUntilShutdown() throws InterruptedException {
    Thread hook = new Thread(this::close, "saga-worker-shutdown-" + settings.transactionalId());
    Runtime.getRuntime().addShutdownHook(hook);
    synchronized (this) {
      if (!started) {
        start();
      }
    }
    thread.join();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is what stopped the worker.
    }
    Throwable failure = loop.failure();
    if (failure != null) {
      throw new IllegalStateException(
          "Saga worker " + settings.transactionalId() + " stopped on an error: " + failure,
          failure);
    }
  }

  /** Whether the worker's thread is serving commands: false before start and after it stopped. */
  public boolean isRunning() {
    return thread.isAlive();
  }

  /** Why the worker stopped by itself (not by {@link #close}), if it did; for health checks. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(loop.failure());
  }

  /**
   * Kafka's refusal of the worker, while the worker keeps trying with growing pauses: an {@link
   * AuthenticationException} for its credentials (a wrong password, an untrusted certificate), an
   * {@link AuthorizationException} for an ACL it needs and does not hold. Empty once Kafka lets it
   * in. For health checks: a worker refused this way is running but serves nothing.
   */
  public Optional<ApiException> kafkaRefusal() {
    return Optional.ofNullable(loop.refusal());
  }

  public WorkerMetrics metrics() {
    return metrics;
  }

  /** {@link #close(Duration)} with the builder's close timeout (30 s by default). */
  @Override
  public void close() {
    close(settings.closeTimeout());
  }

  /**
   * Stops polling, lets the batch in hand finish and commit, closes the Kafka clients, and waits
   * for all of it at most {@code timeout}. A handler still busy then is left to finish on its
   * thread: its batch commits or, if the transaction times out first, is read again by whichever
   * worker gets the partition.
   */
  public void close(Duration timeout) {
    synchronized (this) {
      closed = true;
    }
    loop.stop(Instant.now().plus(timeout));
    try {
      thread.join(Math.max(1, timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn(
          "Saga worker {} did not stop within {}; its handler is still busy",
          settings.transactionalId(),
          timeout);
    } else if (ownsRegistry) {
      registry.close();
    }
  }

  /** Configures a {@link SagaWorker}; {@link #build} checks that nothing required is missing. */
  public static final class Builder {

    private String bootstrapServers;
    private SchemaRegistry registry;
    private boolean ownsRegistry;
    private String group;
    private String instanceId;
    private final Map<String, Object> kafkaProperties = new HashMap<>();
    private final Map<String, Object> consumerProperties = new HashMap<>();
    private final Map<String, Object> producerProperties = new HashMap<>();
    private final Map<String, Function<SchemaRegistry, Subscription<?>>> handlers =
        new LinkedHashMap<>();
    private SerializerOptions replyOptions =
        SerializerOptions.defaults().withStrategy(SubjectNameStrategy.TOPIC_RECORD);
    private Duration pollTimeout = Duration.ofMillis(500);
    private Duration closeTimeout = Duration.ofSeconds(30);

    private Builder() {}

    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    /** A registry client the caller shares and closes. */
    public Builder registry(SchemaRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      this.ownsRegistry = false;
      return this;
    }

    /** The Confluent-compatible API's URL; the worker makes its own client and closes it. */
    public Builder registry(String url) {
      return registry(RegistryClientConfig.of(url));
    }

    /** A registry client with auth, timeouts and retries; the worker closes it. */
    public Builder registry(RegistryClientConfig config) {
      this.registry = new RestSchemaRegistry(config);
      this.ownsRegistry = true;
      return this;
    }

    /**
     * The consumer group: workers of one participant share it, and so share the partitions. It
     * prefixes the transactional id too.
     */
    public Builder group(String group) {
      this.group = group;
      return this;
    }

    /**
     * This worker's name within its group, stable across restarts: a pod name, say. The
     * transactional id is {@code <group>-<instance id>}, so that a restarted instance settles the
     * transaction its predecessor left open at once, rather than after {@code
     * transaction.timeout.ms} during which readers of the reply partitions wait. Two live workers
     * must never share one; {@link SagaWorker#start} refuses a second one within one JVM. Default:
     * a random id, safe but without that benefit.
     */
    public Builder instanceId(String instanceId) {
      this.instanceId = instanceId;
      return this;
    }

    /**
     * Kafka client properties for both the consumer and the producer (security, timeouts). The
     * worker overrides those exactly-once depends on: {@code enable.auto.commit=false}, {@code
     * isolation.level=read_committed}, {@code transactional.id}, {@code acks=all}, idempotence,
     * group and serializers. Default {@code auto.offset.reset=earliest}, so commands sent before a
     * group's first start are served.
     */
    public Builder kafkaProperties(Map<String, ?> properties) {
      kafkaProperties.putAll(properties);
      return this;
    }

    /**
     * Kafka client properties from the environment variables {@code SAGASTREAM_KAFKA_<NAME>} and
     * {@code SAGASTREAM_KAFKA_<NAME>_FILE} (see {@link KafkaEnvironment}), for both clients, as
     * {@link #kafkaProperties} adds them: security settings a deployment gives without code.
     */
    public Builder kafkaPropertiesFromEnvironment() {
      return kafkaProperties(KafkaEnvironment.properties(System.getenv()));
    }

    /** Properties for the consumer only ({@code max.poll.records}, say); over the shared ones. */
    public Builder consumerProperties(Map<String, ?> properties) {
      consumerProperties.putAll(properties);
      return this;
    }

    /** Properties for the producer only ({@code transaction.timeout.ms}, say). */
    public Builder producerProperties(Map<String, ?> properties) {
      producerProperties.putAll(properties);
      return this;
    }

    /** Commands on {@code topic} are read into the generated class {@code type}. */
    public <C extends SpecificRecord> Builder handle(
        String topic, Class<C> type, CommandHandler<? super C> handler) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(handler, "handler");
      return add(
          topic,
          registry -> new Subscription<>(AvroDeserializer.specific(registry, type), handler));
    }

    /** Commands on {@code topic} are read as generic records, shaped as their writer wrote them. */
    public Builder handleGeneric(String topic, CommandHandler<? super GenericRecord> handler) {
      Objects.requireNonNull(handler, "handler");
      return add(
          topic,
          registry ->
              new Subscription<>(AvroDeserializer.<GenericRecord>generic(registry), handler));
    }

    /** Commands on {@code topic} are read as generic records shaped as {@code readerSchema}. */
    public Builder handleGeneric(
        String topic, Schema readerSchema, CommandHandler<? super GenericRecord> handler) {
      Objects.requireNonNull(readerSchema, "readerSchema");
      Objects.requireNonNull(handler, "handler");
      return add(
          topic,
          registry ->
              new Subscription<>(
                  AvroDeserializer.<GenericRecord>generic(registry, readerSchema), handler));
    }

    /**
     * How reply records are registered and framed. Default: auto-registered under the topic-record
     * subject {@code <reply topic>-<record full name>}, because the replies topic is shared by
     * every participant, each with record types of its own.
     */
    public Builder replySerializerOptions(SerializerOptions options) {
      this.replyOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /** How long one poll waits for commands (500 ms by default). */
    public Builder pollTimeout(Duration pollTimeout) {
      this.pollTimeout = Objects.requireNonNull(pollTimeout, "pollTimeout");
      return this;
    }

    /** How long {@link SagaWorker#close()} waits for the batch in hand and the clients. */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
      return this;
    }

    public SagaWorker build() {
      String servers =
          bootstrapServers != null
              ? bootstrapServers
              : (String) kafkaProperties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
      require(servers, "bootstrapServers");
      require(group, "group");
      if (registry == null) {
        throw new IllegalStateException("A saga worker needs a registry");
      }
      if (handlers.isEmpty()) {
        throw new IllegalStateException("A saga worker needs at least one handler");
      }
      Map<String, Object> consumer = new HashMap<>(kafkaProperties);
      consumer.putAll(consumerProperties);
      Map<String, Object> producer = new HashMap<>(kafkaProperties);
      producer.putAll(producerProperties);
      WorkerSettings settings =
          new WorkerSettings(
              servers,
              group,
              instanceId != null ? instanceId : UUID.randomUUID().toString(),
              consumer,
              producer,
              pollTimeout,
              closeTimeout);
      Map<String, Subscription<?>> subscriptions = new LinkedHashMap<>();
      handlers.forEach(
          (topic, subscription) -> subscriptions.put(topic, subscription.apply(registry)));
      return new SagaWorker(settings, registry, ownsRegistry, subscriptions, replyOptions);
    }

    private Builder add(String topic, Function<SchemaRegistry, Subscription<?>> subscription) {
      if (topic == null || topic.isBlank()) {
        throw new IllegalArgumentException("A handler needs a topic");
      }
      if (handlers.putIfAbsent(topic, subscription) != null) {
        throw new IllegalArgumentException("Topic " + topic + " has a handler already");
      }
      return this;
    }

    private static void require(String value, String name) {
      if (value == null || value.isBlank()) {
        throw new IllegalStateException("A saga worker needs " + name);
      }
    }
  }
}

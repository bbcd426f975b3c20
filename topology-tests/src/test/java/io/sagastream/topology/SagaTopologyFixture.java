package io.sagastream.topology;

import io.sagastream.contracts.SagaHeaders;
import io.sagastream.contracts.v1.CancelSaga;
import io.sagastream.contracts.v1.DeadLetterReason;
import io.sagastream.contracts.v1.DeployedDefinition;
import io.sagastream.contracts.v1.IncidentResolution;
import io.sagastream.contracts.v1.ResolveIncident;
import io.sagastream.contracts.v1.SagaEvent;
import io.sagastream.contracts.v1.SagaRequest;
import io.sagastream.contracts.v1.StartSaga;
import io.sagastream.definition.CommandSpec;
import io.sagastream.definition.DefinitionDeployer;
import io.sagastream.definition.DefinitionSpec;
import io.sagastream.definition.SchemaSource;
import io.sagastream.engine.RetryPolicy;
import io.sagastream.registry.serde.AvroDeserializer;
import io.sagastream.registry.serde.AvroSerializer;
import io.sagastream.registry.serde.SerializerOptions;
import io.sagastream.registry.serde.SubjectNameStrategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The real topology under TopologyTestDriver, with the demo's order-fulfilment saga: reserve
 * inventory, charge payment, schedule shipment, each with a compensation. Time moves only when a
 * test moves it.
 */
final class SagaTopologyFixture implements AutoCloseable {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final String SAGA = "order-fulfilment";
  static final List<String> STEP_TOPICS =
      List.of("inventory.commands", "payment.commands", "shipping.commands");

  static final Schema DATA =
      schema(
          """
          {"type": "record", "name": "OrderData", "namespace": "shop",
           "fields": [{"name": "orderId", "type": "string"}, {"name": "amount", "type": "long"},
                      {"name": "reservationId", "type": ["null", "string"], "default": null}]}""");
  static final Schema RESERVE = command("ReserveInventory", "inventory");
  static final Schema RELEASE = command("ReleaseInventory", "inventory");
  static final Schema CHARGE = command("ChargePayment", "payment");
  static final Schema REFUND = command("RefundPayment", "payment");
  static final Schema SHIP = command("ScheduleShipment", "shipping");
  static final Schema CANCEL_SHIPMENT = command("CancelShipment", "shipping");
  static final Schema RESERVED =
      schema(
          """
          {"type": "record", "name": "InventoryReserved", "namespace": "inventory",
           "fields": [{"name": "reservationId", "type": "string"}]}""");

  /** What the stores' shared cache is bounded to, below the node's default to tell them apart. */
  static final long STORE_MEMORY = 32L * 1024 * 1024;

  final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  final SagaTopics topics;

  /** Dead letters counted by reason, the exception handlers' included. */
  final java.util.Map<DeadLetterReason, Integer> deadLettered =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final SagaMetrics counting = counting();

  /** How often the topology forwarded input that came on the wrong partition. */
  final java.util.concurrent.atomic.AtomicInteger rerouted =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Each reply's step, kind, outcome and round trip in milliseconds, as the metrics saw them. */
  final List<String> stepReplies = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The census of the latest recovery scan. */
  final java.util.concurrent.atomic.AtomicInteger endedRemoved =
      new java.util.concurrent.atomic.AtomicInteger();

  final java.util.concurrent.atomic.AtomicReference<TaskCensus> lastCensus =
      new java.util.concurrent.atomic.AtomicReference<>();

  private final Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> requests;
  private TestInputTopic<byte[], byte[]> replies;
  private TestInputTopic<byte[], byte[]> messages;
  private TestInputTopic<String, byte[]> definitions;
  private TestOutputTopic<byte[], byte[]> events;
  private TestOutputTopic<byte[], byte[]> deadLetters;
  private final List<SagaEvent> eventLog = new ArrayList<>();
  private int requestNumber;
  private java.util.Map<String, Object> settings = java.util.Map.of();

  SagaTopologyFixture(Path stateDir) {
    this(stateDir, 1);
  }

  /**
   * A fixture whose topics have {@code partitions} partitions (the driver reads them all as one).
   */
  SagaTopologyFixture(Path stateDir, int partitions) {
    this(stateDir, partitions, java.util.Map.of());
  }

  /** A fixture with Kafka Streams settings of its own ({@code producer.max.request.size}...). */
  SagaTopologyFixture(Path stateDir, int partitions, java.util.Map<String, Object> settings) {
    this.stateDir = stateDir;
    this.topics = new SagaTopics("", partitions, (short) 1);
    this.settings = java.util.Map.copyOf(settings);
    open();
  }

  /** Opens a driver on the state directory, as a restarted node would. */
  void open() {
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "sagastream-topology-test");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    config.putAll(OrchestratorNode.exceptionHandling(topics, counting));
    config.putAll(BoundedStoreMemory.settings(STORE_MEMORY));
    config.putAll(settings);
    driver =
        new TopologyTestDriver(
            SagaTopology.build(topics, registry, TopologySettings.defaults(), counting),
            config,
            T0);
    var bytes = new ByteArraySerializer();
    requests = driver.createInputTopic(topics.requests(), bytes, bytes);
    replies = driver.createInputTopic(topics.replies(), bytes, bytes);
    messages = driver.createInputTopic(topics.messages(), bytes, bytes);
    definitions = driver.createInputTopic(topics.definitions(), new StringSerializer(), bytes);
    var read = new ByteArrayDeserializer();
    events = driver.createOutputTopic(topics.events(), read, read);
    deadLetters = driver.createOutputTopic(topics.deadLetters(), read, read);
  }

  /**
   * Closes the driver but keeps the state directory, which TopologyTestDriver deletes on close, as
   * a node's persistent volume would keep it.
   */
  void restart() {
    Path saved = stateDir.resolveSibling(stateDir.getFileName() + "-saved");
    // Closing the stores flushes them to disk, as a node's clean shutdown does.
    for (String store :
        List.of(
            TopologyNames.INSTANCE_STORE,
            TopologyNames.TIMER_STORE,
            TopologyNames.INBOX_STORE,
            TopologyNames.DEFINITION_STORE)) {
      driver.getKeyValueStore(store).close();
    }
    copy(stateDir, saved);
    try {
      driver.close();
    } catch (InvalidStateStoreException expected) {
      // The driver cannot commit stores that are already closed; their state is saved above.
    }
    copy(saved, stateDir);
    open();
  }

  static SagaTopologyFixture withOrderFulfilment(
      Path stateDir, RetryPolicy retry, Duration deadline) {
    return withOrderFulfilment(stateDir, retry, deadline, java.util.Map.of());
  }

  static SagaTopologyFixture withOrderFulfilment(
      Path stateDir, RetryPolicy retry, Duration deadline, java.util.Map<String, Object> settings) {
    SagaTopologyFixture fixture = new SagaTopologyFixture(stateDir, 1, settings);
    fixture.deploy(orderFulfilment(retry, retry, deadline), 1);
    return fixture;
  }

  static DefinitionSpec orderFulfilment(
      RetryPolicy retry, RetryPolicy compensationRetry, Duration deadline) {
    return DefinitionSpec.builder(SAGA)
        .data(new SchemaSource.Inline(DATA))
        .deadline(deadline)
        .step(
            "reserve-inventory",
            spec("inventory.commands", RESERVE, RESERVED),
            spec("inventory.commands", RELEASE, null),
            Duration.ofSeconds(30),
            retry,
            compensationRetry)
        .step(
            "charge-payment",
            spec("payment.commands", CHARGE, null),
            spec("payment.commands", REFUND, null),
            Duration.ofSeconds(30),
            retry,
            compensationRetry)
        .step(
            "schedule-shipment",
            spec("shipping.commands", SHIP, null),
            spec("shipping.commands", CANCEL_SHIPMENT, null),
            Duration.ofSeconds(30),
            retry,
            compensationRetry)
        .build();
  }

  void deploy(DefinitionSpec spec, int version) {
    deployAroundTheApi(spec, version, deployed -> {});
  }

  /**
   * Writes the definition to the definitions topic after {@code change}, as a tool that writes the
   * topic itself would, past the deploy API's checks.
   */
  void deployAroundTheApi(
      DefinitionSpec spec, int version, java.util.function.Consumer<DeployedDefinition> change) {
    DeployedDefinition deployed =
        new DefinitionDeployer(registry).prepare(spec, version, "{}", "tester", T0);
    change.accept(deployed);
    byte[] value =
        new AvroSerializer<DeployedDefinition>(registry, SerializerOptions.defaults())
            .serialize(topics.definitions(), deployed);
    definitions.pipeInput(DefinitionKeys.key(spec.name(), version), value);
  }

  GenericRecord order(String orderId, long amount) {
    GenericRecord order = new GenericData.Record(DATA);
    order.put("orderId", orderId);
    order.put("amount", amount);
    return order;
  }

  /**
   * Publishes a business message on {@code key}, with the given headers (name, id, sequence, ttl).
   */
  void message(String key, GenericRecord value, java.util.Map<String, String> headers) {
    RecordHeaders recordHeaders = new RecordHeaders();
    headers.forEach((name, text) -> recordHeaders.add(name, text.getBytes(StandardCharsets.UTF_8)));
    byte[] bytes =
        new AvroSerializer<GenericRecord>(
                registry,
                SerializerOptions.defaults().withStrategy(SubjectNameStrategy.TOPIC_RECORD))
            .serialize(topics.messages(), value);
    messages.pipeInput(
        new TestRecord<>(key.getBytes(StandardCharsets.UTF_8), bytes, recordHeaders));
  }

  void start(String key, GenericRecord data) {
    start(key, SAGA, data);
  }

  void start(String key, String definition, GenericRecord data) {
    start(key, definition, null, data);
  }

  /** A start that names the definition version its data was checked against (null: none). */
  void start(String key, String definition, Integer version, GenericRecord data) {
    byte[] framed =
        new AvroSerializer<GenericRecord>(registry, SerializerOptions.defaults())
            .serialize("data", data);
    request(
        key,
        StartSaga.newBuilder()
            .setDefinitionName(definition)
            .setDefinitionVersion(version)
            .setData(ByteBuffer.wrap(framed))
            .build());
  }

  void cancel(String key) {
    request(key, CancelSaga.newBuilder().setDefinitionName(SAGA).setReason("test").build());
  }

  void resolve(String key, IncidentResolution resolution) {
    request(
        key,
        ResolveIncident.newBuilder().setDefinitionName(SAGA).setResolution(resolution).build());
  }

  private void request(String key, Object body) {
    SagaRequest request =
        SagaRequest.newBuilder()
            .setRequestId("r-" + (++requestNumber))
            .setSagaKey(key)
            .setRequestedBy("tester")
            .setRequestedAt(T0)
            .setRequest(body)
            .build();
    byte[] value =
        new AvroSerializer<SagaRequest>(registry, SerializerOptions.defaults())
            .serialize(topics.requests(), request);
    requests.pipeInput(key.getBytes(StandardCharsets.UTF_8), value);
  }

  void pipeRaw(String topic, byte[] key, byte[] value, RecordHeaders headers) {
    TestInputTopic<byte[], byte[]> input = topic.equals(topics.requests()) ? requests : replies;
    input.pipeInput(new TestRecord<>(key, value, headers));
  }

  /** Commands sent so far to every participant topic, in order per topic. */
  List<TestRecord<byte[], byte[]>> commands(String topic) {
    return driver
        .createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
        .readRecordsToList();
  }

  /** Every command sent since the last call, across participant topics, as "step kind attempt". */
  List<String> sentCommands() {
    List<TestRecord<byte[], byte[]>> all = new ArrayList<>();
    STEP_TOPICS.forEach(t -> all.addAll(commands(t)));
    all.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
    return all.stream().map(SagaTopologyFixture::describe).toList();
  }

  /** Replies to {@code command} as its participant would, with an optional reply record. */
  void reply(TestRecord<byte[], byte[]> command, String outcome, GenericRecord body) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(SagaHeaders.SAGA_ID, command.headers().lastHeader(SagaHeaders.SAGA_ID).value());
    headers.add(
        SagaHeaders.COMMAND_ID, command.headers().lastHeader(SagaHeaders.COMMAND_ID).value());
    headers.add(SagaHeaders.OUTCOME, outcome.getBytes(StandardCharsets.UTF_8));
    if (!outcome.equals(SagaHeaders.OUTCOME_SUCCESS)) {
      headers.add(SagaHeaders.ERROR_CODE, "E-TEST".getBytes(StandardCharsets.UTF_8));
    }
    byte[] value =
        body == null
            ? null
            : new AvroSerializer<GenericRecord>(
                    registry,
                    SerializerOptions.defaults().withStrategy(SubjectNameStrategy.TOPIC_RECORD))
                .serialize(topics.replies(), body);
    replies.pipeInput(new TestRecord<>(command.key(), value, headers));
  }

  /** Journal events published so far, by type. */
  List<String> eventTypes() {
    return events().stream().map(e -> e.getEvent().getClass().getSimpleName()).toList();
  }

  List<SagaEvent> events() {
    var deserializer = AvroDeserializer.specific(registry, SagaEvent.class);
    events
        .readRecordsToList()
        .forEach(r -> eventLog.add(deserializer.deserialize(topics.events(), r.value())));
    return eventLog;
  }

  List<TestRecord<byte[], byte[]>> deadLetters() {
    return deadLetters.readRecordsToList();
  }

  long count(String store) {
    return StoreCounts.count(driver.<Object, Object>getKeyValueStore(store).all());
  }

  /** The timers in the timer store, not counting the scans' stops. */
  long pendingTimers() {
    return StoreCounts.count(
        driver
            .<org.apache.kafka.common.utils.Bytes, byte[]>getKeyValueStore(
                TopologyNames.TIMER_STORE)
            .all(),
        key -> !TimerSchedule.isStop(key));
  }

  /** Deletes every pending timer from the timer store, as if it had been lost. */
  void loseTimers() {
    var store =
        driver.<org.apache.kafka.common.utils.Bytes, byte[]>getKeyValueStore(
            TopologyNames.TIMER_STORE);
    List<org.apache.kafka.common.utils.Bytes> keys = new ArrayList<>();
    try (var all = store.all()) {
      all.forEachRemaining(entry -> keys.add(entry.key));
    }
    keys.forEach(store::delete);
  }

  /** Writes {@code value} straight into the instance store, as corruption would. */
  void overwriteInstance(String key, byte[] value) {
    driver
        .<String, byte[]>getKeyValueStore(TopologyNames.INSTANCE_STORE)
        .put(InstanceKeys.key(key, SAGA), value);
  }

  private SagaMetrics counting() {
    return new SagaMetrics() {
      @Override
      public void deadLettered(DeadLetterReason reason) {
        deadLettered.merge(reason, 1, Integer::sum);
      }

      @Override
      public void rerouted() {
        rerouted.incrementAndGet();
      }

      @Override
      public void stepReplied(
          String definition, String step, String kind, String outcome, Duration roundTrip) {
        stepReplies.add(step + " " + kind + " " + outcome + " " + roundTrip.toMillis());
      }

      @Override
      public void endedRemoved(int count) {
        endedRemoved.addAndGet(count);
      }

      @Override
      public void recoveryScanned(String task, Duration took, int redriven, TaskCensus census) {
        lastCensus.set(census);
      }
    };
  }

  /** The driver's metrics, Kafka Streams' own included. */
  java.util.Map<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric>
      metrics() {
    return driver.metrics();
  }

  void advance(Duration duration) {
    driver.advanceWallClockTime(duration);
  }

  static String header(TestRecord<byte[], byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  static String describe(TestRecord<byte[], byte[]> command) {
    return header(command, SagaHeaders.SAGA_STEP)
        + " "
        + header(command, SagaHeaders.SAGA_KIND)
        + " "
        + header(command, SagaHeaders.ATTEMPT);
  }

  @Override
  public void close() {
    driver.close();
  }

  private static CommandSpec spec(String topic, Schema schema, Schema reply) {
    return new CommandSpec(
        topic,
        new SchemaSource.Inline(schema),
        Optional.ofNullable(reply).map(SchemaSource.Inline::new));
  }

  private static Schema command(String name, String namespace) {
    return schema(
        """
        {"type": "record", "name": "%s", "namespace": "%s",
         "fields": [{"name": "orderId", "type": "string"}]}"""
            .formatted(name, namespace));
  }

  private static Schema schema(String text) {
    return new Schema.Parser().parse(text);
  }

  private static void copy(Path from, Path to) {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else if (!path.getFileName().toString().equals("LOCK")) {
          Files.copy(path, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.sagastream.bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The physical limit of one saga step on this machine: a bare Kafka Streams application with the
 * orchestrator's processing settings (exactly_once_v2, the same commit interval and partition
 * count; one stream thread unless told otherwise) that, for each reply, writes one state-store
 * entry (changelogged) and sends one command; and echo participants (a transactional
 * consume-produce loop each, as the worker SDK runs) that turn each command into a reply. {@code
 * keys} ping-pongs are in flight at once.
 */
final class PingPongHarness implements AutoCloseable {

  /** As many command topics as the demo saga has participants, each with an echo loop. */
  static final int PARTICIPANTS = 3;

  /**
   * Commands an echo participant answers in one transaction at most. At the consumer's default of
   * 500 each participant's transaction rate capped the harness (65,000 round trips/s with the
   * machine 68% busy, against 122,000 and 90% busy with this), so the limit it printed was its own.
   */
  private static final int ECHO_BATCH = 5000;

  private static final String STORE = "harness-state-";
  private static final String COMMANDS_SINK = "commands";
  private static final String EVENTS_SINK = "events";

  private final String bootstrap;
  private final String prefix;
  private final int partitions;
  private final HarnessWrites writes;
  private final int streamThreads;
  private final AtomicLong roundTrips = new AtomicLong();
  private final Samples latencies = new Samples();
  private volatile boolean recording;
  private final List<EchoLoop> echoes = new ArrayList<>();
  private final java.util.concurrent.atomic.AtomicReference<RuntimeException> echoFailure =
      new java.util.concurrent.atomic.AtomicReference<>();
  private KafkaStreams streams;

  PingPongHarness(
      String bootstrap, String prefix, int partitions, HarnessWrites writes, int streamThreads) {
    this.bootstrap = bootstrap;
    this.prefix = prefix;
    this.partitions = partitions;
    this.writes = writes;
    this.streamThreads = streamThreads;
  }

  /** The figures of one window. */
  record Result(
      int keys,
      double roundTripsPerSecond,
      long p50Millis,
      long p99Millis,
      double streamCpuMicrosPerRoundTrip,
      double processCpuMicrosPerRoundTrip,
      MachineTime.Share machine) {}

  Result run(int keys, Path stateDir, Duration warmUp, Duration window, long commitIntervalMs)
      throws InterruptedException {
    String replies = prefix + "replies";
    List<String> commands = new ArrayList<>();
    for (int i = 0; i < PARTICIPANTS; i++) {
      commands.add(prefix + "commands-" + i);
    }
    List<String> topics = new ArrayList<>(commands);
    topics.add(replies);
    topics.add(events());
    createTopics(topics);
    for (int i = 0; i < PARTICIPANTS; i++) {
      EchoLoop echo = new EchoLoop(commands.get(i), replies, i);
      echoes.add(echo);
      echo.thread.start();
    }
    streams = new KafkaStreams(topology(replies, commands), properties(stateDir, commitIntervalMs));
    streams.start();
    seed(replies, keys);
    Thread.sleep(warmUp.toMillis());
    long before;
    WindowCost.Start start = WindowCost.start(prefix);
    synchronized (latencies) {
      recording = true;
      before = roundTrips.get();
    }
    long begun = System.nanoTime();
    Thread.sleep(window.toMillis());
    long after;
    synchronized (latencies) {
      recording = false;
      after = roundTrips.get();
    }
    double seconds = (System.nanoTime() - begun) / 1e9;
    WindowCost cost = start.end();
    // A harness that lost a participant, or ran nothing, would flatter the ratio or divide by zero.
    if (echoFailure.get() != null) {
      throw new IllegalStateException(
          "an echo participant of the harness failed", echoFailure.get());
    }
    if (after == before) {
      throw new IllegalStateException(
          "the harness made no round trip in its window (Kafka Streams " + streams.state() + ")");
    }
    synchronized (latencies) {
      return new Result(
          keys,
          (after - before) / seconds,
          latencies.percentile(0.5).orElse(-1),
          latencies.percentile(0.99).orElse(-1),
          cost.streamMicrosPer(after - before),
          cost.processMicrosPer(after - before),
          cost.machine());
    }
  }

  private String events() {
    return prefix + "events";
  }

  private Topology topology(String replies, List<String> commands) {
    Topology topology = new Topology();
    topology.addSource(
        "replies", Serdes.Bytes().deserializer(), Serdes.ByteArray().deserializer(), replies);
    topology.addProcessor("step", () -> new Step(), "replies");
    for (int i = 0; i < writes.stores(); i++) {
      topology.addStateStore(
          Stores.keyValueStoreBuilder(
              Stores.persistentKeyValueStore(STORE + i), Serdes.Bytes(), Serdes.ByteArray()),
          "step");
    }
    topology.addSink(
        COMMANDS_SINK,
        (key, value, context) ->
            commands.get(Math.floorMod(Arrays.hashCode(((Bytes) key).get()), commands.size())),
        Serdes.Bytes().serializer(),
        Serdes.ByteArray().serializer(),
        "step");
    topology.addSink(
        EVENTS_SINK,
        events(),
        Serdes.Bytes().serializer(),
        Serdes.ByteArray().serializer(),
        "step");
    return topology;
  }

  /** One step: the reply in, the state-store writes, the events, the next command out. */
  private final class Step implements Processor<Bytes, byte[], Bytes, byte[]> {
    private ProcessorContext<Bytes, byte[]> context;
    private final List<KeyValueStore<Bytes, byte[]>> stores = new ArrayList<>();

    @Override
    public void init(ProcessorContext<Bytes, byte[]> context) {
      this.context = context;
      for (int i = 0; i < writes.stores(); i++) {
        stores.add(context.getStateStore(STORE + i));
      }
    }

    @Override
    public void process(Record<Bytes, byte[]> reply) {
      long now = System.nanoTime();
      long sent = ByteBuffer.wrap(reply.value()).getLong();
      if (sent != 0) {
        roundTrips.incrementAndGet();
        if (recording) {
          synchronized (latencies) {
            if (recording) {
              latencies.add((now - sent) / 1_000_000);
            }
          }
        }
      }
      byte[] command = reply.value().clone();
      ByteBuffer.wrap(command).putLong(now);
      for (KeyValueStore<Bytes, byte[]> store : stores) {
        store.put(reply.key(), command);
      }
      Record<Bytes, byte[]> next = reply.withValue(command);
      for (int i = 0; i < writes.events(); i++) {
        context.forward(next, EVENTS_SINK);
      }
      context.forward(next, COMMANDS_SINK);
    }
  }

  private Properties properties(Path stateDir, long commitIntervalMs) {
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, WindowCost.app(prefix));
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
    config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    // One by default, whatever the nodes run: two gave no more on 2 cores (40,468 round trips/s
    // against 41,330 with one, back to back; at the harness's limit 90,998 against 93,106), and
    // the limit should not move with a node setting.
    config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
    return config;
  }

  private void createTopics(List<String> names) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(
              names.stream().map(name -> new NewTopic(name, partitions, (short) 1)).toList())
          .all()
          .get();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot create the harness topics", e);
    }
  }

  /**
   * The first reply of every key: a value of 64 bytes whose first 8 are the send time (0: none).
   */
  private void seed(String replies, int keys) {
    // One request in flight: the topics are new, and a batch refused because a partition's leader
    // was not ready yet, retried behind later batches that had been accepted, left the idempotent
    // producer retrying an out-of-order sequence forever (seen once, with the broker busy).
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                1),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < keys; i++) {
        producer.send(new ProducerRecord<>(replies, ("key-" + i).getBytes(), new byte[64]));
      }
      producer.flush();
    }
  }

  /** A participant that answers every command at once, in a transaction per polled batch. */
  private final class EchoLoop {
    private final String commands;
    private final String replies;
    private final int number;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    EchoLoop(String commands, String replies, int number) {
      this.commands = commands;
      this.replies = replies;
      this.number = number;
      this.thread = new Thread(this::run, prefix + "echo-" + number);
      this.thread.setDaemon(true);
    }

    private void run() {
      Map<String, Object> consumerConfig = new HashMap<>();
      consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, prefix + "echo-" + number);
      consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, ECHO_BATCH);
      Map<String, Object> producerConfig = new HashMap<>();
      producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + "echo-" + number);
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
        consumer =
            new KafkaConsumer<>(
                consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        producer.initTransactions();
        consumer.subscribe(List.of(commands));
        while (running) {
          ConsumerRecords<byte[], byte[]> records;
          try {
            records = consumer.poll(Duration.ofMillis(100));
          } catch (WakeupException stopping) {
            break;
          }
          if (records.isEmpty()) {
            continue;
          }
          producer.beginTransaction();
          Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
          for (ConsumerRecord<byte[], byte[]> record : records) {
            producer.send(new ProducerRecord<>(replies, record.key(), record.value()));
            offsets.put(
                new TopicPartition(record.topic(), record.partition()),
                new OffsetAndMetadata(record.offset() + 1));
          }
          producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
          producer.commitTransaction();
        }
      } catch (RuntimeException e) {
        if (running) {
          org.slf4j.LoggerFactory.getLogger(PingPongHarness.class).error("Echo loop failed", e);
          echoFailure.compareAndSet(null, e);
        }
      } finally {
        KafkaConsumer<byte[], byte[]> polling = consumer;
        if (polling != null) {
          polling.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
      }
    }

    void stop() {
      running = false;
      KafkaConsumer<byte[], byte[]> polling = consumer;
      if (polling != null) {
        polling.wakeup();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (streams != null) {
      streams.close(Duration.ofSeconds(15));
    }
    echoes.forEach(EchoLoop::stop);
    for (EchoLoop echo : echoes) {
      echo.thread.join(10_000);
    }
  }
}

package io.sagastream.bench;

import io.sagastream.contracts.MessageHeaders;
import io.sagastream.contracts.v1.SagaRequest;
import io.sagastream.contracts.v1.StartSaga;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.AvroSerializer;
import io.sagastream.registry.serde.SerializerOptions;
import io.sagastream.registry.serde.SubjectNameStrategy;
import io.sagastream.samples.OrderFulfilment;
import io.sagastream.samples.orders.OrderFulfilmentData;
import io.sagastream.samples.payment.PaymentConfirmed;
import io.sagastream.topology.SagaTopics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Starts sagas by writing start requests to the requests topic, as any client may (the HTTP API
 * writes the same records), and publishes each order's payment confirmation to the messages topic
 * right after: at a given rate, or as fast as the bound on open sagas lets it. Writing to Kafka
 * directly keeps the HTTP server's work out of the figures: the benchmark measures the saga engine.
 */
final class SagaLoad implements AutoCloseable {

  /** The generator thread's name, and its producer's client id. */
  static final String THREAD = "bench-load";

  private static final long TICK_MILLIS = 10;

  private final KafkaProducer<String, byte[]> producer;
  private final AvroSerializer<SagaRequest> requests;
  private final AvroSerializer<OrderFulfilmentData> data;
  private final AvroSerializer<PaymentConfirmed> messages;
  private final SagaTopics topics;
  private final String definition;
  private final boolean confirm;
  private final IntSupplier ended;
  private final Map<String, Long> requestedAt = new ConcurrentHashMap<>();
  private final AtomicLong started = new AtomicLong();
  private final Thread thread;
  private volatile int maxOpen;
  private volatile double rate;
  private volatile long limit = Long.MAX_VALUE;
  private volatile boolean running = true;

  /**
   * @param definition the definition to start
   * @param confirm whether to publish each order's PaymentConfirmed
   * @param ended how many sagas have ended (from the journal)
   */
  SagaLoad(
      String bootstrap,
      SchemaRegistry registry,
      SagaTopics topics,
      String definition,
      boolean confirm,
      IntSupplier ended) {
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.CLIENT_ID_CONFIG,
                THREAD),
            new StringSerializer(),
            new ByteArraySerializer());
    this.requests = new AvroSerializer<>(registry, SerializerOptions.defaults());
    SerializerOptions byRecord =
        SerializerOptions.defaults().withStrategy(SubjectNameStrategy.RECORD);
    this.data = new AvroSerializer<>(registry, byRecord);
    this.messages = new AvroSerializer<>(registry, byRecord);
    this.topics = topics;
    this.definition = definition;
    this.confirm = confirm;
    this.ended = ended;
    this.thread = new Thread(this::run, THREAD);
    this.thread.setDaemon(true);
  }

  /** Starts sagas: at most {@code maxOpen} open at once, at {@code rate} per second (0: any). */
  SagaLoad start(int maxOpen, double rate) {
    this.maxOpen = maxOpen;
    this.rate = rate;
    thread.start();
    return this;
  }

  /** Changes the bound on sagas open at once. */
  void bound(int maxOpen) {
    this.maxOpen = maxOpen;
  }

  /** Changes the rate (0: as fast as the bound allows). */
  void rate(double perSecond) {
    this.rate = perSecond;
  }

  /** Stops after {@code count} sagas in all. */
  void limit(long count) {
    this.limit = count;
  }

  long started() {
    return started.get();
  }

  /** When the start of the saga on {@code key} was requested (epoch millis), or -1. */
  long requestedAt(String key) {
    Long at = requestedAt.get(key);
    return at == null ? -1 : at;
  }

  private void run() {
    long begun = System.nanoTime();
    double paced = 0;
    long pacedFrom = 0;
    try {
      while (running && started.get() < limit) {
        double perSecond = rate;
        if (perSecond != paced) {
          paced = perSecond;
          begun = System.nanoTime();
          pacedFrom = started.get();
        }
        if (perSecond > 0) {
          long due = begun + (long) ((started.get() - pacedFrom) * 1e9 / perSecond);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            // Whatever falls due within a tick goes out together after it: a producer request
            // per tick, not per saga, so that the load's own cost stays out of the node's way.
            Thread.sleep(Math.max(TICK_MILLIS, wait / 1_000_000));
          }
        }
        while (running && started.get() - ended.getAsInt() >= maxOpen) {
          Thread.sleep(1);
        }
        send(started.incrementAndGet());
      }
      if (running) {
        // The limit was reached: what was sent counts. When stopped, close() interrupts instead.
        producer.flush();
      }
    } catch (InterruptedException | org.apache.kafka.common.errors.InterruptException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void send(long number) {
    String key = "o-" + number;
    OrderFulfilmentData order =
        OrderFulfilmentData.newBuilder()
            .setOrderId(key)
            .setCustomerId("customer-" + (number % 97))
            .setSku("sku-" + (number % 13))
            .setQuantity((int) (1 + number % 3))
            .setAmount(500 + (number * 7919L) % 20_000)
            .setAddress((1 + number % 120) + " Main Street")
            .build();
    long now = System.currentTimeMillis();
    SagaRequest request =
        SagaRequest.newBuilder()
            .setRequestId(key)
            .setSagaKey(key)
            .setRequestedBy("benchmark")
            .setRequestedAt(Instant.ofEpochMilli(now))
            .setRequest(
                StartSaga.newBuilder()
                    .setDefinitionName(definition)
                    .setDefinitionVersion(null)
                    .setData(ByteBuffer.wrap(data.serialize(topics.requests(), order)))
                    .build())
            .build();
    requestedAt.put(key, now);
    producer.send(
        new ProducerRecord<>(
            topics.requests(), key, requests.serialize(topics.requests(), request)));
    if (confirm) {
      RecordHeaders headers = new RecordHeaders();
      headers.add(
          MessageHeaders.MESSAGE_NAME,
          OrderFulfilment.PAYMENT_CONFIRMED.getBytes(StandardCharsets.UTF_8));
      headers.add(
          MessageHeaders.MESSAGE_ID, ("confirmation-" + key).getBytes(StandardCharsets.UTF_8));
      headers.add(MessageHeaders.TIME_TO_LIVE, "PT10M".getBytes(StandardCharsets.UTF_8));
      byte[] value =
          messages.serialize(
              topics.messages(),
              PaymentConfirmed.newBuilder().setConfirmationId("conf-" + key).build());
      producer.send(new ProducerRecord<>(topics.messages(), null, key, value, headers));
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close();
  }
}

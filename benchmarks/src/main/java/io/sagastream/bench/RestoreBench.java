package io.sagastream.bench;

import io.sagastream.demo.DemoNode;
import io.sagastream.topology.InstanceKeys;
import io.sagastream.topology.TopologyNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Restore time from the changelog: {@code instances} saga instances in the instance store's
 * changelog of the timer benchmark's application (copies of one real ended instance under new saga
 * keys, each in the partition its key hashes to, beside the real ones), then a fresh node with an
 * empty state directory: the time until it is ready (Kafka Streams RUNNING), and until it answers a
 * query for a copied key on every partition (each store restored and queryable).
 */
final class RestoreBench {

  private final BenchContext context;

  RestoreBench(BenchContext context) {
    this.context = context;
  }

  /**
   * @param instances records in the instance changelog, copies and real ones
   * @param valueBytes the size of the copied instance
   */
  record Result(
      long instances,
      int valueBytes,
      double writeSeconds,
      double readySeconds,
      double answeredSeconds) {}

  Result run(int copies, TimerBench.Result timers) {
    String changelog = timers.applicationId() + "-" + TopologyNames.INSTANCE_STORE + "-changelog";
    byte[] template = template(changelog);
    context.say(
        String.format(
            Locale.ROOT,
            "  writing %d instances of %d bytes to %s",
            copies,
            template.length,
            changelog));
    long begun = System.nanoTime();
    List<String> probes = write(changelog, template, copies);
    double writeSeconds = (System.nanoTime() - begun) / 1e9;
    context.say(
        String.format(Locale.ROOT, "  written in %.1f s; starting a fresh node", writeSeconds));
    long start = System.nanoTime();
    List<DemoNode> nodes =
        context.startNodes(timers.applicationId(), timers.prefix(), 1, "restore");
    try {
      double readySeconds = (System.nanoTime() - start) / 1e9;
      DemoNode node = nodes.get(0);
      long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
      List<String> waiting = new ArrayList<>(probes);
      while (!waiting.isEmpty() && System.nanoTime() < deadline) {
        waiting.removeIf(
            key -> {
              try {
                return node.api().get("/sagas/" + key + "/" + TimerBench.DEFINITION).statusCode()
                    == 200;
              } catch (RuntimeException e) {
                return false;
              }
            });
        if (!waiting.isEmpty()) {
          BenchContext.sleep(50);
        }
      }
      double answeredSeconds = waiting.isEmpty() ? (System.nanoTime() - start) / 1e9 : -1;
      return new Result(
          copies + timers.timers(), template.length, writeSeconds, readySeconds, answeredSeconds);
    } finally {
      BenchContext.closeAll(nodes);
    }
  }

  /** The newest instance in partition 0 of the changelog: an ended saga of the timer benchmark. */
  private byte[] template(String changelog) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                context.kafka(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(changelog, 0);
      consumer.assign(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      consumer.seek(partition, Math.max(0, end - 50));
      byte[] newest = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (consumer.position(partition) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.value() != null) {
            newest = record.value();
          }
        }
      }
      if (newest == null) {
        throw new IllegalStateException("No instance in " + changelog + " to copy");
      }
      return newest;
    }
  }

  /** Writes the copies; returns one copied key per partition. */
  private List<String> write(String changelog, byte[] template, int copies) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, context.kafka());
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-restore-writer");
    Map<Integer, String> probes = new HashMap<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < copies; i++) {
        String sagaKey = "r-" + i;
        // The partition the saga key's inputs would go to, hence its task's changelog partition.
        int partition =
            Utils.toPositive(Utils.murmur2(sagaKey.getBytes(StandardCharsets.UTF_8)))
                % BenchContext.PARTITIONS;
        probes.put(partition, sagaKey);
        byte[] key =
            InstanceKeys.key(sagaKey, TimerBench.DEFINITION).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(changelog, partition, key, template));
      }
      producer.flush();
    }
    return List.copyOf(probes.values());
  }
}

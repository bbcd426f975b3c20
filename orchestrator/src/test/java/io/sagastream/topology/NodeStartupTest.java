package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeStartupTest {

  @Test
  void aKafkaStreamsThatWillNotStartIsReportedOnceAndNotTriedAgain(@TempDir Path state)
      throws InterruptedException {
    // given topics that prepare at once, and a Kafka Streams whose start throws (closed already)
    KafkaStreams streams = unstartableStreams(state);
    AtomicInteger preparations = new AtomicInteger();
    NodeStartup startup =
        new NodeStartup(
            streams, preparations::incrementAndGet, new KafkaAccess(Clock.systemUTC(), Map.of()));

    // when the node starts
    startup.begin();

    // then the failure is kept for the liveness, and neither step is tried again
    await().atMost(Duration.ofSeconds(10)).until(() -> startup.startFailure().isPresent());
    assertThat(startup.startFailure()).get().asString().contains("IllegalStateException");
    assertThat(startup.problem()).get().asString().startsWith("Kafka Streams did not start");
    Thread.sleep(NodeStartup.PAUSE.after(1).toMillis() * 2);
    assertThat(preparations).hasValue(1);
    startup.close();
  }

  private static KafkaStreams unstartableStreams(Path state) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("in", Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()));
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "node-startup-test");
    // nothing listens there, and nothing is sent: the client is closed before it starts
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
    config.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    KafkaStreams streams = new KafkaStreams(builder.build(), config);
    streams.close(Duration.ofSeconds(5));
    return streams;
  }
}

package io.sagastream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo on a secured Kafka: SAGASTREAM_KAFKA_* reach its nodes the way a deployment's do. */
class DemoKafkaSecurityTest {

  private static final Map<String, String> SECURED =
      Map.of(
          "SAGASTREAM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
          "SAGASTREAM_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
          "SAGASTREAM_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka-tls/ca.p12");

  @Test
  void onAGivenKafkaTheSecuritySettingsReachTheNodesUnderKafkaStreamsDefault() {
    // given the demo pointed at a Kafka of one's own, with security settings in the environment
    DemoOptions options = DemoOptions.parse(List.of("--kafka", "kafka.example:9093"));
    Map<String, Object> kafkaClient = Infrastructure.kafkaClient(options, SECURED);

    // when a node's configuration is made
    Map<String, Object> node =
        DemoNode.properties(
            new DemoNode.Settings(
                "app", "demo.", 6, "kafka.example:9093", "http://r", Path.of("s"), kafkaClient),
            8080);

    // then the node's Kafka clients get them, as KAFKA_STREAMS_DEFAULT_* would give them
    assertThat(node)
        .containsEntry("kafka.streams.default.security.protocol", "SASL_SSL")
        .containsEntry("kafka.streams.default.sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("kafka.streams.default.ssl.truststore.location", "/etc/kafka-tls/ca.p12")
        .containsEntry("kafka.streams.default.application.server", "127.0.0.1:8080");
  }

  @Test
  void theEmbeddedKafkaIsPlainSoTheSettingsAreNotUsedForIt() {
    // given no --kafka: the demo starts its own plaintext broker
    DemoOptions options = DemoOptions.parse(List.of());

    // when the client settings are read, then there are none
    assertThat(Infrastructure.kafkaClient(options, SECURED)).isEmpty();
  }
}

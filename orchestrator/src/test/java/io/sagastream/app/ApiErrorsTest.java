package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The statuses of failures that are neither the caller's fault nor a fault of the node's code. */
class ApiErrorsTest {

  @TempDir Path stateDir;

  @Test
  void kafkaStreamsRefusingMetadataWhileNotRunningIsA503NamingItsState() {
    // given a Kafka Streams that is not running (never started, so no broker is needed)
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "api-errors-test");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("in").to("out");
    try (KafkaStreams streams = new KafkaStreams(builder.build(), config)) {

      // when a call meets the IllegalStateException it throws for metadata in that state
      HttpResponse<Map<String, Object>> answer =
          new ApiErrors.StreamsNotRunning(streams)
              .handle(
                  HttpRequest.GET("/nodes"),
                  new IllegalStateException("KafkaStreams is not running. State is NOT_RUNNING."));

      // then the caller is told the node is not running, with 503, not a bare 500
      assertThat(answer.code()).isEqualTo(503);
      assertThat(answer.body().get("message").toString()).contains("not running", "CREATED");
    }
  }

  @Test
  void aWriteKafkaDidNotTakeIsA503SayingSo() {
    HttpResponse<Map<String, Object>> answer =
        new ApiErrors.KafkaWrite()
            .handle(
                HttpRequest.POST("/sagas", ""),
                new KafkaWriteException(
                    "Kafka did not take the write to saga.requests: no answer in 30 s", null));

    assertThat(answer.code()).isEqualTo(503);
    assertThat(answer.body().get("message").toString()).contains("saga.requests");
  }

  @Test
  void anInstanceTheNodeCannotReadIsA500NamingItsKeyAndDefinition() {
    HttpResponse<Map<String, Object>> answer =
        new ApiErrors.UnreadableInstance()
            .handle(
                HttpRequest.GET("/sagas/order-7"),
                new UnreadableInstanceException(
                    io.sagastream.topology.InstanceKeys.key("order-7", "order-fulfilment"),
                    new IllegalStateException("Unknown saga instance format 9")));

    assertThat(answer.code()).isEqualTo(500);
    assertThat(answer.body().get("message").toString())
        .contains("'order-7'", "'order-fulfilment'", "Unknown saga instance format 9");
  }

  @Test
  void aRecordKafkaRefusesForItsSizeIsA413NotARetry() {
    HttpResponse<Map<String, Object>> answer =
        new ApiErrors.PayloadTooLarge()
            .handle(
                HttpRequest.POST("/messages", ""),
                new PayloadTooLargeException("the call makes a record larger than Kafka takes"));

    assertThat(answer.code()).isEqualTo(413);
    assertThat(answer.body().get("message").toString()).contains("larger than Kafka takes");
  }
}

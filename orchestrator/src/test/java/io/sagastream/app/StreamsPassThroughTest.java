package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.env.Environment;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamsPassThroughTest {

  @Test
  void shouldPassEnvironmentVariablesAndPropertiesThroughUnderKafkasOwnNames() {
    // given the packaged application.yml (it names kafka.streams.default), environment variables
    // and a property of a higher-priority source
    Environment environment =
        environment(
            Map.of(
                "KAFKA_STREAMS_DEFAULT_CLIENT_TAG_ZONE", "eu-west-1a",
                "KAFKA_STREAMS_DEFAULT_RACK_AWARE_ASSIGNMENT_TAGS", "zone",
                "KAFKA_STREAMS_DEFAULT_APPLICATION_SERVER", "sagastream-0.sagastream:8080"),
            Map.of("kafka.streams.default.session.timeout.ms", 60_000));

    // when
    Map<String, Object> settings = StreamsPassThrough.from(environment);

    // then every setting is there once, spelt as Kafka spells it
    assertThat(settings)
        .containsOnly(
            Map.entry("client.tag.zone", "eu-west-1a"),
            Map.entry("rack.aware.assignment.tags", "zone"),
            Map.entry("application.server", "sagastream-0.sagastream:8080"),
            Map.entry("session.timeout.ms", 60_000));
  }

  @Test
  void shouldKeepADashedKeyThatNoEnvironmentVariableSpeltOtherwise() {
    // given a client tag whose name has a dash, set as a property
    Environment environment =
        environment(Map.of(), Map.of("kafka.streams.default.client.tag.availability-zone", "a"));

    // when
    Map<String, Object> settings = StreamsPassThrough.from(environment);

    // then
    assertThat(settings).containsOnly(Map.entry("client.tag.availability-zone", "a"));
  }

  @Test
  void aSettingTheNodesOtherClientsShareIsRefusedNamingTheOneToSetInstead() {
    for (var owned :
        Map.of(
                "KAFKA_STREAMS_DEFAULT_APPLICATION_ID", "SAGASTREAM_APPLICATION_ID",
                "KAFKA_STREAMS_DEFAULT_GROUP_INSTANCE_ID", "SAGASTREAM_GROUP_INSTANCE_ID",
                "KAFKA_STREAMS_DEFAULT_BOOTSTRAP_SERVERS", "SAGASTREAM_BOOTSTRAP_SERVERS",
                "KAFKA_STREAMS_DEFAULT_MAIN_CONSUMER_GROUP_INSTANCE_ID",
                    "SAGASTREAM_GROUP_INSTANCE_ID")
            .entrySet()) {
      // given the setting as an environment variable
      Environment environment = environment(Map.of(owned.getKey(), "x"), Map.of());

      // when the settings are read, then the node refuses them, naming its own setting
      assertThatThrownBy(() -> StreamsPassThrough.from(environment))
          .as(owned.getKey())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(owned.getValue());
    }
  }

  @Test
  void aSettingTheNodeOwnsIsTakenWhenItIsTheNodesOwnValue() {
    // given the bootstrap servers set both ways, to the same address
    Environment environment =
        environment(
            Map.of(
                "KAFKA_STREAMS_DEFAULT_BOOTSTRAP_SERVERS", "kafka:9092",
                "SAGASTREAM_BOOTSTRAP_SERVERS", "kafka:9092"),
            Map.of());

    // when, then it is passed through as it is
    assertThat(StreamsPassThrough.from(environment))
        .containsOnly(Map.entry("bootstrap.servers", "kafka:9092"));
  }

  @Test
  void shouldPassNothingThroughWhenNothingIsSet() {
    // given only the packaged configuration
    Environment environment = environment(Map.of(), Map.of());

    // when
    Map<String, Object> settings = StreamsPassThrough.from(environment);

    // then
    assertThat(settings).isEmpty();
  }

  private static Environment environment(
      Map<String, Object> variables, Map<String, Object> properties) {
    return VariablesEnvironment.of(variables, properties);
  }
}

package io.sagastream.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaEnvironmentTest {

  @Test
  void variablesWithThePrefixBecomeKafkaPropertiesAndOthersAreLeftOut() {
    // given security settings among unrelated variables
    Map<String, String> environment =
        Map.of(
            "SAGASTREAM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "SAGASTREAM_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
            "SAGASTREAM_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/ca.p12",
            "SAGASTREAM_BOOTSTRAP_SERVERS", "kafka:9092",
            "HOME", "/root");

    // when they are read
    Map<String, Object> properties = KafkaEnvironment.properties(environment);

    // then each prefixed one is the property of the same name with dots, and only those
    assertThat(properties)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "ssl.truststore.location", "/etc/kafka/ca.p12"));
  }

  @Test
  void aFileVariableGivesTheFilesContentWithoutItsLastLineBreak(@TempDir Path dir)
      throws Exception {
    // given a JAAS configuration mounted as a file
    Path jaas = Files.writeString(dir.resolve("jaas"), "ScramLoginModule required;\n");

    // when the variable naming it is read
    Map<String, Object> properties =
        KafkaEnvironment.properties(
            Map.of("SAGASTREAM_KAFKA_SASL_JAAS_CONFIG_FILE", jaas.toString()));

    // then the property holds the content
    assertThat(properties).containsEntry("sasl.jaas.config", "ScramLoginModule required;");
  }

  @Test
  void aValueAndAFileForTheSamePropertyAreRefused(@TempDir Path dir) throws Exception {
    Path password = Files.writeString(dir.resolve("password"), "from-file");
    Map<String, String> environment =
        Map.of(
            "SAGASTREAM_KAFKA_SSL_KEY_PASSWORD",
            "inline",
            "SAGASTREAM_KAFKA_SSL_KEY_PASSWORD_FILE",
            password.toString());

    assertThatThrownBy(() -> KafkaEnvironment.properties(environment))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ssl.key.password")
        .hasMessageNotContaining("inline")
        .hasMessageNotContaining("from-file");
  }

  @Test
  void anUnreadableFileIsNamedWithoutItsContent(@TempDir Path dir) {
    Path missing = dir.resolve("missing");

    assertThatThrownBy(
            () ->
                KafkaEnvironment.properties(
                    Map.of("SAGASTREAM_KAFKA_SASL_JAAS_CONFIG_FILE", missing.toString())))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("SAGASTREAM_KAFKA_SASL_JAAS_CONFIG_FILE");
  }
}

package io.sagastream.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sagastream.registry.SchemaRegistry;
import io.sagastream.samples.inventory.InventoryTeam;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample participants reach a secured Kafka the way any worker does: the {@code
 * SAGASTREAM_KAFKA_*} variables become the Kafka properties of every client they make. No broker is
 * needed to see that: a trust store that does not exist fails a client as it is built, naming the
 * file, so a client that names it was given the settings.
 */
class SampleKafkaSecurityTest {

  @Test
  void sagastreamKafkaVariablesBecomeTheAdminsKafkaProperties(@TempDir Path dir) throws Exception {
    // given security settings in the environment, the JAAS configuration in a mounted file
    Path jaas = dir.resolve("jaas");
    Files.writeString(jaas, "ScramLoginModule required username=\"inventory\";\n");
    Map<String, String> env =
        Map.of(
            "SAGASTREAM_BOOTSTRAP_SERVERS", "127.0.0.1:9093",
            "SAGASTREAM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "SAGASTREAM_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
            "SAGASTREAM_KAFKA_SASL_JAAS_CONFIG_FILE", jaas.toString());

    // when the participants' settings are read, and the admin's configuration made of them
    SampleSettings settings = SampleSettings.fromEnvironment(env, SampleParticipants.TEAMS);
    Map<String, Object> admin = SampleParticipants.adminConfig(settings);

    // then the admin that creates the topics has them, with the bootstrap servers
    assertThat(settings.kafka())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", "ScramLoginModule required username=\"inventory\";");
    assertThat(admin)
        .containsAllEntriesOf(settings.kafka())
        .containsEntry("bootstrap.servers", "127.0.0.1:9093");
  }

  @Test
  void aParticipantsWorkerBuildsItsClientsWithTheKafkaProperties(@TempDir Path dir) {
    // given settings naming a trust store that is not there
    Path missing = dir.resolve("no-such-truststore-4e1b.p12");
    SampleSettings settings =
        SampleSettings.fromEnvironment(
            Map.of(
                "SAGASTREAM_BOOTSTRAP_SERVERS", "127.0.0.1:9",
                "SAGASTREAM_KAFKA_SECURITY_PROTOCOL", "SSL",
                "SAGASTREAM_KAFKA_SSL_TRUSTSTORE_LOCATION", missing.toString(),
                "SAGASTREAM_KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12"),
            SampleParticipants.TEAMS);

    // when a participant starts with them
    SampleParticipant participant =
        new SampleParticipant(
            new InventoryTeam(),
            FaultPlan.NONE,
            settings.bootstrapServers(),
            settings.kafka(),
            acceptingRegistry(),
            new SampleTopics("sec."));
    try {
      participant.start();

      // then its worker stops as its Kafka client is built, because of that trust store
      await().atMost(Duration.ofSeconds(30)).until(() -> participant.failure().isPresent());
      assertThat(participant.isUp()).isFalse();
      assertThat(causes(participant.failure().get())).contains(missing.toString());
    } finally {
      participant.close();
    }
  }

  /** A registry that takes every schema and is asked nothing else before a command arrives. */
  private static SchemaRegistry acceptingRegistry() {
    return (SchemaRegistry)
        Proxy.newProxyInstance(
            SchemaRegistry.class.getClassLoader(),
            new Class<?>[] {SchemaRegistry.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "register" -> 1;
                  case "close" -> null;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private static String causes(Throwable thrown) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      all.append(t).append('\n');
    }
    return all.toString();
  }
}

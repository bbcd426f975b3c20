package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

  @Test
  void everyClientStartsFromTheBootstrapServersAndTheSecuritySettings() {
    KafkaClients clients =
        new KafkaClients(
            "broker:9093",
            Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.jaas.config", "PlainLoginModule required password=\"hunter2\";"));

    assertThat(clients.common())
        .containsEntry("bootstrap.servers", "broker:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsKey("sasl.jaas.config");
    assertThat(clients.toString()).contains("sasl.jaas.config").doesNotContain("hunter2");
  }
}

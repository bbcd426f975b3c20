package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientSecurityTest {

  @Test
  void onlyTheSettingsThatSayHowToReachASecuredClusterAreTaken() {
    // given Kafka Streams settings with security and other things
    Map<String, Object> streams =
        Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            "ssl.truststore.location", "/etc/kafka/truststore.p12",
            "num.stream.threads", 2,
            "application.server", "10.0.0.1:8080",
            "producer.linger.ms", 5);

    // when
    Map<String, Object> security = ClientSecurity.of(streams);

    // then
    assertThat(security)
        .containsOnlyKeys(
            "security.protocol", "sasl.mechanism", "sasl.jaas.config", "ssl.truststore.location");
  }

  @Test
  void noSettingsMeanNone() {
    assertThat(ClientSecurity.of(null)).isEmpty();
    assertThat(ClientSecurity.of(Map.of("num.stream.threads", 1))).isEmpty();
  }
}

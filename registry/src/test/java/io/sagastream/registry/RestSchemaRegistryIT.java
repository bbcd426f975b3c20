package io.sagastream.registry;

import static io.sagastream.registry.TestSchemas.customer;
import static io.sagastream.registry.TestSchemas.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RealInfrastructure
class RestSchemaRegistryIT {

  private SchemaRegistryServer server;
  private SchemaRegistry registry;

  @BeforeEach
  void connect(SchemaRegistryServer server) {
    this.server = server;
    this.registry = new RestSchemaRegistry(RegistryClientConfig.of(server.url()));
  }

  @Test
  void aRegisteredSchemaIsFoundBySubjectByIdAndAsLatest() {
    // given
    String subject = unique("customers") + "-value";
    Schema v1 = customer("v1");

    // when
    int id = registry.register(subject, v1);

    // then
    assertThat(registry.register(subject, v1)).as("registering again").isEqualTo(id);
    RegisteredSchema found = registry.lookup(subject, v1);
    assertThat(found.id()).isEqualTo(id);
    assertThat(found.version()).isEqualTo(1);
    assertThat(fingerprint(registry.schemaById(id))).isEqualTo(fingerprint(v1));
    assertThat(registry.latest(subject).id()).isEqualTo(id);
    assertThat(registry.versions(subject)).containsExactly(1);
    assertThat(registry.subjects()).contains(subject);
  }

  @Test
  void aNewVersionIsCheckedAgainstTheSubjectsCompatibilityLevel() {
    // given a subject at BACKWARD with v1
    String subject = unique("customers") + "-value";
    registry.register(subject, customer("v1"));
    registry.setCompatibility(subject, CompatibilityLevel.BACKWARD);
    assertThat(registry.compatibility(subject)).isEqualTo(CompatibilityLevel.BACKWARD);

    // when / then v2 (new fields with defaults) fits and v3 (a required new field) does not
    assertThat(registry.checkCompatibility(subject, customer("v2")).compatible()).isTrue();
    registry.register(subject, customer("v2"));
    CompatibilityCheck v3 = registry.checkCompatibility(subject, customer("v3-incompatible"));
    assertThat(v3.compatible()).isFalse();
    assertThat(registry.versions(subject)).containsExactly(1, 2);
  }

  @Test
  void anIncompatibleRegistrationIsRefusedNamingTheSubjectAndQuotingTheRegistry() {
    // given
    String subject = unique("customers") + "-value";
    registry.register(subject, customer("v2"));
    registry.setCompatibility(subject, CompatibilityLevel.BACKWARD);

    // then
    assertThatThrownBy(() -> registry.register(subject, customer("v3-incompatible")))
        .isInstanceOfSatisfying(
            IncompatibleSchemaException.class,
            e -> {
              assertThat(e.subject()).isEqualTo(subject);
              assertThat(e.httpStatus()).isEqualTo(409);
            })
        .hasMessageContaining("'" + subject + "'")
        .hasMessageContaining("HTTP 409");
    assertThat(registry.versions(subject)).containsExactly(1);
  }

  @Test
  void anUnknownSubjectOrIdIsATypedNotFound() {
    String subject = unique("nobody") + "-value";

    assertThatThrownBy(() -> registry.latest(subject))
        .isInstanceOfSatisfying(
            SchemaNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40401))
        .hasMessageContaining(subject);
    assertThatThrownBy(() -> registry.schemaById(Integer.MAX_VALUE - 7))
        .isInstanceOfSatisfying(
            SchemaNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
    assertThat(registry.checkCompatibility(subject, customer("v1")).compatible()).isTrue();
  }

  @Test
  void aUrlThatMissesTheApiIsUnavailableNotANotFoundThatWouldBlameTheRecord() {
    // given a client whose URL lacks the registry's API path
    SchemaRegistry misconfigured =
        new RestSchemaRegistry(
            RegistryClientConfig.of(server.url().replace("/apis/ccompat/v7", "/apis/nothing")));

    // then a lookup by id, as a deserializer makes for each new schema, says the registry cannot
    // answer, so the record that asked is kept rather than dead-lettered as unknown
    assertThatThrownBy(() -> misconfigured.schemaById(1))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("is the URL the registry's API?");
  }

  @Test
  void whenTheFirstUrlIsDownTheNextOneAnswers() throws Exception {
    // given a URL nobody listens on, before the real one
    String dead;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = "http://127.0.0.1:" + socket.getLocalPort() + "/apis/ccompat/v7";
    }
    SchemaRegistry failingOver =
        new RestSchemaRegistry(RegistryClientConfig.of(dead, server.url()));
    String subject = unique("failover") + "-value";

    // when
    int id = failingOver.register(subject, customer("v1"));

    // then
    assertThat(registry.lookup(subject, customer("v1")).id()).isEqualTo(id);
  }

  @Test
  void whenNoUrlAnswersTheErrorIsTransientAndNamesTheSubject() throws Exception {
    String dead;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = "http://127.0.0.1:" + socket.getLocalPort();
    }
    SchemaRegistry unreachable = new RestSchemaRegistry(RegistryClientConfig.of(dead));

    assertThatThrownBy(() -> unreachable.register("orders-value", customer("v1")))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("'orders-value'")
        .hasMessageContaining("after 4 attempts");
  }

  private static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }
}

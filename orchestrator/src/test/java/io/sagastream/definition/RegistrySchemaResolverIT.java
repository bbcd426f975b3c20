package io.sagastream.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A definition that names registry subjects is checked against what the real registry holds. */
@RealInfrastructure
class RegistrySchemaResolverIT {

  private SchemaRegistry registry;
  private String prefix;

  @BeforeEach
  void connect(SchemaRegistryServer server) {
    registry = new RestSchemaRegistry(RegistryClientConfig.of(server.url()));
    prefix = "defs-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void aDefinitionWhoseSubjectsFitTheDataHasNoErrors() {
    // given the data and the command registered by the teams that own them
    registry.register(prefix + "-data", schema(DefinitionDocumentsTest.ORDER_DATA));
    registry.register(prefix + "-reserve", schema(DefinitionDocumentsTest.RESERVE));

    // when a definition naming them is checked
    List<DefinitionError> errors =
        DefinitionFit.check(
            definition(prefix + "-reserve", "latest"), new RegistrySchemaResolver(registry));

    // then
    assertThat(errors).isEmpty();
  }

  @Test
  void aMissingSubjectOrVersionIsAnErrorAtItsPath() {
    registry.register(prefix + "-data", schema(DefinitionDocumentsTest.ORDER_DATA));
    registry.register(prefix + "-reserve", schema(DefinitionDocumentsTest.RESERVE));

    List<DefinitionError> errors =
        DefinitionFit.check(
            definition(prefix + "-reserve", "7"), new RegistrySchemaResolver(registry));

    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path()).isEqualTo("steps[0].action.subject");
              assertThat(e.message())
                  .contains(prefix + "-reserve")
                  .contains("version 7")
                  // what the definitions Job waits on, since the schema may come later
                  .contains(RegistrySchemaResolver.NOT_IN_REGISTRY);
            });
  }

  @Test
  void oneResolverFindsTheLatestVersionOnceSoThatADeployChecksAndRecordsTheSameOne() {
    // given a subject at version 1, found as the latest by the resolver of a deploy
    String subject = prefix + "-reserve";
    registry.register(subject, schema(DefinitionDocumentsTest.RESERVE));
    RegistrySchemaResolver deploy = new RegistrySchemaResolver(registry);
    SchemaSource.FromRegistry latest = new SchemaSource.FromRegistry(subject, Optional.empty());
    int checked = deploy.registered(latest).version();

    // when another client registers version 2 meanwhile
    registry.register(
        subject,
        schema(
            DefinitionDocumentsTest.RESERVE.replace(
                "\"string\"}]",
                "\"string\"}, {\"name\": \"note\", \"type\": \"string\", \"default\": \"\"}]")));

    // then the deploy goes on with the version it checked, and the next deploy gets the new one
    assertThat(checked).isEqualTo(1);
    assertThat(deploy.registered(latest).version()).isEqualTo(1);
    assertThat(new RegistrySchemaResolver(registry).registered(latest).version()).isEqualTo(2);
  }

  private DefinitionSpec definition(String commandSubject, String version) {
    return DefinitionDocuments.parse(
        """
        {"name": "registry-check",
         "data": {"subject": "%s-data"},
         "steps": [{"name": "reserve",
                    "action": {"topic": "inventory.commands", "subject": "%s", "version": %s}}]}"""
            .formatted(prefix, commandSubject, version.equals("latest") ? "\"latest\"" : version));
  }

  private static Schema schema(String text) {
    return new Schema.Parser().parse(text);
  }
}

package io.sagastream.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import java.util.List;
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
              assertThat(e.message()).contains(prefix + "-reserve").contains("version 7");
            });
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

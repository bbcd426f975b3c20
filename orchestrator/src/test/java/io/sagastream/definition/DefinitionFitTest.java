package io.sagastream.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class DefinitionFitTest {

  private static final Schema DATA = new Schema.Parser().parse(DefinitionDocumentsTest.ORDER_DATA);

  @Test
  void aCommandWhoseFieldsTheDataHoldsFitsWhateverItsRecordIsCalled() {
    DefinitionSpec spec =
        spec(
            command(
                """
        {"type": "record", "name": "ReserveInventory", "namespace": "inventory",
         "fields": [{"name": "orderId", "type": "string"},
                    {"name": "warehouse", "type": "string", "default": "main"}]}""",
                null));

    assertThat(DefinitionFit.check(spec, inlineOnly())).isEmpty();
  }

  @Test
  void aCommandNeedingAFieldTheDataLacksIsRefusedAtItsPath() {
    DefinitionSpec spec =
        spec(
            command(
                """
        {"type": "record", "name": "Charge", "fields": [{"name": "cardToken", "type": "string"}]}""",
                null));

    List<DefinitionError> errors = DefinitionFit.check(spec, inlineOnly());

    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path()).isEqualTo("steps[0].action.schema");
              assertThat(e.message())
                  .contains("READER_FIELD_MISSING_DEFAULT")
                  .contains("cardToken");
            });
  }

  @Test
  void replyFieldsMustExistInTheDataWithAssignableTypes() {
    DefinitionSpec spec =
        spec(
            command(
                DefinitionDocumentsTest.RESERVE,
                """
        {"type": "record", "name": "Reserved",
         "fields": [{"name": "reservationId", "type": ["null", "string"]},
                    {"name": "amount", "type": "int"},
                    {"name": "orderId", "type": "long"},
                    {"name": "eta", "type": "string"}]}"""));

    List<DefinitionError> errors = DefinitionFit.check(spec, inlineOnly());

    // an int widens into the long amount; a long does not fit the string orderId; eta has no field
    assertThat(errors)
        .extracting(DefinitionError::path)
        .containsExactlyInAnyOrder(
            "steps[0].action.reply.schema.orderId", "steps[0].action.reply.schema.eta");
  }

  @Test
  void aSubjectTheRegistryLacksIsRefusedAtItsPath() {
    DefinitionSpec spec =
        DefinitionSpec.builder("s")
            .data(new SchemaSource.Inline(DATA))
            .step(
                "reserve",
                new CommandSpec(
                    "inventory.commands",
                    new SchemaSource.FromRegistry("missing-value", Optional.empty()),
                    Optional.empty()))
            .build();
    SchemaResolver registry =
        source -> {
          if (source instanceof SchemaSource.Inline inline) {
            return inline.schema();
          }
          throw new IllegalArgumentException("subject missing-value is not in the registry");
        };

    assertThat(DefinitionFit.check(spec, registry))
        .containsExactly(
            new DefinitionError(
                "steps[0].action.subject", "subject missing-value is not in the registry"));
  }

  private static CommandSpec command(String schema, String reply) {
    return new CommandSpec(
        "t.commands",
        new SchemaSource.Inline(new Schema.Parser().parse(schema)),
        Optional.ofNullable(reply).map(r -> new SchemaSource.Inline(new Schema.Parser().parse(r))));
  }

  private static DefinitionSpec spec(CommandSpec action) {
    return DefinitionSpec.builder("fit")
        .data(new SchemaSource.Inline(DATA))
        .step("step", action)
        .build();
  }

  private static SchemaResolver inlineOnly() {
    return source -> {
      if (source instanceof SchemaSource.Inline inline) {
        return inline.schema();
      }
      throw new IllegalArgumentException("no registry in this test");
    };
  }
}

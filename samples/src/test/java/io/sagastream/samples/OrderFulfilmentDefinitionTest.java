package io.sagastream.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.definition.DefinitionDocuments;
import io.sagastream.definition.DefinitionFit;
import io.sagastream.definition.DefinitionSpec;
import io.sagastream.definition.SchemaSource;
import io.sagastream.samples.inventory.InventoryTeam;
import io.sagastream.samples.payment.PaymentTeam;
import io.sagastream.samples.shipping.ShippingTeam;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The demo saga's document against the teams' contracts, without a registry. */
class OrderFulfilmentDefinitionTest {

  @Test
  void theDocumentParsesAndEveryTeamsContractFitsTheSagaData() {
    // given the subjects the teams register: each record under its full name
    Map<String, Schema> subjects = new HashMap<>();
    Stream.of(new InventoryTeam(), new PaymentTeam(), new ShippingTeam())
        .flatMap(team -> team.contracts().stream())
        .forEach(schema -> subjects.put(schema.getFullName(), schema));
    subjects.put(OrderFulfilment.dataSchema().getFullName(), OrderFulfilment.dataSchema());

    // when the document is read and checked as a deploy checks it
    DefinitionSpec spec = DefinitionDocuments.parse(OrderFulfilment.definitionDocument("shop."));
    var misfits =
        DefinitionFit.check(
            spec,
            source -> {
              String subject = ((SchemaSource.FromRegistry) source).subject();
              Schema schema = subjects.get(subject);
              if (schema == null) {
                throw new IllegalArgumentException("no subject " + subject);
              }
              return schema;
            });

    // then it fits, and its command topics are the participants' topics under the prefix
    assertThat(misfits).isEmpty();
    assertThat(spec.name()).isEqualTo(OrderFulfilment.NAME);
    assertThat(
            spec.steps().stream()
                .flatMap(
                    step ->
                        Stream.concat(
                            Stream.ofNullable(step.action()), step.compensation().stream()))
                .map(command -> command.topic()))
        .containsExactlyInAnyOrderElementsOf(new SampleTopics("shop.").all());
  }
}

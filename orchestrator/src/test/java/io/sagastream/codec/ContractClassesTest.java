package io.sagastream.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.contracts.v1.DeadLetterReason;
import io.sagastream.contracts.v1.SagaEvent;
import io.sagastream.contracts.v1.StepDefinition;
import io.sagastream.contracts.v1.StepRetryScheduled;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class ContractClassesTest {

  @Test
  void everyKindOfJournalEventIsAmongTheClassesInitialisedAtStart() {
    // given the kinds of event the journal's union allows
    Schema events = SagaEvent.getClassSchema().getField("event").schema();

    // then each is among the names, with records and enums nested in the other contracts
    assertThat(ContractClasses.names())
        .containsAll(
            events.getTypes().stream()
                .filter(type -> type.getType() == Schema.Type.RECORD)
                .map(Schema::getFullName)
                .toList())
        .contains(
            StepRetryScheduled.class.getName(),
            StepDefinition.class.getName(),
            DeadLetterReason.class.getName());
  }

  @Test
  void everyNamedContractTypeHasAGeneratedClass() {
    // when the classes are initialised, then none is missing (a missing one throws)
    ContractClasses.initialize();
    assertThat(ContractClasses.names()).hasSizeGreaterThan(20);
  }
}

package io.sagastream.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.contracts.v1.CancelSaga;
import io.sagastream.contracts.v1.DeployedDefinition;
import io.sagastream.contracts.v1.SagaEvent;
import io.sagastream.contracts.v1.SagaKind;
import io.sagastream.contracts.v1.SagaRequest;
import io.sagastream.contracts.v1.StepCommandSent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeneratedContractsTest {

  @ParameterizedTest
  @ValueSource(strings = {"SagaRequest", "SagaEvent", "DeployedDefinition", "DeadLetterMetadata"})
  void theJarCarriesTheSchemaTheClassesWereGeneratedFrom(String contract) throws Exception {
    // given the .avsc shipped in the jar, and the generated class of the same name
    Class<?> generated = Class.forName("io.sagastream.contracts.v1." + contract);
    Schema classSchema = (Schema) generated.getMethod("getClassSchema").invoke(null);

    // when the shipped file is parsed with the shared enums it refers to
    Schema.Parser parser = new Schema.Parser();
    for (String common : new String[] {"SagaKind", "ReplyOutcome", "IncidentResolution"}) {
      parser.parse(resource("common/" + common + ".avsc"));
    }
    Schema shipped = parser.parse(resource(contract + ".avsc"));

    // then both are the same schema on the wire (the class's copy carries Java-only string hints)
    assertThat(SchemaNormalization.toParsingForm(shipped))
        .isEqualTo(SchemaNormalization.toParsingForm(classSchema));
  }

  @Test
  void aJournalEventSurvivesAnAvroRoundTrip() throws IOException {
    // given
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    SagaEvent event =
        SagaEvent.newBuilder()
            .setEventId("s-1/3")
            .setSagaId("s-1")
            .setSagaKey("order-7")
            .setDefinitionName("order-fulfilment")
            .setDefinitionVersion(2)
            .setSequence(3)
            .setOccurredAt(now)
            .setEvent(
                StepCommandSent.newBuilder()
                    .setStep("reserve-inventory")
                    .setKind(SagaKind.ACTION)
                    .setCommandId("s-1/reserve-inventory/action/1")
                    .setAttempt(1)
                    .setTopic("inventory.commands")
                    .setDeadline(now.plusSeconds(30))
                    .build())
            .build();

    // when
    ByteBuffer bytes = event.toByteBuffer();
    SagaEvent read = SagaEvent.fromByteBuffer(bytes);

    // then
    assertThat(read).isEqualTo(event);
    assertThat(read.getEvent()).isInstanceOf(StepCommandSent.class);
  }

  @Test
  void optionalRequestFieldsHaveDefaults() {
    // when a cancel request is built with only what is required
    SagaRequest request =
        SagaRequest.newBuilder()
            .setRequestId("r-1")
            .setSagaKey("order-7")
            .setRequestedAt(Instant.EPOCH)
            .setRequest(CancelSaga.newBuilder().setDefinitionName("order-fulfilment").build())
            .build();

    // then
    assertThat(request.getRequestedBy()).isEqualTo("anonymous");
    assertThat(((CancelSaga) request.getRequest()).getReason()).isNull();
    assertThat(DeployedDefinition.getClassSchema().getField("deployedBy").defaultVal())
        .isEqualTo("anonymous");
  }

  private static InputStream resource(String name) {
    InputStream in =
        GeneratedContractsTest.class.getResourceAsStream("/io/sagastream/contracts/v1/" + name);
    assertThat(in).as("resource %s", name).isNotNull();
    return in;
  }
}

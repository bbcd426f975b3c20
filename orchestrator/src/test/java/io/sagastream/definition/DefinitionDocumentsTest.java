package io.sagastream.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagastream.engine.ReceiveSpec;
import io.sagastream.engine.RetryPolicy;
import io.sagastream.engine.SagaDefinition;
import java.time.Duration;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class DefinitionDocumentsTest {

  static final String ORDER_DATA =
      """
      {"type": "record", "name": "OrderData", "namespace": "shop",
       "fields": [{"name": "orderId", "type": "string"}, {"name": "amount", "type": "long"},
                  {"name": "reservationId", "type": ["null", "string"], "default": null}]}""";

  static final String RESERVE =
      """
      {"type": "record", "name": "ReserveInventory", "namespace": "inventory",
       "fields": [{"name": "orderId", "type": "string"}]}""";

  static final String FULFILMENT =
      """
      {"name": "order-fulfilment",
       "data": {"schema": %s},
       "deadline": "PT1H",
       "steps": [
         {"name": "reserve-inventory",
          "action": {"topic": "inventory.commands", "schema": %s},
          "compensation": {"topic": "inventory.commands", "subject": "inventory.release-value", "version": 3},
          "timeout": "PT30S",
          "retry": {"maxAttempts": 5, "initialDelay": "PT2S", "multiplier": 3.0, "maxDelay": "PT10M", "jitter": 0.2},
          "compensationRetry": {"maxAttempts": 20}},
         {"name": "charge-payment",
          "action": {"topic": "payment.commands", "subject": "payment.charge-value"}}]}"""
          .formatted(ORDER_DATA, RESERVE);

  @Test
  void theDocumentedShapeReadsIntoTheModelWithDefaultsFilledIn() {
    // when
    DefinitionSpec spec = DefinitionDocuments.parse(FULFILMENT);

    // then
    assertThat(spec.name()).isEqualTo("order-fulfilment");
    assertThat(spec.deadline()).contains(Duration.ofHours(1));
    assertThat(spec.steps())
        .extracting(StepSpec::name)
        .containsExactly("reserve-inventory", "charge-payment");
    StepSpec reserve = spec.steps().get(0);
    assertThat(reserve.retry())
        .isEqualTo(new RetryPolicy(5, Duration.ofSeconds(2), 3.0, Duration.ofMinutes(10), 0.2));
    assertThat(reserve.compensationRetry().maxAttempts()).isEqualTo(20);
    assertThat(reserve.compensationRetry().initialDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(reserve.compensation().orElseThrow().schema())
        .isEqualTo(new SchemaSource.FromRegistry("inventory.release-value", Optional.of(3)));
    StepSpec charge = spec.steps().get(1);
    assertThat(charge.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(charge.retry()).isEqualTo(RetryPolicy.DEFAULT);
    assertThat(charge.compensation()).isEmpty();
    assertThat(charge.action().schema())
        .isEqualTo(new SchemaSource.FromRegistry("payment.charge-value", Optional.empty()));
  }

  @Test
  void theJavaBuilderProducesTheSameModel() {
    // given the same definition built in Java
    Schema data = new Schema.Parser().parse(ORDER_DATA);
    DefinitionSpec built =
        DefinitionSpec.builder("order-fulfilment")
            .data(new SchemaSource.Inline(data))
            .deadline(Duration.ofHours(1))
            .step(
                "reserve-inventory",
                new CommandSpec(
                    "inventory.commands",
                    new SchemaSource.Inline(new Schema.Parser().parse(RESERVE)),
                    Optional.empty()),
                new CommandSpec(
                    "inventory.commands",
                    new SchemaSource.FromRegistry("inventory.release-value", Optional.of(3)),
                    Optional.empty()),
                Duration.ofSeconds(30),
                new RetryPolicy(5, Duration.ofSeconds(2), 3.0, Duration.ofMinutes(10), 0.2),
                new RetryPolicy(20, Duration.ofSeconds(1), 2.0, Duration.ofHours(1), 0.5))
            .step(
                "charge-payment",
                new CommandSpec(
                    "payment.commands",
                    new SchemaSource.FromRegistry("payment.charge-value", Optional.empty()),
                    Optional.empty()))
            .build();

    // then
    assertThat(built).isEqualTo(DefinitionDocuments.parse(FULFILMENT));
  }

  @Test
  void aReceiveStepReadsWithItsMessageTimeoutAndTimeoutAction() {
    String document =
        """
        {"name": "with-approval", "data": {"schema": %s},
         "steps": [
           {"name": "reserve", "action": {"topic": "inventory.commands", "schema": %s}},
           {"name": "await-approval",
            "receive": {"message": "ApprovalGiven", "timeout": "PT24H", "onTimeout": "continue"}}]}"""
            .formatted(ORDER_DATA, RESERVE);

    DefinitionSpec spec = DefinitionDocuments.parse(document);

    ReceiveStepSpec receive = spec.steps().get(1).receive().orElseThrow();
    assertThat(receive.messageName()).isEqualTo("ApprovalGiven");
    assertThat(receive.timeout()).contains(Duration.ofHours(24));
    assertThat(receive.onTimeout()).isEqualTo(ReceiveSpec.ReceiveTimeoutAction.CONTINUE);
    assertThat(spec.toEngineDefinition(1).step(1).isReceive()).isTrue();
  }

  @Test
  void aReceiveStepWithActionFieldsOrAnUnknownTimeoutActionIsRefusedAtThosePaths() {
    String bad =
        """
        {"name": "with-approval", "data": {"subject": "d"},
         "steps": [{"name": "await", "receive": {"message": "M", "onTimeout": "panic"},
                    "retry": {"maxAttempts": 3}}]}""";

    assertThatThrownBy(() -> DefinitionDocuments.parse(bad))
        .isInstanceOfSatisfying(
            InvalidDefinitionException.class,
            e ->
                assertThat(e.errors())
                    .extracting(DefinitionError::path)
                    .containsExactlyInAnyOrder("steps[0].receive.onTimeout", "steps[0].retry"));
  }

  @Test
  void aParallelStepReadsAsBranchesThatRunTogether() {
    String document =
        """
        {"name": "prepare-order", "data": {"schema": %s},
         "steps": [
           {"name": "prepare", "parallel": [
              {"name": "charge", "action": {"topic": "payment.commands", "subject": "c"}},
              {"name": "print-label", "action": {"topic": "shipping.commands", "subject": "l"},
               "compensation": {"topic": "shipping.commands", "subject": "v"}}]},
           {"name": "ship", "action": {"topic": "shipping.commands", "subject": "s"}}]}"""
            .formatted(ORDER_DATA);

    DefinitionSpec spec = DefinitionDocuments.parse(document);

    assertThat(spec.steps().get(0).branches())
        .extracting(StepSpec::name)
        .containsExactly("charge", "print-label");
    var engine = spec.toEngineDefinition(1);
    assertThat(engine.steps())
        .extracting(s -> s.name())
        .containsExactly("charge", "print-label", "ship");
    assertThat(engine.stepsRunningWith(0)).containsExactly(0, 1);
    assertThat(engine.stepsRunningWith(2)).containsExactly(2);
  }

  @Test
  void aParallelBranchIsCheckedAtItsOwnPath() {
    String bad =
        """
        {"name": "prepare-order", "data": {"subject": "d"},
         "steps": [{"name": "prepare", "parallel": [
            {"name": "charge", "action": {"topic": "bad topic", "subject": "c"}},
            {"name": "charge", "action": {"topic": "t", "subject": "c"}}]}]}""";

    assertRefusedAt(bad, "steps[0].parallel[0].action.topic", "steps[0].parallel[1].name");
  }

  @Test
  void yamlOfTheSameShapeIsAccepted() {
    String yaml =
        """
        name: tiny
        data:
          subject: tiny-data-value
        steps:
          - name: only
            action:
              topic: only.commands
              subject: only-value
              version: latest
        """;

    DefinitionSpec spec = DefinitionDocuments.parse(yaml);

    SagaDefinition engine = spec.toEngineDefinition(4);
    assertThat(engine.version()).isEqualTo(4);
    assertThat(engine.step(0).actionTopic()).isEqualTo("only.commands");
  }

  @Test
  void everyErrorIsReportedWithTheExactPathOfItsField() {
    // given a document with several mistakes
    String bad =
        """
        {"name": "order fulfilment!",
         "data": {"schema": {"type": "string"}},
         "deadline": "one hour",
         "steps": [
           {"name": "reserve", "action": {"topic": "inventory.commands", "schema": %s},
            "retry": {"maxAttempts": 0, "jitter": 1.5, "tries": 3}},
           {"name": "reserve", "action": {"topic": "bad topic"}, "timeout": "PT0S"}]}"""
            .formatted(RESERVE);

    // then
    assertRefusedAt(
            bad,
            "deadline",
            "steps[0].retry.tries",
            "steps[0].retry.maxAttempts",
            "steps[0].retry.jitter",
            "steps[1].action",
            "steps[1].timeout")
        .hasMessageContaining("steps[0].retry.jitter: must be a number from 0.0 to 1.0, not 1.5");
  }

  @Test
  void schemasAvroRefusesBeyondParsingAndDurationsTimersCannotKeepAreRefusedAtTheirPaths() {
    // given a data schema with a union of two strings, a step whose command schema names a field
    // twice, a deadline past ten years, and timeouts finer than a millisecond
    String bad =
        """
        {"name": "odd-order",
         "data": {"schema": {"type": "record", "name": "OddData", "namespace": "shop",
                             "fields": [{"name": "note", "type": ["string", "string"]}]}},
         "deadline": "PT9999999999999999S",
         "steps": [
           {"name": "reserve", "timeout": "PT0.0001S",
            "action": {"topic": "inventory.commands",
                       "schema": {"type": "record", "name": "Twice", "namespace": "inventory",
                                  "fields": [{"name": "a", "type": "string"},
                                             {"name": "a", "type": "int"}]}}},
           {"name": "paid", "receive": {"message": "PaymentConfirmed", "timeout": "PT1.0005S"}}]}""";

    // when it is read, then each is refused at its own field, with no exception of Avro's or
    // java.time's escaping
    assertRefusedAt(
            bad,
            "data.schema",
            "deadline",
            "steps[0].timeout",
            "steps[0].action.schema",
            "steps[1].receive.timeout")
        .hasMessageContaining("deadline: must be at most P3650D")
        .hasMessageContaining("steps[0].timeout: must be in whole milliseconds");
  }

  @Test
  void rulesBeyondTypesAreCheckedOnceTheDocumentReads() {
    String bad =
        """
        {"name": "order fulfilment!",
         "data": {"schema": {"type": "string"}},
         "steps": [
           {"name": "reserve", "action": {"topic": "inventory.commands", "subject": "s"}},
           {"name": "reserve", "action": {"topic": "bad topic", "subject": "s"}}]}""";

    assertRefusedAt(bad, "name", "data.schema", "steps[1].name", "steps[1].action.topic");
  }

  @Test
  void unreadableDocumentsDuplicateKeysAndDeepNestingAreRefused() {
    assertThatThrownBy(() -> DefinitionDocuments.parse("{\"name\": "))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("$: not a readable JSON document");
    assertThatThrownBy(() -> DefinitionDocuments.parse("{\"name\": \"a\", \"name\": \"b\"}"))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("Duplicate field 'name'");
    String deep = "{\"name\": " + "[".repeat(200) + "]".repeat(200) + "}";
    assertThatThrownBy(() -> DefinitionDocuments.parse(deep))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("nesting depth");
  }

  @Test
  void theBuilderRefusesWhatADocumentWould() {
    assertThatThrownBy(
            () ->
                DefinitionSpec.builder("x")
                    .data(
                        new SchemaSource.Inline(
                            SchemaBuilder.record("D").fields().requiredString("a").endRecord()))
                    .build())
        .isInstanceOfSatisfying(
            InvalidDefinitionException.class,
            e -> assertThat(e.errors()).extracting(DefinitionError::path).containsExactly("steps"));
  }

  /**
   * Asserts that {@code document} is refused with an error at each of {@code paths} and no other.
   */
  private static AbstractThrowableAssert<?, ? extends Throwable> assertRefusedAt(
      String document, String... paths) {
    return assertThatThrownBy(() -> DefinitionDocuments.parse(document))
        .isInstanceOfSatisfying(
            InvalidDefinitionException.class,
            e ->
                assertThat(e.errors())
                    .extracting(DefinitionError::path)
                    .containsExactlyInAnyOrder(paths));
  }
}

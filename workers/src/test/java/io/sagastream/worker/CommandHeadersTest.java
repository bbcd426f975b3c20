package io.sagastream.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagastream.contracts.SagaHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class CommandHeadersTest {

  @Test
  void everySagaHeaderReachesTheContext() {
    // given
    ConsumerRecord<byte[], byte[]> command = command("order-1", headers());

    // when
    CommandContext context = CommandHeaders.context(command);

    // then
    assertThat(context.sagaKey()).isEqualTo("order-1");
    assertThat(context.key()).isEqualTo("order-1".getBytes(StandardCharsets.UTF_8));
    assertThat(context.sagaId()).isEqualTo("s-1");
    assertThat(context.sagaName()).isEqualTo("order-fulfilment");
    assertThat(context.step()).isEqualTo("reserve-stock");
    assertThat(context.kind()).isEqualTo(CommandKind.COMPENSATION);
    assertThat(context.commandId()).isEqualTo("c-1");
    assertThat(context.attempt()).isEqualTo(3);
    assertThat(context.deadline()).contains(Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(context.traceparent()).contains("00-abc-def-01");
    assertThat(context.topic()).isEqualTo("inventory.commands");
  }

  @Test
  void deadlineAndTraceparentMayBeMissing() {
    Map<String, String> headers = headers();
    headers.remove(SagaHeaders.DEADLINE);
    headers.remove(SagaHeaders.TRACEPARENT);

    CommandContext context = CommandHeaders.context(command("order-1", headers));

    assertThat(context.deadline()).isEmpty();
    assertThat(context.traceparent()).isEmpty();
  }

  @Test
  void aMissingRequiredHeaderIsNamed() {
    Map<String, String> headers = headers();
    headers.remove(SagaHeaders.SAGA_STEP);

    assertThatThrownBy(() -> CommandHeaders.context(command("order-1", headers)))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessage("header saga-step is missing");
  }

  @Test
  void anAttemptThatIsNotAPositiveNumberIsMalformed() {
    Map<String, String> headers = headers();
    headers.put(SagaHeaders.ATTEMPT, "0");

    assertThatThrownBy(() -> CommandHeaders.context(command("order-1", headers)))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("attempt");
  }

  @Test
  void aDeadlineThatIsNotAnInstantIsMalformed() {
    Map<String, String> headers = headers();
    headers.put(SagaHeaders.DEADLINE, "tomorrow");

    assertThatThrownBy(() -> CommandHeaders.context(command("order-1", headers)))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessageContaining("deadline");
  }

  @Test
  void aCommandCanBeAnsweredWhenItHasAKeyReplyToSagaIdAndCommandId() {
    Optional<ReplyAddress> address = CommandHeaders.replyAddress(command("order-1", headers()));

    assertThat(address)
        .hasValueSatisfying(
            a -> {
              assertThat(a.replyTo()).isEqualTo("saga.replies");
              assertThat(a.sagaId()).isEqualTo("s-1");
              assertThat(a.commandId()).isEqualTo("c-1");
              assertThat(a.sagaName()).isEqualTo("order-fulfilment");
              assertThat(a.traceparent()).isEqualTo("00-abc-def-01");
            });
  }

  @Test
  void aCommandWithoutReplyToOrKeyCannotBeAnswered() {
    Map<String, String> noReplyTo = headers();
    noReplyTo.remove(SagaHeaders.REPLY_TO);

    assertThat(CommandHeaders.replyAddress(command("order-1", noReplyTo))).isEmpty();
    assertThat(CommandHeaders.replyAddress(command(null, headers()))).isEmpty();
  }

  private static Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(SagaHeaders.SAGA_ID, "s-1");
    headers.put(SagaHeaders.SAGA_NAME, "order-fulfilment");
    headers.put(SagaHeaders.SAGA_STEP, "reserve-stock");
    headers.put(SagaHeaders.SAGA_KIND, SagaHeaders.KIND_COMPENSATION);
    headers.put(SagaHeaders.COMMAND_ID, "c-1");
    headers.put(SagaHeaders.ATTEMPT, "3");
    headers.put(SagaHeaders.REPLY_TO, "saga.replies");
    headers.put(SagaHeaders.DEADLINE, "2030-01-01T00:00:00Z");
    headers.put(SagaHeaders.TRACEPARENT, "00-abc-def-01");
    return headers;
  }

  private static ConsumerRecord<byte[], byte[]> command(String key, Map<String, String> headers) {
    RecordHeaders kafkaHeaders = new RecordHeaders();
    headers.forEach(
        (name, value) -> kafkaHeaders.add(name, value.getBytes(StandardCharsets.UTF_8)));
    return new ConsumerRecord<>(
        "inventory.commands",
        0,
        42,
        0L,
        TimestampType.CREATE_TIME,
        0,
        0,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        new byte[] {0},
        kafkaHeaders,
        Optional.empty());
  }
}

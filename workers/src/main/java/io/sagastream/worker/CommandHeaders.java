package io.sagastream.worker;

import io.sagastream.contracts.SagaHeaders;
import io.sagastream.contracts.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Reads the saga headers of a command record. */
final class CommandHeaders {

  private CommandHeaders() {}

  /**
   * Where to reply, or empty when the command lacks what a reply needs: a key, a {@code reply-to}
   * that names a topic, {@code saga-id} and {@code command-id}. Such a command cannot be answered,
   * however bad it is: a reply to a topic Kafka cannot name would fail the transaction of every
   * command in its batch.
   */
  static Optional<ReplyAddress> replyAddress(ConsumerRecord<byte[], byte[]> record) {
    Headers headers = record.headers();
    String replyTo = text(headers, SagaHeaders.REPLY_TO);
    String sagaId = text(headers, SagaHeaders.SAGA_ID);
    String commandId = text(headers, SagaHeaders.COMMAND_ID);
    if (record.key() == null
        || !TopicNames.isValid(replyTo)
        || sagaId == null
        || commandId == null) {
      return Optional.empty();
    }
    return Optional.of(
        new ReplyAddress(
            replyTo,
            record.key(),
            sagaId,
            text(headers, SagaHeaders.SAGA_NAME),
            commandId,
            text(headers, SagaHeaders.TRACEPARENT)));
  }

  /**
   * The command's context.
   *
   * @throws MalformedCommandException if a required header is missing or a header does not parse
   */
  static CommandContext context(ConsumerRecord<byte[], byte[]> record) {
    Headers headers = record.headers();
    String kindText = required(headers, SagaHeaders.SAGA_KIND);
    CommandKind kind =
        CommandKind.fromHeader(kindText)
            .orElseThrow(
                () ->
                    new MalformedCommandException(
                        "header "
                            + SagaHeaders.SAGA_KIND
                            + " is '"
                            + kindText
                            + "', expected "
                            + SagaHeaders.KIND_ACTION
                            + " or "
                            + SagaHeaders.KIND_COMPENSATION));
    if (record.key() == null) {
      throw new MalformedCommandException("the command has no key");
    }
    return new CommandContext(
        record.topic(),
        record.key(),
        required(headers, SagaHeaders.SAGA_ID),
        required(headers, SagaHeaders.SAGA_NAME),
        required(headers, SagaHeaders.SAGA_STEP),
        kind,
        required(headers, SagaHeaders.COMMAND_ID),
        attempt(required(headers, SagaHeaders.ATTEMPT)),
        deadline(text(headers, SagaHeaders.DEADLINE)),
        text(headers, SagaHeaders.TRACEPARENT));
  }

  private static int attempt(String text) {
    try {
      int attempt = Integer.parseInt(text.trim());
      if (attempt >= 1) {
        return attempt;
      }
    } catch (NumberFormatException e) {
      // Reported below with the header's name.
    }
    throw new MalformedCommandException(
        "header " + SagaHeaders.ATTEMPT + " is '" + text + "', expected a number from 1");
  }

  private static Instant deadline(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new MalformedCommandException(
          "header " + SagaHeaders.DEADLINE + " is '" + text + "', expected an ISO-8601 instant");
    }
  }

  private static String required(Headers headers, String name) {
    String value = text(headers, name);
    if (value == null) {
      throw new MalformedCommandException("header " + name + " is missing");
    }
    return value;
  }

  /** The last header of that name (as Kafka's own clients read headers), null if absent. */
  private static String text(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }
}

package io.sagastream.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.sagastream.codec.JsonAvro;
import io.sagastream.codec.SagaDataCodec;
import io.sagastream.contracts.MessageHeaders;
import io.sagastream.contracts.v1.SchemaReference;
import io.sagastream.contracts.v1.StepKind;
import io.sagastream.registry.SchemaText;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishes a business message on a key, for the sagas there that wait for it. The message is
 * written with the schema a deployed receive step declares for its name.
 */
@Controller("/messages")
class MessagesController {

  private final DeployedDefinitions definitions;
  private final RequestWriter writer;

  MessagesController(DeployedDefinitions definitions, RequestWriter writer) {
    this.definitions = definitions;
    this.writer = writer;
  }

  @Post
  HttpResponse<Map<String, Object>> publish(@Body String body) {
    JsonNode message = SagasController.parse(body);
    String name = SagasController.text(message, "name");
    String key = Identifiers.required(message, "key");
    SchemaReference reference = schemaOf(name);
    Schema schema = SchemaText.parse(reference.getText());
    GenericRecord record;
    try {
      record = JsonAvro.toRecord(message.get("data"), schema, "data");
    } catch (JsonAvro.MismatchException e) {
      throw new BadRequestException(e.path(), e.getMessage());
    }
    RecordHeaders headers = new RecordHeaders();
    header(headers, MessageHeaders.MESSAGE_NAME, name);
    Identifiers.optional(message, "messageId")
        .ifPresent(id -> header(headers, MessageHeaders.MESSAGE_ID, id));
    if (message.hasNonNull("ttl")) {
      header(headers, MessageHeaders.TIME_TO_LIVE, validTtl(SagasController.text(message, "ttl")));
    }
    if (message.has("sequence")) {
      JsonNode sequence = message.get("sequence");
      if (!sequence.isIntegralNumber() || !sequence.canConvertToLong() || sequence.asLong() < 0) {
        throw new BadRequestException("sequence", "sequence must be a whole number from 0");
      }
      header(headers, MessageHeaders.SEQUENCE, Long.toString(sequence.asLong()));
    }
    writer.message(key, SagaDataCodec.framed(reference.getId(), schema, record), headers);
    return HttpResponse.<Map<String, Object>>status(HttpStatus.ACCEPTED)
        .body(Map.of("name", name, "key", key));
  }

  /**
   * The newest schema a deployed receive step declares for messages called {@code name}: the one
   * the registry gave out last (ids only grow), whichever definition or version declares it. It
   * holds every field a saga waits for, and sagas declaring an older schema read it with theirs,
   * the registry keeping a subject's versions compatible. The deploy times would not do: they come
   * from the clocks of the nodes that deployed, and an older definition deployed later would win.
   */
  private SchemaReference schemaOf(String name) {
    return definitions.all().stream()
        .flatMap(d -> d.getSteps().stream())
        .filter(s -> s.getKind() == StepKind.RECEIVE)
        .map(s -> s.getReceive())
        .filter(r -> r.getMessageName().equals(name) && r.getMessageSchema() != null)
        .map(r -> r.getMessageSchema())
        .max(Comparator.comparingInt(r -> r.getId() == null ? -1 : r.getId()))
        .orElseThrow(
            () ->
                new NotFoundException(
                    "no deployed definition waits for a message named '"
                        + name
                        + "' with a declared schema"));
  }

  private static String validTtl(String ttl) {
    try {
      Duration duration = Duration.parse(ttl);
      if (duration.isNegative() || duration.isZero()) {
        throw new BadRequestException("ttl", "ttl must be positive, not " + ttl);
      }
      if (duration.compareTo(MessageHeaders.LONGEST_TIME_TO_LIVE) > 0) {
        throw new BadRequestException(
            "ttl",
            "ttl must be at most P"
                + MessageHeaders.LONGEST_TIME_TO_LIVE.toDays()
                + "D, not "
                + ttl);
      }
      return ttl;
    } catch (DateTimeParseException e) {
      throw new BadRequestException(
          "ttl", "ttl must be an ISO-8601 duration such as PT1H, not " + ttl);
    }
  }

  private static void header(RecordHeaders headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}

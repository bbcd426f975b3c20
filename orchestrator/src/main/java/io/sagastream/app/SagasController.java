package io.sagastream.app;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.sagastream.codec.JsonAvro;
import io.sagastream.codec.SagaDataCodec;
import io.sagastream.contracts.SagaHeaders;
import io.sagastream.contracts.v1.CancelSaga;
import io.sagastream.contracts.v1.DeployedDefinition;
import io.sagastream.contracts.v1.IncidentResolution;
import io.sagastream.contracts.v1.ResolveIncident;
import io.sagastream.contracts.v1.StartSaga;
import io.sagastream.engine.SagaInstance;
import io.sagastream.registry.SchemaText;
import io.sagastream.topology.InstanceKeys;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * Starts, shows, cancels and resolves sagas. Writes go to the requests topic, so any node accepts
 * them; reads come from this node's stores.
 */
@Controller("/sagas")
class SagasController {

  /**
   * Bodies are read strictly: a key given twice is refused rather than silently last-wins (two
   * parts of a system could read the body differently), and so is nesting deeper than any saga data
   * needs (deep nesting costs stack and time).
   */
  static final int MAX_NESTING_DEPTH = 64;

  private static final ObjectMapper JSON = strictJson();
  private static final Duration MAX_WAIT = Duration.ofMinutes(5);

  private final DeployedDefinitions definitions;
  private final SagaInstances instances;
  private final RequestWriter writer;
  private final KeyRouting routing;
  private final OwnerForwarding owners;

  /** Each waiting call holds a thread and polls the store, so only so many wait at once. */
  private final Semaphore waits;

  /**
   * The request id of the start waiting here on each instance-store key. Two waiting starts on one
   * key that both arrive before either saga is in the store both pass the open-saga check; the
   * second of them is refused by the processor and would wait out its whole wait for a 202.
   */
  private final Map<String, String> waitingStarts = new ConcurrentHashMap<>();

  SagasController(
      DeployedDefinitions definitions,
      SagaInstances instances,
      RequestWriter writer,
      KeyRouting routing,
      OwnerForwarding owners,
      OrchestratorSettings settings) {
    this.definitions = definitions;
    this.instances = instances;
    this.writer = writer;
    this.routing = routing;
    this.owners = owners;
    this.waits = new Semaphore(Math.max(0, settings.getMaxWaitingStarts()));
  }

  /**
   * Starts the latest version of {@code definition} on {@code key} with {@code data} (plain JSON of
   * the data record). Idempotent by request id; another request while a saga of the definition is
   * open on the key is not carried out (a 409 with {@code wait}, else a dead letter). With {@code
   * wait}, answers once the saga has ended or the wait is over.
   */
  @Post
  HttpResponse<?> start(
      @Body String body, @QueryValue Optional<String> wait, HttpRequest<?> httpRequest) {
    JsonNode request = parse(body);
    String name = text(request, "definition");
    String key = Identifiers.required(request, "key");
    Optional<String> givenRequestId = Identifiers.optional(request, "requestId");
    // Checked before anything is written: a bad wait must not start the saga it refuses.
    Optional<Duration> waitFor = wait.map(SagasController::duration);
    // A call beyond the waits the node allows, here or passed on, starts its saga and answers at
    // once, as if its wait were over.
    if (waitFor.isEmpty() || !waits.tryAcquire()) {
      return start(request, name, key, givenRequestId, Optional.empty(), httpRequest);
    }
    try {
      // Only the owner of the key sees the saga end: wait there. The request id is chosen here, so
      // that should the owner take the call and fall silent, the node that takes it next starts
      // the same saga, which the owner may have started already, rather than a second one.
      String requestId = givenRequestId.orElseGet(() -> UUID.randomUUID().toString());
      long deadline = System.nanoTime() + waitFor.get().toNanos();
      Optional<HttpResponse<?>> forwarded =
          owners.passOn(
              key,
              httpRequest,
              withRequestId(request, requestId),
              OwnerForwarding.Resend.HERE_IF_SILENT,
              waitFor.get().plus(OwnerForwarding.ANSWER_TIMEOUT));
      if (forwarded.isPresent()) {
        return forwarded.get();
      }
      String waitingKey = InstanceKeys.key(key, name);
      String waitingBefore = waitingStarts.putIfAbsent(waitingKey, requestId);
      if (waitingBefore != null && !waitingBefore.equals(requestId)) {
        throw new ConflictException(
            "another start of "
                + name
                + " on key '"
                + key
                + "' is waiting for its saga (request id "
                + waitingBefore
                + "): this one would find the key taken and have nothing to wait for");
      }
      try {
        Optional<SagaInstance> open = openOther(key, name, name + ":" + key + ":" + requestId);
        if (open.isPresent()) {
          // That saga keeps the key: this start would change nothing, and its wait would run out.
          throw new ConflictException(
              "saga "
                  + open.get().sagaId()
                  + " is open on key '"
                  + key
                  + "': a start does nothing while it runs, so there is nothing to wait for");
        }
        // What is left of the wait (an owner that fell silent took all of it), if this node will
        // see the saga end at all: one that holds the key neither as owner nor as standby answers
        // 202 with the request id at once rather than watch a store without the key.
        Duration left =
            routing.holds(key)
                ? Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))
                : Duration.ZERO;
        return start(request, name, key, Optional.of(requestId), Optional.of(left), httpRequest);
      } finally {
        if (waitingBefore == null) {
          waitingStarts.remove(waitingKey, requestId);
        }
      }
    } finally {
      waits.release();
    }
  }

  /** The open saga of {@code definition} on {@code key} other than {@code sagaId}, if any. */
  private Optional<SagaInstance> openOther(String key, String definition, String sagaId) {
    if (!routing.answersCurrent(key)) {
      return Optional.empty();
    }
    return instances
        .of(key, definition)
        .filter(i -> !i.status().isTerminal() && !i.sagaId().equals(sagaId));
  }

  private static String withRequestId(JsonNode request, String requestId) {
    ObjectNode copy = request.deepCopy();
    copy.put("requestId", requestId);
    return copy.toString();
  }

  private HttpResponse<?> start(
      JsonNode request,
      String name,
      String key,
      Optional<String> givenRequestId,
      Optional<Duration> waitFor,
      HttpRequest<?> httpRequest) {
    DeployedDefinition definition =
        definitions
            .latest(name)
            .orElseThrow(
                () -> new NotFoundException("no definition named '" + name + "' is deployed"));
    Schema dataSchema = SchemaText.parse(definition.getDataSchema().getText());
    GenericRecord data;
    try {
      data = JsonAvro.toRecord(request.get("data"), dataSchema, "data");
    } catch (JsonAvro.MismatchException e) {
      throw new BadRequestException(e.path(), e.getMessage());
    }
    byte[] framed = SagaDataCodec.framed(definition.getDataSchema().getId(), dataSchema, data);
    String requestId = givenRequestId.orElseGet(() -> UUID.randomUUID().toString());
    try {
      writer.request(
          key,
          requestId,
          // The version the data was checked against is the one that runs, whatever the owner
          // of the key has deployed by the time it reads the request.
          StartSaga.newBuilder()
              .setDefinitionName(name)
              .setDefinitionVersion(definition.getVersion())
              .setData(ByteBuffer.wrap(framed))
              .build(),
          Callers.name(httpRequest),
          httpRequest.getHeaders().get(SagaHeaders.TRACEPARENT));
    } catch (KafkaWriteException e) {
      // The write may still land: only the same request id sent again starts the saga once.
      throw new KafkaWriteException(
          e.getMessage() + "; send the start again with requestId " + requestId, e.getCause());
    }
    Map<String, Object> accepted =
        Map.of(
            "key",
            key,
            "definition",
            name,
            "version",
            definition.getVersion(),
            "requestId",
            requestId);
    if (waitFor.isEmpty()) {
      return HttpResponse.<Map<String, Object>>status(HttpStatus.ACCEPTED).body(accepted);
    }
    return awaitEnd(key, name, name + ":" + key + ":" + requestId, waitFor.get())
        .map(i -> owners.answered(HttpResponse.ok(view(i))))
        .orElseGet(
            () -> HttpResponse.<Map<String, Object>>status(HttpStatus.ACCEPTED).body(accepted));
  }

  @Get("/{key}")
  HttpResponse<?> onKey(String key, HttpRequest<?> request) {
    Identifiers.checked("key", key);
    Optional<HttpResponse<?>> forwarded = passOnRead(key, request);
    if (forwarded.isPresent()) {
      return forwarded.get();
    }
    return owners.answered(HttpResponse.ok(instances.onKey(key).stream().map(this::view).toList()));
  }

  @Get("/{key}/{definition}")
  HttpResponse<?> one(String key, String definition, HttpRequest<?> request) {
    Identifiers.checked("key", key);
    Optional<HttpResponse<?>> forwarded = passOnRead(key, request);
    if (forwarded.isPresent()) {
      return forwarded.get();
    }
    SagaInstance instance = requireInstance(key, definition);
    return owners.answered(HttpResponse.ok(view(instance)));
  }

  @Post("/{key}/{definition}/cancel")
  HttpResponse<?> cancel(String key, String definition, HttpRequest<?> request) {
    Identifiers.checked("key", key);
    Optional<HttpResponse<?>> forwarded = passOnWrite(key, request);
    if (forwarded.isPresent()) {
      return forwarded.get();
    }
    requireInstance(key, definition);
    writer.request(
        key,
        null,
        CancelSaga.newBuilder().setDefinitionName(definition).build(),
        Callers.name(request));
    return HttpResponse.<Map<String, Object>>status(HttpStatus.ACCEPTED)
        .body(Map.of("key", key, "definition", definition));
  }

  @Post("/{key}/{definition}/retry")
  HttpResponse<?> retry(String key, String definition, HttpRequest<?> request) {
    return resolve(key, definition, IncidentResolution.RETRY, request);
  }

  @Post("/{key}/{definition}/skip")
  HttpResponse<?> skip(String key, String definition, HttpRequest<?> request) {
    return resolve(key, definition, IncidentResolution.SKIP, request);
  }

  private HttpResponse<?> resolve(
      String key, String definition, IncidentResolution resolution, HttpRequest<?> request) {
    Identifiers.checked("key", key);
    Optional<HttpResponse<?>> forwarded = passOnWrite(key, request);
    if (forwarded.isPresent()) {
      return forwarded.get();
    }
    Instant meant = incidentParameter(request);
    SagaInstance instance = requireInstance(key, definition);
    if (instance.incident() == null) {
      throw new BadRequestException(
          null,
          "saga "
              + definition
              + " on key '"
              + key
              + "' has no incident to "
              + resolution.name().toLowerCase());
    }
    Instant current = instance.incident().raisedAt();
    if (meant != null && !meant.equals(current)) {
      throw new ConflictException(
          "saga "
              + definition
              + " on key '"
              + key
              + "' has another incident now, raised at "
              + current
              + " (at "
              + instance.incident().step()
              + "), not the one raised at "
              + meant
              + ": look at it before resolving it");
    }
    // The incident this node saw goes with the request, so that a later one raised before the
    // request is carried out is not resolved by it.
    writer.request(
        key,
        null,
        ResolveIncident.newBuilder()
            .setDefinitionName(definition)
            .setResolution(resolution)
            .setIncidentRaisedAt(current)
            .build(),
        Callers.name(request));
    return HttpResponse.<Map<String, Object>>status(HttpStatus.ACCEPTED)
        .body(Map.of("key", key, "definition", definition, "resolution", resolution.name()));
  }

  /** The incident a resolution is meant for ({@code ?incident=}, its raisedAt), or null. */
  private static Instant incidentParameter(HttpRequest<?> request) {
    String text = request.getParameters().get("incident");
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new BadRequestException(
          "incident",
          "incident must be the raisedAt of the saga's incident, an ISO-8601 instant such as"
              + " 2026-11-25T10:15:30.123Z, not '"
              + text
              + "'");
    }
  }

  /** A read about the key, passed on to its owner, or to a standby when the owner is silent. */
  private Optional<HttpResponse<?>> passOnRead(String key, HttpRequest<?> request) {
    return owners.passOn(
        key, request, null, OwnerForwarding.Resend.SAFE, OwnerForwarding.ANSWER_TIMEOUT);
  }

  /** A cancel or resolution, passed on to the key's owner and never done twice. */
  private Optional<HttpResponse<?>> passOnWrite(String key, HttpRequest<?> request) {
    return owners.passOn(
        key, request, "", OwnerForwarding.Resend.ONLY_IF_NOT_SENT, OwnerForwarding.ANSWER_TIMEOUT);
  }

  private SagaInstance requireInstance(String key, String definition) {
    return instances
        .of(key, definition)
        .orElseThrow(
            () -> new NotFoundException("no saga " + definition + " on key '" + key + "'"));
  }

  private Optional<SagaInstance> awaitEnd(
      String key, String definition, String sagaId, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<SagaInstance> instance;
      try {
        instance = instances.of(key, definition).filter(i -> i.sagaId().equals(sagaId));
      } catch (InvalidStateStoreException rebalancing) {
        // The start is written: the caller gets its request id (202) rather than an error that
        // would have it start the saga again under a new one.
        instance = Optional.empty();
      } catch (IllegalStateException | UnreadableInstanceException stopping) {
        return Optional.empty();
      }
      if (instance.isPresent() && instance.get().status().isTerminal()) {
        return instance;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return Optional.empty();
  }

  private Map<String, Object> view(SagaInstance instance) {
    return InstanceViews.view(
        instance, dataSchemaOf(instance), !routing.answersCurrent(instance.sagaKey()));
  }

  private Schema dataSchemaOf(SagaInstance instance) {
    return definitions
        .version(instance.definitionName(), instance.definitionVersion())
        .map(d -> SchemaText.parse(d.getDataSchema().getText()))
        .orElse(null);
  }

  private static Duration duration(String text) {
    try {
      Duration wait = Duration.parse(text);
      if (wait.isNegative() || wait.compareTo(MAX_WAIT) > 0) {
        throw new BadRequestException(
            "wait", "wait must be between PT0S and " + MAX_WAIT + ", not " + text);
      }
      return wait;
    } catch (DateTimeParseException e) {
      throw new BadRequestException(
          "wait", "wait must be an ISO-8601 duration such as PT10S, not " + text);
    }
  }

  static JsonNode parse(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw new BadRequestException(null, "the body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      // The parser's own words name the problem (a duplicate field, the nesting limit, a bad
      // token) and where; never the source text, which may be large.
      JsonLocation at = e.getLocation();
      throw new BadRequestException(
          null,
          "the body is not readable JSON: "
              + e.getOriginalMessage()
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      throw new BadRequestException(null, "the body is not readable JSON: " + e.getMessage());
    }
  }

  private static ObjectMapper strictJson() {
    ObjectMapper mapper = new ObjectMapper();
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    // "{...} {...}" is not one body: the second object was ignored without a word.
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    return mapper;
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new BadRequestException(field, field + " is required (a non-empty string)");
    }
    return value.asText();
  }
}

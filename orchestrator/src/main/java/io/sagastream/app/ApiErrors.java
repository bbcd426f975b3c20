package io.sagastream.app;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.sagastream.definition.DefinitionError;
import io.sagastream.definition.InvalidDefinitionException;
import io.sagastream.registry.RegistryUnavailableException;
import io.sagastream.registry.SchemaRegistryException;
import io.sagastream.topology.KafkaAccess;
import io.sagastream.topology.NodeStartup;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/** Error bodies of the API: {"message", "path"?}, with the status that fits the error. */
final class ApiErrors {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  static Map<String, Object> body(String message, String path) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", message);
    if (path != null) {
      body.put("path", path);
    }
    return body;
  }

  /** 400: the definition names the exact field that is wrong, and lists every error. */
  @Produces
  @Singleton
  @Requires(classes = {InvalidDefinitionException.class, ExceptionHandler.class})
  static final class InvalidDefinition
      implements ExceptionHandler<InvalidDefinitionException, HttpResponse<Map<String, Object>>> {
    @Override
    public HttpResponse<Map<String, Object>> handle(
        HttpRequest request, InvalidDefinitionException exception) {
      List<DefinitionError> errors = exception.errors();
      Map<String, Object> body =
          body(exception.getMessage(), errors.isEmpty() ? null : errors.get(0).path());
      body.put(
          "errors",
          errors.stream().map(e -> Map.of("path", e.path(), "message", e.message())).toList());
      return HttpResponse.badRequest(body);
    }
  }

  @Produces
  @Singleton
  static final class BadRequest
      implements ExceptionHandler<BadRequestException, HttpResponse<Map<String, Object>>> {
    @Override
    public HttpResponse<Map<String, Object>> handle(
        HttpRequest request, BadRequestException exception) {
      return HttpResponse.badRequest(body(exception.getMessage(), exception.path()));
    }
  }

  @Produces
  @Singleton
  @Requires(classes = {NotFoundException.class, ExceptionHandler.class})
  static final class NotFound
      implements ExceptionHandler<NotFoundException, HttpResponse<Map<String, Object>>> {
    @Override
    public HttpResponse<Map<String, Object>> handle(
        HttpRequest request, NotFoundException exception) {
      return HttpResponse.notFound(body(exception.getMessage(), null));
    }
  }

  @Produces
  @Singleton
  @Requires(classes = {ConflictException.class, ExceptionHandler.class})
  static final class Conflict
      implements ExceptionHandler<ConflictException, HttpResponse<Map<String, Object>>> {
    @Override
    public HttpResponse<Map<String, Object>> handle(
        HttpRequest request, ConflictException exception) {
      return HttpResponse.<Map<String, Object>>status(HttpStatus.CONFLICT)
          .body(body(exception.getMessage(), null));
    }
  }

  /**
   * 503 while the node's stores are not queryable (starting, rebalancing). When Kafka has refused
   * the node lately, that is the reason given: Kafka Streams' own message would only say the store
   * may have moved to another instance, which sends an operator looking in the wrong place. Before
   * the node has started, the reason is what keeps it from starting.
   */
  @Produces
  @Singleton
  @Requires(classes = {InvalidStateStoreException.class, ExceptionHandler.class})
  static final class NotReady
      implements ExceptionHandler<InvalidStateStoreException, HttpResponse<Map<String, Object>>> {

    private final KafkaAccess access;
    private final NodeStartup startup;

    NotReady(KafkaAccess access, NodeStartup startup) {
      this.access = access;
      this.startup = startup;
    }

    @Override
    public HttpResponse<Map<String, Object>> handle(
        HttpRequest request, InvalidStateStoreException exception) {
      String reason =
          access
              .recent()
              .map(KafkaAccess.Refusal::message)
              .or(startup::problem)
              .orElse(exception.getMessage());
      return HttpResponse.<Map<String, Object>>serverError()
          .status(io.micronaut.http.HttpStatus.SERVICE_UNAVAILABLE)
          .body(body("the node is not ready to answer: " + reason, null));
    }
  }

  /**
   * 503 when the schema registry cannot answer or refuses the node itself (its credentials), 502
   * when it answered something else the node did not expect: neither is the caller's fault, and a
   * 500 would not say where to look.
   */
  static HttpResponse<Map<String, Object>> registryFailure(SchemaRegistryException exception) {
    boolean unavailable = exception instanceof RegistryUnavailableException;
    return HttpResponse.<Map<String, Object>>serverError()
        .status(
            unavailable
                ? io.micronaut.http.HttpStatus.SERVICE_UNAVAILABLE
                : io.micronaut.http.HttpStatus.BAD_GATEWAY)
        .body(
            body(
                (unavailable
                        ? "the schema registry cannot answer the node: "
                        : "the schema registry answered unexpectedly: ")
                    + exception.getMessage(),
                null));
  }

  @Produces
  @Singleton
  @Requires(classes = {SchemaRegistryException.class, ExceptionHandler.class})
  static final class RegistryFailure
      implements ExceptionHandler<SchemaRegistryException, HttpResponse<Map<String, Object>>> {
    @Override
    public HttpResponse<Map<String, Object>> handle(
        HttpRequest request, SchemaRegistryException exception) {
      return registryFailure(exception);
    }
  }

  /**
   * 503 when Kafka Streams is stopping or failed: asked for its metadata then, it throws a plain
   * IllegalStateException, which would otherwise be a bare 500 while the node shuts down.
   */
  @Produces
  @Singleton
  @Requires(classes = {IllegalStateException.class, ExceptionHandler.class})
  static final class StreamsNotRunning
      implements ExceptionHandler<IllegalStateException, HttpResponse<Map<String, Object>>> {

    private final KafkaStreams streams;

    StreamsNotRunning(KafkaStreams streams) {
      this.streams = streams;
    }

    @Override
    public HttpResponse<Map<String, Object>> handle(
        HttpRequest request, IllegalStateException exception) {
      KafkaStreams.State state = streams.state();
      if (state.isRunningOrRebalancing()) {
        LOG.error("{} {} failed", request.getMethodName(), request.getPath(), exception);
        return HttpResponse.<Map<String, Object>>serverError()
            .body(body("the node failed to answer: " + exception.getMessage(), null));
      }
      return HttpResponse.<Map<String, Object>>serverError()
          .status(io.micronaut.http.HttpStatus.SERVICE_UNAVAILABLE)
          .body(body("the node is not running (Kafka Streams is " + state + ")", null));
    }
  }

  @Produces
  @Singleton
  @Requires(classes = {UnreadableInstanceException.class, ExceptionHandler.class})
  static final class UnreadableInstance
      implements ExceptionHandler<UnreadableInstanceException, HttpResponse<Map<String, Object>>> {
    @Override
    public HttpResponse<Map<String, Object>> handle(
        HttpRequest request, UnreadableInstanceException exception) {
      LOG.error("{} {} failed", request.getMethodName(), request.getPath(), exception);
      return HttpResponse.<Map<String, Object>>serverError()
          .body(body(exception.getMessage(), null));
    }
  }

  @Produces
  @Singleton
  @Requires(classes = {PayloadTooLargeException.class, ExceptionHandler.class})
  static final class PayloadTooLarge
      implements ExceptionHandler<PayloadTooLargeException, HttpResponse<Map<String, Object>>> {
    @Override
    public HttpResponse<Map<String, Object>> handle(
        HttpRequest request, PayloadTooLargeException exception) {
      return HttpResponse.<Map<String, Object>>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE)
          .body(body(exception.getMessage(), null));
    }
  }

  /** Kafka did not take a write the call makes (a request, a message) in time. */
  @Produces
  @Singleton
  @Requires(classes = {KafkaWriteException.class, ExceptionHandler.class})
  static final class KafkaWrite
      implements ExceptionHandler<KafkaWriteException, HttpResponse<Map<String, Object>>> {
    @Override
    public HttpResponse<Map<String, Object>> handle(
        HttpRequest request, KafkaWriteException exception) {
      return HttpResponse.<Map<String, Object>>serverError()
          .status(io.micronaut.http.HttpStatus.SERVICE_UNAVAILABLE)
          .body(body(exception.getMessage(), null));
    }
  }

  /** The serializers report a registry failure inside Kafka's SerializationException. */
  @Produces
  @Singleton
  @Requires(classes = {SerializationException.class, ExceptionHandler.class})
  static final class Serialization
      implements ExceptionHandler<SerializationException, HttpResponse<Map<String, Object>>> {
    @Override
    public HttpResponse<Map<String, Object>> handle(
        HttpRequest request, SerializationException exception) {
      for (Throwable t = exception; t != null; t = t.getCause()) {
        if (t instanceof SchemaRegistryException registry) {
          return registryFailure(registry);
        }
      }
      return HttpResponse.<Map<String, Object>>serverError()
          .body(body("the node could not serialize the record: " + exception.getMessage(), null));
    }
  }
}

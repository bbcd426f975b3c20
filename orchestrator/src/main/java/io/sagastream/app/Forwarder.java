package io.sagastream.app;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.state.HostInfo;

/** Passes an API call on to another node, and its answer back. */
@Singleton
final class Forwarder {

  /** Marks a forwarded call, so that the receiving node answers it itself instead of forwarding. */
  static final String FORWARDED = "X-Sagastream-Forwarded";

  /** Says which node answered. */
  static final String ANSWERED_BY = "X-Sagastream-Answered-By";

  private static final String CONTENT_TYPE = "Content-Type";

  /** The owner's headers that go back to the caller with its answer. */
  private static final List<String> PASSED_BACK =
      List.of(ANSWERED_BY, CONTENT_TYPE, "WWW-Authenticate", "Retry-After", "Location");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** What became of a call passed on to another node. */
  sealed interface Outcome {}

  /** The node answered; its answer goes back to the caller as it is. */
  record Answered(MutableHttpResponse<String> response) implements Outcome {}

  /** The node could not be reached, so it never saw the call: another node may take it. */
  record NotReached() implements Outcome {}

  /**
   * The node was sent the call but gave no answer in time: it may have carried the call out, so
   * only a call that does the same thing twice over may be sent elsewhere.
   */
  record NoAnswer(String why) implements Outcome {}

  /**
   * Passes the call on to {@code node}. {@code callerHeaders} ({@link Callers#passedOn}) go along:
   * the caller's credentials, so that the other node checks and journals the same caller, and its
   * trace context, so that a saga started through another node joins the caller's trace.
   */
  Outcome forward(
      HostInfo node,
      String method,
      String pathAndQuery,
      String body,
      Map<String, String> callerHeaders,
      Duration timeout) {
    HttpRequest.Builder request;
    try {
      request = request(node, pathAndQuery, timeout);
    } catch (IllegalArgumentException e) {
      // Kafka Streams names an owner it does not know as host "unavailable", port -1.
      return new NotReached();
    }
    // setHeader: the caller may name the body's type (a YAML definition), replacing the default.
    callerHeaders.forEach(request::setHeader);
    try {
      java.net.http.HttpResponse<String> answer =
          http.send(
              request
                  .method(
                      method,
                      body == null
                          ? HttpRequest.BodyPublishers.noBody()
                          : HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      return new Answered(asAnswer(node, answer));
    } catch (ConnectException | HttpConnectTimeoutException e) {
      return new NotReached();
    } catch (IOException e) {
      return new NoAnswer(
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new NoAnswer("interrupted while waiting");
    }
  }

  /**
   * The other node's answer as this node gives it: its status (a status this server cannot name, as
   * a proxy between the nodes may give, becomes 502), body, type, and the headers that tell the
   * caller what to do next.
   */
  private static MutableHttpResponse<String> asAnswer(
      HostInfo node, java.net.http.HttpResponse<String> answer) {
    Optional<HttpStatus> known = knownStatus(answer.statusCode());
    MutableHttpResponse<String> response =
        known.isPresent()
            ? HttpResponse.<String>status(known.get()).body(answer.body())
            : HttpResponse.<String>status(HttpStatus.BAD_GATEWAY)
                .body(
                    "{\"message\": \"node "
                        + address(node)
                        + " answered with HTTP status "
                        + answer.statusCode()
                        + "\"}");
    for (String header : PASSED_BACK) {
      answer.headers().firstValue(header).ifPresent(v -> response.header(header, v));
    }
    if (known.isEmpty() || answer.headers().firstValue(CONTENT_TYPE).isEmpty()) {
      response.contentType("application/json");
    }
    return response;
  }

  private static Optional<HttpStatus> knownStatus(int code) {
    try {
      return Optional.of(HttpStatus.valueOf(code));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * A GET to {@code node} with the caller's {@code callerHeaders}, answered asynchronously; fails
   * when the node does not answer 200.
   */
  CompletableFuture<String> get(
      HostInfo node, String pathAndQuery, Duration timeout, Map<String, String> callerHeaders) {
    HttpRequest.Builder request = request(node, pathAndQuery, timeout);
    callerHeaders.forEach(request::header);
    return http.sendAsync(request.GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString())
        .thenApply(
            answer -> {
              if (answer.statusCode() != 200) {
                throw new IllegalStateException(
                    address(node) + " answered " + answer.statusCode() + ": " + answer.body());
              }
              return answer.body();
            });
  }

  static String address(HostInfo node) {
    return node.host() + ":" + node.port();
  }

  private static HttpRequest.Builder request(HostInfo node, String pathAndQuery, Duration timeout) {
    return HttpRequest.newBuilder(URI.create("http://" + address(node) + pathAndQuery))
        .timeout(timeout)
        .header(FORWARDED, "1")
        .header("Content-Type", "application/json");
  }
}

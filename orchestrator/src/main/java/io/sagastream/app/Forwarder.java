package io.sagastream.app;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.state.HostInfo;

/** Passes an API call on to another node, and its answer back unchanged. */
@Singleton
final class Forwarder {

  /** Marks a forwarded call, so that the receiving node answers it itself instead of forwarding. */
  static final String FORWARDED = "X-Sagastream-Forwarded";

  /** Says which node answered. */
  static final String ANSWERED_BY = "X-Sagastream-Answered-By";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * The node's answer, or empty when it cannot be reached. {@code callerHeaders} ({@link
   * Callers#passedOn}) go along: the caller's credentials, so that the other node checks and
   * journals the same caller, and its trace context, so that a saga started through another node
   * joins the caller's trace.
   */
  Optional<MutableHttpResponse<String>> forward(
      HostInfo node,
      String method,
      String pathAndQuery,
      String body,
      Map<String, String> callerHeaders) {
    HttpRequest.Builder request = request(node, pathAndQuery, Duration.ofMinutes(6));
    callerHeaders.forEach(request::header);
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
      MutableHttpResponse<String> response =
          HttpResponse.<String>status(HttpStatus.valueOf(answer.statusCode())).body(answer.body());
      answer.headers().firstValue(ANSWERED_BY).ifPresent(v -> response.header(ANSWERED_BY, v));
      response.contentType("application/json");
      return Optional.of(response);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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

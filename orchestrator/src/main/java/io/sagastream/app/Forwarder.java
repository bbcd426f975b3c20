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
import org.apache.kafka.streams.state.HostInfo;

/** Passes an API call on to the node that owns its key, and its answer back unchanged. */
@Singleton
final class Forwarder {

  /** Marks a forwarded call, so that the receiving node answers it itself instead of forwarding. */
  static final String FORWARDED = "X-Sagastream-Forwarded";

  /** Says which node answered. */
  static final String ANSWERED_BY = "X-Sagastream-Answered-By";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  MutableHttpResponse<String> forward(
      HostInfo owner, String method, String pathAndQuery, String body) {
    URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + pathAndQuery);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofMinutes(6))
            .header(FORWARDED, "1")
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    try {
      java.net.http.HttpResponse<String> answer =
          http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      MutableHttpResponse<String> response =
          HttpResponse.<String>status(HttpStatus.valueOf(answer.statusCode())).body(answer.body());
      answer.headers().firstValue(ANSWERED_BY).ifPresent(v -> response.header(ANSWERED_BY, v));
      response.contentType("application/json");
      return response;
    } catch (IOException e) {
      return HttpResponse.<String>status(HttpStatus.SERVICE_UNAVAILABLE)
          .body(
              "{\"message\": \"the node that owns this key, "
                  + owner.host()
                  + ":"
                  + owner.port()
                  + ", does not answer: "
                  + e.getClass().getSimpleName()
                  + "\"}")
          .contentType("application/json");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE);
    }
  }
}

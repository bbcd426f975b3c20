package io.sagastream.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ApicurioRegistryProcessIT {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theRegistryServesTheConfluentApiOnLoopbackWithBackwardCompatibilityAndStopsWhenClosed()
      throws Exception {
    // given a registry started from the distribution
    int port;
    try (ApicurioRegistryProcess registry = ApicurioRegistryProcess.start()) {
      URI url = URI.create(registry.url());
      port = url.getPort();

      // then it answers the Confluent API, with Confluent's default compatibility
      assertThat(get(registry.url() + "/subjects")).isEqualTo("[]");
      assertThat(get(registry.url() + "/config")).contains("BACKWARD");
      // and every socket it listens on (API, and management on 3.x) is on loopback
      assertThat(ListeningSockets.listenersOf(registry.processIds()))
          .extracting(ListeningSockets.Listener::port)
          .contains(port);
      assertThat(ListeningSockets.listenersOf(registry.processIds()))
          .allSatisfy(
              l -> assertThat(ListeningSockets.isLoopback(l.address())).as("%s", l).isTrue());
    }

    // when closed, nothing listens on its port any more
    assertThat(ListeningSockets.addressesListeningOn(port)).isEmpty();
  }

  private String get(String url) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
    return response.body().replace(" ", "");
  }
}

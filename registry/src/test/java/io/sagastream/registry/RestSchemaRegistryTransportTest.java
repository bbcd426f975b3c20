package io.sagastream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's transport behaviour (retries on 5xx, the Authorization header), which a real
 * registry cannot be made to show on demand, against a scripted HTTP endpoint on loopback. What the
 * registry itself answers is tested against Apicurio in {@code RestSchemaRegistryIT}.
 */
class RestSchemaRegistryTransportTest {

  private HttpServer server;
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failureStatus = 503;
  private volatile String failureBody =
      "{\"error_code\":50301,\"message\":\"registry overloaded\"}";
  private final List<String> authorizationHeaders = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/subjects", this::answer);
    server.start();
  }

  @AfterEach
  void stopEndpoint() {
    server.stop(0);
  }

  @Test
  void serverErrorsAreRetriedUntilAnAnswerComes() {
    // given an endpoint that fails twice with 503
    failuresLeft.set(2);
    SchemaRegistry registry = new RestSchemaRegistry(config(3));

    // when
    List<String> subjects = registry.subjects();

    // then the third try succeeded
    assertThat(subjects).containsExactly("orders-value");
    assertThat(authorizationHeaders).hasSize(3);
  }

  @Test
  void whenEveryTryFailsTheErrorSaysHowOftenAndWhatCameBack() {
    // given an endpoint that keeps failing
    failuresLeft.set(100);
    SchemaRegistry registry = new RestSchemaRegistry(config(2));

    // then
    assertThatThrownBy(registry::subjects)
        .isInstanceOfSatisfying(
            RegistryUnavailableException.class, e -> assertThat(e.httpStatus()).isEqualTo(503))
        .hasMessageContaining("after 3 attempts")
        .hasMessageContaining("HTTP 503")
        .hasMessageContaining("registry overloaded");
  }

  @Test
  void tooManyRequestsIsRetriedAsAServerErrorIs() {
    // given an endpoint that rate-limits twice
    failWith(2, 429, "{\"error_code\":42901,\"message\":\"slow down\"}");
    SchemaRegistry registry = new RestSchemaRegistry(config(3));

    // when
    List<String> subjects = registry.subjects();

    // then the third try succeeded
    assertThat(subjects).containsExactly("orders-value");
    assertThat(authorizationHeaders).hasSize(3);
  }

  @Test
  void refusedCredentialsAndPagesThatAreNotTheApiAreUnavailableButADeniedSubjectIsNot() {
    // given an endpoint that refuses the client's credentials, then one behind a login page
    failWith(1, 401, "{\"error_code\":40101,\"message\":\"Unauthorized\"}");
    SchemaRegistry registry = new RestSchemaRegistry(config(0));

    // then each is transient, saying what to look at, and the first was not retried
    assertThatThrownBy(registry::subjects)
        .isInstanceOfSatisfying(
            RegistryUnavailableException.class, e -> assertThat(e.httpStatus()).isEqualTo(401))
        .hasMessageContaining("check the orchestrator's registry credentials");
    failWith(1, 403, "");
    assertThatThrownBy(registry::subjects)
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("lack a permission");
    failWith(1, 403, "{\"error_code\":40301,\"message\":\"denied for subject orders-value\"}");
    assertThatThrownBy(registry::subjects)
        .as("a denial of one subject is about the call, not the client")
        .isExactlyInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("denied for subject");
    failWith(1, 200, "<html><body>Sign in</body></html>");
    assertThatThrownBy(registry::subjects)
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("not JSON")
        .hasMessageContaining("Sign in");
    assertThat(authorizationHeaders).hasSize(4);
  }

  @Test
  void basicCredentialsTravelInTheAuthorizationHeader() {
    SchemaRegistry registry =
        new RestSchemaRegistry(config(0).withAuth(RegistryAuth.basic("svc", "pw")));

    registry.subjects();

    assertThat(authorizationHeaders).containsExactly("Basic c3ZjOnB3");
  }

  @Test
  void aBearerTokenIsAskedForOnEveryCall() {
    AtomicInteger refreshes = new AtomicInteger();
    SchemaRegistry registry =
        new RestSchemaRegistry(
            config(0).withAuth(RegistryAuth.bearer(() -> "t" + refreshes.incrementAndGet())));

    registry.subjects();
    registry.subjects();

    assertThat(authorizationHeaders).containsExactly("Bearer t1", "Bearer t2");
  }

  private void failWith(int times, int status, String body) {
    failureStatus = status;
    failureBody = body;
    failuresLeft.set(times);
  }

  private RegistryClientConfig config(int retries) {
    return RegistryClientConfig.of("http://127.0.0.1:" + server.getAddress().getPort())
        .withRetries(retries, Duration.ofMillis(10));
  }

  private void answer(HttpExchange exchange) throws IOException {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    authorizationHeaders.add(auth == null ? "" : auth);
    boolean fail = failuresLeft.getAndDecrement() > 0;
    byte[] body = (fail ? failureBody : "[\"orders-value\"]").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(fail ? failureStatus : 200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}

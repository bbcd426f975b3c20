package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which node's answer a caller gets when the key's owner does not give one: other nodes stand in
 * for reads and for writes that carry their own request id, never for a write the owner may have
 * carried out. The nodes are plain HTTP servers on loopback.
 */
class OwnerForwardingTest {

  /** Long enough for a loaded machine's first connection, short enough for a silent owner. */
  private static final Duration SHORT_TIMEOUT = Duration.ofSeconds(2);

  private final List<HttpServer> servers = new ArrayList<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private final OwnerForwarding forwarding =
      new OwnerForwarding(new KeyRouting(null, "127.0.0.1:1"), new Forwarder());

  @AfterEach
  void stopServers() {
    released.countDown();
    servers.forEach(server -> server.stop(0));
  }

  @Test
  void aWriteTheOwnerTookButDidNotAnswerIsNotSentToAnotherNode() {
    // given an owner that takes calls and never answers, and a standby that answers
    List<String> ownerSaw = new CopyOnWriteArrayList<>();
    List<String> standbySaw = new CopyOnWriteArrayList<>();
    HostInfo owner = node(ownerSaw, exchange -> awaitRelease());
    HostInfo standby = node(standbySaw, exchange -> answer(exchange, 202, "{}"));

    // when an incident's retry is passed on
    HttpResponse<?> answer =
        passOn(
            List.of(owner, standby),
            HttpRequest.POST("/sagas/k/orders/retry", ""),
            OwnerForwarding.Resend.ONLY_IF_NOT_SENT);

    // then the caller hears that the owner may have carried it out, and the standby saw nothing
    assertThat(answer.code()).isEqualTo(504);
    assertThat(String.valueOf(answer.body())).contains("may have carried it out");
    assertThat(ownerSaw).containsExactly("POST /sagas/k/orders/retry");
    assertThat(standbySaw).isEmpty();
  }

  @Test
  void aReadTheOwnerDidNotAnswerIsAnsweredByAStandby() {
    // given an owner that takes calls and never answers, and a standby that answers
    List<String> standbySaw = new CopyOnWriteArrayList<>();
    HostInfo owner = node(new CopyOnWriteArrayList<>(), exchange -> awaitRelease());
    HostInfo standby = node(standbySaw, exchange -> answer(exchange, 200, "{\"stale\": true}"));

    // when a read is passed on
    HttpResponse<?> answer =
        passOn(List.of(owner, standby), HttpRequest.GET("/sagas/k"), OwnerForwarding.Resend.SAFE);

    // then the standby answers it
    assertThat(answer.code()).isEqualTo(200);
    assertThat(standbySaw).containsExactly("GET /sagas/k");
  }

  @Test
  void aWaitingStartTheOwnerTookAndDidNotAnswerIsWrittenHereNotWaitedForAgainElsewhere() {
    // given an owner that takes calls and never answers, and a standby
    List<String> standbySaw = new CopyOnWriteArrayList<>();
    HostInfo owner = node(new CopyOnWriteArrayList<>(), exchange -> awaitRelease());
    HostInfo standby = node(standbySaw, exchange -> answer(exchange, 200, "{}"));

    // when a start with its own request id and a wait is passed on
    Optional<HttpResponse<?>> answer =
        forwarding.passOnTo(
            List.of(owner, standby),
            "k",
            HttpRequest.POST("/sagas?wait=PT1S", "{\"requestId\": \"r-1\"}"),
            "{\"requestId\": \"r-1\"}",
            OwnerForwarding.Resend.HERE_IF_SILENT,
            SHORT_TIMEOUT);

    // then this node carries it out (the same request id starts the same saga), and the standby
    // is not sent it to wait all over again
    assertThat(answer).isEmpty();
    assertThat(standbySaw).isEmpty();
  }

  @Test
  void aWaitingStartTheOwnerIsNotReadyForGoesToTheStandbyWithItsRequestId() {
    // given an owner whose streams have not started, and a standby that answers
    List<String> standbySaw = new CopyOnWriteArrayList<>();
    HostInfo owner = node(new CopyOnWriteArrayList<>(), exchange -> answer(exchange, 503, "{}"));
    HostInfo standby = node(standbySaw, exchange -> answer(exchange, 200, "{}"));

    // when a start with the request id this node chose, and a wait, is passed on
    HttpResponse<?> answer =
        passOn(
            List.of(owner, standby),
            HttpRequest.POST("/sagas?wait=PT1S", "{\"requestId\": \"r-2\"}"),
            OwnerForwarding.Resend.HERE_IF_SILENT);

    // then the standby takes it, with the same request id
    assertThat(answer.code()).isEqualTo(200);
    assertThat(standbySaw).containsExactly("POST /sagas?wait=PT1S {\"requestId\": \"r-2\"}");
  }

  @Test
  void aWaitingStartNoNodeThatHoldsTheKeyCanTakeIsWrittenHere() {
    // given an owner nobody listens for, and a standby whose streams have not started
    HostInfo owner = new HostInfo("127.0.0.1", closedPort());
    HostInfo standby = node(new CopyOnWriteArrayList<>(), exchange -> answer(exchange, 503, "{}"));

    // when a start with its own request id and a wait is passed on
    Optional<HttpResponse<?>> answer =
        forwarding.passOnTo(
            List.of(owner, standby),
            "k",
            HttpRequest.POST("/sagas?wait=PT1S", "{\"requestId\": \"r-3\"}"),
            "{\"requestId\": \"r-3\"}",
            OwnerForwarding.Resend.HERE_IF_SILENT,
            SHORT_TIMEOUT);

    // then this node writes it (the same request id starts the same saga) instead of a 503
    assertThat(answer).isEmpty();
  }

  @Test
  void aWriteTheOwnerCouldNotBeReachedForGoesToTheStandby() {
    // given an owner nobody listens for, and a standby that answers
    List<String> standbySaw = new CopyOnWriteArrayList<>();
    HostInfo owner = new HostInfo("127.0.0.1", closedPort());
    HostInfo standby = node(standbySaw, exchange -> answer(exchange, 202, "{}"));

    // when a cancel is passed on
    HttpResponse<?> answer =
        passOn(
            List.of(owner, standby),
            HttpRequest.POST("/sagas/k/orders/cancel", ""),
            OwnerForwarding.Resend.ONLY_IF_NOT_SENT);

    // then the standby takes it, since the owner never saw it
    assertThat(answer.code()).isEqualTo(202);
    assertThat(standbySaw).containsExactly("POST /sagas/k/orders/cancel");
  }

  @Test
  void aReadTheOwnerIsNotReadyForIsAnsweredByTheStandby() {
    // given an owner whose streams have not started, and a standby that answers
    HostInfo owner = node(new CopyOnWriteArrayList<>(), exchange -> answer(exchange, 503, "{}"));
    HostInfo standby = node(new CopyOnWriteArrayList<>(), exchange -> answer(exchange, 200, "[]"));

    // when a read is passed on
    HttpResponse<?> answer =
        passOn(List.of(owner, standby), HttpRequest.GET("/sagas/k"), OwnerForwarding.Resend.SAFE);

    // then the standby's answer is the caller's
    assertThat(answer.code()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("[]");
  }

  @Test
  void theOwnersRefusalKeepsTheHeaderThatSaysHowToAuthenticate() {
    // given an owner that refuses the caller's credentials
    HostInfo owner =
        node(
            new CopyOnWriteArrayList<>(),
            exchange -> {
              exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"sagastream\"");
              answer(exchange, 401, "{\"message\": \"who are you?\"}");
            });

    // when a read is passed on
    HttpResponse<?> answer =
        passOn(List.of(owner), HttpRequest.GET("/sagas/k"), OwnerForwarding.Resend.SAFE);

    // then the caller gets the refusal with the header
    assertThat(answer.code()).isEqualTo(401);
    assertThat(answer.getHeaders().get("WWW-Authenticate"))
        .isEqualTo("Bearer realm=\"sagastream\"");
  }

  @Test
  void anAnswerWithAStatusThisServerCannotNameIsABadGateway() {
    // given an owner behind a proxy that answers with a status of its own
    HostInfo owner = node(new CopyOnWriteArrayList<>(), exchange -> answer(exchange, 520, ""));

    // when a read is passed on
    HttpResponse<?> answer =
        passOn(List.of(owner), HttpRequest.GET("/sagas/k"), OwnerForwarding.Resend.SAFE);

    // then the caller gets a 502 naming the status, not a 500
    assertThat(answer.code()).isEqualTo(502);
    assertThat(String.valueOf(answer.body())).contains("520");
  }

  private HttpResponse<?> passOn(
      List<HostInfo> nodes, HttpRequest<?> request, OwnerForwarding.Resend resend) {
    String body = request.getBody(String.class).orElse(null);
    Optional<HttpResponse<?>> answer =
        forwarding.passOnTo(nodes, "k", request, body, resend, SHORT_TIMEOUT);
    assertThat(answer).as("this node is not among the nodes, so it never answers").isPresent();
    return answer.get();
  }

  /** A node that notes each call ("METHOD path?query body") and handles it with {@code then}. */
  private HostInfo node(List<String> saw, Consumer<HttpExchange> then) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
      server.createContext(
          "/",
          exchange -> {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            saw.add(
                (exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body).trim());
            then.accept(exchange);
          });
      server.start();
      servers.add(server);
      return new HostInfo("127.0.0.1", server.getAddress().getPort());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitRelease() {
    try {
      released.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void answer(HttpExchange exchange, int status, String body) {
    try {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.sagastream.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.sagastream.app.security.ApiAccessRule;
import io.sagastream.app.security.SecuritySettings;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failure detection faster than the group's session timeout. Each node asks its peers every few
 * hundred milliseconds whether they are alive; when a peer that has answered before stays silent
 * past the lease, a survivor removes its static members from the group, so that the rebalance
 * starts at once and the standbys take over, and fences its transactional ids, so that its open
 * transaction is aborted instead of holding back read_committed readers until it times out. Static
 * membership only: the broker removes only members named by their instance id.
 *
 * <p>Silence comes in two kinds with different leases. A refused connection means nothing listens
 * on the peer's port any more: its process is gone, and the short lease applies. Questions that go
 * unanswered may also come from a node that is busy (a long pause, a starved CPU) and still holds
 * its partitions; taking it over would cost a rebalance and fence work in progress, so the longer
 * unresponsive lease applies. A host that vanished from the network gives timeouts too, and is
 * taken over after the longer lease.
 */
@Context
final class PeerWatch {

  private static final Logger LOG = LoggerFactory.getLogger(PeerWatch.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(1);

  /** Read and written by the one scheduler thread. */
  private long lastCheckNanos;

  private final KeyRouting routing;
  private final OrchestratorSettings settings;
  private final MeterRegistry meters;
  private final Map<String, PeerState> peers = new ConcurrentHashMap<>();
  private final HttpClient http;
  private final ScheduledExecutorService scheduler;
  private final String nodeToken;

  /** Open while watching, so that a takeover does not wait for a new client to connect. */
  private final GroupTakeover group;

  PeerWatch(
      KeyRouting routing,
      OrchestratorSettings settings,
      MeterRegistry meters,
      SecuritySettings security,
      KafkaClients clients,
      @Value("${kafka.streams.default.application.server:}") String address) {
    this.routing = routing;
    this.nodeToken = security.getNodeToken();
    this.settings = settings;
    this.meters = meters;
    boolean watching =
        !settings.getGroupInstanceId().isBlank()
            && !address.isBlank()
            && settings.getPeerLease().compareTo(Duration.ZERO) > 0;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.getPeerCheckInterval().multipliedBy(2))
            .build();
    if (watching) {
      group = new GroupTakeover(Admin.create(clients.common()), settings.getApplicationId());
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, "sagastream-peer-watch");
                thread.setDaemon(true);
                return thread;
              });
      long every = settings.getPeerCheckInterval().toMillis();
      scheduler.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
      scheduler.scheduleWithFixedDelay(
          this::describeGroup, 0, GroupTakeover.DESCRIBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      group = null;
      scheduler = null;
    }
  }

  /**
   * {@code address} is shutting down to come back (SIGTERM with static membership): it is not taken
   * over while silent. It leaves the group itself unless told not to hand off; then, should it not
   * come back, the group's session timeout moves its partitions. False, and nothing kept, when no
   * peer of the group has that address: anyone may call this without a node token, and an address
   * kept for each call would grow without end.
   */
  boolean departing(String address) {
    boolean known = routing.peers().stream().map(Forwarder::address).anyMatch(address::equals);
    if (!known) {
      return false;
    }
    peers.computeIfAbsent(address, a -> new PeerState()).departing(System.nanoTime());
    LOG.info("Peer {} is shutting down to come back: not taken over while away", address);
    return true;
  }

  /** Tells every peer that this node is shutting down to come back. */
  void announceDeparture(String self) {
    for (HostInfo node : routing.peers()) {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(
                  URI.create("http://" + Forwarder.address(node) + "/nodes/departures"))
              .timeout(Duration.ofSeconds(1))
              .header("Content-Type", "application/json")
              .header(Forwarder.FORWARDED, "1")
              .POST(HttpRequest.BodyPublishers.ofString("{\"address\": \"" + self + "\"}"));
      if (!nodeToken.isBlank()) {
        builder.header(ApiAccessRule.NODE_TOKEN_HEADER, nodeToken);
      }
      HttpRequest request = builder.build();
      try {
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 202) {
          // A peer that does not know this node (404: its view of the group is still forming)
          // may take it over while away, as it would a crashed one.
          LOG.info("Peer {} did not take the departure: HTTP {}", node, status);
        }
      } catch (java.io.IOException e) {
        LOG.debug("Peer {} did not hear of the departure: {}", node, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Takes this node's own stream threads out of the group and fences their transactions: for a node
   * whose close did not finish, whose leave-group never went out, so that its partitions do not
   * wait the session timeout for a node that is going away. False when it could not.
   */
  boolean takeSelfOut(String instanceId, String processId) {
    if (group == null) {
      return false;
    }
    try {
      GroupTakeover.Outcome outcome = group.takeOver(instanceId, processId, false);
      LOG.info(
          "Took this node out of the group ({} member(s) removed, {} transaction(s) fenced)",
          outcome.membersRemoved(),
          outcome.fenced().size());
      return true;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("Could not take this node out of the group: {}", e.toString());
      return false;
    }
  }

  @PreDestroy
  void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (group != null) {
      group.close();
    }
  }

  private void check() {
    try {
      long now = System.nanoTime();
      if (lastCheckNanos != 0 && now - lastCheckNanos > unwatchedGap().toNanos()) {
        LOG.info(
            "Peers were not watched for {} ms (a pause of this node, or a slow takeover): their"
                + " silence in that time is not counted",
            Duration.ofNanos(now - lastCheckNanos).toMillis());
        peers.values().forEach(peer -> peer.notWatchedUntil(now));
      }
      // Taken at the start, so that the time a takeover below blocks this thread counts as a gap.
      lastCheckNanos = now;
      List<HostInfo> current = routing.peers();
      peers.keySet().retainAll(current.stream().map(Forwarder::address).toList());
      for (HostInfo node : current) {
        PeerState peer = peers.computeIfAbsent(Forwarder.address(node), a -> new PeerState());
        ask(node, peer);
        if (peer.dueForTakeover(System.nanoTime(), leaseOf(peer))) {
          if (takeOver(Forwarder.address(node), peer)) {
            peer.takenOver();
          } else {
            peer.takeoverFailed(System.nanoTime(), settings.getPeerCheckInterval());
          }
          // A takeover can take seconds, in which the other peers were not asked: they are
          // judged at the next check, which counts that time as not watched.
          break;
        }
      }
    } catch (IllegalStateException e) {
      // Kafka Streams is starting or shutting down and knows no peers: nothing to check yet.
      LOG.debug("Peer check skipped: {}", e.toString());
    } catch (RuntimeException e) {
      LOG.warn("Peer check failed: {}", e.toString());
    }
  }

  /** A scheduled task that throws is never run again: a failed describe is only logged. */
  private void describeGroup() {
    try {
      group.describeGroup();
    } catch (RuntimeException e) {
      LOG.debug("Group description skipped: {}", e.toString());
    }
  }

  private void ask(HostInfo node, PeerState peer) {
    if (!peer.startAsking(System.nanoTime())) {
      return;
    }
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create("http://" + Forwarder.address(node) + "/nodes/self"))
            // Not tied to the refusal lease: a busy peer answering late is not a refusing one.
            .timeout(ASK_TIMEOUT)
            .header(Forwarder.FORWARDED, "1");
    if (!nodeToken.isBlank()) {
      // With a node token configured, /nodes/self answers only peers that show it.
      builder.header(ApiAccessRule.NODE_TOKEN_HEADER, nodeToken);
    }
    CompletableFuture<HttpResponse<String>> asked;
    try {
      asked = http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (RuntimeException e) {
      peer.askingDone();
      throw e;
    }
    asked.whenComplete(
        (answer, failure) -> {
          // The outcome first: a question sent once asking is done must find it recorded.
          if (failure != null) {
            peer.unanswered(refused(failure));
          } else if (answer.statusCode() == 200) {
            try {
              peer.answered(JSON.readTree(answer.body()), System.nanoTime());
            } catch (java.io.IOException e) {
              LOG.debug("Unreadable answer from {}: {}", node, e.toString());
            }
          }
          peer.askingDone();
        });
  }

  /**
   * Whether the peer's host refused the connection: nothing listens on the port, as after a crash.
   * A connection that timed out is not a refusal (a host gone from the network, a full accept
   * queue), though some JDKs report it as a ConnectException caused by or causing the timeout.
   */
  static boolean refused(Throwable failure) {
    boolean connectFailed = false;
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.net.http.HttpTimeoutException
          || cause instanceof java.net.SocketTimeoutException) {
        return false;
      }
      connectFailed |= cause instanceof java.net.ConnectException;
    }
    return connectFailed;
  }

  /**
   * A gap between checks longer than this means this node was not looking: a third of the shortest
   * lease, and at least a second.
   */
  private Duration unwatchedGap() {
    Duration shortest = settings.getPeerLease();
    Duration third = shortest.dividedBy(3);
    return third.compareTo(Duration.ofSeconds(1)) > 0 ? third : Duration.ofSeconds(1);
  }

  private Duration leaseOf(PeerState peer) {
    return peer.refusing() ? settings.getPeerLease() : settings.getPeerUnresponsiveLease();
  }

  /** Whether the peer is out of the group now: taken out here, or gone already. */
  private boolean takeOver(String address, PeerState peer) {
    JsonNode identity = peer.identity();
    String silence = peer.refusing() ? "refused connections" : "left questions unanswered";
    Duration lease = leaseOf(peer);
    String instanceId = identity.path("groupInstanceId").asText("");
    String processId = identity.path("processId").asText("");
    long started = System.nanoTime();
    GroupTakeover.Outcome outcome;
    try {
      outcome = group.takeOver(instanceId, processId, !peer.retrying());
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.info(
          "Could not take peer {} ({}) out of the group, trying again: {}",
          address,
          instanceId,
          e.toString());
      return false;
    }
    if (outcome.membersRemoved() == 0) {
      LOG.info("Peer {} ({}) is out of the group already", address, instanceId);
      return true;
    }
    meters.counter("sagastream.failover.takeovers").increment();
    LOG.warn(
        "Peer {} ({}, process {}) {} for more than {}: removed {} from the group and fenced {} in {}"
            + " ms",
        address,
        instanceId,
        processId,
        silence,
        lease,
        outcome.membersRemoved() == 1 ? "1 member" : outcome.membersRemoved() + " members",
        outcome.fencingFailure().map(e -> "none (" + e + ")").orElse(outcome.fenced().toString()),
        Duration.ofNanos(System.nanoTime() - started).toMillis());
    return true;
  }
}

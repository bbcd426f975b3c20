package io.sagastream.app;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Decides who answers a call about a key: its owner; when the owner does not answer, a node with a
 * standby replica of the key (this one, or another), whose answer is marked stale.
 */
@Singleton
final class OwnerForwarding {

  /**
   * How long a node waits for another's answer to a call that does not wait for a saga: long enough
   * for a write the broker is slow to take (30 s), short enough that a node that took the call and
   * froze does not hold the caller for minutes.
   */
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(45);

  /** Whether a call may go to the next node after one was sent it and gave no answer. */
  enum Resend {
    /** Reads: doing them twice does them once. */
    SAFE,
    /**
     * Writes that would be done twice (a retry of an incident could resolve a later incident): only
     * a node that never saw the call is passed over.
     */
    ONLY_IF_NOT_SENT,
    /**
     * A start that waits, with the request id this node chose: an owner that is not ready is passed
     * over as for a read; after an owner that took it and fell silent, or when no node that holds
     * the key can take it, this node writes the same start (the same saga) rather than another node
     * waiting the whole wait again.
     */
    HERE_IF_SILENT
  }

  private final KeyRouting routing;
  private final Forwarder forwarder;

  OwnerForwarding(KeyRouting routing, Forwarder forwarder) {
    this.routing = routing;
    this.forwarder = forwarder;
  }

  /**
   * The answer of the node that answers for {@code key}, or empty when this node answers: it owns
   * the key, holds its standby while the owner is away, or the call was already passed on once.
   */
  Optional<HttpResponse<?>> passOn(
      String key, HttpRequest<?> request, String body, Resend resend, Duration timeout) {
    return passOn(key, request, body, resend, timeout, Map.of());
  }

  /**
   * As {@link #passOn(String, HttpRequest, String, Resend, Duration)}, with headers of the body.
   */
  Optional<HttpResponse<?>> passOn(
      String key,
      HttpRequest<?> request,
      String body,
      Resend resend,
      Duration timeout,
      Map<String, String> bodyHeaders) {
    if (request.getHeaders().contains(Forwarder.FORWARDED)) {
      // Passed on by a node whose view of the group is older or newer than this one's: an answer
      // from stores that do not hold the key would be a 404 that looks final. A start may be
      // written by any node.
      if (resend != Resend.HERE_IF_SILENT && !routing.holds(key)) {
        return Optional.of(
            unavailable(
                HttpStatus.SERVICE_UNAVAILABLE,
                "this node does not hold key '"
                    + key
                    + "' (its partition is moving between nodes): call again"));
      }
      return Optional.empty();
    }
    KeyRouting.Route route = routing.route(key);
    if (route.local()) {
      return Optional.empty();
    }
    List<HostInfo> candidates = new ArrayList<>();
    candidates.add(route.owner());
    candidates.addAll(route.standbys());
    return passOnTo(candidates, key, request, body, resend, timeout, bodyHeaders);
  }

  /** Reads and writes a key's owner may answer, in the order the route gives its nodes. */
  Optional<HttpResponse<?>> passOnTo(
      List<HostInfo> candidates,
      String key,
      HttpRequest<?> request,
      String body,
      Resend resend,
      Duration timeout) {
    return passOnTo(candidates, key, request, body, resend, timeout, Map.of());
  }

  private Optional<HttpResponse<?>> passOnTo(
      List<HostInfo> candidates,
      String key,
      HttpRequest<?> request,
      String body,
      Resend resend,
      Duration timeout,
      Map<String, String> bodyHeaders) {
    Map<String, String> headers = new java.util.LinkedHashMap<>(Callers.passedOn(request));
    headers.putAll(bodyHeaders);
    List<HostInfo> tried = new ArrayList<>();
    MutableHttpResponse<String> notReady = null;
    for (HostInfo node : candidates) {
      if (routing.isSelf(node)) {
        return Optional.empty();
      }
      Forwarder.Outcome outcome =
          forwarder.forward(
              node, request.getMethodName(), request.getUri().toString(), body, headers, timeout);
      tried.add(node);
      if (outcome instanceof Forwarder.Answered answered) {
        // An owner whose streams have not started yet answers 503; a standby may know the key.
        if (answered.response().getStatus() != HttpStatus.SERVICE_UNAVAILABLE
            || resend == Resend.ONLY_IF_NOT_SENT) {
          return Optional.of(answered.response());
        }
        notReady = answered.response();
      } else if (outcome instanceof Forwarder.NoAnswer && resend == Resend.HERE_IF_SILENT) {
        return Optional.empty();
      } else if (outcome instanceof Forwarder.NoAnswer noAnswer && resend != Resend.SAFE) {
        return Optional.of(
            unavailable(
                HttpStatus.GATEWAY_TIMEOUT,
                "node "
                    + Forwarder.address(node)
                    + ", which holds key '"
                    + key
                    + "', took the call but did not answer ("
                    + noAnswer.why()
                    + "); it may have carried it out: look at the saga before calling again"));
      }
    }
    if (resend == Resend.HERE_IF_SILENT) {
      // No node that holds the key could take the start: any node may write it, under the same
      // request id, and a 503 would only have the caller send it again.
      return Optional.empty();
    }
    if (notReady != null) {
      return Optional.of(notReady);
    }
    return Optional.of(
        unavailable(
            HttpStatus.SERVICE_UNAVAILABLE,
            "no node that holds key '"
                + key
                + "' answers (tried "
                + tried.stream().map(Forwarder::address).toList()
                + ")"));
  }

  private static HttpResponse<?> unavailable(HttpStatus status, String message) {
    return HttpResponse.<Object>status(status).body(ApiErrors.body(message, null));
  }

  /** Adds which node answered, so that callers and tests can see where an answer came from. */
  <T> MutableHttpResponse<T> answered(MutableHttpResponse<T> response) {
    routing.self().ifPresent(self -> response.header(Forwarder.ANSWERED_BY, self));
    return response;
  }
}

package io.sagastream.app;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Decides who answers a call about a key: its owner; when the owner does not answer, a node with a
 * standby replica of the key (this one, or another), whose answer is marked stale.
 */
@Singleton
final class OwnerForwarding {

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
  Optional<HttpResponse<?>> passOn(String key, HttpRequest<?> request, String body) {
    if (request.getHeaders().contains(Forwarder.FORWARDED)) {
      return Optional.empty();
    }
    KeyRouting.Route route = routing.route(key);
    if (route.local()) {
      return Optional.empty();
    }
    List<HostInfo> tried = new ArrayList<>();
    List<HostInfo> candidates = new ArrayList<>();
    candidates.add(route.owner());
    candidates.addAll(route.standbys());
    for (HostInfo node : candidates) {
      if (routing.isSelf(node)) {
        return Optional.empty();
      }
      Optional<MutableHttpResponse<String>> answer =
          forwarder.forward(
              node,
              request.getMethodName(),
              request.getUri().toString(),
              body,
              Callers.passedOn(request));
      if (answer.isPresent()) {
        return Optional.of(answer.get());
      }
      tried.add(node);
    }
    return Optional.of(
        HttpResponse.<Object>status(HttpStatus.SERVICE_UNAVAILABLE)
            .body(
                ApiErrors.body(
                    "no node that holds key '"
                        + key
                        + "' answers (tried "
                        + tried.stream().map(Forwarder::address).toList()
                        + ")",
                    null)));
  }

  /** Adds which node answered, so that callers and tests can see where an answer came from. */
  <T> MutableHttpResponse<T> answered(MutableHttpResponse<T> response) {
    routing.self().ifPresent(self -> response.header(Forwarder.ANSWERED_BY, self));
    return response;
  }
}

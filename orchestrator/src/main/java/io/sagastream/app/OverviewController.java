package io.sagastream.app;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.sagastream.topology.TaskCensus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The group's figures in one answer, for the console's first page: each node counts what it runs,
 * and the node asked adds up its peers' counts, naming those that do not answer (as a list does).
 */
@Controller("/overview")
class OverviewController {

  private static final Duration PEER_TIMEOUT = Duration.ofSeconds(5);
  // A peer of a later version may answer with more fields: its figures still count.
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final MicrometerSagaMetrics metrics;
  private final RecentActivity activity;
  private final MeterRegistry registry;
  private final KeyRouting routing;
  private final Forwarder forwarder;
  private final NodeIdentity identity;

  OverviewController(
      MicrometerSagaMetrics metrics,
      RecentActivity activity,
      MeterRegistry registry,
      KeyRouting routing,
      Forwarder forwarder,
      NodeIdentity identity) {
    this.metrics = metrics;
    this.activity = activity;
    this.registry = registry;
    this.routing = routing;
    this.forwarder = forwarder;
    this.identity = identity;
  }

  @Get
  Overview overview(HttpRequest<?> request) {
    Overview local = local();
    if (request.getHeaders().contains(Forwarder.FORWARDED)) {
      return local;
    }
    Map<HostInfo, CompletableFuture<String>> asked = new LinkedHashMap<>();
    for (HostInfo peer : routing.peers()) {
      asked.put(peer, forwarder.get(peer, "/overview", PEER_TIMEOUT, Callers.passedOn(request)));
    }
    List<Overview> parts = new ArrayList<>(List.of(local));
    List<String> unanswered = new ArrayList<>();
    asked.forEach(
        (peer, answer) -> {
          try {
            parts.add(JSON.readValue(answer.join(), Overview.class));
          } catch (CompletionException | IOException | UncheckedIOException e) {
            unanswered.add(Forwarder.address(peer));
          }
        });
    return Overview.merge(parts, unanswered);
  }

  /** This node's own figures. */
  private Overview local() {
    TaskCensus census = metrics.census();
    List<Overview.InstanceCount> instances = new ArrayList<>();
    census
        .instances()
        .forEach(
            (definition, byStatus) ->
                byStatus.forEach(
                    (status, count) ->
                        instances.add(
                            new Overview.InstanceCount(definition, status.name(), count))));
    List<Overview.VersionCount> versions = new ArrayList<>();
    census
        .openByVersion()
        .forEach(
            (definition, byVersion) ->
                byVersion.forEach(
                    (version, count) ->
                        versions.add(new Overview.VersionCount(definition, version, count))));
    Map<String, Long> deadLetters = new TreeMap<>();
    for (Counter counter : registry.find("sagastream.dead.letters").counters()) {
      deadLetters.merge(counter.getId().getTag("reason"), (long) counter.count(), Long::sum);
    }
    Counter incidents = registry.find("sagastream.incidents").counter();
    Timer lateness = metrics.timerLateness();
    return new Overview(
        instances,
        versions,
        activity.recent(),
        deadLetters,
        incidents == null ? 0 : (long) incidents.count(),
        census.timersPending(),
        new Overview.Lateness(
            lateness.count(),
            lateness.mean(TimeUnit.MILLISECONDS),
            lateness.max(TimeUnit.MILLISECONDS)),
        List.of(identity.self().address()),
        List.of());
  }
}

package io.sagastream.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sagastream.contracts.v1.DeadLetterReason;
import io.sagastream.engine.SagaStatus;
import io.sagastream.topology.SagaMetrics;
import io.sagastream.topology.TaskCensus;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/** The topology's counts as Micrometer meters, scraped at /prometheus. */
@Singleton
final class MicrometerSagaMetrics implements SagaMetrics {

  private static final Set<String> RETRY_EVENTS = Set.of("StepRetryScheduled");
  private static final Set<String> TIMEOUT_EVENTS = Set.of("StepTimedOut", "ReceiveTimedOut");

  private final MeterRegistry registry;
  private final RecentActivity activity;
  private final Timer timerLateness;
  private final Timer recoveryScans;

  /** What each task's latest recovery scan re-drove: the gauge sums them, as for the census. */
  private final Map<String, Integer> redrivenByTask = new ConcurrentHashMap<>();

  /** The latest census of each task this node runs; gauges sum over them. */
  private final Map<String, TaskCensus> censusByTask = new ConcurrentHashMap<>();

  private final Set<String> instanceGauges = ConcurrentHashMap.newKeySet();

  // Meters by their tags, found again without the registry's lookup (which builds and sorts an id
  // each time): the stream thread counts several journal events and one round trip per step.
  private final Map<EventTags, Counter> eventCounters = new ConcurrentHashMap<>();
  private final Map<StepTags, Timer> roundTrips = new ConcurrentHashMap<>();

  private record EventTags(String definition, String event) {}

  private record StepTags(String definition, String step, String kind, String outcome) {}

  MicrometerSagaMetrics(MeterRegistry registry, RecentActivity activity) {
    this.registry = registry;
    this.activity = activity;
    this.timerLateness =
        Timer.builder("sagastream.timer.lateness")
            .description("How long after its due time a timer fired")
            .publishPercentileHistogram()
            .register(registry);
    this.recoveryScans =
        Timer.builder("sagastream.recovery.scan")
            .description("Recovery scans of a task's instances, and how long they took")
            .register(registry);
    Gauge.builder(
            "sagastream.recovery.redriven.last",
            redrivenByTask,
            byTask -> byTask.values().stream().mapToInt(Integer::intValue).sum())
        .description("Instances the latest recovery scan of each of the node's tasks re-drove")
        .register(registry);
    gaugeOverTasks(
        "sagastream.timers.pending", "Timers waiting to fire", TaskCensus::timersPending);
    gaugeOverTasks(
        "sagastream.inbox.messages",
        "Messages kept for sagas that do not wait for them yet",
        TaskCensus::inboxMessages);
  }

  @Override
  public void deadLettered(DeadLetterReason reason) {
    registry.counter("sagastream.dead.letters", "reason", reason.name()).increment();
  }

  @Override
  public void journaled(String definition, String event) {
    eventCounters
        .computeIfAbsent(
            new EventTags(definition, event),
            tags ->
                registry.counter(
                    "sagastream.saga.events", "definition", definition, "event", event))
        .increment();
    activity.journaled(event);
    if (RETRY_EVENTS.contains(event)) {
      registry.counter("sagastream.step.retries", "definition", definition).increment();
    } else if (TIMEOUT_EVENTS.contains(event)) {
      registry.counter("sagastream.step.timeouts", "definition", definition).increment();
    }
  }

  @Override
  public void incidentRaised() {
    registry.counter("sagastream.incidents").increment();
  }

  @Override
  public void redriven() {
    registry.counter("sagastream.recovery.redriven").increment();
  }

  @Override
  public void endedRemoved(int count) {
    registry.counter("sagastream.instances.removed").increment(count);
  }

  @Override
  public void punctuationFailed() {
    registry.counter("sagastream.punctuation.failed").increment();
  }

  @Override
  public void rerouted() {
    registry.counter("sagastream.rerouted").increment();
  }

  @Override
  public void timerFired(long lateMillis) {
    timerLateness.record(Duration.ofMillis(Math.max(0, lateMillis)));
  }

  @Override
  public void stepReplied(
      String definition, String step, String kind, String outcome, Duration roundTrip) {
    roundTrips
        .computeIfAbsent(
            new StepTags(definition, step, kind, outcome),
            tags ->
                Timer.builder("sagastream.step.round.trip")
                    .description("From sending a step's command to its reply")
                    .tags("definition", definition, "step", step, "kind", kind, "outcome", outcome)
                    .publishPercentileHistogram()
                    .register(registry))
        .record(roundTrip.isNegative() ? Duration.ZERO : roundTrip);
  }

  @Override
  public void inboxExpired() {
    registry.counter("sagastream.inbox.expired").increment();
  }

  @Override
  public void recoveryScanned(String task, Duration took, int redriven, TaskCensus census) {
    recoveryScans.record(took);
    redrivenByTask.put(task, redriven);
    censusByTask.put(task, census);
    census.instances().forEach((definition, byStatus) -> registerInstanceGauges(definition));
  }

  @Override
  public void taskClosed(String task) {
    censusByTask.remove(task);
    redrivenByTask.remove(task);
  }

  /** The latest census of every task this node runs, summed. */
  TaskCensus census() {
    Map<String, Map<SagaStatus, Long>> instances = new TreeMap<>();
    Map<String, Map<Integer, Long>> openByVersion = new TreeMap<>();
    long timers = 0;
    long inbox = 0;
    for (TaskCensus task : censusByTask.values()) {
      task.instances()
          .forEach(
              (definition, byStatus) ->
                  byStatus.forEach(
                      (status, count) ->
                          instances
                              .computeIfAbsent(definition, d -> new EnumMap<>(SagaStatus.class))
                              .merge(status, count, Long::sum)));
      task.openByVersion()
          .forEach(
              (definition, byVersion) ->
                  byVersion.forEach(
                      (version, count) ->
                          openByVersion
                              .computeIfAbsent(definition, d -> new TreeMap<>())
                              .merge(version, count, Long::sum)));
      timers += task.timersPending();
      inbox += task.inboxMessages();
    }
    return new TaskCensus(instances, timers, inbox, openByVersion);
  }

  /** How late timers fired, since start-up: count and mean; the max of the last minute or so. */
  Timer timerLateness() {
    return timerLateness;
  }

  /** One gauge per definition and status, so that a status with no instances shows 0. */
  private void registerInstanceGauges(String definition) {
    if (!instanceGauges.add(definition)) {
      return;
    }
    for (SagaStatus status : SagaStatus.values()) {
      Gauge.builder(
              "sagastream.instances",
              censusByTask,
              tasks ->
                  tasks.values().stream()
                      .mapToLong(
                          c ->
                              c.instances()
                                  .getOrDefault(definition, Map.of())
                                  .getOrDefault(status, 0L))
                      .sum())
          .description("Saga instances on this node's active tasks, by status")
          .tags("definition", definition, "status", status.name())
          .register(registry);
    }
  }

  private void gaugeOverTasks(String name, String description, ToLongFunction<TaskCensus> measure) {
    Gauge.builder(name, censusByTask, tasks -> tasks.values().stream().mapToLong(measure).sum())
        .description(description)
        .register(registry);
  }
}

package io.sagastream.samples;

import io.sagastream.registry.SchemaRegistry;
import io.sagastream.worker.SagaWorker;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One team's participant running on a {@link SagaWorker}, with its faults and an outage switch:
 * {@link #goDown} stops the worker as a crashed service would stop, and starts a new one with the
 * same instance id when the outage is over; the commands sent meanwhile wait in their topics.
 */
public final class SampleParticipant implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SampleParticipant.class);

  /** A handler runs inside its batch's transaction: keep a slow batch well inside the timeout. */
  private static final Duration SLOW_BATCH_BUDGET = Duration.ofSeconds(10);

  private final SampleTeam team;
  private final FaultInjector faults;
  private final String bootstrapServers;
  private final Map<String, Object> kafka;
  private final SchemaRegistry registry;
  private final SampleTopics topics;
  private final ScheduledExecutorService outages;
  private SagaWorker worker;
  private boolean closed;

  SampleParticipant(
      SampleTeam team,
      FaultPlan plan,
      String bootstrapServers,
      Map<String, Object> kafka,
      SchemaRegistry registry,
      SampleTopics topics) {
    this.team = team;
    this.faults = new FaultInjector(team.name(), plan);
    this.bootstrapServers = bootstrapServers;
    this.kafka = Map.copyOf(kafka);
    this.registry = registry;
    this.topics = topics;
    this.outages =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "outages-" + team.name());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Registers the team's contracts, starts serving, and schedules the plan's outage if any. */
  synchronized SampleParticipant start() {
    team.contracts().forEach(schema -> registry.register(schema.getFullName(), schema));
    worker = newWorker();
    FaultPlan plan = faults.plan();
    if (plan.hasOutage()) {
      outages.schedule(
          () -> goDown(plan.downFor()), plan.downAfter().toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  public SampleTeam team() {
    return team;
  }

  public FaultInjector faults() {
    return faults;
  }

  /**
   * Whether the participant serves commands now (false while down, while Kafka refuses its login or
   * an ACL it needs, and once closed).
   */
  public synchronized boolean isUp() {
    return worker != null && worker.isRunning() && worker.kafkaRefusal().isEmpty();
  }

  /**
   * Why the participant's worker stopped on its own (its Kafka client could not be built, say);
   * empty while it serves, while it is down for a planned outage, and once closed.
   */
  public synchronized Optional<Throwable> failure() {
    return worker == null ? Optional.empty() : worker.failure();
  }

  /** Stops serving for {@code length}, then comes back; the commands meanwhile wait for it. */
  public void goDown(Duration length) {
    Objects.requireNonNull(length, "length");
    SagaWorker stopping;
    synchronized (this) {
      if (closed || worker == null) {
        return;
      }
      stopping = worker;
      worker = null;
    }
    LOG.info("Participant {} goes down for {}", team.name(), length);
    stopping.close(Duration.ofSeconds(10));
    outages.schedule(this::comeBack, length.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void comeBack() {
    if (!closed && worker == null) {
      worker = newWorker();
      LOG.info("Participant {} is back", team.name());
    }
  }

  private SagaWorker newWorker() {
    long latency = Math.max(1, faults.plan().latency().toMillis());
    int maxPollRecords = (int) Math.max(1, Math.min(500, SLOW_BATCH_BUDGET.toMillis() / latency));
    SagaWorker.Builder builder =
        SagaWorker.builder()
            .bootstrapServers(bootstrapServers)
            .kafkaProperties(kafka)
            .registry(registry)
            .group(topics.prefix() + team.name())
            // Stable across outages, so that the new worker settles its predecessor's transaction.
            .instanceId(team.name() + "-1")
            .consumerProperties(Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords))
            .closeTimeout(Duration.ofSeconds(10));
    return team.handlers(builder, topics, faults).build().start();
  }

  @Override
  public void close() {
    SagaWorker stopping;
    synchronized (this) {
      closed = true;
      stopping = worker;
      worker = null;
    }
    outages.shutdownNow();
    if (stopping != null) {
      stopping.close();
    }
  }
}

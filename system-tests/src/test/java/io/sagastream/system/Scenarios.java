package io.sagastream.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.samples.OrderFulfilment;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every scenario does around its fault: start a load of demo sagas on the {@link
 * SystemUnderTest}, wait for each saga to end, check the invariants of {@link Verdict}, and print
 * the figures on one line starting {@code SYSTEM}.
 *
 * <p>{@code -Dsagastream.system.sagas} sets the sagas per scenario (3000 by default, the "a
 * few thousand"), {@code -Dsagastream.system.outage} how long the participant of scenario h is down
 * (PT2M by default, the two minutes), {@code -Dsagastream.system.warm-up-sagas} the sagas
 * of the warm-up (300 by default; 0 for none).
 */
final class Scenarios {

  private static final Logger LOG = LoggerFactory.getLogger(Scenarios.class);

  static final int SAGAS = Integer.getInteger("sagastream.system.sagas", 3000);
  static final Duration OUTAGE =
      Duration.parse(System.getProperty("sagastream.system.outage", "PT2M"));
  private static final int MAX_OPEN = 50;

  /**
   * Without a warm-up, scenario a killed a node about 11 s after the processes started, and its
   * failover gap was the longest of every run (2.7 to 5.7 s; 3.4 s against 1.8 and 1.2 s for the
   * kills of scenarios b and d in one run): the survivors' stream threads, still running cold code
   * on two busy cores, took 1 to 2.3 s to rejoin the group after their heartbeat had heard of the
   * rebalance, where warm ones rejoin within milliseconds. With the same build and this warm-up,
   * scenario a gave 1.8 s.
   */
  private static final int WARM_UP_SAGAS =
      Integer.getInteger("sagastream.system.warm-up-sagas", 300);

  /** How long a load may take to start its sagas, and they to end: more for a bigger load. */
  static final Duration LOAD_WITHIN = Duration.ofMinutes(2).plus(Duration.ofMillis(SAGAS * 150L));

  private static final Duration ALL_END_WITHIN = Duration.ofMinutes(3).plus(LOAD_WITHIN);

  /**
   * The longest failover gap a scenario passes with: a third of the group's session timeout (45 s),
   * which is what failure detection falls back to should the peer watch not take a dead node out;
   * the gaps measured are around a second.
   */
  static final Duration LONGEST_GAP = Duration.ofSeconds(15);

  private final SystemUnderTest system;
  private long takeoversBefore;
  private long loadStartedAt;
  private SagaLoad current;

  Scenarios(SystemUnderTest system) {
    this.system = system;
  }

  /** A directory of its own for one test class's run: node and broker logs, node state. */
  static Path workDirectory() {
    return Path.of(System.getProperty("sagastream.system.work", "target/system"))
        .resolve(Instant.now().toString().replace(':', '-'));
  }

  /** The packaged orchestrator the nodes run. */
  static Path orchestratorJar() {
    return Path.of(
        System.getProperty(
            "sagastream.system.jar", "../orchestrator/target/sagastream-orchestrator.jar"));
  }

  /** Runs the warm-up load through the healthy system and waits for every saga of it to end. */
  void warmUp() {
    if (WARM_UP_SAGAS <= 0) {
      return;
    }
    SagaLoad load = startLoad("w", OrderFulfilment.NAME, WARM_UP_SAGAS, 0);
    try {
      load.awaitFinished(ALL_END_WITHIN);
      List<String> keys = load.keys();
      awaitEnded(keys, ALL_END_WITHIN);
      assertThat(load.failures()).as("warm-up calls no node accepted").isEmpty();
      assertThat(system.observer().lastEnded(keys)).as("every warm-up saga ended").isPresent();
      LOG.info("Warm-up: {} sagas ended", keys.size());
    } finally {
      load.close();
    }
  }

  /** Starts {@code sagas} sagas, as fast as the nodes take them or {@code perSecond} if above 0. */
  SagaLoad startLoad(String scenario, String definition, int sagas, double perSecond) {
    LOG.info("Scenario {}: {} sagas of {}", scenario, sagas, definition);
    closeLoad();
    takeoversBefore = system.peerTakeovers();
    loadStartedAt = System.nanoTime();
    current =
        SagaLoad.start(
            new SagaLoad.Plan(scenario, definition, sagas, perSecond, MAX_OPEN),
            system::serving,
            () -> system.observer().ended(scenario));
    return current;
  }

  /**
   * Stops the load started last, if it still runs: a scenario that failed before its finish must
   * not leave its load starting sagas through the scenarios after it.
   */
  void closeLoad() {
    if (current != null) {
      current.close();
      current = null;
    }
  }

  /**
   * Waits for the load and for every saga to end, checks the invariants, and prints the scenario's
   * SYSTEM line; returns the verdict, for what a scenario checks of its own.
   */
  Verdict finish(
      String scenario,
      String what,
      SagaLoad load,
      int maxAttempts,
      Map<String, String> extra,
      Supplier<Duration> gap) {
    Duration endWithin = ALL_END_WITHIN.plus(scenario.equals("h") ? OUTAGE : Duration.ZERO);
    try {
      load.awaitFinished(endWithin);
      assertThat(load.failures()).as("calls no node accepted").isEmpty();
      List<String> keys = load.keys();
      Observer observer = system.observer();
      awaitEnded(keys, endWithin);
      observer.awaitCommandsOf(scenario + "-order-", Duration.ofSeconds(10));
      Verdict verdict = Verdict.check(scenario, keys, observer, maxAttempts, system::faults);
      long lastEnded = observer.lastEnded(keys).orElse(System.nanoTime());
      // Every dead letter since the load started, whatever its key: only scenario f's poison may
      // be one.
      List<Observer.DeadLetter> letters =
          observer.deadLetters().stream().filter(l -> l.seenAtNanos() >= loadStartedAt).toList();
      long deadLetters = letters.size();
      List<Observer.DeadLetter> unexpected =
          letters.stream().filter(l -> l.poisonId() == null).toList();
      Duration failoverGap = gap.get();
      StringBuilder line = new StringBuilder();
      line.append(
          String.format(
              Locale.ROOT,
              "SYSTEM %s %s: sagas=%d completed=%d compensated=%d failed=%d duration=%s"
                  + " failover-gap=%s dead-letters=%d commands=%d duplicate-commands=%d"
                  + " retries=%d timeouts=%d redriven=%d predicted=%d/%d peer-takeovers=%d",
              scenario,
              what,
              verdict.sagas(),
              verdict.completed,
              verdict.compensated,
              verdict.failed,
              seconds(lastEnded - load.firstStartNanos()),
              scenario.equals("h")
                  ? "n/a(" + seconds(failoverGap.toNanos()) + ")"
                  : seconds(failoverGap.toNanos()),
              deadLetters,
              verdict.commands,
              verdict.duplicates,
              verdict.retries,
              verdict.timeouts,
              verdict.redriven,
              verdict.predictedRight,
              verdict.predictable,
              system.peerTakeovers() - takeoversBefore));
      extra.forEach((name, value) -> line.append(' ').append(name).append('=').append(value));
      System.out.println(line);
      LOG.info("{}", line);
      assertThat(observer.problems()).as("what the observer could not read").isEmpty();
      assertThat(verdict.firstViolations(30))
          .as(
              "invariants of scenario %s (%d violations, the first 30 here; node logs %s)",
              scenario, verdict.violations().size(), system.logs())
          .isEmpty();
      assertThat(unexpected).as("dead letters of scenario %s but its poison", scenario).isEmpty();
      assertThat(verdict.redriven)
          .as("sagas of scenario %s the recovery scan found stuck and re-drove", scenario)
          .isZero();
      if (!scenario.equals("h")) {
        // In h the pause is the participant's outage, not a failover.
        assertThat(failoverGap)
            .as("the failover gap of scenario %s", scenario)
            .isLessThan(LONGEST_GAP);
      }
      return verdict;
    } finally {
      load.close();
    }
  }

  /** Waits until the observer has seen every one of {@code keys} end, or {@code within} passed. */
  private void awaitEnded(List<String> keys, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (system.observer().lastEnded(keys).isEmpty() && System.nanoTime() < deadline) {
      NodeProcess.sleep(200);
    }
  }

  /**
   * Waits until each of {@code partitions} has carried a command since a second after {@code t}.
   */
  void awaitProgress(Set<Integer> partitions, long since) {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    long after = since + 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      boolean all =
          partitions.stream()
              .allMatch(
                  p ->
                      system.observer().commandsSeen(Set.of(p)).stream()
                          .anyMatch(at -> at > after));
      if (all) {
        return;
      }
      NodeProcess.sleep(100);
    }
    throw new AssertionError("Partitions " + partitions + " made no progress within 90 s");
  }

  static Set<Integer> allPartitions() {
    return IntStream.range(0, SystemUnderTest.PARTITIONS).boxed().collect(Collectors.toSet());
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
  }
}

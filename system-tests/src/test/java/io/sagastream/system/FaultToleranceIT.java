package io.sagastream.system;

import static io.sagastream.system.Scenarios.LOAD_WITHIN;
import static io.sagastream.system.Scenarios.OUTAGE;
import static io.sagastream.system.Scenarios.SAGAS;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.samples.OrderFulfilment;
import io.sagastream.samples.payment.PaymentTeam;
import io.sagastream.testing.Brokers;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.SchemaRegistryServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fault tolerance under load: one system (three node processes, three brokers in this JVM, a
 * registry, the sample participants) shared by the scenarios, which run in order, each with a load
 * of demo sagas of its own while something fails, and each restored to health after. Every scenario
 * checks the invariants of {@link Verdict} and prints its figures on one line starting {@code
 * SYSTEM} ({@link Scenarios}, which also says how to size the loads). Scenario c, a broker killed,
 * runs in {@link BrokerFailureIT} with brokers that are processes of their own.
 *
 * <p>Before the first scenario a warm-up load runs through the healthy system and is only checked
 * to end: a node killed seconds after the processes started measured the JIT compilers of the
 * system's JVMs competing for the cores, not the failover.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIT extends SystemScenarioTest {

  private static final Duration REGISTRY_OUTAGE = Duration.ofSeconds(30);

  /**
   * Saga starts per second in the rolling restart: enough that a pause in a node's commands is the
   * restart's and not a gap between sagas on its two partitions, which a load of 2.5 a second
   * measured instead (see README, System tests).
   */
  private static final double ROLLING_RESTART_STARTS = 15;

  /** Enough for three minutes of starts; the scenario stops starting once the restarts are done. */
  private static final int ROLLING_RESTART_SAGAS = (int) (ROLLING_RESTART_STARTS * 180);

  /**
   * The brokers run in this JVM, where the broker code is compiled once for all four servers: as
   * processes of their own, on two cores, they made these scenarios run about 1.7 times as long.
   */
  @BeforeAll
  void startTheSystem(@Brokers(3) KafkaCluster kafka, SchemaRegistryServer registry) {
    startOn(kafka, registry, Scenarios.workDirectory());
  }

  @Test
  @Order(1)
  void a_aNodeKilledMidLoadIsTakenOverAndEverySagaEnds() {
    // given a load of sagas
    SagaLoad load = scenarios.startLoad("a", OrderFulfilment.NAME, SAGAS, 0);

    // when the busiest node is killed a third of the way in
    load.awaitAccepted(SAGAS / 3, LOAD_WITHIN);
    SystemUnderTest.Victim victim = system.busiestVictim();
    Set<Integer> partitions = victim.partitions();
    long killedAt = System.nanoTime();
    system.kill(victim.node());

    // then every saga ends as its faults say, exactly once, in order
    scenarios.finish(
        "a",
        "kill -9 one node",
        load,
        SystemUnderTest.MAX_ATTEMPTS,
        Map.of(),
        () -> system.observer().longestPause(partitions, killedAt, load.lastStartNanos()));
  }

  @Test
  @Order(2)
  void b_twoOfThreeNodesKilledOneAfterTheOtherLeaveOneThatRunsEverySaga() {
    // given a load of sagas
    SagaLoad load = scenarios.startLoad("b", OrderFulfilment.NAME, SAGAS, 0);

    // when the busiest node is killed, and once its partitions move on, the next busiest
    load.awaitAccepted(SAGAS / 4, LOAD_WITHIN);
    SystemUnderTest.Victim first = system.busiestVictim();
    Set<Integer> firstPartitions = first.partitions();
    long firstKilledAt = System.nanoTime();
    system.kill(first.node());
    scenarios.awaitProgress(firstPartitions, firstKilledAt);
    load.awaitAccepted(SAGAS / 2, LOAD_WITHIN);
    SystemUnderTest.Victim second = system.busiestVictim();
    Set<Integer> secondPartitions = second.partitions();
    long secondKilledAt = System.nanoTime();
    system.kill(second.node());

    // then the last node runs every saga to its end
    scenarios.finish(
        "b",
        "kill -9 two of three nodes",
        load,
        SystemUnderTest.MAX_ATTEMPTS,
        Map.of(),
        () -> {
          Duration one =
              system.observer().longestPause(firstPartitions, firstKilledAt, secondKilledAt);
          Duration two =
              system
                  .observer()
                  .longestPause(secondPartitions, secondKilledAt, load.lastStartNanos());
          return one.compareTo(two) > 0 ? one : two;
        });
  }

  @Test
  @Order(3)
  void d_aKilledNodeRestartedWithItsIdentityAndStateRejoinsTheGroup() {
    // given a load of sagas
    SagaLoad load = scenarios.startLoad("d", OrderFulfilment.NAME, SAGAS, 0);

    // when the busiest node is killed, and started again as itself once its peers took over
    load.awaitAccepted(SAGAS / 4, LOAD_WITHIN);
    SystemUnderTest.Victim killed = system.busiestVictim();
    NodeProcess victim = killed.node();
    Set<Integer> partitions = killed.partitions();
    long killedAt = System.nanoTime();
    system.kill(victim);
    scenarios.awaitProgress(partitions, killedAt);
    long restartedAt = System.nanoTime();
    system.restart(victim);
    long readyAt = System.nanoTime();
    system.awaitSettled(SystemUnderTest.READY_WITHIN);
    long settledAt = System.nanoTime();

    // then it is back in the group, holding partitions again (as standby replicas first: its
    // peers' tasks move back to it once it has caught up), and every saga ends
    assertThat(victim.nodes()).hasSize(SystemUnderTest.NODES);
    assertThat(system.awaitHolding(victim))
        .as("partitions %s holds after its restart", victim)
        .isNotEmpty();
    scenarios.finish(
        "d",
        "kill -9 a node and restart it",
        load,
        SystemUnderTest.MAX_ATTEMPTS,
        Map.of(
            "restart-to-ready", Scenarios.seconds(readyAt - restartedAt),
            "restart-to-settled", Scenarios.seconds(settledAt - restartedAt),
            "active-after", victim.activePartitions().toString().replace(" ", "")),
        () -> system.observer().longestPause(partitions, killedAt, load.lastStartNanos()));
  }

  @Test
  @Order(4)
  void e_aRollingRestartOneNodeAtATimeKeepsEverySaga() {
    // given a steady load, dense enough that a pause in it is the restart's and not the load's
    SagaLoad load =
        scenarios.startLoad(
            "e", OrderFulfilment.NAME, ROLLING_RESTART_SAGAS, ROLLING_RESTART_STARTS);
    load.awaitAccepted(Math.min(20, SAGAS / 10), LOAD_WITHIN);

    // when each node in turn, highest first, is stopped with SIGTERM and started again
    Map<String, Duration> pauses = new LinkedHashMap<>();
    List<String> kept = new ArrayList<>();
    List<NodeProcess> nodes = new ArrayList<>(system.nodes());
    Collections.reverse(nodes);
    for (NodeProcess node : nodes) {
      Set<Integer> partitions = node.activePartitions();
      long stoppedAt = System.nanoTime();
      assertThat(system.terminate(node)).as(node + " stops by itself on SIGTERM").isTrue();
      system.restart(node);
      system.awaitSettled(SystemUnderTest.READY_WITHIN);
      long settledAt = System.nanoTime();
      scenarios.awaitProgress(partitions, settledAt);
      assertThat(system.awaitHolding(node))
          .as("partitions %s holds after its restart", node)
          .isNotEmpty();
      pauses.put(
          node.name(), system.observer().longestPause(partitions, stoppedAt, System.nanoTime()));
      kept.add(node.name() + ":" + partitions + "->" + node.activePartitions());
    }
    load.stopStarting();

    // then every saga ends, and each node's pause lasted about its restart
    scenarios.finish(
        "e",
        "rolling restart (SIGTERM) of all nodes",
        load,
        SystemUnderTest.MAX_ATTEMPTS,
        Map.of(
            "partitions",
            kept.toString().replace(" ", ""),
            "pauses",
            pauses.entrySet().stream()
                .map(pause -> pause.getKey() + ":" + Scenarios.seconds(pause.getValue().toNanos()))
                .collect(Collectors.joining(",", "[", "]"))),
        () -> pauses.values().stream().max(Duration::compareTo).orElse(Duration.ZERO));
  }

  @Test
  @Order(5)
  void f_poisonOnEveryInputTopicGoesToDeadLettersAndTheLoadCompletes() {
    // given a load of sagas
    SagaLoad load = scenarios.startLoad("f", OrderFulfilment.NAME, SAGAS, 0);

    // when records no node can read land on every input topic, twice during the load
    List<PoisonRecords.Sent> poison = new ArrayList<>();
    long firstPoisonAt = 0;
    for (int round = 1; round <= 2; round++) {
      load.awaitAccepted(SAGAS * round / 3, LOAD_WITHIN);
      String key = load.keys().get(0);
      String sagaId = OrderFulfilment.NAME + ":" + key + ":" + key;
      if (round == 1) {
        firstPoisonAt = System.nanoTime();
      }
      poison.addAll(PoisonRecords.send(system.kafka, system.topics, "r" + round, key, sagaId));
    }
    long poisonedAt = firstPoisonAt;

    // then each is a dead letter with its reason, and every saga ends as if nothing happened
    scenarios.finish(
        "f",
        "poison records on every input topic",
        load,
        SystemUnderTest.MAX_ATTEMPTS,
        Map.of("poison", Integer.toString(poison.size())),
        () ->
            system
                .observer()
                .longestPause(Scenarios.allPartitions(), poisonedAt, load.lastStartNanos()));
    Map<String, Observer.DeadLetter> letters = awaitDeadLetters(poison);
    for (PoisonRecords.Sent sent : poison) {
      Observer.DeadLetter letter = letters.get(sent.id());
      assertThat(letter).as("the dead letter of %s", sent).isNotNull();
      assertThat(letter.reason()).as("the reason of %s", sent).isNotBlank();
      assertThat(letter.sourceTopic()).as("the source of %s", sent).isEqualTo(sent.topic());
    }
    Map<String, Long> reasons =
        letters.values().stream()
            .collect(
                Collectors.groupingBy(
                    Observer.DeadLetter::reason, TreeMap::new, Collectors.counting()));
    System.out.println("SYSTEM f dead-letter reasons " + reasons);
    long repeated =
        system.observer().deadLetters().stream()
            .filter(l -> l.poisonId() != null)
            .collect(Collectors.groupingBy(Observer.DeadLetter::poisonId, Collectors.counting()))
            .values()
            .stream()
            .filter(count -> count > 1)
            .count();
    assertThat(repeated).as("poison records dead-lettered more than once").isZero();
  }

  @Test
  @Order(6)
  void g_theRegistryUnreachableForHalfAMinuteHoldsNoSagaBack() {
    // given a steady load that lasts past the outage
    double perSecond = SAGAS / (REGISTRY_OUTAGE.toSeconds() + 15.0);
    SagaLoad load = scenarios.startLoad("g", OrderFulfilment.NAME, SAGAS, perSecond);

    // when the registry stops answering (connections refused) for 30 s
    load.awaitAccepted(SAGAS / 6, LOAD_WITHIN);
    long downAt = System.nanoTime();
    system.registryProxy().goDown();
    NodeProcess.sleep(REGISTRY_OUTAGE.toMillis());
    system.registryProxy().comeBack();

    // then every saga ends, and none waited so long for the registry that a step timed out
    Verdict verdict =
        scenarios.finish(
            "g",
            "registry unreachable " + REGISTRY_OUTAGE.toSeconds() + " s",
            load,
            SystemUnderTest.MAX_ATTEMPTS,
            Map.of("load-retries", Integer.toString(load.retriedCalls())),
            () ->
                system
                    .observer()
                    .longestPause(Scenarios.allPartitions(), downAt, load.lastStartNanos()));
    assertThat(verdict.timeouts).as("steps that timed out while the registry was away").isZero();
  }

  @Test
  @Order(7)
  void h_aParticipantDownForAWhileIsWaitedForAndEverySagaEnds() {
    // given a steady load of a definition whose steps try long enough to outlast the outage
    double perSecond = SAGAS / (OUTAGE.toSeconds() + 15.0);
    SagaLoad load = scenarios.startLoad("h", SystemUnderTest.PATIENT, SAGAS, perSecond);

    // when payment goes down
    load.awaitAccepted(SAGAS / 5, LOAD_WITHIN);
    long downAt = System.nanoTime();
    system.participants().participant(PaymentTeam.NAME).goDown(OUTAGE);

    // then its commands wait, time out, are retried with backoff, and every saga ends once it is
    // back
    Verdict verdict =
        scenarios.finish(
            "h",
            "participant payment down " + OUTAGE.toSeconds() + " s",
            load,
            SystemUnderTest.PATIENT_MAX_ATTEMPTS,
            Map.of(),
            () ->
                system
                    .observer()
                    .longestPause(Scenarios.allPartitions(), downAt, load.lastStartNanos()));
    assertThat(verdict.timeouts)
        .as("payment's steps that timed out while it was down")
        .isPositive();
  }

  private Map<String, Observer.DeadLetter> awaitDeadLetters(List<PoisonRecords.Sent> poison) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Map<String, Observer.DeadLetter> letters = Map.of();
    while (System.nanoTime() < deadline) {
      letters =
          system.observer().deadLetters().stream()
              .filter(l -> l.poisonId() != null)
              .collect(Collectors.toMap(Observer.DeadLetter::poisonId, l -> l, (a, b) -> a));
      if (letters.size() >= poison.size()) {
        break;
      }
      NodeProcess.sleep(200);
    }
    return letters;
  }
}

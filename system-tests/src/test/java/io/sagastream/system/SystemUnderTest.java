package io.sagastream.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagastream.samples.FaultInjector;
import io.sagastream.samples.FaultPlan;
import io.sagastream.samples.OrderFulfilment;
import io.sagastream.samples.SampleParticipants;
import io.sagastream.samples.SampleSettings;
import io.sagastream.samples.SampleTopics;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.LoopbackRelay;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.topology.SagaTopics;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system the scenarios disturb, shared by all of them: three orchestrator nodes (the packaged
 * jar, each a process, static members with standby replicas), a three-broker cluster, the registry
 * behind a relay that can go down, the sample participants with their deterministic faults, and an
 * {@link Observer}. {@link #restore} brings it back to three serving nodes, three brokers, a
 * reachable registry and every participant up, between scenarios.
 */
final class SystemUnderTest implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SystemUnderTest.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  static final int PARTITIONS = 6;

  /**
   * Stream threads per node: as a node ships (0: two, or one where it counts a single core), or
   * {@code -Dsagastream.system.stream-threads}, to see the scenarios through with another count a
   * node might be given in production.
   */
  static final int STREAM_THREADS = Integer.getInteger("sagastream.system.stream-threads", 0);

  static final int NODES = 3;
  static final Duration READY_WITHIN = Duration.ofSeconds(150);

  /** Each team fails 5% of its actions for good and 10% of its commands for now, as the demo. */
  static final FaultPlan FAULTS = FaultPlan.failing(0.05, 0.10);

  /** The tries of each action in the samples' order-fulfilment.json. */
  static final int MAX_ATTEMPTS = 6;

  /** A copy of order-fulfilment that waits out a long participant outage (scenario h). */
  static final String PATIENT = "order-fulfilment-patient";

  static final int PATIENT_MAX_ATTEMPTS = 40;

  final KafkaCluster kafka;
  final SchemaRegistryServer registry;
  final String prefix;
  final SagaTopics topics;
  final Path work;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final Set<NodeProcess> serving = ConcurrentHashMap.newKeySet();
  private final Set<Integer> stoppedBrokers = new TreeSet<>();
  private LoopbackRelay proxy;
  private SampleParticipants participants;
  private Observer observer;

  private SystemUnderTest(KafkaCluster kafka, SchemaRegistryServer registry, Path work) {
    this.kafka = kafka;
    this.registry = registry;
    this.prefix = "sys" + UUID.randomUUID().toString().substring(0, 6) + ".";
    this.topics = new SagaTopics(prefix, PARTITIONS, (short) 3);
    this.work = work;
  }

  /** Starts everything and waits until three nodes share the partitions. */
  static SystemUnderTest start(
      KafkaCluster kafka, SchemaRegistryServer registry, Path jar, Path work) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "No orchestrator jar at " + jar + "; build it with ./mvnw -pl system-tests -am verify");
    }
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create " + work + ": " + e, e);
    }
    SystemUnderTest system = new SystemUnderTest(kafka, registry, work);
    try {
      system.startAll(jar);
    } catch (RuntimeException | Error e) {
      system.close();
      throw e;
    }
    return system;
  }

  private void startAll(Path jar) {
    long begun = System.nanoTime();
    proxy = LoopbackRelay.start(registry.url());
    participants =
        SampleParticipants.start(
            new SampleSettings(
                    kafka.bootstrapServers(), proxy.url(), prefix, PARTITIONS, (short) 3, Map.of())
                .withFaults(SampleParticipants.TEAMS, FAULTS));
    Map<String, String> settings = new HashMap<>();
    settings.put("SAGASTREAM_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    settings.put("SAGASTREAM_SCHEMA_REGISTRY_URL", proxy.url());
    settings.put("SAGASTREAM_APPLICATION_ID", prefix + "orchestrator");
    settings.put("SAGASTREAM_TOPIC_PREFIX", prefix);
    settings.put("SAGASTREAM_PARTITIONS", Integer.toString(PARTITIONS));
    settings.put("SAGASTREAM_REPLICATION_FACTOR", "3");
    settings.put("SAGASTREAM_STANDBY_REPLICAS", "1");
    settings.put("SAGASTREAM_SHUTDOWN_TIMEOUT", "20s");
    // A saga whose timer is a minute overdue is re-driven within a scenario, so that "none
    // re-driven" can fail: at the default 5 minutes most scenarios end before any scan could.
    settings.put("SAGASTREAM_RECOVERY_AGE", "60s");
    if (STREAM_THREADS > 0) {
      settings.put("KAFKA_STREAMS_DEFAULT_NUM_STREAM_THREADS", Integer.toString(STREAM_THREADS));
    }
    for (int i = 1; i <= NODES; i++) {
      nodes.add(NodeProcess.of(jar, "node-" + i, work, settings));
    }
    nodes.forEach(NodeProcess::start);
    nodes.forEach(node -> node.awaitReady(READY_WITHIN));
    serving.addAll(nodes);
    awaitSettled(READY_WITHIN);
    deploy(OrderFulfilment.definitionDocument(prefix));
    deploy(patientDefinition());
    observer =
        Observer.start(
            kafka.bootstrapServers(),
            registry.url(),
            new SampleTopics(prefix).all(),
            topics.events(),
            topics.deadLetters());
    LOG.info(
        "System up in {} s: {} nodes, {}, registry {} behind {}, logs in {}",
        (System.nanoTime() - begun) / 1_000_000_000,
        nodes.size(),
        kafka.describe(),
        registry.url(),
        proxy.url(),
        work);
  }

  List<NodeProcess> nodes() {
    return List.copyOf(nodes);
  }

  /** The nodes the load may call: running, and not being stopped. */
  List<NodeProcess> serving() {
    return nodes.stream().filter(serving::contains).filter(NodeProcess::isRunning).toList();
  }

  Observer observer() {
    return observer;
  }

  SampleParticipants participants() {
    return participants;
  }

  LoopbackRelay registryProxy() {
    return proxy;
  }

  FaultInjector faults(String team) {
    return participants.participant(team).faults();
  }

  /** The serving node that runs the most partitions as active tasks. */
  NodeProcess busiestNode() {
    return serving().stream()
        .max(Comparator.comparingInt(n -> n.activePartitions().size()))
        .orElseThrow(() -> new IllegalStateException("no node serves"));
  }

  /**
   * The busiest node and the partitions it runs, which must be some: a node that did not answer
   * {@code /nodes} in time would count as running none, and killing it would test no failover.
   */
  Victim busiestVictim() {
    for (int attempt = 0; attempt < 5; attempt++) {
      NodeProcess node = busiestNode();
      Set<Integer> partitions = node.activePartitions();
      if (!partitions.isEmpty()) {
        return new Victim(node, partitions);
      }
      NodeProcess.sleep(1000);
    }
    throw new AssertionError("no node said which partitions it runs: nothing to fail over");
  }

  record Victim(NodeProcess node, Set<Integer> partitions) {}

  /** The partitions {@code node} holds once it has some, or none after 60 s. */
  Set<Integer> awaitHolding(NodeProcess node) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Set<Integer> held = node.heldPartitions();
    while (held.isEmpty() && System.nanoTime() < deadline) {
      NodeProcess.sleep(500);
      held = node.heldPartitions();
    }
    return held;
  }

  void kill(NodeProcess node) {
    serving.remove(node);
    node.kill();
  }

  /** SIGTERM, and whether the node stopped by itself within its shutdown timeout and some. */
  boolean terminate(NodeProcess node) {
    serving.remove(node);
    return node.terminate(Duration.ofSeconds(60));
  }

  /** Starts a stopped node again, with its identity, port and state directory, and waits. */
  void restart(NodeProcess node) {
    node.start().awaitReady(READY_WITHIN);
    serving.add(node);
  }

  /** kill -9 to a broker. */
  void killBroker(int broker) {
    brokerProcesses().kill(broker);
    stoppedBrokers.add(broker);
  }

  /** Only a broker that is a process of its own can be killed, and started again on its logs. */
  private BrokerProcesses brokerProcesses() {
    if (kafka instanceof BrokerProcesses processes) {
      return processes;
    }
    throw new IllegalStateException(
        "Brokers that can be killed are processes, not " + kafka.describe());
  }

  /** The broker that leads partition 0 of the requests topic. */
  int leaderOfRequests() {
    try (Admin admin = kafka.admin()) {
      TopicDescription description =
          admin
              .describeTopics(List.of(topics.requests()))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get(topics.requests());
      return description.partitions().get(0).leader().id();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot describe " + topics.requests() + ": " + e, e);
    }
  }

  /**
   * Three brokers with every partition of the system's topics in sync and every partition led by
   * its preferred replica, a reachable registry, every participant up, and three serving nodes that
   * share every partition.
   */
  void restore() {
    long begun = System.nanoTime();
    boolean brokersReturned = !stoppedBrokers.isEmpty();
    for (int broker : List.copyOf(stoppedBrokers)) {
      brokerProcesses().restart(broker);
      stoppedBrokers.remove(broker);
    }
    proxy.comeBack();
    List<NodeProcess> down = nodes.stream().filter(n -> !n.isRunning()).toList();
    down.forEach(NodeProcess::start);
    down.forEach(this::restartedReady);
    nodes.stream().filter(NodeProcess::isRunning).forEach(serving::add);
    awaitParticipants();
    awaitInSync(Duration.ofSeconds(60));
    if (brokersReturned) {
      electPreferredLeaders();
    }
    awaitSettled(READY_WITHIN);
    LOG.info("Restored in {} ms", (System.nanoTime() - begun) / 1_000_000);
  }

  /**
   * Gives a returned broker its leaderships back now, between scenarios. Left to the brokers'
   * automatic rebalancing (every five minutes), the leaders moved in the middle of a later
   * scenario, whose failover gap then measured the move (2.7 s in scenario f once) and not its own
   * fault.
   */
  private void electPreferredLeaders() {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long moved = 0;
    List<String> failed = List.of();
    do {
      Map<TopicPartition, Optional<Throwable>> outcomes = preferredLeaderElection();
      moved += outcomes.values().stream().filter(Optional::isEmpty).count();
      // a replica of an internal topic may still be catching up; its election is tried again
      failed =
          outcomes.entrySet().stream()
              .filter(e -> e.getValue().isPresent())
              .filter(e -> !(e.getValue().get() instanceof ElectionNotNeededException))
              .map(e -> e.getKey() + ": " + e.getValue().get())
              .toList();
      if (failed.isEmpty()) {
        LOG.info("Preferred leaders elected: {} partitions moved", moved);
        return;
      }
      NodeProcess.sleep(500);
    } while (System.nanoTime() < deadline);
    throw new IllegalStateException("Preferred leaders not elected within 60 s: " + failed);
  }

  private Map<TopicPartition, Optional<Throwable>> preferredLeaderElection() {
    try (Admin admin = kafka.admin()) {
      return admin
          .electLeaders(ElectionType.PREFERRED, null)
          .partitions()
          .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted electing preferred leaders", e);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot elect preferred leaders: " + e, e);
    }
  }

  private void restartedReady(NodeProcess node) {
    node.awaitReady(READY_WITHIN);
  }

  private void awaitParticipants() {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!participants.allUp()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("The participants are not all up after a minute");
      }
      NodeProcess.sleep(200);
    }
  }

  /** Every node lists three members, and every partition has an active task somewhere. */
  void awaitSettled(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      List<NodeProcess> up = serving();
      if (up.size() == NODES) {
        List<JsonNode> members = up.get(0).nodes();
        Set<Integer> active = new TreeSet<>();
        for (JsonNode member : members) {
          member
              .path("active")
              .forEach(
                  p -> {
                    String text = p.asText();
                    active.add(Integer.parseInt(text.substring(text.lastIndexOf('-') + 1)));
                  });
        }
        if (members.size() == NODES && active.size() == PARTITIONS) {
          return;
        }
        last = members.size() + " members, active partitions " + active;
      } else {
        last = up.size() + " nodes serve";
      }
      NodeProcess.sleep(250);
    }
    throw new IllegalStateException("The group did not settle within " + within + ": " + last);
  }

  private void awaitInSync(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try (Admin admin = kafka.admin()) {
        List<String> names =
            admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(name -> name.startsWith(prefix))
                .toList();
        long behind =
            admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                .flatMap(t -> t.partitions().stream())
                .filter(p -> p.isr().size() < p.replicas().size())
                .count();
        if (behind == 0) {
          return;
        }
        last = behind + " partitions under-replicated";
      } catch (Exception e) {
        last = e.toString();
      }
      NodeProcess.sleep(500);
    }
    throw new IllegalStateException("Replicas not in sync within " + within + ": " + last);
  }

  private void deploy(String document) {
    try {
      HttpResponse<String> answer = serving().get(0).post("/definitions", document);
      if (answer.statusCode() != 201) {
        throw new IllegalStateException(
            "Deploying a definition answered " + answer.statusCode() + ": " + answer.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot deploy a definition: " + e, e);
    }
  }

  /** order-fulfilment under another name, with enough tries to outlast a participant outage. */
  private String patientDefinition() {
    try {
      ObjectNode document = (ObjectNode) JSON.readTree(OrderFulfilment.definitionDocument(prefix));
      document.put("name", PATIENT);
      document.path("steps").forEach(step -> patient(step.path("retry")));
      document.path("steps").forEach(step -> patient(step.path("compensationRetry")));
      return document.toString();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read order-fulfilment.json: " + e, e);
    }
  }

  private static void patient(JsonNode retry) {
    if (retry instanceof ObjectNode policy) {
      policy.put("maxAttempts", PATIENT_MAX_ATTEMPTS);
    }
  }

  /**
   * How often a node has taken a silent peer out of the group so far (PeerWatch logs each), in all
   * nodes' logs: a kill should cause one per kill; more are takeovers of peers that were only slow.
   */
  long peerTakeovers() {
    return nodes.stream().mapToLong(n -> n.logLinesWith("from the group and fenced")).sum();
  }

  /** Where each node's log is, for failure messages. */
  String logs() {
    return nodes.stream().map(n -> n.name() + ": " + n.log()).toList().toString();
  }

  @Override
  public void close() {
    if (observer != null) {
      observer.close();
    }
    if (participants != null) {
      participants.close();
    }
    nodes.parallelStream().forEach(NodeProcess::close);
    if (proxy != null) {
      proxy.close();
    }
    deleteStateDirectories();
  }

  /** The nodes' stores go; their logs stay, for a look after the run. */
  private void deleteStateDirectories() {
    for (NodeProcess node : nodes) {
      Path state = work.resolve(node.name() + "-state");
      if (node.isRunning() || !Files.isDirectory(state)) {
        continue;
      }
      try (var paths = Files.walk(state)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      } catch (IOException e) {
        LOG.warn("Cannot delete {}: {}", state, e.toString());
      }
    }
  }
}

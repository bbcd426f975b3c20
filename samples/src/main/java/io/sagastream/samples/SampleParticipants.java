package io.sagastream.samples;

import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.samples.inventory.InventoryTeam;
import io.sagastream.samples.payment.PaymentTeam;
import io.sagastream.samples.shipping.ShippingTeam;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three sample participants of the order-fulfilment saga (inventory, payment, shipping), each a
 * worker of its own with its own faults, sharing one registry client. {@link #main} runs them as a
 * process of their own, configured by environment variables (see {@link SampleSettings}).
 */
public final class SampleParticipants implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SampleParticipants.class);

  /** The teams' names, in the order their steps run. */
  public static final List<String> TEAMS =
      List.of(InventoryTeam.NAME, PaymentTeam.NAME, ShippingTeam.NAME);

  /** The environment variable that names the teams {@link #main} runs, comma-separated. */
  public static final String TEAMS_VARIABLE = "SAMPLES_TEAMS";

  private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

  /**
   * How long the shutdown hook waits for the participants to close: longer than their close timeout
   * (10 s, in parallel), within the deployment's grace period (30 s).
   */
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(25);

  private final SchemaRegistry registry;
  private final Map<String, SampleParticipant> participants;

  private SampleParticipants(SchemaRegistry registry, Map<String, SampleParticipant> participants) {
    this.registry = registry;
    this.participants = participants;
  }

  /**
   * Creates the command topics that are missing, registers each team's contracts and the saga
   * data's schema, and starts the participants.
   */
  public static SampleParticipants start(SampleSettings settings) {
    return start(settings, TEAMS);
  }

  /**
   * Starts only the participants of {@code teams}, so that another implementation (the Node.js
   * shipping participant, say) can serve the others; every team's contracts are registered still.
   */
  public static SampleParticipants start(SampleSettings settings, List<String> teams) {
    SampleTopics topics = new SampleTopics(settings.topicPrefix());
    try (Admin admin = Admin.create(adminConfig(settings))) {
      topics.createMissing(admin, settings.partitions(), settings.replicationFactor());
    }
    SchemaRegistry registry =
        new RestSchemaRegistry(RegistryClientConfig.of(settings.registryUrl()));
    Map<String, SampleParticipant> started = new LinkedHashMap<>();
    SampleParticipants participants = new SampleParticipants(registry, started);
    try {
      OrderFulfilment.registerDataSchema(registry);
      for (SampleTeam team : List.of(new InventoryTeam(), new PaymentTeam(), new ShippingTeam())) {
        if (!teams.contains(team.name())) {
          team.contracts().forEach(schema -> registry.register(schema.getFullName(), schema));
          continue;
        }
        SampleParticipant participant =
            new SampleParticipant(
                team,
                settings.faultsOf(team.name()),
                settings.bootstrapServers(),
                settings.kafka(),
                registry,
                topics);
        started.put(team.name(), participant.start());
      }
    } catch (RuntimeException e) {
      participants.close();
      throw e;
    }
    LOG.info("Sample participants {} started on topics {}", started.keySet(), topics.all());
    return participants;
  }

  /**
   * The teams named by {@value #TEAMS_VARIABLE} (e.g. {@code inventory,payment}), or all of them
   * when it is not set: a team served by another implementation (the Node.js shipping participant)
   * must not be served here as well, or each command would be answered twice.
   *
   * @throws IllegalArgumentException naming a team that does not exist, or when none is named
   */
  static List<String> teamsFromEnvironment(Map<String, String> env) {
    String text = env.get(TEAMS_VARIABLE);
    if (text == null) {
      return TEAMS;
    }
    List<String> teams = new ArrayList<>();
    for (String name : text.split(",")) {
      String team = name.trim();
      if (team.isEmpty()) {
        continue;
      }
      if (!TEAMS.contains(team)) {
        throw new IllegalArgumentException(
            TEAMS_VARIABLE + " names an unknown team '" + team + "'; the teams are " + TEAMS);
      }
      if (!teams.contains(team)) {
        teams.add(team);
      }
    }
    if (teams.isEmpty()) {
      throw new IllegalArgumentException(
          TEAMS_VARIABLE + " names no team; name some of " + TEAMS + " or leave it unset for all");
    }
    return List.copyOf(teams);
  }

  /** The admin's settings: the shared Kafka client properties and the bootstrap servers. */
  static Map<String, Object> adminConfig(SampleSettings settings) {
    Map<String, Object> config = new HashMap<>(settings.kafka());
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    return config;
  }

  /** The teams whose participants run here. */
  public java.util.Set<String> participants() {
    return java.util.Set.copyOf(participants.keySet());
  }

  /** The participant of {@code team} (one of {@link #TEAMS}). */
  public SampleParticipant participant(String team) {
    SampleParticipant participant = participants.get(team);
    if (participant == null) {
      throw new IllegalArgumentException("No sample participant " + team + "; there are " + TEAMS);
    }
    return participant;
  }

  public InventoryTeam inventory() {
    return (InventoryTeam) participant(InventoryTeam.NAME).team();
  }

  public PaymentTeam payment() {
    return (PaymentTeam) participant(PaymentTeam.NAME).team();
  }

  public ShippingTeam shipping() {
    return (ShippingTeam) participant(ShippingTeam.NAME).team();
  }

  /** Whether every participant serves commands now. */
  public boolean allUp() {
    return participants.values().stream().allMatch(SampleParticipant::isUp);
  }

  /** Stops the participants, waiting for each batch in hand to commit. */
  @Override
  public void close() {
    List<SampleParticipant> stopping = new ArrayList<>(participants.values());
    stopping.parallelStream().forEach(SampleParticipant::close);
    registry.close();
  }

  /**
   * Runs the participants of the teams in {@value #TEAMS_VARIABLE} (all three by default) until the
   * process is stopped (SIGTERM, Ctrl-C). While Kafka or the registry cannot be reached yet, or
   * refuses the participants, it waits and tries again rather than exit ({@link PatientStart}).
   */
  public static void main(String[] args) throws InterruptedException {
    SampleSettings settings = SampleSettings.fromEnvironment(System.getenv(), TEAMS);
    List<String> teams = teamsFromEnvironment(System.getenv());
    Thread running = Thread.currentThread();
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  running.interrupt();
                  try {
                    closed.await(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "sample-participants-shutdown"));
    SampleParticipants participants = null;
    try {
      participants =
          PatientStart.start(
              "the sample participants", () -> start(settings, teams), FIRST_PAUSE, MAX_PAUSE);
      new CountDownLatch(1).await();
    } catch (InterruptedException stopping) {
      // the shutdown hook's interrupt: close what was started
    } finally {
      if (participants != null) {
        participants.close();
      }
      closed.countDown();
    }
  }
}

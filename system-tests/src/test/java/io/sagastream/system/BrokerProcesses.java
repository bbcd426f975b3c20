package io.sagastream.system;

import io.sagastream.testing.EmbeddedKafkaCluster;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three Kafka brokers and a dedicated KRaft controller, each a process of its own started from
 * Kafka's Maven Central jars ({@code kafka.Kafka}), so that a broker can be killed as the issue
 * asks (SIGKILL: no controlled shutdown, no leaderships handed over, its sockets reset) and started
 * again on its log directories. Replication factor 3 and {@code min.insync.replicas} 2, like the
 * in-JVM three-broker cluster; every listener on 127.0.0.1. A watchdog kills each process if the
 * test JVM dies first.
 */
final class BrokerProcesses implements KafkaCluster {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerProcesses.class);

  static final int BROKERS = 3;
  private static final int CONTROLLER_ID = 3000;
  private static final Duration READY_WITHIN = Duration.ofSeconds(90);

  private final Path work;
  private final List<String> classpath;
  private final Path logging;
  private final Map<Integer, Server> servers = new LinkedHashMap<>();
  private final String bootstrapServers;

  private BrokerProcesses(Path work, List<String> classpath, Map<String, String> brokerSettings) {
    this.work = work;
    this.classpath = classpath;
    this.logging = writeLogging(work);
    int controllerPort = LoopbackPorts.free();
    String voters = CONTROLLER_ID + "@127.0.0.1:" + controllerPort;
    Map<String, String> common = new LinkedHashMap<>();
    EmbeddedKafkaCluster.testBrokerConfig(BROKERS).forEach((k, v) -> common.put(k, v.toString()));
    common.put("controller.quorum.voters", voters);
    common.put("controller.listener.names", "CONTROLLER");
    common.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,BROKER:PLAINTEXT");
    Map<String, String> controller = new LinkedHashMap<>(common);
    controller.put("process.roles", "controller");
    controller.put("node.id", Integer.toString(CONTROLLER_ID));
    controller.put("listeners", "CONTROLLER://127.0.0.1:" + controllerPort);
    controller.putAll(brokerSettings);
    servers.put(CONTROLLER_ID, new Server("controller", controller));
    List<String> addresses = new ArrayList<>();
    for (int id = 0; id < BROKERS; id++) {
      String address = "127.0.0.1:" + LoopbackPorts.free();
      addresses.add(address);
      Map<String, String> broker = new LinkedHashMap<>(common);
      broker.put("process.roles", "broker");
      broker.put("node.id", Integer.toString(id));
      broker.put("listeners", "BROKER://" + address);
      broker.put("advertised.listeners", "BROKER://" + address);
      broker.put("inter.broker.listener.name", "BROKER");
      broker.putAll(brokerSettings);
      servers.put(id, new Server("broker-" + id, broker));
    }
    this.bootstrapServers = String.join(",", addresses);
  }

  /**
   * Formats and starts the controller and three brokers, and waits until all three brokers are
   * registered.
   *
   * @param classpathFile a file holding the classpath of Kafka's server jars (written by the build)
   * @param brokerSettings settings over the test defaults, for the controller and every broker
   */
  static BrokerProcesses start(Path classpathFile, Path work, Map<String, String> brokerSettings) {
    long begun = System.nanoTime();
    List<String> classpath;
    try {
      classpath = List.of(Files.readString(classpathFile).trim());
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot read Kafka's classpath from "
              + classpathFile
              + " (written by ./mvnw -pl system-tests verify): "
              + e,
          e);
    }
    BrokerProcesses cluster = new BrokerProcesses(work, classpath, brokerSettings);
    try {
      String clusterId = Uuid.randomUuid().toString();
      cluster.servers.values().parallelStream().forEach(server -> server.format(clusterId));
      cluster.servers.values().forEach(Server::start);
      cluster.awaitBrokers(BROKERS, READY_WITHIN);
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
    LOG.info("Started {} in {} ms", cluster.describe(), (System.nanoTime() - begun) / 1_000_000);
    return cluster;
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public int brokerCount() {
    return BROKERS;
  }

  @Override
  public String describe() {
    return "Kafka (KRaft, "
        + BROKERS
        + " broker processes, 1 controller process) at "
        + bootstrapServers
        + ", logs in "
        + work;
  }

  /**
   * SIGKILL to a broker: it hands no leadership over and says goodbye to no one; the kernel resets
   * its connections.
   */
  void kill(int broker) {
    server(broker).kill();
  }

  /** Starts a killed broker again on its port and log directory; its log recovery is Kafka's. */
  void restart(int broker) {
    server(broker).start();
    awaitBrokers(BROKERS, READY_WITHIN);
  }

  @Override
  public void close() {
    servers.values().stream()
        .filter(server -> !server.name.equals("controller"))
        .parallel()
        .forEach(Server::stop);
    servers.get(CONTROLLER_ID).stop();
  }

  private Server server(int broker) {
    Server server = servers.get(broker);
    if (server == null || broker == CONTROLLER_ID) {
      throw new IllegalArgumentException("No broker " + broker);
    }
    return server;
  }

  private void awaitBrokers(int count, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try (Admin admin = admin()) {
        int registered = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
        if (registered == count) {
          return;
        }
        last = registered + " brokers registered";
      } catch (Exception e) {
        last = e.toString();
      }
      servers.values().stream()
          .filter(server -> !server.isRunning())
          .findFirst()
          .ifPresent(
              server -> {
                throw new IllegalStateException(server.name + " exited; see " + server.log);
              });
      NodeProcess.sleep(500);
    }
    throw new IllegalStateException(
        count + " brokers not registered within " + within + ": " + last + "; see " + work);
  }

  /** One server process: its settings file, its log directory, its console log. */
  private final class Server {
    private final String name;
    private final Path config;
    private final Path log;
    private final ChildProcess process;

    Server(String name, Map<String, String> settings) {
      this.name = name;
      this.config = work.resolve(name + ".properties");
      this.log = work.resolve(name + ".log");
      Map<String, String> all = new LinkedHashMap<>(settings);
      all.put("log.dirs", work.resolve(name + "-data").toString());
      try {
        Files.writeString(
            config,
            all.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
      } catch (IOException e) {
        throw new IllegalStateException("Cannot write " + config + ": " + e, e);
      }
      this.process = new ChildProcess(name, command("kafka.Kafka", config.toString()), log);
    }

    void format(String clusterId) {
      ProcessBuilder formatting =
          command("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      try {
        Process formatter = formatting.start();
        if (!ChildProcess.waitFor(formatter, Duration.ofSeconds(60))
            || formatter.exitValue() != 0) {
          formatter.destroyForcibly();
          throw new IllegalStateException("Cannot format " + name + "'s storage; see " + log);
        }
      } catch (IOException e) {
        throw new IllegalStateException("Cannot format " + name + "'s storage: " + e, e);
      }
    }

    void start() {
      process.start();
    }

    boolean isRunning() {
      return process.isRunning();
    }

    void kill() {
      process.kill();
    }

    /** SIGTERM (a controlled shutdown), then SIGKILL after 30 s. */
    void stop() {
      process.close();
    }

    private ProcessBuilder command(String mainClass, String... arguments) {
      List<String> command = new ArrayList<>();
      command.add(ChildProcess.java());
      // As the nodes: four more JVMs share the tests' two cores, and each compiles the same broker
      // code. Quick runs of the suite took 505 s with G1 and C2, 473 s with these, and 428 s with
      // the brokers in the test JVM (one run each); with C2 the first node kill's gap was 3.0 s.
      command.add("-Xmx512m");
      command.add("-XX:+UseSerialGC");
      command.add("-XX:TieredStopAtLevel=1");
      command.add("-Dlogback.configurationFile=" + logging);
      command.add("-cp");
      command.addAll(classpath);
      command.add(mainClass);
      command.addAll(List.of(arguments));
      return new ProcessBuilder(command);
    }
  }

  /** Brokers log their lifecycle, leaderships and coordinators; not every segment they roll. */
  private static Path writeLogging(Path work) {
    Path file = work.resolve("logback-brokers.xml");
    String xml =
        """
          <configuration>
            <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
              <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
            </appender>
            <logger name="kafka.log" level="WARN"/>
            <logger name="org.apache.kafka.storage" level="WARN"/>
            <logger name="kafka.request.logger" level="WARN"/>
            <root level="INFO"><appender-ref ref="out"/></root>
          </configuration>
          """;
    try {
      Files.writeString(file, xml);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write " + file + ": " + e, e);
    }
    return file;
  }
}

package io.sagastream.testing;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.PreboundSocketFactoryManager;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.ServerSocketFactory;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real Kafka brokers in KRaft mode inside this JVM, from Kafka's own test kit (Maven Central), with
 * production metadata and feature versions. Every listener binds to 127.0.0.1 only.
 */
public final class EmbeddedKafkaCluster implements KafkaCluster {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

  private final KafkaClusterTestKit kit;
  private final int brokers;
  private final String bootstrapServers;

  private EmbeddedKafkaCluster(KafkaClusterTestKit kit, int brokers) {
    this.kit = kit;
    this.brokers = brokers;
    // The kit advertises "localhost"; clients bootstrap on the loopback address it is bound to.
    this.bootstrapServers = kit.bootstrapServers().replace("localhost:", "127.0.0.1:");
  }

  /** One node that is both broker and controller: the fast default for tests. */
  public static EmbeddedKafkaCluster singleNode() {
    return start(1, 1, true);
  }

  /** One combined node with {@code brokerConfig} over the defaults (the benchmark's settings). */
  public static EmbeddedKafkaCluster singleNode(Map<String, Object> brokerConfig) {
    return start(1, 1, true, brokerConfig);
  }

  /**
   * Three brokers and one dedicated controller, replication factor 3 and min.insync.replicas 2, for
   * failover tests. (Three combined nodes lost quorum on this kind of machine; a dedicated
   * controller did not.)
   */
  public static EmbeddedKafkaCluster threeBrokers() {
    return start(3, 1, false);
  }

  static EmbeddedKafkaCluster start(int brokers, int controllers, boolean combined) {
    return start(brokers, controllers, combined, Map.of());
  }

  /**
   * Starts a cluster with {@code extraConfig} over the test defaults on every node: listeners'
   * security, an authorizer, whatever a test needs (see {@link SecuredKafkaCluster}).
   */
  static EmbeddedKafkaCluster start(
      int brokers, int controllers, boolean combined, Map<String, Object> extraConfig) {
    long started = System.nanoTime();
    try {
      TestKitNodes nodes =
          new TestKitNodes.Builder(productionMetadata())
              .setCombined(combined)
              .setNumBrokerNodes(brokers)
              .setNumControllerNodes(controllers)
              .build();
      KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
      testBrokerConfig(brokers).forEach(builder::setConfigProp);
      extraConfig.forEach(builder::setConfigProp);
      bindEveryListenerToLoopback(builder, nodes);
      KafkaClusterTestKit kit = builder.build();
      try {
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
      } catch (Exception | Error e) {
        closeQuietly(kit);
        throw e;
      }
      EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(kit, brokers);
      LOG.info(
          "Started {} in {} ms", cluster.describe(), (System.nanoTime() - started) / 1_000_000);
      return cluster;
    } catch (Exception e) {
      throw new IllegalStateException(
          "Cannot start an embedded Kafka cluster of " + brokers + " broker(s): " + e, e);
    }
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public int brokerCount() {
    return brokers;
  }

  @Override
  public String describe() {
    return "embedded Kafka (KRaft, "
        + brokers
        + " broker(s), "
        + kit.controllers().size()
        + " controller(s)) at "
        + bootstrapServers;
  }

  /** Broker ids, for {@link #stopBroker} and {@link #startBroker}. */
  public java.util.Set<Integer> brokerIds() {
    return kit.brokers().keySet();
  }

  /** Shuts one broker down; its partitions' leadership moves to the others. */
  public void stopBroker(int brokerId) {
    kit.brokers().get(brokerId).shutdown();
  }

  /** Starts a stopped broker again on the same port and log directory. */
  public void startBroker(int brokerId) {
    kit.brokers().get(brokerId).startup();
  }

  @Override
  public void close() {
    long started = System.nanoTime();
    closeQuietly(kit);
    LOG.info("Stopped embedded Kafka in {} ms", (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * The brokers' settings for tests, over Kafka's defaults: internal topics replicated as widely as
   * the cluster allows (up to 3, {@code min.insync.replicas} 2 from 3 brokers), few partitions, no
   * initial rebalance delay, production features only. Also for clusters started another way.
   */
  public static Map<String, Object> testBrokerConfig(int brokers) {
    int replicas = Math.min(brokers, 3);
    int minInSync = replicas >= 3 ? 2 : 1;
    Map<String, Object> config = new HashMap<>();
    config.put("offsets.topic.replication.factor", Integer.toString(replicas));
    config.put("offsets.topic.num.partitions", "5");
    config.put("transaction.state.log.replication.factor", Integer.toString(replicas));
    config.put("transaction.state.log.min.isr", Integer.toString(minInSync));
    config.put("transaction.state.log.num.partitions", "5");
    config.put("min.insync.replicas", Integer.toString(minInSync));
    config.put("group.initial.rebalance.delay.ms", "0");
    config.put("unstable.api.versions.enable", "false");
    config.put("unstable.feature.versions.enable", "false");
    return config;
  }

  private static BootstrapMetadata productionMetadata() {
    MetadataVersion version = MetadataVersion.latestProduction();
    Map<String, Short> features =
        Feature.PRODUCTION_FEATURES.stream()
            .collect(
                Collectors.toMap(
                    Feature::featureName,
                    feature -> feature.defaultLevel(version),
                    (a, b) -> a,
                    TreeMap::new));
    return BootstrapMetadata.fromVersions(version, features, "sagastream-tests");
  }

  /**
   * The kit pre-binds every listener to the wildcard address before the servers start. Handing it
   * sockets already bound to loopback keeps the brokers off every other interface; the kit uses a
   * pre-bound socket when it finds one.
   */
  @SuppressWarnings("unchecked")
  private static void bindEveryListenerToLoopback(
      KafkaClusterTestKit.Builder builder, TestKitNodes nodes) throws IOException {
    Map<Integer, Map<String, ServerSocketChannel>> sockets;
    try {
      Field managerField =
          KafkaClusterTestKit.Builder.class.getDeclaredField("socketFactoryManager");
      managerField.setAccessible(true);
      PreboundSocketFactoryManager manager =
          (PreboundSocketFactoryManager) managerField.get(builder);
      Field socketsField = PreboundSocketFactoryManager.class.getDeclaredField("sockets");
      socketsField.setAccessible(true);
      sockets = (Map<Integer, Map<String, ServerSocketChannel>>) socketsField.get(manager);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "Kafka's test kit changed: cannot hand it loopback sockets (" + e + ")", e);
    }
    String controllerListener = nodes.controllerListenerName().value();
    String brokerListener = nodes.brokerListenerName().value();
    for (int id : nodes.controllerNodes().keySet()) {
      sockets
          .computeIfAbsent(id, x -> new HashMap<>())
          .put(controllerListener, loopbackSocket(controllerListener));
    }
    for (int id : nodes.brokerNodes().keySet()) {
      sockets
          .computeIfAbsent(id, x -> new HashMap<>())
          .put(brokerListener, loopbackSocket(brokerListener));
    }
  }

  private static ServerSocketChannel loopbackSocket(String listener) throws IOException {
    return ServerSocketFactory.INSTANCE.openServerSocket(
        listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), -1, -1);
  }

  private static void closeQuietly(KafkaClusterTestKit kit) {
    try {
      kit.close();
    } catch (Exception e) {
      LOG.warn("Embedded Kafka did not close cleanly", e);
    }
  }
}

package io.sagastream.app;

import static io.sagastream.app.RunningNode.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.PreboundSocketFactoryManager;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.ServerSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node on a Kafka cluster that authenticates clients (SASL PLAIN) and authorizes them (ACLs,
 * nothing allowed without one): with the security settings under {@code kafka.streams.default.*}
 * and exactly the ACLs the README lists for the orchestrator, it starts, deploys, and runs a saga.
 * Every Kafka client of the node takes part: the start-up admin, Kafka Streams, the API producer.
 */
@RealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredKafkaIT {

  private static final String DEFINITION =
      """
      {"name": "acl-check",
       "data": {"schema": {"type": "record", "name": "AclData", "namespace": "acl",
                           "fields": [{"name": "id", "type": "string"}]}},
       "steps": [{"name": "ask", "action": {"topic": "%sask.commands",
                  "schema": {"type": "record", "name": "Ask", "namespace": "acl",
                             "fields": [{"name": "id", "type": "string"}]}}}]}""";

  /** The test kit points the whole JVM at its JAAS file; restored afterwards. */
  private static final String JAAS_CONFIG = "java.security.auth.login.config";

  private final String prefix = "acl" + UUID.randomUUID().toString().substring(0, 6) + ".";
  private final String applicationId = prefix + "node";
  private String previousJaasConfig;
  private KafkaClusterTestKit kit;
  private RunningNode node;

  @BeforeAll
  void start(SchemaRegistryServer registry, @TempDir Path state) throws Exception {
    previousJaasConfig = System.getProperty(JAAS_CONFIG);
    kit = saslCluster();
    try (Admin admin = kit.admin()) {
      admin
          .createTopics(
              List.of(
                  new org.apache.kafka.clients.admin.NewTopic(
                      prefix + "ask.commands", 2, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
      admin
          .createAcls(orchestratorAcls("User:" + JaasUtils.KAFKA_PLAIN_USER1))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
    KafkaCluster cluster = cluster(kit);
    node =
        RunningNode.start(
            cluster,
            registry,
            prefix,
            state,
            Map.of(
                "kafka.streams.default.security.protocol",
                "SASL_PLAINTEXT",
                "kafka.streams.default.sasl.mechanism",
                "PLAIN",
                "kafka.streams.default.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\""
                    + JaasUtils.KAFKA_PLAIN_USER1
                    + "\""
                    + " password=\""
                    + JaasUtils.KAFKA_PLAIN_USER1_PASSWORD
                    + "\";"));
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (kit != null) {
      kit.close();
    }
    if (previousJaasConfig == null) {
      System.clearProperty(JAAS_CONFIG);
    } else {
      System.setProperty(JAAS_CONFIG, previousJaasConfig);
    }
  }

  @Test
  void aNodeWithTheDocumentedAclsDeploysStartsAndRunsASaga() throws Exception {
    // when a definition is deployed and a saga started through the node's API
    HttpResponse<String> deployed = node.post("/definitions", DEFINITION.formatted(prefix));
    HttpResponse<String> started =
        node.post(
            "/sagas",
            "{\"definition\": \"acl-check\", \"key\": \"k-1\", \"data\": {\"id\": \"1\"}}");

    // then both are accepted, the saga runs, and its first command reaches the participant topic
    assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              HttpResponse<String> saga = node.get("/sagas/k-1/acl-check");
              return saga.statusCode() == 200
                  && json(saga).path("status").asText().equals("RUNNING");
            });
    assertThat(commandKeys()).contains("k-1");
  }

  /** The ACLs the README's Security section lists for the orchestrator, for {@code principal}. */
  private List<AclBinding> orchestratorAcls(String principal) {
    List<AclBinding> acls = new ArrayList<>();
    allow(
        acls,
        principal,
        ResourceType.TOPIC,
        prefix + "saga.",
        PatternType.PREFIXED,
        AclOperation.DESCRIBE,
        AclOperation.READ,
        AclOperation.WRITE,
        AclOperation.CREATE);
    allow(
        acls,
        principal,
        ResourceType.TOPIC,
        prefix + "ask.commands",
        PatternType.LITERAL,
        AclOperation.DESCRIBE,
        AclOperation.WRITE);
    allow(
        acls,
        principal,
        ResourceType.TOPIC,
        applicationId + "-",
        PatternType.PREFIXED,
        AclOperation.DESCRIBE,
        AclOperation.DESCRIBE_CONFIGS,
        AclOperation.READ,
        AclOperation.WRITE,
        AclOperation.CREATE,
        AclOperation.DELETE);
    allow(
        acls,
        principal,
        ResourceType.GROUP,
        applicationId,
        PatternType.LITERAL,
        AclOperation.DESCRIBE,
        AclOperation.READ);
    allow(
        acls,
        principal,
        ResourceType.TRANSACTIONAL_ID,
        applicationId + "-",
        PatternType.PREFIXED,
        AclOperation.DESCRIBE,
        AclOperation.WRITE);
    return acls;
  }

  private static void allow(
      List<AclBinding> acls,
      String principal,
      ResourceType type,
      String name,
      PatternType pattern,
      AclOperation... operations) {
    for (AclOperation operation : operations) {
      acls.add(
          new AclBinding(
              new ResourcePattern(type, name, pattern),
              new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
    }
  }

  /** The keys of the commands on the participant topic, read as the cluster's super user. */
  private List<String> commandKeys() {
    Map<String, Object> config = new HashMap<>(superUser());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> keys = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(prefix + "ask.commands"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (keys.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> keys.add(record.key()));
      }
    }
    return keys;
  }

  private static Map<String, Object> superUser() {
    return Map.of(
        "security.protocol",
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        "PLAIN",
        "sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\""
            + JaasUtils.KAFKA_PLAIN_ADMIN
            + "\""
            + " password=\""
            + JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD
            + "\";");
  }

  /**
   * One combined KRaft node whose broker listener takes SASL PLAIN clients, with the test kit's
   * users and its authorizer (super user plain-admin, nothing allowed without an ACL). Every
   * listener binds to loopback, as the shared test cluster's do.
   */
  private static KafkaClusterTestKit saslCluster() throws Exception {
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
            .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
            .build();
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
    Map.of(
            "offsets.topic.replication.factor", "1",
            "offsets.topic.num.partitions", "2",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "transaction.state.log.num.partitions", "2",
            "group.initial.rebalance.delay.ms", "0")
        .forEach(builder::setConfigProp);
    bindToLoopback(builder, nodes);
    KafkaClusterTestKit kit = builder.build();
    try {
      kit.format();
      kit.startup();
      kit.waitForReadyBrokers();
      return kit;
    } catch (Exception | Error e) {
      kit.close();
      throw e;
    }
  }

  /** The test kit pre-binds listeners to the wildcard address; hand it loopback sockets instead. */
  @SuppressWarnings("unchecked")
  private static void bindToLoopback(KafkaClusterTestKit.Builder builder, TestKitNodes nodes)
      throws IOException, ReflectiveOperationException {
    Field managerField = KafkaClusterTestKit.Builder.class.getDeclaredField("socketFactoryManager");
    managerField.setAccessible(true);
    PreboundSocketFactoryManager manager = (PreboundSocketFactoryManager) managerField.get(builder);
    Field socketsField = PreboundSocketFactoryManager.class.getDeclaredField("sockets");
    socketsField.setAccessible(true);
    Map<Integer, Map<String, ServerSocketChannel>> sockets =
        (Map<Integer, Map<String, ServerSocketChannel>>) socketsField.get(manager);
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

  /** The cluster as the test helpers see it, with the super user for their admin calls. */
  private static KafkaCluster cluster(KafkaClusterTestKit kit) {
    return new KafkaCluster() {
      @Override
      public String bootstrapServers() {
        return kit.bootstrapServers();
      }

      @Override
      public int brokerCount() {
        return 1;
      }

      @Override
      public String describe() {
        return "embedded Kafka with SASL PLAIN and ACLs at " + kit.bootstrapServers();
      }

      @Override
      public Admin admin() {
        return kit.admin();
      }

      @Override
      public void close() {}
    };
  }
}

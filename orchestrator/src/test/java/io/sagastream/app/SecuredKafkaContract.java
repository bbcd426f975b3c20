package io.sagastream.app;

import static io.sagastream.app.RunningNode.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.testing.SecuredKafkaCluster;
import io.sagastream.worker.Reply;
import io.sagastream.worker.SagaWorker;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every secured cluster must allow and refuse, whatever the way clients authenticate: an
 * orchestrator node and a participant built with the worker SDK, each holding exactly the ACLs the
 * README lists and nothing more (the authorizer allows nothing without an ACL), run a saga to its
 * end. The security settings reach the node through {@code kafka.streams.default.*}, as from {@code
 * KAFKA_STREAMS_DEFAULT_*} environment variables, and the worker through its Kafka properties.
 */
@RealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SecuredKafkaContract {

  static final String DEFINITION =
      """
      {"name": "secured",
       "data": {"schema": {"type": "record", "name": "SecuredData", "namespace": "secured",
                           "fields": [{"name": "id", "type": "string"}]}},
       "steps": [{"name": "ask", "action": {"topic": "%s",
                  "schema": {"type": "record", "name": "Ask", "namespace": "secured",
                             "fields": [{"name": "id", "type": "string"}]}}}]}""";

  SecuredKafkaCluster cluster;
  SchemaRegistryServer registry;
  private final List<AutoCloseable> running = new ArrayList<>();

  /** Starts this kind of secured cluster, its certificates under {@code directory}. */
  abstract SecuredKafkaCluster startCluster(Path directory);

  /** The client settings that let {@code user} in (a SCRAM login, a client certificate). */
  abstract Map<String, Object> credentials(String user);

  /** Settings for {@code user} that Kafka refuses (a wrong password, an unknown certificate). */
  abstract Map<String, Object> wrongCredentials(String user);

  /** The exception Kafka's client reports for {@link #wrongCredentials}. */
  abstract Class<? extends AuthenticationException> refusedLogin();

  /** A secret among {@link #wrongCredentials} that no message may show. */
  abstract String secretOf(Map<String, Object> credentials);

  @BeforeAll
  void startCluster(@TempDir Path directory, SchemaRegistryServer registry) {
    this.registry = registry;
    cluster = startCluster(directory);
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void stopNodesAndWorkers() throws Exception {
    for (AutoCloseable closeable : running) {
      closeable.close();
    }
    running.clear();
  }

  @Test
  void aNodeAndAWorkerWithTheDocumentedAclsRunASagaToItsEnd(@TempDir Path state) {
    // given a node and a worker that each log in as themselves and hold the documented ACLs
    String prefix = prefix();
    String commandTopic = createCommandTopic(prefix);
    cluster.allow(nodeAcls(prefix, commandTopic).bindings());
    cluster.allow(
        KafkaAcls.worker(cluster.principal("worker"), prefix, prefix + "askers", commandTopic)
            .bindings());
    RunningNode node = node(prefix, state, credentials("orchestrator"));
    worker(prefix + "askers", commandTopic, credentials("worker"));

    // when a definition is deployed and a saga started through the node's API, both accepted
    deployAndStartAccepted(node, commandTopic);

    // then the worker's reply brings the saga to its end
    awaitSagaCompleted(node);
  }

  @Test
  void aNodeWithWrongCredentialsStaysUpNotReadyAndSaysKafkaRefusedThem(@TempDir Path state) {
    // given credentials Kafka does not accept
    Map<String, Object> wrong = wrongCredentials("orchestrator");

    // when a node starts with them
    RunningNode node = launchNode(prefix(), state, wrong);

    // then it stays up and not ready, saying Kafka refused its login and how, and shows no secret
    String readiness =
        node.awaitNotReadySaying(
            "Kafka refused the credentials of the node", refusedLogin().getSimpleName());
    assertThat(readiness).doesNotContain(secretOf(wrong));
    assertThat(node.get("/health/liveness").statusCode()).isEqualTo(200);
    HttpResponse<String> saga = node.get("/sagas/k-1/secured");
    assertThat(saga.statusCode()).isEqualTo(503);
    assertThat(json(saga).path("message").asText())
        .startsWith("the node is not ready to answer: Kafka refused the credentials of the node")
        .doesNotContain(secretOf(wrong));
  }

  @Test
  void aWorkerWithWrongCredentialsKeepsTryingAndSaysKafkaRefusedThem() {
    // given a worker with credentials Kafka does not accept
    String prefix = prefix();
    SagaWorker worker = worker(prefix + "askers", prefix + "ask.commands", wrongCredentials("w"));

    // when it tries to connect, then it holds the refusal, and goes on trying rather than stop
    await().atMost(Duration.ofSeconds(30)).until(() -> worker.kafkaRefusal().isPresent());
    assertThat(worker.kafkaRefusal()).get().isInstanceOf(refusedLogin());
    assertThat(worker.isRunning()).isTrue();
    assertThat(worker.failure()).isEmpty();
  }

  @Test
  void aWorkerThatMayNotWriteItsRepliesSaysKafkaDeniedItAndRepliesOnceGranted(@TempDir Path state) {
    // given a node with its ACLs, and a worker with all of its own but those on the replies topic
    String prefix = prefix();
    String commandTopic = createCommandTopic(prefix);
    cluster.allow(nodeAcls(prefix, commandTopic).bindings());
    KafkaAcls workerAcls =
        KafkaAcls.worker(cluster.principal("worker"), prefix, prefix + "askers", commandTopic);
    cluster.allow(
        KafkaAcls.worker(cluster.principal("worker"), prefix, prefix + "askers", commandTopic)
            .without(ResourceType.TOPIC, prefix + "saga.replies")
            .bindings());
    RunningNode node = node(prefix, state, credentials("orchestrator"));
    SagaWorker worker = worker(prefix + "askers", commandTopic, credentials("worker"));

    // when a saga sends it a command
    startSaga(node, commandTopic);

    // then the worker says Kafka denied it, and keeps running
    await().atMost(Duration.ofSeconds(60)).until(() -> worker.kafkaRefusal().isPresent());
    assertThat(worker.kafkaRefusal()).get().isInstanceOf(AuthorizationException.class);
    assertThat(worker.isRunning()).isTrue();
    // and once the ACL is granted, its reply goes out and the saga ends
    cluster.allow(workerAcls.bindings());
    awaitSagaCompleted(node);
    await().atMost(Duration.ofSeconds(30)).until(() -> worker.kafkaRefusal().isEmpty());
  }

  @Test
  void aNodeWithoutItsGroupAclIsNotReadyAndNamesTheGroup(@TempDir Path state) {
    // given a node holding every documented ACL but those on its consumer group
    String prefix = prefix();
    String commandTopic = createCommandTopic(prefix);
    cluster.allow(
        nodeAcls(prefix, commandTopic).without(ResourceType.GROUP, prefix + "node").bindings());

    // when it starts
    RunningNode node = launchNode(prefix, state, credentials("orchestrator"));

    // then it stays not ready, and its readiness names the refusal and the group
    node.awaitNotReadySaying(
        "Kafka denied the node", "GroupAuthorizationException", prefix + "node");
    // and the API, asked about a saga, answers 503 with the same reason
    HttpResponse<String> saga = node.get("/sagas/k-1/secured");
    assertThat(saga.statusCode()).isEqualTo(503);
    assertThat(json(saga).path("message").asText())
        .startsWith("the node is not ready to answer: Kafka denied the node")
        .contains("GroupAuthorizationException");
  }

  @Test
  void aNodeThatMayNotReadTheDefinitionsTopicStaysUpNotReadyAndStartsOnceAllowed(
      @TempDir Path state) {
    // given a node holding every documented ACL, but denied reading the definitions topic
    String prefix = prefix();
    String commandTopic = createCommandTopic(prefix);
    cluster.allow(nodeAcls(prefix, commandTopic).bindings());
    AclBinding denied =
        KafkaAcls.denyTopic(
            cluster.principal("orchestrator"), prefix + "saga.definitions", AclOperation.READ);
    cluster.allow(List.of(denied));

    // when it starts
    RunningNode node = launchNode(prefix, state, credentials("orchestrator"));

    // then it stays up and not ready, naming the topic it may not read, rather than stopping
    node.awaitNotReadySaying(
        "Kafka denied the node", "TopicAuthorizationException", prefix + "saga.definitions");
    assertThat(node.get("/health/liveness").statusCode()).isEqualTo(200);
    // and once the denial is taken back, it starts, without a restart, and takes a deploy and a
    // saga
    cluster.revoke(List.of(denied));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> node.get("/health/readiness").statusCode() == 200);
    deployAndStartAccepted(node, commandTopic);

    // and when reading the topic is denied again while it runs, its Kafka Streams stops and the
    // liveness says so (a restart then waits, not ready, as above), rather than running on
    // without the definitions' reader
    cluster.allow(List.of(denied));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> node.get("/health/liveness").statusCode() == 503);
  }

  /** A topic prefix of its own for each test, so that tests share the cluster and nothing else. */
  static String prefix() {
    return "sec" + UUID.randomUUID().toString().substring(0, 6) + ".";
  }

  /** A participant's command topic of the test's own, created with two partitions. */
  String createCommandTopic(String prefix) {
    String commandTopic = prefix + "ask.commands";
    cluster.createTopic(commandTopic, 2);
    return commandTopic;
  }

  /** The ACLs the README lists for a node logged in as {@code orchestrator}. */
  KafkaAcls nodeAcls(String prefix, String commandTopic) {
    return KafkaAcls.orchestrator(
        cluster.principal("orchestrator"), prefix, prefix + "node", commandTopic);
  }

  /** Deploys {@link #DEFINITION} on {@code commandTopic} and starts saga {@code k-1} of it. */
  static void startSaga(RunningNode node, String commandTopic) {
    node.post("/definitions", DEFINITION.formatted(commandTopic));
    node.post(
        "/sagas", "{\"definition\": \"secured\", \"key\": \"k-1\", \"data\": {\"id\": \"1\"}}");
  }

  /** As {@link #startSaga}, checking that the deploy (201) and the start (202) are accepted. */
  static void deployAndStartAccepted(RunningNode node, String commandTopic) {
    HttpResponse<String> deployed = node.post("/definitions", DEFINITION.formatted(commandTopic));
    HttpResponse<String> started =
        node.post(
            "/sagas", "{\"definition\": \"secured\", \"key\": \"k-1\", \"data\": {\"id\": \"1\"}}");
    assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
  }

  /** Waits until saga {@code k-1} has completed. */
  static void awaitSagaCompleted(RunningNode node) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              HttpResponse<String> saga = node.get("/sagas/k-1/secured");
              return saga.statusCode() == 200
                  && json(saga).path("status").asText().equals("COMPLETED");
            });
  }

  /** A node started with {@code kafka} as its Kafka client settings, ready. */
  RunningNode node(String prefix, Path state, Map<String, Object> kafka) {
    RunningNode node = RunningNode.start(cluster, registry, prefix, state, streamsSettings(kafka));
    running.add(node);
    return node;
  }

  /** A node started as {@link #node} is, without waiting for it to become ready. */
  RunningNode launchNode(String prefix, Path state, Map<String, Object> kafka) {
    RunningNode node = RunningNode.launch(cluster, registry, prefix, state, streamsSettings(kafka));
    running.add(node);
    return node;
  }

  /** A started worker that answers every command on {@code topic} with success. */
  SagaWorker worker(String group, String topic, Map<String, Object> kafka) {
    SagaWorker worker =
        SagaWorker.builder()
            .bootstrapServers(cluster.bootstrapServers())
            .registry(registry.url())
            .group(group)
            .instanceId("instance-1")
            .kafkaProperties(kafka)
            .pollTimeout(Duration.ofMillis(100))
            .handleGeneric(topic, (command, context) -> Reply.success())
            .build();
    running.add(() -> worker.close(Duration.ofSeconds(10)));
    return worker.start();
  }

  /** Kafka client settings as a node reads them: under {@code kafka.streams.default}. */
  private static Map<String, Object> streamsSettings(Map<String, Object> kafka) {
    Map<String, Object> settings = new HashMap<>();
    kafka.forEach((key, value) -> settings.put(StreamsPassThrough.PREFIX + "." + key, value));
    return settings;
  }
}

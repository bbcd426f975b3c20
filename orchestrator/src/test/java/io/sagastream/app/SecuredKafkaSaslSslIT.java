package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sagastream.testing.SecuredKafkaCluster;
import io.sagastream.worker.SagaWorker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestrator and a worker on a cluster that takes SASL over TLS: each logs in as a
 * SCRAM-SHA-512 user of its own and trusts the broker's certificate through a trust store.
 */
class SecuredKafkaSaslSslIT extends SecuredKafkaContract {

  private static final String WRONG_PASSWORD = "not-the-password-7f3a";

  @Override
  SecuredKafkaCluster startCluster(Path directory) {
    return SecuredKafkaCluster.saslSsl(directory);
  }

  @Override
  Map<String, Object> credentials(String user) {
    return cluster.scramUser(user, user + "-secret");
  }

  @Override
  Map<String, Object> wrongCredentials(String user) {
    cluster.scramUser(user, user + "-secret");
    return cluster.scramSettings(user, WRONG_PASSWORD);
  }

  @Override
  Class<? extends AuthenticationException> refusedLogin() {
    return SaslAuthenticationException.class;
  }

  @Override
  String secretOf(Map<String, Object> credentials) {
    return WRONG_PASSWORD;
  }

  @Test
  void aNodeRefusedAtStartUpGetsInWithoutARestartOnceKafkaTakesItsPassword(@TempDir Path state) {
    // given a node started with a password Kafka does not take, and not ready for it
    String prefix = prefix();
    Map<String, Object> wrong = wrongCredentials("rotated");
    RunningNode node = launchNode(prefix, state, wrong);
    node.awaitNotReadySaying("Kafka refused the credentials of the node (SASL SCRAM-SHA-512");

    // when the user's password becomes that one, and the user gets the documented ACLs
    cluster.scramUser("rotated", WRONG_PASSWORD);
    cluster.allow(
        KafkaAcls.orchestrator(
                cluster.principal("rotated"), prefix, prefix + "node", prefix + "ask.commands")
            .bindings());

    // then the same node prepares its topics, starts and turns ready
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(() -> assertThat(node.get("/health/readiness").statusCode()).isEqualTo(200));
  }

  @Test
  void aWorkerRefusedAtFirstGetsInWithoutARestartOnceKafkaTakesItsPassword() {
    // given a worker that holds the documented ACLs, started with a password Kafka does not take
    String prefix = prefix();
    String commandTopic = createCommandTopic(prefix);
    cluster.allow(
        KafkaAcls.worker(
                cluster.principal("rotated-worker"), prefix, prefix + "askers", commandTopic)
            .bindings());
    SagaWorker worker = worker(prefix + "askers", commandTopic, wrongCredentials("rotated-worker"));
    await().atMost(Duration.ofSeconds(30)).until(() -> worker.kafkaRefusal().isPresent());

    // when the user's password becomes that one
    cluster.scramUser("rotated-worker", WRONG_PASSWORD);

    // then the same worker logs in and joins its group
    await().atMost(Duration.ofSeconds(60)).until(() -> worker.kafkaRefusal().isEmpty());
    assertThat(worker.isRunning()).isTrue();
  }

  @Test
  void aWorkerWithoutItsAclsWaitsAndServesWithoutARestartOnceTheyAreGranted(@TempDir Path state) {
    // given a node with its ACLs, and a worker that logs in but holds no ACL yet
    String prefix = prefix();
    String commandTopic = createCommandTopic(prefix);
    cluster.allow(nodeAcls(prefix, commandTopic).bindings());
    RunningNode node = node(prefix, state, credentials("orchestrator"));
    SagaWorker worker = worker(prefix + "askers", commandTopic, credentials("unlisted-worker"));
    await().atMost(Duration.ofSeconds(30)).until(() -> worker.kafkaRefusal().isPresent());
    assertThat(worker.kafkaRefusal()).get().isInstanceOf(AuthorizationException.class);
    assertThat(worker.isRunning()).isTrue();

    // when a saga waits for the worker, and the worker's user is granted the documented ACLs
    startSaga(node, commandTopic);
    cluster.allow(
        KafkaAcls.worker(
                cluster.principal("unlisted-worker"), prefix, prefix + "askers", commandTopic)
            .bindings());

    // then the same worker serves the saga's command, and the saga completes
    awaitSagaCompleted(node);
    assertThat(worker.kafkaRefusal()).isEmpty();
  }

  @Test
  void aNodeThatMayNotWriteToACommandTopicIsNotReadyAndNamesTheTopic(@TempDir Path state) {
    // given a node holding every documented ACL but those on a participant's command topic
    String prefix = prefix();
    String commandTopic = createCommandTopic(prefix);
    cluster.allow(
        nodeAcls(prefix, commandTopic).without(ResourceType.TOPIC, commandTopic).bindings());
    RunningNode node = node(prefix, state, credentials("orchestrator"));

    // when a saga whose first step sends to that topic starts
    startSaga(node, commandTopic);

    // then the node turns not ready, naming the refusal and the topic
    node.awaitNotReadySaying(
        "Kafka denied the node (SASL SCRAM-SHA-512 user 'orchestrator')",
        "TopicAuthorizationException",
        commandTopic);
  }
}

package io.sagastream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secured test clusters do what the tests that use them count on: a user with an ACL gets in
 * and writes, a user without one is refused, and a wrong password or an unknown certificate does
 * not get in at all.
 */
class SecuredKafkaClusterIT {

  @Test
  void saslSslLetsAScramUserWriteWhereAnAclAllowsAndNowhereElse(@TempDir Path dir)
      throws Exception {
    try (SecuredKafkaCluster cluster = SecuredKafkaCluster.saslSsl(dir)) {
      // given two topics, and a SCRAM user allowed to write to one of them
      cluster.createTopic("allowed", 1);
      cluster.createTopic("forbidden", 1);
      Map<String, Object> alice = cluster.scramUser("alice", "alice-secret");
      cluster.allow(writeTo(cluster.principal("alice"), "allowed"));

      // when and then: the allowed topic takes a record, the other refuses it by name
      assertThat(send(cluster, alice, "allowed")).isTrue();
      assertThatThrownBy(() -> send(cluster, alice, "forbidden"))
          .hasCauseInstanceOf(TopicAuthorizationException.class)
          .hasMessageContaining("forbidden");
      // and a wrong password does not get in
      Map<String, Object> impostor = cluster.scramSettings("alice", "wrong");
      assertThatThrownBy(() -> listTopics(cluster, impostor))
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  @Test
  void mutualTlsKnowsAClientByItsCertificateAndRefusesAnUnknownOne(@TempDir Path dir)
      throws Exception {
    try (SecuredKafkaCluster cluster = SecuredKafkaCluster.mutualTls(dir)) {
      // given a topic, and a certificate user allowed to write to it
      cluster.createTopic("allowed", 1);
      Map<String, Object> bob = cluster.certificateUser("bob");
      cluster.allow(writeTo(cluster.principal("bob"), "allowed"));

      // when and then: the certificate's principal writes
      assertThat(send(cluster, bob, "allowed")).isTrue();
      // and a certificate from another authority does not get in
      Map<String, Object> stranger = cluster.untrustedCertificateUser("bob");
      assertThatThrownBy(() -> listTopics(cluster, stranger))
          .hasCauseInstanceOf(SslAuthenticationException.class);
    }
  }

  private static List<AclBinding> writeTo(String principal, String topic) {
    ResourcePattern pattern = new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL);
    return List.of(AclOperation.DESCRIBE, AclOperation.WRITE).stream()
        .map(
            operation ->
                new AclBinding(
                    pattern,
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)))
        .toList();
  }

  private static boolean send(SecuredKafkaCluster cluster, Map<String, Object> user, String topic)
      throws Exception {
    Map<String, Object> config = new HashMap<>(user);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS);
      return true;
    }
  }

  private static void listTopics(SecuredKafkaCluster cluster, Map<String, Object> user)
      throws Exception {
    Map<String, Object> config = new HashMap<>(user);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    try (Admin admin = Admin.create(config)) {
      admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }
  }
}

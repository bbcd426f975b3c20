package io.sagastream.app;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs the README's Security section lists, for the orchestrator and for a participant built
 * with the worker SDK, as the secured-cluster tests grant them: exactly those, nothing more.
 */
final class KafkaAcls {

  private final String principal;
  private final List<AclBinding> acls = new ArrayList<>();

  private KafkaAcls(String principal) {
    this.principal = principal;
  }

  /** An orchestrator node's ACLs: its topics, Kafka Streams' topics, group, transactions. */
  static KafkaAcls orchestrator(
      String principal, String prefix, String applicationId, String commandTopic) {
    return new KafkaAcls(principal)
        .prefixedTopics(
            prefix + "saga.",
            AclOperation.DESCRIBE,
            AclOperation.DESCRIBE_CONFIGS,
            AclOperation.READ,
            AclOperation.WRITE,
            AclOperation.CREATE)
        .topic(commandTopic, AclOperation.DESCRIBE, AclOperation.WRITE)
        .prefixedTopics(
            applicationId + "-",
            AclOperation.DESCRIBE,
            AclOperation.DESCRIBE_CONFIGS,
            AclOperation.READ,
            AclOperation.WRITE,
            AclOperation.CREATE,
            AclOperation.DELETE)
        .group(applicationId, AclOperation.DESCRIBE, AclOperation.READ)
        .add(
            ResourceType.TRANSACTIONAL_ID,
            applicationId + "-",
            PatternType.PREFIXED,
            AclOperation.DESCRIBE,
            AclOperation.WRITE);
  }

  /** A worker's ACLs: read its command topic, write replies, its group and transactional ids. */
  static KafkaAcls worker(String principal, String prefix, String group, String commandTopic) {
    return new KafkaAcls(principal)
        .topic(commandTopic, AclOperation.DESCRIBE, AclOperation.READ)
        .topic(prefix + "saga.replies", AclOperation.DESCRIBE, AclOperation.WRITE)
        .group(group, AclOperation.DESCRIBE, AclOperation.READ)
        .add(
            ResourceType.TRANSACTIONAL_ID,
            group + "-",
            PatternType.PREFIXED,
            AclOperation.DESCRIBE,
            AclOperation.WRITE);
  }

  /**
   * One ACL denying {@code principal} {@code operation} on topic {@code name}, which outweighs any
   * that allows it (as the prefixed ones here do).
   */
  static AclBinding denyTopic(String principal, String name, AclOperation operation) {
    return new AclBinding(
        new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL),
        new AccessControlEntry(principal, "*", operation, AclPermissionType.DENY));
  }

  /** These ACLs without those on {@code type} {@code name}: to see what a missing one does. */
  KafkaAcls without(ResourceType type, String name) {
    acls.removeIf(acl -> acl.pattern().resourceType() == type && acl.pattern().name().equals(name));
    return this;
  }

  List<AclBinding> bindings() {
    return List.copyOf(acls);
  }

  private KafkaAcls topic(String name, AclOperation... operations) {
    return add(ResourceType.TOPIC, name, PatternType.LITERAL, operations);
  }

  private KafkaAcls prefixedTopics(String prefix, AclOperation... operations) {
    return add(ResourceType.TOPIC, prefix, PatternType.PREFIXED, operations);
  }

  private KafkaAcls group(String name, AclOperation... operations) {
    return add(ResourceType.GROUP, name, PatternType.LITERAL, operations);
  }

  private KafkaAcls add(
      ResourceType type, String name, PatternType pattern, AclOperation... operations) {
    for (AclOperation operation : operations) {
      acls.add(
          new AclBinding(
              new ResourcePattern(type, name, pattern),
              new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
    }
    return this;
  }
}
